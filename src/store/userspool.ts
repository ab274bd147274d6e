/**
 * The user's spool: where a hook keeps its events when the repository's `.git` cannot be written (a
 * read-only mount, a clone whose `.git` someone made read-only, another user's repository that
 * git's safe.directory lets us read). It lives in the user's own state folder,
 * `$XDG_STATE_HOME/agent-tracking/<repo>/spool/` (`~/.local/state/...` by default), one folder per
 * repository, keyed by the real path of its git common dir; folders 0700 and files 0600, since these
 * are the session's events (redacted, but private to the user all the same). The first flush that can
 * write the repository reads it like the spool, checks its events against the branch by id, and
 * removes it. Node builtins only: the hook uses it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BaseEvent } from '../model/events.js';
import type { Redacted } from '../model/redacted.js';
import { appendWhole } from './fsutil.js';
import type { RepoPaths } from './paths.js';
import { safeSessionId } from './spool.js';

/** `$XDG_STATE_HOME/agent-tracking`, or `~/.local/state/agent-tracking`; null without a home. */
export function userStateRoot(env: NodeJS.ProcessEnv = process.env): string | null {
  const xdg = env.XDG_STATE_HOME;
  // the XDG spec: a relative value is invalid and ignored
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'agent-tracking');
  let home = '';
  try {
    home = os.homedir();
  } catch {
    return null;
  }
  return home && path.isAbsolute(home) ? path.join(home, '.local', 'state', 'agent-tracking') : null;
}

const keys = new Map<string, string>();

/**
 * 64 bits of FNV-1a over the path's UTF-16 units, as 16 hex digits: a folder name, not a security
 * boundary (the folder's `repository` file names the path), and the hook asks for it on every call,
 * where starting a sha256 costs a third of a millisecond.
 */
function pathHash(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193) >>> 0;
    h2 = (h2 ^ (h1 >>> 13)) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** The repository's folder name: its base name (for people) and a hash of its common dir's real path. */
export function repoKey(paths: RepoPaths): string {
  let key = keys.get(paths.commonDir);
  if (key === undefined) {
    let real = paths.commonDir;
    try {
      real = fs.realpathSync.native(paths.commonDir);
    } catch {
      // gone: the path as given
    }
    const name =
      path
        .basename(paths.workTree)
        .replace(/[^A-Za-z0-9_.-]/g, '_')
        .slice(0, 40) || 'repo';
    key = `${name}-${pathHash(real)}`;
    keys.set(paths.commonDir, key);
  }
  return key;
}

/** This repository's folder in the user's state folder, or null when there is no home to keep it in. */
export function userRepoDir(paths: RepoPaths): string | null {
  const root = userStateRoot();
  return root ? path.join(root, repoKey(paths)) : null;
}

export const userSpoolDir = (paths: RepoPaths): string | null => {
  const d = userRepoDir(paths);
  return d ? path.join(d, 'spool') : null;
};

/** A write refused because of permissions or a read-only file system: the cases the user's spool is for. */
export const isReadOnlyError = (e: unknown): boolean =>
  ['EACCES', 'EPERM', 'EROFS'].includes((e as NodeJS.ErrnoException)?.code ?? '');

/** mkdir -p whose folders are the user's alone (0700 whatever the umask), including existing ones we own. */
function privateDir(dir: string, root: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let d = dir; d.startsWith(root); d = path.dirname(d)) {
    try {
      const st = fs.statSync(d);
      if ((st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) fs.chmodSync(d, 0o700);
    } catch {
      // raced with a cleanup: the open below says
    }
    if (d === root) break;
  }
}

/**
 * Appends the events to the user's spool as one write (as `appendEvents` does in the repository),
 * and notes which repository the folder is for. Throws when even this cannot be written.
 */
export function appendUserSpool(paths: RepoPaths, session: string, events: Redacted<BaseEvent>[]): string {
  const root = userStateRoot();
  const dir = userSpoolDir(paths);
  if (!root || !dir) throw new Error('no home folder to keep the events in');
  const file = path.join(dir, `${safeSessionId(session)}.jsonl`);
  const data = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'a+', 0o600);
    } catch (e) {
      // a flush may remove the emptied folder between our mkdir and open: once more
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 2) throw e;
      privateDir(dir, root);
      const note = path.join(path.dirname(dir), 'repository');
      if (!fs.existsSync(note)) fs.writeFileSync(note, `${paths.commonDir}\n`, { mode: 0o600 });
      continue;
    }
    try {
      appendWhole(fd, data);
      return file;
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Whether the user's spool holds anything for this repository (one stat: the hook asks it each time). */
export function userSpoolPending(paths: RepoPaths): boolean {
  const dir = userSpoolDir(paths);
  return dir !== null && fs.existsSync(dir);
}

/**
 * Removes this repository's folder from the user's state folder once its spool is empty (a hook
 * writing meanwhile keeps it: rmdir fails on a folder that is not empty).
 */
export function removeEmptyUserSpool(paths: RepoPaths): void {
  const dir = userSpoolDir(paths);
  if (!dir) return;
  try {
    fs.rmdirSync(dir);
  } catch {
    return; // not empty, or gone
  }
  const repoDir = path.dirname(dir);
  try {
    fs.rmSync(path.join(repoDir, 'repository'), { force: true });
    fs.rmdirSync(repoDir);
  } catch {
    // another hook made the spool again
  }
}

/** Events waiting in the user's spool for this repository (lines of its files). */
export function userSpoolEvents(paths: RepoPaths): number {
  const dir = userSpoolDir(paths);
  let n = 0;
  try {
    for (const f of fs.readdirSync(dir ?? ''))
      if (f.endsWith('.jsonl')) for (const c of fs.readFileSync(path.join(dir!, f))) if (c === 10) n++;
  } catch {
    // none
  }
  return n;
}

/** A flush in a repository it cannot write: one line saying where the events wait. */
export class ReadOnlyRepositoryError extends Error {
  constructor(paths: RepoPaths, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException)?.code ?? 'read-only';
    const waiting = userSpoolEvents(paths);
    super(
      `${paths.commonDir} cannot be written (${code}): nothing flushed` +
        (waiting > 0
          ? `; ${waiting} event${waiting === 1 ? ' waits' : 's wait'} in ${userSpoolDir(paths)} and go to the branch at the first flush that can write it`
          : ''),
    );
  }
}
