/**
 * `agent-track browse [PATH]`: the whole history as plain files, in a detached worktree of the
 * agent-tracking branch that follows the branch. Detached, so a commit made there moves no branch and
 * can delete nothing; a flush never has to refuse because of it (a worktree with the branch itself
 * checked out would show every newer session as a staged deletion, so the flush refuses to move the
 * branch under it). After each flush, pull and import, every registered browse worktree is moved to
 * the new tip (`git checkout --detach -f`: it is a view, edits there are not kept).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type RepoPaths, readRef, TRACKING_REF } from './paths.js';

const registry = (paths: RepoPaths) => path.join(paths.trackingDir, 'browse.json');

function readRegistry(paths: RepoPaths): string[] {
  try {
    const r = JSON.parse(fs.readFileSync(registry(paths), 'utf8'));
    return Array.isArray(r.dirs) ? r.dirs.filter((d: unknown) => typeof d === 'string') : [];
  } catch {
    return [];
  }
}

function writeRegistry(paths: RepoPaths, dirs: string[]): void {
  fs.mkdirSync(paths.trackingDir, { recursive: true });
  const tmp = `${registry(paths)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ dirs }));
  fs.renameSync(tmp, registry(paths));
}

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The commit a worktree's HEAD is at, or null when it is not a worktree of this repository any more. */
function headOf(paths: RepoPaths, dir: string): string | null {
  try {
    const common = path.resolve(dir, git(dir, ['rev-parse', '--git-common-dir']));
    if (fs.realpathSync(common) !== fs.realpathSync(paths.commonDir)) return null;
    return git(dir, ['rev-parse', 'HEAD']);
  } catch {
    return null;
  }
}

export interface BrowseResult {
  dir: string;
  tip: string;
  created: boolean;
}

export function defaultBrowseDir(paths: RepoPaths): string {
  return path.join(path.dirname(paths.workTree), `${path.basename(paths.workTree)}-agent-tracking`);
}

/** Creates (or brings up to date) the browse worktree at `dir`. */
export function browse(paths: RepoPaths, dir: string): BrowseResult {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) throw new Error('nothing recorded yet: no agent-tracking branch (agent-track init starts one)');
  const abs = path.resolve(dir);
  const known = readRegistry(paths);
  if (fs.existsSync(abs) && headOf(paths, abs)) {
    if (!known.includes(abs)) {
      // a worktree of this repository made otherwise: taken on only if it is detached on our history
      let branch = '';
      try {
        branch = git(abs, ['symbolic-ref', '-q', 'HEAD']);
      } catch {
        branch = '';
      }
      if (branch) throw new Error(`${abs} is a worktree with ${branch} checked out: give another folder`);
      writeRegistry(paths, [...known, abs]);
    }
    refreshBrowse(paths);
    return { dir: abs, tip, created: false };
  }
  if (fs.existsSync(abs) && fs.readdirSync(abs).length)
    throw new Error(`${abs} exists and is not empty: give a new or empty folder`);
  try {
    git(paths.workTree, ['worktree', 'add', '--detach', '-q', abs, tip]);
  } catch (e) {
    throw new Error(`git worktree add failed: ${String((e as { stderr?: string }).stderr ?? e).trim()}`);
  }
  writeRegistry(paths, [...known.filter((d) => d !== abs), abs]);
  return { dir: abs, tip, created: true };
}

/** Moves every browse worktree to the branch's tip; forgets the ones removed since. Never throws. */
export function refreshBrowse(paths: RepoPaths): string[] {
  const dirs = readRegistry(paths);
  if (!dirs.length) return [];
  const tip = readRef(paths.commonDir, TRACKING_REF);
  const kept: string[] = [];
  const moved: string[] = [];
  for (const dir of dirs) {
    const head = headOf(paths, dir);
    if (!head) continue;
    kept.push(dir);
    if (!tip || head === tip) continue;
    try {
      git(dir, ['checkout', '-q', '--detach', '-f', tip]);
      // files the branch no longer has (an archived phase) go too
      git(dir, ['clean', '-q', '-f', '-d']);
      moved.push(dir);
    } catch {
      // a lock held by a git command running there: the next flush moves it
    }
  }
  if (kept.length !== dirs.length)
    try {
      writeRegistry(paths, kept);
    } catch {
      // read-only .git: tried again next time
    }
  return moved;
}

export function unbrowse(paths: RepoPaths, dir: string): boolean {
  const abs = path.resolve(dir);
  const known = readRegistry(paths);
  if (!known.includes(abs)) return false;
  try {
    git(paths.workTree, ['worktree', 'remove', '--force', abs]);
  } catch {
    // removed by hand already
  }
  writeRegistry(
    paths,
    known.filter((d) => d !== abs),
  );
  return true;
}
