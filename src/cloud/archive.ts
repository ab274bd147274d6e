/**
 * The cold tier: phases more than `keep` behind the current one go to S3 (Glacier Deep Archive by
 * default), then leave the branch tip. Each phase is written as Parquet per view (DuckDB's COPY) plus
 * its folder as a gzipped tar (`git archive` of its tree), under Hive-style keys
 *
 *   <prefix>/repo=<owner-repo>/phase=<name>/<view>/part-0.parquet
 *   <prefix>/repo=<owner-repo>/phase=<name>/raw/phase.tar.gz
 *   <prefix>/repo=<owner-repo>/phase=<name>/manifest.json      (STANDARD class: always readable)
 *
 * Order of work, so that a crash anywhere loses nothing: export, upload, verify every object
 * (HeadObject: size and our sha256), write the manifest last, verify it, and only then prune the phase
 * from the branch tip, leaving `phases/<name>/ARCHIVED.json` (and its phase.json and review). History
 * keeps the pruned files. A re-run finds a verified manifest of the same tree and skips to the prune.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import { type Analytics, openAnalytics } from '../analytics/duckdb.js';
import { listPhases } from '../analytics/phases.js';
import { redactBytes, redactForStore } from '../model/redact.js';
import { editBranch } from '../store/flush.js';
import { ObjectStore, type TreeEntry } from '../store/git.js';
import { type RepoPaths, readRef, TRACKING_REF } from '../store/paths.js';
import { TreeEditor } from '../store/tree.js';
import type { LakeResult } from './lake.js';
import { repoKey } from './repo-key.js';
import { s3Client, s3Errors, s3Message, sha256File } from './s3.js';

export const VIEWS = [
  'events',
  'sessions',
  'agents',
  'tool_calls',
  'usage',
  'errors',
  'file_changes',
  'decisions',
];
/** Files a pruned phase keeps on the branch tip: small, and what `phase list` and the reviews need. */
const KEPT = new Set(['phase.json', 'review.json', 'review.md', 'ended.json']);

export interface ArchiveObject {
  key: string;
  kind: 'parquet' | 'raw';
  view?: string;
  rows?: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  version: 1;
  repo: string;
  phase: string;
  bucket: string;
  prefix: string;
  storageClass: string;
  /** The Parquet's class when it differs (the lake keeps it queryable: STANDARD). */
  parquetStorageClass?: string;
  /** The phase folder's tree on the branch: a restore must rebuild exactly this. */
  treeOid: string;
  /** The branch commit it was archived from. */
  tip: string;
  createdAt: string;
  objects: ArchiveObject[];
  rows: Record<string, number>;
}

export interface ArchivedMarker {
  phase: string;
  bucket: string;
  prefix: string;
  manifestKey: string;
  treeOid: string;
  storageClass: string;
  objects: number;
  bytes: number;
  archivedAt: string;
}

export interface ArchiveOptions {
  bucket: string;
  prefix: string;
  keep: number;
  storageClass: string;
  dryRun?: boolean;
  /** Also export the current phases to the lake (lake.ts), and keep archived Parquet queryable. */
  lake?: boolean;
  /** `archive.repo`: the repo= key's name (repo-key.ts). */
  repo?: string | null;
  onProgress?: (message: string) => void;
}

/** The lake's storage class: Parquet an engine (Athena, Trino, DuckDB) reads in place. */
export const LAKE_STORAGE_CLASS = 'STANDARD';
/** `<phase prefix>/lake.json`: what the lake exported of a current phase (lake.ts). */
export const LAKE_MARKER = 'lake.json';

/** Each view's order in its Parquet: the same rows give the same bytes (the lake skips them then). */
const ORDER: Record<string, string> = {
  events: 'id',
  sessions: 'session',
  agents: 'session, agent, started NULLS FIRST, ended NULLS FIRST',
  tool_calls: 'id',
  usage: 'id',
  errors: 'id',
  file_changes: 'id',
  decisions: 'id',
};

export type LocalObject = ArchiveObject & { file: string };

/**
 * One Parquet file per view of a phase, in `work`, keyed under `base`; sized and hashed. Rows are
 * ordered, so an unchanged phase exports to the same bytes.
 */
export async function exportParquet(
  db: Analytics,
  phase: string,
  base: string,
  work: string,
): Promise<LocalObject[]> {
  const objects: LocalObject[] = [];
  const lit = `'${phase.replace(/'/g, "''")}'`;
  for (const view of VIEWS) {
    const file = path.join(work, `${view}.parquet`);
    const [{ n }] = (await db.query(`SELECT count(*)::BIGINT AS n FROM ${view} WHERE phase = ${lit}`))
      .rows as Array<{ n: number }>;
    await db.query(
      `COPY (SELECT * FROM ${view} WHERE phase = ${lit} ORDER BY ${ORDER[view]}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`,
    );
    objects.push({
      key: `${base}/${view}/part-0.parquet`,
      kind: 'parquet',
      view,
      rows: Number(n),
      file,
      bytes: fs.statSync(file).size,
      sha256: await sha256File(file),
    });
  }
  return objects;
}

type Client = Awaited<ReturnType<typeof s3Client>>;

/** What S3 holds at a key: its size, our sha256 and its class; null when there is nothing. */
export async function headObject(
  { client, sdk }: Client,
  bucket: string,
  key: string,
): Promise<{ bytes: number; sha256: string | null; storageClass: string } | null> {
  try {
    const h = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      bytes: h.ContentLength ?? 0,
      sha256: h.Metadata?.sha256 ?? null,
      storageClass: h.StorageClass ?? 'STANDARD',
    };
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404)
      return null;
    throw new Error(s3Message(e, bucket));
  }
}

/**
 * Uploads each object unless S3 holds it already with the same size, sha256 and class; returns how
 * many went and how many were there.
 */
export async function uploadObjects(
  c: Client,
  bucket: string,
  objects: LocalObject[],
  opts: {
    storageClass: (o: LocalObject) => string;
    send: <T>(p: Promise<T>) => Promise<T>;
    progress?: (m: string) => void;
    afterEach?: (n: number) => void;
  },
): Promise<{ uploaded: string[]; unchanged: string[] }> {
  const { Upload } = await import('@aws-sdk/lib-storage');
  const uploaded: string[] = [];
  const unchanged: string[] = [];
  let n = 0;
  for (const o of objects) {
    n++;
    const storageClass = opts.storageClass(o);
    const there = await headObject(c, bucket, o.key);
    if (
      there &&
      there.bytes === o.bytes &&
      there.sha256 === o.sha256 &&
      there.storageClass === storageClass
    ) {
      unchanged.push(o.key);
      continue;
    }
    opts.progress?.(
      `uploading ${path.posix.basename(path.posix.dirname(o.key))}/${path.posix.basename(o.key)} (${n}/${objects.length})`,
    );
    await opts.send(
      new Upload({
        client: c.client,
        params: {
          Bucket: bucket,
          Key: o.key,
          Body: fs.createReadStream(o.file),
          StorageClass: storageClass as never,
          Metadata: { sha256: o.sha256 },
          ContentType: o.kind === 'raw' ? 'application/gzip' : 'application/vnd.apache.parquet',
        },
        partSize: 8 * 1024 * 1024,
        queueSize: 4,
      }).done(),
    );
    uploaded.push(o.key);
    opts.afterEach?.(n);
  }
  return { uploaded, unchanged };
}

export const phasePrefix = (prefix: string, repo: string, phase: string) =>
  `${prefix ? `${prefix}/` : ''}repo=${repo}/phase=${phase}`;

export async function tipTree(paths: RepoPaths): Promise<{ tip: string; tree: TreeEditor }> {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) throw new Error("nothing recorded yet: this clone has no 'agent-tracking' branch");
  const store = new ObjectStore(paths.commonDir);
  return { tip, tree: new TreeEditor(store, (await store.readCommit(tip)).tree) };
}

async function phaseTreeOid(tree: TreeEditor, phase: string): Promise<string | null> {
  return (await tree.list('phases'))?.find((e) => e.path === phase && e.type === 'tree')?.oid ?? null;
}

export async function readMarker(tree: TreeEditor, phase: string): Promise<ArchivedMarker | null> {
  const text = await tree.readFile(`phases/${phase}/ARCHIVED.json`);
  return text ? (JSON.parse(text) as ArchivedMarker) : null;
}

/** The phases `archive` would take now: more than `keep` behind the current one, not archived yet. */
export async function archivablePhases(paths: RepoPaths, keep: number): Promise<string[]> {
  const phases = await listPhases(paths);
  const current = phases.findIndex((p) => p.current);
  const { tree } = await tipTree(paths);
  const out: string[] = [];
  for (const [i, p] of phases.entries()) {
    if (current < 0 || i >= current - keep) continue;
    if (await readMarker(tree, p.name)) continue;
    out.push(p.name);
  }
  return out;
}

/** `git archive` of the phase's folder (at the tip) as a gzipped tar. */
async function rawTar(paths: RepoPaths, tip: string, phase: string, file: string): Promise<void> {
  const child = spawn('git', ['archive', '--format=tar', `${tip}:phases/${phase}`], {
    cwd: paths.workTree,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  await pipeline(child.stdout, createGzip({ level: 6 }), fs.createWriteStream(file));
  if ((await done) !== 0) throw new Error(`git archive failed: ${err.trim()}`);
}

const fault = (name: string) => process.env.AGENT_TRACK_FAULT === name;

export interface PhaseArchiveResult {
  phase: string;
  manifestKey: string;
  objects: number;
  bytes: number;
  rawBytes: number;
  parquetBytes: number;
  rows: Record<string, number>;
  /** true when a verified manifest of the same tree was already there (a re-run after a crash). */
  resumed: boolean;
}

/** Archives one phase and prunes it from the tip. */
export async function archivePhase(
  paths: RepoPaths,
  phase: string,
  opts: ArchiveOptions,
): Promise<PhaseArchiveResult> {
  const progress = opts.onProgress ?? (() => {});
  const { tip, tree } = await tipTree(paths);
  const treeOid = await phaseTreeOid(tree, phase);
  if (!treeOid) throw new Error(`no phase '${phase}' on the agent-tracking branch`);
  const repo = repoKey(paths, opts.repo);
  const base = phasePrefix(opts.prefix, repo, phase);
  const manifestKey = `${base}/manifest.json`;
  const { client, sdk } = await s3Client();
  const send = s3Errors(opts.bucket);

  // a verified manifest of this very tree: the objects are there, only the prune is left
  let manifest: Manifest | null = null;
  try {
    const got = await client.send(new sdk.GetObjectCommand({ Bucket: opts.bucket, Key: manifestKey }));
    const m = JSON.parse(await got.Body!.transformToString()) as Manifest;
    if (m.treeOid === treeOid) manifest = m;
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name !== 'NoSuchKey' && name !== 'NotFound') throw new Error(s3Message(e, opts.bucket));
  }
  const resumed = manifest !== null;

  if (!manifest) {
    const work = fs.mkdtempSync(path.join(paths.trackingDir, 'archive-'));
    try {
      progress(`${phase}: exporting Parquet`);
      const db = await openAnalytics(paths);
      let objects: LocalObject[];
      try {
        objects = await exportParquet(db, phase, base, work);
      } finally {
        db.close();
      }
      const rows: Record<string, number> = Object.fromEntries(objects.map((o) => [o.view!, o.rows!]));
      const raw = path.join(work, 'phase.tar.gz');
      await rawTar(paths, tip, phase, raw);
      objects.push({
        key: `${base}/raw/phase.tar.gz`,
        kind: 'raw',
        file: raw,
        bytes: fs.statSync(raw).size,
        sha256: await sha256File(raw),
      });
      if (opts.dryRun)
        return {
          phase,
          manifestKey,
          objects: objects.length + 1,
          bytes: objects.reduce((a, o) => a + o.bytes, 0),
          rawBytes: objects.find((o) => o.kind === 'raw')!.bytes,
          parquetBytes: objects.filter((o) => o.kind === 'parquet').reduce((a, o) => a + o.bytes, 0),
          rows,
          resumed: false,
        };
      // with the lake on, the Parquet stays queryable (it is the lake's copy of the phase, and an
      // object the lake wrote already with the same sha256 is not sent again); the raw files go cold
      const parquetClass = opts.lake ? LAKE_STORAGE_CLASS : opts.storageClass;
      await uploadObjects({ client, sdk }, opts.bucket, objects, {
        storageClass: (o) => (o.kind === 'parquet' ? parquetClass : opts.storageClass),
        send,
        progress: (m) => progress(`${phase}: ${m}`),
        afterEach: (n) => {
          if (fault(`archive-kill-after-${n}`)) process.kill(process.pid, 'SIGKILL');
        },
      });
      await verify(client, sdk, opts.bucket, objects, send);
      manifest = {
        version: 1,
        repo,
        phase,
        bucket: opts.bucket,
        prefix: opts.prefix,
        storageClass: opts.storageClass,
        ...(opts.lake ? { parquetStorageClass: LAKE_STORAGE_CLASS } : {}),
        treeOid,
        tip,
        createdAt: new Date().toISOString(),
        objects: objects.map(({ file: _f, ...o }) => o),
        rows,
      };
      const body = `${JSON.stringify(manifest, null, 2)}\n`;
      const sha = createHash('sha256').update(body).digest('hex');
      await send(
        client.send(
          new sdk.PutObjectCommand({
            Bucket: opts.bucket,
            Key: manifestKey,
            Body: body,
            ContentType: 'application/json',
            Metadata: { sha256: sha },
          }),
        ),
      );
      await verify(
        client,
        sdk,
        opts.bucket,
        [{ key: manifestKey, bytes: Buffer.byteLength(body), sha256: sha }],
        send,
      );
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  } else {
    progress(`${phase}: a verified manifest is there already (an earlier run); checking its objects`);
    await verify(client, sdk, opts.bucket, manifest.objects, send);
  }
  // the lake's record of the phase as it was current: the manifest is the record from now on
  await client
    .send(new sdk.DeleteObjectCommand({ Bucket: opts.bucket, Key: `${base}/${LAKE_MARKER}` }))
    .catch(() => {});
  if (fault('archive-kill-before-prune')) process.kill(process.pid, 'SIGKILL');

  const marker: ArchivedMarker = {
    phase,
    bucket: opts.bucket,
    prefix: opts.prefix,
    manifestKey,
    treeOid,
    storageClass: manifest.storageClass,
    objects: manifest.objects.length + 1,
    bytes: manifest.objects.reduce((a, o) => a + o.bytes, 0),
    archivedAt: new Date().toISOString(),
  };
  progress(`${phase}: pruning it from the branch tip`);
  await editBranch(
    paths,
    `agent-track: archive ${phase} to s3://${opts.bucket}/${manifestKey}`,
    async (t) => {
      const now = await phaseTreeOid(t, phase);
      if (now !== treeOid) throw new Error(`phase ${phase} changed while it was archived; run archive again`);
      for (const e of (await t.list(`phases/${phase}`)) ?? [])
        if (!KEPT.has(e.path)) await t.remove(`phases/${phase}/${e.path}`);
      t.stageFile(`phases/${phase}/ARCHIVED.json`, redactForStore(`${JSON.stringify(marker, null, 2)}\n`));
    },
  );
  return {
    phase,
    manifestKey,
    objects: marker.objects,
    bytes: marker.bytes,
    rawBytes: manifest.objects.find((o) => o.kind === 'raw')?.bytes ?? 0,
    parquetBytes: manifest.objects.filter((o) => o.kind === 'parquet').reduce((a, o) => a + o.bytes, 0),
    rows: manifest.rows,
    resumed,
  };
}

/** HeadObject on each: the size and our sha256 must be what we uploaded. */
export async function verify(
  client: Awaited<ReturnType<typeof s3Client>>['client'],
  sdk: Awaited<ReturnType<typeof s3Client>>['sdk'],
  bucket: string,
  objects: Array<{ key: string; bytes: number; sha256: string }>,
  send: <T>(p: Promise<T>) => Promise<T>,
): Promise<void> {
  for (const o of objects) {
    const h = await send(client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: o.key })));
    if (h.ContentLength !== o.bytes || h.Metadata?.sha256 !== o.sha256)
      throw new Error(
        `s3://${bucket}/${o.key} does not match what was uploaded (${h.ContentLength} bytes, sha256 ${h.Metadata?.sha256 ?? 'missing'}); nothing was pruned`,
      );
  }
}

/** Archives every phase more than `keep` behind the current one. */
export async function archive(
  paths: RepoPaths,
  opts: ArchiveOptions,
): Promise<{ phases: PhaseArchiveResult[]; dryRun: boolean; lake?: LakeResult }> {
  const names = await archivablePhases(paths, opts.keep);
  const phases: PhaseArchiveResult[] = [];
  for (const name of names) phases.push(await archivePhase(paths, name, opts));
  if (!opts.lake) return { phases, dryRun: Boolean(opts.dryRun) };
  // after the archive: the phases it just took are archived ones now, not current ones
  const { exportLake } = await import('./lake.js');
  const exclude = opts.dryRun ? names : []; // a dry run pruned nothing: they are not current ones
  return { phases, dryRun: Boolean(opts.dryRun), lake: await exportLake(paths, { ...opts, exclude }) };
}

/** The archived phases, from their markers on the branch. */
export async function listArchived(paths: RepoPaths): Promise<ArchivedMarker[]> {
  const { tree } = await tipTree(paths);
  const out: ArchivedMarker[] = [];
  for (const e of (await tree.list('phases')) ?? []) {
    if (e.type !== 'tree') continue;
    const m = await readMarker(tree, e.path);
    if (m) out.push(m);
  }
  return out.sort((a, b) => a.archivedAt.localeCompare(b.archivedAt));
}

/** Files of a tar (ustar, with pax extended headers for long names), as git archive writes it. */
export function parseTar(buf: Buffer): Array<{ path: string; mode: number; data: Buffer }> {
  const out: Array<{ path: string; mode: number; data: Buffer }> = [];
  let at = 0;
  let paxPath: string | null = null;
  const str = (o: number, n: number) => buf.toString('utf8', o, o + n).replace(/\0.*$/s, '');
  while (at + 512 <= buf.length) {
    if (buf.subarray(at, at + 512).every((b) => b === 0)) break;
    const name = str(at, 100);
    const mode = Number.parseInt(str(at + 100, 8).trim() || '0', 8);
    const size = Number.parseInt(str(at + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(buf[at + 156] || 48);
    const prefix = str(at + 345, 155);
    const data = buf.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      for (const rec of data.toString('utf8').split('\n')) {
        const m = /^\d+ path=(.*)$/.exec(rec);
        if (m) paxPath = m[1];
      }
      continue;
    }
    if (type === 'g') continue;
    const full = paxPath ?? (prefix ? `${prefix}/${name}` : name);
    paxPath = null;
    if (type === '0' || type === '\0') out.push({ path: full.replace(/^\.\//, ''), mode, data });
  }
  return out;
}

/** Builds the tree of a folder's files; returns its oid. */
function buildTree(store: ObjectStore, files: Array<{ path: string; mode: number; data: Buffer }>): string {
  interface Dir {
    files: TreeEntry[];
    dirs: Map<string, Dir>;
  }
  const root: Dir = { files: [], dirs: new Map() };
  for (const f of files) {
    const parts = f.path.split('/').filter(Boolean);
    let d = root;
    for (const p of parts.slice(0, -1)) {
      if (!d.dirs.has(p)) d.dirs.set(p, { files: [], dirs: new Map() });
      d = d.dirs.get(p)!;
    }
    d.files.push({
      mode: f.mode & 0o111 ? '100755' : '100644',
      path: parts.at(-1)!,
      oid: store.writeBlobSync(redactBytes(f.data)),
      type: 'blob',
    });
  }
  const write = (d: Dir): string =>
    store.writeTreeSync([
      ...d.files,
      ...[...d.dirs].map(([name, sub]) => ({
        mode: '040000',
        path: name,
        oid: write(sub),
        type: 'tree' as const,
      })),
    ]);
  return write(root);
}

export interface RestoreResult {
  phase: string;
  /** 'restored': laid back on the branch; 'requested': Glacier restores started; 'in-progress': already started. */
  outcome: 'restored' | 'requested' | 'in-progress';
  waiting: string[];
  /** When the restore should be ready (Deep Archive: Standard up to 12 hours, Bulk up to 48). */
  readyBy: string | null;
}

/**
 * Lays an archived phase back on the branch, byte for byte. What is still in Glacier answers
 * InvalidObjectState: a RestoreObject is issued for it and the command says when to run again.
 */
export async function restorePhase(
  paths: RepoPaths,
  phase: string,
  opts: { tier?: 'Standard' | 'Bulk'; days?: number; onProgress?: (m: string) => void } = {},
): Promise<RestoreResult> {
  const { tree } = await tipTree(paths);
  const marker = await readMarker(tree, phase);
  if (!marker) throw new Error(`phase '${phase}' is not archived (see \`agent-track archive list\`)`);
  const { client, sdk } = await s3Client();
  const send = s3Errors(marker.bucket);
  const manifestObj = await send(
    client.send(new sdk.GetObjectCommand({ Bucket: marker.bucket, Key: marker.manifestKey })),
  );
  const manifest = JSON.parse(await manifestObj.Body!.transformToString()) as Manifest;
  const raw = manifest.objects.find((o) => o.kind === 'raw');
  if (!raw) throw new Error(`the manifest of ${phase} lists no raw object`);
  const tier = opts.tier ?? 'Standard';
  let data: Buffer;
  try {
    opts.onProgress?.(`${phase}: downloading ${raw.key}`);
    const got = await client.send(new sdk.GetObjectCommand({ Bucket: marker.bucket, Key: raw.key }));
    data = Buffer.from(await got.Body!.transformToByteArray());
  } catch (e) {
    if ((e as { name?: string }).name !== 'InvalidObjectState') throw new Error(s3Message(e, marker.bucket));
    let outcome: RestoreResult['outcome'] = 'requested';
    try {
      await client.send(
        new sdk.RestoreObjectCommand({
          Bucket: marker.bucket,
          Key: raw.key,
          RestoreRequest: { Days: opts.days ?? 7, GlacierJobParameters: { Tier: tier } },
        }),
      );
    } catch (r) {
      if ((r as { name?: string }).name !== 'RestoreAlreadyInProgress')
        throw new Error(s3Message(r, marker.bucket));
      outcome = 'in-progress';
    }
    const hours = tier === 'Bulk' ? 48 : 12;
    return {
      phase,
      outcome,
      waiting: [raw.key],
      readyBy: new Date(Date.now() + hours * 3600_000).toISOString(),
    };
  }
  if (data.length !== raw.bytes || createHash('sha256').update(data).digest('hex') !== raw.sha256)
    throw new Error(`s3://${marker.bucket}/${raw.key} does not match its manifest; nothing was changed`);
  const store = new ObjectStore(paths.commonDir);
  store.startBatch();
  const oid = buildTree(store, parseTar(gunzipSync(data)));
  await store.endBatch();
  if (oid !== manifest.treeOid)
    throw new Error(
      `the restored files of ${phase} make tree ${oid}, not the archived ${manifest.treeOid}; nothing was changed`,
    );
  await editBranch(
    paths,
    `agent-track: restore ${phase} from s3://${marker.bucket}/${marker.manifestKey}`,
    async (t) => {
      // what the pruned folder gained since (a review written after the archive) stays
      const later = ((await t.list(`phases/${phase}`)) ?? []).filter((e) => KEPT.has(e.path));
      await t.setTree(`phases/${phase}`, oid);
      const restored = new Set(((await t.list(`phases/${phase}`)) ?? []).map((e) => e.path));
      for (const e of later)
        if (!restored.has(e.path))
          t.stageFile(`phases/${phase}/${e.path}`, redactForStore(await store.readBlob(e.oid)));
    },
  );
  return { phase, outcome: 'restored', waiting: [], readyBy: null };
}
