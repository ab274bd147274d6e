/**
 * session.json: a session's facts, folded from its canonical events. Pure. Money is not kept here:
 * usage is kept as token cells (figures.ts), and every cost is derived from them when read, so a
 * price added or corrected later applies to every session already recorded.
 */
import { canonicalEvent, toolOutcome } from './canonical.js';
import { type BaseEvent, type Tokens, zeroTokens } from './events.js';
import { addUsage, type Spend as CellSpend, spendBy, type UsageCells, usageAgentType } from './figures.js';
import { BUILTIN_PRICES, type PriceTable } from './pricing.js';

/** The fold's version: a summary of an older version (another release) is folded again from its events. */
export const SUMMARY_VERSION = 3;

export interface SessionSummary {
  v?: number;
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
  /** The agent CLI the session ran on: `claude-code` (also when unset: every earlier release), `codex`, `gemini`. */
  agentTool?: string;
  author: { name: string; email: string } | null;
  firstPrompt: string | null;
  events: number;
  prompts: number;
  agents: number;
  /** Tool calls, each once whichever paths saw it; by outcome: failed, rejected (by the person), interrupted. */
  toolCalls: number;
  toolFailures: number;
  toolRejected?: number;
  toolInterrupted?: number;
  /** Calls a permission rule or the sandbox refused without asking the person. */
  toolDenied?: number;
  /** Calls cancelled because a sibling call of the same response failed. */
  toolCascaded?: number;
  errors: number;
  fileChanges: number;
  /** tool_use ids of the errors counted, so one failure seen twice counts once. */
  errorToolUseIds: string[];
  /** tool_use ids of the calls that did not succeed, so one seen by the hook and the transcript counts once. */
  failedToolUseIds?: string[];
  /** Token totals (price-independent). */
  tokens: Tokens;
  /** Usage by model x agent type x day x tier: what every cost is derived from. */
  cells?: UsageCells;
  /** Derived when read (withFigures), at the reader's prices; in session.json at the built-in ones. Null: unpriced. */
  costUsd: number | null;
  unpricedTokens?: number;
  unpricedModels?: string[];
  /** Tokens and cost (integer 1e-10 USD units) by model, by agent type ('main' for the main agent) and by day: derived. */
  usage: { byModel: Record<string, Spend>; byAgent: Record<string, Spend>; byDay: Record<string, Spend> };
  /** Subagent id -> type, to attribute transcript usage to agent types. */
  agentTypes: Record<string, string>;
  /** Claude Code's process and host, from SessionStart: tells a crashed session from a running one. */
  pid?: number | null;
  host?: string | null;
  /** Rebuilt from transcripts by `import`: a past session, which has no SessionEnd to miss. */
  imported?: boolean;
  /** The last turn ended (a Stop after the last activity): the process may go without a SessionEnd. */
  lastTurnEnded?: boolean;
  /**
   * The latest turn end and the latest turn start seen (by timestamp): events may be folded out of
   * time order (a Codex rollout's prompts arrive at the flush after the hook's Stop), and the last
   * turn is over when its end is the later of the two.
   */
  lastTurnEndAt?: string | null;
  lastTurnOpenAt?: string | null;
  /** Compactions seen (PreCompact). */
  compacts?: number;
  snapshots?: number;
  /** The latest snapshot, with the counters it was taken at (for the automatic triggers). */
  lastSnapshot?: SnapshotMark | null;
  /**
   * How far each transcript is kept on the branch (`main`, `agent-<id>`): the byte offset in Claude
   * Code's file up to which its lines are stored under `transcripts/`. Written by the flush, not folded.
   */
  transcripts?: Record<string, number>;
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
  unpricedTokens?: number;
}

export function emptySummary(session: string, phase: string, dir: string): SessionSummary {
  return {
    v: SUMMARY_VERSION,
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
    toolRejected: 0,
    toolInterrupted: 0,
    toolDenied: 0,
    toolCascaded: 0,
    errors: 0,
    fileChanges: 0,
    errorToolUseIds: [],
    failedToolUseIds: [],
    tokens: zeroTokens(),
    cells: {},
    costUsd: 0,
    unpricedTokens: 0,
    unpricedModels: [],
    usage: { byModel: {}, byAgent: {}, byDay: {} },
    agentTypes: {},
  };
}

const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Whether a summary was folded by this release (else it is folded again from its events). */
export const isCurrentSummary = (x: SessionSummary): boolean => x.v === SUMMARY_VERSION && !!x.cells;

/**
 * Adds events to a summary (returns a new one). Events are expected in spool order. Events of earlier
 * releases are read the way this release writes them: a transcript-only `error` with no failed
 * `tool_call` is one failed call; a person's refusal is a refused call, not an error.
 */
export function foldSummary(prev: SessionSummary, events: BaseEvent[]): SessionSummary {
  const cells: UsageCells = {};
  for (const [k, c] of Object.entries(prev.cells ?? {})) cells[k] = { ...c, tokens: { ...c.tokens } };
  const out: SessionSummary = {
    ...prev,
    v: SUMMARY_VERSION,
    tokens: { ...prev.tokens },
    models: [...prev.models],
    errorToolUseIds: [...(prev.errorToolUseIds ?? [])],
    failedToolUseIds: [...(prev.failedToolUseIds ?? [])],
    toolRejected: prev.toolRejected ?? 0,
    toolInterrupted: prev.toolInterrupted ?? 0,
    toolDenied: prev.toolDenied ?? 0,
    toolCascaded: prev.toolCascaded ?? 0,
    cells,
    agentTypes: { ...(prev.agentTypes ?? {}) },
  };
  const failed = new Set(out.failedToolUseIds);
  const erred = new Set(out.errorToolUseIds);
  const seenCall = (id: string | null) => {
    if (!id) return false;
    if (failed.has(id)) return true;
    failed.add(id);
    out.failedToolUseIds!.push(id);
    return false;
  };
  for (const raw of events) {
    out.events++;
    // rebuilt by import (a session whose main transcript held no turn still has its subagents')
    if (raw.source === 'import') out.imported = true;
    if (!out.started || raw.ts < out.started) out.started = raw.ts;
    if (!out.lastActivity || raw.ts > out.lastActivity) out.lastActivity = raw.ts;
    if (raw.type === 'agent_start' && s(raw.agentId) && s(raw.agentType))
      out.agentTypes[raw.agentId as string] = raw.agentType as string;
    for (const e of canonicalEvent(raw, out.agentTypes)) foldOne(e);
  }
  return withFigures(out, BUILTIN_PRICES);

  function turnOpened(ts: string): void {
    if (!out.lastTurnOpenAt || ts > out.lastTurnOpenAt) out.lastTurnOpenAt = ts;
    if (!out.lastTurnEndAt || ts > out.lastTurnEndAt) out.lastTurnEnded = false;
  }

  function foldOne(e: BaseEvent): void {
    switch (e.type) {
      case 'session_start':
        out.cwd ??= s(e.cwd);
        out.branch ??= s(e.branch);
        out.head ??= s(e.head);
        if (s(e.agentTool)) out.agentTool ??= e.agentTool as string;
        if (typeof e.pid === 'number') out.pid = e.pid;
        if (e.source === 'import') out.imported = true;
        if (s(e.host)) out.host = e.host as string;
        if (s(e.model) && !out.models.includes(e.model as string)) out.models.push(e.model as string);
        // a resumed session starts again: it is no longer ended
        out.ended = null;
        out.endReason = null;
        turnOpened(e.ts);
        break;
      case 'prompt':
        out.prompts++;
        turnOpened(e.ts);
        if (out.firstPrompt === null && typeof e.text === 'string') out.firstPrompt = e.text.slice(0, 200);
        break;
      case 'agent_start':
        out.agents++;
        break;
      case 'tool_start':
        if (e.agent === 'main') turnOpened(e.ts);
        break;
      case 'tool_call': {
        const outcome = toolOutcome(e);
        // a call that did not succeed is reported by a hook and by the transcript: once per tool_use id
        if (outcome !== 'success' && seenCall(s(e.toolUseId))) break;
        out.toolCalls++;
        if (outcome === 'failed') out.toolFailures++;
        else if (outcome === 'rejected') out.toolRejected!++;
        else if (outcome === 'interrupted') out.toolInterrupted!++;
        else if (outcome === 'denied') out.toolDenied!++;
        else if (outcome === 'cascaded') out.toolCascaded!++;
        if (typeof e.launchedAgent === 'string' && e.launchedAgent && e.agent !== e.launchedAgent) {
          const t = (e.input as { subagent_type?: unknown } | null)?.subagent_type;
          if (typeof t === 'string' && !out.agentTypes[e.launchedAgent]) out.agentTypes[e.launchedAgent] = t;
        }
        break;
      }
      case 'error': {
        // one error per failure, however many paths reported it
        const id = s(e.toolUseId);
        if (id && erred.has(id)) break;
        if (id) {
          erred.add(id);
          out.errorToolUseIds.push(id);
        }
        out.errors++;
        break;
      }
      case 'file_change':
        out.fileChanges++;
        break;
      case 'stop':
        if (e.agent === 'main') {
          if (!out.lastTurnEndAt || e.ts > out.lastTurnEndAt) out.lastTurnEndAt = e.ts;
          if (!out.lastTurnOpenAt || e.ts >= out.lastTurnOpenAt) out.lastTurnEnded = true;
        }
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
        const before = { ...out.tokens };
        addUsage(cells, e, usageAgentType(e, out.agentTypes));
        const t = (e.tokens ?? {}) as Partial<Tokens>;
        out.tokens = {
          input: before.input + Number(t.input ?? 0),
          output: before.output + Number(t.output ?? 0),
          cacheRead: before.cacheRead + Number(t.cacheRead ?? 0),
          cacheWrite: before.cacheWrite + Number(t.cacheWrite ?? 0),
        };
        const model = s(e.model) ?? 'unknown';
        if (!out.models.includes(model)) out.models.push(model);
        break;
      }
    }
  }
}

const spendRecord = (m: Map<string, CellSpend>): Record<string, Spend> =>
  Object.fromEntries(
    [...m].map(([k, v]) => [k, { tokens: v.tokens, units: v.units, unpricedTokens: v.unpricedTokens }]),
  );

/** A summary with its money figures derived from its cells at `prices` (the one place they are). */
export function withFigures(x: SessionSummary, prices: PriceTable): SessionSummary {
  const cells = Object.values(x.cells ?? {});
  const all = spendBy(cells, prices).get('all');
  const cost = all
    ? all.unpricedTokens > 0 && all.units === 0
      ? null
      : Math.round(all.units / 100) / 1e8
    : 0;
  return {
    ...x,
    costUsd: cost,
    unpricedTokens: all?.unpricedTokens ?? 0,
    unpricedModels: all?.unpricedModels ?? [],
    usage: {
      byModel: spendRecord(spendBy(cells, prices, (c) => c.model)),
      byAgent: spendRecord(spendBy(cells, prices, (c) => c.agentType)),
      byDay: spendRecord(spendBy(cells, prices, (c) => c.day)),
    },
  };
}

export { processAlive, type SessionStatus, sessionStatus } from './status.js';
