/**
 * The one sticky comment per pull request (changesets/action's pattern): found by a hidden marker
 * among all the pull request's comments (every page), and only if we wrote it; updated in place,
 * left alone when nothing changed, created when there is none.
 *
 * "We": the token's identity, whatever the token. A personal token answers `GET /user`; a GitHub App
 * installation token (and the workflow's GITHUB_TOKEN, which is one) gets 403 there, so GraphQL's
 * `viewer` is asked next (it answers installation tokens with the app's `<slug>[bot]` login); when
 * neither answers, the comment that starts with our marker and was written by a bot is ours.
 */
import type { getOctokit } from '@actions/github';
import { COMMENT_MARKER } from './report.js';

type Octokit = ReturnType<typeof getOctokit>;

/** The token's own login, or null when GitHub does not say (then the marker and a bot author decide). */
export async function ourLogin(octokit: Octokit): Promise<string | null> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    // an installation token: 403 "Resource not accessible by integration"
  }
  try {
    const r = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    if (r?.viewer?.login) return r.viewer.login;
  } catch {
    // not answered either: the marker alone
  }
  return null;
}

interface ListedComment {
  id: number;
  body?: string;
  user?: { login?: string; type?: string } | null;
}

/** Our comment among a pull request's comments: the marker first in the body, and our author. */
export function findOurs<C extends ListedComment>(comments: C[], me: string | null): C | undefined {
  const marked = comments.filter((c) => (c.body ?? '').startsWith(COMMENT_MARKER));
  // GraphQL may name an app without REST's `[bot]` suffix: either spelling is the same author
  const bare = (login?: string) => (login ?? '').replace(/\[bot\]$/, '');
  if (me)
    return (
      marked.find((c) => c.user?.login === me) ??
      marked.find((c) => c.user?.type === 'Bot' && bare(c.user?.login) === bare(me))
    );
  // the identity unknown (the workflow's token answers neither): the Actions bot's first, then any bot's
  return (
    marked.find((c) => c.user?.login === 'github-actions[bot]') ?? marked.find((c) => c.user?.type === 'Bot')
  );
}

export async function upsertComment(
  octokit: Octokit,
  where: { owner: string; repo: string; issue_number: number },
  body: string,
  opts: { createIfMissing?: boolean } = {},
): Promise<{ action: 'created' | 'updated' | 'unchanged' | 'none'; id: number | null }> {
  const me = await ourLogin(octokit);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...where, per_page: 100 });
  const mine = findOurs(comments, me);
  if (mine) {
    if (mine.body === body) return { action: 'unchanged', id: mine.id };
    try {
      await octokit.rest.issues.updateComment({
        owner: where.owner,
        repo: where.repo,
        comment_id: mine.id,
        body,
      });
      return { action: 'updated', id: mine.id };
    } catch (e) {
      // it was not ours after all (found by the marker and a bot author): ours is a new one
      if ((e as { status?: number }).status !== 403) throw e;
    }
  }
  if (opts.createIfMissing === false) return { action: 'none', id: null };
  const created = await octokit.rest.issues.createComment({ ...where, body });
  return { action: 'created', id: created.data.id };
}
