/** Where things go on the agent-tracking branch, and the README index. Pure. */
import type { SessionSummary } from '../model/session.js';

export const sessionDir = (phase: string, started: string, session: string): string =>
  `phases/${phase}/sessions/${started.slice(0, 10)}-${session}`;

export const segmentName = (n: number): string => `${String(n).padStart(6, '0')}.jsonl`;

export const SEGMENT_RE = /^\d{6,}\.jsonl$/;

/** The README index: phases and their totals, then the most recent sessions. Kept short on purpose: it is rewritten on every flush. */
export function renderIndex(sessions: SessionSummary[]): string {
  const phases = new Map<
    string,
    { sessions: number; toolCalls: number; errors: number; agents: number; first: string; last: string }
  >();
  for (const s of sessions) {
    const p = phases.get(s.phase) ?? {
      sessions: 0,
      toolCalls: 0,
      errors: 0,
      agents: 0,
      first: s.started ?? '',
      last: '',
    };
    p.sessions++;
    p.toolCalls += s.toolCalls;
    p.errors += s.errors;
    p.agents += s.agents;
    if (s.started && (!p.first || s.started < p.first)) p.first = s.started;
    if (s.lastActivity && s.lastActivity > p.last) p.last = s.lastActivity;
    phases.set(s.phase, p);
  }
  const lines = [
    '# Agent tracking',
    '',
    'Claude Code sessions of this repository, recorded by [subagent-tracking](https://www.npmjs.com/package/subagent-tracking).',
    'Read them with `agent-track sessions`, `agent-track show <session>` and `agent-track stats`.',
    '',
    '## Phases',
    '',
  ];
  if (phases.size === 0) lines.push('No session recorded yet.');
  else {
    lines.push(
      '| phase | sessions | subagents | tool calls | errors | first | last |',
      '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    );
    for (const [name, p] of [...phases].sort((a, b) => a[1].first.localeCompare(b[1].first))) {
      lines.push(
        `| ${name} | ${p.sessions} | ${p.agents} | ${p.toolCalls} | ${p.errors} | ${p.first.slice(0, 10)} | ${p.last.slice(0, 10)} |`,
      );
    }
  }
  const recent = [...sessions].sort((a, b) => (b.started ?? '').localeCompare(a.started ?? '')).slice(0, 20);
  if (recent.length) {
    lines.push(
      '',
      '## Latest sessions',
      '',
      '| session | started | branch | subagents | tool calls | errors | status |',
      '| --- | --- | --- | ---: | ---: | ---: | --- |',
    );
    for (const s of recent) {
      lines.push(
        `| [${s.session.slice(0, 8)}](${s.dir}/session.json) | ${s.started ?? ''} | ${s.branch ?? ''} | ${s.agents} | ${s.toolCalls} | ${s.errors} | ${s.ended ? 'ended' : 'open'} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
