import * as fs from 'node:fs';
import * as path from 'node:path';
import { branchEvents, cleanupTmp, flushNow, git, makeRepo, track } from '../lib/cli.js';

afterAll(cleanupTmp);

/** Records a tiny session from `cwd` and flushes; returns its session_start event as read from the branch. */
function recordFrom(repoRoot: string, cwd: string, session: string) {
  const base = { session_id: session, cwd, transcript_path: '/t.jsonl' };
  for (const p of [
    { ...base, hook_event_name: 'SessionStart', source: 'startup' },
    { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'hello' },
    { ...base, hook_event_name: 'SessionEnd', reason: 'other' },
  ]) {
    const r = track(cwd, ['hook'], JSON.stringify(p), { AGENT_TRACK_NO_FLUSH: '1' });
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
  }
  expect(flushNow(cwd).status).toBe(0);
  return branchEvents(repoRoot).find((e) => e.session === session && e.type === 'session_start');
}

describe('repository shapes', () => {
  test('from a subdirectory', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const sub = path.join(repo, 'a', 'b');
    fs.mkdirSync(sub, { recursive: true });
    expect(recordFrom(repo, sub, 'sub1')).toMatchObject({
      branch: 'main',
      head: git(repo, ['rev-parse', 'HEAD']).trim(),
      cwd: sub,
    });
  });

  test('in a linked worktree: one spool and one branch for the clone', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const wt = path.join(path.dirname(repo), 'wt');
    git(repo, ['worktree', 'add', '-q', '-b', 'feature', wt]);
    expect(recordFrom(repo, wt, 'wt1')).toMatchObject({ branch: 'feature' });
    expect(fs.existsSync(path.join(repo, '.git', 'agent-tracking', 'spool'))).toBe(true);
    expect(fs.existsSync(path.join(repo, '.git', 'worktrees', 'wt', 'agent-tracking'))).toBe(false);
    expect(git(wt, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/feature');
    expect(git(wt, ['status', '--porcelain'])).toBe('');
  });

  test('on a detached HEAD', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    git(repo, ['checkout', '-q', '--detach']);
    expect(recordFrom(repo, repo, 'det1')).toMatchObject({
      branch: null,
      head: git(repo, ['rev-parse', 'HEAD']).trim(),
    });
    expect(() => git(repo, ['symbolic-ref', '-q', 'HEAD'])).toThrow();
  });

  test('mid-rebase: recording leaves the rebase exactly as it was', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'tracking config']);
    fs.writeFileSync(path.join(repo, 'f.txt'), 'base\n');
    git(repo, ['add', 'f.txt']);
    git(repo, ['commit', '-q', '-m', 'base']);
    git(repo, ['checkout', '-q', '-b', 'topic']);
    fs.writeFileSync(path.join(repo, 'f.txt'), 'topic\n');
    git(repo, ['commit', '-q', '-am', 'topic']);
    git(repo, ['checkout', '-q', 'main']);
    fs.writeFileSync(path.join(repo, 'f.txt'), 'main\n');
    git(repo, ['commit', '-q', '-am', 'main']);
    git(repo, ['checkout', '-q', 'topic']);
    expect(() => git(repo, ['rebase', 'main'])).toThrow(); // conflict: the rebase stops
    const status = git(repo, ['status', '--porcelain']);
    expect(fs.existsSync(path.join(repo, '.git', 'rebase-merge'))).toBe(true);
    expect(recordFrom(repo, repo, 'reb1')).toMatchObject({ branch: null });
    expect(fs.existsSync(path.join(repo, '.git', 'rebase-merge'))).toBe(true);
    expect(git(repo, ['status', '--porcelain'])).toBe(status);
    git(repo, ['rebase', '--abort']);
    expect(git(repo, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/topic');
  });

  test('in a repository with no commit yet, and without init (the branch is created by the first flush)', () => {
    const repo = makeRepo({ empty: true });
    expect(recordFrom(repo, repo, 'empty1')).toMatchObject({ branch: 'main', head: null });
    // one root: the first flush's commit; the second holds the SessionEnd snapshot
    expect(git(repo, ['rev-list', '--max-parents=0', '--count', 'agent-tracking']).trim()).toBe('1');
    expect(git(repo, ['log', '--format=%s', 'agent-tracking']).trim().split('\n')).toEqual([
      'agent-track: 1 event from 1 session',
      'agent-track: 3 events from 1 session',
    ]);
    expect(() => git(repo, ['rev-parse', '-q', '--verify', 'HEAD'])).toThrow();
  });
});
