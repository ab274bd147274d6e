/**
 * A mutable view of the branch's tree for one flush: reads trees lazily (from a cache first, since
 * after `git gc` every read may pay for a whole packfile), collects changed files, writes the
 * changed trees bottom-up.
 */
import { createHash } from 'node:crypto';
import { BLOB_CAP_BYTES } from '../model/config.js';
import { redactedLineRuns, redactForStore } from '../model/redact.js';
import type { Redacted } from '../model/redacted.js';
import type { ObjectStore, TreeEntry } from './git.js';

const parentOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const baseOf = (p: string) => (p.includes('/') ? p.slice(p.lastIndexOf('/') + 1) : p);

export class TreeEditor {
  /** Entries by directory path ('' is the root), for the trees read or written. */
  readonly trees: Map<string, TreeEntry[]>;
  private dirty = new Set<string>();

  constructor(
    private store: ObjectStore,
    private rootOid: string | null,
    cache: Record<string, TreeEntry[]> = {},
  ) {
    this.trees = new Map(Object.entries(cache));
    if (rootOid === null) this.trees.set('', []);
  }

  /** Entries of a directory, or null when it does not exist. */
  async list(dir: string): Promise<TreeEntry[] | null> {
    const cached = this.trees.get(dir);
    if (cached) return cached;
    let oid: string | null;
    if (dir === '') oid = this.rootOid;
    else {
      const parent = await this.list(parentOf(dir));
      oid = parent?.find((e) => e.path === baseOf(dir) && e.type === 'tree')?.oid ?? null;
    }
    if (!oid) return null;
    const entries = await this.store.readTree(oid);
    this.trees.set(dir, entries);
    return entries;
  }

  async readFile(file: string): Promise<string | null> {
    const entry = (await this.list(parentOf(file)))?.find(
      (e) => e.path === baseOf(file) && e.type === 'blob',
    );
    return entry ? this.store.readBlob(entry.oid) : null;
  }

  private staged = new Map<string, Redacted<string>>();

  /**
   * Queues a file for write(), which writes all queued blobs concurrently (object writes are I/O bound).
   * Only redacted text is accepted: what reaches a git object went through the redactor's full pass.
   */
  stageFile(file: string, content: Redacted<string>): void {
    this.staged.set(file, content);
  }

  /** Whether a file exists, counting the staged ones. */
  async has(file: string): Promise<boolean> {
    if (this.staged.has(file)) return true;
    return Boolean((await this.list(parentOf(file)))?.some((e) => e.path === baseOf(file)));
  }

  /** Points `dir` at an existing tree (a subtree laid back from elsewhere); nothing under it is read. */
  async setTree(dir: string, oid: string): Promise<void> {
    for (const key of [...this.trees.keys()])
      if (key === dir || key.startsWith(`${dir}/`)) this.trees.delete(key);
    for (const key of [...this.staged.keys()]) if (key.startsWith(`${dir}/`)) this.staged.delete(key);
    await this.setEntry(parentOf(dir), { mode: '040000', path: baseOf(dir), oid, type: 'tree' });
  }

  /** Points `file` at an existing blob (copied from elsewhere on the branch). */
  async setBlob(file: string, entry: TreeEntry): Promise<void> {
    for (const key of [...this.trees.keys()])
      if (key === file || key.startsWith(`${file}/`)) this.trees.delete(key);
    this.staged.delete(file);
    await this.setEntry(parentOf(file), { ...entry, path: baseOf(file) });
  }

  async remove(path: string): Promise<void> {
    const dir = parentOf(path);
    const entries = await this.list(dir);
    if (!entries) return;
    this.trees.set(
      dir,
      entries.filter((e) => e.path !== baseOf(path)),
    );
    this.markDirty(dir);
  }

  private async setEntry(dir: string, entry: TreeEntry): Promise<void> {
    const entries = (await this.list(dir)) ?? (await this.mkdir(dir));
    const i = entries.findIndex((e) => e.path === entry.path);
    const next = [...entries];
    if (i >= 0) next[i] = entry;
    else next.push(entry);
    this.trees.set(dir, next);
    this.markDirty(dir);
  }

  private async mkdir(dir: string): Promise<TreeEntry[]> {
    if (dir !== '')
      await this.setEntry(parentOf(dir), { mode: '040000', path: baseOf(dir), oid: '', type: 'tree' });
    this.trees.set(dir, []);
    return [];
  }

  private markDirty(dir: string): void {
    for (let d = dir; ; d = parentOf(d)) {
      this.dirty.add(d);
      if (d === '') break;
    }
  }

  /**
   * Files over the cap on one object: an event segment is split at line ends into consecutive
   * segments (a line over the cap has its longest values capped, as a tool output is); any other
   * file keeps its head (whole lines up to the cap) and `<file>.cut.json` records what was cut
   * (its size and sha256, and the whole file's).
   */
  private async capLarge(
    staged: Array<[string, Redacted<string>]>,
    cap: number,
  ): Promise<Array<[string, Redacted<string>]>> {
    const out: Array<[string, Redacted<string>]> = [];
    const names = new Set(staged.map(([f]) => f));
    for (const [file, content] of staged) {
      const bytes = Buffer.byteLength(content);
      if (bytes <= cap) {
        out.push([file, content]);
        continue;
      }
      const seg = /^(.*\/events)\/(\d{6,})\.jsonl$/.exec(file);
      const runs = redactedLineRuns(content, cap);
      if (seg) {
        const dir = seg[1];
        const taken = new Set([
          ...((await this.list(dir)) ?? []).map((e) => e.path),
          ...[...names].filter((n) => n.startsWith(`${dir}/`)).map((n) => baseOf(n)),
        ]);
        let n = Number.parseInt(seg[2], 10);
        for (const [k, run] of runs.entries()) {
          let name = k === 0 ? baseOf(file) : '';
          while (!name) {
            n++;
            const candidate = `${String(n).padStart(seg[2].length, '0')}.jsonl`;
            if (!taken.has(candidate)) name = candidate;
          }
          taken.add(name);
          if (Buffer.byteLength(run) <= cap) out.push([`${dir}/${name}`, run]);
          else out.push(...this.cutFile(`${dir}/${name}`, run, cap));
        }
        continue;
      }
      out.push(...this.cutFile(file, content, cap, runs[0]));
    }
    return out;
  }

  private cutFile(
    file: string,
    content: Redacted<string>,
    cap: number,
    head?: Redacted<string>,
  ): Array<[string, Redacted<string>]> {
    const kept = head && Buffer.byteLength(head) <= cap ? head : redactForStore('');
    const all = Buffer.from(content, 'utf8');
    const cut = all.subarray(Buffer.byteLength(kept));
    const record = {
      path: baseOf(file),
      bytes: all.length,
      sha256: createHash('sha256').update(all).digest('hex'),
      keptBytes: Buffer.byteLength(kept),
      cutBytes: cut.length,
      cutSha256: createHash('sha256').update(cut).digest('hex'),
      reason: `over the branch's cap of ${cap} bytes on one object`,
    };
    return [
      [file, kept],
      [`${file}.cut.json`, redactForStore(`${JSON.stringify(record, null, 2)}\n`)],
    ];
  }

  /** Writes every changed tree, deepest first; returns the new root tree's oid. */
  async write(cap = BLOB_CAP_BYTES): Promise<string> {
    const staged = await this.capLarge([...this.staged], cap);
    this.staged.clear();
    const oids = await mapLimit(staged, 16, ([, content]) => this.store.writeBlob(content));
    for (let k = 0; k < staged.length; k++) {
      await this.setEntry(parentOf(staged[k][0]), {
        mode: '100644',
        path: baseOf(staged[k][0]),
        oid: oids[k],
        type: 'blob',
      });
    }
    // trees of one depth are independent: write them together, deepest first
    const byDepth = new Map<number, string[]>();
    for (const dir of this.dirty) {
      const depth = dir === '' ? 0 : dir.split('/').length;
      byDepth.set(depth, [...(byDepth.get(depth) ?? []), dir]);
    }
    let rootOid = this.rootOid ?? '';
    for (const depth of [...byDepth.keys()].sort((a, b) => b - a)) {
      const dirs = byDepth.get(depth)!;
      const lists = dirs.map((dir) =>
        (this.trees.get(dir) ?? []).filter(
          (e) => e.type !== 'tree' || this.trees.get(childPath(dir, e.path))?.length !== 0,
        ),
      );
      const treeOids = await mapLimit(lists, 16, (entries) => this.store.writeTree(entries));
      // each parent is rewritten once with all its changed children (a phase's sessions folder has
      // thousands of entries and a large flush changes hundreds of them)
      const byParent = new Map<string, Map<string, string>>();
      dirs.forEach((dir, k) => {
        this.trees.set(dir, lists[k]);
        if (dir === '') rootOid = treeOids[k];
        else {
          const children = byParent.get(parentOf(dir)) ?? new Map<string, string>();
          children.set(baseOf(dir), treeOids[k]);
          byParent.set(parentOf(dir), children);
        }
      });
      for (const [parentDir, children] of byParent) {
        const parent = this.trees.get(parentDir)!;
        this.trees.set(
          parentDir,
          parent.map((e) => {
            const oid = e.type === 'tree' ? children.get(e.path) : undefined;
            return oid === undefined ? e : { ...e, oid };
          }),
        );
      }
    }
    this.dirty.clear();
    this.rootOid = rootOid;
    return rootOid;
  }

  /** The cache to keep for the next flush: the trees a flush will touch again. */
  snapshot(keep: (dir: string) => boolean): Record<string, TreeEntry[]> {
    const out: Record<string, TreeEntry[]> = {};
    for (const [dir, entries] of this.trees) if (keep(dir)) out[dir] = entries;
    return out;
  }
}

const childPath = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);

/** Runs fn over items with at most `limit` at a time; results in order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
