/**
 * A local stand-in of the Google Drive v3 API and Google's OAuth token endpoint, for the requests the
 * real `@googleapis/drive` client and google-auth-library send: files.list (q, fields, pagination),
 * files.create (metadata only, multipart, resumable sessions with Content-Range chunks), files.update
 * (media, multipart, resumable), files.delete; md5Checksum is computed here. Every request is recorded.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FOLDER = 'application/vnd.google-apps.folder';

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  content: Buffer | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The file a files.update / files.delete / a finished upload concerned. */
  fileId?: string;
  /** The connection was dropped on purpose. */
  dropped?: boolean;
}

interface UploadSession {
  meta: { name?: string; parents?: string[]; mimeType?: string };
  fileId: string | null;
  total: number;
  data: Buffer;
}

export class FakeDrive {
  readonly files = new Map<string, DriveFile>();
  readonly requests: RecordedRequest[] = [];
  /** Token endpoint calls, form fields parsed. */
  readonly tokenRequests: Array<Record<string, string>> = [];
  readonly refreshTokens = new Set<string>(['good-refresh-token']);
  /** What the authorization_code grant returns as refresh token. */
  issuedRefreshToken = 'issued-refresh-token-from-fake';
  /** At most this many files a page, whatever pageSize asks (to exercise pagination). */
  pageLimit = 4;
  /** Drop the connection of the next matching upload once, in the middle of its body. */
  dropNext: 'multipart' | 'media' | 'chunk' | null = null;
  dropped = 0;
  private accessTokens = new Set<string>();
  private sessions = new Map<string, UploadSession>();
  private seq = 0;
  private server: http.Server;
  url = '';

  constructor() {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) this.json(res, 500, { error: { code: 500, message: String(e) } });
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** Requests that change something on Drive. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && r.path !== '/token');
  }

  md5(f: DriveFile): string | undefined {
    return f.content ? createHash('md5').update(f.content).digest('hex') : undefined;
  }

  children(parent: string): DriveFile[] {
    return [...this.files.values()].filter((f) => f.parents.includes(parent));
  }

  /** The folder at `a/b/c` from My Drive's root (or from a Shared Drive's id), or null. */
  folderAt(p: string, root = 'root'): DriveFile | null {
    let cur: DriveFile | null = null;
    let parent = root;
    for (const name of p.split('/')) {
      const matches = this.children(parent).filter((f) => f.name === name && f.mimeType === FOLDER);
      if (matches.length !== 1) return null;
      cur = matches[0];
      parent = cur.id;
    }
    return cur;
  }

  /** Every file under a folder, by path relative to it. Duplicate names show as `name#2`. */
  tree(folderId: string, prefix = '', out = new Map<string, Buffer>()): Map<string, Buffer> {
    for (const f of this.children(folderId)) {
      let key = `${prefix}${f.name}`;
      for (let n = 2; out.has(key) || out.has(`${key}/`); n++) key = `${prefix}${f.name}#${n}`;
      if (f.mimeType === FOLDER) this.tree(f.id, `${key}/`, out);
      else out.set(key, f.content ?? Buffer.alloc(0));
    }
    return out;
  }

  private newId(): string {
    return `f${++this.seq}${randomBytes(3).toString('hex')}`;
  }

  private json(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: http.OutgoingHttpHeaders = {},
  ) {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private view(f: DriveFile, fields: string | null): Record<string, unknown> {
    const all: Record<string, unknown> = {
      kind: 'drive#file',
      id: f.id,
      name: f.name,
      mimeType: f.mimeType,
      parents: f.parents,
      ...(f.content ? { md5Checksum: this.md5(f), size: String(f.content.length) } : {}),
    };
    if (!fields) return { kind: all.kind, id: f.id, name: f.name, mimeType: f.mimeType };
    const wanted = /files\(([^)]*)\)/.exec(fields)?.[1] ?? fields;
    const keys = wanted
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return Object.fromEntries(keys.filter((k) => k in all).map((k) => [k, all[k]]));
  }

  /** The query language, as far as a backup uses it: clauses joined by `and`. */
  private matcher(q: string): (f: DriveFile) => boolean {
    const clauses: string[] = [];
    let cur = '';
    let inQuote = false;
    for (let i = 0; i < q.length; i++) {
      const c = q[i];
      if (c === '\\' && inQuote) {
        cur += c + q[++i];
        continue;
      }
      if (c === "'") inQuote = !inQuote;
      if (!inQuote && q.startsWith(' and ', i)) {
        clauses.push(cur);
        cur = '';
        i += 4;
        continue;
      }
      cur += c;
    }
    clauses.push(cur);
    const unq = (s: string) => s.replace(/\\(.)/g, '$1');
    const tests = clauses.map((c) => {
      let m = /^'((?:[^'\\]|\\.)*)' in parents$/.exec(c.trim());
      if (m) {
        const id = unq(m[1]);
        return (f: DriveFile) => f.parents.includes(id);
      }
      m = /^trashed = (true|false)$/.exec(c.trim());
      if (m) return () => m![1] === 'false';
      m = /^(name|mimeType) (=|!=) '((?:[^'\\]|\\.)*)'$/.exec(c.trim());
      if (m) {
        const [, field, op, v] = m;
        return (f: DriveFile) => ((field === 'name' ? f.name : f.mimeType) === unq(v)) === (op === '=');
      }
      throw new Error(`unsupported q clause: ${c}`);
    });
    return (f) => tests.every((t) => t(f));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    const p = u.pathname;
    const query = u.searchParams;
    const rec: RecordedRequest = {
      method: req.method ?? '',
      path: p,
      query,
      headers: req.headers,
      body: Buffer.alloc(0),
    };
    this.requests.push(rec);

    const kind =
      query.get('uploadType') === 'multipart'
        ? 'multipart'
        : query.get('uploadType') === 'media'
          ? 'media'
          : req.method === 'PUT' &&
              query.has('upload_id') &&
              /^bytes \d+-/.test(String(req.headers['content-range']))
            ? 'chunk'
            : null;
    if (kind && this.dropNext === kind) {
      // take part of the body, then drop the connection
      this.dropNext = null;
      this.dropped++;
      rec.dropped = true;
      req.once('data', (d: Buffer) => {
        if (kind === 'chunk') {
          // Drive keeps what it received of a chunk: up to the part we had
          const s = this.sessions.get(query.get('upload_id')!)!;
          const start = Number(/^bytes (\d+)-/.exec(String(req.headers['content-range']))![1]);
          const part = d.subarray(0, Math.floor(d.length / 2));
          s.data = Buffer.concat([s.data.subarray(0, start), part]);
        }
        req.socket.destroy();
      });
      return;
    }

    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    rec.body = body;

    if (p === '/token' && req.method === 'POST') {
      const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      this.tokenRequests.push(form);
      if (form.grant_type === 'refresh_token') {
        if (!this.refreshTokens.has(form.refresh_token))
          return this.json(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
        const token = `at-${randomBytes(8).toString('hex')}`;
        this.accessTokens.add(token);
        return this.json(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
      }
      if (form.grant_type === 'authorization_code') {
        const token = `at-${randomBytes(8).toString('hex')}`;
        this.accessTokens.add(token);
        return this.json(res, 200, {
          access_token: token,
          refresh_token: this.issuedRefreshToken,
          expires_in: 3599,
          token_type: 'Bearer',
          scope: 'https://www.googleapis.com/auth/drive.file',
        });
      }
      return this.json(res, 400, { error: 'unsupported_grant_type' });
    }

    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!bearer || !this.accessTokens.has(bearer))
      return this.json(res, 401, {
        error: { code: 401, message: 'Request had invalid authentication credentials.' },
      });

    // files.list
    if (p === '/drive/v3/files' && req.method === 'GET') {
      let match: (f: DriveFile) => boolean;
      try {
        match = this.matcher(query.get('q') ?? '');
      } catch (e) {
        return this.json(res, 400, { error: { code: 400, message: (e as Error).message } });
      }
      const all = [...this.files.values()].filter(match);
      const size = Math.min(Number(query.get('pageSize') ?? 100), this.pageLimit);
      const start = Number(query.get('pageToken') ?? 0);
      const page = all.slice(start, start + size);
      const next = start + size < all.length ? String(start + size) : undefined;
      const fields = query.get('fields');
      return this.json(res, 200, {
        kind: 'drive#fileList',
        ...(next ? { nextPageToken: next } : {}),
        files: page.map((f) => this.view(f, fields)),
      });
    }
    // files.create, metadata only (folders)
    if (p === '/drive/v3/files' && req.method === 'POST') {
      const meta = JSON.parse(body.toString('utf8') || '{}');
      const f: DriveFile = {
        id: this.newId(),
        name: meta.name ?? 'Untitled',
        mimeType: meta.mimeType ?? 'application/octet-stream',
        parents: meta.parents ?? ['root'],
        content: meta.mimeType === FOLDER ? null : Buffer.alloc(0),
      };
      this.files.set(f.id, f);
      rec.fileId = f.id;
      return this.json(res, 200, this.view(f, query.get('fields')));
    }
    // files.delete (a folder with everything in it)
    const del = /^\/drive\/v3\/files\/([^/]+)$/.exec(p);
    if (del && req.method === 'DELETE') {
      const id = decodeURIComponent(del[1]);
      if (!this.files.has(id))
        return this.json(res, 404, { error: { code: 404, message: 'File not found' } });
      rec.fileId = id;
      const drop = (fid: string) => {
        for (const c of this.children(fid)) drop(c.id);
        this.files.delete(fid);
      };
      drop(id);
      res.writeHead(204).end();
      return;
    }
    // uploads
    const up = /^\/upload\/drive\/v3\/files(?:\/([^/]+))?$/.exec(p);
    if (up) {
      const fileId = up[1] ? decodeURIComponent(up[1]) : null;
      if (fileId && !this.files.has(fileId))
        return this.json(res, 404, { error: { code: 404, message: 'File not found' } });
      const type = query.get('uploadType');
      if (req.method === 'PUT' && query.has('upload_id')) return this.chunk(req, res, rec, body);
      if (type === 'multipart') {
        const boundary = /boundary=([^;]+)/.exec(String(req.headers['content-type']))?.[1];
        if (!boundary) return this.json(res, 400, { error: { code: 400, message: 'no boundary' } });
        const parts = splitMultipart(body, boundary);
        if (parts.length !== 2)
          return this.json(res, 400, { error: { code: 400, message: 'two parts expected' } });
        const meta = JSON.parse(parts[0].body.toString('utf8'));
        return this.finish(res, rec, fileId, meta, parts[1].body, query.get('fields'));
      }
      if (type === 'media' && fileId) return this.finish(res, rec, fileId, {}, body, query.get('fields'));
      if (type === 'resumable') {
        const total = Number(req.headers['x-upload-content-length']);
        const id = randomBytes(8).toString('hex');
        this.sessions.set(id, {
          meta: JSON.parse(body.toString('utf8') || '{}'),
          fileId,
          total,
          data: Buffer.alloc(0),
        });
        res.writeHead(200, {
          location: `${this.url}/upload/drive/v3/files?uploadType=resumable&upload_id=${id}`,
        });
        res.end();
        return;
      }
    }
    return this.json(res, 404, { error: { code: 404, message: `no route ${req.method} ${p}` } });
  }

  /** A PUT to a resumable session: a chunk (`bytes a-b/total`) or a status query (`bytes * /total`). */
  private chunk(req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest, body: Buffer) {
    const u = new URL(req.url ?? '/', this.url);
    const s = this.sessions.get(u.searchParams.get('upload_id')!);
    if (!s) return this.json(res, 404, { error: { code: 404, message: 'no such upload session' } });
    const range = String(req.headers['content-range'] ?? '');
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    if (m) {
      const start = Number(m[1]);
      if (start > s.data.length || Number(m[2]) - start + 1 !== body.length)
        return this.json(res, 400, { error: { code: 400, message: `bad Content-Range ${range}` } });
      s.data = Buffer.concat([s.data.subarray(0, start), body]);
    } else if (!/^bytes \*\/\d+$/.test(range))
      return this.json(res, 400, { error: { code: 400, message: `bad Content-Range ${range}` } });
    if (s.data.length >= s.total) {
      this.sessions.delete(u.searchParams.get('upload_id')!);
      return this.finish(res, rec, s.fileId, s.meta, s.data, 'id');
    }
    res.writeHead(308, s.data.length ? { range: `bytes=0-${s.data.length - 1}` } : {});
    res.end();
  }

  private finish(
    res: http.ServerResponse,
    rec: RecordedRequest,
    fileId: string | null,
    meta: { name?: string; parents?: string[]; mimeType?: string },
    content: Buffer,
    fields: string | null,
  ) {
    let f = fileId ? this.files.get(fileId) : undefined;
    if (!f) {
      f = {
        id: this.newId(),
        name: meta.name ?? 'Untitled',
        mimeType: meta.mimeType ?? 'application/octet-stream',
        parents: meta.parents ?? ['root'],
        content,
      };
      this.files.set(f.id, f);
    } else f.content = Buffer.from(content);
    rec.fileId = f.id;
    return this.json(res, 200, this.view(f, fields));
  }
}

function splitMultipart(body: Buffer, boundary: string): Array<{ headers: string; body: Buffer }> {
  const delim = Buffer.from(`--${boundary}`);
  const parts: Array<{ headers: string; body: Buffer }> = [];
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    let part = body.subarray(start, next);
    if (part.subarray(0, 2).toString() === '\r\n') part = part.subarray(2);
    if (part.subarray(-2).toString() === '\r\n') part = part.subarray(0, -2);
    const sep = part.indexOf('\r\n\r\n');
    parts.push({ headers: part.subarray(0, sep).toString('utf8'), body: part.subarray(sep + 4) });
    pos = next;
  }
  return parts;
}
