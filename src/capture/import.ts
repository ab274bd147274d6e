/**
 * `agent-track import`: past sessions from Claude Code's transcripts. A session not yet on the branch
 * is rebuilt whole (start, prompts, tool calls, subagents, usage, decisions, errors); for a session
 * that is (captured live, or imported before) only what the transcripts alone hold is added, and
 * every such event has an id derived from what it describes, checked against the branch, so nothing
 * counts twice. Sessions go to the branch in batches: memory stays bounded whatever the corpus.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TrackingConfig } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import { loadConfig } from '../store/config.js';
import {
  type FlushResult,
  flushSpool,
  type PreparedSession,
  readState,
  serialized,
  type TranscriptPiece,
} from '../store/flush.js';
import type { RepoPaths } from '../store/paths.js';
import { sessionTranscriptPieces } from './collect.js';
import {
  importSessionEvents,
  prepareNewSession,
  type SessionFiles,
  type SessionImport,
} from './import-events.js';
import type { Redacted } from './redact.js';

export type { SessionFiles } from './import-events.js';

import { rolloutThreadId } from './codex.js';
import { geminiChats } from './gemini.js';

/** The name Claude Code gives a working directory's folder: every character not [A-Za-z0-9] as '-'. */
export const projectFolderName = (cwd: string): string => cwd.replace(/[^A-Za-z0-9]/g, '-');

/** Claude Code's folder for a project under `home`. */
export const projectFolder = (workTree: string, home = os.homedir()): string =>
  path.join(home, '.claude', 'projects', projectFolderName(workTree));

/** Finds transcripts under the given files and folders: `<session>.jsonl` and `<session>/subagents/agent-<id>.jsonl`. */
export function findTranscripts(inputs: string[]): SessionFiles[] {
  const sessions = new Map<string, SessionFiles>();
  const get = (id: string) => {
    let s = sessions.get(id);
    if (!s) {
      s = { session: id, main: null, subagents: [], bytes: 0, mtimeMs: 0 };
      sessions.set(id, s);
    }
    return s;
  };
  const add = (file: string) => {
    const chat = file.endsWith('.json') && path.basename(path.dirname(file)) === 'chats';
    if (!file.endsWith('.jsonl') && !chat) return;
    const st = fs.statSync(file);
    const base = path.basename(file, '.jsonl');
    // a Codex CLI rollout: one file a thread, named by the thread id (its session)
    const thread = base.startsWith('rollout-') ? rolloutThreadId(file) : null;
    // a Gemini CLI saved chat: `chats/session-*.jsonl` (or `.json`), its header naming the session
    if (base.startsWith('session-') && path.basename(path.dirname(file)) === 'chats') {
      const m = /"sessionId":"([^"]+)"/.exec(firstBytes(file, 4096));
      if (m) {
        const c = get(m[1]);
        c.main = file;
        c.agentTool = 'gemini';
        c.bytes += st.size;
        c.mtimeMs = Math.max(c.mtimeMs, st.mtimeMs);
        return;
      }
    }
    if (thread && isRolloutFile(file)) {
      const c = get(thread);
      c.main = file;
      c.agentTool = 'codex';
      c.bytes += st.size;
      c.mtimeMs = Math.max(c.mtimeMs, st.mtimeMs);
      return;
    }
    const parent = path.dirname(file);
    let s: SessionFiles;
    const sidechainOf = base.startsWith('agent-')
      ? path.basename(parent) === 'subagents'
        ? path.basename(path.dirname(parent))
        : sessionIdOf(file) // Claude Code 2.0.x: `agent-<id>.jsonl` beside the session, carrying its id
      : null;
    if (sidechainOf) {
      s = get(sidechainOf);
      if (!s.subagents.some((x) => x.file === file)) s.subagents.push({ file, agent: base.slice(6) });
    } else {
      s = get(base);
      s.main = file;
    }
    s.bytes += st.size;
    s.mtimeMs = Math.max(s.mtimeMs, st.mtimeMs);
  };
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    else add(p);
  };
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new Error(`no such file or folder: ${input}`);
    walk(path.resolve(input));
  }
  return [...sessions.values()].sort((a, b) => a.session.localeCompare(b.session));
}

/** Whether a file's first line is a Codex rollout's `session_meta`. */
function isRolloutFile(file: string): boolean {
  return /^\{"timestamp":"[^"]*",(?:"ordinal":\d+,)?"type":"session_meta"/.test(firstBytes(file, 256));
}

function firstBytes(file: string, n: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, fs.readSync(fd, buf, 0, n, 0)).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Codex CLI's home: $CODEX_HOME, else ~/.codex. */
export const codexHome = (env = process.env, home = os.homedir()): string =>
  env.CODEX_HOME || path.join(home, '.codex');

/**
 * The Codex rollouts of a repository: those under `<codex home>/sessions` whose session_meta's cwd is
 * the work tree or inside it (Codex keeps every project's threads in one folder, by date).
 */
export function codexRollouts(workTree: string, home = codexHome()): string[] {
  const root = path.join(home, 'sessions');
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.startsWith('rollout-') && e.name.endsWith('.jsonl')) {
        const m = /"cwd":"((?:[^"\\]|\\.)*)"/.exec(firstBytes(p, 64 * 1024));
        const cwd = m ? (JSON.parse(`"${m[1]}"`) as string) : null;
        if (cwd && (cwd === workTree || cwd.startsWith(`${workTree}/`))) out.push(p);
      }
    }
  };
  walk(root);
  return out;
}

/** The `sessionId` of a transcript's first lines (read from its first 64 KB), or null. */
function sessionIdOf(file: string): string | null {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const m = /"sessionId":"([^"]+)"/.exec(buf.subarray(0, n).toString('utf8'));
    return m ? m[1] : null;
  } finally {
    fs.closeSync(fd);
  }
}

export interface ImportSummary {
  sessions: number;
  newSessions: number;
  bytes: number;
  events: number;
  duplicates: number;
  badLines: number;
  skippedOlder: number;
  /** Files that hold no API usage (empty, or only summaries): not sessions, nothing written. */
  withoutUsage: number;
  unknownModels: string[];
}

export interface ImportOptions {
  since?: Date;
  /** Sessions per commit at most (bounds memory, with batchBytes). */
  batch?: number;
  /** Transcript bytes per commit at most (a session is never split): what bounds memory. */
  batchBytes?: number;
  onProgress?: (done: number, total: number, bytes: number) => void;
  /** The worker script (dist/import-worker.js); without it every session is read on the main thread. */
  workerScript?: string;
  /** Worker threads (default: one per core, at most 4; AGENT_TRACK_IMPORT_WORKERS overrides). */
  workers?: number;
}

/** What a worker is asked: a batch of sessions, each with whether the branch already has it. */
export interface WorkerRequest {
  id: number;
  sessions: SessionFiles[];
  known: boolean[];
  config: TrackingConfig;
}
export type WorkerResponse = { id: number; results: SessionImport[] } | { id: number; error: string };

/**
 * Reads batches of sessions on worker threads while the main thread commits the previous ones: parsing,
 * building and redacting events is most of an import's work, and it is independent per session.
 */
class ReaderPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (r: SessionImport[]) => void; reject: (e: Error) => void }
  >();
  private next = 0;

  constructor(script: string, size: number) {
    for (let i = 0; i < size; i++) {
      // a small heap each: a worker holds a chunk of a few MB at a time (larger sessions are read on
      // the main thread), and a small heap is collected sooner, which keeps the import's peak down
      const w = new Worker(script, {
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16 },
      });
      w.on('message', (m: WorkerResponse) => {
        const p = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if ('error' in m) p?.reject(new Error(m.error));
        else p?.resolve(m.results);
      });
      w.on('error', (e) => {
        for (const p of this.waiting.values()) p.reject(e);
        this.waiting.clear();
      });
      this.workers.push(w);
    }
  }

  read(sessions: SessionFiles[], known: boolean[], config: TrackingConfig): Promise<SessionImport[]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const req: WorkerRequest = { id, sessions, known, config };
      this.workers[id % this.workers.length].postMessage(req);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const WORKER_HEAP_MB = 128;
/** Sessions above this many transcript bytes are read on the main thread (a worker's heap is small). */
const WORKER_SESSION_BYTES = 8 * 2 ** 20;

function workerCount(opts: ImportOptions, sessions: number): number {
  if (!opts.workerScript || !fs.existsSync(opts.workerScript) || sessions < 2) return 0;
  const env = Number.parseInt(process.env.AGENT_TRACK_IMPORT_WORKERS ?? '', 10);
  const n = Number.isFinite(env) ? env : (opts.workers ?? Math.min(4, os.availableParallelism()));
  return Math.max(0, n);
}

export async function importTranscripts(
  paths: RepoPaths,
  inputs: string[],
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const config = await loadConfig(paths);
  const all = findTranscripts(inputs);
  const list = opts.since ? all.filter((s) => s.mtimeMs >= opts.since!.getTime()) : all;
  const summary: ImportSummary = {
    sessions: list.length,
    newSessions: 0,
    bytes: 0,
    events: 0,
    duplicates: 0,
    badLines: 0,
    skippedOlder: all.length - list.length,
    withoutUsage: 0,
    unknownModels: [],
  };
  const unknown = new Set<string>();
  const batch = opts.batch ?? 1000;
  const batchBytes = opts.batchBytes ?? 16 * 2 ** 20;
  // first bring the flush state up to the branch (and the spool in): the session index must be current
  // to tell sessions already recorded from new ones
  await flushSpool(paths, { waitMs: 60_000 });
  const indexAtStart = readState(paths)?.index ?? {};
  // workers read small chunks (by count and bytes), so the first commit starts early; a commit takes
  // up to `batch` sessions and `batchBytes` of transcripts
  const readChunk = Math.max(1, Math.min(batch, 25));
  const chunkBytes = Math.max(1, Math.floor(batchBytes / 8));
  const chunks: SessionFiles[][] = [];
  for (let i = 0; i < list.length; ) {
    const chunk: SessionFiles[] = [];
    let bytes = 0;
    while (
      i < list.length &&
      chunk.length < readChunk &&
      (chunk.length === 0 || bytes + list[i].bytes <= chunkBytes)
    ) {
      bytes += list[i].bytes;
      chunk.push(list[i++]);
    }
    chunks.push(chunk);
  }
  const size = workerCount(opts, list.length);
  const pool = size > 0 ? new ReaderPool(opts.workerScript!, size) : null;
  const readOne = (s: SessionFiles, known: boolean) =>
    known ? importSessionEvents(s, true, config) : prepareNewSession(s, config);
  const read = (chunk: SessionFiles[]): Promise<SessionImport[]> => {
    const known = chunk.map((s) => Boolean(indexAtStart[s.session]));
    if (pool && chunk.every((s) => s.bytes <= WORKER_SESSION_BYTES)) return pool.read(chunk, known, config);
    return Promise.resolve(chunk.map((s, k) => readOne(s, known[k])));
  };
  // chunks in flight: enough that workers keep reading while a batch is committed, few enough that
  // memory stays bounded (about a batch being committed and a batch being read)
  const inFlight: Array<Promise<SessionImport[]>> = [];
  const ahead = pool ? 8 + 2 * size : 1;
  let dispatched = 0;
  const fill = () => {
    while (dispatched < chunks.length && inFlight.length < ahead) {
      const p = read(chunks[dispatched++]);
      p.catch(() => {}); // awaited below, in order
      inFlight.push(p);
    }
  };
  let done = 0;
  try {
    while (done < list.length) {
      const files: SessionFiles[] = [];
      const results: SessionImport[] = [];
      let bytes = 0;
      while (files.length < batch && bytes < batchBytes && done + files.length < list.length) {
        fill();
        const got = await inFlight.shift()!;
        const from = done + files.length;
        for (const s of list.slice(from, from + got.length)) {
          files.push(s);
          bytes += s.bytes;
        }
        results.push(...got);
      }
      fill();
      let given = false;
      const result: FlushResult = await flushSpool(paths, {
        waitMs: 60_000,
        collect: async ({ index, cursors }) => {
          // the flush asks again after each commit: the batch is given once
          if (given) return { events: [], cursors, verify: [] };
          given = true;
          const events: Array<Redacted<BaseEvent>> = [];
          const prepared: PreparedSession[] = [];
          const verify: string[] = [];
          const transcripts: TranscriptPiece[] = [];
          files.forEach((s, k) => {
            const known = Boolean(index[s.session]);
            let r = results[k];
            // recorded meanwhile (a live session flushed since the import began): read it again as known
            if (known !== Boolean(indexAtStart[s.session])) r = readOne(s, known);
            if (r.prepared) prepared.push(r.prepared);
            if (known) verify.push(s.session);
            else if (r.events.length || r.prepared) summary.newSessions++;
            else summary.withoutUsage++;
            summary.badLines += r.badLines;
            for (const m of r.unknownModels) unknown.add(m);
            r.events.forEach((e, i) => {
              serialized.set(e, r.lines[i]);
              events.push(e);
            });
            // the conversation itself, for sessions the branch records
            if (known || r.events.length || r.prepared)
              transcripts.push(
                ...sessionTranscriptPieces(s.session, s, index[s.session]?.transcripts, config),
              );
          });
          return { events, cursors, verify, prepared, transcripts };
        },
      });
      done += files.length;
      summary.events += result.events;
      summary.duplicates += result.duplicates;
      summary.bytes += files.reduce((a, s) => a + s.bytes, 0);
      opts.onProgress?.(done, list.length, summary.bytes);
    }
  } finally {
    await pool?.close();
  }
  summary.unknownModels = [...unknown].sort();
  return summary;
}

/** The agent CLIs `import --agent` names (`claude` is Claude Code). */
export const IMPORT_AGENTS = ['claude', 'codex', 'gemini'] as const;

/**
 * What `import` reads when given no paths: this repository's Claude Code project folder and its Codex
 * threads (or only one agent's, with `agent`). Throws, with what to do, when there is nothing.
 */
export function defaultImportSources(workTree: string, agent?: string, home = os.homedir()): string[] {
  if (agent !== undefined && !(IMPORT_AGENTS as readonly string[]).includes(agent))
    throw new Error(`--agent takes ${IMPORT_AGENTS.join(' or ')}, not '${agent}'`);
  const out: string[] = [];
  const claude = projectFolder(workTree, home);
  if ((agent === undefined || agent === 'claude') && fs.existsSync(claude)) out.push(claude);
  if (agent === undefined || agent === 'codex')
    out.push(...codexRollouts(workTree, codexHome(process.env, home)));
  if (agent === undefined || agent === 'gemini') out.push(...geminiChats(workTree, home));
  if (!out.length)
    throw new Error(
      agent === 'gemini'
        ? `no Gemini CLI chat of this repository under ${path.join(home, '.gemini', 'tmp')}; give the chat files or folders to import`
        : agent === 'codex'
          ? `no Codex thread of this repository under ${path.join(codexHome(process.env, home), 'sessions')}; give the rollout files or folders to import`
          : agent === 'claude'
            ? `no transcripts for this repository in ${claude}; give the files or folders to import`
            : `no transcripts for this repository in ${claude} nor Codex threads under ${path.join(codexHome(process.env, home), 'sessions')}; give the files or folders to import`,
    );
  return out;
}
