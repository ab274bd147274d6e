import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  allObjectContents,
  branchEvents,
  cleanupTmp,
  FIXTURE,
  flushNow,
  git,
  makeRepo,
  SPRINT_SESSION,
  sprintPayloads,
  tmpDir,
  track,
} from '../lib/cli.js';

afterAll(cleanupTmp);

const result = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'result.json'), 'utf8'));
const stats = (repo: string) => JSON.parse(track(repo, ['stats', '--json']).stdout);
const importJson = (repo: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = track(repo, ['import', ...args, '--json'], undefined, env);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
};

test('import of the recorded sprint: the whole session, its cost to the micro-dollar; twice adds nothing', () => {
  const repo = makeRepo();
  const first = importJson(repo, [path.join(FIXTURE, 'transcripts')]);
  expect(first).toMatchObject({ sessions: 1, newSessions: 1, badLines: 0 });
  const s = stats(repo);
  expect(s).toMatchObject({
    sessions: 1,
    agents: 2,
    toolCalls: 9,
    errors: 2,
    costUsd: result.total_cost_usd,
  });
  const show = JSON.parse(track(repo, ['show', SPRINT_SESSION, '--json']).stdout).tree;
  expect(show.children.map((c: any) => c.description).sort()).toEqual([
    'Review the readme',
    'Write the library',
  ]);
  // a past session: ended, not crashed, though it has no SessionEnd
  expect(JSON.parse(track(repo, ['sessions', '--json']).stdout)[0].status).toBe('ended');
  const tip = branchEvents(repo).length;
  const again = importJson(repo, [path.join(FIXTURE, 'transcripts')]);
  expect(again).toMatchObject({ sessions: 1, newSessions: 0, events: 0 });
  expect(branchEvents(repo)).toHaveLength(tip);
  expect(stats(repo)).toEqual(s);
});

test('a session captured live and then imported is not counted twice', () => {
  const repo = makeRepo();
  const home = path.join(path.dirname(repo), 'home');
  fs.cpSync(path.join(FIXTURE, 'transcripts'), path.join(home, '.claude', 'projects'), { recursive: true });
  track(repo, ['init', '--yes']);
  for (const p of sprintPayloads(repo, home)) track(repo, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' });
  expect(flushNow(repo).status).toBe(0);
  const live = stats(repo);
  expect(live.costUsd).toBe(0.068763);
  const r = importJson(repo, [path.join(home, '.claude', 'projects')]);
  expect(r).toMatchObject({ sessions: 1, newSessions: 0, events: 0 });
  expect(stats(repo)).toEqual(live);
});

test('default folder, --since, corrupt and truncated lines counted, bad input', () => {
  const repo = makeRepo();
  const home = tmpDir();
  // Claude Code's folder for this repository: its path with every non-alphanumeric character as '-'
  const folder = path.join(home, '.claude', 'projects', repo.replace(/[^A-Za-z0-9]/g, '-'));
  fs.cpSync(path.join(FIXTURE, 'transcripts', '-home-dev-proj'), folder, { recursive: true });
  const main = path.join(folder, `${SPRINT_SESSION}.jsonl`);
  fs.appendFileSync(main, '{"type":"assistant","message":{"id":"broken\n{"type":"user","trunc');
  const old = path.join(folder, 'old-session.jsonl');
  fs.writeFileSync(
    old,
    '{"type":"user","timestamp":"2020-01-01T00:00:00Z","message":{"role":"user","content":"old"}}\n',
  );
  fs.utimesSync(old, new Date('2020-01-02'), new Date('2020-01-02'));
  const r = importJson(repo, ['--since', '2021-01-01'], { HOME: home });
  expect(r).toMatchObject({ sessions: 1, skippedOlder: 1, badLines: 2 });
  expect(stats(repo).costUsd).toBe(0.068763);

  const missing = track(repo, ['import', path.join(home, 'nope')]);
  expect(missing.status).toBe(1);
  expect(missing.stderr).toMatch(/^agent-track: no such file or folder: .*nope\n$/);
  const badDate = track(repo, ['import', '--since', 'yesterday-ish']);
  expect(badDate.stderr).toBe("agent-track: --since takes a date such as 2026-01-31, not 'yesterday-ish'\n");
  const none = track(makeRepo(), ['import'], undefined, { HOME: tmpDir() });
  expect(none.status).toBe(1);
  expect(none.stderr).toContain('no transcripts for this repository in');
});

/** `n` copies of the recorded sprint, each a session of its own (new session id in names and content). */
function sprintCopies(n: number): string {
  const src = path.join(FIXTURE, 'transcripts', '-home-dev-proj');
  const dest = path.join(tmpDir(), 'projects', '-home-dev-proj');
  fs.mkdirSync(dest, { recursive: true });
  const rewrite = (from: string, to: string, id: string) =>
    fs.writeFileSync(to, fs.readFileSync(from, 'utf8').replaceAll(SPRINT_SESSION, id));
  for (let i = 0; i < n; i++) {
    const id = `${SPRINT_SESSION.slice(0, -4)}${String(i).padStart(4, '0')}`;
    rewrite(path.join(src, `${SPRINT_SESSION}.jsonl`), path.join(dest, `${id}.jsonl`), id);
    const subs = path.join(src, SPRINT_SESSION, 'subagents');
    fs.mkdirSync(path.join(dest, id, 'subagents'), { recursive: true });
    for (const f of fs.readdirSync(subs))
      rewrite(path.join(subs, f), path.join(dest, id, 'subagents', f), id);
  }
  return path.dirname(dest);
}

test('a large import: read on worker threads or not, the same tree, written as a valid pack', () => {
  const corpus = sprintCopies(40);
  const secret = `${'ghp_'}Rb7Kq2Lx9Mv4Tn8Wz3Pc6Yd1Hf5Gj0Sa2Eu4`;
  const planted = path.join(corpus, '-home-dev-proj', `${SPRINT_SESSION.slice(0, -4)}0007.jsonl`);
  fs.appendFileSync(
    planted,
    `${JSON.stringify({ type: 'user', timestamp: '2026-11-01T00:00:00Z', message: { role: 'user', content: `use ${secret}` } })}\n`,
  );
  const threaded = makeRepo();
  const serial = makeRepo();
  expect(importJson(threaded, [corpus], { AGENT_TRACK_IMPORT_WORKERS: '2' })).toMatchObject({
    sessions: 40,
    newSessions: 40,
    badLines: 0,
  });
  expect(importJson(serial, [corpus], { AGENT_TRACK_IMPORT_WORKERS: '0' })).toMatchObject({ sessions: 40 });
  const tree = (repo: string) => git(repo, ['rev-parse', 'agent-tracking^{tree}']).trim();
  expect(tree(threaded)).toBe(tree(serial));
  // 40 sessions' objects went in as one pack that git itself reads and verifies
  const packs = fs
    .readdirSync(path.join(threaded, '.git', 'objects', 'pack'))
    .filter((f) => f.endsWith('.idx'));
  expect(packs).toHaveLength(1);
  git(threaded, ['verify-pack', path.join('.git', 'objects', 'pack', packs[0])]);
  git(threaded, ['fsck', '--strict', '--no-dangling']);
  const s = stats(threaded);
  expect(s.sessions).toBe(40);
  expect(s.costUsd).toBe(Math.round(40 * result.total_cost_usd * 1e8) / 1e8);
  expect(allObjectContents(threaded)).not.toContain(secret);
  expect(allObjectContents(threaded)).toContain('[REDACTED:github-token]');
});

test("an imported call names its file relative to the session's directory, as the hook does", () => {
  const home = tmpDir();
  const dir = path.join(home, 'proj');
  fs.mkdirSync(dir, { recursive: true });
  const at = (s: number) => new Date(Date.parse('2026-11-02T10:00:00Z') + s * 1000).toISOString();
  const line = (o: object) => JSON.stringify({ sessionId: 'rel-1', cwd: '/home/dev/proj', ...o });
  const usage = { input_tokens: 10, output_tokens: 5 };
  const use = (id: string, name: string, input: object, s: number) =>
    line({
      type: 'assistant',
      timestamp: at(s),
      uuid: `a-${id}`,
      message: {
        id: `m-${id}`,
        model: 'claude-sonnet-4-5',
        role: 'assistant',
        usage,
        content: [{ type: 'tool_use', id, name, input }],
      },
    });
  const result = (id: string, s: number, error: string | null) =>
    line({
      type: 'user',
      timestamp: at(s),
      uuid: `u-${id}`,
      message: {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: id,
            content: error ?? 'ok',
            ...(error ? { is_error: true } : {}),
          },
        ],
      },
    });
  fs.writeFileSync(
    path.join(dir, 'rel-1.jsonl'),
    [
      line({
        type: 'user',
        timestamp: at(0),
        uuid: 'p',
        message: { role: 'user', content: 'fix the readme' },
      }),
      use('tu-1', 'Edit', { file_path: '/home/dev/proj/readme.md', old_string: 'a', new_string: 'b' }, 1),
      result(
        'tu-1',
        2,
        '<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>',
      ),
      use('tu-2', 'Read', { file_path: '/home/dev/proj/readme.md' }, 3),
      result('tu-2', 4, null),
    ].join('\n') + '\n',
  );
  const repo = makeRepo();
  importJson(repo, [dir]);
  const calls = branchEvents(repo).filter((e: any) => e.type === 'tool_call' || e.type === 'tool_start');
  expect(calls.length).toBeGreaterThanOrEqual(3);
  for (const c of calls) expect(c.input.file_path).toBe('readme.md');
});
