/** session.json: a session's figures, folded from its events. Pure. */
import { type BaseEvent, type Tokens, zeroTokens } from './events.js';

export interface SessionSummary {
  session: string;
  phase: string;
  /** Folder of the session on the branch, e.g. phases/phase-1/sessions/2026-11-25-<id>. */
  dir: string;
  started: string | null;
  lastActivity: string | null;
  ended: string | null;
  endReason: string | null;
  cwd: string | null;
  branch: string | null;
  head: string | null;
  models: string[];
  author: { name: string; email: string } | null;
  firstPrompt: string | null;
  events: number;
  prompts: number;
  agents: number;
  toolCalls: number;
  toolFailures: number;
  errors: number;
  fileChanges: number;
  /** tool_use ids of the errors counted, so one failure seen twice counts once. */
  errorToolUseIds: string[];
  tokens: Tokens;
  costUsd: number;
}

export function emptySummary(session: string, phase: string, dir: string): SessionSummary {
  return {
    session,
    phase,
    dir,
    started: null,
    lastActivity: null,
    ended: null,
    endReason: null,
    cwd: null,
    branch: null,
    head: null,
    models: [],
    author: null,
    firstPrompt: null,
    events: 0,
    prompts: 0,
    agents: 0,
    toolCalls: 0,
    toolFailures: 0,
    errors: 0,
    fileChanges: 0,
    errorToolUseIds: [],
    tokens: zeroTokens(),
    costUsd: 0,
  };
}

const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Adds events to a summary (returns a new one). Events are expected in spool order. */
export function foldSummary(prev: SessionSummary, events: BaseEvent[]): SessionSummary {
  const out: SessionSummary = {
    ...prev,
    tokens: { ...prev.tokens },
    models: [...prev.models],
    errorToolUseIds: [...(prev.errorToolUseIds ?? [])],
  };
  for (const e of events) {
    out.events++;
    if (!out.started || e.ts < out.started) out.started = e.ts;
    if (!out.lastActivity || e.ts > out.lastActivity) out.lastActivity = e.ts;
    switch (e.type) {
      case 'session_start':
        out.cwd ??= s(e.cwd);
        out.branch ??= s(e.branch);
        out.head ??= s(e.head);
        if (s(e.model) && !out.models.includes(e.model as string)) out.models.push(e.model as string);
        // a resumed session starts again: it is no longer ended
        out.ended = null;
        out.endReason = null;
        break;
      case 'prompt':
        out.prompts++;
        if (out.firstPrompt === null && typeof e.text === 'string') out.firstPrompt = e.text.slice(0, 200);
        break;
      case 'agent_start':
        out.agents++;
        break;
      case 'tool_call':
        out.toolCalls++;
        if (e.success === false) out.toolFailures++;
        break;
      case 'error': {
        // a failure is seen by a hook and again in the transcript: count each tool_use once
        const id = s(e.toolUseId);
        if (id && out.errorToolUseIds.includes(id)) break;
        if (id) out.errorToolUseIds.push(id);
        out.errors++;
        break;
      }
      case 'file_change':
        out.fileChanges++;
        break;
      case 'session_end':
        out.ended = e.ts;
        out.endReason = s(e.reason);
        break;
      case 'usage': {
        const t = (e.tokens ?? {}) as Partial<Tokens>;
        out.tokens.input += Number(t.input ?? 0);
        out.tokens.output += Number(t.output ?? 0);
        out.tokens.cacheRead += Number(t.cacheRead ?? 0);
        out.tokens.cacheWrite += Number(t.cacheWrite ?? 0);
        // money in integer 1e-8 USD units, so the sum does not drift
        if (typeof e.costUsd === 'number')
          out.costUsd = (Math.round(out.costUsd * 1e8) + Math.round(e.costUsd * 1e8)) / 1e8;
        if (s(e.model) && !out.models.includes(e.model as string)) out.models.push(e.model as string);
        break;
      }
    }
  }
  return out;
}
