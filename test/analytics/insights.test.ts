/**
 * The review judged on sessions of the real shapes (transcripts as Claude Code writes them, our own
 * contents): a person's refusals and plan declines, a permission rule's denials, cascades after a
 * sibling's failure, pytest / jest / tsc failures with their banners, and a pattern a later phase
 * no longer has. Imported through the CLI and reviewed by the CLI, as a user runs it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorOutcome } from '../../src/model/canonical.js';
import { causeLine, maskLine, programOf } from '../../src/model/causes.js';
import { cleanupTmp, makeRepo, track } from '../lib/cli.js';

afterAll(cleanupTmp);

const json = (repo: string, args: string[]) => {
  const r = track(repo, [...args, '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

type Step = { tool: string; input: Record<string, unknown>; error?: string; parallel?: boolean };

/** A transcript: a prompt, then one response per step (parallel steps share a response), each priced. */
function transcript(session: string, day: string, steps: Step[]): string {
  const lines: string[] = [];
  let t = Date.parse(`${day}T10:00:00.000Z`);
  const ts = () => {
    t += 1000;
    return new Date(t).toISOString();
  };
  const meta = {
    sessionId: session,
    cwd: '/work/proj',
    gitBranch: 'main',
    version: '2.1.30',
    isSidechain: false,
  };
  lines.push(
    JSON.stringify({ ...meta, type: 'user', timestamp: ts(), message: { role: 'user', content: 'do it' } }),
  );
  let k = 0;
  for (let i = 0; i < steps.length; i++) {
    const batch = [steps[i]];
    while (steps[i + 1]?.parallel) batch.push(steps[++i]);
    const ids = batch.map(() => `toolu_${session}_${k++}`);
    lines.push(
      JSON.stringify({
        ...meta,
        type: 'assistant',
        timestamp: ts(),
        requestId: `req_${ids[0]}`,
        message: {
          id: `msg_${ids[0]}`,
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          usage: {
            input_tokens: 100,
            output_tokens: 50,
            cache_read_input_tokens: 1000,
            cache_creation_input_tokens: 0,
          },
          content: batch.map((b, j) => ({ type: 'tool_use', id: ids[j], name: b.tool, input: b.input })),
        },
      }),
    );
    lines.push(
      JSON.stringify({
        ...meta,
        type: 'user',
        timestamp: ts(),
        message: {
          role: 'user',
          content: batch.map((b, j) => ({
            type: 'tool_result',
            tool_use_id: ids[j],
            ...(b.error ? { is_error: true, content: b.error } : { content: 'ok' }),
          })),
        },
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

const REJECTED =
  "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";
const DENIED = 'Permission to use Bash with command rm -rf build has been denied.';
const CASCADE = '<tool_use_error>Sibling tool call errored</tool_use_error>';
const pytestFailure = (n: number) =>
  [
    `Exit code 1`,
    '============================= test session starts ==============================',
    'platform linux -- Python 3.12.1, pytest-8.3.2, pluggy-1.5.0',
    `rootdir: /home/someone/proj${n}`,
    'collected 12 items',
    '',
    'tests/test_parse.py ....F.......                                        [100%]',
    '',
    '=================================== FAILURES ===================================',
    '_________________________________ test_dates __________________________________',
    '    def test_dates():',
    `>       assert parse("2026-0${n}-01") == date(2026, ${n}, 1)`,
    'E       AssertionError: assert None == datetime.date(2026, 1, 1)',
    '',
    '=========================== short test summary info ============================',
    `FAILED tests/test_parse.py::test_dates - AssertionError: assert None == datetime.date(2026, ${n}, 1)`,
    `========================= 1 failed, 11 passed in 0.${n}3s =========================`,
  ].join('\n');
const jestFailure = [
  'FAIL src/sum.test.ts',
  '  ● sum › adds negative numbers',
  '',
  '    expect(received).toBe(expected) // Object.is equality',
  '',
  '    Expected: -3',
  '    Received: 3',
  '',
  'Tests:       1 failed, 4 passed, 5 total',
].join('\n');
const tscFailure = "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.";
const notRead =
  '<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>';

const plan = { plan: '1. do it' };
const pytest = { command: 'cd /work/proj && uv run pytest tests -q' };
const jestRun = { command: 'npx jest src/sum.test.ts' };
const tsc = { command: 'npx tsc --noEmit' };
const edit = (f: string) => ({ file_path: `/work/proj/${f}`, old_string: 'a', new_string: 'b' });

function write(dir: string, sessions: Record<string, string>) {
  const project = path.join(dir, '-work-proj');
  fs.mkdirSync(project, { recursive: true });
  for (const [id, text] of Object.entries(sessions))
    fs.writeFileSync(path.join(project, `${id}.jsonl`), text);
}

describe('causes from the documented output formats', () => {
  test.each([
    [
      pytestFailure(3),
      'test',
      'FAILED test_parse.py::test_dates - AssertionError: assert None == datetime.date({n}, {n}, {n})',
    ],
    [jestFailure, 'test', 'failed: sum › adds negative numbers'],
    [tscFailure, 'compile', "TS2322: Type 'string' is not assignable to type 'number'."],
    ["  12:5  error  'x' is not defined  no-undef", 'lint', "eslint no-undef: 'x' is not defined"],
    ['--- FAIL: TestParse (0.00s)\n    parse_test.go:12: got 1, want 2', 'test', '--- FAIL: TestParse'],
    ['error[E0308]: mismatched types\n --> src/main.rs:2:5', 'compile', 'error[E0308]: mismatched types'],
    [
      'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nKeyError: \'id\'',
      'exception',
      "KeyError: 'id'",
    ],
    ['Exit code 127\n/bin/bash: line 1: pytest: command not found', 'shell', 'command not found: pytest'],
    ['npm error Missing script: "lint"', 'tool', 'npm Missing script: "lint"'],
  ])('%#: the cause line', (text, kind, line) => {
    const c = causeLine(text);
    expect([c.kind, maskLine(c.line)]).toEqual([kind, line]);
  });

  test.each([
    ['cd /work/proj && uv run pytest tests -q', 'pytest'],
    ['FOO=1 npx jest src', 'jest'],
    ['npm run build 2>&1 | tail', 'npm run build'],
    ['go test ./...', 'go test'],
    ['(source .venv/bin/activate && python -m pytest)', 'pytest'],
    ['timeout 30 cargo test', 'cargo test'],
  ])('the program of %s', (command, program) => expect(programOf(command)).toBe(program));

  test("Claude Code's own strings: refusals, denials and cascades are not failures", () => {
    expect(errorOutcome(REJECTED)).toBe('rejected');
    expect(errorOutcome(DENIED)).toBe('denied');
    expect(
      errorOutcome("Error: Claude requested permissions to use WebSearch, but you haven't granted it yet."),
    ).toBe('denied');
    expect(errorOutcome(CASCADE)).toBe('cascaded');
    expect(errorOutcome(notRead)).toBe('failed');
    expect(errorOutcome('Permission denied (publickey).')).toBe('failed'); // ssh's words, not Claude Code's
  });
});

test('two phases of real shapes: outcomes, causes, costs, recommendations and what worked', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  const src1 = path.join(path.dirname(repo), 'phase1');
  const s = (n: number) => `aaaaaaaa-0000-4000-8000-00000000000${n}`;
  write(src1, {
    [s(1)]: transcript(s(1), '2026-11-20', [
      { tool: 'ExitPlanMode', input: plan, error: REJECTED },
      { tool: 'ExitPlanMode', input: plan },
      { tool: 'Edit', input: edit('a.py'), error: notRead },
      { tool: 'Read', input: { file_path: '/work/proj/a.py' } },
      { tool: 'Edit', input: edit('a.py') },
      { tool: 'Bash', input: pytest, error: pytestFailure(1) },
      {
        tool: 'Read',
        input: { file_path: '/work/proj/tests/test_parse.py' },
        error: CASCADE,
        parallel: true,
      },
      { tool: 'Bash', input: pytest },
    ]),
    [s(2)]: transcript(s(2), '2026-11-21', [
      { tool: 'ExitPlanMode', input: plan, error: REJECTED },
      { tool: 'Bash', input: { command: 'rm -rf build' }, error: DENIED },
      { tool: 'Edit', input: edit('b.py'), error: notRead },
      { tool: 'Edit', input: edit('b.py') },
      { tool: 'Bash', input: pytest, error: pytestFailure(2) },
      { tool: 'Bash', input: pytest, error: pytestFailure(3) },
      { tool: 'Bash', input: jestRun, error: jestFailure },
      { tool: 'Bash', input: tsc, error: tscFailure },
      { tool: 'Bash', input: tsc },
    ]),
  });
  expect(track(repo, ['import', src1]).status).toBe(0);
  const r = json(repo, ['review']);

  // outcomes mean what they say: only the tools' own failures are failures
  expect(r.outcomes).toEqual({ success: 6, failed: 7, rejected: 2, denied: 1, interrupted: 0, cascaded: 1 });
  expect(r.tools.find((t: any) => t.tool === 'ExitPlanMode')).toMatchObject({
    calls: 3,
    failures: 0,
    rejected: 2,
  });
  expect(r.tools.find((t: any) => t.tool === 'Read')).toMatchObject({ failures: 0, cascaded: 1 });

  // patterns by cause: the failing test (not the banner), across its numbers; the assertion-free jest
  // title; tsc's code; Read-before-Edit. Nothing from a refusal, a denial or a cascade.
  const by = (p: RegExp) => r.errors.find((e: any) => p.test(e.pattern));
  expect(r.errors.map((e: any) => e.pattern).join('\n')).not.toMatch(
    /test session starts|proceed|denied|Sibling/,
  );
  expect(by(/^FAILED test_parse\.py::test_dates/)).toMatchObject({
    tool: 'Bash',
    program: 'pytest',
    kind: 'test',
    count: 3,
    sessions: 2,
    retried: 2, // the last failure was not tried again
    fixed: 1,
  });
  expect(by(/has not been read yet/)).toMatchObject({
    tool: 'Edit',
    count: 2,
    sessions: 2,
    retried: 2,
    fixed: 2,
  });
  expect(by(/^failed: sum › adds negative numbers$/)).toMatchObject({ program: 'jest', count: 1 });
  expect(by(/^TS2322: Type 'string'/)).toMatchObject({
    program: 'tsc',
    kind: 'compile',
    retried: 1,
    fixed: 1,
  });
  expect(r.errors).toHaveLength(4);
  // what they cost: each call's share of the response that made it, summed over the failures and retries
  const test = by(/^FAILED test_parse/);
  expect(test.costUsd).toBeGreaterThan(0);
  expect(test.tokens).toBe(4 * 1150 - 1150 / 2); // 3 failures (one shared with a cascade) + the retry that worked
  expect(r.costs.byOutcome.failed.calls).toBe(7);
  expect(r.costs.byOutcome.rejected).toMatchObject({ calls: 2, tokens: 2300 });

  // recommendations: specific, quantified, with sessions to open; none about a refusal, denial or cascade
  expect(r.recommendations.length).toBeGreaterThanOrEqual(2);
  for (const x of r.recommendations) {
    expect(`${x.text} ${x.evidence}`).not.toMatch(/proceed|declin|denied|Sibling|rejected/i);
    expect(x.evidence).toMatch(/\d+ times in \d+ sessions?/);
    expect(x.evidence).toMatch(/\$\d/);
    expect(x.sessions.length).toBeGreaterThan(0);
  }
  const rec = r.recommendations.find((x: any) => /has not been read yet/.test(x.text));
  expect(rec.text).toContain('CLAUDE.md');
  expect(rec.sessions.sort()).toEqual([s(1), s(2)].sort());
  // ranked by what they cost
  const costs = r.recommendations.map((x: any) => x.savingsUsd ?? -1);
  expect(costs).toEqual([...costs].sort((a: number, b: number) => b - a));

  // the review as Markdown: what a reader sees
  const ended = json(repo, ['phase', 'end']);
  expect(ended.next).toBe('phase-2');
  const md = track(repo, ['review', '--phase', 'phase-1']).stdout;
  expect(md).toContain('2 declined by the person');
  expect(md).toContain('The person declined 2 of 3 plans.');
  expect(md).toContain('1 cancelled after a sibling call failed');
  expect(md).not.toMatch(/<(n|path|id)>/);

  // the next phase: the Read-before-Edit refusals are gone, the test still fails
  const src2 = path.join(path.dirname(repo), 'phase2');
  write(src2, {
    [s(3)]: transcript(s(3), '2026-11-28', [
      { tool: 'Read', input: { file_path: '/work/proj/c.py' } },
      { tool: 'Edit', input: edit('c.py') },
      { tool: 'Bash', input: pytest, error: pytestFailure(4) },
      { tool: 'Bash', input: pytest, error: pytestFailure(5) },
    ]),
  });
  expect(track(repo, ['import', src2]).status).toBe(0);
  const r2 = json(repo, ['review']);
  expect(r2.phase).toBe('phase-2');
  expect(r2.worked).toEqual([
    {
      pattern: expect.stringMatching(/has not been read yet/),
      tool: 'Edit',
      program: null,
      before: 2,
      after: 0,
    },
  ]);
  const again = r2.errors.find((e: any) => /^FAILED test_parse/.test(e.pattern));
  expect(again).toMatchObject({ count: 2, previousCount: 3 });
  expect(r2.recommendations[0].evidence).toContain('3 in phase-1');
});
