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

export function pluginHooks(): Record<string, unknown> {
  const command = `${PLUGIN_CLI} hook`;
  return {
    description: 'agent-track: records each event of the session (always exits 0, prints only a handoff)',
    hooks: Object.fromEntries(HOOK_EVENTS.map((e) => [e, [{ hooks: [hookEntry(e, command)] }]])),
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
