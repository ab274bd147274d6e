/** What `show` and `stats` print, computed from events. Pure functions over typed records. */
import { type BaseEvent, type Tokens, zeroTokens } from './events.js';

export interface ToolCallView {
  ts: string;
  toolUseId: string | null;
  tool: string;
  summary: string;
  success: boolean | null; // null: started, never finished (a crash, or still running)
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
  costUsd: number;
  /** Tool calls, file changes and errors of this agent in time order. */
  items: Array<
    | { kind: 'tool'; call: ToolCallView }
    | { kind: 'file'; ts: string; path: string; operation: string; diff: string }
    | { kind: 'error'; ts: string; tool: string | null; message: string }
  >;
  children: AgentNode[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A one-line description of a tool input. */
export function inputSummary(tool: string, input: unknown): string {
  if (!input || typeof input !== 'object') return '';
  const i = input as Record<string, unknown>;
  const pick =
    str(i.command) ??
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
export function buildAgentTree(events: BaseEvent[]): AgentNode {
  const sorted = [...events].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
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
          success: null,
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
            success: null,
            durationMs: null,
          };
          if (id) calls.set(id, call);
          a.items.push({ kind: 'tool', call });
        }
        call.success = e.success !== false;
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
      case 'usage': {
        const t = (e.tokens ?? {}) as Partial<Tokens>;
        for (const k of ['input', 'output', 'cacheRead', 'cacheWrite'] as const)
          a.tokens[k] += Number(t[k] ?? 0);
        if (typeof e.costUsd === 'number')
          a.costUsd = (Math.round(a.costUsd * 1e8) + Math.round(e.costUsd * 1e8)) / 1e8;
        break;
      }
    }
  }
  // errors and decisions from the transcript attach to their tool call wherever the clocks put them
  for (const e of sorted) {
    const call = typeof e.toolUseId === 'string' ? calls.get(e.toolUseId) : undefined;
    if (e.type === 'decision') {
      if (call && typeof e.rationale === 'string') call.rationale = e.rationale;
    } else if (e.type === 'error' && e.source !== 'tool') {
      if (call && call.success === false) continue; // a hook saw it already
      if (call) {
        // refused before it ran (an Edit before a Read): only the transcript knows
        call.success = false;
        call.error = String(e.message ?? 'failed');
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
    const tools = n.items.flatMap((i) => (i.kind === 'tool' ? [i.call] : []));
    tools.forEach((c, i) => {
      if (c.success === false && tools[i + 1]) c.next = `${tools[i + 1].tool} ${tools[i + 1].summary}`.trim();
    });
  }
  for (const [id, n] of agents) {
    if (id === 'main') continue;
    (agents.get(n.parent ?? 'main') ?? main).children.push(n);
  }
  for (const n of agents.values())
    n.children.sort((x, y) => (x.started ?? '').localeCompare(y.started ?? ''));
  return main;
}

export interface ModelFigures {
  tokens: Tokens;
  costUsd: number;
}

export interface Stats {
  sessions: number;
  agents: number;
  toolCalls: number;
  errors: number;
  tokens: Tokens;
  costUsd: number;
  byModel: Record<string, ModelFigures>;
}

/** Errors worth counting: hook-reported ones, and transcript ones no hook reported (same tool_use_id). */
export function countedErrors(events: BaseEvent[]): BaseEvent[] {
  const seen = new Set(
    events
      .filter((e) => e.type === 'error' && e.source !== 'transcript')
      .map((e) => e.toolUseId)
      .filter(Boolean),
  );
  return events.filter((e) => e.type === 'error' && (e.source !== 'transcript' || !seen.has(e.toolUseId)));
}

/** Totals over sessions' events. `agents` counts subagents, not the main agent. */
export function computeStats(sessions: BaseEvent[][]): Stats {
  const stats: Stats = {
    sessions: sessions.length,
    agents: 0,
    toolCalls: 0,
    errors: 0,
    tokens: zeroTokens(),
    costUsd: 0,
    byModel: {},
  };
  // money is summed in integer units of 1e-8 USD so totals do not drift
  let units = 0;
  const modelUnits: Record<string, number> = {};
  for (const events of sessions) {
    const agents = new Set<string>();
    stats.errors += countedErrors(events).length;
    for (const e of events) {
      if (e.type === 'agent_start') agents.add(str(e.agentId) ?? e.agent);
      else if (e.type === 'tool_call') stats.toolCalls++;
      else if (e.type === 'usage') {
        const model = str(e.model) ?? 'unknown';
        stats.byModel[model] ??= { tokens: zeroTokens(), costUsd: 0 };
        const m = stats.byModel[model];
        const t = e.tokens as Partial<Tokens> | undefined;
        for (const k of ['input', 'output', 'cacheRead', 'cacheWrite'] as const) {
          const v = Number(t?.[k] ?? 0);
          m.tokens[k] += v;
          stats.tokens[k] += v;
        }
        const u = typeof e.costUsd === 'number' ? Math.round(e.costUsd * 1e8) : 0;
        modelUnits[model] = (modelUnits[model] ?? 0) + u;
        units += u;
      }
    }
    stats.agents += agents.size;
  }
  for (const [model, u] of Object.entries(modelUnits)) stats.byModel[model].costUsd = u / 1e8;
  stats.costUsd = units / 1e8;
  return stats;
}
