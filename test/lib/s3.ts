/**
 * A real S3 protocol server (s3rver) on 127.0.0.1, behind a small proxy that adds what s3rver lacks
 * and what the tests need: Glacier's behaviour (GetObject of a DEEP_ARCHIVE object answers
 * InvalidObjectState until a RestoreObject has been issued and the restore is marked done), and faults
 * (a connection dropped in the middle of an upload, uploads that fail).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface S3StandIn {
  url: string;
  bucket: string;
  env: NodeJS.ProcessEnv;
  requests: Array<{ method: string; path: string }>;
  /** Emulate Glacier for objects stored as DEEP_ARCHIVE. */
  glacier: boolean;
  restoreRequested: Set<string>;
  restored: Set<string>;
  /** Drop the connection of the next upload request whose path matches, once. */
  dropNextUpload: RegExp | null;
  dropped: string[];
  /** Upload requests whose path matches answer 500. */
  failUploads: RegExp | null;
  keys(): Promise<string[]>;
  get(key: string): Promise<Buffer>;
  close(): Promise<void>;
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>standin</RequestId></Error>`;

export async function startS3(bucket = 'agent-archive'): Promise<S3StandIn> {
  const S3rver = require('s3rver');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'at-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: dir,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const frozen = new Set<string>();
  const s: S3StandIn = {
    url: '',
    bucket,
    env: {},
    requests: [],
    glacier: false,
    restoreRequested: new Set(),
    restored: new Set(),
    dropNextUpload: null,
    dropped: [],
    failUploads: null,
    async keys() {
      const out: string[] = [];
      const walk = async (token?: string): Promise<void> => {
        const url = `http://127.0.0.1:${port}/${bucket}?list-type=2${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`;
        const text = await (await fetch(url)).text();
        for (const m of text.matchAll(/<Key>([^<]+)<\/Key>/g)) out.push(m[1].replace(/&amp;/g, '&'));
        const next = /<NextContinuationToken>([^<]+)</.exec(text);
        if (next) await walk(next[1]);
      };
      await walk();
      return out.sort();
    },
    async get(key: string) {
      return Buffer.from(await (await fetch(`http://127.0.0.1:${port}/${bucket}/${key}`)).arrayBuffer());
    },
    close: async () => {
      await new Promise<void>((r) => proxy.close(() => r()));
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  const proxy = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = decodeURIComponent(url.pathname.replace(`/${bucket}/`, ''));
    s.requests.push({ method: req.method ?? '', path: url.pathname + url.search });
    const upload = req.method === 'PUT' || (req.method === 'POST' && url.searchParams.has('uploads'));
    if (upload && (req.headers['x-amz-storage-class'] ?? '') === 'DEEP_ARCHIVE') frozen.add(key);
    if (upload && s.failUploads?.test(url.pathname)) {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/xml' });
      return res.end(xmlError('InternalError', 'We encountered an internal error. Please try again.'));
    }
    if (req.method === 'PUT' && s.dropNextUpload?.test(url.pathname)) {
      s.dropNextUpload = null;
      s.dropped.push(url.pathname);
      // take part of the body, then cut the connection
      req.once('data', () => req.socket.destroy());
      return;
    }
    if (s.glacier && req.method === 'POST' && url.searchParams.has('restore')) {
      req.resume();
      if (s.restoreRequested.has(key) && !s.restored.has(key)) {
        res.writeHead(409, { 'content-type': 'application/xml' });
        return res.end(xmlError('RestoreAlreadyInProgress', 'Object restore is already in progress'));
      }
      s.restoreRequested.add(key);
      res.writeHead(202);
      return res.end();
    }
    if (s.glacier && req.method === 'GET' && frozen.has(key) && !s.restored.has(key)) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/xml' });
      return res.end(
        xmlError('InvalidObjectState', "The operation is not valid for the object's storage class"),
      );
    }
    const forward = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  s.url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  s.env = {
    AWS_ENDPOINT_URL: s.url,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  };
  return s;
}
