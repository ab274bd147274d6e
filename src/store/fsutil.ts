/**
 * Writes that are whole or absent. A disk that fills up makes `write(2)` write part of what it was
 * given and fail on the rest; a file renamed into place after that is a truncated object or state
 * for good. So every write here loops until all bytes are written (or throws), fsyncs before the
 * rename, and removes its temporary file when anything fails. Node builtins only: the hook uses it.
 *
 * Fault injection for the tests: `AGENT_TRACK_FAULT_ENOSPC_AFTER=<bytes>` makes this process's
 * writes through this module behave like a disk that fills after that many bytes (a short write,
 * then ENOSPC), so the disk-full cases can be tested where no tmpfs can be mounted.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mkdirOwned, own } from './owner.js';

let budget: number | null = (() => {
  const v = Number(process.env.AGENT_TRACK_FAULT_ENOSPC_AFTER);
  return process.env.AGENT_TRACK_FAULT_ENOSPC_AFTER && Number.isFinite(v) && v >= 0 ? v : null;
})();

const enospc = (): NodeJS.ErrnoException =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });

/** One `write(2)`: what the kernel took (possibly less than asked), through the fault budget. */
function writeOnce(fd: number, buf: Uint8Array, offset: number, length: number): number {
  if (budget !== null) {
    if (budget <= 0) throw enospc();
    const n = fs.writeSync(fd, buf, offset, Math.min(length, budget), null);
    budget -= n;
    return n;
  }
  return fs.writeSync(fd, buf, offset, length, null);
}

/** Writes all of `buf` at the file position, looping on short writes; throws what the kernel said. */
export function writeFull(fd: number, buf: Uint8Array): void {
  let done = 0;
  while (done < buf.length) {
    const n = writeOnce(fd, buf, done, buf.length - done);
    if (n <= 0) throw enospc();
    done += n;
  }
}

let tmpCounter = 0;
/** A temporary name no other process picks: pid, a counter and random bytes. */
export const tmpName = (prefix: string): string =>
  `${prefix}${process.pid.toString(36)}${(tmpCounter++).toString(36)}${randomBytes(3).toString('hex')}`;

const isENOENT = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Writes `data` to `file` through a temporary file in the same folder (named with `tmpPrefix`, so
 * whoever cleans that folder recognises it), fsynced, then renamed into place: a reader sees the
 * old file or the whole new one. A folder removed under us (`git gc --prune=now` removes empty
 * object folders, and temporary files older than now) is made again and the write retried.
 */
export function writeFileDurable(
  file: string,
  data: Uint8Array | string | Array<Uint8Array>,
  opts: { mode?: number; tmpPrefix?: string; fsync?: boolean } = {},
): void {
  const dir = path.dirname(file);
  const chunks = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : Array.isArray(data) ? data : [data];
  for (let attempt = 0; ; attempt++) {
    const tmp = path.join(dir, tmpName(opts.tmpPrefix ?? `.${path.basename(file)}.tmp-`));
    let fd: number | null = null;
    try {
      try {
        fd = fs.openSync(tmp, 'wx', opts.mode ?? 0o644);
      } catch (e) {
        if (!isENOENT(e)) throw e;
        mkdirOwned(dir);
        fd = fs.openSync(tmp, 'wx', opts.mode ?? 0o644);
      }
      for (const c of chunks) writeFull(fd, c);
      if (opts.fsync !== false) fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = null;
      own(tmp);
      fs.renameSync(tmp, file);
      return;
    } catch (e) {
      if (fd !== null) {
        try {
          fs.closeSync(fd);
        } catch {
          // closing is all we can do
        }
      }
      try {
        fs.unlinkSync(tmp);
      } catch {
        // never created, or removed by someone else
      }
      // the folder or our temporary file vanished (a concurrent prune): write again, a few times
      if (isENOENT(e) && attempt < 5) continue;
      throw e;
    }
  }
}

/**
 * Appends `data` to an O_APPEND descriptor as one write, whole or not at all: a short write (the disk
 * filled) is not continued, since another process may append between our two writes and split our
 * line; the part written is cut off again when it is still the file's end (checked byte for byte, so
 * another writer's line is never cut), and the error thrown. A reader never glues a line to a torn
 * one anyway (see the flush's spool reader).
 */
export function appendWhole(fd: number, data: Buffer): void {
  let n = 0;
  let error: unknown = null;
  try {
    n = writeOnce(fd, data, 0, data.length);
    if (n === data.length) return;
  } catch (e) {
    error = e;
  }
  if (n > 0) {
    try {
      const size = fs.fstatSync(fd).size;
      const tail = Buffer.allocUnsafe(n);
      if (size >= n && fs.readSync(fd, tail, 0, n, size - n) === n && tail.equals(data.subarray(0, n)))
        fs.ftruncateSync(fd, size - n);
    } catch {
      // the reader copes with a torn line
    }
  }
  throw error ?? enospc();
}
