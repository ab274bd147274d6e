/**
 * The spool: one append-only JSONL file per session under `<git common dir>/agent-tracking/spool/`.
 * Hooks append with a single O_APPEND write per call, so lines from parallel hook processes never
 * interleave. The flush records how far it has consumed each file in `<session>.offset`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BaseEvent } from '../model/events.js';
import type { Redacted } from '../model/redacted.js';
import type { RepoPaths } from './paths.js';

export const safeSessionId = (s: string): string =>
  s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128) || 'unknown';

export const spoolFile = (paths: RepoPaths, session: string): string =>
  path.join(paths.spoolDir, `${safeSessionId(session)}.jsonl`);

export const offsetFile = (spool: string): string => spool.replace(/\.jsonl$/, '.offset');

/** Appends the events as one write; returns the spool file and its size after the write. */
export function appendEvents(
  paths: RepoPaths,
  session: string,
  events: Redacted<BaseEvent>[],
): { file: string; size: number } {
  const file = spoolFile(paths, session);
  const data = events.map((e) => `${JSON.stringify(e)}\n`).join('');
  let fd: number;
  try {
    fd = fs.openSync(file, 'a');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fs.mkdirSync(paths.spoolDir, { recursive: true });
    fd = fs.openSync(file, 'a');
  }
  try {
    fs.writeSync(fd, data);
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
  const file = offsetFile(spool);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${value.ino}:${value.offset}\n`);
  fs.renameSync(tmp, file);
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
