/** Where things go on the agent-tracking branch, and the README index. Pure. */
import { createHash } from 'node:crypto';
import { COST_NOTE, totals, usdText } from '../model/figures.js';
import { BUILTIN_PRICES, type PriceTable } from '../model/pricing.js';
import { type SessionStatus, type SessionSummary, sessionStatus } from '../model/session.js';

const NAME_MAX = 160;

/**
 * An id as a tree entry name git accepts on every platform, reversibly: bytes outside
 * [A-Za-z0-9_.-] become %XX (so no '/', NUL, '..' component, '.git', or a character Windows
 * refuses), a name of dots only or `.git` gets its first dot encoded. Ids of that alphabet (Claude
 * Code's UUIDs) keep their name, so folders written before this encoding read the same. A name
 * longer than 160 characters is cut and ends in `~` and a hash of the id ('~' never appears
 * otherwise): its id is then read from the folder's session.json.
 */
export function encodeName(id: string): string {
  let out = '';
  for (const b of Buffer.from(id, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_.-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  // the empty id: a lone '%', which no other id encodes to
  if (out === '') return '%';
  if (/^\.+$/.test(out) || /^\.git$/i.test(out)) out = `%2E${out.slice(1)}`;
  if (out.length > NAME_MAX)
    out = `${out.slice(0, NAME_MAX - 20).replace(/%[0-9A-F]?$/, '')}~${createHash('sha1').update(id).digest('hex').slice(0, 16)}`;
  return out;
}

/** The id a folder name carries, or null for a cut name (`~`: read session.json). */
export function decodeName(name: string): string | null {
  if (name.includes('~')) return null;
  if (name === '%') return '';
  if (!name.includes('%')) return name;
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const m = name[i] === '%' ? /^[0-9A-F]{2}/.exec(name.slice(i + 1, i + 3)) : null;
    if (m) {
      bytes.push(Number.parseInt(m[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(name[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A session's folder in the phase folder `phase`: the date of its first event and its id, encoded. */
export function sessionDir(phase: string, started: string, session: string): string {
  const day = /^\d{4}-\d{2}-\d{2}/.test(started) ? started.slice(0, 10) : '0000-00-00';
  return `phases/${phase}/sessions/${day}-${encodeName(session)}`;
}

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
