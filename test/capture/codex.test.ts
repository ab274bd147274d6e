/**
 * The Codex adapter over a rollout in the older shape (Codex 0.4x: token_count only, exec_command_end,
 * patch_apply_end, the `shell` tool; a fixture of our own with the real lines' shape), and its figures
 * against ccusage's reading of the same file. The current shape is covered end to end with the real
 * CLI (test/e2e/codex.test.ts).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codexEvents, parsePatch, rolloutThreadId } from '../../src/capture/codex.js';
import { parseLines } from '../../src/capture/transcript.js';
import { totals } from '../../src/model/figures.js';
import { BUILTIN_PRICES } from '../../src/model/pricing.js';
import { emptySummary, foldSummary } from '../../src/model/session.js';
import { cleanupTmp, ROOT, tmpDir } from '../lib/cli.js';

afterAll(cleanupTmp);

const FILE = path.join(
  ROOT,
  'test/fixtures/codex/rollout-2025-10-02T09-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl',
);
const SESSION = '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const read = () => codexEvents(parseLines(fs.readFileSync(FILE, 'utf8')).records, { cap: 65536 });

test('the session is the thread id, named by the file and its session_meta', () => {
  expect(rolloutThreadId(FILE)).toBe(SESSION);
  const { session, events } = read();
  expect(session).toBe(SESSION);
  expect(events.find((e) => e.type === 'session_start')).toMatchObject({
    cwd: '/home/dev/proj',
    branch: 'main',
    head: '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39',
    model: 'gpt-5-codex',
    version: '0.46.0',
    agentTool: 'codex',
  });
  // the prompt once (the environment context is not a prompt)
  expect(events.filter((e) => e.type === 'prompt').map((e) => e.text)).toEqual(['fix the build']);
});

test('older lines: exit code and duration from exec_command_end, changes from the patch itself', () => {
  const { events } = read();
  const calls = events.filter((e) => e.type === 'tool_call');
  expect(calls.map((c) => [c.tool, c.outcome, c.durationMs])).toEqual([
    ['shell', 'failed', 1250],
    ['apply_patch', 'success', 300],
  ]);
  expect(calls[0]).toMatchObject({ exitCode: 2, input: { command: ['bash', '-lc', 'make'] } });
  expect(events.filter((e) => e.type === 'error').map((e) => e.toolUseId)).toEqual(['call_a1']);
  const changes = events.filter((e) => e.type === 'file_change');
  expect(changes.map((c) => [c.path, c.operation, c.diff])).toEqual([
    ['Makefile', 'create', '--- /dev/null\n+++ b/Makefile\n@@ -0,0 +1,2 @@\n+all:\n+\techo ok\n'],
    ['src/main.c', 'edit', '--- a/src/main.c\n+++ b/src/main.c\n@@\n-int x = 1;\n+int x = 2;\n'],
  ]);
  // two files of one call: two ids
  expect(new Set(changes.map((c) => c.id)).size).toBe(2);
  expect(events.find((e) => e.type === 'decision')).toMatchObject({
    rationale: '**Running the build**',
    toolUseId: 'call_a1',
  });
});

test('a repeated token_count is one response; the same file read twice gives the same ids', () => {
  const a = read().events;
  const usage = a.filter((e) => e.type === 'usage');
  expect(usage.map((u) => u.tokens)).toEqual([
    {
      input: 2000,
      cacheRead: 1000,
      cacheWrite: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      output: 200,
      reasoning: 64,
    },
    {
      input: 600,
      cacheRead: 2900,
      cacheWrite: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      output: 150,
      reasoning: 0,
    },
    {
      input: 300,
      cacheRead: 3500,
      cacheWrite: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      output: 30,
      reasoning: 0,
    },
  ]);
  expect(read().events.map((e) => e.id)).toEqual(a.map((e) => e.id));
});

test("the figures equal ccusage's for the same rollout", () => {
  const { events } = read();
  const summary = foldSummary(emptySummary(SESSION, 'p', 'd'), events);
  const t = totals([summary], BUILTIN_PRICES);
  expect(t).toMatchObject({ toolCalls: 2, toolFailures: 1, errors: 1, fileChanges: 2 });
  const home = tmpDir();
  const dir = path.join(home, 'sessions', '2025', '10', '02');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(FILE, path.join(dir, path.basename(FILE)));
  const cc = JSON.parse(
    execFileSync(path.join(ROOT, 'node_modules/.bin/ccusage'), ['codex', 'session', '--json', '--offline'], {
      env: { ...process.env, CODEX_HOME: home },
      encoding: 'utf8',
    }),
  );
  expect({
    input: cc.totals.inputTokens,
    output: cc.totals.outputTokens,
    cacheRead: cc.totals.cacheReadTokens,
    cacheWrite: cc.totals.cacheCreationTokens,
  }).toEqual(t.tokens);
  expect(t.costUsd).not.toBeNull();
  expect(t.costUsd!.toFixed(6)).toBe(cc.totals.costUSD.toFixed(6));
});

test('parsePatch: added, updated, deleted and moved files', () => {
  expect(
    parsePatch(
      '*** Begin Patch\n*** Add File: a.txt\n+one\n*** Delete File: b.txt\n*** Update File: c.txt\n*** Move to: d.txt\n@@ ctx\n-x\n+y\n*** End Patch\n',
    ),
  ).toEqual([
    { path: 'a.txt', kind: 'add', hunks: '@@ -0,0 +1,1 @@\n+one\n', content: 'one\n' },
    { path: 'b.txt', kind: 'delete', hunks: '', content: null },
    { path: 'c.txt', kind: 'update', hunks: '@@ ctx\n-x\n+y\n', content: null, movePath: 'd.txt' },
  ]);
});
