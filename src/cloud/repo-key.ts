/**
 * The `repo=` key of the S3 layout (archive and lake): the same for every clone of a repository, so
 * an organisation's repositories each write one partition under a shared prefix.
 *
 *   1. `archive.repo` in .agent-tracking.yml (`owner/name`), when set: the explicit name wins;
 *   2. else the remote's URL (`origin`, or the first remote when there is no `origin`): its last two
 *      path segments, `owner-name`, lower-cased (GitHub, GitLab and Bitbucket names are
 *      case-insensitive, and two clones may spell them differently), `.git` dropped;
 *   3. else (no remote, or a remote that is a local path): `local-<12 hex>` of the repository's
 *      first commit (the smallest root commit of HEAD's history, which every clone shares);
 *   4. else (not a single commit yet) the work tree's folder name.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { RepoPaths } from '../store/paths.js';

const clean = (s: string) => s.replace(/[^\w.-]+/g, '_');

const git = (paths: RepoPaths, args: string[]): string | null => {
  const r = spawnSync('git', args, { cwd: paths.workTree, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};

/** `owner-name` of a remote URL (https, ssh, scp-like), or null for a local path or file:// URL. */
export function repoKeyOfUrl(url: string): string | null {
  if (!url || /^file:/i.test(url)) return null;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(.+)$/i.exec(url) ?? /^(?:[^@/]+@)?[^:/]+:(?!\/)(.+)$/.exec(url);
  if (!m) return null;
  const parts = m[1]
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => clean(p.toLowerCase()));
  if (parts.length >= 2) return `${parts.at(-2)}-${parts.at(-1)}`;
  return parts.length === 1 ? parts[0] : null;
}

/** The repository's `repo=` key (see the module's comment for how it is derived). */
export function repoKey(paths: RepoPaths, configured?: string | null): string {
  if (configured?.trim()) {
    const parts = configured
      .trim()
      .replace(/\.git$/, '')
      .split('/')
      .filter(Boolean);
    return parts.map((p) => clean(p.toLowerCase())).join('-');
  }
  const remotes = (git(paths, ['remote']) ?? '').split('\n').filter(Boolean);
  const remote = remotes.includes('origin') ? 'origin' : remotes.sort()[0];
  if (remote) {
    const key = repoKeyOfUrl(git(paths, ['config', '--get', `remote.${remote}.url`]) ?? '');
    if (key) return key;
  }
  const roots = (git(paths, ['rev-list', '--max-parents=0', 'HEAD']) ?? '').split('\n').filter(Boolean);
  if (roots.length) return `local-${roots.sort()[0].slice(0, 12)}`;
  return clean(path.basename(paths.workTree));
}
