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

function npmInstall(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFile(
      npm,
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '--prefix',
        dir,
        `@duckdb/node-api@${DUCKDB_VERSION}`,
      ],
      { maxBuffer: 16 << 20, timeout: 300_000 },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          new Error(
            missing
              ? 'npm is not on the PATH: add actions/setup-node before this Action (it installs DuckDB with npm)'
              : `could not install @duckdb/node-api@${DUCKDB_VERSION} with npm: ${String(stderr).trim().split('\n').slice(-3).join(' ')}`,
          ),
        );
      },
    );
  });
}

export async function ensureDuckDB(
  cacheRoot = process.env.RUNNER_TOOL_CACHE || os.tmpdir(),
): Promise<DuckDBSource> {
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
