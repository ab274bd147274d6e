/**
 * `agent-track continue`: the conversation itself, brought back from the branch into this machine's
 * Claude Code projects folder so that `claude --resume` goes on with it: in another clone, on
 * another machine, for a teammate's session, after Claude Code deleted its own copy, or (with `--at`)
 * from a snapshot's moment as a fork with that moment's files.
 *
 * The transcripts on the branch went through the redactor's full pass (capture/collect.ts); here
 * they are laid out as Claude Code keeps them (`projects/<cwd with every non-alphanumeric character
 * as '-'>/<session>.jsonl`, its subagents under `<session>/subagents/`), with the recording clone's
 * absolute path rewritten to this one's.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectFolderName } from '../capture/import.js';
import type { SessionSummary } from '../model/session.js';
import { PIECE_RE } from '../store/flush.js';
import { decodeName } from '../store/layout.js';
import type { RepoPaths } from '../store/paths.js';
import { readHead } from '../store/paths.js';
import type { TrackingBranch } from '../store/reader.js';
import { restoreSnapshot } from './restore.js';
import { findSnapshot } from './snapshot.js';

/** Claude Code's configuration folder ($CLAUDE_CONFIG_DIR, else ~/.claude). */
export const claudeHome = (env: NodeJS.ProcessEnv = process.env): string =>
  env.CLAUDE_CONFIG_DIR || path.join(os.homedir(), '.claude');

export interface StoredTranscript {
  /** `main`, `subagents/agent-<id>`, or such a name with `.meta.json`. */
  name: string;
  text: string;
}

/** A session's transcripts as the branch holds them, each rebuilt from its pieces in order. */
export async function storedTranscripts(
  branch: TrackingBranch,
  summary: SessionSummary,
): Promise<StoredTranscript[]> {
  const root = `${summary.dir}/transcripts`;
  const out: StoredTranscript[] = [];
  for (const entry of (await branch.listDir(root)) ?? []) {
    const name = decodeName(entry.path) ?? entry.path;
    if (entry.type === 'blob') {
      out.push({ name, text: (await branch.readFile(`${root}/${entry.path}`)) ?? '' });
      continue;
    }
    const pieces = ((await branch.listDir(`${root}/${entry.path}`)) ?? [])
      .filter((p) => PIECE_RE.test(p.path))
      .sort((a, b) => a.path.localeCompare(b.path));
    let text = '';
    for (const p of pieces) text += (await branch.readFile(`${root}/${entry.path}/${p.path}`)) ?? '';
    out.push({ name, text });
  }
  return out.sort((a, b) => (a.name === 'main' ? -1 : b.name === 'main' ? 1 : a.name.localeCompare(b.name)));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every mention of the recording clone's path (as a whole path, not a prefix of another name) as this one's. */
export function rewritePaths(text: string, from: string | null, to: string): string {
  if (!from || from === to) return text;
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  let out = text;
  for (const [a, b] of [
    [json(from), json(to)],
    [from, to],
  ])
    out = out.replace(new RegExp(`${escapeRe(a)}(?![A-Za-z0-9_.-])`, 'g'), () => b);
  return out;
}

/** The lines up to a moment: each line in order until the first whose timestamp is later. */
export function cutAt(text: string, ts: string): string {
  const at = Date.parse(ts);
  const lines = text.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (!line) continue;
    const m = /"timestamp":"([^"]+)"/.exec(line);
    if (m && Date.parse(m[1]) > at) break;
    out.push(line);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

export interface ContinueOptions {
  session?: string;
  /** A snapshot id: continue from its moment, as a new session, in a new worktree. */
  at?: string;
  worktree?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ContinueResult {
  /** The session Claude Code resumes (a new id for a fork). */
  session: string;
  /** The recorded session it continues. */
  continues: string;
  fork: boolean;
  snapshot: string | null;
  /** Where `claude --resume` runs. */
  cwd: string;
  projectDir: string;
  files: Array<{ name: string; path: string; bytes: number; action: 'written' | 'kept newer' }>;
  /** The restored worktree (with --at). */
  worktree: string | null;
  command: string[];
}

/** The latest session of this git branch that has its conversation on the branch, else the latest at all. */
async function latestWithTranscripts(paths: RepoPaths, branch: TrackingBranch): Promise<SessionSummary> {
  const all = (await branch.sessions()).filter((s) => s.transcripts && Object.keys(s.transcripts).length);
  if (!all.length)
    throw new Error(
      'no session on the agent-tracking branch has its conversation stored yet (sessions recorded with transcripts.keep on, from this release on)',
    );
  const gitBranch = readHead(paths).branch;
  const by = (list: SessionSummary[]) =>
    [...list].sort((a, b) => (a.lastActivity ?? '').localeCompare(b.lastActivity ?? '')).at(-1);
  return by(all.filter((s) => s.branch === gitBranch)) ?? (by(all) as SessionSummary);
}

export async function prepareContinue(
  paths: RepoPaths,
  branch: TrackingBranch,
  opts: ContinueOptions = {},
): Promise<ContinueResult> {
  let summary: SessionSummary;
  let cut: string | null = null;
  let snapshot: string | null = null;
  let worktree: string | null = null;
  if (opts.at) {
    const found = await findSnapshot(branch, opts.at);
    if (opts.session && !found.summary.session.startsWith(opts.session))
      throw new Error(
        `snapshot ${opts.at} belongs to session ${found.summary.session.slice(0, 8)}, not ${opts.session}`,
      );
    summary = found.summary;
    cut = found.record.ts;
    snapshot = found.record.id;
  } else
    summary = opts.session
      ? await branch.findSession(opts.session)
      : await latestWithTranscripts(paths, branch);
  const stored = await storedTranscripts(branch, summary);
  const main = stored.find((t) => t.name === 'main');
  if (!main?.text)
    throw new Error(
      `session ${summary.session.slice(0, 8)} has no conversation on the branch (recorded before transcripts were kept, or with transcripts.keep: false)`,
    );
  if (opts.at) {
    const target =
      opts.worktree ??
      path.join(
        path.dirname(paths.workTree),
        `${path.basename(paths.workTree)}-${snapshot!.replace('@', '-')}`,
      );
    worktree = (await restoreSnapshot(paths, branch, opts.at, { worktree: target })).worktree;
  }
  const cwd = worktree ?? path.resolve(opts.worktree ?? paths.workTree);
  const id = opts.at ? randomUUID() : summary.session;
  const projectDir = path.join(claudeHome(opts.env), 'projects', projectFolderName(cwd));
  const files: ContinueResult['files'] = [];
  for (const t of stored) {
    let text = rewritePaths(t.text, summary.cwd ?? null, cwd);
    if (cut && !t.name.endsWith('.meta.json')) text = cutAt(text, cut);
    if (opts.at) text = text.split(summary.session).join(id);
    if (!text) continue;
    // 2.1's subagents live under `<session>/subagents/`, 2.0's sidechains (`agent-<id>`) beside the session
    const file = `${t.name}${t.name.endsWith('.meta.json') ? '' : '.jsonl'}`;
    const rel = t.name === 'main' ? `${id}.jsonl` : t.name.startsWith('subagents/') ? `${id}/${file}` : file;
    const dest = path.join(projectDir, ...rel.split('/'));
    if (!dest.startsWith(`${projectDir}${path.sep}`)) continue; // a name that would leave the folder
    const bytes = Buffer.byteLength(text);
    // Claude Code's own copy, still there and as long or longer: it is the newer one
    let size = -1;
    try {
      size = fs.statSync(dest).size;
    } catch {
      // not there
    }
    if (size >= bytes) {
      files.push({ name: t.name, path: dest, bytes: size, action: 'kept newer' });
      continue;
    }
    fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
    fs.writeFileSync(dest, text, { mode: 0o600 });
    files.push({ name: t.name, path: dest, bytes, action: 'written' });
  }
  return {
    session: id,
    continues: summary.session,
    fork: Boolean(opts.at),
    snapshot,
    cwd,
    projectDir,
    files,
    worktree,
    command: ['claude', '--resume', id],
  };
}

/** The command a person types: `cd <dir> && claude --resume <id>` (quoted for a POSIX shell). */
export function commandLine(r: Pick<ContinueResult, 'cwd' | 'command'>): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return `cd ${q(r.cwd)} && ${r.command.map(q).join(' ')}`;
}
