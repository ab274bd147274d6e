/**
 * The handoff picks the right things, on a session of our own making that has the shapes of the real
 * ones the issue quotes (../shared/realdata): Claude Code's command records among the prompts, a
 * refused Edit with what the person said instead, a `command not found` the next call fixed, a long
 * failing test output whose assertion is at the end, files changed before the session and init's own
 * files, one text before three tool calls, chatter, a real choice, the recording machine's paths.
 */
import { emptySummary, foldSummary } from '../../src/model/session.js';
import { buildHandoff, MAX_CHARS, statedChoice } from '../../src/recovery/handoff.js';
import { foldRecovery } from '../../src/recovery/state.js';
import { tokenCounter } from '../../src/recovery/tokens.js';

const ROOT = '/Users/dev/work/app';
let n = 0;
const ev = (type: string, extra: Record<string, unknown> = {}, agent = 'main') => ({
  id: `e${++n}`,
  ts: `2026-11-01T00:${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}.000Z`,
  session: 'sess-handoff-1',
  agent,
  type,
  ...extra,
});
const call = (
  tool: string,
  input: unknown,
  outcome: 'success' | 'failed' | 'rejected' = 'success',
  extra: Record<string, unknown> = {},
) => {
  const id = `t${n + 1}`;
  return [
    ev('tool_start', { toolUseId: id, tool, input }),
    ev('tool_call', { toolUseId: id, tool, input, success: outcome === 'success', outcome, ...extra }),
  ];
};

const testOutput = [
  'Exit code 1',
  'PASS test/a.test.ts',
  ...Array.from({ length: 80 }, (_, i) => `  ✓ case ${i} (3 ms)`),
  'FAIL test/parser.test.ts',
  '  ● parses dates › keeps the zone',
  '    expect(received).toBe(expected)',
  '    Expected: "2026-01-01T00:00:00+01:00"',
  '    Received: "2025-12-31T23:00:00Z"',
  'Tests: 1 failed, 80 passed, 81 total',
].join('\n');

function session() {
  n = 0;
  return [
    ev('session_start', { cwd: ROOT, branch: 'feature/dates', source: 'startup' }),
    ev('prompt', { text: '<command-name>/mcp</command-name> <command-message>mcp</command-message>' }),
    ev('prompt', { text: '<local-command-stdout>Reconnected to context7.</local-command-stdout>' }),
    ev('prompt', { text: 'Fix the date parser: it drops the time zone' }),
    ev('decision', { toolUseId: 't7', rationale: 'ignored: attached to its call' }),
    ...call('Bash', { command: 'agent-track decide "x"' }, 'failed', {
      error: 'Exit code 127\n/bin/sh: agent-track: command not found',
    }),
    ...call('Bash', { command: 'npx agent-track decide "x"' }),
    ...call('Edit', { file_path: `${ROOT}/src/parser.ts`, old_string: 'a', new_string: 'b' }, 'rejected', {
      error:
        "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). To tell you how to proceed, the user said: keep the offset, do not convert to UTC",
    }),
    ...call('Edit', { file_path: `${ROOT}/src/parser.ts`, old_string: 'a', new_string: 'c' }),
    ...call('Write', { file_path: `${ROOT}/.agent-tracking.yml`, content: 'phase: p\n' }),
    ...call('Bash', { command: 'npm test 2>&1' }, 'failed', { error: testOutput }),
    ev('prompt', { text: 'Now also handle negative offsets, then run the tests again' }),
    ev('stop', { lastMessage: 'The zone is kept now; negative offsets still fail in parser.test.ts.' }),
  ];
}

// one text before three calls of one response; chatter; a stated choice
const rationale = (events: any[]) => {
  const calls = events.filter((e) => e.type === 'tool_call');
  calls[0].rationale = "You're absolutely right! Let me run that.";
  for (const c of calls.slice(1, 4))
    c.rationale =
      'I will use Temporal.ZonedDateTime instead of Date, because Date cannot keep an offset. Let me edit the parser.';
  return events;
};

test('the handoff of a session shaped like the real ones says what the next person needs, once each', async () => {
  const events = rationale(session());
  // the tree reads rationales from the calls: attach them as the transcript does (decision events)
  for (const c of events.filter((e: any) => e.type === 'tool_call' && e.rationale))
    events.push({ ...ev('decision', { toolUseId: c.toolUseId, rationale: c.rationale }), ts: c.ts });
  const summary = foldSummary(emptySummary('sess-handoff-1', 'phase-1', 'd'), events as any);
  const state = foldRecovery('sess-handoff-1', events as any);
  const snapshot: any = {
    id: 'sess-han@1',
    trigger: 'manual',
    ts: '2026-11-01T00:01:00.000Z',
    git: { head: 'abc' },
    // the work tree also held a change from before the session, and init's files
    files: [
      { path: 'src/parser.ts', status: 'modified' },
      { path: 'notes/old-change.md', status: 'modified' },
      { path: '.github/workflows/agent-tracking.yml', status: 'added' },
    ],
  };
  const h = buildHandoff(
    { summary, state, snapshot, crashed: true, cli: 'node node_modules/subagent-tracking/dist/bin.cjs' },
    await tokenCounter(),
    2000,
  );
  const md = h.markdown;
  if (process.env.SHOW_HANDOFF) console.log(md);
  // Claude Code's own records are not prompts: the goal is the person's first real one
  expect(md).toContain('## Goal\nFix the date parser: it drops the time zone\n');
  expect(md).not.toContain('local-command-stdout');
  expect(md).not.toContain('command-name');
  // the next step: the latest prompt, the agent's final message
  expect(md).toContain(
    "- The person's latest request: Now also handle negative offsets, then run the tests again",
  );
  expect(md).toContain(
    "- The agent's last message: The zone is kept now; negative offsets still fail in parser.test.ts.",
  );
  // the refusal is the person's choice, with their words; not an error
  expect(md).toContain(
    '- Edit `src/parser.ts` was declined by the person, who said: "keep the offset, do not convert to UTC"',
  );
  // the last error is the failing test run (the `command not found` was fixed by the next call) and
  // keeps the failing assertion from the end of a long output
  expect(md).toMatch(/## Last error\nBash `npm test 2>&1` failed:\n```\nExit code 1\n/);
  expect(md).toContain('    Received: "2025-12-31T23:00:00Z"\nTests: 1 failed, 80 passed, 81 total\n```');
  expect(md).toContain('lines left out');
  expect(md.split('command not found')).toHaveLength(2); // once, among earlier errors, resolved
  expect(md).toMatch(/agent-track: command not found.*\(resolved later\)/);
  // modified files: this session's, relative, without init's files or earlier changes
  expect(md).toContain('## Modified files\n- `src/parser.ts` (modified)\n\n');
  expect(md).not.toContain('old-change.md');
  expect(md).not.toContain('.agent-tracking.yml');
  expect(md).not.toContain(ROOT);
  // a decision is a stated choice, once; chatter is none
  expect(md).toContain(
    '## Decisions\n- I will use Temporal.ZonedDateTime instead of Date, because Date cannot keep an offset.\n',
  );
  expect(md.split('Temporal.ZonedDateTime')).toHaveLength(2);
  expect(md).not.toContain('absolutely right');
  // the branch as recorded, the command as this install runs it
  expect(md).toContain('on branch `feature/dates`');
  expect(md).toContain(
    '`node node_modules/subagent-tracking/dist/bin.cjs restore sess-han@1 --worktree PATH`',
  );
  expect(h.tokens).toBeLessThanOrEqual(2000);
  expect(md.length).toBeLessThan(10_000);
});

test('within 2,000 tokens and under 10,000 characters however much there is', async () => {
  n = 0;
  const events: any[] = [ev('prompt', { text: 'goal '.repeat(400) })];
  for (let i = 0; i < 400; i++) {
    events.push(...call('Write', { file_path: `${ROOT}/src/file-${i}.ts`, content: 'x' }));
    events.push(ev('prompt', { text: `prompt ${i} ${'word '.repeat(60)}` }));
  }
  const summary = foldSummary(emptySummary('sess-big', 'phase-1', 'd'), events);
  const h = buildHandoff(
    { summary, state: foldRecovery('sess-big', events), snapshot: null, crashed: false },
    await tokenCounter(),
    2000,
  );
  expect(h.tokens).toBeLessThanOrEqual(2000);
  expect(h.markdown.length).toBeLessThanOrEqual(MAX_CHARS);
  expect(h.markdown).toContain('- ... and ');
});

test('what a stated choice is', () => {
  expect(statedChoice("You're absolutely right! Let me fix that.")).toBeNull();
  expect(statedChoice('But `f` now takes `io.Writer` instead of `*cobra.Command`.')).toBeNull();
  expect(statedChoice('Great point. I will go with a map rather than a list, since lookups dominate.')).toBe(
    'I will go with a map rather than a list, since lookups dominate.',
  );
});
