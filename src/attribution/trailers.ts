/**
 * Optional commit trailers, as Entire writes them: `Agent-Session: <id>` for each session whose lines
 * the commit adds, and `Agent-Lines: 73% (146/200)`. Added by a prepare-commit-msg hook that only
 * `init --commit-trailers` installs, and only while `attribution.trailers: true` is set in
 * .agent-tracking.yml. The staged lines are matched as `blame` matches a work tree's (by content).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attributeLines, type BlameLine } from '../model/attribution.js';
import { loadConfig } from '../store/config.js';
import type { RepoPaths } from '../store/paths.js';
import { Attribution } from './blame.js';
import { parseAddedLines, runGit } from './git.js';

export const TRAILER_HOOK_MARKER = '# agent-track: commit trailers';
const HOOK = 'prepare-commit-msg';

function hookFile(paths: RepoPaths): string {
  const dir = runGit(paths.workTree, ['rev-parse', '--git-path', 'hooks']).trim();
  return path.join(path.resolve(paths.workTree, dir), HOOK);
}

export interface TrailerHookResult {
  file: string;
  installed: boolean;
  /** Why it was not (a hook of the user's own is there). */
  reason?: string;
}

/** Writes the prepare-commit-msg hook running `cli trailers add`; a hook that is not ours is left alone. */
export function installTrailerHook(paths: RepoPaths, cli: string): TrailerHookResult {
  const file = hookFile(paths);
  const line = `${cli} trailers add "$1" "$2" "$3" || true`;
  if (fs.existsSync(file) && !fs.readFileSync(file, 'utf8').includes(TRAILER_HOOK_MARKER))
    return {
      file,
      installed: false,
      reason: `${file} is your own hook: add this line to it to get the trailers: ${line}`,
    };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `#!/bin/sh\n${TRAILER_HOOK_MARKER} (Agent-Session, Agent-Lines), while attribution.trailers is true in .agent-tracking.yml\n${line}\n`,
    { mode: 0o755 },
  );
  fs.chmodSync(file, 0o755);
  return { file, installed: true };
}

/** Removes our hook (only ours). */
export function uninstallTrailerHook(paths: RepoPaths): boolean {
  const file = hookFile(paths);
  if (!fs.existsSync(file) || !fs.readFileSync(file, 'utf8').includes(TRAILER_HOOK_MARKER)) return false;
  fs.rmSync(file);
  return true;
}

export interface StagedShare {
  agentLines: number;
  addedLines: number;
  /** Sessions by the lines they wrote, most first. */
  sessions: string[];
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** The lines the commit being made adds (the index against HEAD, or against HEAD's parent for an amend). */
export async function stagedShare(paths: RepoPaths, amend: boolean): Promise<StagedShare> {
  const wt = paths.workTree;
  let base = EMPTY_TREE;
  try {
    base = runGit(wt, ['rev-parse', '--verify', '--quiet', amend ? 'HEAD^' : 'HEAD']).trim() || EMPTY_TREE;
  } catch {
    // the first commit: everything staged is added
  }
  const added = parseAddedLines(
    runGit(wt, [
      '-c',
      'core.quotePath=false',
      'diff',
      '--cached',
      '--no-color',
      '--unified=0',
      '--no-renames',
      '--no-ext-diff',
      base,
    ]),
  );
  const attr = await Attribution.open(paths);
  const bySession = new Map<string, number>();
  let agentLines = 0;
  let addedLines = 0;
  for (const [file, numbers] of added) {
    if (!numbers.length) continue;
    const rows = runGit(wt, ['show', `:${file}`]).split('\n');
    if (rows[rows.length - 1] === '') rows.pop();
    const lines: BlameLine[] = rows.map((text, i) => ({ line: i + 1, text, commit: null, authorTime: null }));
    const want = new Set(numbers);
    for (const a of attributeLines(lines, attr.changesOf(file))) {
      if (!want.has(a.line)) continue;
      addedLines++;
      if (a.kind !== 'agent' || !a.change) continue;
      agentLines++;
      bySession.set(a.change.session, (bySession.get(a.change.session) ?? 0) + 1);
    }
  }
  const sessions = [...bySession].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([s]) => s);
  return { agentLines, addedLines, sessions };
}

export const trailerLines = (s: StagedShare): string[] =>
  s.agentLines
    ? [
        ...s.sessions.map((id) => `Agent-Session: ${id}`),
        `Agent-Lines: ${Math.round((100 * s.agentLines) / s.addedLines)}% (${s.agentLines}/${s.addedLines})`,
      ]
    : [];

/**
 * What the hook runs: adds the trailers to the message file when `attribution.trailers` is on
 * (replacing ours from an earlier run, an amend's). Returns the trailers added.
 */
export async function addTrailers(
  paths: RepoPaths,
  msgFile: string,
  source = '',
  sha = '',
): Promise<string[]> {
  if (!(await loadConfig(paths)).attribution.trailers) return [];
  if (source === 'merge') return [];
  const share = await stagedShare(paths, source === 'commit' && sha === 'HEAD');
  const lines = trailerLines(share);
  const text = fs
    .readFileSync(msgFile, 'utf8')
    .split('\n')
    .filter((l) => !/^Agent-(Session|Lines): /.test(l))
    .join('\n');
  fs.writeFileSync(msgFile, text);
  if (!lines.length) return [];
  runGit(paths.workTree, [
    'interpret-trailers',
    '--in-place',
    ...lines.flatMap((l) => ['--trailer', l]),
    msgFile,
  ]);
  return lines;
}
