/** Where things go on the agent-tracking branch, and the README index. Pure. */
import { COST_NOTE, totals, usdText } from '../model/figures.js';
import { BUILTIN_PRICES, type PriceTable } from '../model/pricing.js';
import { type SessionStatus, type SessionSummary, sessionStatus } from '../model/session.js';

export const sessionDir = (phase: string, started: string, session: string): string =>
  `phases/${phase}/sessions/${started.slice(0, 10)}-${session}`;

export const segmentName = (n: number): string => `${String(n).padStart(6, '0')}.jsonl`;

export const SEGMENT_RE = /^\d{6,}\.jsonl$/;

/**
 * The README index: phases and their totals, then the most recent sessions, every figure from the
 * one derivation (model/figures.ts) and the one status, as of the flush that wrote it. Kept short on
 * purpose: it is rewritten on every flush.
 */
export function renderIndex(
  sessions: SessionSummary[],
  prices: PriceTable = BUILTIN_PRICES,
  status: (s: SessionSummary) => SessionStatus = (s) =>
    sessionStatus(s, { now: Date.now(), host: '', alive: () => false, crashedAfterMinutes: 30 }),
): string {
  const byPhase = new Map<string, SessionSummary[]>();
  for (const s of sessions) byPhase.set(s.phase, [...(byPhase.get(s.phase) ?? []), s]);
  const span = (list: SessionSummary[]) => ({
    first:
      list
        .map((s) => s.started ?? '')
        .filter(Boolean)
        .sort()[0] ?? '',
    last:
      list
        .map((s) => s.lastActivity ?? '')
        .sort()
        .at(-1) ?? '',
  });
  const lines = [
    '# Agent tracking',
    '',
    'Claude Code sessions of this repository, recorded by [subagent-tracking](https://www.npmjs.com/package/subagent-tracking).',
    'Read them with `agent-track sessions`, `agent-track show <session>` and `agent-track stats`.',
    '',
    '## Phases',
    '',
  ];
  if (byPhase.size === 0) lines.push('No session recorded yet.');
  else {
    lines.push(
      '| phase | sessions | subagents | tool calls | failed | errors | cost | first | last |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    );
    for (const [name, list] of [...byPhase].sort((a, b) =>
      span(a[1]).first.localeCompare(span(b[1]).first),
    )) {
      const t = totals(list, prices);
      const { first, last } = span(list);
      lines.push(
        `| ${name} | ${t.sessions} | ${t.agents} | ${t.toolCalls} | ${t.toolFailures} | ${t.errors} | ${usdText(t.costUsd, t.unpricedTokens)} | ${first.slice(0, 10)} | ${last.slice(0, 10)} |`,
      );
    }
  }
  const recent = [...sessions].sort((a, b) => (b.started ?? '').localeCompare(a.started ?? '')).slice(0, 20);
  if (recent.length) {
    lines.push(
      '',
      '## Latest sessions',
      '',
      '| session | started | branch | subagents | tool calls | errors | cost | status |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | --- |',
    );
    for (const s of recent) {
      const t = totals([s], prices);
      lines.push(
        `| [${s.session.slice(0, 8)}](${s.dir}/session.json) | ${s.started ?? ''} | ${s.branch ?? ''} | ${t.agents} | ${t.toolCalls} | ${t.errors} | ${usdText(t.costUsd, t.unpricedTokens)} | ${status(s)} |`,
      );
    }
    lines.push('', `_${COST_NOTE} Status as of the last flush._`);
  }
  return `${lines.join('\n')}\n`;
}
