/**
 * Prices of Claude models, and the cost of one API response.
 *
 * Source: Anthropic's published API prices (https://docs.anthropic.com/en/docs/about-claude/pricing,
 * "Model pricing" and "Long context pricing"), as used by Claude Code for `total_cost_usd`: input,
 * output, cache read (0.1x input), 5-minute cache write (1.25x input) and 1-hour cache write (2x
 * input), per million tokens. Models with a 1M-token context (Sonnet 4 and 4.5) bill a request whose
 * input (input + cache read + cache write) exceeds 200,000 tokens at the long-context tier.
 *
 * Money is computed in integer units of 1e-8 USD (prices have at most two decimals per million
 * tokens, i.e. per token a multiple of 1e-8 USD), so sums never drift; `costUsd` is derived last.
 */

export interface Price {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

export interface ModelPrice extends Price {
  /** The tier above 200k input tokens, where the model has one. */
  longContext?: Price;
}

const p = (input: number, output: number, longContext?: Price): ModelPrice => ({
  input,
  output,
  cacheRead: input / 10,
  cacheWrite5m: input * 1.25,
  cacheWrite1h: input * 2,
  ...(longContext ? { longContext } : {}),
});
const tier = (input: number, output: number): Price => ({
  input,
  output,
  cacheRead: input / 10,
  cacheWrite5m: input * 1.25,
  cacheWrite1h: input * 2,
});

/** USD per million tokens, by model family (the id without its date suffix). */
export const MODEL_PRICES: Record<string, ModelPrice> = {
  'claude-opus-4-5': p(5, 25),
  'claude-opus-4-1': p(15, 75),
  'claude-opus-4': p(15, 75),
  'claude-sonnet-4-5': p(3, 15, tier(6, 22.5)),
  'claude-sonnet-4': p(3, 15, tier(6, 22.5)),
  'claude-3-7-sonnet': p(3, 15),
  'claude-3-5-sonnet': p(3, 15),
  'claude-haiku-4-5': p(1, 5),
  'claude-3-5-haiku': p(0.8, 4),
  'claude-3-opus': p(15, 75),
  'claude-3-haiku': p(0.25, 1.25),
};

/** Claude Code's short aliases and the old `-latest` ids. */
const ALIASES: Record<string, string> = {
  opus: 'claude-opus-4-5',
  sonnet: 'claude-sonnet-4-5',
  haiku: 'claude-haiku-4-5',
  'claude-3-5-sonnet-latest': 'claude-3-5-sonnet',
  'claude-3-7-sonnet-latest': 'claude-3-7-sonnet',
  'claude-3-5-haiku-latest': 'claude-3-5-haiku',
  'claude-3-opus-latest': 'claude-3-opus',
};

export const LONG_CONTEXT_THRESHOLD = 200_000;

/** The price of a model id (dated, alias, `[1m]`-suffixed, Bedrock/Vertex-prefixed), or null when unknown. */
export function priceOf(model: string): ModelPrice | null {
  let id = model.toLowerCase().trim();
  id = id.replace(/\[1m\]$/, '');
  id = id.replace(/^(?:[a-z]{2}\.)?anthropic\./, ''); // Bedrock: us.anthropic.claude-...-v1:0
  id = id.replace(/-v\d+(?::\d+)?$/, '').replace(/@\d{8}$/, ''); // Bedrock -v1:0, Vertex @20250929
  id = ALIASES[id] ?? id;
  if (MODEL_PRICES[id]) return MODEL_PRICES[id];
  const undated = id.replace(/-\d{8}$/, '');
  return MODEL_PRICES[ALIASES[undated] ?? undated] ?? null;
}

export interface UsageTokens {
  input: number;
  output: number;
  cacheRead: number;
  /** All cache writes: cacheWrite5m + cacheWrite1h. */
  cacheWrite: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

const UNITS_PER_USD = 1e8;
/** Integer cost units (1e-8 USD) of `tokens` at `perMillion` USD per million tokens. */
const units = (tokens: number, perMillion: number) => tokens * Math.round(perMillion * 100);

/** Cost in 1e-8 USD units, or null for a model without a price. */
export function costUnits(model: string, t: UsageTokens): number | null {
  const price = priceOf(model);
  if (!price) return null;
  const promptTokens = t.input + t.cacheRead + t.cacheWrite;
  const pr = price.longContext && promptTokens > LONG_CONTEXT_THRESHOLD ? price.longContext : price;
  return (
    units(t.input, pr.input) +
    units(t.output, pr.output) +
    units(t.cacheRead, pr.cacheRead) +
    units(t.cacheWrite5m, pr.cacheWrite5m) +
    units(t.cacheWrite1h, pr.cacheWrite1h)
  );
}

export const unitsToUsd = (u: number): number => Math.round(u / 100) / 1e6;
export const usdToUnits = (usd: number): number => Math.round(usd * UNITS_PER_USD);
