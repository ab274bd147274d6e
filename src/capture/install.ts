/** Claude Code's `.claude/settings.json`: merging our hook entries in, and taking exactly them out. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, CONFIG_TEMPLATE } from '../model/config.js';
import { loadConfig } from '../store/config.js';
import { ensureBranch } from '../store/init.js';
import { adoptOwnership, mkdirOwned, writeFileOwned } from '../store/owner.js';
import { assertWritableFormat, type RepoPaths, readRef, TRACKING_REF } from '../store/paths.js';
import { isRemoteName, pullBranch } from '../store/sync.js';
import { writeWorkflow } from './workflow.js';

export const HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'SubagentStart',
  'SubagentStop',
  'PreCompact',
  'PostCompact',
  'Notification',
  'Stop',
  'SessionEnd',
] as const;

/**
 * Hooks that must run synchronously. With Claude Code 2.1.197 in `-p` mode an async SessionEnd hook
 * is dropped when the process exits; SessionStart's output (the resume handoff) must reach the model;
 * and while an async Stop hook is still running at exit, Claude Code skips the SessionEnd hooks
 * altogether (observed: with Stop async our SessionEnd never ran; with Stop sync it always did).
 */
const SYNC_EVENTS = new Set<string>(['SessionStart', 'Stop', 'SessionEnd']);

/** Marks our entries: every command we write ends with this argument. */
export const HOOK_MARKER = ' hook';
/** Ours: the command init writes now, or one an install of the package wrote (its path names the package). */
const isOurs = (command: unknown, current?: string): boolean =>
  typeof command === 'string' &&
  (command === current || (/(agent-track|subagent-tracking)/.test(command) && command.endsWith(HOOK_MARKER)));

type Json = Record<string, any>;

/** JSON with object keys sorted, to compare settings regardless of key order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

export function mergeHooks(settings: Json, command: string): { settings: Json; changed: boolean } {
  const before = canonical(settings);
  const out = removeHooks(settings, command).settings;
  out.hooks = typeof out.hooks === 'object' && out.hooks && !Array.isArray(out.hooks) ? out.hooks : {};
  for (const event of HOOK_EVENTS) {
    const hook: Json = { type: 'command', command };
    if (!SYNC_EVENTS.has(event)) hook.async = true;
    hook.timeout = 30;
    const groups = Array.isArray(out.hooks[event]) ? out.hooks[event] : [];
    out.hooks[event] = [...groups, { hooks: [hook] }];
  }
  return { settings: out, changed: canonical(out) !== before };
}

/** Removes exactly the hook entries we wrote, and groups and events that held only them. */
export function removeHooks(settings: Json, current?: string): { settings: Json; removed: number } {
  const out: Json = structuredClone(settings ?? {});
  let removed = 0;
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
export interface InitResult {
  branchCreated: boolean;
  tip: string;
  settingsFile: string;
  settingsChanged: boolean;
  configWritten: boolean;
  command: string;
  /** Slash commands written to .claude/commands/ (a file of the same name that is not ours is kept). */
  commandsWritten: string[];
  commandsKept: string[];
  /** The remote's branch was adopted (fetched and made ours) instead of starting a second root. */
  adoptedFrom: string | null;
  /** Why the remote could not be asked for its branch (offline, no access), when it could not. */
  remoteWarning: string | null;
  workflowWritten: boolean;
}

/** Marks the slash-command files init writes, so uninstall removes ours only. */
const COMMAND_MARKER = '<!-- written by agent-track init -->';

/**
 * Claude Code slash commands, each running the CLI through the command's bash execution (`!`), with
 * `allowed-tools` limited to that binary. `cli` is how the binary is run (the hook's command without
 * ` hook`); inside node_modules it is relative, as slash commands run in the project folder.
 */
export function slashCommands(cli: string): Record<string, string> {
  const tool = `Bash(${cli}:*)`;
  const file = (description: string, hint: string | null, run: string, then: string) =>
    [
      '---',
      `description: ${description}`,
      `allowed-tools: ${tool}`,
      ...(hint ? [`argument-hint: ${hint}`] : []),
      '---',
      COMMAND_MARKER,
      '',
      `!\`${cli} ${run}\``,
      '',
      then,
      '',
    ].join('\n');
  return {
    'checkpoint.md': file(
      'Checkpoint progress',
      '[note]',
      'checkpoint --note "$ARGUMENTS"',
      'A snapshot of this session (git state, changed files, todos, agents, errors) is now on the agent-tracking branch. Tell the user its id in one line and carry on.',
    ),
    'resume.md': file(
      'Resume from last session',
      '[session id]',
      'resume $ARGUMENTS',
      'Above is the handoff of the previous session of this branch. Read the files it names before changing them, then continue from its next step.',
    ),
    'history.md': file(
      'Show session history',
      null,
      'sessions',
      'Summarise this session history for the user: how many sessions, which crashed, the latest ones.',
    ),
    'end-phase.md': file(
      'End Phase N',
      '[next phase name]',
      'phase end $ARGUMENTS',
      'The phase above is closed and its review written. Give the user the review in a few lines.',
    ),
  };
}

function installCommands(workTree: string, cli: string): { written: string[]; kept: string[] } {
  const dir = path.join(workTree, '.claude', 'commands');
  const written: string[] = [];
  const kept: string[] = [];
  for (const [name, content] of Object.entries(slashCommands(cli))) {
    const file = path.join(dir, name);
    let existing: string | null = null;
    try {
      existing = fs.readFileSync(file, 'utf8');
    } catch {
      existing = null;
    }
    if (existing !== null && !existing.includes(COMMAND_MARKER)) {
      kept.push(name);
      continue;
    }
    if (existing === content) continue;
    writeFileOwned(file, content);
    written.push(name);
  }
  return { written, kept };
}

function removeCommands(workTree: string): number {
  let removed = 0;
  for (const name of Object.keys(slashCommands(''))) {
    const file = path.join(workTree, '.claude', 'commands', name);
    try {
      if (fs.readFileSync(file, 'utf8').includes(COMMAND_MARKER)) {
        fs.rmSync(file);
        removed++;
      }
    } catch {
      // not there
    }
  }
  return removed;
}

/**
 * The hook command: the installed binary, run by node directly (never through npx, whose start-up
 * alone costs more than our whole budget). Inside the project's node_modules it is written relative
 * to $CLAUDE_PROJECT_DIR so the shared settings.json works on every clone.
 */
export function hookCommand(binPath: string, workTree: string): string {
  const local = path.join(workTree, 'node_modules') + path.sep;
  const target = binPath.startsWith(local)
    ? `"$CLAUDE_PROJECT_DIR"/${path.relative(workTree, binPath).split(path.sep).join('/')}`
    : JSON.stringify(binPath);
  return `node ${target}${HOOK_MARKER}`;
}

function readJson(file: string): Json {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    // fall through
  }
  throw new Error(`${file} is not a JSON object; fix or remove it, then run init again`);
}

/** Replaces `file` through a renamed temporary file, keeping its mode and (as root) its owner's ownership. */
function writeJson(file: string, value: Json): void {
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileOwned(tmp, `${JSON.stringify(value, null, 2)}\n`, mode);
  if (mode !== undefined) fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

export async function initRepository(paths: RepoPaths, binPath: string): Promise<InitResult> {
  // another user's repository: only where git allows it (safe.directory), and as root every file
  // init writes, in .git and in the work tree, is given to the repository's owner
  assertWritableFormat(paths.commonDir);
  adoptOwnership(paths.commonDir, paths.workTree);
  const settingsFile = path.join(paths.workTree, '.claude', 'settings.json');
  const command = hookCommand(binPath, paths.workTree);
  const { settings, changed } = mergeHooks(readJson(settingsFile), command);
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
  if (changed) writeJson(settingsFile, settings);
  const configFile = path.join(paths.workTree, CONFIG_FILE);
  const configWritten = !fs.existsSync(configFile);
  if (configWritten) writeFileOwned(configFile, CONFIG_TEMPLATE);
  mkdirOwned(paths.spoolDir);
  const commands = installCommands(paths.workTree, cliCommand(command));
  return {
    branchCreated: created,
    tip,
    settingsFile,
    settingsChanged: changed,
    configWritten,
    command,
    commandsWritten: commands.written,
    commandsKept: commands.kept,
    adoptedFrom,
    remoteWarning,
    workflowWritten: writeWorkflow(paths.workTree),
  };
}

/** A remote name this clone has, or a URL / path (always worth asking). */
async function remoteConfigured(paths: RepoPaths, remote: string): Promise<boolean> {
  return (await isRemoteName(paths, remote)) || /[/:]/.test(remote);
}

/** The CLI as slash commands run it: the hook's command without ` hook`, relative inside the project. */
export const cliCommand = (hook: string): string =>
  hook.slice(0, -HOOK_MARKER.length).replace('"$CLAUDE_PROJECT_DIR"/', '');

export function uninstallHooks(
  paths: RepoPaths,
  binPath: string,
): { settingsFile: string; removed: number; commandsRemoved: number } {
  const settingsFile = path.join(paths.workTree, '.claude', 'settings.json');
  adoptOwnership(paths.commonDir, paths.workTree);
  const commandsRemoved = removeCommands(paths.workTree);
  if (!fs.existsSync(settingsFile)) return { settingsFile, removed: 0, commandsRemoved };
  const { settings, removed } = removeHooks(readJson(settingsFile), hookCommand(binPath, paths.workTree));
  if (removed) writeJson(settingsFile, settings);
  return { settingsFile, removed, commandsRemoved };
}
