/** The snapshot record stored on the branch (`<session folder>/snapshots/<n>.json`). */
import type { Tokens } from '../model/events.js';
import type { AgentOutcome, ErrorRecord, Todo } from './state.js';

export type SnapshotTrigger = 'manual' | 'agents' | 'tokens' | 'precompact' | 'session_end';

export interface SnapshotFile {
  path: string;
  status: 'modified' | 'added' | 'deleted' | 'untracked' | 'renamed';
  /** git blob id of the file in the work tree (null when deleted). */
  blob: string | null;
  /** git blob id of the content stored under `blobs/` (redacted where it held secrets); null: not stored. */
  stored: string | null;
  redacted: boolean;
  /** Why it is not stored: too-large, binary. */
  skipped?: string;
  bytes: number;
}

export interface SnapshotRecord {
  /** `<first 8 characters of the session id>@<n>`. */
  id: string;
  n: number;
  session: string;
  ts: string;
  trigger: SnapshotTrigger;
  note: string | null;
  git: { head: string | null; branch: string | null; workTree: string };
  files: SnapshotFile[];
  todos: Todo[];
  usage: { tokens: Tokens; costUsd: number | null };
  agents: AgentOutcome[];
  /** Errors not resolved later, with what was tried. */
  errors: ErrorRecord[];
  at: { agents: number; tokens: number; compacts: number; ended: boolean };
}

export const snapshotId = (session: string, n: number): string => `${session.slice(0, 8)}@${n}`;

export function parseSnapshotId(id: string): { prefix: string; n: number } | null {
  const m = /^([A-Za-z0-9_-]{1,64})@(\d{1,9})$/.exec(id);
  return m ? { prefix: m[1], n: Number(m[2]) } : null;
}

export const snapshotPath = (n: number): string => `snapshots/${String(n).padStart(6, '0')}.json`;
