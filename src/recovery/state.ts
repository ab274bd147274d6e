/**
 * What a session was doing, folded from its events: the facts a handoff and a snapshot carry.
 * Pure: no I/O. Works on live-captured and imported sessions alike (file changes also come from
 * Write/Edit calls, so an imported session, which has no file_change events, still names its files).
 */
import type { BaseEvent } from '../model/events.js';
import { type AgentNode, buildAgentTree, type ToolCallView } from '../model/views.js';

export interface Todo {
  id: string | null;
  content: string;
  status: string; // pending | in_progress | completed
}

export interface AgentOutcome {
  agent: string;
  type: string | null;
  task: string | null;
  status: 'done' | 'running';
  outcome: string | null;
}

export interface ErrorRecord {
  ts: string;
  agent: string;
  tool: string;
  target: string;
  message: string;
  /** What the same agent did next (the fix attempted). */
  tried: string | null;
  /** A later call of the same tool on the same target succeeded. */
  resolved: boolean;
}

export interface DecisionRecord {
  ts: string;
  what: string;
  why: string | null;
  alternatives: string[];
}

export interface RecoveryState {
  session: string;
  goal: string | null;
  /** Later prompts of the user, oldest first. */
  prompts: string[];
  todos: Todo[];
  /** Files the session wrote or edited (repository-relative where the event gave it so). */
  files: Array<{ path: string; operation: string; ts: string }>;
  agents: AgentOutcome[];
  errors: ErrorRecord[];
  decisions: DecisionRecord[];
  /** Rationales the agent wrote before its last tool calls, newest last. */
  rationales: Array<{ ts: string; tool: string; text: string }>;
  lastMessage: string | null;
  lastActivity: string | null;
  ended: boolean;
  toolCalls: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
const oneLine = (s: string, max: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
};

/** The todo list after a TodoWrite, TaskCreate or TaskUpdate call. */
function applyTodoCall(todos: Todo[], tool: string, input: any, output: any): Todo[] {
  if (tool === 'TodoWrite' && Array.isArray(input?.todos)) {
    return input.todos
      .filter((t: any) => t && typeof t.content === 'string')
      .map((t: any, i: number) => ({
        id: str(t.id) ?? String(i + 1),
        content: t.content,
        status: str(t.status) ?? 'pending',
      }));
  }
  if (tool === 'TaskCreate' && input && typeof input === 'object') {
    const content = str(input.subject) ?? str(input.content) ?? str(input.description);
    if (!content) return todos;
    const id = str(output?.task?.id) ?? str(output?.id) ?? str(output?.taskId) ?? String(todos.length + 1);
    return [...todos.filter((t) => t.id !== id), { id, content, status: 'pending' }];
  }
  if (tool === 'TaskUpdate' && input && typeof input === 'object') {
    const id = str(input.taskId) ?? str(input.id);
    return todos
      .map((t) =>
        t.id === id
          ? {
              ...t,
              status: str(input.status) ?? t.status,
              content: str(input.subject) ?? t.content,
            }
          : t,
      )
      .filter((t) => t.status !== 'deleted');
  }
  return todos;
}

function walk(node: AgentNode, visit: (n: AgentNode) => void): void {
  visit(node);
  for (const c of node.children) walk(c, visit);
}

const callTarget = (c: ToolCallView) => c.summary;

export function foldRecovery(session: string, events: BaseEvent[]): RecoveryState {
  const sorted = [...events].sort((a, b) => a.ts.localeCompare(b.ts));
  const state: RecoveryState = {
    session,
    goal: null,
    prompts: [],
    todos: [],
    files: [],
    agents: [],
    errors: [],
    decisions: [],
    rationales: [],
    lastMessage: null,
    lastActivity: sorted.at(-1)?.ts ?? null,
    ended: false,
    toolCalls: 0,
  };
  const files = new Map<string, { path: string; operation: string; ts: string }>();
  const noteFile = (p: string | null, operation: string, ts: string) => {
    if (p) files.set(p, { path: p, operation, ts });
  };
  for (const e of sorted) {
    switch (e.type) {
      case 'prompt': {
        const text = typeof e.text === 'string' ? e.text : null;
        if (!text) break;
        if (state.goal === null) state.goal = text;
        else state.prompts.push(text);
        break;
      }
      case 'tool_call': {
        const tool = String(e.tool ?? '');
        if (e.success !== false) {
          state.todos = applyTodoCall(state.todos, tool, e.input, e.output);
          if (FILE_TOOLS.has(tool)) {
            const input = (e.input ?? {}) as Record<string, unknown>;
            noteFile(str(input.file_path) ?? str(input.notebook_path), tool.toLowerCase(), e.ts);
          }
        }
        break;
      }
      case 'file_change':
        noteFile(str(e.path), String(e.operation ?? 'edit'), e.ts);
        break;
      case 'stop':
        if (typeof e.lastMessage === 'string' && e.agent === 'main') state.lastMessage = e.lastMessage;
        break;
      case 'session_end':
        state.ended = true;
        break;
      case 'session_start':
        state.ended = false;
        break;
    }
  }
  state.files = [...files.values()].sort((a, b) => a.path.localeCompare(b.path));

  const tree = buildAgentTree(sorted);
  walk(tree, (n) => {
    const calls = n.items.flatMap((i) => (i.kind === 'tool' ? [i.call] : []));
    state.toolCalls += calls.length;
    calls.forEach((c, i) => {
      if (c.rationale) state.rationales.push({ ts: c.ts, tool: c.tool, text: oneLine(c.rationale, 300) });
      if (c.success !== false) return;
      const later = calls.slice(i + 1);
      state.errors.push({
        ts: c.ts,
        agent: n.agent,
        tool: c.tool,
        target: callTarget(c),
        message: oneLine(c.error ?? 'failed', 400),
        tried: c.next ?? null,
        resolved: later.some(
          (l) => l.success === true && l.tool === c.tool && callTarget(l) === callTarget(c),
        ),
      });
    });
    for (const i of n.items)
      if (i.kind === 'decision')
        state.decisions.push({ ts: i.ts, what: i.what, why: i.rationale, alternatives: i.alternatives });
    if (n.agent !== 'main') {
      state.agents.push({
        agent: n.agent,
        type: n.agentType,
        task: n.description,
        status: n.ended ? 'done' : 'running',
        outcome: n.outcome ? oneLine(n.outcome, 400) : null,
      });
    }
  });
  state.errors.sort((a, b) => a.ts.localeCompare(b.ts));
  state.rationales.sort((a, b) => a.ts.localeCompare(b.ts));
  state.decisions.sort((a, b) => a.ts.localeCompare(b.ts));
  return state;
}
