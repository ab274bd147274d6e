/**
 * The branch as plain files for DuckDB's `read_json`: a mirror under
 * `<git common dir>/agent-tracking/cache/jsonl/`, brought up to date incrementally (a segment is
 * immutable, so a file already there from the same blob is kept). Blobs are streamed out of git
 * with one `git cat-file --batch` process: nothing holds the whole branch in memory, and it reads
 * packed objects as fast as git does.
 *
 * What SQL reads is the one read model every other surface reads: each event as canonical.ts gives
 * it (agent types filled in, tool outcomes, refusals not errors, an earlier release's shapes read as
 * this one's), and each session.json as the branch reader derives it (migrated, priced at today's
 * table with the config's overrides).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalEvent } from '../model/canonical.js';
import { addUsage, totalSpend, type UsageCells, usageAgentType } from '../model/figures.js';
import type { PriceTable } from '../model/pricing.js';
import { catFiles } from '../store/cat.js';
import { adoptOwnership, mkdirOwned, own } from '../store/owner.js';
import type { RepoPaths } from '../store/paths.js';
import { TRACKING_REF } from '../store/paths.js';
import { TrackingBranch } from '../store/reader.js';

export interface ExportResult {
  dir: string;
  segments: number;
  written: number;
  sessions: number;
}

const manifestName = 'manifest.json';

function lsTree(paths: RepoPaths, ref: string): Array<{ oid: string; path: string }> {
  const out: Array<{ oid: string; path: string }> = [];
  const r = spawnSync('git', ['ls-tree', '-r', '-z', ref, '--', 'phases'], {
    cwd: paths.workTree,
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`git ls-tree failed: ${String(r.stderr).trim()}`);
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    // <mode> SP <type> SP <oid> TAB <path>
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, type, oid] = entry.slice(0, tab).split(' ');
    const p = entry.slice(tab + 1);
    if (type === 'blob' && (/\/events\/\d+\.jsonl$/.test(p) || /\/session\.json$/.test(p)))
      out.push({ oid, path: p });
  }
  return out;
}

const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16);

/** A usage event's cost at `prices` (null: unpriced), unrounded, as the figures sum it. */
function usageCost(e: any, prices: PriceTable): number | null {
  const cells: UsageCells = {};
  addUsage(cells, e, usageAgentType(e));
  const s = totalSpend(Object.values(cells), prices);
  return s.unpricedTokens > 0 ? null : s.units / 1e10;
}

/** A segment's lines as canonical events (one JSON object a line), usage priced at `prices`. */
function canonicalSegment(data: Buffer, agentTypes: Record<string, string>, prices: PriceTable): string {
  let out = '';
  for (const line of data.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    let e: any;
    try {
      e = JSON.parse(line);
    } catch {
      continue; // not an event line
    }
    for (const c of canonicalEvent(e, agentTypes)) {
      if (c.type === 'usage') c.costUsd = usageCost(c, prices);
      out += `${JSON.stringify(c)}\n`;
    }
  }
  return out;
}

/** Brings the JSONL mirror up to the branch tip; returns where it is. */
export async function exportBranch(paths: RepoPaths, branch?: TrackingBranch): Promise<ExportResult> {
  const dir = path.join(paths.trackingDir, 'cache', 'jsonl');
  // as root in another user's repository the mirror is the owner's, or their next query could not update it
  adoptOwnership(paths.commonDir, paths.workTree);
  mkdirOwned(dir);
  const manifestFile = path.join(dir, manifestName);
  let manifest: Record<string, string> = {};
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    manifest = {};
  }
  const entries = lsTree(paths, TRACKING_REF);
  const reader = entries.length ? (branch ?? (await TrackingBranch.open(paths))) : null;
  const summaries = reader ? await reader.sessions() : [];
  const pricesKey = reader ? hash(JSON.stringify(reader.prices.overrides)) : '';
  const byDir = new Map(summaries.map((s) => [s.dir, s]));
  const folderOf = (p: string) => p.replace(/\/(events\/\d+\.jsonl|session\.json)$/, '');
  const typesKey = new Map(summaries.map((s) => [s.dir, hash(JSON.stringify(s.agentTypes ?? {}))]));
  const wanted = new Set(entries.map((e) => e.path));
  // files of the branch no longer there (a phase archived): gone from the mirror too
  for (const p of Object.keys(manifest)) {
    if (wanted.has(p)) continue;
    fs.rmSync(path.join(dir, p), { force: true });
    delete manifest[p];
  }
  const made = new Set<string>();
  const write = (p: string, data: string | Buffer) => {
    const file = path.join(dir, p);
    const parent = path.dirname(file);
    if (!made.has(parent)) {
      mkdirOwned(parent);
      made.add(parent);
    }
    fs.writeFileSync(file, data);
    own(file);
  };
  let written = 0;
  // session.json: the reader's summary (one JSON document per file)
  for (const e of entries.filter((x) => x.path.endsWith('/session.json'))) {
    const s = byDir.get(folderOf(e.path));
    if (!s) continue;
    const { cells: _cells, errorToolUseIds: _e, failedToolUseIds: _f, ...rest } = s;
    const text = JSON.stringify(rest);
    const key = hash(text);
    if (manifest[e.path] === key && fs.existsSync(path.join(dir, e.path))) continue;
    write(e.path, text);
    manifest[e.path] = key;
    written++;
  }
  // segments: canonical events, redone when the blob or the session's agent types change
  const segKey = (e: { oid: string; path: string }) =>
    `${e.oid}:${typesKey.get(folderOf(e.path)) ?? ''}:${pricesKey}`;
  const todo = entries.filter(
    (e) =>
      e.path.endsWith('.jsonl') && (manifest[e.path] !== segKey(e) || !fs.existsSync(path.join(dir, e.path))),
  );
  await catFiles(
    paths,
    todo.map((e) => e.oid),
    (i, data) => {
      const e = todo[i];
      write(e.path, canonicalSegment(data, byDir.get(folderOf(e.path))?.agentTypes ?? {}, reader!.prices));
      manifest[e.path] = segKey(e);
    },
  );
  written += todo.length;
  const tmp = `${manifestFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(manifest));
  own(tmp);
  fs.renameSync(tmp, manifestFile);
  return {
    dir,
    segments: entries.filter((e) => e.path.endsWith('.jsonl')).length,
    written,
    sessions: entries.filter((e) => e.path.endsWith('/session.json')).length,
  };
}
