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
import * as path from 'node:path';
import type { BaseEvent } from '../model/events.js';
import type { Redacted } from '../model/redacted.js';
import { emptySummary, foldSummary, isCurrentSummary, type SessionSummary } from '../model/session.js';
import { loadConfig } from './config.js';
import { gitIdentity, type Identity, ObjectStore, type TreeEntry } from './git.js';
import { renderIndex, SEGMENT_RE, segmentName, sessionDir } from './layout.js';
import { acquireMutex, updateRefCAS } from './lock.js';
import { type RepoPaths, readRef, TRACKING_REF } from './paths.js';
import { safeSessionId, writeOffset } from './spool.js';
import { TreeEditor } from './tree.js';

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
  spool: Record<string, { ino: number; offset: number }>;
  /** The collector's own cursors (transcript offsets), saved atomically with the tip they led to. */
  cursors?: unknown;
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
  /** Files to write at a path of the branch (a phase's phase.json and review). */
  branchFiles?: Array<{ path: string; content: Redacted<string> }>;
  /**
   * Sessions new to the branch, made ready elsewhere (import's worker threads): each one's first
   * segment and its summary folded from the same events. One that turns out to be on the branch, or
   * to have events in this flush too, goes through the general path, from its lines.
   */
  prepared?: PreparedSession[];
}

/**
 * A session not yet on the branch, made ready by import's worker threads: its first segment and its
 * summary. One string and one summary instead of every event object keep the main thread (which
 * commits) and memory light; what is written is what the events would have written.
 */
export interface PreparedSession {
  session: string;
  /** One JSON line per event, each ending with a newline; ids unique. */
  text: Redacted<string>;
  events: number;
  /** The earliest event's time. */
  firstTs: string;
  /** foldSummary of the events on emptySummary(session, '', '') with author null. */
  summary: SessionSummary;
}

export interface FlushResult {
  events: number;
  /** Sessions that received events. */
  sessions: string[];
  commits: number;
  skippedLines: number;
  duplicates: number;
}

const stateFile = (paths: RepoPaths) => path.join(paths.trackingDir, 'cache', 'state.json');

export function readState(paths: RepoPaths): FlushState | null {
  try {
    const s = JSON.parse(fs.readFileSync(stateFile(paths), 'utf8')) as FlushState;
    return s.version === 1 ? s : null;
  } catch {
    return null;
  }
}

function writeState(paths: RepoPaths, state: FlushState): void {
  const file = stateFile(paths);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}

interface SpoolRead {
  file: string;
  ino: number;
  start: number;
  end: number;
  size: number;
  mtimeMs: number;
  events: BaseEvent[];
}

/** Reads the complete lines each spool file has past its consumed offset. */
function readSpool(
  paths: RepoPaths,
  offsets: FlushState['spool'],
  onBadLine: (line: string) => void,
): SpoolRead[] {
  let names: string[];
  try {
    names = fs.readdirSync(paths.spoolDir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const out: SpoolRead[] = [];
  for (const name of names.sort()) {
    const file = path.join(paths.spoolDir, name);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      continue;
    }
    try {
      const st = fs.fstatSync(fd);
      const known = offsets[name];
      const start = known && known.ino === st.ino && known.offset <= st.size ? known.offset : 0;
      const buf = Buffer.allocUnsafe(st.size - start);
      const n = fs.readSync(fd, buf, 0, buf.length, start);
      const lastNl = buf.lastIndexOf(10, n - 1);
      const events: BaseEvent[] = [];
      if (lastNl >= 0) {
        for (const line of buf.subarray(0, lastNl).toString('utf8').split('\n')) {
          if (!line.trim()) continue;
          try {
            const e = JSON.parse(line);
            if (e && typeof e.id === 'string' && typeof e.session === 'string' && typeof e.type === 'string')
              events.push(e);
            else onBadLine(line);
          } catch {
            onBadLine(line);
          }
        }
      }
      out.push({
        file: name,
        ino: st.ino,
        start,
        end: start + lastNl + 1,
        size: st.size,
        mtimeMs: st.mtimeMs,
        events,
      });
    } finally {
      fs.closeSync(fd);
    }
  }
  return out;
}

/** The session folders on the branch: session id -> folder. */
export async function findSessionDirs(tree: TreeEditor): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const phase of (await tree.list('phases')) ?? []) {
    if (phase.type !== 'tree') continue;
    for (const s of (await tree.list(`phases/${phase.path}/sessions`)) ?? []) {
      if (s.type !== 'tree') continue;
      const m = /^\d{4}-\d{2}-\d{2}-(.+)$/.exec(s.path);
      if (m) out.set(m[1], `phases/${phase.path}/sessions/${s.path}`);
    }
  }
  return out;
}

/** Rebuilds the session index from the branch (after a crash, or when another writer moved it). */
export async function rebuildIndex(
  tree: TreeEditor,
  dirs: Map<string, string>,
): Promise<Record<string, SessionSummary>> {
  const index: Record<string, SessionSummary> = {};
  for (const [id, dir] of dirs) {
    const text = await tree.readFile(`${dir}/session.json`);
    if (!text) continue;
    try {
      index[id] = JSON.parse(text);
    } catch {
      // a damaged session.json is rebuilt when the session flushes again
    }
  }
  return index;
}

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
  state: FlushState,
  reads: SpoolRead[],
  extra: CollectResult,
  who: Identity,
  phase: string,
  result: FlushResult,
): Promise<{ ok: boolean; state: FlushState }> {
  const store = new ObjectStore(paths.commonDir);
  const tip = readRef(paths.commonDir, TRACKING_REF);
  const fresh = state.tip === tip;
  let tipTree: string | null = null;
  if (fresh && state.tipTree) tipTree = state.tipTree;
  else if (tip) tipTree = (await store.readCommit(tip)).tree;
  const tree = new TreeEditor(store, tipTree, fresh ? state.trees : {});
  let index = state.index;
  let dirs: Map<string, string>;
  if (fresh) dirs = new Map(Object.values(index).map((s) => [s.session, s.dir]));
  else {
    dirs = await findSessionDirs(tree);
    index = await rebuildIndex(tree, dirs);
  }
  index = { ...index };
  // the current phase is the branch's: every clone agrees (a config's phase only names the first)
  phase = (await currentPhase(tree)) ?? phase;

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
    tree.stageFile(`${dir}/session.json`, `${JSON.stringify(summary, null, 2)}\n`);
    const phaseName = dir.split('/')[1];
    // existence from the tree entries (cached), not by reading the blob: after git gc a read costs a whole pack
    if (!(await tree.has(`phases/${phaseName}/phase.json`))) {
      tree.stageFile(
        `phases/${phaseName}/phase.json`,
        `${JSON.stringify({ name: phaseName, started: summary.started, ended: null }, null, 2)}\n`,
      );
    }
    written += count;
    if (!result.sessions.includes(session)) result.sessions.push(session);
  };
  for (const [session, events] of bySession) {
    let dir = dirs.get(session);
    let newEvents = events;
    if (dir && (!fresh || extra.verify.includes(session))) {
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
      newEvents.map((e) => `${serialized.get(e) ?? JSON.stringify(e)}\n`).join(''),
    );
    const fresh0 = { ...emptySummary(session, dir.split('/')[1], dir), author: summaryBefore?.author ?? who };
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
    tree.stageFile(`${dir}/events/${segmentName(await nextSegment(dir))}`, p.text);
    // what the general path folds for a new session: the same events on an empty summary of this folder
    const summary: SessionSummary = { ...p.summary, phase: dir.split('/')[1], dir, author: who };
    await staged(p.session, dir, summary, p.events);
  }

  let filesWritten = 0;
  for (const f of extra.branchFiles ?? []) {
    if (!/^phases\/[\w.-]+\/[\w.-]+$/.test(f.path)) continue;
    tree.stageFile(f.path, f.content);
    filesWritten++;
  }
  for (const f of extra.files ?? []) {
    const dir = dirs.get(f.session);
    if (!dir || f.path.split('/').some((part) => part === '..' || part === '')) continue;
    tree.stageFile(`${dir}/${f.path}`, f.content);
    filesWritten++;
  }

  const spool = { ...state.spool };
  for (const r of reads) spool[r.file] = { ino: r.ino, offset: r.end };

  let newTip = tip;
  let newTree = tipTree;
  if (written > 0 || filesWritten > 0) {
    tree.stageFile('README.md', renderIndex(Object.values(index)));
    // a large flush (an import) goes in as one pack, a small one as loose objects
    store.startBatch();
    const rootTree = await tree.write();
    await store.endBatch();
    newTree = rootTree;
    const message = `agent-track: ${written} event${written === 1 ? '' : 's'} from ${bySession.size + prepared.size} session${bySession.size + prepared.size === 1 ? '' : 's'}`;
    newTip = await store.writeCommit(rootTree, tip ? [tip] : [], message, who);
    if (!(await updateRefCAS(paths.commonDir, TRACKING_REF, newTip, tip))) return { ok: false, state };
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
    state: { version: 1, tip: newTip, tipTree: newTree, trees, index, spool, cursors: extra.cursors },
  };
}

export interface FlushOptions {
  /** How long to wait for another flush of this clone to finish; 0 (background) gives up at once. */
  waitMs?: number;
  /** Events from other sources (transcripts), committed in the same commit as the spool's. */
  collect?: Collector;
}

/** Commits everything in the spool to the branch; loops until the spool has nothing new. */
export async function flushSpool(paths: RepoPaths, opts: FlushOptions = {}): Promise<FlushResult> {
  const result: FlushResult = { events: 0, sessions: [], commits: 0, skippedLines: 0, duplicates: 0 };
  const release = await acquireMutex(path.join(paths.trackingDir, 'flush.lock'), opts.waitMs ?? 0);
  if (!release) return result;
  try {
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
      const bad: string[] = [];
      const reads = readSpool(paths, state.spool, (l) => bad.push(l));
      if (bad.length) {
        result.skippedLines += bad.length;
        fs.mkdirSync(paths.errorsDir, { recursive: true });
        fs.appendFileSync(
          path.join(paths.errorsDir, 'spool-bad-lines.jsonl'),
          bad.map((l) => `${JSON.stringify({ line: l.slice(0, 4096) })}\n`).join(''),
        );
      }
      const pending = reads.filter((r) => r.end > r.start);
      const extra = opts.collect
        ? await opts.collect({
            events: pending.flatMap((r) => r.events),
            index: state.index,
            cursors: state.cursors,
          })
        : { events: [], cursors: state.cursors, verify: [] as string[] };
      if (
        pending.length === 0 &&
        extra.events.length === 0 &&
        !extra.prepared?.length &&
        !extra.files?.length &&
        !extra.branchFiles?.length &&
        state.tip === readRef(paths.commonDir, TRACKING_REF)
      ) {
        cleanupSpool(paths, state, reads);
        break;
      }
      who ??= gitIdentity(paths.workTree);
      let attempt = 0;
      for (;;) {
        const out = await commitEvents(paths, state, pending, extra, who, config.phase, result);
        if (out.ok) {
          state = out.state;
          break;
        }
        // another writer moved the branch: rebuild on its tip (ids make this safe)
        if (++attempt > 20) throw new Error('the agent-tracking branch keeps moving; try again');
        state = { ...state, tip: '(moved)' };
      }
      // fault injection for the crash tests: die in the window between the ref and the state
      if (process.env.AGENT_TRACK_FAULT === 'after-ref') process.kill(process.pid, 'SIGKILL');
      writeState(paths, state);
      carried = state;
      for (const r of reads) {
        try {
          writeOffset(path.join(paths.spoolDir, r.file), { ino: r.ino, offset: r.end });
        } catch {
          // only a hint for the hook
        }
      }
    }
  } finally {
    release();
  }
  return result;
}

/**
 * Removes spool files that are fully on the branch, whose session ended, and that nobody wrote to
 * for a minute. The file is renamed first (so no inode can be reused while the state still names
 * it), the state forgets it, then it is deleted.
 */
function cleanupSpool(paths: RepoPaths, state: FlushState, reads: SpoolRead[]): void {
  const done = reads.filter((r) => {
    const session = r.file.replace(/\.jsonl$/, '');
    const s = Object.values(state.index).find((x) => safeSessionId(x.session) === session);
    return r.end === r.size && r.start === r.size && s?.ended && Date.now() - r.mtimeMs > 60_000;
  });
  if (!done.length) return;
  const spool = { ...state.spool };
  const renamed: string[] = [];
  for (const r of done) {
    const from = path.join(paths.spoolDir, r.file);
    const to = `${from}.${r.ino}.consumed`;
    try {
      fs.renameSync(from, to);
      renamed.push(to);
      delete spool[r.file];
      fs.rmSync(from.replace(/\.jsonl$/, '.offset'), { force: true });
    } catch {
      // someone else cleaned it
    }
  }
  writeState(paths, { ...state, spool });
  for (const f of renamed) fs.rmSync(f, { force: true });
}

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
      if (await updateRefCAS(paths.commonDir, TRACKING_REF, commit, tip)) return commit;
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
