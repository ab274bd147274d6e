/**
 * Whose session a command means when none is named: mine, i.e. recorded by this clone (this host, a
 * work tree of this clone: the main one or a linked worktree) under this git identity; on this git
 * branch first, then on any. After a `pull` the branch holds teammates' sessions too: they are used
 * only when named. A session that says nothing of its host, folder or author (an older release, an
 * import) is not held against: it counts as mine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SessionSummary } from '../model/session.js';
import { gitIdentity } from '../store/git.js';
import type { RepoPaths } from '../store/paths.js';

export interface Me {
  email: string | null;
  host: string;
  /** The work trees of this clone. */
  workTrees: string[];
}

export function whoAmI(paths: RepoPaths): Me {
  const trees = new Set<string>([paths.workTree]);
  if (path.basename(paths.commonDir) === '.git') trees.add(path.dirname(paths.commonDir));
  try {
    for (const name of fs.readdirSync(path.join(paths.commonDir, 'worktrees'))) {
      try {
        const gitFile = fs
          .readFileSync(path.join(paths.commonDir, 'worktrees', name, 'gitdir'), 'utf8')
          .trim();
        trees.add(path.dirname(path.resolve(paths.commonDir, 'worktrees', name, gitFile)));
      } catch {
        // a half-removed worktree
      }
    }
  } catch {
    // no linked worktree
  }
  const email = gitIdentity(paths.workTree).email;
  return {
    email: email === 'agent-track@localhost' ? null : email,
    host: os.hostname(),
    workTrees: [...trees].map((t) => {
      try {
        return fs.realpathSync(t);
      } catch {
        return t;
      }
    }),
  };
}

const inside = (dir: string, roots: string[]) => {
  let d = dir;
  try {
    d = fs.realpathSync(dir);
  } catch {
    // a folder since removed: compare as written
  }
  return roots.some(
    (r) => d === r || d.startsWith(r + path.sep) || dir === r || dir.startsWith(r + path.sep),
  );
};

export function isMine(
  s: Pick<SessionSummary, 'author' | 'host' | 'cwd'> & { host?: string | null },
  me: Me,
): boolean {
  if (s.host && s.host !== me.host) return false;
  if (s.cwd && !inside(s.cwd, me.workTrees)) return false;
  if (s.author?.email && me.email && s.author.email !== me.email) return false;
  return true;
}

export interface Candidate {
  session: string;
  at: string;
  branch: string | null;
  mine: boolean;
}

/**
 * The session to use: the latest of mine on this git branch, else the latest of mine. Null when none
 * is mine; `others` then says how many teammates' sessions there are (to say so in the error).
 */
export function pickMine(
  list: Candidate[],
  gitBranch: string | null,
  exclude: string | null,
): { session: string | null; others: number } {
  const pool = list.filter((c) => c.session !== exclude);
  const mine = pool.filter((c) => c.mine);
  const latest = (xs: Candidate[]) =>
    [...xs].sort((a, b) => a.at.localeCompare(b.at)).at(-1)?.session ?? null;
  const onBranch = mine.filter((c) => c.branch === gitBranch);
  return {
    session: latest(onBranch) ?? latest(mine),
    others: pool.length - mine.length,
  };
}

/** The session Claude Code is running this command in (its Bash tool and `!` commands have it). */
export const currentClaudeSession = (): string | null => process.env.CLAUDE_CODE_SESSION_ID || null;

/** The one sentence every command says when none of the sessions is mine. */
export function noneOfMine(me: Me, others: number): string {
  const who = me.email ? `git identity ${me.email}` : 'this git identity';
  return `no session of yours (${who}, this clone) recorded yet${
    others
      ? `; ${others} session${others === 1 ? '' : 's'} of teammates ${others === 1 ? 'is' : 'are'} on the branch: name one with --session ID (see \`sessions\`)`
      : '; give --session ID'
  }`;
}
