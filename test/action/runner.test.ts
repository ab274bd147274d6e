/**
 * The Action in a faithful simulation of a GitHub runner: a bare repository behind a local git
 * server that demands the checkout's token (git http-backend), a checkout made as actions/checkout@v5
 * makes it (depth 1, the token in an extraheader, or none with persist-credentials: false), the
 * Action folder as GitHub downloads it (action.yml and dist/, no node_modules), a cold tool cache,
 * the runner's variables, and a REST stand-in answering three kinds of token. Every run ends with a
 * job summary; the Markdown is checked as GitHub shows it (its tag filtering included).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  cleanupTmp,
  git,
  makeRepo,
  ROOT,
  recordSprint,
  SPRINT_SESSION,
  tmpDir,
  track,
  trackAsync,
} from '../lib/cli.js';
import {
  APP_BOT,
  BOT,
  type FakeGitHub,
  GITHUB_COMMENT_LIMIT,
  identity,
  PAT_USER,
  startFakeGitHub,
} from '../lib/fake-github.js';
import { brokenTableRows, githubDrops, readerSees } from '../lib/gfm.js';
import { type GitServer, startGitServer } from '../lib/git-server.js';

const MARKER = '<!-- agent-tracking:pr-summary -->';
const CHECKOUT_TOKEN = 'ghs_checkout_token_for_git';
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

let gh: FakeGitHub;
let server: GitServer;
let root: string;
/** The Action as the runner downloads it: action.yml and dist/, without node_modules. */
let actionDir: string;
/** The runner's tool cache, kept between the runs of this file (a self-hosted runner's). */
let toolCache: string;

beforeAll(async () => {
  gh = await startFakeGitHub();
  root = tmpDir('at-git-root-');
  server = await startGitServer(root, CHECKOUT_TOKEN);
  actionDir = path.join(tmpDir('at-actions-'), '_actions', 'subagent-tracking', 'subagent-tracking', 'v1');
  fs.mkdirSync(path.join(actionDir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'action.yml'), path.join(actionDir, 'action.yml'));
  fs.copyFileSync(path.join(ROOT, 'dist', 'action.js'), path.join(actionDir, 'dist', 'action.js'));
  toolCache = path.join(tmpDir('at-toolcache-'), 'hostedtoolcache');
});
afterAll(async () => {
  await gh.close();
  await server.close();
  await cleanupTmp();
});

/** The CLI without blocking this process (the stand-ins answer from it). */
const jsonAsync = async (repo: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = await trackAsync(repo, [...args, '--json'], undefined, env);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};
const json = (repo: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = track(repo, [...args, '--json'], undefined, env);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

/** A developer's clone pushing to `acme/<name>` on the git server's disk; the sprint recorded on feature-x. */
function teamRepo(name: string): { bare: string; dev: string } {
  const dev = makeRepo();
  const bare = path.join(root, 'acme', `${name}.git`);
  fs.mkdirSync(path.dirname(bare), { recursive: true });
  git(root, ['init', '-q', '--bare', '-b', 'main', bare]);
  git(dev, ['remote', 'add', 'origin', bare]);
  git(dev, ['push', '-q', 'origin', 'main']);
  git(dev, ['checkout', '-q', '-b', 'feature-x']);
  expect(track(dev, ['init', '--yes']).status).toBe(0);
  recordSprint(dev);
  expect(json(dev, ['push']).outcome).toBe('pushed');
  return { bare, dev };
}

/** What actions/checkout@v5 leaves: a depth-1 fetch of one branch, its token in an extraheader (unless persist-credentials: false). */
function checkout(name: string, opts: { branch?: string; persist?: boolean } = {}): string {
  const branch = opts.branch ?? 'main';
  const ws = path.join(tmpDir('at-ws-'), 'work', name, name);
  fs.mkdirSync(ws, { recursive: true });
  const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${CHECKOUT_TOKEN}`).toString('base64')}`;
  const key = `http.${server.url}/.extraheader`;
  git(ws, ['init', '-q']);
  git(ws, ['remote', 'add', 'origin', `${server.url}/acme/${name}.git`]);
  git(ws, ['config', '--local', 'gc.auto', '0']);
  const auth = opts.persist === false ? ['-c', `${key}=${header}`] : [];
  if (opts.persist !== false) git(ws, ['config', '--local', key, header]);
  git(ws, [
    ...auth,
    '-c',
    'protocol.version=2',
    'fetch',
    '-q',
    '--no-tags',
    '--prune',
    '--no-recurse-submodules',
    '--depth=1',
    'origin',
    `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
  ]);
  git(ws, ['checkout', '-q', '--force', '-B', branch, `refs/remotes/origin/${branch}`]);
  return ws;
}

interface ActionRun {
  status: number | null;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
  ms: number;
}

/** Runs the downloaded Action as the runner does: `node <action>/dist/action.js`, INPUT_* and the runner's variables. */
function runAction(
  ws: string,
  repo: string,
  event: { name: string; payload: unknown },
  opts: { token?: string; inputs?: Record<string, string>; env?: NodeJS.ProcessEnv } = {},
): Promise<ActionRun> {
  const runner = tmpDir('at-runner-');
  const files = {
    event: path.join(runner, 'event.json'),
    summary: path.join(runner, 'step_summary'),
    output: path.join(runner, 'output'),
  };
  fs.writeFileSync(files.event, JSON.stringify(event.payload));
  fs.writeFileSync(files.summary, '');
  fs.writeFileSync(files.output, '');
  const machine = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_|GH_|AGENT_TRACK_)/.test(k) && k !== 'CI',
    ),
  );
  const env: NodeJS.ProcessEnv = {
    ...machine,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__subagent-tracking_subagent-tracking',
    GITHUB_ACTION_PATH: actionDir,
    GITHUB_ACTOR: 'dev',
    GITHUB_WORKSPACE: ws,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: `acme/${repo}`,
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: git(ws, ['rev-parse', 'HEAD']).trim(),
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: gh.url,
    GITHUB_GRAPHQL_URL: `${gh.url}/graphql`,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: runner,
    RUNNER_TOOL_CACHE: toolCache,
    'INPUT_GITHUB-TOKEN': opts.token ?? 'ghs_actions_workflow_token',
    'INPUT_PHASE-POLICY': 'manual',
    INPUT_COMMENT: 'on',
    INPUT_DASHBOARD: 'off',
    ...Object.fromEntries(Object.entries(opts.inputs ?? {}).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...opts.env,
  };
  const started = Date.now();
  return new Promise<ActionRun>((resolve) => {
    // the runner's Node: action.yml says node24; AGENT_TRACK_TEST_ACTION_NODE runs it on another binary
    const node = process.env.AGENT_TRACK_TEST_ACTION_NODE || process.execPath;
    const child = spawn(node, [path.join(actionDir, 'dist', 'action.js')], { cwd: ws, env });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    child.on('close', (status) => {
      const outputs: Record<string, string> = {};
      for (const m of fs.readFileSync(files.output, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
        outputs[m[1]] = m[3];
      resolve({
        status,
        stdout,
        summary: fs.readFileSync(files.summary, 'utf8'),
        outputs,
        ms: Date.now() - started,
      });
    });
  }).then((run) => {
    // every run ends with its job summary, a failed one too, and outputs its report
    expect(run.summary.startsWith('## Agent tracking\n')).toBe(true);
    expect(fs.readFileSync(run.outputs['report-path'], 'utf8')).toBe(run.summary);
    return run;
  });
}

const repository = (name: string) => ({
  full_name: `acme/${name}`,
  name,
  owner: { login: 'acme' },
  default_branch: 'main',
});
const prEvent = (name: string, number: number, head: string, base = 'main', fork = false) => ({
  name: 'pull_request',
  payload: {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      head: { ref: head, repo: { full_name: fork ? `someone/${name}` : `acme/${name}` } },
      base: { ref: base, repo: { full_name: `acme/${name}` } },
    },
    repository: repository(name),
  },
});
const ours = (n: number) => (gh.comments.get(n) ?? []).filter((c) => c.body.startsWith(MARKER));

/** The checks every run's Markdown passes: nothing GitHub would drop, tables intact. */
function githubSafe(md: string): void {
  expect(githubDrops(md)).toEqual([]);
  expect(brokenTableRows(md)).toEqual([]);
}

/** A fresh session started through the real hook (SessionStart records the branch and HEAD). */
function startSession(repo: string, id: string): void {
  const payload = JSON.stringify({
    session_id: id,
    cwd: repo,
    hook_event_name: 'SessionStart',
    source: 'startup',
    transcript_path: '/dev/null',
  });
  expect(track(repo, ['hook'], payload, { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
}

describe('a phase ended on a developer machine is reviewed without waiting for the cron', () => {
  test('push sends the repository_dispatch the written workflow listens to; that run reviews through the token-guarded server and refreshes the open pull request’s comment', async () => {
    const { bare, dev } = teamRepo('dispatch');
    gh.pulls = [
      {
        number: 11,
        head: { ref: 'feature-x', repo: { full_name: 'acme/dispatch' } },
        base: { ref: 'main' },
        commits: [],
      },
    ];
    expect(json(dev, ['phase', 'end', '--no-review']).ended).toBe('phase-1');
    // commit titles say what they hold
    expect(git(dev, ['log', '-1', '--format=%s', 'agent-tracking']).trim()).toBe(
      'agent-track: phase phase-1 ended (review left to the Action), phase phase-2 started',
    );
    const pushed = await jsonAsync(dev, ['push'], {
      GH_TOKEN: 'ghp_developer',
      AGENT_TRACK_GITHUB_REPOSITORY: 'acme/dispatch',
      AGENT_TRACK_GITHUB_API_URL: gh.url,
    });
    expect(pushed.outcome).toBe('pushed');
    expect(pushed.dispatch).toEqual({ sent: true, repo: 'acme/dispatch', reason: null });
    const sent = gh.dispatches.at(-1)!;
    expect(sent).toMatchObject({
      repo: 'acme/dispatch',
      client_payload: { tip: pushed.tip },
      token: 'ghp_developer',
    });

    // the workflow GitHub reads for a repository_dispatch: the default branch's, the one init wrote
    const wf = parse(fs.readFileSync(path.join(dev, '.github', 'workflows', 'agent-tracking.yml'), 'utf8'));
    expect(wf.on.repository_dispatch.types).toContain(sent.event_type);
    // no trigger that cannot fire: the pushed orphan branch has no .github/ for GitHub to read
    expect(wf.on.push).toBeUndefined();
    expect(git(bare, ['ls-tree', '--name-only', 'agent-tracking'])).not.toContain('.github');
    const admits = (cond: string, event: string) =>
      // the only expressions the template uses: github.event_name == / != '<name>'
      cond.split('&&').every((c) => {
        const m = /github\.event_name\s*(==|!=)\s*'([\w-]+)'/.exec(c)!;
        return (m[1] === '==') === (m[2] === event);
      });
    const jobs = Object.values(wf.jobs).filter((j: any) => admits(j.if, 'repository_dispatch')) as any[];
    expect(jobs).toHaveLength(1);
    expect(jobs[0].permissions.contents).toBe('write');
    const step = jobs[0].steps.find((s: any) => String(s.uses).includes('subagent-tracking'));
    const slug = /github\.com\/([\w.-]+\/[\w.-]+?)(\.git)?$/.exec(pkg.repository.url)![1];
    expect(step.uses).toBe(`${slug}@v${pkg.version.split('.')[0]}`);
    expect(jobs[0].steps.some((s: any) => s.with?.['persist-credentials'] === false)).toBe(false);

    // the run GitHub starts for it
    const ws = checkout('dispatch');
    server.requests.length = 0;
    const run = await runAction(ws, 'dispatch', {
      name: 'repository_dispatch',
      payload: {
        action: sent.event_type,
        client_payload: sent.client_payload,
        repository: repository('dispatch'),
      },
    });
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/DuckDB installed in /);
    // the workflow keeps it between runs: restored by prefix, saved under the key this run gave
    const duckdbKey = run.outputs['duckdb-cache-key'];
    expect(duckdbKey).toMatch(/^agent-track-duckdb-Linux-X64-\S+$/);
    const [restore, , save] = jobs[0].steps.slice(
      jobs[0].steps.findIndex((s: any) => s.uses === 'actions/cache/restore@v4'),
    );
    const runnerVars = (v: string) =>
      v.replace('${{ runner.os }}', 'Linux').replace('${{ runner.arch }}', 'X64');
    expect(duckdbKey.startsWith(runnerVars(restore.with['restore-keys']))).toBe(true);
    expect(runnerVars(restore.with.path)).toBe('${{ runner.tool_cache }}/agent-track-duckdb');
    expect(fs.existsSync(path.join(toolCache, 'agent-track-duckdb'))).toBe(true);
    expect(save.uses).toBe('actions/cache/save@v4');
    expect(save.with).toEqual({
      path: restore.with.path,
      key: `\${{ steps.${step.id}.outputs.duckdb-cache-key }}`,
    });
    expect(save.if).toBe(`steps.${step.id}.outputs.duckdb-cache-key != ''`);
    expect(run.outputs['reviewed-phases']).toBe('phase-1');
    // through the server that wants the token, with it
    expect(server.requests.some((r) => r.path.endsWith('/git-receive-pack'))).toBe(true);
    expect(server.requests.every((r) => r.authorized)).toBe(true);
    const review = JSON.parse(git(bare, ['show', 'agent-tracking:phases/phase-1/review.json']));
    expect(review.costUsd).toBe(0.068763);
    expect(git(bare, ['log', '-1', '--format=%s', 'agent-tracking']).trim()).toBe(
      'agent-track: review of phase phase-1 (1 session)',
    );
    // the comment followed the branch: it links the review, by commit
    const tip = git(bare, ['rev-parse', 'agent-tracking']).trim();
    expect(ours(11)).toHaveLength(1);
    const body = ours(11)[0].body;
    expect(body).toContain(
      `Review of [phase phase-1](https://github.com/acme/dispatch/blob/${tip}/phases/phase-1/review.md)`,
    );
    expect(body).toContain('**What failed**');
    // by cause (the review's), not by the shell's exit-code line, with whether the next try worked
    expect(body).toContain('| tool | error | times | then worked |');
    expect(body).not.toMatch(/`Exit code \d+`/);
    expect(run.summary).toContain('Pull request comments: #11 created (1 session).');
    expect(run.summary).toContain('Reviewed in this run: **phase-1**');
    for (const md of [body, run.summary]) githubSafe(md);
    // review.md as GitHub shows it: the error patterns whole, placeholders included
    const reviewMd = git(bare, ['show', 'agent-tracking:phases/phase-1/review.md']);
    githubSafe(reviewMd);
    expect(review.errors.length).toBeGreaterThan(0);
    for (const e of review.errors)
      expect(readerSees(reviewMd)).toContain(e.pattern.slice(0, 120).replace(/\n/g, ' '));
    // the masks ({n}, {path}) read as written
    expect(review.errors.some((e: any) => /\{\w+\}/.test(e.pattern))).toBe(true);

    // without a token nothing is sent, and push says why
    fs.appendFileSync(path.join(dev, 'notes.txt'), 'more\n');
    startSession(dev, 'after-review');
    const quiet = await jsonAsync(dev, ['push'], {
      AGENT_TRACK_GITHUB_REPOSITORY: 'acme/dispatch',
      AGENT_TRACK_NO_GH: '1',
    });
    expect(quiet.dispatch.sent).toBe(false);
    expect(quiet.dispatch.reason).toMatch(/no GitHub token/);
  }, 300_000);
});

describe('DuckDB and the registry', () => {
  let closed: number;
  let silent: http.Server;
  let silentUrl: string;
  beforeAll(async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    closed = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    // a registry that takes the connection and never answers
    silent = http.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });
  const cold = () => ({
    RUNNER_TOOL_CACHE: path.join(tmpDir('at-cold-'), 'cache'),
    npm_config_cache: path.join(tmpDir('at-npm-cache-'), 'npm'),
  });

  test('nothing to review: DuckDB is not installed (even with a registry that refuses), the summary says so', async () => {
    teamRepo('idle');
    const run = await runAction(
      checkout('idle'),
      'idle',
      { name: 'schedule', payload: { schedule: '23 4 * * *' } },
      {
        env: { ...cold(), npm_config_registry: `http://127.0.0.1:${closed}/` },
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/DuckDB (installed|cache)/);
    expect(run.summary).toContain('No phase to review: DuckDB was not installed.');
    githubSafe(run.summary);
  }, 120_000);

  test('a registry that refuses: the run fails fast with the cause, and still writes its summary', async () => {
    const { dev } = teamRepo('refused');
    json(dev, ['phase', 'end', '--no-review']);
    json(dev, ['push']);
    const run = await runAction(
      checkout('refused'),
      'refused',
      { name: 'schedule', payload: {} },
      {
        env: { ...cold(), npm_config_registry: `http://127.0.0.1:${closed}/` },
      },
    );
    expect(run.status).toBe(1);
    expect(run.ms).toBeLessThan(60_000);
    const error = /::error::(.*)/.exec(run.stdout)?.[1] ?? '';
    expect(error).toMatch(
      /could not install @duckdb\/node-api@\S+ .* with npm from http:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED/,
    );
    expect(run.summary.startsWith('## Agent tracking')).toBe(true);
    expect(run.summary).toMatch(/This run failed: could not install .*ECONNREFUSED/);
    githubSafe(run.summary);
  }, 120_000);

  test('a registry that never answers: given up on within the bound, with the reason', async () => {
    const run = await runAction(
      checkout('refused'),
      'refused',
      { name: 'schedule', payload: {} },
      {
        env: { ...cold(), npm_config_registry: silentUrl, AGENT_TRACK_NPM_TIMEOUT_MS: '20000' },
      },
    );
    expect(run.status).toBe(1);
    expect(run.ms).toBeLessThan(45_000);
    const error = /::error::(.*)/.exec(run.stdout)?.[1] ?? '';
    expect(error).toMatch(
      /could not install @duckdb\/node-api@\S+ .* with npm from http:\/\/127\.0\.0\.1:\d+\/: \S/,
    );
    expect(error).toMatch(/did not finish in 20 s|ETIMEDOUT|ESOCKETTIMEDOUT|ERR_SOCKET_TIMEOUT|timed? ?out/i);
    expect(run.summary).toMatch(/This run failed: could not install/);
  }, 120_000);
});

describe('errors that say what to do', () => {
  test('a push rule that rejects the reviews: said at once with the rule’s message, not retried as a race', async () => {
    const { bare, dev } = teamRepo('ruled');
    json(dev, ['phase', 'end', '--no-review']);
    json(dev, ['push']);
    const hook = path.join(bare, 'hooks', 'pre-receive');
    fs.writeFileSync(
      hook,
      '#!/bin/sh\nwhile read old new ref; do\n  if [ "$ref" = refs/heads/agent-tracking ]; then\n    echo "error: GH013: Repository rule violations found for refs/heads/agent-tracking." >&2\n    echo "- Cannot update this protected ref." >&2\n    exit 1\n  fi\ndone\n',
    );
    fs.chmodSync(hook, 0o755);
    const run = await runAction(checkout('ruled'), 'ruled', { name: 'workflow_dispatch', payload: {} });
    expect(run.status).toBe(1);
    const error = /::error::(.*)/.exec(run.stdout)?.[1] ?? '';
    expect(error).toContain('refused the push of agent-tracking by a rule');
    expect(error).toContain('GH013: Repository rule violations found for refs/heads/agent-tracking.');
    expect(error).toContain('Cannot update this protected ref.');
    expect(error).not.toMatch(/kept moving/);
    // DuckDB came from the tool cache: nothing new to save
    expect(run.stdout).toMatch(/DuckDB cache in /);
    expect(run.outputs['duckdb-cache-key']).toBeUndefined();
    expect(run.summary).toContain('This run failed:');
    expect(run.summary).toContain('GH013');
    githubSafe(run.summary);
    // the developer's push too: one attempt, the rule's words
    startSession(dev, 'blocked');
    const r = track(dev, ['push']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('refused the push of agent-tracking by a rule');
    expect(r.stderr).toContain('Cannot update this protected ref.');
  }, 300_000);

  test('persist-credentials: false on the checkout: the run says so', async () => {
    const { dev } = teamRepo('nocreds');
    json(dev, ['phase', 'end', '--no-review']);
    json(dev, ['push']);
    const run = await runAction(checkout('nocreds', { persist: false }), 'nocreds', {
      name: 'schedule',
      payload: {},
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/::error::.*persist-credentials: false/);
    expect(run.summary).toMatch(/This run failed: .*persist-credentials: false/);
  }, 120_000);
});

describe('the pull request comment', () => {
  test('three kinds of token (the workflow’s, a GitHub App’s, a personal one): one comment each, however many runs', async () => {
    const { dev } = teamRepo('tokens');
    const kinds = [
      { number: 21, token: 'ghs_actions_workflow_token', author: BOT },
      { number: 22, token: 'ghs_app_installation_token', author: APP_BOT },
      { number: 23, token: 'ghp_personal_token', author: PAT_USER },
    ];
    gh.pulls = kinds.map((k) => ({
      number: k.number,
      head: { ref: 'feature-x', repo: { full_name: 'acme/tokens' } },
      base: { ref: 'main' },
      commits: [],
    }));
    // on #22 the workflow's bot left its own comment earlier: the App keeps to its own
    gh.comments.set(22, [{ id: 90, body: `${MARKER}\nold`, user: BOT }]);
    for (let round = 0; round < 3; round++) {
      if (round === 2) {
        startSession(dev, 'late-session');
        json(dev, ['push']);
      }
      for (const k of kinds) {
        const run = await runAction(checkout('tokens'), 'tokens', prEvent('tokens', k.number, 'feature-x'), {
          token: k.token,
        });
        expect(run.status).toBe(0);
        expect(run.summary).toContain('### Pull request branch');
      }
    }
    for (const k of kinds) {
      const mine = ours(k.number).filter((c) => c.user.login === k.author.login);
      expect(mine).toHaveLength(1);
      expect(identity(k.token)).toEqual(k.author);
      expect(mine[0].body).toContain('2 sessions ·');
    }
    expect(ours(21)).toHaveLength(1);
    expect(ours(22)).toHaveLength(2); // the old bot's and the App's
  }, 300_000);

  test('400 sessions on one branch: the comment fits GitHub’s limit, newest first, "and N more" with a link; still one comment', async () => {
    const { dev } = teamRepo('large');
    // 400 past sessions imported from transcripts on the PR's branch (one process for all)
    const dir = tmpDir('at-transcripts-');
    for (let i = 0; i < 400; i++) {
      const id = `${String(i).padStart(4, '0')}aaaa-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const ts = new Date(Date.UTC(2026, 10, 1, 8, 0, 0) + i * 60_000).toISOString();
      const common = {
        sessionId: id,
        cwd: dev,
        gitBranch: 'feature-x',
        version: '2.1.197',
        userType: 'external',
      };
      const lines = [
        {
          ...common,
          type: 'user',
          uuid: `u-${i}`,
          parentUuid: null,
          timestamp: ts,
          message: { role: 'user', content: `task ${i}` },
        },
        {
          ...common,
          type: 'assistant',
          uuid: `a-${i}`,
          parentUuid: `u-${i}`,
          timestamp: ts,
          requestId: `req_${i}`,
          message: {
            id: `msg_${i}`,
            role: 'assistant',
            model: 'claude-sonnet-4-5-20250929',
            content: [{ type: 'text', text: 'done' }],
            usage: {
              input_tokens: 10,
              output_tokens: 5,
              cache_read_input_tokens: 0,
              cache_creation_input_tokens: 0,
            },
          },
        },
      ];
      fs.writeFileSync(path.join(dir, `${id}.jsonl`), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    }
    const imported = json(dev, ['import', dir]);
    expect(imported.sessions ?? imported.imported ?? 400).toBeGreaterThanOrEqual(400);
    json(dev, ['push']);
    gh.pulls = [
      {
        number: 31,
        head: { ref: 'feature-x', repo: { full_name: 'acme/large' } },
        base: { ref: 'main' },
        commits: [],
      },
    ];
    for (let i = 0; i < 2; i++) {
      const run = await runAction(checkout('large'), 'large', prEvent('large', 31, 'feature-x'));
      expect(run.stdout).not.toMatch(/::(error|warning)::/);
      expect(run.status).toBe(0);
    }
    expect(ours(31)).toHaveLength(1);
    const body = ours(31)[0].body;
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body).toMatch(/^401 sessions · /m);
    const rows = body.split('\n').filter((l) => /^\| \[[0-9a-f]{8}\]\(/.test(l));
    const more = Number(
      /and ([\d,]+) more sessions \(older\), on \[the agent-tracking branch\]\(https:\/\/github\.com\/acme\/large\/tree\/[0-9a-f]{40}\/phases\)/
        .exec(body)?.[1]
        .replace(/,/g, ''),
    );
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.length + more).toBe(401);
    // newest first: the last imported session leads, the sprint (2026-11-25) is newer still
    const started = rows.map((r) => r.split('|')[2].trim());
    expect([...started].sort().reverse()).toEqual(started);
    expect(rows[0]).toContain(SPRINT_SESSION.slice(0, 8));
    expect(rows[1]).toContain('0399aaaa');
    githubSafe(body);
    expect(readerSees(body)).toContain('and');
  }, 300_000);

  test('a pull request from main claims the sessions whose HEAD is among its commits, not every session of main', async () => {
    const { dev } = teamRepo('frommain');
    git(dev, ['checkout', '-q', 'main']);
    startSession(dev, 'on-main-before');
    const commits: string[] = [];
    for (const f of ['a', 'b']) {
      fs.writeFileSync(path.join(dev, `${f}.txt`), `${f}\n`);
      git(dev, ['add', `${f}.txt`]);
      git(dev, ['commit', '-q', '-m', f]);
      commits.push(git(dev, ['rev-parse', 'HEAD']).trim());
      startSession(dev, `on-main-at-${f}`);
    }
    json(dev, ['push']);
    git(dev, ['push', '-q', 'origin', 'main']);
    gh.pulls = [
      {
        number: 41,
        head: { ref: 'main', repo: { full_name: 'acme/frommain' } },
        base: { ref: 'release' },
        commits,
      },
    ];
    const run = await runAction(checkout('frommain'), 'frommain', prEvent('frommain', 41, 'main', 'release'));
    expect(run.status).toBe(0);
    const body = ours(41)[0].body;
    expect(body).toMatch(/^2 sessions · /m);
    expect(body).not.toContain(SPRINT_SESSION.slice(0, 8));
    expect(body).not.toContain('on-main-before');
    // the two it claims are the ones started at the PR's commits (by their folders)
    const links = [...body.matchAll(/sessions\/[\d-]+-(on-main-[\w.-]+)\)/g)].map((m) => m[1]).sort();
    expect(links).toEqual(['on-main-at-a', 'on-main-at-b']);
  }, 180_000);

  test('a separate tracking remote on GitHub: links point at its repository, at a commit that holds them; dashboard on a PR run', async () => {
    // the developer's and the runner's git reach "github.com" through the local servers (insteadOf)
    const dev = makeRepo();
    git(dev, ['config', `url.${root}/.insteadOf`, 'https://github.com/']);
    for (const name of ['split', 'split-history'])
      git(root, ['init', '-q', '--bare', '-b', 'main', path.join(root, 'acme', `${name}.git`)]);
    git(dev, ['remote', 'add', 'origin', 'https://github.com/acme/split.git']);
    expect(track(dev, ['init', '--yes']).status).toBe(0);
    const config = path.join(dev, '.agent-tracking.yml');
    fs.writeFileSync(
      config,
      fs
        .readFileSync(config, 'utf8')
        .replace(/^(\s*)remote: \S+/m, '$1remote: https://github.com/acme/split-history.git'),
    );
    expect(fs.readFileSync(config, 'utf8')).toContain('remote: https://github.com/acme/split-history.git');
    git(dev, ['add', '.agent-tracking.yml']);
    git(dev, ['commit', '-q', '-m', 'tracking remote']);
    git(dev, ['push', '-q', 'origin', 'main']);
    git(dev, ['checkout', '-q', '-b', 'feature-x']);
    recordSprint(dev);
    // a repository that holds only the agent history: its first branch is ours, on purpose
    expect(track(dev, ['push']).stderr).toContain(
      'agent-tracking pushed first would become its default branch',
    );
    expect(json(dev, ['push', '--force-first']).outcome).toBe('pushed');
    const history = path.join(root, 'acme', 'split-history.git');
    expect(git(history, ['rev-parse', 'agent-tracking']).trim()).toMatch(/^[0-9a-f]{40}$/);
    gh.pulls = [
      {
        number: 61,
        head: { ref: 'feature-x', repo: { full_name: 'acme/split' } },
        base: { ref: 'main' },
        commits: [],
      },
    ];
    const ws = checkout('split');
    git(ws, ['config', `url.${server.url}/.insteadOf`, 'https://github.com/']);
    const run = await runAction(ws, 'split', prEvent('split', 61, 'feature-x'), {
      inputs: { dashboard: 'on' },
    });
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.status).toBe(0);
    const body = ours(61)[0].body;
    const links = [...body.matchAll(/\]\((https:\/\/github\.com\/[^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(1);
    for (const link of links) {
      const m = /^https:\/\/github\.com\/acme\/split-history\/(tree|blob)\/([0-9a-f]{40})\/(.+)$/.exec(link);
      expect(m).not.toBeNull();
      // the commit holds what the link names, whatever the branch tip does later (an archive prunes it)
      expect(() => git(history, ['cat-file', '-e', `${m![2]}:${decodeURIComponent(m![3])}`])).not.toThrow();
    }
    // the dashboard on a pull-request run (DuckDB loaded for it)
    expect(fs.readFileSync(run.outputs['dashboard-path'], 'utf8')).toContain(SPRINT_SESSION);
  }, 300_000);

  test('a fork’s pull request: a notice, no comment, a summary', async () => {
    teamRepo('forked');
    gh.pulls = [];
    const run = await runAction(
      checkout('forked'),
      'forked',
      prEvent('forked', 51, 'feature-x', 'main', true),
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('::notice::pull request from a fork');
    expect(ours(51)).toHaveLength(0);
    expect(run.summary).toContain('comment skipped (fork)');
  }, 120_000);
});
