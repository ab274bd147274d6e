// The git server of test/lib/git-server.ts, in a process of its own: the tests drive git with
// synchronous calls, which would block a server living in the test's own event loop.
// argv: <root> <token>. Prints {"url"} once listening, then one {"request"} line per request.
import { spawn, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';

const [root, token] = process.argv.slice(2);
const expected = `basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`.toLowerCase();
const backend = path.join(
  spawnSync('git', ['--exec-path'], { encoding: 'utf8' }).stdout.trim(),
  'git-http-backend',
);
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const authorized = (req.headers.authorization ?? '').toLowerCase() === expected;
  say({ request: { method: req.method, path: url.pathname + url.search, authorized } });
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
      REMOTE_ADDR: '127.0.0.1',
      REQUEST_METHOD: req.method,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    },
  });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let done = false;
  cgi.stdout.on('data', (chunk) => {
    if (done) return res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    done = true;
    let status = 200;
    const headers = {};
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
  cgi.stderr.resume();
  cgi.on('close', () => res.end());
});
server.listen(0, '127.0.0.1', () => say({ url: `http://127.0.0.1:${server.address().port}` }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
