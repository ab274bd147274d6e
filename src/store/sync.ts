/**
 * Team sync: the agent-tracking branch exchanged with a remote through the git CLI (it honours the
 * user's SSH keys, credential helpers and proxies; isomorphic-git has no SSH).
 *
 * Two clones' branches differ in disjoint session folders, so they merge without a real conflict: a
 * three-way merge of the trees takes each side's new folders, regenerates the README index, and
 * keeps both versions of anything both sides changed (nothing is dropped). The merge commit has the
 * remote tip as first parent and our tip as second: every commit either side made stays reachable.
 * A push the remote rejects (someone pushed first) fetches, merges again and retries with backoff.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BLOB_CAP_BYTES } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import { redactedLineRuns, redactForStore } from '../model/redact.js';
import { emptySummary, foldSummary, type SessionSummary } from '../model/session.js';
import { type CompactionRecord, compactionOf, PRE_COMPACT_PREFIX } from './compaction.js';
import { retargetState } from './flush.js';
import { findSessionDirs, rebuildIndex, unifySessionFolders } from './folders.js';
import { writeFileDurable } from './fsutil.js';
import { gitIdentity, ObjectStore, type TreeEntry } from './git.js';
import { renderIndex, SEGMENT_RE, segmentName } from './layout.js';
import { acquireMutex, sleep, updateRefCAS } from './lock.js';
import { adoptOwnership, giveBackToOwner, mkdirOwned } from './owner.js';
import { type RepoPaths, readRef, TRACKING_BRANCH, TRACKING_REF } from './paths.js';
import { describeFindings, rescanOutgoing } from './rescan.js';
import { TreeEditor } from './tree.js';

export class SyncError extends Error {}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in the work tree; never prompts (a background push must not hang on a password). */
export function runGit(
  paths: RepoPaths,
  args: string[],
  opts: { prompt?: boolean; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<GitResult> {
  // git run as root in another user's repository writes as root: what it created goes back to the owner
  const since = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: paths.workTree,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...(opts.prompt ? {} : { GIT_TERMINAL_PROMPT: '0' }), ...opts.env },
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      giveBackToOwner(paths.commonDir, since);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** git's own message, on one line (its hints dropped). */
const gitMessage = (r: GitResult): string =>
  (r.stderr || r.stdout)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('hint:'))
    .join('; ')
    .slice(0, 500);

/**
 * A push the remote refused by a rule (a pre-receive hook, GitHub's branch protection or ruleset):
 * retrying cannot help, so it is said at once, with the rule's own words (the `remote:` lines).
 */
export function ruleRejection(remote: string, r: GitResult): string {
  const lines = (r.stderr + r.stdout).split('\n').map((l) => l.trim());
  const remoteSaid = lines
    .filter((l) => /^remote:/.test(l))
    .map((l) => l.replace(/^remote:\s*/, '').trim())
    .filter((l) => l && !/^-+$/.test(l));
  const reason = /\[remote rejected\][^\n]*?\(([^)]+)\)/.exec(r.stdout + r.stderr)?.[1];
  const message = remoteSaid.join(' ').slice(0, 600) || reason || gitMessage(r);
  return `${remote} refused the push of ${TRACKING_BRANCH} by a rule${reason ? ` (${reason})` : ''}: ${message}. Nothing was lost; let ${TRACKING_BRANCH} be pushed to (exempt it from the branch rule or ruleset, or give the pusher the bypass), then run \`agent-track push\` again`;
}

/**
 * Refuses to push agent-tracking to a remote that has no branch at all: there it would become the
 * default branch (GitHub makes the first pushed branch the default, and so do GitLab and git's own
 * clone of a repository whose HEAD names no existing branch).
 */
export async function refuseFirstBranch(paths: RepoPaths, remote: string, prompt?: boolean): Promise<void> {
  const r = await runGit(paths, ['ls-remote', '--heads', remote], { prompt });
  if (r.code !== 0) return; // the push says what is wrong with the remote
  const heads = r.stdout
    .split('\n')
    .map((l) => l.split('\t')[1])
    .filter((ref): ref is string => Boolean(ref) && ref !== TRACKING_REF);
  if (heads.length) return;
  throw new SyncError(
    `${remote} has no branch yet: ${TRACKING_BRANCH} pushed first would become its default branch. Push your main branch first (git push -u ${/^[\w.-]+$/.test(remote) ? remote : '<remote>'} main), then \`agent-track push\` again; or, if this repository holds only the agent history, \`agent-track push --force-first\``,
  );
}

/** Whether `remote` is a remote name configured in this clone (not a URL or path). */
export async function isRemoteName(paths: RepoPaths, remote: string): Promise<boolean> {
  if (!/^[\w.-]+$/.test(remote)) return false;
  return (await runGit(paths, ['config', '--get', `remote.${remote}.url`])).code === 0;
}

/** Where a fetched tip is kept: `refs/remotes/<name>/agent-tracking` for a named remote, else a private ref per URL. */
export async function remoteTrackingRef(paths: RepoPaths, remote: string): Promise<string> {
  if (await isRemoteName(paths, remote)) return `refs/remotes/${remote}/${TRACKING_BRANCH}`;
  const key = createHash('sha1').update(remote).digest('hex').slice(0, 12);
  return `refs/agent-tracking/remotes/${key}`;
}

/** Fetches the remote's branch; returns its tip, or null when the remote has no such branch. */
export async function fetchBranch(paths: RepoPaths, remote: string): Promise<string | null> {
  const ref = await remoteTrackingRef(paths, remote);
  const r = await runGit(paths, [
    'fetch',
    '--quiet',
    '--no-tags',
    '--no-write-fetch-head',
    remote,
    `+${TRACKING_REF}:${ref}`,
  ]);
  if (r.code !== 0) {
    if (/couldn't find remote ref/i.test(r.stderr)) return null;
    throw new SyncError(`could not fetch ${TRACKING_BRANCH} from ${remote}: ${gitMessage(r)}`);
  }
  return readRef(paths.commonDir, ref) ?? (await revParse(paths, ref));
}

async function revParse(paths: RepoPaths, rev: string): Promise<string | null> {
  const r = await runGit(paths, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : null;
}

const isAncestor = async (paths: RepoPaths, a: string, b: string): Promise<boolean> =>
  a === b || (await runGit(paths, ['merge-base', '--is-ancestor', a, b])).code === 0;

async function mergeBase(paths: RepoPaths, a: string, b: string): Promise<string | null> {
  const r = await runGit(paths, ['merge-base', a, b]);
  return r.code === 0 ? r.stdout.trim() || null : null;
}

/** What a merge did: its commit, and the paths both sides changed (both versions kept). */
export interface MergeReport {
  commit: string;
  conflicts: string[];
  /** Session folders of ours left out because their phase was archived and compacted away on the remote. */
  dropped: string[];
}

const SESSION_DIR = /^phases\/[^/]+\/sessions\/[^/]+$/;
const DERIVED = /^phases\/[^/]+\/review\.(json|md)$/;

class TreeMerger {
  conflicts: string[] = [];
  /** Session folders of ours that a phase archived on their side replaced (a replay onto a compacted remote). */
  dropped: string[] = [];

  /** `theirsWins`: folders (phases/<name>) whose version on their side is taken whole. */
  constructor(
    private store: ObjectStore,
    private theirsWins: Set<string> = new Set(),
  ) {}

  private async entries(oid: string | null): Promise<Map<string, TreeEntry>> {
    if (!oid) return new Map();
    return new Map((await this.store.readTree(oid)).map((e) => [e.path, e]));
  }

  /** Merges three versions of one folder; returns the entries of the result (without the names in `skip`). */
  async mergeDir(
    dir: string,
    base: string | null,
    ours: string | null,
    theirs: string | null,
    skip: Set<string> = new Set(),
  ): Promise<TreeEntry[]> {
    const [b, o, t] = await Promise.all([this.entries(base), this.entries(ours), this.entries(theirs)]);
    const out: TreeEntry[] = [];
    for (const name of new Set([...o.keys(), ...t.keys()])) {
      if (skip.has(name)) continue;
      const be = b.get(name);
      const oe = o.get(name);
      const te = t.get(name);
      const full = dir ? `${dir}/${name}` : name;
      const same = (x?: TreeEntry, y?: TreeEntry) => x?.oid === y?.oid && x?.type === y?.type;
      if (this.theirsWins.has(full) && te) {
        // archived (and compacted away) on their side: its content is in S3, never added back
        if (oe?.type === 'tree' && te.type === 'tree' && oe.oid !== te.oid)
          this.dropped.push(...(await this.sessionsOnlyIn(`${full}/sessions`, oe.oid, te.oid, be)));
        out.push(te);
        continue;
      }
      if (same(oe, te)) {
        if (oe) out.push(oe);
        continue;
      }
      // one side left it as it was: the other side's version (a deletion too, if the other deleted)
      if (same(be, oe)) {
        if (te) out.push(te);
        else if (oe && !be) out.push(oe);
        continue;
      }
      if (same(be, te)) {
        if (oe) out.push(oe);
        else if (te && !be) out.push(te);
        continue;
      }
      // both changed it. A deletion never wins over a change: nothing is lost
      if (!oe || !te) {
        out.push((oe ?? te)!);
        continue;
      }
      if (oe.type === 'tree' && te.type === 'tree') {
        const baseOid = be?.type === 'tree' ? be.oid : null;
        const merged = SESSION_DIR.test(full)
          ? await this.mergeSession(full, baseOid, oe.oid, te.oid)
          : await this.mergeDir(full, baseOid, oe.oid, te.oid);
        out.push({ ...te, oid: await this.store.writeTree(merged) });
        continue;
      }
      if (full === 'README.md' || DERIVED.test(full) || /\/session\.json$/.test(full)) {
        // regenerated after the merge (README, session.json) or derived from the data (a review)
        out.push(te);
        continue;
      }
      if (/^phases\/[^/]+\/phase\.json$/.test(full)) {
        out.push(await this.pickPhase(oe, te));
        continue;
      }
      // a real conflict (two segments with one name, two snapshots with one number): keep both
      this.conflicts.push(full);
      out.push(te);
      if (oe.type === 'blob') out.push({ ...oe, path: `${name}.conflict-${oe.oid.slice(0, 8)}` });
    }
    return out;
  }

  /** Session folders under `ours` that `theirs` (and the base) lack. */
  private async sessionsOnlyIn(
    dir: string,
    ours: string,
    theirs: string,
    base?: TreeEntry,
  ): Promise<string[]> {
    const sessions = async (oid: string | undefined) => {
      const e = oid ? (await this.entries(oid)).get('sessions') : undefined;
      return e?.type === 'tree'
        ? new Set((await this.store.readTree(e.oid)).map((x) => x.path))
        : new Set<string>();
    };
    const [o, t, b] = await Promise.all([
      sessions(ours),
      sessions(theirs),
      sessions(base?.type === 'tree' ? base.oid : undefined),
    ]);
    return [...o].filter((x) => !t.has(x) && !b.has(x)).map((x) => `${dir}/${x}`);
  }

  /** A session's events in segment order. */
  private async sessionEvents(
    eventsTree: TreeEntry | undefined,
  ): Promise<{ lines: string[]; segments: TreeEntry[] }> {
    if (eventsTree?.type !== 'tree') return { lines: [], segments: [] };
    const segments = (await this.store.readTree(eventsTree.oid))
      .filter((e) => SEGMENT_RE.test(e.path))
      .sort((a, b) => a.path.localeCompare(b.path));
    const lines: string[] = [];
    for (const seg of segments)
      for (const line of (await this.store.readBlob(seg.oid)).split('\n')) if (line) lines.push(line);
    return { lines, segments };
  }

  /**
   * A session folder both sides wrote to (the same session flushed from two clones): theirs' segments
   * stay as they are, the events only we have (by id) follow in one new segment, and session.json is
   * folded again from all of them. The other files merge like any folder.
   */
  private async mergeSession(
    dir: string,
    base: string | null,
    ours: string,
    theirs: string,
  ): Promise<TreeEntry[]> {
    const skip = new Set(['events', 'session.json']);
    const out = await this.mergeDir(dir, base, ours, theirs, skip);
    const [o, t] = await Promise.all([this.entries(ours), this.entries(theirs)]);
    const mine = await this.sessionEvents(o.get('events'));
    const their = await this.sessionEvents(t.get('events'));
    const idOf = (line: string) => (JSON.parse(line) as BaseEvent).id;
    const known = new Set(their.lines.map(idOf));
    const extra = mine.lines.filter((l) => {
      const id = idOf(l);
      if (known.has(id)) return false;
      known.add(id);
      return true;
    });
    const segments = [...their.segments];
    if (extra.length) {
      let last = Number(segments.at(-1)?.path.slice(0, -6) ?? 0);
      // under the cap on one object, as every segment (src/store/tree.ts)
      for (const run of redactedLineRuns(redactForStore(`${extra.join('\n')}\n`), BLOB_CAP_BYTES))
        segments.push({
          mode: '100644',
          path: segmentName(++last),
          oid: await this.store.writeBlob(run),
          type: 'blob',
        });
    }
    const eventsDir = t.get('events') ?? o.get('events');
    const others =
      eventsDir?.type === 'tree'
        ? (await this.store.readTree(eventsDir.oid)).filter((e) => !SEGMENT_RE.test(e.path))
        : [];
    out.push({
      mode: '040000',
      path: 'events',
      type: 'tree',
      oid: await this.store.writeTree([...segments, ...others]),
    });
    const old = JSON.parse(
      await this.store.readBlob((t.get('session.json') ?? o.get('session.json'))!.oid),
    ) as SessionSummary;
    const events = [...their.lines, ...extra].map((l) => JSON.parse(l) as BaseEvent);
    const summary = foldSummary(
      { ...emptySummary(old.session, old.phase, dir), author: old.author ?? null },
      events,
    );
    out.push({
      mode: '100644',
      path: 'session.json',
      type: 'blob',
      oid: await this.store.writeBlob(redactForStore(`${JSON.stringify(summary, null, 2)}\n`)),
    });
    return out;
  }

  /** Two versions of phase.json: the one that records the phase's end. */
  private async pickPhase(oe: TreeEntry, te: TreeEntry): Promise<TreeEntry> {
    try {
      const ours = JSON.parse(await this.store.readBlob(oe.oid));
      const theirs = JSON.parse(await this.store.readBlob(te.oid));
      return ours.ended && !theirs.ended ? oe : te;
    } catch {
      return te;
    }
  }
}

/**
 * Merges `theirs` into `ours` (commits); returns the merge commit (first parent: theirs). With
 * `replay` (their branch was compacted: a new root our history does not share), the merge is made
 * from `replay.base` (the last commit of ours the remote is known to hold, or null) and the commit
 * has `theirs` as its only parent: our sessions go onto the compacted branch, our old history does
 * not, and what their side archived stays archived.
 */
export async function mergeBranches(
  paths: RepoPaths,
  ours: string,
  theirs: string,
  replay?: { base: string | null },
): Promise<MergeReport> {
  const store = new ObjectStore(paths.commonDir);
  const baseCommit = replay ? replay.base : await mergeBase(paths, ours, theirs);
  const treeOf = async (c: string | null) => (c ? (await store.readCommit(c)).tree : null);
  const [baseTree, ourTree, theirTree] = await Promise.all([
    treeOf(baseCommit),
    treeOf(ours),
    treeOf(theirs),
  ]);
  const archived = new Set<string>();
  if (replay && theirTree)
    for (const e of (await new TreeEditor(store, theirTree).list('phases')) ?? []) {
      if (e.type !== 'tree') continue;
      if ((await store.readTree(e.oid)).some((x) => x.path === 'ARCHIVED.json'))
        archived.add(`phases/${e.path}`);
    }
  const merger = new TreeMerger(store, archived);
  const rootEntries = await merger.mergeDir('', baseTree, ourTree, theirTree);
  const mergedTree = await store.writeTree(rootEntries);
  // nothing of ours to replay (their README index may be stale, it is theirs to regenerate): their tip
  if (replay && mergedTree === theirTree)
    return { commit: theirs, conflicts: merger.conflicts, dropped: merger.dropped };
  const tree = new TreeEditor(store, mergedTree);
  // one session started in both clones on different UTC days: one folder, not two
  const unified = await unifySessionFolders(tree);
  const dirs = await findSessionDirs(tree);
  const index = { ...(await rebuildIndex(tree, dirs)), ...Object.fromEntries(unified) };
  tree.stageFile('README.md', redactForStore(renderIndex(Object.values(index))));
  const root = await tree.write();
  // nothing of ours to replay: their tip as it is
  if (replay && root === theirTree)
    return { commit: theirs, conflicts: merger.conflicts, dropped: merger.dropped };
  const commit = await store.writeCommit(
    root,
    replay ? [theirs] : [theirs, ours],
    replay
      ? `agent-track: replay this clone's sessions onto the compacted ${TRACKING_BRANCH} (was ${ours.slice(0, 12)})`
      : `agent-track: merge ${TRACKING_BRANCH} from the remote`,
    gitIdentity(paths.workTree),
  );
  return {
    commit,
    conflicts: merger.conflicts,
    dropped: merger.dropped,
  };
}

/**
 * Their branch was compacted since we last saw it (their root carries a compaction record and our
 * history shares no commit with theirs): the base of the replay is the newest commit of ours the
 * remote is known to have held — the replaced tip if we have it, an earlier compaction's, or the
 * remote's tip we last fetched (the remote only moves forward between compactions, and a compaction
 * replaces a descendant of it: a lease guards that). Null: no base, a two-way union.
 */
async function replayBase(
  paths: RepoPaths,
  ours: string,
  theirs: string,
  lastSeen: string | null,
): Promise<{ base: string | null; record: CompactionRecord } | null> {
  if (await mergeBase(paths, ours, theirs)) return null;
  const record = await compactionOf(paths, new ObjectStore(paths.commonDir), theirs);
  if (!record) return null;
  const candidates = [record.replacedTip, ...record.previous.map((p) => p.replacedTip), lastSeen];
  for (const c of candidates) {
    if (!c || !(await revParse(paths, c))) continue;
    if (await isAncestor(paths, c, ours)) return { base: c, record };
  }
  return { base: null, record };
}

export interface PullResult {
  remote: string;
  /**
   * 'adopted' (no local branch yet), 'fast-forward', 'merged', 'up-to-date', 'ahead' (we have more),
   * 'no-remote-branch', 'replayed' (the remote's branch was compacted: our new sessions were put on
   * top of its new root, our old history kept under `kept`).
   */
  outcome: 'adopted' | 'fast-forward' | 'merged' | 'up-to-date' | 'ahead' | 'no-remote-branch' | 'replayed';
  tip: string | null;
  sessionsFromRemote: number;
  conflicts: string[];
  /** After a replay: the local ref keeping this clone's replaced history. */
  kept?: string;
  /** After a replay: session folders of ours whose phase the remote archived (their content is in S3). */
  dropped?: string[];
}

/** Brings the remote's branch into the local one (creating it when missing). Safe against concurrent flushes (compare-and-swap). */
export async function pullBranch(paths: RepoPaths, remote: string): Promise<PullResult> {
  // another user's repository: as git allows it, and what git creates is the owner's
  adoptOwnership(paths.commonDir, paths.workTree);
  const trackingRef = await remoteTrackingRef(paths, remote);
  const lastSeen = readRef(paths.commonDir, trackingRef) ?? (await revParse(paths, trackingRef));
  const theirs = await fetchBranch(paths, remote);
  const result: PullResult = {
    remote,
    outcome: 'no-remote-branch',
    tip: null,
    sessionsFromRemote: 0,
    conflicts: [],
  };
  for (let attempt = 0; ; attempt++) {
    const ours = readRef(paths.commonDir, TRACKING_REF);
    result.tip = ours;
    if (!theirs) return result;
    let next: string;
    if (!ours) {
      next = theirs;
      result.outcome = 'adopted';
    } else if (ours === theirs) {
      result.outcome = 'up-to-date';
      return result;
    } else if (await isAncestor(paths, theirs, ours)) {
      result.outcome = 'ahead';
      return result;
    } else if (await isAncestor(paths, ours, theirs)) {
      next = theirs;
      result.outcome = 'fast-forward';
    } else {
      const replay = await replayBase(paths, ours, theirs, lastSeen);
      const m = await mergeBranches(paths, ours, theirs, replay ? { base: replay.base } : undefined);
      next = m.commit;
      result.outcome = replay ? 'replayed' : 'merged';
      result.conflicts = m.conflicts;
      if (replay) {
        result.dropped = m.dropped;
        // the flush state follows the branch onto the new root: under the flush lock
        const release = await acquireMutex(path.join(paths.trackingDir, 'flush.lock'), 120_000);
        if (!release) throw new SyncError('another flush holds the lock for too long; try again');
        try {
          if (readRef(paths.commonDir, TRACKING_REF) !== ours) continue;
          const kept = `${PRE_COMPACT_PREFIX}${new Date()
            .toISOString()
            .replace(/[-:]/g, '')
            .replace(/\.\d+Z$/, 'Z')}-${ours.slice(0, 8)}`;
          await runGit(paths, ['update-ref', kept, ours]);
          if (!(await updateRefCAS(paths.commonDir, TRACKING_REF, next, ours))) {
            await runGit(paths, ['update-ref', '-d', kept]);
            if (attempt > 20) throw new SyncError('the agent-tracking branch keeps moving; try again');
            continue;
          }
          result.kept = kept;
          await retargetState(paths, ours, next);
        } finally {
          release();
        }
        result.tip = next;
        result.sessionsFromRemote = await countNewSessions(paths, ours, next);
        return result;
      }
    }
    if (await updateRefCAS(paths.commonDir, TRACKING_REF, next, ours)) {
      result.tip = next;
      result.sessionsFromRemote = await countNewSessions(paths, ours, next);
      return result;
    }
    // a flush moved the branch meanwhile: merge again on its new tip
    if (attempt > 20) throw new SyncError('the agent-tracking branch keeps moving; try again');
  }
}

async function countNewSessions(paths: RepoPaths, before: string | null, after: string): Promise<number> {
  const store = new ObjectStore(paths.commonDir);
  const dirsOf = async (c: string | null) =>
    c ? await findSessionDirs(new TreeEditor(store, (await store.readCommit(c)).tree)) : new Map();
  const [a, b] = await Promise.all([dirsOf(before), dirsOf(after)]);
  return [...b.keys()].filter((s) => !a.has(s)).length;
}

export interface PushResult {
  remote: string;
  outcome: 'pushed' | 'up-to-date';
  tip: string;
  attempts: number;
  /** Merges of the remote's new commits made on the way. */
  merges: number;
  sessionsFromRemote: number;
  conflicts: string[];
  /** The remote moved from (tracking.remote changed): its sessions were merged in first. */
  migratedFrom: string | null;
}

const syncStateFile = (paths: RepoPaths) => path.join(paths.trackingDir, 'sync.json');

function readSyncState(paths: RepoPaths): { lastRemote?: string } {
  try {
    return JSON.parse(fs.readFileSync(syncStateFile(paths), 'utf8'));
  } catch {
    return {};
  }
}

function writeSyncState(paths: RepoPaths, state: { lastRemote?: string }): void {
  mkdirOwned(paths.trackingDir);
  writeFileDurable(syncStateFile(paths), JSON.stringify(state));
}

/**
 * Pushes the local branch; when the remote has commits we lack, merges them first. A rejected push
 * (another clone pushed between our fetch and our push) is retried after a fetch and merge, with
 * exponential backoff and jitter. When `tracking.remote` changed since the last push, the previous
 * remote's branch is merged in first, so moving to a private remote loses nothing.
 */
export async function pushBranch(
  paths: RepoPaths,
  remote: string,
  opts: { maxAttempts?: number; prompt?: boolean; skipPrevious?: boolean; forceFirst?: boolean } = {},
): Promise<PushResult> {
  adoptOwnership(paths.commonDir, paths.workTree);
  const maxAttempts = opts.maxAttempts ?? 12;
  const result: PushResult = {
    remote,
    outcome: 'up-to-date',
    tip: '',
    attempts: 0,
    merges: 0,
    sessionsFromRemote: 0,
    conflicts: [],
    migratedFrom: null,
  };
  if (!readRef(paths.commonDir, TRACKING_REF))
    throw new SyncError(
      `nothing to push: this clone has no ${TRACKING_BRANCH} branch (run \`agent-track init\`)`,
    );
  const last = readSyncState(paths).lastRemote;
  if (last && last !== remote && !opts.skipPrevious) {
    const moved = await pullBranch(paths, last).catch((e: Error) => {
      throw new SyncError(
        `tracking.remote changed from ${last} to ${remote}, and ${last} could not be read to carry its sessions over (${e.message}); push with --skip-previous to leave them there`,
      );
    });
    result.migratedFrom = last;
    result.sessionsFromRemote += moved.sessionsFromRemote;
    if (moved.outcome === 'merged') result.merges++;
  }
  for (;;) {
    result.attempts++;
    const pulled = await pullBranch(paths, remote);
    if (pulled.outcome === 'merged') result.merges++;
    result.sessionsFromRemote += pulled.sessionsFromRemote;
    result.conflicts.push(...pulled.conflicts);
    const tip = readRef(paths.commonDir, TRACKING_REF)!;
    result.tip = tip;
    const remoteTip = readRef(paths.commonDir, await remoteTrackingRef(paths, remote));
    if (
      pulled.outcome === 'up-to-date' ||
      pulled.outcome === 'fast-forward' ||
      (pulled.outcome === 'replayed' && remoteTip === tip)
    ) {
      // the remote already holds our tip
      writeSyncState(paths, { lastRemote: remote });
      return result;
    }
    // the first branch pushed to an empty repository becomes its default branch (GitHub, GitLab):
    // the agent history must never be what a visitor of the project sees first
    if (pulled.outcome === 'no-remote-branch' && !opts.forceFirst)
      await refuseFirstBranch(paths, remote, opts.prompt);
    // what is about to leave the machine is searched again: a secret on the branch stops the push
    const leaks = rescanOutgoing(paths, tip, remote);
    if (leaks.length)
      throw new SyncError(
        `push refused: what would be sent to ${remote} holds ${leaks.length === 1 ? 'a secret' : `${leaks.length} secrets`}; nothing was sent.\n${describeFindings(leaks)}\nIf one is a false positive, add a pattern for it to redaction.allow in .agent-tracking.yml; otherwise it must be removed from the branch's history before pushing.`,
      );
    const r = await runGit(paths, ['push', '--porcelain', '--quiet', remote, `${tip}:${TRACKING_REF}`], {
      prompt: opts.prompt,
    });
    if (r.code === 0) {
      result.outcome = 'pushed';
      // remember the pushed tip as the remote's, as git would
      const ref = await remoteTrackingRef(paths, remote);
      await runGit(paths, ['update-ref', ref, tip]);
      writeSyncState(paths, { lastRemote: remote });
      return result;
    }
    const said = r.stdout + r.stderr;
    // a race: someone pushed between our fetch and our push (or holds the remote's ref lock)
    const race =
      /fetch first|non-fast-forward|stale info|cannot lock ref|failed to update ref|incorrect old value|reference already exists/i.test(
        said,
      );
    if (
      !race &&
      /\[remote rejected\]|pre-receive hook declined|rule violations|protected branch|GH0\d\d/i.test(said)
    )
      throw new SyncError(ruleRejection(remote, r));
    if (!race) throw new SyncError(`could not push ${TRACKING_BRANCH} to ${remote}: ${gitMessage(r)}`);
    if (result.attempts >= maxAttempts)
      throw new SyncError(
        `could not push ${TRACKING_BRANCH} to ${remote}: the remote kept moving (${result.attempts} attempts); nothing is lost, run \`agent-track push\` again`,
      );
    const backoff = Math.min(2_000, 50 * 2 ** (result.attempts - 1));
    await sleep(backoff / 2 + Math.random() * backoff);
  }
}
