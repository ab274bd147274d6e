/**
 * End to end with the real Gemini CLI (@google/gemini-cli, the devDependency), offline against a
 * scripted stand-in of the Gemini API (streamed): two turns (`-p`, then `--resume latest -p`) with a
 * shell command that fails, a file written and then edited; imported from its saved chat, and captured
 * live through its hooks (init --agent gemini); the figures against Gemini CLI's own report and ccusage's.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { branchEvents, cleanupTmp, flushNow, git, makeRepo, ROOT, recordSprint, track } from '../lib/cli.js';
import { geminiScript, startFakeGemini } from '../lib/fake-gemini.js';
import { makeGeminiHome, runGemini } from '../lib/gemini.js';

afterAll(cleanupTmp);

/** Runs the scenario's two turns in `repo`; returns the session id and Gemini's own token report. */
async function scenario(repo: string, home: string) {
  const api = await startFakeGemini(geminiScript());
  try {
    const one = await runGemini({ cwd: repo, home, prompt: 'TURN-ONE: write notes', baseUrl: api.url });
    expect(one.status).toBe(0);
    const two = await runGemini({
      cwd: repo,
      home,
      prompt: 'TURN-TWO: edit the notes',
      baseUrl: api.url,
      resume: true,
    });
    expect(two.status).toBe(0);
    expect(two.result.session_id).toBe(one.result.session_id);
    expect(fs.readFileSync(path.join(repo, 'notes.txt'), 'utf8')).toBe('hello world\n');
    // each run reports its own requests: the session's figures are their sum
    const sum = (k: string) =>
      [one, two].reduce((a, r) => a + r.result.stats.models['gemini-2.5-flash'].tokens[k], 0);
    return {
      session: one.result.session_id as string,
      report: {
        input: sum('input'),
        cached: sum('cached'),
        candidates: sum('candidates'),
        thoughts: sum('thoughts'),
      },
    };
  } finally {
    await api.close();
  }
}

function expectTheSession(repo: string, events: any[], session: string) {
  expect(new Set(events.map((e) => e.session))).toEqual(new Set([session]));
  for (const e of events) if (e.type !== 'snapshot') expect(e.agentTool).toBe('gemini');
  expect(events.filter((e) => e.type === 'prompt').map((e) => e.text)).toEqual([
    'TURN-ONE: write notes',
    'TURN-TWO: edit the notes',
  ]);
  const calls = events.filter((e) => e.type === 'tool_call').sort((a, b) => a.ts.localeCompare(b.ts));
  expect(calls.map((c) => [c.tool, c.outcome])).toEqual([
    ['run_shell_command', 'failed'],
    ['write_file', 'success'],
    ['replace', 'success'],
  ]);
  expect(calls[0]).toMatchObject({ exitCode: 2, input: { command: 'ls does-not-exist' } });
  expect(events.filter((e) => e.type === 'error').map((e) => e.toolUseId)).toEqual([calls[0].toolUseId]);
  const changes = events.filter((e) => e.type === 'file_change').sort((a, b) => a.ts.localeCompare(b.ts));
  expect(changes.map((c) => [c.path, c.operation, c.diff])).toEqual([
    ['notes.txt', 'create', '--- /dev/null\n+++ b/notes.txt\n@@ -0,0 +1,1 @@\n+hello\n'],
    ['notes.txt', 'edit', '--- a/notes.txt\n+++ b/notes.txt\n@@ -1,1 +1,1 @@\n-hello\n+hello world\n'],
  ]);
  const hash = (s: string) => execFileSync('git', ['hash-object', '--stdin'], { input: s }).toString().trim();
  expect(changes[1]).toMatchObject({ blobBefore: hash('hello\n'), blobAfter: hash('hello world\n') });
  expect(events.filter((e) => e.type === 'usage')).toHaveLength(5);
}

describe('a real Gemini CLI session, imported from its saved chat', () => {
  let repo: string;
  let home: string;
  let events: any[];
  let run: Awaited<ReturnType<typeof scenario>>;

  beforeAll(async () => {
    repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    home = makeGeminiHome(path.join(path.dirname(repo), 'home'));
    run = await scenario(repo, home);
    const imp = track(repo, ['import', '--agent', 'gemini', '--json'], undefined, { HOME: home });
    expect(imp.status).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ sessions: 1, newSessions: 1, unknownModels: [] });
    events = branchEvents(repo);
  }, 300_000);

  test('the session, its prompts, tool calls with outcomes, the failure, file changes with diffs', () => {
    expectTheSession(repo, events, run.session);
    expect(events.find((e) => e.type === 'session_start')).toMatchObject({ cwd: fs.realpathSync(repo) });
    const sessions = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    expect(sessions).toMatchObject([{ session: run.session, agentTool: 'gemini', status: 'ended' }]);
  });

  test("tokens equal Gemini CLI's own report; cost equals ccusage's", () => {
    const stats = JSON.parse(track(repo, ['stats', '--json']).stdout);
    // the prompt holds the cached tokens; thinking is billed as output
    expect(stats.tokens).toEqual({
      input: run.report.input,
      cacheRead: run.report.cached,
      output: run.report.candidates + run.report.thoughts,
      cacheWrite: 0,
    });
    // gemini-2.5-flash at genai-prices' list price: $0.30 input, $0.03 cached, $2.50 output per million
    expect(stats.costUsd.toFixed(6)).toBe(((2400 * 0.3 + 25800 * 0.03 + 910 * 2.5) / 1e6).toFixed(6));
    const cc = JSON.parse(
      execFileSync(
        path.join(ROOT, 'node_modules/.bin/ccusage'),
        ['gemini', 'session', '--json', '--offline'],
        {
          env: { ...process.env, HOME: home },
          encoding: 'utf8',
        },
      ),
    );
    expect(cc.totals).toMatchObject({
      inputTokens: stats.tokens.input,
      cacheReadTokens: stats.tokens.cacheRead,
    });
    // ccusage's outputTokens leave the thoughts out, its totalTokens and its cost do not
    expect(cc.totals.totalTokens).toBe(stats.tokens.input + stats.tokens.cacheRead + stats.tokens.output);
    expect(stats.costUsd.toFixed(6)).toBe(cc.totals.totalCost.toFixed(6));
  });

  test('stats --by tool shows it beside a Claude Code session', () => {
    recordSprint(repo);
    const by = JSON.parse(track(repo, ['stats', '--by', 'tool', '--json']).stdout);
    expect(by.rows.map((r: any) => [r.key, r.sessions])).toEqual([
      ['claude-code', 1],
      ['gemini', 1],
    ]);
  });
});

describe('a real Gemini CLI session captured live through its hooks (init --agent gemini)', () => {
  let repo: string;
  let home: string;
  let events: any[];
  let run: Awaited<ReturnType<typeof scenario>>;

  beforeAll(async () => {
    repo = makeRepo();
    home = makeGeminiHome(path.join(path.dirname(repo), 'home'));
    const r = track(repo, ['init', '--agent', 'gemini', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).gemini).toMatchObject({ changed: true });
    run = await scenario(repo, home);
    expect(flushNow(repo).status).toBe(0);
    events = branchEvents(repo);
  }, 300_000);

  test('the hooks recorded the session; every fact from the chat', () => {
    expectTheSession(repo, events, run.session);
    const start = events.find((e) => e.type === 'session_start' && e.startSource === 'startup');
    expect(start).toMatchObject({ source: 'hook', branch: 'main' });
    expect(start.head).toBe(git(repo, ['rev-parse', 'HEAD']).trim());
    const sessions = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    expect(sessions).toMatchObject([
      { session: run.session, agentTool: 'gemini', status: 'ended', prompts: 2 },
    ]);
    const stats = JSON.parse(track(repo, ['stats', '--json']).stdout);
    expect(stats.tokens).toEqual({ input: 2400, cacheRead: 25800, output: 910, cacheWrite: 0 });
    expect(fs.existsSync(path.join(repo, '.git', 'agent-tracking', 'errors'))).toBe(false);
  });

  test('importing the chat afterwards adds nothing', () => {
    const before = branchEvents(repo).filter((e) => e.type !== 'snapshot').length;
    const again = JSON.parse(
      track(repo, ['import', '--agent', 'gemini', '--json'], undefined, { HOME: home }).stdout,
    );
    expect(again).toMatchObject({ sessions: 1, newSessions: 0, events: 0 });
    expect(branchEvents(repo).filter((e) => e.type !== 'snapshot')).toHaveLength(before);
  });
});
