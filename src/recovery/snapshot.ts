/**
 * Snapshots: what a session had done and the state of its work tree at one moment, on the branch.
 * `<session folder>/snapshots/<n>.json` holds the record, `<session folder>/blobs/<oid>` the stored file
 * contents (redacted where they held secrets; binary and over-size files are listed, not stored), and
 * the session's events get a `snapshot` event. The work tree is read with the git CLI (`git status`),
 * which answers in a fraction of the time isomorphic-git needs on a large repository (see the README).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flushWithTranscripts } from '../capture/collect.js';
import { redactedJson, redactFileContent, redactText, redactValue } from '../capture/redact.js';
import type { TrackingConfig } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import type { Redacted } from '../model/redacted.js';
import { emptySummary, foldSummary, type SessionSummary, totalTokens } from '../model/session.js';
import { loadConfig } from '../store/config.js';
import { type CollectResult, flushSpool } from '../store/flush.js';
import { type RepoPaths, readHead } from '../store/paths.js';
import { TrackingBranch } from '../store/reader.js';
import { spoolFile } from '../store/spool.js';
import { buildHandoff } from './handoff.js';
import { currentClaudeSession, isMine, noneOfMine, pickMine, whoAmI } from './mine.js';
import {
  parseSnapshotId,
  type SnapshotFile,
  type SnapshotRecord,
  type SnapshotTrigger,
  snapshotId,
  snapshotPath,
} from './snapshot-types.js';
import { foldRecovery } from './state.js';
import { tokenCounter } from './tokens.js';

export const blobId = (content: Buffer): string =>
  createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');

/** Modified, added, deleted, renamed and untracked (not ignored) files of the work tree, from `git status`. */
export function workTreeChanges(workTree: string): Array<{ path: string; status: SnapshotFile['status'] }> {
  const out = execFileSync(
    'git',
    // --no-optional-locks: status must not refresh (rewrite) the user's index
    ['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'],
    {
      cwd: workTree,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const list: Array<{ path: string; status: SnapshotFile['status'] }> = [];
  for (const entry of out.split('\0')) {
    if (entry.length < 4) continue;
    const xy = entry.slice(0, 2);
    const file = entry.slice(3);
    let status: SnapshotFile['status'] = 'modified';
    if (xy === '??') status = 'untracked';
    else if (xy.includes('D')) status = 'deleted';
    else if (xy.includes('A')) status = 'added';
    list.push({ path: file, status });
  }
  return list.sort((a, b) => a.path.localeCompare(b.path));
}

/** Whether bytes are text we can store and lay back exactly: valid UTF-8 without NUL. */
function isText(content: Buffer): boolean {
  if (content.includes(0)) return false;
  return Buffer.from(content.toString('utf8'), 'utf8').equals(content);
}

/** A session's events: the branch's, then the spool's not yet flushed (each id once). */
export async function sessionEvents(
  paths: RepoPaths,
  branch: TrackingBranch | null,
  summary: SessionSummary | null,
  session: string,
): Promise<BaseEvent[]> {
  const events = branch && summary ? await branch.events(summary) : [];
  const seen = new Set(events.map((e) => e.id));
  try {
    for (const line of fs.readFileSync(spoolFile(paths, session), 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const e = JSON.parse(line) as BaseEvent;
        if (e?.id && !seen.has(e.id)) {
          seen.add(e.id);
          events.push(e);
        }
      } catch {
        // a torn last line: the flush skips it too
      }
    }
  } catch {
    // no spool file: everything is on the branch
  }
  return events;
}

/** Opens the branch, or null before the first flush. */
export async function openBranch(paths: RepoPaths): Promise<TrackingBranch | null> {
  try {
    return await TrackingBranch.open(paths);
  } catch {
    return null;
  }
}

export interface SessionRef {
  summary: SessionSummary;
  events: BaseEvent[];
}

/** Finds a session by id or prefix, on the branch or, not flushed yet, in the spool. */
export async function findSessionAnywhere(
  paths: RepoPaths,
  branch: TrackingBranch | null,
  idOrPrefix: string,
): Promise<SessionRef> {
  let summary: SessionSummary | null = null;
  if (branch) {
    try {
      summary = await branch.findSession(idOrPrefix);
    } catch (e) {
      if (!/^no session/.test((e as Error).message)) throw e;
    }
  }
  let id = summary?.session ?? null;
  if (!id) {
    const spooled = fs.existsSync(paths.spoolDir)
      ? fs
          .readdirSync(paths.spoolDir)
          .filter((f) => f.endsWith('.jsonl') && f.startsWith(idOrPrefix))
          .map((f) => f.slice(0, -6))
      : [];
    if (spooled.length !== 1)
      throw new Error(
        spooled.length
          ? `'${idOrPrefix}' matches ${spooled.length} sessions; give more of the id`
          : `no session '${idOrPrefix}' recorded in this repository (see \`agent-track sessions\`)`,
      );
    id = spooled[0];
  }
  const events = await sessionEvents(paths, branch, summary, id);
  if (!summary) summary = foldSummary(emptySummary(id, '?', ''), events);
  return { summary, events };
}

/** Which automatic trigger is due for a session, if any. */
export function dueTrigger(summary: SessionSummary, config: TrackingConfig): SnapshotTrigger | null {
  const last = summary.lastSnapshot ?? null;
  if (summary.ended && !last?.ended) return 'session_end';
  if ((summary.compacts ?? 0) > (last?.compacts ?? 0)) return 'precompact';
  if (summary.agents - (last?.agents ?? 0) >= config.snapshots.everyAgents) return 'agents';
  if (totalTokens(summary) - (last?.tokens ?? 0) >= config.snapshots.everyTokens) return 'tokens';
  return null;
}

export interface SnapshotOptions {
  session?: string;
  trigger: SnapshotTrigger;
  note?: string | null;
  /** Flush the spool and transcripts first (a manual checkpoint); an automatic one runs after a flush. */
  flushFirst?: boolean;
}

/** The work tree's changed files, read once for every snapshot of one commit. */
function readWorkTree(paths: RepoPaths, config: TrackingConfig) {
  const files: SnapshotFile[] = [];
  const stored = new Map<string, Redacted<string>>();
  const cap = config.limits.fileContentBytes;
  for (const change of workTreeChanges(paths.workTree)) {
    const abs = path.join(paths.workTree, change.path);
    let content: Buffer | null = null;
    try {
      if (change.status !== 'deleted' && fs.statSync(abs).isFile()) content = fs.readFileSync(abs);
    } catch {
      content = null;
    }
    if (!content) {
      files.push({
        path: change.path,
        status: 'deleted',
        blob: null,
        stored: null,
        redacted: false,
        bytes: 0,
      });
      continue;
    }
    const f: SnapshotFile = {
      path: change.path,
      status: change.status,
      blob: blobId(content),
      stored: null,
      redacted: false,
      bytes: content.length,
    };
    if (content.length > cap) f.skipped = 'too-large';
    else if (!isText(content)) f.skipped = 'binary';
    else {
      const text = content.toString('utf8');
      const clean = redactFileContent(change.path, text, { extraPatterns: config.redaction.extraPatterns });
      f.redacted = clean !== text;
      f.stored = blobId(Buffer.from(clean, 'utf8'));
      stored.set(f.stored, clean);
    }
    files.push(f);
  }
  return { files, stored };
}

/** Takes a snapshot of a session and commits it; returns its record. */
export async function takeSnapshot(paths: RepoPaths, opts: SnapshotOptions): Promise<SnapshotRecord> {
  return (await takeSnapshots(paths, [opts]))[0];
}

/**
 * Takes snapshots of several sessions (the automatic ones of one flush) in one commit: the work tree
 * is read once, the branch opened once.
 */
export async function takeSnapshots(paths: RepoPaths, list: SnapshotOptions[]): Promise<SnapshotRecord[]> {
  const config = await loadConfig(paths);
  if (list.some((o) => o.flushFirst)) await flushWithTranscripts(paths, { waitMs: 60_000 });
  const branch = await openBranch(paths);
  const head = readHead(paths);
  const tree = readWorkTree(paths, config);
  // snapshot records and handoffs become git objects as they are: the full pass
  const redact = <T>(v: T) => redactValue(v, { extraPatterns: config.redaction.extraPatterns, pass: 'full' });
  const counter = await tokenCounter();
  const records: SnapshotRecord[] = [];
  const events: Array<Redacted<BaseEvent>> = [];
  const files: NonNullable<CollectResult['files']> = [];
  const refs: Array<{ ref: SessionRef; opts: SnapshotOptions }> = [];
  for (const opts of list) {
    let ref: SessionRef;
    if (opts.session) ref = await findSessionAnywhere(paths, branch, opts.session);
    else {
      // inside a Claude Code session (a slash command, the agent's Bash), that session; else my latest
      const current = currentClaudeSession();
      const me = whoAmI(paths);
      const pick = current
        ? { session: current, others: 0 }
        : pickMine(
            (branch ? await branch.sessions() : []).map((s) => ({
              session: s.session,
              at: s.lastActivity ?? '',
              branch: s.branch,
              mine: isMine(s, me),
            })),
            head.branch,
            null,
          );
      if (!pick.session) throw new Error(noneOfMine(me, pick.others));
      ref = await findSessionAnywhere(paths, branch, pick.session);
    }
    refs.push({ ref, opts });
  }
  // the counters and the snapshot number are read under the flush's lock, from the index it commits
  // on: two flushes racing to snapshot the same session cannot both take number n
  let given = false;
  await flushSpool(paths, {
    waitMs: 60_000,
    collect: async ({ index, cursors }) => {
      if (given) return { events: [], cursors, verify: [] };
      given = true;
      for (const { ref, opts } of refs) {
        const summary = index[ref.summary.session] ?? ref.summary;
        // an automatic snapshot another flush took meanwhile is not taken twice
        if (opts.trigger !== 'manual' && index[summary.session] && !dueTrigger(summary, config)) continue;
        const state = foldRecovery(summary.session, ref.events);
        const n = (summary.snapshots ?? 0) + 1;
        const record: SnapshotRecord = {
          id: snapshotId(summary.session, n),
          n,
          session: summary.session,
          ts: new Date().toISOString(),
          trigger: opts.trigger,
          note: opts.note ? redactText(opts.note, { extraPatterns: config.redaction.extraPatterns }) : null,
          git: { head: head.head, branch: head.branch, workTree: paths.workTree },
          files: tree.files,
          todos: state.todos,
          usage: { tokens: summary.tokens, costUsd: summary.costUsd },
          agents: state.agents,
          errors: state.errors.filter((e) => !e.resolved),
          at: {
            agents: summary.agents,
            tokens: totalTokens(summary),
            compacts: summary.compacts ?? 0,
            ended: Boolean(summary.ended),
          },
        };
        records.push(record);
        events.push(
          redact<BaseEvent>({
            id: `snapshot-${summary.session}-${n}`,
            ts: record.ts,
            session: summary.session,
            agent: 'main',
            type: 'snapshot',
            snapshot: record.id,
            trigger: record.trigger,
            note: record.note,
            head: record.git.head,
            branch: record.git.branch,
            files: tree.files.length,
            at: record.at,
          }),
        );
        const handoff = buildHandoff(
          { summary, state, snapshot: record, crashed: false },
          counter,
          config.recovery.handoffBudget,
        );
        files.push(
          {
            session: summary.session,
            path: snapshotPath(n),
            // redacted as a value (key-aware), then serialized: text redaction of JSON could break it
            content: redactedJson(redact(record), 2),
          },
          ...[...tree.stored].map(([oid, content]) => ({
            session: summary.session,
            path: `blobs/${oid}`,
            content,
          })),
          { session: summary.session, path: 'handoff.md', content: redact(handoff.markdown) },
        );
      }
      return { events, cursors, verify: records.map((r) => r.session), files };
    },
  });
  return records;
}

/** The snapshots of a session, oldest first. */
export async function listSnapshots(
  branch: TrackingBranch,
  summary: SessionSummary,
): Promise<SnapshotRecord[]> {
  const out: SnapshotRecord[] = [];
  for (let n = 1; n <= (summary.snapshots ?? 0); n++) {
    const text = await branch.readFile(`${summary.dir}/${snapshotPath(n)}`);
    if (text) out.push(JSON.parse(text));
  }
  return out;
}

/** A snapshot by id (`<session prefix>@<n>`): its record and the session it belongs to. */
export async function findSnapshot(
  branch: TrackingBranch,
  id: string,
): Promise<{ record: SnapshotRecord; summary: SessionSummary }> {
  const parsed = parseSnapshotId(id);
  if (!parsed)
    throw new Error(
      `'${id}' is not a snapshot id (they look like 4993952c@2; see \`agent-track snapshots\`)`,
    );
  let summary: SessionSummary;
  try {
    summary = await branch.findSession(parsed.prefix);
  } catch {
    throw new Error(`no snapshot '${id}': no session '${parsed.prefix}' (see \`agent-track snapshots\`)`);
  }
  const text = await branch.readFile(`${summary.dir}/${snapshotPath(parsed.n)}`);
  if (!text)
    throw new Error(
      `no snapshot '${id}': session ${summary.session.slice(0, 8)} has ${summary.snapshots ?? 0}`,
    );
  return { record: JSON.parse(text), summary };
}
