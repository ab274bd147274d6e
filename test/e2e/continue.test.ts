/**
 * The whole conversation, continued anywhere, with the real Claude Code CLI against the scripted
 * stand-in API: a session with a subagent is recorded in clone A and pushed; clone B, at another path
 * with another HOME, pulls and runs `continue --no-launch`, then `claude --resume`: the stand-in's
 * first request of the resumed session must hold the earlier conversation with B's paths. Then the
 * same after A's own transcripts are deleted, and a fork from a snapshot's moment.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeClaudeHome, runClaude } from '../lib/claude.js';
import { backgroundFlushesDone, cleanupTmp, git, makeRepo, tmpDir, track } from '../lib/cli.js';
import { startFakeAnthropic } from '../lib/fake-anthropic.js';

afterAll(cleanupTmp);

const json = (repo: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = track(repo, [...args, '--json'], undefined, env);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

test('a session recorded in one clone is resumed in another, after its transcripts are gone, and forked at a snapshot', async () => {
  const bare = path.join(tmpDir('at-bare-'), 'remote.git');
  git(path.dirname(bare), ['init', '-q', '--bare', '-b', 'main', bare]);
  const a = makeRepo();
  git(a, ['remote', 'add', 'origin', bare]);
  git(a, ['push', '-q', 'origin', 'main']);
  expect(track(a, ['init', '--yes']).status).toBe(0);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'track agents']);
  git(a, ['push', '-q', 'origin', 'main']);
  const homeA = makeClaudeHome(path.join(path.dirname(a), 'home'));
  // a token of a documented shape (GitHub's ghp_ + 36), made here so that none is ever committed
  const secret = `ghp_${'Q7xK2mP9vL4nR8tW1yZ3bC6dF0gH5jS2aE7u'.slice(0, 36)}`;
  const api = await startFakeAnthropic({
    'MISSION-FORK': [],
    'MISSION-BEE': [],
    'SUB-HELPER': [
      {
        at: 0,
        reply: [
          { type: 'tool_use', name: 'Write', input: { file_path: `${a}/helper.txt`, content: 'help\n' } },
        ],
      },
      { at: 1, reply: [{ type: 'text', text: 'HELPER-RESULT: helper.txt is written' }] },
    ],
    'MISSION-LATER': [{ at: 2, reply: [{ type: 'text', text: 'LATER-REPLY done' }] }],
    'MISSION-ALPHA': [
      {
        at: 0,
        reply: [
          {
            type: 'tool_use',
            name: 'Agent',
            input: {
              description: 'Write the helper',
              prompt: 'SUB-HELPER: write helper.txt',
              subagent_type: 'general-purpose',
            },
          },
        ],
      },
      {
        at: 1,
        reply: [
          { type: 'tool_use', name: 'Write', input: { file_path: `${a}/alpha.txt`, content: 'alpha\n' } },
        ],
      },
      { at: 2, reply: [{ type: 'text', text: 'ALPHA-DONE: alpha.txt and helper.txt are there' }] },
    ],
  });
  const first = await runClaude({
    cwd: a,
    home: homeA,
    prompt: `MISSION-ALPHA: write alpha.txt; the deploy token is ${secret}`,
    baseUrl: api.url,
  });
  expect(first.status).toBe(0);
  const session: string = first.result.session_id;
  await backgroundFlushesDone(a);
  expect(track(a, ['flush']).status).toBe(0);
  const snap = json(a, ['checkpoint', '--session', session, '--note', 'after alpha']);
  // the same session goes on after the snapshot: a fork from the snapshot must not hold this
  const later = await runClaude({
    cwd: a,
    home: homeA,
    prompt: 'MISSION-LATER: one more thing',
    baseUrl: api.url,
    args: ['--resume', session],
  });
  expect(later.status).toBe(0);
  await backgroundFlushesDone(a);
  expect(track(a, ['flush']).status).toBe(0);
  expect(track(a, ['push']).status).toBe(0);

  // what the branch holds: the transcripts, with the secret redacted
  const tree = git(a, ['ls-tree', '-r', '--name-only', 'agent-tracking']);
  expect(tree).toMatch(new RegExp(`${session}/transcripts/main/\\d{12}-\\d{12}\\.jsonl`));
  expect(tree).toMatch(/transcripts\/subagents%2Fagent-[^/]+\/\d{12}-\d{12}\.jsonl/);
  expect(tree).toMatch(/transcripts\/subagents%2Fagent-[^/]+\.meta\.json/);
  const onBranch = tree
    .split('\n')
    .filter((f) => f.includes('/transcripts/'))
    .map((f) => git(a, ['show', `agent-tracking:${f}`]))
    .join('');
  expect(onBranch).toContain('MISSION-ALPHA');
  expect(onBranch).not.toContain(secret);

  // clone B: another path, another HOME
  const b = path.join(tmpDir('at-clone-'), 'work', 'other-proj');
  fs.mkdirSync(path.dirname(b), { recursive: true });
  git(path.dirname(b), ['clone', '-q', bare, b]);
  git(b, ['config', 'user.name', 'Other Dev']);
  git(b, ['config', 'user.email', 'other@example.com']);
  const homeB = makeClaudeHome(path.join(path.dirname(b), 'home-b'));
  expect(track(b, ['pull']).status).toBe(0);
  const laid = json(b, ['continue', session.slice(0, 8), '--no-launch'], { HOME: homeB });
  expect(laid).toMatchObject({ session, continues: session, fork: false, cwd: b });
  expect(laid.projectDir).toBe(path.join(homeB, '.claude', 'projects', b.replace(/[^a-zA-Z0-9]/g, '-')));
  expect(laid.files.map((f: any) => f.name).sort()).toEqual(
    expect.arrayContaining(['main', expect.stringMatching(/^subagents\/agent-/)]),
  );
  const mainFile = path.join(laid.projectDir, `${session}.jsonl`);
  const laidText = fs.readFileSync(mainFile, 'utf8');
  expect(laidText).toContain(b);
  expect(laidText).not.toContain(`"cwd":"${a}"`);
  expect(laidText).not.toContain(secret);

  const firstRequestWith = (marker: string, from: number) =>
    api.requests
      .slice(from)
      .find((r) => Array.isArray(r.body.tools) && JSON.stringify(r.body.messages).includes(marker));
  let from = api.requests.length;
  const inB = await runClaude({
    cwd: b,
    home: homeB,
    prompt: 'MISSION-BEE: carry on from here',
    baseUrl: api.url,
    args: ['--resume', session],
  });
  expect(inB.status).toBe(0);
  const bodyB = JSON.stringify(firstRequestWith('MISSION-BEE', from)?.body.messages ?? []);
  expect(bodyB).toContain('MISSION-ALPHA: write alpha.txt');
  expect(bodyB).toContain('HELPER-RESULT: helper.txt is written'); // the subagent's result
  expect(bodyB).toContain('LATER-REPLY done');
  expect(bodyB).toContain(`${b}/alpha.txt`); // B's paths
  expect(bodyB).not.toContain(`${a}/alpha.txt`);
  expect(bodyB).not.toContain(secret);
  expect(bodyB).toContain('[REDACTED');

  // in A, after Claude Code deleted its own copy: the branch brings it back
  const projectsA = path.join(homeA, '.claude', 'projects');
  fs.rmSync(projectsA, { recursive: true, force: true });
  const back = json(a, ['continue', session, '--no-launch'], { HOME: homeA });
  expect(back.files.find((f: any) => f.name === 'main').action).toBe('written');
  from = api.requests.length;
  const inA = await runClaude({
    cwd: a,
    home: homeA,
    prompt: 'MISSION-BEE: again in A',
    baseUrl: api.url,
    args: ['--resume', session],
  });
  expect(inA.status).toBe(0);
  expect(JSON.stringify(firstRequestWith('MISSION-BEE: again', from)?.body.messages ?? [])).toContain(
    'ALPHA-DONE',
  );
  // a transcript Claude Code holds that is newer than the branch's is never overwritten
  await backgroundFlushesDone(a);
  const again = json(a, ['continue', session, '--no-launch'], { HOME: homeA });
  expect(again.files.find((f: any) => f.name === 'main').action).toBe('kept newer');

  // a fork at the snapshot, in B: up to that moment and not after, that moment's files, original untouched
  const originalB = fs.readFileSync(mainFile, 'utf8');
  const fork = json(b, ['continue', '--at', snap.id, '--no-launch'], { HOME: homeB });
  expect(fork).toMatchObject({ continues: session, fork: true, snapshot: snap.id });
  expect(fork.session).not.toBe(session);
  expect(fs.readFileSync(path.join(fork.worktree, 'alpha.txt'), 'utf8')).toBe('alpha\n');
  from = api.requests.length;
  const forked = await runClaude({
    cwd: fork.worktree,
    home: homeB,
    prompt: 'MISSION-FORK: from the snapshot',
    baseUrl: api.url,
    args: ['--resume', fork.session],
  });
  expect(forked.status).toBe(0);
  const bodyFork = JSON.stringify(firstRequestWith('MISSION-FORK', from)?.body.messages ?? []);
  expect(bodyFork).toContain('ALPHA-DONE');
  expect(bodyFork).not.toContain('MISSION-LATER');
  expect(bodyFork).toContain(`${fork.worktree}/alpha.txt`);
  expect(fs.readFileSync(mainFile, 'utf8')).toBe(originalB);

  // bad input says what to do
  expect(track(b, ['continue', 'nope', '--no-launch'], undefined, { HOME: homeB }).stderr).toMatch(
    /no session 'nope'/,
  );
  expect(track(b, ['continue', '--worktree', '/tmp/x'], undefined, { HOME: homeB }).stderr).toMatch(
    /--worktree goes with --at/,
  );
  await api.close();
  await backgroundFlushesDone(a);
  await backgroundFlushesDone(b);
}, 300_000);
