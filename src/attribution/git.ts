/** The git this feature asks of the user's repository: blame, commits of a range, a file at a revision. */
import { execFileSync } from 'node:child_process';
import type { BlameLine } from '../model/attribution.js';

const MAX_BUFFER = 512 * 1024 * 1024;

export class GitError extends Error {}

export function runGit(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: MAX_BUFFER,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new GitError((err.stderr || err.message).trim().split('\n')[0]);
  }
}

/** The commit a revision names, or a clear error. */
export function resolveCommit(cwd: string, rev: string): string {
  try {
    return runGit(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).trim();
  } catch {
    throw new GitError(`'${rev}' names no commit of this repository`);
  }
}

const ZERO = /^0{40}$/;

/** Parses `git blame --line-porcelain`: one entry a line, its commit (null when not committed) and author time. */
export function parseBlame(out: string): BlameLine[] {
  const lines: BlameLine[] = [];
  let commit: string | null = null;
  let final = 0;
  let authorTime: number | null = null;
  let origPath: string | undefined;
  for (const row of out.split('\n')) {
    if (row.startsWith('\t')) {
      lines.push({
        line: final,
        text: row.slice(1),
        commit,
        authorTime: commit ? authorTime : null,
        origPath,
      });
      continue;
    }
    if (row.startsWith('filename ')) {
      origPath = row.slice(9);
      continue;
    }
    const head = /^([0-9a-f]{40}) \d+ (\d+)/.exec(row);
    if (head) {
      commit = ZERO.test(head[1]) ? null : head[1];
      final = Number(head[2]);
      authorTime = null;
    } else if (row.startsWith('author-time ')) authorTime = Number(row.slice(12)) * 1000;
  }
  return lines;
}

/**
 * Each line of `file` (relative to the work tree) at `rev`, or in the work tree when `rev` is null,
 * with the commit git blame gives it. A file git does not track yet is all uncommitted lines.
 */
export function blameFile(workTree: string, file: string, rev: string | null, text?: string): BlameLine[] {
  try {
    return parseBlame(runGit(workTree, ['blame', '--line-porcelain', ...(rev ? [rev] : []), '--', file]));
  } catch (e) {
    if (rev || text === undefined) throw e;
    const rows = text.split('\n');
    if (rows[rows.length - 1] === '') rows.pop();
    return rows.map((t, i) => ({ line: i + 1, text: t, commit: null, authorTime: null }));
  }
}

export interface CommitInfo {
  sha: string;
  subject: string;
  /** Author time, ISO. */
  date: string;
}

/** The commits of a range (`A..B`, a single revision meaning its history), newest first, merges left out. */
export function commitsOf(workTree: string, range: string, max?: number): CommitInfo[] {
  const out = runGit(workTree, [
    'log',
    '--no-merges',
    '--format=%H%x00%aI%x00%s',
    ...(max ? [`--max-count=${max}`] : []),
    range,
    '--',
  ]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [sha, date, subject] = l.split('\0');
      return { sha, date, subject };
    });
}

/** From a `--unified=0` diff: each file (new name) and the line numbers, in its new version, the diff added. */
export function parseAddedLines(diff: string): Map<string, number[]> {
  const files = new Map<string, number[]>();
  let current: number[] | null = null;
  for (const row of diff.split('\n')) {
    if (row.startsWith('+++ ')) {
      current = row === '+++ /dev/null' ? null : [];
      if (current) files.set(row.slice(4).replace(/^b\//, ''), current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(row);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      for (let i = 0; i < count; i++) current.push(start + i);
    }
  }
  return files;
}

const DIFF_OPTS = ['-c', 'core.quotePath=false'];

/** The lines a commit added, per file (line numbers in the commit's version). */
export function addedLinesOf(workTree: string, sha: string): Map<string, number[]> {
  return parseAddedLines(
    runGit(workTree, [
      ...DIFF_OPTS,
      'show',
      '--format=',
      '--no-color',
      '--unified=0',
      '--no-renames',
      '--no-ext-diff',
      sha,
    ]),
  );
}

/** The lines `head` adds to `base`, per file (line numbers in `head`'s version). */
export function addedLinesBetween(workTree: string, base: string, head: string): Map<string, number[]> {
  return parseAddedLines(
    runGit(workTree, [
      ...DIFF_OPTS,
      'diff',
      '--no-color',
      '--unified=0',
      '--no-renames',
      '--no-ext-diff',
      base,
      head,
    ]),
  );
}

/** The file's text at a revision. */
export function fileAt(workTree: string, rev: string, file: string): string {
  return runGit(workTree, ['show', `${rev}:${file}`]);
}
