/** The one derivation (src/model/figures.ts), the canonical policy and the one status, as pure functions. */
import { canonicalEvent } from '../../src/model/canonical.js';
import type { BaseEvent } from '../../src/model/events.js';
import { breakdown, totals, usdText, weekOf } from '../../src/model/figures.js';
import { BUILTIN_PRICES } from '../../src/model/pricing.js';
import { emptySummary, foldSummary, sessionStatus } from '../../src/model/session.js';

let n = 0;
const ev = (o: Partial<BaseEvent> & { type: BaseEvent['type']; ts: string }): BaseEvent => ({
  id: `e${n++}`,
  session: 's1',
  agent: 'main',
  ...o,
});
const usage = (ts: string, model: string, input: number, agent = 'main', agentType?: string) =>
  ev({
    ts,
    type: 'usage',
    model,
    agent,
    agentType,
    tokens: { input, output: 0, cacheRead: 0, cacheWrite: 0 },
  });
const fold = (session: string, events: BaseEvent[], author?: string) => ({
  ...foldSummary(
    emptySummary(session, 'p', `d/${session}`),
    events.map((e) => ({ ...e, session })),
  ),
  author: author ? { name: author, email: `${author}@example.com` } : null,
});

describe('figures', () => {
  const a = fold(
    'a',
    [
      usage('2026-11-02T10:00:00.000Z', 'claude-haiku-4-5', 1_000_000), // Monday
      usage('2026-11-08T23:59:00.000Z', 'claude-haiku-4-5', 1_000_000, 'x1', 'Explore'), // Sunday
    ],
    'ann',
  );
  const b = fold('b', [usage('2026-11-09T00:01:00.000Z', 'claude-sonnet-4-6', 100_000)], 'bob');

  test('weeks start on Monday (UTC); days, weeks and months add up to the totals', () => {
    expect(weekOf('2026-11-08')).toBe('2026-11-02');
    expect(weekOf('2026-11-09')).toBe('2026-11-09');
    const t = totals([a, b], BUILTIN_PRICES);
    expect(t.costUsd).toBe(2.3);
    const weeks = breakdown([a, b], 'week', BUILTIN_PRICES);
    expect(weeks.map((r) => [r.key, r.costUsd, r.sessions])).toEqual([
      ['2026-11-02', 2, 1],
      ['2026-11-09', 0.3, 1],
    ]);
    expect(breakdown([a, b], 'month', BUILTIN_PRICES).map((r) => [r.key, r.costUsd])).toEqual([
      ['2026-11', 2.3],
    ]);
    expect(breakdown([a, b], 'agent', BUILTIN_PRICES).map((r) => [r.key, r.costUsd])).toEqual([
      ['Explore', 1],
      ['main', 1.3],
    ]);
    expect(breakdown([a, b], 'author', BUILTIN_PRICES).map((r) => r.key)).toEqual([
      'ann <ann@example.com>',
      'bob <bob@example.com>',
    ]);
  });

  test('--since/--until keep the days in range, and the sessions active in it', () => {
    const t = totals([a, b], BUILTIN_PRICES, { since: '2026-11-08', until: '2026-11-08' });
    expect(t).toMatchObject({ sessions: 1, costUsd: 1, tokens: { input: 1_000_000 } });
    expect(totals([a, b], BUILTIN_PRICES, { since: '2026-12-01' })).toMatchObject({
      sessions: 0,
      costUsd: 0,
    });
  });

  test('a cost is printed the same way everywhere; unpriced is never $0', () => {
    expect(usdText(0.068763)).toBe('$0.068763');
    expect(usdText(null)).toBe('unpriced');
    expect(usdText(1.5, 10)).toBe('$1.500000 + unpriced');
  });
});

describe('canonical events', () => {
  test("an earlier release's transcript-only error is the failed call it stands for, under this release's id", () => {
    const err = ev({
      ts: 't',
      type: 'error',
      source: 'transcript',
      toolUseId: 'tu1',
      tool: 'Edit',
      message: 'File has not been read yet. Read it first before writing to it.',
    });
    const out = canonicalEvent(err);
    expect(out.map((e) => [e.type, e.outcome])).toEqual([
      ['tool_call', 'failed'],
      ['error', 'failed'],
    ]);
    const s = foldSummary(emptySummary('s1', 'p', 'd'), [err, err]);
    expect(s).toMatchObject({ toolCalls: 1, toolFailures: 1, errors: 1 });
  });

  test("a person's refusal recorded as an error by an earlier release is a refused call, not an error", () => {
    const refusal = ev({
      ts: 't',
      type: 'error',
      source: 'transcript',
      toolUseId: 'tu2',
      tool: 'ExitPlanMode',
      message: "The user doesn't want to proceed with this tool use. The tool use was rejected",
    });
    const s = foldSummary(emptySummary('s1', 'p', 'd'), [refusal]);
    expect(s).toMatchObject({ toolCalls: 1, toolFailures: 0, toolRejected: 1, errors: 0 });
  });

  test('the hook and the transcript reporting one failure make one call and one error', () => {
    const hookCall = ev({
      ts: 't1',
      type: 'tool_call',
      toolUseId: 'tu3',
      success: false,
      error: 'Exit code 3',
    });
    const hookErr = ev({ ts: 't1', type: 'error', source: 'tool', toolUseId: 'tu3', message: 'Exit code 3' });
    const trCall = { ...hookCall, id: 'other', source: 'transcript', outcome: 'failed' };
    const trErr = { ...hookErr, id: 'other-e', source: 'transcript' };
    const s = foldSummary(emptySummary('s1', 'p', 'd'), [hookCall, hookErr, trCall, trErr]);
    expect(s).toMatchObject({ toolCalls: 1, toolFailures: 1, errors: 1 });
  });

  test('every event names its agent type: main, or the subagent type its start gave', () => {
    const start = ev({ ts: 't', type: 'agent_start', agent: 'x9', agentId: 'x9', agentType: 'Plan' });
    const u = usage('2026-11-02T10:00:00.000Z', 'claude-haiku-4-5', 10, 'x9');
    const s = foldSummary(emptySummary('s1', 'p', 'd'), [start, u]);
    expect(Object.values(s.cells ?? {}).map((c) => c.agentType)).toEqual(['Plan']);
    expect(canonicalEvent(usage('t', 'm', 1))[0].agentType).toBe('main');
  });
});

describe('the one status', () => {
  const ctx = (alive: boolean) => ({
    now: Date.parse('2026-11-02T12:00:00Z'),
    host: 'h',
    alive: () => alive,
    crashedAfterMinutes: 30,
  });
  const base = { ended: null, lastActivity: '2026-11-02T11:59:00Z', pid: 42, host: 'h' };
  test('running while its process lives; ended after its last turn even without SessionEnd; crashed mid-turn', () => {
    expect(sessionStatus({ ...base, lastTurnEnded: false }, ctx(true))).toBe('running');
    expect(sessionStatus({ ...base, lastTurnEnded: true }, ctx(false))).toBe('ended');
    expect(sessionStatus({ ...base, lastTurnEnded: false }, ctx(false))).toBe('crashed');
    expect(sessionStatus({ ...base, ended: '2026-11-02T11:59:00Z' }, ctx(false))).toBe('ended');
    // another host: judged by silence
    const other = { ...base, host: 'elsewhere', lastActivity: '2026-11-02T10:00:00Z' };
    expect(sessionStatus({ ...other, lastTurnEnded: false }, ctx(true))).toBe('crashed');
    expect(sessionStatus({ ...other, lastActivity: '2026-11-02T11:50:00Z' }, ctx(true))).toBe('running');
  });
});
