/**
 * The few things the store needs from GitHub: which GitHub repository a remote is, a token when the
 * developer has one, and the `repository_dispatch` that tells the workflow the branch moved.
 *
 * Why a dispatch: GitHub reads a workflow from the pushed commit, and the orphan agent-tracking
 * branch has no `.github/`, so a push of it starts no workflow. A `repository_dispatch` runs the
 * default branch's workflow (the one `init` wrote) at once: a phase ended with `phase end --no-review`
 * is reviewed minutes later instead of at the next cron, and the pull requests' comments follow the
 * branch. Without a token nothing is sent and the daily schedule still reviews.
 */
import { spawnSync } from 'node:child_process';
import type { RepoPaths } from './paths.js';

/** The `repository_dispatch` event type the workflow init writes listens to. */
export const DISPATCH_EVENT = 'agent-tracking';

/** `owner/name` of a GitHub repository URL (https, ssh, git+https, scp-like), or null. */
export function githubSlug(url: string): string | null {
  const m =
    /^(?:git\+)?(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/(?:[^@/]+@)?|[^@/\s]+@)?github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  return m ? `${m[1]}/${m[2]}` : null;
}

/** The remote's URL (a remote name is looked up; a URL is itself). */
export function remoteUrl(paths: RepoPaths, remote: string): string | null {
  if (!/^[\w.-]+$/.test(remote)) return remote;
  const r = spawnSync('git', ['config', '--get', `remote.${remote}.url`], {
    cwd: paths.workTree,
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * The GitHub repository a remote is: AGENT_TRACK_GITHUB_REPOSITORY when set (GitHub Enterprise, a
 * mirror), else read from the remote's URL.
 */
export function githubRepoOf(paths: RepoPaths, remote: string): string | null {
  const forced = process.env.AGENT_TRACK_GITHUB_REPOSITORY;
  if (forced && /^[\w.-]+\/[\w.-]+$/.test(forced)) return forced;
  const url = remoteUrl(paths, remote);
  return url ? githubSlug(url) : null;
}

/** A token, from the environment or the GitHub CLI's login; never prompts, never reads git's credentials. */
export function githubToken(): { token: string; from: string } | null {
  for (const name of ['AGENT_TRACK_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN']) {
    const v = process.env[name]?.trim();
    if (v) return { token: v, from: name };
  }
  if (process.env.AGENT_TRACK_NO_GH === '1') return null;
  const gh = spawnSync('gh', ['auth', 'token'], { encoding: 'utf8', timeout: 3_000 });
  const v = gh.status === 0 ? gh.stdout.trim() : '';
  return v ? { token: v, from: 'gh auth token' } : null;
}

export interface DispatchResult {
  sent: boolean;
  /** owner/name, when the remote is a GitHub repository. */
  repo: string | null;
  /** Why nothing was sent, or what GitHub answered when it refused. */
  reason: string | null;
}

/** Tells the repository's workflow that the tracking branch moved (to `tip`). Bounded: 10 s. */
export async function dispatchBranchMoved(
  paths: RepoPaths,
  remote: string,
  tip: string,
): Promise<DispatchResult> {
  const repo = githubRepoOf(paths, remote);
  if (!repo) return { sent: false, repo: null, reason: `${remote} is not a GitHub repository` };
  const auth = githubToken();
  if (!auth)
    return {
      sent: false,
      repo,
      reason:
        'no GitHub token (GH_TOKEN, GITHUB_TOKEN or `gh auth login`): the daily run of the workflow reviews instead',
    };
  const api = (process.env.AGENT_TRACK_GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  try {
    const res = await fetch(`${api}/repos/${repo}/dispatches`, {
      method: 'POST',
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${auth.token}`,
        'content-type': 'application/json',
        'user-agent': 'agent-track',
        'x-github-api-version': '2022-11-28',
      },
      body: JSON.stringify({ event_type: DISPATCH_EVENT, client_payload: { tip } }),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 204 || res.ok) return { sent: true, repo, reason: null };
    const text = (await res.text().catch(() => '')).slice(0, 300);
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON
    }
    const advice =
      res.status === 403 || res.status === 404
        ? ` (the token from ${auth.from} needs Contents: write on ${repo})`
        : '';
    return { sent: false, repo, reason: `GitHub answered ${res.status}: ${message}${advice}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return {
      sent: false,
      repo,
      reason: `could not reach ${api}: ${err.cause?.code ?? err.cause?.message ?? err.message}`,
    };
  }
}
