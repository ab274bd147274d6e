/**
 * `agent-track search` over the branch, through the built binary and real git repositories: ranked
 * hits of every kind, filters, the index outside the work tree (0600) kept up to date after flush
 * and pull, a teammate's session found after pull, and never a secret in a snippet or the index.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorPattern } from '../../src/model/error-pattern.js';
import { refreshSearchIndex, SearchIndex } from '../../src/search/index.js';
import { pathsFor } from '../../src/store/paths.js';
import {
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  ROOT,
  recordSprint,
  SPRINT_SESSION,
  tmpDir,
  track,
} from '../lib/cli.js';

afterAll(cleanupTmp);

const search = (repo: string, args: string[]) => {
  const r = track(repo, ['search', ...args, '--json']);
  if (r.status !== 0) throw new Error(`search ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout).hits as Array<Record<string, any>>;
};

/** A small session through the hook: a prompt, a failing Bash call, a fix, a passing call. */
function record(repo: string, session: string, prompt: string, failing = 'cat ./conf/app.yml'): void {
  const base = { session_id: session, cwd: repo, transcript_path: '/dev/null' };
  const call = (id: string, command: string) => ({
    ...base,
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_use_id: id,
    tool_input: { command },
  });
  for (const p of [
    { ...base, hook_event_name: 'SessionStart', source: 'startup' },
    { ...base, hook_event_name: 'UserPromptSubmit', prompt },
    call(`tu-${session}-1`, failing),
    {
      ...call(`tu-${session}-1`, failing),
      hook_event_name: 'PostToolUseFailure',
      error: `Exit code 1\ncat: ${failing.slice(4)}: No such file or directory`,
    },
    call(`tu-${session}-2`, 'mkdir -p conf && touch conf/app.yml'),
    {
      ...call(`tu-${session}-2`, 'mkdir -p conf && touch conf/app.yml'),
      hook_event_name: 'PostToolUse',
      tool_response: { stdout: '', stderr: '', interrupted: false },
    },
    { ...base, hook_event_name: 'SessionEnd', reason: 'other' },
  ]) {
    const r = track(repo, ['hook'], JSON.stringify(p), { AGENT_TRACK_NO_FLUSH: '1' });
    expect(r.status).toBe(0);
  }
  expect(flushNow(repo).status).toBe(0);
}

describe('search over the recorded sprint', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    recordSprint(repo);
  }, 60_000);

  test('ranked hits with session, agent, agent type, type, time, snippet and score', () => {
    const hits = search(repo, ['nonexistent-dir-xyz']);
    expect(hits.length).toBeGreaterThanOrEqual(2);
    for (const h of hits)
      expect(Object.keys(h).sort()).toEqual([
        'agent',
        'agentType',
        'score',
        'session',
        'snippet',
        'ts',
        'type',
      ]);
    const error = hits.find((h) => h.type === 'error');
    expect(error).toMatchObject({ session: SPRINT_SESSION, agentType: 'general-purpose' });
    expect(error?.agent).not.toBe('main');
    expect(error?.snippet).toContain("cannot access '/nonexistent-dir-xyz': No such file or directory");
    const scores = hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  test('every kind of record is found: prompt, decision, file change, subagent task and outcome', () => {
    expect(search(repo, ['MISSION-ALPHA', '--type', 'prompt'])[0]).toMatchObject({
      type: 'prompt',
      agent: 'main',
    });
    expect(search(repo, ['parallel agents', '--type', 'decision'])[0].snippet).toContain(
      'I will split this into two parallel agents.',
    );
    const file = search(repo, ['notes.md', '--type', 'file']);
    expect(file.length).toBeGreaterThanOrEqual(1);
    expect(file.every((h) => h.type === 'file')).toBe(true);
    expect(search(repo, ['SUB-REVIEWER', '--type', 'task'])[0].snippet).toContain('Review the readme');
    expect(search(repo, ['README is fine', '--type', 'outcome'])[0]).toMatchObject({ type: 'outcome' });
  });

  test('--limit, --session (a prefix), and clear errors for a bad type or session', () => {
    expect(search(repo, ['lib', '--limit', '1'])).toHaveLength(1);
    expect(search(repo, ['lib', '--session', SPRINT_SESSION.slice(0, 6)]).length).toBeGreaterThan(0);
    const badType = track(repo, ['search', 'x', '--type', 'commit']);
    expect(badType.status).toBe(1);
    expect(badType.stderr).toContain(
      '--type takes one of prompt, decision, error, tool, file, task, outcome',
    );
    const badSession = track(repo, ['search', 'x', '--session', 'ffffffff']);
    expect(badSession.status).toBe(1);
    expect(badSession.stderr).toContain("no session 'ffffffff'");
    expect(track(repo, ['search', '--help']).stdout).toContain('--type <type>');
    const text = track(repo, ['search', 'nonexistent-dir-xyz']);
    expect(text.stdout).toContain(SPRINT_SESSION.slice(0, 8));
  });

  test('the index lives in the git dir (folder 0700, file 0600), never in the work tree', () => {
    const dir = path.join(repo, '.git', 'agent-tracking', 'search');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'index.jsonl')).mode & 0o777).toBe(0o600);
    expect(git(repo, ['status', '--porcelain', '--ignored'])).not.toMatch(/search|index\.jsonl/);
  });
});

describe('the index follows the branch', () => {
  test('built by the flush, each later flush reads only the new session; a damaged index is rebuilt', async () => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    record(repo, 'sess-one', 'first task: the config loader');
    const paths = pathsFor(repo, path.join(repo, '.git'));
    const first = SearchIndex.load(paths);
    expect(first?.sessionCount).toBe(1);
    expect(first?.tip).toBe(git(repo, ['rev-parse', 'agent-tracking']).trim());
    record(repo, 'sess-two', 'second task: the config writer');
    // the flush brought the index to the tip already: nothing left to read
    const again = await refreshSearchIndex(paths);
    expect(again).toMatchObject({ sessions: 2, sessionsRead: 0 });
    expect(search(repo, ['config writer'])[0].session).toBe('sess-two');
    fs.writeFileSync(path.join(repo, '.git', 'agent-tracking', 'search', 'index.jsonl'), '{"v":1,"tip"');
    expect(search(repo, ['config loader'])[0].session).toBe('sess-one');
    expect(SearchIndex.load(paths)?.sessionCount).toBe(2);
  }, 60_000);

  test("a teammate's session is found after pull", () => {
    const origin = makeRepo();
    const bare = path.join(tmpDir('at-bare-'), 'remote.git');
    git(path.dirname(bare), ['init', '-q', '--bare', '-b', 'main', bare]);
    git(origin, ['remote', 'add', 'origin', bare]);
    git(origin, ['push', '-q', 'origin', 'main']);
    expect(track(origin, ['init', '--yes']).status).toBe(0);
    record(origin, 'sess-mine', 'my own work on the parser');
    const mate = path.join(tmpDir('at-clone-'), 'proj');
    git(path.dirname(mate), ['clone', '-q', bare, mate]);
    git(mate, ['config', 'user.name', 'Bea']);
    git(mate, ['config', 'user.email', 'bea@example.com']);
    expect(track(mate, ['init', '--yes']).status).toBe(0);
    record(mate, 'sess-bea', 'Bea migrates the tokenizer to streaming');
    expect(track(mate, ['push']).status).toBe(0);
    expect(search(origin, ['tokenizer streaming'])).toEqual([]);
    const pull = track(origin, ['pull', '--json']);
    expect(pull.status).toBe(0);
    // pull brought the index up to date: the hit is there without rebuilding at search time
    const paths = pathsFor(origin, path.join(origin, '.git'));
    expect(SearchIndex.load(paths)?.tip).toBe(git(origin, ['rev-parse', 'agent-tracking']).trim());
    const hits = search(origin, ['tokenizer streaming']);
    expect(hits[0]).toMatchObject({ session: 'sess-bea', type: 'prompt', agent: 'main' });
  }, 90_000);

  test('never a secret: snippets and the index hold only what the branch holds, redacted', () => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    const token = `ghp_${'Zx8Cv6Bn4Ml2'.repeat(3)}`;
    const aws = 'AKIA' + 'QWERTYUIOPASDFGH';
    record(
      repo,
      'sess-secret',
      `deploy with token ${token} and key ${aws} to staging`,
      `cat ./conf/${token}.yml`,
    );
    const hits = [
      ...search(repo, ['deploy staging']),
      ...search(repo, [token]),
      ...search(repo, ['ghp']),
      ...search(repo, [aws]),
      ...search(repo, ['conf']),
    ];
    expect(hits.length).toBeGreaterThan(0);
    const all = JSON.stringify(hits);
    expect(all).toContain('[REDACTED:github-token]');
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.slice(4, 20));
    expect(all).not.toContain(aws);
    const index = fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'search', 'index.jsonl'), 'utf8');
    expect(index).not.toContain(token.slice(4, 20));
    expect(index).not.toContain(aws);
  }, 60_000);
});

describe('a branch release 0.1.0 wrote', () => {
  test('is searched as canonical events: its transcript-only error is a failed Edit and an error', () => {
    const repo = makeRepo();
    const bundle = path.join(ROOT, 'test', 'fixtures', 'release-0.1', 'agent-tracking.bundle');
    git(repo, ['fetch', '-q', bundle, 'agent-tracking:agent-tracking']);
    const hits = search(repo, ['has not been read yet']);
    const old = '0b7d1e2a-5c3f-4e61-9a8b-2f4c6d8e0a11';
    expect(
      hits
        .filter((h) => h.session === old)
        .map((h) => h.type)
        .sort(),
    ).toEqual(['error', 'tool']);
    expect(search(repo, ['MISSION-ALPHA', '--type', 'prompt'])[0].session).toBe(SPRINT_SESSION);
    // reading never writes the branch: the tip is the bundle's
    expect(git(repo, ['rev-parse', 'agent-tracking']).trim()).toBe(
      git(repo, ['bundle', 'list-heads', bundle]).split(' ')[0],
    );
  });
});

describe("the error pattern: the review's cause line, masked", () => {
  test('the line that says what went wrong, with paths, ids and numbers masked', () => {
    expect(errorPattern("Exit code 2\nls: cannot access '/tmp/x/y': No such file or directory")).toBe(
      "ls: cannot access '{path}': No such file or directory",
    );
    expect(errorPattern('commit 3fa9c2d1e not found after 30s')).toBe('commit {id} not found after {n}s');
    expect(errorPattern('cat: ./conf/a.yml: nope')).toBe(errorPattern('cat: ./conf/b.yml: nope'));
    // a test runner's banner is not the pattern; the failing test is
    expect(
      errorPattern('===== test session starts =====\nFAILED tests/test_a.py::test_b - assert 1 == 2'),
    ).toBe('FAILED test_a.py::test_b - assert {n} == {n}');
  });
});

test('an imported session is searchable at once: import brings the index to the branch tip', () => {
  const repo = makeRepo();
  const r = track(repo, ['import', path.join(ROOT, 'test/fixtures/sprint/transcripts'), '--json']);
  expect(r.status).toBe(0);
  const paths = pathsFor(repo, path.join(repo, '.git'));
  const index = SearchIndex.load(paths);
  expect(index?.tip).toBe(git(repo, ['rev-parse', 'agent-tracking']).trim());
  expect(index?.sessionCount).toBe(1);
});
