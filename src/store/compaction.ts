/**
 * The record a compacted branch carries: its root commit (no parent) names the tip it replaced and
 * the archive manifests the replaced history's pruned phases rely on. It lives in the root commit's
 * message, as a trailer with one JSON line, so the root's tree stays exactly the replaced tip's tree.
 * Sync reads it to tell a compacted remote from an unrelated branch (src/store/sync.ts).
 */
import { execFileSync } from 'node:child_process';
import type { ObjectStore } from './git.js';
import type { RepoPaths } from './paths.js';

export const COMPACTED_TRAILER = 'Agent-Tracking-Compacted';
/** Where a compaction (or a replay onto a compacted remote) keeps the replaced history of this clone. */
export const PRE_COMPACT_PREFIX = 'refs/agent-tracking/pre-compact/';

export interface ManifestRef {
  phase: string;
  bucket: string;
  manifestKey: string;
  /** The archived folder's tree on the branch. */
  treeOid: string;
  /** sha256 of the manifest object as it was read and verified at compaction time. */
  sha256: string;
}

export interface CompactionRecord {
  version: 1;
  /** The tip whose tree the new root carries: everything before it was replaced. */
  replacedTip: string;
  compactedAt: string;
  keep: number;
  /** The manifests, verified in S3 at compaction time, of every phase the old history held and the tip does not. */
  manifests: ManifestRef[];
  /** Earlier compactions of this branch, newest first (what their roots recorded). */
  previous: Array<{ replacedTip: string; compactedAt: string }>;
}

export function compactionMessage(record: CompactionRecord): string {
  return [
    `agent-track: compact ${'agent-tracking'} onto a new root (replaces ${record.replacedTip.slice(0, 12)})`,
    '',
    `The tree is ${record.replacedTip}'s. ${record.manifests.length} archived phase${record.manifests.length === 1 ? '' : 's'} (${record.manifests.map((m) => m.phase).join(', ')}) were verified in S3 first; restore one with \`agent-track archive restore <phase>\`.`,
    '',
    `${COMPACTED_TRAILER}: ${JSON.stringify(record)}`,
    '',
  ].join('\n');
}

export function parseCompaction(message: string): CompactionRecord | null {
  const line = message
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(`${COMPACTED_TRAILER}: `));
  if (!line) return null;
  try {
    const r = JSON.parse(line.slice(COMPACTED_TRAILER.length + 2)) as CompactionRecord;
    return r && r.version === 1 && typeof r.replacedTip === 'string' ? r : null;
  } catch {
    return null;
  }
}

/** The root commits reachable from `tip` (one, unless histories were merged). */
export function rootsOf(paths: RepoPaths, tip: string): string[] {
  try {
    return execFileSync('git', ['rev-list', '--max-parents=0', tip], {
      cwd: paths.workTree,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 16 << 20,
    })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** The compaction record of the branch at `tip`: its root's, when the root is a compaction root. */
export async function compactionOf(
  paths: RepoPaths,
  store: ObjectStore,
  tip: string,
): Promise<(CompactionRecord & { root: string }) | null> {
  for (const root of rootsOf(paths, tip)) {
    const record = parseCompaction((await store.readCommit(root)).message);
    if (record) return { ...record, root };
  }
  return null;
}
