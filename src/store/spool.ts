/**
 * The spool: one append-only JSONL file per session under `<git common dir>/agent-tracking/spool/`.
 * Hooks append with a single O_APPEND write per call, so lines from parallel hook processes never
 * interleave; a write the disk cut short is cut off again (whole line or nothing, `appendWhole`). The flush records how far it has consumed each file in `<session>.offset`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BaseEvent } from '../model/events.js';
import type { Redacted } from '../model/redacted.js';
import { appendWhole, writeFileDurable } from './fsutil.js';
import { mkdirOwned, own } from './owner.js';
import type { RepoPaths } from './paths.js';

export const safeSessionId = (s: string): string =>
  s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128) || 'unknown';

export const spoolFile = (paths: RepoPaths, session: string): string =>
  path.join(paths.spoolDir, `${safeSessionId(session)}.jsonl`);

export const offsetFile = (spool: string): string => spool.replace(/\.jsonl$/, '.offset');

/**
 * The raw spool (`<git common dir>/agent-tracking/raw/`, claude-files.ts RAW_DIR): payloads the sh
 * hook saved, converted into this spool by capture/raw.ts under `raw.lock`.
 */
export const rawSpoolDir = (paths: RepoPaths): string => path.join(paths.trackingDir, 'raw');
export const rawLockFile = (paths: RepoPaths): string => path.join(paths.trackingDir, 'raw.lock');
/** A raw payload's name: the sh hook's pid and a number. */
export const RAW_NAME = /^(\d+)-(\d+)\.json$/;
/** The note of a conversion under way (capture/raw.ts). */
export const RAW_NOTE = '.converting';

/** How many payload files the raw spool holds (whole or being written). */
export function rawCount(paths: RepoPaths): number {
  try {
    return fs.readdirSync(rawSpoolDir(paths)).filter((n) => RAW_NAME.test(n)).length;
  } catch {
    return 0;
  }
}

/** Whether payloads (or an interrupted conversion) wait in the raw spool: one readdir. */
export function rawWaiting(paths: RepoPaths): boolean {
  try {
    return fs.readdirSync(rawSpoolDir(paths)).some((n) => RAW_NAME.test(n) || n === RAW_NOTE);
  } catch {
    return false;
  }
}

/** Appends the events as one write; returns the spool file and its size after the write. */
export function appendEvents(
  paths: RepoPaths,
  session: string,
  events: Redacted<BaseEvent>[],
): { file: string; size: number } {
  const file = spoolFile(paths, session);
  const data = events.map((e) => `${JSON.stringify(e)}\n`).join('');
  let fd: number;
  // read and write: a torn write is read back and cut off (appendWhole)
  try {
    fd = fs.openSync(file, 'a+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirOwned(paths.spoolDir);
    fd = fs.openSync(file, 'a+');
  }
  // a no-op unless we write another user's repository as root (owner.ts)
  own(file);
  try {
    appendWhole(fd, Buffer.from(data, 'utf8'));
    return { file, size: fs.fstatSync(fd).size };
  } finally {
    fs.closeSync(fd);
  }
}

export interface SpoolOffset {
  ino: number;
  offset: number;
}

export function readOffset(spool: string): SpoolOffset | null {
  try {
    const [ino, offset] = fs.readFileSync(offsetFile(spool), 'utf8').trim().split(':').map(Number);
    return Number.isFinite(ino) && Number.isFinite(offset) ? { ino, offset } : null;
  } catch {
    return null;
  }
}

export function writeOffset(spool: string, value: SpoolOffset): void {
  // a hint for the hook (the state holds the truth): no fsync
  writeFileDurable(offsetFile(spool), `${value.ino}:${value.offset}\n`, { fsync: false });
}

/** Counts unflushed lines, reading at most `limit` lines' worth; used by the hook to decide on a flush. */
export function unflushedLineCount(spool: string, size: number, limit: number): number {
  const off = readOffset(spool);
  let start = 0;
  try {
    if (off && off.ino === fs.statSync(spool).ino) start = off.offset;
  } catch {
    return 0;
  }
  const pending = size - start;
  if (pending <= 0) return 0;
  if (pending > limit * 8192) return limit; // plainly over: no need to read it
  const buf = Buffer.allocUnsafe(pending);
  const fd = fs.openSync(spool, 'r');
  try {
    const n = fs.readSync(fd, buf, 0, pending, start);
    let count = 0;
    for (let i = 0; i < n; i++) if (buf[i] === 10) count++;
    return count;
  } finally {
    fs.closeSync(fd);
  }
}

export interface SpooledSession {
  session: string;
  mtimeMs: number;
  /** From the session_start line, when the spool has it. */
  branch: string | null;
  pid: number | null;
  host: string | null;
  ended: boolean;
  lastActivity: string | null;
  /** The last event is a Stop: the final assistant turn ended (a dropped SessionEnd is not a crash). */
  lastTurnEnded?: boolean;
}

function readSlice(file: string, from: 'head' | 'tail', bytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const n = Math.min(size, bytes);
    const buf = Buffer.allocUnsafe(n);
    fs.readSync(fd, buf, 0, n, from === 'head' ? 0 : size - n);
    return buf.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The sessions whose spool files were written to last, newest first, with what their first and last
 * lines tell (cheap: a few small reads per file; the hook calls it on SessionStart).
 */
export function recentSpooledSessions(paths: RepoPaths, limit: number, exclude: string): SpooledSession[] {
  let names: string[];
  try {
    names = fs.readdirSync(paths.spoolDir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const files = names
    .filter((f) => f !== `${safeSessionId(exclude)}.jsonl`)
    .map((f) => {
      try {
        return { f, mtimeMs: fs.statSync(path.join(paths.spoolDir, f)).mtimeMs };
      } catch {
        return null;
      }
    })
    .filter((x): x is { f: string; mtimeMs: number } => x !== null)
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .slice(0, limit);
  const out: SpooledSession[] = [];
  for (const { f, mtimeMs } of files) {
    const file = path.join(paths.spoolDir, f);
    const info: SpooledSession = {
      session: f.slice(0, -6),
      mtimeMs,
      branch: null,
      pid: null,
      host: null,
      ended: false,
      lastActivity: null,
    };
    try {
      for (const line of readSlice(file, 'head', 65536).split('\n')) {
        if (!line.includes('"session_start"')) continue;
        const e = JSON.parse(line);
        info.session = typeof e.session === 'string' ? e.session : info.session;
        info.branch = typeof e.branch === 'string' ? e.branch : null;
        info.pid = typeof e.pid === 'number' ? e.pid : null;
        info.host = typeof e.host === 'string' ? e.host : null;
        break;
      }
      const tail = readSlice(file, 'tail', 16384).split('\n').filter(Boolean);
      // the last session_start or session_end in the tail decides (a resumed session starts again)
      for (const line of tail.reverse()) {
        if (line.includes('"type":"session_end"')) {
          info.ended = true;
          break;
        }
        if (line.includes('"type":"session_start"')) break;
      }
      const last = tail[0];
      info.lastTurnEnded = last ? last.includes('"type":"stop"') : false;
      const m = last ? /"ts":"([^"]+)"/.exec(last) : null;
      info.lastActivity = m ? m[1] : new Date(mtimeMs).toISOString();
    } catch {
      // a torn or unreadable file: judged by its time alone
      info.lastActivity = new Date(mtimeMs).toISOString();
    }
    out.push(info);
  }
  return out;
}
