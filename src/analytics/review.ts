/**
 * The phase review: which agents, tools and habits cost time and money. Tokens, money and session
 * counts come from the one derivation (model/figures.ts) over the branch's read model, as `stats`
 * gets them, so both agree to the last digit; SQL over the views (duckdb.ts) gives what it does best:
 * durations and their quantiles, and error patterns.
 */
import * as os from 'node:os';
import { breakdown, cellsOf, spendBy, totals } from '../model/figures.js';
import { normalizeModel, priceFor, priceOf, unitsOf, unitsToUsd } from '../model/pricing.js';
import { processAlive, type SessionSummary, sessionStatus } from '../model/session.js';
import type { TrackingBranch } from '../store/reader.js';
import type { Analytics, Row } from './duckdb.js';

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
    failures: number;
    failureRate: number;
    p50Ms: number | null;
    p95Ms: number | null;
  }>;
  errors: Array<{
    pattern: string;
    count: number;
    sessions: number;
    firstSeen: string;
    lastSeen: string;
    example: string;
  }>;
  costs: {
    cacheHitRatio: number | null;
    byModel: Record<string, number | null>;
    /** By agent CLI (claude-code, codex, gemini): sessions, tokens, cost (figures.ts `breakdown(.., 'tool')`). */
    byTool?: Array<{ tool: string; sessions: number; tokens: number; costUsd: number | null }>;
    topSessions: Array<{ session: string; costUsd: number | null }>;
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
  recommendations: Array<{ text: string; evidence: string }>;
  /** Change against the previous phase, where there is one. */
  previous?: { phase: string; sessions: number; costUsd: number | null; toolFailureRate: number | null };
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Error messages grouped by shape: paths, hex ids and numbers masked. */
export const NORMALISE = (col: string) =>
  `regexp_replace(regexp_replace(regexp_replace(left(${col}, 300), '(~|\\.{0,2})?(/[^\\s:''"\`()]+)+', '<path>', 'g'), '\\b[0-9a-f]{7,}\\b', '<id>', 'g'), '\\d+', '<n>', 'g')`;

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
              quantile_cont(duration_ms, 0.5) AS p50, quantile_cont(duration_ms, 0.95) AS p95
       FROM tool_calls WHERE phase = ${P} GROUP BY tool ORDER BY calls DESC, tool`,
    )
  ).map((r) => ({
    tool: String(r.tool),
    calls: num(r.calls),
    failures: num(r.failures),
    failureRate: num(r.calls) ? Math.round((num(r.failures) / num(r.calls)) * 1e4) / 1e4 : 0,
    p50Ms: r.p50 === null ? null : Math.round(num(r.p50) * 100) / 100,
    p95Ms: r.p95 === null ? null : Math.round(num(r.p95) * 100) / 100,
  }));

  // errors: one per failure (the view keeps one row per tool_use id)
  const errors = (
    await rows(
      db,
      `SELECT ${NORMALISE('message')} AS pattern, count(*) AS n, count(DISTINCT session) AS sessions,
              min(ts)::VARCHAR AS first_seen, max(ts)::VARCHAR AS last_seen, arg_min(left(message, 300), ts) AS example
       FROM errors WHERE phase = ${P} AND message IS NOT NULL GROUP BY 1 ORDER BY n DESC, pattern LIMIT 20`,
    )
  ).map((r) => ({
    pattern: String(r.pattern),
    count: num(r.n),
    sessions: num(r.sessions),
    firstSeen: String(r.first_seen),
    lastSeen: String(r.last_seen),
    example: String(r.example),
  }));

  const byModel = Object.fromEntries(
    Object.entries(t.byModel)
      .sort(([, a], [, b]) => (b.costUsd ?? 0) - (a.costUsd ?? 0))
      .map(([m, v]) => [m, v.costUsd]),
  );
  const topSessions = breakdown(mine, 'session', prices)
    .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || a.key.localeCompare(b.key))
    .slice(0, 5)
    .map((r) => ({ session: r.key, costUsd: r.costUsd }));
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
    errors,
    costs: {
      cacheHitRatio: promptTokens ? Math.round((tokens.cacheRead / promptTokens) * 1e4) / 1e4 : null,
      byModel,
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
  }
  review.recommendations = recommend(review);
  return review;
}

/** Rules over the numbers; each names its evidence. Nothing the data does not show. */
export function recommend(r: Review): Array<{ text: string; evidence: string }> {
  const out: Array<{ text: string; evidence: string }> = [];
  const notRead = r.errors.filter((e) => /has not been read yet/i.test(e.pattern));
  const n = notRead.reduce((a, e) => a + e.count, 0);
  if (n > 0)
    out.push({
      text: 'Have agents Read a file before they Edit or Write it (say so in CLAUDE.md).',
      evidence: `Edit/Write refused ${n} time${n === 1 ? '' : 's'} with "File has not been read yet"`,
    });
  for (const t of r.tools)
    if (t.calls >= 5 && t.failureRate >= 0.2)
      out.push({
        text: `Look at why ${t.tool} fails so often; check the commands or inputs agents give it.`,
        evidence: `${t.tool}: ${t.failures} of ${t.calls} calls failed (${Math.round(t.failureRate * 100)}%)`,
      });
  for (const e of r.errors)
    if (e.sessions >= 2 && !/has not been read yet/i.test(e.pattern))
      out.push({
        text: 'The same error recurs across sessions: fix its cause once, or document the workaround.',
        evidence: `"${e.pattern.replace(/\s+/g, ' ').slice(0, 120)}" in ${e.sessions} sessions (${e.count} times)`,
      });
  if (
    r.costs.cacheHitRatio !== null &&
    r.tokens.input + r.tokens.cacheRead > 100_000 &&
    r.costs.cacheHitRatio < 0.5
  )
    out.push({
      text: 'Most prompt tokens were not cache reads: keep long sessions going instead of restarting, and keep CLAUDE.md stable.',
      evidence: `cache hit ratio ${r.costs.cacheHitRatio}`,
    });
  for (const c of r.costs.cheaperModels)
    if (c.type !== 'main' && c.costUsd >= 1 && c.wouldCostUsd <= c.costUsd / 2)
      out.push({
        text: `Consider running ${c.type} subagents on ${c.cheaperModel}.`,
        evidence: `${c.type} on ${c.model} cost ${c.costUsd} USD; on ${c.cheaperModel} the same tokens cost ${c.wouldCostUsd} USD`,
      });
  for (const a of r.agents)
    if (a.runs >= 3 && a.failures / a.runs >= 0.3)
      out.push({
        text: `${a.type === 'main' ? 'Sessions' : `${a.type} subagents`} often end without finishing; see their last errors.`,
        evidence: `${a.failures} of ${a.runs} runs did not end`,
      });
  return out;
}
