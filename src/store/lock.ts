/**
 * Cross-process locking. isomorphic-git's locks are in-process only and its writeRef does no
 * compare-and-swap, so the branch is updated with git's own protocol: create `<ref>.lock`
 * exclusively, write the new value, re-check the old value, rename into place. Any git process
 * honours the same lock.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRef } from './paths.js';

// A ref lock is held for a few milliseconds (write, check, rename); one older than this was left by a killed process.
const STALE_LOCK_MS = 3_000;

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

function removeIfStale(file: string, isStale: (content: string, ageMs: number) => boolean): void {
  try {
    const st = fs.statSync(file);
    const content = fs.readFileSync(file, 'utf8');
    if (isStale(content, Date.now() - st.mtimeMs)) fs.unlinkSync(file);
  } catch {
    // gone already
  }
}

export class RefLockTimeout extends Error {}

/**
 * Sets `ref` to `newOid` if it still holds `expectedOld` (null: the ref must not exist).
 * Returns false when another writer moved the ref first.
 */
export async function updateRefCAS(
  commonDir: string,
  ref: string,
  newOid: string,
  expectedOld: string | null,
  timeoutMs = 15_000,
): Promise<boolean> {
  const refFile = path.join(commonDir, ref);
  const lockFile = `${refFile}.lock`;
  fs.mkdirSync(path.dirname(refFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  while (!tryCreate(lockFile, `${newOid}\n`)) {
    removeIfStale(lockFile, (_c, age) => age > STALE_LOCK_MS);
    if (Date.now() > deadline) throw new RefLockTimeout(`could not lock ${ref}: ${lockFile} exists`);
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    if (readRef(commonDir, ref) !== expectedOld) {
      fs.unlinkSync(lockFile);
      return false;
    }
    fs.renameSync(lockFile, refFile);
    return true;
  } catch (e) {
    try {
      fs.unlinkSync(lockFile);
    } catch {
      // already renamed or removed
    }
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

/**
 * A mutex between flush processes of one clone (one spool), so two flushes never commit the same
 * spool lines. Held by a pid; a dead holder's lock is taken over.
 */
export async function acquireMutex(file: string, waitMs: number): Promise<(() => void) | null> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryCreate(file, `${process.pid}\n`)) {
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    }
    removeIfStale(file, (content, age) => {
      const pid = Number(content.trim());
      return !Number.isInteger(pid) || pid <= 0 ? age > 5_000 : !pidAlive(pid) || age > 10 * 60_000;
    });
    if (Date.now() >= deadline) return null;
    await sleep(20);
  }
}
