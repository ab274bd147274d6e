/**
 * `init --agent`: which agent CLIs' hooks are installed, idempotent, beside a person's own hooks, and
 * removed exactly by `init --uninstall --agent`. (Codex's trust step is covered with the real CLI in
 * test/e2e/codex.test.ts.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanupTmp, makeRepo, track } from '../lib/cli.js';

afterAll(cleanupTmp);

const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));

test('an unknown agent is a clear error, nothing written', () => {
  const repo = makeRepo();
  const r = track(repo, ['init', '--agent', 'claude,cursor']);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain("--agent takes claude, codex, gemini (comma-separated), not 'cursor'");
  expect(fs.existsSync(path.join(repo, '.gemini'))).toBe(false);
});

test('gemini hooks beside the person’s own, idempotent, removed exactly', () => {
  const repo = makeRepo();
  const file = path.join(repo, '.gemini', 'settings.json');
  fs.mkdirSync(path.dirname(file));
  const own = {
    model: { name: 'gemini-2.5-pro' },
    hooks: { AfterTool: [{ hooks: [{ type: 'command', command: 'echo mine' }] }] },
  };
  fs.writeFileSync(file, JSON.stringify(own));
  const first = JSON.parse(track(repo, ['init', '--agent', 'gemini', '--json']).stdout);
  expect(first).toMatchObject({ agents: ['gemini'], claudeHooks: false, gemini: { changed: true } });
  const doc = read(file);
  expect(doc.model).toEqual(own.model);
  expect(doc.hooks.AfterTool).toEqual(own.hooks.AfterTool);
  for (const e of ['SessionStart', 'AfterAgent', 'SessionEnd'])
    expect(doc.hooks[e]).toEqual([
      { hooks: [{ type: 'command', command: expect.stringMatching(/bin\.cjs" hook --agent gemini$/) }] },
    ]);
  // no Claude Code hooks were asked for (in neither settings file: from a checkout of this package,
  // init writes them to the personal settings.local.json)
  for (const f of ['settings.json', 'settings.local.json']) {
    const claude = path.join(repo, '.claude', f);
    expect(fs.existsSync(claude) ? (read(claude).hooks ?? {}) : {}).toEqual({});
  }
  // again: nothing changes
  const second = JSON.parse(track(repo, ['init', '--agent', 'gemini', '--json']).stdout);
  expect(second.gemini.changed).toBe(false);
  expect(read(file)).toEqual(doc);
  // uninstall: ours go, the person's stay
  const un = JSON.parse(track(repo, ['init', '--uninstall', '--agent', 'gemini', '--json']).stdout);
  expect(un.gemini.removed).toBe(3);
  expect(read(file)).toEqual(own);
});

test('claude,codex installs both; without Codex found, init says what to do', () => {
  const repo = makeRepo();
  const r = track(repo, ['init', '--agent', 'claude,codex'], undefined, {
    AGENT_TRACK_CODEX: '',
    PATH: path.dirname(process.execPath),
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Claude Code hooks written to');
  expect(r.stdout).toContain('Codex CLI hooks written to');
  expect(r.stdout).toMatch(/warning: Codex CLI not found .*trust the hooks in Codex \(\/hooks\)/);
  expect(Object.keys(read(path.join(repo, '.claude', 'settings.local.json')).hooks)).toContain(
    'SessionStart',
  );
  expect(Object.keys(read(path.join(repo, '.codex', 'hooks.json')).hooks).sort()).toEqual([
    'SessionStart',
    'Stop',
  ]);
});
