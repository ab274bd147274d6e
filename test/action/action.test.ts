/**
 * The Action run as GitHub runs it: `node dist/action.js` with INPUT_* variables, an event payload,
 * GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files, over a checkout of a repository whose remote holds a
 * recorded store, talking to a stand-in of the GitHub REST API.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  branchEvents,
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  ROOT,
  recordSprint,
  SPRINT_SESSION,
  tmpDir,
  track,
  trackAsync,
} from '../lib/cli.js';
import { FakeDrive } from '../lib/fake-drive.js';
import { BOT, type FakeGitHub, startFakeGitHub } from '../lib/fake-github.js';
import { type S3StandIn, startS3 } from '../lib/s3.js';

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub();
});
afterAll(async () => {
  await gh.close();
  await cleanupTmp();
});

const json = (repo: string, args: string[]) => {
  const r = track(repo, [...args, '--json']);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

interface ActionRun {
  status: number | null;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
  report: any;
}

/** Runs an action script the way the runner does (inputs as INPUT_<NAME>, files for summary and outputs). */
function runAction(
  workspace: string,
  event: { name: string; payload: unknown },
  inputs: Record<string, string> = {},
  script = path.join(ROOT, 'dist', 'action.js'),
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<ActionRun> {
  const runner = tmpDir('at-runner-');
  const files = {
    event: path.join(runner, 'event.json'),
    summary: path.join(runner, 'summary.md'),
    output: path.join(runner, 'output.txt'),
  };
  fs.writeFileSync(files.event, JSON.stringify(event.payload));
  fs.writeFileSync(files.summary, '');
  fs.writeFileSync(files.output, '');
  // the machine's environment (its CA certificates reach the npm registry), minus anything the runner sets
  const machine = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_)/.test(k)),
  );
  const env: NodeJS.ProcessEnv = {
    ...machine,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/proj',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: gh.url,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    RUNNER_TEMP: runner,
    RUNNER_TOOL_CACHE: path.join(runner, 'tool-cache'),
    'INPUT_GITHUB-TOKEN': 'ghs_standin',
    'INPUT_PHASE-POLICY': 'manual',
    INPUT_COMMENT: 'on',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...extraEnv,
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: workspace, env });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    child.on('close', (status) => {
      // GITHUB_OUTPUT holds name<<delimiter ... delimiter blocks
      const outputs: Record<string, string> = {};
      const text = fs.readFileSync(files.output, 'utf8');
      for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
      const reportFile = path.join(runner, 'agent-tracking', 'report.json');
      resolve({
        status,
        stdout,
        summary: fs.readFileSync(files.summary, 'utf8'),
        outputs,
        report: fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : null,
      });
    });
  });
}

/** GitHub: a bare repository with main; a developer's clone that recorded the sprint on feature-x and pushed it. */
function teamRepo(): { bare: string; dev: string } {
  const dev = makeRepo();
  const bare = path.join(tmpDir('at-bare-'), 'remote.git');
  git(path.dirname(bare), ['init', '-q', '--bare', '-b', 'main', bare]);
  git(dev, ['remote', 'add', 'origin', bare]);
  git(dev, ['push', '-q', 'origin', 'main']);
  git(dev, ['checkout', '-q', '-b', 'feature-x']);
  expect(track(dev, ['init', '--yes']).status).toBe(0);
  recordSprint(dev);
  expect(json(dev, ['push']).outcome).toBe('pushed');
  return { bare, dev };
}

/** What actions/checkout leaves: a clone of the repository at main, without the tracking branch locally. */
function checkout(bare: string): string {
  const dir = path.join(tmpDir('at-ws-'), 'proj');
  git(path.dirname(dir), ['clone', '-q', '--branch', 'main', bare, dir]);
  return dir;
}

const prEvent = (fork = false) => ({
  name: 'pull_request',
  payload: {
    action: 'synchronize',
    number: 7,
    pull_request: {
      number: 7,
      head: { ref: 'feature-x', repo: { full_name: fork ? 'someone/proj' : 'acme/proj' } },
      base: { ref: 'main', repo: { full_name: 'acme/proj' } },
    },
    repository: { full_name: 'acme/proj', name: 'proj', owner: { login: 'acme' } },
  },
});

describe('pull request comment', () => {
  let bare: string;
  let dev: string;
  beforeAll(() => {
    ({ bare, dev } = teamRepo());
  });

  test('created once, updated in place, left alone when unchanged; other comments untouched', async () => {
    // 120 comments first (ours will be on the second page), one by a person quoting our marker, one by the bot without it
    const filler = Array.from({ length: 120 }, (_, k) => ({
      id: k + 1,
      body: `comment ${k}`,
      user: { login: 'dev', type: 'User' },
    }));
    const lookalike = {
      id: 500,
      body: '<!-- agent-tracking:pr-summary -->\n### Agent activity on `feature-x` (copied by a person)',
      user: { login: 'octocat', type: 'User' },
    };
    const botOther = { id: 501, body: 'deploy preview ready', user: BOT };
    gh.comments.set(7, [...filler, lookalike, botOther]);
    gh.pulls = [
      {
        number: 7,
        head: { ref: 'feature-x', repo: { full_name: 'acme/proj' } },
        base: { ref: 'main' },
        commits: [],
      },
    ];

    const first = await runAction(checkout(bare), prEvent());
    expect(first.status).toBe(0);
    const posts = gh.requests.filter((r) => r.method === 'POST' && r.path !== '/graphql');
    expect(posts).toHaveLength(1);
    expect(posts[0].path).toBe('/repos/acme/proj/issues/7/comments');
    const ours = gh.comments.get(7)!.at(-1)!;
    expect(ours.user).toEqual(BOT);
    expect(
      ours.body.startsWith('<!-- agent-tracking:pr-summary -->\n### Agent activity on `feature-x`'),
    ).toBe(true);
    const s = json(dev, ['sessions'])[0];
    expect(ours.body).toContain(
      // a permalink: the tracking branch's commit, so the link survives an archive pruning the tip
      `[${SPRINT_SESSION.slice(0, 8)}](https://github.com/acme/proj/tree/${git(bare, ['rev-parse', 'agent-tracking']).trim()}/${s.dir})`,
    );
    const tokens = s.tokens.input + s.tokens.output + s.tokens.cacheRead + s.tokens.cacheWrite;
    expect(s.costUsd).toBe(0.068763);
    expect(ours.body).toContain(
      `1 session · 2 subagents · ${s.toolCalls} tool calls (${s.toolFailures} failed) · ${s.errors} errors · 2 files (3 changes) · ${tokens.toLocaleString('en-US')} tokens · $0.068763`,
    );
    const changed = [
      ...new Set(
        branchEvents(dev)
          .filter((e) => e.type === 'file_change')
          .map((e) => e.path as string),
      ),
    ];
    expect(changed.length).toBeGreaterThan(0);
    expect(ours.body).toContain(`Files changed by agents (${changed.length})`);
    for (const f of changed) expect(ours.body).toContain(`- \`${f}\``);
    expect(first.summary).toContain('comment created');
    // the listing went through every page
    expect(
      gh.requests.filter((r) => r.method === 'GET' && r.path.includes('/issues/7/comments')).length,
    ).toBe(2);

    // more work on the branch: the same comment is updated
    const more = JSON.stringify({
      session_id: 'second-session',
      cwd: dev,
      hook_event_name: 'SessionStart',
      source: 'startup',
      transcript_path: '/dev/null',
    });
    expect(track(dev, ['hook'], more, { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
    expect(json(dev, ['push']).outcome).toBe('pushed');
    gh.requests.length = 0;
    const second = await runAction(checkout(bare), prEvent());
    expect(second.status).toBe(0);
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path !== '/graphql')).toHaveLength(0);
    const patches = gh.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.path)).toEqual([`/repos/acme/proj/issues/comments/${ours.id}`]);
    expect(gh.comments.get(7)!.filter((c) => c.body.includes('agent-tracking:pr-summary'))).toHaveLength(2);
    expect(ours.body).toContain('2 sessions ·');
    expect(lookalike.body).toContain('copied by a person');
    expect(botOther.body).toBe('deploy preview ready');

    // nothing new: no write at all
    gh.requests.length = 0;
    const third = await runAction(checkout(bare), prEvent());
    expect(third.status).toBe(0);
    expect(gh.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql')).toHaveLength(0);
    expect(third.summary).toContain('comment unchanged');
  }, 120_000);

  test('a fork’s pull request: a notice instead of a comment; a 403 on write is a notice too', async () => {
    gh.comments.set(7, []);
    gh.requests.length = 0;
    const fork = await runAction(checkout(bare), prEvent(true));
    expect(fork.status).toBe(0);
    expect(fork.stdout).toContain('::notice::pull request from a fork');
    expect(gh.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql')).toHaveLength(0);

    gh.readOnly = true;
    try {
      const denied = await runAction(checkout(bare), prEvent());
      expect(denied.status).toBe(0);
      expect(denied.stdout).toMatch(
        /::notice::no comment on #7: the token may not write to this pull request \(403\)/,
      );
      expect(gh.comments.get(7)).toEqual([]);
    } finally {
      gh.readOnly = false;
    }
  }, 60_000);
});

describe('scheduled run', () => {
  test('reviews the ended phase, commits the review back, writes the summary and outputs; a second run reviews nothing', async () => {
    const { bare, dev } = teamRepo();
    const ended = json(dev, ['phase', 'end', '--no-review']);
    expect(ended).toMatchObject({ ended: 'phase-1', next: 'phase-2', review: null });
    expect(json(dev, ['push']).outcome).toBe('pushed');
    const expected = json(dev, ['review', '--phase', 'phase-1']);

    const ws = checkout(bare);
    const run = await runAction(ws, { name: 'schedule', payload: { schedule: '23 4 * * *' } });
    expect(run.status).toBe(0);
    expect(run.outputs['reviewed-phases']).toBe('phase-1');
    expect(fs.readFileSync(run.outputs['report-path'], 'utf8')).toBe(run.summary);
    const onRemote = JSON.parse(git(bare, ['show', 'agent-tracking:phases/phase-1/review.json']));
    expect(onRemote.costUsd).toBe(0.068763);
    expect(expected.costUsd).toBe(0.068763);
    expect(onRemote.sessions).toBe(1);
    expect(onRemote.tools).toEqual(expected.tools);
    expect(git(bare, ['show', 'agent-tracking:phases/phase-1/review.md'])).toMatch(/```mermaid/);
    expect(run.summary).toContain('Reviewed in this run: **phase-1** (1 session');
    expect(run.summary).toContain('### Top errors');
    expect(run.summary).toContain(`| \`${expected.errors[0].pattern.slice(0, 120)}\` |`);
    expect(run.summary).toMatch(/\| phase-2 \(current\) \|/);
    expect(run.report.timings.reviewMs).toBeGreaterThan(0);

    const again = await runAction(checkout(bare), { name: 'schedule', payload: {} });
    expect(again.status).toBe(0);
    expect(again.outputs['reviewed-phases']).toBe('');
    expect(again.summary).not.toContain('Reviewed in this run');
    // the developer's clone gets the review with pull
    expect(json(dev, ['pull']).outcome).toBe('fast-forward');
    expect(json(dev, ['phase', 'list']).find((p: any) => p.name === 'phase-1').reviewed).toBe(true);
  }, 120_000);

  test('commit-back racing a teammate’s pushes: no lost review, no lost session', async () => {
    const { bare, dev } = teamRepo();
    json(dev, ['phase', 'end', '--no-review']);
    expect(json(dev, ['push']).outcome).toBe('pushed');
    const mate = path.join(tmpDir('at-mate-'), 'proj');
    git(path.dirname(mate), ['clone', '-q', bare, mate]);
    git(mate, ['config', 'user.name', 'Bea']);
    git(mate, ['config', 'user.email', 'bea@example.com']);
    expect(json(mate, ['init', '--yes']).adoptedFrom).toBe('origin');
    const mateSessions = ['m-1', 'm-2', 'm-3', 'm-4'];
    const pushes = (async () => {
      for (const s of mateSessions) {
        const r = track(
          mate,
          ['hook'],
          JSON.stringify({ session_id: s, cwd: mate, hook_event_name: 'SessionStart', source: 'startup' }),
          { AGENT_TRACK_NO_FLUSH: '1' },
        );
        expect(r.status).toBe(0);
        const p = await trackAsync(mate, ['push', '--json']);
        expect(p.status).toBe(0);
      }
    })();
    const [run] = await Promise.all([
      runAction(checkout(bare), { name: 'workflow_dispatch', payload: {} }),
      pushes,
    ]);
    expect(run.status).toBe(0);
    expect(run.outputs['reviewed-phases']).toBe('phase-1');
    const files = git(bare, ['ls-tree', '-r', '--name-only', 'agent-tracking']).split('\n');
    expect(files).toContain('phases/phase-1/review.json');
    const sessions = files.filter((f) => f.endsWith('/session.json')).map((f) => f.split('/')[3].slice(11));
    expect(sessions.sort()).toEqual([...mateSessions, SPRINT_SESSION].sort());
  }, 120_000);

  test('from a copy of the Action as the runner downloads it (no node_modules): DuckDB is installed at run time, then reused', async () => {
    const { bare, dev } = teamRepo();
    json(dev, ['phase', 'end', '--no-review']);
    expect(json(dev, ['push']).outcome).toBe('pushed');
    const actionDir = path.join(tmpDir('at-actions-'), 'subagent-tracking', 'v1');
    fs.mkdirSync(path.join(actionDir, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'action.yml'), path.join(actionDir, 'action.yml'));
    fs.copyFileSync(path.join(ROOT, 'dist', 'action.js'), path.join(actionDir, 'dist', 'action.js'));
    const toolCache = path.join(tmpDir('at-toolcache-'), 'cache');
    const script = path.join(actionDir, 'dist', 'action.js');
    const first = await runAction(checkout(bare), { name: 'schedule', payload: {} }, {}, script, {
      RUNNER_TOOL_CACHE: toolCache,
    });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/DuckDB installed in \S+agent-track-duckdb/);
    expect(first.outputs['reviewed-phases']).toBe('phase-1');
    expect(JSON.parse(git(bare, ['show', 'agent-tracking:phases/phase-1/review.json'])).costUsd).toBe(
      0.068763,
    );
    const pages = { dashboard: 'on', 'pages-branch': 'gh-pages', 'pages-dir': 'agents' };
    const second = await runAction(checkout(bare), { name: 'schedule', payload: {} }, pages, script, {
      RUNNER_TOOL_CACHE: toolCache,
    });
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/DuckDB cache in /);
    // the dashboard: beside the report for an artifact, and on the Pages branch, ECharts inside
    const html = fs.readFileSync(second.outputs['dashboard-path'], 'utf8');
    expect(html.startsWith('<!doctype html>') || html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(SPRINT_SESSION);
    expect(html).toMatch(/echarts/i);
    expect(html.length).toBeGreaterThan(500_000);
    expect(git(bare, ['show', 'gh-pages:agents/index.html'], { maxBuffer: 1 << 26 })).toBe(html);
    const third = await runAction(checkout(bare), { name: 'schedule', payload: {} }, pages, script, {
      RUNNER_TOOL_CACHE: toolCache,
    });
    expect(third.status).toBe(0);
    expect(git(bare, ['rev-list', '--count', 'gh-pages']).trim()).toBe('2');
  }, 180_000);

  test('bad input fails the step with one message', async () => {
    const ws = checkout(teamRepo().bare);
    const r = await runAction(ws, { name: 'schedule', payload: {} }, { 'phase-policy': 'daily' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("::error::phase-policy is manual, weekly or monthly, not 'daily'");
    const c = await runAction(ws, { name: 'schedule', payload: {} }, { comment: 'maybe' });
    expect(c.stdout).toContain("::error::input 'comment' is on or off, not 'maybe'");
  }, 60_000);
});

describe('cloud tiers in the Action', () => {
  let s3: S3StandIn;
  let drive: FakeDrive;
  beforeAll(async () => {
    s3 = await startS3();
    drive = await new FakeDrive().start();
  });
  afterAll(async () => {
    await s3.close();
    await drive.stop();
  });

  test('after the reviews: old phases archived to S3 and pruned (pushed), the recent ones backed up to Drive; the summary says what went where', async () => {
    const { bare, dev } = teamRepo();
    for (const next of ['phase-2', 'phase-3', 'phase-4']) {
      expect(json(dev, ['phase', 'end']).next).toBe(next);
      const s = `s-${next}`;
      track(
        dev,
        ['hook'],
        JSON.stringify({ session_id: s, cwd: dev, hook_event_name: 'SessionStart', source: 'startup' }),
        {
          AGENT_TRACK_NO_FLUSH: '1',
        },
      );
      expect(flushNow(dev).status).toBe(0);
    }
    expect(json(dev, ['push']).outcome).toBe('pushed');
    const run = await runAction(
      checkout(bare),
      { name: 'schedule', payload: {} },
      {
        archive: 'on',
        'archive-bucket': s3.bucket,
        backup: 'on',
        'drive-client-id': 'test-client',
        'drive-client-secret': 'test-secret',
        'drive-refresh-token': 'good-refresh-token',
      },
      undefined,
      {
        ...s3.env,
        AGENT_TRACK_DRIVE_ROOT_URL: `${drive.url}/`,
        AGENT_TRACK_GOOGLE_TOKEN_URL: `${drive.url}/token`,
      },
    );
    expect(run.status).toBe(0);
    // phase-1 is more than 2 behind phase-4: archived, and the prune reached the remote
    expect(git(bare, ['ls-tree', '--name-only', 'agent-tracking:phases/phase-1']).split('\n')).toContain(
      'ARCHIVED.json',
    );
    expect(git(bare, ['ls-tree', '-r', '--name-only', 'agent-tracking:phases/phase-1'])).not.toContain(
      'sessions/',
    );
    const keys = await s3.keys();
    // repo= from GitHub's name of the repository (GITHUB_REPOSITORY), as every clone's remote gives it
    expect(keys).toContain('agent-tracking/repo=acme-proj/phase=phase-1/manifest.json');
    expect(keys.some((k) => k.includes('phase=phase-2'))).toBe(false);
    expect(run.summary).toContain('### Cloud tiers');
    expect(run.summary).toContain(
      '- archived **phase-1** to `s3://agent-archive/agent-tracking/repo=acme-proj/phase=phase-1/manifest.json`',
    );
    // Drive holds the current phase and the one before it, nothing of phase-1
    expect(run.report.backup).toMatchObject({ folder: 'proj', phases: ['phase-3', 'phase-4'] });
    expect(run.report.backup.uploaded).toBeGreaterThan(0);
    const names = [...drive.files.values()].map((f) => f.name);
    expect(names).toContain('phase-3');
    expect(names).not.toContain('phase-1');
    expect(run.summary).toMatch(/- Google Drive `proj\/`: phase-3, phase-4: \d+ files? uploaded/);
    // the secrets given as inputs are masked in the log
    expect(run.stdout).toContain('::add-mask::good-refresh-token');
  }, 180_000);

  test('lake: true: the current phases exported too, under the same repo= key; a second run sends nothing', async () => {
    const { bare, dev } = teamRepo();
    for (const next of ['phase-2', 'phase-3']) expect(json(dev, ['phase', 'end']).next).toBe(next);
    expect(json(dev, ['push']).outcome).toBe('pushed');
    const inputs = { archive: 'on', 'archive-bucket': s3.bucket, 'archive-prefix': 'lake', lake: 'true' };
    const first = await runAction(
      checkout(bare),
      { name: 'schedule', payload: {} },
      inputs,
      undefined,
      s3.env,
    );
    expect(first.status).toBe(0);
    // phase-1 (the sprint) is within keep: not archived, exported to the lake
    const keys = (await s3.keys()).filter((k) => k.startsWith('lake/'));
    expect(keys).toContain('lake/repo=acme-proj/phase=phase-1/usage/part-0.parquet');
    expect(keys).toContain('lake/repo=acme-proj/phase=phase-1/lake.json');
    expect(keys.some((k) => k.endsWith('manifest.json'))).toBe(false);
    expect(first.stdout).toMatch(/lake: phase-1 exported \(8 uploaded, 0 unchanged\)/);
    const again = await runAction(
      checkout(bare),
      { name: 'schedule', payload: {} },
      inputs,
      undefined,
      s3.env,
    );
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/lake: phase-1 unchanged \(0 uploaded, 8 unchanged\)/);
  }, 180_000);

  test('archive.compact: after its archive the Action compacts the branch and pushes the new root with a lease', async () => {
    const { bare, dev } = teamRepo();
    for (const next of ['phase-2', 'phase-3', 'phase-4']) expect(json(dev, ['phase', 'end']).next).toBe(next);
    expect(json(dev, ['push']).outcome).toBe('pushed');
    const before = git(bare, ['rev-parse', 'agent-tracking']).trim();
    const ws = checkout(bare);
    // the project's committed config, as a repository that chose compaction has it
    fs.writeFileSync(
      path.join(ws, '.agent-tracking.yml'),
      `archive:\n  bucket: ${s3.bucket}\n  prefix: action-compact\n  compact: true\n`,
    );
    const run = await runAction(ws, { name: 'schedule', payload: {} }, { archive: 'on' }, undefined, s3.env);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/compacted agent-tracking: new root [0-9a-f]{40} \(replaced [0-9a-f]{40}\)/);
    expect(git(bare, ['rev-list', '--count', 'agent-tracking']).trim()).toBe('1');
    const message = git(bare, ['log', '-1', '--format=%B', 'agent-tracking']);
    const record = JSON.parse(/^Agent-Tracking-Compacted: (.*)$/m.exec(message)![1]);
    expect(record.manifests.map((m: any) => m.phase)).toEqual(['phase-1']);
    // the replaced tip descends from what the remote had: nothing pushed meanwhile was overwritten
    // (the bare repository still has the replaced objects: nothing ran gc there)
    expect(git(bare, ['merge-base', '--is-ancestor', before, record.replacedTip]).length).toBe(0);
    // the developer's clone, on the old history, takes the compacted branch at its next pull
    expect(json(dev, ['pull']).outcome).toBe('replayed');
    expect(git(dev, ['rev-parse', 'agent-tracking']).trim()).toBe(
      git(bare, ['rev-parse', 'agent-tracking']).trim(),
    );
  }, 180_000);
});

test('action.yml declares the inputs run() reads and the outputs it sets, on Node 24', () => {
  const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  expect(action.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
  const source = fs
    .readdirSync(path.join(ROOT, 'src', 'action'))
    .map((f) => fs.readFileSync(path.join(ROOT, 'src', 'action', f), 'utf8'))
    .join('\n');
  const read = [
    ...source.matchAll(/(?:getInput|onOff)\('([\w-]+)'/g),
    ...source.matchAll(/\['(drive-[\w-]+)', 'AGENT_TRACK/g),
  ].map((m) => m[1]);
  expect(new Set(read)).toEqual(new Set(Object.keys(action.inputs)));
  const set = [...source.matchAll(/setOutput\('([\w-]+)'/g)].map((m) => m[1]);
  expect(new Set(set)).toEqual(new Set(Object.keys(action.outputs)));
  for (const f of fs.readdirSync(path.join(ROOT, 'dist')))
    expect(fs.statSync(path.join(ROOT, 'dist', f)).size).toBeLessThan(10 * 1024 * 1024);
});
