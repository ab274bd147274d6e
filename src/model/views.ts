/** What `show` and `stats` print, computed from events. Pure functions over typed records. */
import { type BaseEvent, type Tokens, zeroTokens } from './events.js';
import { emptySummary, foldSummary, type SessionSummary, type Spend } from './session.js';

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
    | { kind: 'decision'; ts: string; what: string; rationale: string | null; alternatives: string[] }
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
        call.error = String(e.message ?? 'failed');
      } else if (typeof e.toolUseId === 'string' && str(e.tool)) {
        // refused before any hook saw it (an Edit before a Read): the call exists only in the transcript
        const refused: ToolCallView = {
          ts: e.ts,
          toolUseId: e.toolUseId,
          tool: String(e.tool),
          summary: inputSummary(String(e.tool), e.input),
          success: false,
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

/** Totals over session summaries. `agents` counts subagents, not the main agent. */
export function statsFromSummaries(list: SessionSummary[]): Stats {
  const stats: Stats = {
    sessions: list.length,
    agents: 0,
    toolCalls: 0,
    errors: 0,
    tokens: zeroTokens(),
    costUsd: 0,
    byModel: {},
  };
  const byModel = mergeSpend(list.map((s) => s.usage?.byModel ?? {}));
  let units = 0;
  for (const s of list) {
    stats.agents += s.agents;
    stats.toolCalls += s.toolCalls;
    stats.errors += s.errors;
  }
  for (const [model, spend] of Object.entries(byModel)) {
    stats.byModel[model] = { tokens: spend.tokens, costUsd: spend.units / 1e8 };
    for (const k of ['input', 'output', 'cacheRead', 'cacheWrite'] as const)
      stats.tokens[k] += spend.tokens[k];
    units += spend.units;
  }
  stats.costUsd = units / 1e8;
  return stats;
}

/** Totals over sessions given as their events (folded the way the flush folds session.json). */
export function computeStats(sessions: BaseEvent[][]): Stats {
  return statsFromSummaries(
    sessions.map((events) => foldSummary(emptySummary(events[0]?.session ?? '', '', ''), events)),
  );
}

export function mergeSpend(maps: Record<string, Spend>[]): Record<string, Spend> {
  const out: Record<string, Spend> = {};
  for (const m of maps) {
    for (const [k, v] of Object.entries(m)) {
      const cur = out[k] ?? { tokens: zeroTokens(), units: 0 };
      out[k] = {
        tokens: {
          input: cur.tokens.input + v.tokens.input,
          output: cur.tokens.output + v.tokens.output,
          cacheRead: cur.tokens.cacheRead + v.tokens.cacheRead,
          cacheWrite: cur.tokens.cacheWrite + v.tokens.cacheWrite,
        },
        units: cur.units + v.units,
      };
    }
  }
  return out;
}

export type Breakdown = 'day' | 'session' | 'agent' | 'model' | 'author';
export const BREAKDOWNS: Breakdown[] = ['day', 'session', 'agent', 'model', 'author'];

export interface BreakdownRow {
  key: string;
  sessions?: number;
  tokens: Tokens;
  costUsd: number;
  started?: string | null;
  firstPrompt?: string | null;
}

/** Rows like ccusage's daily and session reports, sorted by key (sessions by start). */
export function breakdown(list: SessionSummary[], by: Breakdown): BreakdownRow[] {
  if (by === 'session') {
    return [...list]
      .sort((a, b) => (a.started ?? '').localeCompare(b.started ?? ''))
      .map((s) => ({
        key: s.session,
        tokens: s.tokens,
        costUsd: s.costUsd,
        started: s.started,
        firstPrompt: s.firstPrompt,
      }));
  }
  if (by === 'author') {
    // per developer: the git identity each session was recorded under (see `push`)
    const groups = new Map<string, SessionSummary[]>();
    for (const s of list) {
      const key = s.author ? `${s.author.name} <${s.author.email}>` : '(unknown)';
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    return [...groups]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, sessions]) => {
        const [spend] = Object.values(
          mergeSpend(
            sessions.map((s) => ({ all: { tokens: s.tokens, units: Math.round(s.costUsd * 1e8) } })),
          ),
        );
        return { key, sessions: sessions.length, tokens: spend.tokens, costUsd: spend.units / 1e8 };
      });
  }
  const field = by === 'day' ? 'byDay' : by === 'agent' ? 'byAgent' : 'byModel';
  const merged = mergeSpend(list.map((s) => s.usage?.[field] ?? {}));
  return Object.entries(merged)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, v]) => ({ key, tokens: v.tokens, costUsd: v.units / 1e8 }));
}
