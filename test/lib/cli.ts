/** Test helpers: fresh git repositories, the real built binary, and reading the branch with real git. */
import { type ExecFileSyncOptions, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const BIN = path.join(ROOT, 'dist', 'bin.cjs');
export const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'sprint');
export const SPRINT_SESSION = '4993952c-6254-4c99-806b-8e1b43b21afb';

const tmpRoots: string[] = [];
export function tmpDir(prefix = 'at-test-'): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  tmpRoots.push(d);
  return d;
}
/** Removes the test folders once the detached background flushes the hooks started there are done. */
export async function cleanupTmp(): Promise<void> {
  const roots = tmpRoots.splice(0);
  for (const d of roots) {
    const repo = path.join(d, 'proj');
    if (fs.existsSync(path.join(repo, '.git'))) await backgroundFlushesDone(repo, 500, 20_000);
  }
  for (const d of roots) fs.rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

export function git(cwd: string, args: string[], opts: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      ...opts,
    }) as string;
  } catch (e) {
    // say what git said, not only that it failed
    const err = e as { stderr?: Buffer | string; stdout?: Buffer | string; message: string };
    throw new Error(
      `git ${args.join(' ')} failed: ${String(err.stderr ?? '')}${String(err.stdout ?? '')}`.slice(0, 4000),
    );
  }
}

/** A fresh repository with one commit and a configured identity (or none with `empty`). */
export function makeRepo(opts: { empty?: boolean } = {}): string {
  const repo = path.join(tmpDir(), 'proj');
  fs.mkdirSync(repo);
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['config', 'user.name', 'Test Dev']);
  git(repo, ['config', 'user.email', 'test.dev@example.com']);
  if (!opts.empty) {
    fs.writeFileSync(path.join(repo, 'README.md'), '# demo\n');
    git(repo, ['add', 'README.md']);
    git(repo, ['commit', '-q', '-m', 'first commit']);
  }
  return repo;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The user's state folder the built CLI sees (its spool for read-only repositories, failed payloads
 * it could not keep in the repository): a test folder, never the real home's.
 */
let stateHome: string | null = null;
const userState = (): NodeJS.ProcessEnv => {
  stateHome ??= tmpDir('at-state-');
  return { XDG_STATE_HOME: stateHome };
};

export function track(cwd: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, ...userState(), ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function trackAsync(
  cwd: string,
  args: string[],
  input?: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, ...userState(), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/**
 * The CLI run asynchronously with an environment known only once a suite has started (a stand-in
 * server in this process, which a synchronous spawn would block), and its `--json` output read.
 */
export function asyncCli(env: () => NodeJS.ProcessEnv) {
  const run = (repo: string, args: string[], extra: NodeJS.ProcessEnv = {}) =>
    trackAsync(repo, args, undefined, { ...env(), ...extra });
  const json = async (repo: string, args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = await run(repo, [...args, '--json'], extra);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  return { run, json };
}

/** The sprint fixture's payloads, rewritten to point at `repo` (and at `home` for transcripts). */
export function sprintPayloads(repo: string, home = path.join(path.dirname(repo), 'home')): string[] {
  return fs
    .readFileSync(path.join(FIXTURE, 'hook-payloads.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replaceAll('/home/dev/proj', repo).replaceAll('/home/dev/home', home));
}

/**
 * The recorded sprint replayed into `repo` through the hook, with its transcripts where its payloads
 * say they are (flushes read tokens and cost from them: 0.068763 USD), then flushed.
 */
export function recordSprint(repo: string): void {
  fs.cpSync(
    path.join(FIXTURE, 'transcripts', '-home-dev-proj'),
    path.join(path.dirname(repo), 'home', '.claude', 'projects', '-home-dev-proj'),
    { recursive: true },
  );
  for (const p of sprintPayloads(repo)) {
    const r = track(repo, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' });
    if (r.status !== 0) throw new Error(`hook failed: ${r.stderr}`);
  }
  const f = flushNow(repo);
  if (f.status !== 0) throw new Error(`flush failed: ${f.stderr}`);
}

/** Every event on the branch, read with the git CLI (independently of our reader). */
export function branchEvents(repo: string, ref = 'agent-tracking', opts: ExecFileSyncOptions = {}): any[] {
  const files = git(repo, ['ls-tree', '-r', '--name-only', ref], opts)
    .split('\n')
    .filter((f) => /\/events\/\d+\.jsonl$/.test(f))
    .sort();
  return files.flatMap((f) =>
    git(repo, ['show', `${ref}:${f}`], opts)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );
}

/** The content of every object in the repository's object store (loose and packed). */
export function allObjectContents(repo: string): string {
  const list = git(repo, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)'])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));
  const input = list.map(([oid]) => oid).join('\n');
  return execFileSync('git', ['cat-file', '--batch'], {
    cwd: repo,
    input,
    maxBuffer: 512 * 1024 * 1024,
  }).toString('latin1');
}

/** Waits until no flush of the repository is running, then runs one in the foreground. */
export function flushNow(repo: string): Run {
  return track(repo, ['flush', '--json']);
}

/** Waits until no background flush of the repository has run for `quietMs` (they are detached). */
export async function backgroundFlushesDone(repo: string, quietMs = 1500, maxMs = 30_000): Promise<void> {
  const lock = path.join(repo, '.git', 'agent-tracking', 'flush.lock');
  const started = Date.now();
  let quietSince = Date.now();
  while (Date.now() - started < maxMs) {
    if (fs.existsSync(lock)) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
