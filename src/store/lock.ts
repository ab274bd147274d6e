/**
 * Cross-process locking. isomorphic-git's locks are in-process only and its writeRef does no
 * compare-and-swap, so the branch is updated with git's own protocol: create `<ref>.lock`
 * exclusively, write the new value, re-check the old value, rename into place. Any git process
 * honours the same lock.
 *
 * A lock is taken over only when its holder is provably gone, never because it is old: a flush
 * stopped for minutes (Ctrl-Z, swap, a loaded machine) still holds its lock, and deleting it would
 * let two writers each believe they moved the branch. The lock file itself must hold exactly the
 * ref's next value (git renames it into the ref), so who holds it is written beside it, in
 * `<git common dir>/agent-tracking/locks/`, with the lock file's inode: pid, host and the process's
 * start time (a pid reused by another process is not the holder). A lock without such a record
 * (git's own, or a writer killed in the microseconds between creating the lock and recording
 * itself) is never removed by us: the error names it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdirOwned, own } from './owner.js';
import { assertWritableFormat, BranchCheckedOutError, checkedOutIn, readRef } from './paths.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tryCreate(file: string, content: string): boolean {
  try {
    const fd = fs.openSync(file, 'wx');
    try {
      fs.writeSync(fd, content);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

export const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A process's start time in clock ticks since boot (Linux /proc), or null where it cannot be read. */
function startTime(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return null;
  }
}

export interface Holder {
  pid: number;
  host: string;
  /** Start time of the process (null: unknown). */
  start: number | null;
}

export const me = (): Holder => ({ pid: process.pid, host: os.hostname(), start: startTime(process.pid) });

/** Whether `h` is provably not running: same host, and its pid is dead or now another process. */
export function holderGone(h: Holder): boolean {
  if (h.host !== os.hostname()) return false;
  if (!pidAlive(h.pid)) return true;
  const now = startTime(h.pid);
  return h.start !== null && now !== null && now !== h.start;
}

const ownerFile = (commonDir: string, ref: string) =>
  path.join(commonDir, 'agent-tracking', 'locks', `${ref.replace(/\//g, '%2F')}.owner`);

interface LockOwner extends Holder {
  ino: number;
}

function readOwner(file: string): LockOwner | null {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.ino === 'number' ? o : null;
  } catch {
    return null;
  }
}

/**
 * Removes `lockFile` when the owner record names this very file (its inode) and a holder that is
 * gone. The lock is moved aside first and its inode checked again, so a lock re-created meanwhile
 * by a live writer is put back, not deleted.
 */
function takeOverIfGone(lockFile: string, owner: string): boolean {
  const o = readOwner(owner);
  let st: fs.Stats;
  try {
    st = fs.statSync(lockFile);
  } catch {
    return true; // released meanwhile
  }
  if (!o || o.ino !== st.ino || !holderGone(o)) return false;
  const aside = path.join(path.dirname(owner), `stale-${process.pid}-${st.ino}`);
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return true; // gone meanwhile
  }
  if (fs.statSync(aside).ino === o.ino) {
    fs.rmSync(aside, { force: true });
    return true;
  }
  // not the one we judged: give it back to its (live) holder
  try {
    fs.linkSync(aside, lockFile);
  } catch {
    // its holder will find its lock gone and retry (updateRefCAS checks its lock before renaming)
  }
  fs.rmSync(aside, { force: true });
  return false;
}

export class RefLockTimeout extends Error {}

/**
 * Test hook for the stalled-lock case: with AGENT_TRACK_HOLD_IN_REF_LOCK=<file>, a ref update creates
 * `<file>` while it holds the lock and waits until the test removes it.
 */
function holdInLock(): void {
  const file = process.env.AGENT_TRACK_HOLD_IN_REF_LOCK;
  if (!file || fs.existsSync(`${file}.done`)) return;
  fs.writeFileSync(file, String(process.pid));
  const wait = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 60_000;
  while (fs.existsSync(file) && Date.now() < until) Atomics.wait(wait, 0, 0, 20);
  fs.writeFileSync(`${file}.done`, '');
}

/**
 * Sets `ref` to `newOid` if it still holds `expectedOld` (null: the ref must not exist).
 * Returns false when another writer moved the ref first (or our lock was taken from us): the caller
 * builds again on the new value. Refuses to move a branch checked out in a worktree.
 */
export async function updateRefCAS(
  commonDir: string,
  ref: string,
  newOid: string,
  expectedOld: string | null,
  timeoutMs = 15_000,
): Promise<boolean> {
  assertWritableFormat(commonDir);
  const where = checkedOutIn(commonDir, ref);
  if (where) throw new BranchCheckedOutError(ref, where);
  const refFile = path.join(commonDir, ref);
  const lockFile = `${refFile}.lock`;
  const owner = ownerFile(commonDir, ref);
  mkdirOwned(path.dirname(refFile));
  mkdirOwned(path.dirname(owner));
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  while (!tryCreate(lockFile, `${newOid}\n`)) {
    if (takeOverIfGone(lockFile, owner)) continue;
    if (Date.now() > deadline) {
      const o = readOwner(owner);
      let ino = -1;
      try {
        ino = fs.statSync(lockFile).ino;
      } catch {
        // released just now
      }
      const who = o && o.ino === ino ? `process ${o.pid} on ${o.host}, still running` : 'another git process';
      throw new RefLockTimeout(
        `could not lock ${ref}: ${lockFile} is held by ${who}; remove that file only if no such process is running`,
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  let ino: number;
  try {
    ino = fs.statSync(lockFile).ino;
    fs.writeFileSync(owner, JSON.stringify({ ...me(), ino }));
    own(owner);
    // the ref file is this lock renamed: the repository owner's, like everything we create
    own(lockFile);
  } catch (e) {
    fs.rmSync(lockFile, { force: true });
    throw e;
  }
  const mine = () => {
    try {
      return fs.statSync(lockFile).ino === ino;
    } catch {
      return false;
    }
  };
  const release = () => {
    if (mine()) fs.rmSync(lockFile, { force: true });
  };
  try {
    holdInLock();
    if (readRef(commonDir, ref) !== expectedOld) {
      release();
      return false;
    }
    // the lock is still ours (nobody may rename another writer's lock into place)
    if (!mine()) return false;
    fs.renameSync(lockFile, refFile);
    return readRef(commonDir, ref) === newOid;
  } catch (e) {
    release();
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  } finally {
    try {
      if (readOwner(owner)?.ino === ino) fs.rmSync(owner, { force: true });
    } catch {
      // the record is only a hint about a lock that no longer exists
    }
  }
}

/**
 * A mutex between flush processes of one clone (one spool), so two flushes never commit the same
 * spool lines. Holds `pid host start`; taken over only when that holder is provably gone, however
 * long it has held it. A file without a readable holder (a writer killed between creating and
 * filling it, or the previous release's `pid` alone with no host) is judged by its pid, or, with
 * no pid at all, after five seconds.
 */
export async function acquireMutex(file: string, waitMs: number): Promise<(() => void) | null> {
  mkdirOwned(path.dirname(file));
  const self = me();
  const content = `${self.pid} ${self.host} ${self.start ?? '-'}\n`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryCreate(file, content)) {
      own(file);
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === content) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    }
    try {
      const st = fs.statSync(file);
      const [pid, host, start] = fs.readFileSync(file, 'utf8').trim().split(' ');
      const n = Number(pid);
      const gone =
        !Number.isInteger(n) || n <= 0
          ? Date.now() - st.mtimeMs > 5_000
          : holderGone({
              pid: n,
              host: host ?? os.hostname(),
              start: start && start !== '-' ? Number(start) : null,
            });
      if (gone && fs.statSync(file).ino === st.ino) fs.unlinkSync(file);
    } catch {
      // gone already
    }
    if (Date.now() >= deadline) return null;
    await sleep(20);
  }
}
