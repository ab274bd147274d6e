import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanupTmp, git, makeRepo, ROOT, tmpDir } from './lib/cli.js';

afterAll(cleanupTmp);

test('npm pack gives a tarball of built JS only that installs and runs on its own', () => {
  const dest = tmpDir();
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [info] = JSON.parse(out);
  const files: string[] = info.files.map((f: { path: string }) => f.path).sort();
  expect(files).toEqual([
    'README.md',
    'dist/bin.cjs',
    'dist/cli.js',
    'dist/import-worker.js',
    'dist/statusline.cjs',
    'package.json',
    'plugin/.claude-plugin/plugin.json',
    'plugin/commands/checkpoint.md',
    'plugin/commands/end-phase.md',
    'plugin/commands/handoff.md',
    'plugin/commands/sessions.md',
    'plugin/hooks/hooks.json',
    'plugin/scripts/agent-track.cjs',
  ]);

  const repo = makeRepo();
  fs.writeFileSync(path.join(repo, 'package.json'), '{"name":"user-project","private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '-D', path.join(dest, info.filename)], {
    cwd: repo,
    stdio: 'ignore',
  });
  const bin = path.join(repo, 'node_modules', '.bin', 'agent-track');
  expect(execFileSync(bin, ['--help'], { cwd: repo, encoding: 'utf8' })).toContain('Usage: agent-track');
  execFileSync(bin, ['init', '--yes'], { cwd: repo });
  const settings = JSON.parse(fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8'));
  const { PORTABLE_CLI, PORTABLE_HOOK } = require('../src/capture/install.js');
  const { shHook } = require('../src/capture/claude-files.js');
  expect(settings.hooks.SessionStart[0].hooks[0].command).toBe(PORTABLE_HOOK);
  // the high-volume events: the small sh hook, which saves the payload for the flush
  const command: string = settings.hooks.UserPromptSubmit[0].hooks[0].command;
  expect(command).toBe(shHook(PORTABLE_CLI, false));
  // run the hook exactly as Claude Code would: through a shell, with CLAUDE_PROJECT_DIR set
  const payload = JSON.stringify({
    session_id: 'pkg1',
    cwd: repo,
    hook_event_name: 'UserPromptSubmit',
    prompt: 'hello from a packed install',
  });
  execFileSync('/bin/sh', ['-c', command], {
    cwd: repo,
    input: payload,
    env: { ...process.env, CLAUDE_PROJECT_DIR: repo, AGENT_TRACK_NO_FLUSH: '1' },
  });
  execFileSync(bin, ['flush'], { cwd: repo });
  expect(git(repo, ['log', '-p', 'agent-tracking'])).toContain('hello from a packed install');
}, 180_000);

test('the Action installs the DuckDB version the CLI depends on', () => {
  const { DUCKDB_VERSION } = require('../src/analytics/duckdb-module.js');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.dependencies['@duckdb/node-api']).toBe(DUCKDB_VERSION);
  // and the bundle leaves it out: no native library in a committed file
  const bundle = fs.readFileSync(path.join(ROOT, 'dist', 'action.js'), 'utf8');
  expect(bundle).toContain('import("@duckdb/node-api")');
  expect(bundle).not.toContain('duckdb.node');
});
