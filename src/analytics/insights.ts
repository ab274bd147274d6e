/**
 * What a phase's failures cost and what followed them, and where its money went: the evidence the
 * review's recommendations stand on. Tool calls and usage come from the SQL views (the one read
 * model); money is the usage events' cost, which the mirror prices through model/figures.ts; error
 * causes are model/causes.ts's. No model tokens: rules over the data.
 */

import type { ToolOutcome } from '../model/canonical.js';
import { type CauseKind, causeLine, maskLine, programOf } from '../model/causes.js';
import { cellsOf, type SummaryLike, spendBy } from '../model/figures.js';
import { type PriceTable, priceFor, unitsOf, unitsToUsd } from '../model/pricing.js';
import { callKind, type FollowUp, followUps } from '../model/retry.js';
import { type Analytics, type Row, sqlNumber, sqlString } from './duckdb.js';

const lit = sqlString;
const num = sqlNumber;
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** One tool call of a phase, with its share of the response that issued it. */
export interface Call {
  session: string;
  agent: string;
  agentType: string;
  tool: string;
  program: string | null;
  /** What a retry of it is (model/retry.ts callKind). */
  kind: string;
  ts: string;
  outcome: ToolOutcome;
  error: string;
  /** Its share of the issuing response's tokens and cost (a response that made 3 calls: a third each). */
  tokens: number;
  costUsd: number | null;
}

/** Every tool call of the phase in order (per session and agent), with its share of spend. */
export async function phaseCalls(db: Analytics, phase: string): Promise<Call[]> {
  const P = lit(phase);
  const { rows } = await db.query(
    `WITH c AS (
       SELECT session, agent, coalesce(agent_type, 'unknown') AS agent_type, tool, ts, outcome,
              input ->> '$.command' AS command,
              coalesce(input ->> '$.file_path', input ->> '$.notebook_path', input ->> '$.path') AS file,
              coalesce(error ->> '$', '') AS error
       FROM tool_calls WHERE phase = ${P} AND ts IS NOT NULL),
     u AS (
       SELECT session, agent, ts, coalesce(message_id, id) AS response, cost_usd,
              coalesce(input_tokens, 0) + coalesce(output_tokens, 0) + coalesce(cache_read_tokens, 0)
                + coalesce(cache_write_tokens, 0) AS tokens
       FROM usage WHERE phase = ${P} AND ts IS NOT NULL),
     j AS (
       SELECT c.*, u.response, u.cost_usd, u.tokens FROM c
       ASOF LEFT JOIN u ON c.session = u.session AND c.agent = u.agent AND c.ts >= u.ts)
     SELECT session, agent, agent_type, tool, ts::VARCHAR AS ts, outcome, command, file, error,
            tokens / count(*) OVER (PARTITION BY session, agent, response) AS share_tokens,
            cost_usd / count(*) OVER (PARTITION BY session, agent, response) AS share_cost,
            response IS NULL AS unattributed
     FROM j ORDER BY session, agent, ts`,
  );
  return rows.map((r: Row) => ({
    session: String(r.session),
    agent: String(r.agent),
    agentType: String(r.agent_type),
    tool: String(r.tool ?? 'unknown'),
    program: typeof r.command === 'string' ? programOf(r.command) : null,
    kind: callKind(String(r.tool ?? 'unknown'), {
      command: r.command ?? undefined,
      file_path: r.file ?? undefined,
    }),
    ts: String(r.ts),
    outcome: String(r.outcome) as ToolOutcome,
    error: String(r.error ?? ''),
    tokens: r.unattributed ? 0 : Math.round(num(r.share_tokens)),
    // no response before it (a transcript that starts mid-turn): nothing to share; an unpriced model: null
    costUsd: r.unattributed ? 0 : r.share_cost === null ? null : num(r.share_cost),
  }));
}

export interface Pattern {
  /** The masked cause line (GitHub-safe: `{n}`, `{path}`, `{id}`). */
  pattern: string;
  key: string;
  tool: string;
  program: string | null;
  kind: CauseKind;
  count: number;
  sessions: number;
  agentTypes: string[];
  firstSeen: string;
  lastSeen: string;
  example: string;
  /** Sessions to open: the latest ones where it happened. */
  exampleSessions: string[];
  /**
   * Failures after which the same agent made a call of the same kind again, and after how many of
   * them such a call worked (model/retry.ts: the rule every surface reads).
   */
  retried: number;
  fixed: number;
  /** What the agent most often did right after (tool and program). */
  next: string | null;
  /** Tokens and dollars of the failed calls and of their retries (each call's share of its response). */
  tokens: number;
  costUsd: number | null;
  /** The same cause's count in the previous phase, when there is one. */
  previousCount?: number;
}

const what = (c: { tool: string; program: string | null }) =>
  c.program ? `${c.tool} \`${c.program}\`` : c.tool;

/** model/retry.ts's follow-ups of every session's calls, by index into `calls` (ordered by session). */
function followUpsBySession(calls: Call[]): Map<number, FollowUp> {
  const out = new Map<number, FollowUp>();
  for (let start = 0; start < calls.length; ) {
    let end = start;
    while (end < calls.length && calls[end].session === calls[start].session) end++;
    const slice = calls.slice(start, end);
    // in the order the calls began, whatever agent made them
    const order = slice.map((_, k) => k).sort((a, b) => slice[a].ts.localeCompare(slice[b].ts) || a - b);
    const f = followUps(order.map((k) => slice[k]));
    for (const [k, v] of f)
      out.set(start + order[k], {
        ...v,
        next: v.next === null ? null : start + order[v.next],
        fixedBy: v.fixedBy === null ? null : start + order[v.fixedBy],
      });
    start = end;
  }
  return out;
}

/** Failed calls grouped by cause, with what followed each and what they cost, most costly first. */
export function failurePatterns(calls: Call[]): Pattern[] {
  const groups = new Map<
    string,
    Pattern & { sessionSet: Set<string>; types: Set<string>; nexts: Map<string, number>; priced: boolean }
  >();
  const follow = followUpsBySession(calls);
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    if (c.outcome !== 'failed') continue;
    // the cause from the error text, the program from the command the call ran
    const found = causeLine(c.error);
    const cause = {
      line: maskLine(found.line),
      kind: found.kind === 'other' && !c.program ? 'tool' : found.kind,
    };
    const key = `${c.tool}\u0000${c.program ?? ''}\u0000${cause.line}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        pattern: cause.line,
        key,
        tool: c.tool,
        program: c.program,
        kind: cause.kind as CauseKind,
        count: 0,
        sessions: 0,
        agentTypes: [],
        firstSeen: c.ts,
        lastSeen: c.ts,
        example: c.error.slice(0, 300),
        exampleSessions: [],
        retried: 0,
        fixed: 0,
        next: null,
        tokens: 0,
        costUsd: 0,
        sessionSet: new Set(),
        types: new Set(),
        nexts: new Map(),
        priced: true,
      };
      groups.set(key, g);
    }
    g.count++;
    g.sessionSet.add(c.session);
    g.types.add(c.agentType);
    if (c.ts < g.firstSeen) g.firstSeen = c.ts;
    if (c.ts >= g.lastSeen) {
      g.lastSeen = c.ts;
      g.exampleSessions = [c.session, ...g.exampleSessions.filter((s) => s !== c.session)].slice(0, 2);
    }
    const spend = (x: Call) => {
      g!.tokens += x.tokens;
      if (x.costUsd === null) g!.priced = false;
      else g!.costUsd = (g!.costUsd ?? 0) + x.costUsd;
    };
    spend(c);
    // what the same agent did next, and whether a later call of the same kind worked (model/retry.ts)
    const f = follow.get(i);
    if (f?.next != null) {
      const n = what(calls[f.next]);
      g.nexts.set(n, (g.nexts.get(n) ?? 0) + 1);
    }
    if (f?.retried) g.retried++;
    if (f?.fixedBy != null) {
      g.fixed++;
      // the call that worked costs here; a retry that failed is a failure of its own pattern
      spend(calls[f.fixedBy]);
    }
  }
  return [...groups.values()]
    .map(({ sessionSet, types, nexts, priced, ...p }) => ({
      ...p,
      sessions: sessionSet.size,
      agentTypes: [...types].sort(),
      next: [...nexts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null,
      costUsd: priced ? round(p.costUsd ?? 0) : p.costUsd ? round(p.costUsd) : null,
    }))
    .sort(
      (a, b) =>
        (b.costUsd ?? 0) - (a.costUsd ?? 0) || b.count - a.count || a.pattern.localeCompare(b.pattern),
    );
}

export interface OutcomeSpend {
  calls: number;
  tokens: number;
  costUsd: number | null;
}

/** Calls, tokens and dollars by outcome: what failed and rejected calls cost. */
export function spendByOutcome(calls: Call[]): Partial<Record<ToolOutcome, OutcomeSpend>> {
  const out: Partial<Record<ToolOutcome, OutcomeSpend>> = {};
  for (const c of calls) {
    const o = out[c.outcome] ?? { calls: 0, tokens: 0, costUsd: 0 };
    out[c.outcome] = o;
    o.calls++;
    o.tokens += c.tokens;
    if (o.costUsd !== null) o.costUsd = c.costUsd === null ? null : o.costUsd + c.costUsd;
  }
  for (const o of Object.values(out)) if (o.costUsd !== null) o.costUsd = round(o.costUsd);
  return out;
}

/** The cache-read ratio a well-cached agent reaches in Claude Code (long sessions, a stable prefix). */
export const TARGET_CACHE_RATIO = 0.8;

export interface CacheInsight {
  type: string;
  promptTokens: number;
  cacheHitRatio: number | null;
  /** What its prompt tokens would have cost less had `TARGET_CACHE_RATIO` of them been cache reads. */
  savingsUsd: number | null;
}

/** Cache hit ratio per agent type, and what reaching the target ratio would have saved. */
export function cacheByAgentType(sessions: SummaryLike[], prices: PriceTable): CacheInsight[] {
  const cells = sessions.flatMap((s) => cellsOf(s));
  const out: CacheInsight[] = [];
  for (const [type] of spendBy(cells, prices, (c) => c.agentType)) {
    const mine = cells.filter((c) => c.agentType === type);
    const input = mine.reduce((a, c) => a + c.tokens.input, 0);
    const read = mine.reduce((a, c) => a + c.tokens.cacheRead, 0);
    const prompt = mine.reduce((a, c) => a + c.tokens.input + c.tokens.cacheRead + c.tokens.cacheWrite, 0);
    const moved = Math.min(input, Math.max(0, TARGET_CACHE_RATIO * prompt - read));
    let saved = 0;
    let priced = true;
    for (const c of mine) {
      const price = priceFor(prices, c.model, c.day);
      const share = input ? (moved * c.tokens.input) / input : 0;
      if (!share) continue;
      if (!price) {
        priced = false;
        continue;
      }
      const zero = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, cacheWrite5m: 0, cacheWrite1h: 0 };
      saved +=
        unitsOf(price, { ...zero, input: share }, c.long, c.fast) -
        unitsOf(price, { ...zero, cacheRead: share }, c.long, c.fast);
    }
    out.push({
      type,
      promptTokens: prompt,
      cacheHitRatio: prompt ? round(read / prompt) : null,
      savingsUsd: priced || saved ? round(unitsToUsd(saved)) : null,
    });
  }
  return out.sort((a, b) => (b.savingsUsd ?? 0) - (a.savingsUsd ?? 0) || b.promptTokens - a.promptTokens);
}

/** Why a session cost what it did: the part of its cost each driver accounts for. */
export function whyCostly(
  s: SummaryLike & { compacts?: number },
  prices: PriceTable,
  failureCostUsd: number,
): string[] {
  const cells = cellsOf(s);
  const all = spendBy(cells, prices).get('all');
  const total = all ? unitsToUsd(all.units) : 0;
  if (!total) return [];
  const part = (f: (c: (typeof cells)[number]) => boolean) => {
    const sp = spendBy(cells.filter(f), prices).get('all');
    return sp ? unitsToUsd(sp.units) / total : 0;
  };
  const why: string[] = [];
  // a long session costs by its requests and the context each one carries
  const requests = cells.reduce((a, c) => a + c.requests, 0);
  const prompt = cells.reduce((a, c) => a + c.tokens.input + c.tokens.cacheRead + c.tokens.cacheWrite, 0);
  if (requests)
    why.push(
      `${requests} request${requests === 1 ? '' : 's'} averaging ${Math.round(prompt / requests / 1000)}k tokens of context`,
    );
  const long = part((c) => c.long);
  if (long >= 0.2) why.push(`${Math.round(long * 100)}% in requests over 200k tokens of context`);
  const sub = part((c) => c.agentType !== 'main');
  if (sub >= 0.2) why.push(`${Math.round(sub * 100)}% in ${s.agents} subagent${s.agents === 1 ? '' : 's'}`);
  if ((s.compacts ?? 0) > 0) why.push(`${s.compacts} compaction${s.compacts === 1 ? '' : 's'}`);
  const fail = failureCostUsd / total;
  if (fail >= 0.05) why.push(`${Math.round(fail * 100)}% on failed calls and their retries`);
  return why;
}
