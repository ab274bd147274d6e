/**
 * A stand-in for the GitHub REST API on 127.0.0.1: the endpoints the Action and `agent-track push`
 * use (issue comments with real pagination and Link headers, pull requests and their commits,
 * GraphQL `viewer`, repository dispatches), recorded requests, and the answers GitHub gives each kind
 * of token:
 * - the workflow's GITHUB_TOKEN (`ghs_actions…`): `GET /user` 403, GraphQL `viewer` refused too in
 *   this stand-in (the Action must then find its comment by the marker alone); writes as github-actions[bot]
 * - a GitHub App installation token (`ghs_app…`): `GET /user` 403, `viewer` answers the app's bot login
 * - a personal token (`ghp_…` / `github_pat_…`): `GET /user` answers the person, who writes as a User
 * A body over 65,536 characters is refused with 422, as GitHub does.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface PullRequest {
  number: number;
  head: { ref: string; repo: { full_name: string } | null };
  base: { ref: string };
  state?: string;
  /** Its commits' shas. */
  commits: string[];
}

export interface FakeGitHub {
  url: string;
  requests: Array<{ method: string; path: string; body: unknown; token: string | null }>;
  /** Comments by issue number. */
  comments: Map<number, Comment[]>;
  pulls: PullRequest[];
  dispatches: Array<{ repo: string; event_type: string; client_payload: unknown; token: string | null }>;
  /** Writes answer 403 (a fork's read-only token). */
  readOnly: boolean;
  close(): Promise<void>;
}

export const BOT = { login: 'github-actions[bot]', type: 'Bot' };
export const APP_BOT = { login: 'acme-reviewer[bot]', type: 'Bot' };
export const PAT_USER = { login: 'dev-lead', type: 'User' };

/** Who a token is, as GitHub would say it. */
export function identity(token: string | null): { login: string; type: string } | null {
  if (!token) return null;
  if (token.startsWith('ghs_app')) return APP_BOT;
  if (token.startsWith('ghp_') || token.startsWith('github_pat_')) return PAT_USER;
  if (token.startsWith('ghs_')) return BOT;
  return null;
}

export const GITHUB_COMMENT_LIMIT = 65_536;

export async function startFakeGitHub(): Promise<FakeGitHub> {
  let nextId = 1000;
  const fake: FakeGitHub = {
    url: '',
    requests: [],
    comments: new Map(),
    pulls: [],
    dispatches: [],
    readOnly: false,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = raw ? JSON.parse(raw) : null;
      const token = /^(?:token|bearer)\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
      const who = identity(token);
      fake.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body, token });
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        if (status === 204) {
          res.writeHead(204, headers);
          return res.end();
        }
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(data));
      };
      const forbidden = () =>
        send(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest',
        });
      if (!who) return send(401, { message: 'Bad credentials' });
      /** A page of `list`, with GitHub's Link header. */
      const page = (list: unknown[]) => {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const n = Number(url.searchParams.get('page') ?? 1);
        const pages = Math.max(1, Math.ceil(list.length / perPage));
        const headers: Record<string, string> = {};
        if (n < pages) {
          const next = new URL(url.toString().replace('http://x', fake.url));
          next.searchParams.set('page', String(n + 1));
          headers.link = `<${next}>; rel="next", <${next.toString().replace(/page=\d+/, `page=${pages}`)}>; rel="last"`;
        }
        return send(200, list.slice((n - 1) * perPage, n * perPage), headers);
      };
      if (req.method === 'GET' && url.pathname === '/user')
        return who.type === 'User' ? send(200, { login: who.login, type: 'User' }) : forbidden();
      if (req.method === 'POST' && url.pathname === '/graphql') {
        if (/viewer/.test(body?.query ?? '') && who !== BOT)
          return send(200, { data: { viewer: { login: who.login } } });
        return send(200, {
          data: null,
          errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }],
        });
      }
      let m = /^\/repos\/([^/]+)\/([^/]+)\/dispatches$/.exec(url.pathname);
      if (m && req.method === 'POST') {
        if (fake.readOnly) return forbidden();
        fake.dispatches.push({ repo: `${m[1]}/${m[2]}`, ...body, token });
        return send(204, null);
      }
      m = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(url.pathname);
      if (m && req.method === 'GET') {
        const state = url.searchParams.get('state') ?? 'open';
        return page(
          fake.pulls
            .filter((p) => state === 'all' || (p.state ?? 'open') === state)
            .map(({ commits: _c, ...p }) => p),
        );
      }
      m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/commits$/.exec(url.pathname);
      if (m && req.method === 'GET') {
        const pr = fake.pulls.find((p) => p.number === Number(m![3]));
        if (!pr) return send(404, { message: 'Not Found' });
        return page(pr.commits.map((sha) => ({ sha })));
      }
      const tooLong = (): boolean => {
        if (!(typeof body?.body === 'string' && body.body.length > GITHUB_COMMENT_LIMIT)) return false;
        send(422, {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
        });
        return true;
      };
      m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (m) {
        const n = Number(m[3]);
        const list = fake.comments.get(n) ?? [];
        if (req.method === 'GET') return page(list);
        if (req.method === 'POST') {
          if (fake.readOnly) return forbidden();
          if (tooLong()) return;
          const c: Comment = { id: nextId++, body: body.body, user: who };
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
            if (c.user.login !== who.login) return forbidden();
            if (tooLong()) return;
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
