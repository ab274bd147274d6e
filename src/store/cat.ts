/**
 * Blobs streamed out of one `git cat-file --batch` process: nothing holds the whole branch in memory,
 * and it reads packed objects as fast as git does (isomorphic-git would read a whole pack to reach one).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { RepoPaths } from './paths.js';

/** Streams blobs out of `git cat-file --batch`, calling `onBlob` for each, in the order of `oids`. */
export function catFiles(
  paths: RepoPaths,
  oids: string[],
  onBlob: (i: number, data: Buffer) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: paths.workTree,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // chunks are kept in a list until an object is complete: concatenating on every chunk would copy a
    // large blob over and over
    let chunks: Buffer[] = [];
    let have = 0;
    let i = 0;
    let need: number | null = null;
    let failed = false;
    let err = '';
    const flatten = (): Buffer => {
      const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, have);
      chunks = [all];
      return all;
    };
    const keep = (rest: Buffer) => {
      chunks = rest.length ? [rest] : [];
      have = rest.length;
    };
    const fail = (e: unknown) => {
      failed = true;
      child.kill();
      reject(e);
    };
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      chunks.push(chunk);
      have += chunk.length;
      for (;;) {
        if (need === null) {
          if (!have) return;
          const all = flatten();
          const nl = all.indexOf(10);
          if (nl < 0) return;
          const header = all.subarray(0, nl).toString('utf8');
          keep(all.subarray(nl + 1));
          const size = Number(header.split(' ')[2]);
          if (!Number.isFinite(size)) return fail(new Error(`git cat-file: ${header}`));
          need = size;
        }
        if (have < need + 1) return;
        const all = flatten();
        const data = all.subarray(0, need);
        keep(all.subarray(need + 1));
        need = null;
        try {
          onBlob(i++, data);
        } catch (e) {
          return fail(e);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (failed) return;
      if (code === 0 && i === oids.length) resolve();
      else reject(new Error(`git cat-file failed: ${err.trim()}`));
    });
    child.stdin.end(oids.map((o) => `${o}\n`).join(''));
  });
}

export interface TreeBlob {
  oid: string;
  path: string;
  size: number;
}

/** The blobs under `prefix` at `ref` (`git ls-tree -r -l`), with their sizes. */
export function lsTreeBlobs(paths: RepoPaths, ref: string, prefix: string): TreeBlob[] {
  const r = spawnSync('git', ['ls-tree', '-r', '-l', '-z', ref, '--', prefix], {
    cwd: paths.workTree,
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`git ls-tree failed: ${String(r.stderr).trim()}`);
  const out: TreeBlob[] = [];
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    // <mode> SP <type> SP <oid> SP+ <size> TAB <path>
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, type, oid, size] = entry.slice(0, tab).split(/ +/);
    if (type === 'blob') out.push({ oid, path: entry.slice(tab + 1), size: Number(size) });
  }
  return out;
}
