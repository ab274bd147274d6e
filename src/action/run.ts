/**
 * The Action's run (the typescript-action template's shape): read the inputs, fetch the tracking
 * branch, then on a pull request keep its one comment; otherwise end phases by the policy, review
 * every ended phase without a review and commit the reviews back (fetch, merge, retry, like `push`);
 * write the job summary and the outputs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { listPhases, policyEnds, reviewEndedPhases, reviewPhase } from '../analytics/phases.js';
import type { Review } from '../analytics/review.js';
import { prLineShare } from '../attribution/pr-share.js';
import { canonicalEvent, type ToolOutcome, toolOutcome } from '../model/canonical.js';
import { causeLine, maskLine, programOf } from '../model/causes.js';
import { callKind, followUps } from '../model/retry.js';
import { loadConfig } from '../store/config.js';
import { githubRepoOf } from '../store/github.js';
import { findRepo, type RepoPaths, readRef, TRACKING_BRANCH, TRACKING_REF } from '../store/paths.js';
import { TrackingBranch } from '../store/reader.js';
import { pullBranch, pushBranch, runGit } from '../store/sync.js';
import { upsertComment } from './comment.js';
import { duckDBAtHand, duckDBCacheKey, ensureDuckDB } from './duckdb-install.js';
import { type PrActivity, type RepoLinks, type RunReport, renderPrComment, renderSummary } from './report.js';

export interface Timings {
  fetchMs: number;
  installMs: number;
  reviewMs: number;
  commitBackMs: number;
  archiveMs?: number;
  backupMs?: number;
  dashboardMs?: number;
}

/** ECharts' minified source, put into the bundle at build time (the Action runs without node_modules). */
declare const __ECHARTS_SOURCE__: string | undefined;

/**
 * The dashboard: written beside the report (`dashboard-path`, for actions/upload-artifact), and with
 * `pages-branch` also committed into `<pages-dir>/index.html` on that branch and pushed (a temporary
 * index: the checkout's work tree and index are not touched).
 */
async function publishDashboard(paths: RepoPaths, outDir: string, remote: string): Promise<string> {
  const { dashboardData } = await import('../dashboard/data.js');
  const { renderPage } = await import('../dashboard/page.js');
  const echarts = typeof __ECHARTS_SOURCE__ === 'string' ? __ECHARTS_SOURCE__ : undefined;
  const html = renderPage(await dashboardData(paths), echarts);
  const dir = path.join(outDir, 'dashboard');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'index.html');
  fs.writeFileSync(file, html);
  const branch = core.getInput('pages-branch');
  if (!branch) return file;
  const folder = (core.getInput('pages-dir') || 'agent-tracking').replace(/^\/+|\/+$/g, '');
  if (!/^[\w./-]+$/.test(branch) || folder.split('/').includes('..'))
    throw new Error(`input 'pages-branch' / 'pages-dir' is not a plain name: '${branch}' / '${folder}'`);
  const env = { GIT_INDEX_FILE: path.join(outDir, 'pages-index') };
  const git = async (args: string[], input?: string) => {
    const r = await runGit(paths, args, { env, input });
    if (r.code !== 0) throw new Error(`git ${args[0]} failed: ${r.stderr.trim().split('\n')[0]}`);
    return r.stdout.trim();
  };
  for (let attempt = 1; ; attempt++) {
    const fetched = await runGit(paths, [
      'fetch',
      '--quiet',
      '--no-tags',
      remote,
      `+refs/heads/${branch}:refs/agent-tracking/pages`,
    ]);
    const parent = fetched.code === 0 ? await git(['rev-parse', 'refs/agent-tracking/pages']) : null;
    fs.rmSync(env.GIT_INDEX_FILE, { force: true });
    if (parent) await git(['read-tree', parent]);
    const blob = await git(['hash-object', '-w', '--stdin'], html);
    await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${folder}/index.html`]);
    const tree = await git(['write-tree']);
    const commit = await git([
      'commit-tree',
      tree,
      ...(parent ? ['-p', parent] : []),
      '-m',
      'agent-track: the dashboard',
    ]);
    const pushed = await runGit(paths, ['push', '--quiet', remote, `${commit}:refs/heads/${branch}`]);
    if (pushed.code === 0) return file;
    if (attempt >= 5)
      throw new Error(`could not push the dashboard to ${branch}: ${pushed.stderr.trim().split('\n')[0]}`);
  }
}

/**
 * The cloud tiers, after the reviews: the archive first (it prunes the branch, and the prune is
 * pushed), then the Drive backup, whose retention removes a phase only once the archive verified it.
 */
async function cloudTiers(
  paths: RepoPaths,
  remote: string,
  report: RunReport,
  timings: Timings,
): Promise<void> {
  const config = await loadConfig(paths);
  let t = Date.now();
  if (onOff('archive', 'off')) {
    const bucket = core.getInput('archive-bucket') || config.archive.bucket;
    if (!bucket)
      throw new Error("input 'archive' is on but names no bucket: set 'archive-bucket' or archive.bucket");
    const keepInput = core.getInput('archive-keep');
    const keep = keepInput ? Number(keepInput) : config.archive.keep;
    if (!Number.isInteger(keep) || keep < 0)
      throw new Error(`input 'archive-keep' is a whole number, not '${keepInput}'`);
    const { archive } = await import('../cloud/archive.js');
    const r = await archive(paths, {
      bucket,
      prefix: core.getInput('archive-prefix') || config.archive.prefix,
      keep,
      storageClass: core.getInput('archive-storage-class') || config.archive.storageClass,
      lake: core.getInput('lake') ? onOff('lake', 'off') : config.archive.lake,
      // GitHub's own name of the repository: the same repo= key as every clone's remote gives
      repo: config.archive.repo ?? process.env.GITHUB_REPOSITORY ?? null,
    });
    for (const p of r.lake?.phases ?? [])
      core.info(
        `lake: ${p.phase} ${p.outcome} (${p.uploaded} uploaded, ${p.unchanged} unchanged) -> s3://${bucket}/${p.prefix}/`,
      );
    report.archived = r.phases.map((p) => ({
      phase: p.phase,
      url: `s3://${bucket}/${p.manifestKey}`,
      bytes: p.bytes,
    }));
    if (r.phases.length) await pushBranch(paths, remote);
    // archive.compact (true when archive.bucket is set in .agent-tracking.yml): a new root, pushed with a lease
    if (config.archive.compact) {
      const { compact } = await import('../cloud/compact.js');
      const c = await compact(paths, { keep, remote });
      if (c.outcome === 'compacted')
        core.info(`compacted agent-tracking: new root ${c.root} (replaced ${c.replacedTip})`);
    }
    timings.archiveMs = Date.now() - t;
  }
  if (onOff('backup', 'off')) {
    for (const [input, name] of [
      ['drive-client-id', 'AGENT_TRACK_DRIVE_CLIENT_ID'],
      ['drive-client-secret', 'AGENT_TRACK_DRIVE_CLIENT_SECRET'],
      ['drive-refresh-token', 'AGENT_TRACK_DRIVE_REFRESH_TOKEN'],
    ]) {
      const v = core.getInput(input);
      if (!v) continue;
      core.setSecret(v);
      process.env[name] = v;
    }
    t = Date.now();
    const { backupToDrive } = await import('../cloud/drive.js');
    const b = await backupToDrive(paths, {
      sharedDriveId: core.getInput('drive-shared-drive-id') || undefined,
      folderId: core.getInput('drive-folder-id') || undefined,
    });
    report.backup = {
      folder: b.folder,
      phases: b.phases,
      uploaded: b.uploaded,
      updated: b.updated,
      unchanged: b.unchanged,
      removedPhases: b.removedPhases,
      keptUnarchived: b.keptUnarchived,
    };
    timings.backupMs = Date.now() - t;
  }
}

function onOff(name: string, otherwise = 'on'): boolean {
  const v = (core.getInput(name) || otherwise).trim().toLowerCase();
  if (['on', 'true', 'yes'].includes(v)) return true;
  if (['off', 'false', 'no'].includes(v)) return false;
  throw new Error(`input '${name}' is on or off, not '${v}'`);
}

/** What a pull request is, for matching sessions to it. */
interface PrRef {
  number: number;
  headRef: string;
  baseRef: string;
  /** Every commit of the pull request (null: GitHub did not list them). */
  commits: Set<string> | null;
}

/**
 * The sessions of a pull request: those whose HEAD was one of the PR's commits, and those recorded on
 * its head branch, unless that branch is the base or the default branch (a PR from `main` would
 * otherwise claim every session ever recorded on main). With the files their agents changed, what
 * failed, and their phases.
 */
async function prActivity(
  branch: TrackingBranch,
  pr: PrRef,
  defaultBranch: string | null,
  phases: Array<{ name: string; reviewed: boolean }>,
): Promise<PrActivity> {
  const byBranch = pr.headRef !== pr.baseRef && pr.headRef !== defaultBranch;
  const matchedBy = { commits: 0, branch: 0 };
  const sessions = (await branch.sessions()).filter((s) => {
    if (s.head && pr.commits?.has(s.head)) return ++matchedBy.commits > 0;
    if (byBranch && s.branch === pr.headRef) return ++matchedBy.branch > 0;
    return false;
  });
  const files = new Map<string, number>();
  const sessionFiles = new Map<string, number>();
  const failed = new Map<string, { tool: string; message: string; count: number; fixed: number }>();
  for (const s of sessions) {
    const mine = new Set<string>();
    // what failed, by cause (the review's: model/causes.ts), and whether a later call of the same
    // kind worked (model/retry.ts); a person's refusal, a rule's denial and a cascade are not failures
    const calls: Array<{ agent: string; kind: string; outcome: ToolOutcome; label: string; error: string }> =
      [];
    for (const raw of await branch.events(s)) {
      for (const e of canonicalEvent(raw, s.agentTypes ?? {})) {
        if (e.type === 'file_change' && typeof e.path === 'string') {
          files.set(e.path, (files.get(e.path) ?? 0) + 1);
          mine.add(e.path);
        }
        if (e.type !== 'tool_call') continue;
        const tool = String(e.tool ?? 'unknown');
        const command = (e.input as { command?: unknown } | null)?.command;
        const program = typeof command === 'string' ? programOf(command) : null;
        calls.push({
          agent: e.agent,
          kind: callKind(tool, e.input),
          outcome: toolOutcome(e),
          label: program ? `${tool} ${program}` : tool,
          error: String(e.error ?? ''),
        });
      }
    }
    for (const [i, follow] of followUps(calls)) {
      const c = calls[i];
      if (c.outcome !== 'failed') continue;
      const message = maskLine(causeLine(c.error).line);
      const key = `${c.label}\0${message}`;
      const f = failed.get(key) ?? { tool: c.label, message, count: 0, fixed: 0 };
      f.count++;
      if (follow.fixed) f.fixed++;
      failed.set(key, f);
    }
    sessionFiles.set(s.session, mine.size);
  }
  const names = new Set(sessions.map((s) => s.phase));
  return {
    headRef: pr.headRef,
    sessions,
    files,
    sessionFiles,
    failures: [...failed.values()].sort((a, b) => b.count - a.count || a.tool.localeCompare(b.tool)),
    phases: phases.filter((p) => names.has(p.name)),
    matchedBy,
    prices: branch.prices,
  };
}

type Octokit = ReturnType<typeof github.getOctokit>;

/** The pull request's commits (GitHub lists up to 250); null when it would not say. */
async function prCommits(octokit: Octokit, number: number): Promise<Set<string> | null> {
  try {
    const list = await octokit.paginate(octokit.rest.pulls.listCommits, {
      ...github.context.repo,
      pull_number: number,
      per_page: 100,
    });
    return new Set(list.map((c) => c.sha));
  } catch (e) {
    core.warning(
      `could not list the commits of pull request #${number} (${(e as { status?: number }).status ?? (e as Error).message}): sessions are matched by its branch only`,
    );
    return null;
  }
}

/** Writes (or refreshes) one pull request's comment; a refusal is a notice, never the run's failure. */
async function commentOn(
  octokit: Octokit,
  number: number,
  body: string,
  createIfMissing: boolean,
): Promise<string> {
  try {
    const r = await upsertComment(octokit, { ...github.context.repo, issue_number: number }, body, {
      createIfMissing,
    });
    core.info(`pull request #${number}: comment ${r.action}${r.id ? ` (${r.id})` : ''}`);
    return r.action;
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 403 || status === 404) {
      core.notice(
        `no comment on #${number}: the token may not write to this pull request (${status}); give the job 'pull-requests: write'`,
      );
      return `skipped (${status})`;
    }
    if (status === 422) {
      core.warning(`GitHub refused the comment on #${number} (422): ${(e as Error).message}`);
      return 'skipped (422)';
    }
    throw e;
  }
}

/** The tracking branch's repository on GitHub, for links: the checkout's own, or tracking.remote's when it is elsewhere on GitHub. */
function trackingRepoUrl(paths: RepoPaths, remote: string): string | null {
  const { context } = github;
  const here = `${context.repo.owner}/${context.repo.repo}`;
  const slug = githubRepoOf(paths, remote);
  if (slug) return `${context.serverUrl}/${slug}`;
  // the checkout's remote, whatever its URL looks like (a proxy, GitHub Enterprise): this repository
  return remote === 'origin' ? `${context.serverUrl}/${here}` : null;
}

/** Whether the checkout left its token for git (actions/checkout's extraheader). */
async function checkoutHasCredentials(paths: RepoPaths): Promise<boolean> {
  const r = await runGit(paths, ['config', '--get-regexp', '^http\\..*extraheader$']);
  return r.code === 0 && r.stdout.trim() !== '';
}

/** A git failure on fetch or push, said with what to do when the checkout kept no credentials. */
async function explainGitFailure(paths: RepoPaths, e: unknown): Promise<Error> {
  const message = e instanceof Error ? e.message : String(e);
  if (
    /could not read (Username|Password)|terminal prompts disabled|Authentication failed|HTTP Basic: Access denied|requested URL returned error: 40[13]|Permission to \S+ denied/i.test(
      message,
    ) &&
    !(await checkoutHasCredentials(paths))
  )
    return new Error(
      `${message}\nThe checkout kept no credentials (actions/checkout with \`persist-credentials: false\`?): the Action fetches and pushes the agent-tracking branch with the checkout's token. Remove \`persist-credentials: false\` from the review job's checkout step (or configure git credentials before this step).`,
    );
  return e instanceof Error ? e : new Error(message);
}

/** DuckDB, installed when not at hand; said in the log. */
async function loadDuckDB(): Promise<void> {
  const duck = await ensureDuckDB();
  core.info(`DuckDB ${duck.source}${duck.dir ? ` in ${duck.dir}` : ''} (${duck.ms} ms)`);
  // installed now: the workflow's actions/cache/save step keeps it for the next runs
  if (duck.source === 'installed') core.setOutput('duckdb-cache-key', duckDBCacheKey());
}

export async function run(): Promise<void> {
  const timings: Timings = { fetchMs: 0, installMs: 0, reviewMs: 0, commitBackMs: 0 };
  const report: RunReport = {
    phases: [],
    reviews: [],
    current: null,
    endedNow: null,
    pr: null,
    commentAction: null,
    archived: [],
    backup: null,
    refreshed: [],
    failure: null,
    notes: [],
  };
  const { context } = github;
  let links: RepoLinks = {
    repoUrl: `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}`,
    branch: TRACKING_BRANCH,
  };
  const outDir = path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'agent-tracking');
  const reportPath = path.join(outDir, 'report.md');
  let paths: RepoPaths | null = null;
  try {
    const token = core.getInput('github-token');
    const policy = (core.getInput('phase-policy') || 'manual').trim();
    policyEnds(policy, null, new Date()); // rejects an unknown policy before any work
    const comment = onOff('comment');
    const dashboard = onOff('dashboard', 'off');
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    paths = findRepo(workspace);
    if (!paths)
      throw new Error(`${workspace} is not a git repository: run actions/checkout before this Action`);
    const repoPaths = paths;
    fs.mkdirSync(outDir, { recursive: true });
    // commits the Action writes (reviews, merges) carry the Actions bot unless the workflow set an identity
    process.env.GIT_AUTHOR_NAME ||= 'github-actions[bot]';
    process.env.GIT_AUTHOR_EMAIL ||= '41898282+github-actions[bot]@users.noreply.github.com';
    const remote = (await loadConfig(paths)).tracking.remote;

    let t = Date.now();
    await pullBranch(paths, remote).catch(async (e) => {
      throw await explainGitFailure(repoPaths, e);
    });
    timings.fetchMs = Date.now() - t;
    const repoUrl = trackingRepoUrl(paths, remote);
    const octokit = token ? github.getOctokit(token) : null;
    const defaultBranch =
      (context.payload.repository as { default_branch?: string } | undefined)?.default_branch ?? null;

    if (!readRef(paths.commonDir, TRACKING_REF)) {
      core.notice(
        `${remote} has no ${TRACKING_BRANCH} branch yet: nothing to review (agent-track push creates it)`,
      );
    } else if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
      const pr = context.payload.pull_request as
        | {
            number: number;
            head: { ref: string; sha?: string; repo?: { full_name?: string } | null };
            base?: { ref?: string; sha?: string };
          }
        | undefined;
      if (!pr) throw new Error(`the ${context.eventName} event has no pull_request in its payload`);
      const fork =
        pr.head.repo?.full_name && pr.head.repo.full_name !== `${context.repo.owner}/${context.repo.repo}`;
      const commits = octokit ? await prCommits(octokit, pr.number) : null;
      const phases = await listPhases(paths);
      report.pr = await prActivity(
        await TrackingBranch.open(paths),
        { number: pr.number, headRef: pr.head.ref, baseRef: pr.base?.ref ?? '', commits },
        defaultBranch,
        phases,
      );
      // who wrote the PR's added lines (needs the PR's commits: the workflow checks out with fetch-depth 0)
      if (pr.base?.sha && pr.head.sha)
        report.pr.lineShare = await prLineShare(paths, pr.base.sha, pr.head.sha).catch(() => null);
      if (!comment) report.commentAction = null;
      else if (fork) {
        core.notice('pull request from a fork: its token is read-only, so no comment is written');
        report.commentAction = 'skipped (fork)';
      } else {
        if (!octokit) throw new Error("input 'github-token' is empty: pass ${{ secrets.GITHUB_TOKEN }}");
        links = { repoUrl, branch: readRef(paths.commonDir, TRACKING_REF) ?? TRACKING_BRANCH };
        report.commentAction = await commentOn(octokit, pr.number, renderPrComment(report.pr, links), true);
      }
    } else {
      t = Date.now();
      const phases = await listPhases(paths);
      const open = phases.find((p) => p.current && !p.reviewed);
      const due =
        phases.filter((p) => p.ended && !p.reviewed && !p.archived).length > 0 ||
        (!!open && open.sessions > 0 && policyEnds(policy, open.started, new Date()));
      if (due || onOff('archive', 'off')) {
        await loadDuckDB();
        timings.installMs = Date.now() - t;
      } else {
        report.notes!.push('No phase to review: DuckDB was not installed.');
      }
      t = Date.now();
      if (due) {
        const done = await reviewEndedPhases(paths, policy);
        report.reviews = done.reviews;
        report.endedNow = done.endedNow;
      }
      // the open phase's top errors, when DuckDB is at hand anyway (never installed for them)
      if (!report.reviews.length && (due || (await duckDBAtHand())))
        report.current = await reviewPhase(paths).catch(() => null as Review | null);
      timings.reviewMs = Date.now() - t;
      if (report.reviews.length || report.endedNow) {
        t = Date.now();
        const pushed = await pushBranch(paths, remote).catch(async (e) => {
          throw await explainGitFailure(repoPaths, e);
        });
        timings.commitBackMs = Date.now() - t;
        core.info(`reviews pushed to ${remote} (${pushed.tip.slice(0, 7)}, ${pushed.attempts} attempt(s))`);
      }
      await cloudTiers(paths, remote, report, timings);
      // the branch moved (a push told us, or the reviews did): the open pull requests' comments follow
      if (comment && octokit) await refreshComments(paths, octokit, report, repoUrl, defaultBranch);
    }
    if (readRef(paths.commonDir, TRACKING_REF)) report.phases = await listPhases(paths);
    if (dashboard && readRef(paths.commonDir, TRACKING_REF)) {
      t = Date.now();
      await loadDuckDB(); // a pull-request run, or one with nothing to review, has not loaded it
      const file = await publishDashboard(paths, outDir, remote);
      core.setOutput('dashboard-path', file);
      report.dashboard = file;
      timings.dashboardMs = Date.now() - t;
    }
    links = { repoUrl, branch: readRef(paths.commonDir, TRACKING_REF) ?? TRACKING_BRANCH };
  } catch (e) {
    report.failure = e instanceof Error ? e.message : String(e);
    core.setFailed(report.failure);
  }
  // every run ends with its summary, a failed one too
  try {
    fs.mkdirSync(outDir, { recursive: true });
    const markdown = renderSummary(report, links);
    fs.writeFileSync(reportPath, markdown);
    fs.writeFileSync(
      path.join(outDir, 'report.json'),
      `${JSON.stringify({ ...report, pr: report.pr && { ...report.pr, files: Object.fromEntries(report.pr.files), sessionFiles: report.pr.sessionFiles && Object.fromEntries(report.pr.sessionFiles) }, timings }, null, 2)}\n`,
    );
    await core.summary.addRaw(markdown).write();
    core.setOutput('reviewed-phases', report.reviews.map((r) => r.phase).join(','));
    core.setOutput('report-path', reportPath);
  } catch (e) {
    core.setFailed(`could not write the job summary: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * On a run that is not a pull request's (a push told us the branch moved, a schedule, by hand): the
 * comments of the open pull requests are brought up to date. One is created only for a pull
 * request that has sessions; an existing one is refreshed either way.
 */
async function refreshComments(
  paths: RepoPaths,
  octokit: Octokit,
  report: RunReport,
  repoUrl: string | null,
  defaultBranch: string | null,
): Promise<void> {
  let open: Array<{
    number: number;
    head: { ref: string; repo: { full_name: string } | null };
    base: { ref: string };
  }>;
  try {
    open = await octokit.paginate(octokit.rest.pulls.list, {
      ...github.context.repo,
      state: 'open',
      sort: 'updated',
      direction: 'desc',
      per_page: 50,
    });
  } catch (e) {
    const status = (e as { status?: number }).status;
    report.notes!.push(
      `The open pull requests' comments were not refreshed: GitHub answered ${status ?? (e as Error).message} (the review job needs 'pull-requests: write').`,
    );
    return;
  }
  const here = `${github.context.repo.owner}/${github.context.repo.repo}`;
  const branch = await TrackingBranch.open(paths);
  const phases = await listPhases(paths);
  const links: RepoLinks = { repoUrl, branch: readRef(paths.commonDir, TRACKING_REF) ?? TRACKING_BRANCH };
  for (const pr of open.slice(0, 50)) {
    if (pr.head.repo?.full_name && pr.head.repo.full_name !== here) continue; // a fork's: never commented
    const activity = await prActivity(
      branch,
      {
        number: pr.number,
        headRef: pr.head.ref,
        baseRef: pr.base.ref,
        commits: await prCommits(octokit, pr.number),
      },
      defaultBranch,
      phases,
    );
    const action = await commentOn(
      octokit,
      pr.number,
      renderPrComment(activity, links),
      activity.sessions.length > 0,
    );
    if (action !== 'none')
      report.refreshed!.push({ number: pr.number, sessions: activity.sessions.length, action });
  }
}
