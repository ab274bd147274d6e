/**
 * A git server on 127.0.0.1 that demands a token, as github.com does for a private repository:
 * `git http-backend` (git's own smart HTTP server, as a CGI) behind a small node http server that
 * answers 401 unless the request carries `Authorization: basic base64(x-access-token:<token>)`, which
 * is what actions/checkout's extraheader sends. Repositories are bare folders under `root`, served
 * at /<owner>/<name>.git.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface GitServer {
  url: string;
  /** The token a request must carry. */
  token: string;
  requests: Array<{ method: string; path: string; authorized: boolean }>;
  close(): Promise<void>;
}

const backend = path.join(
  spawnSync('git', ['--exec-path'], { encoding: 'utf8' }).stdout.trim(),
  'git-http-backend',
);

export async function startGitServer(root: string, token: string): Promise<GitServer> {
  const expected = `basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  const server: GitServer = {
    url: '',
    token,
    requests: [],
    close: () =>
      new Promise((r) => {
        http_.closeAllConnections();
        http_.close(() => r());
      }),
  };
  const http_ = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const authorized = (req.headers.authorization ?? '').toLowerCase() === expected.toLowerCase();
    server.requests.push({ method: req.method ?? '', path: url.pathname + url.search, authorized });
    if (!authorized) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' });
      return res.end('Authentication required\n');
    }
    const cgi = spawn(backend, [], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: 'x-access-token',
        REQUEST_METHOD: req.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) return res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('utf8').split('\r\n')) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const k = line.slice(0, i).trim();
        const v = line.slice(i + 1).trim();
        if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.stderr.on('data', () => {});
    cgi.on('close', () => res.end());
  });
  await new Promise<void>((r) => http_.listen(0, '127.0.0.1', () => r()));
  server.url = `http://127.0.0.1:${(http_.address() as AddressInfo).port}`;
  return server;
}
