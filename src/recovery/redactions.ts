/**
 * What was redacted where, read back from the branch: every `[REDACTED:<kind>]` mark in the events
 * (by event and field) and in the files snapshots stored (by path). Kinds and places only: the
 * values were never stored, so they cannot be shown.
 */
import { MARK_RE } from '../model/redact.js';
import type { SessionSummary } from '../model/session.js';
import type { TrackingBranch } from '../store/reader.js';
import { listSnapshots } from './snapshot.js';

export interface RedactionEntry {
  session: string;
  /** `event`: a field of a recorded event; `file`: a file a snapshot stored. */
  where: 'event' | 'file';
  /** The event's id and type, and the field (`output.stdout`, `input.command`). */
  event?: string;
  type?: string;
  field?: string;
  /** The file's path in the work tree, and the snapshot that stored it. */
  file?: string;
  snapshot?: string;
  kind: string;
  count: number;
}

/** Marks in one string: kind -> count. */
function marksIn(text: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!text.includes('[REDACTED:')) return out;
  for (const m of text.matchAll(MARK_RE)) out.set(m[1], (out.get(m[1]) ?? 0) + 1);
  return out;
}

function walk(value: unknown, field: string, visit: (field: string, text: string) => void): void {
  if (typeof value === 'string') visit(field, value);
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], `${field}[${i}]`, visit);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) walk(v, field ? `${field}.${k}` : k, visit);
}

/** Every redaction of the given sessions (all sessions when none is given), in event order. */
export async function listRedactions(
  branch: TrackingBranch,
  sessions?: SessionSummary[],
): Promise<RedactionEntry[]> {
  const out: RedactionEntry[] = [];
  for (const s of sessions ?? (await branch.sessions())) {
    for (const e of await branch.events(s)) {
      const { id, type, session: _s, ts: _t, agent: _a, ...fields } = e as Record<string, unknown>;
      walk(fields, '', (field, text) => {
        for (const [kind, count] of marksIn(text))
          out.push({
            session: s.session,
            where: 'event',
            event: String(id),
            type: String(type),
            field,
            kind,
            count,
          });
      });
    }
    for (const snap of await listSnapshots(branch, s)) {
      for (const f of snap.files) {
        if (!f.redacted || !f.stored) continue;
        const text = (await branch.readFile(`${s.dir}/blobs/${f.stored}`)) ?? '';
        for (const [kind, count] of marksIn(text))
          out.push({ session: s.session, where: 'file', file: f.path, snapshot: snap.id, kind, count });
      }
    }
  }
  return out;
}
