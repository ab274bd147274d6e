/**
 * Flush: spool lines -> one commit on refs/heads/agent-tracking, built with plumbing only (the
 * user's HEAD, index and work tree are never touched).
 *
 * Crash safety: `cache/state.json` holds, in one atomically renamed file, the branch tip it was
 * written for, the tree entries a flush needs, the index of sessions and how far each spool file
 * was consumed. A flush killed after moving the branch but before writing the state finds the tip
 * different from the state's and re-reads the spool from the state's offsets, dropping every event
 * whose id is already on the branch; so each event lands exactly once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BaseEvent } from '../model/events.js';
import { BUILTIN_PRICES } from '../model/pricing.js';
import { redactForStore } from '../model/redact.js';
import type { Redacted } from '../model/redacted.js';
import {
  emptySummary,
  foldSummary,
  isCurrentSummary,
  processAlive,
  type SessionSummary,
  sessionStatus,
} from '../model/session.js';
import { type BasePlan, isAncestor, planBase } from './base.js';
import { loadConfig } from './config.js';
import { findSessionDirs, rebuildIndex, unifySessionFolders } from './folders.js';
import { writeFileDurable } from './fsutil.js';
import {
  gitIdentity,
  type Identity,
  ObjectStore,
  removeOldTempObjects,
  removeStaleKeeps,
  type TreeEntry,
} from './git.js';
import { encodeName, renderIndex, SEGMENT_RE, segmentName, sessionDir } from './layout.js';
import { acquireMutex, pidAlive, updateRefCAS } from './lock.js';
import { adoptOwnership, mkdirOwned, own } from './owner.js';
import {
  assertWritableFormat,
  BranchCheckedOutError,
  type RepoPaths,
  readRef,
  TRACKING_REF,
} from './paths.js';
import { rawCount, rawLockFile, rawWaiting, safeSessionId, writeOffset } from './spool.js';
import { TreeEditor } from './tree.js';
import { isReadOnlyError, ReadOnlyRepositoryError, removeEmptyUserSpool, userSpoolDir } from './userspool.js';

/**
 * Events serialized already (by import's worker threads, which serialize in parallel): the line a
 * flush writes for them, so the main thread does not serialize them again. Set only for events that
 * are not changed after.
 */
export const serialized = new WeakMap<BaseEvent, string>();

export interface FlushState {
  version: 1;
  tip: string | null;
  /** The tip's root tree: reading the commit after `git gc` would cost a whole packfile read. */
  tipTree: string | null;
  trees: Record<string, TreeEntry[]>;
  index: Record<string, SessionSummary>;
  /** How far each spool file was consumed, and the id on the line that ends there (to tell a rewound offset). */
  spool: Record<string, { ino: number; offset: number; last?: string | null }>;
  /** The collector's own cursors (transcript offsets), saved atomically with the tip they led to. */
  cursors?: unknown;
  /** The objects the last flush wrote: checked before building on `tip` (a prune may have taken them). */
  written?: string[];
  /** Earlier tips we built, newest first: where to rebuild from when the tip turns out broken. */
  history?: string[];
}

/**
 * A source of events beside the spool (the transcripts). It sees the spool's new events and the
 * session index, and returns its events (already redacted) and its new cursors. `verify` names
 * sessions whose returned events may already be on the branch (a cursor was lost): those are checked
 * against the branch's ids before they are written.
 */
export type Collector = (input: {
  events: BaseEvent[];
  index: Record<string, SessionSummary>;
  cursors: unknown;
}) => Promise<CollectResult>;

export interface CollectResult {
  events: Redacted<BaseEvent>[];
  cursors: unknown;
  verify: string[];
  /** Files to write under a session's folder (paths relative to it), e.g. a snapshot's stored files. */
  files?: Array<{ session: string; path: string; content: Redacted<string> }>;
  /**
   * Runs of whole transcript lines, redacted, with the byte range of Claude Code's file they came
   * from: stored under the session's `transcripts/<name>/<start>-<end>.jsonl`, never twice.
   */
  transcripts?: TranscriptPiece[];
  /** Files to write at a path of the branch (a phase's phase.json and review). */
  branchFiles?: Array<{ path: string; content: Redacted<string> }>;
  /** The commit's title when it holds no event (a review, a phase's start): what it holds. */
  message?: string;
  /**
   * Sessions new to the branch, made ready elsewhere (import's worker threads): each one's first
   * segment and its summary folded from the same events. One that turns out to be on the branch, or
   * to have events in this flush too, goes through the general path, from its lines.
   */
  prepared?: PreparedSession[];
}

/** Lines of one transcript file (`main`, `agent-<id>`, or its `agent-<id>.meta.json`). */
export interface TranscriptPiece {
  session: string;
  name: string;
  /** Byte range [start, end) in Claude Code's file. */
  start: number;
  end: number;
  content: Redacted<string>;
}

/** `<start>-<end>.jsonl`: a transcript piece's name, sorted by where it starts. */
export const pieceName = (start: number, end: number): string =>
  `${String(start).padStart(12, '0')}-${String(end).padStart(12, '0')}.jsonl`;
export const PIECE_RE = /^(\d{12,})-(\d{12,})\.jsonl$/;

/**
 * A session not yet on the branch, made ready by import's worker threads: its first segment and its
 * summary. One string and one summary instead of every event object keep the main thread (which
 * commits) and memory light; what is written is what the events would have written.
 */
export interface PreparedSession {
  session: string;
  /** One JSON line per event (fast-pass redacted), each ending with a newline; ids unique. The store runs its full pass on it. */
  text: string;
  events: number;
  /** The earliest event's time. */
  firstTs: string;
  /** foldSummary of the events on emptySummary(session, '', '') with author null. */
  summary: SessionSummary;
}

export interface FlushResult {
  events: number;
  /** What the user must be told once (a rebuilt branch); also kept in errors/notices.log. */
  notices: string[];
  /** Sessions that received events. */
  sessions: string[];
  commits: number;
  skippedLines: number;
  duplicates: number;
}

const stateFile = (paths: RepoPaths) => path.join(paths.trackingDir, 'cache', 'state.json');

/**
 * The state, or null when it is missing or not what we write (`{"version":1}`, a truncated or
 * hand-edited file): the flush then rebuilds it from the branch and reads the whole spool again.
 */
export function readState(paths: RepoPaths): FlushState | null {
  try {
    const s = JSON.parse(fs.readFileSync(stateFile(paths), 'utf8')) as FlushState;
    return validState(s) ? s : null;
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const oidOrNull = (v: unknown) => v === null || (typeof v === 'string' && /^[0-9a-f]{40}$/.test(v));

function validState(s: unknown): s is FlushState {
  if (!isObject(s) || s.version !== 1 || !oidOrNull(s.tip) || !oidOrNull(s.tipTree)) return false;
  if (!isObject(s.trees) || !isObject(s.index) || !isObject(s.spool)) return false;
  if (s.tip !== null && s.tipTree === null) return false;
  for (const t of Object.values(s.trees)) if (!Array.isArray(t)) return false;
  for (const x of Object.values(s.index))
    if (!isObject(x) || typeof x.session !== 'string' || typeof x.dir !== 'string') return false;
  for (const o of Object.values(s.spool))
    if (
      !isObject(o) ||
      !Number.isSafeInteger(o.ino) ||
      !Number.isSafeInteger(o.offset) ||
      (o.offset as number) < 0
    )
      return false;
  if (s.written !== undefined && !(Array.isArray(s.written) && s.written.every(oidOrNull))) return false;
  if (s.history !== undefined && !(Array.isArray(s.history) && s.history.every(oidOrNull))) return false;
  return true;
}

/**
 * Whether a consumed offset is where the state says: the line ending there carries the id recorded
 * with it. A rewound or shifted offset (a restored or edited state) would otherwise make the flush
 * commit lines again that the branch has.
 */
function offsetHolds(fd: number, offset: number, last: string | null | undefined): boolean {
  if (last === undefined) return true; // written by an earlier release: trusted as before
  if (offset === 0) return last === null;
  if (last === null) return false;
  // look back 64 KB (lines are smaller: tool outputs are capped at 32 KB), then up to 1 MB
  for (const back of [1 << 16, 1 << 20]) {
    const n = Math.min(offset, back);
    const buf = Buffer.allocUnsafe(n);
    if (fs.readSync(fd, buf, 0, n, offset - n) !== n || buf[n - 1] !== 10) return false;
    const from = buf.lastIndexOf(10, n - 2) + 1;
    if (from === 0 && n < offset) continue; // a longer line: look further back
    return parseSpoolLine(buf.subarray(from, n - 1).toString('utf8'), () => {})?.id === last;
  }
  return false;
}

function writeState(paths: RepoPaths, state: FlushState): void {
  writeFileDurable(stateFile(paths), JSON.stringify(state));
}

/**
 * After the branch was moved to a commit that is not a descendant of the state's tip but holds what
 * it held (a compaction's new root, a replay onto a compacted remote): the state follows, so that the
 * next flush neither reads the whole spool again nor builds on the replaced history. The caller holds
 * the flush lock. A state that was not at `from` is left alone (the flush's own checks apply).
 */
export async function retargetState(paths: RepoPaths, from: string, to: string): Promise<void> {
  const state = readState(paths);
  // a state behind `from` (archive's prune and pulls move the branch, not the state) consumed no
  // spool line that `from` lacks: it follows too
  if (!state?.tip || (state.tip !== from && !isAncestor(paths, state.tip, from))) return;
  const store = new ObjectStore(paths.commonDir);
  const tipTree = (await store.readCommit(to)).tree;
  if (tipTree === state.tipTree && state.tip === from) {
    writeState(paths, { ...state, tip: to, written: [to], history: [] });
    return;
  }
  const tree = new TreeEditor(store, tipTree);
  const index = await rebuildIndex(tree, await findSessionDirs(tree));
  writeState(paths, { ...state, tip: to, tipTree, trees: {}, index, written: [to], history: [] });
}

interface SpoolRead {
  /** The state's key: the file's name in the spool, `~user/<name>` in the user's spool. */
  file: string;
  /** Where it is. */
  path: string;
  /** In the user's spool (written while .git was read-only): its events are always checked by id. */
  user: boolean;
  ino: number;
  start: number;
  end: number;
  size: number;
  mtimeMs: number;
  events: BaseEvent[];
  last: string | null;
  verify: boolean;
}

function lastLineId(text: Buffer): string | null {
  return parseSpoolLine(text.subarray(text.lastIndexOf(10) + 1).toString('utf8'), () => {})?.id ?? null;
}

const isEvent = (e: unknown): e is BaseEvent =>
  Boolean(e) &&
  typeof (e as BaseEvent).id === 'string' &&
  typeof (e as BaseEvent).session === 'string' &&
  typeof (e as BaseEvent).type === 'string';

/**
 * One spool line as an event. A line that does not parse may be a torn write (the disk filled while a
 * hook wrote, and the cut could not be undone) with the next hook's whole line glued to it: the
 * event is then the line's longest suffix that parses, and only the torn part is set aside.
 */
export function parseSpoolLine(line: string, onBadLine: (line: string) => void): BaseEvent | null {
  try {
    const e = JSON.parse(line);
    if (isEvent(e)) return e;
    onBadLine(line);
    return null;
  } catch {
    // torn, or glued to a torn one: look for where the whole line starts
  }
  for (
    let i = line.indexOf('{"', 1), tries = 0;
    i > 0 && tries < 256;
    i = line.indexOf('{"', i + 1), tries++
  ) {
    try {
      const e = JSON.parse(line.slice(i));
      if (isEvent(e)) {
        onBadLine(line.slice(0, i));
        return e;
      }
    } catch {
      // not here
    }
  }
  onBadLine(line);
  return null;
}

const USER_KEY = '~user/';

/**
 * Reads the complete lines each spool file has past its consumed offset: the user's spool first
 * (events kept while .git was read-only came before those the repository's spool holds now).
 */
function readSpool(
  paths: RepoPaths,
  offsets: FlushState['spool'],
  onBadLine: (line: string) => void,
): SpoolRead[] {
  const out: SpoolRead[] = [];
  const userDir = userSpoolDir(paths);
  if (userDir) readSpoolDir(userDir, USER_KEY, offsets, onBadLine, out);
  readSpoolDir(paths.spoolDir, '', offsets, onBadLine, out);
  return out;
}

function readSpoolDir(
  dir: string,
  prefix: string,
  offsets: FlushState['spool'],
  onBadLine: (line: string) => void,
  out: SpoolRead[],
): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return;
  }
  const user = prefix === USER_KEY;
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      continue;
    }
    try {
      const st = fs.fstatSync(fd);
      const known = offsets[prefix + name];
      const holds =
        known !== undefined &&
        known.ino === st.ino &&
        known.offset <= st.size &&
        offsetHolds(fd, known.offset, known.last);
      const start = holds ? known.offset : 0;
      const buf = Buffer.allocUnsafe(st.size - start);
      const n = fs.readSync(fd, buf, 0, buf.length, start);
      const lastNl = buf.lastIndexOf(10, n - 1);
      const events: BaseEvent[] = [];
      if (lastNl >= 0) {
        for (const line of buf.subarray(0, lastNl).toString('utf8').split('\n')) {
          if (!line.trim()) continue;
          const e = parseSpoolLine(line, onBadLine);
          if (e) events.push(e);
        }
      }
      out.push({
        file: prefix + name,
        path: file,
        user,
        ino: st.ino,
        start,
        end: start + lastNl + 1,
        size: st.size,
        mtimeMs: st.mtimeMs,
        events,
        // the id on the line ending at `end` (null: not an event line)
        last: lastNl < 0 ? (holds ? (known.last ?? null) : null) : lastLineId(buf.subarray(0, lastNl)),
        // read from the start without a trusted offset, or kept while .git was read-only (a flush
        // killed before its state may have committed them): its sessions' events are checked against the branch
        verify: !holds || user,
      });
    } finally {
      fs.closeSync(fd);
    }
  }
}

export { findSessionDirs, rebuildIndex } from './folders.js';

/** A path git accepts in a tree: no empty, '.', '..' or '.git' component, no NUL or backslash. */
export const safeTreePath = (p: string): boolean =>
  p
    .split('/')
    .every((part) => part !== '' && !/^\.+$/.test(part) && !/^\.git$/i.test(part) && !/[\0\\]/.test(part));

/** A session's events on the branch, in segment order. */
async function eventsOnBranch(tree: TreeEditor, dir: string): Promise<BaseEvent[]> {
  const segs = ((await tree.list(`${dir}/events`)) ?? []).filter((e) => SEGMENT_RE.test(e.path));
  segs.sort((a, b) => a.path.localeCompare(b.path));
  const out: BaseEvent[] = [];
  for (const seg of segs)
    for (const line of ((await tree.readFile(`${dir}/events/${seg.path}`)) ?? '').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // not an event line
      }
    }
  return out;
}

async function idsOnBranch(tree: TreeEditor, dir: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const seg of (await tree.list(`${dir}/events`)) ?? []) {
    if (!SEGMENT_RE.test(seg.path)) continue;
    for (const line of ((await tree.readFile(`${dir}/events/${seg.path}`)) ?? '').split('\n')) {
      const m = /^\{"id":"([^"]+)"/.exec(line);
      if (m) ids.add(m[1]);
      else if (line.trim()) {
        try {
          ids.add(JSON.parse(line).id);
        } catch {
          // not an event line
        }
      }
    }
  }
  return ids;
}

/** Builds and publishes one commit for the events read; returns false when the branch moved under us. */
/**
 * The open phase: a folder under phases/ without a review.json or ended.json (`phase end` writes one). Decided from
 * tree entries alone (cached), never by reading blobs. With several open (two clones started phases
 * at once) the last by name wins.
 */
export async function currentPhase(tree: TreeEditor): Promise<string | null> {
  const open: string[] = [];
  for (const e of (await tree.list('phases')) ?? []) {
    if (e.type !== 'tree') continue;
    const entries = (await tree.list(`phases/${e.path}`)) ?? [];
    if (
      !entries.some((x) => x.path === 'review.json' || x.path === 'ended.json' || x.path === 'ARCHIVED.json')
    )
      open.push(e.path);
  }
  return open.sort().at(-1) ?? null;
}

async function commitEvents(
  paths: RepoPaths,
  store: ObjectStore,
  plan: BasePlan,
  state: FlushState,
  reads: SpoolRead[],
  extra: CollectResult,
  who: Identity,
  phase: string,
  result: FlushResult,
): Promise<{ ok: boolean; state: FlushState }> {
  // the ref's value (compared and swapped) and what we build on: the same but for a broken tip
  const tip = plan.expected;
  const base = plan.base;
  const fresh = plan.fresh;
  let tipTree: string | null = null;
  if (fresh && state.tipTree) tipTree = state.tipTree;
  else if (base) tipTree = (await store.readCommit(base)).tree;
  const tree = new TreeEditor(store, tipTree, fresh ? state.trees : {});
  let index = state.index;
  let dirs = new Map<string, string>();
  if (fresh) dirs = new Map(Object.values(index).map((s) => [s.session, s.dir]));
  let unified = new Map<string, SessionSummary>();
  if (!fresh) {
    // two folders of one session (two clones, merged by an older release): made one first
    unified = await unifySessionFolders(tree);
    dirs = await findSessionDirs(tree);
    index = { ...(await rebuildIndex(tree, dirs)), ...Object.fromEntries(unified) };
  }
  index = { ...index };
  // the current phase is the branch's: every clone agrees (a config's phase only names the first)
  phase = (await currentPhase(tree)) ?? encodeName(phase);

  // sessions of spool files read without a trusted offset
  const verifying = new Set(reads.filter((r) => r.verify).flatMap((r) => r.events.map((e) => e.session)));
  const bySession = new Map<string, BaseEvent[]>();
  const add = (e: BaseEvent) => {
    const list = bySession.get(e.session);
    if (list) list.push(e);
    else bySession.set(e.session, [e]);
  };
  for (const r of reads) for (const e of r.events) add(e);
  for (const e of extra.events) add(e);
  const prepared = new Map<string, PreparedSession>();
  for (const p of extra.prepared ?? []) {
    if (dirs.has(p.session) || bySession.has(p.session) || prepared.has(p.session)) {
      // not new after all, or not alone: its events, exactly as they were serialized
      for (const line of p.text.split('\n')) if (line) add(JSON.parse(line) as BaseEvent);
    } else prepared.set(p.session, p);
  }
  let written = 0;
  /** The segment's number after the highest (not the count: a merge may have left gaps). */
  const nextSegment = async (dir: string) =>
    1 +
    Math.max(
      0,
      ...((await tree.list(`${dir}/events`)) ?? [])
        .filter((e) => SEGMENT_RE.test(e.path))
        .map((e) => Number.parseInt(e.path, 10)),
    );
  const staged = async (session: string, dir: string, summary: SessionSummary, count: number) => {
    index[session] = summary;
    tree.stageFile(`${dir}/session.json`, redactForStore(`${JSON.stringify(summary, null, 2)}\n`));
    const phaseName = dir.split('/')[1];
    // existence from the tree entries (cached), not by reading the blob: after git gc a read costs a whole pack
    if (!(await tree.has(`phases/${phaseName}/phase.json`))) {
      tree.stageFile(
        `phases/${phaseName}/phase.json`,
        redactForStore(
          `${JSON.stringify({ name: phaseName, started: summary.started, ended: null }, null, 2)}\n`,
        ),
      );
    }
    written += count;
    if (!result.sessions.includes(session)) result.sessions.push(session);
  };
  for (const [session, events] of bySession) {
    let dir = dirs.get(session);
    let newEvents = events;
    // a failure is reported by the hook and by the transcript under one id, in either order: checked
    const failure = events.some((e) => e.type === 'error' || (e.type === 'tool_call' && e.success === false));
    if (dir && (!fresh || failure || extra.verify.includes(session) || verifying.has(session))) {
      const known = await idsOnBranch(tree, dir);
      newEvents = events.filter((e) => !known.has(e.id));
      result.duplicates += events.length - newEvents.length;
    }
    // one id may also repeat inside the spool (a hook retried by hand): keep the first
    const seen = new Set<string>();
    newEvents = newEvents.filter((e) => {
      if (seen.has(e.id)) return false;
      seen.add(e.id);
      return true;
    });
    if (newEvents.length === 0) continue;
    const summaryBefore = index[session];
    if (!dir) {
      const first = newEvents.map((e) => e.ts).sort()[0];
      dir = sessionDir(phase, first, session);
      dirs.set(session, dir);
    }
    tree.stageFile(
      `${dir}/events/${segmentName(await nextSegment(dir))}`,
      redactForStore(newEvents.map((e) => `${serialized.get(e) ?? JSON.stringify(e)}\n`).join('')),
    );
    const fresh0 = {
      ...emptySummary(session, dir.split('/')[1], dir),
      author: summaryBefore?.author ?? who,
      ...(summaryBefore?.transcripts ? { transcripts: summaryBefore.transcripts } : {}),
    };
    // a summary an earlier release folded is folded again from the whole session (migrated on write)
    const summary =
      summaryBefore && !isCurrentSummary(summaryBefore)
        ? foldSummary(fresh0, [...(await eventsOnBranch(tree, dir)), ...newEvents])
        : foldSummary(summaryBefore ?? fresh0, newEvents);
    await staged(session, dir, summary, newEvents.length);
  }
  for (const p of prepared.values()) {
    const dir = sessionDir(phase, p.firstTs, p.session);
    dirs.set(p.session, dir);
    tree.stageFile(`${dir}/events/${segmentName(await nextSegment(dir))}`, redactForStore(p.text));
    // what the general path folds for a new session: the same events on an empty summary of this folder
    const summary: SessionSummary = { ...p.summary, phase: dir.split('/')[1], dir, author: who };
    await staged(p.session, dir, summary, p.events);
  }

  let filesWritten = unified.size;
  for (const f of extra.branchFiles ?? []) {
    if (!/^phases\/[\w.-]+\/[\w.-]+$/.test(f.path) || !safeTreePath(f.path)) continue;
    tree.stageFile(f.path, f.content);
    filesWritten++;
  }
  for (const f of extra.files ?? []) {
    const dir = dirs.get(f.session);
    if (!dir || !safeTreePath(f.path)) continue;
    tree.stageFile(`${dir}/${f.path}`, f.content);
    filesWritten++;
  }
  // the conversation: each piece once, after what the folder already holds (whatever the cursors say)
  const kept = new Map<string, Record<string, number>>();
  for (const t of extra.transcripts ?? []) {
    const dir = dirs.get(t.session);
    const summary = index[t.session];
    if (!dir || !summary) continue;
    const folder = `${dir}/transcripts/${encodeName(t.name)}`;
    const marks = kept.get(t.session) ?? { ...(summary.transcripts ?? {}) };
    kept.set(t.session, marks);
    if (t.name.endsWith('.meta.json')) {
      if (!(await tree.has(`${dir}/transcripts/${encodeName(t.name)}`))) {
        tree.stageFile(`${dir}/transcripts/${encodeName(t.name)}`, t.content);
        filesWritten++;
      }
      continue;
    }
    const have = Math.max(
      marks[t.name] ?? 0,
      ...((await tree.list(folder)) ?? []).map((e) => Number(PIECE_RE.exec(e.path)?.[2] ?? 0)),
    );
    // a piece from before what is stored (a cursor lost with the state): the next flush reads on from `have`
    if (t.start < have) {
      marks[t.name] = have;
      continue;
    }
    tree.stageFile(`${folder}/${pieceName(t.start, t.end)}`, t.content);
    marks[t.name] = t.end;
    filesWritten++;
  }
  for (const [session, marks] of kept) {
    if (JSON.stringify(marks) === JSON.stringify(index[session].transcripts ?? {})) continue;
    filesWritten++;
    const summary = { ...index[session], transcripts: marks };
    index[session] = summary;
    tree.stageFile(`${summary.dir}/session.json`, redactForStore(`${JSON.stringify(summary, null, 2)}\n`));
  }

  const spool = { ...state.spool };
  for (const r of reads) spool[r.file] = { ino: r.ino, offset: r.end, last: r.last };

  let newTip = tip;
  let newTree = tipTree;
  let objects = state.written;
  // a broken tip is replaced even when no event is new
  if (written > 0 || filesWritten > 0 || base !== tip) {
    const host = os.hostname();
    const status = (x: SessionSummary) =>
      sessionStatus(x, { now: Date.now(), host, alive: processAlive, crashedAfterMinutes: 30 });
    tree.stageFile('README.md', redactForStore(renderIndex(Object.values(index), BUILTIN_PRICES, status)));
    // a large flush (an import) goes in as one pack, a small one as loose objects
    store.startBatch();
    const rootTree = await tree.write();
    await store.endBatch();
    newTree = rootTree;
    const sessions = bySession.size + prepared.size;
    const message =
      written === 0 && extra.message
        ? extra.message
        : `agent-track: ${written} event${written === 1 ? '' : 's'} from ${sessions} session${sessions === 1 ? '' : 's'}${extra.message ? `; ${extra.message.replace(/^agent-track: /, '')}` : ''}`;
    newTip = await store.writeCommit(rootTree, base ? [base] : [], message, who);
    holdBeforeRef();
    if (!(await updateRefCAS(paths.commonDir, TRACKING_REF, newTip, tip))) {
      store.dropKeeps();
      return { ok: false, state };
    }
    objects = [...store.written];
    store.settle();
    result.events += written;
    result.commits++;
  }
  // keep the trees the next flush walks through: everything but finished sessions' folders
  const ended = new Set(
    Object.values(index)
      .filter((s) => s.ended)
      .map((s) => s.dir),
  );
  const trees = tree.snapshot((d) => ![...ended].some((e) => d === e || d.startsWith(`${e}/`)));
  return {
    ok: true,
    state: {
      version: 1,
      tip: newTip,
      tipTree: newTree,
      trees,
      index,
      spool,
      cursors: extra.cursors,
      written: newTip === tip ? state.written : objects,
      history: [...new Set([base, ...(state.history ?? [])].filter((x): x is string => Boolean(x)))].slice(
        0,
        8,
      ),
    },
  };
}

/**
 * Test hook for the repack and gc races: with AGENT_TRACK_HOLD_BEFORE_REF=<file>, the flush creates
 * `<file>` once its objects are written and waits, before moving the ref, until the test removes it.
 */
let held = false;
function holdBeforeRef(): void {
  const file = process.env.AGENT_TRACK_HOLD_BEFORE_REF;
  if (!file || held) return;
  held = true;
  fs.writeFileSync(file, String(process.pid));
  const wait = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 60_000;
  while (fs.existsSync(file) && Date.now() < until) Atomics.wait(wait, 0, 0, 20);
}

export interface FlushOptions {
  /** How long to wait for another flush of this clone to finish; 0 (background) gives up at once. */
  waitMs?: number;
  /** Events from other sources (transcripts), committed in the same commit as the spool's. */
  collect?: Collector;
  /**
   * Brings the raw spool's payloads into the spool (capture/raw.ts convertRaw), before each read of
   * the spool; a flush given it also goes round again while payloads wait.
   */
  convertRaw?: () => Promise<{ left: number } | null>;
}

/** Keeps a notice where a background flush's user can find it. */
function notice(paths: RepoPaths, message: string): void {
  try {
    mkdirOwned(paths.errorsDir);
    fs.appendFileSync(path.join(paths.errorsDir, 'notices.log'), `${new Date().toISOString()} ${message}\n`);
    own(path.join(paths.errorsDir, 'notices.log'));
  } catch {
    // a full disk: the foreground flush still prints it
  }
}

/**
 * Commits everything in the spool to the branch; loops until the spool has nothing new. A hook that
 * finds a flush running starts none of its own (under load, each would be a whole process that only
 * finds the lock taken): so after releasing the lock the flush looks once more, and goes again when
 * a spool file grew meanwhile. A hook appends before it looks at the lock, and we look after
 * releasing it, so no append is left waiting for a trigger.
 */
export async function flushSpool(paths: RepoPaths, opts: FlushOptions = {}): Promise<FlushResult> {
  const result: FlushResult = {
    events: 0,
    notices: [],
    sessions: [],
    commits: 0,
    skippedLines: 0,
    duplicates: 0,
  };
  assertWritableFormat(paths.commonDir);
  adoptOwnership(paths.commonDir, paths.workTree);
  const seen = new Map<string, number>();
  // payloads the last conversion left (still being written): no reason to go round again for them
  let left = 0;
  const given = opts.convertRaw;
  const convertRaw = given
    ? async () => {
        const r = await given();
        left = r?.left ?? 0;
        return r;
      }
    : undefined;
  for (let pass = 0; pass < 50; pass++) {
    const o = { ...opts, convertRaw, ...(pass === 0 ? {} : { waitMs: 0 }) };
    if (!(await flushPass(paths, o, result, seen))) break;
    if (!spoolGrew(paths, seen) && !(convertRaw && rawCount(paths) > left)) break;
  }
  return result;
}

/** Whether a spool file (the repository's or the user's) holds more bytes than the flush last read. */
function spoolGrew(paths: RepoPaths, seen: Map<string, number>): boolean {
  const userDir = userSpoolDir(paths);
  for (const dir of userDir ? [paths.spoolDir, userDir] : [paths.spoolDir]) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      if (!n.endsWith('.jsonl')) continue;
      const file = path.join(dir, n);
      if (fileSize(file) > (seen.get(file) ?? 0)) return true;
    }
  }
  return false;
}

/** One flush under the lock; false when another flush holds it. */
async function flushPass(
  paths: RepoPaths,
  opts: FlushOptions,
  result: FlushResult,
  seen: Map<string, number>,
): Promise<boolean> {
  let release: (() => void) | null;
  try {
    release = await acquireMutex(path.join(paths.trackingDir, 'flush.lock'), opts.waitMs ?? 0);
  } catch (e) {
    if (isReadOnlyError(e)) throw new ReadOnlyRepositoryError(paths, e);
    throw e;
  }
  if (!release) return false;
  const saw = (reads: SpoolRead[]) => {
    for (const r of reads) seen.set(r.path, r.size);
  };
  try {
    // .keep files of packs whose flush was killed before its ref moved
    removeStaleKeeps(paths.commonDir, pidAlive);
    removeOldTempObjects(paths.commonDir, path.join(paths.trackingDir, 'cache', 'swept-old-temps'));
    const config = await loadConfig(paths);
    let who: Identity | null = null;
    // the state this flush wrote last round: only a flush writes it, and this one holds the lock
    let carried: FlushState | null = null;
    for (let round = 0; round < 1000; round++) {
      let state: FlushState = carried ??
        readState(paths) ?? {
          version: 1,
          tip: null,
          tipTree: null,
          trees: {},
          index: {},
          spool: {},
        };
      const store = new ObjectStore(paths.commonDir);
      // payloads the sh hook saved: into the spool first (redacted there), then read with the rest
      if (opts.convertRaw) await opts.convertRaw();
      let plan = await planBase(paths, store, state, readRef(paths.commonDir, TRACKING_REF));
      const bad: string[] = [];
      let reads = readSpool(paths, plan.rereadAll ? {} : state.spool, (l) => bad.push(l));
      saw(reads);
      if (bad.length) {
        result.skippedLines += bad.length;
        mkdirOwned(paths.errorsDir);
        fs.appendFileSync(
          path.join(paths.errorsDir, 'spool-bad-lines.jsonl'),
          bad.map((l) => `${JSON.stringify({ line: l.slice(0, 4096) })}\n`).join(''),
        );
        own(path.join(paths.errorsDir, 'spool-bad-lines.jsonl'));
      }
      let pending = reads.filter((r) => r.end > r.start);
      // events that left the branch may be in transcripts too: read those again from their start
      const cursors = plan.rereadAll ? undefined : state.cursors;
      const extra = opts.collect
        ? await opts.collect({ events: pending.flatMap((r) => r.events), index: state.index, cursors })
        : { events: [], cursors, verify: [] as string[] };
      if (
        pending.length === 0 &&
        extra.events.length === 0 &&
        !extra.prepared?.length &&
        !extra.files?.length &&
        !extra.branchFiles?.length &&
        !extra.transcripts?.length &&
        plan.fresh
      ) {
        // no spool file goes while a conversion runs or was cut short: it appends to them, and a
        // converter after a kill looks in them for the events it appended already
        const rawRelease = rawWaiting(paths) ? null : await acquireMutex(rawLockFile(paths), 0);
        if (rawRelease)
          try {
            if (!rawWaiting(paths)) cleanupSpool(paths, state, reads);
          } finally {
            rawRelease();
          }
        break;
      }
      who ??= gitIdentity(paths.workTree);
      let attempt = 0;
      for (;;) {
        if (plan.notice && !result.notices.includes(plan.notice)) {
          result.notices.push(plan.notice);
          notice(paths, plan.notice);
        }
        const out = await commitEvents(paths, store, plan, state, pending, extra, who, config.phase, result);
        if (out.ok) {
          state = out.state;
          break;
        }
        // another writer moved the branch: build on its tip (ids make this safe), reading the whole
        // spool again if that tip no longer holds what we wrote
        if (++attempt > 20) throw new Error('the agent-tracking branch keeps moving; try again');
        const again = await planBase(paths, store, state, readRef(paths.commonDir, TRACKING_REF));
        if (again.rereadAll && !plan.rereadAll) {
          reads = readSpool(paths, {}, () => {});
          saw(reads);
          pending = reads.filter((r) => r.end > r.start);
        }
        plan = { ...again, rereadAll: again.rereadAll || plan.rereadAll };
      }
      // fault injection for the crash tests: die in the window between the ref and the state
      if (process.env.AGENT_TRACK_FAULT === 'after-ref') process.kill(process.pid, 'SIGKILL');
      writeState(paths, state);
      carried = state;
      for (const r of reads) {
        if (r.user) continue;
        try {
          writeOffset(r.path, { ino: r.ino, offset: r.end });
        } catch {
          // only a hint for the hook
        }
      }
    }
  } catch (e) {
    // said once where a background flush's user looks, not at every Stop of every session
    if (e instanceof BranchCheckedOutError) noticeOnce(paths, 'checked-out', e.message);
    throw e;
  } finally {
    release();
  }
  return true;
}

function noticeOnce(paths: RepoPaths, key: string, message: string): void {
  const marker = path.join(paths.trackingDir, 'cache', `notice-${key}`);
  try {
    if (fs.readFileSync(marker, 'utf8') === message) return;
  } catch {
    // not said yet
  }
  notice(paths, message);
  try {
    writeFileDurable(marker, message, { fsync: false });
  } catch {
    // said again next time
  }
}

/**
 * Removes spool files that are fully on the branch, whose session ended, and that nobody wrote to
 * for a minute. The file is renamed first (so no inode can be reused while the state still names
 * it), the state forgets it, then it is deleted.
 */
function cleanupSpool(paths: RepoPaths, state: FlushState, reads: SpoolRead[]): void {
  // the user's spool, all on the branch, goes now: wait out its quiet time (once, at most 2 s) so that
  // a hook that was appending as .git became writable has finished
  const quietIn = Math.max(
    0,
    ...reads
      .filter((r) => r.user && r.end === r.size && r.start === r.size)
      .map((r) => USER_SPOOL_QUIET_MS + 1 - (Date.now() - r.mtimeMs)),
  );
  if (quietIn > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, quietIn);
  const done = reads.filter((r) => {
    if (r.user) return r.end === r.size && r.start === r.size && Date.now() - r.mtimeMs > USER_SPOOL_QUIET_MS;
    const session = r.file.replace(/\.jsonl$/, '');
    const s = Object.values(state.index).find((x) => safeSessionId(x.session) === session);
    return r.end === r.size && r.start === r.size && s?.ended && Date.now() - r.mtimeMs > 60_000;
  });
  if (!done.length) {
    if (reads.every((r) => !r.user)) removeEmptyUserSpool(paths);
    return;
  }
  const spool = { ...state.spool };
  const renamed: Array<{ to: string; r: SpoolRead }> = [];
  for (const r of done) {
    const to = `${r.path}.${r.ino}.consumed`;
    try {
      fs.renameSync(r.path, to);
      renamed.push({ to, r });
      delete spool[r.file];
      if (!r.user) fs.rmSync(r.path.replace(/\.jsonl$/, '.offset'), { force: true });
    } catch {
      // someone else cleaned it
    }
  }
  writeState(paths, { ...state, spool });
  for (const { to, r } of renamed) {
    // a hook that opened the user's spool file before our rename may still have appended to it: such
    // a file is put back under a new name, read again from its start (its events checked by id)
    if (r.user && fileSize(to) !== r.size) {
      try {
        fs.renameSync(to, `${r.path.replace(/\.jsonl$/, '')}.${r.ino}.jsonl`);
        continue;
      } catch {
        // fall through: nothing to keep
      }
    }
    fs.rmSync(to, { force: true });
  }
  removeEmptyUserSpool(paths);
}

/** A user's spool file is removed once it has been fully on the branch and untouched for this long. */
const USER_SPOOL_QUIET_MS = 2_000;

const fileSize = (file: string): number => {
  try {
    return fs.statSync(file).size;
  } catch {
    return -1;
  }
};

/**
 * Commits what a caller has (events, session files, branch files) together with the spool, once: the
 * flush asks its collector again after each commit, and gets nothing the second time.
 */
/**
 * Edits the branch tip directly (archive's prune, restore's graft): under the flush lock, so no flush
 * interleaves, and compare-and-swapped like every branch update. `edit` may run again on a newer tip.
 */
export async function editBranch(
  paths: RepoPaths,
  message: string,
  edit: (tree: TreeEditor) => Promise<void>,
): Promise<string> {
  assertWritableFormat(paths.commonDir);
  adoptOwnership(paths.commonDir, paths.workTree);
  const release = await acquireMutex(path.join(paths.trackingDir, 'flush.lock'), 120_000);
  if (!release) throw new Error('another flush holds the lock for too long; try again');
  try {
    const store = new ObjectStore(paths.commonDir);
    for (let attempt = 0; attempt < 20; attempt++) {
      const tip = readRef(paths.commonDir, TRACKING_REF);
      if (!tip) throw new Error('no agent-tracking branch');
      const tree = new TreeEditor(store, (await store.readCommit(tip)).tree);
      await edit(tree);
      const root = await tree.write();
      const commit = await store.writeCommit(root, [tip], message, gitIdentity(paths.workTree));
      if (await updateRefCAS(paths.commonDir, TRACKING_REF, commit, tip)) {
        store.settle();
        return commit;
      }
      store.dropKeeps();
    }
    throw new Error('the agent-tracking branch keeps moving; try again');
  } finally {
    release();
  }
}

export function commitWith(paths: RepoPaths, extra: Omit<CollectResult, 'cursors'>): Promise<FlushResult> {
  let given = false;
  return flushSpool(paths, {
    waitMs: 60_000,
    collect: async ({ cursors }) => {
      if (given) return { events: [], cursors, verify: [] };
      given = true;
      return { ...extra, cursors };
    },
  });
}
