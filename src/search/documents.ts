/**
 * What the search index holds of each canonical event (model/canonical.ts): one document of text per
 * event that says something a person or an agent would look for (a prompt, a decision, an error, a
 * tool call with its input and output, a file change with its diff, a subagent's task and outcome),
 * and, for errors, what was done next. Pure: the events come from the branch, which holds only
 * redacted text, and nothing here adds any other.
 */
import { canonicalEvent, type ToolOutcome, toolOutcome } from '../model/canonical.js';
import { errorPattern } from '../model/error-pattern.js';
import type { BaseEvent } from '../model/events.js';
import { callKind, observe, type Watch, watchOf } from '../model/retry.js';

export const HIT_TYPES = ['prompt', 'decision', 'error', 'tool', 'file', 'task', 'outcome'] as const;
export type HitType = (typeof HIT_TYPES)[number];

export interface SearchDoc {
  id: string;
  session: string;
  agent: string;
  agentType: string;
  type: HitType;
  ts: string;
  /** What is searched (clipped to INDEXED_CHARS). */
  text: string;
  /** What snippets are cut from (clipped to STORED_CHARS). */
  stored: string;
  /** A file change's path. */
  path?: string;
  /** The tool_use id of a file change or a decision (a decision names the call it preceded). */
  ref?: string;
}

/** The text indexed of one event, and the part of it kept for snippets. */
export const INDEXED_CHARS = 8000;
export const STORED_CHARS = 1200;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A tool's input as words: its string fields (command, file_path, pattern, description, prompt...). */
export function inputText(input: unknown, max = 2000): string {
  if (input === null || input === undefined) return '';
  if (typeof input === 'string') return input.slice(0, max);
  if (typeof input !== 'object') return String(input);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (typeof v === 'string') parts.push(k === 'command' || k === 'file_path' ? v : `${k}: ${v}`);
    else if (typeof v === 'number' || typeof v === 'boolean') parts.push(`${k}: ${v}`);
  }
  return parts.join('\n').slice(0, max);
}

/** A tool's output as text (strings as they are, objects' string leaves, bounded). */
export function outputText(output: unknown, max = 4000): string {
  if (output === null || output === undefined) return '';
  if (typeof output === 'string') return output.slice(0, max);
  const parts: string[] = [];
  let size = 0;
  const walk = (v: unknown, depth: number): void => {
    if (size >= max || depth > 4) return;
    if (typeof v === 'string') {
      parts.push(v);
      size += v.length;
    } else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(output, 0);
  return parts.join('\n').slice(0, max);
}

/** One line of what an agent did: `Bash: npm test` (the input's first line, clipped). */
export function actionLine(tool: string, input: unknown, max = 120): string {
  const o = input && typeof input === 'object' ? (input as Record<string, unknown>) : null;
  // what names the action: the command, the file, the pattern, the address; else the first field
  const key = o ? ACTION_KEYS.find((k) => typeof o[k] === 'string' && o[k]) : undefined;
  const first = key && o ? String(o[key]).split('\n')[0] : (inputText(input, 400).split('\n')[0] ?? '');
  const t = first.length > max ? `${first.slice(0, max - 3)}...` : first;
  return t ? `${tool}: ${t}` : tool;
}

const AGENT_TOOLS = new Set(['Agent', 'Task']);
const ACTION_KEYS = [
  'command',
  'file_path',
  'notebook_path',
  'path',
  'pattern',
  'url',
  'query',
  'description',
  'prompt',
];

/** The document of one canonical event, or null for events with nothing to search (usage, hooks). */
export function documentOf(e: BaseEvent): SearchDoc | null {
  let type: HitType;
  let text: string;
  switch (e.type) {
    case 'prompt':
      type = 'prompt';
      text = str(e.text);
      break;
    case 'decision': {
      type = 'decision';
      const alts = Array.isArray(e.alternatives) ? e.alternatives.map(str).filter(Boolean) : [];
      text = [
        str(e.what),
        str(e.rationale),
        str(e.why),
        alts.length ? `alternatives: ${alts.join('; ')}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      break;
    }
    case 'error':
      type = 'error';
      text = [str(e.tool), str(e.message) || str(e.error), inputText(e.input, 1000)]
        .filter(Boolean)
        .join('\n');
      break;
    case 'tool_call': {
      const tool = str(e.tool) || 'unknown';
      type = AGENT_TOOLS.has(tool) ? 'task' : 'tool';
      text = [
        tool,
        inputText(e.input),
        str(e.error),
        type === 'task' ? outputText(e.output, 2000) : outputText(e.output),
      ]
        .filter(Boolean)
        .join('\n');
      break;
    }
    case 'file_change':
      type = 'file';
      text = [str(e.path), str(e.operation), str(e.diff)].filter(Boolean).join('\n');
      break;
    case 'agent_end':
    case 'stop':
      type = 'outcome';
      text = str(e.lastMessage);
      break;
    default:
      return null;
  }
  if (!text.trim()) return null;
  const ref =
    (e.type === 'file_change' || e.type === 'decision') && typeof e.toolUseId === 'string'
      ? e.toolUseId
      : null;
  return {
    ...(e.type === 'file_change' && typeof e.path === 'string' ? { path: e.path } : {}),
    ...(ref ? { ref } : {}),
    id: e.id,
    session: e.session,
    agent: e.agent,
    agentType: e.agentType ?? (e.agent === 'main' ? 'main' : 'unknown'),
    type,
    ts: e.ts,
    text: text.slice(0, INDEXED_CHARS),
    stored: text.slice(0, STORED_CHARS),
  };
}

/** One step an agent took after an error. */
export interface NextStep {
  tool: string;
  action: string;
  outcome: ToolOutcome;
  ts: string;
  toolUseId: string | null;
}

/** An error as `similar_errors` answers it: its pattern, and what its agent did next. */
export interface ErrorRecord {
  id: string;
  session: string;
  agent: string;
  agentType: string;
  ts: string;
  toolUseId: string | null;
  tool: string | null;
  /** The action that failed (`Bash: npm test`), when the error names its input. */
  action: string | null;
  message: string;
  pattern: string;
  /** The agent's next tool calls (up to NEXT_STEPS). */
  next: NextStep[];
  /** What a retry of the failed call is (model/retry.ts callKind). */
  kind?: string;
  /**
   * Whether it worked, by the rule every surface reads (model/retry.ts): a later call of the same
   * kind by the same agent succeeded (true); the agent tried that kind again, without success so far
   * (false); it has not tried again (null).
   */
  resolved: boolean | null;
  /** When resolved: after how many of the agent's calls the same kind succeeded (1: the next call). */
  fixedAfter?: number;
  /** The calls counted so far (tool_use ids), while not resolved: a call seen twice counts once. */
  watched?: string[];
  /** No later call can change it: resolved, or followed over WATCH_CALLS calls. */
  done?: boolean;
}

export const NEXT_STEPS = 3;
/** An error is followed over at most this many of its agent's later calls (the index stays small). */
export const WATCH_CALLS = 500;
const MESSAGE_CHARS = 400;

/**
 * Folds a session's events, in recorded order and possibly over several calls (one per new segment),
 * into its documents and error records. State is plain data, so it is kept in the index between runs.
 */
export interface SessionFold {
  /** Whether a document or error of this id is in the index already (the same fact seen twice). */
  has(id: string): boolean;
  /** The session's error records so far (their follow-ups are completed by later events). */
  errors: ErrorRecord[];
}

export function foldEvents(
  fold: SessionFold,
  events: BaseEvent[],
  agentTypes: Record<string, string>,
  /** The session's working directory: action lines name files relative to it. */
  cwd: string | null = null,
): { docs: SearchDoc[]; errors: ErrorRecord[] } {
  const prefix = cwd ? `${cwd.replace(/\/+$/, '')}/` : null;
  const act = (tool: string, input: unknown) => {
    const line = actionLine(tool, input);
    return prefix ? line.replaceAll(prefix, '') : line;
  };
  const docs: SearchDoc[] = [];
  const added: ErrorRecord[] = [];
  const seen = new Set<string>();
  const inputs = new Map<string, { tool: string; input: unknown }>();
  // the order calls began in (their first event): under load the hooks' clocks can disagree by more
  // than the time between two calls, so "after the error" is judged by it where both are known
  const began = new Map<string, number>();
  events.forEach((raw, i) => {
    if ((raw.type === 'tool_start' || raw.type === 'tool_call') && typeof raw.toolUseId === 'string') {
      inputs.set(raw.toolUseId, { tool: str(raw.tool), input: raw.input });
      if (!began.has(raw.toolUseId)) began.set(raw.toolUseId, i);
    }
  });
  for (const raw of events) {
    for (const e of canonicalEvent(raw, agentTypes)) {
      if (seen.has(e.id) || fold.has(e.id) || fold.errors.some((r) => r.id === e.id)) continue;
      seen.add(e.id);
      if (e.type === 'tool_call') followUp(fold.errors, e, act, began);
      const doc = documentOf(e);
      if (doc) docs.push(doc);
      if (e.type === 'error') {
        const message = str(e.message) || str(e.error);
        const call = typeof e.toolUseId === 'string' ? inputs.get(e.toolUseId) : undefined;
        const tool = str(e.tool) || call?.tool || null;
        const input = e.input ?? call?.input;
        const rec: ErrorRecord = {
          id: e.id,
          session: e.session,
          agent: e.agent,
          agentType: e.agentType ?? (e.agent === 'main' ? 'main' : 'unknown'),
          ts: e.ts,
          toolUseId: typeof e.toolUseId === 'string' ? e.toolUseId : null,
          tool,
          action: tool && input !== undefined && input !== null ? act(tool, input) : null,
          message: message.slice(0, MESSAGE_CHARS),
          pattern: errorPattern(message),
          kind: tool ? callKind(tool, input) : undefined,
          next: [],
          resolved: null,
        };
        fold.errors.push(rec);
        added.push(rec);
      }
    }
  }
  return { docs, errors: added };
}

/** A tool call after an error of the same agent is a step taken next (the failed call itself is not). */
function followUp(
  errors: ErrorRecord[],
  call: BaseEvent,
  act: (tool: string, input: unknown) => string,
  began: Map<string, number> = new Map(),
): void {
  const outcome = toolOutcome(call);
  const callBegan = typeof call.toolUseId === 'string' ? began.get(call.toolUseId) : undefined;
  const tool = str(call.tool) || 'unknown';
  const kind = callKind(tool, call.input);
  for (const err of errors) {
    if (err.done || err.agent !== call.agent) continue;
    const errBegan = err.toolUseId ? began.get(err.toolUseId) : undefined;
    const before =
      callBegan !== undefined && errBegan !== undefined ? callBegan < errBegan : call.ts < err.ts;
    if (before) continue;
    const useId = typeof call.toolUseId === 'string' ? call.toolUseId : `${call.id}`;
    if (!err.watched) err.watched = [];
    const watched = err.watched;
    // the failed call itself, or a call already counted (seen by the hook and again in the transcript)
    if (useId === err.toolUseId || watched.includes(useId)) continue;
    if (err.next.length < NEXT_STEPS)
      err.next.push({ tool, action: act(tool, call.input), outcome, ts: call.ts, toolUseId: useId });
    const w: Watch = {
      ...watchOf(err.agent, err.kind ?? err.tool ?? 'unknown'),
      seen: watched.length,
      retried: err.resolved === false,
    };
    watched.push(useId);
    observe(w, { agent: call.agent, kind, outcome });
    if (w.fixedAfter !== null) {
      err.resolved = true;
      err.fixedAfter = w.fixedAfter;
    } else if (w.retried) err.resolved = false;
    // resolved, or followed far enough: what it says now stays
    if (err.resolved === true || watched.length >= WATCH_CALLS) {
      err.done = true;
      delete err.watched;
    }
  }
}
