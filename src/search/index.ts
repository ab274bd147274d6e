/**
 * The search index of every session on the agent-tracking branch (MiniSearch: BM25 ranking, prefix
 * and fuzzy terms, serialisable). Kept outside the work tree, in `<git dir>/agent-tracking/search/`
 * (folder 0700, file 0600), one file written by rename, so a reader sees an old index or a whole new
 * one. It is brought up to the branch tip incrementally: event segments are immutable, so for each
 * session only the segments not indexed yet are read; a session whose segments were rewritten (a
 * merge, a migration, compaction) is indexed again, one gone from the branch is dropped.
 * What is indexed is read through the branch reader and canonicalEvent (the same events every other
 * surface reads), and the branch holds only redacted text; snippets get the full redaction pass once
 * more on the way out all the same.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import { errorPattern } from '../model/error-pattern.js';
import { redactText } from '../model/redact.js';
import type { SessionSummary } from '../model/session.js';
import { writeFileDurable } from '../store/fsutil.js';
import { own } from '../store/owner.js';
import type { RepoPaths } from '../store/paths.js';
import { readRef, TRACKING_REF } from '../store/paths.js';
import { TrackingBranch } from '../store/reader.js';
import { type ErrorRecord, foldEvents, HIT_TYPES, type HitType, type SearchDoc } from './documents.js';

/** Bumped when what is indexed changes: an index of another version is built anew. */
export const INDEX_VERSION = 3;

interface SessionEntry {
  /** What the session's summary said when indexed: unchanged, its segments are too (no tree read). */
  key?: string;
  /** Segment name -> blob id, as indexed. */
  segments: Record<string, string>;
  docs: string[];
  errors: ErrorRecord[];
  firstPrompt: string | null;
  started: string | null;
  author: string | null;
}

interface Manifest {
  v: number;
  tip: string;
  built: string;
  sessions: Record<string, SessionEntry>;
}

export interface Hit {
  session: string;
  agent: string;
  agentType: string;
  type: HitType;
  ts: string;
  snippet: string;
  score: number;
}

export interface SearchOptions {
  session?: string;
  type?: HitType;
  limit?: number;
}

export interface UpdateResult {
  tip: string;
  sessions: number;
  /** Sessions read this time (new or changed). */
  sessionsRead: number;
  segmentsRead: number;
  docsAdded: number;
  documents: number;
  bytes: number;
  ms: number;
}

const OPTIONS: Options<SearchDoc> = {
  idField: 'id',
  fields: ['text'],
  storeFields: ['session', 'agent', 'agentType', 'type', 'ts', 'stored', 'path', 'ref'],
  // autoVacuum's batches run on timers; we vacuum ourselves before saving, so nothing keeps the process up
  autoVacuum: false,
};

export const searchDir = (paths: RepoPaths): string => path.join(paths.trackingDir, 'search');
export const indexFile = (paths: RepoPaths): string => path.join(searchDir(paths), 'index.jsonl');

/** A hit's snippet: the stored text around the first matched term, whitespace folded, ~`width` chars. */
export function snippetOf(text: string, terms: string[], width = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = at < 0 ? 0 : Math.max(0, at - Math.floor(width / 3));
  const end = Math.min(flat.length, start + width);
  const cut = `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
  return redactText(cut, { pass: 'full' });
}

export class SearchIndex {
  private constructor(
    private paths: RepoPaths,
    private manifest: Manifest,
    private mini: MiniSearch<SearchDoc>,
  ) {}

  get tip(): string {
    return this.manifest.tip;
  }
  get sessionCount(): number {
    return Object.keys(this.manifest.sessions).length;
  }
  get documentCount(): number {
    return this.mini.documentCount;
  }

  /** The index as saved, or null when there is none (or of another version, or unreadable). */
  static load(paths: RepoPaths): SearchIndex | null {
    let text: string;
    try {
      text = fs.readFileSync(indexFile(paths), 'utf8');
    } catch {
      return null;
    }
    const nl = text.indexOf('\n');
    if (nl < 0) return null;
    try {
      const manifest = JSON.parse(text.slice(0, nl)) as Manifest;
      if (manifest.v !== INDEX_VERSION) return null;
      return new SearchIndex(paths, manifest, MiniSearch.loadJSON(text.slice(nl + 1), OPTIONS));
    } catch {
      return null; // a damaged index is built again; it holds nothing the branch does not
    }
  }

  static empty(paths: RepoPaths): SearchIndex {
    return new SearchIndex(
      paths,
      { v: INDEX_VERSION, tip: '', built: '', sessions: {} },
      new MiniSearch(OPTIONS),
    );
  }

  /**
   * The index brought up to the branch tip (built on first use), saved when it changed. Throws
   * NoBranchError when the clone has no agent-tracking branch.
   */
  static async open(paths: RepoPaths, branch?: TrackingBranch): Promise<SearchIndex> {
    const saved = SearchIndex.load(paths);
    if (saved && !branch && saved.tip === readRef(paths.commonDir, TRACKING_REF)) return saved;
    const index = saved ?? SearchIndex.empty(paths);
    await index.update(branch ?? (await TrackingBranch.open(paths)));
    return index;
  }

  /** Reads what the branch has that the index has not, and saves the index when anything changed. */
  async update(branch: TrackingBranch, opts: { save?: boolean } = {}): Promise<UpdateResult> {
    const started = performance.now();
    const r = { sessionsRead: 0, segmentsRead: 0, docsAdded: 0 };
    if (this.manifest.tip !== branch.tip) {
      const summaries = await branch.rawSessions();
      const live = new Set<string>();
      for (const s of summaries) {
        live.add(s.session);
        const read = await this.updateSession(branch, s);
        if (read.segments) r.sessionsRead++;
        r.segmentsRead += read.segments;
        r.docsAdded += read.docs;
      }
      for (const id of Object.keys(this.manifest.sessions))
        if (!live.has(id)) {
          this.drop(id);
          r.sessionsRead++;
        }
      this.manifest.tip = branch.tip;
      this.manifest.built = new Date().toISOString();
      if (opts.save !== false) await this.save();
    }
    let bytes = 0;
    try {
      bytes = fs.statSync(indexFile(this.paths)).size;
    } catch {
      // not saved (nothing changed and never saved)
    }
    return {
      tip: this.manifest.tip,
      sessions: this.sessionCount,
      ...r,
      documents: this.mini.documentCount,
      bytes,
      ms: Math.round(performance.now() - started),
    };
  }

  private drop(session: string): void {
    const entry = this.manifest.sessions[session];
    if (!entry) return;
    this.mini.discardAll(entry.docs.filter((id) => this.mini.has(id)));
    delete this.manifest.sessions[session];
  }

  private async updateSession(
    branch: TrackingBranch,
    s: SessionSummary,
  ): Promise<{ segments: number; docs: number }> {
    // every flush that adds a segment rewrites session.json: the same summary, the same segments
    const key = `${s.dir}\0${s.v ?? 0}\0${s.events}\0${s.lastActivity ?? ''}\0${s.ended ?? ''}`;
    let entry: SessionEntry | undefined = this.manifest.sessions[s.session];
    if (entry?.key === key) return { segments: 0, docs: 0 };
    const segs = await branch.segments(s);
    const same = (e: SessionEntry) =>
      segs.length === Object.keys(e.segments).length && segs.every((g) => e.segments[g.name] === g.oid);
    if (entry && same(entry)) {
      entry.key = key;
      return { segments: 0, docs: 0 };
    }
    // segments only added: read the new ones; any other change: the session is indexed again
    const extends_ = (e: SessionEntry) =>
      Object.entries(e.segments).every(([n, oid]) => segs.some((g) => g.name === n && g.oid === oid));
    if (entry && !extends_(entry)) {
      this.drop(s.session);
      entry = undefined;
    }
    if (!entry) {
      entry = { segments: {}, docs: [], errors: [], firstPrompt: null, started: null, author: null };
      this.manifest.sessions[s.session] = entry;
    }
    const e = entry;
    entry.firstPrompt = s.firstPrompt ? s.firstPrompt.slice(0, 300) : null;
    entry.started = s.started;
    entry.author = s.author ? s.author.name : null;
    const fresh = segs.filter((g) => e.segments[g.name] !== g.oid);
    const events = [];
    for (const g of fresh) events.push(...(await branch.segmentEvents(s, g.name)));
    const { docs } = foldEvents(
      { has: (id) => this.mini.has(id), errors: entry.errors },
      events,
      s.agentTypes ?? {},
      s.cwd,
    );
    const add = docs.filter((d) => !this.mini.has(d.id));
    this.mini.addAll(add);
    for (const d of add) entry.docs.push(d.id);
    for (const g of fresh) entry.segments[g.name] = g.oid;
    entry.key = key;
    return { segments: fresh.length, docs: add.length };
  }

  private async save(): Promise<void> {
    if (this.mini.dirtCount > 0) await this.mini.vacuum();
    const dir = searchDir(this.paths);
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      own(dir);
    }
    writeFileDurable(
      indexFile(this.paths),
      `${JSON.stringify(this.manifest)}\n${JSON.stringify(this.mini)}`,
      {
        mode: 0o600,
        fsync: false,
      },
    );
  }

  /** The sessions indexed whose id starts with `prefix`. */
  sessionsMatching(prefix: string): string[] {
    return Object.keys(this.manifest.sessions).filter((s) => s.startsWith(prefix));
  }

  /** Resolves a session id or unique prefix, or throws a message that says what to do. */
  resolveSession(idOrPrefix: string): string {
    if (this.manifest.sessions[idOrPrefix]) return idOrPrefix;
    const m = this.sessionsMatching(idOrPrefix);
    if (m.length === 1) return m[0];
    if (m.length === 0)
      throw new Error(
        `no session '${idOrPrefix}' on the agent-tracking branch (see \`agent-track sessions\`)`,
      );
    throw new Error(`'${idOrPrefix}' matches ${m.length} sessions; give more of the id`);
  }

  session(id: string): { firstPrompt: string | null; started: string | null; author: string | null } | null {
    const e = this.manifest.sessions[id];
    return e ? { firstPrompt: e.firstPrompt, started: e.started, author: e.author } : null;
  }

  /** Ranked hits: every term must match (prefix and fuzzy), else any term does. */
  search(query: string, opts: SearchOptions = {}): Hit[] {
    const limit = opts.limit ?? 10;
    const session = opts.session ? this.resolveSession(opts.session) : undefined;
    if (opts.type && !HIT_TYPES.includes(opts.type))
      throw new Error(`unknown type '${opts.type}' (one of ${HIT_TYPES.join(', ')})`);
    const filter = (r: SearchResult) =>
      (!session || r.session === session) && (!opts.type || r.type === opts.type);
    const run = (combineWith: 'AND' | 'OR', fuzzy: boolean) =>
      this.mini.search(query, {
        filter,
        combineWith,
        prefix: (t) => t.length >= 3,
        fuzzy: fuzzy ? (t) => (t.length >= 6 ? 0.15 : false) : false,
      });
    // fuzzy matching walks the whole vocabulary: only when the exact terms (and prefixes) find nothing
    let results = run('AND', false);
    if (!results.length) results = run('AND', true);
    if (!results.length) results = run('OR', true);
    return results.slice(0, limit).map((r) => ({
      session: r.session,
      agent: r.agent,
      agentType: r.agentType,
      type: r.type,
      ts: r.ts,
      snippet: snippetOf(String(r.stored ?? ''), r.terms),
      score: Math.round(r.score * 1000) / 1000,
    }));
  }

  /**
   * Earlier errors like `message`: those of the same pattern (paths, ids and numbers masked, as the
   * phase review groups them) first, newest first; then errors sharing its words. Each with what its
   * agent did next and whether that worked.
   */
  similarErrors(
    message: string,
    opts: { limit?: number; excludeSession?: string } = {},
  ): Array<ErrorRecord & { match: 'pattern' | 'words'; score: number }> {
    const limit = opts.limit ?? 5;
    const pattern = errorPattern(message);
    const all = Object.values(this.manifest.sessions).flatMap((e) => e.errors);
    const byId = new Map(all.map((e) => [e.id, e]));
    const keep = (e: ErrorRecord) => e.session !== opts.excludeSession;
    type Similar = ErrorRecord & { match: 'pattern' | 'words'; score: number };
    // the same pattern, or one holding the other (an agent quotes the line it saw, the record has
    // Claude Code's "Exit code N" before it)
    const loose = (p: string) => p.replace(/['"`]/g, '').replace(/\s+/g, ' ').trim();
    const core = loose(pattern);
    const samePattern = (p: string) => {
      if (p === pattern) return true;
      const l = loose(p);
      return (core.length >= 16 && l.includes(core)) || (l.length >= 16 && core.includes(l));
    };
    const same: Similar[] = all
      .filter((e) => keep(e) && samePattern(e.pattern))
      .sort((a, b) => b.ts.localeCompare(a.ts))
      .map((e) => ({ ...e, match: 'pattern', score: 1 }));
    const out = same.slice(0, limit);
    if (out.length < limit) {
      const taken = new Set(out.map((e) => e.id));
      const words = this.mini
        .search(pattern.replace(/<(path|id|n)>/g, ' '), {
          filter: (r) => r.type === 'error',
          combineWith: 'OR',
          fuzzy: 0.1,
        })
        .filter(
          (r) =>
            byId.has(String(r.id)) && !taken.has(String(r.id)) && keep(byId.get(String(r.id)) as ErrorRecord),
        );
      const top = words[0]?.score ?? 1;
      for (const r of words.slice(0, limit - out.length))
        out.push({
          ...(byId.get(String(r.id)) as ErrorRecord),
          match: 'words',
          score: Math.round((r.score / top) * 0.9 * 1000) / 1000,
        });
    }
    return out.map(({ watched: _w, done: _d, ...e }) => ({
      ...e,
      message: redactText(e.message, { pass: 'full' }),
      action: e.action ? redactText(e.action, { pass: 'full' }) : null,
      next: e.next.map((n) => ({ ...n, action: redactText(n.action, { pass: 'full' }) })),
    }));
  }

  /**
   * The file changes that touched `file` (a path relative to the repository), newest first, each
   * with the decision its tool call followed when one was recorded, and whether the change's hunks
   * cover `line` (until line attribution exists, the closest answer to "why is this line here").
   */
  fileHistory(file: string, line?: number, limit = 3) {
    const want = file.replace(/^\.\//, '');
    const changes = this.mini
      .search(MiniSearch.wildcard, {
        filter: (r) => r.type === 'file' && (r.path === want || String(r.path).endsWith(`/${want}`)),
      })
      .map((r) => ({
        id: String(r.id),
        session: String(r.session),
        agent: String(r.agent),
        agentType: String(r.agentType),
        ts: String(r.ts),
        path: String(r.path),
        ref: r.ref ? String(r.ref) : null,
        stored: String(r.stored ?? ''),
      }));
    const decisions = new Map<string, string>();
    const refsWanted = new Set(changes.map((c) => `${c.session}\0${c.ref}`));
    if (refsWanted.size)
      for (const r of this.mini.search(MiniSearch.wildcard, {
        filter: (x) => x.type === 'decision' && !!x.ref,
      }))
        if (refsWanted.has(`${r.session}\0${r.ref}`))
          decisions.set(`${r.session}\0${r.ref}`, String(r.stored ?? ''));
    const out = changes.map((c) => {
      const covers = line === undefined ? null : hunksCover(c.stored, line);
      const decision = decisions.get(`${c.session}\0${c.ref}`);
      return {
        session: c.session,
        agent: c.agent,
        agentType: c.agentType,
        ts: c.ts,
        path: c.path,
        operation: c.stored.split('\n')[1] ?? null,
        touchesLine: covers,
        decision: decision ? snippetOf(decision, [], 200) : null,
        diff: snippetOf(c.stored.split('\n').slice(2).join('\n'), [], 240),
      };
    });
    out.sort(
      (a, b) => Number(b.touchesLine === true) - Number(a.touchesLine === true) || b.ts.localeCompare(a.ts),
    );
    return { total: out.length, changes: out.slice(0, limit) };
  }
}

/** Whether a unified diff's new-side hunks (`@@ -a,b +c,d @@`) cover `line`; null when it has none. */
export function hunksCover(diff: string, line: number): boolean | null {
  let any = false;
  for (const m of diff.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    any = true;
    const start = Number(m[1]);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    if (line >= start && line < start + Math.max(count, 1)) return true;
  }
  return any ? false : null;
}

/**
 * Brings the index up to the branch tip, after a flush or a pull (never in the hook). A failure
 * here never fails what ran before it: search builds what is missing when it is asked.
 */
export async function refreshSearchIndex(paths: RepoPaths): Promise<UpdateResult | null> {
  try {
    if (!readRef(paths.commonDir, TRACKING_REF)) return null;
    const index = SearchIndex.load(paths) ?? SearchIndex.empty(paths);
    return await index.update(await TrackingBranch.open(paths));
  } catch {
    return null;
  }
}
