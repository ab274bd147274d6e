/** Runs the real Codex CLI (the devDependency @openai/codex) headless against the fake Responses API. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './cli.js';

export const CODEX = path.join(ROOT, 'node_modules', '.bin', 'codex');

/**
 * A CODEX_HOME whose config.toml sends the model's requests to `baseUrl` (a model provider of its
 * own, Responses API), with `extra` TOML appended (e.g. hooks).
 */
export function makeCodexHome(home: string, baseUrl: string, model = 'gpt-5.5', extra = ''): string {
  const codexHome = path.join(home, '.codex');
  fs.mkdirSync(codexHome, { recursive: true });
  fs.writeFileSync(
    path.join(codexHome, 'config.toml'),
    [
      `model = "${model}"`,
      'model_provider = "scripted"',
      '',
      '[model_providers.scripted]',
      'name = "scripted"',
      `base_url = "${baseUrl}"`,
      'wire_api = "responses"',
      'env_key = "SCRIPTED_OPENAI_KEY"',
      '',
      extra,
    ].join('\n'),
  );
  return codexHome;
}

export interface CodexRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The `--json` event lines. */
  events: any[];
}

/** `codex exec --json` (with `resume --last` when `resume`), no sandbox, no approvals. */
export function runCodex(opts: {
  cwd: string;
  home: string;
  prompt: string;
  resume?: boolean;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<CodexRun> {
  const args = [
    'exec',
    '--dangerously-bypass-approvals-and-sandbox',
    '--skip-git-repo-check',
    '--json',
    ...(opts.resume ? ['resume', '--last'] : []),
    opts.prompt,
  ];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: opts.home,
    CODEX_HOME: path.join(opts.home, '.codex'),
    SCRIPTED_OPENAI_KEY: 'sk-test-offline',
    ...opts.env,
  };
  return new Promise((resolve) => {
    const child = spawn(CODEX, args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      const events = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => {
          try {
            return JSON.parse(l);
          } catch {
            return null;
          }
        })
        .filter(Boolean);
      resolve({ status, stdout, stderr, events });
    });
  });
}
