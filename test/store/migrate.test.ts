/**
 * A branch written by release 0.1.0 (test/fixtures/release-0.1: the sprint captured live, and an
 * imported opus-4-6 session) reads right with this release: figures derived from its events, priced
 * at today's table, the old event shapes read as canonical ones; the next flush rewrites it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SUMMARY_VERSION } from '../../src/model/session.js';
import { cleanupTmp, git, makeRepo, ROOT, SPRINT_SESSION, track } from '../lib/cli.js';

afterAll(cleanupTmp);

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'release-0.1');
const OLD_SESSION = '0b7d1e2a-5c3f-4e61-9a8b-2f4c6d8e0a11';
const json = (repo: string, args: string[]) => {
  const r = track(repo, [...args, '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

describe('a branch release 0.1.0 wrote', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeRepo();
    git(repo, ['fetch', '-q', path.join(FIXTURE, 'agent-tracking.bundle'), 'agent-tracking:agent-tracking']);
  });

  test('its session.json files are of the old shape (no usage cells, an opus-4-6 session at $0)', () => {
    const files = git(repo, ['ls-tree', '-r', '--name-only', 'agent-tracking']).split('\n');
    const old = files.find((f) => f.includes(OLD_SESSION) && f.endsWith('session.json'))!;
    const stored = JSON.parse(git(repo, ['show', `agent-tracking:${old}`]));
    expect(stored.cells).toBeUndefined();
    expect(stored.costUsd).toBe(0);
  });

  test('stats, sessions and show derive every figure from its events at today’s prices', () => {
    const stats = json(repo, ['stats']);
    // the opus-4-6 session is priced now: 17 in x $5, 43 out x $25, 2000 cache read x $0.5, 2000 cache write x $6.25
    const opus = 0.01466;
    expect(stats).toMatchObject({
      sessions: 2,
      toolCalls: 10,
      toolFailures: 3,
      errors: 3,
      unpricedTokens: 0,
    });
    expect(stats.costUsd).toBe(Math.round((0.068763 + opus) * 1e8) / 1e8);
    expect(stats.byModel['claude-opus-4-6']).toMatchObject({ costUsd: opus, tokens: { output: 43 } });
    const rows = json(repo, ['stats', '--by', 'session']).rows;
    expect(rows.find((r: any) => r.key === OLD_SESSION)).toMatchObject({ totalCost: opus, costUsd: opus });
    expect(rows.find((r: any) => r.key === SPRINT_SESSION)).toMatchObject({ costUsd: 0.068763 });
    const agents = json(repo, ['stats', '--by', 'agent']).rows.map((r: any) => r.key);
    expect(agents).toEqual(['general-purpose', 'main']);
    const sessions = json(repo, ['sessions']);
    expect(sessions.find((s: any) => s.session === OLD_SESSION)).toMatchObject({
      status: 'ended',
      toolCalls: 1,
      toolFailures: 1,
      costUsd: opus,
    });
    const show = json(repo, ['show', OLD_SESSION]);
    expect(show.figures.costUsd).toBe(opus);
    expect(show.tree.costUsd).toBe(opus);
    const refused = show.tree.items.find((i: any) => i.kind === 'tool');
    expect(refused.call).toMatchObject({ tool: 'Edit', success: false, outcome: 'failed' });
  });

  test('the next flush of a session rewrites its session.json in the current shape, figures unchanged', () => {
    const before = json(repo, ['stats']);
    const payload = {
      session_id: OLD_SESSION,
      hook_event_name: 'Notification',
      cwd: repo,
      message: 'still here',
    };
    expect(track(repo, ['hook'], JSON.stringify(payload), { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
    expect(track(repo, ['flush']).status).toBe(0);
    const files = git(repo, ['ls-tree', '-r', '--name-only', 'agent-tracking']).split('\n');
    const file = files.find((f) => f.includes(OLD_SESSION) && f.endsWith('session.json'))!;
    const stored = JSON.parse(git(repo, ['show', `agent-tracking:${file}`]));
    expect(stored.v).toBe(SUMMARY_VERSION);
    expect(Object.keys(stored.cells)).toHaveLength(1);
    expect(stored.costUsd).toBe(0.01466);
    const after = json(repo, ['stats']);
    expect(after).toEqual(before);
    expect(fs.existsSync(path.join(repo, '.git', 'agent-tracking'))).toBe(true);
    git(repo, ['fsck', '--strict', '--no-dangling']);
  });
});
