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

/** Whether what we create must be given to the repository's owner (root in another user's repository). */
export const writingForOwner = (): boolean => target !== null;

/** Writes `file` (its missing folders too), then gives it to the repository's owner when we write for them. */
export function writeFileOwned(file: string, data: string | Uint8Array, mode?: number): void {
  mkdirOwned(path.dirname(file));
  fs.writeFileSync(file, data, mode === undefined ? undefined : { mode });
  own(file);
}

/** Gives a folder we created, and everything under it, to the repository's owner (a restored worktree). */
export function ownTree(dir: string): void {
  if (!target) return;
  const me = process.getuid?.();
  const visit = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    if (st.uid === me) {
      try {
        fs.lchownSync(p, target!.uid, target!.gid);
      } catch {
        // a file system without owners
      }
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
  };
  visit(dir);
}

/**
 * After git itself ran as root in another user's repository (fetch and push write objects, packs,
 * refs, reflogs and FETCH_HEAD as whoever runs them): gives every file and folder of the git dir
 * that we own back to the repository's owner. Bounded: a folder is listed only when it changed
 * since `sinceMs` (a file created or renamed into it changes its mtime) or has subfolders to visit;
 * `objects/xx` folders that did not change are not even listed. Returns how many it gave back.
 */
export function giveBackToOwner(commonDir: string, sinceMs: number): number {
  if (!target) return 0;
  const t = target;
  const me = process.getuid?.();
  // mtimes can lag the clock a little (coarse timestamps): look a little further back
  const since = sinceMs - 2_000;
  let given = 0;
  const chown = (p: string, st: fs.Stats) => {
    if (st.uid !== me) return;
    try {
      fs.lchownSync(p, t.uid, t.gid);
      given++;
    } catch {
      // gone already
    }
  };
  const visit = (dir: string, st: fs.Stats, depth: number) => {
    chown(dir, st);
    const changed = st.mtimeMs >= since || st.uid === me;
    const leaf = /[/\\]objects[/\\][0-9a-f]{2}$/.test(dir);
    if (leaf && !changed) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      // our own folder is given to the owner as we write it; a submodule's git dir is not this repository's
      if (depth === 0 && (e.name === 'agent-tracking' || e.name === 'modules')) continue;
      if (!e.isDirectory() && !changed) continue;
      let est: fs.Stats;
      try {
        est = fs.lstatSync(p);
      } catch {
        continue;
      }
      if (e.isDirectory() && depth < 16) visit(p, est, depth + 1);
      else chown(p, est);
    }
  };
  try {
    visit(commonDir, fs.lstatSync(commonDir), 0);
  } catch {
    // the repository went away
  }
  return given;
}
