/**
 * My sessions by default, with the real Claude Code CLI: two clones of one repository share the
 * agent-tracking branch through a bare remote. After a pull each clone's `resume` and `checkpoint`
 * without --session take that clone's and that identity's own latest session, never the teammate's
 * newer one; the teammate's is used when named. And two identities taking turns in one clone each get
 * their own.
 */
import * as path from 'node:path';
import { makeClaudeHome, runClaude } from '../lib/claude.js';
import { backgroundFlushesDone, cleanupTmp, flushNow, git, makeRepo, tmpDir, track } from '../lib/cli.js';
import { type FakeApi, startFakeAnthropic } from '../lib/fake-anthropic.js';

afterAll(cleanupTmp);

describe('two people, one branch', () => {
  let api: FakeApi;
  let alice: string;
  let bob: string;
  let home: string;
  let origin: string;
  const ids: Record<string, string> = {};

  const session = async (clone: string, name: string) => {
    const r = await runClaude({ cwd: clone, home, prompt: `${name}: do my part`, baseUrl: api.url });
    expect(r.status).toBe(0);
    await backgroundFlushesDone(clone);
    expect(flushNow(clone).status).toBe(0);
    ids[name] = r.result.session_id;
  };
  const resumed = (clone: string, args: string[] = []) => {
    const r = track(clone, ['resume', '--json', ...args]);
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout).session as string;
  };

  beforeAll(async () => {
    api = await startFakeAnthropic({});
    origin = path.join(tmpDir(), 'origin.git');
    alice = makeRepo();
    git(alice, ['config', 'user.email', 'alice@example.com']);
    git(path.dirname(origin), ['init', '-q', '--bare', origin]);
    git(alice, ['remote', 'add', 'origin', origin]);
    git(alice, ['push', '-q', 'origin', 'main']);
    bob = path.join(tmpDir(), 'bob');
    git(path.dirname(bob), ['clone', '-q', origin, bob]);
    git(bob, ['config', 'user.name', 'Bob']);
    git(bob, ['config', 'user.email', 'bob@example.com']);
    home = makeClaudeHome(path.join(tmpDir(), 'home'));
    expect(track(alice, ['init', '--yes']).status).toBe(0);
    await session(alice, 'ALICE-1');
    expect(track(alice, ['push']).status).toBe(0);
    expect(track(bob, ['init', '--yes']).status).toBe(0);
    await session(bob, 'BOB-1');
    expect(track(bob, ['push']).status).toBe(0);
    await session(alice, 'ALICE-2');
    expect(track(alice, ['pull']).status).toBe(0);
    expect(track(alice, ['push']).status).toBe(0);
    expect(track(bob, ['pull']).status).toBe(0);
  }, 240_000);

  afterAll(async () => {
    await api.close();
  });

  test('after the pulls each clone holds all three sessions', () => {
    for (const clone of [alice, bob]) {
      const list = JSON.parse(track(clone, ['sessions', '--json']).stdout).map((s: any) => s.session);
      expect(list.sort()).toEqual(Object.values(ids).sort());
    }
  });

  test("each resume gives its own clone's and identity's latest session", () => {
    // Bob's latest is older than Alice's second: his own all the same
    expect(resumed(bob)).toBe(ids['BOB-1']);
    expect(resumed(alice)).toBe(ids['ALICE-2']);
  });

  test("a teammate's session when named", () => {
    expect(resumed(alice, [ids['BOB-1'].slice(0, 8)])).toBe(ids['BOB-1']);
  });

  test('checkpoint without --session attaches to my session', () => {
    const r = JSON.parse(track(bob, ['checkpoint', '--note', 'mine', '--json']).stdout);
    expect(r.session).toBe(ids['BOB-1']);
  });

  test('two identities taking turns in one clone each get their own', async () => {
    git(alice, ['config', 'user.email', 'carol@example.com']);
    try {
      await session(alice, 'CAROL-1');
      expect(resumed(alice)).toBe(ids['CAROL-1']);
    } finally {
      git(alice, ['config', 'user.email', 'alice@example.com']);
    }
    expect(resumed(alice)).toBe(ids['ALICE-2']);
  }, 90_000);

  test('a clone with only teammates’ sessions: resume says so and picks none of them', () => {
    expect(track(alice, ['push']).status).toBe(0);
    const dave = path.join(tmpDir(), 'dave');
    git(path.dirname(dave), ['clone', '-q', origin, dave]);
    git(dave, ['config', 'user.email', 'dave@example.com']);
    expect(track(dave, ['pull']).status).toBe(0);
    const r = track(dave, ['resume']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'agent-track: no session of yours (git identity dave@example.com, this clone) recorded yet; 4 sessions of teammates are on the branch: name one with --session ID (see `sessions`)\n',
    );
  });
});
