/**
 * Ownership. A repository owned by another user is git's "dubious ownership": git refuses it unless
 * `safe.directory` allows it, and so do we. When it is allowed and we run as root (a `sudo` in the
 * user's repository), whatever we create (object folders and files, spool, state, locks, the ref) is
 * given to the repository's owner, so the owner's own git never meets a root-owned file it cannot
 * replace ("insufficient permission"). Node builtins only: the hook uses it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Who should own what we create (null: whoever we are, the usual case). */
let target: { uid: number; gid: number } | null = null;
const decided = new Map<string, { uid: number; gid: number } | null>();

export class DubiousOwnershipError extends Error {
  constructor(dir: string) {
    super(
      `${dir} is owned by another user and git's safe.directory does not allow it: nothing recorded (git config --global --add safe.directory ${dir})`,
    );
  }
}

/**
 * Decides, once per repository and process, whether we may write `commonDir` and as whom. Throws
 * DubiousOwnershipError when git would refuse the repository.
 */
export function adoptOwnership(commonDir: string, workTree: string): void {
  const known = decided.get(commonDir);
  if (known !== undefined) {
    target = known;
    return;
  }
  const uid = process.getuid?.();
  let st: fs.Stats;
  try {
    st = fs.statSync(commonDir);
  } catch {
    return;
  }
  if (uid === undefined || st.uid === uid) {
    decided.set(commonDir, null);
    target = null;
    return;
  }
  // git's own judgement (safe.directory, and its SUDO_UID rule for root)
  const r = spawnSync('git', ['rev-parse', '--git-common-dir'], {
    cwd: workTree,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.status !== 0) throw new DubiousOwnershipError(workTree);
  const t = uid === 0 ? { uid: st.uid, gid: st.gid } : null;
  decided.set(commonDir, t);
  target = t;
}

/** Gives `file` to the repository's owner when we write for them (see adoptOwnership). */
export function own(file: string): void {
  if (!target) return;
  try {
    fs.chownSync(file, target.uid, target.gid);
  } catch {
    // gone already, or a file system without owners
  }
}

/** mkdir -p, each folder it creates given to the repository's owner. */
export function mkdirOwned(dir: string): void {
  const first = fs.mkdirSync(dir, { recursive: true });
  if (!target || !first) return;
  for (let d = dir; ; d = path.dirname(d)) {
    own(d);
    if (d === first || path.dirname(d) === d) break;
  }
}
