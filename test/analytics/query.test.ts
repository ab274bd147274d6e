import * as path from 'node:path';
import { branchEvents, cleanupTmp, FIXTURE, flushNow, makeRepo, sprintPayloads, track } from '../lib/cli.js';

afterAll(cleanupTmp);

const query = (repo: string, sql: string, format = '--json') => {
  const r = track(repo, ['query', sql, format]);
  if (r.status !== 0) throw new Error(r.stderr);
  return format === '--json' ? JSON.parse(r.stdout) : r.stdout;
};

describe('agent-track query over the recorded sprint', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeRepo();
    expect(track(repo, ['import', path.join(FIXTURE, 'transcripts')]).status).toBe(0);
  });

  test('events: the same counts as the branch read with git', () => {
    const expected: Record<string, number> = {};
    for (const e of branchEvents(repo)) expected[e.type] = (expected[e.type] ?? 0) + 1;
    const rows = query(repo, 'select type, count(*) as n from events group by type');
    expect(Object.fromEntries(rows.map((r: any) => [r.type, r.n]))).toEqual(expected);
  });

  test('usage and sessions: cost equal to stats to the micro-dollar; tool calls and failures', () => {
    const stats = JSON.parse(track(repo, ['stats', '--json']).stdout);
    const [u] = query(repo, 'select round(sum(cost_usd), 8) as cost, sum(input_tokens) as input from usage');
    expect(u).toEqual({ cost: stats.costUsd, input: stats.tokens.input });
    const [s] = query(repo, 'select cost_usd, tool_calls, agents, phase from sessions');
    expect(s).toEqual({
      cost_usd: stats.costUsd,
      tool_calls: stats.toolCalls,
      agents: stats.agents,
      phase: 'phase-1',
    });
    const bash = query(
      repo,
      "select count(*) as calls, count(*) filter (where not success) as failed from tool_calls where tool = 'Bash'",
    );
    const calls = branchEvents(repo).filter((e) => e.type === 'tool_call' && e.tool === 'Bash');
    expect(bash).toEqual([{ calls: calls.length, failed: calls.filter((c) => !c.success).length }]);
    const agents = query(repo, 'select agent_type, outcome from agents order by outcome');
    expect(agents).toEqual([
      { agent_type: 'general-purpose', outcome: 'Review done: README is fine' },
      { agent_type: 'general-purpose', outcome: 'Wrote lib.txt' },
    ]);
    expect(query(repo, 'select count(*) as n from decisions')[0].n).toBeGreaterThan(0);
  });

  test('--csv, a table, and SQL errors in one line', () => {
    expect(query(repo, "select 'a,b' as x, 2 as y", '--csv')).toBe('x,y\n"a,b",2\n');
    const plain = track(repo, ['query', 'select 1 as one']);
    expect(plain.stdout).toMatch(/^one\s*\n1\s*\n$/);
    const bad = track(repo, ['query', 'select nope from events']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^agent-track: query failed: Binder Error: .*nope.*\n$/);
    expect(track(repo, ['query', 'select 1', '--json', '--csv']).stderr).toBe(
      'agent-track: give --json or --csv, not both\n',
    );
  });
});

test('an empty store answers with no rows; new events show up in the next query', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  expect(query(repo, 'select count(*) as n from events')).toEqual([{ n: 0 }]);
  expect(query(repo, 'select count(*) as n from sessions')).toEqual([{ n: 0 }]);
  for (const p of sprintPayloads(repo)) track(repo, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' });
  expect(flushNow(repo).status).toBe(0);
  const n = branchEvents(repo).length;
  expect(query(repo, 'select count(*) as n from events')).toEqual([{ n }]);
  const outside = track(path.dirname(repo), ['query', 'select 1']);
  expect(outside.stderr).toMatch(/^agent-track: not inside a git repository/);
});
