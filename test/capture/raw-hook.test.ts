/**
 * The small sh hook (claude-files.ts shHook) exactly as init installs it, run through /bin/sh as
 * Claude Code runs a hook command, and the flush that converts what it saved (capture/raw.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BIN,
  branchEvents,
  cleanupTmp,
  FIXTURE,
  flushNow,
  git,
  makeRepo,
  sprintPayloads,
  tmpDir,
  track,
} from '../lib/cli.js';

afterAll(cleanupTmp);

const rawDir = (repo: string) => path.join(repo, '.git', 'agent-tracking', 'raw');
const settings = (repo: string) =>
  JSON.parse(fs.readFileSync(path.join(repo, '.claude', 'settings.local.json'), 'utf8'));

/** The command init wrote for `event`. */
const commandFor = (repo: string, event: string): string =>
  settings(repo)
    .hooks[event].flatMap((g: any) => g.hooks)
    .find((h: any) => h.command.includes(' hook')).command;

const env = (repo: string, extra: NodeJS.ProcessEnv = {}) => ({
  ...process.env,
  CLAUDE_PROJECT_DIR: repo,
  AGENT_TRACK_NO_FLUSH: '1',
  XDG_STATE_HOME: path.join(path.dirname(repo), 'state'),
  ...extra,
});

/** Runs the installed command of the payload's event through /bin/sh, from `cwd`. */
function runInstalled(repo: string, payload: string, cwd = repo, extra: NodeJS.ProcessEnv = {}) {
  const event = JSON.parse(payload).hook_event_name;
  return spawnSync('/bin/sh', ['-c', commandFor(repo, event)], {
    cwd,
    input: payload,
    encoding: 'utf8',
    env: env(repo, extra),
  });
}

function withTranscripts(repo: string): void {
  fs.cpSync(
    path.join(FIXTURE, 'transcripts', '-home-dev-proj'),
    path.join(path.dirname(repo), 'home', '.claude', 'projects', '-home-dev-proj'),
    { recursive: true },
  );
}

/** An event as compared across the two paths: random ids and arrival times aside, absolute paths made relative. */
function comparable(e: any, repo: string): string {
  const { id, ts: _ts, ...rest } = e;
  const derived = /^[a-z_]+-[0-9a-f]{32}$/.test(id) ? id : 'random';
  const tmp = path.dirname(repo);
  return JSON.stringify({ id: derived, ...rest })
    .replaceAll(fs.realpathSync(tmp), '<tmp>')
    .replaceAll(tmp, '<tmp>');
}

describe('the sh hook', () => {
  test('on the recorded session, the installed commands give after a flush the same events as the Node hook', () => {
    const viaNode = makeRepo();
    const viaSh = makeRepo();
    for (const repo of [viaNode, viaSh]) {
      withTranscripts(repo);
      expect(track(repo, ['init', '--yes']).status).toBe(0);
    }
    for (const p of sprintPayloads(viaNode))
      expect(track(viaNode, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
    let shEvents = 0;
    for (const p of sprintPayloads(viaSh)) {
      const event = JSON.parse(p).hook_event_name;
      if (event === 'SessionEnd') {
        // saved raw, not yet events: the payloads as Claude Code gave them, private to the user
        const raw = fs.readdirSync(rawDir(viaSh)).filter((n) => n.endsWith('.json'));
        expect(raw.length).toBe(shEvents);
        expect(shEvents).toBeGreaterThan(10);
        expect(fs.statSync(rawDir(viaSh)).mode & 0o777).toBe(0o700);
        for (const n of raw) expect(fs.statSync(path.join(rawDir(viaSh), n)).mode & 0o777).toBe(0o600);
      }
      const r = runInstalled(viaSh, p);
      expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
      if (!['SessionStart', 'SessionEnd'].includes(event)) shEvents++;
    }
    // SessionEnd (the Node hook) took them into the spool first, in order, before its own event
    expect(fs.readdirSync(rawDir(viaSh))).toEqual([]);
    const spooled = fs
      .readFileSync(
        path.join(
          viaSh,
          '.git',
          'agent-tracking',
          'spool',
          `${JSON.parse(sprintPayloads(viaSh)[0]).session_id}.jsonl`,
        ),
        'utf8',
      )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(spooled.at(-1)).toBe('session_end');
    for (const repo of [viaNode, viaSh]) expect(flushNow(repo).status).toBe(0);
    expect(fs.readdirSync(rawDir(viaSh))).toEqual([]);
    const a = branchEvents(viaNode)
      .map((e) => comparable(e, viaNode))
      .sort();
    const b = branchEvents(viaSh)
      .map((e) => comparable(e, viaSh))
      .sort();
    expect(b).toEqual(a);
    // and in the same order, the Node hook's (Claude Code's) order
    const order = (repo: string) =>
      branchEvents(repo)
        .filter((e) => e.toolUseId && /^tool_(start|call)$/.test(e.type))
        .sort((x, y) => x.ts.localeCompare(y.ts))
        .map((e) => `${e.type}:${e.toolUseId}`);
    expect(order(viaSh)).toEqual(order(viaNode));
  }, 120_000);

  test('20 parallel writers then one flush: every event on the branch exactly once', async () => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    const command = commandFor(repo, 'PostToolUse');
    const one = (w: number, i: number) =>
      new Promise<number | null>((resolve) => {
        const child = spawn('/bin/sh', ['-c', command], {
          cwd: repo,
          env: env(repo),
          stdio: ['pipe', 'ignore', 'ignore'],
        });
        child.on('close', resolve);
        child.stdin.end(
          JSON.stringify({
            session_id: `par-${w % 4}`,
            cwd: repo,
            hook_event_name: 'PostToolUse',
            tool_name: 'Bash',
            tool_use_id: `toolu_${w}_${i}`,
            tool_input: { command: `echo ${w} ${i}` },
            tool_response: { stdout: `${w} ${i}\n`, stderr: '', interrupted: false },
          }),
        );
      });
    const codes = await Promise.all(
      Array.from({ length: 20 }, async (_, w) => {
        const out: Array<number | null> = [];
        for (let i = 0; i < 10; i++) out.push(await one(w, i));
        return out;
      }),
    );
    expect(codes.flat().every((c) => c === 0)).toBe(true);
    expect(fs.readdirSync(rawDir(repo)).length).toBe(200);
    const f = flushNow(repo);
    expect(f.status).toBe(0);
    expect(JSON.parse(f.stdout).events).toBe(200);
    const calls = branchEvents(repo).filter((e) => e.type === 'tool_call');
    expect(calls.length).toBe(200);
    expect(new Set(calls.map((e) => e.toolUseId)).size).toBe(200);
    expect(fs.readdirSync(rawDir(repo))).toEqual([]);
    git(repo, ['fsck', '--strict']);
  }, 120_000);

  test('a hook killed mid-write leaves nothing a flush reads half; a converter killed after its append adds nothing twice', () => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    // what a killed `cat` leaves: the head of a payload, from a process that is gone
    const dead = spawnSync('true').pid;
    const payload = JSON.stringify({
      session_id: 'kill1',
      cwd: repo,
      hook_event_name: 'UserPromptSubmit',
      prompt: 'the whole prompt',
    });
    fs.writeFileSync(path.join(rawDir(repo), `${dead}-0.json`), `${repo}\n${payload.slice(0, 40)}`, {
      mode: 0o600,
    });
    // one being written right now, by a live process (this one): left for later, not taken half
    fs.writeFileSync(path.join(rawDir(repo), `${process.pid}-0.json`), `${repo}\n${payload.slice(0, 30)}`, {
      mode: 0o600,
    });
    expect(runInstalled(repo, payload).status).toBe(0);
    expect(flushNow(repo).status).toBe(0);
    const events = branchEvents(repo).filter((e) => e.session === 'kill1');
    expect(events.map((e) => e.text)).toEqual(['the whole prompt']);
    expect(fs.readdirSync(rawDir(repo))).toEqual([`${process.pid}-0.json`]);
    // the torn one is kept in the errors folder, not on the branch
    const errors = fs.readdirSync(path.join(repo, '.git', 'agent-tracking', 'errors'));
    expect(errors).toContain(`raw-${dead}-0.json`);
    fs.rmSync(path.join(rawDir(repo), `${process.pid}-0.json`));

    // a converter killed between its append and its unlink: the next one appends nothing twice
    const again = JSON.stringify({
      session_id: 'kill1',
      cwd: repo,
      hook_event_name: 'UserPromptSubmit',
      prompt: 'the second prompt',
    });
    expect(runInstalled(repo, again).status).toBe(0);
    const killed = track(repo, ['flush'], undefined, { AGENT_TRACK_FAULT: 'after-raw-append' });
    expect(killed.status).toBe(null);
    // the kill left the payload, the note naming it, and its events in the spool
    expect(fs.readdirSync(rawDir(repo)).filter((n) => n.endsWith('.json')).length).toBe(1);
    expect(fs.existsSync(path.join(rawDir(repo), '.converting'))).toBe(true);
    expect(
      fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'spool', 'kill1.jsonl'), 'utf8'),
    ).toContain('the second prompt');
    expect(flushNow(repo).status).toBe(0);
    const prompts = branchEvents(repo)
      .filter((e) => e.session === 'kill1' && e.type === 'prompt')
      .map((e) => e.text);
    expect(prompts).toEqual(['the whole prompt', 'the second prompt']);
    expect(fs.readdirSync(rawDir(repo))).toEqual([]);
    git(repo, ['fsck', '--strict']);
  }, 120_000);

  test('a linked worktree records into the main clone; no raw folder or not ours: the Node hook, exit 0, nothing printed', () => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    const wt = path.join(path.dirname(repo), 'wt');
    git(repo, ['worktree', 'add', '-q', '--detach', wt]);
    const payload = (session: string, cwd: string) =>
      JSON.stringify({
        session_id: session,
        cwd,
        hook_event_name: 'UserPromptSubmit',
        prompt: `from ${session}`,
      });
    // from a subfolder of the linked worktree, CLAUDE_PROJECT_DIR naming the worktree
    fs.mkdirSync(path.join(wt, 'sub'));
    const r = spawnSync('/bin/sh', ['-c', commandFor(repo, 'UserPromptSubmit')], {
      cwd: path.join(wt, 'sub'),
      input: payload('wt1', wt),
      encoding: 'utf8',
      env: env(wt),
    });
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(fs.readdirSync(rawDir(repo)).length).toBe(1);
    expect(fs.readFileSync(path.join(rawDir(repo), fs.readdirSync(rawDir(repo))[0]), 'utf8')).toMatch(
      new RegExp(`^${wt}\n`),
    );
    // the raw folder gone (a store made by an earlier release): the Node hook records it
    fs.rmSync(rawDir(repo), { recursive: true });
    expect(runInstalled(repo, payload('fb1', repo))).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(
      fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'spool', 'fb1.jsonl'), 'utf8'),
    ).toContain('from fb1');
    // outside any repository, and with nothing installed: exit 0, nothing printed
    const outside = tmpDir();
    const o = spawnSync('/bin/sh', ['-c', commandFor(repo, 'PreToolUse')], {
      cwd: outside,
      input: payload('out1', outside),
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', CLAUDE_PROJECT_DIR: outside, HOME: outside },
    });
    expect(o).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(fs.readdirSync(outside)).toEqual([]);
  }, 60_000);

  test('the installed commands: the Node hook for SessionStart and SessionEnd, a flush started at a turn’s end', async () => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    expect(commandFor(repo, 'SessionStart')).toBe(`node ${JSON.stringify(BIN)} hook 2>/dev/null || true`);
    expect(commandFor(repo, 'SessionEnd')).toBe(`node ${JSON.stringify(BIN)} hook 2>/dev/null || true`);
    const prompt = JSON.stringify({
      session_id: 'st1',
      cwd: repo,
      hook_event_name: 'UserPromptSubmit',
      prompt: 'p',
    });
    const stop = JSON.stringify({ session_id: 'st1', cwd: repo, hook_event_name: 'Stop' });
    expect(runInstalled(repo, prompt).status).toBe(0);
    const r = runInstalled(repo, stop, repo, { AGENT_TRACK_NO_FLUSH: '' });
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
    // the flush it started in the background takes both
    for (let i = 0; i < 300 && branchEvents(repo).filter((e) => e.session === 'st1').length < 2; i++)
      await new Promise((res) => setTimeout(res, 100));
    expect(
      branchEvents(repo)
        .filter((e) => e.session === 'st1')
        .map((e) => e.type),
    ).toEqual(['prompt', 'stop']);
  }, 60_000);
});

describe('the sh hook under the shells Claude Code may find as /bin/sh', () => {
  // Debian's dash is /bin/sh here; macOS's /bin/sh is bash in POSIX mode
  const shells = [
    ['dash', ['/usr/bin/dash', '-c']],
    ['bash --posix', ['/usr/bin/bash', '--posix', '-c']],
  ].filter(([, argv]) => fs.existsSync((argv as string[])[0])) as Array<[string, string[]]>;
  test.each(shells)('%s: the payload saved whole, 0600, exit 0, nothing printed', (_name, argv) => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    const payload = JSON.stringify({
      session_id: 'sh1',
      cwd: repo,
      hook_event_name: 'UserPromptSubmit',
      prompt: 'p',
    });
    const r = spawnSync(argv[0], [...argv.slice(1), commandFor(repo, 'UserPromptSubmit')], {
      cwd: repo,
      input: payload,
      encoding: 'utf8',
      env: env(repo),
    });
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const [name] = fs.readdirSync(rawDir(repo));
    expect(name).toMatch(/^\d+-0\.json$/);
    expect(fs.readFileSync(path.join(rawDir(repo), name), 'utf8')).toBe(`${repo}\n${payload}`);
    expect(fs.statSync(path.join(rawDir(repo), name)).mode & 0o777).toBe(0o600);
  });
});

describe('the sh hook starts flushes sparingly', () => {
  test('none before 50 payloads wait, then one, asked for once (flush.want)', async () => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    const commits = () => Number(git(repo, ['rev-list', '--count', 'agent-tracking']).trim());
    const before = commits();
    const call = (n: number) =>
      JSON.stringify({
        session_id: 'few',
        cwd: repo,
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_use_id: `toolu_${n}`,
        tool_input: { command: `echo ${n}` },
      });
    for (let n = 0; n < 49; n++)
      expect(runInstalled(repo, call(n), repo, { AGENT_TRACK_NO_FLUSH: '' }).status).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(commits()).toBe(before);
    expect(fs.readdirSync(rawDir(repo)).length).toBe(49);
    // the 50th: a flush, which takes them all and clears the request
    expect(runInstalled(repo, call(49), repo, { AGENT_TRACK_NO_FLUSH: '' }).status).toBe(0);
    for (let i = 0; i < 300 && fs.readdirSync(rawDir(repo)).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    expect(fs.readdirSync(rawDir(repo))).toEqual([]);
    expect(branchEvents(repo).filter((e) => e.session === 'few')).toHaveLength(50);
    expect(fs.existsSync(path.join(repo, '.git', 'agent-tracking', 'flush.want'))).toBe(false);
  }, 60_000);
});

describe('the sh hook in a read-only .git', () => {
  // as root permission bits stop nothing: the hook runs as uid 1000 (setpriv) in a repository that
  // user owns (as in test/store/faults.test.ts); skipped where that user cannot run this checkout
  const root = process.getuid?.() === 0;
  const possible =
    !root ||
    spawnSync('setpriv', [
      '--reuid=1000',
      '--regid=1000',
      '--clear-groups',
      process.execPath,
      '-e',
      `require('fs').accessSync(${JSON.stringify(BIN)})`,
    ]).status === 0;
  const asUser = (cmd: string[]): string[] =>
    root ? ['setpriv', '--reuid=1000', '--regid=1000', '--clear-groups', ...cmd] : cmd;

  (possible ? test : test.skip)(
    "hands over to the Node hook, which keeps the events in the user's spool; the next flush takes them once",
    () => {
      const repo = makeRepo();
      expect(track(repo, ['init', '--yes']).status).toBe(0);
      const home = tmpDir('at-home-');
      const state = path.join(home, 'state');
      const global = path.join(home, 'gitconfig');
      fs.writeFileSync(global, '[safe]\n\tdirectory = *\n');
      if (root) {
        fs.chmodSync(path.dirname(repo), 0o755);
        spawnSync('chown', ['-R', '1000:1000', repo, home]);
      }
      const userEnv = {
        ...process.env,
        HOME: home,
        XDG_STATE_HOME: state,
        GIT_CONFIG_GLOBAL: global,
        CLAUDE_PROJECT_DIR: repo,
        AGENT_TRACK_NO_FLUSH: '1',
      };
      const sh = (payload: string) => {
        const [cmd, ...args] = asUser(['/bin/sh', '-c', commandFor(repo, 'UserPromptSubmit')]);
        return spawnSync(cmd, args, { cwd: repo, input: payload, encoding: 'utf8', env: userEnv });
      };
      const prompt = (n: number) =>
        JSON.stringify({
          session_id: 'ro1',
          cwd: repo,
          hook_event_name: 'UserPromptSubmit',
          prompt: `ro ${n}`,
        });
      spawnSync('chmod', ['-R', 'a-w', path.join(repo, '.git')]);
      try {
        const listing = spawnSync('ls', ['-lR', path.join(repo, '.git', 'agent-tracking')], {
          encoding: 'utf8',
        }).stdout;
        for (const n of [1, 2]) expect(sh(prompt(n))).toMatchObject({ status: 0, stdout: '', stderr: '' });
        // nothing written in .git; the events wait in the user's spool, private
        expect(
          spawnSync('ls', ['-lR', path.join(repo, '.git', 'agent-tracking')], { encoding: 'utf8' }).stdout,
        ).toBe(listing);
        const dirs = fs.readdirSync(path.join(state, 'agent-tracking'));
        const spool = path.join(state, 'agent-tracking', dirs[0], 'spool', 'ro1.jsonl');
        expect(fs.readFileSync(spool, 'utf8')).toContain('ro 2');
        expect(fs.statSync(spool).mode & 0o777).toBe(0o600);
      } finally {
        spawnSync('chmod', ['-R', 'u+w', path.join(repo, '.git')]);
      }
      // writable again: the sh hook saves raw, and one flush takes both spools in
      expect(sh(prompt(3))).toMatchObject({ status: 0, stdout: '', stderr: '' });
      const [cmd, ...args] = asUser([process.execPath, BIN, 'flush']);
      expect(spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', env: userEnv }).status).toBe(0);
      const texts = branchEvents(repo, 'agent-tracking', {
        env: { ...process.env, GIT_CONFIG_GLOBAL: global },
      })
        .filter((e) => e.session === 'ro1')
        .map((e) => e.text);
      expect(texts).toEqual(['ro 1', 'ro 2', 'ro 3']);
    },
    60_000,
  );
});
