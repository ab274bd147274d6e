/**
 * The phase review: which agents, tools and habits cost time and money. Tokens, money and session
 * counts come from the one derivation (model/figures.ts) over the branch's read model, as `stats`
 * gets them, so both agree to the last digit; SQL over the views (duckdb.ts) gives what it does best:
 * durations and their quantiles, and error patterns.
 */
import * as os from 'node:os';
import type { ToolOutcome } from '../model/canonical.js';
import { breakdown, cellsOf, spendBy, totals } from '../model/figures.js';
import { normalizeModel, priceFor, priceOf, unitsOf, unitsToUsd } from '../model/pricing.js';
import { processAlive, type SessionSummary, sessionStatus } from '../model/session.js';
import type { TrackingBranch } from '../store/reader.js';
import { type Analytics, type Row, sqlNumber, sqlString } from './duckdb.js';
import {
  type CacheInsight,
  cacheByAgentType,
  failurePatterns,
  type OutcomeSpend,
  type Pattern,
  phaseCalls,
  spendByOutcome,
  whyCostly,
} from './insights.js';

export interface Review {
  phase: string;
  sessions: number;
  /** The list-price estimate; null when no price covers any token (see unpricedTokens). */
  costUsd: number | null;
  unpricedTokens: number;
  unpricedModels: string[];
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  agents: Array<{
    type: string;
    runs: number;
    failures: number;
    medianMs: number | null;
    tokens: number;
    costUsd: number | null;
  }>;
  tools: Array<{
    tool: string;
    calls: number;
    /** Only the tool's own failures: a person's refusal, a rule's denial, an interruption or a cascade is not one. */
    failures: number;
    failureRate: number;
    rejected: number;
    denied: number;
    interrupted: number;
    cascaded: number;
    p50Ms: number | null;
    p95Ms: number | null;
  }>;
  /** Tool calls by how they ended (canonical outcomes). */
  outcomes: {
    success: number;
    failed: number;
    rejected: number;
    denied: number;
    interrupted: number;
    cascaded: number;
  };
  /** Error patterns by cause (model/causes.ts), most costly first. */
  errors: Pattern[];
  /** Patterns of the previous phase that this phase no longer has (or has at most half as often). */
  worked: Array<{ pattern: string; tool: string; program: string | null; before: number; after: number }>;
  costs: {
    cacheHitRatio: number | null;
    byModel: Record<string, number | null>;
    /** What calls of each outcome cost: each call's share of the response that issued it. */
    byOutcome: Partial<Record<ToolOutcome, OutcomeSpend>>;
    cacheByAgentType: CacheInsight[];
    /** By agent CLI (claude-code, codex, gemini): sessions, tokens, cost (figures.ts `breakdown(.., 'tool')`). */
    byTool?: Array<{ tool: string; sessions: number; tokens: number; costUsd: number | null }>;
    topSessions: Array<{ session: string; costUsd: number | null; why: string[] }>;
    topAgents: Array<{ type: string; costUsd: number | null }>;
    /** What each agent type's tokens would have cost on a cheaper model. */
    cheaperModels: Array<{
      type: string;
      model: string;
      costUsd: number;
      cheaperModel: string;
      wouldCostUsd: number;
    }>;
  };
  recommendations: Recommendation[];
  /** Change against the previous phase, where there is one. */
  previous?: { phase: string; sessions: number; costUsd: number | null; toolFailureRate: number | null };
}

/** One thing to change: what, the numbers behind it, sessions to open, and what it would save. */
export interface Recommendation {
  text: string;
  evidence: string;
  /** Sessions that show it (ids). */
  sessions: string[];
  /** What the recommendation is about: ranking puts the costliest first. */
  savingsUsd: number | null;
}

const num = sqlNumber;
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const lit = sqlString;

async function rows(db: Analytics, sql: string): Promise<Row[]> {
  return (await db.query(sql)).rows;
}

/** The cheapest priced model of another family than `model`, if cheaper. */
function cheaper(model: string): string | null {
  const base = priceOf(model);
  if (!base) return null;
  const options = ['claude-haiku-4-5', 'claude-sonnet-4-6'].filter(
    (m) => (priceOf(m)?.output ?? Infinity) < base.output && !normalizeModel(model).startsWith(m),
  );
  return options.sort((a, b) => (priceOf(b)?.output ?? 0) - (priceOf(a)?.output ?? 0))[0] ?? null;
}

/** Crashed sessions of a list (the one status, model/session.ts). */
function crashed(list: SessionSummary[], crashedAfterMinutes: number): number {
  const ctx = { now: Date.now(), host: os.hostname(), alive: processAlive, crashedAfterMinutes };
  return list.filter((s) => sessionStatus(s, ctx) === 'crashed').length;
}

export async function buildReview(
  db: Analytics,
  phase: string,
  previousPhase: string | null,
  branch: TrackingBranch,
): Promise<Review> {
  const P = lit(phase);
  const prices = branch.prices;
  const all = await branch.sessions();
  const mine = all.filter((x) => x.phase === phase);
  const t = totals(mine, prices);
  const tokens = { ...t.tokens };

  // agents: the main agent (one run per session) and each subagent type; money by agent type
  const spend = new Map(
    breakdown(mine, 'agent', prices).map((r) => [r.key, { tokens: r.totalTokens, costUsd: r.costUsd }]),
  );
  const runRows = await rows(
    db,
    `SELECT coalesce(agent_type, 'unknown') AS type, count(*) AS runs, count(*) FILTER (WHERE ended IS NULL) AS failures,
            median(duration_ms) AS median_ms
     FROM agents WHERE phase = ${P} GROUP BY 1`,
  );
  const [mainRun] = await rows(
    db,
    `SELECT median(date_diff('millisecond', started, coalesce(ended, last_activity))) AS median_ms
     FROM sessions WHERE phase = ${P}`,
  );
  const runs = [
    // a main run fails when its session crashed
    {
      type: 'main',
      runs: mine.length,
      failures: crashed(mine, branch.config.recovery.crashedAfterMinutes),
      medianMs: numOrNull(mainRun?.median_ms),
    },
    ...runRows.map((r) => ({
      type: String(r.type),
      runs: num(r.runs),
      failures: num(r.failures),
      medianMs: numOrNull(r.median_ms),
    })),
  ].filter((r) => r.runs > 0);
  const agents = runs
    .map((r) => ({ ...r, tokens: spend.get(r.type)?.tokens ?? 0, costUsd: spend.get(r.type)?.costUsd ?? 0 }))
    .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || a.type.localeCompare(b.type));

  const tools = (
    await rows(
      db,
      `SELECT tool, count(*) AS calls, count(*) FILTER (WHERE outcome = 'failed') AS failures,
              count(*) FILTER (WHERE outcome = 'rejected') AS rejected, count(*) FILTER (WHERE outcome = 'denied') AS denied,
              count(*) FILTER (WHERE outcome = 'interrupted') AS interrupted,
              count(*) FILTER (WHERE outcome = 'cascaded') AS cascaded,
              quantile_cont(duration_ms, 0.5) AS p50, quantile_cont(duration_ms, 0.95) AS p95
       FROM tool_calls WHERE phase = ${P} GROUP BY tool ORDER BY calls DESC, tool`,
    )
  ).map((r) => ({
    tool: String(r.tool),
    calls: num(r.calls),
    failures: num(r.failures),
    failureRate: num(r.calls) ? Math.round((num(r.failures) / num(r.calls)) * 1e4) / 1e4 : 0,
    rejected: num(r.rejected),
    denied: num(r.denied),
    interrupted: num(r.interrupted),
    cascaded: num(r.cascaded),
    p50Ms: r.p50 === null ? null : Math.round(num(r.p50) * 100) / 100,
    p95Ms: r.p95 === null ? null : Math.round(num(r.p95) * 100) / 100,
  }));

  // errors: failed calls by cause, with what followed and what they cost (insights.ts)
  const calls = await phaseCalls(db, phase);
  const errors = failurePatterns(calls);
  const outcomes = { success: 0, failed: 0, rejected: 0, denied: 0, interrupted: 0, cascaded: 0 };
  for (const c of calls) if (c.outcome in outcomes) outcomes[c.outcome]++;
  const failureCost = new Map<string, number>();
  for (const c of calls)
    if (c.outcome === 'failed' && c.costUsd !== null)
      failureCost.set(c.session, (failureCost.get(c.session) ?? 0) + c.costUsd);

  const byModel = Object.fromEntries(
    Object.entries(t.byModel)
      .sort(([, a], [, b]) => (b.costUsd ?? 0) - (a.costUsd ?? 0))
      .map(([m, v]) => [m, v.costUsd]),
  );
  const topSessions = breakdown(mine, 'session', prices)
    .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || a.key.localeCompare(b.key))
    .slice(0, 5)
    .map((r) => {
      const one = mine.find((x) => x.session === r.key);
      return {
        session: r.key,
        costUsd: r.costUsd,
        why: one ? whyCostly(one, prices, failureCost.get(r.key) ?? 0) : [],
      };
    });
  const topAgents = agents
    .filter((a) => a.type !== 'main')
    .slice(0, 5)
    .map((a) => ({ type: a.type, costUsd: a.costUsd }));
  // what each agent type's tokens would have cost on a cheaper model, request tier by request tier
  const cells = mine.flatMap((x) => cellsOf(x));
  const cheaperModels: Review['costs']['cheaperModels'] = [];
  for (const [key, sp] of spendBy(cells, prices, (c) => `${c.agentType}\0${c.model}`)) {
    const [type, model] = key.split('\0');
    const target = cheaper(model);
    const price = target ? priceFor(prices, target) : null;
    if (!target || !price || sp.unpricedTokens > 0) continue;
    const would = cells
      .filter((c) => c.agentType === type && c.model === model)
      .reduce((a, c) => a + unitsOf(price, c.tokens, c.long), 0);
    cheaperModels.push({
      type,
      model,
      costUsd: unitsToUsd(sp.units),
      cheaperModel: target,
      wouldCostUsd: unitsToUsd(would),
    });
  }
  cheaperModels.sort((a, b) => b.costUsd - a.costUsd);
  const promptTokens = tokens.input + tokens.cacheRead + tokens.cacheWrite;
  const review: Review = {
    phase,
    sessions: t.sessions,
    costUsd: t.costUsd,
    unpricedTokens: t.unpricedTokens,
    unpricedModels: t.unpricedModels,
    tokens,
    agents,
    tools,
    outcomes,
    errors: errors.slice(0, 20),
    worked: [],
    costs: {
      cacheHitRatio: promptTokens ? Math.round((tokens.cacheRead / promptTokens) * 1e4) / 1e4 : null,
      byModel,
      byOutcome: spendByOutcome(calls),
      cacheByAgentType: cacheByAgentType(mine, prices),
      byTool: breakdown(mine, 'tool', prices).map((r) => ({
        tool: r.key,
        sessions: r.sessions ?? 0,
        tokens: r.totalTokens,
        costUsd: r.costUsd,
      })),
      topSessions,
      topAgents,
      cheaperModels,
    },
    recommendations: [],
  };
  if (previousPhase) {
    const p = totals(
      all.filter((x) => x.phase === previousPhase),
      prices,
    );
    review.previous = {
      phase: previousPhase,
      sessions: p.sessions,
      costUsd: p.costUsd,
      toolFailureRate: p.toolCalls ? Math.round((p.toolFailures / p.toolCalls) * 1e4) / 1e4 : null,
    };
    // the same causes before: what grew, what fell, what the phase's changes ended
    const before = failurePatterns(await phaseCalls(db, previousPhase));
    const now = new Map(errors.map((e) => [e.key, e]));
    for (const e of review.errors) {
      const b = before.find((x) => x.key === e.key);
      if (b) e.previousCount = b.count;
    }
    review.worked = before
      .filter((b) => b.count >= 2 && (now.get(b.key)?.count ?? 0) * 2 <= b.count)
      .map((b) => ({
        pattern: b.pattern,
        tool: b.tool,
        program: b.program,
        before: b.count,
        after: now.get(b.key)?.count ?? 0,
      }))
      .slice(0, 10);
  }
  review.recommendations = recommend(review);
  return review;
}

const usd = (x: number | null) =>
  x === null ? 'unpriced' : `$${x < 0.01 && x > 0 ? x.toFixed(4) : x.toFixed(2)}`;
const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`;
const calls = (n: number) => `${n} call${n === 1 ? '' : 's'}`;
const who = (types: string[]) =>
  types.length === 1
    ? types[0] === 'main'
      ? 'the main agent'
      : `${types[0]} subagents`
    : `${types.length} agent types`;
const subject = (e: Pattern) => (e.program ? `${e.tool} \`${e.program}\`` : e.tool);

/** What to change for a cause, by its kind (a CLAUDE.md line, a permission rule, a habit). */
function changeFor(e: Pattern): string {
  if (/has not been read yet/i.test(e.pattern))
    return 'Add to CLAUDE.md: "Read a file before you Edit or Write it."';
  if (/String to replace not found|matches of the string to replace/i.test(e.pattern))
    return 'Add to CLAUDE.md: "Re-read the lines you edit right before an Edit; give enough context for old_string to be unique."';
  if (/^command not found: (\S+)/.test(e.pattern))
    return `Say in CLAUDE.md how \`${e.pattern.replace(/^command not found: /, '')}\` is run here (a virtualenv, \`npx\`, a make target).`;
  if (e.kind === 'test')
    return `Open the example session and fix or quarantine the test; say in CLAUDE.md how to run one test with \`${e.program ?? e.tool}\`.`;
  if (e.kind === 'lint')
    return `Have agents run \`${e.program ?? 'the linter'}\` before they finish, and state the rule in CLAUDE.md.`;
  if (e.kind === 'compile')
    return `Have agents type-check with \`${e.program ?? 'the compiler'}\` after each edit of the files involved.`;
  if (e.kind === 'shell') return 'Say in CLAUDE.md which directory and environment commands run in.';
  return e.program
    ? `Say in CLAUDE.md how \`${e.program}\` is meant to be used here, or what to use instead.`
    : `Say in CLAUDE.md how ${e.tool} is meant to be used here.`;
}

/**
 * Rules over the numbers; each names its evidence, its cost and sessions to open, ranked by what it
 * would save. Only failures are recommended against: a person's refusal, a permission rule's denial
 * and a cascade after a sibling's failure are choices or echoes, never a cause to fix.
 */
export function recommend(r: Review): Recommendation[] {
  const out: Recommendation[] = [];
  for (const e of r.errors) {
    if (e.count < 2 && e.sessions < 2) continue;
    const before =
      e.previousCount === undefined
        ? ''
        : `; ${e.previousCount} in ${r.previous?.phase ?? 'the previous phase'}`;
    const retry = e.retried
      ? `; retried ${times(e.retried)}, worked ${e.fixed}`
      : e.next
        ? `; next the agent ran ${e.next}`
        : '';
    out.push({
      text: `${subject(e)} failed with "${e.pattern.slice(0, 120)}" (${who(e.agentTypes)}). ${changeFor(e)}`,
      evidence: `${times(e.count)} in ${e.sessions} session${e.sessions === 1 ? '' : 's'}${before}${retry}; ${e.tokens} tokens, ${usd(e.costUsd)} on the failures and their retries`,
      sessions: e.exampleSessions,
      savingsUsd: e.costUsd,
    });
  }
  for (const c of r.costs.cacheByAgentType)
    if (
      c.cacheHitRatio !== null &&
      c.promptTokens > 100_000 &&
      c.cacheHitRatio < 0.5 &&
      (c.savingsUsd ?? 0) >= 0.01
    )
      out.push({
        text: `${c.type === 'main' ? 'Main sessions' : `${c.type} subagents`} read ${Math.round(c.cacheHitRatio * 100)}% of their prompt from the cache: keep sessions going instead of restarting them, and keep CLAUDE.md and the first prompt stable.`,
        evidence: `${c.promptTokens} prompt tokens; at an ${Math.round(0.8 * 100)}% cache hit ratio they would have cost ${usd(c.savingsUsd)} less`,
        sessions: [],
        savingsUsd: c.savingsUsd,
      });
  for (const c of r.costs.cheaperModels)
    if (c.type !== 'main' && c.costUsd >= 1 && c.wouldCostUsd <= c.costUsd / 2)
      out.push({
        text: `Run ${c.type} subagents on ${c.cheaperModel} (set \`model: ${c.cheaperModel.replace(/^claude-/, '').split('-')[0]}\` in the agent's definition).`,
        evidence: `${c.type} on ${c.model} cost ${usd(c.costUsd)}; the same tokens on ${c.cheaperModel} cost ${usd(c.wouldCostUsd)}`,
        sessions: [],
        savingsUsd: Math.round((c.costUsd - c.wouldCostUsd) * 1e4) / 1e4,
      });
  for (const a of r.agents)
    if (a.type !== 'main' && a.runs >= 3 && a.failures / a.runs >= 0.3)
      out.push({
        text: `${a.type} subagents often end without finishing: give them a narrower task or a larger budget.`,
        evidence: `${a.failures} of ${a.runs} runs did not end; ${usd(a.costUsd)} spent by this type`,
        sessions: [],
        savingsUsd: null,
      });
  return out.sort((a, b) => (b.savingsUsd ?? -1) - (a.savingsUsd ?? -1));
}
