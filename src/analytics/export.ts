/**
 * The branch's event segments as plain files for DuckDB's `read_json`: a mirror under
 * `<git common dir>/agent-tracking/cache/jsonl/`, brought up to date incrementally (a segment is
 * immutable, so a file already there with the same blob id is kept). Blobs are streamed out of git
 * with one `git cat-file --batch` process: nothing holds the whole branch in memory, and it reads
 * packed objects as fast as git does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catFiles } from '../store/cat.js';
import type { RepoPaths } from '../store/paths.js';
import { TRACKING_REF } from '../store/paths.js';

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

/** Brings the JSONL mirror up to the branch tip; returns where it is. */
export async function exportBranch(paths: RepoPaths): Promise<ExportResult> {
  const dir = path.join(paths.trackingDir, 'cache', 'jsonl');
  fs.mkdirSync(dir, { recursive: true });
  const manifestFile = path.join(dir, manifestName);
  let manifest: Record<string, string> = {};
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    manifest = {};
  }
  const entries = lsTree(paths, TRACKING_REF);
  const wanted = new Set(entries.map((e) => e.path));
  // files of the branch no longer there (a phase archived): gone from the mirror too
  for (const p of Object.keys(manifest)) {
    if (wanted.has(p)) continue;
    fs.rmSync(path.join(dir, p), { force: true });
    delete manifest[p];
  }
  const todo = entries.filter((e) => manifest[e.path] !== e.oid || !fs.existsSync(path.join(dir, e.path)));
  const made = new Set<string>();
  await catFiles(
    paths,
    todo.map((e) => e.oid),
    (i, data) => {
      const file = path.join(dir, todo[i].path);
      const parent = path.dirname(file);
      if (!made.has(parent)) {
        fs.mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      // session.json is pretty-printed: DuckDB reads it as one JSON document per file
      fs.writeFileSync(file, data);
      manifest[todo[i].path] = todo[i].oid;
    },
  );
  const tmp = `${manifestFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(manifest));
  fs.renameSync(tmp, manifestFile);
  return {
    dir,
    segments: entries.filter((e) => e.path.endsWith('.jsonl')).length,
    written: todo.length,
    sessions: entries.filter((e) => e.path.endsWith('/session.json')).length,
  };
}
