/** Runs the real Gemini CLI (the devDependency @google/gemini-cli) headless against the fake Gemini API. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './cli.js';

export const GEMINI = path.join(ROOT, 'node_modules', '.bin', 'gemini');

/** A HOME whose ~/.gemini/settings.json picks API-key auth, nothing sent anywhere else. */
export function makeGeminiHome(home: string): string {
  fs.mkdirSync(path.join(home, '.gemini'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.gemini', 'settings.json'),
    JSON.stringify({
      security: { auth: { selectedType: 'gemini-api-key' } },
      general: { disableAutoUpdate: true },
      privacy: { usageStatisticsEnabled: false },
    }),
  );
  return home;
}

export interface GeminiRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** `--output-format json`: session_id, response, stats (Gemini CLI's own token report). */
  result: any;
}

export function runGemini(opts: {
  cwd: string;
  home: string;
  prompt: string;
  baseUrl: string;
  resume?: boolean;
  model?: string;
  timeoutMs?: number;
}): Promise<GeminiRun> {
  const args = [
    ...(opts.resume ? ['--resume', 'latest'] : []),
    '-p',
    opts.prompt,
    '--model',
    opts.model ?? 'gemini-2.5-flash',
    '--output-format',
    'json',
    '--yolo',
  ];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: opts.home,
    GEMINI_API_KEY: 'test-key-offline',
    GOOGLE_GEMINI_BASE_URL: opts.baseUrl,
    GEMINI_CLI_TRUST_WORKSPACE: 'true',
  };
  return new Promise((resolve) => {
    const child = spawn(GEMINI, args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      let result: any = null;
      try {
        result = JSON.parse(stdout);
      } catch {}
      resolve({ status, stdout, stderr, result });
    });
  });
}
