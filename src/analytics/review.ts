/**
 * The phase review: which agents, tools and habits cost time and money, from the store's data through
 * DuckDB. Every figure is a query over the views (duckdb.ts); money is summed in integer 1e-8 USD units,
 * as `stats` does, so both agree to the last digit.
 */
import { costUnits, normalizeModel, priceOf, unitsToUsd } from '../model/pricing.js';
import type { Analytics, Row } from './duckdb.js';

export interface Review {
  phase: string;
  sessions: number;
  costUsd: number;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  agents: Array<{
    type: string;
    runs: number;
    failures: number;
    medianMs: number | null;
    tokens: number;
    costUsd: number;
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
    byModel: Record<string, number>;
    topSessions: Array<{ session: string; costUsd: number }>;
    topAgents: Array<{ type: string; costUsd: number }>;
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
  previous?: { phase: string; sessions: number; costUsd: number; toolFailureRate: number | null };
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const usd = (units: number) => Math.round(units) / 1e8;
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

export async function buildReview(
  db: Analytics,
  phase: string,
  previousPhase: string | null,
): Promise<Review> {
  const P = lit(phase);
  const [s] = await rows(
    db,
    `SELECT count(*) AS sessions, coalesce(sum(round(cost_usd * 1e8)), 0) AS units,
            coalesce(sum(input_tokens), 0) AS input, coalesce(sum(output_tokens), 0) AS output,
            coalesce(sum(cache_read_tokens), 0) AS cache_read, coalesce(sum(cache_write_tokens), 0) AS cache_write
     FROM sessions WHERE phase = ${P}`,
  );
  const tokens = {
    input: num(s.input),
    output: num(s.output),
    cacheRead: num(s.cache_read),
    cacheWrite: num(s.cache_write),
  };

  // agents: the main agent (one run per session) and each subagent type
  const agentRows = await rows(
    db,
    `WITH spend AS (
       SELECT CASE WHEN agent = 'main' THEN 'main' ELSE coalesce(agent_type, 'unknown') END AS type,
              sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens,
              sum(round(cost_usd * 1e8)) AS units
       FROM usage WHERE phase = ${P} GROUP BY 1),
     runs AS (
       -- a main run fails when the session crashed (or still runs): no SessionEnd though hooks saw it
       -- start (an imported session has no SessionEnd to miss)
       SELECT 'main' AS type, count(*) AS runs,
              count(*) FILTER (WHERE ended IS NULL AND session IN (
                SELECT session FROM events WHERE type = 'session_start' AND coalesce(source, '') <> 'import'
                  AND phase = ${P})) AS failures,
              median(date_diff('millisecond', started, coalesce(ended, last_activity))) AS median_ms
       FROM sessions WHERE phase = ${P}
       UNION ALL
       SELECT coalesce(agent_type, 'unknown'), count(*), count(*) FILTER (WHERE ended IS NULL), median(duration_ms)
       FROM agents WHERE phase = ${P} GROUP BY 1)
     SELECT runs.type, runs.runs, runs.failures, runs.median_ms, coalesce(spend.tokens, 0) AS tokens,
            coalesce(spend.units, 0) AS units
     FROM runs LEFT JOIN spend USING (type) WHERE runs.runs > 0 ORDER BY units DESC, runs.type`,
  );
  const agents = agentRows.map((r) => ({
    type: String(r.type),
    runs: num(r.runs),
    failures: num(r.failures),
    medianMs: numOrNull(r.median_ms),
    tokens: num(r.tokens),
    costUsd: usd(num(r.units)),
  }));

  const tools = (
    await rows(
      db,
      `SELECT tool, count(*) AS calls, count(*) FILTER (WHERE NOT success) AS failures,
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

  // errors: one per failure (a hook and the transcript may both report it: once per tool_use id)
  const errors = (
    await rows(
      db,
      `WITH e AS (
         SELECT * FROM (
           SELECT *, row_number() OVER (PARTITION BY coalesce(tool_use_id, id) ORDER BY ts) AS k
           FROM errors WHERE phase = ${P}) WHERE k = 1)
       SELECT ${NORMALISE('message')} AS pattern, count(*) AS n, count(DISTINCT session) AS sessions,
              min(ts)::VARCHAR AS first_seen, max(ts)::VARCHAR AS last_seen, arg_min(left(message, 300), ts) AS example
       FROM e WHERE message IS NOT NULL GROUP BY 1 ORDER BY n DESC, pattern LIMIT 20`,
    )
  ).map((r) => ({
    pattern: String(r.pattern),
    count: num(r.n),
    sessions: num(r.sessions),
    firstSeen: String(r.first_seen),
    lastSeen: String(r.last_seen),
    example: String(r.example),
  }));

  const byModelRows = await rows(
    db,
    `SELECT coalesce(model, 'unknown') AS model, sum(round(cost_usd * 1e8)) AS units,
            sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cache_read_tokens) AS cache_read,
            sum(cache_write_tokens) AS cache_write
     FROM usage WHERE phase = ${P} GROUP BY 1 ORDER BY units DESC`,
  );
  const byModel = Object.fromEntries(byModelRows.map((r) => [String(r.model), usd(num(r.units))]));
  const topSessions = (
    await rows(
      db,
      `SELECT session, round(cost_usd * 1e8) AS units FROM sessions WHERE phase = ${P} ORDER BY units DESC, session LIMIT 5`,
    )
  ).map((r) => ({ session: String(r.session), costUsd: usd(num(r.units)) }));
  const topAgents = agents
    .filter((a) => a.type !== 'main')
    .slice(0, 5)
    .map((a) => ({ type: a.type, costUsd: a.costUsd }));
  const perTypeModel = await rows(
    db,
    `SELECT CASE WHEN agent = 'main' THEN 'main' ELSE coalesce(agent_type, 'unknown') END AS type, model,
            sum(round(cost_usd * 1e8)) AS units, sum(input_tokens) AS input, sum(output_tokens) AS output,
            sum(cache_read_tokens) AS cache_read, sum(cache_write_tokens) AS cache_write
     FROM usage WHERE phase = ${P} AND model IS NOT NULL GROUP BY 1, 2 ORDER BY units DESC`,
  );
  const cheaperModels: Review['costs']['cheaperModels'] = [];
  for (const r of perTypeModel) {
    const target = cheaper(String(r.model));
    if (!target) continue;
    const write = num(r.cache_write);
    const units = costUnits(target, {
      input: num(r.input),
      output: num(r.output),
      cacheRead: num(r.cache_read),
      cacheWrite: write,
      cacheWrite5m: write,
      cacheWrite1h: 0,
    });
    if (units === null) continue;
    cheaperModels.push({
      type: String(r.type),
      model: String(r.model),
      costUsd: usd(num(r.units)),
      cheaperModel: target,
      wouldCostUsd: unitsToUsd(units),
    });
  }
  const promptTokens = tokens.input + tokens.cacheRead + tokens.cacheWrite;
  const review: Review = {
    phase,
    sessions: num(s.sessions),
    costUsd: usd(num(s.units)),
    tokens,
    agents,
    tools,
    errors,
    costs: {
      cacheHitRatio: promptTokens ? Math.round((tokens.cacheRead / promptTokens) * 1e4) / 1e4 : null,
      byModel,
      topSessions,
      topAgents,
      cheaperModels,
    },
    recommendations: [],
  };
  if (previousPhase) {
    const [p] = await rows(
      db,
      `SELECT count(*) AS sessions, coalesce(sum(round(cost_usd * 1e8)), 0) AS units,
              sum(tool_failures) / nullif(sum(tool_calls), 0) AS failure_rate
       FROM sessions WHERE phase = ${lit(previousPhase)}`,
    );
    review.previous = {
      phase: previousPhase,
      sessions: num(p.sessions),
      costUsd: usd(num(p.units)),
      toolFailureRate: p.failure_rate === null ? null : Math.round(num(p.failure_rate) * 1e4) / 1e4,
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
