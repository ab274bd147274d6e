/**
 * A stand-in for the GitHub REST API on 127.0.0.1: the issue-comment endpoints the Action uses, with
 * real pagination (Link headers), recorded requests, and the answers GitHub gives a workflow token
 * (GET /user is 403 for it; a read-only token gets 403 on writes).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface FakeGitHub {
  url: string;
  requests: Array<{ method: string; path: string; body: unknown }>;
  /** Comments by issue number. */
  comments: Map<number, Comment[]>;
  /** Writes answer 403 (a fork's read-only token). */
  readOnly: boolean;
  close(): Promise<void>;
}

export const BOT = { login: 'github-actions[bot]', type: 'Bot' };

export async function startFakeGitHub(): Promise<FakeGitHub> {
  let nextId = 1000;
  const fake: FakeGitHub = {
    url: '',
    requests: [],
    comments: new Map(),
    readOnly: false,
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = raw ? JSON.parse(raw) : null;
      fake.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body });
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(data));
      };
      const forbidden = () =>
        send(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest',
        });
      if (req.method === 'GET' && url.pathname === '/user') return forbidden();
      let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (m) {
        const n = Number(m[3]);
        const list = fake.comments.get(n) ?? [];
        if (req.method === 'GET') {
          const perPage = Number(url.searchParams.get('per_page') ?? 30);
          const page = Number(url.searchParams.get('page') ?? 1);
          const pages = Math.max(1, Math.ceil(list.length / perPage));
          const headers: Record<string, string> = {};
          if (page < pages) {
            const next = new URL(url.toString().replace('http://x', fake.url));
            next.searchParams.set('page', String(page + 1));
            headers.link = `<${next}>; rel="next", <${next.toString().replace(/page=\d+/, `page=${pages}`)}>; rel="last"`;
          }
          return send(200, list.slice((page - 1) * perPage, page * perPage), headers);
        }
        if (req.method === 'POST') {
          if (fake.readOnly) return forbidden();
          const c: Comment = { id: nextId++, body: body.body, user: BOT };
          fake.comments.set(n, [...list, c]);
          return send(201, c);
        }
      }
      m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (m && req.method === 'PATCH') {
        if (fake.readOnly) return forbidden();
        for (const list of fake.comments.values()) {
          const c = list.find((x) => x.id === Number(m![3]));
          if (c) {
            c.body = body.body;
            return send(200, c);
          }
        }
        return send(404, { message: 'Not Found' });
      }
      send(404, { message: `Not Found: ${req.method} ${url.pathname}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
