/**
 * Branch in time: a new git worktree at a snapshot's HEAD with the snapshot's files laid back. The
 * user's work tree, index and HEAD are not touched (`git worktree add` only adds a worktree entry).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { adoptOwnership, giveBackToOwner, ownTree } from '../store/owner.js';
import type { RepoPaths } from '../store/paths.js';
import type { TrackingBranch } from '../store/reader.js';
import { findSnapshot } from './snapshot.js';
import type { SnapshotRecord } from './snapshot-types.js';

export interface RestoreResult {
  snapshot: string;
  session: string;
  worktree: string;
  head: string;
  branch: string | null;
  written: string[];
  deleted: string[];
  /** Files the snapshot lists but did not store (binary, too large). */
  notStored: Array<{ path: string; reason: string }>;
  redacted: string[];
}

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

export async function restoreSnapshot(
  paths: RepoPaths,
  branch: TrackingBranch,
  id: string,
  opts: { worktree: string; branch?: string },
): Promise<RestoreResult> {
  const { record, summary } = await findSnapshot(branch, id);
  const head = record.git.head;
  if (!head)
    throw new Error(`snapshot ${id} was taken before the repository's first commit; nothing to check out`);
  try {
    git(paths.workTree, ['cat-file', '-e', `${head}^{commit}`]);
  } catch {
    throw new Error(
      `snapshot ${id}: its HEAD ${head.slice(0, 12)} is no longer in this repository (pruned by git gc?)`,
    );
  }
  const target = path.resolve(opts.worktree);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0)
    throw new Error(`${target} exists and is not empty; give a new folder to --worktree`);
  if (opts.branch) {
    try {
      git(paths.workTree, ['check-ref-format', '--branch', opts.branch]);
    } catch {
      throw new Error(`'${opts.branch}' is not a valid branch name`);
    }
    if (git(paths.workTree, ['branch', '--list', opts.branch]))
      throw new Error(`branch '${opts.branch}' exists already; give another --branch`);
  }
  const args = opts.branch
    ? ['worktree', 'add', '--quiet', '-b', opts.branch, target, head]
    : ['worktree', 'add', '--quiet', '--detach', target, head];
  // as root in another user's repository, the new worktree (and git's record of it) is the owner's
  adoptOwnership(paths.commonDir, paths.workTree);
  const since = Date.now();
  git(paths.workTree, args);
  giveBackToOwner(paths.commonDir, since);
  const result: RestoreResult = {
    snapshot: record.id,
    session: record.session,
    worktree: target,
    head,
    branch: opts.branch ?? null,
    written: [],
    deleted: [],
    notStored: [],
    redacted: [],
  };
  for (const f of record.files as SnapshotRecord['files']) {
    const dest = path.join(target, f.path);
    if (!dest.startsWith(`${target}${path.sep}`)) continue; // never outside the new worktree
    if (f.status === 'deleted') {
      fs.rmSync(dest, { force: true });
      result.deleted.push(f.path);
      continue;
    }
    if (!f.stored) {
      result.notStored.push({ path: f.path, reason: f.skipped ?? 'not stored' });
      continue;
    }
    const content = await branch.readFile(`${summary.dir}/blobs/${f.stored}`);
    if (content === null) {
      result.notStored.push({ path: f.path, reason: 'missing from the branch' });
      continue;
    }
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, content);
    result.written.push(f.path);
    if (f.redacted) result.redacted.push(f.path);
  }
  ownTree(target);
  return result;
}
