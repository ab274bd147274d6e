/** The only module that talks to isomorphic-git: blobs, trees and commits on the common git dir. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import git from 'isomorphic-git';

export interface TreeEntry {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
}

export interface Identity {
  name: string;
  email: string;
}

/** Git orders tree entries byte-wise, with a tree's name compared as if it ended in '/'. */
export function sortTree(entries: TreeEntry[]): TreeEntry[] {
  const key = (e: TreeEntry) => (e.type === 'tree' ? `${e.path}/` : e.path);
  return [...entries].sort((a, b) => Buffer.compare(Buffer.from(key(a)), Buffer.from(key(b))));
}

export class ObjectStore {
  constructor(readonly gitdir: string) {}

  writeBlob(content: string | Uint8Array): Promise<string> {
    const blob = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    return git.writeBlob({ fs, gitdir: this.gitdir, blob });
  }

  writeTree(entries: TreeEntry[]): Promise<string> {
    return git.writeTree({ fs, gitdir: this.gitdir, tree: sortTree(entries) });
  }

  async readTree(oid: string): Promise<TreeEntry[]> {
    const { tree } = await git.readTree({ fs, gitdir: this.gitdir, oid });
    return tree as TreeEntry[];
  }

  async readBlob(oid: string): Promise<string> {
    const { blob } = await git.readBlob({ fs, gitdir: this.gitdir, oid });
    return Buffer.from(blob).toString('utf8');
  }

  async readCommit(
    oid: string,
  ): Promise<{ tree: string; parent: string[]; message: string; author: Identity & { timestamp: number } }> {
    const { commit } = await git.readCommit({ fs, gitdir: this.gitdir, oid });
    return commit;
  }

  writeCommit(tree: string, parents: string[], message: string, who: Identity): Promise<string> {
    const now = new Date();
    const sig = {
      ...who,
      timestamp: Math.floor(now.getTime() / 1000),
      timezoneOffset: now.getTimezoneOffset(),
    };
    return git.writeCommit({
      fs,
      gitdir: this.gitdir,
      commit: { tree, parent: parents, message, author: sig, committer: sig },
    });
  }
}

/** The user's git identity (git config, all levels), or a neutral one when none is configured. */
export function gitIdentity(cwd: string): Identity {
  const get = (key: string): string => {
    try {
      return execFileSync('git', ['config', '--get', key], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return '';
    }
  };
  const name = process.env.GIT_AUTHOR_NAME || get('user.name');
  const email = process.env.GIT_AUTHOR_EMAIL || get('user.email');
  return { name: name || 'agent-track', email: email || 'agent-track@localhost' };
}
