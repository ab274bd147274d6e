/**
 * "Why is this line here?" end to end: the real Claude Code CLI (offline, scripted API) writes files
 * in a tracked repository through the main agent and a subagent (Write, Edit, MultiEdit, and a Bash
 * command that appends to a file); then a person edits lines, commits, amends, rebases onto a moved
 * main and squash-merges the branch. After each step `blame` must give every line the right kind,
 * session and agent type; `why` names the subagent's task and the decision text; `log` counts agent
 * and human lines per commit; the Agent Trace export has the schema's shape; a file no agent touched
 * is all human.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderPrComment } from '../../src/action/report.js';
import { prLineShare, renderLineShare } from '../../src/attribution/pr-share.js';
import { findRepo } from '../../src/store/paths.js';
import { makeClaudeHome, runClaude } from '../lib/claude.js';
import { branchEvents, cleanupTmp, flushNow, git, makeRepo, track } from '../lib/cli.js';
import { type Block, startFakeAnthropic } from '../lib/fake-anthropic.js';

afterAll(cleanupTmp);

const PARSER = [
  'export function parse(input: string): number {',
  '  return Number(input.trim());',
  '}',
  '',
  'export function format(n: number): string {',
  '  return String(n);',
  '}',
];
const APP = [
  "import { parse } from './parser';",
  '',
  'export function main(input: string) {',
  '  const value = parse(input);',
  '  return value * 2;',
  '}',
];

const tool = (name: string, input: Record<string, unknown>): Block => ({ type: 'tool_use', name, input });

function script(cwd: string) {
  return {
    'MISSION-ATTR': [
      {
        at: 0,
        reply: [
          { type: 'text' as const, text: 'I will hand the parser to a subagent.' },
          tool('Agent', {
            description: 'Write the parser',
            prompt: 'SUB-PARSER: write parser.ts with parse and format',
            subagent_type: 'general-purpose',
          }),
        ],
      },
      {
        at: 1,
        reply: [
          { type: 'text' as const, text: 'Now the entry point.' },
          tool('Write', { file_path: `${cwd}/app.ts`, content: `${APP.join('\n')}\n` }),
        ],
      },
      {
        at: 2,
        reply: [
          { type: 'text' as const, text: 'Triple the value instead.' },
          tool('Edit', {
            file_path: `${cwd}/app.ts`,
            old_string: '  return value * 2;',
            new_string: '  return value * 3;',
            replace_all: false,
          }),
        ],
      },
      {
        at: 3,
        reply: [
          { type: 'text' as const, text: 'Name the input and log it.' },
          tool('MultiEdit', {
            file_path: `${cwd}/app.ts`,
            edits: [
              { old_string: 'main(input: string)', new_string: 'main(raw: string)' },
              { old_string: 'parse(input);', new_string: 'parse(raw);' },
            ],
          }),
        ],
      },
      {
        at: 4,
        reply: [
          tool('Bash', {
            command: `printf 'export const built = true;\\n' >> ${cwd}/app.ts`,
            description: 'Mark the build',
          }),
        ],
      },
      { at: 5, delayMs: 400, reply: [{ type: 'text' as const, text: 'Done: parser and app written.' }] },
    ],
    'SUB-PARSER': [
      { at: 0, reply: [tool('Write', { file_path: `${cwd}/parser.ts`, content: `${PARSER.join('\n')}\n` })] },
      { at: 1, reply: [{ type: 'text' as const, text: 'Parser written.' }] },
    ],
  };
}

interface Row {
  line: number;
  kind: string;
  session: string | null;
  agent: string | null;
  agentType: string | null;
  tool: string | null;
  toolUseId: string | null;
  prompt: string | null;
  ts: string | null;
  commit: string | null;
}

describe('line attribution through a session, commits, amend, rebase and a squash merge', () => {
  let repo: string;
  let session: string;
  const blame = (file: string, rev?: string): { file: string; rev: string | null; lines: Row[] } => {
    const r = track(repo, ['blame', file, '--json', ...(rev ? ['--rev', rev] : [])]);
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  };
  const kinds = (rows: Row[]) => rows.map((r) => (r.kind === 'agent' ? `${r.agentType}:${r.tool}` : r.kind));
  const text = (file: string) => fs.readFileSync(path.join(repo, file), 'utf8').split('\n').slice(0, -1);

  beforeAll(async () => {
    repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'track agents']);
    fs.writeFileSync(path.join(repo, 'human.txt'), 'written by a person\nno agent here\n');
    git(repo, ['add', 'human.txt']);
    git(repo, ['commit', '-q', '-m', 'a person writes']);
    git(repo, ['checkout', '-q', '-b', 'feature']);
    const home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
    const api = await startFakeAnthropic(script(repo));
    try {
      const run = await runClaude({
        cwd: repo,
        home,
        prompt: 'MISSION-ATTR: write a parser and an app',
        baseUrl: api.url,
        env: { CLAUDE_CODE_SUBAGENT_MODEL: 'claude-haiku-4-5' },
        args: ['--allowedTools', 'MultiEdit'],
      });
      expect(run.result).toMatchObject({ is_error: false, result: 'Done: parser and app written.' });
      session = run.result.session_id;
    } finally {
      await api.close();
    }
    expect(flushNow(repo).status).toBe(0);
  }, 180_000);

  test('in the work tree: every line of the session is the agent’s, with its session, agent type and tool', () => {
    const parser = blame('parser.ts');
    expect(parser.rev).toBeNull();
    expect(parser.lines).toHaveLength(PARSER.length);
    for (const r of parser.lines)
      expect(r).toMatchObject({
        kind: 'agent',
        session,
        agentType: 'general-purpose',
        tool: 'Write',
        commit: null,
        prompt: 'MISSION-ATTR: write a parser and an app',
      });
    expect(parser.lines[0].agent).not.toBe('main');

    const app = blame('app.ts');
    const now = text('app.ts');
    expect(now[now.length - 1]).toBe('export const built = true;');
    const expected = now.map((l) =>
      l === '  return value * 3;'
        ? 'main:Edit'
        : l === 'export const built = true;'
          ? 'main:Bash'
          : 'main:Write',
    );
    expect(kinds(app.lines)).toEqual(expected);
    for (const r of app.lines) expect(r).toMatchObject({ session, agent: 'main', commit: null });
    // a file no agent touched is all human
    expect(kinds(blame('human.txt').lines)).toEqual(['human', 'human']);
  });

  test('MultiEdit: Claude Code 2.1.197 has no such tool; the refused call changed nothing and is attributed nothing', () => {
    const calls = branchEvents(repo).filter((e) => e.type === 'tool_call' && e.tool === 'MultiEdit');
    expect(calls.map((c) => [c.success, c.error])).toEqual([
      [false, '<tool_use_error>Error: No such tool available: MultiEdit</tool_use_error>'],
    ]);
    expect(text('app.ts').some((l) => l.includes('raw'))).toBe(false);
    expect(blame('app.ts').lines.some((r) => r.tool === 'MultiEdit')).toBe(false);
  });

  test('a person edits a line, writes one above, commits: those lines are human, the rest stay the agent’s', () => {
    const parser = text('parser.ts');
    parser[1] = '  return Number.parseInt(input.trim(), 10);';
    fs.writeFileSync(path.join(repo, 'parser.ts'), `${parser.join('\n')}\n`);
    fs.writeFileSync(path.join(repo, 'app.ts'), `// entry point\n${text('app.ts').join('\n')}\n`);
    git(repo, ['add', 'parser.ts', 'app.ts']);
    git(repo, ['commit', '-q', '-m', 'parser and app']);
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const p = blame('parser.ts');
    expect(p.lines.map((r) => r.kind)).toEqual([
      'agent',
      'human',
      'agent',
      'agent',
      'agent',
      'agent',
      'agent',
    ]);
    for (const r of p.lines) expect(r.commit).toBe(head);
    const a = blame('app.ts');
    expect(a.lines[0]).toMatchObject({ kind: 'human', session: null, commit: head });
    expect(a.lines.slice(1).every((r) => r.kind === 'agent' && r.session === session)).toBe(true);

    const log = JSON.parse(track(repo, ['log', '--json', '-n', '1']).stdout);
    const appLines = text('app.ts').length;
    expect(log.commits).toEqual([
      {
        sha: head,
        subject: 'parser and app',
        sessions: [session],
        agentLines: PARSER.length - 1 + appLines - 1,
        humanLines: 2,
        byAgentType: { 'general-purpose': PARSER.length - 1, main: appLines - 1 },
      },
    ]);
  });

  test('amend: the same lines keep their kinds under the new commit', () => {
    fs.appendFileSync(path.join(repo, 'human.txt'), 'amended by a person\n');
    git(repo, ['add', 'human.txt']);
    git(repo, ['commit', '-q', '--amend', '-m', 'parser, app and notes']);
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const p = blame('parser.ts');
    expect(p.lines.map((r) => r.kind)).toEqual([
      'agent',
      'human',
      'agent',
      'agent',
      'agent',
      'agent',
      'agent',
    ]);
    expect(p.lines.every((r) => r.commit === head)).toBe(true);
    expect(blame('human.txt').lines.map((r) => r.kind)).toEqual(['human', 'human', 'human']);
    const [c] = JSON.parse(track(repo, ['log', '--json', '-n', '1']).stdout).commits;
    expect(c).toMatchObject({ sha: head, humanLines: 3, sessions: [session] });
  });

  test('rebase onto a moved main: blame at the rebased commit gives the same kinds, sessions and agent types', () => {
    const before = blame('app.ts');
    git(repo, ['checkout', '-q', 'main']);
    fs.writeFileSync(path.join(repo, 'other.txt'), 'main moved on\n');
    git(repo, ['add', 'other.txt']);
    git(repo, ['commit', '-q', '-m', 'main moves']);
    git(repo, ['checkout', '-q', 'feature']);
    git(repo, ['rebase', '-q', 'main']);
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const after = blame('app.ts', 'feature');
    expect(after.rev).toBe(head);
    expect(kinds(after.lines)).toEqual(kinds(before.lines));
    expect(after.lines.map((r) => r.session)).toEqual(before.lines.map((r) => r.session));
    expect(after.lines.every((r) => r.commit === head)).toBe(true);
    const p = blame('parser.ts', 'feature');
    expect(p.lines.filter((r) => r.kind === 'agent').every((r) => r.agentType === 'general-purpose')).toBe(
      true,
    );
  });

  test('the pull request’s share of added lines written by agents, by agent type and model, in the PR comment', async () => {
    const share = await prLineShare(findRepo(repo)!, 'main', 'feature');
    const app = kinds(blame('app.ts', 'feature').lines);
    const parser = kinds(blame('parser.ts', 'feature').lines);
    const agent = [...app, ...parser].filter((k) => k !== 'human').length;
    expect(share).toMatchObject({
      addedLines: app.length + parser.length + 1, // and the person's line amended into human.txt
      agentLines: agent,
      humanLines: 3,
      byAgentType: { 'general-purpose': PARSER.length - 1, main: app.length - 1 },
      byModel: { 'claude-haiku-4-5': PARSER.length - 1, 'claude-sonnet-4-5': app.length - 1 },
      sessions: [session],
    });
    expect(share!.agentShare).toBeCloseTo(agent / (agent + 3), 10);
    const comment = renderPrComment(
      { headRef: 'feature', sessions: [], files: new Map(), lineShare: share },
      { repoUrl: 'https://github.com/o/r', branch: 'agent-tracking' },
    );
    // no session on the branch yet: the comment says so and no more
    expect(comment).not.toContain('Lines written by agents');
    const md = renderLineShare(share!).join('\n');
    expect(md).toContain(
      `**Lines written by agents:** ${Math.round((100 * agent) / (agent + 3))}% (${agent} of ${agent + 3} added lines)`,
    );
    expect(md).toContain(`sessions: \`${session.slice(0, 8)}\``);
    const summary = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    const withSessions = renderPrComment(
      { headRef: 'feature', sessions: summary, files: new Map(), lineShare: share },
      { repoUrl: 'https://github.com/o/r', branch: 'agent-tracking' },
    );
    expect(withSessions).toContain(md.trim());
  });

  test('squash merge into main: the merge commit’s lines keep who wrote them; log counts them', () => {
    const before = { app: kinds(blame('app.ts').lines), parser: kinds(blame('parser.ts').lines) };
    git(repo, ['checkout', '-q', 'main']);
    git(repo, ['merge', '-q', '--squash', 'feature']);
    git(repo, ['commit', '-q', '-m', 'Squashed feature']);
    const squash = git(repo, ['rev-parse', 'HEAD']).trim();
    const app = blame('app.ts', 'main');
    const parser = blame('parser.ts', 'main');
    expect(kinds(app.lines)).toEqual(before.app);
    expect(kinds(parser.lines)).toEqual(before.parser);
    expect([...app.lines, ...parser.lines].every((r) => r.commit === squash)).toBe(true);
    expect(parser.lines.filter((r) => r.kind === 'agent').every((r) => r.session === session)).toBe(true);
    const [c] = JSON.parse(track(repo, ['log', 'main', '--json', '-n', '1']).stdout).commits;
    const agent =
      before.app.filter((k) => k !== 'human').length + before.parser.filter((k) => k !== 'human').length;
    expect(c).toEqual({
      sha: squash,
      subject: 'Squashed feature',
      sessions: [session],
      agentLines: agent,
      humanLines: 3, // the edited parser line, the comment above app.ts, the amended human.txt line
      byAgentType: { 'general-purpose': PARSER.length - 1, main: before.app.length - 1 },
    });
    expect(kinds(blame('human.txt', 'main').lines)).toEqual(['human', 'human', 'human']);
    expect(kinds(blame('other.txt', 'main').lines)).toEqual(['human']);
  });

  test('why names the subagent’s task, the decision before its launch, the prompt, the session and the commit', () => {
    const w = JSON.parse(track(repo, ['why', 'parser.ts:1', '--json']).stdout);
    expect(w).toMatchObject({
      file: 'parser.ts',
      line: 1,
      text: PARSER[0],
      kind: 'agent',
      change: { tool: 'Write', operation: 'create' },
      agent: {
        type: 'general-purpose',
        model: 'claude-haiku-4-5',
        task: {
          description: 'Write the parser',
          prompt: 'SUB-PARSER: write parser.ts with parse and format',
          launchedBy: 'main',
          decision: 'I will hand the parser to a subagent.',
        },
      },
      prompt: 'MISSION-ATTR: write a parser and an app',
      session: { id: session },
      commit: { sha: git(repo, ['rev-parse', 'HEAD']).trim(), subject: 'Squashed feature' },
    });
    expect(w.change.diff).toContain(`+${PARSER[0]}`);
    const line = text('app.ts').indexOf('  return value * 3;') + 1;
    const e = JSON.parse(track(repo, ['why', `app.ts:${line}`, '--json']).stdout);
    expect(e).toMatchObject({
      kind: 'agent',
      agent: { id: 'main', type: 'main', task: null },
      change: { tool: 'Edit' },
      decision: 'Triple the value instead.',
    });
    expect(e.change.diff).toContain('+  return value * 3;');
    const human = JSON.parse(track(repo, ['why', 'app.ts:1', '--json']).stdout);
    expect(human).toMatchObject({
      kind: 'human',
      change: null,
      agent: null,
      commit: { subject: 'Squashed feature' },
    });
    const plain = track(repo, ['why', 'parser.ts:1']).stdout;
    expect(plain).toContain('task: Write the parser');
  });

  test('the Agent Trace export has the shape the schema requires', () => {
    const out = path.join(path.dirname(repo), 'trace');
    expect(track(repo, ['export', 'agent-trace', '--rev', 'main', '--out', out]).status).toBe(0);
    const squash = git(repo, ['rev-parse', 'main']).trim();
    const record = JSON.parse(fs.readFileSync(path.join(out, `${squash}.json`), 'utf8'));
    // the schema's required fields and formats, as the v0.1.0 specification states them
    expect(record.version).toMatch(/^[0-9]+\.[0-9]+\.[0-9]+$/);
    expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Number.isNaN(Date.parse(record.timestamp))).toBe(false);
    expect(record.vcs).toEqual({ type: 'git', revision: squash });
    expect(record.files.map((f: any) => f.path)).toEqual(['app.ts', 'parser.ts']);
    for (const f of record.files)
      for (const c of f.conversations) {
        expect(['human', 'ai', 'mixed', 'unknown']).toContain(c.contributor.type);
        for (const r of c.ranges) {
          expect(Number.isInteger(r.start_line) && r.start_line >= 1).toBe(true);
          expect(r.end_line).toBeGreaterThanOrEqual(r.start_line);
        }
      }
    const parser = record.files.find((f: any) => f.path === 'parser.ts');
    const ai = parser.conversations.find((c: any) => c.contributor.type === 'ai');
    expect(ai.contributor.model_id).toBe('anthropic/claude-haiku-4-5');
    expect(ai.related).toEqual([{ type: 'session', url: `agent-track:session/${session}` }]);
    expect(ai.ranges.map((r: any) => [r.start_line, r.end_line])).toEqual([
      [1, 1],
      [3, PARSER.length],
    ]);
    const human = parser.conversations.find((c: any) => c.contributor.type === 'human');
    expect(human.ranges.map((r: any) => [r.start_line, r.end_line])).toEqual([[2, 2]]);
  });

  test('the index lives in the git dir, not the work tree, and is rebuilt from the branch when missing', () => {
    const dir = path.join(repo, '.git', 'agent-tracking', 'attribution');
    expect(fs.existsSync(path.join(dir, 'index.json'))).toBe(true);
    const before = blame('app.ts', 'main');
    fs.rmSync(dir, { recursive: true });
    expect(blame('app.ts', 'main')).toEqual(before);
    expect(fs.existsSync(path.join(dir, 'index.json'))).toBe(true);
    expect(git(repo, ['status', '--porcelain'])).not.toMatch(/attribution/);
  });
});
