/**
 * `agent-track query --archive s3://bucket/prefix "<sql>"`: SQL over the archived Parquet. DuckDB's
 * httpfs extension would read S3 in place, but DuckDB downloads its extensions from its own site at
 * run time, which many machines (and CI) cannot reach; so the Parquet objects are fetched with the S3
 * SDK (same credentials and endpoint as `archive`) into a cache folder, kept by key and size, and
 * DuckDB reads them there. Deep Archive objects cannot be read before a restore: they are named.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Analytics, openDuckDB } from '../analytics/duckdb.js';
import type { RepoPaths } from '../store/paths.js';
import { VIEWS } from './archive.js';
import { parseS3Url, s3Client, s3Message } from './s3.js';

const PART = /(?:^|\/)repo=([^/]+)\/phase=([^/]+)\/(\w+)\/part-\d+\.parquet$/;

export async function openArchive(
  paths: RepoPaths,
  url: string,
  onProgress?: (m: string) => void,
): Promise<Analytics & { files: number; phases: string[] }> {
  const { bucket, prefix } = parseS3Url(url);
  const { client, sdk } = await s3Client();
  const objects: Array<{ key: string; size: number }> = [];
  let token: string | undefined;
  try {
    do {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix ? `${prefix}/` : undefined,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key && PART.test(o.Key)) objects.push({ key: o.Key, size: o.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (e) {
    throw new Error(s3Message(e, bucket));
  }
  if (!objects.length) throw new Error(`no archived phase under ${url} (agent-track archive writes them)`);
  const cache = path.join(paths.trackingDir, 'cache', 'archive', bucket);
  const frozen: string[] = [];
  let n = 0;
  for (const o of objects) {
    const file = path.join(cache, ...o.key.split('/'));
    onProgress?.(`downloading ${++n}/${objects.length}`);
    if (fs.existsSync(file) && fs.statSync(file).size === o.size) continue;
    try {
      const got = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: o.key }));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, await got.Body!.transformToByteArray());
      fs.renameSync(tmp, file);
    } catch (e) {
      if ((e as { name?: string }).name === 'InvalidObjectState') frozen.push(o.key);
      else throw new Error(s3Message(e, bucket));
    }
  }
  if (frozen.length) {
    const phases = [...new Set(frozen.map((k) => PART.exec(k)![2]))];
    throw new Error(
      `${frozen.length} Parquet object${frozen.length === 1 ? ' is' : 's are'} still in Glacier (phases ${phases.join(', ')}): Deep Archive cannot be read before a restore (agent-track archive restore <phase>); archive with --storage-class GLACIER_IR or STANDARD_IA to query in place`,
    );
  }
  const byView = new Map<string, string[]>();
  for (const o of objects) {
    const view = PART.exec(o.key)![3];
    byView.set(view, [...(byView.get(view) ?? []), path.join(cache, ...o.key.split('/'))]);
  }
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const setup = VIEWS.filter((v) => byView.has(v)).map(
    (v) =>
      `CREATE VIEW ${v} AS SELECT * FROM read_parquet([${byView.get(v)!.map(lit).join(', ')}], union_by_name = true)`,
  );
  const db = await openDuckDB(setup);
  return {
    ...db,
    files: objects.length,
    phases: [...new Set(objects.map((o) => PART.exec(o.key)![2]))].sort(),
  };
}
