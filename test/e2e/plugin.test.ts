/**
 * The agent-track plugin with the real Claude Code CLI (2.1.197, `--plugin-dir`), offline against the
 * scripted stand-in API: the plugin records a session; each namespaced command runs in a session
 * (`-p` with the command as the prompt) with its arguments honoured; Claude Code's own `/resume` is
 * still Claude Code's; and hooks never error where the package is missing, where a worktree has no
 * node_modules, or where the repository is not tracked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeClaudeHome, runClaude } from '../lib/claude.js';
import {
  backgroundFlushesDone,
  branchEvents,
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  ROOT,
  track,
} from '../lib/cli.js';
import { type FakeApi, startFakeAnthropic } from '../lib/fake-anthropic.js';

afterAll(cleanupTmp);

const PLUGIN = path.join(ROOT, 'plugin');

/** The text Claude Code sent for a prompt: a slash command's expansion (its `!` output included). */
const sentAfter = (api: FakeApi, from: number): string =>
  JSON.stringify(
    api.requests
      .slice(from)
      .filter((r) => r.path.endsWith('/v1/messages') && Array.isArray(r.body.tools))
      .map((r) => r.body.messages),
  );

/** Hook failures Claude Code wrote into the session's transcript (what it shows as "hook error"). */
function hookErrors(home: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.jsonl'))
        for (const line of fs.readFileSync(p, 'utf8').split('\n'))
          if (/hook_non_blocking_error|hook_error|Failed with non-blocking status/.test(line)) out.push(line);
    }
  };
  const projects = path.join(home, '.claude', 'projects');
  if (fs.existsSync(projects)) walk(projects);
  return out;
}

describe('the plugin in a tracked repository', () => {
  let repo: string;
  let home: string;
  let api: FakeApi;
  let first: Awaited<ReturnType<typeof runClaude>>;
  const claude = (prompt: string, format?: 'json' | 'stream-json') =>
    runClaude({ cwd: repo, home, prompt, baseUrl: api.url, args: ['--plugin-dir', PLUGIN], format });

  beforeAll(async () => {
    repo = makeRepo();
    // --plugin: the branch, the config and the workflow; no hooks or commands in settings files
    const init = track(repo, ['init', '--plugin', '--yes']);
    expect(init.status).toBe(0);
    expect(fs.existsSync(path.join(repo, '.claude'))).toBe(false);
    home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
    api = await startFakeAnthropic({
      'PLUGIN-RUN': [
        {
          at: 0,
          reply: [
            { type: 'text', text: 'I will check the greeting first.' },
            { type: 'tool_use', name: 'Bash', input: { command: 'echo plugin-hello', description: 'Greet' } },
          ],
        },
        { at: 1, reply: [{ type: 'text', text: 'Greeting checked.' }] },
      ],
    });
    first = await claude('PLUGIN-RUN: check the greeting');
    // async hooks may still be writing after Claude Code exits (under load): wait for the spool to settle
    await backgroundFlushesDone(repo);
    expect(flushNow(repo).status).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await api.close();
  });

  test('Claude Code loads the plugin and its hooks record the session', () => {
    expect(first.status).toBe(0);
    expect(first.result).toMatchObject({ is_error: false, result: 'Greeting checked.' });
    const mine = branchEvents(repo).filter((e) => e.session === first.result.session_id);
    expect(mine.find((e) => e.type === 'prompt')?.text).toBe('PLUGIN-RUN: check the greeting');
    // under load Claude Code 2.1.197 in -p mode may exit before its async hooks (PreToolUse,
    // PostToolUse) finish, and then skips SessionEnd: the transcript still gives the call, and the
    // session's one status is ended (its last turn ended)
    expect(mine.some((e) => /^(tool_call|tool_start|decision)$/.test(e.type) && e.tool === 'Bash')).toBe(
      true,
    );
    expect(mine.filter((e) => e.type === 'session_start')).toHaveLength(1);
    const listed = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    expect(listed.find((s: any) => s.session === first.result.session_id)?.status).toBe('ended');
    expect(hookErrors(home)).toEqual([]);
    expect(fs.existsSync(path.join(repo, '.git', 'agent-tracking', 'errors'))).toBe(false);
  });

  test("the status line fed Claude Code's statusLine JSON for this session gives the cost stats --session gives", () => {
    const id = first.result.session_id;
    const input = JSON.stringify({
      hook_event_name: 'Status',
      session_id: id,
      cwd: repo,
      model: { id: 'claude-sonnet-4-5', display_name: 'Sonnet 4.5' },
      workspace: { current_dir: repo, project_dir: repo },
      cost: { total_cost_usd: first.result.total_cost_usd },
    });
    const line = track(repo, ['statusline'], input);
    expect(line.status).toBe(0);
    const stats = JSON.parse(track(repo, ['stats', '--session', id, '--json']).stdout);
    expect(stats.costUsd).toBeGreaterThan(0);
    expect(line.stdout).toMatch(
      new RegExp(`^agent-track \\$${stats.costUsd.toFixed(6).replace('.', '\\.')} · `),
    );
    // and both are Claude Code's own figure for the session
    expect(stats.costUsd).toBeCloseTo(first.result.total_cost_usd, 6);
  });

  test('/agent-track:handoff in a new session hands over my previous one, not the new empty one', async () => {
    const from = api.requests.length;
    const r = await claude('/agent-track:handoff');
    expect(r.status).toBe(0);
    const sent = sentAfter(api, from);
    expect(sent).toContain(`Handoff: session ${first.result.session_id.slice(0, 8)}`);
    expect(sent).toContain('PLUGIN-RUN: check the greeting');
    expect(sent).not.toContain('no prompt recorded');
  }, 60_000);

  test('/agent-track:handoff <id> takes the id as --session', async () => {
    // a second session, so that the default and the named one differ
    const other = await claude('PLUGIN-RUN: check the greeting again');
    const from = api.requests.length;
    const r = await claude(`/agent-track:handoff ${first.result.session_id.slice(0, 8)}`);
    expect(r.status).toBe(0);
    const sent = sentAfter(api, from);
    expect(sent).toContain(`Handoff: session ${first.result.session_id.slice(0, 8)}`);
    expect(sent).not.toContain(`Handoff: session ${other.result.session_id.slice(0, 8)}`);
    expect(sent).not.toContain('too many arguments');
  }, 90_000);

  test('/agent-track:checkpoint <note> snapshots the session it runs in, with the note', async () => {
    const r = await claude('/agent-track:checkpoint before the refactor');
    expect(r.status).toBe(0);
    const list = JSON.parse(track(repo, ['snapshots', '--json']).stdout);
    const snap = list.find((s: any) => s.note === 'before the refactor');
    expect(snap).toBeDefined();
    expect(snap.session).toBe(r.result.session_id);
  }, 60_000);

  test('/agent-track:end-phase <name> starts the phase it names', async () => {
    const r = await claude('/agent-track:end-phase sprint-7');
    expect(r.status).toBe(0);
    const phases = JSON.parse(track(repo, ['phase', 'list', '--json']).stdout);
    expect(phases.find((p: any) => p.current)?.name).toBe('sprint-7');
    // and new sessions go there: the config names it (the rest of the file as it was)
    const config = fs.readFileSync(path.join(repo, '.agent-tracking.yml'), 'utf8');
    expect(config).toMatch(/^phase: sprint-7$/m);
    expect(config.replace('phase: sprint-7', 'phase: phase-1')).toBe(
      require('../../src/model/config.js').CONFIG_TEMPLATE,
    );
  }, 60_000);

  test('/agent-track:sessions lists the sessions', async () => {
    const from = api.requests.length;
    expect((await claude('/agent-track:sessions')).status).toBe(0);
    expect(sentAfter(api, from)).toContain(first.result.session_id.slice(0, 8));
  }, 60_000);

  test("/resume is still Claude Code's own", async () => {
    const r = await claude('/resume');
    expect(r.result.result).toBe("/resume isn't available in this environment.");
  }, 60_000);
});

describe('hooks that cannot error', () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await startFakeAnthropic({});
  });
  afterAll(async () => {
    await api.close();
  });

  test('a clone whose node_modules is missing (a teammate before npm i): no hook error, exit 0', async () => {
    // the committed settings of a project install, in a clone where it is not installed
    const repo = makeRepo();
    const { mergeHooks, PORTABLE_HOOK } = require('../../src/capture/install.js');
    fs.mkdirSync(path.join(repo, '.claude'));
    fs.writeFileSync(
      path.join(repo, '.claude', 'settings.json'),
      JSON.stringify(mergeHooks({}, PORTABLE_HOOK).settings, null, 2),
    );
    const home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
    const r = await runClaude({ cwd: repo, home, prompt: 'hello', baseUrl: api.url, format: 'stream-json' });
    expect(r.status).toBe(0);
    expect(r.result).toMatchObject({ is_error: false });
    const start = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((m) => m.subtype === 'hook_response' && m.hook_event === 'SessionStart');
    expect(start).toMatchObject({ exit_code: 0, stdout: '', stderr: '' });
    expect(hookErrors(home)).toEqual([]);

    // the command an earlier release wrote does fail there: what Claude Code then shows
    const old = makeRepo();
    fs.mkdirSync(path.join(old, '.claude'));
    fs.writeFileSync(
      path.join(old, '.claude', 'settings.json'),
      JSON.stringify(
        mergeHooks({}, 'node "$CLAUDE_PROJECT_DIR"/node_modules/subagent-tracking/dist/bin.cjs hook')
          .settings,
      ),
    );
    const oldHome = makeClaudeHome(path.join(path.dirname(old), 'home'));
    await runClaude({ cwd: old, home: oldHome, prompt: 'hello', baseUrl: api.url });
    expect(hookErrors(oldHome).join('\n')).toContain('MODULE_NOT_FOUND');
  }, 120_000);

  test('a linked worktree without node_modules (as restore makes): its session is recorded', async () => {
    const repo = makeRepo();
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n');
    fs.mkdirSync(path.join(repo, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(repo, 'node_modules', 'subagent-tracking'));
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'track agents']);
    const wt = path.join(path.dirname(repo), 'restored');
    git(repo, ['worktree', 'add', '-q', '--detach', wt]);
    expect(fs.existsSync(path.join(wt, 'node_modules'))).toBe(false);
    const home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
    const r = await runClaude({ cwd: wt, home, prompt: 'WT-RUN: hello from the worktree', baseUrl: api.url });
    expect(r.status).toBe(0);
    expect(hookErrors(home)).toEqual([]);
    await backgroundFlushesDone(repo);
    expect(flushNow(repo).status).toBe(0);
    const mine = branchEvents(repo).filter((e) => e.session === r.result.session_id);
    expect(mine.find((e) => e.type === 'prompt')?.text).toBe('WT-RUN: hello from the worktree');
    expect(mine.find((e) => e.type === 'session_start')?.cwd).toBe(fs.realpathSync(wt));
  }, 120_000);

  test("init's settings-file commands: /agent-track:handoff runs from a project install, /resume stays Claude Code's", async () => {
    const repo = makeRepo();
    fs.mkdirSync(path.join(repo, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(repo, 'node_modules', 'subagent-tracking'));
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    const home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
    const done = await runClaude({ cwd: repo, home, prompt: 'INIT-RUN: first', baseUrl: api.url });
    await backgroundFlushesDone(repo);
    expect(flushNow(repo).status).toBe(0);
    const from = api.requests.length;
    expect(
      (await runClaude({ cwd: repo, home, prompt: '/agent-track:handoff', baseUrl: api.url })).status,
    ).toBe(0);
    const sent = sentAfter(api, from);
    expect(sent).toContain(`Handoff: session ${done.result.session_id.slice(0, 8)}`);
    expect(sent).toContain('INIT-RUN: first');
    const builtin = await runClaude({ cwd: repo, home, prompt: '/resume', baseUrl: api.url });
    expect(builtin.result.result).toBe("/resume isn't available in this environment.");
    expect(hookErrors(home)).toEqual([]);
    // the plugin as well as init's hooks: the session is recorded once, not twice
    const both = await runClaude({
      cwd: repo,
      home,
      prompt: 'BOTH-RUN: once',
      baseUrl: api.url,
      args: ['--plugin-dir', PLUGIN],
    });
    await backgroundFlushesDone(repo);
    expect(flushNow(repo).status).toBe(0);
    const prompts = branchEvents(repo).filter(
      (e) => e.session === both.result.session_id && e.type === 'prompt',
    );
    expect(prompts.map((e) => e.text)).toEqual(['BOTH-RUN: once']);
  }, 120_000);

  test('the plugin in a repository that is not tracked: nothing recorded, nothing shown', async () => {
    const repo = makeRepo();
    const home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
    const r = await runClaude({
      cwd: repo,
      home,
      prompt: 'hello',
      baseUrl: api.url,
      args: ['--plugin-dir', PLUGIN],
    });
    expect(r.status).toBe(0);
    expect(hookErrors(home)).toEqual([]);
    expect(fs.existsSync(path.join(repo, '.git', 'agent-tracking'))).toBe(false);
  }, 60_000);
});
