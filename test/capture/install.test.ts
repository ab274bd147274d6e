import * as fs from 'node:fs';
import * as path from 'node:path';
import { HOOK_EVENTS } from '../../src/capture/install.js';
import { BIN, cleanupTmp, git, makeRepo, tmpDir, track } from '../lib/cli.js';

afterAll(cleanupTmp);

const settingsOf = (repo: string) =>
  JSON.parse(fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8'));
const userHook = { matcher: 'Bash', hooks: [{ type: 'command', command: './scripts/check-bash.sh' }] };

describe('agent-track init', () => {
  test('creates the orphan branch, merges hooks for every event, keeps the user entries, is idempotent', () => {
    const repo = makeRepo();
    fs.mkdirSync(path.join(repo, '.claude'));
    fs.writeFileSync(
      path.join(repo, '.claude', 'settings.json'),
      JSON.stringify({ model: 'opus', hooks: { PreToolUse: [userHook] } }),
    );
    const r = track(repo, ['init', '--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('created branch agent-tracking');
    const s = settingsOf(repo);
    expect(s.model).toBe('opus');
    expect(s.hooks.PreToolUse[0]).toEqual(userHook);
    for (const event of HOOK_EVENTS) {
      const ours = s.hooks[event]
        .flatMap((g: any) => g.hooks)
        .filter((h: any) => h.command.endsWith(' hook'));
      expect(ours).toHaveLength(1);
      expect(ours[0].command).toBe(`node ${JSON.stringify(BIN)} hook`);
      expect(ours[0].async).toBe(['SessionStart', 'Stop', 'SessionEnd'].includes(event) ? undefined : true);
    }
    expect(fs.readFileSync(path.join(repo, '.agent-tracking.yml'), 'utf8')).toContain('everyEvents: 50');
    // an orphan root commit holding the README index, HEAD untouched
    expect(git(repo, ['rev-list', '--count', 'agent-tracking']).trim()).toBe('1');
    expect(git(repo, ['ls-tree', '--name-only', 'agent-tracking']).trim()).toBe('README.md');
    expect(git(repo, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/main');

    const settingsBefore = fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8');
    const tip = git(repo, ['rev-parse', 'agent-tracking']);
    const again = track(repo, ['init', '--yes']);
    expect(again.stdout).toContain('branch agent-tracking exists');
    expect(again.stdout).toContain('hooks already in');
    expect(fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8')).toBe(settingsBefore);
    expect(git(repo, ['rev-parse', 'agent-tracking'])).toBe(tip);

    const un = track(repo, ['init', '--uninstall', '--json']);
    expect(JSON.parse(un.stdout).removed).toBe(HOOK_EVENTS.length);
    expect(settingsOf(repo)).toEqual({ model: 'opus', hooks: { PreToolUse: [userHook] } });
  });

  test('a local install writes a command relative to $CLAUDE_PROJECT_DIR that works on every clone', () => {
    const { hookCommand } = require('../../src/capture/install.js');
    expect(hookCommand('/w/repo/node_modules/subagent-tracking/dist/bin.cjs', '/w/repo')).toBe(
      'node "$CLAUDE_PROJECT_DIR"/node_modules/subagent-tracking/dist/bin.cjs hook',
    );
  });

  test('works from a subdirectory, in a repository with no commit yet', () => {
    const repo = makeRepo({ empty: true });
    fs.mkdirSync(path.join(repo, 'sub', 'dir'), { recursive: true });
    expect(track(path.join(repo, 'sub', 'dir'), ['init', '--yes']).status).toBe(0);
    expect(fs.existsSync(path.join(repo, '.claude', 'settings.json'))).toBe(true);
    expect(git(repo, ['rev-list', '--count', 'agent-tracking']).trim()).toBe('1');
  });

  test('a settings.json that is not JSON gives a one-line error and is left alone', () => {
    const repo = makeRepo();
    fs.mkdirSync(path.join(repo, '.claude'));
    fs.writeFileSync(path.join(repo, '.claude', 'settings.json'), '{ broken');
    const r = track(repo, ['init', '--yes']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('is not a JSON object');
    expect(fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8')).toBe('{ broken');
  });
});

describe('reading commands without a branch or outside git', () => {
  test.each(['sessions', 'stats', 'show abc', 'flush'])('%s: one-line error, no stack trace', (cmd) => {
    const outside = tmpDir();
    const r = track(outside, cmd.split(' '));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^agent-track: not inside a git repository[^\n]*\n$/);
  });

  test.each(['sessions', 'stats', 'show abc'])('%s in a repository with no agent-tracking branch', (cmd) => {
    const repo = makeRepo();
    const r = track(repo, cmd.split(' '));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^agent-track: nothing recorded yet[^\n]*\n$/);
  });

  test('every command has --help', () => {
    for (const cmd of ['init', 'hook', 'flush', 'sessions', 'show', 'stats']) {
      const r = track(tmpDir(), [cmd, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: agent-track ${cmd}`);
    }
  });
});

test('init installs the slash commands, keeps a user file of the same name, uninstall removes only ours', () => {
  const repo = makeRepo();
  const dir = path.join(repo, '.claude', 'commands');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'history.md'), 'my own history command\n');
  const r = JSON.parse(track(repo, ['init', '--yes', '--json']).stdout);
  expect(r.commandsWritten.sort()).toEqual(['checkpoint.md', 'end-phase.md', 'resume.md']);
  expect(r.commandsKept).toEqual(['history.md']);
  const cli = `node ${JSON.stringify(BIN)}`;
  const checkpoint = fs.readFileSync(path.join(dir, 'checkpoint.md'), 'utf8');
  expect(checkpoint).toMatch(/^---\ndescription: Checkpoint progress\n/);
  expect(checkpoint).toContain(`allowed-tools: Bash(${cli}:*)\n`);
  expect(checkpoint).toContain(`!\`${cli} checkpoint --note "$ARGUMENTS"\``);
  expect(fs.readFileSync(path.join(dir, 'resume.md'), 'utf8')).toContain(
    'description: Resume from last session',
  );
  expect(fs.readFileSync(path.join(dir, 'end-phase.md'), 'utf8')).toContain(
    `!\`${cli} phase end $ARGUMENTS\``,
  );
  // the command line each file runs is the CLI itself: run checkpoint's the way Claude Code would
  const line = /!`([^`]+)`/.exec(checkpoint)![1].replace('$ARGUMENTS', 'from a test');
  const { spawnSync } = require('node:child_process');
  const ran = spawnSync('sh', ['-c', line], { cwd: repo, encoding: 'utf8' });
  // no session yet: the CLI answers with its one-line error, which proves the line reaches it
  expect(ran.stderr).toBe('agent-track: no session recorded on this git branch yet; give --session ID\n');
  const un = JSON.parse(track(repo, ['init', '--uninstall', '--json']).stdout);
  expect(un.commandsRemoved).toBe(3);
  expect(fs.readdirSync(dir)).toEqual(['history.md']);
});

describe('the workflow init writes', () => {
  test('schedule, the dispatch push sends, by hand and pull requests; least privilege per job; a user’s own file kept', () => {
    const { parse } = require('yaml') as typeof import('yaml');
    const repo = makeRepo();
    const r = JSON.parse(track(repo, ['init', '--yes', '--json']).stdout);
    expect(r.workflowWritten).toBe(true);
    const file = path.join(repo, '.github', 'workflows', 'agent-tracking.yml');
    const wf = parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(wf.on).sort()).toEqual([
      'pull_request',
      'repository_dispatch',
      'schedule',
      'workflow_dispatch',
    ]);
    // a push of the orphan branch starts nothing on GitHub (no .github/ in it): push dispatches instead
    expect(wf.on.repository_dispatch.types).toEqual(['agent-tracking']);
    expect(wf.on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    // nothing at the top; each job asks for what it uses
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.review.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(wf.jobs['pull-request'].permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(wf.jobs.review.if).toBe("github.event_name != 'pull_request'");
    expect(wf.jobs['pull-request'].if).toBe("github.event_name == 'pull_request'");
    // reviews commit back one run at a time
    expect(wf.jobs.review.concurrency).toEqual({
      group: 'agent-tracking-review',
      'cancel-in-progress': false,
    });
    // the step passes only inputs the Action declares
    const action = parse(fs.readFileSync(path.join(__dirname, '..', '..', 'action.yml'), 'utf8'));
    for (const job of Object.values(wf.jobs) as any[]) {
      const step = job.steps.find((s: any) => /subagent-tracking/.test(s.uses ?? ''));
      expect(step).toBeDefined();
      for (const k of Object.keys(step.with)) expect(Object.keys(action.inputs)).toContain(k);
    }
    // a workflow the user edited stays as it is
    fs.writeFileSync(file, 'name: mine\n');
    fs.rmSync(path.join(repo, '.agent-tracking.yml'));
    expect(JSON.parse(track(repo, ['init', '--yes', '--json']).stdout).workflowWritten).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('name: mine\n');
  });
});
