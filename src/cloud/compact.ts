/**
 * `agent-track compact`: once every phase older than `archive.keep` is archived and its manifest is
 * verified in S3 right now (GetObject of the manifest, HeadObject of it and of every object it lists:
 * size and our sha256, as `archive` verified them), the branch gets a new root whose tree is the tip
 * (src/store/compact.ts). Anything not verified refuses the whole compaction, naming the phase.
 */
import { createHash } from 'node:crypto';
import { listPhases } from '../analytics/phases.js';
import { alreadyCompacted, type CompactResult, compactBranch } from '../store/compact.js';
import type { ManifestRef } from '../store/compaction.js';
import { type RepoPaths, readRef, TRACKING_REF } from '../store/paths.js';
import { type ArchivedMarker, type Manifest, readMarker, tipTree, verify } from './archive.js';
import { s3Client, s3Errors, s3Message } from './s3.js';

export class CompactRefused extends Error {}

export interface VerifiedPhase {
  phase: string;
  manifestKey: string;
  objects: number;
  bytes: number;
}

/** Checks one archived phase's manifest and objects in S3; returns the manifest's reference, or why not. */
async function verifyPhase(
  marker: ArchivedMarker,
): Promise<{ ref: ManifestRef; objects: number; bytes: number }> {
  const { client, sdk } = await s3Client();
  const send = s3Errors(marker.bucket);
  const where = `s3://${marker.bucket}/${marker.manifestKey}`;
  let body: string;
  try {
    const got = await client.send(
      new sdk.GetObjectCommand({ Bucket: marker.bucket, Key: marker.manifestKey }),
    );
    body = await got.Body!.transformToString();
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') throw new Error(`its manifest ${where} is missing`);
    throw new Error(s3Message(e, marker.bucket));
  }
  const sha = createHash('sha256').update(body).digest('hex');
  await verify(
    client,
    sdk,
    marker.bucket,
    [{ key: marker.manifestKey, bytes: Buffer.byteLength(body), sha256: sha }],
    send,
  );
  let manifest: Manifest;
  try {
    manifest = JSON.parse(body) as Manifest;
  } catch {
    throw new Error(`its manifest ${where} is not JSON`);
  }
  if (manifest.treeOid !== marker.treeOid)
    throw new Error(
      `its manifest ${where} is of tree ${manifest.treeOid}, not the archived ${marker.treeOid}`,
    );
  if (!manifest.objects?.some((o) => o.kind === 'raw'))
    throw new Error(`its manifest ${where} lists no raw object (a restore needs it)`);
  try {
    await verify(client, sdk, marker.bucket, manifest.objects, send);
  } catch (e) {
    const msg = (e as Error).message.replace(/; nothing was pruned$/, '');
    if (/NotFound|NoSuchKey|404/.test(msg)) {
      // which one: HeadObject of a missing key says only "NotFound"
      for (const o of manifest.objects)
        try {
          await client.send(new sdk.HeadObjectCommand({ Bucket: marker.bucket, Key: o.key }));
        } catch {
          throw new Error(`s3://${marker.bucket}/${o.key} (listed in its manifest) is missing`);
        }
    }
    throw new Error(msg);
  }
  return {
    ref: {
      phase: marker.phase,
      bucket: marker.bucket,
      manifestKey: marker.manifestKey,
      treeOid: marker.treeOid,
      sha256: sha,
    },
    objects: manifest.objects.length + 1,
    bytes: manifest.objects.reduce((a, o) => a + o.bytes, 0),
  };
}

/**
 * The phases the compaction relies on, each verified in S3 now: every phase with an ARCHIVED.json
 * marker, and every phase more than `keep` behind the current one (which must have one).
 */
export async function verifyForCompaction(
  paths: RepoPaths,
  keep: number,
  onProgress: (m: string) => void = () => {},
): Promise<{ manifests: ManifestRef[]; phases: VerifiedPhase[] }> {
  const phases = await listPhases(paths);
  const current = phases.findIndex((p) => p.current);
  const { tree } = await tipTree(paths);
  const problems: string[] = [];
  const manifests: ManifestRef[] = [];
  const verified: VerifiedPhase[] = [];
  for (const [i, p] of phases.entries()) {
    const marker = await readMarker(tree, p.name);
    const old = current >= 0 && i < current - keep;
    if (!marker) {
      if (old) problems.push(`${p.name} is not archived (run \`agent-track archive\` first)`);
      continue;
    }
    onProgress(`${p.name}: verifying s3://${marker.bucket}/${marker.manifestKey}`);
    try {
      const v = await verifyPhase(marker);
      manifests.push(v.ref);
      verified.push({ phase: p.name, manifestKey: marker.manifestKey, objects: v.objects, bytes: v.bytes });
    } catch (e) {
      problems.push(`${p.name} is not verified in S3: ${(e as Error).message}`);
    }
  }
  if (problems.length)
    throw new CompactRefused(
      `not compacted (nothing was changed): ${problems.join('; ')}. Compaction drops the archived phases from the branch's history, so it needs every one of them verified in S3.`,
    );
  return { manifests, phases: verified };
}

export type CompactOutcome =
  | (CompactResult & { phases: VerifiedPhase[] })
  | { outcome: 'nothing'; reason: string; phases: VerifiedPhase[]; tip: string | null };

export async function compact(
  paths: RepoPaths,
  opts: { keep: number; remote: string | null; prompt?: boolean; onProgress?: (m: string) => void },
): Promise<CompactOutcome> {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) throw new CompactRefused("nothing recorded yet: this clone has no 'agent-tracking' branch");
  const { manifests, phases } = await verifyForCompaction(paths, opts.keep, opts.onProgress);
  if (!manifests.length)
    return {
      outcome: 'nothing',
      reason: 'no phase is archived: the history holds nothing S3 has',
      phases,
      tip,
    };
  if (await alreadyCompacted(paths, tip, manifests))
    return {
      outcome: 'nothing',
      reason: 'already compacted: no phase was archived since the last compaction',
      phases,
      tip,
    };
  opts.onProgress?.('writing the new root');
  const r = await compactBranch(paths, {
    manifests,
    keep: opts.keep,
    remote: opts.remote,
    prompt: opts.prompt,
  });
  return { ...r, phases };
}
