/**
 * The Google Drive tier (`agent-track backup`): the current phase and `backup.keep` phases before it,
 * mirrored file by file under `<root folder>/<owner>-<repo>/<phase>/<path inside the phase>`.
 *
 * - Idempotent by content: Drive computes `md5Checksum` for every binary file; a file whose checksum
 *   equals the local md5 is not sent again, a changed one is updated in place (same file id).
 * - Small files go as one multipart request through `@googleapis/drive`; large ones as a resumable
 *   upload (the googleapis client has no resumable uploads of its own), which survives a dropped
 *   connection by asking the session how far it got (`Content-Range: bytes * /total`).
 * - Every request is retried with exponential backoff on 429, 5xx, Drive's rate-limit 403s and
 *   connection errors (the client's own retry is off: it cannot replay a streamed body).
 * - A phase older than the retention leaves Drive only once `phases/<name>/ARCHIVED.json` is on the
 *   branch tip: the archive command writes it after every object was verified in S3.
 *
 * Credentials, from the environment only: an OAuth refresh token (`agent-track auth drive` makes
 * one), or a service account / workload identity through GoogleAuth (GOOGLE_APPLICATION_CREDENTIALS),
 * which needs a Shared Drive: a service account has no storage quota of its own.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { drive_v3 } from '@googleapis/drive';
import { listPhases } from '../analytics/phases.js';
import { catFiles, lsTreeBlobs, type TreeBlob } from '../store/cat.js';
import { loadConfig } from '../store/config.js';
import { type RepoPaths, readRef, TRACKING_REF } from '../store/paths.js';

export class DriveCredentialsError extends Error {}
/** A failure that retrying cannot fix (ours, or a 4xx from Drive). */
export class DriveError extends Error {}

export const OAUTH_ENV = [
  'AGENT_TRACK_DRIVE_CLIENT_ID',
  'AGENT_TRACK_DRIVE_CLIENT_SECRET',
  'AGENT_TRACK_DRIVE_REFRESH_TOKEN',
] as const;
export const FOLDER_MIME = 'application/vnd.google-apps.folder';
export const DEFAULT_ROOT_NAME = 'agent-tracking';
const DEFAULT_ROOT_URL = 'https://www.googleapis.com/';
/** Scopes: the OAuth token carries what `auth drive` asked for (drive.file: only files this app made). */
const SERVICE_ACCOUNT_SCOPE = 'https://www.googleapis.com/auth/drive';

export interface BackupOptions {
  /** The root folder's id (default: config `backup.driveFolderId`, else a folder `agent-tracking`). */
  folderId?: string | null;
  /** A Shared Drive (default: config `backup.sharedDriveId`). */
  sharedDriveId?: string | null;
  /** Phases kept before the current one (default: config `backup.keep`). */
  keep?: number;
  dryRun?: boolean;
  /** Files larger than this go as resumable uploads (default 5 MiB). */
  resumableThreshold?: number;
  /** The size of a resumable upload's chunks (Drive wants a multiple of 256 KiB; default 8 MiB). */
  chunkSize?: number;
  env?: NodeJS.ProcessEnv;
  onProgress?: (p: { files: number; totalFiles: number; bytes: number }) => void;
}

export interface BackupResult {
  uploaded: number;
  updated: number;
  unchanged: number;
  /** Phases removed from Drive (archived in S3 and older than the retention). */
  removedPhases: string[];
  /** Phases older than the retention still on Drive: not verified archived in S3 yet. */
  keptUnarchived: string[];
  bytes: number;
  /** The phases backed up, oldest first. */
  phases: string[];
  /** `<owner>-<repo>`: the folder under the root. */
  folder: string;
  dryRun: boolean;
  /** With --dry-run: `<phase>/<path>` of every file that would be uploaded or updated. */
  wouldUpload?: string[];
}

type Credentials =
  | { kind: 'oauth'; clientId: string; clientSecret: string; refreshToken: string }
  | { kind: 'service-account'; file: string };

/** Which credentials the environment holds; a one-line error naming what to set when none. */
export function driveCredentials(env: NodeJS.ProcessEnv, sharedDriveId: string | null): Credentials {
  const [id, secret, token] = OAUTH_ENV.map((k) => env[k]?.trim() || '');
  if (id || secret || token) {
    const missing = OAUTH_ENV.filter((k) => !env[k]?.trim());
    if (missing.length)
      throw new DriveCredentialsError(
        `incomplete Google Drive credentials: ${missing.join(', ')} not set (agent-track auth drive makes a refresh token)`,
      );
    return { kind: 'oauth', clientId: id, clientSecret: secret, refreshToken: token };
  }
  const file = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (file) {
    if (!sharedDriveId)
      throw new DriveCredentialsError(
        'a service account has no Drive storage quota of its own: set backup.sharedDriveId in .agent-tracking.yml (or --shared-drive ID) to a Shared Drive the service account is a member of, or use an OAuth refresh token (AGENT_TRACK_DRIVE_REFRESH_TOKEN)',
      );
    return { kind: 'service-account', file };
  }
  throw new DriveCredentialsError(
    `no Google Drive credentials: set ${OAUTH_ENV.join(', ')} (agent-track auth drive makes the refresh token), or GOOGLE_APPLICATION_CREDENTIALS with backup.sharedDriveId for a service account`,
  );
}

/** `<owner>-<repo>` from the origin remote (scp-like or URL), else the work tree's folder name. */
export function repoFolderName(paths: RepoPaths): string {
  const r = spawnSync('git', ['config', '--get', 'remote.origin.url'], {
    cwd: paths.workTree,
    encoding: 'utf8',
  });
  const url = r.status === 0 ? r.stdout.trim() : '';
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(.+)$/i.exec(url) ?? /^(?:[^@/]+@)?[^:/]+:(?!\/)(.+)$/.exec(url);
  const clean = (s: string) => s.replace(/[^\w.-]+/g, '_');
  if (m && !/^file:/i.test(url)) {
    const parts = m[1]
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')
      .split('/')
      .filter(Boolean);
    if (parts.length >= 2) return `${clean(parts.at(-2)!)}-${clean(parts.at(-1)!)}`;
    if (parts.length === 1) return clean(parts[0]);
  }
  return clean(path.basename(paths.workTree));
}

/** The branch tip's `phases/<name>/ARCHIVED.json`, when it says the phase is verified in S3. */
export function archivedRecord(
  paths: RepoPaths,
  phase: string,
): { phase: string; manifestKey: string; bucket: string } | null {
  const r = spawnSync('git', ['cat-file', 'blob', `${TRACKING_REF}:phases/${phase}/ARCHIVED.json`], {
    cwd: paths.workTree,
    encoding: 'utf8',
  });
  if (r.status !== 0) return null;
  try {
    const j = JSON.parse(r.stdout);
    return j && j.phase === phase && typeof j.manifestKey === 'string' && typeof j.bucket === 'string'
      ? j
      : null;
  } catch {
    return null;
  }
}

// ---- requests and retries ----

interface HttpResponse {
  status: number;
  headers: Headers;
  data: any;
}
/** What google-auth-library's clients share: an authorized request (gaxios). */
interface Requester {
  request(opts: Record<string, unknown>): Promise<HttpResponse>;
}

const statusOf = (e: unknown): number | undefined => {
  const err = e as { status?: unknown; response?: { status?: unknown } };
  const s = err?.response?.status ?? err?.status;
  return typeof s === 'number' ? s : undefined;
};

function isRetryable(e: unknown): boolean {
  if (e instanceof DriveError || e instanceof DriveCredentialsError) return false;
  const status = statusOf(e);
  if (status === undefined) return true; // no HTTP answer: the connection failed
  if (status === 429 || status >= 500) return true;
  if (status === 403) {
    const text = JSON.stringify((e as { response?: { data?: unknown } }).response?.data ?? '');
    return /rateLimitExceeded|userRateLimitExceeded/.test(text);
  }
  return false;
}

/** One line for an error from Drive. */
export function driveMessage(e: unknown): string {
  const err = e as { message?: string; response?: { data?: any } };
  const status = statusOf(e);
  const apiMessage = err.response?.data?.error?.message ?? err.response?.data?.error_description;
  if (status === 401 || /invalid_grant|invalid_client|unauthorized_client/.test(String(err.message)))
    return `Google refused the Drive credentials (${apiMessage ?? err.message}): check ${OAUTH_ENV.join(', ')} (agent-track auth drive makes a new refresh token)`;
  const text = (apiMessage ?? err.message ?? String(e)).split('\n')[0];
  return `Google Drive${status ? ` (HTTP ${status})` : ''}: ${text}`;
}

const MAX_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Retrier {
  constructor(private readonly baseMs = 500) {}

  /** Exponential backoff with jitter before attempt `attempt + 1`. */
  delay(attempt: number): number {
    return Math.min(this.baseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2), 60_000);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) throw e;
        const retryAfter = Number(
          (e as { response?: { headers?: Headers } }).response?.headers?.get?.('retry-after'),
        );
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : this.delay(attempt));
      }
    }
  }
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function mimeOf(file: string): string {
  if (file.endsWith('.json')) return 'application/json';
  if (file.endsWith('.jsonl')) return 'application/x-ndjson';
  if (file.endsWith('.md')) return 'text/markdown';
  return 'application/octet-stream';
}

export interface DriveEntry {
  id: string;
  name: string;
  mimeType: string;
  md5Checksum?: string | null;
}

/** The Drive calls the backup makes, with the Shared Drive flags in one place. */
export class DriveClient {
  readonly retry: Retrier;
  constructor(
    private readonly api: drive_v3.Drive,
    private readonly requester: Requester,
    private readonly rootUrl: string,
    readonly sharedDriveId: string | null,
    retryBaseMs = 500,
  ) {
    this.retry = new Retrier(retryBaseMs);
  }

  /** Shared Drive listing: the drive's corpus, with items of all drives. */
  private listScope() {
    return this.sharedDriveId
      ? {
          corpora: 'drive',
          driveId: this.sharedDriveId,
          includeItemsFromAllDrives: true,
          supportsAllDrives: true,
        }
      : { corpora: 'user', spaces: 'drive' };
  }

  async list(parentId: string, opts: { name?: string; folders?: boolean } = {}): Promise<DriveEntry[]> {
    const clauses = [`${q(parentId)} in parents`, 'trashed = false'];
    if (opts.name !== undefined) clauses.push(`name = ${q(opts.name)}`);
    if (opts.folders) clauses.push(`mimeType = ${q(FOLDER_MIME)}`);
    const out: DriveEntry[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const res = await this.retry.run(() =>
        this.api.files.list({
          q: clauses.join(' and '),
          fields: 'nextPageToken, files(id, name, mimeType, md5Checksum)',
          pageSize: 1000,
          pageToken: token,
          ...this.listScope(),
        }),
      );
      for (const f of res.data.files ?? [])
        if (f.id && f.name)
          out.push({ id: f.id, name: f.name, mimeType: f.mimeType ?? '', md5Checksum: f.md5Checksum });
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  async findFolder(parentId: string, name: string): Promise<string | null> {
    const found = await this.list(parentId, { name, folders: true });
    return found[0]?.id ?? null;
  }

  async createFolder(parentId: string, name: string): Promise<string> {
    let sent = false;
    return this.retry.run(async () => {
      // a create whose answer was lost may have succeeded: look before making a second folder
      if (sent) {
        const found = await this.findFolder(parentId, name);
        if (found) return found;
      }
      sent = true;
      const res = await this.api.files.create({
        requestBody: { name, mimeType: FOLDER_MIME, parents: [parentId] },
        fields: 'id',
        supportsAllDrives: true,
      });
      if (!res.data.id) throw new DriveError(`Drive created folder ${name} without an id`);
      return res.data.id;
    });
  }

  async folder(parentId: string, name: string): Promise<string> {
    return (await this.findFolder(parentId, name)) ?? (await this.createFolder(parentId, name));
  }

  /** Every file under a folder, by its path relative to it; folders too (with a trailing slash). */
  async walk(
    folderId: string,
    prefix = '',
    out = new Map<string, DriveEntry>(),
  ): Promise<Map<string, DriveEntry>> {
    for (const e of await this.list(folderId)) {
      const rel = `${prefix}${e.name}`;
      if (e.mimeType === FOLDER_MIME) {
        if (out.has(`${rel}/`)) continue; // a duplicate folder: the first one found is ours
        out.set(`${rel}/`, e);
        await this.walk(e.id, `${rel}/`, out);
      } else if (!out.has(rel)) out.set(rel, e);
    }
    return out;
  }

  async delete(fileId: string): Promise<void> {
    await this.retry.run(async () => {
      try {
        await this.api.files.delete({ fileId, supportsAllDrives: true });
      } catch (e) {
        if (statusOf(e) === 404) return; // gone already (a retried delete that had succeeded)
        throw e;
      }
    });
  }

  /** A small file in one request: multipart for a new file, media for an update in place. */
  async simpleUpload(data: Buffer, name: string, parentId: string, existingId?: string): Promise<void> {
    const media = () => ({ mimeType: mimeOf(name), body: Readable.from([data]) });
    // the client builds an upload's URL from the call's own rootUrl: the global one is not applied to it
    const options = { rootUrl: this.rootUrl };
    let sent = false;
    const sum = md5(data);
    await this.retry.run(async () => {
      if (existingId) {
        await this.api.files.update(
          { fileId: existingId, media: media(), fields: 'id', supportsAllDrives: true },
          options,
        );
        return;
      }
      // a create whose answer was lost may have succeeded: no second copy
      if (sent && (await this.list(parentId, { name })).some((f) => f.md5Checksum === sum)) return;
      sent = true;
      await this.api.files.create(
        { requestBody: { name, parents: [parentId] }, media: media(), fields: 'id', supportsAllDrives: true },
        options,
      );
    });
  }

  /** A large file as a resumable upload session, in chunks; resumes where Drive says it got to. */
  async resumableUpload(
    data: Buffer,
    name: string,
    parentId: string,
    existingId: string | undefined,
    chunkSize: number,
  ): Promise<void> {
    const total = data.length;
    const base = `${this.rootUrl.replace(/\/+$/, '')}/upload/drive/v3/files${existingId ? `/${encodeURIComponent(existingId)}` : ''}`;
    const start = () =>
      this.retry.run(async () => {
        const res = await this.requester.request({
          url: `${base}?uploadType=resumable&supportsAllDrives=true&fields=id`,
          method: existingId ? 'PATCH' : 'POST',
          headers: {
            'Content-Type': 'application/json; charset=UTF-8',
            'X-Upload-Content-Type': mimeOf(name),
            'X-Upload-Content-Length': String(total),
          },
          data: JSON.stringify(existingId ? {} : { name, parents: [parentId] }),
          retry: false,
        });
        const location = res.headers.get('location');
        if (!location) throw new DriveError('Drive started an upload session without a Location');
        return location;
      });
    const validateStatus = (s: number) => (s >= 200 && s < 300) || s === 308;
    /** Bytes Drive holds of the session; `total` when the upload is complete, null when the session is gone. */
    const offsetOf = (res: HttpResponse): number => {
      if (res.status >= 200 && res.status < 300) return total;
      const range = /bytes=0-(\d+)/.exec(res.headers.get('range') ?? '');
      return range ? Number(range[1]) + 1 : 0;
    };
    let session = await start();
    let offset = 0;
    let failures = 0;
    while (offset < total) {
      const end = Math.min(offset + chunkSize, total);
      try {
        const res = await this.requester.request({
          url: session,
          method: 'PUT',
          headers: { 'Content-Type': mimeOf(name), 'Content-Range': `bytes ${offset}-${end - 1}/${total}` },
          data: data.subarray(offset, end),
          validateStatus,
          retry: false,
        });
        offset = offsetOf(res);
        failures = 0;
      } catch (e) {
        const status = statusOf(e);
        if (++failures >= MAX_ATTEMPTS) throw e;
        if (status === 404 || status === 410) {
          session = await start(); // the session expired: begin again
          offset = 0;
          continue;
        }
        if (!isRetryable(e)) throw e;
        await sleep(this.retry.delay(failures));
        // ask the session how far it got
        try {
          const res = await this.requester.request({
            url: session,
            method: 'PUT',
            headers: { 'Content-Range': `bytes */${total}` },
            data: '',
            validateStatus,
            retry: false,
          });
          offset = offsetOf(res);
        } catch (e2) {
          const s2 = statusOf(e2);
          if (s2 === 404 || s2 === 410) {
            session = await start();
            offset = 0;
          } else if (!isRetryable(e2)) throw e2;
        }
      }
    }
  }
}

/** An authorized Drive client from the environment's credentials. */
export async function openDrive(
  env: NodeJS.ProcessEnv,
  sharedDriveId: string | null,
  credentials: Credentials,
): Promise<DriveClient> {
  const { drive, auth } = await import('@googleapis/drive');
  const rootUrl = env.AGENT_TRACK_DRIVE_ROOT_URL?.trim() || DEFAULT_ROOT_URL;
  let client: InstanceType<typeof auth.OAuth2> | InstanceType<typeof auth.GoogleAuth>;
  let requester: Requester;
  if (credentials.kind === 'oauth') {
    const tokenUrl = env.AGENT_TRACK_GOOGLE_TOKEN_URL?.trim();
    const oauth = new auth.OAuth2({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      ...(tokenUrl ? { endpoints: { oauth2TokenUrl: tokenUrl } } : {}),
    });
    oauth.setCredentials({ refresh_token: credentials.refreshToken });
    client = oauth;
    requester = oauth as unknown as Requester;
  } else {
    const ga = new auth.GoogleAuth({ keyFile: credentials.file, scopes: [SERVICE_ACCOUNT_SCOPE] });
    client = ga;
    requester = (await ga.getClient()) as unknown as Requester;
  }
  const api = drive({ version: 'v3', auth: client, rootUrl, retry: false });
  const baseMs = Number(env.AGENT_TRACK_DRIVE_RETRY_MS);
  return new DriveClient(
    api,
    requester,
    rootUrl,
    sharedDriveId,
    Number.isFinite(baseMs) && baseMs >= 0 ? baseMs : 500,
  );
}

interface Planned {
  phase: string;
  rel: string;
  blob: TreeBlob;
  existingId?: string;
  folderId?: string;
}

/** Backs the current phase and `keep` before it up to Drive; removes older phases archived in S3. */
export async function backupToDrive(paths: RepoPaths, opts: BackupOptions = {}): Promise<BackupResult> {
  const env = opts.env ?? process.env;
  const config = await loadConfig(paths);
  const sharedDriveId = opts.sharedDriveId ?? config.backup.sharedDriveId;
  const folderId = opts.folderId ?? config.backup.driveFolderId;
  const keep = opts.keep ?? config.backup.keep;
  const threshold = opts.resumableThreshold ?? 5 * 1024 * 1024;
  const chunkSize = opts.chunkSize ?? 8 * 1024 * 1024;
  const credentials = driveCredentials(env, sharedDriveId); // before anything else: nothing sent without them
  if (!readRef(paths.commonDir, TRACKING_REF))
    throw new DriveError('no agent-tracking branch here yet (agent-track init)');

  const phases = await listPhases(paths);
  const ci = Math.max(
    0,
    phases.findIndex((p) => p.current),
  );
  const keptPhases = phases.slice(Math.max(0, ci - keep), ci + 1).map((p) => p.name);
  const repoFolder = repoFolderName(paths);
  const result: BackupResult = {
    uploaded: 0,
    updated: 0,
    unchanged: 0,
    removedPhases: [],
    keptUnarchived: [],
    bytes: 0,
    phases: keptPhases,
    folder: repoFolder,
    dryRun: Boolean(opts.dryRun),
    ...(opts.dryRun ? { wouldUpload: [] } : {}),
  };

  const drive = await openDrive(env, sharedDriveId, credentials);
  const dry = Boolean(opts.dryRun);
  try {
    // <root>/<owner>-<repo>/
    const parentOfRoot = sharedDriveId ?? 'root';
    let rootId: string | null = folderId;
    if (!rootId) {
      rootId = await drive.findFolder(parentOfRoot, DEFAULT_ROOT_NAME);
      if (!rootId && !dry) rootId = await drive.createFolder(parentOfRoot, DEFAULT_ROOT_NAME);
    }
    let repoId = rootId ? await drive.findFolder(rootId, repoFolder) : null;
    if (!repoId && rootId && !dry) repoId = await drive.createFolder(rootId, repoFolder);
    const phaseFolders = new Map<string, string>();
    if (repoId)
      for (const f of await drive.list(repoId, { folders: true }))
        if (!phaseFolders.has(f.name)) phaseFolders.set(f.name, f.id);

    // what is on the branch and what Drive holds of it
    const plan: Planned[] = [];
    const folderIds = new Map<string, string>(); // `<phase>/<dir>/` -> id
    for (const phase of keptPhases) {
      const prefix = `phases/${phase}/`;
      const blobs = lsTreeBlobs(paths, TRACKING_REF, prefix);
      const phaseId = phaseFolders.get(phase);
      const remote = phaseId ? await drive.walk(phaseId) : new Map<string, DriveEntry>();
      if (phaseId) folderIds.set(`${phase}/`, phaseId);
      for (const [rel, e] of remote) if (rel.endsWith('/')) folderIds.set(`${phase}/${rel}`, e.id);
      const sums: string[] = [];
      await catFiles(
        paths,
        blobs.map((b) => b.oid),
        (i, data) => {
          sums[i] = md5(data);
        },
      );
      blobs.forEach((blob, i) => {
        const rel = blob.path.slice(prefix.length);
        const there = remote.get(rel);
        if (there && there.md5Checksum === sums[i]) result.unchanged++;
        else plan.push({ phase, rel, blob, existingId: there?.id });
      });
    }

    if (dry) {
      for (const p of plan) {
        result.wouldUpload!.push(`${p.phase}/${p.rel}`);
        if (p.existingId) result.updated++;
        else result.uploaded++;
        result.bytes += p.blob.size;
      }
    } else {
      const ensureFolder = async (dir: string): Promise<string> => {
        // dir: `<phase>/` or `<phase>/a/b/`
        const known = folderIds.get(dir);
        if (known) return known;
        const parts = dir.slice(0, -1).split('/');
        const parent = parts.length === 1 ? repoId! : await ensureFolder(`${parts.slice(0, -1).join('/')}/`);
        const id = await drive.createFolder(parent, parts.at(-1)!);
        folderIds.set(dir, id);
        return id;
      };
      const totalFiles = plan.length;
      let done = 0;
      // in batches of ~32 MB: the blobs of a batch are read in one cat-file, then sent one by one
      for (let s = 0; s < plan.length; ) {
        let size = 0;
        let e = s;
        while (e < plan.length && (e === s || size + plan[e].blob.size <= 32 * 1024 * 1024))
          size += plan[e++].blob.size;
        const batch = plan.slice(s, e);
        const datas: Buffer[] = [];
        await catFiles(
          paths,
          batch.map((p) => p.blob.oid),
          (i, data) => {
            datas[i] = Buffer.from(data);
          },
        );
        for (const [i, p] of batch.entries()) {
          const name = path.posix.basename(p.rel);
          const dir = path.posix.dirname(p.rel);
          const parentId = await ensureFolder(dir === '.' ? `${p.phase}/` : `${p.phase}/${dir}/`);
          const data = datas[i];
          if (data.length > threshold)
            await drive.resumableUpload(data, name, parentId, p.existingId, chunkSize);
          else await drive.simpleUpload(data, name, parentId, p.existingId);
          if (p.existingId) result.updated++;
          else result.uploaded++;
          result.bytes += data.length;
          opts.onProgress?.({ files: ++done, totalFiles, bytes: result.bytes });
        }
        s = e;
      }
    }

    // retention: older phases leave Drive only once verified archived in S3
    const kept = new Set(keptPhases);
    for (const [name, id] of phaseFolders) {
      if (kept.has(name)) continue;
      if (archivedRecord(paths, name)) {
        if (!dry) await drive.delete(id);
        result.removedPhases.push(name);
      } else result.keptUnarchived.push(name);
    }
  } catch (e) {
    if (e instanceof DriveError || e instanceof DriveCredentialsError) throw e;
    throw new DriveError(driveMessage(e));
  }
  return result;
}
