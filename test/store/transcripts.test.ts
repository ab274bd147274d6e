/**
 * The conversation on the branch: each transcript appended as pieces of whole lines, never twice
 * (a lost flush state, a re-import), a line still being written left for the next flush, nothing
 * stored with `transcripts.keep: false`, and a branch an earlier release wrote read as before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  cleanupTmp,
  FIXTURE,
  flushNow,
  git,
  makeRepo,
  ROOT,
  recordSprint,
  SPRINT_SESSION,
  track,
} from '../lib/cli.js';

afterAll(cleanupTmp);

const pieces = (repo: string) =>
  git(repo, ['ls-tree', '-r', '--name-only', 'agent-tracking'])
    .split('\n')
    .filter((f) => /\/transcripts\//.test(f));

/** A transcript rebuilt from the branch with the git CLI (independently of our reader). */
const rebuilt = (repo: string, name: string) =>
  pieces(repo)
    .filter((f) => f.includes(`/transcripts/${name}/`))
    .sort()
    .map((f) => git(repo, ['show', `agent-tracking:${f}`]))
    .join('');

const projectDir = (repo: string) =>
  path.join(path.dirname(repo), 'home', '.claude', 'projects', '-home-dev-proj');

test('the recorded sprint: its transcripts come back byte for byte; appended, never duplicated', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  recordSprint(repo);
  const main = path.join(projectDir(repo), `${SPRINT_SESSION}.jsonl`);
  expect(rebuilt(repo, 'main')).toBe(fs.readFileSync(main, 'utf8'));
  const subs = fs
    .readdirSync(path.join(projectDir(repo), SPRINT_SESSION, 'subagents'))
    .filter((f) => f.endsWith('.jsonl'));
  expect(subs.length).toBe(2);
  for (const f of subs)
    expect(rebuilt(repo, `subagents%2F${f.slice(0, -6)}`)).toBe(
      fs.readFileSync(path.join(projectDir(repo), SPRINT_SESSION, 'subagents', f), 'utf8'),
    );
  const summary = JSON.parse(
    git(repo, ['show', `agent-tracking:${pieces(repo)[0].replace(/\/transcripts\/.*/, '/session.json')}`]),
  );
  expect(summary.transcripts.main).toBe(fs.statSync(main).size);

  // Claude Code appends a line and starts another one: the whole line is kept, the partial one waits
  const before = pieces(repo).length;
  const line = `${JSON.stringify({ type: 'user', sessionId: SPRINT_SESSION, timestamp: new Date().toISOString(), message: { role: 'user', content: 'APPENDED-LINE' } })}\n`;
  fs.appendFileSync(main, `${line}{"type":"assist`);
  const payload = JSON.stringify({
    session_id: SPRINT_SESSION,
    transcript_path: main,
    cwd: repo,
    hook_event_name: 'UserPromptSubmit',
    prompt: 'APPENDED-LINE',
  });
  expect(track(repo, ['hook'], payload, { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
  expect(flushNow(repo).status).toBe(0);
  expect(pieces(repo).length).toBe(before + 1);
  const whole = fs.readFileSync(main, 'utf8');
  expect(rebuilt(repo, 'main')).toBe(whole.slice(0, whole.lastIndexOf('\n') + 1));

  // the flush state lost (a rebuilt cache): the next flush reads the transcript from its start again,
  // and still stores nothing twice
  fs.rmSync(path.join(repo, '.git', 'agent-tracking', 'cache'), { recursive: true, force: true });
  fs.appendFileSync(main, 'ant"}\n');
  expect(
    track(repo, ['hook'], payload.replace('APPENDED-LINE', 'again'), { AGENT_TRACK_NO_FLUSH: '1' }).status,
  ).toBe(0);
  expect(flushNow(repo).status).toBe(0);
  expect(flushNow(repo).status).toBe(0);
  expect(rebuilt(repo, 'main')).toBe(fs.readFileSync(main, 'utf8'));
  // a re-import of the same files adds no piece
  const count = pieces(repo).length;
  expect(track(repo, ['import', projectDir(repo)]).status).toBe(0);
  expect(pieces(repo).length).toBe(count);
  expect(rebuilt(repo, 'main')).toBe(fs.readFileSync(main, 'utf8'));
  expect(git(repo, ['fsck', '--strict'])).toBe('');
});

test('transcripts.keep: false stores no conversation, and continue says so', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  fs.appendFileSync(path.join(repo, '.agent-tracking.yml'), '\ntranscripts:\n  keep: false\n');
  recordSprint(repo);
  expect(pieces(repo)).toEqual([]);
  const r = track(repo, ['continue', SPRINT_SESSION, '--no-launch']);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/has no conversation on the branch/);
});

test('a branch release 0.1.0 wrote: its sessions read as before, continue explains why there is no conversation', () => {
  const repo = makeRepo();
  const bundle = path.join(ROOT, 'test', 'fixtures', 'release-0.1', 'agent-tracking.bundle');
  git(repo, ['fetch', '-q', bundle, 'agent-tracking:agent-tracking']);
  const sessions = JSON.parse(track(repo, ['sessions', '--json']).stdout);
  expect(sessions.length).toBeGreaterThan(0);
  const r = track(repo, ['continue', '--no-launch']);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/no session on the agent-tracking branch has its conversation stored yet/);
  expect(fs.existsSync(FIXTURE)).toBe(true);
});

test("a turn's last response written after the Stop's flush read the transcript is counted by the next flush", () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  const dir = path.join(path.dirname(repo), 'home', '.claude', 'projects', 'late-line');
  fs.mkdirSync(dir, { recursive: true });
  const session = 'late-line-1';
  const transcript = path.join(dir, `${session}.jsonl`);
  const t0 = Date.parse('2026-11-03T10:00:00Z');
  const response = (n: number) =>
    `${JSON.stringify({
      type: 'assistant',
      sessionId: session,
      timestamp: new Date(t0 + n * 1000).toISOString(),
      uuid: `a${n}`,
      requestId: `req_${n}`,
      message: {
        id: `msg_${n}`,
        model: 'claude-sonnet-4-5',
        role: 'assistant',
        content: [{ type: 'text', text: `response ${n}` }],
        usage: { input_tokens: 1000 * n, output_tokens: 10 },
      },
    })}\n`;
  fs.writeFileSync(transcript, response(1));
  const hook = (p: object) =>
    expect(
      track(
        repo,
        ['hook'],
        JSON.stringify({ session_id: session, cwd: repo, transcript_path: transcript, ...p }),
        {
          AGENT_TRACK_NO_FLUSH: '1',
        },
      ).status,
    ).toBe(0);
  hook({ hook_event_name: 'SessionStart', source: 'startup' });
  hook({ hook_event_name: 'UserPromptSubmit', prompt: 'two responses' });
  hook({ hook_event_name: 'Stop' });
  // the Stop's flush reads the transcript before Claude Code wrote the turn's last response
  expect(flushNow(repo).status).toBe(0);
  fs.appendFileSync(transcript, response(2));
  // a later flush, with nothing new in the spool, still knows the turn is over and counts it
  expect(flushNow(repo).status).toBe(0);
  const stats = JSON.parse(track(repo, ['stats', '--json']).stdout);
  expect(stats.tokens.input).toBe(3000);
});
