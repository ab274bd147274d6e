/**
 * `agent-track auth drive`: the OAuth loopback flow of a desktop client. A one-shot HTTP server on
 * 127.0.0.1 (a free port) receives Google's redirect; PKCE (S256) and `state` tie it to this run; the
 * code is exchanged for a refresh token, which is printed for the user to put in their environment or
 * in an Actions secret. The token is never written to a file or a log.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DriveCredentialsError } from './drive.js';

export const DRIVE_FILE_SCOPE = 'https://www.googleapis.com/auth/drive.file';

export interface LoopbackOptions {
  clientId?: string;
  clientSecret?: string;
  env?: NodeJS.ProcessEnv;
  /** Try to open the consent page in a browser (xdg-open / open), quietly. */
  open?: boolean;
  timeoutMs?: number;
  /** Told the consent URL once the server listens. */
  onUrl: (url: string) => void;
}

export interface LoopbackResult {
  refreshToken: string;
  scope: string | null;
}

const base64url = (b: Buffer) => b.toString('base64url');

/** The PKCE pair: a random verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(48));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {}); // no browser opener: the printed URL is enough
    child.unref();
  } catch {
    // the same
  }
}

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><p>${text}</p>`;

export async function driveLoopbackAuth(opts: LoopbackOptions): Promise<LoopbackResult> {
  const env = opts.env ?? process.env;
  const clientId = opts.clientId?.trim() || env.AGENT_TRACK_DRIVE_CLIENT_ID?.trim();
  const clientSecret = opts.clientSecret?.trim() || env.AGENT_TRACK_DRIVE_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret)
    throw new DriveCredentialsError(
      'no OAuth client: pass --client-id and --client-secret (or set AGENT_TRACK_DRIVE_CLIENT_ID and AGENT_TRACK_DRIVE_CLIENT_SECRET) of a Google Cloud OAuth client of type "Desktop app"',
    );
  const { auth } = await import('@googleapis/drive');
  const tokenUrl = env.AGENT_TRACK_GOOGLE_TOKEN_URL?.trim();
  const authUrl = env.AGENT_TRACK_GOOGLE_AUTH_URL?.trim();
  const { verifier, challenge } = pkcePair();
  const state = base64url(randomBytes(24));
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const redirectUri = `http://127.0.0.1:${port}/`;
  const client = new auth.OAuth2({
    clientId,
    clientSecret,
    redirectUri,
    endpoints: {
      ...(tokenUrl ? { oauth2TokenUrl: tokenUrl } : {}),
      ...(authUrl ? { oauth2AuthBaseUrl: authUrl } : {}),
    },
  });
  const url = client.generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: [DRIVE_FILE_SCOPE],
    code_challenge_method: 'S256' as never,
    code_challenge: challenge,
    state,
  });

  try {
    const code = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no answer from the browser within ${Math.round(timeoutMs / 1000)} s: run agent-track auth drive again and open the printed URL`,
            ),
          ),
        timeoutMs,
      );
      timer.unref();
      server.on('request', (req, res) => {
        const u = new URL(req.url ?? '/', redirectUri);
        const got = u.searchParams;
        if (!got.has('code') && !got.has('error')) {
          res.writeHead(404).end();
          return;
        }
        if (got.get('state') !== state) {
          // not our consent (a stale tab, or someone else's request): keep waiting for ours
          res
            .writeHead(400, { 'content-type': 'text/html' })
            .end(page('agent-track', 'Unknown state; ignored.'));
          return;
        }
        clearTimeout(timer);
        if (got.has('error')) {
          res
            .writeHead(400, { 'content-type': 'text/html' })
            .end(page('agent-track', 'Authorization was not granted. You can close this tab.'));
          reject(new Error(`Google did not grant access: ${got.get('error')}`));
          return;
        }
        res
          .writeHead(200, { 'content-type': 'text/html', connection: 'close' })
          .end(page('agent-track', 'agent-track is authorized. You can close this tab.'));
        resolve(got.get('code')!);
      });
      opts.onUrl(url);
      if (opts.open) openBrowser(url);
    });
    const { tokens } = await client.getToken({ code, codeVerifier: verifier, redirect_uri: redirectUri });
    if (!tokens.refresh_token)
      throw new Error(
        'Google returned no refresh token: remove agent-track from https://myaccount.google.com/permissions and run agent-track auth drive again',
      );
    return { refreshToken: tokens.refresh_token, scope: tokens.scope ?? null };
  } catch (e) {
    const err = e as {
      response?: { data?: { error?: string; error_description?: string } };
      message?: string;
    };
    const d = err.response?.data;
    if (d?.error)
      throw new Error(
        `the token exchange failed: ${d.error}${d.error_description ? ` (${d.error_description})` : ''}`,
      );
    throw e;
  } finally {
    server.closeAllConnections?.();
    server.close();
  }
}
