/** Runs the real Claude Code CLI (the devDependency) headless against the fake API. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './cli.js';

export const CLAUDE = path.join(ROOT, 'node_modules', '.bin', 'claude');

export interface ClaudeRun {
  status: number | null;
  stdout: string;
  stderr: string;
  result: any;
}

/** A HOME for Claude Code with onboarding done, so `-p` runs without asking anything. */
export function makeClaudeHome(home: string): string {
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(
    path.join(home, '.claude.json'),
    JSON.stringify({ hasCompletedOnboarding: true, bypassPermissionsModeAccepted: true }),
  );
  return home;
}

export function runClaude(opts: {
  cwd: string;
  home: string;
  prompt: string;
  baseUrl: string;
  model?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** More arguments (e.g. --resume <id>). */
  args?: string[];
  /** Tools allowed besides the built-in ones (e.g. an MCP server's `mcp__<server>__<tool>`). */
  allowedTools?: string[];
  /** stream-json: every message and hook response as a line (stdout), the result last. */
  format?: 'json' | 'stream-json';
}): Promise<ClaudeRun> {
  const args = [
    ...(opts.args ?? []),
    '-p',
    opts.prompt,
    '--output-format',
    opts.format ?? 'json',
    ...(opts.format === 'stream-json' ? ['--verbose'] : []),
    '--model',
    opts.model ?? 'claude-sonnet-4-5',
    '--allowedTools',
    ['Agent Task Bash Read Write Edit Glob Grep TodoWrite', ...(opts.allowedTools ?? [])].join(' '),
  ];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: opts.home,
    ANTHROPIC_BASE_URL: opts.baseUrl,
    ANTHROPIC_API_KEY: 'sk-test-offline',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    ...opts.env,
  };
  return new Promise((resolve) => {
    const child = spawn(CLAUDE, args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      let result: any = null;
      try {
        result = JSON.parse(stdout.trim().split('\n').pop() ?? '');
      } catch {
        result = null;
      }
      resolve({ status, stdout, stderr, result });
    });
  });
}
