/** Claude Code's `.claude/settings.json`: merging our hook entries in, and taking exactly them out. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, CONFIG_TEMPLATE } from '../model/config.js';
import { loadConfig } from '../store/config.js';
import { ensureBranch } from '../store/init.js';
import { adoptOwnership, mkdirOwned, writeFileOwned } from '../store/owner.js';
import { assertWritableFormat, type RepoPaths, readRef, TRACKING_REF } from '../store/paths.js';
import { isRemoteName, pullBranch } from '../store/sync.js';
import {
  COMMAND_MARKER,
  COMMAND_NAMESPACE,
  COMMANDS,
  commandFile,
  HOOK_EVENTS,
  hookCommandFor,
  hookEntry,
  RAW_DIR,
} from './claude-files.js';
import { ensureRawDir } from './raw.js';
import { WORKFLOW_FILE, WORKFLOW_TEMPLATE, writeWorkflow } from './workflow.js';

export { HOOK_EVENTS } from './claude-files.js';

/** Marks our entries: every command we write runs our binary with this argument. */
export const HOOK_MARKER = ' hook';
/** Ours: the command init writes now, or one any release of the package wrote (it names the package). */
const isOurs = (command: unknown, current?: string | string[]): boolean =>
  typeof command === 'string' &&
  (command === current ||
    (Array.isArray(current) && current.includes(command)) ||
    (/(agent-track|subagent-tracking)/.test(command) &&
      (/(^| )hook( |$)/.test(command) || command.includes(`/${RAW_DIR}`))));

type Json = Record<string, any>;

/** JSON with object keys sorted, to compare settings regardless of key order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

/** Our status line: a statusLine command that runs agent-track's. */
const isOurStatusLine = (v: unknown): boolean =>
  !!v &&
  typeof v === 'object' &&
  typeof (v as Json).command === 'string' &&
  /statusline/.test((v as Json).command) &&
  /(agent-track|subagent-tracking|dist\/(bin|statusline)\.cjs)/.test((v as Json).command);

/**
 * Our hook entries merged in (any we wrote before replaced); with `statusLine`, our status line too,
 * unless the user has one of their own, which is never replaced.
 */
/** Seconds between the status line's redraws when nothing else redraws it. */
export const STATUSLINE_REFRESH_S = 5;

export function mergeHooks(
  settings: Json,
  command: string | ((event: string) => string),
  statusLine?: string,
): { settings: Json; changed: boolean; statusLineKept: boolean } {
  const before = canonical(settings);
  const commandOf = typeof command === 'string' ? () => command : command;
  const out = removeHooks(
    settings,
    typeof command === 'string' ? command : HOOK_EVENTS.map((e) => commandOf(e)),
  ).settings;
  const statusLineKept = out.statusLine !== undefined;
  // Claude Code redraws the line when the conversation changes, and the turn's last figures reach the
  // spool after that (the hooks run async): a redraw every few seconds (Claude Code 2.1.97 and later)
  // catches them up
  if (statusLine && !statusLineKept)
    out.statusLine = {
      type: 'command',
      command: statusLine,
      padding: 0,
      refreshInterval: STATUSLINE_REFRESH_S,
    };
  out.hooks = typeof out.hooks === 'object' && out.hooks && !Array.isArray(out.hooks) ? out.hooks : {};
  for (const event of HOOK_EVENTS) {
    const hook: Json = hookEntry(event, commandOf(event));
    const groups = Array.isArray(out.hooks[event]) ? out.hooks[event] : [];
    out.hooks[event] = [...groups, { hooks: [hook] }];
  }
  return {
    settings: out,
    changed: canonical(out) !== before,
    statusLineKept: !!statusLine && statusLineKept,
  };
}

/** Removes exactly the hook entries we wrote, and groups and events that held only them. */
export function removeHooks(
  settings: Json,
  current?: string | string[],
): { settings: Json; removed: number } {
  const out: Json = structuredClone(settings ?? {});
  let removed = 0;
  if (isOurStatusLine(out.statusLine)) {
    delete out.statusLine;
    removed++;
  }
  if (!out.hooks || typeof out.hooks !== 'object') return { settings: out, removed };
  for (const event of Object.keys(out.hooks)) {
    const groups = out.hooks[event];
    if (!Array.isArray(groups)) continue;
    const kept = [];
    for (const g of groups) {
      if (!g || !Array.isArray(g.hooks)) {
        kept.push(g);
        continue;
      }
      const hooks = g.hooks.filter((h: Json) => {
        const ours = isOurs(h?.command, current);
        if (ours) removed++;
        return !ours;
      });
      if (hooks.length) kept.push({ ...g, hooks });
    }
    if (kept.length) out.hooks[event] = kept;
    else delete out.hooks[event];
  }
  if (Object.keys(out.hooks).length === 0) delete out.hooks;
  return { settings: out, removed };
}

// ---- the files init writes -------------------------------------------------------------------
/** Where a project install keeps the binary, relative to the work tree. */
export const PKG_BIN = 'node_modules/subagent-tracking/dist/bin.cjs';

/**
 * How the binary was installed: in this project's node_modules, globally (it is `agent-track` on
 * PATH), or neither (a checkout, npx's cache): then only this machine can run it.
 */
export type InstallKind = 'local' | 'global' | 'other';

const real = (f: string): string | null => {
  try {
    return fs.realpathSync(f);
  } catch {
    return null;
  }
};

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const f = real(path.join(dir, name));
    if (f) return f;
  }
  return null;
}

export function installKind(binPath: string, workTree: string): InstallKind {
  const bin = real(binPath) ?? binPath;
  if (binPath.startsWith(path.join(workTree, 'node_modules') + path.sep)) return 'local';
  if (real(path.join(workTree, PKG_BIN)) === bin) return 'local';
  if (onPath('agent-track') === bin) return 'global';
  return 'other';
}

/**
 * The hook command for the shared, committed `.claude/settings.json`: the same for every clone and
 * every install, and it cannot fail. It runs the project's install; in a linked worktree (which has
 * no node_modules: `git worktree add`, `agent-track restore`) the main work tree's; else a global
 * `agent-track`; and when none is there (a teammate before `npm i`), nothing, with exit 0 and no
 * output, so Claude Code shows no hook error. `node` is started directly (never npx, whose start-up
 * alone costs more than our whole budget, and which would ask the registry for a package of that name).
 */
export const PORTABLE_HOOK = [
  `node "$CLAUDE_PROJECT_DIR/${PKG_BIN}" hook 2>/dev/null`,
  `node "$(git -C "$CLAUDE_PROJECT_DIR" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)/../${PKG_BIN}" hook 2>/dev/null`,
  'agent-track hook 2>/dev/null',
  'true',
].join(' || ');

/**
 * How the sh hook runs the Node one when it cannot save the payload itself (and the background
 * flush): the same alternatives as PORTABLE_HOOK, the main work tree's found from the git dir the
 * script already has (`$g`) instead of asking git.
 */
export const PORTABLE_CLI = [
  `node "$CLAUDE_PROJECT_DIR/${PKG_BIN}"`,
  `node "$g/../${PKG_BIN}"`,
  'agent-track',
];

/**
 * The command of each event init writes: the small sh hook for the high-volume events, the Node hook
 * for SessionStart and SessionEnd (claude-files.ts NODE_HOOK_EVENTS). On Windows (Claude Code runs
 * hooks through Git Bash or PowerShell there) the Node hook for all.
 */
export function hookCommands(
  binPath: string,
  workTree: string,
  platform: NodeJS.Platform = process.platform,
): (event: string) => string {
  const node = hookCommand(binPath, workTree);
  if (platform === 'win32') return () => node;
  const cli = installKind(binPath, workTree) === 'other' ? [`node ${JSON.stringify(binPath)}`] : PORTABLE_CLI;
  return (event) => hookCommandFor(event, node, cli);
}

/**
 * The status line command for the committed settings: the project's install (statusLine commands run
 * in the project; CLAUDE_PROJECT_DIR where Claude Code sets it), else a global `agent-track`, else
 * an empty line, never an error.
 */
export const PORTABLE_STATUSLINE = [
  // its own small bundle, started directly: the status line runs every few hundred milliseconds
  `node "\${CLAUDE_PROJECT_DIR:-$(git rev-parse --show-toplevel 2>/dev/null)}/${PKG_BIN.replace('bin.cjs', 'statusline.cjs')}" 2>/dev/null`,
  'agent-track statusline 2>/dev/null',
  'true',
].join(' || ');

export function statusLineCommand(binPath: string, workTree: string): string {
  return installKind(binPath, workTree) === 'other'
    ? `node ${JSON.stringify(path.join(path.dirname(binPath), 'statusline.cjs'))} 2>/dev/null || true`
    : PORTABLE_STATUSLINE;
}

/**
 * The hook command init writes. A binary that is neither the project's nor global can be reached
 * by its absolute path only, which would be wrong on every other machine: that one goes into the
 * personal `.claude/settings.local.json` (see settingsFileFor), never the committed file.
 */
export function hookCommand(binPath: string, workTree: string): string {
  return installKind(binPath, workTree) === 'other'
    ? `node ${JSON.stringify(binPath)} hook 2>/dev/null || true`
    : PORTABLE_HOOK;
}

export function settingsFileFor(binPath: string, workTree: string): string {
  return path.join(
    workTree,
    '.claude',
    installKind(binPath, workTree) === 'other' ? 'settings.local.json' : 'settings.json',
  );
}

/**
 * The CLI as a person or a slash command runs it: `agent-track` for a global install; for a project
 * install `node node_modules/subagent-tracking/dist/bin.cjs` (from the project folder, where slash
 * commands run; `npx agent-track` would ask the registry for someone else's `agent-track` wherever
 * the package is not installed); else the binary's absolute path. `anywhere`: for a line the person
 * runs from another folder (a restored worktree), absolute unless global.
 */
export function cliInvocation(
  binPath: string,
  workTree: string,
  where: 'project' | 'anywhere' = 'project',
): string {
  const kind = installKind(binPath, workTree);
  if (kind === 'global') return 'agent-track';
  if (kind === 'local' && where === 'project') return `node ${PKG_BIN}`;
  return `node ${JSON.stringify(binPath)}`;
}

/** What init writes, each said before it is written. */
export interface PlannedFile {
  file: string;
  what: string;
  action: 'create' | 'update' | 'unchanged' | 'kept';
}

export interface InitOptions {
  /** The plugin records and gives the commands: no hooks or commands in settings files. */
  plugin?: boolean;
}

export interface InitResult {
  branchCreated: boolean;
  tip: string;
  settingsFile: string;
  settingsChanged: boolean;
  configWritten: boolean;
  command: string;
  /** Slash commands written to .claude/commands/agent-track/ (a file of the same name that is not ours is kept). */
  commandsWritten: string[];
  commandsKept: string[];
  /** Command files an earlier release wrote outside the namespace (`/resume` shadowed Claude Code's): removed. */
  commandsMigrated: string[];
  /** The remote's branch was adopted (fetched and made ours) instead of starting a second root. */
  adoptedFrom: string | null;
  /** Why the remote could not be asked for its branch (offline, no access), when it could not. */
  remoteWarning: string | null;
  workflowWritten: boolean;
  plugin: boolean;
  /** Every file, as planned before writing (relative to the work tree). */
  files: PlannedFile[];
}

/** Command files of release 0.1, outside any namespace. */
const OLD_COMMANDS = ['checkpoint.md', 'resume.md', 'history.md', 'end-phase.md'];

const commandsDir = (workTree: string) => path.join(workTree, '.claude', 'commands', COMMAND_NAMESPACE);

/** The slash commands init writes, by file name, run with `cli`. */
export function slashCommands(cli: string): Record<string, string> {
  return Object.fromEntries(COMMANDS.map((c) => [`${c.name}.md`, commandFile(c, cli, COMMAND_MARKER)]));
}

const readText = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

function planCommands(workTree: string, cli: string): { write: string[]; kept: string[]; same: string[] } {
  const write: string[] = [];
  const kept: string[] = [];
  const same: string[] = [];
  for (const [name, content] of Object.entries(slashCommands(cli))) {
    const existing = readText(path.join(commandsDir(workTree), name));
    if (existing !== null && !existing.includes(COMMAND_MARKER)) kept.push(name);
    else if (existing === content) same.push(name);
    else write.push(name);
  }
  return { write, kept, same };
}

function oldCommands(workTree: string): string[] {
  return OLD_COMMANDS.filter((n) =>
    readText(path.join(workTree, '.claude', 'commands', n))?.includes(COMMAND_MARKER),
  );
}

function removeCommands(workTree: string): number {
  let removed = 0;
  for (const name of Object.keys(slashCommands(''))) {
    const file = path.join(commandsDir(workTree), name);
    if (readText(file)?.includes(COMMAND_MARKER)) {
      fs.rmSync(file);
      removed++;
    }
  }
  for (const name of oldCommands(workTree)) {
    fs.rmSync(path.join(workTree, '.claude', 'commands', name));
    removed++;
  }
  return removed;
}

function readJson(file: string): Json {
  const text = readText(file);
  if (text === null || !text.trim()) return {};
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    // fall through
  }
  throw new Error(`${file} is not a JSON object; fix or remove it, then run init again`);
}

/** The indentation a JSON file uses (a user's 4 spaces or tabs are kept), 2 spaces by default. */
function indentOf(text: string | null): string | number {
  const m = text ? /^[{[]\s*\n([ \t]+)\S/.exec(text) : null;
  return m ? m[1] : 2;
}

/** Replaces `file` through a renamed temporary file, keeping its mode and (as root) its owner's ownership. */
function writeJson(file: string, value: Json, like: string | null): void {
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  const eol = like === null || like.endsWith('\n') ? '\n' : '';
  writeFileOwned(tmp, `${JSON.stringify(value, null, indentOf(like))}${eol}`, mode);
  if (mode !== undefined) fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

// ---- what init found, so uninstall can put it back byte for byte -----------------------------------
interface InstallRecord {
  /** File (relative) -> its bytes before init first changed it (null: it did not exist). */
  before: Record<string, string | null>;
  /** Folders init created (relative), removed by uninstall when empty. */
  dirs: string[];
}

const recordFile = (paths: RepoPaths) => path.join(paths.trackingDir, 'install.json');

function readRecord(paths: RepoPaths): InstallRecord {
  try {
    const r = JSON.parse(fs.readFileSync(recordFile(paths), 'utf8'));
    return { before: r.before ?? {}, dirs: r.dirs ?? [] };
  } catch {
    return { before: {}, dirs: [] };
  }
}

function saveRecord(paths: RepoPaths, r: InstallRecord): void {
  writeFileOwned(recordFile(paths), JSON.stringify(r));
}

const rel = (paths: RepoPaths, f: string) => path.relative(paths.workTree, f).split(path.sep).join('/');

/** Folders from `dir` up to the work tree that do not exist yet (relative). */
function missingDirs(paths: RepoPaths, dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; d.startsWith(paths.workTree + path.sep) && !fs.existsSync(d); d = path.dirname(d))
    out.push(rel(paths, d));
  return out;
}

/** Says every file init would write, and how, before anything is written. */
export function planInit(paths: RepoPaths, binPath: string, opts: InitOptions = {}): PlannedFile[] {
  const files: PlannedFile[] = [];
  if (!opts.plugin) {
    const settingsFile = settingsFileFor(binPath, paths.workTree);
    const { changed, statusLineKept } = mergeHooks(
      readJson(settingsFile),
      hookCommands(binPath, paths.workTree),
      statusLineCommand(binPath, paths.workTree),
    );
    files.push({
      file: rel(paths, settingsFile),
      what: `hooks for ${HOOK_EVENTS.length} Claude Code events (${HOOK_EVENTS.join(', ')})${settingsFile.endsWith('local.json') ? '; personal: this binary is neither the project’s nor global' : ''}`,
      action: !changed ? 'unchanged' : fs.existsSync(settingsFile) ? 'update' : 'create',
    });
    files.push({
      file: rel(paths, settingsFile),
      what: statusLineKept
        ? 'statusLine: yours is kept (`agent-track statusline` shows cost, subagents, failures; see README)'
        : "statusLine: agent-track's (this session's cost, tokens, subagents, failed calls, budget warnings)",
      action: statusLineKept
        ? 'kept'
        : !changed
          ? 'unchanged'
          : fs.existsSync(settingsFile)
            ? 'update'
            : 'create',
    });
    const cmds = planCommands(paths.workTree, cliInvocation(binPath, paths.workTree));
    const dir = rel(paths, commandsDir(paths.workTree));
    for (const n of [...cmds.write, ...cmds.same])
      files.push({
        file: `${dir}/${n}`,
        what: `slash command /${COMMAND_NAMESPACE}:${n.slice(0, -3)}`,
        action: cmds.same.includes(n)
          ? 'unchanged'
          : fs.existsSync(path.join(commandsDir(paths.workTree), n))
            ? 'update'
            : 'create',
      });
    for (const n of cmds.kept)
      files.push({
        file: `${dir}/${n}`,
        what: 'your own file of that name (ours is not installed)',
        action: 'kept',
      });
    for (const n of oldCommands(paths.workTree))
      files.push({
        file: `.claude/commands/${n}`,
        what: `an earlier release's /${n.slice(0, -3)}, removed (it shadowed Claude Code's commands)`,
        action: 'update',
      });
  }
  files.push({
    file: WORKFLOW_FILE,
    what: 'GitHub workflow: the Action daily (cron), when a push of the branch sends repository_dispatch, and on every pull request',
    action: fs.existsSync(path.join(paths.workTree, WORKFLOW_FILE)) ? 'kept' : 'create',
  });
  files.push({
    file: CONFIG_FILE,
    what: 'configuration (phase, budgets, redaction, sync)',
    action: fs.existsSync(path.join(paths.workTree, CONFIG_FILE)) ? 'kept' : 'create',
  });
  return files;
}

export async function initRepository(
  paths: RepoPaths,
  binPath: string,
  opts: InitOptions = {},
): Promise<InitResult> {
  // another user's repository: only where git allows it (safe.directory), and as root every file
  // init writes, in .git and in the work tree, is given to the repository's owner
  assertWritableFormat(paths.commonDir);
  adoptOwnership(paths.commonDir, paths.workTree);
  const files = planInit(paths, binPath, opts);
  const settingsFile = settingsFileFor(binPath, paths.workTree);
  const command = hookCommand(binPath, paths.workTree);
  const settingsText = readText(settingsFile);
  const { settings, changed } = opts.plugin
    ? { settings: {}, changed: false }
    : mergeHooks(
        readJson(settingsFile),
        hookCommands(binPath, paths.workTree),
        statusLineCommand(binPath, paths.workTree),
      );
  // a clone whose remote has the branch already joins it: one history per repository, not two roots
  let adoptedFrom: string | null = null;
  let remoteWarning: string | null = null;
  if (!readRef(paths.commonDir, TRACKING_REF)) {
    const { remote } = (await loadConfig(paths)).tracking;
    if (await remoteConfigured(paths, remote)) {
      try {
        if ((await pullBranch(paths, remote)).outcome === 'adopted') adoptedFrom = remote;
      } catch (e) {
        remoteWarning = (e as Error).message;
      }
    }
  }
  const { tip, created } = await ensureBranch(paths);
  const record = readRecord(paths);
  const remember = (file: string, text: string | null) => {
    const key = rel(paths, file);
    if (!(key in record.before)) record.before[key] = text;
  };
  const dirs = (d: string) => {
    for (const x of missingDirs(paths, d)) if (!record.dirs.includes(x)) record.dirs.push(x);
  };
  if (changed) {
    remember(settingsFile, settingsText);
    dirs(path.dirname(settingsFile));
    saveRecord(paths, record);
    writeJson(settingsFile, settings, settingsText);
  }
  const configFile = path.join(paths.workTree, CONFIG_FILE);
  const configWritten = !fs.existsSync(configFile);
  if (configWritten) writeFileOwned(configFile, CONFIG_TEMPLATE);
  mkdirOwned(paths.spoolDir);
  // where the sh hook saves payloads: it writes only into a folder that is there and this user's
  ensureRawDir(paths);
  let commandsWritten: string[] = [];
  let commandsKept: string[] = [];
  let commandsMigrated: string[] = [];
  if (!opts.plugin) {
    const cmds = planCommands(paths.workTree, cliInvocation(binPath, paths.workTree));
    if (cmds.write.length) {
      dirs(commandsDir(paths.workTree));
      saveRecord(paths, record);
    }
    const content = slashCommands(cliInvocation(binPath, paths.workTree));
    for (const n of cmds.write) {
      writeFileOwned(path.join(commandsDir(paths.workTree), n), content[n]);
    }
    commandsMigrated = oldCommands(paths.workTree);
    for (const n of commandsMigrated) fs.rmSync(path.join(paths.workTree, '.claude', 'commands', n));
    commandsWritten = cmds.write;
    commandsKept = cmds.kept;
  }
  const workflowDirs = missingDirs(paths, path.dirname(path.join(paths.workTree, WORKFLOW_FILE)));
  const workflowWritten = writeWorkflow(paths.workTree);
  if (workflowWritten) {
    for (const x of workflowDirs) if (!record.dirs.includes(x)) record.dirs.push(x);
    saveRecord(paths, record);
  }
  return {
    branchCreated: created,
    tip,
    settingsFile,
    settingsChanged: changed,
    configWritten,
    command,
    commandsWritten,
    commandsKept,
    commandsMigrated,
    adoptedFrom,
    remoteWarning,
    workflowWritten,
    plugin: !!opts.plugin,
    files,
  };
}

/** A remote name this clone has, or a URL / path (always worth asking). */
async function remoteConfigured(paths: RepoPaths, remote: string): Promise<boolean> {
  return (await isRemoteName(paths, remote)) || /[/:]/.test(remote);
}

export interface UninstallResult {
  settingsFile: string;
  removed: number;
  commandsRemoved: number;
  /** Files put back exactly as they were before init (or removed: they did not exist). */
  restored: string[];
  workflow: 'removed' | 'kept' | 'edited' | 'absent';
  config: 'removed' | 'kept' | 'edited' | 'absent';
}

/**
 * Takes out exactly what init added. A settings file whose remaining content is what it held before
 * init gets its very bytes back (or goes, if init created it); one edited since keeps its own
 * indentation. The workflow and .agent-tracking.yml go only when `removeShared` (the person said
 * so) and only if they are still exactly what init wrote. The branch stays: it is the history.
 */
export function uninstallHooks(
  paths: RepoPaths,
  binPath: string,
  opts: { removeShared?: boolean } = {},
): UninstallResult {
  adoptOwnership(paths.commonDir, paths.workTree);
  const record = readRecord(paths);
  const restored: string[] = [];
  let removed = 0;
  const targets = [
    ...new Set([
      settingsFileFor(binPath, paths.workTree),
      path.join(paths.workTree, '.claude', 'settings.json'),
      path.join(paths.workTree, '.claude', 'settings.local.json'),
    ]),
  ];
  for (const file of targets) {
    const text = readText(file);
    if (text === null) continue;
    const r = removeHooks(readJson(file), hookCommand(binPath, paths.workTree));
    if (!r.removed) continue;
    removed += r.removed;
    const key = rel(paths, file);
    const before = key in record.before ? record.before[key] : undefined;
    if (before === null && Object.keys(r.settings).length === 0) {
      fs.rmSync(file);
      restored.push(key);
    } else if (typeof before === 'string' && safeCanonical(before) === canonical(r.settings)) {
      writeFileOwned(file, before);
      restored.push(key);
    } else writeJson(file, r.settings, text);
  }
  const commandsRemoved = removeCommands(paths.workTree);
  const shared = (file: string, template: string): UninstallResult['workflow'] => {
    const text = readText(path.join(paths.workTree, file));
    if (text === null) return 'absent';
    if (text !== template) return 'edited';
    if (!opts.removeShared) return 'kept';
    fs.rmSync(path.join(paths.workTree, file));
    return 'removed';
  };
  const workflow = shared(WORKFLOW_FILE, WORKFLOW_TEMPLATE);
  const config = shared(CONFIG_FILE, CONFIG_TEMPLATE);
  // folders init created, deepest first, when nothing else is in them
  for (const d of [...record.dirs].sort((a, b) => b.length - a.length)) {
    try {
      fs.rmdirSync(path.join(paths.workTree, d));
    } catch {
      // not empty, or gone
    }
  }
  // what is still there (a workflow kept for now) may be removed by a later uninstall
  const left = record.dirs.filter((d) => fs.existsSync(path.join(paths.workTree, d)));
  if (left.length) saveRecord(paths, { before: {}, dirs: left });
  else fs.rmSync(recordFile(paths), { force: true });
  return {
    settingsFile: targets[0],
    removed,
    commandsRemoved,
    restored,
    workflow,
    config,
  };
}

function safeCanonical(text: string): string | null {
  try {
    return canonical(JSON.parse(text));
  } catch {
    return null;
  }
}
