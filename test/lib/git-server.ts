/**
 * A git server on 127.0.0.1 that demands a token, as github.com does for a private repository:
 * `git http-backend` (git's own smart HTTP server, as a CGI) behind a small node http server that
 * answers 401 unless the request carries `Authorization: basic base64(x-access-token:<token>)`, which
 * is what actions/checkout's extraheader sends. Repositories are bare folders under `root`, served
 * at /<owner>/<name>.git. It runs in a process of its own (git-server-process.mjs), so the tests'
 * synchronous git calls do not block it.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

export interface GitServer {
  url: string;
  /** The token a request must carry. */
  token: string;
  requests: Array<{ method: string; path: string; authorized: boolean }>;
  close(): Promise<void>;
}

export async function startGitServer(root: string, token: string): Promise<GitServer> {
  const child = spawn(process.execPath, [path.join(__dirname, 'git-server-process.mjs'), root, token], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const server: GitServer = {
    url: '',
    token,
    requests: [],
    close: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
      }),
  };
  // requests are reported as they come; a test reads them after its git call returned
  const lines = readline.createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the git server exited (${code})`)));
    lines.on('line', (line) => {
      const m = JSON.parse(line) as { url?: string; request?: GitServer['requests'][number] };
      if (m.url) {
        server.url = m.url;
        resolve();
      }
      if (m.request) server.requests.push(m.request);
    });
  });
  return server;
}
