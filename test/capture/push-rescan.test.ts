/** `push` searches what it is about to send and refuses a secret, naming object and kind, never the value. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanupTmp, git, makeRepo, tmpDir, track } from '../lib/cli.js';

afterAll(cleanupTmp);

// built at run time: no token sits in this file
const TOKEN = ['glpat', '-', 'Vq7Lm2Xk9Rt4Wz8Nb3Pc'].join('');

function recordSession(repo: string, session: string, prompt: string): void {
  const base = { session_id: session, cwd: repo, transcript_path: '/dev/null' };
  for (const p of [
    { ...base, hook_event_name: 'SessionStart', source: 'startup' },
    { ...base, hook_event_name: 'UserPromptSubmit', prompt },
    { ...base, hook_event_name: 'SessionEnd', reason: 'other' },
  ])
    expect(track(repo, ['hook'], JSON.stringify(p), { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
  expect(track(repo, ['flush']).status).toBe(0);
}

/** A commit on agent-tracking made around the redactor, the way an older version or a hand edit could. */
function plantOnBranch(repo: string, file: string, content: string): void {
  const tip = git(repo, ['rev-parse', 'agent-tracking']).trim();
  const index = path.join(tmpDir('at-index-'), 'index');
  const env = { ...process.env, GIT_INDEX_FILE: index };
  git(repo, ['read-tree', tip], { env });
  const blob = git(repo, ['hash-object', '-w', '--stdin'], { input: content, env }).trim();
  git(repo, ['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`], { env });
  const tree = git(repo, ['write-tree'], { env }).trim();
  const commit = git(repo, ['commit-tree', tree, '-p', tip, '-m', 'hand edit'], { env }).trim();
  git(repo, ['update-ref', 'refs/heads/agent-tracking', commit]);
}

test('a clean branch is pushed; a secret planted on it stops the push, named by path and kind only', () => {
  const repo = makeRepo();
  const bare = path.join(tmpDir('at-bare-'), 'remote.git');
  git(path.dirname(bare), ['init', '-q', '--bare', '-b', 'main', bare]);
  git(repo, ['remote', 'add', 'origin', bare]);
  // the project's branch first: push never makes agent-tracking a new remote's first branch
  git(repo, ['push', '-q', 'origin', 'main']);
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  // a secret in a prompt is redacted on the way in, so the first push goes through
  recordSession(repo, 'first', `deploy with ${TOKEN} please`);
  const first = track(repo, ['push']);
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  const pushed = git(bare, ['rev-parse', 'agent-tracking']).trim();

  plantOnBranch(repo, 'notes/hand-edit.md', `# notes\n\nthe CI token is ${TOKEN}\n`);
  const refused = track(repo, ['push']);
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain('push refused');
  expect(refused.stderr).toMatch(/notes\/hand-edit\.md \(blob [0-9a-f]{12}\), line 3: gitlab-token/);
  expect(refused.stderr + refused.stdout).not.toContain(TOKEN);
  expect(refused.stderr + refused.stdout).not.toContain(TOKEN.slice(6, 14));
  // nothing was sent
  expect(git(bare, ['rev-parse', 'agent-tracking']).trim()).toBe(pushed);

  // a false positive the user allows goes through
  fs.writeFileSync(
    path.join(repo, '.agent-tracking.yml'),
    `${fs.readFileSync(path.join(repo, '.agent-tracking.yml'), 'utf8')}`.replace(
      'allow: []',
      "allow: ['^glpat-Vq7L']",
    ),
  );
  const allowed = track(repo, ['push']);
  expect(allowed.stderr).toBe('');
  expect(allowed.status).toBe(0);
  expect(git(bare, ['rev-parse', 'agent-tracking']).trim()).toBe(
    git(repo, ['rev-parse', 'agent-tracking']).trim(),
  );
});
