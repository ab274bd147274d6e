/**
 * The share of a pull request's added lines that agents wrote, for the PR comment and the review:
 * the lines `head` adds to its merge base with `base`, each attributed as `blame` does (at `head`),
 * counted by agent type and model, with the sessions. Its own module so the comment's renderer
 * (src/action/report.ts) only prints what this computes.
 */
import type { RepoPaths } from '../store/paths.js';
import { Attribution, type RangeShare, rangeShare } from './blame.js';
import { runGit } from './git.js';

export type { RangeShare };

/**
 * The share for `base...head` (branch names or commits), or null when either commit is not in this
 * clone (a shallow checkout: the Action then says nothing rather than a wrong figure).
 */
export async function prLineShare(paths: RepoPaths, base: string, head: string): Promise<RangeShare | null> {
  for (const rev of [base, head]) {
    try {
      runGit(paths.workTree, ['cat-file', '-e', `${rev}^{commit}`]);
    } catch {
      return null;
    }
  }
  try {
    runGit(paths.workTree, ['merge-base', base, head]);
  } catch {
    return null; // no merge base in a shallow history
  }
  return rangeShare(await Attribution.open(paths), base, head);
}

const pct = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)}%` : '0%');
const list = (rec: Record<string, number>) =>
  Object.entries(rec)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
    .join(', ');

/** Markdown lines for the comment: the share, by agent type and model, and the sessions. */
export function renderLineShare(s: RangeShare): string[] {
  if (!s.addedLines) return ['**Lines written by agents:** no lines added.', ''];
  const parts = [
    `**Lines written by agents:** ${pct(s.agentLines, s.addedLines)} (${s.agentLines.toLocaleString('en-US')} of ${s.addedLines.toLocaleString('en-US')} added lines)`,
  ];
  if (s.agentLines) {
    parts.push(`by agent type: ${list(s.byAgentType)}`);
    parts.push(`by model: ${list(s.byModel)}`);
    parts.push(`sessions: ${s.sessions.map((id) => `\`${id.slice(0, 8)}\``).join(', ')}`);
  }
  return [parts.join(' · '), ''];
}
