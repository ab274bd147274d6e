/**
 * The Action's run (the typescript-action template's shape): read the inputs, fetch the tracking
 * branch, then on a pull request keep its one comment; otherwise end phases by the policy, review
 * every ended phase without a review and commit the reviews back (fetch, merge, retry, like `push`);
 * write the job summary and the outputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { listPhases, policyEnds, reviewEndedPhases, reviewPhase } from '../analytics/phases.js';
import type { Review } from '../analytics/review.js';
import { prLineShare } from '../attribution/pr-share.js';
import { loadConfig } from '../store/config.js';
import { findRepo, type RepoPaths, readRef, TRACKING_BRANCH, TRACKING_REF } from '../store/paths.js';
import { TrackingBranch } from '../store/reader.js';
import { pullBranch, pushBranch, runGit } from '../store/sync.js';
import { upsertComment } from './comment.js';
import { ensureDuckDB } from './duckdb-install.js';
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
    });
    report.archived = r.phases.map((p) => ({
      phase: p.phase,
      url: `s3://${bucket}/${p.manifestKey}`,
      bytes: p.bytes,
    }));
    if (r.phases.length) await pushBranch(paths, remote);
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

/** The sessions recorded on the pull request's head branch, and the files their agents changed. */
async function prActivity(branch: TrackingBranch, headRef: string): Promise<PrActivity> {
  const sessions = (await branch.sessions()).filter((s) => s.branch === headRef);
  const files = new Map<string, number>();
  for (const s of sessions)
    for (const e of await branch.events(s))
      if (e.type === 'file_change' && typeof e.path === 'string')
        files.set(e.path, (files.get(e.path) ?? 0) + 1);
  return { headRef, sessions, files, prices: branch.prices };
}

export async function run(): Promise<void> {
  const timings: Timings = { fetchMs: 0, installMs: 0, reviewMs: 0, commitBackMs: 0 };
  try {
    const token = core.getInput('github-token');
    const policy = (core.getInput('phase-policy') || 'manual').trim();
    policyEnds(policy, null, new Date()); // rejects an unknown policy before any work
    const comment = onOff('comment');
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const paths = findRepo(workspace);
    if (!paths)
      throw new Error(`${workspace} is not a git repository: run actions/checkout before this Action`);
    // commits the Action writes (reviews, merges) carry the Actions bot unless the workflow set an identity
    process.env.GIT_AUTHOR_NAME ||= 'github-actions[bot]';
    process.env.GIT_AUTHOR_EMAIL ||= '41898282+github-actions[bot]@users.noreply.github.com';
    const remote = (await loadConfig(paths)).tracking.remote;

    let t = Date.now();
    await pullBranch(paths, remote);
    timings.fetchMs = Date.now() - t;
    const { context } = github;
    const links: RepoLinks = {
      repoUrl: `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}`,
      branch: TRACKING_BRANCH,
    };
    const report: RunReport = {
      phases: [],
      reviews: [],
      current: null,
      endedNow: null,
      pr: null,
      commentAction: null,
      archived: [],
      backup: null,
    };
    const outDir = path.join(process.env.RUNNER_TEMP || paths.trackingDir, 'agent-tracking');
    fs.mkdirSync(outDir, { recursive: true });
    const reportPath = path.join(outDir, 'report.md');

    if (!readRef(paths.commonDir, TRACKING_REF)) {
      core.notice(
        `${remote} has no ${TRACKING_BRANCH} branch yet: nothing to review (agent-track push creates it)`,
      );
    } else if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
      const pr = context.payload.pull_request as
        | {
            number: number;
            head: { ref: string; sha?: string; repo?: { full_name?: string } | null };
            base?: { sha?: string };
          }
        | undefined;
      if (!pr) throw new Error(`the ${context.eventName} event has no pull_request in its payload`);
      report.pr = await prActivity(await TrackingBranch.open(paths), pr.head.ref);
      if (pr.base?.sha && pr.head.sha)
        report.pr.lineShare = await prLineShare(paths, pr.base.sha, pr.head.sha).catch(() => null);
      const fork =
        pr.head.repo?.full_name && pr.head.repo.full_name !== `${context.repo.owner}/${context.repo.repo}`;
      if (!comment) report.commentAction = null;
      else if (fork) {
        core.notice('pull request from a fork: its token is read-only, so no comment is written');
        report.commentAction = 'skipped (fork)';
      } else {
        if (!token) throw new Error("input 'github-token' is empty: pass ${{ secrets.GITHUB_TOKEN }}");
        try {
          const r = await upsertComment(
            github.getOctokit(token),
            { ...context.repo, issue_number: pr.number },
            renderPrComment(report.pr, links),
          );
          report.commentAction = r.action;
          core.info(`pull request comment ${r.action} (${r.id})`);
        } catch (e) {
          const status = (e as { status?: number }).status;
          if (status !== 403 && status !== 404) throw e;
          core.notice(
            `no comment: the token may not write to this pull request (${status}); give the job 'pull-requests: write'`,
          );
          report.commentAction = `skipped (${status})`;
        }
      }
    } else {
      t = Date.now();
      const duck = await ensureDuckDB();
      timings.installMs = Date.now() - t;
      core.info(`DuckDB ${duck.source}${duck.dir ? ` in ${duck.dir}` : ''} (${duck.ms} ms)`);
      t = Date.now();
      const done = await reviewEndedPhases(paths, policy);
      report.reviews = done.reviews;
      report.endedNow = done.endedNow;
      if (!done.reviews.length) report.current = await reviewPhase(paths).catch(() => null as Review | null);
      timings.reviewMs = Date.now() - t;
      if (done.reviews.length || done.endedNow) {
        t = Date.now();
        const pushed = await pushBranch(paths, remote);
        timings.commitBackMs = Date.now() - t;
        core.info(`reviews pushed to ${remote} (${pushed.tip.slice(0, 7)}, ${pushed.attempts} attempt(s))`);
      }
      await cloudTiers(paths, remote, report, timings);
    }
    if (readRef(paths.commonDir, TRACKING_REF)) report.phases = await listPhases(paths);
    if (onOff('dashboard', 'off') && readRef(paths.commonDir, TRACKING_REF)) {
      t = Date.now();
      const file = await publishDashboard(paths, outDir, remote);
      core.setOutput('dashboard-path', file);
      report.dashboard = file;
      timings.dashboardMs = Date.now() - t;
    }
    const markdown = renderSummary(report, links);
    fs.writeFileSync(reportPath, markdown);
    fs.writeFileSync(
      path.join(outDir, 'report.json'),
      `${JSON.stringify({ ...report, pr: report.pr && { ...report.pr, files: Object.fromEntries(report.pr.files) }, timings }, null, 2)}\n`,
    );
    await core.summary.addRaw(markdown).write();
    core.setOutput('reviewed-phases', report.reviews.map((r) => r.phase).join(','));
    core.setOutput('report-path', reportPath);
  } catch (e) {
    core.setFailed(e instanceof Error ? e.message : String(e));
  }
}
