/**
 * What a flush builds on. The branch tip is trusted only when its objects are there: `git gc
 * --prune=now` during a flush can delete a commit's new loose objects as unreachable, and a flush
 * that built on such a tip would extend a broken branch for good. A tip moved by someone else is
 * checked for being a descendant of the one we wrote last: a deleted or force-reset branch has lost
 * events that the spool still holds, so the spool is read again from its start (ids make this safe).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectStore } from './git.js';
import type { RepoPaths } from './paths.js';

export interface BasePlan {
  /** The commit to build on (null: an orphan first commit). */
  base: string | null;
  /** The ref's current value, compare-and-swapped against. */
  expected: string | null;
  /** The state's cached trees and index describe `base`. */
  fresh: boolean;
  /** Read every spool file from its start (events may have left the branch). */
  rereadAll: boolean;
  /** Said once to the user (stderr of a foreground flush, errors/notices.log). */
  notice?: string;
}

function git(paths: RepoPaths, args: string[], input?: string) {
  return spawnSync('git', [`--git-dir=${paths.commonDir}`, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** The objects among `oids` that the repository does not have (loose files first; git for the rest). */
export function missingObjects(paths: RepoPaths, oids: string[]): string[] {
  const notLoose = oids.filter(
    (o) => !fs.existsSync(path.join(paths.commonDir, 'objects', o.slice(0, 2), o.slice(2))),
  );
  if (!notLoose.length) return [];
  // packed (after gc), or gone: ask git, which knows packs, multi-pack indexes and alternates
  const r = git(paths, ['cat-file', '--batch-check'], `${notLoose.join('\n')}\n`);
  if (r.status !== 0) return notLoose;
  return r.stdout
    .split('\n')
    .filter((l) => l.endsWith(' missing'))
    .map((l) => l.split(' ')[0]);
}

/** Whether `commit` and everything it reaches are in the repository. */
export function intact(paths: RepoPaths, commit: string): boolean {
  const r = git(paths, ['rev-list', '--objects', '--missing=print', commit]);
  return r.status === 0 && !/^\?/m.test(r.stdout);
}

export const isAncestor = (paths: RepoPaths, a: string, b: string): boolean =>
  a === b || git(paths, ['merge-base', '--is-ancestor', a, b]).status === 0;

/** The newest of `candidates` (newest first) whose objects are all there, or null. */
export function intactBase(paths: RepoPaths, candidates: Array<string | null | undefined>): string | null {
  const seen = new Set<string>();
  for (const c of candidates) {
    if (!c || seen.has(c) || !/^[0-9a-f]{40}$/.test(c)) continue;
    seen.add(c);
    if (intact(paths, c)) return c;
    if (seen.size >= 12) break;
  }
  return null;
}

/** First parents of `commit` as far as they can be read (a broken commit's ancestors may be whole). */
function firstParents(paths: RepoPaths, commit: string, max: number): string[] {
  const r = git(paths, ['rev-list', '--first-parent', `--max-count=${max}`, '--ignore-missing', commit]);
  return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

export async function planBase(
  paths: RepoPaths,
  store: ObjectStore,
  state: { tip: string | null; written?: string[]; history?: string[] },
  tip: string | null,
): Promise<BasePlan> {
  if (!tip)
    // the branch was deleted (or never made): everything the spool holds goes on a new one
    return { base: null, expected: null, fresh: false, rereadAll: state.tip !== null };
  let whole: boolean;
  if (state.tip === tip)
    whole = missingObjects(paths, state.written?.length ? state.written : [tip]).length === 0;
  else {
    try {
      const commit = await store.readCommit(tip);
      whole = missingObjects(paths, [tip, commit.tree]).length === 0;
    } catch {
      whole = false;
    }
  }
  if (whole) {
    if (state.tip === tip) return { base: tip, expected: tip, fresh: true, rereadAll: false };
    // moved by another writer (a pull, another tool): a descendant of ours keeps our events
    const descendant = state.tip !== null && isAncestor(paths, state.tip, tip);
    return { base: tip, expected: tip, fresh: false, rereadAll: !descendant };
  }
  const base = intactBase(paths, [...firstParents(paths, tip, 20), ...(state.history ?? [])]);
  return {
    base,
    expected: tip,
    fresh: false,
    rereadAll: true,
    notice: `the agent-tracking branch's tip ${tip.slice(0, 12)} has lost objects (a git gc --prune=now during a flush?): rebuilt on ${base ? base.slice(0, 12) : 'a new root commit'} with the events of the spool`,
  };
}
