import { branchEvents, cleanupTmp, flushNow, makeRepo, track } from '../lib/cli.js';

afterAll(cleanupTmp);

test('agent-track decide records a decision in the session being recorded, redacted, shown by show', () => {
  const repo = makeRepo();
  track(repo, ['init', '--yes']);
  const none = track(repo, ['decide', 'anything']);
  expect(none.status).toBe(1);
  expect(none.stderr).toBe('agent-track: no session is being recorded here; name one with --session ID\n');
  for (const s of ['older', 'current']) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // distinct mtimes
    track(
      repo,
      ['hook'],
      JSON.stringify({ session_id: s, cwd: repo, hook_event_name: 'UserPromptSubmit', prompt: 'go' }),
      { AGENT_TRACK_NO_FLUSH: '1' },
    );
  }
  const token = `ghp_${'Zz9Yy8Xx7Ww6'.repeat(3)}`;
  const r = track(repo, [
    'decide',
    'Use SQLite for the cache',
    '--why',
    `no server to run; deploy key ${token}`,
    '--alternatives',
    'Redis; a JSON file',
    '--json',
  ]);
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    session: 'current',
    type: 'decision',
    source: 'explicit',
    alternatives: ['Redis', 'a JSON file'],
  });
  expect(flushNow(repo).status).toBe(0);
  const d = branchEvents(repo).find((e) => e.type === 'decision');
  expect(d).toMatchObject({
    session: 'current',
    what: 'Use SQLite for the cache',
    rationale: 'no server to run; deploy key [REDACTED:github-token]',
  });
  const show = track(repo, ['show', 'current']).stdout;
  expect(show).toContain('◆ decided: Use SQLite for the cache');
  expect(show).toContain('instead of: Redis; a JSON file');
  expect(track(repo, ['init', '--yes']).stdout).toContain('agent-track decide "<what you decided>"');
});
