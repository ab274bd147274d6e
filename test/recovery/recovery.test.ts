import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countTokens } from '@anthropic-ai/tokenizer';
import {
  allObjectContents,
  BIN,
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  SPRINT_SESSION,
  sprintPayloads,
  tmpDir,
  track,
} from '../lib/cli.js';

afterAll(cleanupTmp);

const SECRET = `${'ghp_'}Rb7Kq2Lx9Mv4Tn8Wz3Pc6Yd1Hf5Gj0Sa2Eu4`;
const json = (repo: string, args: string[]) => {
  const r = track(repo, [...args, '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

/**
 * Runs the hook the way Claude Code does, as the child of a process that then exits (Claude Code,
 * killed): the session's recorded process is gone afterwards.
 */
function hookViaExitedParent(repo: string, payload: string): void {
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      'require("child_process").spawnSync(process.execPath, [process.argv[1], "hook"], { stdio: "inherit" })',
      BIN,
    ],
    { cwd: repo, input: payload, env: { ...process.env, AGENT_TRACK_NO_FLUSH: '1' } },
  );
  expect(r.status).toBe(0);
}

/**
 * The recorded sprint replayed into a fresh repository, killed before its last turn ended: no Stop,
 * no SessionEnd (the session crashed). `endedTurn`: its Stop arrived, only SessionEnd was dropped.
 */
function crashedSprint(endedTurn = false): string {
  const repo = makeRepo();
  fs.writeFileSync(path.join(repo, '.gitignore'), 'build/\n');
  git(repo, ['add', '.gitignore']);
  git(repo, ['commit', '-q', '-m', 'ignore build']);
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  git(repo, ['add', '.']);
  git(repo, ['commit', '-q', '-m', 'track agents']);
  for (const p of sprintPayloads(repo).filter(
    (l) => !l.includes('"SessionEnd"') && (endedTurn || !/"hook_event_name":\s*"Stop"/.test(l)),
  ))
    hookViaExitedParent(repo, p);
  expect(flushNow(repo).status).toBe(0);
  return repo;
}

/** What the session left in the work tree: an edit, new files, a secret, an ignored and a binary file. */
function dirtyTree(repo: string) {
  const files = {
    'README.md': '# demo\n\nalpha feature: half done\n',
    'notes.md': 'alpha notes\n- résumé: ünïcode kept byte for byte\n',
    'src/deep/module.ts': 'export const alpha = 1;\n',
    '.env': `GITHUB_TOKEN=${SECRET}\nMODE=dev\n`,
    'build/out.js': 'ignored();\n',
  };
  for (const [f, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
    fs.writeFileSync(path.join(repo, f), c);
  }
  fs.writeFileSync(path.join(repo, 'logo.bin'), Buffer.from([0, 1, 2, 255, 0, 7]));
  return files;
}

describe('snapshots, handoff and restore of a crashed session', () => {
  let repo: string;
  let files: Record<string, string>;
  let snap: any;
  beforeAll(() => {
    repo = crashedSprint();
    files = dirtyTree(repo);
    snap = json(repo, ['checkpoint', '--note', 'before lunch']);
  });

  test('checkpoint prints the id; the snapshot holds git state, files, todos, agents and errors', () => {
    expect(snap.id).toBe(`${SPRINT_SESSION.slice(0, 8)}@1`);
    expect(snap.head).toBe(git(repo, ['rev-parse', 'HEAD']).trim());
    const [record] = json(repo, ['snapshots', '--session', SPRINT_SESSION]);
    expect(record).toMatchObject({ id: snap.id, trigger: 'manual', note: 'before lunch' });
    expect(record.git.branch).toBe('main');
    const byPath = Object.fromEntries(record.files.map((f: any) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual([
      '.env',
      'README.md',
      'logo.bin',
      'notes.md',
      'src/deep/module.ts',
    ]);
    expect(byPath['README.md']).toMatchObject({ status: 'modified', redacted: false });
    expect(byPath['notes.md'].status).toBe('untracked');
    // the git blob id of the file as it is in the work tree
    expect(byPath['notes.md'].blob).toBe(git(repo, ['hash-object', 'notes.md']).trim());
    expect(byPath['.env']).toMatchObject({ redacted: true });
    expect(byPath['logo.bin']).toMatchObject({ stored: null, skipped: 'binary' });
    expect(record.agents.map((a: any) => a.task).sort()).toEqual(['Review the readme', 'Write the library']);
    expect(record.errors.length).toBeGreaterThan(0);
    expect(allObjectContents(repo)).not.toContain(SECRET);
  });

  test('sessions marks the session crashed once its process is gone', () => {
    const [s] = json(repo, ['sessions']);
    // the hook recorded its parent process (the test runner's short-lived child): gone now
    expect(s.status).toBe('crashed');
  });

  test('resume: the handoff names the goal, files, last error, subagents, within a counted budget', () => {
    const h = json(repo, ['resume']);
    expect(h.session).toBe(SPRINT_SESSION);
    expect(h.snapshot).toBe(snap.id);
    expect(h.crashed).toBe(true);
    expect(h.tokens).toBe(countTokens(h.markdown));
    expect(h.tokens).toBeLessThanOrEqual(2000);
    expect(h.markdown).toContain('MISSION-ALPHA: build the alpha feature');
    // the files the session changed, as the snapshot finds them; not the ones changed outside it
    for (const f of ['lib.txt', 'notes.md']) expect(h.markdown).toContain(`\`${f}\``);
    for (const f of ['README.md', 'src/deep/module.ts', '.env']) expect(h.markdown).not.toContain(`\`${f}\``);
    expect(h.markdown).toMatch(/## Last error\nBash `exit 3` failed/);
    expect(h.markdown).toContain('Write the library');
    expect(h.markdown).not.toContain(SECRET);
    // the plain command prints the same Markdown
    expect(track(repo, ['resume']).stdout).toBe(h.markdown);

    const small = json(repo, ['resume', '--max-tokens', '200']);
    expect(small.dropped).toBeGreaterThan(0);
    expect(small.markdown).toContain('MISSION-ALPHA');
    expect(small.markdown).toContain('`notes.md`');
    expect(small.markdown).toContain('## Last error');
    expect(small.markdown).not.toContain('## Subagents');
    expect(track(repo, ['resume', '--max-tokens', 'lots']).stderr).toBe(
      "agent-track: --max-tokens takes a whole number of at least 200, not 'lots'\n",
    );
  });

  test('restore: a worktree at the snapshot HEAD, files laid back byte for byte, the user tree untouched', () => {
    const before = git(repo, ['status', '--porcelain', '--untracked-files=all']);
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const index = fs.readFileSync(path.join(repo, '.git', 'index'));
    const dest = path.join(tmpDir(), 'rescued');
    const r = json(repo, ['restore', snap.id, '--worktree', dest, '--branch', 'rescued']);
    expect(r.head).toBe(head);
    expect(git(dest, ['rev-parse', 'HEAD']).trim()).toBe(head);
    expect(git(dest, ['branch', '--show-current']).trim()).toBe('rescued');
    for (const f of ['README.md', 'notes.md', 'src/deep/module.ts'])
      expect(fs.readFileSync(path.join(dest, f))).toEqual(fs.readFileSync(path.join(repo, f)));
    expect(fs.readFileSync(path.join(dest, '.env'), 'utf8')).toBe(
      'GITHUB_TOKEN=[REDACTED:env]\nMODE=[REDACTED:env]\n',
    );
    expect(r.redacted).toEqual(['.env']);
    expect(r.notStored).toEqual([{ path: 'logo.bin', reason: 'binary' }]);
    expect(fs.existsSync(path.join(dest, 'build', 'out.js'))).toBe(false);
    // a command that works from the new worktree, which has no node_modules
    expect(r.start).toContain(`node ${JSON.stringify(BIN)} resume ${SPRINT_SESSION.slice(0, 8)})"`);
    // the user's work tree, index and HEAD are as they were
    expect(git(repo, ['status', '--porcelain', '--untracked-files=all'])).toBe(before);
    expect(git(repo, ['rev-parse', 'HEAD']).trim()).toBe(head);
    expect(fs.readFileSync(path.join(repo, '.git', 'index'))).toEqual(index);
    expect(fs.readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe(files['README.md']);
  });

  test('bad snapshot ids and targets give one-line errors', () => {
    const dest = path.join(tmpDir(), 'x');
    const cases: Array<[string[], RegExp]> = [
      [['restore', 'nonsense', '--worktree', dest], /^agent-track: 'nonsense' is not a snapshot id/],
      [
        ['restore', `${SPRINT_SESSION.slice(0, 8)}@9`, '--worktree', dest],
        /^agent-track: no snapshot '.*@9': session/,
      ],
      [['restore', 'ffffffff@1', '--worktree', dest], /^agent-track: no snapshot 'ffffffff@1': no session/],
      [['restore', snap.id, '--worktree', repo], /^agent-track: .* exists and is not empty/],
    ];
    for (const [args, re] of cases) {
      const r = track(repo, args);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(track(repo, ['restore', snap.id]).stderr).toContain("required option '--worktree <path>'");
  });
});

test('restore of a snapshot whose HEAD is on no branch any more', () => {
  const repo = crashedSprint();
  git(repo, ['checkout', '-q', '-b', 'experiment']);
  fs.writeFileSync(path.join(repo, 'exp.txt'), 'experiment\n');
  git(repo, ['add', 'exp.txt']);
  git(repo, ['commit', '-q', '-m', 'experiment']);
  const lost = git(repo, ['rev-parse', 'HEAD']).trim();
  fs.writeFileSync(path.join(repo, 'exp.txt'), 'experiment, more\n');
  const snap = json(repo, ['checkpoint', '--session', SPRINT_SESSION]);
  git(repo, ['checkout', '-q', '-f', 'main']);
  git(repo, ['branch', '-q', '-D', 'experiment']);
  expect(git(repo, ['branch', '--contains', lost]).trim()).toBe('');
  const dest = path.join(tmpDir(), 'back');
  const r = json(repo, ['restore', snap.id, '--worktree', dest]);
  expect(r.head).toBe(lost);
  expect(fs.readFileSync(path.join(dest, 'exp.txt'), 'utf8')).toBe('experiment, more\n');
});

test('automatic snapshots: on SessionEnd, and every N subagents', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  fs.appendFileSync(path.join(repo, '.agent-tracking.yml'), '');
  const cfg = fs
    .readFileSync(path.join(repo, '.agent-tracking.yml'), 'utf8')
    .replace('everyAgents: 10', 'everyAgents: 2');
  fs.writeFileSync(path.join(repo, '.agent-tracking.yml'), cfg);
  // the flush a hook starts runs in the background: run each flush ourselves instead
  for (const p of sprintPayloads(repo)) {
    track(repo, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' });
    if (/"(SubagentStop|SessionEnd)"/.test(p)) expect(flushNow(repo).status).toBe(0);
  }
  const list = json(repo, ['snapshots']);
  expect(list.map((s: any) => s.trigger)).toEqual(['agents', 'session_end']);
  const [s] = json(repo, ['sessions']);
  expect(s.status).toBe('ended');
  expect(s.snapshots).toBe(2);
});

describe('SessionStart injection', () => {
  const start = (repo: string, session: string, source: string) =>
    JSON.stringify({
      session_id: session,
      cwd: repo,
      hook_event_name: 'SessionStart',
      source,
      transcript_path: '/dev/null',
    });
  const hook = (repo: string, payload: string) =>
    track(repo, ['hook'], payload, { AGENT_TRACK_NO_FLUSH: '1' });

  test('compact and resume get the session’s own handoff; startup after a crash gets the crashed one', () => {
    const repo = crashedSprint();
    for (const source of ['compact', 'resume']) {
      const r = hook(repo, start(repo, SPRINT_SESSION, source));
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout).hookSpecificOutput;
      expect(out.hookEventName).toBe('SessionStart');
      expect(out.additionalContext).toContain(`# Handoff: session ${SPRINT_SESSION.slice(0, 8)}`);
      expect(out.additionalContext).toContain('MISSION-ALPHA');
    }
    const fresh = hook(repo, start(repo, 'fresh-session-1', 'startup'));
    expect(JSON.parse(fresh.stdout).hookSpecificOutput.additionalContext).toContain(
      `# Handoff: session ${SPRINT_SESSION.slice(0, 8)} (crashed)`,
    );
    // the previous session of the branch is now fresh-session-1, whose process (this test) is alive
    expect(hook(repo, start(repo, 'fresh-session-2', 'startup')).stdout).toBe('');
    // and a plain start on another branch has no previous session at all
    git(repo, ['checkout', '-q', '-b', 'other']);
    expect(hook(repo, start(repo, 'fresh-session-3', 'startup')).stdout).toBe('');
  });

  test('a session whose process ended after its last turn, with SessionEnd dropped, is ended: no injection', () => {
    // Claude Code in -p mode exits 0 after Stop and can drop SessionEnd (an async hook, the exit race)
    const repo = crashedSprint(true);
    const [s] = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    expect(s.status).toBe('ended');
    expect(JSON.parse(track(repo, ['show', SPRINT_SESSION, '--json']).stdout).session.status).toBe('ended');
    expect(hook(repo, start(repo, 'fresh-session-1', 'startup')).stdout).toBe('');
  });

  test('injectOnStartup: false turns the startup injection off', () => {
    const repo = crashedSprint();
    const cfg = path.join(repo, '.agent-tracking.yml');
    fs.writeFileSync(
      cfg,
      fs.readFileSync(cfg, 'utf8').replace('injectOnStartup: true', 'injectOnStartup: false'),
    );
    expect(hook(repo, start(repo, 'fresh', 'startup')).stdout).toBe('');
    expect(hook(repo, start(repo, SPRINT_SESSION, 'compact')).stdout).toContain('additionalContext');
  });
});
