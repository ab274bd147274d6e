/**
 * The one sticky comment per pull request (changesets/action's pattern): found by a hidden marker
 * among all the pull request's comments (every page), and only if we wrote it; updated in place,
 * left alone when nothing changed, created when there is none.
 */
import type { getOctokit } from '@actions/github';
import { COMMENT_MARKER } from './report.js';

type Octokit = ReturnType<typeof getOctokit>;

/** The token's own login: a personal token can ask; the workflow token cannot (403), and writes as github-actions[bot]. */
export async function ourLogin(octokit: Octokit): Promise<string> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    return 'github-actions[bot]';
  }
}

export async function upsertComment(
  octokit: Octokit,
  where: { owner: string; repo: string; issue_number: number },
  body: string,
): Promise<{ action: 'created' | 'updated' | 'unchanged'; id: number }> {
  const me = await ourLogin(octokit);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...where, per_page: 100 });
  const mine = comments.find((c) => c.user?.login === me && (c.body ?? '').includes(COMMENT_MARKER));
  if (mine) {
    if (mine.body === body) return { action: 'unchanged', id: mine.id };
    await octokit.rest.issues.updateComment({
      owner: where.owner,
      repo: where.repo,
      comment_id: mine.id,
      body,
    });
    return { action: 'updated', id: mine.id };
  }
  const created = await octokit.rest.issues.createComment({ ...where, body });
  return { action: 'created', id: created.data.id };
}
