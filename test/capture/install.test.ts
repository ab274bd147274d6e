import * as fs from 'node:fs';
import * as path from 'node:path';
import { shHook } from '../../src/capture/claude-files.js';
import { HOOK_EVENTS } from '../../src/capture/install.js';
import { BIN, cleanupTmp, git, makeRepo, tmpDir, track } from '../lib/cli.js';

afterAll(cleanupTmp);

// the test binary is neither the project's install nor global: its absolute path goes into the
// personal settings.local.json, never the committed settings.json
const settingsOf = (repo: string, file = 'settings.local.json') =>
  JSON.parse(fs.readFileSync(path.join(repo, '.claude', file), 'utf8'));
const userHook = { matcher: 'Bash', hooks: [{ type: 'command', command: './scripts/check-bash.sh' }] };

describe('agent-track init', () => {
  test('creates the orphan branch, merges hooks for every event, keeps the user entries, is idempotent', () => {
    const repo = makeRepo();
    fs.mkdirSync(path.join(repo, '.claude'));
    fs.writeFileSync(
      path.join(repo, '.claude', 'settings.local.json'),
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
        .filter((h: any) => h.command.includes(' hook'));
      expect(ours).toHaveLength(1);
      // the Node hook where it must print or end the session, the small sh hook for the rest
      expect(ours[0].command).toBe(
        ['SessionStart', 'SessionEnd'].includes(event)
          ? `node ${JSON.stringify(BIN)} hook 2>/dev/null || true`
          : shHook([`node ${JSON.stringify(BIN)}`], ['Stop', 'SubagentStop', 'PreCompact'].includes(event)),
      );
      expect(ours[0].async).toBe(['SessionStart', 'Stop', 'SessionEnd'].includes(event) ? undefined : true);
    }
    expect(fs.readFileSync(path.join(repo, '.agent-tracking.yml'), 'utf8')).toContain('everyEvents: 50');
    // an orphan root commit holding the README index, HEAD untouched
    expect(git(repo, ['rev-list', '--count', 'agent-tracking']).trim()).toBe('1');
    expect(git(repo, ['ls-tree', '--name-only', 'agent-tracking']).trim()).toBe('README.md');
    expect(git(repo, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/main');

    expect(fs.existsSync(path.join(repo, '.claude', 'settings.json'))).toBe(false);
    const settingsBefore = fs.readFileSync(path.join(repo, '.claude', 'settings.local.json'), 'utf8');
    const tip = git(repo, ['rev-parse', 'agent-tracking']);
    const again = track(repo, ['init', '--yes']);
    expect(again.stdout).toContain('branch agent-tracking exists');
    expect(again.stdout).toContain('hooks already in');
    expect(fs.readFileSync(path.join(repo, '.claude', 'settings.local.json'), 'utf8')).toBe(settingsBefore);
    expect(git(repo, ['rev-parse', 'agent-tracking'])).toBe(tip);

    const un = track(repo, ['init', '--uninstall', '--json']);
    expect(JSON.parse(un.stdout).removed).toBe(HOOK_EVENTS.length + 1);
    expect(settingsOf(repo)).toEqual({ model: 'opus', hooks: { PreToolUse: [userHook] } });
  });

  test('a local install writes portable commands into the committed settings.json', () => {
    const { hookCommand, PORTABLE_CLI, PORTABLE_HOOK } = require('../../src/capture/install.js');
    expect(hookCommand('/w/repo/node_modules/subagent-tracking/dist/bin.cjs', '/w/repo')).toBe(PORTABLE_HOOK);
    expect(PORTABLE_HOOK).not.toContain('/w/repo');
    // a project install (linked as npm link would), through init: relative paths only
    const repo = makeRepo();
    fs.mkdirSync(path.join(repo, 'node_modules'));
    fs.symlinkSync(path.join(__dirname, '..', '..'), path.join(repo, 'node_modules', 'subagent-tracking'));
    // a message names a command that works as printed (no bare agent-track, no npx)
    const none = track(repo, ['sessions']);
    const said = /run `([^`]+)` to record/.exec(none.stderr)![1];
    expect(said).toBe('node node_modules/subagent-tracking/dist/bin.cjs init');
    const { execSync } = require('node:child_process');
    execSync(`${said} --yes`, { cwd: repo, stdio: 'ignore' });
    fs.rmSync(path.join(repo, '.claude'), { recursive: true });
    const r = track(repo, ['init', '--yes']);
    expect(r.status).toBe(0);
    const text = fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8');
    expect(text).not.toContain(repo);
    const hooks = settingsOf(repo, 'settings.json').hooks;
    expect(hooks.SessionStart[0].hooks[0].command).toBe(PORTABLE_HOOK);
    expect(hooks.Stop[0].hooks[0].command).toBe(shHook(PORTABLE_CLI, true));
    expect(hooks.PreToolUse[0].hooks[0].command).toBe(shHook(PORTABLE_CLI, false));
    const cmd = fs.readFileSync(path.join(repo, '.claude', 'commands', 'agent-track', 'handoff.md'), 'utf8');
    expect(cmd).toContain('!`node node_modules/subagent-tracking/dist/bin.cjs resume $ARGUMENTS`');
    expect(r.stdout).toContain('node node_modules/subagent-tracking/dist/bin.cjs decide');
    expect(r.stdout).not.toMatch(/(^|\s)(npx )?agent-track decide/m);
  });

  test('the portable hook exits 0 silently without node_modules, and records through the main work tree from a worktree', () => {
    const { PORTABLE_HOOK } = require('../../src/capture/install.js');
    const { spawnSync } = require('node:child_process');
    const repo = makeRepo();
    const payload = (cwd: string) =>
      JSON.stringify({
        session_id: 'wt1',
        cwd,
        hook_event_name: 'UserPromptSubmit',
        prompt: 'from a worktree',
      });
    const run = (cwd: string) =>
      spawnSync('/bin/sh', ['-c', PORTABLE_HOOK], {
        cwd,
        input: payload(cwd),
        encoding: 'utf8',
        env: {
          PATH: '/usr/bin:/bin',
          CLAUDE_PROJECT_DIR: cwd,
          AGENT_TRACK_NO_FLUSH: '1',
          HOME: path.dirname(repo),
        },
      });
    const bare = run(repo);
    expect(bare).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(fs.existsSync(path.join(repo, '.git', 'agent-tracking', 'spool'))).toBe(false);
    // the package installed in the main work tree; a linked worktree has no node_modules
    fs.mkdirSync(path.join(repo, 'node_modules'));
    fs.symlinkSync(path.join(__dirname, '..', '..'), path.join(repo, 'node_modules', 'subagent-tracking'));
    const wt = path.join(path.dirname(repo), 'wt');
    git(repo, ['worktree', 'add', '-q', '--detach', wt]);
    expect(run(wt)).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(
      fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'spool', 'wt1.jsonl'), 'utf8'),
    ).toContain('from a worktree');
  });

  test('init offers its status line, keeps a user’s own, and the committed command cannot fail', () => {
    const { PORTABLE_STATUSLINE } = require('../../src/capture/install.js');
    const { spawnSync } = require('node:child_process');
    const repo = makeRepo();
    const line = (env: Record<string, string>) =>
      spawnSync('/bin/sh', ['-c', PORTABLE_STATUSLINE], {
        cwd: repo,
        input: JSON.stringify({ session_id: 'sl1', cwd: repo, workspace: { project_dir: repo } }),
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', HOME: path.dirname(repo), ...env },
      });
    // not installed: an empty line, exit 0
    expect(line({})).toMatchObject({ status: 0, stdout: '', stderr: '' });
    fs.mkdirSync(path.join(repo, 'node_modules'));
    fs.symlinkSync(path.join(__dirname, '..', '..'), path.join(repo, 'node_modules', 'subagent-tracking'));
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    const settings = settingsOf(repo, 'settings.json');
    expect(settings.statusLine).toEqual({
      type: 'command',
      command: PORTABLE_STATUSLINE,
      padding: 0,
      refreshInterval: 5,
    });
    for (const env of [{}, { CLAUDE_PROJECT_DIR: repo }] as Record<string, string>[])
      expect(line(env).stdout).toMatch(
        /^agent-track \$0\.000000 · 0 tokens · 0 subagents · 0 failed · no snapshot yet\n$/,
      );
    // a status line of the user's own is never replaced
    const other = makeRepo();
    fs.mkdirSync(path.join(other, '.claude'));
    const own = { statusLine: { type: 'command', command: '~/.claude/my-line.sh' } };
    fs.writeFileSync(path.join(other, '.claude', 'settings.local.json'), JSON.stringify(own));
    const r = track(other, ['init', '--yes']);
    expect(r.stdout).toContain(': kept as it is — statusLine: yours is kept');
    expect(settingsOf(other).statusLine).toEqual(own.statusLine);
  });

  test('an install with the previous release’s Node hook on every event keeps working, and init upgrades it', () => {
    const { PORTABLE_CLI, PORTABLE_HOOK } = require('../../src/capture/install.js');
    const repo = makeRepo();
    fs.mkdirSync(path.join(repo, 'node_modules'));
    fs.symlinkSync(path.join(__dirname, '..', '..'), path.join(repo, 'node_modules', 'subagent-tracking'));
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    // what the previous release wrote: the Node hook for all events, beside a user's own hook
    const old = {
      hooks: {
        ...Object.fromEntries(
          HOOK_EVENTS.map((e) => [
            e,
            [{ hooks: [{ type: 'command', command: PORTABLE_HOOK, timeout: 30 }] }],
          ]),
        ),
        PreToolUse: [
          userHook,
          { hooks: [{ type: 'command', command: PORTABLE_HOOK, async: true, timeout: 30 }] },
        ],
      },
    };
    fs.writeFileSync(path.join(repo, '.claude', 'settings.json'), JSON.stringify(old, null, 2));
    // it still records (the Node hook is unchanged)
    const { spawnSync } = require('node:child_process');
    const r = spawnSync('/bin/sh', ['-c', PORTABLE_HOOK], {
      cwd: repo,
      input: JSON.stringify({
        session_id: 'old1',
        cwd: repo,
        hook_event_name: 'UserPromptSubmit',
        prompt: 'old',
      }),
      encoding: 'utf8',
      env: { ...process.env, CLAUDE_PROJECT_DIR: repo, AGENT_TRACK_NO_FLUSH: '1' },
    });
    expect(r.status).toBe(0);
    expect(
      fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'spool', 'old1.jsonl'), 'utf8'),
    ).toContain('"old"');
    // init replaces exactly our entries: one per event, the sh hook where it belongs, the user's kept
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    const hooks = settingsOf(repo, 'settings.json').hooks;
    expect(hooks.PreToolUse[0]).toEqual(userHook);
    for (const event of HOOK_EVENTS) {
      const commands = hooks[event].flatMap((g: any) => g.hooks).map((h: any) => h.command);
      const ours = commands.filter((c: string) => c !== userHook.hooks[0].command);
      expect(ours).toEqual([
        ['SessionStart', 'SessionEnd'].includes(event)
          ? PORTABLE_HOOK
          : shHook(PORTABLE_CLI, ['Stop', 'SubagentStop', 'PreCompact'].includes(event)),
      ]);
    }
  });

  test('Windows gets the Node hook on every event; the sh hook writes where the store reads', () => {
    const { hookCommand, hookCommands } = require('../../src/capture/install.js');
    const { RAW_DIR } = require('../../src/capture/claude-files.js');
    const { rawSpoolDir } = require('../../src/store/spool.js');
    const { pathsFor } = require('../../src/store/paths.js');
    const bin = '/w/repo/node_modules/subagent-tracking/dist/bin.cjs';
    for (const event of HOOK_EVENTS)
      expect(hookCommands(bin, '/w/repo', 'win32')(event)).toBe(hookCommand(bin, '/w/repo'));
    expect(hookCommands(bin, '/w/repo', 'linux')('PreToolUse')).toContain(`/${RAW_DIR}`);
    const paths = pathsFor('/w/repo', '/w/repo/.git');
    expect(rawSpoolDir(paths)).toBe(path.join(paths.commonDir, RAW_DIR));
  });

  test('works from a subdirectory, in a repository with no commit yet', () => {
    const repo = makeRepo({ empty: true });
    fs.mkdirSync(path.join(repo, 'sub', 'dir'), { recursive: true });
    expect(track(path.join(repo, 'sub', 'dir'), ['init', '--yes']).status).toBe(0);
    expect(fs.existsSync(path.join(repo, '.claude', 'settings.local.json'))).toBe(true);
    expect(git(repo, ['rev-list', '--count', 'agent-tracking']).trim()).toBe('1');
  });

  test('a settings.json that is not JSON gives a one-line error and is left alone', () => {
    const repo = makeRepo();
    fs.mkdirSync(path.join(repo, '.claude'));
    fs.writeFileSync(path.join(repo, '.claude', 'settings.local.json'), '{ broken');
    const r = track(repo, ['init', '--yes']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('is not a JSON object');
    expect(fs.readFileSync(path.join(repo, '.claude', 'settings.local.json'), 'utf8')).toBe('{ broken');
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

  test('show "" and resume "" are errors, not some session', () => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    for (const args of [
      ['show', ''],
      ['resume', ''],
      ['resume', '--session', ' '],
    ]) {
      const r = track(repo, args);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        'agent-track: the session id is empty: give one (see `sessions`) or leave it out\n',
      );
    }
  });

  test('every command has --help', () => {
    for (const cmd of [
      'init',
      'hook',
      'flush',
      'sessions',
      'show',
      'stats',
      'statusline',
      'browse',
      'resume',
    ]) {
      const r = track(tmpDir(), [cmd, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: agent-track ${cmd}`);
    }
  });
});

test('init installs the namespaced slash commands, keeps a user file of the same name, uninstall removes only ours', () => {
  const repo = makeRepo();
  const dir = path.join(repo, '.claude', 'commands', 'agent-track');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'sessions.md'), 'my own sessions command\n');
  // what release 0.1 wrote: /resume shadowed Claude Code's own
  const { COMMAND_MARKER } = require('../../src/capture/claude-files.js');
  fs.writeFileSync(path.join(repo, '.claude', 'commands', 'resume.md'), `---\n---\n${COMMAND_MARKER}\n`);
  const r = JSON.parse(track(repo, ['init', '--yes', '--json']).stdout);
  expect(r.commandsWritten.sort()).toEqual(['checkpoint.md', 'end-phase.md', 'handoff.md']);
  expect(r.commandsKept).toEqual(['sessions.md']);
  expect(r.commandsMigrated).toEqual(['resume.md']);
  expect(fs.readdirSync(path.join(repo, '.claude', 'commands'))).toEqual(['agent-track']);
  const cli = `node ${JSON.stringify(BIN)}`;
  const checkpoint = fs.readFileSync(path.join(dir, 'checkpoint.md'), 'utf8');
  expect(checkpoint).toMatch(/^---\ndescription: "Checkpoint this session \(agent-track\)/);
  expect(checkpoint).toContain(`allowed-tools: Bash(${cli}:*)\n`);
  expect(checkpoint).toContain(`!\`${cli} checkpoint --note "$ARGUMENTS"\``);
  expect(fs.readFileSync(path.join(dir, 'handoff.md'), 'utf8')).toContain(`!\`${cli} resume $ARGUMENTS\``);
  expect(fs.readFileSync(path.join(dir, 'end-phase.md'), 'utf8')).toContain(
    `!\`${cli} phase end $ARGUMENTS\``,
  );
  // the command line each file runs is the CLI itself: run checkpoint's the way Claude Code would
  const line = /!`([^`]+)`/.exec(checkpoint)![1].replace('$ARGUMENTS', 'from a test');
  const { spawnSync } = require('node:child_process');
  const ran = spawnSync('sh', ['-c', line], { cwd: repo, encoding: 'utf8' });
  // no session yet: the CLI answers with its one-line error, which proves the line reaches it
  expect(ran.stderr).toBe(
    'agent-track: no session of yours (git identity test.dev@example.com, this clone) recorded yet; give --session ID\n',
  );
  const un = JSON.parse(track(repo, ['init', '--uninstall', '--json']).stdout);
  expect(un.commandsRemoved).toBe(3);
  expect(fs.readdirSync(dir)).toEqual(['sessions.md']);
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

describe('init says what it writes; uninstall takes out all of it', () => {
  const linkInstall = (repo: string) => {
    fs.mkdirSync(path.join(repo, 'node_modules'));
    fs.symlinkSync(path.join(__dirname, '..', '..'), path.join(repo, 'node_modules', 'subagent-tracking'));
  };

  test('without a terminal init prints every file it wrote', () => {
    const repo = makeRepo();
    linkInstall(repo);
    const r = track(repo, ['init']);
    expect(r.status).toBe(0);
    for (const line of [
      'init wrote in ',
      '  branch agent-tracking: created',
      '  .claude/settings.json: created — hooks for 12 Claude Code events',
      '  .claude/commands/agent-track/handoff.md: created — slash command /agent-track:handoff',
      '  .github/workflows/agent-tracking.yml: created — GitHub workflow: the Action daily (cron), when a push of the branch sends repository_dispatch, and on every pull request',
      '  .agent-tracking.yml: created — configuration',
      '  .mcp.json: created — MCP server agent-track',
    ])
      expect(r.stdout).toContain(line);
  });

  test('uninstall leaves a user settings.json byte for byte as before init, and asks before removing the workflow', () => {
    const repo = makeRepo();
    linkInstall(repo);
    fs.mkdirSync(path.join(repo, '.claude'));
    // the user's own formatting: 4 spaces, keys in their order, no final newline
    const mine = '{\n    "permissions": {"allow": ["Bash(npm test:*)"]},\n    "model": "opus"\n}';
    fs.writeFileSync(path.join(repo, '.claude', 'settings.json'), mine);
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    expect(fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8')).toMatch(
      /^\{\n {4}"permissions"/,
    );
    const un = track(repo, ['init', '--uninstall']);
    expect(un.status).toBe(0);
    expect(un.stdout).toContain('.claude/settings.json: back exactly as it was before init');
    expect(un.stdout).toContain(
      'kept .github/workflows/agent-tracking.yml (remove it with --uninstall --yes)',
    );
    expect(fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8')).toBe(mine);
    expect(fs.readdirSync(path.join(repo, '.claude'))).toEqual(['settings.json']);
    expect(fs.existsSync(path.join(repo, '.github', 'workflows', 'agent-tracking.yml'))).toBe(true);
    // the person says yes: the workflow and the config, unchanged since init, go too
    const all = JSON.parse(track(repo, ['init', '--uninstall', '--yes', '--json']).stdout);
    expect(all).toMatchObject({ workflow: 'removed', config: 'removed' });
    expect(fs.existsSync(path.join(repo, '.github'))).toBe(false);
    expect(fs.existsSync(path.join(repo, '.agent-tracking.yml'))).toBe(false);
  });

  test('a repository without settings before init has none after uninstall', () => {
    const repo = makeRepo();
    linkInstall(repo);
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n');
    git(repo, ['add', '.gitignore']);
    git(repo, ['commit', '-q', '-m', 'ignore']);
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    expect(JSON.parse(track(repo, ['init', '--uninstall', '--yes', '--json']).stdout)).toMatchObject({
      restored: ['.claude/settings.json'],
      workflow: 'removed',
      config: 'removed',
    });
    expect(git(repo, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });
});
