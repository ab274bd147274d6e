/**
 * The plugin's launcher (`plugin/scripts/agent-track.cjs`): Claude Code runs it for every hook and
 * slash command of the plugin. A plugin is copied into Claude Code's plugin cache without
 * node_modules, so it does not carry the CLI: it finds the one this project uses, in order
 *   1. the project's own install (`node_modules/subagent-tracking` in this work tree),
 *   2. the main work tree's install, from a linked worktree (`git worktree add`, `agent-track restore`),
 *   3. the package this plugin sits in (`--plugin-dir node_modules/subagent-tracking/plugin`),
 *   4. a global install (`agent-track` on PATH),
 * and runs it in this process. For `hook` it exits 0 silently whatever is missing, and records only
 * where the repository is tracked (its agent-tracking branch or .agent-tracking.yml exists) and the
 * project's settings do not already run our hook (init's way in: recording twice is not wanted).
 * Node builtins only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const PKG_BIN = path.join('node_modules', 'subagent-tracking', 'dist', 'bin.cjs');

/** The work tree holding `dir` and its git dirs (the common one is where refs live). */
function gitTop(dir: string): { top: string; commonDir: string } | null {
  let d = path.resolve(dir);
  for (;;) {
    const dotGit = path.join(d, '.git');
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(dotGit);
    } catch {
      st = null;
    }
    if (st?.isDirectory()) return { top: d, commonDir: dotGit };
    if (st?.isFile()) {
      try {
        const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'));
        if (!m) return null;
        const gitDir = path.resolve(d, m[1].trim());
        let commonDir = gitDir;
        try {
          commonDir = path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
        } catch {
          // not a linked worktree (a submodule, say): its git dir is its own
        }
        return { top: d, commonDir };
      } catch {
        return null;
      }
    }
    const up = path.dirname(d);
    if (up === d) return null;
    d = up;
  }
}

const isFile = (f: string): boolean => {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
};

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, name);
    if (!isFile(f)) continue;
    try {
      const real = fs.realpathSync(f);
      if (real.endsWith(path.join('dist', 'bin.cjs'))) return real;
    } catch {
      // a dangling link
    }
  }
  return null;
}

function findCli(project: string, here: string): string | null {
  const repo = gitTop(project);
  const candidates = [
    path.join(repo?.top ?? project, PKG_BIN),
    // a non-bare clone's common dir is <main work tree>/.git
    repo && path.basename(repo.commonDir) === '.git'
      ? path.join(path.dirname(repo.commonDir), PKG_BIN)
      : null,
    path.resolve(here, '..', '..', 'dist', 'bin.cjs'),
  ];
  for (const c of candidates) if (c && isFile(c)) return c;
  return onPath('agent-track');
}

function tracked(project: string): boolean {
  const repo = gitTop(project);
  if (!repo) return false;
  if (isFile(path.join(repo.commonDir, 'refs', 'heads', 'agent-tracking'))) return true;
  if (isFile(path.join(repo.top, '.agent-tracking.yml'))) return true;
  try {
    return /\srefs\/heads\/agent-tracking$/m.test(
      fs.readFileSync(path.join(repo.commonDir, 'packed-refs'), 'utf8'),
    );
  } catch {
    return false;
  }
}

/** The project's settings already run our hook (init wrote them): the plugin's would record twice. */
function settingsHook(project: string): boolean {
  const top = gitTop(project)?.top ?? project;
  for (const f of ['settings.json', 'settings.local.json']) {
    try {
      const text = fs.readFileSync(path.join(top, '.claude', f), 'utf8');
      // in the JSON text: `node \"…/dist/bin.cjs\" hook`, `node …/bin.cjs hook`, `agent-track hook`
      if (/(bin\.cjs(\\")?|agent-track) hook\b/.test(text)) return true;
    } catch {
      // none
    }
  }
  return false;
}

function main(): void {
  const args = process.argv.slice(2);
  const hook = args[0] === 'hook';
  const project = process.env.CLAUDE_PROJECT_DIR || process.cwd();
  let cli: string | null = null;
  try {
    if (hook && (!tracked(project) || settingsHook(project))) cli = null;
    else cli = findCli(project, __dirname);
  } catch {
    cli = null;
  }
  if (!cli) {
    if (hook) {
      // drain the payload and go: the session must not notice us
      process.stdin.on('data', () => {});
      process.stdin.on('error', () => {});
      process.exitCode = 0;
      return;
    }
    process.stderr.write(
      'agent-track: not installed for this project. Install it with `npm i -D subagent-tracking` (or `npm i -g subagent-tracking`), then run `node node_modules/subagent-tracking/dist/bin.cjs init --plugin` in the project.\n',
    );
    process.exitCode = 1;
    return;
  }
  process.argv[1] = cli;
  try {
    require(cli);
  } catch (e) {
    if (!hook) throw e;
    process.exitCode = 0;
  }
}

main();
