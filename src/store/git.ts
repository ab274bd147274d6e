/** The only module that talks to isomorphic-git: blobs, trees and commits on the common git dir. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import git from 'isomorphic-git';
import type { Redacted } from '../model/redacted.js';
import { writeFileDurable } from './fsutil.js';
import { mkdirOwned } from './owner.js';
import { assertWritableFormat } from './paths.js';

export interface TreeEntry {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
}

export interface Identity {
  name: string;
  email: string;
}

/** Git orders tree entries byte-wise, with a tree's name compared as if it ended in '/'. */
export function sortTree(entries: TreeEntry[]): TreeEntry[] {
  const keyed = entries.map((e) => ({ e, k: Buffer.from(e.type === 'tree' ? `${e.path}/` : e.path) }));
  return keyed.sort((a, b) => Buffer.compare(a.k, b.k)).map((x) => x.e);
}

/** Git writes a tree's mode without the leading zero ('40000'); isomorphic-git reads it back as '040000'. */
const treeMode = (mode: string) => (mode === '040000' ? '40000' : mode);

type ObjectType = 'blob' | 'tree' | 'commit';
const PACK_TYPE: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3 };
/** A batch of at least this many objects goes to the repository as one pack instead of loose files. */
export const PACK_THRESHOLD = 32;

/** Whether a loose object file holds the object `oid` (inflates and hashes it). */
export function looseObjectValid(file: string, oid: string): boolean {
  try {
    const full = inflateSync(fs.readFileSync(file));
    return createHash('sha1').update(full).digest('hex') === oid;
  } catch {
    return false;
  }
}

/**
 * A version 2 pack of whole (undeltified) objects and its version 2 index, as `git index-pack` would
 * write them. One file pair instead of one file per object: creating files is what a large flush
 * (an import) spends most of its time on.
 */
function writePack(packDir: string, objects: Map<string, { type: ObjectType; content: Buffer }>): string {
  const oids = [...objects.keys()].sort();
  const deflated = oids.map((oid) => deflateSync(objects.get(oid)!.content, { level: 1 }));
  const packHash = createHash('sha1');
  const chunks: Buffer[] = [];
  const push = (b: Buffer) => {
    chunks.push(b);
    packHash.update(b);
  };
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(oids.length, 8);
  push(header);
  let offset = 12;
  const offsets: number[] = [];
  const crcs: number[] = [];
  for (let k = 0; k < oids.length; k++) {
    const { type, content } = objects.get(oids[k])!;
    // type and size: 3 type bits and the low 4 size bits, then 7 bits per byte, little-endian
    const head: number[] = [];
    let size = content.length;
    let byte = (PACK_TYPE[type] << 4) | (size & 15);
    size = Math.floor(size / 16);
    while (size > 0) {
      head.push(byte | 0x80);
      byte = size & 0x7f;
      size = Math.floor(size / 128);
    }
    head.push(byte);
    const entry = Buffer.concat([Buffer.from(head), deflated[k]]);
    offsets.push(offset);
    crcs.push(crc32(entry));
    push(entry);
    offset += entry.length;
  }
  const packSum = packHash.digest();
  chunks.push(packSum);

  const n = oids.length;
  const large = offsets.filter((o) => o >= 0x80000000);
  const idx = Buffer.alloc(8 + 256 * 4 + n * 20 + n * 4 + n * 4 + large.length * 8 + 40);
  idx.writeUInt32BE(0xff744f63, 0);
  idx.writeUInt32BE(2, 4);
  const fanout = new Array<number>(256).fill(0);
  for (const oid of oids) fanout[Number.parseInt(oid.slice(0, 2), 16)]++;
  let total = 0;
  for (let i = 0; i < 256; i++) {
    total += fanout[i];
    idx.writeUInt32BE(total, 8 + i * 4);
  }
  let at = 8 + 1024;
  for (const oid of oids) at += idx.write(oid, at, 'hex');
  for (const c of crcs) at = idx.writeUInt32BE(c >>> 0, at);
  let li = 0;
  for (const o of offsets) at = idx.writeUInt32BE(o >= 0x80000000 ? (0x80000000 | li++) >>> 0 : o, at);
  for (const o of large) {
    at = idx.writeUInt32BE(Math.floor(o / 2 ** 32), at);
    at = idx.writeUInt32BE(o % 2 ** 32, at);
  }
  at += packSum.copy(idx, at);
  createHash('sha1').update(idx.subarray(0, at)).digest().copy(idx, at);

  mkdirOwned(packDir);
  const name = path.join(packDir, `pack-${packSum.toString('hex')}`);
  // a .keep first: until the branch reaches these objects, `git repack -ad` / `git gc` must not drop
  // the pack as unreachable (kept packs are left alone); removed once the ref has moved
  const keep = `${name}.keep`;
  writeFileDurable(keep, `agent-track ${process.pid} ${os.hostname()}\n`, { tmpPrefix: 'tmp_keep_' });
  // the pack, then its index: readers find packs by their index. git's temporary names (tmp_pack_*,
  // tmp_idx_*), so a write killed half-way is cleaned by git itself
  writeFileDurable(`${name}.pack`, chunks, { mode: 0o444, tmpPrefix: 'tmp_pack_' });
  writeFileDurable(`${name}.idx`, idx, { mode: 0o444, tmpPrefix: 'tmp_idx_' });
  return keep;
}

/**
 * Removes `.keep` files a flush left on its packs when it was killed before its ref moved (ours name
 * the pid and host; only a dead process's are removed, so a running flush keeps its own).
 */
export function removeStaleKeeps(gitdir: string, alive: (pid: number) => boolean): void {
  const dir = path.join(gitdir, 'objects', 'pack');
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.keep'));
  } catch {
    return;
  }
  for (const n of names) {
    try {
      const m = /^agent-track (\d+) (\S+)$/.exec(fs.readFileSync(path.join(dir, n), 'utf8').trim());
      if (m && m[2] === os.hostname() && !alive(Number(m[1]))) fs.unlinkSync(path.join(dir, n));
    } catch {
      // not ours, or gone
    }
  }
}

export class ObjectStore {
  private batch: Map<string, { type: ObjectType; content: Buffer }> | null = null;

  /**
   * isomorphic-git's cache of parsed packfiles: without it every read of a packed object (a fresh
   * clone, after `git gc`) loads and parses the pack's index again.
   */
  private readonly cache = {};

  constructor(readonly gitdir: string) {
    // SHA-1 objects in a SHA-256 repository would corrupt it for good
    assertWritableFormat(gitdir);
  }

  /**
   * Loose objects written since the last `settle()`, with their content: a `git gc --prune=now`
   * between our write and the ref update deletes them as unreachable, and `settle` writes them again
   * once the branch reaches them. Capped, so a long-lived store does not hold everything it wrote.
   */
  private unsettled = new Map<string, Buffer>();
  private unsettledBytes = 0;
  private keeps: string[] = [];
  /** Every object id written (loose or packed) since the last `settle()`. */
  readonly written = new Set<string>();

  /**
   * Writes a loose object the way git does (zlib level 1, git's default core.looseCompression), through
   * a temporary file renamed into place, so a crash never leaves a truncated object and concurrent
   * writers of the same object agree. Synchronous: for many small objects it is several times faster
   * than isomorphic-git's writer (web-stream deflate, a repository discovery per object).
   */
  writeObjectSync(type: ObjectType, content: Uint8Array): string {
    const head = Buffer.from(`${type} ${content.length}\0`);
    const oid = createHash('sha1').update(head).update(content).digest('hex');
    this.written.add(oid);
    if (this.batch) {
      this.batch.set(oid, { type, content: Buffer.from(content) });
      return oid;
    }
    this.writeLoose(oid, Buffer.concat([head, content]));
    return oid;
  }

  /** Holds every object written until `endBatch`, which writes them as one pack when there are many. */
  startBatch(): void {
    this.batch ??= new Map();
  }

  async endBatch(): Promise<void> {
    const batch = this.batch;
    this.batch = null;
    if (!batch || batch.size === 0) return;
    if (batch.size >= PACK_THRESHOLD)
      this.keeps.push(writePack(path.join(this.gitdir, 'objects', 'pack'), batch));
    else
      for (const [oid, { type, content }] of batch)
        this.writeLoose(oid, Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]));
  }

  private looseFile(oid: string): string {
    return path.join(this.gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
  }

  /**
   * A loose object that exists already is skipped only when it is whole: a file truncated by a full
   * disk (written by an older version, or by another tool) is written again, not trusted for ever.
   */
  private writeLoose(oid: string, full: Buffer): void {
    const file = this.looseFile(oid);
    if (this.unsettledBytes + full.length <= 16 << 20) {
      this.unsettled.set(oid, full);
      this.unsettledBytes += full.length;
    }
    if (fs.existsSync(file) && looseObjectValid(file, oid)) return;
    // git's own temporary name (git prune removes stale tmp_obj_* files); a missing objects/xx folder
    // (git gc --prune=now removes empty ones, even between our mkdir and open) is made again
    writeFileDurable(file, deflateSync(full, { level: 1 }), { mode: 0o444, tmpPrefix: 'tmp_obj_' });
  }

  /**
   * Once the ref reaches what was written: loose objects a concurrent prune deleted are written again
   * (they are reachable now, so no later prune takes them), and the packs' .keep files are removed.
   * Returns how many objects had vanished.
   */
  settle(): number {
    let rewritten = 0;
    for (const [oid, full] of this.unsettled) {
      if (fs.existsSync(this.looseFile(oid))) continue;
      // packed meanwhile by a repack (its loose file pruned as redundant), or deleted: a second copy is harmless
      this.writeLoose(oid, full);
      rewritten++;
    }
    this.dropKeeps();
    this.unsettled.clear();
    this.unsettledBytes = 0;
    this.written.clear();
    return rewritten;
  }

  /** Removes this store's .keep files (after a lost race too: the pack is garbage gc may collect). */
  dropKeeps(): void {
    for (const k of this.keeps.splice(0)) fs.rmSync(k, { force: true });
  }

  /** Only redacted content becomes a blob (see src/model/redact.ts: redactForStore, redactBytes). */
  writeBlobSync(content: Redacted<string> | Redacted<Uint8Array>): string {
    return this.writeObjectSync('blob', typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }

  async writeBlob(content: Redacted<string> | Redacted<Uint8Array>): Promise<string> {
    return this.writeBlobSync(content);
  }

  writeTreeSync(entries: TreeEntry[]): string {
    const parts: Buffer[] = [];
    for (const e of sortTree(entries)) {
      parts.push(Buffer.from(`${treeMode(e.mode)} ${e.path}\0`), Buffer.from(e.oid, 'hex'));
    }
    return this.writeObjectSync('tree', Buffer.concat(parts));
  }

  async writeTree(entries: TreeEntry[]): Promise<string> {
    return this.writeTreeSync(entries);
  }

  async readTree(oid: string): Promise<TreeEntry[]> {
    if (this.batch?.has(oid)) throw new Error(`tree ${oid} is not written yet (read inside a batch)`);
    const { tree } = await git.readTree({ fs, gitdir: this.gitdir, oid, cache: this.cache });
    return tree as TreeEntry[];
  }

  async readBlob(oid: string): Promise<string> {
    const { blob } = await git.readBlob({ fs, gitdir: this.gitdir, oid, cache: this.cache });
    return Buffer.from(blob).toString('utf8');
  }

  async readCommit(
    oid: string,
  ): Promise<{ tree: string; parent: string[]; message: string; author: Identity & { timestamp: number } }> {
    const { commit } = await git.readCommit({ fs, gitdir: this.gitdir, oid, cache: this.cache });
    return commit;
  }

  /** A commit, written like every other object (atomically: a reader never sees half of it). */
  async writeCommit(tree: string, parents: string[], message: string, who: Identity): Promise<string> {
    const now = new Date();
    const offset = -now.getTimezoneOffset();
    const abs = Math.abs(offset);
    const tz = `${offset >= 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
    const clean = (v: string) => v.replace(/[<>\n]/g, '').trim();
    const sig = `${clean(who.name)} <${clean(who.email)}> ${Math.floor(now.getTime() / 1000)} ${tz}`;
    const text = [
      `tree ${tree}`,
      ...parents.map((p) => `parent ${p}`),
      `author ${sig}`,
      `committer ${sig}`,
      '',
      message.endsWith('\n') ? message : `${message}\n`,
    ].join('\n');
    return this.writeObjectSync('commit', Buffer.from(text, 'utf8'));
  }
}

/** The user's git identity (git config, all levels), or a neutral one when none is configured. */
const identities = new Map<string, Identity>();

export function gitIdentity(cwd: string): Identity {
  const known = identities.get(cwd);
  if (known) return known;
  const who = readIdentity(cwd);
  identities.set(cwd, who);
  return who;
}

function readIdentity(cwd: string): Identity {
  const get = (key: string): string => {
    try {
      return execFileSync('git', ['config', '--get', key], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return '';
    }
  };
  const name = process.env.GIT_AUTHOR_NAME || get('user.name');
  const email = process.env.GIT_AUTHOR_EMAIL || get('user.email');
  return { name: name || 'agent-track', email: email || 'agent-track@localhost' };
}

/**
 * Removes the temporary files of loose objects that earlier releases named `tmp_<oid>_<pid>_<n>`
 * (git cleans only `tmp_obj_*`, and fsck and gc report the others as `bad sha1 file` for ever) when
 * a killed write left them. Older than ten minutes only: nobody is still writing them. Run once per
 * clone (a marker in the cache).
 */
export function removeOldTempObjects(gitdir: string, marker: string): number {
  if (fs.existsSync(marker)) return 0;
  const objects = path.join(gitdir, 'objects');
  let removed = 0;
  let dirs: string[] = [];
  try {
    dirs = fs.readdirSync(objects).filter((d) => /^[0-9a-f]{2}$/.test(d));
  } catch {
    // no objects yet
  }
  for (const d of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(objects, d));
    } catch {
      continue;
    }
    for (const n of names) {
      if (!/^tmp_[0-9a-f]{38}_\d+_\d+$/.test(n)) continue;
      const file = path.join(objects, d, n);
      try {
        if (Date.now() - fs.statSync(file).mtimeMs < 10 * 60_000) continue;
        fs.unlinkSync(file);
        removed++;
      } catch {
        // gone
      }
    }
  }
  try {
    writeFileDurable(marker, `${new Date().toISOString()} ${removed}\n`, { fsync: false });
  } catch {
    // swept again next time
  }
  return removed;
}
