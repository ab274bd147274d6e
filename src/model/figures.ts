/**
 * Every figure, derived once. Pure functions over canonical events and session summaries; every
 * surface (stats, show, sessions, review, phase list, the branch README, the PR comment, the job
 * summary, the dashboard, the handoff) reads its numbers here and nowhere else.
 *
 * Tokens are kept per usage cell (model x agent type x UTC day x price tier), never as money: cost is
 * derived from the cells when read, with the current price table and the user's overrides. So a new
 * price (or a model priced after it was recorded) applies to every session already on the branch,
 * and money is summed in integer units (1e-10 USD), so totals never drift.
 */
import type { BaseEvent, Tokens } from './events.js';
import {
  longThreshold,
  type PriceTable,
  priceFor,
  type UsageTokens,
  unitsOf,
  unitsToUsd,
} from './pricing.js';

/** The tokens of one (model, agent type, day, tier) of a session, and how many responses. */
export interface UsageCell {
  model: string;
  agentType: string;
  day: string;
  /** Requests whose prompt (input + cache read + cache write) exceeded the model's tier threshold (pricing.ts longThreshold). */
  long: boolean;
  /** Fast mode (usage.speed = "fast"). */
  fast: boolean;
  requests: number;
  tokens: UsageTokens;
}
export type UsageCells = Record<string, UsageCell>;

const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/** A usage event's tokens (events of every release: the 5m/1h split may be missing). */
export function eventTokens(e: BaseEvent): UsageTokens {
  const t = (e.tokens ?? {}) as Partial<UsageTokens>;
  const cacheWrite = n(t.cacheWrite);
  const w1h = n(t.cacheWrite1h);
  const w5m = t.cacheWrite5m === undefined ? cacheWrite - w1h : n(t.cacheWrite5m);
  return {
    input: n(t.input),
    output: n(t.output),
    cacheRead: n(t.cacheRead),
    cacheWrite,
    cacheWrite5m: Math.max(0, w5m),
    cacheWrite1h: w1h,
  };
}

const addTokens = (a: UsageTokens, b: UsageTokens): UsageTokens => ({
  input: a.input + b.input,
  output: a.output + b.output,
  cacheRead: a.cacheRead + b.cacheRead,
  cacheWrite: a.cacheWrite + b.cacheWrite,
  cacheWrite5m: a.cacheWrite5m + b.cacheWrite5m,
  cacheWrite1h: a.cacheWrite1h + b.cacheWrite1h,
});

/** The agent type a usage event counts under: `main`, the subagent's type, or `unknown`. */
export function usageAgentType(e: BaseEvent, agentTypes: Record<string, string> = {}): string {
  if (e.agent === 'main') return 'main';
  return (typeof e.agentType === 'string' && e.agentType) || agentTypes[e.agent] || 'unknown';
}

/** Adds one usage event to cells (in place). */
export function addUsage(cells: UsageCells, e: BaseEvent, agentType: string): void {
  const tokens = eventTokens(e);
  const model = typeof e.model === 'string' && e.model ? e.model : 'unknown';
  const long = tokens.input + tokens.cacheRead + tokens.cacheWrite > longThreshold(model);
  const fast = e.speed === 'fast';
  const day = e.ts.slice(0, 10);
  const key = `${model}|${agentType}|${day}|${long ? 1 : 0}${fast ? '|fast' : ''}`;
  const cur = cells[key];
  if (cur) {
    cur.requests++;
    cur.tokens = addTokens(cur.tokens, tokens);
  } else cells[key] = { model, agentType, day, long, fast, requests: 1, tokens };
}

/** Money and tokens of a set of cells: priced units, and the tokens no price covers. */
export interface Spend {
  tokens: Tokens;
  /** Priced cost in units (1e-10 USD, see pricing.ts). */
  units: number;
  /** Tokens of models without a price: never counted as $0, shown as unpriced. */
  unpricedTokens: number;
  unpricedModels: string[];
  requests: number;
}

export const emptySpend = (): Spend => ({
  tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  units: 0,
  unpricedTokens: 0,
  unpricedModels: [],
  requests: 0,
});

const allTokens = (t: Tokens) => t.input + t.output + t.cacheRead + t.cacheWrite;

/** Adds a cell's tokens and cost to a spend (in place). */
function addCell(s: Spend, c: UsageCell, prices: PriceTable): void {
  s.tokens.input += c.tokens.input;
  s.tokens.output += c.tokens.output;
  s.tokens.cacheRead += c.tokens.cacheRead;
  s.tokens.cacheWrite += c.tokens.cacheWrite;
  s.requests += c.requests;
  const price = priceFor(prices, c.model, c.day);
  if (price) s.units += unitsOf(price, c.tokens, c.long, c.fast);
  else {
    s.unpricedTokens += allTokens(c.tokens);
    if (!s.unpricedModels.includes(c.model)) s.unpricedModels.push(c.model);
  }
}

/** The spend of cells, grouped by `key` (one group when `key` is omitted). */
export function spendBy(
  cells: Iterable<UsageCell>,
  prices: PriceTable,
  key: (c: UsageCell) => string = () => 'all',
): Map<string, Spend> {
  const out = new Map<string, Spend>();
  for (const c of cells) {
    const k = key(c);
    let s = out.get(k);
    if (!s) {
      s = emptySpend();
      out.set(k, s);
    }
    addCell(s, c, prices);
  }
  return out;
}

export const totalSpend = (cells: Iterable<UsageCell>, prices: PriceTable): Spend =>
  spendBy(cells, prices).get('all') ?? emptySpend();

/**
 * The cost of a spend in USD, or null when none of its tokens has a price (an unpriced model is
 * never $0). A spend that is partly unpriced has the cost of its priced part and says how many
 * tokens are left out (`unpricedTokens`).
 */
export function costUsd(s: Spend): number | null {
  if (s.unpricedTokens > 0 && s.units === 0) return null;
  return unitsToUsd(s.units);
}

/** UTC ISO week of a day (YYYY-MM-DD): the Monday it starts on, as ccusage's weekly report keys it. */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}
export const monthOf = (day: string): string => day.slice(0, 7);

// ---- figures over sessions: what every report prints -------------------------------------------

/** What the derivations need of a session summary (session.ts's SessionSummary). */
export interface SummaryLike {
  session: string;
  started: string | null;
  lastActivity: string | null;
  agents: number;
  toolCalls: number;
  toolFailures: number;
  toolRejected?: number;
  toolInterrupted?: number;
  toolDenied?: number;
  toolCascaded?: number;
  errors: number;
  fileChanges: number;
  firstPrompt?: string | null;
  author?: { name: string; email: string } | null;
  agentTool?: string;
  cells?: UsageCells;
}

/** The agent CLI of a session: Claude Code unless its session_start named another. */
export const agentToolOf = (s: { agentTool?: string | null }): string => s.agentTool || 'claude-code';

/** A date range of days (YYYY-MM-DD, inclusive): `--since` / `--until`. */
export interface DayRange {
  since?: string;
  until?: string;
}

const inRange = (day: string, r: DayRange) => (!r.since || day >= r.since) && (!r.until || day <= r.until);

/** The sessions with activity in the range. */
export function sessionsIn<T extends SummaryLike>(list: T[], r: DayRange = {}): T[] {
  if (!r.since && !r.until) return list;
  return list.filter(
    (s) =>
      (!r.since || (s.lastActivity ?? '').slice(0, 10) >= r.since) &&
      (!r.until || (s.started ?? '').slice(0, 10) <= r.until),
  );
}

/** A session's usage cells within the range. */
export const cellsOf = (s: SummaryLike, r: DayRange = {}): UsageCell[] =>
  Object.values(s.cells ?? {}).filter((c) => inRange(c.day, r));

/** Money figures as every surface shows them (`costUsd` null: no price covers any of the tokens). */
export interface Money {
  tokens: Tokens;
  costUsd: number | null;
  unpricedTokens: number;
  unpricedModels: string[];
}

export const money = (s: Spend): Money => ({
  tokens: { ...s.tokens },
  costUsd: costUsd(s),
  unpricedTokens: s.unpricedTokens,
  unpricedModels: [...s.unpricedModels].sort(),
});

export interface Totals extends Money {
  sessions: number;
  agents: number;
  toolCalls: number;
  toolFailures: number;
  toolRejected: number;
  toolInterrupted: number;
  toolDenied: number;
  toolCascaded: number;
  errors: number;
  fileChanges: number;
  byModel: Record<string, Money>;
}

/** Totals over sessions: counts, tokens, cost, by model. */
export function totals(list: SummaryLike[], prices: PriceTable, r: DayRange = {}): Totals {
  const sessions = sessionsIn(list, r);
  const cells = sessions.flatMap((s) => cellsOf(s, r));
  const sum = (f: (s: SummaryLike) => number | undefined) => sessions.reduce((a, s) => a + (f(s) ?? 0), 0);
  return {
    sessions: sessions.length,
    agents: sum((s) => s.agents),
    toolCalls: sum((s) => s.toolCalls),
    toolFailures: sum((s) => s.toolFailures),
    toolRejected: sum((s) => s.toolRejected),
    toolInterrupted: sum((s) => s.toolInterrupted),
    toolDenied: sum((s) => s.toolDenied),
    toolCascaded: sum((s) => s.toolCascaded),
    errors: sum((s) => s.errors),
    fileChanges: sum((s) => s.fileChanges),
    ...money(totalSpend(cells, prices)),
    byModel: Object.fromEntries(
      [...spendBy(cells, prices, (c) => c.model)]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, money(v)]),
    ),
  };
}

export type Breakdown = 'day' | 'week' | 'month' | 'session' | 'agent' | 'model' | 'author' | 'tool';
export const BREAKDOWNS: Breakdown[] = [
  'day',
  'week',
  'month',
  'session',
  'agent',
  'model',
  'author',
  'tool',
];

/** One row of a report, with ccusage's keys beside ours, so the two can be compared line by line. */
export interface BreakdownRow extends Money {
  key: string;
  sessions?: number;
  started?: string | null;
  lastActivity?: string | null;
  firstPrompt?: string | null;
  // ccusage's names for the same figures
  period: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number | null;
  modelsUsed: string[];
  modelBreakdowns: Array<{
    modelName: string;
    inputTokens: number;
    outputTokens: number;
    cacheCreationTokens: number;
    cacheReadTokens: number;
    cost: number | null;
  }>;
}

function row(key: string, cells: UsageCell[], prices: PriceTable): BreakdownRow {
  const m = money(totalSpend(cells, prices));
  const byModel = [...spendBy(cells, prices, (c) => c.model)].map(([model, s]) => ({ model, ...money(s) }));
  return {
    key,
    ...m,
    period: key,
    inputTokens: m.tokens.input,
    outputTokens: m.tokens.output,
    cacheCreationTokens: m.tokens.cacheWrite,
    cacheReadTokens: m.tokens.cacheRead,
    totalTokens: m.tokens.input + m.tokens.output + m.tokens.cacheRead + m.tokens.cacheWrite,
    totalCost: m.costUsd,
    modelsUsed: byModel.map((b) => b.model).sort(),
    modelBreakdowns: byModel
      .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0))
      .map((b) => ({
        modelName: b.model,
        inputTokens: b.tokens.input,
        outputTokens: b.tokens.output,
        cacheCreationTokens: b.tokens.cacheWrite,
        cacheReadTokens: b.tokens.cacheRead,
        cost: b.costUsd,
      })),
  };
}

/** Rows like ccusage's daily, weekly, monthly and session reports, sorted by key (sessions by start). */
export function breakdown(
  list: SummaryLike[],
  by: Breakdown,
  prices: PriceTable,
  r: DayRange = {},
): BreakdownRow[] {
  const sessions = sessionsIn(list, r);
  if (by === 'session') {
    return [...sessions]
      .sort((a, b) => (a.started ?? '').localeCompare(b.started ?? ''))
      .map((s) => ({
        ...row(s.session, cellsOf(s, r), prices),
        started: s.started,
        lastActivity: s.lastActivity,
        firstPrompt: s.firstPrompt ?? null,
      }));
  }
  const groups = new Map<string, { cells: UsageCell[]; sessions: Set<string> }>();
  const add = (key: string, s: SummaryLike, c: UsageCell[]) => {
    const g = groups.get(key) ?? { cells: [], sessions: new Set<string>() };
    g.cells.push(...c);
    g.sessions.add(s.session);
    groups.set(key, g);
  };
  for (const s of sessions) {
    if (by === 'author') {
      add(s.author ? `${s.author.name} <${s.author.email}>` : '(unknown)', s, cellsOf(s, r));
      continue;
    }
    if (by === 'tool') {
      add(agentToolOf(s), s, cellsOf(s, r));
      continue;
    }
    for (const c of cellsOf(s, r)) {
      const key =
        by === 'day'
          ? c.day
          : by === 'week'
            ? weekOf(c.day)
            : by === 'month'
              ? monthOf(c.day)
              : by === 'agent'
                ? c.agentType
                : c.model;
      add(key, s, [c]);
    }
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, g]) => ({ ...row(key, g.cells, prices), sessions: g.sessions.size }));
}

/** The spend of one agent's usage events (show's agent tree), priced like everything else. */
export function eventsSpend(
  events: BaseEvent[],
  prices: PriceTable,
  agentTypes: Record<string, string> = {},
): Money {
  const cells: UsageCells = {};
  for (const e of events) if (e.type === 'usage') addUsage(cells, e, usageAgentType(e, agentTypes));
  return money(totalSpend(Object.values(cells), prices));
}

/** A count and its noun: `1 subagent`, `3 subagents`. */
export const many = (n: number, word: string, plural = `${word}s`): string =>
  `${n} ${n === 1 ? word : plural}`;

/**
 * A cost as every surface prints it: `$0.068763`; `unpriced` where no price covers the tokens (never
 * $0); `$1.234567 + unpriced` where part of them has no price.
 */
export function usdText(costUsd: number | null, unpricedTokens = 0, digits = 6): string {
  if (costUsd === null) return 'unpriced';
  return `$${costUsd.toFixed(digits)}${unpricedTokens > 0 ? ' + unpriced' : ''}`;
}

/** The sentence every surface prints under its costs. */
export const COST_NOTE = 'Costs are list-price estimates (what Claude Code itself reports), not an invoice.';
