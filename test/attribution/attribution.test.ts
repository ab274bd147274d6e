/**
 * Attribution on real git repositories, with changes recorded through the real hook and flush (the
 * payload shapes Claude Code sends): what a Write that rewrites a file claims, a line that was there
 * before the agent wrote the same text, MultiEdit (the tool older Claude Code had), a file written by
 * a Bash heredoc, blank and punctuation lines, the index kept incrementally and rebuilt, no branch at
 * all, and the errors a user meets. Pure helpers are pinned on small inputs of their own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addedLines, attributeLines, lineHash, shellWrites } from '../../src/model/attribution.js';
import { attributionDir, updateAttributionIndex } from '../../src/store/attribution.js';
import { findRepo } from '../../src/store/paths.js';
import { TrackingBranch } from '../../src/store/reader.js';
import { cleanupTmp, flushNow, git, makeRepo, ROOT, SPRINT_SESSION, track } from '../lib/cli.js';

afterAll(cleanupTmp);

const hook = (repo: string, payload: Record<string, unknown>) => {
  const r = track(repo, ['hook'], JSON.stringify({ session_id: 's-attr', cwd: repo, ...payload }), {
    AGENT_TRACK_NO_FLUSH: '1',
  });
  expect(r).toMatchObject({ status: 0, stderr: '' });
};
const post = (
  repo: string,
  tool: string,
  id: string,
  input: Record<string, unknown>,
  response: unknown,
  extra = {},
) =>
  hook(repo, {
    hook_event_name: 'PostToolUse',
    tool_name: tool,
    tool_use_id: id,
    tool_input: input,
    tool_response: response,
    ...extra,
  });
const blame = (repo: string, file: string, rev?: string) => {
  const r = track(repo, ['blame', file, '--json', ...(rev ? ['--rev', rev] : [])]);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as {
    lines: Array<{ kind: string; tool: string | null; agent: string | null; agentType: string | null }>;
  };
};
const kinds = (rows: Array<{ kind: string; tool: string | null }>) =>
  rows.map((r) => (r.kind === 'agent' ? r.tool : r.kind));

/** Commits as a person did an hour ago. */
function commitEarlier(repo: string, files: Record<string, string>, message: string): void {
  for (const [f, c] of Object.entries(files)) fs.writeFileSync(path.join(repo, f), c);
  git(repo, ['add', ...Object.keys(files)]);
  const date = new Date(Date.now() - 3600_000).toISOString();
  git(repo, ['commit', '-q', '-m', message], {
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
}

describe('recorded through the hook, matched against git', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    commitEarlier(
      repo,
      { 'config.txt': 'alpha setting\nbeta setting\n', 'dup.txt': 'shared line\n' },
      'a person writes',
    );
    hook(repo, { hook_event_name: 'UserPromptSubmit', prompt: 'tidy the config' });
    // a Write that replaces config.txt, keeping its two lines (no structuredPatch: the whole-file diff)
    const config = 'alpha setting\nbeta setting\ngamma setting\n';
    fs.writeFileSync(path.join(repo, 'config.txt'), config);
    post(
      repo,
      'Write',
      'w1',
      { file_path: `${repo}/config.txt`, content: config },
      {
        type: 'update',
        filePath: `${repo}/config.txt`,
        content: config,
        structuredPatch: [],
        originalFile: 'alpha setting\nbeta setting\n',
      },
    );
    // the agent adds a second copy of a line a person wrote before
    fs.writeFileSync(path.join(repo, 'dup.txt'), 'shared line\nshared line\n');
    post(
      repo,
      'Edit',
      'e1',
      { file_path: `${repo}/dup.txt`, old_string: 'shared line\n', new_string: 'shared line\nshared line\n' },
      {
        filePath: `${repo}/dup.txt`,
        originalFile: 'shared line\n',
        structuredPatch: [
          { oldStart: 1, oldLines: 1, newStart: 1, newLines: 2, lines: [' shared line', '+shared line'] },
        ],
      },
    );
    // MultiEdit as older Claude Code sent it (the file's new lines in its patch), from a subagent
    const code = 'function f() {\n  return 1;\n}\n\nfunction g() {\n  return 2;\n}\n';
    fs.writeFileSync(path.join(repo, 'code.ts'), code);
    post(
      repo,
      'MultiEdit',
      'm1',
      { file_path: `${repo}/code.ts`, edits: [] },
      {
        filePath: `${repo}/code.ts`,
        originalFile: '',
        structuredPatch: [
          {
            oldStart: 0,
            oldLines: 0,
            newStart: 1,
            newLines: 7,
            lines: code
              .trimEnd()
              .split('\n')
              .map((l) => `+${l}`),
          },
        ],
      },
      { agent_id: 'sub1', agent_type: 'code-writer' },
    );
    // a Bash heredoc that writes a file
    fs.writeFileSync(path.join(repo, 'gen.txt'), 'first generated\nsecond generated\nadded by a person\n');
    post(
      repo,
      'Bash',
      'b1',
      {
        command: `cat > ${repo}/gen.txt <<'EOF'\nfirst generated\nsecond generated\nEOF`,
        description: 'write gen',
      },
      { stdout: '', stderr: '', interrupted: false },
    );
    expect(flushNow(repo).status).toBe(0);
  }, 60_000);

  test('a Write that rewrites a file claims only the line it added', () => {
    expect(kinds(blame(repo, 'config.txt').lines)).toEqual(['human', 'human', 'Write']);
    const plain = track(repo, ['blame', 'config.txt']).stdout.split('\n');
    expect(plain[0]).toMatch(/^[0-9a-f]{8} +human +1\) alpha setting$/);
    expect(plain[2]).toMatch(/^no commit main +s-attr +Write +3\) gamma setting$/);
  });

  test('a line committed before the agent wrote the same text is the person’s; the agent’s copy is the agent’s', () => {
    expect(kinds(blame(repo, 'dup.txt').lines)).toEqual(['human', 'Edit']);
  });

  test('MultiEdit from a subagent: its lines, blank and closing-brace lines included, with the agent type', () => {
    const b = blame(repo, 'code.ts');
    expect(kinds(b.lines)).toEqual(Array(7).fill('MultiEdit'));
    expect(b.lines.every((r) => r.agent === 'sub1' && r.agentType === 'code-writer')).toBe(true);
  });

  test('a Bash heredoc: the lines its text holds are the command’s, a line it does not hold is unknown until committed', () => {
    expect(kinds(blame(repo, 'gen.txt').lines)).toEqual(['Bash', 'Bash', 'unknown']);
    git(repo, ['add', 'gen.txt']);
    git(repo, ['commit', '-q', '-m', 'generated']);
    expect(kinds(blame(repo, 'gen.txt', 'HEAD').lines)).toEqual(['Bash', 'Bash', 'human']);
    const why = JSON.parse(track(repo, ['why', 'gen.txt:1', '--json']).stdout);
    expect(why).toMatchObject({
      kind: 'agent',
      change: { tool: 'Bash', diff: null },
      prompt: 'tidy the config',
    });
    expect(why.change.input.command).toContain('cat > ');
  });

  test('why lists the commits made while the session ran, and those its agent’s git commit made', () => {
    fs.writeFileSync(path.join(repo, 'later.txt'), 'by the agent\n');
    git(repo, ['add', 'later.txt']);
    git(repo, ['commit', '-q', '-m', 'the agent commits']);
    const sha = git(repo, ['rev-parse', 'HEAD']).trim();
    post(
      repo,
      'Bash',
      'b-commit',
      { command: 'git add later.txt && git commit -m "the agent commits"', description: 'commit' },
      {
        stdout: `[main ${sha.slice(0, 7)}] the agent commits\n 1 file changed, 1 insertion(+)\n`,
        stderr: '',
      },
    );
    expect(flushNow(repo).status).toBe(0);
    const why = JSON.parse(track(repo, ['why', 'gen.txt:1', '--json']).stdout);
    expect(
      why.session.commits.map((c: { subject: string; byAgent: boolean }) => [c.subject, c.byAgent]),
    ).toEqual([
      ['generated', false],
      ['the agent commits', true],
    ]);
    // log --session: those commits, newest first, with the lines each added
    const made = JSON.parse(track(repo, ['log', '--session', 's-attr', '--json']).stdout);
    expect(made.commits.map((c: { subject: string }) => c.subject)).toEqual([
      'the agent commits',
      'generated',
    ]);
    expect(made.commits[1]).toMatchObject({ agentLines: 2, humanLines: 1, sessions: ['s-attr'] });
  });

  test('the index: kept beside the spool, incremental, rebuilt from the branch when a session file is lost', async () => {
    const paths = findRepo(repo)!;
    const dir = path.join(attributionDir(paths), 'sessions');
    expect(fs.readdirSync(dir)).toEqual(['s-attr.json']);
    // up to date after the flush: nothing to read
    expect(await updateAttributionIndex(paths, await TrackingBranch.open(paths))).toMatchObject({
      segmentsRead: 0,
    });
    // a second flush adds a segment: only it is read
    hook(repo, { hook_event_name: 'UserPromptSubmit', prompt: 'one more' });
    expect(flushNow(repo).status).toBe(0);
    // the flush brought the index along: the session's file holds both segments
    const held = JSON.parse(fs.readFileSync(path.join(dir, 's-attr.json'), 'utf8'));
    expect(Object.keys(held.segments)).toEqual(['000001.jsonl', '000002.jsonl', '000003.jsonl']);
    expect(held.prompts.map((p: { text: string }) => p.text)).toEqual(['tidy the config', 'one more']);
    fs.rmSync(path.join(attributionDir(paths), 'index.json'));
    expect(await updateAttributionIndex(paths, await TrackingBranch.open(paths))).toMatchObject({
      segmentsRead: 0,
    });
    fs.rmSync(path.join(dir, 's-attr.json'));
    const rebuilt = await updateAttributionIndex(paths, await TrackingBranch.open(paths));
    expect(rebuilt).toMatchObject({ sessions: 1, segmentsRead: 3, changes: 4 });
    expect(kinds(blame(repo, 'config.txt').lines)).toEqual(['human', 'human', 'Write']);
  });

  test('a renamed file keeps its lines’ authors (the changes recorded under its old name)', () => {
    git(repo, ['add', 'config.txt']);
    git(repo, ['commit', '-q', '-m', 'config']);
    git(repo, ['mv', 'config.txt', 'settings.txt']);
    git(repo, ['commit', '-q', '-m', 'rename']);
    expect(kinds(blame(repo, 'settings.txt', 'HEAD').lines)).toEqual(['human', 'human', 'Write']);
    expect(kinds(blame(repo, 'settings.txt').lines)).toEqual(['human', 'human', 'Write']);
    const record = JSON.parse(track(repo, ['export', 'agent-trace']).stdout);
    const settings = record.files.find((f: { path: string }) => f.path === 'settings.txt');
    expect(
      settings.conversations.map((c: any) => [
        c.contributor.type,
        c.ranges.map((r: any) => [r.start_line, r.end_line]),
      ]),
    ).toEqual([
      ['human', [[1, 2]]],
      ['ai', [[3, 3]]],
    ]);
  });

  test('errors say what is wrong, exit 1', () => {
    expect(track(repo, ['blame', 'nope.txt'])).toMatchObject({
      status: 1,
      stderr: "agent-track: no file 'nope.txt' in the work tree\n",
    });
    expect(track(repo, ['blame', 'settings.txt', '--rev', 'no-such-rev'])).toMatchObject({
      status: 1,
      stderr: "agent-track: 'no-such-rev' names no commit of this repository\n",
    });
    expect(track(repo, ['why', 'settings.txt'])).toMatchObject({ status: 1 });
    expect(track(repo, ['why', 'settings.txt:99']).stderr).toBe(
      "agent-track: 'settings.txt' has 3 lines; there is no line 99\n",
    );
    expect(track(repo, ['blame', '--help']).stdout).toContain('--rev <rev>');
  });
});

test('a repository with nothing recorded: every committed line is a person’s', () => {
  const repo = makeRepo();
  expect(blame(repo, 'README.md').lines.map((r) => r.kind)).toEqual(['human']);
  const log = JSON.parse(track(repo, ['log', '--json']).stdout);
  expect(log.commits).toEqual([
    {
      sha: git(repo, ['rev-parse', 'HEAD']).trim(),
      subject: 'first commit',
      sessions: [],
      agentLines: 0,
      humanLines: 1,
      byAgentType: {},
    },
  ]);
});

describe('pure helpers', () => {
  test('addedLines: + lines less the - lines of the same (normalised) text', () => {
    const diff = '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n-keep\n-  old\n+keep\n+new\n+  old  \n x\n';
    expect(addedLines(diff)).toEqual(['new']);
    expect(addedLines('--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+a\n')).toEqual(['a', 'a']);
  });

  test('lineHash ignores indentation and runs of white space', () => {
    expect(lineHash('  return   x;\r')).toBe(lineHash('return x;'));
    expect(lineHash('return x;')).not.toBe(lineHash('return y;'));
  });

  test('shellWrites: redirection and tee targets, heredoc bodies and quoted strings', () => {
    expect(shellWrites("printf 'a line\\nanother\\n' >> out.txt")).toEqual({
      targets: ['out.txt'],
      lines: ['a line', 'another'],
    });
    expect(shellWrites('cat <<EOF > x.ts\nconst a = 1;\nEOF')).toEqual({
      targets: ['x.ts'],
      lines: ['const a = 1;'],
    });
    expect(shellWrites('echo "hi" | tee -a log.md 2>&1 >/dev/null')).toEqual({
      targets: ['log.md'],
      lines: ['hi'],
    });
    expect(shellWrites('npm test 2>&1')).toEqual({ targets: [], lines: [] });
  });

  test('attributeLines: a blank line is the agent’s only beside an agent’s line', () => {
    const change = (id: string, lines: string[], ts = '2026-01-01T00:00:00.000Z') => ({
      id,
      session: 's',
      agent: 'main',
      agentType: 'main',
      tool: 'Write',
      toolUseId: id,
      ts,
      path: 'f',
      operation: 'create',
      hashes: lines.map(lineHash),
    });
    const l = (text: string, i: number) => ({
      line: i + 1,
      text,
      commit: 'c'.repeat(40),
      authorTime: Date.parse('2026-01-02'),
    });
    const file = ['person line', '', 'agent line', '', '}'].map(l);
    const out = attributeLines(file, [change('w', ['agent line', '', '}'])]);
    expect(out.map((a) => a.kind)).toEqual(['human', 'agent', 'agent', 'agent', 'agent']);
    // the same blank line between two people's lines is theirs
    expect(
      attributeLines(['person a', '', 'person b'].map(l), [change('w', ['agent line', ''])]).map(
        (a) => a.kind,
      ),
    ).toEqual(['human', 'human', 'human']);
    // committed before the change was made: the content was already there
    const early = ['agent line'].map((t, i) => ({ ...l(t, i), authorTime: Date.parse('2025-12-01') }));
    expect(attributeLines(early, [change('w', ['agent line'])])[0].kind).toBe('human');
  });
});

describe('commit trailers (init --commit-trailers)', () => {
  test('the hook adds Agent-Session and Agent-Lines while attribution.trailers is on, counted again on an amend', () => {
    const repo = makeRepo();
    const init = JSON.parse(track(repo, ['init', '--yes', '--json', '--commit-trailers']).stdout);
    expect(init.trailers).toMatchObject({ installed: true, enabled: true });
    expect(fs.readFileSync(path.join(repo, '.agent-tracking.yml'), 'utf8')).toMatch(/^ {2}trailers: true$/m);
    const content = 'export const x = 1;\nexport const y = 2;\n';
    fs.writeFileSync(path.join(repo, 'x.ts'), content);
    post(
      repo,
      'Write',
      'w-tr',
      { file_path: `${repo}/x.ts`, content },
      { type: 'create', filePath: `${repo}/x.ts`, content, structuredPatch: [], originalFile: null },
    );
    expect(flushNow(repo).status).toBe(0);
    fs.writeFileSync(path.join(repo, 'mine.txt'), 'a person wrote this\n');
    git(repo, ['add', 'x.ts', 'mine.txt']);
    git(repo, ['commit', '-q', '-m', 'agent and person']);
    expect(git(repo, ['log', '-1', '--format=%B']).trim()).toBe(
      'agent and person\n\nAgent-Session: s-attr\nAgent-Lines: 67% (2/3)',
    );
    // an amend counts the commit's lines again and keeps one set of trailers
    git(repo, ['commit', '-q', '--amend', '--no-edit']);
    expect(git(repo, ['log', '-1', '--format=%B']).match(/^Agent-Lines: .*$/gm)).toEqual([
      'Agent-Lines: 67% (2/3)',
    ]);
    // off in the config: nothing added
    const cfg = path.join(repo, '.agent-tracking.yml');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('  trailers: true', '  trailers: false'));
    fs.writeFileSync(path.join(repo, 'x.ts'), `${content}export const z = 3;\n`);
    git(repo, ['commit', '-q', '-am', 'no trailers']);
    expect(git(repo, ['log', '-1', '--format=%B']).trim()).toBe('no trailers');
  });

  test('a prepare-commit-msg hook of the user’s is left alone', () => {
    const repo = makeRepo();
    const mine = path.join(repo, '.git', 'hooks', 'prepare-commit-msg');
    fs.mkdirSync(path.dirname(mine), { recursive: true });
    fs.writeFileSync(mine, '#!/bin/sh\necho mine\n', { mode: 0o755 });
    const r = track(repo, ['init', '--yes', '--commit-trailers']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('is your own hook');
    expect(fs.readFileSync(mine, 'utf8')).toBe('#!/bin/sh\necho mine\n');
    expect(track(repo, ['trailers', 'install']).status).toBe(1);
  });
});

test('log in a repository without commits says so', () => {
  const repo = makeRepo({ empty: true });
  expect(track(repo, ['log']).stdout).toBe('(no commits yet)\n');
  expect(JSON.parse(track(repo, ['log', '--json']).stdout)).toEqual({ commits: [] });
});

test('a branch release 0.1.0 wrote: its file changes are attributed', () => {
  const repo = makeRepo();
  git(repo, [
    'fetch',
    '-q',
    path.join(ROOT, 'test', 'fixtures', 'release-0.1', 'agent-tracking.bundle'),
    'agent-tracking:agent-tracking',
  ]);
  fs.writeFileSync(path.join(repo, 'lib.txt'), 'hello\n');
  fs.writeFileSync(path.join(repo, 'notes.md'), 'beta notes\n');
  const lib = blame(repo, 'lib.txt').lines;
  expect(lib).toMatchObject([
    { kind: 'agent', session: SPRINT_SESSION, agentType: 'general-purpose', tool: 'Write' },
  ]);
  expect(blame(repo, 'notes.md').lines).toMatchObject([
    { kind: 'agent', session: SPRINT_SESSION, agent: 'main', tool: 'Edit' },
  ]);
});

test('an index that cannot be written costs nothing: the flush succeeds and blame reads the branch', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  // a file where the index's folder would be: every write to it fails (even as root)
  fs.writeFileSync(path.join(repo, '.git', 'agent-tracking', 'attribution'), 'not a folder');
  const content = 'const written = true;\n';
  fs.writeFileSync(path.join(repo, 'w.ts'), content);
  post(
    repo,
    'Write',
    'w-ro',
    { file_path: `${repo}/w.ts`, content },
    { type: 'create', filePath: `${repo}/w.ts`, content, structuredPatch: [], originalFile: null },
  );
  expect(flushNow(repo).status).toBe(0);
  expect(blame(repo, 'w.ts').lines).toMatchObject([{ kind: 'agent', tool: 'Write', session: 's-attr' }]);
});
