/**
 * The project's `.mcp.json`: registering our MCP server (`agent-track`) and taking exactly it out.
 * The file is edited as text (jsonc-parser's edits), so every other byte a user wrote — their own
 * servers, key order, indentation, comments — stays as it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  findNodeAtLocation,
  type Node,
  type ParseError,
  parse,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { installKind, PKG_BIN } from '../capture/install.js';
import { writeFileOwned } from '../store/owner.js';

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
  // .mcp.json is committed: a project install by its relative path, a global one by its name
  const kind = installKind(binPath, workTree);
  if (kind === 'global') return { type: 'stdio', command: 'agent-track', args: ['mcp'] };
  const target = kind === 'local' ? `\${CLAUDE_PROJECT_DIR:-.}/${PKG_BIN}` : binPath;
  return { type: 'stdio', command: 'node', args: [target, 'mcp'] };
}

/**
 * The `mcpServers` of the Claude Code plugin's manifest (`.claude-plugin/plugin.json`): the same
 * server, its binary found through `${CLAUDE_PLUGIN_ROOT}` (the plugin's installed folder).
 */
export function pluginMcpServers(binInPlugin = 'dist/bin.cjs'): Record<string, McpServerEntry> {
  return {
    [MCP_SERVER_NAME]: {
      type: 'stdio',
      command: 'node',
      args: [`\${CLAUDE_PLUGIN_ROOT}/${binInPlugin}`, 'mcp'],
    },
  };
}

/** An entry an agent-track init wrote (this install or another: its binary's path names the package). */
export function isOurEntry(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  const e = v as { command?: unknown; args?: unknown };
  if (e.command !== 'node' || !Array.isArray(e.args) || e.args.length !== 2 || e.args[1] !== 'mcp')
    return false;
  return typeof e.args[0] === 'string' && /(agent-track|subagent-tracking|bin\.cjs$)/.test(e.args[0]);
}

/** The indentation of the line `offset` is on. */
const indentAt = (text: string, offset: number): string => {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
};

/**
 * `"key": value` added as the last property of the object `obj`, in the file's own indentation;
 * nothing else in the text moves (a formatter would reflow the user's entries).
 */
function appendProperty(text: string, obj: Node, key: string, value: unknown): string {
  const close = obj.offset + obj.length - 1; // the object's '}'
  const props = obj.children ?? [];
  const last = props.at(-1);
  const outer = indentAt(text, close);
  const inner = last ? indentAt(text, last.offset) : `${outer}  `;
  const unit = inner.length > outer.length ? inner.slice(outer.length) : '  ';
  const body = JSON.stringify(value, null, unit).replace(/\n/g, `\n${inner}`);
  const prop = `${JSON.stringify(key)}: ${body}`;
  if (last) {
    const end = last.offset + last.length;
    return `${text.slice(0, end)},\n${inner}${prop}${text.slice(end)}`;
  }
  const open = obj.offset + 1;
  return `${text.slice(0, open)}\n${inner}${prop}\n${outer}${text.slice(close)}`;
}

/** The text without the property `key` of `obj`: the exact inverse of appendProperty. */
function removeProperty(text: string, obj: Node, key: string): string {
  const props = obj.children ?? [];
  const i = props.findIndex((p) => p.children?.[0]?.value === key);
  if (i < 0) return text;
  const prop = props[i];
  if (props.length === 1) {
    const open = obj.offset + 1;
    const close = obj.offset + obj.length - 1;
    return `${text.slice(0, open)}${text.slice(close)}`;
  }
  if (i === props.length - 1) {
    const prevEnd = props[i - 1].offset + props[i - 1].length;
    return text.slice(0, prevEnd) + text.slice(prop.offset + prop.length);
  }
  return text.slice(0, prop.offset) + text.slice(props[i + 1].offset);
}

function parseFile(file: string, text: string): Record<string, unknown> {
  if (!text.trim()) return {};
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
  let out: string;
  if (!text.trim()) out = `${JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: entry } }, null, 2)}\n`;
  else {
    const root = parseTree(text, [], { allowTrailingComma: true }) as Node;
    let list = findNodeAtLocation(root, ['mcpServers']);
    if (list && list.type !== 'object')
      throw new Error(`${file}: "mcpServers" is not an object; fix it, then run init again`);
    if (existing !== undefined && list) {
      // an older entry of ours: replaced where it is last, so the rest stays as written
      text = removeProperty(text, list, MCP_SERVER_NAME);
      list = findNodeAtLocation(parseTree(text, [], { allowTrailingComma: true }) as Node, ['mcpServers']);
    }
    const top = parseTree(text, [], { allowTrailingComma: true }) as Node;
    out = list
      ? appendProperty(text, list, MCP_SERVER_NAME, entry)
      : appendProperty(text, top, 'mcpServers', { [MCP_SERVER_NAME]: entry });
  }
  write(file, out);
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
  const list = findNodeAtLocation(parseTree(text, [], { allowTrailingComma: true }) as Node, [
    'mcpServers',
  ]) as Node;
  const out = removeProperty(text, list, MCP_SERVER_NAME);
  const left = parse(out, [], { allowTrailingComma: true }) as Record<string, unknown>;
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
  // as root in another user's repository: the owner's file (store/owner.ts), like everything init writes
  writeFileOwned(tmp, text);
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
