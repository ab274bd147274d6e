/**
 * The project's `.mcp.json`: registering our MCP server (`agent-track`) and taking exactly it out.
 * The file is edited as text (jsonc-parser's edits), so every other byte a user wrote — their own
 * servers, key order, indentation, comments — stays as it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, modify, type ParseError, parse, printParseErrorCode } from 'jsonc-parser';

/** The server's name: Claude Code calls its tools `mcp__agent-track__<tool>`. */
export const MCP_SERVER_NAME = 'agent-track';
export const MCP_FILE = '.mcp.json';

export interface McpServerEntry {
  type: 'stdio';
  command: string;
  args: string[];
}

/**
 * How Claude Code starts the server: node on the installed binary with `mcp`. Inside the project's
 * node_modules the path is relative to the project (`${CLAUDE_PROJECT_DIR:-.}`, which Claude Code
 * expands in `.mcp.json`), so the shared file works on every clone; elsewhere it is absolute.
 * The plugin's manifest (`mcpServers`) takes the same entry.
 */
export function mcpServerEntry(binPath: string, workTree: string): McpServerEntry {
  const local = path.join(workTree, 'node_modules') + path.sep;
  const target = binPath.startsWith(local)
    ? `\${CLAUDE_PROJECT_DIR:-.}/${path.relative(workTree, binPath).split(path.sep).join('/')}`
    : binPath;
  return { type: 'stdio', command: 'node', args: [target, 'mcp'] };
}

/** An entry an agent-track init wrote (this install or another: its binary's path names the package). */
export function isOurEntry(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  const e = v as { command?: unknown; args?: unknown };
  if (e.command !== 'node' || !Array.isArray(e.args) || e.args.length !== 2 || e.args[1] !== 'mcp')
    return false;
  return typeof e.args[0] === 'string' && /(agent-track|subagent-tracking|bin\.cjs$)/.test(e.args[0]);
}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

function parseFile(file: string, text: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const v = parse(text, errors, { allowTrailingComma: true });
  if (errors.length || (text.trim() && (!v || typeof v !== 'object' || Array.isArray(v))))
    throw new Error(
      `${file} is not a JSON object (${errors.length ? printParseErrorCode(errors[0].error) : 'not an object'}); fix or remove it, then run init again`,
    );
  return (v ?? {}) as Record<string, unknown>;
}

export interface McpRegistration {
  file: string;
  /** written: added or updated; unchanged: ours already there; kept: a server of that name is the user's own. */
  outcome: 'written' | 'unchanged' | 'kept';
}

/** Adds (or updates) our server in `<workTree>/.mcp.json`, creating the file when there is none. */
export function registerMcpServer(workTree: string, entry: McpServerEntry): McpRegistration {
  const file = path.join(workTree, MCP_FILE);
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    text = '';
  }
  const json = parseFile(file, text);
  const servers = json.mcpServers as Record<string, unknown> | undefined;
  const existing = servers && typeof servers === 'object' ? servers[MCP_SERVER_NAME] : undefined;
  if (existing !== undefined && !isOurEntry(existing)) return { file, outcome: 'kept' };
  if (existing !== undefined && JSON.stringify(existing) === JSON.stringify(entry))
    return { file, outcome: 'unchanged' };
  const base = text.trim() ? text : '{}\n';
  const out = applyEdits(base, modify(base, ['mcpServers', MCP_SERVER_NAME], entry, FORMAT));
  write(file, out.endsWith('\n') ? out : `${out}\n`);
  return { file, outcome: 'written' };
}

/**
 * Removes our server from `.mcp.json` (only an entry of ours, by its command), and the file when
 * nothing else was ever in it (it then holds only an empty `mcpServers`).
 */
export function unregisterMcpServer(workTree: string): { file: string; removed: boolean } {
  const file = path.join(workTree, MCP_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { file, removed: false };
  }
  const json = parseFile(file, text);
  const servers = json.mcpServers as Record<string, unknown> | undefined;
  if (!servers || typeof servers !== 'object' || !isOurEntry(servers[MCP_SERVER_NAME]))
    return { file, removed: false };
  const out = applyEdits(text, modify(text, ['mcpServers', MCP_SERVER_NAME], undefined, FORMAT));
  const left = parse(out) as Record<string, unknown>;
  const onlyEmpty =
    Object.keys(left).length === 1 &&
    left.mcpServers &&
    typeof left.mcpServers === 'object' &&
    Object.keys(left.mcpServers).length === 0;
  if (onlyEmpty) fs.rmSync(file);
  else write(file, out);
  return { file, removed: true };
}

function write(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** What init prints for CLAUDE.md: when the agent should ask its history. */
export const MCP_CLAUDE_MD_SNIPPET = `## Agent history (agent-track MCP server)

This repository records every agent session on its \`agent-tracking\` branch. Ask it before you act:

- Before retrying a failing command, call \`similar_errors\` with the error message: it shows earlier
  errors of the same pattern, what was done next and whether it worked.
- Before a design decision, call \`search_history\` (what was tried, decided or rejected before) and
  \`why\` with the file (which sessions changed it, and the decision behind each change).
- When resuming work, call \`handoff\` (the previous session's state and next step); \`session_cost\`
  gives this session's tokens and cost so far.`;
