/**
 * Compaction: the branch gets a new root commit (no parent) whose tree is the current tip's, so that
 * a fresh clone of `agent-tracking` downloads only what the tip holds, not every phase ever recorded.
 * Only the caller (src/cloud/compact.ts) knows whether the pruned phases are safe in S3; this module
 * makes the commit, pushes it with a lease on the remote's tip and keeps the replaced history of this
 * clone under `refs/agent-tracking/pre-compact/<time>` until the user drops it.
 *
 * Order, so that a crash or a race loses nothing: (1) pull, so the remote's sessions are in our tip;
 * (2) under the flush lock, write the root; (3) push it with `--force-with-lease=<branch>:<the tip we
 * pulled>`, so a push another clone made meanwhile is never overwritten (we pull it and try again);
 * (4) only then move the local branch (compare-and-swap) and the flush state.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type CompactionRecord,
  compactionMessage,
  compactionOf,
  type ManifestRef,
  PRE_COMPACT_PREFIX,
} from './compaction.js';
import { retargetState } from './flush.js';
import { gitIdentity, ObjectStore } from './git.js';
import { acquireMutex, updateRefCAS } from './lock.js';
import { adoptOwnership } from './owner.js';
import { type RepoPaths, readRef, TRACKING_BRANCH, TRACKING_REF } from './paths.js';
import { describeFindings, rescanOutgoing } from './rescan.js';
import { pullBranch, remoteTrackingRef, runGit, SyncError } from './sync.js';

export interface CompactOptions {
  manifests: ManifestRef[];
  keep: number;
  /** Where to push the new root; null: this clone only. */
  remote: string | null;
  prompt?: boolean;
  maxAttempts?: number;
}

export interface CompactResult {
  outcome: 'compacted';
  root: string;
  replacedTip: string;
  /** The local ref that keeps the replaced history. */
  kept: string;
  pushed: boolean;
  remote: string | null;
  attempts: number;
  /** Commits the replaced history had that the new root does not carry as history. */
  replacedCommits: number;
}

/** For the race test: waits (at most a minute) while the file AGENT_TRACK_HOLD_BEFORE_COMPACT_PUSH names exists. */
function holdBeforePush(): void {
  const file = process.env.AGENT_TRACK_HOLD_BEFORE_COMPACT_PUSH;
  if (!file) return;
  fs.writeFileSync(file, String(process.pid));
  const wait = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 60_000;
  while (fs.existsSync(file) && Date.now() < until) Atomics.wait(wait, 0, 0, 20);
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

async function countCommits(paths: RepoPaths, tip: string): Promise<number> {
  const r = await runGit(paths, ['rev-list', '--count', tip]);
  return r.code === 0 ? Number(r.stdout.trim()) : 0;
}

/** Whether the branch at `tip` is already compacted with (at least) these manifests. */
export async function alreadyCompacted(
  paths: RepoPaths,
  tip: string,
  manifests: ManifestRef[],
): Promise<boolean> {
  const record = await compactionOf(paths, new ObjectStore(paths.commonDir), tip);
  if (!record) return false;
  const had = new Set(record.manifests.map((m) => `${m.bucket}/${m.manifestKey}/${m.treeOid}`));
  return manifests.every((m) => had.has(`${m.bucket}/${m.manifestKey}/${m.treeOid}`));
}

export async function compactBranch(paths: RepoPaths, opts: CompactOptions): Promise<CompactResult> {
  adoptOwnership(paths.commonDir, paths.workTree);
  const store = new ObjectStore(paths.commonDir);
  const maxAttempts = opts.maxAttempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    // the remote's sessions first: the new root must hold everything the remote's branch holds
    let expected: string | null = null;
    let push = Boolean(opts.remote);
    if (opts.remote) {
      // a remote without the branch has never been shared with: the compaction stays local
      push = (await pullBranch(paths, opts.remote)).outcome !== 'no-remote-branch';
      expected = readRef(paths.commonDir, await remoteTrackingRef(paths, opts.remote));
      if (!expected) {
        const r = await runGit(paths, [
          'rev-parse',
          '--verify',
          '--quiet',
          await remoteTrackingRef(paths, opts.remote),
        ]);
        expected = r.code === 0 ? r.stdout.trim() : null;
      }
    }
    const release = await acquireMutex(path.join(paths.trackingDir, 'flush.lock'), 120_000);
    if (!release) throw new Error('another flush holds the lock for too long; try again');
    try {
      const tip = readRef(paths.commonDir, TRACKING_REF);
      if (!tip) throw new Error("nothing recorded yet: this clone has no 'agent-tracking' branch");
      if (
        expected &&
        expected !== tip &&
        (await runGit(paths, ['merge-base', '--is-ancestor', expected, tip])).code !== 0
      ) {
        // a pull raced with a flush; pull again
        if (attempt >= maxAttempts) throw new SyncError('the agent-tracking branch keeps moving; try again');
        continue;
      }
      const commit = await store.readCommit(tip);
      const earlier = await compactionOf(paths, store, tip);
      const now = new Date();
      const record: CompactionRecord = {
        version: 1,
        replacedTip: tip,
        compactedAt: now.toISOString(),
        keep: opts.keep,
        manifests: opts.manifests,
        previous: earlier
          ? [{ replacedTip: earlier.replacedTip, compactedAt: earlier.compactedAt }, ...earlier.previous]
          : [],
      };
      const root = await store.writeCommit(
        commit.tree,
        [],
        compactionMessage(record),
        gitIdentity(paths.workTree),
      );
      let pushed = false;
      if (opts.remote && push) {
        // what leaves the machine is searched again, as every push does
        const leaks = rescanOutgoing(paths, root, opts.remote);
        if (leaks.length)
          throw new SyncError(
            `compaction not pushed: what would be sent to ${opts.remote} holds ${leaks.length === 1 ? 'a secret' : `${leaks.length} secrets`}; nothing was changed.\n${describeFindings(leaks)}`,
          );
        if (attempt === 1) holdBeforePush();
        const r = await runGit(
          paths,
          [
            'push',
            '--porcelain',
            '--quiet',
            `--force-with-lease=${TRACKING_REF}:${expected ?? ''}`,
            opts.remote,
            `${root}:${TRACKING_REF}`,
          ],
          { prompt: opts.prompt },
        );
        if (r.code !== 0) {
          const said = r.stdout + r.stderr;
          if (
            /stale info|fetch first|non-fast-forward|rejected|failed to update ref|cannot lock ref/i.test(
              said,
            )
          ) {
            // another clone pushed since our pull: its sessions come in, then we compact again
            if (attempt >= maxAttempts)
              throw new SyncError(
                `could not push the compacted ${TRACKING_BRANCH} to ${opts.remote}: it kept moving (${attempt} attempts); nothing was changed`,
              );
            continue;
          }
          throw new SyncError(
            `could not push the compacted ${TRACKING_BRANCH} to ${opts.remote}: ${said
              .trim()
              .split('\n')
              .filter((l) => !l.startsWith('hint:'))
              .join('; ')
              .slice(0, 400)}; nothing was changed locally`,
          );
        }
        pushed = true;
      }
      const kept = `${PRE_COMPACT_PREFIX}${stamp(now)}-${tip.slice(0, 8)}`;
      const keep = await runGit(paths, ['update-ref', kept, tip, '']);
      if (keep.code !== 0)
        throw new Error(`could not keep the old history under ${kept}: ${keep.stderr.trim()}`);
      if (!(await updateRefCAS(paths.commonDir, TRACKING_REF, root, tip)))
        throw new SyncError(
          `the local ${TRACKING_BRANCH} moved while it was compacted${pushed ? `; ${opts.remote} has the compacted branch: run \`agent-track pull\`` : ''}`,
        );
      store.settle();
      await retargetState(paths, tip, root);
      if (pushed && opts.remote)
        await runGit(paths, ['update-ref', await remoteTrackingRef(paths, opts.remote), root]);
      return {
        outcome: 'compacted',
        root,
        replacedTip: tip,
        kept,
        pushed,
        remote: opts.remote,
        attempts: attempt,
        replacedCommits: await countCommits(paths, tip),
      };
    } finally {
      release();
    }
  }
}

/** The refs that keep replaced histories, oldest first. */
export async function preCompactRefs(paths: RepoPaths): Promise<Array<{ ref: string; tip: string }>> {
  const r = await runGit(paths, ['for-each-ref', '--format=%(refname) %(objectname)', PRE_COMPACT_PREFIX]);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [ref, tip] = l.split(' ');
      return { ref, tip };
    })
    .sort((a, b) => a.ref.localeCompare(b.ref));
}

/** Removes the kept old histories (their objects go at the next `git gc`). */
export async function dropOldHistories(paths: RepoPaths): Promise<string[]> {
  const refs = await preCompactRefs(paths);
  for (const { ref } of refs) await runGit(paths, ['update-ref', '-d', ref]);
  return refs.map((r) => r.ref);
}
