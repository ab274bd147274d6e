/**
 * `agent-track statusline` fed the JSON Claude Code gives a statusLine command: the same cost as
 * `stats --session` (one derivation, model/figures.ts), the spool's unflushed lines counted, budget
 * warnings that never block, nothing at all where nothing is tracked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanupTmp, makeRepo, recordSprint, SPRINT_SESSION, track } from '../lib/cli.js';

afterAll(cleanupTmp);

/** What Claude Code 2.1 passes a statusLine command (its own cost is its own figure, not ours). */
const claudeJson = (repo: string, session: string) =>
  JSON.stringify({
    hook_event_name: 'Status',
    session_id: session,
    transcript_path: path.join(repo, 'transcript.jsonl'),
    cwd: repo,
    model: { id: 'claude-sonnet-4-5', display_name: 'Sonnet 4.5' },
    workspace: { current_dir: path.join(repo, 'src'), project_dir: repo },
    version: '2.1.197',
    output_style: { name: 'default' },
    cost: { total_cost_usd: 0.5, total_duration_ms: 1000, total_api_duration_ms: 500 },
  });

describe('the status line of a recorded session', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeRepo();
    recordSprint(repo);
  });

  test('its cost is the one stats --session prints', () => {
    const r = track(repo, ['statusline'], claudeJson(repo, SPRINT_SESSION));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const stats = JSON.parse(track(repo, ['stats', '--session', SPRINT_SESSION, '--json']).stdout);
    expect(stats.costUsd).toBe(0.068763);
    const tokens =
      stats.tokens.input + stats.tokens.output + stats.tokens.cacheRead + stats.tokens.cacheWrite;
    expect(
      r.stdout.startsWith(
        `agent-track $${stats.costUsd.toFixed(6)} · ${(tokens / 1e3).toFixed(1)}k tokens · 2 subagents · ${stats.toolFailures} failed · `,
      ),
    ).toBe(true);
    // the session ended: the flush took its session_end snapshot a moment ago
    expect(JSON.parse(track(repo, ['snapshots', '--json']).stdout)).toHaveLength(1);
    expect(r.stdout).toMatch(/ · snapshot \d+s ago\n$/);
  });

  test('unflushed lines count at once: a failure the flush has not taken yet', () => {
    const before = track(repo, ['statusline'], claudeJson(repo, SPRINT_SESSION)).stdout;
    const failures = Number(/ (\d+) failed/.exec(before)![1]);
    const payload = {
      session_id: SPRINT_SESSION,
      cwd: repo,
      hook_event_name: 'PostToolUseFailure',
      tool_name: 'Bash',
      tool_use_id: 'toolu_statusline_1',
      tool_input: { command: 'false' },
      error: 'Exit code 1',
    };
    expect(track(repo, ['hook'], JSON.stringify(payload), { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
    const after = track(repo, ['statusline'], claudeJson(repo, SPRINT_SESSION)).stdout;
    expect(after).toContain(` ${failures + 1} failed`);
  });

  test('past budget.session and budget.phase it warns, and exits 0', () => {
    fs.writeFileSync(path.join(repo, '.agent-tracking.yml'), 'budget:\n  session: 0.05\n  phase: 0.06\n');
    const r = track(repo, ['statusline'], claudeJson(repo, SPRINT_SESSION));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(' · ⚠ over the session budget ($0.05)');
    expect(r.stdout).toContain(' · ⚠ phase phase-1 over its budget ($0.07 of $0.06)');
    fs.writeFileSync(path.join(repo, '.agent-tracking.yml'), 'budget:\n  session: 5\n');
    expect(track(repo, ['statusline'], claudeJson(repo, SPRINT_SESSION)).stdout).not.toContain('⚠');
  });
});

test('where nothing is tracked, or the input is not JSON: no output, exit 0', () => {
  const repo = makeRepo();
  for (const input of [claudeJson(repo, 'abc'), 'not json', '']) {
    const r = track(repo, ['statusline'], input);
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
  }
});
