// src/capture/import-worker.ts
import { parentPort } from "node:worker_threads";

// src/capture/import-events.ts
import * as fs from "node:fs";

// src/model/canonical.ts
import { createHash } from "node:crypto";
var derivedId = (kind, session, key) => `${kind}-${createHash("sha1").update(`${session}\0${key}`).digest("hex").slice(0, 32)}`;
var toolCallId = (session, agent, toolUseId) => derivedId("tool_call", session, `${agent}:${toolUseId}`);
var toolErrorId = (session, toolUseId) => derivedId("e", session, toolUseId);
var usageKey = (messageId, requestId) => `${messageId}:${requestId ?? ""}`;
var usageId = (session, key) => derivedId("u", session, key);
function errorOutcome(text) {
  const t = text.trimStart();
  if (t.startsWith("The user doesn't want to proceed with this tool use") || t.startsWith("The user does not want to proceed") || t.startsWith("User rejected tool use") || t.startsWith("The user doesn't want to take this action"))
    return "rejected";
  if (t.startsWith("[Request interrupted by user")) return "interrupted";
  return "failed";
}

// src/model/events.ts
var zeroTokens = () => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

// src/model/prices.generated.ts
var PRICE_TABLE = { "source": "@pydantic/genai-prices 0.1.8", "unit": "USD per million tokens", "models": [{ "id": "claude-2", "name": "Claude 2.0 / 2.1", "match": { "or": [{ "starts_with": "claude-2" }, { "contains": "claude-v2" }] }, "prices": [{ "since": null, "input": 8, "output": 24, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 16 }] }, { "id": "claude-3-5-haiku-latest", "name": "Claude Haiku 3.5", "match": { "or": [{ "starts_with": "claude-3-5-haiku" }, { "starts_with": "claude-3.5-haiku" }] }, "prices": [{ "since": null, "input": 0.8, "output": 4, "cacheRead": 0.08, "cacheWrite5m": 1, "cacheWrite1h": 1.6 }] }, { "id": "claude-3-5-sonnet", "name": "Claude Sonnet 3.5", "match": { "or": [{ "starts_with": "claude-3-5-sonnet" }, { "starts_with": "claude-3.5-sonnet" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-3-7-sonnet-latest", "name": "Claude Sonnet 3.7", "match": { "or": [{ "starts_with": "claude-3-7-sonnet" }, { "starts_with": "claude-3.7-sonnet" }, { "starts_with": "claude-sonnet-3.7" }, { "starts_with": "claude-sonnet-3-7" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-3-haiku", "name": "Claude Haiku 3", "match": { "starts_with": "claude-3-haiku" }, "prices": [{ "since": null, "input": 0.25, "output": 1.25, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.5 }] }, { "id": "claude-3-opus-latest", "name": "Claude Opus 3", "match": { "starts_with": "claude-3-opus" }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-3-sonnet", "name": "Claude 3 Sonnet", "match": { "starts_with": "claude-3-sonnet" }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-fable-5", "name": "Claude Fable 5", "match": { "or": [{ "equals": "claude-fable-5" }, { "regex": "^claude-fable-5-\\d{8}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 20 }] }, { "id": "claude-fable-5-1", "name": "Claude Fable 5.1", "match": { "or": [{ "equals": "claude-fable-5-1" }, { "regex": "^claude-fable-5-1-\\d{8}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 0.25, "cacheWrite5m": 12.5, "cacheWrite1h": 20 }] }, { "id": "claude-haiku-4-5", "name": "Claude Haiku 4.5", "match": { "or": [{ "starts_with": "claude-haiku-4-5" }, { "starts_with": "claude-haiku-4.5" }, { "starts_with": "claude-4-5-haiku" }, { "starts_with": "claude-4.5-haiku" }] }, "prices": [{ "since": null, "input": 1, "output": 5, "cacheRead": 0.1, "cacheWrite5m": 1.25, "cacheWrite1h": 2 }] }, { "id": "claude-opus-4-0", "name": "Claude Opus 4", "match": { "or": [{ "starts_with": "claude-opus-4-0" }, { "starts_with": "claude-4-opus" }, { "equals": "claude-opus-4" }, { "equals": "claude-opus-4-20250514" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-opus-4-1", "name": "Claude Opus 4.1", "match": { "or": [{ "starts_with": "claude-opus-4-1" }, { "starts_with": "claude-opus-4.1" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-opus-4-5", "name": "Claude Opus 4.5", "match": { "or": [{ "starts_with": "claude-opus-4-5" }, { "starts_with": "claude-opus-4.5" }, { "starts_with": "claude-4-5-opus" }, { "starts_with": "claude-4.5-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-4-6", "name": "Claude Opus 4.6", "match": { "or": [{ "starts_with": "claude-opus-4-6" }, { "starts_with": "claude-opus-4.6" }, { "starts_with": "claude-4-6-opus" }, { "starts_with": "claude-4.6-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10, "long": { "threshold": 2e5, "input": 10, "output": 37.5, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 20 } }, { "since": "2026-03-13", "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }], "fast": 6 }, { "id": "claude-opus-4-7", "name": "Claude Opus 4.7", "match": { "or": [{ "starts_with": "claude-opus-4-7" }, { "starts_with": "claude-opus-4.7" }, { "starts_with": "claude-4-7-opus" }, { "starts_with": "claude-4.7-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }], "fast": 6 }, { "id": "claude-opus-4-8", "name": "Claude Opus 4.8", "match": { "or": [{ "starts_with": "claude-opus-4-8" }, { "starts_with": "claude-opus-4.8" }, { "starts_with": "claude-4-8-opus" }, { "starts_with": "claude-4.8-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-5", "name": "Claude Opus 5", "match": { "or": [{ "equals": "claude-opus-5" }, { "regex": "^claude-opus-5-\\d{8}$" }, { "starts_with": "claude-opus-5.0" }, { "starts_with": "claude-5-opus" }, { "starts_with": "claude-5.0-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-5-5", "name": "Claude Opus 5.5", "match": { "or": [{ "equals": "claude-opus-5-5" }, { "regex": "^claude-opus-5-5-\\d{8}$" }, { "starts_with": "claude-opus-5.5" }, { "starts_with": "claude-5-5-opus" }, { "starts_with": "claude-5.5-opus" }] }, "prices": [{ "since": null, "input": 4, "output": 20, "cacheRead": 0.2, "cacheWrite5m": 5, "cacheWrite1h": 8 }] }, { "id": "claude-sonnet-4-0", "name": "Claude Sonnet 4", "match": { "or": [{ "starts_with": "claude-sonnet-4-2025" }, { "starts_with": "claude-sonnet-4-0" }, { "starts_with": "claude-sonnet-4@" }, { "equals": "claude-sonnet-4" }, { "starts_with": "claude-4-sonnet" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }] }, { "id": "claude-sonnet-4-5", "name": "Claude Sonnet 4.5", "match": { "or": [{ "starts_with": "claude-sonnet-4-5" }, { "starts_with": "claude-sonnet-4.5" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }] }, { "id": "claude-sonnet-4-6", "name": "Claude Sonnet 4.6", "match": { "or": [{ "starts_with": "claude-sonnet-4-6" }, { "starts_with": "claude-sonnet-4.6" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }, { "since": "2026-03-13", "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-sonnet-5", "name": "Claude Sonnet 5", "match": { "or": [{ "starts_with": "claude-sonnet-5" }, { "starts_with": "claude-sonnet-5.0" }, { "starts_with": "claude-5-sonnet" }, { "starts_with": "claude-5.0-sonnet" }] }, "prices": [{ "since": null, "input": 2, "output": 10, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 4 }] }, { "id": "claude-v1", "match": { "equals": "claude-v1" }, "prices": [{ "since": null, "input": 8, "output": 24, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 16 }] }] };

// src/model/pricing.ts
var table = PRICE_TABLE;
var BUILTIN_PRICES = { models: table.models, overrides: {} };
var PRICE_SOURCE = table.source;
var LONG_CONTEXT_THRESHOLD = 2e5;
var ALIASES = {
  opus: "claude-opus-4-7",
  sonnet: "claude-sonnet-4-6",
  haiku: "claude-haiku-4-5",
  opusplan: "claude-opus-4-7"
};
function normalizeModel(model) {
  let id = model.toLowerCase().trim();
  id = id.replace(/\[1m\]$/, "");
  id = id.replace(/^(?:[a-z]{2,4}\.)?anthropic\./, "");
  id = id.replace(/^anthropic\//, "");
  id = id.replace(/-v\d+(?::\d+)?$/, "");
  id = id.replace(/@(\d{8})$/, "-$1");
  return ALIASES[id] ?? id;
}
function matches(m, id) {
  if ("starts_with" in m) return id.startsWith(m.starts_with);
  if ("equals" in m) return id === m.equals;
  if ("contains" in m) return id.includes(m.contains);
  if ("regex" in m) return new RegExp(m.regex).test(id);
  if ("or" in m) return m.or.some((x) => matches(x, id));
  if ("and" in m) return m.and.every((x) => matches(x, id));
  return false;
}
var found = /* @__PURE__ */ new Map();
function tableModel(id) {
  let m = found.get(id);
  if (m === void 0) {
    m = BUILTIN_PRICES.models.find((x) => matches(x.match, id)) ?? null;
    found.set(id, m);
  }
  return m;
}
function priceFor(prices, model, day = "9999-12-31") {
  const id = normalizeModel(model);
  const key = Object.keys(prices.overrides).filter((k) => id === normalizeModel(k) || id.startsWith(normalizeModel(k))).sort((a, b) => b.length - a.length)[0];
  if (key) {
    const o = prices.overrides[key];
    return {
      input: o.input,
      output: o.output,
      cacheRead: o.cacheRead ?? o.input / 10,
      cacheWrite5m: o.cacheWrite5m ?? o.input * 1.25,
      cacheWrite1h: o.cacheWrite1h ?? o.input * 2
    };
  }
  const m = tableModel(id);
  if (!m) return null;
  const p = [...m.prices].reverse().find((x) => x.since === null || x.since <= day) ?? m.prices[0];
  const { since: _since, ...price } = p;
  return m.fast ? { ...price, fast: m.fast } : price;
}
var units = (tokens, perMillion) => tokens * Math.round(perMillion * 1e4);
function unitsOf(price, t, long, fast = false) {
  const pr = long && price.long ? price.long : price;
  const u = units(t.input, pr.input) + units(t.output, pr.output) + units(t.cacheRead, pr.cacheRead) + units(t.cacheWrite5m, pr.cacheWrite5m) + units(t.cacheWrite1h, pr.cacheWrite1h);
  return fast && price.fast ? u * price.fast : u;
}
function costUnits(model, t, prices = BUILTIN_PRICES, day, fast = false) {
  const price = priceFor(prices, model, day);
  if (!price) return null;
  return unitsOf(price, t, t.input + t.cacheRead + t.cacheWrite > LONG_CONTEXT_THRESHOLD, fast);
}
var unitsToUsd = (u) => Math.round(u / 100) / 1e8;

// src/model/figures.ts
var n = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
function eventTokens(e) {
  const t = e.tokens ?? {};
  const cacheWrite = n(t.cacheWrite);
  const w1h = n(t.cacheWrite1h);
  const w5m = t.cacheWrite5m === void 0 ? cacheWrite - w1h : n(t.cacheWrite5m);
  return {
    input: n(t.input),
    output: n(t.output),
    cacheRead: n(t.cacheRead),
    cacheWrite,
    cacheWrite5m: Math.max(0, w5m),
    cacheWrite1h: w1h
  };
}
var addTokens = (a, b) => ({
  input: a.input + b.input,
  output: a.output + b.output,
  cacheRead: a.cacheRead + b.cacheRead,
  cacheWrite: a.cacheWrite + b.cacheWrite,
  cacheWrite5m: a.cacheWrite5m + b.cacheWrite5m,
  cacheWrite1h: a.cacheWrite1h + b.cacheWrite1h
});
function usageAgentType(e, agentTypes = {}) {
  if (e.agent === "main") return "main";
  return typeof e.agentType === "string" && e.agentType || agentTypes[e.agent] || "unknown";
}
function addUsage(cells, e, agentType) {
  const tokens = eventTokens(e);
  const model = typeof e.model === "string" && e.model ? e.model : "unknown";
  const long = tokens.input + tokens.cacheRead + tokens.cacheWrite > LONG_CONTEXT_THRESHOLD;
  const fast = e.speed === "fast";
  const day = e.ts.slice(0, 10);
  const key = `${model}|${agentType}|${day}|${long ? 1 : 0}${fast ? "|fast" : ""}`;
  const cur = cells[key];
  if (cur) {
    cur.requests++;
    cur.tokens = addTokens(cur.tokens, tokens);
  } else cells[key] = { model, agentType, day, long, fast, requests: 1, tokens };
}
var emptySpend = () => ({
  tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  units: 0,
  unpricedTokens: 0,
  unpricedModels: [],
  requests: 0
});
var allTokens = (t) => t.input + t.output + t.cacheRead + t.cacheWrite;
function addCell(s2, c, prices) {
  s2.tokens.input += c.tokens.input;
  s2.tokens.output += c.tokens.output;
  s2.tokens.cacheRead += c.tokens.cacheRead;
  s2.tokens.cacheWrite += c.tokens.cacheWrite;
  s2.requests += c.requests;
  const price = priceFor(prices, c.model, c.day);
  if (price) s2.units += unitsOf(price, c.tokens, c.long, c.fast);
  else {
    s2.unpricedTokens += allTokens(c.tokens);
    if (!s2.unpricedModels.includes(c.model)) s2.unpricedModels.push(c.model);
  }
}
function spendBy(cells, prices, key = () => "all") {
  const out = /* @__PURE__ */ new Map();
  for (const c of cells) {
    const k = key(c);
    let s2 = out.get(k);
    if (!s2) {
      s2 = emptySpend();
      out.set(k, s2);
    }
    addCell(s2, c, prices);
  }
  return out;
}

// src/model/session.ts
var SUMMARY_VERSION = 2;
function emptySummary(session, phase, dir) {
  return {
    v: SUMMARY_VERSION,
    session,
    phase,
    dir,
    started: null,
    lastActivity: null,
    ended: null,
    endReason: null,
    cwd: null,
    branch: null,
    head: null,
    models: [],
    author: null,
    firstPrompt: null,
    events: 0,
    prompts: 0,
    agents: 0,
    toolCalls: 0,
    toolFailures: 0,
    toolRejected: 0,
    toolInterrupted: 0,
    errors: 0,
    fileChanges: 0,
    errorToolUseIds: [],
    failedToolUseIds: [],
    tokens: zeroTokens(),
    cells: {},
    costUsd: 0,
    unpricedTokens: 0,
    unpricedModels: [],
    usage: { byModel: {}, byAgent: {}, byDay: {} },
    agentTypes: {}
  };
}
var s = (v) => typeof v === "string" ? v : null;
function foldSummary(prev, events) {
  const cells = {};
  for (const [k, c] of Object.entries(prev.cells ?? {})) cells[k] = { ...c, tokens: { ...c.tokens } };
  const out = {
    ...prev,
    v: SUMMARY_VERSION,
    tokens: { ...prev.tokens },
    models: [...prev.models],
    errorToolUseIds: [...prev.errorToolUseIds ?? []],
    failedToolUseIds: [...prev.failedToolUseIds ?? []],
    toolRejected: prev.toolRejected ?? 0,
    toolInterrupted: prev.toolInterrupted ?? 0,
    cells,
    agentTypes: { ...prev.agentTypes ?? {} }
  };
  const failed = new Set(out.failedToolUseIds);
  const erred = new Set(out.errorToolUseIds);
  const countFailure = (id, outcome) => {
    if (id) {
      if (failed.has(id)) return false;
      failed.add(id);
      out.failedToolUseIds.push(id);
    }
    if (outcome === "rejected") out.toolRejected++;
    else if (outcome === "interrupted") out.toolInterrupted++;
    else out.toolFailures++;
    return true;
  };
  for (const e of events) {
    out.events++;
    if (!out.started || e.ts < out.started) out.started = e.ts;
    if (!out.lastActivity || e.ts > out.lastActivity) out.lastActivity = e.ts;
    switch (e.type) {
      case "session_start":
        out.cwd ??= s(e.cwd);
        out.branch ??= s(e.branch);
        out.head ??= s(e.head);
        if (typeof e.pid === "number") out.pid = e.pid;
        if (e.source === "import") out.imported = true;
        if (s(e.host)) out.host = e.host;
        if (s(e.model) && !out.models.includes(e.model)) out.models.push(e.model);
        out.ended = null;
        out.endReason = null;
        out.lastTurnEnded = false;
        break;
      case "prompt":
        out.prompts++;
        out.lastTurnEnded = false;
        if (out.firstPrompt === null && typeof e.text === "string") out.firstPrompt = e.text.slice(0, 200);
        break;
      case "agent_start":
        out.agents++;
        if (s(e.agentId) && s(e.agentType)) out.agentTypes[e.agentId] = e.agentType;
        break;
      case "tool_start":
        if (e.agent === "main") out.lastTurnEnded = false;
        break;
      case "tool_call": {
        const id = s(e.toolUseId);
        const outcome = s(e.outcome) ?? (e.success === false ? e.interrupted ? "interrupted" : "failed" : "success");
        if (outcome !== "success") {
          if (!countFailure(id, outcome)) break;
        }
        out.toolCalls++;
        if (typeof e.launchedAgent === "string" && e.launchedAgent && e.agent !== e.launchedAgent) {
          const t = e.input?.subagent_type;
          if (typeof t === "string" && !out.agentTypes[e.launchedAgent]) out.agentTypes[e.launchedAgent] = t;
        }
        break;
      }
      case "error": {
        const id = s(e.toolUseId);
        const outcome = errorOutcome(String(e.message ?? ""));
        if (id && e.source === "transcript" && !failed.has(id) && countFailure(id, outcome)) out.toolCalls++;
        if (outcome !== "failed") break;
        if (id && erred.has(id)) break;
        if (id) {
          erred.add(id);
          out.errorToolUseIds.push(id);
        }
        out.errors++;
        break;
      }
      case "file_change":
        out.fileChanges++;
        break;
      case "stop":
        if (e.agent === "main") out.lastTurnEnded = true;
        break;
      case "session_end":
        out.ended = e.ts;
        out.endReason = s(e.reason);
        break;
      case "compact":
        if (e.stage !== "post") out.compacts = (out.compacts ?? 0) + 1;
        break;
      case "snapshot": {
        const at = e.at ?? {};
        out.snapshots = (out.snapshots ?? 0) + 1;
        out.lastSnapshot = {
          id: String(e.snapshot ?? e.id),
          ts: e.ts,
          agents: Number(at.agents ?? 0),
          tokens: Number(at.tokens ?? 0),
          compacts: Number(at.compacts ?? 0),
          ended: at.ended === true
        };
        break;
      }
      case "usage": {
        const before = { ...out.tokens };
        addUsage(cells, e, usageAgentType(e, out.agentTypes));
        const t = e.tokens ?? {};
        out.tokens = {
          input: before.input + Number(t.input ?? 0),
          output: before.output + Number(t.output ?? 0),
          cacheRead: before.cacheRead + Number(t.cacheRead ?? 0),
          cacheWrite: before.cacheWrite + Number(t.cacheWrite ?? 0)
        };
        const model = s(e.model) ?? "unknown";
        if (!out.models.includes(model)) out.models.push(model);
        break;
      }
    }
  }
  return withFigures(out, BUILTIN_PRICES);
}
var spendRecord = (m) => Object.fromEntries(
  [...m].map(([k, v]) => [k, { tokens: v.tokens, units: v.units, unpricedTokens: v.unpricedTokens }])
);
function withFigures(x, prices) {
  const cells = Object.values(x.cells ?? {});
  const all = spendBy(cells, prices).get("all");
  const cost = all ? all.unpricedTokens > 0 && all.units === 0 ? null : Math.round(all.units / 100) / 1e8 : 0;
  return {
    ...x,
    costUsd: cost,
    unpricedTokens: all?.unpricedTokens ?? 0,
    unpricedModels: all?.unpricedModels ?? [],
    usage: {
      byModel: spendRecord(spendBy(cells, prices, (c) => c.model)),
      byAgent: spendRecord(spendBy(cells, prices, (c) => c.agentType)),
      byDay: spendRecord(spendBy(cells, prices, (c) => c.day))
    }
  };
}

// src/capture/events.ts
import { createHash as createHash3 } from "node:crypto";

// src/capture/diff.ts
import { createHash as createHash2 } from "node:crypto";
function gitBlobId(content) {
  const body = Buffer.from(content, "utf8");
  return createHash2("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
}
var splitLines = (text) => {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
};
function unifiedDiff(file, hunks, created) {
  const header = `--- ${created ? "/dev/null" : `a/${file}`}
+++ b/${file}
`;
  const body = hunks.map((h) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@
${h.lines.join("\n")}
`).join("");
  return header + body;
}
function wholeFileHunks(before, after) {
  const oldL = before === null ? [] : splitLines(before);
  const newL = splitLines(after);
  if (oldL.length === 0 && newL.length === 0) return [];
  return [
    {
      oldStart: oldL.length ? 1 : 0,
      oldLines: oldL.length,
      newStart: newL.length ? 1 : 0,
      newLines: newL.length,
      lines: [...oldL.map((l) => `-${l}`), ...newL.map((l) => `+${l}`)]
    }
  ];
}
function applyHunks(original, hunks) {
  const endsWithNewline = original === "" || original.endsWith("\n");
  const src = splitLines(original);
  const out = [];
  let pos = 0;
  for (const h of hunks) {
    const start = Math.max(0, h.oldStart - 1);
    if (start < pos || start > src.length) return null;
    while (pos < start) out.push(src[pos++]);
    for (const line of h.lines) {
      const tag = line[0];
      const text = line.slice(1);
      if (tag === " " || tag === "-") {
        if (src[pos] !== text) return null;
        pos++;
        if (tag === " ") out.push(text);
      } else if (tag === "+") out.push(text);
    }
  }
  while (pos < src.length) out.push(src[pos++]);
  return out.join("\n") + (out.length && endsWithNewline ? "\n" : "");
}

// src/capture/redact.ts
var mark = (kind) => `[REDACTED:${kind}]`;
var TOKEN_RULES = [
  [
    "private-key",
    ["PRIVATE KEY"],
    /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----[\s\S]{1,20000}?-----END[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----/g
  ],
  ["aws-access-key", ["AKIA", "ASIA", "ABIA", "ACCA"], /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g],
  [
    "github-token",
    ["ghp_", "gho_", "ghs_", "ghu_", "ghr_"],
    /\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36,255}\b/g
  ],
  ["github-token", ["github_pat_"], /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g],
  ["anthropic-key", ["sk-ant-"], /\bsk-ant-[A-Za-z0-9_-]{20,255}/g],
  ["openai-key", ["sk-"], /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,255}/g],
  ["slack-token", ["xox"], /\bxox[abposr]-[A-Za-z0-9-]{10,255}/g],
  ["slack-webhook", ["hooks.slack.com"], /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]{20,200}/g],
  ["google-api-key", ["AIza"], /\bAIza[0-9A-Za-z_-]{35}\b/g],
  ["jwt", ["eyJ"], /\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,4096}/g],
  ["stripe-key", ["_live_"], /\b[rs]k_live_[A-Za-z0-9]{20,255}\b/g],
  ["npm-token", ["npm_"], /\bnpm_[A-Za-z0-9]{36}\b/g]
];
var ANY_HINT = new RegExp(
  TOKEN_RULES.flatMap(([, hints]) => hints).map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")
);
var AUTH_HEADER = /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(bearer|basic|token)\s+([A-Za-z0-9._~+/=-]{8,4096})/gi;
var URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@"'`]{1,200}:)([^\s@/"'`]{1,400})(@)/gi;
var SECRET_KEY = `[A-Za-z0-9_.-]{0,40}(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|credentials?|client[_-]?secret|session[_-]?key)[A-Za-z0-9_.-]{0,40}`;
var ASSIGNMENT = new RegExp(
  String.raw`((?:^|[\s{,;(])["']?${SECRET_KEY}["']?\s{0,8}(?:=|:(?!//))\s{0,8})(?:"([^"\n]{1,4096})"|'([^'\n]{1,4096})'|([^\s"',;}{)]{1,4096}))`,
  "gim"
);
var SECRET_WORD = /passw|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|credential|session[_-]?key/i;
var SUSPECT = new RegExp(
  `[Pp](?:assw|wd|RIVATE KEY)|secret|token|key|auth|credential|${ANY_HINT.source}`,
  "i"
);
function isPlaceholder(value) {
  if (value.length < 4) return true;
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value)) return true;
  if (/^(process\.env|os\.environ|env\.|ENV\[|getenv|secrets\.)/i.test(value)) return true;
  if (/^\{\{.*\}\}$/.test(value) || /^<[^>]+>$/.test(value)) return true;
  if (/^\[REDACTED:/.test(value)) return true;
  if (/^(true|false|null|none|undefined|required|optional|string|number|boolean|redacted|bearer|basic|\*+|x+)$/i.test(
    value
  ))
    return true;
  if (/^[a-z]+$/.test(value) && value.length < 16) return true;
  if (/[()]/.test(value) || /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(value)) return true;
  return false;
}
function shannonEntropy(s2) {
  const counts = /* @__PURE__ */ new Map();
  for (const ch of s2) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n2 of counts.values()) {
    const p = n2 / s2.length;
    h -= p * Math.log2(p);
  }
  return h;
}
var CANDIDATE = /(["'=:]\s{0,4})([A-Za-z0-9+/_-]{32,1024}={0,2})(?![A-Za-z0-9+/_=-])/g;
function looksRandom(token) {
  if (/^[0-9a-f]+$/i.test(token)) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token)) return false;
  if (/^(toolu|msg|req|srvtoolu|call|chatcmpl|run|file|asst|thread)_[A-Za-z0-9]+$/.test(token)) return false;
  if (/^[A-Za-z]+$/.test(token)) return false;
  if (/^[a-z0-9]+(?:[-_][a-z0-9]+)+$/.test(token)) return false;
  if (/[/]/.test(token) && /^[A-Za-z0-9._/-]+$/.test(token) && token.split("/").length > 2) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(token)).length;
  if (classes < 3) return false;
  return shannonEntropy(token) >= 4.2;
}
var compiledExtra = /* @__PURE__ */ new Map();
function extraRegex(source) {
  if (!compiledExtra.has(source)) {
    try {
      compiledExtra.set(source, new RegExp(source, "g"));
    } catch {
      compiledExtra.set(source, null);
    }
  }
  return compiledExtra.get(source) ?? null;
}
function redactText(text, opts = {}) {
  if (text.length < 8) return text;
  let out = text;
  const suspect = SUSPECT.test(out);
  if (suspect && ANY_HINT.test(out)) {
    for (const [kind, hints, re] of TOKEN_RULES)
      if (hints.some((h) => out.includes(h))) out = out.replace(re, mark(kind));
  }
  const lower = suspect && SECRET_WORD.test(out);
  if (lower)
    out = out.replace(
      AUTH_HEADER,
      (_m, name, sep, scheme) => `${name}${sep}${scheme} ${mark("auth-header")}`
    );
  if (out.includes("://"))
    out = out.replace(URL_CREDENTIALS, (_m, head, _pw, at) => `${head}${mark("url-password")}${at}`);
  if (lower)
    out = out.replace(ASSIGNMENT, (m, head, dq, sq, bare) => {
      const value = dq ?? sq ?? bare ?? "";
      if (isPlaceholder(value)) return m;
      const q = dq !== void 0 ? '"' : sq !== void 0 ? "'" : "";
      return `${head}${q}${mark("secret-assignment")}${q}`;
    });
  out = out.replace(
    CANDIDATE,
    (m, lead, token) => looksRandom(token) ? `${lead}${mark("high-entropy")}` : m
  );
  for (const source of opts.extraPatterns ?? []) {
    const re = extraRegex(source);
    if (re) out = out.replace(re, mark("custom"));
  }
  return out;
}
var SECRET_FIELD = /^(?:.*[_-])?(password|passwd|secret|token|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|client[_-]?secret|authorization|private[_-]?key|credentials?)$/i;
var NOT_SECRET_FIELD = /(tokens|_count|count|type|usage|limit|max|input_tokens|output_tokens)$/i;
function redactDeep(value, opts, key) {
  if (typeof value === "string") {
    if (key !== null && SECRET_FIELD.test(key) && !NOT_SECRET_FIELD.test(key) && !isPlaceholder(value))
      return mark("secret-field");
    return redactText(value, opts);
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, opts, null));
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, opts, k);
    return out;
  }
  return value;
}
function redactValue(value, opts = {}) {
  return redactDeep(value, opts, null);
}
function isEnvFile(file) {
  const base = file.split(/[\\/]/).pop() ?? "";
  return /^\.env(\..+)?$/.test(base) || /\.env$/.test(base) || base === ".envrc";
}
var ENV_LINE = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*)(.*)$/gm;
function redactFileContent(file, content, opts = {}) {
  if (isEnvFile(file))
    content = content.replace(
      ENV_LINE,
      (m, head, value) => value.trim() === "" ? m : `${head}${mark("env")}`
    );
  return redactText(content, opts);
}

// src/capture/events.ts
var AGENT_TOOLS = /* @__PURE__ */ new Set(["Agent", "Task"]);
var FILE_TOOLS = /* @__PURE__ */ new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"]);
function capValue(value, max) {
  if (value === void 0 || value === null) return value;
  const json = typeof value === "string" ? value : JSON.stringify(value);
  if (json === void 0 || Buffer.byteLength(json) <= max) return value;
  return {
    truncated: true,
    bytes: Buffer.byteLength(json),
    sha256: createHash3("sha256").update(json).digest("hex"),
    head: json.slice(0, Math.min(2048, max))
  };
}
var str = (v) => typeof v === "string" ? v : void 0;
function relPath(file, workTree) {
  if (workTree && file.startsWith(`${workTree}/`)) return file.slice(workTree.length + 1);
  return file;
}
function fileChange(p, ctx, base) {
  const input = p.tool_input ?? {};
  const resp = p.tool_response ?? {};
  const abs = str(resp.filePath) ?? str(input.file_path) ?? str(input.notebook_path);
  if (!abs) return null;
  const file = relPath(abs, ctx.workTree);
  const original = typeof resp.originalFile === "string" ? resp.originalFile : null;
  const patch = Array.isArray(resp.structuredPatch) ? resp.structuredPatch : [];
  let after = null;
  let hunks;
  let operation;
  if (p.tool_name === "Write") {
    after = str(input.content) ?? str(resp.content) ?? null;
    operation = original === null ? "create" : "update";
    hunks = patch.length || after === null ? patch : wholeFileHunks(original, after);
  } else if (p.tool_name === "NotebookEdit") {
    operation = "notebook";
    hunks = patch;
  } else {
    operation = "edit";
    hunks = patch;
    if (original !== null) after = applyHunks(original, patch);
  }
  const max = ctx.config.limits.fileContentBytes;
  let diff = unifiedDiff(file, hunks, original === null && operation === "create");
  diff = diff.split("\n").map(
    (line) => /^[-+ ]/.test(line) && !/^(---|\+\+\+) /.test(line) ? line[0] + redactFileContent(abs, line.slice(1)) : line
  ).join("\n");
  return {
    ...base(),
    type: "file_change",
    toolUseId: str(p.tool_use_id) ?? null,
    path: file,
    operation,
    diff: capValue(diff, max),
    blobBefore: original === null ? null : gitBlobId(original),
    blobAfter: after === null ? null : gitBlobId(after)
  };
}

// src/capture/transcript.ts
var newMemory = () => ({
  seen: /* @__PURE__ */ new Set(),
  pending: /* @__PURE__ */ new Map(),
  pendingText: /* @__PURE__ */ new Map(),
  tools: /* @__PURE__ */ new Map()
});
var num = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
function usageTokens(u) {
  const write = num(u.cache_creation_input_tokens);
  const split = u.cache_creation && typeof u.cache_creation === "object";
  const write1h = split ? num(u.cache_creation.ephemeral_1h_input_tokens) : 0;
  const write5m = split ? num(u.cache_creation.ephemeral_5m_input_tokens) : write;
  const rest = write - write1h - write5m;
  return {
    input: num(u.input_tokens),
    output: num(u.output_tokens),
    cacheRead: num(u.cache_read_input_tokens),
    cacheWrite: write,
    cacheWrite5m: write5m + Math.max(rest, 0),
    cacheWrite1h: write1h
  };
}
function resultText(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((b) => typeof b?.text === "string" ? b.text : "").join("\n");
  return "";
}
function parseLines(text) {
  const records = [];
  let badLines = 0;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const rec = JSON.parse(line);
      if (rec && typeof rec === "object") records.push(rec);
      else badLines++;
    } catch {
      const parts = splitConcatenated(line);
      if (parts) records.push(...parts);
      else badLines++;
    }
  }
  return { records, badLines };
}
function splitConcatenated(line) {
  const out = [];
  let rest = line.trim();
  while (rest) {
    let cut = rest.indexOf("}{");
    let parsed;
    for (; ; ) {
      if (cut < 0) {
        try {
          parsed = JSON.parse(rest);
        } catch {
          return null;
        }
        rest = "";
        break;
      }
      try {
        parsed = JSON.parse(rest.slice(0, cut + 1));
        rest = rest.slice(cut + 1);
        break;
      } catch {
        cut = rest.indexOf("}{", cut + 1);
      }
    }
    if (!parsed || typeof parsed !== "object") return null;
    out.push(parsed);
  }
  return out.length > 1 ? out : null;
}
function releasePending(memory, out, keep) {
  for (const [key, e] of memory.pending) {
    if (key === keep) continue;
    memory.pending.delete(key);
    memory.seen.add(key);
    out.push(e);
  }
}
function transcriptEvents(records, session, agent, memory, opts = {}) {
  const out = { events: [], unknownModels: /* @__PURE__ */ new Set() };
  const capBytes = opts.cap ?? 4096;
  const fileType = opts.agentType ?? (agent === "main" ? "main" : null);
  for (const rec of records) {
    const who = typeof rec.agentId === "string" && agent !== "main" ? rec.agentId : agent;
    const ts = typeof rec.timestamp === "string" ? rec.timestamp : (/* @__PURE__ */ new Date(0)).toISOString();
    const base = (type, id) => {
      const e = { id, ts, session, agent: who, type, source: "transcript" };
      if (fileType) e.agentType = fileType;
      return e;
    };
    const msg = rec.message;
    if (rec.type === "assistant" && msg && typeof msg === "object") {
      const key = usageKey(msg.id ?? rec.uuid, rec.requestId);
      releasePending(memory, out.events, key);
      const model = typeof msg.model === "string" ? msg.model : "unknown";
      if (msg.usage && model !== "<synthetic>" && !memory.seen.has(key)) {
        const tokens = usageTokens(msg.usage);
        const fast = msg.usage.speed === "fast";
        const cost = costUnits(model, tokens, void 0, ts.slice(0, 10), fast);
        if (cost === null) out.unknownModels.add(model);
        const first = memory.pending.get(key);
        memory.pending.set(key, {
          ...base("usage", usageId(session, key)),
          ...first ? { ts: first.ts } : {},
          model,
          messageId: msg.id ?? null,
          requestId: rec.requestId ?? null,
          tokens,
          ...fast ? { speed: "fast" } : {},
          // at the built-in prices, for a reader of the raw event; every figure is derived from tokens
          costUsd: cost === null ? null : unitsToUsd(cost)
        });
      }
      for (const block of Array.isArray(msg.content) ? msg.content : []) {
        if (block?.type === "text" && typeof block.text === "string" && block.text.trim()) {
          const prev = memory.pendingText.get(key);
          memory.pendingText.set(key, prev ? `${prev}
${block.text}` : block.text);
        } else if (block?.type === "tool_use" && typeof block.id === "string") {
          memory.tools.set(block.id, {
            name: typeof block.name === "string" ? block.name : null,
            input: block.input ?? null,
            ts
          });
          const rationale = memory.pendingText.get(key);
          if (rationale) {
            out.events.push({
              ...base("decision", derivedId("d", session, block.id)),
              rationale,
              toolUseId: block.id,
              tool: typeof block.name === "string" ? block.name : null
            });
          }
        }
      }
    } else if (rec.type === "user" && msg) {
      if (!Array.isArray(msg.content)) continue;
      for (const block of msg.content) {
        if (block?.type !== "tool_result" || block.is_error !== true || typeof block.tool_use_id !== "string")
          continue;
        const call = memory.tools.get(block.tool_use_id);
        const text = resultText(block.content);
        const outcome = errorOutcome(text);
        const started = call ? Date.parse(call.ts) : Number.NaN;
        const input = capValue(call?.input ?? null, capBytes);
        out.events.push({
          ...base("tool_call", toolCallId(session, who, block.tool_use_id)),
          toolUseId: block.tool_use_id,
          tool: call?.name ?? "unknown",
          input,
          success: false,
          outcome,
          error: capValue(text, capBytes),
          durationMs: Number.isFinite(started) ? Math.max(0, Date.parse(ts) - started) : null
        });
        if (outcome === "failed")
          out.events.push({
            ...base("error", toolErrorId(session, block.tool_use_id)),
            toolUseId: block.tool_use_id,
            tool: call?.name ?? null,
            input,
            message: text.slice(0, capBytes)
          });
      }
    }
  }
  if (opts.final) releasePending(memory, out.events, null);
  return out;
}
var CHUNK = 4 * 1024 * 1024;

// src/capture/import-events.ts
var str2 = (v) => typeof v === "string" ? v : null;
function structuralEvents(records, session, agent, agentType, config) {
  const out = [];
  const starts = /* @__PURE__ */ new Map();
  let first = null;
  let lastTs = null;
  let lastText = null;
  const cap = (v) => capValue(v, config.limits.toolOutputBytes);
  for (const rec of records) {
    const ts = str2(rec?.timestamp);
    if (!ts) continue;
    lastTs = ts;
    const base = (type, key) => {
      const e = {
        id: derivedId(type, session, `${agent}:${key}`),
        ts,
        session,
        agent,
        type,
        source: "import"
      };
      if (agentType) e.agentType = agentType;
      return e;
    };
    if (!first && (rec.type === "user" || rec.type === "assistant")) {
      first = rec;
      if (agent === "main") {
        out.push({
          ...base("session_start", "start"),
          source: "import",
          cwd: str2(rec.cwd),
          branch: str2(rec.gitBranch),
          head: null,
          model: null,
          version: str2(rec.version)
        });
      } else out.push({ ...base("agent_start", "start"), agentId: agent });
    }
    const content = rec.message?.content;
    if (rec.type === "user" && agent === "main" && typeof content === "string" && !rec.isMeta) {
      out.push({ ...base("prompt", `prompt:${rec.uuid ?? ts}`), text: cap(content) });
    }
    if (!Array.isArray(content)) continue;
    for (const b of content) {
      if (rec.type === "assistant" && b?.type === "text" && typeof b.text === "string" && b.text.trim())
        lastText = b.text;
      if (rec.type === "assistant" && b?.type === "tool_use" && typeof b.id === "string") {
        const tool = String(b.name ?? "unknown");
        starts.set(b.id, { ts, tool, input: b.input });
        const e = {
          ...base("tool_start", b.id),
          toolUseId: b.id,
          tool,
          input: cap(b.input ?? null)
        };
        if (AGENT_TOOLS.has(tool) && b.input)
          e.launch = {
            description: str2(b.input.description),
            prompt: cap(b.input.prompt ?? null),
            subagentType: str2(b.input.subagent_type)
          };
        out.push(e);
      } else if (rec.type === "user" && b?.type === "tool_result" && typeof b.tool_use_id === "string" && b.is_error !== true) {
        const s2 = starts.get(b.tool_use_id);
        const result = rec.toolUseResult;
        const e = {
          ...base("tool_call", b.tool_use_id),
          toolUseId: b.tool_use_id,
          tool: s2?.tool ?? "unknown",
          input: cap(s2?.input ?? null),
          success: true,
          durationMs: s2 ? Date.parse(ts) - Date.parse(s2.ts) : null,
          outcome: "success",
          output: cap(result ?? null)
        };
        if (s2 && AGENT_TOOLS.has(s2.tool) && result && typeof result === "object")
          e.launchedAgent = str2(result.agentId);
        out.push(e);
        if (s2 && FILE_TOOLS.has(s2.tool) && result && typeof result === "object") {
          const fc = fileChange(
            { tool_name: s2.tool, tool_input: s2.input, tool_response: result, tool_use_id: b.tool_use_id },
            { config, workTree: str2(rec.cwd) ?? void 0 },
            () => base("file_change", b.tool_use_id)
          );
          if (fc) out.push(fc);
        }
      }
    }
  }
  if (agent !== "main" && lastTs) {
    const end = {
      id: derivedId("agent_end", session, `${agent}:end`),
      ts: lastTs,
      session,
      agent,
      type: "agent_end",
      source: "import",
      agentId: agent,
      lastMessage: lastText === null ? null : cap(lastText)
    };
    if (agentType) end.agentType = agentType;
    out.push(end);
  }
  return out;
}
function launchedTypes(records) {
  const typeOfCall = /* @__PURE__ */ new Map();
  const out = /* @__PURE__ */ new Map();
  for (const rec of records) {
    const content = rec?.message?.content;
    if (!Array.isArray(content)) continue;
    for (const b of content) {
      if (rec.type === "assistant" && b?.type === "tool_use" && AGENT_TOOLS.has(b.name) && b.id)
        typeOfCall.set(b.id, str2(b.input?.subagent_type) ?? "general-purpose");
      if (rec.type === "user" && b?.type === "tool_result" && typeof b.tool_use_id === "string") {
        const agentId = str2(rec.toolUseResult?.agentId);
        const type = str2(rec.toolUseResult?.agentType) ?? typeOfCall.get(b.tool_use_id);
        if (agentId && type) out.set(agentId, type);
      }
    }
  }
  return out;
}
function metaType(file) {
  try {
    return str2(JSON.parse(fs.readFileSync(file.replace(/\.jsonl$/, ".meta.json"), "utf8")).agentType);
  } catch {
    return null;
  }
}
function importSessionEvents(s2, known, config) {
  const r = readSessionEvents(s2, known, config);
  const lines = r.events.map((e) => JSON.stringify(e));
  return {
    session: s2.session,
    events: r.events,
    lines,
    badLines: r.badLines,
    unknownModels: r.unknownModels
  };
}
function prepareNewSession(s2, config) {
  const r = readSessionEvents(s2, false, config);
  const base = {
    session: s2.session,
    events: [],
    lines: [],
    badLines: r.badLines,
    unknownModels: r.unknownModels
  };
  if (r.events.length === 0) return base;
  const seen = /* @__PURE__ */ new Set();
  const events = r.events.filter((e) => {
    if (seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
  let text = "";
  for (const e of events) text += `${JSON.stringify(e)}
`;
  const summary = foldSummary({ ...emptySummary(s2.session, "", ""), author: null }, events);
  return {
    ...base,
    prepared: {
      session: s2.session,
      // JSON of redacted values: redacted text
      text,
      events: events.length,
      firstTs: events.map((e) => e.ts).sort()[0],
      summary
    }
  };
}
function readSessionEvents(s2, known, config) {
  const unknown = /* @__PURE__ */ new Set();
  const memory = newMemory();
  const events = [];
  let badLines = 0;
  let usage = 0;
  const parsed = (file) => {
    const r = parseLines(fs.readFileSync(file, "utf8"));
    badLines += r.badLines;
    return r.records;
  };
  const mainRecords = s2.main ? parsed(s2.main) : [];
  const types = launchedTypes(mainRecords);
  const files = [];
  if (s2.main) files.push({ records: mainRecords, agent: "main", type: "main" });
  for (const sub of s2.subagents) {
    const type = metaType(sub.file) ?? types.get(sub.agent) ?? "sidechain";
    files.push({ records: parsed(sub.file), agent: sub.agent, type });
  }
  const cap = config.limits.toolOutputBytes;
  for (const f of files) {
    const r = transcriptEvents(f.records, s2.session, f.agent, memory, {
      agentType: f.type,
      final: true,
      cap
    });
    for (const m of r.unknownModels) unknown.add(m);
    for (const e of r.events) if (e.type === "usage") usage++;
    events.push(...r.events);
    if (!known) events.push(...structuralEvents(f.records, s2.session, f.agent, f.type, config));
  }
  if (usage === 0 && !known) return { events: [], badLines, unknownModels: [] };
  const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
  return { events: redacted, badLines, unknownModels: [...unknown] };
}

// src/capture/import-worker.ts
parentPort?.on("message", (req) => {
  let res;
  try {
    res = {
      id: req.id,
      results: req.sessions.map(
        (s2, k) => req.known[k] ? importSessionEvents(s2, true, req.config) : prepareNewSession(s2, req.config)
      )
    };
  } catch (e) {
    res = { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(res);
});
