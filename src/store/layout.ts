/** Where things go on the agent-tracking branch, and the README index. Pure. */
import { createHash } from 'node:crypto';
import type { SessionSummary } from '../model/session.js';

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
