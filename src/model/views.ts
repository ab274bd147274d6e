/** What `show` prints: the agent tree of a session, from its events. Pure functions over typed records. */
import { canonicalEvent, errorOutcome, type ToolOutcome } from './canonical.js';
import { type BaseEvent, type Tokens, zeroTokens } from './events.js';
import { eventsSpend, type Totals, totals } from './figures.js';
import { BUILTIN_PRICES, type PriceTable } from './pricing.js';
import { callKind } from './retry.js';
import { emptySummary, foldSummary } from './session.js';

export interface ToolCallView {
  ts: string;
  toolUseId: string | null;
  tool: string;
  summary: string;
  /** What a retry of it is (model/retry.ts). */
  kind: string;
  success: boolean | null; // null: started, never finished (a crash, or still running)
  outcome: ToolOutcome | null;
  durationMs: number | null;
  error?: string;
  /** The assistant text that preceded the call (from the transcript). */
  rationale?: string;
  /** After a failure: what the same agent did next (the fix attempted). */
  next?: string;
}

export interface AgentNode {
  agent: string; // 'main' or the subagent id
  agentType: string | null;
  parent: string | null;
  description: string | null;
  prompt: string | null;
  started: string | null;
  ended: string | null;
  outcome: string | null;
  tokens: Tokens;
  /** Derived like every cost (figures.ts); null: none of the agent's models has a price. */
  costUsd: number | null;
  unpricedTokens: number;
  /** Tool calls, file changes and errors of this agent in time order. */
  items: Array<
    | { kind: 'tool'; call: ToolCallView }
    | { kind: 'file'; ts: string; path: string; operation: string; diff: string }
    | { kind: 'error'; ts: string; tool: string | null; message: string }
    | { kind: 'decision'; ts: string; what: string; rationale: string | null; alternatives: string[] }
  >;
  children: AgentNode[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A one-line description of a tool input. */
export function inputSummary(tool: string, input: unknown): string {
  // Codex's apply_patch takes the patch text: its first file line says what it does
  if (typeof input === 'string') {
    const line = input.split('\n').find((l) => /^\*\*\* (Add|Update|Delete) File: /.test(l)) ?? input;
    const t = line
      .replace(/^\*\*\* /, '')
      .replace(/\s+/g, ' ')
      .trim();
    return t.length > 100 ? `${t.slice(0, 97)}...` : t;
  }
  if (!input || typeof input !== 'object') return '';
  const i = input as Record<string, unknown>;
  const pick =
    str(i.command) ??
    str(i.cmd) ??
    str(i.file_path) ??
    str(i.notebook_path) ??
    str(i.pattern) ??
    str(i.url) ??
    str(i.description) ??
    str(i.query);
  const text = pick ?? JSON.stringify(input);
  const one = text.replace(/\s+/g, ' ').trim();
  return tool && one.length > 100 ? `${one.slice(0, 97)}...` : one;
}

/** Builds the agent tree of one session: main at the root, each subagent under the agent that launched it. */
export function buildAgentTree(events: BaseEvent[], prices: PriceTable = BUILTIN_PRICES): AgentNode {
  // the canonical events (canonical.ts), each id once
  const types: Record<string, string> = {};
  for (const e of events)
    if (e.type === 'agent_start' && typeof e.agentId === 'string' && typeof e.agentType === 'string')
      types[e.agentId] = e.agentType;
  const ids = new Set<string>();
  const canonical = events
    .flatMap((e) => canonicalEvent(e, types))
    .filter((e) => !ids.has(e.id) && Boolean(ids.add(e.id)));
  const sorted = [...canonical].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  const node = (agent: string): AgentNode => ({
    agent,
    agentType: null,
    parent: null,
    description: null,
    prompt: null,
    started: null,
    ended: null,
    outcome: null,
    tokens: zeroTokens(),
    costUsd: 0,
    unpricedTokens: 0,
    items: [],
    children: [],
  });
  const main = node('main');
  const agents = new Map<string, AgentNode>([['main', main]]);
  const get = (id: string) => {
    const n = agents.get(id) ?? node(id);
    agents.set(id, n);
    return n;
  };
  // Agent-tool launches: tool_use_id -> who launched and why; PostToolUse tells which agent it became
  const launches = new Map<
    string,
    { parent: string; description: string | null; prompt: string | null; type: string | null; ts: string }
  >();
  const launchedBy = new Map<string, string>(); // agent id -> tool_use_id
  const calls = new Map<string, ToolCallView>();
  for (const e of sorted) {
    if (e.type === 'tool_start' && e.launch && typeof e.toolUseId === 'string') {
      const l = e.launch as Record<string, unknown>;
      launches.set(e.toolUseId, {
        parent: e.agent,
        description: str(l.description),
        prompt: str(l.prompt),
        type: str(l.subagentType),
        ts: e.ts,
      });
    }
    if (e.type === 'tool_call' && typeof e.launchedAgent === 'string' && typeof e.toolUseId === 'string')
      launchedBy.set(e.launchedAgent, e.toolUseId);
  }
  const usageOf = new Map<string, BaseEvent[]>();
  const unmatched = [...launches.keys()].filter((k) => ![...launchedBy.values()].includes(k));
  for (const e of sorted) {
    const a = get(e.agent);
    if (e.agentType && !a.agentType) a.agentType = e.agentType;
    switch (e.type) {
      case 'agent_start': {
        const id = str(e.agentId) ?? e.agent;
        const n = get(id);
        n.started = e.ts;
        n.agentType ??= e.agentType ?? null;
        let useId = launchedBy.get(id);
        if (!useId) {
          // the launch never finished (crash): take the oldest open launch of the same type
          const i = unmatched.findIndex(
            (k) => launches.get(k)?.type === n.agentType || !launches.get(k)?.type,
          );
          if (i >= 0) useId = unmatched.splice(i, 1)[0];
        }
        const l = useId ? launches.get(useId) : undefined;
        n.parent = l?.parent ?? 'main';
        n.description = l?.description ?? null;
        n.prompt = l?.prompt ?? null;
        break;
      }
      case 'agent_end': {
        const n = get(str(e.agentId) ?? e.agent);
        n.ended = e.ts;
        n.outcome = str(e.lastMessage);
        break;
      }
      case 'tool_start': {
        if (typeof e.toolUseId !== 'string' || calls.has(e.toolUseId)) break;
        const call: ToolCallView = {
          ts: e.ts,
          toolUseId: e.toolUseId,
          tool: String(e.tool),
          summary: inputSummary(String(e.tool), e.input),
          kind: callKind(String(e.tool), e.input),
          success: null,
          outcome: null,
          durationMs: null,
        };
        calls.set(e.toolUseId, call);
        a.items.push({ kind: 'tool', call });
        break;
      }
      case 'tool_call': {
        const id = str(e.toolUseId);
        let call = id ? calls.get(id) : undefined;
        if (!call) {
          call = {
            ts: e.ts,
            toolUseId: id,
            tool: String(e.tool),
            summary: inputSummary(String(e.tool), e.input),
            kind: callKind(String(e.tool), e.input),
            success: null,
            outcome: null,
            durationMs: null,
          };
          if (id) calls.set(id, call);
          a.items.push({ kind: 'tool', call });
        }
        if (call.success === false && e.success !== false) break; // the failure stands
        call.success = e.success !== false;
        call.outcome =
          (typeof e.outcome === 'string' ? (e.outcome as ToolOutcome) : null) ??
          (e.success === false ? (e.interrupted ? 'interrupted' : 'failed') : 'success');
        const started = Date.parse(call.ts);
        call.durationMs =
          typeof e.durationMs === 'number'
            ? e.durationMs
            : Number.isFinite(started)
              ? Date.parse(e.ts) - started
              : null;
        if (e.success === false) call.error = str(e.error) ?? 'failed';
        break;
      }
      case 'file_change':
        a.items.push({
          kind: 'file',
          ts: e.ts,
          path: String(e.path),
          operation: String(e.operation),
          diff: typeof e.diff === 'string' ? e.diff : '',
        });
        break;
      case 'usage':
        usageOf.set(e.agent, [...(usageOf.get(e.agent) ?? []), e]);
        break;
    }
  }
  // errors and decisions from the transcript attach to their tool call wherever the clocks put them;
  // errors first, since an error may bring in a call no hook saw, which a decision then explains
  const late = sorted.filter((e) => e.type === 'error' || e.type === 'decision');
  late.sort((a, b) => (a.type === b.type ? 0 : a.type === 'error' ? -1 : 1));
  for (const e of late) {
    const call = typeof e.toolUseId === 'string' ? calls.get(e.toolUseId) : undefined;
    if (e.type === 'decision') {
      if (call && typeof e.rationale === 'string') call.rationale = e.rationale;
      else if (!call && typeof e.what === 'string') {
        const alternatives = Array.isArray(e.alternatives) ? e.alternatives.map(String) : [];
        get(e.agent).items.push({
          kind: 'decision',
          ts: e.ts,
          what: e.what,
          rationale: str(e.rationale),
          alternatives,
        });
      }
    } else if (e.type === 'error' && e.source !== 'tool') {
      if (call && call.success === false) continue; // a hook saw it already
      if (call) {
        // refused after its PreToolUse: only the transcript knows it failed
        call.success = false;
        call.outcome = errorOutcome(String(e.message ?? ''));
        call.error = String(e.message ?? 'failed');
      } else if (typeof e.toolUseId === 'string' && str(e.tool)) {
        // refused before any hook saw it (an Edit before a Read): the call exists only in the transcript
        const refused: ToolCallView = {
          ts: e.ts,
          toolUseId: e.toolUseId,
          tool: String(e.tool),
          summary: inputSummary(String(e.tool), e.input),
          kind: callKind(String(e.tool), e.input),
          success: false,
          outcome: errorOutcome(String(e.message ?? '')),
          durationMs: null,
          error: String(e.message ?? 'failed'),
        };
        calls.set(e.toolUseId, refused);
        get(e.agent).items.push({ kind: 'tool', call: refused });
      } else
        get(e.agent).items.push({
          kind: 'error',
          ts: e.ts,
          tool: str(e.tool),
          message: String(e.message ?? ''),
        });
    }
  }
  // after each failure, what the same agent did next (the fix attempted)
  for (const n of agents.values()) {
    n.items.sort((x, y) => ('call' in x ? x.call.ts : x.ts).localeCompare('call' in y ? y.call.ts : y.ts));
    const tools = n.items.flatMap((i) => (i.kind === 'tool' ? [i.call] : []));
    tools.forEach((c, i) => {
      if (c.success === false && tools[i + 1]) c.next = `${tools[i + 1].tool} ${tools[i + 1].summary}`.trim();
    });
  }
  // each agent's tokens and cost, derived like every other figure
  for (const [id, list] of usageOf) {
    const n = get(id);
    const m = eventsSpend(list, prices);
    n.tokens = m.tokens;
    n.costUsd = m.costUsd;
    n.unpricedTokens = m.unpricedTokens;
  }
  for (const [id, n] of agents) {
    if (id === 'main') continue;
    (agents.get(n.parent ?? 'main') ?? main).children.push(n);
  }
  for (const n of agents.values())
    n.children.sort((x, y) => (x.started ?? '').localeCompare(y.started ?? ''));
  return main;
}

export {
  BREAKDOWNS,
  type Breakdown,
  type BreakdownRow,
  breakdown,
  type Totals,
  totals,
} from './figures.js';

/** Totals of sessions given as their events, folded the way the flush folds session.json. */
export function computeStats(sessions: BaseEvent[][], prices: PriceTable = BUILTIN_PRICES): Totals {
  return totals(
    sessions.map((events) => foldSummary(emptySummary(events[0]?.session ?? '', '', ''), events)),
    prices,
  );
}
