/**
 * Session folders on the branch: finding them, the index folded from their session.json files, and
 * one folder per session when two clones started the same session on different UTC days.
 */

import type { BaseEvent } from '../model/events.js';
import { redactForStore } from '../model/redact.js';
import { emptySummary, foldSummary, type SessionSummary } from '../model/session.js';
import { decodeName, SEGMENT_RE, segmentName } from './layout.js';
import type { TreeEditor } from './tree.js';

const SESSION_FOLDER = /^\d{4}-\d{2}-\d{2}-(.+)$/;

/**
 * The session folders on the branch: session id -> folder. Folder names carry the id encoded
 * (`encodeName`); names written by earlier releases (the raw id) decode to themselves. When one
 * session has two folders, the first by name (the earliest date) is the one.
 */
export async function findSessionDirs(tree: TreeEditor): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [id, dirs] of await sessionFolders(tree)) out.set(id, dirs[0]);
  return out;
}

/** Every folder of each session, sorted by name. */
async function sessionFolders(tree: TreeEditor): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const phase of (await tree.list('phases')) ?? []) {
    if (phase.type !== 'tree') continue;
    for (const s of (await tree.list(`phases/${phase.path}/sessions`)) ?? []) {
      if (s.type !== 'tree') continue;
      const m = SESSION_FOLDER.exec(s.path);
      if (!m) continue;
      const dir = `phases/${phase.path}/sessions/${s.path}`;
      // a name too long to carry its id whole names it in session.json only
      let id = decodeName(m[1]);
      if (id === null) {
        try {
          id = JSON.parse((await tree.readFile(`${dir}/session.json`)) ?? '').session as string;
        } catch {
          continue;
        }
        if (typeof id !== 'string') continue;
      }
      const list = out.get(id);
      if (list) list.push(dir);
      else out.set(id, [dir]);
    }
  }
  for (const list of out.values()) list.sort();
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

/**
 * Makes one folder of each session that has several (two clones whose first events of the session
 * fell on different UTC days, merged): the first folder by name keeps its segments, the events only
 * the others hold (by id) follow in one new segment, their other files are added where the first
 * lacks them, session.json is folded again from all events, and the other folders go. Returns the
 * summaries written (the staged session.json files, which reading the tree would not show yet).
 */
export async function unifySessionFolders(tree: TreeEditor): Promise<Map<string, SessionSummary>> {
  const merged = new Map<string, SessionSummary>();
  for (const [id, dirs] of await sessionFolders(tree)) {
    if (dirs.length < 2) continue;
    const [keep, ...others] = dirs;
    const lines = await eventLines(tree, keep);
    const known = new Set(lines.map(idOf));
    const extra: string[] = [];
    for (const other of others) {
      for (const line of await eventLines(tree, other)) {
        const e = idOf(line);
        if (known.has(e)) continue;
        known.add(e);
        extra.push(line);
      }
      await copyMissing(tree, other, keep);
      await tree.remove(other);
    }
    if (extra.length) {
      const last = Math.max(
        0,
        ...((await tree.list(`${keep}/events`)) ?? [])
          .filter((e) => SEGMENT_RE.test(e.path))
          .map((e) => Number.parseInt(e.path, 10)),
      );
      tree.stageFile(`${keep}/events/${segmentName(last + 1)}`, redactForStore(`${extra.join('\n')}\n`));
    }
    let old: Partial<SessionSummary> = {};
    try {
      old = JSON.parse((await tree.readFile(`${keep}/session.json`)) ?? '{}');
    } catch {
      // folded again below
    }
    const events = [...lines, ...extra].map((l) => JSON.parse(l) as BaseEvent);
    events.sort((a, b) => String(a.ts).localeCompare(String(b.ts)));
    const summary = foldSummary(
      { ...emptySummary(id, keep.split('/')[1], keep), author: old.author ?? null },
      events,
    );
    tree.stageFile(`${keep}/session.json`, redactForStore(`${JSON.stringify(summary, null, 2)}\n`));
    merged.set(id, summary);
  }
  return merged;
}

const idOf = (line: string): string => {
  try {
    return String((JSON.parse(line) as BaseEvent).id);
  } catch {
    return line;
  }
};

async function eventLines(tree: TreeEditor, dir: string): Promise<string[]> {
  const segs = ((await tree.list(`${dir}/events`)) ?? []).filter((e) => SEGMENT_RE.test(e.path));
  segs.sort((a, b) => a.path.localeCompare(b.path));
  const out: string[] = [];
  for (const s of segs)
    for (const line of ((await tree.readFile(`${dir}/events/${s.path}`)) ?? '').split('\n'))
      if (line.trim()) out.push(line);
  return out;
}

/** Copies the files of `from` that `to` lacks (snapshots, stored blobs, a handoff), by tree entry. */
async function copyMissing(tree: TreeEditor, from: string, to: string, sub = ''): Promise<void> {
  for (const e of (await tree.list(sub ? `${from}/${sub}` : from)) ?? []) {
    const rel = sub ? `${sub}/${e.path}` : e.path;
    if (rel === 'session.json' || rel === 'events') continue;
    if (await tree.has(`${to}/${rel}`)) {
      if (e.type === 'tree') await copyMissing(tree, from, to, rel);
      continue;
    }
    if (e.type === 'tree') await tree.setTree(`${to}/${rel}`, e.oid);
    else await tree.setBlob(`${to}/${rel}`, e);
  }
}
