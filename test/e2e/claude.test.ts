/**
 * End to end with the real Claude Code CLI (2.1.197, the devDependency), offline against the scripted
 * stand-in API: `agent-track init` in a fresh repository, a session with parallel subagents, a
 * failing Bash command, a Write and an Edit; then assertions on what the branch holds.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLAUDE, makeClaudeHome, runClaude } from '../lib/claude.js';
import { allObjectContents, branchEvents, cleanupTmp, flushNow, git, makeRepo, track } from '../lib/cli.js';
import { sprintScript, startFakeAnthropic } from '../lib/fake-anthropic.js';

afterAll(cleanupTmp);

describe('a real Claude Code session in a tracked repository', () => {
  let repo: string;
  let run: Awaited<ReturnType<typeof runClaude>>;
  let events: any[];
  const fakeToken = `ghp_${'Qw3Er5Ty7Ui9'.repeat(3)}`;

  beforeAll(async () => {
    repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'track agents']);
    const home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
    const api = await startFakeAnthropic(sprintScript(repo));
    try {
      // subagents on haiku, the main agent on sonnet: two models in one session
      run = await runClaude({
        cwd: repo,
        home,
        prompt: `MISSION-ALPHA: build the alpha feature (deploy token ${fakeToken})`,
        baseUrl: api.url,
        env: { CLAUDE_CODE_SUBAGENT_MODEL: 'claude-haiku-4-5' },
      });
    } finally {
      await api.close();
    }
    // the SessionEnd hook started a background flush; this one waits for it, then takes the rest
    expect(flushNow(repo).status).toBe(0);
    events = branchEvents(repo);
  }, 180_000);

  test('the session ran normally: our hooks neither slowed nor broke it', () => {
    expect(run.status).toBe(0);
    expect(run.result).toMatchObject({
      is_error: false,
      result: 'All done: lib.txt written, README reviewed, notes updated.',
    });
    expect(fs.readFileSync(path.join(repo, 'notes.md'), 'utf8')).toBe('beta notes\n');
    expect(fs.readFileSync(path.join(repo, 'lib.txt'), 'utf8')).toBe('hello\n');
    expect(fs.existsSync(path.join(repo, '.git', 'agent-tracking', 'errors'))).toBe(false);
  });

  test('the branch holds the session under its id with start, prompt and end', () => {
    const session = run.result.session_id;
    const files = git(repo, ['ls-tree', '-r', '--name-only', 'agent-tracking']);
    expect(files).toMatch(
      new RegExp(`phases/phase-1/sessions/\\d{4}-\\d{2}-\\d{2}-${session}/events/000001\\.jsonl`),
    );
    const mine = events.filter((e) => e.session === session);
    expect(mine.length).toBe(events.length);
    expect(mine.filter((e) => e.type === 'session_start')).toHaveLength(1);
    expect(mine.filter((e) => e.type === 'session_end')).toHaveLength(1);
    expect(mine.find((e) => e.type === 'session_start')).toMatchObject({
      branch: 'main',
      head: git(repo, ['rev-parse', 'HEAD']).trim(),
      source: 'startup',
    });
    expect(mine.find((e) => e.type === 'prompt').text).toBe(
      'MISSION-ALPHA: build the alpha feature (deploy token [REDACTED:github-token])',
    );
  });

  test('both subagents, who launched them and why, and how they ended', () => {
    const show = JSON.parse(track(repo, ['show', run.result.session_id, '--json']).stdout);
    const kids = show.tree.children;
    expect(kids).toHaveLength(2);
    const writer = kids.find((k: any) => k.prompt === 'SUB-WRITER: create lib.txt with a greeting');
    const reviewer = kids.find((k: any) => k.prompt === 'SUB-REVIEWER: review README.md');
    expect(writer).toMatchObject({
      parent: 'main',
      agentType: 'general-purpose',
      description: 'Write the library',
      outcome: 'Wrote lib.txt',
    });
    expect(reviewer).toMatchObject({
      parent: 'main',
      description: 'Review the readme',
      outcome: 'Review done: README is fine',
    });
    const calls = (n: any) =>
      n.items.filter((i: any) => i.kind === 'tool').map((i: any) => `${i.call.tool}:${i.call.success}`);
    expect(calls(writer)).toEqual(['Write:true', 'Bash:true']);
    expect(calls(reviewer)).toEqual(['Read:true', 'Bash:false']);
    expect(calls(show.tree)).toEqual(['Agent:true', 'Agent:true', 'Write:true', 'Bash:false', 'Edit:true']);
  });

  test('tool calls paired with duration and outcome; failures with their error', () => {
    const calls = events.filter((e) => e.type === 'tool_call');
    expect(calls).toHaveLength(9);
    for (const c of calls) expect(typeof c.durationMs).toBe('number');
    expect(calls.find((c) => c.input.command === 'exit 3')).toMatchObject({
      success: false,
      agent: 'main',
      error: 'Exit code 3',
    });
    const ls = calls.find((c) => c.input.command === 'ls /nonexistent-dir-xyz');
    expect(ls.success).toBe(false);
    expect(ls.agent).not.toBe('main');
    // each failure seen by a hook, and again in the transcript, is one tool_call and one error
    // (the same derived id on both paths)
    const failedIds = calls
      .filter((c) => !c.success)
      .map((c) => c.toolUseId)
      .sort();
    expect(failedIds).toHaveLength(2);
    expect(
      events
        .filter((e) => e.type === 'error')
        .map((e) => e.toolUseId)
        .sort(),
    ).toEqual(failedIds);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  test('file changes: Write and Edit with unified diffs and blob ids', () => {
    const hash = (s: string) => git(repo, ['hash-object', '--stdin'], { input: s }).trim();
    const changes = events.filter((e) => e.type === 'file_change');
    expect(changes.map((c) => `${c.operation} ${c.path}`).sort()).toEqual([
      'create lib.txt',
      'create notes.md',
      'edit notes.md',
    ]);
    const edit = changes.find((c) => c.operation === 'edit');
    expect(edit).toMatchObject({
      diff: '--- a/notes.md\n+++ b/notes.md\n@@ -1,1 +1,1 @@\n-alpha notes\n+beta notes\n',
      blobBefore: hash('alpha notes\n'),
      blobAfter: hash('beta notes\n'),
    });
    // the blob id recorded is the one git has for the file as it is now
    expect(edit.blobAfter).toBe(git(repo, ['hash-object', 'notes.md']).trim());
  });

  test("tokens and cost equal Claude Code's own total_cost_usd and modelUsage, per model", () => {
    const stats = JSON.parse(track(repo, ['stats', '--json']).stdout);
    expect(stats).toMatchObject({ sessions: 1, agents: 2, toolCalls: 9, errors: 2 });
    const usage = run.result.modelUsage as Record<string, any>;
    expect(Object.keys(usage).sort()).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5']);
    expect(Object.keys(stats.byModel).sort()).toEqual(Object.keys(usage).sort());
    for (const [model, u] of Object.entries(usage)) {
      expect(stats.byModel[model].tokens).toEqual({
        input: u.inputTokens,
        output: u.outputTokens,
        cacheRead: u.cacheReadInputTokens,
        cacheWrite: u.cacheCreationInputTokens,
      });
      expect(stats.byModel[model].costUsd.toFixed(6)).toBe(u.costUSD.toFixed(6));
    }
    expect(stats.costUsd.toFixed(6)).toBe(run.result.total_cost_usd.toFixed(6));
    expect(stats.costUsd).toBeGreaterThan(0);
    // show gives each agent its own share, and the shares add up
    const tree = JSON.parse(track(repo, ['show', run.result.session_id, '--json']).stdout).tree;
    const shares = [tree, ...tree.children].map((n: any) => Math.round(n.costUsd * 1e8));
    expect(shares.map((u: number) => u > 0)).toEqual([true, true, true]);
    expect(shares.reduce((a: number, b: number) => a + b, 0)).toBe(Math.round(stats.costUsd * 1e8));
  });

  test('decisions: the text before the Agent launches is linked to them', () => {
    const decisions = events.filter((e) => e.type === 'decision');
    const launches = events
      .filter((e) => e.type === 'tool_start' && e.tool === 'Agent')
      .map((e) => e.toolUseId);
    expect(decisions.map((d) => d.toolUseId).sort()).toEqual(launches.sort());
    for (const d of decisions) expect(d.rationale).toBe('I will split the work between two subagents.');
  });

  test('the secret in the prompt reached no object of the repository; the work tree was not touched', () => {
    expect(allObjectContents(repo)).not.toContain(fakeToken);
    expect(git(repo, ['status', '--porcelain']).split('\n').filter(Boolean).sort()).toEqual([
      '?? lib.txt',
      '?? notes.md',
    ]);
    git(repo, ['fsck', '--strict', '--no-dangling']);
  });
});

test('a SIGKILLed session sends no Stop and no SessionEnd: what was spooled is kept, the session stays open', async () => {
  const repo = makeRepo();
  track(repo, ['init', '--yes']);
  const home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
  const api = await startFakeAnthropic({
    'MISSION-SLEEP': [
      {
        at: 0,
        reply: [{ type: 'tool_use', name: 'Bash', input: { command: 'sleep 30', description: 'wait' } }],
      },
    ],
  });
  const child = spawn(
    CLAUDE,
    [
      '-p',
      'MISSION-SLEEP',
      '--output-format',
      'json',
      '--model',
      'claude-sonnet-4-5',
      '--allowedTools',
      'Bash',
    ],
    {
      cwd: repo,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        ANTHROPIC_BASE_URL: api.url,
        ANTHROPIC_API_KEY: 'sk-test-offline',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      },
      stdio: 'ignore',
    },
  );
  const spool = path.join(repo, '.git', 'agent-tracking', 'spool');
  // the sh hook saves the PreToolUse payload in the raw spool; the flush converts it
  const raw = path.join(repo, '.git', 'agent-tracking', 'raw');
  const started = Date.now();
  const has = (dir: string, ext: string, text: string) =>
    fs.existsSync(dir) &&
    fs
      .readdirSync(dir)
      .some((f) => f.endsWith(ext) && fs.readFileSync(path.join(dir, f), 'utf8').includes(text));
  const spooled = () =>
    has(spool, '.jsonl', '"tool_start"') || has(raw, '.json', '"hook_event_name":"PreToolUse"');
  while (!spooled() && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGKILL');
  await new Promise((r) => child.on('close', r));
  await api.close();
  expect(flushNow(repo).status).toBe(0);
  const events = branchEvents(repo);
  expect(events.some((e) => e.type === 'tool_start' && e.input.command === 'sleep 30')).toBe(true);
  expect(events.some((e) => e.type === 'session_end' || e.type === 'stop')).toBe(false);
  const [session] = JSON.parse(track(repo, ['sessions', '--json']).stdout);
  expect(session.ended).toBeNull();
  const show = JSON.parse(track(repo, ['show', session.session, '--json']).stdout);
  expect(show.tree.items.find((i: any) => i.kind === 'tool')).toMatchObject({
    call: { tool: 'Bash', success: null },
  });
}, 120_000);

test('an Edit before a Read is refused only in the transcript: recorded as a failed call with what came next', async () => {
  const repo = makeRepo();
  track(repo, ['init', '--yes']);
  const home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
  const readme = path.join(repo, 'README.md');
  const edit = { file_path: readme, old_string: '# demo', new_string: '# edited', replace_all: false };
  const api = await startFakeAnthropic({
    'MISSION-EDIT': [
      {
        at: 0,
        reply: [
          { type: 'text', text: 'Editing the title first.' },
          { type: 'tool_use', name: 'Edit', input: edit },
        ],
      },
      { at: 1, reply: [{ type: 'tool_use', name: 'Read', input: { file_path: readme } }] },
      { at: 2, reply: [{ type: 'tool_use', name: 'Edit', input: edit }] },
      { at: 3, delayMs: 400, reply: [{ type: 'text', text: 'Title edited.' }] },
    ],
  });
  const run = await runClaude({
    cwd: repo,
    home,
    prompt: 'MISSION-EDIT: change the title',
    baseUrl: api.url,
  });
  await api.close();
  expect(run.result).toMatchObject({ is_error: false });
  expect(fs.readFileSync(readme, 'utf8')).toBe('# edited\n');
  expect(flushNow(repo).status).toBe(0);
  const events = branchEvents(repo);
  const refused = events.find((e) => e.type === 'error' && e.source === 'transcript');
  expect(refused).toBeDefined();
  // no hook reported it: there is no failed tool_call event from a hook for that tool_use
  expect(
    events.filter((e) => e.type === 'tool_call' && e.success === false && e.source === undefined),
  ).toHaveLength(0);
  const stats = JSON.parse(track(repo, ['stats', '--json']).stdout);
  expect(stats.errors).toBe(1);
  const tree = JSON.parse(track(repo, ['show', run.result.session_id, '--json']).stdout).tree;
  const calls = tree.items.filter((i: any) => i.kind === 'tool').map((i: any) => i.call);
  const first = calls.find((c: any) => c.toolUseId === refused.toolUseId);
  expect(first).toMatchObject({ tool: 'Edit', success: false, rationale: 'Editing the title first.' });
  expect(first.next).toMatch(/^Read /);
}, 120_000);
