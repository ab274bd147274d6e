import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  branchEvents,
  cleanupTmp,
  FIXTURE,
  flushNow,
  git,
  makeRepo,
  sprintPayloads,
  track,
} from '../lib/cli.js';

afterAll(cleanupTmp);

const json = (repo: string, args: string[]) => {
  const r = track(repo, [...args, '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};
/** DuckDB's quantile_cont: linear interpolation between the closest ranks. */
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((s[lo] + (s[hi] - s[lo]) * (pos - lo)) * 100) / 100;
};

/** A generated phase: sessions of tool calls with chosen durations and failures, recorded through the hook. */
function generatedPhase(repo: string, sessions: number) {
  const expected: Record<string, { durations: number[]; failures: number }> = {};
  const messages: Array<{ session: string; message: string; program: string }> = [];
  for (let s = 0; s < sessions; s++) {
    const session = `gen-${s}`;
    const base = { session_id: session, cwd: repo, transcript_path: '/dev/null' };
    const hook = (p: object) =>
      track(repo, ['hook'], JSON.stringify({ ...base, ...p }), { AGENT_TRACK_NO_FLUSH: '1' });
    hook({ hook_event_name: 'SessionStart', source: 'startup' });
    hook({ hook_event_name: 'UserPromptSubmit', prompt: `task ${s}` });
    for (let k = 0; k < 6; k++) {
      const tool = ['Bash', 'Read', 'Grep'][k % 3];
      const id = `toolu_${s}_${k}`;
      const duration = 100 * (s + 1) + 17 * k;
      const fail = tool === 'Bash' && (s + k) % 2 === 0;
      const input = tool === 'Bash' ? { command: `make step${k}` } : { file_path: `${repo}/f${k}.txt` };
      hook({ hook_event_name: 'PreToolUse', tool_name: tool, tool_input: input, tool_use_id: id });
      const message = `Exit code ${k + 1}\nmake: *** No rule to make target '/src/step${k}/${s}.o'. Stop.`;
      if (fail) {
        hook({
          hook_event_name: 'PostToolUseFailure',
          tool_name: tool,
          tool_input: input,
          tool_use_id: id,
          error: message,
          duration_ms: duration,
        });
        messages.push({ session, message, program: `make step${k}` });
      } else
        hook({
          hook_event_name: 'PostToolUse',
          tool_name: tool,
          tool_input: input,
          tool_use_id: id,
          tool_response: { ok: true },
          duration_ms: duration,
        });
      expected[tool] ??= { durations: [], failures: 0 };
      expected[tool].durations.push(duration);
      if (fail) expected[tool].failures++;
    }
    if (s < sessions - 1) hook({ hook_event_name: 'SessionEnd', reason: 'other' });
  }
  expect(flushNow(repo).status).toBe(0);
  return { expected, messages };
}

test('the recorded sprint: figures equal stats and the events read independently', () => {
  const repo = makeRepo();
  expect(track(repo, ['import', path.join(FIXTURE, 'transcripts')]).status).toBe(0);
  const r = json(repo, ['review']);
  const stats = json(repo, ['stats']);
  expect(Object.keys(r)).toEqual([
    'phase',
    'sessions',
    'costUsd',
    'unpricedTokens',
    'unpricedModels',
    'tokens',
    'agents',
    'tools',
    'outcomes',
    'errors',
    'worked',
    'costs',
    'recommendations',
  ]);
  expect(r).toMatchObject({ phase: 'phase-1', sessions: 1, costUsd: stats.costUsd, tokens: stats.tokens });
  expect(r.costUsd).toBe(0.068763);
  const calls = branchEvents(repo).filter((e) => e.type === 'tool_call');
  for (const t of r.tools) {
    const mine = calls.filter((c) => c.tool === t.tool);
    expect(t).toEqual({
      tool: t.tool,
      calls: mine.length,
      failures: mine.filter((c) => !c.success).length,
      failureRate: Math.round((mine.filter((c) => !c.success).length / mine.length) * 1e4) / 1e4,
      // the sprint's failures are the tools' own (read independently: every stored outcome)
      rejected: mine.filter((c) => c.outcome === 'rejected').length,
      denied: mine.filter((c) => c.outcome === 'denied').length,
      interrupted: mine.filter((c) => c.outcome === 'interrupted').length,
      cascaded: mine.filter((c) => c.outcome === 'cascaded').length,
      p50Ms: quantile(
        mine.map((c) => c.durationMs),
        0.5,
      ),
      p95Ms: quantile(
        mine.map((c) => c.durationMs),
        0.95,
      ),
    });
  }
  expect(r.agents.map((a: any) => [a.type, a.runs])).toEqual([
    ['general-purpose', 2],
    ['main', 1],
  ]);
  // spend by agent type adds up to the phase's cost
  expect(Math.round(r.agents.reduce((a: number, x: any) => a + x.costUsd * 1e8, 0))).toBe(
    Math.round(r.costUsd * 1e8),
  );
  expect(r.costs.byModel).toEqual({ 'claude-sonnet-4-5': 0.068763 });
  expect(track(repo, ['review']).stdout).toContain(
    '```mermaid\npie showData\n  title Cost by model (USD)\n  "claude-sonnet-4-5" : 0.068763\n```',
  );
  expect(r.costs.cacheHitRatio).toBe(Math.round((22000 / (11016 + 22000 + 3300)) * 1e4) / 1e4);
});

test('a generated phase with known answers; a running session; end, list and the next phase', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  const { expected, messages } = generatedPhase(repo, 4);
  const r = json(repo, ['review']);
  expect(r.sessions).toBe(4);
  for (const [tool, e] of Object.entries(expected)) {
    expect(r.tools.find((t: any) => t.tool === tool)).toEqual({
      tool,
      calls: e.durations.length,
      failures: e.failures,
      failureRate: Math.round((e.failures / e.durations.length) * 1e4) / 1e4,
      rejected: 0,
      denied: 0,
      interrupted: 0,
      cascaded: 0,
      p50Ms: quantile(e.durations, 0.5),
      p95Ms: quantile(e.durations, 0.95),
    });
  }
  // error messages differing only in numbers and paths are one cause: one pattern per program
  // (`make step0`, `make step3`), each seen across sessions, its cause line past the exit code
  const programs = [...new Set(messages.map((m) => m.program))].sort();
  expect(r.errors.map((e: any) => e.program).sort()).toEqual(programs);
  for (const program of programs) {
    const mine = messages.filter((m) => m.program === program);
    expect(r.errors.find((e: any) => e.program === program)).toMatchObject({
      tool: 'Bash',
      pattern: "make: *** No rule to make target '{path}'. Stop.",
      count: mine.length,
      sessions: new Set(mine.map((m) => m.session)).size,
    });
  }
  // the last session has not ended and is still running (recent activity): not a failed run;
  // a main run fails only when its session crashed (the one status, model/session.ts)
  expect(r.agents.find((a: any) => a.type === 'main')).toMatchObject({ runs: 4, failures: 0 });
  // each recurring cause is a recommendation with its count, sessions and sessions to open
  for (const program of programs) {
    const mine = messages.filter((m) => m.program === program);
    const rec = r.recommendations.find((x: any) => x.text.startsWith(`Bash \`${program}\` failed`));
    expect(rec.evidence).toContain(
      `${mine.length} times in ${new Set(mine.map((m) => m.session)).size} sessions`,
    );
    expect(rec.sessions.length).toBeGreaterThan(0);
  }

  const ended = json(repo, ['phase', 'end']);
  expect(ended).toMatchObject({ ended: 'phase-1', next: 'phase-2' });
  expect(JSON.parse(git(repo, ['show', 'agent-tracking:phases/phase-1/review.json']))).toEqual(ended.review);
  const md = git(repo, ['show', 'agent-tracking:phases/phase-1/review.md']);
  expect(md).toContain('```mermaid\nxychart-beta\n  title "Tool failure rate (%)"');
  expect(md).toContain('## Cost per session over time');
  expect(json(repo, ['review', '--phase', 'phase-1'])).toEqual(ended.review);
  // a new session belongs to the new phase (its transcripts where its payloads say they are)
  const home = path.join(path.dirname(repo), 'home');
  fs.cpSync(path.join(FIXTURE, 'transcripts'), path.join(home, '.claude', 'projects'), { recursive: true });
  for (const p of sprintPayloads(repo, home)) track(repo, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' });
  expect(flushNow(repo).status).toBe(0);
  const phases = json(repo, ['phase', 'list']);
  expect(phases.map((p: any) => [p.name, p.current, p.sessions, p.reviewed])).toEqual([
    ['phase-1', false, 4, true],
    ['phase-2', true, 1, false],
  ]);
  const next = json(repo, ['review']);
  expect(next).toMatchObject({ phase: 'phase-2', sessions: 1, costUsd: 0.068763 });
  expect(Object.keys(next)).toContain('previous');
  expect(next.previous).toMatchObject({ phase: 'phase-1', sessions: 4 });

  expect(track(repo, ['phase', 'start', 'phase-1']).stderr).toBe(
    "agent-track: phase 'phase-1' exists already (see `agent-track phase list`)\n",
  );
  expect(track(repo, ['phase', 'start', 'sprint-9']).stderr).toBe(
    "agent-track: phase 'phase-2' is open with 1 session; end it first: agent-track phase end --next sprint-9\n",
  );
  expect(track(repo, ['phase', 'start', 'no good']).stderr).toMatch(
    /^agent-track: 'no good' is not a phase name/,
  );
  expect(track(repo, ['review', '--phase', 'nope']).stderr).toBe(
    "agent-track: no phase 'nope' (see `agent-track phase list`)\n",
  );
});

test('an empty phase reviews to zeros; phase start names the first phase', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  expect(json(repo, ['review'])).toMatchObject({
    phase: 'phase-1',
    sessions: 0,
    costUsd: 0,
    agents: [],
    tools: [],
    errors: [],
    recommendations: [],
  });
  expect(json(repo, ['phase', 'start', 'sprint-1'])).toMatchObject({ name: 'sprint-1', current: true });
  for (const p of sprintPayloads(repo)) track(repo, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' });
  expect(flushNow(repo).status).toBe(0);
  expect(json(repo, ['sessions'])[0].phase).toBe('sprint-1');
});

describe('phase policy (the Action ends the open phase)', () => {
  const { policyEnds } = require('../../src/analytics/phases.js');
  const wed = new Date('2026-11-25T12:00:00Z'); // a Wednesday
  test('weekly: a phase from before this Monday (UTC) is over, one from this week is not', () => {
    expect(policyEnds('weekly', '2026-11-22T23:59:59Z', wed)).toBe(true); // Sunday before
    expect(policyEnds('weekly', '2026-11-23T00:00:00Z', wed)).toBe(false); // this Monday
    expect(policyEnds('weekly', '2026-11-23T00:00:00Z', new Date('2026-11-30T00:00:00Z'))).toBe(true);
  });
  test('monthly, manual, and a phase with no start', () => {
    expect(policyEnds('monthly', '2026-10-31T23:00:00Z', wed)).toBe(true);
    expect(policyEnds('monthly', '2026-11-01T00:00:00Z', wed)).toBe(false);
    expect(policyEnds('monthly', '2025-11-20T00:00:00Z', wed)).toBe(true); // same month, a year before
    expect(policyEnds('manual', '2020-01-01T00:00:00Z', wed)).toBe(false);
    expect(policyEnds('weekly', null, wed)).toBe(false);
    expect(() => policyEnds('daily', null, wed)).toThrow(
      "phase-policy is manual, weekly or monthly, not 'daily'",
    );
  });
});
