/** The event model: one JSON object per line in the spool and in the branch's segments. No I/O here. */

export const EVENT_TYPES = [
  'session_start',
  'session_end',
  'prompt',
  'agent_start',
  'agent_end',
  'tool_start',
  'tool_call',
  'file_change',
  'decision',
  'error',
  'usage',
  'compact',
  'notification',
  'stop',
  'hook',
  'snapshot',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Fields every event carries. `agent` is `main` or the subagent's id. */
export interface BaseEvent {
  id: string;
  ts: string;
  session: string;
  agent: string;
  agentType?: string;
  type: EventType;
  [key: string]: unknown;
}

export interface SessionStartEvent extends BaseEvent {
  type: 'session_start';
  source?: string;
  cwd?: string;
  branch?: string | null;
  head?: string | null;
  model?: string;
  transcriptPath?: string;
  author?: { name: string; email: string } | null;
}

export interface ToolCallEvent extends BaseEvent {
  type: 'tool_call';
  toolUseId: string;
  tool: string;
  input: unknown;
  output?: unknown;
  success: boolean;
  error?: string;
  durationMs?: number | null;
}

export interface FileChangeEvent extends BaseEvent {
  type: 'file_change';
  toolUseId: string;
  path: string;
  operation: 'create' | 'update' | 'edit' | 'notebook';
  diff: string;
  blobBefore: string | null;
  blobAfter: string | null;
}

export interface AgentStartEvent extends BaseEvent {
  type: 'agent_start';
  agentId: string;
}

export interface AgentEndEvent extends BaseEvent {
  type: 'agent_end';
  agentId: string;
  transcriptPath?: string;
  lastMessage?: string;
}

/** Per-session figures kept in session.json and in the flush cache. Tokens stay 0 until transcripts are read. */
export interface Tokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export const zeroTokens = (): Tokens => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
