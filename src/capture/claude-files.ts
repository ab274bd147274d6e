/**
 * What we give Claude Code, in one place: the hook events and how each runs, the slash commands, and
 * the plugin's files (manifest, hooks.json, commands). `agent-track init` writes the same hooks and
 * commands into settings files; the plugin carries them in its folder (`plugin/`, written by the
 * build from these definitions). Pure: no I/O, nothing imported.
 */

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
export const SYNC_EVENTS = new Set<string>(['SessionStart', 'Stop', 'SessionEnd']);

/**
 * Events that keep the Node hook: SessionStart prints the handoff (and records Claude Code's pid and
 * the git HEAD), SessionEnd starts the session's last flush (or push) detached. Both come once a
 * session. Every other event goes to the small POSIX sh hook (shHook), which only saves the payload.
 */
export const NODE_HOOK_EVENTS = new Set<string>(['SessionStart', 'SessionEnd']);

/** Events after which the sh hook starts a background flush (a turn's or a subagent's end, a compaction). */
export const SH_FLUSH_EVENTS = new Set<string>(['SubagentStop', 'Stop', 'PreCompact']);

/** The sh hook starts a flush once this many payloads wait in the raw spool (and no flush was asked for). */
export const RAW_FLUSH_AFTER = 50;

/** The raw spool's folder, relative to the git common dir: payloads as Claude Code gave them. */
export const RAW_DIR = 'agent-tracking/raw';

/**
 * The hook command for the high-volume events: a POSIX sh script (Claude Code runs a hook command
 * with `/bin/sh -c` on Linux and macOS) that saves its stdin, prefixed by the project folder, to a
 * new file `<git common dir>/agent-tracking/raw/<pid>-<n>.json` and exits 0, printing nothing. No
 * JSON is parsed here: the flush converts, redacts and commits (capture/raw.ts).
 *
 * - The git dir is found with builtins only: `$CLAUDE_PROJECT_DIR` (else the working folder) and
 *   upwards to a `.git`; a `.git` file (linked worktree, submodule) is followed, and `commondir`.
 * - Files are 0600 (umask 077) in a 0700 folder that init or the Node hook made. Only a folder this
 *   user owns is written (`-O`): as root in another user's repository, a read-only `.git`, a folder
 *   not made yet, the Node hook runs instead (`cli` alternatives), which knows ownership and the
 *   user's spool. Its stdin is untouched then: a failed redirection runs nothing.
 * - noclobber (`set -C`) makes the name unique (a pid is unique among live processes; a file left
 *   by an earlier process of that pid makes us take the next number). There is no rename: a
 *   payload is one JSON object, and a prefix of it is never valid JSON, so the flush takes a file
 *   only when it parses, and removes one that does not once its writer is gone.
 * - `flush`: a turn's end starts `flush --background` in the background (stdio closed: Claude Code
 *   does not wait for it); otherwise the RAW_FLUSH_AFTER-th waiting payload starts one, once
 *   (`flush.want`, created exclusively; the flush removes it).
 */
export function shHook(cli: string[], flush: boolean): string {
  const alternatives = (args: string) => cli.map((c) => `${c} ${args}`).join('||');
  // AGENT_TRACK_NO_FLUSH: as for the Node hook, no flush is started (tests, benchmarks)
  const startFlush = `{ [ -n "$AGENT_TRACK_NO_FLUSH" ]||{ export AGENT_TRACK_BACKGROUND=1;${alternatives('flush --background')};} </dev/null >/dev/null 2>&1 & }`;
  const after = flush
    ? startFlush
    : `set -- "$r"/*.json;if [ $# -ge ${RAW_FLUSH_AFTER} ]&&{ :;} 2>/dev/null 3>"$g/agent-tracking/flush.want";then ${startFlush};fi`;
  return [
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    'umask 077;set -C;d=${CLAUDE_PROJECT_DIR:-$PWD}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    'while [ ! -e "$d/.git" ];do case $d in */?*) d=${d%/*};;*) d=;break;;esac;done',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    'g=$d/.git;if [ -f "$g" ];then read -r g <"$g";g=${g#gitdir: };case $g in /*);;*) g=$d/$g;;esac',
    'if [ -f "$g/commondir" ];then read -r c <"$g/commondir";case $c in /*) g=$c;;*) g=$g/$c;;esac;fi;fi',
    `r=$g/${RAW_DIR};o=;i=0;if [ -n "$d" ]&&[ -O "$r" ];then while [ $i -lt 4 ];do { o=1;printf '%s\\n' "$d" >&3;cat >&3||o=2;} 2>/dev/null 3>"$r/$$-$i.json";[ -n "$o" ]&&break;i=$((i+1));done;fi`,
    `case $o in 1) ${after};;2) rm -f "$r/$$-$i.json";;*) { ${alternatives('hook')};} 2>/dev/null;;esac;:`,
  ].join(';');
}

/** The hook entry of one event, as settings.json and hooks.json both take it. */
export function hookEntry(event: string, command: string): Record<string, unknown> {
  const hook: Record<string, unknown> = { type: 'command', command };
  if (!SYNC_EVENTS.has(event)) hook.async = true;
  hook.timeout = 30;
  return hook;
}

/**
 * Our slash commands live in the `agent-track` namespace: `/agent-track:handoff`, never a bare
 * `/resume`, `/rewind`, `/export` or `/history` that would shadow Claude Code's own (a project command
 * named `resume.md` does take `/resume` from Claude Code). The plugin's commands get the namespace
 * from the plugin's name; init's from their folder, `.claude/commands/agent-track/` (Claude Code 2.1
 * names a command in a subfolder `<folder>:<name>`).
 */
export const COMMAND_NAMESPACE = 'agent-track';

export interface CommandSpec {
  name: string;
  description: string;
  hint: string | null;
  /** The CLI's arguments. `$ARGUMENTS` is replaced by Claude Code, as text, before the shell runs it. */
  run: string;
  /** What the model is asked to do with the output. */
  ask: string;
}

export const COMMANDS: CommandSpec[] = [
  {
    name: 'handoff',
    description: 'Hand over my previous session (agent-track): goal, state, errors, next step',
    hint: '[session id]',
    // a positional id: the CLI takes it as --session (and, inside a session, skips this very one)
    run: 'resume $ARGUMENTS',
    ask: 'Above is the handoff of a previous session. Read the files it names before changing them, then continue from its next step.',
  },
  {
    name: 'checkpoint',
    description: 'Checkpoint this session (agent-track): git state, changed files, todos',
    hint: '[note]',
    run: 'checkpoint --note "$ARGUMENTS"',
    ask: 'A snapshot of this session is now on the agent-tracking branch. Tell the user its id in one line and carry on.',
  },
  {
    name: 'sessions',
    description: 'List the recorded agent sessions of this repository (agent-track)',
    hint: null,
    run: 'sessions',
    ask: 'Summarise this session history for the user: how many sessions, which crashed, the latest ones.',
  },
  {
    name: 'end-phase',
    description: 'End the current phase and write its review (agent-track)',
    hint: '[next phase name]',
    run: 'phase end $ARGUMENTS',
    ask: 'The phase above is closed and its review written. Give the user the review in a few lines.',
  },
];

/** Marks the command files init writes, so uninstall removes ours only. */
export const COMMAND_MARKER = '<!-- written by agent-track init -->';

/** One command file; `cli` is how the CLI is run (`node ".../agent-track.cjs"`, `agent-track`, ...). */
export function commandFile(spec: CommandSpec, cli: string, marker: string | null): string {
  return [
    '---',
    `description: ${JSON.stringify(spec.description)}`,
    `allowed-tools: Bash(${cli}:*)`,
    ...(spec.hint ? [`argument-hint: ${JSON.stringify(spec.hint)}`] : []),
    '---',
    ...(marker ? [marker] : []),
    '',
    `!\`${cli} ${spec.run}\``,
    '',
    spec.ask,
    '',
  ].join('\n');
}

// ---- the plugin ---------------------------------------------------------------------------------

export const PLUGIN_NAME = 'agent-track';
/** The plugin's launcher: finds the project's (or the global) agent-track and runs it; see cli/plugin-launcher.ts. */
export const PLUGIN_CLI = 'node "${CLAUDE_PLUGIN_ROOT}/scripts/agent-track.cjs"';

export function pluginManifest(version: string): Record<string, unknown> {
  return {
    name: PLUGIN_NAME,
    version,
    description:
      'Git for AI agents: records every Claude Code session of a repository (subagents, tool calls, file changes, tokens, cost) onto its agent-tracking branch; handoffs after a crash',
    author: { name: 'subagent-tracking' },
    license: 'MIT',
    keywords: ['tracking', 'observability', 'handoff', 'git', 'subagents'],
    // the history the agent can ask (search_history, similar_errors, why, handoff, session_cost), through
    // the same launcher as the hooks (the project's install, else a global one)
    mcpServers: {
      'agent-track': {
        type: 'stdio',
        command: 'node',
        args: ['${CLAUDE_PLUGIN_ROOT}/scripts/agent-track.cjs', 'mcp'],
      },
    },
  };
}

/** The command of each event: the Node hook for NODE_HOOK_EVENTS, the sh hook for the others. */
export function hookCommandFor(event: string, node: string, cli: string[]): string {
  return NODE_HOOK_EVENTS.has(event) ? node : shHook(cli, SH_FLUSH_EVENTS.has(event));
}

export function pluginHooks(): Record<string, unknown> {
  const command = `${PLUGIN_CLI} hook`;
  return {
    description: 'agent-track: records each event of the session (always exits 0, prints only a handoff)',
    hooks: Object.fromEntries(
      HOOK_EVENTS.map((e) => [e, [{ hooks: [hookEntry(e, hookCommandFor(e, command, [PLUGIN_CLI]))] }]]),
    ),
  };
}

export function pluginCommands(): Record<string, string> {
  return Object.fromEntries(COMMANDS.map((c) => [`${c.name}.md`, commandFile(c, PLUGIN_CLI, null)]));
}

export function marketplace(version: string): Record<string, unknown> {
  return {
    name: 'subagent-tracking',
    owner: { name: 'subagent-tracking' },
    description: 'The agent-track plugin: every Claude Code session recorded on a git branch',
    plugins: [
      {
        name: PLUGIN_NAME,
        source: './plugin',
        description: String(pluginManifest(version).description),
        version,
      },
    ],
  };
}
