/**
 * `agent-track query --archive s3://bucket/prefix "<sql>"`: SQL over the archived Parquet. DuckDB's
 * httpfs extension would read S3 in place, but DuckDB downloads its extensions from its own site at
 * run time, which many machines (and CI) cannot reach; so the Parquet objects are fetched with the S3
 * SDK (same credentials and endpoint as `archive`) into a cache folder, kept by key and size, and
 * DuckDB reads them there. Deep Archive objects cannot be read before a restore: they are named.
 *
 * Every repository under the prefix is read (an organisation's lake, lake.ts): each view gains a
 * `repo` column from the key's `repo=` part. A phase has one set of keys whether the lake exported it
 * current or archive took it later, so no phase is read twice. Lake objects change in place: a cached
 * file is reused only while its ETag is the listed one.
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
): Promise<Analytics & { files: number; phases: string[]; repos: string[] }> {
  const { bucket, prefix } = parseS3Url(url);
  const { client, sdk } = await s3Client();
  const objects: Array<{ key: string; size: number; etag: string }> = [];
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
        if (o.Key && PART.test(o.Key)) objects.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '' });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (e) {
    throw new Error(s3Message(e, bucket));
  }
  if (!objects.length)
    throw new Error(
      `no archived or lake phase under ${url} (agent-track archive writes them; archive --lake the current ones too)`,
    );
  const cache = path.join(paths.trackingDir, 'cache', 'archive', bucket);
  const frozen: string[] = [];
  let n = 0;
  for (const o of objects) {
    const file = path.join(cache, ...o.key.split('/'));
    onProgress?.(`downloading ${++n}/${objects.length}`);
    const tag = `${file}.etag`;
    const cached = () => {
      try {
        return fs.statSync(file).size === o.size && fs.readFileSync(tag, 'utf8') === o.etag;
      } catch {
        return false;
      }
    };
    if (cached()) continue;
    try {
      const got = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: o.key }));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, await got.Body!.transformToByteArray());
      fs.renameSync(tmp, file);
      fs.writeFileSync(tag, got.ETag ?? o.etag);
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
  // repo from the key (the files hold no such column: Athena and Trino take it from the partition)
  const setup = VIEWS.filter((v) => byView.has(v)).map(
    (v) =>
      `CREATE VIEW ${v} AS SELECT * EXCLUDE (filename),
         regexp_extract(filename, '.*[/\\\\]repo=([^/\\\\]+)[/\\\\]phase=', 1) AS repo
       FROM read_parquet([${byView.get(v)!.map(lit).join(', ')}], union_by_name = true, filename = true)`,
  );
  const db = await openDuckDB(setup);
  return {
    ...db,
    files: objects.length,
    phases: [...new Set(objects.map((o) => PART.exec(o.key)![2]))].sort(),
    repos: [...new Set(objects.map((o) => PART.exec(o.key)![1]))].sort(),
  };
}
