/**
 * End to end with the real Codex CLI (@openai/codex, the devDependency), offline against a scripted
 * stand-in of OpenAI's Responses API (streamed): two turns (`exec`, then `exec resume --last`) with a
 * shell command that fails, a file created and then edited with apply_patch, a reasoning summary;
 * then `agent-track import` of its rollout, and assertions on what the branch holds, on the figures
 * against Codex's own report and ccusage's, and on the surfaces beside a Claude Code session.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  allObjectContents,
  branchEvents,
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  ROOT,
  recordSprint,
  track,
} from '../lib/cli.js';
import { makeCodexHome, runCodex } from '../lib/codex.js';
import { codexScript, startFakeOpenAi } from '../lib/fake-openai.js';

afterAll(cleanupTmp);

describe('a real Codex CLI session, imported from its rollout', () => {
  let repo: string;
  let home: string;
  let events: any[];
  let thread: string;
  let report: any;
  const fakeToken = `ghp_${'Zx8Cv6Bn4Mq2'.repeat(3)}`;

  beforeAll(async () => {
    repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    home = path.join(path.dirname(repo), 'home');
    const api = await startFakeOpenAi(codexScript());
    try {
      makeCodexHome(home, api.url);
      const one = await runCodex({ cwd: repo, home, prompt: `TURN-ONE: write notes (token ${fakeToken})` });
      expect(one.status).toBe(0);
      const two = await runCodex({ cwd: repo, home, prompt: 'TURN-TWO: edit the notes', resume: true });
      expect(two.status).toBe(0);
      thread = one.events.find((e) => e.type === 'thread.started').thread_id;
      expect(two.events.find((e) => e.type === 'thread.started').thread_id).toBe(thread);
      // Codex's own report: the thread's usage so far, at the end of each turn
      report = two.events.filter((e) => e.type === 'turn.completed').pop().usage;
    } finally {
      await api.close();
    }
    expect(fs.readFileSync(path.join(repo, 'notes.txt'), 'utf8')).toBe('hello world\n');
    const imp = track(repo, ['import', '--agent', 'codex', '--json'], undefined, {
      CODEX_HOME: path.join(home, '.codex'),
    });
    expect(imp.stderr).not.toMatch(/error/i);
    expect(JSON.parse(imp.stdout)).toMatchObject({ sessions: 1, newSessions: 1, unknownModels: [] });
    events = branchEvents(repo);
  }, 240_000);

  test('the session: its thread id, the agent CLI, both prompts, each turn ended', () => {
    expect(new Set(events.map((e) => e.session))).toEqual(new Set([thread]));
    for (const e of events) expect(e.agentTool).toBe('codex');
    const start = events.find((e) => e.type === 'session_start');
    expect(start).toMatchObject({ cwd: fs.realpathSync(repo), model: 'gpt-5.5', agentTool: 'codex' });
    expect(events.filter((e) => e.type === 'prompt').map((e) => e.text)).toEqual([
      expect.stringMatching(/^TURN-ONE: write notes/),
      'TURN-TWO: edit the notes',
    ]);
    expect(events.filter((e) => e.type === 'stop')).toHaveLength(2);
    const sessions = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    expect(sessions).toMatchObject([{ session: thread, agentTool: 'codex', status: 'ended' }]);
  });

  test('tool calls with outcome and duration; the failed command is an error', () => {
    const calls = events.filter((e) => e.type === 'tool_call').sort((a, b) => a.ts.localeCompare(b.ts));
    expect(calls.map((c) => [c.tool, c.outcome])).toEqual([
      ['exec_command', 'failed'],
      ['apply_patch', 'success'],
      ['apply_patch', 'success'],
    ]);
    expect(calls[0]).toMatchObject({ input: { cmd: 'ls does-not-exist' }, exitCode: 2, success: false });
    expect(String(calls[0].error)).toContain('No such file or directory');
    for (const c of calls) expect(typeof c.durationMs).toBe('number');
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ tool: 'exec_command', toolUseId: calls[0].toolUseId });
    const stats = JSON.parse(track(repo, ['stats', '--json']).stdout);
    expect(stats).toMatchObject({ sessions: 1, toolCalls: 3, toolFailures: 1, errors: 1, fileChanges: 2 });
  });

  test('file changes: the created file and the edit, with unified diffs', () => {
    const changes = events.filter((e) => e.type === 'file_change').sort((a, b) => a.ts.localeCompare(b.ts));
    expect(changes.map((c) => [c.path, c.operation])).toEqual([
      ['notes.txt', 'create'],
      ['notes.txt', 'edit'],
    ]);
    expect(changes[0].diff).toBe('--- /dev/null\n+++ b/notes.txt\n@@ -0,0 +1,1 @@\n+hello\n');
    expect(changes[1].diff).toBe('--- a/notes.txt\n+++ b/notes.txt\n@@ -1 +1 @@\n-hello\n+hello world\n');
    // the created file's blob is git's own id of what is on disk
    expect(changes[0].blobAfter).toBe(
      execFileSync('git', ['hash-object', '--stdin'], { input: 'hello\n' }).toString().trim(),
    );
  });

  test('the reasoning summary is the decision behind the failed command', () => {
    const decisions = events.filter((e) => e.type === 'decision');
    const failed = events.find((e) => e.type === 'tool_call' && e.outcome === 'failed');
    expect(decisions).toEqual([
      expect.objectContaining({
        rationale: 'Checking what is in the build folder before writing notes.',
        toolUseId: failed.toolUseId,
        tool: 'exec_command',
      }),
    ]);
  });

  test("tokens equal Codex's own report; tokens and cost equal ccusage's", () => {
    const usage = events.filter((e) => e.type === 'usage');
    expect(usage).toHaveLength(5);
    const stats = JSON.parse(track(repo, ['stats', '--json']).stdout);
    // OpenAI counts cached input inside input, reasoning inside output
    expect(stats.tokens).toEqual({
      input: report.input_tokens - report.cached_input_tokens,
      cacheRead: report.cached_input_tokens,
      output: report.output_tokens,
      cacheWrite: 0,
    });
    expect(Object.keys(stats.byModel)).toEqual(['gpt-5.5']);
    // gpt-5.5 at genai-prices' list price: $5 input, $0.50 cached input, $30 output per million
    const expected = (2400 * 5 + 25800 * 0.5 + 710 * 30) / 1e6;
    expect(stats.costUsd.toFixed(6)).toBe(expected.toFixed(6));
    const cc = JSON.parse(
      execFileSync(
        path.join(ROOT, 'node_modules', '.bin', 'ccusage'),
        ['codex', 'session', '--json', '--offline'],
        {
          env: { ...process.env, CODEX_HOME: path.join(home, '.codex') },
          encoding: 'utf8',
        },
      ),
    );
    expect(cc.sessions).toHaveLength(1);
    expect({
      input: cc.totals.inputTokens,
      output: cc.totals.outputTokens,
      cacheRead: cc.totals.cacheReadTokens,
      cacheWrite: cc.totals.cacheCreationTokens,
    }).toEqual(stats.tokens);
    expect(stats.costUsd.toFixed(6)).toBe(cc.totals.costUSD.toFixed(6));
  });

  test('importing again adds nothing; the secret in the prompt reached no object', () => {
    const again = JSON.parse(
      track(repo, ['import', '--agent', 'codex', '--json'], undefined, {
        CODEX_HOME: path.join(home, '.codex'),
      }).stdout,
    );
    expect(again).toMatchObject({ sessions: 1, newSessions: 0, events: 0 });
    expect(branchEvents(repo)).toHaveLength(events.length);
    expect(allObjectContents(repo)).not.toContain(fakeToken);
    git(repo, ['fsck', '--strict', '--no-dangling']);
  });

  test('stats --by tool, sessions and review show it beside a Claude Code session', () => {
    recordSprint(repo);
    const by = JSON.parse(track(repo, ['stats', '--by', 'tool', '--json']).stdout);
    expect(by.rows.map((r: any) => [r.key, r.sessions])).toEqual([
      ['claude-code', 1],
      ['codex', 1],
    ]);
    const codex = by.rows.find((r: any) => r.key === 'codex');
    const claude = by.rows.find((r: any) => r.key === 'claude-code');
    expect(claude.costUsd.toFixed(6)).toBe('0.068763');
    expect((codex.costUsd + claude.costUsd).toFixed(6)).toBe(by.totals.costUsd.toFixed(6));
    const table = track(repo, ['sessions']).stdout;
    expect(table).toMatch(/\btool\b/);
    expect(table).toMatch(new RegExp(`${thread.slice(0, 8)}.*codex`));
    const q = JSON.parse(
      track(repo, ['query', 'SELECT agent_tool, count(*) AS n FROM sessions GROUP BY 1 ORDER BY 1', '--json'])
        .stdout,
    );
    expect(q).toEqual([
      { agent_tool: 'claude-code', n: 1 },
      { agent_tool: 'codex', n: 1 },
    ]);
    // the phase review: both agent CLIs with their sessions and cost, as stats gives them
    const review = JSON.parse(track(repo, ['review', '--json']).stdout);
    expect(review.costs.byTool.map((t: any) => [t.tool, t.sessions, t.costUsd.toFixed(6)])).toEqual([
      ['claude-code', 1, '0.068763'],
      ['codex', 1, codex.costUsd.toFixed(6)],
    ]);
    expect(track(repo, ['review']).stdout).toMatch(/## Agent CLIs[\s\S]*\| codex \| 1 \|/);
    // the dashboard's session rows name the agent CLI
    const out = path.join(path.dirname(repo), 'dash');
    expect(track(repo, ['dashboard', '--out', out]).status).toBe(0);
    const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(html).toContain(`"session":"${thread}"`);
    expect(html).toMatch(new RegExp(`"session":"${thread}"[^}]*"agentTool":"codex"`));
    expect(html).toContain('"agentTool":"claude-code"');
  });
});

describe('a real Codex CLI session captured live through its hooks (init --agent codex)', () => {
  let repo: string;
  let home: string;
  let events: any[];
  let thread: string;
  let init: any;

  beforeAll(async () => {
    repo = makeRepo();
    home = path.join(path.dirname(repo), 'home');
    const api = await startFakeOpenAi(codexScript());
    const env = { HOME: home, CODEX_HOME: path.join(home, '.codex') };
    try {
      makeCodexHome(home, api.url);
      // init finds Codex (the devDependency) and has it trust our hooks through its app-server
      const r = track(repo, ['init', '--agent', 'codex', '--json'], undefined, {
        ...env,
        AGENT_TRACK_CODEX: path.join(ROOT, 'node_modules', '.bin', 'codex'),
      });
      expect(r.status).toBe(0);
      init = JSON.parse(r.stdout);
      const one = await runCodex({ cwd: repo, home, prompt: 'TURN-ONE: write notes' });
      expect(one.status).toBe(0);
      const two = await runCodex({ cwd: repo, home, prompt: 'TURN-TWO: edit the notes', resume: true });
      expect(two.status).toBe(0);
      thread = one.events.find((e) => e.type === 'thread.started').thread_id;
    } finally {
      await api.close();
    }
    expect(flushNow(repo).status).toBe(0);
    events = branchEvents(repo);
  }, 240_000);

  test('init wrote our hooks into .codex/hooks.json and Codex trusts them', () => {
    expect(init.codex).toMatchObject({ trusted: 2, trustWarning: null, projectTrusted: true });
    const hooks = JSON.parse(fs.readFileSync(path.join(repo, '.codex', 'hooks.json'), 'utf8')).hooks;
    expect(Object.keys(hooks).sort()).toEqual(['SessionStart', 'Stop']);
    // Claude Code's hooks were not asked for
    expect(
      fs.existsSync(path.join(repo, '.claude', 'settings.json'))
        ? (JSON.parse(fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8')).hooks ?? {})
        : {},
    ).toEqual({});
    expect(fs.existsSync(path.join(repo, '.git', 'agent-tracking', 'errors'))).toBe(false);
  });

  test('the branch holds the session: HEAD and process from the hook, every fact from the rollout', () => {
    expect(new Set(events.map((e) => e.session))).toEqual(new Set([thread]));
    const start = events.find((e) => e.type === 'session_start' && e.startSource === 'startup');
    expect(start).toMatchObject({ source: 'hook', agentTool: 'codex', branch: 'main', model: 'gpt-5.5' });
    expect(start.head).toBe(git(repo, ['rev-parse', 'HEAD']).trim());
    expect(typeof start.pid).toBe('number');
    const stats = JSON.parse(track(repo, ['stats', '--json']).stdout);
    expect(stats).toMatchObject({ sessions: 1, toolCalls: 3, toolFailures: 1, errors: 1, fileChanges: 2 });
    expect(stats.tokens).toEqual({ input: 2400, output: 710, cacheRead: 25800, cacheWrite: 0 });
    expect(stats.costUsd.toFixed(6)).toBe('0.046200');
    const sessions = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    expect(sessions).toMatchObject([{ session: thread, agentTool: 'codex', status: 'ended', prompts: 2 }]);
  });

  test('importing the same rollout afterwards adds nothing: live and import give the same events', () => {
    const again = JSON.parse(
      track(repo, ['import', '--agent', 'codex', '--json'], undefined, {
        CODEX_HOME: path.join(home, '.codex'),
      }).stdout,
    );
    const ids = new Set(events.map((e) => e.id));
    // (an automatic snapshot a later command took is no rollout event)
    expect(branchEvents(repo).filter((e) => !ids.has(e.id) && e.type !== 'snapshot')).toEqual([]);
    expect(again).toMatchObject({ sessions: 1, newSessions: 0, events: 0 });
  });
});
