/**
 * DuckDB for the Action. Its native library (about 70 MB) cannot be committed with the bundle, so
 * the first run installs `@duckdb/node-api` with npm into the runner's tool cache (kept between jobs
 * on self-hosted runners) and later runs load it from there. Installed into a temporary folder and
 * renamed into place: a run killed half-way never leaves a broken install behind.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { DUCKDB_VERSION, setDuckDBLoader } from '../analytics/duckdb-module.js';

export interface DuckDBSource {
  /** 'resolved': found beside the Action (node_modules); 'cache': installed by an earlier run; 'installed': now. */
  source: 'resolved' | 'cache' | 'installed';
  dir: string | null;
  ms: number;
}

const hasModule = (dir: string) =>
  fs.existsSync(path.join(dir, 'node_modules', '@duckdb', 'node-api', 'package.json'));

/** How long npm may take, in all (AGENT_TRACK_NPM_TIMEOUT_MS): a registry that never answers is given up on. */
const npmTimeoutMs = () => Number(process.env.AGENT_TRACK_NPM_TIMEOUT_MS) || 180_000;

/** What npm said went wrong, in a few words: its `npm error code` and the message about the registry. */
export function npmCause(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter(Boolean);
  const code = /^code (\S+)/.exec(lines.find((l) => /^code \S+/.test(l)) ?? '')?.[1];
  const detail =
    lines.find((l) =>
      /request to|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|network|registry|certificate|40[134]|proxy/i.test(
        l,
      ),
    ) ?? lines.filter((l) => !/^(code|errno|syscall|A complete log|Log files)/.test(l)).at(-1);
  return [code, detail].filter(Boolean).join(': ') || 'npm gave no reason';
}

/** The registry npm uses (npm_config_registry, else npm's default). */
const registry = () =>
  process.env.npm_config_registry || process.env.NPM_CONFIG_REGISTRY || 'https://registry.npmjs.org/';

function npmInstall(dir: string): Promise<void> {
  const timeout = npmTimeoutMs();
  return new Promise((resolve, reject) => {
    const args = [
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      // a registry that refuses or never answers: fail in seconds, not after npm's minute of retries
      '--fetch-retries=1',
      '--fetch-retry-mintimeout=1000',
      '--fetch-retry-maxtimeout=3000',
      `--fetch-timeout=${Math.max(5_000, Math.floor(timeout / 3))}`,
      '--prefix',
      dir,
      `@duckdb/node-api@${DUCKDB_VERSION}`,
    ];
    // Windows: npm is npm.cmd, a batch file, which Node runs only through a shell (execFile: EINVAL)
    const windows = process.platform === 'win32';
    const child = execFile(
      windows ? 'npm.cmd' : 'npm',
      windows ? args.map((a) => (/[\s&|<>^]/.test(a) ? `"${a}"` : a)) : args,
      { maxBuffer: 16 << 20, timeout, killSignal: 'SIGKILL', shell: windows, windowsHide: true },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const e = error as NodeJS.ErrnoException & { killed?: boolean };
        const what = `could not install @duckdb/node-api@${DUCKDB_VERSION} (the review's database) with npm from ${registry()}`;
        if (e.code === 'ENOENT')
          return reject(
            new Error(
              'npm is not on the PATH: add actions/setup-node before this Action (it installs DuckDB with npm)',
            ),
          );
        if (e.killed)
          return reject(
            new Error(
              `${what}: npm did not finish in ${Math.round(timeout / 1000)} s (the registry does not answer?${String(stderr).trim() ? `; npm said: ${npmCause(String(stderr))}` : ''}). Check the runner's network or npm_config_registry, or run on a runner whose tool cache has it`,
            ),
          );
        reject(new Error(`${what}: ${npmCause(String(stderr))}`));
      },
    );
    child.stdin?.end();
  });
}

/**
 * The actions/cache key of the tool cache's DuckDB folder, for the workflow's save step: set as the
 * `duckdb-cache-key` output only by a run that installed it (a run that found it saves nothing). The
 * workflow restores with the prefix `agent-track-duckdb-<os>-<arch>-`, so a newer DuckDB is installed
 * once and saved under its own key.
 */
export const duckDBCacheKey = (): string =>
  `agent-track-duckdb-${process.env.RUNNER_OS || process.platform}-${process.env.RUNNER_ARCH || process.arch}-${DUCKDB_VERSION}`;

/** DuckDB when it is at hand (beside the Action, or in the tool cache) without installing it; else null. */
export async function duckDBAtHand(
  cacheRoot = process.env.RUNNER_TOOL_CACHE || os.tmpdir(),
): Promise<DuckDBSource | null> {
  return loadDuckDB(cacheRoot, false);
}

/** DuckDB, installed into the tool cache when it is not at hand. */
export async function ensureDuckDB(
  cacheRoot = process.env.RUNNER_TOOL_CACHE || os.tmpdir(),
): Promise<DuckDBSource> {
  return (await loadDuckDB(cacheRoot, true)) as DuckDBSource;
}

async function loadDuckDB(cacheRoot: string, install: boolean): Promise<DuckDBSource | null> {
  const started = Date.now();
  try {
    await import('@duckdb/node-api');
    return { source: 'resolved', dir: null, ms: Date.now() - started };
  } catch {
    // not beside the Action: install it
  }
  const dir = path.join(
    cacheRoot,
    'agent-track-duckdb',
    DUCKDB_VERSION,
    `${process.platform}-${process.arch}`,
  );
  let source: DuckDBSource['source'] = 'cache';
  if (!hasModule(dir)) {
    if (!install) return null;
    source = 'installed';
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    await npmInstall(tmp);
    if (!hasModule(tmp)) throw new Error(`npm installed nothing into ${tmp}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.renameSync(tmp, dir);
  }
  const load = createRequire(path.join(dir, 'package.json'));
  const mod = load('@duckdb/node-api');
  setDuckDBLoader(async () => mod);
  return { source, dir, ms: Date.now() - started };
}
