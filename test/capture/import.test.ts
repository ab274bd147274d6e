import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  branchEvents,
  cleanupTmp,
  FIXTURE,
  flushNow,
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
