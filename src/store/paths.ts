/**
 * Where things live, found without spawning git or loading isomorphic-git (this runs in the hook).
 * Handles a `.git` folder, a `.git` file (linked worktree, submodule) with `commondir`, and
 * subdirectories of the work tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const TRACKING_BRANCH = 'agent-tracking';
export const TRACKING_REF = `refs/heads/${TRACKING_BRANCH}`;

export interface RepoPaths {
  /** The work tree's top level. */
  workTree: string;
  /** This work tree's git dir (`.git`, or `.git/worktrees/<name>` for a linked worktree). */
  gitDir: string;
  /** The git dir shared by all worktrees: objects and refs live here. */
  commonDir: string;
  /** `<commonDir>/agent-tracking`: spool, cache, locks, error payloads. */
  trackingDir: string;
  spoolDir: string;
  errorsDir: string;
}

function readGitFile(file: string): string | null {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
    return m ? path.resolve(path.dirname(file), m[1]) : null;
  } catch {
    return null;
  }
}

/** Finds the repository that contains `start`, or null outside any git repository. */
export function findRepo(start: string): RepoPaths | null {
  let dir = path.resolve(start);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    let gitDir: string | null = null;
    try {
      const st = fs.statSync(dotGit);
      gitDir = st.isDirectory() ? dotGit : readGitFile(dotGit);
    } catch {
      gitDir = null;
    }
    if (gitDir) return pathsFor(dir, gitDir);
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function pathsFor(workTree: string, gitDir: string): RepoPaths {
  let commonDir = gitDir;
  try {
    const rel = fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim();
    if (rel) commonDir = path.resolve(gitDir, rel);
  } catch {
    // not a linked worktree
  }
  const trackingDir = path.join(commonDir, 'agent-tracking');
  return {
    workTree,
    gitDir,
    commonDir,
    trackingDir,
    spoolDir: path.join(trackingDir, 'spool'),
    errorsDir: path.join(trackingDir, 'errors'),
  };
}

/** HEAD of a work tree without git: the branch name (or null when detached) and the commit (or null before the first commit). */
export function readHead(paths: RepoPaths): { branch: string | null; head: string | null } {
  try {
    const text = fs.readFileSync(path.join(paths.gitDir, 'HEAD'), 'utf8').trim();
    if (text.startsWith('ref: ')) {
      const ref = text.slice(5);
      return { branch: ref.replace(/^refs\/heads\//, ''), head: readRef(paths.commonDir, ref) };
    }
    return { branch: null, head: text || null };
  } catch {
    return { branch: null, head: null };
  }
}

/** Reads a ref's value from its loose file or from packed-refs; null when it does not exist. */
export function readRef(commonDir: string, ref: string): string | null {
  try {
    const v = fs.readFileSync(path.join(commonDir, ref), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(v)) return v;
  } catch {
    // fall through to packed-refs
  }
  try {
    const packed = fs.readFileSync(path.join(commonDir, 'packed-refs'), 'utf8');
    for (const line of packed.split('\n')) {
      if (line.length > 41 && line.charCodeAt(40) === 32 && line.slice(41) === ref) return line.slice(0, 40);
    }
  } catch {
    // no packed-refs
  }
  return null;
}

/** A branch checked out in a worktree: moving it would make that worktree's index revert our commit. */
export class BranchCheckedOutError extends Error {
  constructor(
    readonly ref: string,
    readonly worktree: string,
  ) {
    super(
      `the ${ref.replace(/^refs\/heads\//, '')} branch is checked out in ${worktree}: not moving it under that worktree (its events stay in the spool); switch that worktree to another branch or detach it (git worktree add --detach)`,
    );
  }
}

/** The worktree that has `ref` checked out (its HEAD names it), or null. Bare repositories have no main worktree. */
export function checkedOutIn(commonDir: string, ref: string): string | null {
  const heads: Array<{ head: string; worktree: () => string }> = [];
  let bare = false;
  try {
    bare = /^\s*bare\s*=\s*true\s*$/im.test(fs.readFileSync(path.join(commonDir, 'config'), 'utf8'));
  } catch {
    // no config: not bare
  }
  if (!bare)
    heads.push({
      head: path.join(commonDir, 'HEAD'),
      worktree: () => (path.basename(commonDir) === '.git' ? path.dirname(commonDir) : commonDir),
    });
  try {
    for (const name of fs.readdirSync(path.join(commonDir, 'worktrees'))) {
      const dir = path.join(commonDir, 'worktrees', name);
      heads.push({
        head: path.join(dir, 'HEAD'),
        worktree: () => {
          try {
            return path.dirname(fs.readFileSync(path.join(dir, 'gitdir'), 'utf8').trim());
          } catch {
            return dir;
          }
        },
      });
    }
  } catch {
    // no linked worktrees
  }
  for (const h of heads) {
    try {
      if (fs.readFileSync(h.head, 'utf8').trim() === `ref: ${ref}`) return h.worktree();
    } catch {
      // a worktree being created or removed
    }
  }
  return null;
}

/** A repository whose object format we cannot write (SHA-256): refused before anything is written. */
export class UnsupportedRepositoryError extends Error {
  constructor(format: string) {
    super(
      `this repository uses ${format.toUpperCase()} object names (extensions.objectFormat = ${format}); agent-track writes SHA-1 repositories only, so it wrote nothing here`,
    );
  }
}

const formats = new Map<string, string>();

/** The repository's object format: 'sha1' unless its config says otherwise (read once per process). */
export function objectFormat(commonDir: string): string {
  let f = formats.get(commonDir);
  if (f === undefined) {
    f = 'sha1';
    try {
      const m = /^\s*objectformat\s*=\s*"?([\w-]+)"?\s*$/im.exec(
        fs.readFileSync(path.join(commonDir, 'config'), 'utf8'),
      );
      if (m) f = m[1].toLowerCase();
    } catch {
      // no config: git's default
    }
    formats.set(commonDir, f);
  }
  return f;
}

export function assertWritableFormat(commonDir: string): void {
  const f = objectFormat(commonDir);
  if (f !== 'sha1') throw new UnsupportedRepositoryError(f);
}
