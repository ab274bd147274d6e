/** Team sync through the real git CLI: push, pull, merges, a private remote, resuming on another clone. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  branchEvents,
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  SPRINT_SESSION,
  sprintPayloads,
  tmpDir,
  track,
  trackAsync,
} from '../lib/cli.js';

afterAll(cleanupTmp);

const json = (repo: string, args: string[]) => {
  const r = track(repo, [...args, '--json']);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

/** A bare repository standing in for GitHub, holding the project's main branch. */
function bareWithProject(): { bare: string; origin: string } {
  const origin = makeRepo();
  const bare = path.join(tmpDir('at-bare-'), 'remote.git');
  git(path.dirname(bare), ['init', '-q', '--bare', '-b', 'main', bare]);
  git(origin, ['remote', 'add', 'origin', bare]);
  git(origin, ['push', '-q', 'origin', 'main']);
  return { bare, origin };
}

/** A teammate's clone of the bare repository, with their own identity. */
function cloneOf(bare: string, who: string): string {
  const dir = path.join(tmpDir('at-clone-'), 'proj');
  git(path.dirname(dir), ['clone', '-q', bare, dir]);
  git(dir, ['config', 'user.name', who]);
  git(dir, ['config', 'user.email', `${who.toLowerCase()}@example.com`]);
  return dir;
}

/** A small session recorded through the hook and flushed. */
function record(repo: string, session: string, prompt = `work of ${session}`): void {
  const base = { session_id: session, cwd: repo, transcript_path: '/dev/null' };
  for (const p of [
    { ...base, hook_event_name: 'SessionStart', source: 'startup' },
    { ...base, hook_event_name: 'UserPromptSubmit', prompt },
    {
      ...base,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_use_id: `tu-${session}`,
      tool_input: { command: 'ls' },
    },
    {
      ...base,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_use_id: `tu-${session}`,
      tool_input: { command: 'ls' },
      tool_response: { stdout: 'a\n', stderr: '', interrupted: false },
    },
    { ...base, hook_event_name: 'SessionEnd', reason: 'other' },
  ]) {
    const r = track(repo, ['hook'], JSON.stringify(p), { AGENT_TRACK_NO_FLUSH: '1' });
    expect(r.status).toBe(0);
  }
  expect(flushNow(repo).status).toBe(0);
}

/** Session ids on a ref, one per session folder (a folder twice would count twice). */
const sessionFolders = (repo: string, ref = 'agent-tracking'): string[] =>
  git(repo, ['ls-tree', '-r', '--name-only', ref])
    .split('\n')
    .filter((f) => f.endsWith('/session.json'))
    .map((f) => f.split('/')[3].slice(11));

describe('push and pull between clones', () => {
  test('three clones pushing concurrently, over and over: every session lands on the remote exactly once', async () => {
    const { bare, origin } = bareWithProject();
    expect(track(origin, ['init', '--yes']).status).toBe(0);
    record(origin, 'a-0');
    expect(json(origin, ['push'])).toMatchObject({ outcome: 'pushed' });
    const clones = [origin, cloneOf(bare, 'Bea'), cloneOf(bare, 'Cy')];
    // the teammates' init joins the remote's branch instead of starting a second root
    for (const c of clones.slice(1)) {
      const r = json(c, ['init', '--yes']);
      expect(r.adoptedFrom).toBe('origin');
      expect(r.branchCreated).toBe(false);
      expect(git(c, ['rev-parse', 'agent-tracking']).trim()).toBe(
        git(bare, ['rev-parse', 'agent-tracking']).trim(),
      );
    }
    const expected = new Map<string, string[]>();
    expected.set(
      'a-0',
      branchEvents(origin)
        .filter((e) => e.session === 'a-0')
        .map((e) => e.id),
    );
    for (let round = 0; round < 4; round++) {
      for (const [k, c] of clones.entries()) {
        const s = `${'abc'[k]}-${round + 1}`;
        record(c, s);
        expected.set(
          s,
          branchEvents(c)
            .filter((e) => e.session === s)
            .map((e) => e.id),
        );
      }
      const runs = await Promise.all(clones.map((c) => trackAsync(c, ['push', '--json'])));
      for (const r of runs) expect(r).toMatchObject({ status: 0, stderr: '' });
      // each round the two pushes that lose the race merge the winner's session in
      const merges = runs.map((r) => JSON.parse(r.stdout).merges as number);
      expect(merges.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(2);
    }
    const onRemote = sessionFolders(bare);
    expect(onRemote.sort()).toEqual([...expected.keys()].sort());
    const events = branchEvents(bare);
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [session, sessionIds] of expected) {
      const mine = events.filter((e) => e.session === session);
      expect(mine.map((e) => e.id)).toEqual(sessionIds);
      expect(mine.map((e) => e.type)).toEqual([
        'session_start',
        'prompt',
        'tool_start',
        'tool_call',
        'session_end',
        'snapshot',
      ]);
    }
    // one history: a single root, and git finds nothing wrong with the remote
    expect(git(bare, ['rev-list', '--max-parents=0', 'agent-tracking']).trim().split('\n')).toHaveLength(1);
    git(bare, ['fsck', '--strict', '--no-dangling']);
    // the README index lists every session, and each session keeps the author who recorded it
    expect(json(clones[1], ['pull'])).toMatchObject({
      outcome: expect.stringMatching(/^(fast-forward|up-to-date)$/),
    });
    const all = json(clones[1], ['sessions']);
    expect(all).toHaveLength(expected.size);
    const authors = Object.fromEntries(
      all.map((s: { session: string; author: { name: string } }) => [s.session, s.author.name]),
    );
    expect(authors['b-3']).toBe('Bea');
    expect(authors['c-2']).toBe('Cy');
    expect(authors['a-4']).toBe('Test Dev');
    // per developer
    const byAuthor = json(clones[1], ['stats', '--by', 'author']).rows;
    expect(byAuthor.map((r: { key: string; sessions: number }) => [r.key, r.sessions])).toEqual([
      ['Bea <bea@example.com>', 4],
      ['Cy <cy@example.com>', 4],
      ['Test Dev <test.dev@example.com>', 5],
    ]);
    const readme = git(bare, ['show', 'agent-tracking:README.md']);
    expect(readme).toMatch(/\| phase-1 \| 13 \|/);
  }, 180_000);

  test('the same session flushed on two clones: its events merge by id, nothing doubled, nothing lost', () => {
    const { bare, origin } = bareWithProject();
    expect(track(origin, ['init', '--yes']).status).toBe(0);
    record(origin, 'shared', 'first part');
    expect(json(origin, ['push']).outcome).toBe('pushed');
    const other = cloneOf(bare, 'Bea');
    expect(json(other, ['pull']).outcome).toBe('adopted');
    // both clones go on writing to that session (one id, two machines) and push
    for (const [repo, prompt] of [
      [origin, 'more from the first clone'],
      [other, 'more from the second clone'],
    ])
      expect(
        track(
          repo,
          ['hook'],
          JSON.stringify({ session_id: 'shared', cwd: repo, hook_event_name: 'UserPromptSubmit', prompt }),
          { AGENT_TRACK_NO_FLUSH: '1' },
        ).status,
      ).toBe(0);
    expect(json(origin, ['push']).outcome).toBe('pushed');
    const second = json(other, ['push']);
    expect(second).toMatchObject({ outcome: 'pushed', merges: 1, conflicts: [] });
    const events = branchEvents(bare).filter((e) => e.session === 'shared');
    const prompts = events.filter((e) => e.type === 'prompt').map((e) => e.text);
    expect(prompts.sort()).toEqual(['first part', 'more from the first clone', 'more from the second clone']);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const dir = git(bare, ['ls-tree', '-d', '--name-only', 'agent-tracking:phases/phase-1/sessions/']).trim();
    const summary = JSON.parse(
      git(bare, ['show', `agent-tracking:phases/phase-1/sessions/${dir}/session.json`]),
    );
    expect(summary.prompts).toBe(3);
    // and a later flush on the merged branch goes on after the highest segment, overwriting none
    expect(json(origin, ['pull']).outcome).toBe('fast-forward');
    track(
      origin,
      ['hook'],
      JSON.stringify({
        session_id: 'shared',
        cwd: origin,
        hook_event_name: 'UserPromptSubmit',
        prompt: 'last',
      }),
      { AGENT_TRACK_NO_FLUSH: '1' },
    );
    expect(flushNow(origin).status).toBe(0);
    const after = branchEvents(origin).filter((e) => e.session === 'shared' && e.type === 'prompt');
    expect(after.map((e) => e.text).sort()).toEqual([...prompts, 'last'].sort());
  }, 60_000);

  test('a fresh clone reads the team’s sessions after pull, without init, and resumes a session it never ran', () => {
    const { bare, origin } = bareWithProject();
    expect(track(origin, ['init', '--yes']).status).toBe(0);
    for (const p of sprintPayloads(origin).filter((l) => !l.includes('"SessionEnd"')))
      expect(track(origin, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
    expect(flushNow(origin).status).toBe(0);
    fs.writeFileSync(path.join(origin, 'README.md'), '# demo\n\nhalf done\n');
    expect(json(origin, ['checkpoint', '--note', 'hand over'])).toMatchObject({
      id: `${SPRINT_SESSION.slice(0, 8)}@1`,
    });
    expect(json(origin, ['push']).outcome).toBe('pushed');
    const handoff = json(origin, ['resume', '--session', SPRINT_SESSION]);

    const fresh = cloneOf(bare, 'Bea');
    const before = track(fresh, ['sessions']);
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/agent-track pull/);
    expect(json(fresh, ['pull'])).toMatchObject({ outcome: 'adopted', sessionsFromRemote: 1 });
    expect(fs.existsSync(path.join(fresh, '.claude'))).toBe(false);
    const [s] = json(fresh, ['sessions']);
    expect(s.session).toBe(SPRINT_SESSION);
    expect(json(fresh, ['stats']).toolCalls).toBe(json(origin, ['stats']).toolCalls);
    expect(json(fresh, ['show', SPRINT_SESSION.slice(0, 8)]).session.session).toBe(SPRINT_SESSION);
    expect(
      json(fresh, ['snapshots', '--session', SPRINT_SESSION]).map((x: { note: string }) => x.note),
    ).toEqual(['hand over']);
    // the same handoff, from the branch alone
    const there = json(fresh, ['resume', '--session', SPRINT_SESSION]);
    expect(there.markdown).toBe(handoff.markdown);
    // the files the session changed (not the work tree's other changes)
    expect(there.markdown).toContain('`notes.md`');
  }, 60_000);

  test('tracking.remote moves the branch to a private repository and loses nothing', () => {
    const { bare, origin } = bareWithProject();
    expect(track(origin, ['init', '--yes']).status).toBe(0);
    record(origin, 'mine-1');
    expect(json(origin, ['push']).outcome).toBe('pushed');
    const mate = cloneOf(bare, 'Bea');
    expect(json(mate, ['init', '--yes']).adoptedFrom).toBe('origin');
    record(mate, 'theirs-1');
    expect(json(mate, ['push']).outcome).toBe('pushed');
    // the project goes public: the agent history moves to a private repository
    const priv = path.join(tmpDir('at-private-'), 'private.git');
    git(path.dirname(priv), ['init', '-q', '--bare', priv]);
    const cfg = path.join(origin, '.agent-tracking.yml');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('remote: origin', `remote: ${priv}`));
    record(origin, 'mine-2');
    // a repository with no branch yet: agent-tracking would become its default branch
    const first = track(origin, ['push']);
    expect(first.status).toBe(1);
    expect(first.stderr).toBe(
      `agent-track: ${priv} has no branch yet: agent-tracking pushed first would become its default branch. Push your main branch first (git push -u <remote> main), then \`agent-track push\` again; or, if this repository holds only the agent history, \`agent-track push --force-first\`\n`,
    );
    expect(git(priv, ['for-each-ref']).trim()).toBe('');
    const r = json(origin, ['push', '--force-first']);
    expect(r).toMatchObject({ outcome: 'pushed', migratedFrom: 'origin', remote: priv });
    expect(sessionFolders(priv).sort()).toEqual(['mine-1', 'mine-2', 'theirs-1']);
    // the code's remote keeps what it had (removing it there is the user's call)
    expect(sessionFolders(bare).sort()).toEqual(['mine-1', 'theirs-1']);
    // from now on the private remote is the one: a second push has nothing to carry over
    expect(json(origin, ['push'])).toMatchObject({ outcome: 'up-to-date', migratedFrom: null });
  }, 60_000);

  test('a remote with no branch yet: agent-tracking is not pushed first (it would become the default branch)', () => {
    const repo = makeRepo();
    const bare = path.join(tmpDir('at-empty-'), 'remote.git');
    git(path.dirname(bare), ['init', '-q', '--bare', '-b', 'main', bare]);
    git(repo, ['remote', 'add', 'origin', bare]);
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    record(repo, 'first-1');
    const refused = track(repo, ['push']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^agent-track: origin has no branch yet: agent-tracking pushed first would become its default branch\. Push your main branch first \(git push -u origin main\)/,
    );
    expect(git(bare, ['for-each-ref']).trim()).toBe('');
    // the background push (SessionEnd) says it where the user looks
    expect(track(repo, ['push', '--background']).status).toBe(1);
    expect(fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'errors', 'push.log'), 'utf8')).toMatch(
      /origin has no branch yet/,
    );
    git(repo, ['push', '-q', 'origin', 'main']);
    expect(json(repo, ['push']).outcome).toBe('pushed');
    expect(git(bare, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/main');
    expect(sessionFolders(bare)).toEqual(['first-1']);
  }, 60_000);

  test('pushOnSessionEnd: the SessionEnd hook returns at once and the session reaches the remote', async () => {
    const { bare, origin } = bareWithProject();
    expect(track(origin, ['init', '--yes']).status).toBe(0);
    const cfg = path.join(origin, '.agent-tracking.yml');
    fs.writeFileSync(
      cfg,
      fs.readFileSync(cfg, 'utf8').replace('pushOnSessionEnd: false', 'pushOnSessionEnd: true'),
    );
    const base = { session_id: 'ends', cwd: origin, transcript_path: '/dev/null' };
    for (const p of [
      { ...base, hook_event_name: 'SessionStart', source: 'startup' },
      { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'push me' },
    ])
      track(origin, ['hook'], JSON.stringify(p), { AGENT_TRACK_NO_FLUSH: '1' });
    const end = track(
      origin,
      ['hook'],
      JSON.stringify({ ...base, hook_event_name: 'SessionEnd', reason: 'other' }),
    );
    expect(end).toEqual({ status: 0, stdout: '', stderr: '' });
    const deadline = Date.now() + 30_000;
    let found: string[] = [];
    while (Date.now() < deadline) {
      try {
        found = sessionFolders(bare);
      } catch {
        found = [];
      }
      if (found.includes('ends')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toEqual(['ends']);
    const events = branchEvents(bare);
    expect(events.map((e) => e.type)).toEqual(['session_start', 'prompt', 'session_end', 'snapshot']);
  }, 60_000);

  test('errors: an unreachable remote is one line and exit 1; a background push logs it', () => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    record(repo, 'lonely');
    const missing = path.join(tmpDir(), 'nowhere.git');
    const r = track(repo, ['push', '--remote', missing]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^agent-track: could not fetch agent-tracking from .*nowhere\.git: [^\n]+\n$/);
    const bg = track(repo, ['push', '--background', '--remote', missing]);
    expect(bg).toMatchObject({ status: 1, stdout: '', stderr: '' });
    expect(fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'errors', 'push.log'), 'utf8')).toMatch(
      /could not fetch/,
    );
    const none = makeRepo();
    const p = track(none, ['push', '--remote', missing]);
    expect(p.stderr).toMatch(/^agent-track: nothing to push: this clone has no agent-tracking branch/);
    expect(track(repo, ['pull', '--remote', 'no-such-remote']).stderr).toMatch(
      /^agent-track: could not fetch agent-tracking from no-such-remote: [^\n]+\n$/,
    );
  }, 60_000);
});
