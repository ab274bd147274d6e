/**
 * `agent-track browse`: a detached worktree of the branch that follows it after each flush; its
 * `git status` stays clean (nothing shows as deleted), and a commit made there moves no branch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanupTmp, flushNow, git, makeRepo, track } from '../lib/cli.js';

afterAll(cleanupTmp);

const prompt = (repo: string, session: string, text: string) =>
  track(
    repo,
    ['hook'],
    JSON.stringify({ session_id: session, cwd: repo, hook_event_name: 'UserPromptSubmit', prompt: text }),
    { AGENT_TRACK_NO_FLUSH: '1' },
  );

test('browse follows each flush, stays clean, and a commit there deletes nothing', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  prompt(repo, 'browse-s1', 'first session');
  expect(flushNow(repo).status).toBe(0);
  const r = JSON.parse(track(repo, ['browse', '--json']).stdout);
  expect(r.created).toBe(true);
  expect(r.dir).toBe(path.join(path.dirname(repo), `${path.basename(repo)}-agent-tracking`));
  const sessions = () =>
    fs.readdirSync(path.join(r.dir, 'phases', 'phase-1', 'sessions')).map((d) => d.slice(11));
  expect(sessions()).toEqual(['browse-s1']);

  prompt(repo, 'browse-s2', 'second session');
  expect(flushNow(repo).status).toBe(0);
  expect(sessions().sort()).toEqual(['browse-s1', 'browse-s2']);
  expect(git(r.dir, ['rev-parse', 'HEAD']).trim()).toBe(git(repo, ['rev-parse', 'agent-tracking']).trim());
  expect(git(r.dir, ['status', '--porcelain'])).toBe('');

  // a commit made there is on a detached HEAD: the branch keeps every session
  fs.rmSync(path.join(r.dir, 'phases'), { recursive: true });
  git(r.dir, ['commit', '-q', '-am', 'oops']);
  const tip = git(repo, ['rev-parse', 'agent-tracking']).trim();
  prompt(repo, 'browse-s3', 'third session');
  expect(flushNow(repo).status).toBe(0);
  expect(git(repo, ['rev-parse', 'agent-tracking^']).trim()).toBe(tip);
  expect(sessions().sort()).toEqual(['browse-s1', 'browse-s2', 'browse-s3']);

  // asked again: brought up to date, not created; removed on request
  expect(JSON.parse(track(repo, ['browse', r.dir, '--json']).stdout).created).toBe(false);
  expect(track(repo, ['browse', '--remove', r.dir]).status).toBe(0);
  expect(fs.existsSync(r.dir)).toBe(false);
  prompt(repo, 'browse-s4', 'fourth session');
  expect(flushNow(repo).status).toBe(0);
});

test('browse into a folder that holds something else: a one-line error', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  const busy = path.join(path.dirname(repo), 'busy');
  fs.mkdirSync(busy);
  fs.writeFileSync(path.join(busy, 'mine.txt'), 'x');
  const r = track(repo, ['browse', busy]);
  expect(r.status).toBe(1);
  expect(r.stderr).toBe(`agent-track: ${busy} exists and is not empty: give a new or empty folder\n`);
});
