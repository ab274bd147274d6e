/**
 * Prices of the models our agent CLIs run on (Anthropic's, OpenAI's, Google's), and the cost of tokens.
 *
 * The table is `prices.generated.ts`, generated from the maintained dataset of @pydantic/genai-prices by
 * `npm run prices` (see scripts/prices.mjs): match rules per model, prices by date in USD per million
 * tokens (input, output, cache read, 5-minute and 1-hour cache writes), and the >200k-token tier of
 * the models that have one. A request whose prompt (input + cache read + cache write) exceeds the
 * threshold is billed whole at the tier, as Anthropic bills it and Claude Code counts it. Users can
 * add or correct a model in `.agent-tracking.yml` (`pricing:`); an unknown model has no price (null),
 * never $0.
 *
 * Money is integer units of 1e-10 USD per token (prices have at most four decimals per million
 * tokens), so sums never drift.
 */
import { PRICE_TABLE } from './prices.generated.js';

const table = PRICE_TABLE as { source: string; models: TableModel[] };

export interface Price {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

export interface ModelPrice extends Price {
  /** The tier above `threshold` prompt tokens, where the model has one. */
  long?: Price & { threshold: number };
  /** Fast mode's multiplier (usage.speed = "fast"). */
  fast?: number;
}

type Match =
  | { starts_with: string }
  | { equals: string }
  | { contains: string }
  | { regex: string }
  | { or: Match[] }
  | { and: Match[] };

interface TableModel {
  id: string;
  name: string;
  match: Match;
  prices: Array<Price & { since: string | null; long?: Price & { threshold: number } }>;
  fast?: number;
}

/** The built-in table and the user's overrides (model id or prefix -> price). */
export interface PriceTable {
  models: TableModel[];
  overrides: Record<string, Partial<Price> & { input: number; output: number }>;
}

export const BUILTIN_PRICES: PriceTable = { models: table.models, overrides: {} };
export const PRICE_SOURCE: string = table.source;

export const LONG_CONTEXT_THRESHOLD = 200_000;

/**
 * The prompt size above which a request of `model` is billed at its long-context tier: the table's
 * (200k for Claude and Gemini, 272k for GPT-5.4 and later), else 200k. A request is in the tier when
 * its prompt (input + cache read + cache write) exceeds it.
 */
export function longThreshold(model: string): number {
  const m = tableModel(normalizeModel(model));
  const t = m?.prices.find((p) => p.long)?.long?.threshold;
  return typeof t === 'number' ? t : LONG_CONTEXT_THRESHOLD;
}

/** A table with the user's `pricing:` overrides. */
export const withOverrides = (overrides: PriceTable['overrides']): PriceTable => ({
  models: BUILTIN_PRICES.models,
  overrides,
});

/** Claude Code's short aliases; for pricing only the family matters. */
const ALIASES: Record<string, string> = {
  opus: 'claude-opus-4-7',
  sonnet: 'claude-sonnet-4-6',
  haiku: 'claude-haiku-4-5',
  opusplan: 'claude-opus-4-7',
};

/** A model id as the table names it: lowercase, without `[1m]`, Bedrock's and Vertex's decorations. */
export function normalizeModel(model: string): string {
  let id = model.toLowerCase().trim();
  id = id.replace(/\[1m\]$/, '');
  id = id.replace(/^(?:[a-z]{2,4}\.)?anthropic\./, ''); // Bedrock: us.anthropic.claude-...-v1:0
  id = id.replace(/^anthropic\//, '');
  id = id.replace(/-v\d+(?::\d+)?$/, ''); // Bedrock -v1:0
  id = id.replace(/@(\d{8})$/, '-$1'); // Vertex claude-x@20250929
  return ALIASES[id] ?? id;
}

function matches(m: Match, id: string): boolean {
  if ('starts_with' in m) return id.startsWith(m.starts_with);
  if ('equals' in m) return id === m.equals;
  if ('contains' in m) return id.includes(m.contains);
  if ('regex' in m) return new RegExp(m.regex).test(id);
  if ('or' in m) return m.or.some((x) => matches(x, id));
  if ('and' in m) return m.and.every((x) => matches(x, id));
  return false;
}

const found = new Map<string, TableModel | null>();
function tableModel(id: string): TableModel | null {
  let m = found.get(id);
  if (m === undefined) {
    m = BUILTIN_PRICES.models.find((x) => matches(x.match, id)) ?? null;
    found.set(id, m);
  }
  return m;
}

/**
 * The price of a model on a day (YYYY-MM-DD; prices change over time), or null when unknown. An
 * override names a model id or a prefix of it; the longest that fits wins.
 */
export function priceFor(prices: PriceTable, model: string, day = '9999-12-31'): ModelPrice | null {
  const id = normalizeModel(model);
  const key = Object.keys(prices.overrides)
    .filter((k) => id === normalizeModel(k) || id.startsWith(normalizeModel(k)))
    .sort((a, b) => b.length - a.length)[0];
  if (key) {
    const o = prices.overrides[key];
    return {
      input: o.input,
      output: o.output,
      cacheRead: o.cacheRead ?? o.input / 10,
      cacheWrite5m: o.cacheWrite5m ?? o.input * 1.25,
      cacheWrite1h: o.cacheWrite1h ?? o.input * 2,
    };
  }
  const m = tableModel(id);
  if (!m) return null;
  // the latest dated price in force on that day
  const p = [...m.prices].reverse().find((x) => x.since === null || x.since <= day) ?? m.prices[0];
  const { since: _since, ...price } = p;
  return m.fast ? { ...price, fast: m.fast } : price;
}

/** Back-compatible lookup at today's prices. */
export const priceOf = (model: string): ModelPrice | null => priceFor(BUILTIN_PRICES, model);

export interface UsageTokens {
  input: number;
  output: number;
  cacheRead: number;
  /** All cache writes: cacheWrite5m + cacheWrite1h. */
  cacheWrite: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

/** Integer units (1e-10 USD) of `tokens` at `perMillion` USD per million tokens. */
const units = (tokens: number, perMillion: number) => tokens * Math.round(perMillion * 1e4);

/**
 * Cost in 1e-10 USD units of tokens at a price; `long`: the requests' prompts were over the tier's
 * threshold (decided per request, when the tokens were counted); `fast`: fast mode.
 */
export function unitsOf(price: ModelPrice, t: UsageTokens, long: boolean, fast = false): number {
  const pr: Price = long && price.long ? price.long : price;
  const u =
    units(t.input, pr.input) +
    units(t.output, pr.output) +
    units(t.cacheRead, pr.cacheRead) +
    units(t.cacheWrite5m, pr.cacheWrite5m) +
    units(t.cacheWrite1h, pr.cacheWrite1h);
  return fast && price.fast ? u * price.fast : u;
}

/** Cost of one response in 1e-10 USD units, or null for a model without a price. */
export function costUnits(
  model: string,
  t: UsageTokens,
  prices: PriceTable = BUILTIN_PRICES,
  day?: string,
  fast = false,
): number | null {
  const price = priceFor(prices, model, day);
  if (!price) return null;
  return unitsOf(price, t, t.input + t.cacheRead + t.cacheWrite > longThreshold(model), fast);
}

export const UNITS_PER_USD = 1e10;
export const unitsToUsd = (u: number): number => Math.round(u / 100) / 1e8;
export const usdToUnits = (usd: number): number => Math.round(usd * UNITS_PER_USD);
