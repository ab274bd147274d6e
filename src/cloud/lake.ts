/**
 * An organisation's lake (`agent-track archive --lake`): besides archiving old phases, the current
 * ones (every phase on the branch tip without `ARCHIVED.json`) are exported as Parquet per view under
 * the archive's own Hive-style keys,
 *
 *   <prefix>/repo=<owner-repo>/phase=<name>/<view>/part-0.parquet   (STANDARD: read in place)
 *   <prefix>/repo=<owner-repo>/phase=<name>/lake.json               (what was exported, from which tip)
 *
 * so every repository of an organisation writes its partition under one prefix, and DuckDB, Athena,
 * Trino or Spark read them all. A phase has one set of objects whether it is current or archived: a
 * re-export replaces its objects in place, and `archive` later writes the same keys (skipping the
 * objects whose sha256 is already there), then removes lake.json. Idempotent: rows are exported in a
 * fixed order, so an unchanged phase gives the same bytes and nothing is uploaded.
 *
 * What goes up is what the branch holds (the DuckDB views over the branch's JSONL, redacted when it
 * was committed); the spool is never read. A clone whose branch is behind the one that exported a
 * phase (the exported tip is not in its history, and it holds no more events of the phase) leaves
 * that phase alone rather than take it back.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openAnalytics } from '../analytics/duckdb.js';
import { ObjectStore } from '../store/git.js';
import { mkdirOwned } from '../store/owner.js';
import { type RepoPaths, readRef, TRACKING_REF } from '../store/paths.js';
import { TreeEditor } from '../store/tree.js';
import {
  type ArchiveOptions,
  exportParquet,
  headObject,
  LAKE_MARKER,
  LAKE_STORAGE_CLASS,
  type LocalObject,
  phasePrefix,
  uploadObjects,
} from './archive.js';
import { repoKey } from './repo-key.js';
import { s3Client, s3Errors, s3Message } from './s3.js';

export interface LakeMarker {
  version: 1;
  repo: string;
  phase: string;
  /** The phase folder's tree and the branch commit it was exported from. */
  treeOid: string;
  tip: string;
  objects: Array<{ key: string; view: string; rows: number; bytes: number; sha256: string }>;
}

export interface LakePhase {
  phase: string;
  /**
   * exported: objects uploaded; unchanged: S3 held these very bytes; archived: the phase has an archive
   * manifest (archive owns it); behind: S3 holds an export from a tip this clone does not have.
   */
  outcome: 'exported' | 'unchanged' | 'archived' | 'behind';
  prefix: string;
  uploaded: number;
  unchanged: number;
  bytes: number;
  rows: Record<string, number>;
}

export interface LakeResult {
  repo: string;
  bucket: string;
  prefix: string;
  phases: LakePhase[];
  dryRun: boolean;
}

const gitOk = (paths: RepoPaths, args: string[]) =>
  spawnSync('git', args, { cwd: paths.workTree, stdio: 'ignore' }).status === 0;

/** The current phases: folders of the tip without ARCHIVED.json, with their tree ids. */
async function currentPhases(paths: RepoPaths): Promise<{ tip: string; phases: Map<string, string> }> {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) throw new Error("nothing recorded yet: this clone has no 'agent-tracking' branch");
  const store = new ObjectStore(paths.commonDir);
  const tree = new TreeEditor(store, (await store.readCommit(tip)).tree);
  const phases = new Map<string, string>();
  for (const e of (await tree.list('phases')) ?? []) {
    if (e.type !== 'tree') continue;
    const files = (await tree.list(`phases/${e.path}`)) ?? [];
    if (files.some((f) => f.path === 'ARCHIVED.json')) continue;
    if (!files.some((f) => f.path === 'sessions')) continue; // a phase with no session yet: nothing to export
    phases.set(e.path, e.oid);
  }
  return { tip, phases };
}

/** Exports the current phases to the lake; `exclude`: phases the same run archives (a dry run). */
export async function exportLake(
  paths: RepoPaths,
  opts: ArchiveOptions & { exclude?: string[] },
): Promise<LakeResult> {
  const progress = opts.onProgress ?? (() => {});
  const repo = repoKey(paths, opts.repo);
  const { tip, phases } = await currentPhases(paths);
  for (const name of opts.exclude ?? []) phases.delete(name);
  const result: LakeResult = {
    repo,
    bucket: opts.bucket,
    prefix: opts.prefix,
    phases: [],
    dryRun: Boolean(opts.dryRun),
  };
  if (!phases.size) return result;
  const c = await s3Client();
  const send = s3Errors(opts.bucket);
  mkdirOwned(paths.trackingDir);
  const work = fs.mkdtempSync(path.join(paths.trackingDir, 'lake-'));
  progress('lake: reading the branch');
  const db = await openAnalytics(paths);
  try {
    for (const [phase, treeOid] of phases) {
      const base = phasePrefix(opts.prefix, repo, phase);
      const entry: LakePhase = {
        phase,
        outcome: 'unchanged',
        prefix: base,
        uploaded: 0,
        unchanged: 0,
        bytes: 0,
        rows: {},
      };
      result.phases.push(entry);
      // archived by another clone (whose prune this one has not fetched yet): archive owns the keys
      if (await headObject(c, opts.bucket, `${base}/manifest.json`)) {
        entry.outcome = 'archived';
        continue;
      }
      progress(`lake: exporting ${phase}`);
      const dir = fs.mkdtempSync(path.join(work, 'phase-'));
      const objects = await exportParquet(db, phase, base, dir);
      entry.rows = Object.fromEntries(objects.map((o) => [o.view!, o.rows!]));
      entry.bytes = objects.reduce((a, o) => a + o.bytes, 0);
      const previous = await readLakeMarker(c, opts.bucket, `${base}/${LAKE_MARKER}`);
      const marker: LakeMarker = {
        version: 1,
        repo,
        phase,
        treeOid,
        tip,
        objects: objects.map((o) => ({
          key: o.key,
          view: o.view!,
          rows: o.rows!,
          bytes: o.bytes,
          sha256: o.sha256,
        })),
      };
      const same = (p: LakeMarker | null) =>
        p !== null &&
        p.objects.length === marker.objects.length &&
        p.objects.every((o, i) => o.key === marker.objects[i].key && o.sha256 === marker.objects[i].sha256);
      // S3 holds an export from a tip this clone does not have (its branch is behind another's) and
      // it would add nothing: leave it. A tip outside our history with fewer events than ours is an
      // older state of the phase (or the history before a compaction): ours replaces it.
      const theirEvents = previous?.objects.find((o) => o.view === 'events')?.rows ?? 0;
      if (
        previous &&
        !same(previous) &&
        previous.tip !== tip &&
        !(
          gitOk(paths, ['cat-file', '-e', `${previous.tip}^{commit}`]) &&
          gitOk(paths, ['merge-base', '--is-ancestor', previous.tip, tip])
        ) &&
        theirEvents >= (entry.rows.events ?? 0)
      ) {
        entry.outcome = 'behind';
        continue;
      }
      if (opts.dryRun) {
        entry.outcome = same(previous) ? 'unchanged' : 'exported';
        entry.unchanged = same(previous) ? objects.length : 0;
        entry.uploaded = objects.length - entry.unchanged;
        continue;
      }
      const up = await uploadObjects(c, opts.bucket, objects, {
        storageClass: () => LAKE_STORAGE_CLASS,
        send,
        progress: (m) => progress(`lake: ${phase}: ${m}`),
      });
      entry.uploaded = up.uploaded.length;
      entry.unchanged = up.unchanged.length;
      // the marker changes only with what it lists: an unchanged phase writes nothing, not even it
      if (up.uploaded.length || !same(previous)) {
        await writeLakeMarker(c, opts.bucket, `${base}/${LAKE_MARKER}`, marker, send);
        entry.outcome = 'exported';
      }
      await verifyAll(c, opts.bucket, objects);
    }
  } finally {
    db.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  return result;
}

async function readLakeMarker(
  { client, sdk }: Awaited<ReturnType<typeof s3Client>>,
  bucket: string,
  key: string,
): Promise<LakeMarker | null> {
  try {
    const got = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await got.Body!.transformToString()) as LakeMarker;
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') return null;
    if (e instanceof SyntaxError) return null; // not ours, or cut: rewritten below
    throw new Error(s3Message(e, bucket));
  }
}

async function writeLakeMarker(
  { client, sdk }: Awaited<ReturnType<typeof s3Client>>,
  bucket: string,
  key: string,
  marker: LakeMarker,
  send: <T>(p: Promise<T>) => Promise<T>,
): Promise<void> {
  const body = `${JSON.stringify(marker, null, 2)}\n`;
  await send(
    client.send(
      new sdk.PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        Metadata: { sha256: createHash('sha256').update(body).digest('hex') },
      }),
    ),
  );
}

/** Every object is in S3 with our size and sha256 (what was skipped as much as what was sent). */
async function verifyAll(
  c: Awaited<ReturnType<typeof s3Client>>,
  bucket: string,
  objects: LocalObject[],
): Promise<void> {
  for (const o of objects) {
    const h = await headObject(c, bucket, o.key);
    if (!h || h.bytes !== o.bytes || h.sha256 !== o.sha256)
      throw new Error(`s3://${bucket}/${o.key} does not match what was exported; run archive --lake again`);
  }
}
