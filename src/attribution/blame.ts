/**
 * `blame`, `log` and the share of a range's added lines written by agents: the recorded file changes
 * (the attribution index) matched by content against what git blame says of each line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type AttributedChange,
  attributeLines,
  type BlameLine,
  type LineAttribution,
  type LineKind,
} from '../model/attribution.js';
import { recordedChanges } from '../store/attribution.js';
import type { RepoPaths } from '../store/paths.js';
import { NoBranchError, TrackingBranch } from '../store/reader.js';
import {
  addedLinesBetween,
  addedLinesOf,
  blameFile,
  type CommitInfo,
  commitsOf,
  GitError,
  resolveCommit,
  runGit,
} from './git.js';

export interface BlameRow {
  line: number;
  kind: LineKind;
  session: string | null;
  agent: string | null;
  agentType: string | null;
  tool: string | null;
  toolUseId: string | null;
  prompt: string | null;
  ts: string | null;
  commit: string | null;
}

export interface BlameResult {
  file: string;
  rev: string | null;
  lines: BlameRow[];
}

const row = (a: LineAttribution): BlameRow => ({
  line: a.line,
  kind: a.kind,
  session: a.change?.session ?? null,
  agent: a.change?.agent ?? null,
  agentType: a.change?.agentType ?? null,
  tool: a.change?.tool ?? null,
  toolUseId: a.change?.toolUseId ?? null,
  prompt: a.change?.prompt ?? null,
  ts: a.change?.ts ?? null,
  commit: a.commit,
});

/**
 * The recorded history of a repository, read once, for any number of blames: the branch (null
 * when nothing was recorded: every committed line is then a person's) and its changes by file.
 */
export class Attribution {
  private byPath = new Map<string, AttributedChange[]>();

  private constructor(
    readonly paths: RepoPaths,
    readonly branch: TrackingBranch | null,
    readonly changes: AttributedChange[],
  ) {
    for (const c of changes) {
      const list = this.byPath.get(c.path);
      if (list) list.push(c);
      else this.byPath.set(c.path, [c]);
    }
  }

  static async open(paths: RepoPaths): Promise<Attribution> {
    let branch: TrackingBranch | null = null;
    try {
      branch = await TrackingBranch.open(paths);
    } catch (e) {
      if (!(e instanceof NoBranchError)) throw e;
    }
    return new Attribution(paths, branch, branch ? await recordedChanges(paths, branch) : []);
  }

  /** A path as given on the command line (relative to `cwd`), as the repository names it. */
  repoPath(file: string, cwd: string): string {
    const rel = path.relative(this.paths.workTree, path.resolve(cwd, file));
    if (rel.startsWith('..') || path.isAbsolute(rel))
      throw new GitError(`'${file}' is outside this repository (${this.paths.workTree})`);
    return rel.split(path.sep).join('/');
  }

  changesOf(file: string): AttributedChange[] {
    return this.byPath.get(file) ?? [];
  }

  /** Who wrote each line of `file` (repository-relative) at `rev` (a commit), or in the work tree. */
  attribute(file: string, rev: string | null): { lines: BlameLine[]; attributed: LineAttribution[] } {
    let lines: BlameLine[];
    if (rev) lines = blameFile(this.paths.workTree, file, rev);
    else {
      const full = path.join(this.paths.workTree, file);
      if (!fs.existsSync(full) || !fs.statSync(full).isFile())
        throw new GitError(`no file '${file}' in the work tree`);
      lines = blameFile(this.paths.workTree, file, null, fs.readFileSync(full, 'utf8'));
    }
    // a renamed file: the changes recorded under the names its lines were committed with count too
    const names = new Set([file, ...lines.map((l) => l.origPath ?? file)]);
    const changes = [...names].flatMap((n) => this.changesOf(n));
    return { lines, attributed: attributeLines(lines, changes) };
  }

  blame(file: string, rev: string | null): BlameResult {
    return this.blameWithText(file, rev).result;
  }

  /** The blame and each line's text (for the plain-text output). */
  blameWithText(file: string, rev: string | null): { result: BlameResult; texts: string[] } {
    const sha = rev ? resolveCommit(this.paths.workTree, rev) : null;
    const { lines, attributed } = this.attribute(file, sha);
    return { result: { file, rev: sha, lines: attributed.map(row) }, texts: lines.map((l) => l.text) };
  }
}

export interface LineCounts {
  agentLines: number;
  humanLines: number;
  unknownLines: number;
  byAgentType: Record<string, number>;
  byModel: Record<string, number>;
  sessions: string[];
}

const emptyCounts = (): LineCounts => ({
  agentLines: 0,
  humanLines: 0,
  unknownLines: 0,
  byAgentType: {},
  byModel: {},
  sessions: [],
});

function count(into: LineCounts, a: LineAttribution): void {
  if (a.kind === 'agent' && a.change) {
    into.agentLines++;
    const t = a.change.agentType ?? 'unknown';
    into.byAgentType[t] = (into.byAgentType[t] ?? 0) + 1;
    const m = a.change.model ?? 'unknown';
    into.byModel[m] = (into.byModel[m] ?? 0) + 1;
    if (!into.sessions.includes(a.change.session)) into.sessions.push(a.change.session);
  } else if (a.kind === 'human') into.humanLines++;
  else into.unknownLines++;
}

/** The lines a set of added-line numbers names, per file, attributed at `rev`. */
function countAdded(attr: Attribution, rev: string, added: Map<string, number[]>): LineCounts {
  const out = emptyCounts();
  for (const [file, numbers] of added) {
    if (!numbers.length) continue;
    const want = new Set(numbers);
    for (const a of attr.attribute(file, rev).attributed) if (want.has(a.line)) count(out, a);
  }
  return out;
}

export interface CommitAttribution {
  sha: string;
  subject: string;
  date: string;
  sessions: string[];
  agentLines: number;
  humanLines: number;
  byAgentType: Record<string, number>;
  byModel: Record<string, number>;
}

/** `log`: each commit of a range with the lines it added, the agents' and the people's, and the sessions that wrote them. */
export function logCommits(attr: Attribution, range: string, max?: number): CommitAttribution[] {
  return attributeCommits(attr, commitsOf(attr.paths.workTree, range, max));
}

/** The lines each of these commits added, the agents' and the people's, with the sessions that wrote them. */
export function attributeCommits(attr: Attribution, commits: CommitInfo[]): CommitAttribution[] {
  return commits.map((c) => {
    const n = countAdded(attr, c.sha, addedLinesOf(attr.paths.workTree, c.sha));
    return {
      sha: c.sha,
      subject: c.subject,
      date: c.date,
      sessions: n.sessions,
      agentLines: n.agentLines,
      // a committed line no recorded change wrote is a person's (a commit is always known here)
      humanLines: n.humanLines + n.unknownLines,
      byAgentType: n.byAgentType,
      byModel: n.byModel,
    };
  });
}

export interface RangeShare extends LineCounts {
  base: string;
  head: string;
  addedLines: number;
  /** agentLines / addedLines, 0 when nothing was added. */
  agentShare: number;
}

/**
 * The share of the lines a range added (`base...head`: from their merge base, as a pull request's
 * diff) that agents wrote, by agent type and model, with the sessions: what the PR comment shows.
 */
export function rangeShare(attr: Attribution, base: string, head: string): RangeShare {
  const wt = attr.paths.workTree;
  const headSha = resolveCommit(wt, head);
  const baseSha = runGit(wt, ['merge-base', resolveCommit(wt, base), headSha]).trim();
  const added = addedLinesBetween(wt, baseSha, headSha);
  const n = countAdded(attr, headSha, added);
  const total = n.agentLines + n.humanLines + n.unknownLines;
  return {
    base: baseSha,
    head: headSha,
    addedLines: total,
    agentShare: total ? n.agentLines / total : 0,
    ...n,
    humanLines: n.humanLines + n.unknownLines,
    unknownLines: 0,
  };
}

/** Re-exported for the CLI: the commit a revision names. */
export { GitError, resolveCommit };
