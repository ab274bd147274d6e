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
  /** Tokens and cost (integer 1e-8 USD units) by model, by agent type ('main' for the main agent) and by day. */
  usage: { byModel: Record<string, Spend>; byAgent: Record<string, Spend>; byDay: Record<string, Spend> };
  /** Subagent id -> type, to attribute transcript usage to agent types. */
  agentTypes: Record<string, string>;
  /** Claude Code's process and host, from SessionStart: tells a crashed session from a running one. */
  pid?: number | null;
  host?: string | null;
  /** Rebuilt from transcripts by `import`: a past session, which has no SessionEnd to miss. */
  imported?: boolean;
  /** Compactions seen (PreCompact). */
  compacts?: number;
  snapshots?: number;
  /** The latest snapshot, with the counters it was taken at (for the automatic triggers). */
  lastSnapshot?: SnapshotMark | null;
}

export interface SnapshotMark {
  id: string;
  ts: string;
  agents: number;
  tokens: number;
  compacts: number;
  ended: boolean;
}

/** All tokens of a summary, the figure the `everyTokens` snapshot trigger counts. */
export const totalTokens = (s: SessionSummary): number =>
  s.tokens.input + s.tokens.output + s.tokens.cacheRead + s.tokens.cacheWrite;

export interface Spend {
  tokens: Tokens;
  units: number;
}

const addSpend = (into: Record<string, Spend>, key: string, t: Tokens, units: number) => {
  const cur = into[key] ?? { tokens: zeroTokens(), units: 0 };
  into[key] = {
    tokens: {
      input: cur.tokens.input + t.input,
      output: cur.tokens.output + t.output,
      cacheRead: cur.tokens.cacheRead + t.cacheRead,
      cacheWrite: cur.tokens.cacheWrite + t.cacheWrite,
    },
    units: cur.units + units,
  };
};

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
    usage: { byModel: {}, byAgent: {}, byDay: {} },
    agentTypes: {},
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
    usage: {
      byModel: { ...(prev.usage?.byModel ?? {}) },
      byAgent: { ...(prev.usage?.byAgent ?? {}) },
      byDay: { ...(prev.usage?.byDay ?? {}) },
    },
    agentTypes: { ...(prev.agentTypes ?? {}) },
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
        if (typeof e.pid === 'number') out.pid = e.pid;
        if (e.source === 'import') out.imported = true;
        if (s(e.host)) out.host = e.host as string;
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
        if (s(e.agentId) && s(e.agentType)) out.agentTypes[e.agentId as string] = e.agentType as string;
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
      case 'compact':
        if (e.stage !== 'post') out.compacts = (out.compacts ?? 0) + 1;
        break;
      case 'snapshot': {
        const at = (e.at ?? {}) as Partial<SnapshotMark>;
        out.snapshots = (out.snapshots ?? 0) + 1;
        out.lastSnapshot = {
          id: String(e.snapshot ?? e.id),
          ts: e.ts,
          agents: Number(at.agents ?? 0),
          tokens: Number(at.tokens ?? 0),
          compacts: Number(at.compacts ?? 0),
          ended: at.ended === true,
        };
        break;
      }
      case 'usage': {
        const t = (e.tokens ?? {}) as Partial<Tokens>;
        const tokens: Tokens = {
          input: Number(t.input ?? 0),
          output: Number(t.output ?? 0),
          cacheRead: Number(t.cacheRead ?? 0),
          cacheWrite: Number(t.cacheWrite ?? 0),
        };
        out.tokens.input += tokens.input;
        out.tokens.output += tokens.output;
        out.tokens.cacheRead += tokens.cacheRead;
        out.tokens.cacheWrite += tokens.cacheWrite;
        // money in integer 1e-8 USD units, so the sum does not drift
        const units = typeof e.costUsd === 'number' ? Math.round(e.costUsd * 1e8) : 0;
        out.costUsd = (Math.round(out.costUsd * 1e8) + units) / 1e8;
        const model = s(e.model) ?? 'unknown';
        if (!out.models.includes(model)) out.models.push(model);
        addSpend(out.usage.byModel, model, tokens, units);
        const agentType =
          e.agent === 'main' ? 'main' : (s(e.agentType) ?? out.agentTypes[e.agent] ?? 'unknown');
        addSpend(out.usage.byAgent, agentType, tokens, units);
        addSpend(out.usage.byDay, e.ts.slice(0, 10), tokens, units);
        break;
      }
    }
  }
  return out;
}

export type SessionStatus = 'ended' | 'open' | 'crashed';

/**
 * A session without SessionEnd is crashed when its Claude Code process is gone (checked when it ran on
 * this host) or, when that cannot be checked, after `crashedAfterMinutes` without activity.
 */
export function sessionStatus(
  s: {
    ended: string | null | boolean;
    lastActivity: string | null;
    pid?: number | null;
    host?: string | null;
    imported?: boolean;
  },
  ctx: { now: number; host: string; alive: (pid: number) => boolean; crashedAfterMinutes: number },
): SessionStatus {
  if (s.ended || (s.imported && !s.pid)) return 'ended';
  if (typeof s.pid === 'number' && s.pid > 0 && s.host === ctx.host)
    return ctx.alive(s.pid) ? 'open' : 'crashed';
  const last = s.lastActivity ? Date.parse(s.lastActivity) : Number.NaN;
  return Number.isFinite(last) && ctx.now - last > ctx.crashedAfterMinutes * 60_000 ? 'crashed' : 'open';
}

/** Whether a process exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
