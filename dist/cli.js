var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/model/config.ts
function pricingOf(raw) {
  const out = {};
  if (!isObj(raw)) return out;
  for (const [model, v] of Object.entries(raw)) {
    if (!isObj(v)) continue;
    const input = price(v.input);
    const output = price(v.output);
    if (input === void 0 || output === void 0) continue;
    out[model] = { input, output };
    for (const k of ["cacheRead", "cacheWrite5m", "cacheWrite1h"]) {
      const x = price(v[k]);
      if (x !== void 0) out[model][k] = x;
    }
  }
  return out;
}
function normalizeConfig(raw) {
  const r = isObj(raw) ? raw : {};
  const sub = (k) => isObj(r[k]) ? r[k] : {};
  const d = DEFAULT_CONFIG;
  const extra = sub("redaction").extraPatterns;
  return {
    phase: typeof r.phase === "string" && /^[\w.-]+$/.test(r.phase) ? r.phase : d.phase,
    snapshots: {
      everyAgents: posInt(sub("snapshots").everyAgents, d.snapshots.everyAgents),
      everyTokens: posInt(sub("snapshots").everyTokens, d.snapshots.everyTokens)
    },
    flush: { everyEvents: posInt(sub("flush").everyEvents, d.flush.everyEvents) },
    limits: {
      toolOutputBytes: posInt(sub("limits").toolOutputBytes, d.limits.toolOutputBytes),
      fileContentBytes: posInt(sub("limits").fileContentBytes, d.limits.fileContentBytes)
    },
    redaction: { extraPatterns: Array.isArray(extra) ? extra.filter((p) => typeof p === "string") : [] },
    pricing: pricingOf(r.pricing),
    recovery: {
      handoffBudget: posInt(sub("recovery").handoffBudget, d.recovery.handoffBudget),
      injectOnStartup: typeof sub("recovery").injectOnStartup === "boolean" ? sub("recovery").injectOnStartup : d.recovery.injectOnStartup,
      crashedAfterMinutes: posInt(sub("recovery").crashedAfterMinutes, d.recovery.crashedAfterMinutes)
    },
    tracking: {
      remote: typeof sub("tracking").remote === "string" && sub("tracking").remote.trim() ? sub("tracking").remote.trim() : d.tracking.remote,
      pushOnSessionEnd: typeof sub("tracking").pushOnSessionEnd === "boolean" ? sub("tracking").pushOnSessionEnd : d.tracking.pushOnSessionEnd
    },
    archive: {
      bucket: strOrNull(sub("archive").bucket),
      prefix: (strOrNull(sub("archive").prefix) ?? d.archive.prefix).replace(/^\/+|\/+$/g, ""),
      keep: nonNegInt(sub("archive").keep, d.archive.keep),
      storageClass: strOrNull(sub("archive").storageClass) ?? d.archive.storageClass
    },
    backup: {
      driveFolderId: strOrNull(sub("backup").driveFolderId),
      sharedDriveId: strOrNull(sub("backup").sharedDriveId),
      keep: nonNegInt(sub("backup").keep, d.backup.keep)
    }
  };
}
var DEFAULT_CONFIG, strOrNull, nonNegInt, isObj, posInt, price, CONFIG_FILE, CONFIG_TEMPLATE;
var init_config = __esm({
  "src/model/config.ts"() {
    "use strict";
    DEFAULT_CONFIG = {
      phase: "phase-1",
      snapshots: { everyAgents: 10, everyTokens: 2e4 },
      flush: { everyEvents: 50 },
      limits: { toolOutputBytes: 32 * 1024, fileContentBytes: 256 * 1024 },
      redaction: { extraPatterns: [] },
      pricing: {},
      recovery: { handoffBudget: 2e3, injectOnStartup: true, crashedAfterMinutes: 30 },
      tracking: { remote: "origin", pushOnSessionEnd: false },
      archive: { bucket: null, prefix: "agent-tracking", keep: 2, storageClass: "DEEP_ARCHIVE" },
      backup: { driveFolderId: null, sharedDriveId: null, keep: 1 }
    };
    strOrNull = (v) => typeof v === "string" && v.trim() ? v.trim() : null;
    nonNegInt = (v, d) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : d;
    isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
    posInt = (v, d) => typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : d;
    price = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : void 0;
    CONFIG_FILE = ".agent-tracking.yml";
    CONFIG_TEMPLATE = `# subagent-tracking configuration (https://www.npmjs.com/package/subagent-tracking)
# Every key is optional; the values shown are the defaults.

# The phase (milestone, sprint) that new sessions are recorded under.
phase: phase-1

# Automatic snapshots for recovery: every N subagent runs or N tokens, whichever comes first.
snapshots:
  everyAgents: 10
  everyTokens: 20000

# The hook appends to a spool; a background flush commits the spool to the agent-tracking branch
# on SubagentStop, Stop, PreCompact, SessionEnd and after this many unflushed events.
flush:
  everyEvents: 50

# Size caps: tool outputs above toolOutputBytes are cut (their length and sha256 are kept);
# file contents above fileContentBytes are not stored.
limits:
  toolOutputBytes: 32768
  fileContentBytes: 262144

# Secrets are redacted before anything is written (AWS, GitHub, Anthropic, OpenAI, Slack, Google
# keys, private keys, JWTs, password/secret/token assignments, .env values, high-entropy strings).
# Add your own regular expressions here; each match becomes [REDACTED:custom].
redaction:
  extraPatterns: []

# Prices in USD per million tokens, for a model the built-in table (from @pydantic/genai-prices)
# lacks, or a negotiated price: model id or prefix -> input, output (cacheRead, cacheWrite5m,
# cacheWrite1h default to 0.1x, 1.25x and 2x input). Costs are list-price estimates.
pricing: {}
#  claude-opus-4-7: { input: 5, output: 25 }

# Recovery: the handoff a new session gets after a crash, a compaction or --resume.
recovery:
  handoffBudget: 2000        # budget, counted with Claude's tokenizer
  injectOnStartup: true      # on a plain start, inject the handoff when the branch's last session crashed
  crashedAfterMinutes: 30    # no SessionEnd and silent this long: crashed (when its process cannot be checked)

# Team sync: \`agent-track push\` / \`pull\` exchange the agent-tracking branch with this remote.
# A remote name or any git URL: point it at a private repository to keep a public project's agent
# history private (\`push\` carries everything over from the previous remote).
tracking:
  remote: origin
  pushOnSessionEnd: false    # push in the background when a session ends

# Cloud tiers. Drive keeps the current phase and \`keep\` before it (\`agent-track backup\`); S3 Glacier
# Deep Archive keeps every phase more than \`keep\` behind the current one, forever, as Parquet and
# gzipped JSONL, and prunes it from the branch tip once verified (\`agent-track archive\`).
# Credentials come from the environment only (AWS's standard chain; Drive: see \`agent-track auth drive\`).
archive:
  bucket:                    # an S3 bucket (or --bucket); AWS_ENDPOINT_URL for MinIO, R2 and tests
  prefix: agent-tracking
  keep: 2
  storageClass: DEEP_ARCHIVE
backup:
  driveFolderId:             # default: a folder named agent-tracking in My Drive
  sharedDriveId:             # required with a service account (it has no storage quota of its own)
  keep: 1
`;
  }
});

// src/store/config.ts
import * as fs from "node:fs";
import * as path from "node:path";
async function loadConfig(paths) {
  const file = path.join(paths.workTree, CONFIG_FILE);
  let st;
  try {
    st = fs.statSync(file);
  } catch {
    return DEFAULT_CONFIG;
  }
  const key = `${st.size}:${st.mtimeMs}`;
  const cacheFile = path.join(paths.trackingDir, "config-cache.json");
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, "utf8"));
    if (cached.key === key && cached.file === file) return cached.config;
  } catch {
  }
  const { parse } = await import("yaml");
  let config;
  try {
    config = normalizeConfig(parse(fs.readFileSync(file, "utf8")));
  } catch {
    config = DEFAULT_CONFIG;
  }
  try {
    fs.mkdirSync(paths.trackingDir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ key, file, config }));
    fs.renameSync(tmp, cacheFile);
  } catch {
  }
  return config;
}
var init_config2 = __esm({
  "src/store/config.ts"() {
    "use strict";
    init_config();
  }
});

// src/model/canonical.ts
import { createHash } from "node:crypto";
function errorOutcome(text) {
  const t = text.trimStart();
  if (t.startsWith("The user doesn't want to proceed with this tool use") || t.startsWith("The user does not want to proceed") || t.startsWith("User rejected tool use") || t.startsWith("The user doesn't want to take this action"))
    return "rejected";
  if (t.startsWith("[Request interrupted by user")) return "interrupted";
  return "failed";
}
var derivedId, toolCallId, toolErrorId, usageKey, usageId;
var init_canonical = __esm({
  "src/model/canonical.ts"() {
    "use strict";
    derivedId = (kind, session, key) => `${kind}-${createHash("sha1").update(`${session}\0${key}`).digest("hex").slice(0, 32)}`;
    toolCallId = (session, agent, toolUseId) => derivedId("tool_call", session, `${agent}:${toolUseId}`);
    toolErrorId = (session, toolUseId) => derivedId("e", session, toolUseId);
    usageKey = (messageId, requestId) => `${messageId}:${requestId ?? ""}`;
    usageId = (session, key) => derivedId("u", session, key);
  }
});

// src/model/events.ts
var zeroTokens;
var init_events = __esm({
  "src/model/events.ts"() {
    "use strict";
    zeroTokens = () => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
  }
});

// src/model/prices.generated.ts
var PRICE_TABLE;
var init_prices_generated = __esm({
  "src/model/prices.generated.ts"() {
    "use strict";
    PRICE_TABLE = { "source": "@pydantic/genai-prices 0.1.8", "unit": "USD per million tokens", "models": [{ "id": "claude-2", "name": "Claude 2.0 / 2.1", "match": { "or": [{ "starts_with": "claude-2" }, { "contains": "claude-v2" }] }, "prices": [{ "since": null, "input": 8, "output": 24, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 16 }] }, { "id": "claude-3-5-haiku-latest", "name": "Claude Haiku 3.5", "match": { "or": [{ "starts_with": "claude-3-5-haiku" }, { "starts_with": "claude-3.5-haiku" }] }, "prices": [{ "since": null, "input": 0.8, "output": 4, "cacheRead": 0.08, "cacheWrite5m": 1, "cacheWrite1h": 1.6 }] }, { "id": "claude-3-5-sonnet", "name": "Claude Sonnet 3.5", "match": { "or": [{ "starts_with": "claude-3-5-sonnet" }, { "starts_with": "claude-3.5-sonnet" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-3-7-sonnet-latest", "name": "Claude Sonnet 3.7", "match": { "or": [{ "starts_with": "claude-3-7-sonnet" }, { "starts_with": "claude-3.7-sonnet" }, { "starts_with": "claude-sonnet-3.7" }, { "starts_with": "claude-sonnet-3-7" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-3-haiku", "name": "Claude Haiku 3", "match": { "starts_with": "claude-3-haiku" }, "prices": [{ "since": null, "input": 0.25, "output": 1.25, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.5 }] }, { "id": "claude-3-opus-latest", "name": "Claude Opus 3", "match": { "starts_with": "claude-3-opus" }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-3-sonnet", "name": "Claude 3 Sonnet", "match": { "starts_with": "claude-3-sonnet" }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-fable-5", "name": "Claude Fable 5", "match": { "or": [{ "equals": "claude-fable-5" }, { "regex": "^claude-fable-5-\\d{8}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 20 }] }, { "id": "claude-fable-5-1", "name": "Claude Fable 5.1", "match": { "or": [{ "equals": "claude-fable-5-1" }, { "regex": "^claude-fable-5-1-\\d{8}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 0.25, "cacheWrite5m": 12.5, "cacheWrite1h": 20 }] }, { "id": "claude-haiku-4-5", "name": "Claude Haiku 4.5", "match": { "or": [{ "starts_with": "claude-haiku-4-5" }, { "starts_with": "claude-haiku-4.5" }, { "starts_with": "claude-4-5-haiku" }, { "starts_with": "claude-4.5-haiku" }] }, "prices": [{ "since": null, "input": 1, "output": 5, "cacheRead": 0.1, "cacheWrite5m": 1.25, "cacheWrite1h": 2 }] }, { "id": "claude-opus-4-0", "name": "Claude Opus 4", "match": { "or": [{ "starts_with": "claude-opus-4-0" }, { "starts_with": "claude-4-opus" }, { "equals": "claude-opus-4" }, { "equals": "claude-opus-4-20250514" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-opus-4-1", "name": "Claude Opus 4.1", "match": { "or": [{ "starts_with": "claude-opus-4-1" }, { "starts_with": "claude-opus-4.1" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-opus-4-5", "name": "Claude Opus 4.5", "match": { "or": [{ "starts_with": "claude-opus-4-5" }, { "starts_with": "claude-opus-4.5" }, { "starts_with": "claude-4-5-opus" }, { "starts_with": "claude-4.5-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-4-6", "name": "Claude Opus 4.6", "match": { "or": [{ "starts_with": "claude-opus-4-6" }, { "starts_with": "claude-opus-4.6" }, { "starts_with": "claude-4-6-opus" }, { "starts_with": "claude-4.6-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10, "long": { "threshold": 2e5, "input": 10, "output": 37.5, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 20 } }, { "since": "2026-03-13", "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }], "fast": 6 }, { "id": "claude-opus-4-7", "name": "Claude Opus 4.7", "match": { "or": [{ "starts_with": "claude-opus-4-7" }, { "starts_with": "claude-opus-4.7" }, { "starts_with": "claude-4-7-opus" }, { "starts_with": "claude-4.7-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }], "fast": 6 }, { "id": "claude-opus-4-8", "name": "Claude Opus 4.8", "match": { "or": [{ "starts_with": "claude-opus-4-8" }, { "starts_with": "claude-opus-4.8" }, { "starts_with": "claude-4-8-opus" }, { "starts_with": "claude-4.8-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-5", "name": "Claude Opus 5", "match": { "or": [{ "equals": "claude-opus-5" }, { "regex": "^claude-opus-5-\\d{8}$" }, { "starts_with": "claude-opus-5.0" }, { "starts_with": "claude-5-opus" }, { "starts_with": "claude-5.0-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-5-5", "name": "Claude Opus 5.5", "match": { "or": [{ "equals": "claude-opus-5-5" }, { "regex": "^claude-opus-5-5-\\d{8}$" }, { "starts_with": "claude-opus-5.5" }, { "starts_with": "claude-5-5-opus" }, { "starts_with": "claude-5.5-opus" }] }, "prices": [{ "since": null, "input": 4, "output": 20, "cacheRead": 0.2, "cacheWrite5m": 5, "cacheWrite1h": 8 }] }, { "id": "claude-sonnet-4-0", "name": "Claude Sonnet 4", "match": { "or": [{ "starts_with": "claude-sonnet-4-2025" }, { "starts_with": "claude-sonnet-4-0" }, { "starts_with": "claude-sonnet-4@" }, { "equals": "claude-sonnet-4" }, { "starts_with": "claude-4-sonnet" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }] }, { "id": "claude-sonnet-4-5", "name": "Claude Sonnet 4.5", "match": { "or": [{ "starts_with": "claude-sonnet-4-5" }, { "starts_with": "claude-sonnet-4.5" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }] }, { "id": "claude-sonnet-4-6", "name": "Claude Sonnet 4.6", "match": { "or": [{ "starts_with": "claude-sonnet-4-6" }, { "starts_with": "claude-sonnet-4.6" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }, { "since": "2026-03-13", "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-sonnet-5", "name": "Claude Sonnet 5", "match": { "or": [{ "starts_with": "claude-sonnet-5" }, { "starts_with": "claude-sonnet-5.0" }, { "starts_with": "claude-5-sonnet" }, { "starts_with": "claude-5.0-sonnet" }] }, "prices": [{ "since": null, "input": 2, "output": 10, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 4 }] }, { "id": "claude-v1", "match": { "equals": "claude-v1" }, "prices": [{ "since": null, "input": 8, "output": 24, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 16 }] }] };
  }
});

// src/model/pricing.ts
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
  const { since: _since, ...price2 } = p;
  return m.fast ? { ...price2, fast: m.fast } : price2;
}
function unitsOf(price2, t, long, fast = false) {
  const pr = long && price2.long ? price2.long : price2;
  const u = units(t.input, pr.input) + units(t.output, pr.output) + units(t.cacheRead, pr.cacheRead) + units(t.cacheWrite5m, pr.cacheWrite5m) + units(t.cacheWrite1h, pr.cacheWrite1h);
  return fast && price2.fast ? u * price2.fast : u;
}
function costUnits(model, t, prices = BUILTIN_PRICES, day, fast = false) {
  const price2 = priceFor(prices, model, day);
  if (!price2) return null;
  return unitsOf(price2, t, t.input + t.cacheRead + t.cacheWrite > LONG_CONTEXT_THRESHOLD, fast);
}
var table, BUILTIN_PRICES, PRICE_SOURCE, LONG_CONTEXT_THRESHOLD, withOverrides, ALIASES, found, priceOf, units, unitsToUsd;
var init_pricing = __esm({
  "src/model/pricing.ts"() {
    "use strict";
    init_prices_generated();
    table = PRICE_TABLE;
    BUILTIN_PRICES = { models: table.models, overrides: {} };
    PRICE_SOURCE = table.source;
    LONG_CONTEXT_THRESHOLD = 2e5;
    withOverrides = (overrides) => ({
      models: BUILTIN_PRICES.models,
      overrides
    });
    ALIASES = {
      opus: "claude-opus-4-7",
      sonnet: "claude-sonnet-4-6",
      haiku: "claude-haiku-4-5",
      opusplan: "claude-opus-4-7"
    };
    found = /* @__PURE__ */ new Map();
    priceOf = (model) => priceFor(BUILTIN_PRICES, model);
    units = (tokens, perMillion) => tokens * Math.round(perMillion * 1e4);
    unitsToUsd = (u) => Math.round(u / 100) / 1e8;
  }
});

// src/model/figures.ts
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
function addCell(s2, c, prices) {
  s2.tokens.input += c.tokens.input;
  s2.tokens.output += c.tokens.output;
  s2.tokens.cacheRead += c.tokens.cacheRead;
  s2.tokens.cacheWrite += c.tokens.cacheWrite;
  s2.requests += c.requests;
  const price2 = priceFor(prices, c.model, c.day);
  if (price2) s2.units += unitsOf(price2, c.tokens, c.long, c.fast);
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
function costUsd(s2) {
  if (s2.unpricedTokens > 0 && s2.units === 0) return null;
  return unitsToUsd(s2.units);
}
function weekOf(day) {
  const d = /* @__PURE__ */ new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}
function sessionsIn(list, r = {}) {
  if (!r.since && !r.until) return list;
  return list.filter(
    (s2) => (!r.since || (s2.lastActivity ?? "").slice(0, 10) >= r.since) && (!r.until || (s2.started ?? "").slice(0, 10) <= r.until)
  );
}
function totals(list, prices, r = {}) {
  const sessions = sessionsIn(list, r);
  const cells = sessions.flatMap((s2) => cellsOf(s2, r));
  const sum = (f) => sessions.reduce((a, s2) => a + (f(s2) ?? 0), 0);
  return {
    sessions: sessions.length,
    agents: sum((s2) => s2.agents),
    toolCalls: sum((s2) => s2.toolCalls),
    toolFailures: sum((s2) => s2.toolFailures),
    toolRejected: sum((s2) => s2.toolRejected),
    toolInterrupted: sum((s2) => s2.toolInterrupted),
    errors: sum((s2) => s2.errors),
    fileChanges: sum((s2) => s2.fileChanges),
    ...money(totalSpend(cells, prices)),
    byModel: Object.fromEntries(
      [...spendBy(cells, prices, (c) => c.model)].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, money(v)])
    )
  };
}
function row(key, cells, prices) {
  const m = money(totalSpend(cells, prices));
  const byModel = [...spendBy(cells, prices, (c) => c.model)].map(([model, s2]) => ({ model, ...money(s2) }));
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
    modelBreakdowns: byModel.sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0)).map((b) => ({
      modelName: b.model,
      inputTokens: b.tokens.input,
      outputTokens: b.tokens.output,
      cacheCreationTokens: b.tokens.cacheWrite,
      cacheReadTokens: b.tokens.cacheRead,
      cost: b.costUsd
    }))
  };
}
function breakdown(list, by, prices, r = {}) {
  const sessions = sessionsIn(list, r);
  if (by === "session") {
    return [...sessions].sort((a, b) => (a.started ?? "").localeCompare(b.started ?? "")).map((s2) => ({
      ...row(s2.session, cellsOf(s2, r), prices),
      started: s2.started,
      lastActivity: s2.lastActivity,
      firstPrompt: s2.firstPrompt ?? null
    }));
  }
  const groups = /* @__PURE__ */ new Map();
  const add = (key, s2, c) => {
    const g = groups.get(key) ?? { cells: [], sessions: /* @__PURE__ */ new Set() };
    g.cells.push(...c);
    g.sessions.add(s2.session);
    groups.set(key, g);
  };
  for (const s2 of sessions) {
    if (by === "author") {
      add(s2.author ? `${s2.author.name} <${s2.author.email}>` : "(unknown)", s2, cellsOf(s2, r));
      continue;
    }
    for (const c of cellsOf(s2, r)) {
      const key = by === "day" ? c.day : by === "week" ? weekOf(c.day) : by === "month" ? monthOf(c.day) : by === "agent" ? c.agentType : c.model;
      add(key, s2, [c]);
    }
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => ({ ...row(key, g.cells, prices), sessions: g.sessions.size }));
}
function eventsSpend(events, prices, agentTypes = {}) {
  const cells = {};
  for (const e of events) if (e.type === "usage") addUsage(cells, e, usageAgentType(e, agentTypes));
  return money(totalSpend(Object.values(cells), prices));
}
var n, addTokens, emptySpend, allTokens, totalSpend, monthOf, inRange, cellsOf, money, BREAKDOWNS;
var init_figures = __esm({
  "src/model/figures.ts"() {
    "use strict";
    init_pricing();
    n = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
    addTokens = (a, b) => ({
      input: a.input + b.input,
      output: a.output + b.output,
      cacheRead: a.cacheRead + b.cacheRead,
      cacheWrite: a.cacheWrite + b.cacheWrite,
      cacheWrite5m: a.cacheWrite5m + b.cacheWrite5m,
      cacheWrite1h: a.cacheWrite1h + b.cacheWrite1h
    });
    emptySpend = () => ({
      tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      units: 0,
      unpricedTokens: 0,
      unpricedModels: [],
      requests: 0
    });
    allTokens = (t) => t.input + t.output + t.cacheRead + t.cacheWrite;
    totalSpend = (cells, prices) => spendBy(cells, prices).get("all") ?? emptySpend();
    monthOf = (day) => day.slice(0, 7);
    inRange = (day, r) => (!r.since || day >= r.since) && (!r.until || day <= r.until);
    cellsOf = (s2, r = {}) => Object.values(s2.cells ?? {}).filter((c) => inRange(c.day, r));
    money = (s2) => ({
      tokens: { ...s2.tokens },
      costUsd: costUsd(s2),
      unpricedTokens: s2.unpricedTokens,
      unpricedModels: [...s2.unpricedModels].sort()
    });
    BREAKDOWNS = ["day", "week", "month", "session", "agent", "model", "author"];
  }
});

// src/model/session.ts
function emptySummary(session, phase2, dir) {
  return {
    v: SUMMARY_VERSION,
    session,
    phase: phase2,
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
function sessionStatus(s2, ctx) {
  if (s2.ended || s2.imported && !s2.pid) return "ended";
  let gone;
  if (typeof s2.pid === "number" && s2.pid > 0 && s2.host === ctx.host) gone = !ctx.alive(s2.pid);
  else {
    const last = s2.lastActivity ? Date.parse(s2.lastActivity) : Number.NaN;
    gone = Number.isFinite(last) && ctx.now - last > ctx.crashedAfterMinutes * 6e4;
  }
  if (!gone) return "running";
  return s2.lastTurnEnded ? "ended" : "crashed";
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}
var SUMMARY_VERSION, totalTokens, s, isCurrentSummary, spendRecord;
var init_session = __esm({
  "src/model/session.ts"() {
    "use strict";
    init_canonical();
    init_events();
    init_figures();
    init_pricing();
    SUMMARY_VERSION = 2;
    totalTokens = (s2) => s2.tokens.input + s2.tokens.output + s2.tokens.cacheRead + s2.tokens.cacheWrite;
    s = (v) => typeof v === "string" ? v : null;
    isCurrentSummary = (x) => x.v === SUMMARY_VERSION && !!x.cells;
    spendRecord = (m) => Object.fromEntries(
      [...m].map(([k, v]) => [k, { tokens: v.tokens, units: v.units, unpricedTokens: v.unpricedTokens }])
    );
  }
});

// src/store/git.ts
import { execFileSync } from "node:child_process";
import { createHash as createHash2 } from "node:crypto";
import * as fs2 from "node:fs";
import * as path2 from "node:path";
import { crc32, deflateSync } from "node:zlib";
import git from "isomorphic-git";
function sortTree(entries) {
  const keyed = entries.map((e) => ({ e, k: Buffer.from(e.type === "tree" ? `${e.path}/` : e.path) }));
  return keyed.sort((a, b) => Buffer.compare(a.k, b.k)).map((x) => x.e);
}
function writeAtomic(file, data) {
  const tmp = path2.join(path2.dirname(file), `tmp_${path2.basename(file)}_${process.pid}_${tmpCounter++}`);
  const fd = fs2.openSync(tmp, "w", 292);
  try {
    for (const chunk of Array.isArray(data) ? data : [data]) fs2.writeSync(fd, chunk);
  } finally {
    fs2.closeSync(fd);
  }
  fs2.renameSync(tmp, file);
}
function writePack(packDir, objects) {
  const oids = [...objects.keys()].sort();
  const deflated = oids.map((oid) => deflateSync(objects.get(oid).content, { level: 1 }));
  const packHash = createHash2("sha1");
  const chunks = [];
  const push = (b) => {
    chunks.push(b);
    packHash.update(b);
  };
  const header = Buffer.alloc(12);
  header.write("PACK", 0, "latin1");
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(oids.length, 8);
  push(header);
  let offset = 12;
  const offsets = [];
  const crcs = [];
  for (let k = 0; k < oids.length; k++) {
    const { type, content } = objects.get(oids[k]);
    const head = [];
    let size2 = content.length;
    let byte = PACK_TYPE[type] << 4 | size2 & 15;
    size2 = Math.floor(size2 / 16);
    while (size2 > 0) {
      head.push(byte | 128);
      byte = size2 & 127;
      size2 = Math.floor(size2 / 128);
    }
    head.push(byte);
    const entry = Buffer.concat([Buffer.from(head), deflated[k]]);
    offsets.push(offset);
    crcs.push(crc32(entry));
    push(entry);
    offset += entry.length;
  }
  const packSum = packHash.digest();
  chunks.push(packSum);
  const n2 = oids.length;
  const large = offsets.filter((o) => o >= 2147483648);
  const idx = Buffer.alloc(8 + 256 * 4 + n2 * 20 + n2 * 4 + n2 * 4 + large.length * 8 + 40);
  idx.writeUInt32BE(4285812579, 0);
  idx.writeUInt32BE(2, 4);
  const fanout = new Array(256).fill(0);
  for (const oid of oids) fanout[Number.parseInt(oid.slice(0, 2), 16)]++;
  let total = 0;
  for (let i = 0; i < 256; i++) {
    total += fanout[i];
    idx.writeUInt32BE(total, 8 + i * 4);
  }
  let at = 8 + 1024;
  for (const oid of oids) at += idx.write(oid, at, "hex");
  for (const c of crcs) at = idx.writeUInt32BE(c >>> 0, at);
  let li = 0;
  for (const o of offsets) at = idx.writeUInt32BE(o >= 2147483648 ? (2147483648 | li++) >>> 0 : o, at);
  for (const o of large) {
    at = idx.writeUInt32BE(Math.floor(o / 2 ** 32), at);
    at = idx.writeUInt32BE(o % 2 ** 32, at);
  }
  at += packSum.copy(idx, at);
  createHash2("sha1").update(idx.subarray(0, at)).digest().copy(idx, at);
  fs2.mkdirSync(packDir, { recursive: true });
  const name = path2.join(packDir, `pack-${packSum.toString("hex")}`);
  writeAtomic(`${name}.pack`, chunks);
  writeAtomic(`${name}.idx`, idx);
}
function gitIdentity(cwd) {
  const known = identities.get(cwd);
  if (known) return known;
  const who = readIdentity(cwd);
  identities.set(cwd, who);
  return who;
}
function readIdentity(cwd) {
  const get = (key) => {
    try {
      return execFileSync("git", ["config", "--get", key], {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"]
      }).trim();
    } catch {
      return "";
    }
  };
  const name = process.env.GIT_AUTHOR_NAME || get("user.name");
  const email = process.env.GIT_AUTHOR_EMAIL || get("user.email");
  return { name: name || "agent-track", email: email || "agent-track@localhost" };
}
var treeMode, tmpCounter, PACK_TYPE, PACK_THRESHOLD, ObjectStore, identities;
var init_git = __esm({
  "src/store/git.ts"() {
    "use strict";
    treeMode = (mode) => mode === "040000" ? "40000" : mode;
    tmpCounter = 0;
    PACK_TYPE = { commit: 1, tree: 2, blob: 3 };
    PACK_THRESHOLD = 32;
    ObjectStore = class {
      constructor(gitdir) {
        this.gitdir = gitdir;
      }
      gitdir;
      madeDirs = /* @__PURE__ */ new Set();
      batch = null;
      /**
       * isomorphic-git's cache of parsed packfiles: without it every read of a packed object (a fresh
       * clone, after `git gc`) loads and parses the pack's index again.
       */
      cache = {};
      /**
       * Writes a loose object the way git does (zlib level 1, git's default core.looseCompression), through
       * a temporary file renamed into place, so a crash never leaves a truncated object and concurrent
       * writers of the same object agree. Synchronous: for many small objects it is several times faster
       * than isomorphic-git's writer (web-stream deflate, a repository discovery per object).
       */
      writeObjectSync(type, content) {
        const head = Buffer.from(`${type} ${content.length}\0`);
        const oid = createHash2("sha1").update(head).update(content).digest("hex");
        if (this.batch) {
          this.batch.set(oid, { type, content: Buffer.from(content) });
          return oid;
        }
        this.writeLoose(oid, Buffer.concat([head, content]));
        return oid;
      }
      /** Holds every object written until `endBatch`, which writes them as one pack when there are many. */
      startBatch() {
        this.batch ??= /* @__PURE__ */ new Map();
      }
      async endBatch() {
        const batch = this.batch;
        this.batch = null;
        if (!batch || batch.size === 0) return;
        if (batch.size >= PACK_THRESHOLD) writePack(path2.join(this.gitdir, "objects", "pack"), batch);
        else
          for (const [oid, { type, content }] of batch)
            this.writeLoose(oid, Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]));
      }
      writeLoose(oid, full) {
        const dir = path2.join(this.gitdir, "objects", oid.slice(0, 2));
        const file = path2.join(dir, oid.slice(2));
        if (!this.madeDirs.has(dir)) {
          fs2.mkdirSync(dir, { recursive: true });
          this.madeDirs.add(dir);
        }
        if (fs2.existsSync(file)) return;
        writeAtomic(file, deflateSync(full, { level: 1 }));
      }
      writeBlobSync(content) {
        return this.writeObjectSync("blob", typeof content === "string" ? Buffer.from(content, "utf8") : content);
      }
      async writeBlob(content) {
        return this.writeBlobSync(content);
      }
      writeTreeSync(entries) {
        const parts = [];
        for (const e of sortTree(entries)) {
          parts.push(Buffer.from(`${treeMode(e.mode)} ${e.path}\0`), Buffer.from(e.oid, "hex"));
        }
        return this.writeObjectSync("tree", Buffer.concat(parts));
      }
      async writeTree(entries) {
        return this.writeTreeSync(entries);
      }
      async readTree(oid) {
        if (this.batch?.has(oid)) throw new Error(`tree ${oid} is not written yet (read inside a batch)`);
        const { tree } = await git.readTree({ fs: fs2, gitdir: this.gitdir, oid, cache: this.cache });
        return tree;
      }
      async readBlob(oid) {
        const { blob } = await git.readBlob({ fs: fs2, gitdir: this.gitdir, oid, cache: this.cache });
        return Buffer.from(blob).toString("utf8");
      }
      async readCommit(oid) {
        const { commit } = await git.readCommit({ fs: fs2, gitdir: this.gitdir, oid, cache: this.cache });
        return commit;
      }
      /** A commit, written like every other object (atomically: a reader never sees half of it). */
      async writeCommit(tree, parents, message, who) {
        const now = /* @__PURE__ */ new Date();
        const offset = -now.getTimezoneOffset();
        const abs = Math.abs(offset);
        const tz = `${offset >= 0 ? "+" : "-"}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
        const clean = (v) => v.replace(/[<>\n]/g, "").trim();
        const sig = `${clean(who.name)} <${clean(who.email)}> ${Math.floor(now.getTime() / 1e3)} ${tz}`;
        const text = [
          `tree ${tree}`,
          ...parents.map((p) => `parent ${p}`),
          `author ${sig}`,
          `committer ${sig}`,
          "",
          message.endsWith("\n") ? message : `${message}
`
        ].join("\n");
        return this.writeObjectSync("commit", Buffer.from(text, "utf8"));
      }
    };
    identities = /* @__PURE__ */ new Map();
  }
});

// src/store/layout.ts
function renderIndex(sessions) {
  const phases = /* @__PURE__ */ new Map();
  for (const s2 of sessions) {
    const p = phases.get(s2.phase) ?? {
      sessions: 0,
      toolCalls: 0,
      errors: 0,
      agents: 0,
      first: s2.started ?? "",
      last: ""
    };
    p.sessions++;
    p.toolCalls += s2.toolCalls;
    p.errors += s2.errors;
    p.agents += s2.agents;
    if (s2.started && (!p.first || s2.started < p.first)) p.first = s2.started;
    if (s2.lastActivity && s2.lastActivity > p.last) p.last = s2.lastActivity;
    phases.set(s2.phase, p);
  }
  const lines = [
    "# Agent tracking",
    "",
    "Claude Code sessions of this repository, recorded by [subagent-tracking](https://www.npmjs.com/package/subagent-tracking).",
    "Read them with `agent-track sessions`, `agent-track show <session>` and `agent-track stats`.",
    "",
    "## Phases",
    ""
  ];
  if (phases.size === 0) lines.push("No session recorded yet.");
  else {
    lines.push(
      "| phase | sessions | subagents | tool calls | errors | first | last |",
      "| --- | ---: | ---: | ---: | ---: | --- | --- |"
    );
    for (const [name, p] of [...phases].sort((a, b) => a[1].first.localeCompare(b[1].first))) {
      lines.push(
        `| ${name} | ${p.sessions} | ${p.agents} | ${p.toolCalls} | ${p.errors} | ${p.first.slice(0, 10)} | ${p.last.slice(0, 10)} |`
      );
    }
  }
  const recent = [...sessions].sort((a, b) => (b.started ?? "").localeCompare(a.started ?? "")).slice(0, 20);
  if (recent.length) {
    lines.push(
      "",
      "## Latest sessions",
      "",
      "| session | started | branch | subagents | tool calls | errors | status |",
      "| --- | --- | --- | ---: | ---: | ---: | --- |"
    );
    for (const s2 of recent) {
      lines.push(
        `| [${s2.session.slice(0, 8)}](${s2.dir}/session.json) | ${s2.started ?? ""} | ${s2.branch ?? ""} | ${s2.agents} | ${s2.toolCalls} | ${s2.errors} | ${s2.ended ? "ended" : "open"} |`
      );
    }
  }
  return `${lines.join("\n")}
`;
}
var sessionDir, segmentName, SEGMENT_RE;
var init_layout = __esm({
  "src/store/layout.ts"() {
    "use strict";
    sessionDir = (phase2, started, session) => `phases/${phase2}/sessions/${started.slice(0, 10)}-${session}`;
    segmentName = (n2) => `${String(n2).padStart(6, "0")}.jsonl`;
    SEGMENT_RE = /^\d{6,}\.jsonl$/;
  }
});

// src/store/paths.ts
import * as fs3 from "node:fs";
import * as path3 from "node:path";
function readGitFile(file) {
  try {
    const text = fs3.readFileSync(file, "utf8");
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
    return m ? path3.resolve(path3.dirname(file), m[1]) : null;
  } catch {
    return null;
  }
}
function findRepo(start) {
  let dir = path3.resolve(start);
  for (; ; ) {
    const dotGit = path3.join(dir, ".git");
    let gitDir = null;
    try {
      const st = fs3.statSync(dotGit);
      gitDir = st.isDirectory() ? dotGit : readGitFile(dotGit);
    } catch {
      gitDir = null;
    }
    if (gitDir) return pathsFor(dir, gitDir);
    const parent = path3.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
function pathsFor(workTree, gitDir) {
  let commonDir = gitDir;
  try {
    const rel = fs3.readFileSync(path3.join(gitDir, "commondir"), "utf8").trim();
    if (rel) commonDir = path3.resolve(gitDir, rel);
  } catch {
  }
  const trackingDir = path3.join(commonDir, "agent-tracking");
  return {
    workTree,
    gitDir,
    commonDir,
    trackingDir,
    spoolDir: path3.join(trackingDir, "spool"),
    errorsDir: path3.join(trackingDir, "errors")
  };
}
function readHead(paths) {
  try {
    const text = fs3.readFileSync(path3.join(paths.gitDir, "HEAD"), "utf8").trim();
    if (text.startsWith("ref: ")) {
      const ref = text.slice(5);
      return { branch: ref.replace(/^refs\/heads\//, ""), head: readRef(paths.commonDir, ref) };
    }
    return { branch: null, head: text || null };
  } catch {
    return { branch: null, head: null };
  }
}
function readRef(commonDir, ref) {
  try {
    const v = fs3.readFileSync(path3.join(commonDir, ref), "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(v)) return v;
  } catch {
  }
  try {
    const packed = fs3.readFileSync(path3.join(commonDir, "packed-refs"), "utf8");
    for (const line of packed.split("\n")) {
      if (line.length > 41 && line.charCodeAt(40) === 32 && line.slice(41) === ref) return line.slice(0, 40);
    }
  } catch {
  }
  return null;
}
var TRACKING_BRANCH, TRACKING_REF;
var init_paths = __esm({
  "src/store/paths.ts"() {
    "use strict";
    TRACKING_BRANCH = "agent-tracking";
    TRACKING_REF = `refs/heads/${TRACKING_BRANCH}`;
  }
});

// src/store/lock.ts
import * as fs4 from "node:fs";
import * as path4 from "node:path";
function tryCreate(file, content) {
  try {
    const fd = fs4.openSync(file, "wx");
    try {
      fs4.writeSync(fd, content);
    } finally {
      fs4.closeSync(fd);
    }
    return true;
  } catch (e) {
    if (e.code === "EEXIST") return false;
    throw e;
  }
}
function removeIfStale(file, isStale) {
  try {
    const st = fs4.statSync(file);
    const content = fs4.readFileSync(file, "utf8");
    if (isStale(content, Date.now() - st.mtimeMs)) fs4.unlinkSync(file);
  } catch {
  }
}
async function updateRefCAS(commonDir, ref, newOid, expectedOld, timeoutMs = 15e3) {
  const refFile = path4.join(commonDir, ref);
  const lockFile = `${refFile}.lock`;
  fs4.mkdirSync(path4.dirname(refFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  while (!tryCreate(lockFile, `${newOid}
`)) {
    removeIfStale(lockFile, (_c, age) => age > STALE_LOCK_MS);
    if (Date.now() > deadline) throw new RefLockTimeout(`could not lock ${ref}: ${lockFile} exists`);
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    if (readRef(commonDir, ref) !== expectedOld) {
      fs4.unlinkSync(lockFile);
      return false;
    }
    fs4.renameSync(lockFile, refFile);
    return true;
  } catch (e) {
    try {
      fs4.unlinkSync(lockFile);
    } catch {
    }
    throw e;
  }
}
async function acquireMutex(file, waitMs) {
  fs4.mkdirSync(path4.dirname(file), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (; ; ) {
    if (tryCreate(file, `${process.pid}
`)) {
      return () => {
        try {
          if (fs4.readFileSync(file, "utf8").trim() === String(process.pid)) fs4.unlinkSync(file);
        } catch {
        }
      };
    }
    removeIfStale(file, (content, age) => {
      const pid = Number(content.trim());
      return !Number.isInteger(pid) || pid <= 0 ? age > 5e3 : !pidAlive(pid) || age > 10 * 6e4;
    });
    if (Date.now() >= deadline) return null;
    await sleep(20);
  }
}
var STALE_LOCK_MS, sleep, RefLockTimeout, pidAlive;
var init_lock = __esm({
  "src/store/lock.ts"() {
    "use strict";
    init_paths();
    STALE_LOCK_MS = 3e3;
    sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    RefLockTimeout = class extends Error {
    };
    pidAlive = (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        return e.code === "EPERM";
      }
    };
  }
});

// src/store/spool.ts
import * as fs5 from "node:fs";
import * as path5 from "node:path";
function appendEvents(paths, session, events) {
  const file = spoolFile(paths, session);
  const data = events.map((e) => `${JSON.stringify(e)}
`).join("");
  let fd;
  try {
    fd = fs5.openSync(file, "a");
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
    fs5.mkdirSync(paths.spoolDir, { recursive: true });
    fd = fs5.openSync(file, "a");
  }
  try {
    fs5.writeSync(fd, data);
    return { file, size: fs5.fstatSync(fd).size };
  } finally {
    fs5.closeSync(fd);
  }
}
function writeOffset(spool, value) {
  const file = offsetFile(spool);
  const tmp = `${file}.${process.pid}.tmp`;
  fs5.writeFileSync(tmp, `${value.ino}:${value.offset}
`);
  fs5.renameSync(tmp, file);
}
function readSlice(file, from, bytes) {
  const fd = fs5.openSync(file, "r");
  try {
    const size2 = fs5.fstatSync(fd).size;
    const n2 = Math.min(size2, bytes);
    const buf = Buffer.allocUnsafe(n2);
    fs5.readSync(fd, buf, 0, n2, from === "head" ? 0 : size2 - n2);
    return buf.toString("utf8");
  } finally {
    fs5.closeSync(fd);
  }
}
function recentSpooledSessions(paths, limit, exclude) {
  let names;
  try {
    names = fs5.readdirSync(paths.spoolDir).filter((f) => f.endsWith(".jsonl"));
  } catch {
    return [];
  }
  const files = names.filter((f) => f !== `${safeSessionId(exclude)}.jsonl`).map((f) => {
    try {
      return { f, mtimeMs: fs5.statSync(path5.join(paths.spoolDir, f)).mtimeMs };
    } catch {
      return null;
    }
  }).filter((x) => x !== null).sort((a, b) => b.mtimeMs - a.mtimeMs).slice(0, limit);
  const out = [];
  for (const { f, mtimeMs } of files) {
    const file = path5.join(paths.spoolDir, f);
    const info = {
      session: f.slice(0, -6),
      mtimeMs,
      branch: null,
      pid: null,
      host: null,
      ended: false,
      lastActivity: null
    };
    try {
      for (const line of readSlice(file, "head", 65536).split("\n")) {
        if (!line.includes('"session_start"')) continue;
        const e = JSON.parse(line);
        info.session = typeof e.session === "string" ? e.session : info.session;
        info.branch = typeof e.branch === "string" ? e.branch : null;
        info.pid = typeof e.pid === "number" ? e.pid : null;
        info.host = typeof e.host === "string" ? e.host : null;
        break;
      }
      const tail = readSlice(file, "tail", 16384).split("\n").filter(Boolean);
      for (const line of tail.reverse()) {
        if (line.includes('"type":"session_end"')) {
          info.ended = true;
          break;
        }
        if (line.includes('"type":"session_start"')) break;
      }
      const last = tail[0];
      info.lastTurnEnded = last ? last.includes('"type":"stop"') : false;
      const m = last ? /"ts":"([^"]+)"/.exec(last) : null;
      info.lastActivity = m ? m[1] : new Date(mtimeMs).toISOString();
    } catch {
      info.lastActivity = new Date(mtimeMs).toISOString();
    }
    out.push(info);
  }
  return out;
}
var safeSessionId, spoolFile, offsetFile;
var init_spool = __esm({
  "src/store/spool.ts"() {
    "use strict";
    safeSessionId = (s2) => s2.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 128) || "unknown";
    spoolFile = (paths, session) => path5.join(paths.spoolDir, `${safeSessionId(session)}.jsonl`);
    offsetFile = (spool) => spool.replace(/\.jsonl$/, ".offset");
  }
});

// src/store/tree.ts
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
var parentOf, baseOf, TreeEditor, childPath;
var init_tree = __esm({
  "src/store/tree.ts"() {
    "use strict";
    parentOf = (p) => p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "";
    baseOf = (p) => p.includes("/") ? p.slice(p.lastIndexOf("/") + 1) : p;
    TreeEditor = class {
      constructor(store, rootOid, cache = {}) {
        this.store = store;
        this.rootOid = rootOid;
        this.trees = new Map(Object.entries(cache));
        if (rootOid === null) this.trees.set("", []);
      }
      store;
      rootOid;
      /** Entries by directory path ('' is the root), for the trees read or written. */
      trees;
      dirty = /* @__PURE__ */ new Set();
      /** Entries of a directory, or null when it does not exist. */
      async list(dir) {
        const cached = this.trees.get(dir);
        if (cached) return cached;
        let oid;
        if (dir === "") oid = this.rootOid;
        else {
          const parent = await this.list(parentOf(dir));
          oid = parent?.find((e) => e.path === baseOf(dir) && e.type === "tree")?.oid ?? null;
        }
        if (!oid) return null;
        const entries = await this.store.readTree(oid);
        this.trees.set(dir, entries);
        return entries;
      }
      async readFile(file) {
        const entry = (await this.list(parentOf(file)))?.find(
          (e) => e.path === baseOf(file) && e.type === "blob"
        );
        return entry ? this.store.readBlob(entry.oid) : null;
      }
      staged = /* @__PURE__ */ new Map();
      /** Queues a file for write(), which writes all queued blobs concurrently (object writes are I/O bound). */
      stageFile(file, content) {
        this.staged.set(file, content);
      }
      /** Whether a file exists, counting the staged ones. */
      async has(file) {
        if (this.staged.has(file)) return true;
        return Boolean((await this.list(parentOf(file)))?.some((e) => e.path === baseOf(file)));
      }
      /** Points `dir` at an existing tree (a subtree laid back from elsewhere); nothing under it is read. */
      async setTree(dir, oid) {
        for (const key of [...this.trees.keys()])
          if (key === dir || key.startsWith(`${dir}/`)) this.trees.delete(key);
        for (const key of [...this.staged.keys()]) if (key.startsWith(`${dir}/`)) this.staged.delete(key);
        await this.setEntry(parentOf(dir), { mode: "040000", path: baseOf(dir), oid, type: "tree" });
      }
      async remove(path23) {
        const dir = parentOf(path23);
        const entries = await this.list(dir);
        if (!entries) return;
        this.trees.set(
          dir,
          entries.filter((e) => e.path !== baseOf(path23))
        );
        this.markDirty(dir);
      }
      async setEntry(dir, entry) {
        const entries = await this.list(dir) ?? await this.mkdir(dir);
        const i = entries.findIndex((e) => e.path === entry.path);
        const next = [...entries];
        if (i >= 0) next[i] = entry;
        else next.push(entry);
        this.trees.set(dir, next);
        this.markDirty(dir);
      }
      async mkdir(dir) {
        if (dir !== "")
          await this.setEntry(parentOf(dir), { mode: "040000", path: baseOf(dir), oid: "", type: "tree" });
        this.trees.set(dir, []);
        return [];
      }
      markDirty(dir) {
        for (let d = dir; ; d = parentOf(d)) {
          this.dirty.add(d);
          if (d === "") break;
        }
      }
      /** Writes every changed tree, deepest first; returns the new root tree's oid. */
      async write() {
        const staged = [...this.staged];
        this.staged.clear();
        const oids = await mapLimit(staged, 16, ([, content]) => this.store.writeBlob(content));
        for (let k = 0; k < staged.length; k++) {
          await this.setEntry(parentOf(staged[k][0]), {
            mode: "100644",
            path: baseOf(staged[k][0]),
            oid: oids[k],
            type: "blob"
          });
        }
        const byDepth = /* @__PURE__ */ new Map();
        for (const dir of this.dirty) {
          const depth = dir === "" ? 0 : dir.split("/").length;
          byDepth.set(depth, [...byDepth.get(depth) ?? [], dir]);
        }
        let rootOid = this.rootOid ?? "";
        for (const depth of [...byDepth.keys()].sort((a, b) => b - a)) {
          const dirs = byDepth.get(depth);
          const lists = dirs.map(
            (dir) => (this.trees.get(dir) ?? []).filter(
              (e) => e.type !== "tree" || this.trees.get(childPath(dir, e.path))?.length !== 0
            )
          );
          const treeOids = await mapLimit(lists, 16, (entries) => this.store.writeTree(entries));
          const byParent = /* @__PURE__ */ new Map();
          dirs.forEach((dir, k) => {
            this.trees.set(dir, lists[k]);
            if (dir === "") rootOid = treeOids[k];
            else {
              const children = byParent.get(parentOf(dir)) ?? /* @__PURE__ */ new Map();
              children.set(baseOf(dir), treeOids[k]);
              byParent.set(parentOf(dir), children);
            }
          });
          for (const [parentDir, children] of byParent) {
            const parent = this.trees.get(parentDir);
            this.trees.set(
              parentDir,
              parent.map((e) => {
                const oid = e.type === "tree" ? children.get(e.path) : void 0;
                return oid === void 0 ? e : { ...e, oid };
              })
            );
          }
        }
        this.dirty.clear();
        this.rootOid = rootOid;
        return rootOid;
      }
      /** The cache to keep for the next flush: the trees a flush will touch again. */
      snapshot(keep) {
        const out = {};
        for (const [dir, entries] of this.trees) if (keep(dir)) out[dir] = entries;
        return out;
      }
    };
    childPath = (dir, name) => dir === "" ? name : `${dir}/${name}`;
  }
});

// src/store/flush.ts
import * as fs6 from "node:fs";
import * as path6 from "node:path";
function readState(paths) {
  try {
    const s2 = JSON.parse(fs6.readFileSync(stateFile(paths), "utf8"));
    return s2.version === 1 ? s2 : null;
  } catch {
    return null;
  }
}
function writeState(paths, state) {
  const file = stateFile(paths);
  fs6.mkdirSync(path6.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs6.writeFileSync(tmp, JSON.stringify(state));
  fs6.renameSync(tmp, file);
}
function readSpool(paths, offsets, onBadLine) {
  let names;
  try {
    names = fs6.readdirSync(paths.spoolDir).filter((n2) => n2.endsWith(".jsonl"));
  } catch {
    return [];
  }
  const out = [];
  for (const name of names.sort()) {
    const file = path6.join(paths.spoolDir, name);
    let fd;
    try {
      fd = fs6.openSync(file, "r");
    } catch {
      continue;
    }
    try {
      const st = fs6.fstatSync(fd);
      const known = offsets[name];
      const start = known && known.ino === st.ino && known.offset <= st.size ? known.offset : 0;
      const buf = Buffer.allocUnsafe(st.size - start);
      const n2 = fs6.readSync(fd, buf, 0, buf.length, start);
      const lastNl = buf.lastIndexOf(10, n2 - 1);
      const events = [];
      if (lastNl >= 0) {
        for (const line of buf.subarray(0, lastNl).toString("utf8").split("\n")) {
          if (!line.trim()) continue;
          try {
            const e = JSON.parse(line);
            if (e && typeof e.id === "string" && typeof e.session === "string" && typeof e.type === "string")
              events.push(e);
            else onBadLine(line);
          } catch {
            onBadLine(line);
          }
        }
      }
      out.push({
        file: name,
        ino: st.ino,
        start,
        end: start + lastNl + 1,
        size: st.size,
        mtimeMs: st.mtimeMs,
        events
      });
    } finally {
      fs6.closeSync(fd);
    }
  }
  return out;
}
async function findSessionDirs(tree) {
  const out = /* @__PURE__ */ new Map();
  for (const phase2 of await tree.list("phases") ?? []) {
    if (phase2.type !== "tree") continue;
    for (const s2 of await tree.list(`phases/${phase2.path}/sessions`) ?? []) {
      if (s2.type !== "tree") continue;
      const m = /^\d{4}-\d{2}-\d{2}-(.+)$/.exec(s2.path);
      if (m) out.set(m[1], `phases/${phase2.path}/sessions/${s2.path}`);
    }
  }
  return out;
}
async function rebuildIndex(tree, dirs) {
  const index = {};
  for (const [id, dir] of dirs) {
    const text = await tree.readFile(`${dir}/session.json`);
    if (!text) continue;
    try {
      index[id] = JSON.parse(text);
    } catch {
    }
  }
  return index;
}
async function eventsOnBranch(tree, dir) {
  const segs = (await tree.list(`${dir}/events`) ?? []).filter((e) => SEGMENT_RE.test(e.path));
  segs.sort((a, b) => a.path.localeCompare(b.path));
  const out = [];
  for (const seg of segs)
    for (const line of (await tree.readFile(`${dir}/events/${seg.path}`) ?? "").split("\n")) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
      }
    }
  return out;
}
async function idsOnBranch(tree, dir) {
  const ids = /* @__PURE__ */ new Set();
  for (const seg of await tree.list(`${dir}/events`) ?? []) {
    if (!SEGMENT_RE.test(seg.path)) continue;
    for (const line of (await tree.readFile(`${dir}/events/${seg.path}`) ?? "").split("\n")) {
      const m = /^\{"id":"([^"]+)"/.exec(line);
      if (m) ids.add(m[1]);
      else if (line.trim()) {
        try {
          ids.add(JSON.parse(line).id);
        } catch {
        }
      }
    }
  }
  return ids;
}
async function currentPhase(tree) {
  const open = [];
  for (const e of await tree.list("phases") ?? []) {
    if (e.type !== "tree") continue;
    const entries = await tree.list(`phases/${e.path}`) ?? [];
    if (!entries.some((x) => x.path === "review.json" || x.path === "ended.json" || x.path === "ARCHIVED.json"))
      open.push(e.path);
  }
  return open.sort().at(-1) ?? null;
}
async function commitEvents(paths, state, reads, extra, who, phase2, result) {
  const store = new ObjectStore(paths.commonDir);
  const tip = readRef(paths.commonDir, TRACKING_REF);
  const fresh = state.tip === tip;
  let tipTree2 = null;
  if (fresh && state.tipTree) tipTree2 = state.tipTree;
  else if (tip) tipTree2 = (await store.readCommit(tip)).tree;
  const tree = new TreeEditor(store, tipTree2, fresh ? state.trees : {});
  let index = state.index;
  let dirs;
  if (fresh) dirs = new Map(Object.values(index).map((s2) => [s2.session, s2.dir]));
  else {
    dirs = await findSessionDirs(tree);
    index = await rebuildIndex(tree, dirs);
  }
  index = { ...index };
  phase2 = await currentPhase(tree) ?? phase2;
  const bySession = /* @__PURE__ */ new Map();
  const add = (e) => {
    const list = bySession.get(e.session);
    if (list) list.push(e);
    else bySession.set(e.session, [e]);
  };
  for (const r of reads) for (const e of r.events) add(e);
  for (const e of extra.events) add(e);
  const prepared = /* @__PURE__ */ new Map();
  for (const p of extra.prepared ?? []) {
    if (dirs.has(p.session) || bySession.has(p.session) || prepared.has(p.session)) {
      for (const line of p.text.split("\n")) if (line) add(JSON.parse(line));
    } else prepared.set(p.session, p);
  }
  let written = 0;
  const nextSegment = async (dir) => 1 + Math.max(
    0,
    ...(await tree.list(`${dir}/events`) ?? []).filter((e) => SEGMENT_RE.test(e.path)).map((e) => Number.parseInt(e.path, 10))
  );
  const staged = async (session, dir, summary, count) => {
    index[session] = summary;
    tree.stageFile(`${dir}/session.json`, `${JSON.stringify(summary, null, 2)}
`);
    const phaseName = dir.split("/")[1];
    if (!await tree.has(`phases/${phaseName}/phase.json`)) {
      tree.stageFile(
        `phases/${phaseName}/phase.json`,
        `${JSON.stringify({ name: phaseName, started: summary.started, ended: null }, null, 2)}
`
      );
    }
    written += count;
    if (!result.sessions.includes(session)) result.sessions.push(session);
  };
  for (const [session, events] of bySession) {
    let dir = dirs.get(session);
    let newEvents = events;
    if (dir && (!fresh || extra.verify.includes(session))) {
      const known = await idsOnBranch(tree, dir);
      newEvents = events.filter((e) => !known.has(e.id));
      result.duplicates += events.length - newEvents.length;
    }
    const seen = /* @__PURE__ */ new Set();
    newEvents = newEvents.filter((e) => {
      if (seen.has(e.id)) return false;
      seen.add(e.id);
      return true;
    });
    if (newEvents.length === 0) continue;
    const summaryBefore = index[session];
    if (!dir) {
      const first = newEvents.map((e) => e.ts).sort()[0];
      dir = sessionDir(phase2, first, session);
      dirs.set(session, dir);
    }
    tree.stageFile(
      `${dir}/events/${segmentName(await nextSegment(dir))}`,
      newEvents.map((e) => `${serialized.get(e) ?? JSON.stringify(e)}
`).join("")
    );
    const fresh0 = { ...emptySummary(session, dir.split("/")[1], dir), author: summaryBefore?.author ?? who };
    const summary = summaryBefore && !isCurrentSummary(summaryBefore) ? foldSummary(fresh0, [...await eventsOnBranch(tree, dir), ...newEvents]) : foldSummary(summaryBefore ?? fresh0, newEvents);
    await staged(session, dir, summary, newEvents.length);
  }
  for (const p of prepared.values()) {
    const dir = sessionDir(phase2, p.firstTs, p.session);
    dirs.set(p.session, dir);
    tree.stageFile(`${dir}/events/${segmentName(await nextSegment(dir))}`, p.text);
    const summary = { ...p.summary, phase: dir.split("/")[1], dir, author: who };
    await staged(p.session, dir, summary, p.events);
  }
  let filesWritten = 0;
  for (const f of extra.branchFiles ?? []) {
    if (!/^phases\/[\w.-]+\/[\w.-]+$/.test(f.path)) continue;
    tree.stageFile(f.path, f.content);
    filesWritten++;
  }
  for (const f of extra.files ?? []) {
    const dir = dirs.get(f.session);
    if (!dir || f.path.split("/").some((part) => part === ".." || part === "")) continue;
    tree.stageFile(`${dir}/${f.path}`, f.content);
    filesWritten++;
  }
  const spool = { ...state.spool };
  for (const r of reads) spool[r.file] = { ino: r.ino, offset: r.end };
  let newTip = tip;
  let newTree = tipTree2;
  if (written > 0 || filesWritten > 0) {
    tree.stageFile("README.md", renderIndex(Object.values(index)));
    store.startBatch();
    const rootTree = await tree.write();
    await store.endBatch();
    newTree = rootTree;
    const message = `agent-track: ${written} event${written === 1 ? "" : "s"} from ${bySession.size + prepared.size} session${bySession.size + prepared.size === 1 ? "" : "s"}`;
    newTip = await store.writeCommit(rootTree, tip ? [tip] : [], message, who);
    if (!await updateRefCAS(paths.commonDir, TRACKING_REF, newTip, tip)) return { ok: false, state };
    result.events += written;
    result.commits++;
  }
  const ended = new Set(
    Object.values(index).filter((s2) => s2.ended).map((s2) => s2.dir)
  );
  const trees = tree.snapshot((d) => ![...ended].some((e) => d === e || d.startsWith(`${e}/`)));
  return {
    ok: true,
    state: { version: 1, tip: newTip, tipTree: newTree, trees, index, spool, cursors: extra.cursors }
  };
}
async function flushSpool(paths, opts = {}) {
  const result = { events: 0, sessions: [], commits: 0, skippedLines: 0, duplicates: 0 };
  const release = await acquireMutex(path6.join(paths.trackingDir, "flush.lock"), opts.waitMs ?? 0);
  if (!release) return result;
  try {
    const config = await loadConfig(paths);
    let who = null;
    let carried = null;
    for (let round = 0; round < 1e3; round++) {
      let state = carried ?? readState(paths) ?? {
        version: 1,
        tip: null,
        tipTree: null,
        trees: {},
        index: {},
        spool: {}
      };
      const bad = [];
      const reads = readSpool(paths, state.spool, (l) => bad.push(l));
      if (bad.length) {
        result.skippedLines += bad.length;
        fs6.mkdirSync(paths.errorsDir, { recursive: true });
        fs6.appendFileSync(
          path6.join(paths.errorsDir, "spool-bad-lines.jsonl"),
          bad.map((l) => `${JSON.stringify({ line: l.slice(0, 4096) })}
`).join("")
        );
      }
      const pending = reads.filter((r) => r.end > r.start);
      const extra = opts.collect ? await opts.collect({
        events: pending.flatMap((r) => r.events),
        index: state.index,
        cursors: state.cursors
      }) : { events: [], cursors: state.cursors, verify: [] };
      if (pending.length === 0 && extra.events.length === 0 && !extra.prepared?.length && !extra.files?.length && !extra.branchFiles?.length && state.tip === readRef(paths.commonDir, TRACKING_REF)) {
        cleanupSpool(paths, state, reads);
        break;
      }
      who ??= gitIdentity(paths.workTree);
      let attempt = 0;
      for (; ; ) {
        const out = await commitEvents(paths, state, pending, extra, who, config.phase, result);
        if (out.ok) {
          state = out.state;
          break;
        }
        if (++attempt > 20) throw new Error("the agent-tracking branch keeps moving; try again");
        state = { ...state, tip: "(moved)" };
      }
      if (process.env.AGENT_TRACK_FAULT === "after-ref") process.kill(process.pid, "SIGKILL");
      writeState(paths, state);
      carried = state;
      for (const r of reads) {
        try {
          writeOffset(path6.join(paths.spoolDir, r.file), { ino: r.ino, offset: r.end });
        } catch {
        }
      }
    }
  } finally {
    release();
  }
  return result;
}
function cleanupSpool(paths, state, reads) {
  const done = reads.filter((r) => {
    const session = r.file.replace(/\.jsonl$/, "");
    const s2 = Object.values(state.index).find((x) => safeSessionId(x.session) === session);
    return r.end === r.size && r.start === r.size && s2?.ended && Date.now() - r.mtimeMs > 6e4;
  });
  if (!done.length) return;
  const spool = { ...state.spool };
  const renamed = [];
  for (const r of done) {
    const from = path6.join(paths.spoolDir, r.file);
    const to = `${from}.${r.ino}.consumed`;
    try {
      fs6.renameSync(from, to);
      renamed.push(to);
      delete spool[r.file];
      fs6.rmSync(from.replace(/\.jsonl$/, ".offset"), { force: true });
    } catch {
    }
  }
  writeState(paths, { ...state, spool });
  for (const f of renamed) fs6.rmSync(f, { force: true });
}
async function editBranch(paths, message, edit) {
  const release = await acquireMutex(path6.join(paths.trackingDir, "flush.lock"), 12e4);
  if (!release) throw new Error("another flush holds the lock for too long; try again");
  try {
    const store = new ObjectStore(paths.commonDir);
    for (let attempt = 0; attempt < 20; attempt++) {
      const tip = readRef(paths.commonDir, TRACKING_REF);
      if (!tip) throw new Error("no agent-tracking branch");
      const tree = new TreeEditor(store, (await store.readCommit(tip)).tree);
      await edit(tree);
      const root = await tree.write();
      const commit = await store.writeCommit(root, [tip], message, gitIdentity(paths.workTree));
      if (await updateRefCAS(paths.commonDir, TRACKING_REF, commit, tip)) return commit;
    }
    throw new Error("the agent-tracking branch keeps moving; try again");
  } finally {
    release();
  }
}
function commitWith(paths, extra) {
  let given = false;
  return flushSpool(paths, {
    waitMs: 6e4,
    collect: async ({ cursors }) => {
      if (given) return { events: [], cursors, verify: [] };
      given = true;
      return { ...extra, cursors };
    }
  });
}
var serialized, stateFile;
var init_flush = __esm({
  "src/store/flush.ts"() {
    "use strict";
    init_session();
    init_config2();
    init_git();
    init_layout();
    init_lock();
    init_paths();
    init_spool();
    init_tree();
    serialized = /* @__PURE__ */ new WeakMap();
    stateFile = (paths) => path6.join(paths.trackingDir, "cache", "state.json");
  }
});

// src/capture/redact.ts
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
      (_m, name, sep3, scheme) => `${name}${sep3}${scheme} ${mark("auth-header")}`
    );
  if (out.includes("://"))
    out = out.replace(URL_CREDENTIALS, (_m, head, _pw, at) => `${head}${mark("url-password")}${at}`);
  if (lower)
    out = out.replace(ASSIGNMENT, (m, head, dq, sq, bare) => {
      const value = dq ?? sq ?? bare ?? "";
      if (isPlaceholder(value)) return m;
      const q2 = dq !== void 0 ? '"' : sq !== void 0 ? "'" : "";
      return `${head}${q2}${mark("secret-assignment")}${q2}`;
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
function redactFileContent(file, content, opts = {}) {
  if (isEnvFile(file))
    content = content.replace(
      ENV_LINE,
      (m, head, value) => value.trim() === "" ? m : `${head}${mark("env")}`
    );
  return redactText(content, opts);
}
var mark, TOKEN_RULES, ANY_HINT, AUTH_HEADER, URL_CREDENTIALS, SECRET_KEY, ASSIGNMENT, SECRET_WORD, SUSPECT, CANDIDATE, compiledExtra, SECRET_FIELD, NOT_SECRET_FIELD, ENV_LINE;
var init_redact = __esm({
  "src/capture/redact.ts"() {
    "use strict";
    mark = (kind) => `[REDACTED:${kind}]`;
    TOKEN_RULES = [
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
    ANY_HINT = new RegExp(
      TOKEN_RULES.flatMap(([, hints]) => hints).map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")
    );
    AUTH_HEADER = /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(bearer|basic|token)\s+([A-Za-z0-9._~+/=-]{8,4096})/gi;
    URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@"'`]{1,200}:)([^\s@/"'`]{1,400})(@)/gi;
    SECRET_KEY = `[A-Za-z0-9_.-]{0,40}(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|credentials?|client[_-]?secret|session[_-]?key)[A-Za-z0-9_.-]{0,40}`;
    ASSIGNMENT = new RegExp(
      String.raw`((?:^|[\s{,;(])["']?${SECRET_KEY}["']?\s{0,8}(?:=|:(?!//))\s{0,8})(?:"([^"\n]{1,4096})"|'([^'\n]{1,4096})'|([^\s"',;}{)]{1,4096}))`,
      "gim"
    );
    SECRET_WORD = /passw|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|credential|session[_-]?key/i;
    SUSPECT = new RegExp(
      `[Pp](?:assw|wd|RIVATE KEY)|secret|token|key|auth|credential|${ANY_HINT.source}`,
      "i"
    );
    CANDIDATE = /(["'=:]\s{0,4})([A-Za-z0-9+/_-]{32,1024}={0,2})(?![A-Za-z0-9+/_=-])/g;
    compiledExtra = /* @__PURE__ */ new Map();
    SECRET_FIELD = /^(?:.*[_-])?(password|passwd|secret|token|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|client[_-]?secret|authorization|private[_-]?key|credentials?)$/i;
    NOT_SECRET_FIELD = /(tokens|_count|count|type|usage|limit|max|input_tokens|output_tokens)$/i;
    ENV_LINE = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*)(.*)$/gm;
  }
});

// src/capture/diff.ts
import { createHash as createHash3 } from "node:crypto";
function gitBlobId(content) {
  const body = Buffer.from(content, "utf8");
  return createHash3("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
}
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
var splitLines;
var init_diff = __esm({
  "src/capture/diff.ts"() {
    "use strict";
    splitLines = (text) => {
      if (text === "") return [];
      const lines = text.split("\n");
      if (lines[lines.length - 1] === "") lines.pop();
      return lines;
    };
  }
});

// src/capture/events.ts
import { createHash as createHash4 } from "node:crypto";
function capValue(value, max) {
  if (value === void 0 || value === null) return value;
  const json = typeof value === "string" ? value : JSON.stringify(value);
  if (json === void 0 || Buffer.byteLength(json) <= max) return value;
  return {
    truncated: true,
    bytes: Buffer.byteLength(json),
    sha256: createHash4("sha256").update(json).digest("hex"),
    head: json.slice(0, Math.min(2048, max))
  };
}
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
var AGENT_TOOLS, FILE_TOOLS, str;
var init_events2 = __esm({
  "src/capture/events.ts"() {
    "use strict";
    init_canonical();
    init_diff();
    init_redact();
    AGENT_TOOLS = /* @__PURE__ */ new Set(["Agent", "Task"]);
    FILE_TOOLS = /* @__PURE__ */ new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"]);
    str = (v) => typeof v === "string" ? v : void 0;
  }
});

// src/capture/transcript.ts
import { createHash as createHash5 } from "node:crypto";
import * as fs7 from "node:fs";
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
function parseTranscript(text, session, agent, memory, opts = {}) {
  const { records, badLines } = parseLines(text);
  return { ...transcriptEvents(records, session, agent, memory, opts), badLines };
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
    let cut2 = rest.indexOf("}{");
    let parsed;
    for (; ; ) {
      if (cut2 < 0) {
        try {
          parsed = JSON.parse(rest);
        } catch {
          return null;
        }
        rest = "";
        break;
      }
      try {
        parsed = JSON.parse(rest.slice(0, cut2 + 1));
        rest = rest.slice(cut2 + 1);
        break;
      } catch {
        cut2 = rest.indexOf("}{", cut2 + 1);
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
function headOf(fd, upTo) {
  const buf = Buffer.alloc(Math.min(upTo, HEAD_BYTES));
  const n2 = fs7.readSync(fd, buf, 0, buf.length, 0);
  return createHash5("sha1").update(buf.subarray(0, n2)).digest("hex").slice(0, 16);
}
function readTranscriptFile(file, cursor, session, memory, opts = {}) {
  let fd;
  try {
    fd = fs7.openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const st = fs7.fstatSync(fd);
    const sameFile = st.ino === cursor.ino && st.size >= cursor.offset && (cursor.head === void 0 || cursor.head === headOf(fd, cursor.offset));
    const start = sameFile ? cursor.offset : 0;
    const result = { events: [], badLines: 0, unknownModels: /* @__PURE__ */ new Set() };
    memory.pending = new Map(sameFile ? (cursor.pending ?? []).map((p) => [p.key, p.event]) : []);
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(st.size - start, 1)));
    let pos = start;
    let carry = Buffer.alloc(0);
    for (; ; ) {
      const n2 = fs7.readSync(fd, chunk, 0, chunk.length, pos);
      if (n2 <= 0) break;
      pos += n2;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n2)]) : chunk.subarray(0, n2);
      const end = data.lastIndexOf(10) + 1;
      if (end > 0) {
        const part = parseTranscript(data.subarray(0, end).toString("utf8"), session, cursor.agent, memory, {
          ...opts,
          agentType: opts.agentType ?? cursor.agentType,
          final: false
        });
        result.events.push(...part.events);
        result.badLines += part.badLines;
        for (const m of part.unknownModels) result.unknownModels.add(m);
      }
      carry = Buffer.from(data.subarray(end));
      if (pos >= st.size) break;
    }
    if (opts.final) releasePending(memory, result.events, null);
    const pending = [...memory.pending].map(([key, event]) => ({ key, event }));
    memory.pending = /* @__PURE__ */ new Map();
    const offset = pos - carry.length;
    const next = { agent: cursor.agent, ino: st.ino, offset, head: headOf(fd, offset) };
    if (cursor.agentType) next.agentType = cursor.agentType;
    if (pending.length) next.pending = pending;
    return { result, cursor: next };
  } finally {
    fs7.closeSync(fd);
  }
}
var newMemory, num, HEAD_BYTES, CHUNK;
var init_transcript = __esm({
  "src/capture/transcript.ts"() {
    "use strict";
    init_canonical();
    init_pricing();
    init_events2();
    newMemory = () => ({
      seen: /* @__PURE__ */ new Set(),
      pending: /* @__PURE__ */ new Map(),
      pendingText: /* @__PURE__ */ new Map(),
      tools: /* @__PURE__ */ new Map()
    });
    num = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
    HEAD_BYTES = 512;
    CHUNK = 4 * 1024 * 1024;
  }
});

// src/capture/collect.ts
import * as fs8 from "node:fs";
import * as path7 from "node:path";
function subagentFiles(mainTranscript) {
  const dir = path7.join(mainTranscript.replace(/\.jsonl$/, ""), "subagents");
  try {
    return fs8.readdirSync(dir).filter((f) => /^agent-.+\.jsonl$/.test(f)).map((f) => {
      let type = null;
      try {
        const meta = JSON.parse(fs8.readFileSync(path7.join(dir, `${f.slice(0, -6)}.meta.json`), "utf8"));
        type = typeof meta.agentType === "string" ? meta.agentType : null;
      } catch {
      }
      return { file: path7.join(dir, f), agent: f.slice(6, -6), type };
    });
  } catch {
    return [];
  }
}
function transcriptCollector(config, warn2 = () => {
}) {
  return async ({ events, index, cursors }) => {
    const prev = cursors && typeof cursors === "object" ? cursors : {};
    const next = {};
    const verify2 = [];
    for (const [id, c] of Object.entries(prev)) next[id] = { ...c, files: { ...c.files } };
    const turnEnded = /* @__PURE__ */ new Set();
    const agentEnded = /* @__PURE__ */ new Map();
    for (const e of events) {
      let c = next[e.session];
      if (!c) {
        c = { files: {}, seen: [] };
        next[e.session] = c;
        if (index[e.session]) verify2.push(e.session);
      }
      const t = typeof e.transcriptPath === "string" ? e.transcriptPath : null;
      if (e.type === "session_start" && t && !c.files[t])
        c.files[t] = { agent: "main", ino: 0, offset: 0, agentType: "main" };
      if (e.type === "agent_end" && t) {
        const agent = String(e.agentId ?? e.agent);
        c.files[t] ??= { agent, ino: 0, offset: 0 };
        if (typeof e.agentType === "string") c.files[t].agentType = e.agentType;
        agentEnded.set(e.session, (agentEnded.get(e.session) ?? /* @__PURE__ */ new Set()).add(agent));
      }
      if (e.type === "tool_call" && e.success === false && typeof e.toolUseId === "string") {
        c.hookFailed = [.../* @__PURE__ */ new Set([...c.hookFailed ?? [], e.toolUseId])];
        if (c.transcriptFailed?.includes(e.toolUseId) && !verify2.includes(e.session)) verify2.push(e.session);
      }
      if (e.type === "session_start") c.ended = null;
      if (e.type === "session_end") c.ended = e.ts;
      if (e.agent === "main" && (e.type === "stop" || e.type === "session_end")) turnEnded.add(e.session);
      else if (e.agent === "main" && (e.type === "prompt" || e.type === "tool_start"))
        turnEnded.delete(e.session);
    }
    const out = [];
    const unknown = /* @__PURE__ */ new Set();
    for (const [session, c] of Object.entries(next)) {
      const main = Object.entries(c.files).find(([, f]) => f.agent === "main")?.[0];
      if (main)
        for (const s2 of subagentFiles(main)) {
          c.files[s2.file] ??= { agent: s2.agent, ino: 0, offset: 0 };
          if (s2.type && !c.files[s2.file].agentType) c.files[s2.file].agentType = s2.type;
        }
      const memory = { ...newMemory(), seen: new Set(c.seen) };
      const hookFailed = new Set(c.hookFailed ?? []);
      for (const [file, cursor] of Object.entries(c.files)) {
        let idle = false;
        try {
          idle = Date.now() - fs8.statSync(file).mtimeMs > IDLE_FINAL_MS;
        } catch {
        }
        const final = Boolean(c.ended) || idle || (cursor.agent === "main" ? turnEnded.has(session) : Boolean(agentEnded.get(session)?.has(cursor.agent)));
        const r = readTranscriptFile(file, cursor, session, memory, {
          final,
          cap: config.limits.toolOutputBytes
        });
        if (!r) continue;
        c.files[file] = r.cursor;
        const fresh = r.result.events.filter(
          (e) => !((e.type === "tool_call" || e.type === "error") && hookFailed.has(String(e.toolUseId)))
        );
        const failedIds = fresh.filter((e) => e.type === "tool_call").map((e) => String(e.toolUseId));
        if (failedIds.length) c.transcriptFailed = [...c.transcriptFailed ?? [], ...failedIds];
        out.push(...fresh);
        for (const m of r.result.unknownModels) unknown.add(m);
      }
      c.seen = [...memory.seen];
      if (c.ended && Date.now() - Date.parse(c.ended) > KEEP_ENDED_MS) delete next[session];
    }
    for (const m of unknown)
      warn2(
        `no price for model '${m}': its tokens are shown as unpriced (add it under pricing: in .agent-tracking.yml)`
      );
    const redacted = out.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
    return { events: redacted, cursors: next, verify: verify2 };
  };
}
async function flushWithTranscripts(paths, opts = {}, warn2) {
  const config = await loadConfig(paths);
  return flushSpool(paths, { ...opts, collect: transcriptCollector(config, warn2) });
}
var KEEP_ENDED_MS, IDLE_FINAL_MS;
var init_collect = __esm({
  "src/capture/collect.ts"() {
    "use strict";
    init_config2();
    init_flush();
    init_redact();
    init_transcript();
    KEEP_ENDED_MS = 24 * 36e5;
    IDLE_FINAL_MS = 10 * 6e4;
  }
});

// src/store/sync.ts
var sync_exports = {};
__export(sync_exports, {
  SyncError: () => SyncError,
  fetchBranch: () => fetchBranch,
  isRemoteName: () => isRemoteName,
  mergeBranches: () => mergeBranches,
  pullBranch: () => pullBranch,
  pushBranch: () => pushBranch,
  remoteTrackingRef: () => remoteTrackingRef,
  runGit: () => runGit
});
import { spawn } from "node:child_process";
import { createHash as createHash6 } from "node:crypto";
import * as fs12 from "node:fs";
import * as path10 from "node:path";
function runGit(paths, args, opts = {}) {
  return new Promise((resolve5, reject) => {
    const child = spawn("git", args, {
      cwd: paths.workTree,
      stdio: [opts.input === void 0 ? "ignore" : "pipe", "pipe", "pipe"],
      env: { ...process.env, ...opts.prompt ? {} : { GIT_TERMINAL_PROMPT: "0" }, ...opts.env }
    });
    if (opts.input !== void 0) child.stdin.end(opts.input);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => stdout += d);
    child.stderr.on("data", (d) => stderr += d);
    child.on("error", reject);
    child.on("close", (code2) => resolve5({ code: code2 ?? 1, stdout, stderr }));
  });
}
async function isRemoteName(paths, remote) {
  if (!/^[\w.-]+$/.test(remote)) return false;
  return (await runGit(paths, ["config", "--get", `remote.${remote}.url`])).code === 0;
}
async function remoteTrackingRef(paths, remote) {
  if (await isRemoteName(paths, remote)) return `refs/remotes/${remote}/${TRACKING_BRANCH}`;
  const key = createHash6("sha1").update(remote).digest("hex").slice(0, 12);
  return `refs/agent-tracking/remotes/${key}`;
}
async function fetchBranch(paths, remote) {
  const ref = await remoteTrackingRef(paths, remote);
  const r = await runGit(paths, [
    "fetch",
    "--quiet",
    "--no-tags",
    "--no-write-fetch-head",
    remote,
    `+${TRACKING_REF}:${ref}`
  ]);
  if (r.code !== 0) {
    if (/couldn't find remote ref/i.test(r.stderr)) return null;
    throw new SyncError(`could not fetch ${TRACKING_BRANCH} from ${remote}: ${gitMessage(r)}`);
  }
  return readRef(paths.commonDir, ref) ?? await revParse(paths, ref);
}
async function revParse(paths, rev) {
  const r = await runGit(paths, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : null;
}
async function mergeBase(paths, a, b) {
  const r = await runGit(paths, ["merge-base", a, b]);
  return r.code === 0 ? r.stdout.trim() || null : null;
}
async function mergeBranches(paths, ours, theirs) {
  const store = new ObjectStore(paths.commonDir);
  const baseCommit = await mergeBase(paths, ours, theirs);
  const treeOf = async (c) => c ? (await store.readCommit(c)).tree : null;
  const [baseTree, ourTree, theirTree] = await Promise.all([
    treeOf(baseCommit),
    treeOf(ours),
    treeOf(theirs)
  ]);
  const merger = new TreeMerger(store);
  const rootEntries = await merger.mergeDir("", baseTree, ourTree, theirTree);
  const tree = new TreeEditor(store, await store.writeTree(rootEntries));
  const dirs = await findSessionDirs(tree);
  const index = await rebuildIndex(tree, dirs);
  tree.stageFile("README.md", renderIndex(Object.values(index)));
  const root = await tree.write();
  const commit = await store.writeCommit(
    root,
    [theirs, ours],
    `agent-track: merge ${TRACKING_BRANCH} from the remote`,
    gitIdentity(paths.workTree)
  );
  return {
    commit,
    conflicts: merger.conflicts
  };
}
async function pullBranch(paths, remote) {
  const theirs = await fetchBranch(paths, remote);
  const result = {
    remote,
    outcome: "no-remote-branch",
    tip: null,
    sessionsFromRemote: 0,
    conflicts: []
  };
  for (let attempt = 0; ; attempt++) {
    const ours = readRef(paths.commonDir, TRACKING_REF);
    result.tip = ours;
    if (!theirs) return result;
    let next;
    if (!ours) {
      next = theirs;
      result.outcome = "adopted";
    } else if (ours === theirs) {
      result.outcome = "up-to-date";
      return result;
    } else if (await isAncestor(paths, theirs, ours)) {
      result.outcome = "ahead";
      return result;
    } else if (await isAncestor(paths, ours, theirs)) {
      next = theirs;
      result.outcome = "fast-forward";
    } else {
      const m = await mergeBranches(paths, ours, theirs);
      next = m.commit;
      result.outcome = "merged";
      result.conflicts = m.conflicts;
    }
    if (await updateRefCAS(paths.commonDir, TRACKING_REF, next, ours)) {
      result.tip = next;
      result.sessionsFromRemote = await countNewSessions(paths, ours, next);
      return result;
    }
    if (attempt > 20) throw new SyncError("the agent-tracking branch keeps moving; try again");
  }
}
async function countNewSessions(paths, before, after) {
  const store = new ObjectStore(paths.commonDir);
  const dirsOf = async (c) => c ? await findSessionDirs(new TreeEditor(store, (await store.readCommit(c)).tree)) : /* @__PURE__ */ new Map();
  const [a, b] = await Promise.all([dirsOf(before), dirsOf(after)]);
  return [...b.keys()].filter((s2) => !a.has(s2)).length;
}
function readSyncState(paths) {
  try {
    return JSON.parse(fs12.readFileSync(syncStateFile(paths), "utf8"));
  } catch {
    return {};
  }
}
function writeSyncState(paths, state) {
  fs12.mkdirSync(paths.trackingDir, { recursive: true });
  const tmp = `${syncStateFile(paths)}.${process.pid}.tmp`;
  fs12.writeFileSync(tmp, JSON.stringify(state));
  fs12.renameSync(tmp, syncStateFile(paths));
}
async function pushBranch(paths, remote, opts = {}) {
  const maxAttempts = opts.maxAttempts ?? 12;
  const result = {
    remote,
    outcome: "up-to-date",
    tip: "",
    attempts: 0,
    merges: 0,
    sessionsFromRemote: 0,
    conflicts: [],
    migratedFrom: null
  };
  if (!readRef(paths.commonDir, TRACKING_REF))
    throw new SyncError(
      `nothing to push: this clone has no ${TRACKING_BRANCH} branch (run \`agent-track init\`)`
    );
  const last = readSyncState(paths).lastRemote;
  if (last && last !== remote && !opts.skipPrevious) {
    const moved = await pullBranch(paths, last).catch((e) => {
      throw new SyncError(
        `tracking.remote changed from ${last} to ${remote}, and ${last} could not be read to carry its sessions over (${e.message}); push with --skip-previous to leave them there`
      );
    });
    result.migratedFrom = last;
    result.sessionsFromRemote += moved.sessionsFromRemote;
    if (moved.outcome === "merged") result.merges++;
  }
  for (; ; ) {
    result.attempts++;
    const pulled = await pullBranch(paths, remote);
    if (pulled.outcome === "merged") result.merges++;
    result.sessionsFromRemote += pulled.sessionsFromRemote;
    result.conflicts.push(...pulled.conflicts);
    const tip = readRef(paths.commonDir, TRACKING_REF);
    result.tip = tip;
    if (pulled.outcome === "up-to-date" || pulled.outcome === "fast-forward") {
      writeSyncState(paths, { lastRemote: remote });
      return result;
    }
    const r = await runGit(paths, ["push", "--porcelain", "--quiet", remote, `${tip}:${TRACKING_REF}`], {
      prompt: opts.prompt
    });
    if (r.code === 0) {
      result.outcome = "pushed";
      const ref = await remoteTrackingRef(paths, remote);
      await runGit(paths, ["update-ref", ref, tip]);
      writeSyncState(paths, { lastRemote: remote });
      return result;
    }
    const rejected = /\[(remote )?rejected\]|failed to update ref|cannot lock ref|fetch first|non-fast-forward/i.test(
      r.stdout + r.stderr
    );
    if (!rejected) throw new SyncError(`could not push ${TRACKING_BRANCH} to ${remote}: ${gitMessage(r)}`);
    if (result.attempts >= maxAttempts)
      throw new SyncError(
        `could not push ${TRACKING_BRANCH} to ${remote}: the remote kept moving (${result.attempts} attempts); nothing is lost, run \`agent-track push\` again`
      );
    const backoff = Math.min(2e3, 50 * 2 ** (result.attempts - 1));
    await sleep(backoff / 2 + Math.random() * backoff);
  }
}
var SyncError, gitMessage, isAncestor, SESSION_DIR, DERIVED, TreeMerger, syncStateFile;
var init_sync = __esm({
  "src/store/sync.ts"() {
    "use strict";
    init_session();
    init_flush();
    init_git();
    init_layout();
    init_lock();
    init_paths();
    init_tree();
    SyncError = class extends Error {
    };
    gitMessage = (r) => (r.stderr || r.stdout).split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("hint:")).join("; ").slice(0, 500);
    isAncestor = async (paths, a, b) => a === b || (await runGit(paths, ["merge-base", "--is-ancestor", a, b])).code === 0;
    SESSION_DIR = /^phases\/[^/]+\/sessions\/[^/]+$/;
    DERIVED = /^phases\/[^/]+\/review\.(json|md)$/;
    TreeMerger = class {
      constructor(store) {
        this.store = store;
      }
      store;
      conflicts = [];
      async entries(oid) {
        if (!oid) return /* @__PURE__ */ new Map();
        return new Map((await this.store.readTree(oid)).map((e) => [e.path, e]));
      }
      /** Merges three versions of one folder; returns the entries of the result (without the names in `skip`). */
      async mergeDir(dir, base, ours, theirs, skip = /* @__PURE__ */ new Set()) {
        const [b, o, t] = await Promise.all([this.entries(base), this.entries(ours), this.entries(theirs)]);
        const out = [];
        for (const name of /* @__PURE__ */ new Set([...o.keys(), ...t.keys()])) {
          if (skip.has(name)) continue;
          const be = b.get(name);
          const oe = o.get(name);
          const te = t.get(name);
          const full = dir ? `${dir}/${name}` : name;
          const same = (x, y) => x?.oid === y?.oid && x?.type === y?.type;
          if (same(oe, te)) {
            if (oe) out.push(oe);
            continue;
          }
          if (same(be, oe)) {
            if (te) out.push(te);
            else if (oe && !be) out.push(oe);
            continue;
          }
          if (same(be, te)) {
            if (oe) out.push(oe);
            else if (te && !be) out.push(te);
            continue;
          }
          if (!oe || !te) {
            out.push(oe ?? te);
            continue;
          }
          if (oe.type === "tree" && te.type === "tree") {
            const baseOid = be?.type === "tree" ? be.oid : null;
            const merged = SESSION_DIR.test(full) ? await this.mergeSession(full, baseOid, oe.oid, te.oid) : await this.mergeDir(full, baseOid, oe.oid, te.oid);
            out.push({ ...te, oid: await this.store.writeTree(merged) });
            continue;
          }
          if (full === "README.md" || DERIVED.test(full) || /\/session\.json$/.test(full)) {
            out.push(te);
            continue;
          }
          if (/^phases\/[^/]+\/phase\.json$/.test(full)) {
            out.push(await this.pickPhase(oe, te));
            continue;
          }
          this.conflicts.push(full);
          out.push(te);
          if (oe.type === "blob") out.push({ ...oe, path: `${name}.conflict-${oe.oid.slice(0, 8)}` });
        }
        return out;
      }
      /** A session's events in segment order. */
      async sessionEvents(eventsTree) {
        if (eventsTree?.type !== "tree") return { lines: [], segments: [] };
        const segments = (await this.store.readTree(eventsTree.oid)).filter((e) => SEGMENT_RE.test(e.path)).sort((a, b) => a.path.localeCompare(b.path));
        const lines = [];
        for (const seg of segments)
          for (const line of (await this.store.readBlob(seg.oid)).split("\n")) if (line) lines.push(line);
        return { lines, segments };
      }
      /**
       * A session folder both sides wrote to (the same session flushed from two clones): theirs' segments
       * stay as they are, the events only we have (by id) follow in one new segment, and session.json is
       * folded again from all of them. The other files merge like any folder.
       */
      async mergeSession(dir, base, ours, theirs) {
        const skip = /* @__PURE__ */ new Set(["events", "session.json"]);
        const out = await this.mergeDir(dir, base, ours, theirs, skip);
        const [o, t] = await Promise.all([this.entries(ours), this.entries(theirs)]);
        const mine = await this.sessionEvents(o.get("events"));
        const their = await this.sessionEvents(t.get("events"));
        const idOf = (line) => JSON.parse(line).id;
        const known = new Set(their.lines.map(idOf));
        const extra = mine.lines.filter((l) => {
          const id = idOf(l);
          if (known.has(id)) return false;
          known.add(id);
          return true;
        });
        const segments = [...their.segments];
        if (extra.length) {
          const last = Number(segments.at(-1)?.path.slice(0, -6) ?? 0);
          segments.push({
            mode: "100644",
            path: segmentName(last + 1),
            oid: await this.store.writeBlob(`${extra.join("\n")}
`),
            type: "blob"
          });
        }
        const eventsDir = t.get("events") ?? o.get("events");
        const others = eventsDir?.type === "tree" ? (await this.store.readTree(eventsDir.oid)).filter((e) => !SEGMENT_RE.test(e.path)) : [];
        out.push({
          mode: "040000",
          path: "events",
          type: "tree",
          oid: await this.store.writeTree([...segments, ...others])
        });
        const old = JSON.parse(
          await this.store.readBlob((t.get("session.json") ?? o.get("session.json")).oid)
        );
        const events = [...their.lines, ...extra].map((l) => JSON.parse(l));
        const summary = foldSummary(
          { ...emptySummary(old.session, old.phase, dir), author: old.author ?? null },
          events
        );
        out.push({
          mode: "100644",
          path: "session.json",
          type: "blob",
          oid: await this.store.writeBlob(`${JSON.stringify(summary, null, 2)}
`)
        });
        return out;
      }
      /** Two versions of phase.json: the one that records the phase's end. */
      async pickPhase(oe, te) {
        try {
          const ours = JSON.parse(await this.store.readBlob(oe.oid));
          const theirs = JSON.parse(await this.store.readBlob(te.oid));
          return ours.ended && !theirs.ended ? oe : te;
        } catch {
          return te;
        }
      }
    };
    syncStateFile = (paths) => path10.join(paths.trackingDir, "sync.json");
  }
});

// src/model/views.ts
function inputSummary(tool, input) {
  if (!input || typeof input !== "object") return "";
  const i = input;
  const pick = str3(i.command) ?? str3(i.file_path) ?? str3(i.notebook_path) ?? str3(i.pattern) ?? str3(i.url) ?? str3(i.description) ?? str3(i.query);
  const text = pick ?? JSON.stringify(input);
  const one = text.replace(/\s+/g, " ").trim();
  return tool && one.length > 100 ? `${one.slice(0, 97)}...` : one;
}
function buildAgentTree(events, prices = BUILTIN_PRICES) {
  const sorted = [...events].sort((a, b) => a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0);
  const node = (agent) => ({
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
    unpricedTokens: 0,
    items: [],
    children: []
  });
  const main = node("main");
  const agents = /* @__PURE__ */ new Map([["main", main]]);
  const get = (id) => {
    const n2 = agents.get(id) ?? node(id);
    agents.set(id, n2);
    return n2;
  };
  const launches = /* @__PURE__ */ new Map();
  const launchedBy = /* @__PURE__ */ new Map();
  const calls = /* @__PURE__ */ new Map();
  for (const e of sorted) {
    if (e.type === "tool_start" && e.launch && typeof e.toolUseId === "string") {
      const l = e.launch;
      launches.set(e.toolUseId, {
        parent: e.agent,
        description: str3(l.description),
        prompt: str3(l.prompt),
        type: str3(l.subagentType),
        ts: e.ts
      });
    }
    if (e.type === "tool_call" && typeof e.launchedAgent === "string" && typeof e.toolUseId === "string")
      launchedBy.set(e.launchedAgent, e.toolUseId);
  }
  const usageOf = /* @__PURE__ */ new Map();
  const unmatched = [...launches.keys()].filter((k) => ![...launchedBy.values()].includes(k));
  for (const e of sorted) {
    const a = get(e.agent);
    if (e.agentType && !a.agentType) a.agentType = e.agentType;
    switch (e.type) {
      case "agent_start": {
        const id = str3(e.agentId) ?? e.agent;
        const n2 = get(id);
        n2.started = e.ts;
        n2.agentType ??= e.agentType ?? null;
        let useId = launchedBy.get(id);
        if (!useId) {
          const i = unmatched.findIndex(
            (k) => launches.get(k)?.type === n2.agentType || !launches.get(k)?.type
          );
          if (i >= 0) useId = unmatched.splice(i, 1)[0];
        }
        const l = useId ? launches.get(useId) : void 0;
        n2.parent = l?.parent ?? "main";
        n2.description = l?.description ?? null;
        n2.prompt = l?.prompt ?? null;
        break;
      }
      case "agent_end": {
        const n2 = get(str3(e.agentId) ?? e.agent);
        n2.ended = e.ts;
        n2.outcome = str3(e.lastMessage);
        break;
      }
      case "tool_start": {
        if (typeof e.toolUseId !== "string" || calls.has(e.toolUseId)) break;
        const call = {
          ts: e.ts,
          toolUseId: e.toolUseId,
          tool: String(e.tool),
          summary: inputSummary(String(e.tool), e.input),
          success: null,
          outcome: null,
          durationMs: null
        };
        calls.set(e.toolUseId, call);
        a.items.push({ kind: "tool", call });
        break;
      }
      case "tool_call": {
        const id = str3(e.toolUseId);
        let call = id ? calls.get(id) : void 0;
        if (!call) {
          call = {
            ts: e.ts,
            toolUseId: id,
            tool: String(e.tool),
            summary: inputSummary(String(e.tool), e.input),
            success: null,
            outcome: null,
            durationMs: null
          };
          if (id) calls.set(id, call);
          a.items.push({ kind: "tool", call });
        }
        if (call.success === false && e.success !== false) break;
        call.success = e.success !== false;
        call.outcome = (typeof e.outcome === "string" ? e.outcome : null) ?? (e.success === false ? e.interrupted ? "interrupted" : "failed" : "success");
        const started = Date.parse(call.ts);
        call.durationMs = typeof e.durationMs === "number" ? e.durationMs : Number.isFinite(started) ? Date.parse(e.ts) - started : null;
        if (e.success === false) call.error = str3(e.error) ?? "failed";
        break;
      }
      case "file_change":
        a.items.push({
          kind: "file",
          ts: e.ts,
          path: String(e.path),
          operation: String(e.operation),
          diff: typeof e.diff === "string" ? e.diff : ""
        });
        break;
      case "usage":
        usageOf.set(e.agent, [...usageOf.get(e.agent) ?? [], e]);
        break;
    }
  }
  const late = sorted.filter((e) => e.type === "error" || e.type === "decision");
  late.sort((a, b) => a.type === b.type ? 0 : a.type === "error" ? -1 : 1);
  for (const e of late) {
    const call = typeof e.toolUseId === "string" ? calls.get(e.toolUseId) : void 0;
    if (e.type === "decision") {
      if (call && typeof e.rationale === "string") call.rationale = e.rationale;
      else if (!call && typeof e.what === "string") {
        const alternatives = Array.isArray(e.alternatives) ? e.alternatives.map(String) : [];
        get(e.agent).items.push({
          kind: "decision",
          ts: e.ts,
          what: e.what,
          rationale: str3(e.rationale),
          alternatives
        });
      }
    } else if (e.type === "error" && e.source !== "tool") {
      if (call && call.success === false) continue;
      if (call) {
        call.success = false;
        call.outcome = errorOutcome(String(e.message ?? ""));
        call.error = String(e.message ?? "failed");
      } else if (typeof e.toolUseId === "string" && str3(e.tool)) {
        const refused = {
          ts: e.ts,
          toolUseId: e.toolUseId,
          tool: String(e.tool),
          summary: inputSummary(String(e.tool), e.input),
          success: false,
          outcome: errorOutcome(String(e.message ?? "")),
          durationMs: null,
          error: String(e.message ?? "failed")
        };
        calls.set(e.toolUseId, refused);
        get(e.agent).items.push({ kind: "tool", call: refused });
      } else
        get(e.agent).items.push({
          kind: "error",
          ts: e.ts,
          tool: str3(e.tool),
          message: String(e.message ?? "")
        });
    }
  }
  for (const n2 of agents.values()) {
    n2.items.sort((x, y) => ("call" in x ? x.call.ts : x.ts).localeCompare("call" in y ? y.call.ts : y.ts));
    const tools = n2.items.flatMap((i) => i.kind === "tool" ? [i.call] : []);
    tools.forEach((c, i) => {
      if (c.success === false && tools[i + 1]) c.next = `${tools[i + 1].tool} ${tools[i + 1].summary}`.trim();
    });
  }
  for (const [id, list] of usageOf) {
    const n2 = get(id);
    const m = eventsSpend(list, prices);
    n2.tokens = m.tokens;
    n2.costUsd = m.costUsd;
    n2.unpricedTokens = m.unpricedTokens;
  }
  for (const [id, n2] of agents) {
    if (id === "main") continue;
    (agents.get(n2.parent ?? "main") ?? main).children.push(n2);
  }
  for (const n2 of agents.values())
    n2.children.sort((x, y) => (x.started ?? "").localeCompare(y.started ?? ""));
  return main;
}
var str3;
var init_views = __esm({
  "src/model/views.ts"() {
    "use strict";
    init_canonical();
    init_events();
    init_figures();
    init_pricing();
    init_session();
    init_figures();
    str3 = (v) => typeof v === "string" ? v : null;
  }
});

// src/store/reader.ts
var NoBranchError, TrackingBranch;
var init_reader = __esm({
  "src/store/reader.ts"() {
    "use strict";
    init_pricing();
    init_session();
    init_config2();
    init_flush();
    init_git();
    init_layout();
    init_paths();
    init_tree();
    NoBranchError = class extends Error {
      constructor() {
        super(
          "nothing recorded yet: this clone has no 'agent-tracking' branch (run `agent-track init` to record, or `agent-track pull` to read the team's)"
        );
      }
    };
    TrackingBranch = class _TrackingBranch {
      constructor(tip, tree, paths, prices) {
        this.tip = tip;
        this.tree = tree;
        this.paths = paths;
        this.prices = prices;
      }
      tip;
      tree;
      paths;
      prices;
      list = null;
      static async open(paths) {
        const tip = readRef(paths.commonDir, TRACKING_REF);
        if (!tip) throw new NoBranchError();
        const store = new ObjectStore(paths.commonDir);
        const state = readState(paths);
        const tree = state?.tip === tip && state.tipTree ? state.tipTree : (await store.readCommit(tip)).tree;
        const prices = withOverrides((await loadConfig(paths)).pricing);
        return new _TrackingBranch(
          tip,
          new TreeEditor(store, tree, state?.tip === tip ? state.trees : {}),
          paths,
          prices
        );
      }
      /**
       * Every session on the branch, oldest first, its figures derived at this branch's prices. A summary
       * an earlier release wrote is folded again from its events (migrated on read; the branch is not
       * rewritten: the next flush of the session, or `agent-track migrate`, writes it anew).
       */
      async sessions() {
        if (this.list) return this.list;
        const raw = await this.rawSessions();
        const out = [];
        for (const s2 of raw) {
          const current = isCurrentSummary(s2) ? s2 : foldSummary(
            { ...emptySummary(s2.session, s2.phase, s2.dir), author: s2.author ?? null },
            await this.events(s2)
          );
          out.push(withFigures(current, this.prices));
        }
        this.list = out;
        return out;
      }
      /** The summaries as stored (session.json), without migration. */
      async rawSessions() {
        const state = readState(this.paths);
        let list;
        if (state?.tip === this.tip) list = Object.values(state.index);
        else {
          list = [];
          for (const phase2 of await this.tree.list("phases") ?? []) {
            if (phase2.type !== "tree") continue;
            for (const s2 of await this.tree.list(`phases/${phase2.path}/sessions`) ?? []) {
              const text = await this.tree.readFile(`phases/${phase2.path}/sessions/${s2.path}/session.json`);
              if (!text) continue;
              try {
                list.push(JSON.parse(text));
              } catch {
              }
            }
          }
        }
        return list.sort((a, b) => (a.started ?? "").localeCompare(b.started ?? ""));
      }
      /** Finds a session by its id or a unique prefix of it. */
      async findSession(idOrPrefix) {
        const all = await this.sessions();
        const exact = all.find((s2) => s2.session === idOrPrefix);
        if (exact) return exact;
        const matches2 = all.filter((s2) => s2.session.startsWith(idOrPrefix));
        if (matches2.length === 1) return matches2[0];
        if (matches2.length === 0)
          throw new Error(
            `no session '${idOrPrefix}' on the agent-tracking branch (see \`agent-track sessions\`)`
          );
        throw new Error(`'${idOrPrefix}' matches ${matches2.length} sessions; give more of the id`);
      }
      /** A session's events in the order they were recorded. */
      async events(summary) {
        const segs = (await this.tree.list(`${summary.dir}/events`) ?? []).filter(
          (e) => SEGMENT_RE.test(e.path)
        );
        segs.sort((a, b) => a.path.localeCompare(b.path));
        const out = [];
        for (const seg of segs) {
          const text = await this.tree.readFile(`${summary.dir}/events/${seg.path}`) ?? "";
          for (const line of text.split("\n")) if (line) out.push(JSON.parse(line));
        }
        return out;
      }
      readFile(file) {
        return this.tree.readFile(file);
      }
    };
  }
});

// src/recovery/handoff.ts
function nextStep(state) {
  const doing = state.todos.find((t) => t.status === "in_progress");
  if (doing) return `Continue the todo in progress: ${clip(doing.content, 300)}`;
  const last = state.errors.at(-1);
  if (last && !last.resolved)
    return `Fix the last failure: ${last.tool} ${code(clip(last.target, 120))} failed (${clip(last.message, 200)})`;
  const pending = state.todos.find((t) => t.status === "pending");
  if (pending) return `Start the next todo: ${clip(pending.content, 300)}`;
  if (state.lastMessage) return `Pick up from the last answer: ${clip(state.lastMessage, 400)}`;
  return "Check the goal against the work tree and decide what remains.";
}
function render(head, sections) {
  const out = [...head];
  for (const s2 of sections) if (s2.lines.length) out.push("", `## ${s2.title}`, ...s2.lines);
  return `${out.join("\n")}
`;
}
function buildHandoff(input, counter2, budget = 2e3) {
  const { summary, state, snapshot } = input;
  const status = state.ended ? "ended" : input.crashed ? "crashed" : "not ended";
  const head = [
    `# Handoff: session ${summary.session.slice(0, 8)} (${status})`,
    "",
    `Recorded by subagent-tracking. Branch ${code(summary.branch ?? "?")}, started ${summary.started ?? "?"}, last activity ${state.lastActivity ?? "?"}.`,
    "The files below are already changed in the work tree: read them before redoing any work."
  ];
  if (snapshot)
    head.push(
      `Latest snapshot ${code(snapshot.id)} (${snapshot.trigger}, ${snapshot.ts}) at HEAD ${code((snapshot.git.head ?? "?").slice(0, 12))}; \`agent-track restore ${snapshot.id} --worktree PATH\` lays it back elsewhere.`
    );
  const goal = {
    title: "Goal",
    lines: [clip(state.goal ?? summary.firstPrompt ?? "(no prompt recorded)", 1500)]
  };
  const open = state.todos.filter((t2) => t2.status !== "completed");
  const todos = {
    title: "Open todos",
    lines: open.map((t2) => `- [${t2.status === "in_progress" ? "in progress" : " "}] ${clip(t2.content, 300)}`)
  };
  const fileMap = /* @__PURE__ */ new Map();
  for (const f of state.files) fileMap.set(f.path, f.operation);
  for (const f of snapshot?.files ?? []) fileMap.set(f.path, f.status);
  const files = {
    title: "Modified files",
    lines: [...fileMap].sort(([a], [b]) => a.localeCompare(b)).map(([p, op]) => `- ${code(p)} (${op})`)
  };
  const lastError = state.errors.at(-1);
  const errorLine = (e) => `- ${e.tool} ${code(clip(e.target, 120))}: ${clip(e.message, 300)}${e.tried ? `; tried next: ${code(clip(e.tried, 160))}` : ""}${e.resolved ? " (resolved later)" : ""}`;
  const last = { title: "Last error", lines: lastError ? [errorLine(lastError)] : [] };
  const next = { title: "Next step", lines: [nextStep(state)] };
  const agents = { title: "Subagents", lines: [] };
  const done = { title: "Done", lines: [] };
  const errors = { title: "Earlier errors and what was tried", lines: [] };
  const decisions = { title: "Decisions", lines: [] };
  const prompts = { title: "Later prompts", lines: [] };
  const totals2 = { title: "Totals", lines: [] };
  const candidates = [];
  for (const a of [...state.agents].reverse())
    candidates.push([
      agents,
      `- ${a.type ?? "agent"}: ${clip(a.task ?? "(no description)", 120)} - ${a.status}${a.outcome ? `: ${clip(a.outcome, 240)}` : ""}`
    ]);
  for (const t2 of state.todos.filter((x) => x.status === "completed").reverse())
    candidates.push([done, `- [x] ${clip(t2.content, 200)}`]);
  for (const e of state.errors.slice(0, -1).reverse())
    if (!e.resolved) candidates.push([errors, errorLine(e)]);
  for (const d of [...state.decisions].reverse())
    candidates.push([
      decisions,
      `- ${clip(d.what, 200)}${d.why ? ` (why: ${clip(d.why, 200)})` : ""}${d.alternatives.length ? ` (rejected: ${d.alternatives.map((x) => clip(x, 60)).join("; ")})` : ""}`
    ]);
  for (const r of state.rationales.slice(-5).reverse())
    candidates.push([decisions, `- before ${r.tool}: ${clip(r.text, 200)}`]);
  for (const p of [...state.prompts].reverse()) candidates.push([prompts, `- ${clip(p, 300)}`]);
  for (const e of state.errors.slice(0, -1).reverse())
    if (e.resolved) candidates.push([errors, errorLine(e)]);
  const t = summary.tokens;
  candidates.push([
    totals2,
    `- ${state.toolCalls} tool calls, ${summary.agents} subagents, ${summary.errors} errors; tokens in ${t.input}, out ${t.output}, cache read ${t.cacheRead}, cache write ${t.cacheWrite}; cost ${summary.costUsd} USD`
  ]);
  const order = [goal, todos, next, last, files, agents, done, errors, decisions, prompts, totals2];
  let tokens = counter2.count(render(head, order));
  let dropped = 0;
  for (const [section, line] of candidates.slice(0, 300)) {
    if (tokens >= budget - 8) {
      dropped++;
      continue;
    }
    section.lines.push(line);
    const n2 = counter2.count(render(head, order));
    if (n2 > budget) {
      section.lines.pop();
      dropped++;
    } else tokens = n2;
  }
  const markdown = render(head, order);
  dropped += Math.max(0, candidates.length - 300);
  return { session: summary.session, snapshot: snapshot?.id ?? null, markdown, tokens, budget, dropped };
}
var clip, code;
var init_handoff = __esm({
  "src/recovery/handoff.ts"() {
    "use strict";
    clip = (s2, max) => {
      const t = s2.replace(/\s+/g, " ").trim();
      return t.length > max ? `${t.slice(0, max - 3)}...` : t;
    };
    code = (s2) => `\`${s2.replace(/`/g, "'")}\``;
  }
});

// src/recovery/snapshot-types.ts
function parseSnapshotId(id) {
  const m = /^([A-Za-z0-9_-]{1,64})@(\d{1,9})$/.exec(id);
  return m ? { prefix: m[1], n: Number(m[2]) } : null;
}
var snapshotId, snapshotPath;
var init_snapshot_types = __esm({
  "src/recovery/snapshot-types.ts"() {
    "use strict";
    snapshotId = (session, n2) => `${session.slice(0, 8)}@${n2}`;
    snapshotPath = (n2) => `snapshots/${String(n2).padStart(6, "0")}.json`;
  }
});

// src/recovery/state.ts
function applyTodoCall(todos, tool, input, output) {
  if (tool === "TodoWrite" && Array.isArray(input?.todos)) {
    return input.todos.filter((t) => t && typeof t.content === "string").map((t, i) => ({
      id: str4(t.id) ?? String(i + 1),
      content: t.content,
      status: str4(t.status) ?? "pending"
    }));
  }
  if (tool === "TaskCreate" && input && typeof input === "object") {
    const content = str4(input.subject) ?? str4(input.content) ?? str4(input.description);
    if (!content) return todos;
    const id = str4(output?.task?.id) ?? str4(output?.id) ?? str4(output?.taskId) ?? String(todos.length + 1);
    return [...todos.filter((t) => t.id !== id), { id, content, status: "pending" }];
  }
  if (tool === "TaskUpdate" && input && typeof input === "object") {
    const id = str4(input.taskId) ?? str4(input.id);
    return todos.map(
      (t) => t.id === id ? {
        ...t,
        status: str4(input.status) ?? t.status,
        content: str4(input.subject) ?? t.content
      } : t
    ).filter((t) => t.status !== "deleted");
  }
  return todos;
}
function walk(node, visit) {
  visit(node);
  for (const c of node.children) walk(c, visit);
}
function foldRecovery(session, events) {
  const sorted = [...events].sort((a, b) => a.ts.localeCompare(b.ts));
  const state = {
    session,
    goal: null,
    prompts: [],
    todos: [],
    files: [],
    agents: [],
    errors: [],
    decisions: [],
    rationales: [],
    lastMessage: null,
    lastActivity: sorted.at(-1)?.ts ?? null,
    ended: false,
    toolCalls: 0
  };
  const files = /* @__PURE__ */ new Map();
  const noteFile = (p, operation, ts) => {
    if (p) files.set(p, { path: p, operation, ts });
  };
  for (const e of sorted) {
    switch (e.type) {
      case "prompt": {
        const text = typeof e.text === "string" ? e.text : null;
        if (!text) break;
        if (state.goal === null) state.goal = text;
        else state.prompts.push(text);
        break;
      }
      case "tool_call": {
        const tool = String(e.tool ?? "");
        if (e.success !== false) {
          state.todos = applyTodoCall(state.todos, tool, e.input, e.output);
          if (FILE_TOOLS2.has(tool)) {
            const input = e.input ?? {};
            noteFile(str4(input.file_path) ?? str4(input.notebook_path), tool.toLowerCase(), e.ts);
          }
        }
        break;
      }
      case "file_change":
        noteFile(str4(e.path), String(e.operation ?? "edit"), e.ts);
        break;
      case "stop":
        if (typeof e.lastMessage === "string" && e.agent === "main") state.lastMessage = e.lastMessage;
        break;
      case "session_end":
        state.ended = true;
        break;
      case "session_start":
        state.ended = false;
        break;
    }
  }
  state.files = [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
  const tree = buildAgentTree(sorted);
  walk(tree, (n2) => {
    const calls = n2.items.flatMap((i) => i.kind === "tool" ? [i.call] : []);
    state.toolCalls += calls.length;
    calls.forEach((c, i) => {
      if (c.rationale) state.rationales.push({ ts: c.ts, tool: c.tool, text: oneLine(c.rationale, 300) });
      if (c.success !== false) return;
      const later = calls.slice(i + 1);
      state.errors.push({
        ts: c.ts,
        agent: n2.agent,
        tool: c.tool,
        target: callTarget(c),
        message: oneLine(c.error ?? "failed", 400),
        tried: c.next ?? null,
        resolved: later.some(
          (l) => l.success === true && l.tool === c.tool && callTarget(l) === callTarget(c)
        )
      });
    });
    for (const i of n2.items)
      if (i.kind === "decision")
        state.decisions.push({ ts: i.ts, what: i.what, why: i.rationale, alternatives: i.alternatives });
    if (n2.agent !== "main") {
      state.agents.push({
        agent: n2.agent,
        type: n2.agentType,
        task: n2.description,
        status: n2.ended ? "done" : "running",
        outcome: n2.outcome ? oneLine(n2.outcome, 400) : null
      });
    }
  });
  state.errors.sort((a, b) => a.ts.localeCompare(b.ts));
  state.rationales.sort((a, b) => a.ts.localeCompare(b.ts));
  state.decisions.sort((a, b) => a.ts.localeCompare(b.ts));
  return state;
}
var str4, FILE_TOOLS2, oneLine, callTarget;
var init_state = __esm({
  "src/recovery/state.ts"() {
    "use strict";
    init_views();
    str4 = (v) => typeof v === "string" ? v : null;
    FILE_TOOLS2 = /* @__PURE__ */ new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"]);
    oneLine = (s2, max) => {
      const t = s2.replace(/\s+/g, " ").trim();
      return t.length > max ? `${t.slice(0, max - 3)}...` : t;
    };
    callTarget = (c) => c.summary;
  }
});

// src/recovery/tokens.ts
async function tokenCounter() {
  if (counter) return counter;
  const mod = await import("@anthropic-ai/tokenizer");
  const tokenizer = (mod.getTokenizer ? mod : mod.default).getTokenizer();
  counter = {
    count: (text) => tokenizer.encode(text.normalize("NFKC"), "all").length
  };
  return counter;
}
var counter;
var init_tokens = __esm({
  "src/recovery/tokens.ts"() {
    "use strict";
    counter = null;
  }
});

// src/recovery/snapshot.ts
import { execFileSync as execFileSync2 } from "node:child_process";
import { createHash as createHash7 } from "node:crypto";
import * as fs15 from "node:fs";
import * as path13 from "node:path";
function workTreeChanges(workTree) {
  const out = execFileSync2(
    "git",
    // --no-optional-locks: status must not refresh (rewrite) the user's index
    ["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"],
    {
      cwd: workTree,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024
    }
  );
  const list = [];
  for (const entry of out.split("\0")) {
    if (entry.length < 4) continue;
    const xy = entry.slice(0, 2);
    const file = entry.slice(3);
    let status = "modified";
    if (xy === "??") status = "untracked";
    else if (xy.includes("D")) status = "deleted";
    else if (xy.includes("A")) status = "added";
    list.push({ path: file, status });
  }
  return list.sort((a, b) => a.path.localeCompare(b.path));
}
function isText(content) {
  if (content.includes(0)) return false;
  return Buffer.from(content.toString("utf8"), "utf8").equals(content);
}
async function sessionEvents(paths, branch, summary, session) {
  const events = branch && summary ? await branch.events(summary) : [];
  const seen = new Set(events.map((e) => e.id));
  try {
    for (const line of fs15.readFileSync(spoolFile(paths, session), "utf8").split("\n")) {
      if (!line) continue;
      try {
        const e = JSON.parse(line);
        if (e?.id && !seen.has(e.id)) {
          seen.add(e.id);
          events.push(e);
        }
      } catch {
      }
    }
  } catch {
  }
  return events;
}
async function openBranch(paths) {
  try {
    return await TrackingBranch.open(paths);
  } catch {
    return null;
  }
}
async function findSessionAnywhere(paths, branch, idOrPrefix) {
  let summary = null;
  if (branch) {
    try {
      summary = await branch.findSession(idOrPrefix);
    } catch (e) {
      if (!/^no session/.test(e.message)) throw e;
    }
  }
  let id = summary?.session ?? null;
  if (!id) {
    const spooled = fs15.existsSync(paths.spoolDir) ? fs15.readdirSync(paths.spoolDir).filter((f) => f.endsWith(".jsonl") && f.startsWith(idOrPrefix)).map((f) => f.slice(0, -6)) : [];
    if (spooled.length !== 1)
      throw new Error(
        spooled.length ? `'${idOrPrefix}' matches ${spooled.length} sessions; give more of the id` : `no session '${idOrPrefix}' recorded in this repository (see \`agent-track sessions\`)`
      );
    id = spooled[0];
  }
  const events = await sessionEvents(paths, branch, summary, id);
  if (!summary) summary = foldSummary(emptySummary(id, "?", ""), events);
  return { summary, events };
}
async function latestSessionOf(branch, gitBranch) {
  const all = await branch.sessions();
  let mine = all.filter((s2) => gitBranch === null || s2.branch === gitBranch);
  if (!mine.length) mine = all.filter((s2) => s2.branch === null);
  mine.sort((a, b) => (a.lastActivity ?? "").localeCompare(b.lastActivity ?? ""));
  return mine.at(-1) ?? null;
}
function dueTrigger(summary, config) {
  const last = summary.lastSnapshot ?? null;
  if (summary.ended && !last?.ended) return "session_end";
  if ((summary.compacts ?? 0) > (last?.compacts ?? 0)) return "precompact";
  if (summary.agents - (last?.agents ?? 0) >= config.snapshots.everyAgents) return "agents";
  if (totalTokens(summary) - (last?.tokens ?? 0) >= config.snapshots.everyTokens) return "tokens";
  return null;
}
function readWorkTree(paths, config) {
  const files = [];
  const stored = /* @__PURE__ */ new Map();
  const cap = config.limits.fileContentBytes;
  for (const change of workTreeChanges(paths.workTree)) {
    const abs = path13.join(paths.workTree, change.path);
    let content = null;
    try {
      if (change.status !== "deleted" && fs15.statSync(abs).isFile()) content = fs15.readFileSync(abs);
    } catch {
      content = null;
    }
    if (!content) {
      files.push({
        path: change.path,
        status: "deleted",
        blob: null,
        stored: null,
        redacted: false,
        bytes: 0
      });
      continue;
    }
    const f = {
      path: change.path,
      status: change.status,
      blob: blobId(content),
      stored: null,
      redacted: false,
      bytes: content.length
    };
    if (content.length > cap) f.skipped = "too-large";
    else if (!isText(content)) f.skipped = "binary";
    else {
      const text = content.toString("utf8");
      const clean = redactFileContent(change.path, text, { extraPatterns: config.redaction.extraPatterns });
      f.redacted = clean !== text;
      f.stored = blobId(Buffer.from(clean, "utf8"));
      stored.set(f.stored, clean);
    }
    files.push(f);
  }
  return { files, stored };
}
async function takeSnapshot(paths, opts) {
  return (await takeSnapshots(paths, [opts]))[0];
}
async function takeSnapshots(paths, list) {
  const config = await loadConfig(paths);
  if (list.some((o) => o.flushFirst)) await flushWithTranscripts(paths, { waitMs: 6e4 });
  const branch = await openBranch(paths);
  const head = readHead(paths);
  const tree = readWorkTree(paths, config);
  const redact = (v) => redactValue(v, { extraPatterns: config.redaction.extraPatterns });
  const counter2 = await tokenCounter();
  const records = [];
  const events = [];
  const files = [];
  const refs = [];
  for (const opts of list) {
    let ref;
    if (opts.session) ref = await findSessionAnywhere(paths, branch, opts.session);
    else {
      const latest = branch ? await latestSessionOf(branch, head.branch) : null;
      if (!latest) throw new Error("no session recorded on this git branch yet; give --session ID");
      ref = await findSessionAnywhere(paths, branch, latest.session);
    }
    refs.push({ ref, opts });
  }
  let given = false;
  await flushSpool(paths, {
    waitMs: 6e4,
    collect: async ({ index, cursors }) => {
      if (given) return { events: [], cursors, verify: [] };
      given = true;
      for (const { ref, opts } of refs) {
        const summary = index[ref.summary.session] ?? ref.summary;
        if (opts.trigger !== "manual" && index[summary.session] && !dueTrigger(summary, config)) continue;
        const state = foldRecovery(summary.session, ref.events);
        const n2 = (summary.snapshots ?? 0) + 1;
        const record = {
          id: snapshotId(summary.session, n2),
          n: n2,
          session: summary.session,
          ts: (/* @__PURE__ */ new Date()).toISOString(),
          trigger: opts.trigger,
          note: opts.note ? redactText(opts.note, { extraPatterns: config.redaction.extraPatterns }) : null,
          git: { head: head.head, branch: head.branch, workTree: paths.workTree },
          files: tree.files,
          todos: state.todos,
          usage: { tokens: summary.tokens, costUsd: summary.costUsd },
          agents: state.agents,
          errors: state.errors.filter((e) => !e.resolved),
          at: {
            agents: summary.agents,
            tokens: totalTokens(summary),
            compacts: summary.compacts ?? 0,
            ended: Boolean(summary.ended)
          }
        };
        records.push(record);
        events.push(
          redact({
            id: `snapshot-${summary.session}-${n2}`,
            ts: record.ts,
            session: summary.session,
            agent: "main",
            type: "snapshot",
            snapshot: record.id,
            trigger: record.trigger,
            note: record.note,
            head: record.git.head,
            branch: record.git.branch,
            files: tree.files.length,
            at: record.at
          })
        );
        const handoff = buildHandoff(
          { summary, state, snapshot: record, crashed: false },
          counter2,
          config.recovery.handoffBudget
        );
        files.push(
          {
            session: summary.session,
            path: snapshotPath(n2),
            // redacted as a value (key-aware), then serialized: text redaction of JSON could break it
            content: `${JSON.stringify(redact(record), null, 2)}
`
          },
          ...[...tree.stored].map(([oid, content]) => ({
            session: summary.session,
            path: `blobs/${oid}`,
            content
          })),
          { session: summary.session, path: "handoff.md", content: redact(handoff.markdown) }
        );
      }
      return { events, cursors, verify: records.map((r) => r.session), files };
    }
  });
  return records;
}
async function listSnapshots(branch, summary) {
  const out = [];
  for (let n2 = 1; n2 <= (summary.snapshots ?? 0); n2++) {
    const text = await branch.readFile(`${summary.dir}/${snapshotPath(n2)}`);
    if (text) out.push(JSON.parse(text));
  }
  return out;
}
async function findSnapshot(branch, id) {
  const parsed = parseSnapshotId(id);
  if (!parsed)
    throw new Error(
      `'${id}' is not a snapshot id (they look like 4993952c@2; see \`agent-track snapshots\`)`
    );
  let summary;
  try {
    summary = await branch.findSession(parsed.prefix);
  } catch {
    throw new Error(`no snapshot '${id}': no session '${parsed.prefix}' (see \`agent-track snapshots\`)`);
  }
  const text = await branch.readFile(`${summary.dir}/${snapshotPath(parsed.n)}`);
  if (!text)
    throw new Error(
      `no snapshot '${id}': session ${summary.session.slice(0, 8)} has ${summary.snapshots ?? 0}`
    );
  return { record: JSON.parse(text), summary };
}
var blobId;
var init_snapshot = __esm({
  "src/recovery/snapshot.ts"() {
    "use strict";
    init_collect();
    init_redact();
    init_session();
    init_config2();
    init_flush();
    init_paths();
    init_reader();
    init_spool();
    init_handoff();
    init_snapshot_types();
    init_state();
    init_tokens();
    blobId = (content) => createHash7("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
  }
});

// src/analytics/duckdb-module.ts
var loader, loadDuckDB;
var init_duckdb_module = __esm({
  "src/analytics/duckdb-module.ts"() {
    "use strict";
    loader = () => import("@duckdb/node-api");
    loadDuckDB = () => loader();
  }
});

// src/store/cat.ts
import { spawn as spawn2, spawnSync } from "node:child_process";
function catFiles(paths, oids, onBlob) {
  return new Promise((resolve5, reject) => {
    const child = spawn2("git", ["cat-file", "--batch"], {
      cwd: paths.workTree,
      stdio: ["pipe", "pipe", "pipe"]
    });
    let chunks = [];
    let have = 0;
    let i = 0;
    let need = null;
    let failed = false;
    let err = "";
    const flatten = () => {
      const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, have);
      chunks = [all];
      return all;
    };
    const keep = (rest) => {
      chunks = rest.length ? [rest] : [];
      have = rest.length;
    };
    const fail = (e) => {
      failed = true;
      child.kill();
      reject(e);
    };
    child.stderr.on("data", (d) => err += d);
    child.stdout.on("data", (chunk) => {
      if (failed) return;
      chunks.push(chunk);
      have += chunk.length;
      for (; ; ) {
        if (need === null) {
          if (!have) return;
          const all2 = flatten();
          const nl = all2.indexOf(10);
          if (nl < 0) return;
          const header = all2.subarray(0, nl).toString("utf8");
          keep(all2.subarray(nl + 1));
          const size2 = Number(header.split(" ")[2]);
          if (!Number.isFinite(size2)) return fail(new Error(`git cat-file: ${header}`));
          need = size2;
        }
        if (have < need + 1) return;
        const all = flatten();
        const data = all.subarray(0, need);
        keep(all.subarray(need + 1));
        need = null;
        try {
          onBlob(i++, data);
        } catch (e) {
          return fail(e);
        }
      }
    });
    child.on("error", reject);
    child.on("close", (code2) => {
      if (failed) return;
      if (code2 === 0 && i === oids.length) resolve5();
      else reject(new Error(`git cat-file failed: ${err.trim()}`));
    });
    child.stdin.end(oids.map((o) => `${o}
`).join(""));
  });
}
function lsTreeBlobs(paths, ref, prefix) {
  const r = spawnSync("git", ["ls-tree", "-r", "-l", "-z", ref, "--", prefix], {
    cwd: paths.workTree,
    maxBuffer: 1 << 30
  });
  if (r.status !== 0) throw new Error(`git ls-tree failed: ${String(r.stderr).trim()}`);
  const out = [];
  for (const entry of r.stdout.toString("utf8").split("\0")) {
    const tab = entry.indexOf("	");
    if (tab < 0) continue;
    const [, type, oid, size2] = entry.slice(0, tab).split(/ +/);
    if (type === "blob") out.push({ oid, path: entry.slice(tab + 1), size: Number(size2) });
  }
  return out;
}
var init_cat = __esm({
  "src/store/cat.ts"() {
    "use strict";
  }
});

// src/analytics/export.ts
import { spawnSync as spawnSync2 } from "node:child_process";
import * as fs17 from "node:fs";
import * as path15 from "node:path";
function lsTree(paths, ref) {
  const out = [];
  const r = spawnSync2("git", ["ls-tree", "-r", "-z", ref, "--", "phases"], {
    cwd: paths.workTree,
    maxBuffer: 1 << 30
  });
  if (r.status !== 0) throw new Error(`git ls-tree failed: ${String(r.stderr).trim()}`);
  for (const entry of r.stdout.toString("utf8").split("\0")) {
    const tab = entry.indexOf("	");
    if (tab < 0) continue;
    const [, type, oid] = entry.slice(0, tab).split(" ");
    const p = entry.slice(tab + 1);
    if (type === "blob" && (/\/events\/\d+\.jsonl$/.test(p) || /\/session\.json$/.test(p)))
      out.push({ oid, path: p });
  }
  return out;
}
async function exportBranch(paths) {
  const dir = path15.join(paths.trackingDir, "cache", "jsonl");
  fs17.mkdirSync(dir, { recursive: true });
  const manifestFile = path15.join(dir, manifestName);
  let manifest = {};
  try {
    manifest = JSON.parse(fs17.readFileSync(manifestFile, "utf8"));
  } catch {
    manifest = {};
  }
  const entries = lsTree(paths, TRACKING_REF);
  const wanted = new Set(entries.map((e) => e.path));
  for (const p of Object.keys(manifest)) {
    if (wanted.has(p)) continue;
    fs17.rmSync(path15.join(dir, p), { force: true });
    delete manifest[p];
  }
  const todo = entries.filter((e) => manifest[e.path] !== e.oid || !fs17.existsSync(path15.join(dir, e.path)));
  const made = /* @__PURE__ */ new Set();
  await catFiles(
    paths,
    todo.map((e) => e.oid),
    (i, data) => {
      const file = path15.join(dir, todo[i].path);
      const parent = path15.dirname(file);
      if (!made.has(parent)) {
        fs17.mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      fs17.writeFileSync(file, data);
      manifest[todo[i].path] = todo[i].oid;
    }
  );
  const tmp = `${manifestFile}.${process.pid}.tmp`;
  fs17.writeFileSync(tmp, JSON.stringify(manifest));
  fs17.renameSync(tmp, manifestFile);
  return {
    dir,
    segments: entries.filter((e) => e.path.endsWith(".jsonl")).length,
    written: todo.length,
    sessions: entries.filter((e) => e.path.endsWith("/session.json")).length
  };
}
var manifestName;
var init_export = __esm({
  "src/analytics/export.ts"() {
    "use strict";
    init_cat();
    init_paths();
    manifestName = "manifest.json";
  }
});

// src/analytics/duckdb.ts
var duckdb_exports = {};
__export(duckdb_exports, {
  openAnalytics: () => openAnalytics,
  openDuckDB: () => openDuckDB,
  viewStatements: () => viewStatements
});
import * as fs18 from "node:fs";
import * as path16 from "node:path";
function viewStatements(dir, empty) {
  const events = empty.events ? path16.join(dir, "empty.jsonl") : path16.join(dir, "phases", "*", "sessions", "*", "events", "*.jsonl");
  const sessions = empty.sessions ? path16.join(dir, "empty.jsonl") : path16.join(dir, "phases", "*", "sessions", "*", "session.json");
  const src = `read_json(${sqlString(events)}, format = 'newline_delimited', columns = ${columns(EVENT_COLUMNS)}, filename = true)`;
  return [
    `CREATE OR REPLACE VIEW events AS
       SELECT * EXCLUDE (ts, filename), TRY_CAST(ts AS TIMESTAMPTZ) AS ts,
              regexp_extract(filename, 'phases/([^/]+)/sessions/', 1) AS phase
       FROM ${src}`,
    `CREATE OR REPLACE VIEW sessions AS
       SELECT session, phase, started::TIMESTAMPTZ AS started, lastActivity::TIMESTAMPTZ AS last_activity,
              ended::TIMESTAMPTZ AS ended, endReason AS end_reason, branch, head, models,
              author.name AS author_name, author.email AS author_email, firstPrompt AS first_prompt,
              prompts, agents, toolCalls AS tool_calls, toolFailures AS tool_failures, errors,
              fileChanges AS file_changes, tokens.input AS input_tokens, tokens.output AS output_tokens,
              tokens.cacheRead AS cache_read_tokens, tokens.cacheWrite AS cache_write_tokens, costUsd AS cost_usd
       FROM read_json(${sqlString(sessions)}, format = ${empty.sessions ? "'newline_delimited'" : "'auto'"},
              columns = {session: 'VARCHAR', phase: 'VARCHAR', started: 'VARCHAR', lastActivity: 'VARCHAR',
                ended: 'VARCHAR', endReason: 'VARCHAR', branch: 'VARCHAR', head: 'VARCHAR', models: 'VARCHAR[]',
                author: 'STRUCT(name VARCHAR, email VARCHAR)', firstPrompt: 'VARCHAR', prompts: 'BIGINT',
                agents: 'BIGINT', toolCalls: 'BIGINT', toolFailures: 'BIGINT', errors: 'BIGINT',
                fileChanges: 'BIGINT', tokens: 'STRUCT(input BIGINT, output BIGINT, cacheRead BIGINT, cacheWrite BIGINT)',
                costUsd: 'DOUBLE'})`,
    `CREATE OR REPLACE VIEW tool_calls AS
       SELECT id, ts, phase, session, agent, agentType AS agent_type, tool, toolUseId AS tool_use_id, success,
              durationMs AS duration_ms, input, output, error
       FROM events WHERE type = 'tool_call'`,
    `CREATE OR REPLACE VIEW agents AS
       SELECT s.phase, s.session, s.agent, coalesce(s.agentType, e.agentType) AS agent_type,
              s.ts AS started, e.ts AS ended, date_diff('millisecond', s.ts, e.ts) AS duration_ms,
              e.lastMessage ->> '$' AS outcome
       FROM (SELECT * FROM events WHERE type = 'agent_start') s
       LEFT JOIN (SELECT * FROM events WHERE type = 'agent_end') e USING (session, agent)`,
    `CREATE OR REPLACE VIEW usage AS
       SELECT id, ts, phase, session, agent, agentType AS agent_type, model, messageId AS message_id,
              tokens.input AS input_tokens, tokens.output AS output_tokens, tokens.cacheRead AS cache_read_tokens,
              tokens.cacheWrite AS cache_write_tokens, costUsd AS cost_usd
       FROM events WHERE type = 'usage'`,
    `CREATE OR REPLACE VIEW errors AS
       SELECT id, ts, phase, session, agent, agentType AS agent_type, source, tool, toolUseId AS tool_use_id,
              coalesce(message ->> '$', error ->> '$') AS message
       FROM events WHERE type = 'error'`,
    `CREATE OR REPLACE VIEW file_changes AS
       SELECT id, ts, phase, session, agent, toolUseId AS tool_use_id, path, operation, diff
       FROM events WHERE type = 'file_change'`,
    `CREATE OR REPLACE VIEW decisions AS
       SELECT id, ts, phase, session, agent, toolUseId AS tool_use_id, what, rationale, alternatives
       FROM events WHERE type = 'decision'`
  ];
}
async function openAnalytics(paths) {
  const { dir, segments, sessions } = await exportBranch(paths);
  fs18.writeFileSync(path16.join(dir, "empty.jsonl"), "");
  return openDuckDB(viewStatements(dir, { events: segments === 0, sessions: sessions === 0 }));
}
async function openDuckDB(setup) {
  const { DuckDBInstance } = await loadDuckDB();
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  for (const sql of setup) await conn.run(sql);
  return {
    async query(sql) {
      const reader = await conn.runAndReadAll(sql);
      const columns2 = reader.columnNames();
      const ints = reader.columnTypes().map((t) => /INT/.test(t.toString()));
      const rows2 = reader.getRowObjectsJson().map((r) => {
        columns2.forEach((c, k) => {
          const v = r[c];
          if (ints[k] && typeof v === "string" && Number.isSafeInteger(Number(v))) r[c] = Number(v);
        });
        return r;
      });
      return { columns: columns2, rows: rows2 };
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    }
  };
}
var EVENT_COLUMNS, sqlString, columns;
var init_duckdb = __esm({
  "src/analytics/duckdb.ts"() {
    "use strict";
    init_duckdb_module();
    init_export();
    EVENT_COLUMNS = {
      id: "VARCHAR",
      ts: "VARCHAR",
      session: "VARCHAR",
      agent: "VARCHAR",
      agentType: "VARCHAR",
      type: "VARCHAR",
      source: "VARCHAR",
      tool: "VARCHAR",
      toolUseId: "VARCHAR",
      success: "BOOLEAN",
      durationMs: "DOUBLE",
      input: "JSON",
      output: "JSON",
      error: "JSON",
      message: "JSON",
      text: "JSON",
      path: "VARCHAR",
      operation: "VARCHAR",
      diff: "VARCHAR",
      model: "VARCHAR",
      messageId: "VARCHAR",
      tokens: "STRUCT(input BIGINT, output BIGINT, cacheRead BIGINT, cacheWrite BIGINT, cacheWrite5m BIGINT, cacheWrite1h BIGINT)",
      costUsd: "DOUBLE",
      what: "VARCHAR",
      rationale: "VARCHAR",
      alternatives: "JSON",
      launch: "JSON",
      launchedAgent: "VARCHAR",
      agentId: "VARCHAR",
      lastMessage: "JSON",
      reason: "VARCHAR",
      branch: "VARCHAR",
      head: "VARCHAR",
      cwd: "VARCHAR",
      snapshot: "VARCHAR",
      trigger: "VARCHAR"
    };
    sqlString = (s2) => `'${s2.replace(/'/g, "''")}'`;
    columns = (c) => `{${Object.entries(c).map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`).join(", ")}}`;
  }
});

// src/analytics/render.ts
var render_exports = {};
__export(render_exports, {
  renderReview: () => renderReview
});
function renderReview(r, sessionCosts2 = []) {
  const out = [
    `# Review of ${r.phase}`,
    "",
    `${r.sessions} session${r.sessions === 1 ? "" : "s"}, ${r.costUsd} USD; tokens: input ${r.tokens.input}, output ${r.tokens.output}, cache read ${r.tokens.cacheRead}, cache write ${r.tokens.cacheWrite}; cache hit ratio ${pct(r.costs.cacheHitRatio)}.`
  ];
  if (r.previous)
    out.push(
      "",
      `Against ${r.previous.phase}: ${r.previous.sessions} sessions, ${r.previous.costUsd} USD, tool failure rate ${pct(r.previous.toolFailureRate)}.`
    );
  if (r.recommendations.length) {
    out.push("", "## Recommendations", "");
    for (const x of r.recommendations) out.push(`- ${x.text} (${x.evidence})`);
  }
  const models = Object.entries(r.costs.byModel).filter(([, v]) => v > 0);
  if (models.length) {
    out.push("", "## Cost by model", "", "```mermaid", "pie showData", "  title Cost by model (USD)");
    for (const [m, v] of models) out.push(`  "${label(m)}" : ${v}`);
    out.push("```");
  }
  out.push(
    "",
    "## Agents",
    "",
    "| agent | runs | failures | median ms | tokens | cost USD |",
    "| --- | ---: | ---: | ---: | ---: | ---: |"
  );
  for (const a of r.agents)
    out.push(
      `| ${esc(a.type)} | ${a.runs} | ${a.failures} | ${a.medianMs ?? ""} | ${a.tokens} | ${a.costUsd} |`
    );
  out.push("", "## Tools", "");
  if (r.tools.length) {
    out.push(
      "```mermaid",
      "xychart-beta",
      '  title "Tool failure rate (%)"',
      `  x-axis [${r.tools.map((t) => `"${label(t.tool)}"`).join(", ")}]`,
      '  y-axis "failure %" 0 --> 100',
      `  bar [${r.tools.map((t) => Math.round(t.failureRate * 1e3) / 10).join(", ")}]`,
      "```",
      ""
    );
  }
  out.push(
    "| tool | calls | failures | failure rate | p50 ms | p95 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: |"
  );
  for (const t of r.tools)
    out.push(
      `| ${esc(t.tool)} | ${t.calls} | ${t.failures} | ${pct(t.failureRate)} | ${t.p50Ms ?? ""} | ${t.p95Ms ?? ""} |`
    );
  if (sessionCosts2.length > 1) {
    out.push(
      "",
      "## Cost per session over time",
      "",
      "```mermaid",
      "xychart-beta",
      '  title "Cost per session (USD)"',
      `  x-axis [${sessionCosts2.map((s2) => `"${s2.started.slice(5, 16).replace("T", " ")}"`).join(", ")}]`,
      `  line [${sessionCosts2.map((s2) => s2.costUsd).join(", ")}]`,
      "```"
    );
  }
  if (r.errors.length) {
    out.push(
      "",
      "## Error patterns",
      "",
      "| pattern | count | sessions | first seen | last seen |",
      "| --- | ---: | ---: | --- | --- |"
    );
    for (const e of r.errors)
      out.push(
        `| ${esc(e.pattern.slice(0, 120))} | ${e.count} | ${e.sessions} | ${e.firstSeen.slice(0, 16)} | ${e.lastSeen.slice(0, 16)} |`
      );
  }
  if (r.costs.topSessions.length) {
    out.push("", "## Most expensive sessions", "");
    for (const s2 of r.costs.topSessions) out.push(`- ${s2.session.slice(0, 8)}: ${s2.costUsd} USD`);
  }
  if (r.costs.cheaperModels.length) {
    out.push("", "## On a cheaper model", "");
    for (const c of r.costs.cheaperModels)
      out.push(
        `- ${c.type} on ${c.model}: ${c.costUsd} USD; the same tokens on ${c.cheaperModel}: ${c.wouldCostUsd} USD`
      );
  }
  return `${out.join("\n")}
`;
}
var esc, label, pct;
var init_render = __esm({
  "src/analytics/render.ts"() {
    "use strict";
    esc = (s2) => s2.replace(/\|/g, "\\|").replace(/\n/g, " ");
    label = (s2) => s2.replace(/["\n]/g, "'").slice(0, 40);
    pct = (x) => x === null ? "" : `${Math.round(x * 1e3) / 10}%`;
  }
});

// src/analytics/review.ts
async function rows(db, sql) {
  return (await db.query(sql)).rows;
}
function cheaper(model) {
  const base = priceOf(model);
  if (!base) return null;
  const options = ["claude-haiku-4-5", "claude-sonnet-4-6"].filter(
    (m) => (priceOf(m)?.output ?? Infinity) < base.output && !normalizeModel(model).startsWith(m)
  );
  return options.sort((a, b) => (priceOf(b)?.output ?? 0) - (priceOf(a)?.output ?? 0))[0] ?? null;
}
async function buildReview(db, phase2, previousPhase) {
  const P = lit(phase2);
  const [s2] = await rows(
    db,
    `SELECT count(*) AS sessions, coalesce(sum(round(cost_usd * 1e8)), 0) AS units,
            coalesce(sum(input_tokens), 0) AS input, coalesce(sum(output_tokens), 0) AS output,
            coalesce(sum(cache_read_tokens), 0) AS cache_read, coalesce(sum(cache_write_tokens), 0) AS cache_write
     FROM sessions WHERE phase = ${P}`
  );
  const tokens = {
    input: num2(s2.input),
    output: num2(s2.output),
    cacheRead: num2(s2.cache_read),
    cacheWrite: num2(s2.cache_write)
  };
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
     FROM runs LEFT JOIN spend USING (type) WHERE runs.runs > 0 ORDER BY units DESC, runs.type`
  );
  const agents = agentRows.map((r) => ({
    type: String(r.type),
    runs: num2(r.runs),
    failures: num2(r.failures),
    medianMs: numOrNull(r.median_ms),
    tokens: num2(r.tokens),
    costUsd: usd(num2(r.units))
  }));
  const tools = (await rows(
    db,
    `SELECT tool, count(*) AS calls, count(*) FILTER (WHERE NOT success) AS failures,
              quantile_cont(duration_ms, 0.5) AS p50, quantile_cont(duration_ms, 0.95) AS p95
       FROM tool_calls WHERE phase = ${P} GROUP BY tool ORDER BY calls DESC, tool`
  )).map((r) => ({
    tool: String(r.tool),
    calls: num2(r.calls),
    failures: num2(r.failures),
    failureRate: num2(r.calls) ? Math.round(num2(r.failures) / num2(r.calls) * 1e4) / 1e4 : 0,
    p50Ms: r.p50 === null ? null : Math.round(num2(r.p50) * 100) / 100,
    p95Ms: r.p95 === null ? null : Math.round(num2(r.p95) * 100) / 100
  }));
  const errors = (await rows(
    db,
    `WITH e AS (
         SELECT * FROM (
           SELECT *, row_number() OVER (PARTITION BY coalesce(tool_use_id, id) ORDER BY ts) AS k
           FROM errors WHERE phase = ${P}) WHERE k = 1)
       SELECT ${NORMALISE("message")} AS pattern, count(*) AS n, count(DISTINCT session) AS sessions,
              min(ts)::VARCHAR AS first_seen, max(ts)::VARCHAR AS last_seen, arg_min(left(message, 300), ts) AS example
       FROM e WHERE message IS NOT NULL GROUP BY 1 ORDER BY n DESC, pattern LIMIT 20`
  )).map((r) => ({
    pattern: String(r.pattern),
    count: num2(r.n),
    sessions: num2(r.sessions),
    firstSeen: String(r.first_seen),
    lastSeen: String(r.last_seen),
    example: String(r.example)
  }));
  const byModelRows = await rows(
    db,
    `SELECT coalesce(model, 'unknown') AS model, sum(round(cost_usd * 1e8)) AS units,
            sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cache_read_tokens) AS cache_read,
            sum(cache_write_tokens) AS cache_write
     FROM usage WHERE phase = ${P} GROUP BY 1 ORDER BY units DESC`
  );
  const byModel = Object.fromEntries(byModelRows.map((r) => [String(r.model), usd(num2(r.units))]));
  const topSessions = (await rows(
    db,
    `SELECT session, round(cost_usd * 1e8) AS units FROM sessions WHERE phase = ${P} ORDER BY units DESC, session LIMIT 5`
  )).map((r) => ({ session: String(r.session), costUsd: usd(num2(r.units)) }));
  const topAgents = agents.filter((a) => a.type !== "main").slice(0, 5).map((a) => ({ type: a.type, costUsd: a.costUsd }));
  const perTypeModel = await rows(
    db,
    `SELECT CASE WHEN agent = 'main' THEN 'main' ELSE coalesce(agent_type, 'unknown') END AS type, model,
            sum(round(cost_usd * 1e8)) AS units, sum(input_tokens) AS input, sum(output_tokens) AS output,
            sum(cache_read_tokens) AS cache_read, sum(cache_write_tokens) AS cache_write
     FROM usage WHERE phase = ${P} AND model IS NOT NULL GROUP BY 1, 2 ORDER BY units DESC`
  );
  const cheaperModels = [];
  for (const r of perTypeModel) {
    const target = cheaper(String(r.model));
    if (!target) continue;
    const write = num2(r.cache_write);
    const units2 = costUnits(target, {
      input: num2(r.input),
      output: num2(r.output),
      cacheRead: num2(r.cache_read),
      cacheWrite: write,
      cacheWrite5m: write,
      cacheWrite1h: 0
    });
    if (units2 === null) continue;
    cheaperModels.push({
      type: String(r.type),
      model: String(r.model),
      costUsd: usd(num2(r.units)),
      cheaperModel: target,
      wouldCostUsd: unitsToUsd(units2)
    });
  }
  const promptTokens = tokens.input + tokens.cacheRead + tokens.cacheWrite;
  const review = {
    phase: phase2,
    sessions: num2(s2.sessions),
    costUsd: usd(num2(s2.units)),
    tokens,
    agents,
    tools,
    errors,
    costs: {
      cacheHitRatio: promptTokens ? Math.round(tokens.cacheRead / promptTokens * 1e4) / 1e4 : null,
      byModel,
      topSessions,
      topAgents,
      cheaperModels
    },
    recommendations: []
  };
  if (previousPhase) {
    const [p] = await rows(
      db,
      `SELECT count(*) AS sessions, coalesce(sum(round(cost_usd * 1e8)), 0) AS units,
              sum(tool_failures) / nullif(sum(tool_calls), 0) AS failure_rate
       FROM sessions WHERE phase = ${lit(previousPhase)}`
    );
    review.previous = {
      phase: previousPhase,
      sessions: num2(p.sessions),
      costUsd: usd(num2(p.units)),
      toolFailureRate: p.failure_rate === null ? null : Math.round(num2(p.failure_rate) * 1e4) / 1e4
    };
  }
  review.recommendations = recommend(review);
  return review;
}
function recommend(r) {
  const out = [];
  const notRead = r.errors.filter((e) => /has not been read yet/i.test(e.pattern));
  const n2 = notRead.reduce((a, e) => a + e.count, 0);
  if (n2 > 0)
    out.push({
      text: "Have agents Read a file before they Edit or Write it (say so in CLAUDE.md).",
      evidence: `Edit/Write refused ${n2} time${n2 === 1 ? "" : "s"} with "File has not been read yet"`
    });
  for (const t of r.tools)
    if (t.calls >= 5 && t.failureRate >= 0.2)
      out.push({
        text: `Look at why ${t.tool} fails so often; check the commands or inputs agents give it.`,
        evidence: `${t.tool}: ${t.failures} of ${t.calls} calls failed (${Math.round(t.failureRate * 100)}%)`
      });
  for (const e of r.errors)
    if (e.sessions >= 2 && !/has not been read yet/i.test(e.pattern))
      out.push({
        text: "The same error recurs across sessions: fix its cause once, or document the workaround.",
        evidence: `"${e.pattern.replace(/\s+/g, " ").slice(0, 120)}" in ${e.sessions} sessions (${e.count} times)`
      });
  if (r.costs.cacheHitRatio !== null && r.tokens.input + r.tokens.cacheRead > 1e5 && r.costs.cacheHitRatio < 0.5)
    out.push({
      text: "Most prompt tokens were not cache reads: keep long sessions going instead of restarting, and keep CLAUDE.md stable.",
      evidence: `cache hit ratio ${r.costs.cacheHitRatio}`
    });
  for (const c of r.costs.cheaperModels)
    if (c.type !== "main" && c.costUsd >= 1 && c.wouldCostUsd <= c.costUsd / 2)
      out.push({
        text: `Consider running ${c.type} subagents on ${c.cheaperModel}.`,
        evidence: `${c.type} on ${c.model} cost ${c.costUsd} USD; on ${c.cheaperModel} the same tokens cost ${c.wouldCostUsd} USD`
      });
  for (const a of r.agents)
    if (a.runs >= 3 && a.failures / a.runs >= 0.3)
      out.push({
        text: `${a.type === "main" ? "Sessions" : `${a.type} subagents`} often end without finishing; see their last errors.`,
        evidence: `${a.failures} of ${a.runs} runs did not end`
      });
  return out;
}
var num2, numOrNull, usd, lit, NORMALISE;
var init_review = __esm({
  "src/analytics/review.ts"() {
    "use strict";
    init_pricing();
    num2 = (v) => v === null || v === void 0 ? 0 : Number(v);
    numOrNull = (v) => v === null || v === void 0 ? null : Number(v);
    usd = (units2) => Math.round(units2) / 1e8;
    lit = (s2) => `'${s2.replace(/'/g, "''")}'`;
    NORMALISE = (col) => `regexp_replace(regexp_replace(regexp_replace(left(${col}, 300), '(~|\\.{0,2})?(/[^\\s:''"\`()]+)+', '<path>', 'g'), '\\b[0-9a-f]{7,}\\b', '<id>', 'g'), '\\d+', '<n>', 'g')`;
  }
});

// src/analytics/phases.ts
var phases_exports = {};
__export(phases_exports, {
  endPhase: () => endPhase,
  listPhases: () => listPhases,
  nextPhaseName: () => nextPhaseName,
  policyEnds: () => policyEnds,
  reviewEndedPhases: () => reviewEndedPhases,
  reviewPhase: () => reviewPhase,
  sessionCosts: () => sessionCosts,
  startPhase: () => startPhase
});
function nextPhaseName(name) {
  const m = /^(.*?)(\d+)$/.exec(name);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${name}-2`;
}
async function branchTree(paths) {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) return null;
  const store = new ObjectStore(paths.commonDir);
  return new TreeEditor(store, (await store.readCommit(tip)).tree);
}
async function listPhases(paths) {
  const branch = await TrackingBranch.open(paths);
  const tree = await branchTree(paths);
  const config = await loadConfig(paths);
  const current = (tree && await currentPhase(tree)) ?? config.phase;
  const sessions = await branch.sessions();
  const out = [];
  const names = /* @__PURE__ */ new Set([current]);
  for (const e of (tree && await tree.list("phases")) ?? []) if (e.type === "tree") names.add(e.path);
  for (const name of names) {
    let meta = {};
    try {
      meta = JSON.parse(await branch.readFile(`phases/${name}/phase.json`) ?? "{}");
    } catch {
      meta = {};
    }
    const mine = sessions.filter((s2) => s2.phase === name);
    out.push({
      name,
      started: meta.started ?? mine[0]?.started ?? null,
      ended: meta.ended ?? null,
      current: name === current,
      sessions: mine.length,
      costUsd: mine.reduce((a, s2) => a + Math.round(s2.costUsd * 1e8), 0) / 1e8,
      reviewed: Boolean(tree && (await tree.list(`phases/${name}`))?.some((x) => x.path === "review.json")),
      archived: Boolean(tree && (await tree.list(`phases/${name}`))?.some((x) => x.path === "ARCHIVED.json"))
    });
  }
  return out.sort(
    (a, b) => (a.started ?? "9").localeCompare(b.started ?? "9") || a.name.localeCompare(b.name)
  );
}
async function commitBranchFiles(paths, files) {
  await commitWith(paths, {
    events: [],
    verify: [],
    branchFiles: files.map((f) => ({ path: f.path, content: f.content }))
  });
}
async function startPhase(paths, name) {
  if (!NAME.test(name)) throw new Error(`'${name}' is not a phase name (letters, digits, '.', '_', '-')`);
  await flushWithTranscripts(paths, { waitMs: 6e4 });
  const phases = await listPhases(paths);
  if (phases.some((p) => p.name === name))
    throw new Error(`phase '${name}' exists already (see \`agent-track phase list\`)`);
  const open = phases.find((p) => p.current && !p.reviewed && p.sessions > 0);
  if (open)
    throw new Error(
      `phase '${open.name}' is open with ${open.sessions} session${open.sessions === 1 ? "" : "s"}; end it first: agent-track phase end --next ${name}`
    );
  const files = [
    { path: `phases/${name}/phase.json`, content: phaseJson(name, (/* @__PURE__ */ new Date()).toISOString(), null) }
  ];
  const current = phases.find((p) => p.current && !p.reviewed);
  if (current && current.started) {
    files.push({
      path: `phases/${current.name}/phase.json`,
      content: phaseJson(current.name, current.started, (/* @__PURE__ */ new Date()).toISOString())
    });
    files.push({ path: `phases/${current.name}/review.json`, content: '{"sessions":0}\n' });
  }
  await commitBranchFiles(paths, files);
  return (await listPhases(paths)).find((p) => p.name === name);
}
async function reviewPhase(paths, name) {
  await flushWithTranscripts(paths, { waitMs: 6e4 });
  const phases = await listPhases(paths);
  const target = name ?? phases.find((p) => p.current)?.name;
  const i = phases.findIndex((p) => p.name === target);
  if (i < 0) throw new Error(`no phase '${name}' (see \`agent-track phase list\`)`);
  const db = await openAnalytics(paths);
  try {
    return await buildReview(db, phases[i].name, i > 0 ? phases[i - 1].name : null);
  } finally {
    db.close();
  }
}
async function sessionCosts(paths, phase2) {
  const branch = await TrackingBranch.open(paths);
  return (await branch.sessions()).filter((s2) => s2.phase === phase2 && s2.started).map((s2) => ({ started: s2.started, costUsd: s2.costUsd }));
}
async function endPhase(paths, opts = {}) {
  const review = opts.review === false ? null : await reviewPhase(paths);
  if (!review) await flushWithTranscripts(paths, { waitMs: 6e4 });
  const phases = await listPhases(paths);
  const cur = phases.find((p) => p.current);
  const next = opts.next ?? nextPhaseName(cur.name);
  if (!NAME.test(next)) throw new Error(`'${next}' is not a phase name (letters, digits, '.', '_', '-')`);
  if (phases.some((p) => p.name === next))
    throw new Error(`phase '${next}' exists already; name the next one with --next`);
  const now = (/* @__PURE__ */ new Date()).toISOString();
  await commitBranchFiles(paths, [
    ...review ? await reviewFiles(paths, review) : [{ path: `phases/${cur.name}/ended.json`, content: `${JSON.stringify({ ended: now }, null, 2)}
` }],
    { path: `phases/${cur.name}/phase.json`, content: phaseJson(cur.name, cur.started ?? now, now) },
    { path: `phases/${next}/phase.json`, content: phaseJson(next, now, null) }
  ]);
  return { ended: cur.name, next, review };
}
function policyEnds(policy, started, now) {
  if (!["manual", "weekly", "monthly"].includes(policy))
    throw new Error(`phase-policy is manual, weekly or monthly, not '${policy}'`);
  if (!started || policy === "manual") return false;
  const start = new Date(started);
  if (policy === "monthly")
    return start.getUTCFullYear() * 12 + start.getUTCMonth() < now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (policy === "weekly") {
    const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    monday.setUTCDate(monday.getUTCDate() - (monday.getUTCDay() + 6) % 7);
    return start < monday;
  }
  return false;
}
async function reviewEndedPhases(paths, policy, now = /* @__PURE__ */ new Date()) {
  let endedNow = null;
  const open = (await listPhases(paths)).find((p) => p.current && !p.reviewed);
  if (open && open.sessions > 0 && policyEnds(policy, open.started, now)) {
    await endPhase(paths, { review: false });
    endedNow = open.name;
  }
  const reviews = [];
  for (const p of await listPhases(paths)) {
    if (p.reviewed || !p.ended || p.archived) continue;
    const review = await reviewPhase(paths, p.name);
    await commitBranchFiles(paths, await reviewFiles(paths, review));
    reviews.push(review);
  }
  return { endedNow, reviews };
}
var NAME, phaseJson, reviewFiles;
var init_phases = __esm({
  "src/analytics/phases.ts"() {
    "use strict";
    init_collect();
    init_config2();
    init_flush();
    init_git();
    init_paths();
    init_reader();
    init_tree();
    init_duckdb();
    init_render();
    init_review();
    NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;
    phaseJson = (name, started, ended) => `${JSON.stringify({ name, started, ended }, null, 2)}
`;
    reviewFiles = async (paths, review) => [
      { path: `phases/${review.phase}/review.json`, content: `${JSON.stringify(review, null, 2)}
` },
      {
        path: `phases/${review.phase}/review.md`,
        content: renderReview(review, await sessionCosts(paths, review.phase))
      }
    ];
  }
});

// src/cloud/drive.ts
var drive_exports = {};
__export(drive_exports, {
  DEFAULT_ROOT_NAME: () => DEFAULT_ROOT_NAME,
  DriveClient: () => DriveClient,
  DriveCredentialsError: () => DriveCredentialsError,
  DriveError: () => DriveError,
  FOLDER_MIME: () => FOLDER_MIME,
  OAUTH_ENV: () => OAUTH_ENV,
  Retrier: () => Retrier,
  archivedRecord: () => archivedRecord,
  backupToDrive: () => backupToDrive,
  driveCredentials: () => driveCredentials,
  driveMessage: () => driveMessage,
  openDrive: () => openDrive,
  repoFolderName: () => repoFolderName
});
import { spawnSync as spawnSync3 } from "node:child_process";
import { createHash as createHash8 } from "node:crypto";
import * as path17 from "node:path";
import { Readable } from "node:stream";
function driveCredentials(env, sharedDriveId) {
  const [id, secret, token] = OAUTH_ENV.map((k) => env[k]?.trim() || "");
  if (id || secret || token) {
    const missing = OAUTH_ENV.filter((k) => !env[k]?.trim());
    if (missing.length)
      throw new DriveCredentialsError(
        `incomplete Google Drive credentials: ${missing.join(", ")} not set (agent-track auth drive makes a refresh token)`
      );
    return { kind: "oauth", clientId: id, clientSecret: secret, refreshToken: token };
  }
  const file = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (file) {
    if (!sharedDriveId)
      throw new DriveCredentialsError(
        "a service account has no Drive storage quota of its own: set backup.sharedDriveId in .agent-tracking.yml (or --shared-drive ID) to a Shared Drive the service account is a member of, or use an OAuth refresh token (AGENT_TRACK_DRIVE_REFRESH_TOKEN)"
      );
    return { kind: "service-account", file };
  }
  throw new DriveCredentialsError(
    `no Google Drive credentials: set ${OAUTH_ENV.join(", ")} (agent-track auth drive makes the refresh token), or GOOGLE_APPLICATION_CREDENTIALS with backup.sharedDriveId for a service account`
  );
}
function repoFolderName(paths) {
  const r = spawnSync3("git", ["config", "--get", "remote.origin.url"], {
    cwd: paths.workTree,
    encoding: "utf8"
  });
  const url = r.status === 0 ? r.stdout.trim() : "";
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(.+)$/i.exec(url) ?? /^(?:[^@/]+@)?[^:/]+:(?!\/)(.+)$/.exec(url);
  const clean = (s2) => s2.replace(/[^\w.-]+/g, "_");
  if (m && !/^file:/i.test(url)) {
    const parts = m[1].replace(/\/+$/, "").replace(/\.git$/, "").split("/").filter(Boolean);
    if (parts.length >= 2) return `${clean(parts.at(-2))}-${clean(parts.at(-1))}`;
    if (parts.length === 1) return clean(parts[0]);
  }
  return clean(path17.basename(paths.workTree));
}
function archivedRecord(paths, phase2) {
  const r = spawnSync3("git", ["cat-file", "blob", `${TRACKING_REF}:phases/${phase2}/ARCHIVED.json`], {
    cwd: paths.workTree,
    encoding: "utf8"
  });
  if (r.status !== 0) return null;
  try {
    const j = JSON.parse(r.stdout);
    return j && j.phase === phase2 && typeof j.manifestKey === "string" && typeof j.bucket === "string" ? j : null;
  } catch {
    return null;
  }
}
function isRetryable(e) {
  if (e instanceof DriveError || e instanceof DriveCredentialsError) return false;
  const status = statusOf2(e);
  if (status === void 0) return true;
  if (status === 429 || status >= 500) return true;
  if (status === 403) {
    const text = JSON.stringify(e.response?.data ?? "");
    return /rateLimitExceeded|userRateLimitExceeded/.test(text);
  }
  return false;
}
function driveMessage(e) {
  const err = e;
  const status = statusOf2(e);
  const apiMessage = err.response?.data?.error?.message ?? err.response?.data?.error_description;
  if (status === 401 || /invalid_grant|invalid_client|unauthorized_client/.test(String(err.message)))
    return `Google refused the Drive credentials (${apiMessage ?? err.message}): check ${OAUTH_ENV.join(", ")} (agent-track auth drive makes a new refresh token)`;
  const text = (apiMessage ?? err.message ?? String(e)).split("\n")[0];
  return `Google Drive${status ? ` (HTTP ${status})` : ""}: ${text}`;
}
function mimeOf(file) {
  if (file.endsWith(".json")) return "application/json";
  if (file.endsWith(".jsonl")) return "application/x-ndjson";
  if (file.endsWith(".md")) return "text/markdown";
  return "application/octet-stream";
}
async function openDrive(env, sharedDriveId, credentials) {
  const { drive, auth } = await import("@googleapis/drive");
  const rootUrl = env.AGENT_TRACK_DRIVE_ROOT_URL?.trim() || DEFAULT_ROOT_URL;
  let client;
  let requester;
  if (credentials.kind === "oauth") {
    const tokenUrl = env.AGENT_TRACK_GOOGLE_TOKEN_URL?.trim();
    const oauth = new auth.OAuth2({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      ...tokenUrl ? { endpoints: { oauth2TokenUrl: tokenUrl } } : {}
    });
    oauth.setCredentials({ refresh_token: credentials.refreshToken });
    client = oauth;
    requester = oauth;
  } else {
    const ga = new auth.GoogleAuth({ keyFile: credentials.file, scopes: [SERVICE_ACCOUNT_SCOPE] });
    client = ga;
    requester = await ga.getClient();
  }
  const api = drive({ version: "v3", auth: client, rootUrl, retry: false });
  const baseMs = Number(env.AGENT_TRACK_DRIVE_RETRY_MS);
  return new DriveClient(
    api,
    requester,
    rootUrl,
    sharedDriveId,
    Number.isFinite(baseMs) && baseMs >= 0 ? baseMs : 500
  );
}
async function backupToDrive(paths, opts = {}) {
  const env = opts.env ?? process.env;
  const config = await loadConfig(paths);
  const sharedDriveId = opts.sharedDriveId ?? config.backup.sharedDriveId;
  const folderId = opts.folderId ?? config.backup.driveFolderId;
  const keep = opts.keep ?? config.backup.keep;
  const threshold = opts.resumableThreshold ?? 5 * 1024 * 1024;
  const chunkSize = opts.chunkSize ?? 8 * 1024 * 1024;
  const credentials = driveCredentials(env, sharedDriveId);
  if (!readRef(paths.commonDir, TRACKING_REF))
    throw new DriveError("no agent-tracking branch here yet (agent-track init)");
  const phases = await listPhases(paths);
  const ci = Math.max(
    0,
    phases.findIndex((p) => p.current)
  );
  const keptPhases = phases.slice(Math.max(0, ci - keep), ci + 1).map((p) => p.name);
  const repoFolder = repoFolderName(paths);
  const result = {
    uploaded: 0,
    updated: 0,
    unchanged: 0,
    removedPhases: [],
    keptUnarchived: [],
    bytes: 0,
    phases: keptPhases,
    folder: repoFolder,
    dryRun: Boolean(opts.dryRun),
    ...opts.dryRun ? { wouldUpload: [] } : {}
  };
  const drive = await openDrive(env, sharedDriveId, credentials);
  const dry = Boolean(opts.dryRun);
  try {
    const parentOfRoot = sharedDriveId ?? "root";
    let rootId = folderId;
    if (!rootId) {
      rootId = await drive.findFolder(parentOfRoot, DEFAULT_ROOT_NAME);
      if (!rootId && !dry) rootId = await drive.createFolder(parentOfRoot, DEFAULT_ROOT_NAME);
    }
    let repoId = rootId ? await drive.findFolder(rootId, repoFolder) : null;
    if (!repoId && rootId && !dry) repoId = await drive.createFolder(rootId, repoFolder);
    const phaseFolders = /* @__PURE__ */ new Map();
    if (repoId) {
      for (const f of await drive.list(repoId, { folders: true }))
        if (!phaseFolders.has(f.name)) phaseFolders.set(f.name, f.id);
    }
    const plan = [];
    const folderIds = /* @__PURE__ */ new Map();
    for (const phase2 of keptPhases) {
      const prefix = `phases/${phase2}/`;
      const blobs = lsTreeBlobs(paths, TRACKING_REF, prefix);
      const phaseId = phaseFolders.get(phase2);
      const remote = phaseId ? await drive.walk(phaseId) : /* @__PURE__ */ new Map();
      if (phaseId) folderIds.set(`${phase2}/`, phaseId);
      for (const [rel, e] of remote) if (rel.endsWith("/")) folderIds.set(`${phase2}/${rel}`, e.id);
      const sums = [];
      await catFiles(
        paths,
        blobs.map((b) => b.oid),
        (i, data) => {
          sums[i] = md5(data);
        }
      );
      blobs.forEach((blob, i) => {
        const rel = blob.path.slice(prefix.length);
        const there = remote.get(rel);
        if (there && there.md5Checksum === sums[i]) result.unchanged++;
        else plan.push({ phase: phase2, rel, blob, existingId: there?.id });
      });
    }
    if (dry) {
      for (const p of plan) {
        result.wouldUpload.push(`${p.phase}/${p.rel}`);
        if (p.existingId) result.updated++;
        else result.uploaded++;
        result.bytes += p.blob.size;
      }
    } else {
      const ensureFolder = async (dir) => {
        const known = folderIds.get(dir);
        if (known) return known;
        const parts = dir.slice(0, -1).split("/");
        const parent = parts.length === 1 ? repoId : await ensureFolder(`${parts.slice(0, -1).join("/")}/`);
        const id = await drive.createFolder(parent, parts.at(-1));
        folderIds.set(dir, id);
        return id;
      };
      const totalFiles = plan.length;
      let done = 0;
      for (let s2 = 0; s2 < plan.length; ) {
        let size2 = 0;
        let e = s2;
        while (e < plan.length && (e === s2 || size2 + plan[e].blob.size <= 32 * 1024 * 1024))
          size2 += plan[e++].blob.size;
        const batch = plan.slice(s2, e);
        const datas = [];
        await catFiles(
          paths,
          batch.map((p) => p.blob.oid),
          (i, data) => {
            datas[i] = Buffer.from(data);
          }
        );
        for (const [i, p] of batch.entries()) {
          const name = path17.posix.basename(p.rel);
          const dir = path17.posix.dirname(p.rel);
          const parentId = await ensureFolder(dir === "." ? `${p.phase}/` : `${p.phase}/${dir}/`);
          const data = datas[i];
          if (data.length > threshold)
            await drive.resumableUpload(data, name, parentId, p.existingId, chunkSize);
          else await drive.simpleUpload(data, name, parentId, p.existingId);
          if (p.existingId) result.updated++;
          else result.uploaded++;
          result.bytes += data.length;
          opts.onProgress?.({ files: ++done, totalFiles, bytes: result.bytes });
        }
        s2 = e;
      }
    }
    const kept = new Set(keptPhases);
    for (const [name, id] of phaseFolders) {
      if (kept.has(name)) continue;
      if (archivedRecord(paths, name)) {
        if (!dry) await drive.delete(id);
        result.removedPhases.push(name);
      } else result.keptUnarchived.push(name);
    }
  } catch (e) {
    if (e instanceof DriveError || e instanceof DriveCredentialsError) throw e;
    throw new DriveError(driveMessage(e));
  }
  return result;
}
var DriveCredentialsError, DriveError, OAUTH_ENV, FOLDER_MIME, DEFAULT_ROOT_NAME, DEFAULT_ROOT_URL, SERVICE_ACCOUNT_SCOPE, statusOf2, MAX_ATTEMPTS, sleep2, Retrier, md5, q, DriveClient;
var init_drive = __esm({
  "src/cloud/drive.ts"() {
    "use strict";
    init_phases();
    init_cat();
    init_config2();
    init_paths();
    DriveCredentialsError = class extends Error {
    };
    DriveError = class extends Error {
    };
    OAUTH_ENV = [
      "AGENT_TRACK_DRIVE_CLIENT_ID",
      "AGENT_TRACK_DRIVE_CLIENT_SECRET",
      "AGENT_TRACK_DRIVE_REFRESH_TOKEN"
    ];
    FOLDER_MIME = "application/vnd.google-apps.folder";
    DEFAULT_ROOT_NAME = "agent-tracking";
    DEFAULT_ROOT_URL = "https://www.googleapis.com/";
    SERVICE_ACCOUNT_SCOPE = "https://www.googleapis.com/auth/drive";
    statusOf2 = (e) => {
      const err = e;
      const s2 = err?.response?.status ?? err?.status;
      return typeof s2 === "number" ? s2 : void 0;
    };
    MAX_ATTEMPTS = 6;
    sleep2 = (ms) => new Promise((r) => setTimeout(r, ms));
    Retrier = class {
      constructor(baseMs = 500) {
        this.baseMs = baseMs;
      }
      baseMs;
      /** Exponential backoff with jitter before attempt `attempt + 1`. */
      delay(attempt) {
        return Math.min(this.baseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2), 6e4);
      }
      async run(fn) {
        for (let attempt = 1; ; attempt++) {
          try {
            return await fn();
          } catch (e) {
            if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) throw e;
            const retryAfter = Number(
              e.response?.headers?.get?.("retry-after")
            );
            await sleep2(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1e3 : this.delay(attempt));
          }
        }
      }
    };
    md5 = (b) => createHash8("md5").update(b).digest("hex");
    q = (s2) => `'${s2.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    DriveClient = class {
      constructor(api, requester, rootUrl, sharedDriveId, retryBaseMs = 500) {
        this.api = api;
        this.requester = requester;
        this.rootUrl = rootUrl;
        this.sharedDriveId = sharedDriveId;
        this.retry = new Retrier(retryBaseMs);
      }
      api;
      requester;
      rootUrl;
      sharedDriveId;
      retry;
      /** Shared Drive listing: the drive's corpus, with items of all drives. */
      listScope() {
        return this.sharedDriveId ? {
          corpora: "drive",
          driveId: this.sharedDriveId,
          includeItemsFromAllDrives: true,
          supportsAllDrives: true
        } : { corpora: "user", spaces: "drive" };
      }
      async list(parentId, opts = {}) {
        const clauses = [`${q(parentId)} in parents`, "trashed = false"];
        if (opts.name !== void 0) clauses.push(`name = ${q(opts.name)}`);
        if (opts.folders) clauses.push(`mimeType = ${q(FOLDER_MIME)}`);
        const out = [];
        let pageToken;
        do {
          const token = pageToken;
          const res = await this.retry.run(
            () => this.api.files.list({
              q: clauses.join(" and "),
              fields: "nextPageToken, files(id, name, mimeType, md5Checksum)",
              pageSize: 1e3,
              pageToken: token,
              ...this.listScope()
            })
          );
          for (const f of res.data.files ?? [])
            if (f.id && f.name)
              out.push({ id: f.id, name: f.name, mimeType: f.mimeType ?? "", md5Checksum: f.md5Checksum });
          pageToken = res.data.nextPageToken ?? void 0;
        } while (pageToken);
        return out;
      }
      async findFolder(parentId, name) {
        const found2 = await this.list(parentId, { name, folders: true });
        return found2[0]?.id ?? null;
      }
      async createFolder(parentId, name) {
        let sent = false;
        return this.retry.run(async () => {
          if (sent) {
            const found2 = await this.findFolder(parentId, name);
            if (found2) return found2;
          }
          sent = true;
          const res = await this.api.files.create({
            requestBody: { name, mimeType: FOLDER_MIME, parents: [parentId] },
            fields: "id",
            supportsAllDrives: true
          });
          if (!res.data.id) throw new DriveError(`Drive created folder ${name} without an id`);
          return res.data.id;
        });
      }
      async folder(parentId, name) {
        return await this.findFolder(parentId, name) ?? await this.createFolder(parentId, name);
      }
      /** Every file under a folder, by its path relative to it; folders too (with a trailing slash). */
      async walk(folderId, prefix = "", out = /* @__PURE__ */ new Map()) {
        for (const e of await this.list(folderId)) {
          const rel = `${prefix}${e.name}`;
          if (e.mimeType === FOLDER_MIME) {
            if (out.has(`${rel}/`)) continue;
            out.set(`${rel}/`, e);
            await this.walk(e.id, `${rel}/`, out);
          } else if (!out.has(rel)) out.set(rel, e);
        }
        return out;
      }
      async delete(fileId) {
        await this.retry.run(async () => {
          try {
            await this.api.files.delete({ fileId, supportsAllDrives: true });
          } catch (e) {
            if (statusOf2(e) === 404) return;
            throw e;
          }
        });
      }
      /** A small file in one request: multipart for a new file, media for an update in place. */
      async simpleUpload(data, name, parentId, existingId) {
        const media = () => ({ mimeType: mimeOf(name), body: Readable.from([data]) });
        const options = { rootUrl: this.rootUrl };
        let sent = false;
        const sum = md5(data);
        await this.retry.run(async () => {
          if (existingId) {
            await this.api.files.update(
              { fileId: existingId, media: media(), fields: "id", supportsAllDrives: true },
              options
            );
            return;
          }
          if (sent && (await this.list(parentId, { name })).some((f) => f.md5Checksum === sum)) return;
          sent = true;
          await this.api.files.create(
            { requestBody: { name, parents: [parentId] }, media: media(), fields: "id", supportsAllDrives: true },
            options
          );
        });
      }
      /** A large file as a resumable upload session, in chunks; resumes where Drive says it got to. */
      async resumableUpload(data, name, parentId, existingId, chunkSize) {
        const total = data.length;
        const base = `${this.rootUrl.replace(/\/+$/, "")}/upload/drive/v3/files${existingId ? `/${encodeURIComponent(existingId)}` : ""}`;
        const start = () => this.retry.run(async () => {
          const res = await this.requester.request({
            url: `${base}?uploadType=resumable&supportsAllDrives=true&fields=id`,
            method: existingId ? "PATCH" : "POST",
            headers: {
              "Content-Type": "application/json; charset=UTF-8",
              "X-Upload-Content-Type": mimeOf(name),
              "X-Upload-Content-Length": String(total)
            },
            data: JSON.stringify(existingId ? {} : { name, parents: [parentId] }),
            retry: false
          });
          const location = res.headers.get("location");
          if (!location) throw new DriveError("Drive started an upload session without a Location");
          return location;
        });
        const validateStatus = (s2) => s2 >= 200 && s2 < 300 || s2 === 308;
        const offsetOf = (res) => {
          if (res.status >= 200 && res.status < 300) return total;
          const range = /bytes=0-(\d+)/.exec(res.headers.get("range") ?? "");
          return range ? Number(range[1]) + 1 : 0;
        };
        let session = await start();
        let offset = 0;
        let failures = 0;
        while (offset < total) {
          const end = Math.min(offset + chunkSize, total);
          try {
            const res = await this.requester.request({
              url: session,
              method: "PUT",
              headers: { "Content-Type": mimeOf(name), "Content-Range": `bytes ${offset}-${end - 1}/${total}` },
              data: data.subarray(offset, end),
              validateStatus,
              retry: false
            });
            offset = offsetOf(res);
            failures = 0;
          } catch (e) {
            const status = statusOf2(e);
            if (++failures >= MAX_ATTEMPTS) throw e;
            if (status === 404 || status === 410) {
              session = await start();
              offset = 0;
              continue;
            }
            if (!isRetryable(e)) throw e;
            await sleep2(this.retry.delay(failures));
            try {
              const res = await this.requester.request({
                url: session,
                method: "PUT",
                headers: { "Content-Range": `bytes */${total}` },
                data: "",
                validateStatus,
                retry: false
              });
              offset = offsetOf(res);
            } catch (e2) {
              const s2 = statusOf2(e2);
              if (s2 === 404 || s2 === 410) {
                session = await start();
                offset = 0;
              } else if (!isRetryable(e2)) throw e2;
            }
          }
        }
      }
    };
  }
});

// src/cloud/s3.ts
import { createHash as createHash9 } from "node:crypto";
import * as fs19 from "node:fs";
async function s3Client() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const sdk = await import("@aws-sdk/client-s3");
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || void 0;
  const client = new sdk.S3Client({
    endpoint,
    forcePathStyle: Boolean(endpoint),
    region: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1",
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 5
  });
  try {
    await client.config.credentials();
  } catch {
    throw new CredentialsError(
      "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE; in the Action, aws-actions/configure-aws-credentials); AWS_ENDPOINT_URL for an S3-compatible store"
    );
  }
  return { client, sdk };
}
function s3Message(e, bucket) {
  const err = e;
  const status = err.$metadata?.httpStatusCode;
  if (["InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"].includes(
    err.name ?? ""
  ) || status === 403)
    return `S3 refused the credentials for bucket ${bucket} (${err.name ?? status}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE, and the bucket's policy`;
  if (err.name === "NoSuchBucket") return `no bucket '${bucket}' (create it, or set archive.bucket)`;
  const text = (err.message ?? String(e)).split("\n")[0];
  return `S3 (${bucket}): ${err.name && !text.includes(err.name) ? `${err.name}: ` : ""}${text}`;
}
function parseS3Url(url) {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`'${url}' is not an S3 URL (s3://bucket/prefix)`);
  return { bucket: m[1], prefix: m[2].replace(/\/+$/, "") };
}
var CredentialsError, s3Errors, sha256File;
var init_s3 = __esm({
  "src/cloud/s3.ts"() {
    "use strict";
    CredentialsError = class extends Error {
    };
    s3Errors = (bucket) => async (what) => {
      try {
        return await what;
      } catch (e) {
        throw new Error(s3Message(e, bucket));
      }
    };
    sha256File = (file) => new Promise((resolve5, reject) => {
      const h = createHash9("sha256");
      fs19.createReadStream(file).on("data", (d) => h.update(d)).on("error", reject).on("end", () => resolve5(h.digest("hex")));
    });
  }
});

// src/cloud/archive.ts
var archive_exports = {};
__export(archive_exports, {
  VIEWS: () => VIEWS,
  archivablePhases: () => archivablePhases,
  archive: () => archive,
  archivePhase: () => archivePhase,
  listArchived: () => listArchived,
  parseTar: () => parseTar,
  phasePrefix: () => phasePrefix,
  restorePhase: () => restorePhase
});
import { spawn as spawn3 } from "node:child_process";
import { createHash as createHash10 } from "node:crypto";
import * as fs20 from "node:fs";
import * as path18 from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip, gunzipSync } from "node:zlib";
async function tipTree(paths) {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) throw new Error("nothing recorded yet: this clone has no 'agent-tracking' branch");
  const store = new ObjectStore(paths.commonDir);
  return { tip, tree: new TreeEditor(store, (await store.readCommit(tip)).tree) };
}
async function phaseTreeOid(tree, phase2) {
  return (await tree.list("phases"))?.find((e) => e.path === phase2 && e.type === "tree")?.oid ?? null;
}
async function readMarker(tree, phase2) {
  const text = await tree.readFile(`phases/${phase2}/ARCHIVED.json`);
  return text ? JSON.parse(text) : null;
}
async function archivablePhases(paths, keep) {
  const phases = await listPhases(paths);
  const current = phases.findIndex((p) => p.current);
  const { tree } = await tipTree(paths);
  const out = [];
  for (const [i, p] of phases.entries()) {
    if (current < 0 || i >= current - keep) continue;
    if (await readMarker(tree, p.name)) continue;
    out.push(p.name);
  }
  return out;
}
async function rawTar(paths, tip, phase2, file) {
  const child = spawn3("git", ["archive", "--format=tar", `${tip}:phases/${phase2}`], {
    cwd: paths.workTree,
    stdio: ["ignore", "pipe", "pipe"]
  });
  let err = "";
  child.stderr.on("data", (d) => err += d);
  const done = new Promise((r) => child.on("close", (c) => r(c ?? 1)));
  await pipeline(child.stdout, createGzip({ level: 6 }), fs20.createWriteStream(file));
  if (await done !== 0) throw new Error(`git archive failed: ${err.trim()}`);
}
async function archivePhase(paths, phase2, opts) {
  const progress = opts.onProgress ?? (() => {
  });
  const { tip, tree } = await tipTree(paths);
  const treeOid = await phaseTreeOid(tree, phase2);
  if (!treeOid) throw new Error(`no phase '${phase2}' on the agent-tracking branch`);
  const repo2 = repoFolderName(paths);
  const base = phasePrefix(opts.prefix, repo2, phase2);
  const manifestKey = `${base}/manifest.json`;
  const { client, sdk } = await s3Client();
  const send = s3Errors(opts.bucket);
  let manifest = null;
  try {
    const got = await client.send(new sdk.GetObjectCommand({ Bucket: opts.bucket, Key: manifestKey }));
    const m = JSON.parse(await got.Body.transformToString());
    if (m.treeOid === treeOid) manifest = m;
  } catch (e) {
    const name = e.name;
    if (name !== "NoSuchKey" && name !== "NotFound") throw new Error(s3Message(e, opts.bucket));
  }
  const resumed = manifest !== null;
  if (!manifest) {
    const work = fs20.mkdtempSync(path18.join(paths.trackingDir, "archive-"));
    try {
      const objects = [];
      const rows2 = {};
      progress(`${phase2}: exporting Parquet`);
      const db = await openAnalytics(paths);
      try {
        const lit3 = `'${phase2.replace(/'/g, "''")}'`;
        for (const view of VIEWS) {
          const file = path18.join(work, `${view}.parquet`);
          const [{ n: n3 }] = (await db.query(`SELECT count(*)::BIGINT AS n FROM ${view} WHERE phase = ${lit3}`)).rows;
          await db.query(
            `COPY (SELECT * FROM ${view} WHERE phase = ${lit3}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`
          );
          rows2[view] = Number(n3);
          objects.push({
            key: `${base}/${view}/part-0.parquet`,
            kind: "parquet",
            view,
            rows: Number(n3),
            file,
            bytes: 0,
            sha256: ""
          });
        }
      } finally {
        db.close();
      }
      const raw = path18.join(work, "phase.tar.gz");
      await rawTar(paths, tip, phase2, raw);
      objects.push({ key: `${base}/raw/phase.tar.gz`, kind: "raw", file: raw, bytes: 0, sha256: "" });
      for (const o of objects) {
        o.bytes = fs20.statSync(o.file).size;
        o.sha256 = await sha256File(o.file);
      }
      if (opts.dryRun)
        return {
          phase: phase2,
          manifestKey,
          objects: objects.length + 1,
          bytes: objects.reduce((a, o) => a + o.bytes, 0),
          rawBytes: objects.find((o) => o.kind === "raw").bytes,
          parquetBytes: objects.filter((o) => o.kind === "parquet").reduce((a, o) => a + o.bytes, 0),
          rows: rows2,
          resumed: false
        };
      const { Upload } = await import("@aws-sdk/lib-storage");
      let n2 = 0;
      for (const o of objects) {
        progress(
          `${phase2}: uploading ${path18.posix.basename(path18.posix.dirname(o.key))}/${path18.posix.basename(o.key)} (${++n2}/${objects.length})`
        );
        await send(
          new Upload({
            client,
            params: {
              Bucket: opts.bucket,
              Key: o.key,
              Body: fs20.createReadStream(o.file),
              StorageClass: opts.storageClass,
              Metadata: { sha256: o.sha256 },
              ContentType: o.kind === "raw" ? "application/gzip" : "application/vnd.apache.parquet"
            },
            partSize: 8 * 1024 * 1024,
            queueSize: 4
          }).done()
        );
        if (fault(`archive-kill-after-${n2}`)) process.kill(process.pid, "SIGKILL");
      }
      await verify(client, sdk, opts.bucket, objects, send);
      manifest = {
        version: 1,
        repo: repo2,
        phase: phase2,
        bucket: opts.bucket,
        prefix: opts.prefix,
        storageClass: opts.storageClass,
        treeOid,
        tip,
        createdAt: (/* @__PURE__ */ new Date()).toISOString(),
        objects: objects.map(({ file: _f, ...o }) => o),
        rows: rows2
      };
      const body = `${JSON.stringify(manifest, null, 2)}
`;
      const sha = createHash10("sha256").update(body).digest("hex");
      await send(
        client.send(
          new sdk.PutObjectCommand({
            Bucket: opts.bucket,
            Key: manifestKey,
            Body: body,
            ContentType: "application/json",
            Metadata: { sha256: sha }
          })
        )
      );
      await verify(
        client,
        sdk,
        opts.bucket,
        [{ key: manifestKey, bytes: Buffer.byteLength(body), sha256: sha }],
        send
      );
    } finally {
      fs20.rmSync(work, { recursive: true, force: true });
    }
  } else {
    progress(`${phase2}: a verified manifest is there already (an earlier run); checking its objects`);
    await verify(client, sdk, opts.bucket, manifest.objects, send);
  }
  if (fault("archive-kill-before-prune")) process.kill(process.pid, "SIGKILL");
  const marker = {
    phase: phase2,
    bucket: opts.bucket,
    prefix: opts.prefix,
    manifestKey,
    treeOid,
    storageClass: manifest.storageClass,
    objects: manifest.objects.length + 1,
    bytes: manifest.objects.reduce((a, o) => a + o.bytes, 0),
    archivedAt: (/* @__PURE__ */ new Date()).toISOString()
  };
  progress(`${phase2}: pruning it from the branch tip`);
  await editBranch(
    paths,
    `agent-track: archive ${phase2} to s3://${opts.bucket}/${manifestKey}`,
    async (t) => {
      const now = await phaseTreeOid(t, phase2);
      if (now !== treeOid) throw new Error(`phase ${phase2} changed while it was archived; run archive again`);
      for (const e of await t.list(`phases/${phase2}`) ?? [])
        if (!KEPT.has(e.path)) await t.remove(`phases/${phase2}/${e.path}`);
      t.stageFile(`phases/${phase2}/ARCHIVED.json`, `${JSON.stringify(marker, null, 2)}
`);
    }
  );
  return {
    phase: phase2,
    manifestKey,
    objects: marker.objects,
    bytes: marker.bytes,
    rawBytes: manifest.objects.find((o) => o.kind === "raw")?.bytes ?? 0,
    parquetBytes: manifest.objects.filter((o) => o.kind === "parquet").reduce((a, o) => a + o.bytes, 0),
    rows: manifest.rows,
    resumed
  };
}
async function verify(client, sdk, bucket, objects, send) {
  for (const o of objects) {
    const h = await send(client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: o.key })));
    if (h.ContentLength !== o.bytes || h.Metadata?.sha256 !== o.sha256)
      throw new Error(
        `s3://${bucket}/${o.key} does not match what was uploaded (${h.ContentLength} bytes, sha256 ${h.Metadata?.sha256 ?? "missing"}); nothing was pruned`
      );
  }
}
async function archive(paths, opts) {
  const names = await archivablePhases(paths, opts.keep);
  const phases = [];
  for (const name of names) phases.push(await archivePhase(paths, name, opts));
  return { phases, dryRun: Boolean(opts.dryRun) };
}
async function listArchived(paths) {
  const { tree } = await tipTree(paths);
  const out = [];
  for (const e of await tree.list("phases") ?? []) {
    if (e.type !== "tree") continue;
    const m = await readMarker(tree, e.path);
    if (m) out.push(m);
  }
  return out.sort((a, b) => a.archivedAt.localeCompare(b.archivedAt));
}
function parseTar(buf) {
  const out = [];
  let at = 0;
  let paxPath = null;
  const str5 = (o, n2) => buf.toString("utf8", o, o + n2).replace(/\0.*$/s, "");
  while (at + 512 <= buf.length) {
    if (buf.subarray(at, at + 512).every((b) => b === 0)) break;
    const name = str5(at, 100);
    const mode = Number.parseInt(str5(at + 100, 8).trim() || "0", 8);
    const size2 = Number.parseInt(str5(at + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(buf[at + 156] || 48);
    const prefix = str5(at + 345, 155);
    const data = buf.subarray(at + 512, at + 512 + size2);
    at += 512 + Math.ceil(size2 / 512) * 512;
    if (type === "x") {
      for (const rec of data.toString("utf8").split("\n")) {
        const m = /^\d+ path=(.*)$/.exec(rec);
        if (m) paxPath = m[1];
      }
      continue;
    }
    if (type === "g") continue;
    const full = paxPath ?? (prefix ? `${prefix}/${name}` : name);
    paxPath = null;
    if (type === "0" || type === "\0") out.push({ path: full.replace(/^\.\//, ""), mode, data });
  }
  return out;
}
function buildTree(store, files) {
  const root = { files: [], dirs: /* @__PURE__ */ new Map() };
  for (const f of files) {
    const parts = f.path.split("/").filter(Boolean);
    let d = root;
    for (const p of parts.slice(0, -1)) {
      if (!d.dirs.has(p)) d.dirs.set(p, { files: [], dirs: /* @__PURE__ */ new Map() });
      d = d.dirs.get(p);
    }
    d.files.push({
      mode: f.mode & 73 ? "100755" : "100644",
      path: parts.at(-1),
      oid: store.writeBlobSync(f.data),
      type: "blob"
    });
  }
  const write = (d) => store.writeTreeSync([
    ...d.files,
    ...[...d.dirs].map(([name, sub]) => ({
      mode: "040000",
      path: name,
      oid: write(sub),
      type: "tree"
    }))
  ]);
  return write(root);
}
async function restorePhase(paths, phase2, opts = {}) {
  const { tree } = await tipTree(paths);
  const marker = await readMarker(tree, phase2);
  if (!marker) throw new Error(`phase '${phase2}' is not archived (see \`agent-track archive list\`)`);
  const { client, sdk } = await s3Client();
  const send = s3Errors(marker.bucket);
  const manifestObj = await send(
    client.send(new sdk.GetObjectCommand({ Bucket: marker.bucket, Key: marker.manifestKey }))
  );
  const manifest = JSON.parse(await manifestObj.Body.transformToString());
  const raw = manifest.objects.find((o) => o.kind === "raw");
  if (!raw) throw new Error(`the manifest of ${phase2} lists no raw object`);
  const tier = opts.tier ?? "Standard";
  let data;
  try {
    opts.onProgress?.(`${phase2}: downloading ${raw.key}`);
    const got = await client.send(new sdk.GetObjectCommand({ Bucket: marker.bucket, Key: raw.key }));
    data = Buffer.from(await got.Body.transformToByteArray());
  } catch (e) {
    if (e.name !== "InvalidObjectState") throw new Error(s3Message(e, marker.bucket));
    let outcome = "requested";
    try {
      await client.send(
        new sdk.RestoreObjectCommand({
          Bucket: marker.bucket,
          Key: raw.key,
          RestoreRequest: { Days: opts.days ?? 7, GlacierJobParameters: { Tier: tier } }
        })
      );
    } catch (r) {
      if (r.name !== "RestoreAlreadyInProgress")
        throw new Error(s3Message(r, marker.bucket));
      outcome = "in-progress";
    }
    const hours = tier === "Bulk" ? 48 : 12;
    return {
      phase: phase2,
      outcome,
      waiting: [raw.key],
      readyBy: new Date(Date.now() + hours * 36e5).toISOString()
    };
  }
  if (data.length !== raw.bytes || createHash10("sha256").update(data).digest("hex") !== raw.sha256)
    throw new Error(`s3://${marker.bucket}/${raw.key} does not match its manifest; nothing was changed`);
  const store = new ObjectStore(paths.commonDir);
  store.startBatch();
  const oid = buildTree(store, parseTar(gunzipSync(data)));
  await store.endBatch();
  if (oid !== manifest.treeOid)
    throw new Error(
      `the restored files of ${phase2} make tree ${oid}, not the archived ${manifest.treeOid}; nothing was changed`
    );
  await editBranch(
    paths,
    `agent-track: restore ${phase2} from s3://${marker.bucket}/${marker.manifestKey}`,
    async (t) => {
      const later = (await t.list(`phases/${phase2}`) ?? []).filter((e) => KEPT.has(e.path));
      await t.setTree(`phases/${phase2}`, oid);
      const restored = new Set((await t.list(`phases/${phase2}`) ?? []).map((e) => e.path));
      for (const e of later)
        if (!restored.has(e.path)) t.stageFile(`phases/${phase2}/${e.path}`, await store.readBlob(e.oid));
    }
  );
  return { phase: phase2, outcome: "restored", waiting: [], readyBy: null };
}
var VIEWS, KEPT, phasePrefix, fault;
var init_archive = __esm({
  "src/cloud/archive.ts"() {
    "use strict";
    init_duckdb();
    init_phases();
    init_flush();
    init_git();
    init_paths();
    init_tree();
    init_drive();
    init_s3();
    VIEWS = [
      "events",
      "sessions",
      "agents",
      "tool_calls",
      "usage",
      "errors",
      "file_changes",
      "decisions"
    ];
    KEPT = /* @__PURE__ */ new Set(["phase.json", "review.json", "review.md", "ended.json"]);
    phasePrefix = (prefix, repo2, phase2) => `${prefix ? `${prefix}/` : ""}repo=${repo2}/phase=${phase2}`;
    fault = (name) => process.env.AGENT_TRACK_FAULT === name;
  }
});

// src/cloud/drive-auth.ts
var drive_auth_exports = {};
__export(drive_auth_exports, {
  DRIVE_FILE_SCOPE: () => DRIVE_FILE_SCOPE,
  driveLoopbackAuth: () => driveLoopbackAuth,
  pkcePair: () => pkcePair
});
import { spawn as spawn4 } from "node:child_process";
import { createHash as createHash11, randomBytes } from "node:crypto";
import * as http from "node:http";
function pkcePair() {
  const verifier = base64url(randomBytes(48));
  return { verifier, challenge: base64url(createHash11("sha256").update(verifier).digest()) };
}
function openBrowser(url) {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    const child = spawn4(cmd, [url], { stdio: "ignore", detached: true });
    child.on("error", () => {
    });
    child.unref();
  } catch {
  }
}
async function driveLoopbackAuth(opts) {
  const env = opts.env ?? process.env;
  const clientId = opts.clientId?.trim() || env.AGENT_TRACK_DRIVE_CLIENT_ID?.trim();
  const clientSecret = opts.clientSecret?.trim() || env.AGENT_TRACK_DRIVE_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret)
    throw new DriveCredentialsError(
      'no OAuth client: pass --client-id and --client-secret (or set AGENT_TRACK_DRIVE_CLIENT_ID and AGENT_TRACK_DRIVE_CLIENT_SECRET) of a Google Cloud OAuth client of type "Desktop app"'
    );
  const { auth } = await import("@googleapis/drive");
  const tokenUrl = env.AGENT_TRACK_GOOGLE_TOKEN_URL?.trim();
  const authUrl = env.AGENT_TRACK_GOOGLE_AUTH_URL?.trim();
  const { verifier, challenge } = pkcePair();
  const state = base64url(randomBytes(24));
  const timeoutMs = opts.timeoutMs ?? 5 * 6e4;
  const server = http.createServer();
  await new Promise((resolve5, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve5());
  });
  const port = server.address().port;
  const redirectUri = `http://127.0.0.1:${port}/`;
  const client = new auth.OAuth2({
    clientId,
    clientSecret,
    redirectUri,
    endpoints: {
      ...tokenUrl ? { oauth2TokenUrl: tokenUrl } : {},
      ...authUrl ? { oauth2AuthBaseUrl: authUrl } : {}
    }
  });
  const url = client.generateAuthUrl({
    access_type: "offline",
    prompt: "consent",
    scope: [DRIVE_FILE_SCOPE],
    code_challenge_method: "S256",
    code_challenge: challenge,
    state
  });
  try {
    const code2 = await new Promise((resolve5, reject) => {
      const timer = setTimeout(
        () => reject(
          new Error(
            `no answer from the browser within ${Math.round(timeoutMs / 1e3)} s: run agent-track auth drive again and open the printed URL`
          )
        ),
        timeoutMs
      );
      timer.unref();
      server.on("request", (req, res) => {
        const u = new URL(req.url ?? "/", redirectUri);
        const got = u.searchParams;
        if (!got.has("code") && !got.has("error")) {
          res.writeHead(404).end();
          return;
        }
        if (got.get("state") !== state) {
          res.writeHead(400, { "content-type": "text/html" }).end(page("agent-track", "Unknown state; ignored."));
          return;
        }
        clearTimeout(timer);
        if (got.has("error")) {
          res.writeHead(400, { "content-type": "text/html" }).end(page("agent-track", "Authorization was not granted. You can close this tab."));
          reject(new Error(`Google did not grant access: ${got.get("error")}`));
          return;
        }
        res.writeHead(200, { "content-type": "text/html", connection: "close" }).end(page("agent-track", "agent-track is authorized. You can close this tab."));
        resolve5(got.get("code"));
      });
      opts.onUrl(url);
      if (opts.open) openBrowser(url);
    });
    const { tokens } = await client.getToken({ code: code2, codeVerifier: verifier, redirect_uri: redirectUri });
    if (!tokens.refresh_token)
      throw new Error(
        "Google returned no refresh token: remove agent-track from https://myaccount.google.com/permissions and run agent-track auth drive again"
      );
    return { refreshToken: tokens.refresh_token, scope: tokens.scope ?? null };
  } catch (e) {
    const err = e;
    const d = err.response?.data;
    if (d?.error)
      throw new Error(
        `the token exchange failed: ${d.error}${d.error_description ? ` (${d.error_description})` : ""}`
      );
    throw e;
  } finally {
    server.closeAllConnections?.();
    server.close();
  }
}
var DRIVE_FILE_SCOPE, base64url, page;
var init_drive_auth = __esm({
  "src/cloud/drive-auth.ts"() {
    "use strict";
    init_drive();
    DRIVE_FILE_SCOPE = "https://www.googleapis.com/auth/drive.file";
    base64url = (b) => b.toString("base64url");
    page = (title, text) => `<!doctype html><meta charset="utf-8"><title>${title}</title><p>${text}</p>`;
  }
});

// src/dashboard/data.ts
var data_exports = {};
__export(data_exports, {
  dashboardData: () => dashboardData
});
import * as path19 from "node:path";
function lanesOf(root) {
  const out = [];
  const walk2 = (n2, depth) => {
    out.push({
      agent: n2.agent,
      agentType: n2.agentType,
      parent: n2.parent,
      depth,
      description: cut(n2.description, 300),
      started: n2.started,
      ended: n2.ended,
      outcome: cut(n2.outcome, 2e3),
      tokens: n2.tokens.input + n2.tokens.output + n2.tokens.cacheRead + n2.tokens.cacheWrite,
      costUsd: n2.costUsd,
      items: n2.items.map((i) => {
        if (i.kind === "tool")
          return {
            kind: "tool",
            call: {
              ...i.call,
              error: cut(i.call.error, 2e3) ?? void 0,
              rationale: cut(i.call.rationale, 1e3) ?? void 0
            }
          };
        if (i.kind === "file") return { ...i, diff: cut(i.diff, 2e4) ?? "" };
        if (i.kind === "error") return { ...i, message: cut(i.message, 2e3) ?? "" };
        return { ...i, rationale: cut(i.rationale, 1e3) };
      })
    });
    for (const c of n2.children) walk2(c, depth + 1);
  };
  walk2(root, 0);
  return out;
}
async function dashboardData(paths, opts = {}) {
  const data = {
    generated: (/* @__PURE__ */ new Date()).toISOString(),
    repo: path19.basename(paths.workTree),
    phase: opts.phase ?? null,
    empty: true,
    phases: [],
    sessions: [],
    daily: [],
    byModel: [],
    byAuthor: [],
    reviews: [],
    timelines: {},
    snapshots: [],
    omittedTimelines: 0
  };
  const branch = await openBranch(paths);
  if (!branch) return data;
  data.phases = await listPhases(paths);
  if (opts.phase && !data.phases.some((p) => p.name === opts.phase))
    throw new Error(`no phase '${opts.phase}' (see \`agent-track phase list\`)`);
  const all = (await branch.sessions()).filter((s2) => !opts.phase || s2.phase === opts.phase);
  if (!all.length) return data;
  data.empty = false;
  const db = await openAnalytics(paths);
  try {
    await db.query("SET TimeZone = 'UTC'").catch(() => void 0);
    const where = opts.phase ? `WHERE phase = ${lit2(opts.phase)}` : "";
    const tokens = "coalesce(input_tokens, 0) + coalesce(output_tokens, 0) + coalesce(cache_read_tokens, 0) + coalesce(cache_write_tokens, 0)";
    const daily = await db.query(
      `SELECT left(CAST(ts AS VARCHAR), 10) AS day, coalesce(model, '?') AS model,
              sum(round(coalesce(cost_usd, 0) * 1e8)) AS units, sum(${tokens}) AS tokens
       FROM usage ${where} GROUP BY ALL ORDER BY day, model`
    );
    data.daily = daily.rows.map((r) => ({
      day: String(r.day),
      model: String(r.model),
      costUsd: num3(r.units) / 1e8,
      tokens: num3(r.tokens)
    }));
    const models = await db.query(
      `SELECT coalesce(model, '?') AS model, sum(round(coalesce(cost_usd, 0) * 1e8)) AS units,
              sum(${tokens}) AS tokens, count(*) AS calls
       FROM usage ${where} GROUP BY ALL ORDER BY units DESC`
    );
    data.byModel = models.rows.map((r) => ({
      model: String(r.model),
      costUsd: num3(r.units) / 1e8,
      tokens: num3(r.tokens),
      calls: num3(r.calls)
    }));
    const authors = await db.query(
      `SELECT coalesce(author_name, '(unknown)') AS author, count(*) AS sessions,
              sum(round(coalesce(cost_usd, 0) * 1e8)) AS units, sum(${tokens}) AS tokens
       FROM sessions ${where} GROUP BY ALL ORDER BY units DESC`
    );
    data.byAuthor = authors.rows.map((r) => ({
      author: String(r.author),
      sessions: num3(r.sessions),
      costUsd: num3(r.units) / 1e8,
      tokens: num3(r.tokens)
    }));
    const names = data.phases.map((p) => p.name);
    for (let i = 0; i < names.length; i++) {
      if (opts.phase && names[i] !== opts.phase) continue;
      if (!all.some((s2) => s2.phase === names[i])) continue;
      data.reviews.push(await buildReview(db, names[i], i > 0 ? names[i - 1] : null));
    }
  } finally {
    db.close();
  }
  const budget = opts.timelineBudget ?? 2e6;
  let used = 0;
  const detailed = /* @__PURE__ */ new Set();
  const newest = [...all].sort((a, b) => (b.lastActivity ?? "").localeCompare(a.lastActivity ?? ""));
  for (const s2 of newest) {
    const lanes = lanesOf(buildAgentTree(await branch.events(s2)));
    const bytes = JSON.stringify(lanes).length;
    if (used + bytes > budget && detailed.size > 0) break;
    used += bytes;
    data.timelines[s2.session] = lanes;
    detailed.add(s2.session);
  }
  data.omittedTimelines = all.length - detailed.size;
  data.sessions = newest.map((s2) => rowOf(s2, detailed.has(s2.session)));
  for (const s2 of newest) {
    if (!(s2.snapshots ?? 0)) continue;
    for (const r of await listSnapshots(branch, s2)) data.snapshots.push(snapshotView(r, data.repo));
  }
  data.snapshots.sort((a, b) => b.ts.localeCompare(a.ts));
  let snapUsed = 0;
  for (const v of data.snapshots) {
    if (snapUsed > (opts.snapshotBudget ?? 5e5)) {
      v.files = [];
      v.todos = [];
      v.errors = [];
    } else snapUsed += JSON.stringify(v).length;
  }
  return data;
}
var snapshotView, cut, num3, lit2, rowOf;
var init_data = __esm({
  "src/dashboard/data.ts"() {
    "use strict";
    init_duckdb();
    init_phases();
    init_review();
    init_views();
    init_snapshot();
    snapshotView = (r, repo2) => ({
      id: r.id,
      n: r.n,
      session: r.session,
      ts: r.ts,
      trigger: r.trigger,
      note: cut(r.note, 500),
      git: r.git,
      files: r.files.slice(0, 100).map((f) => ({ path: f.path, status: f.status, redacted: f.redacted, skipped: f.skipped })),
      fileCount: r.files.length,
      todos: r.todos.slice(0, 50).map((t) => ({ ...t, content: cut(t.content, 300) ?? "" })),
      openTodos: r.todos.filter((t) => t.status !== "completed").length,
      errors: r.errors.slice(0, 10).map((e) => ({ tool: e.tool, message: cut(e.message, 300) ?? "", tried: cut(e.tried, 200) })),
      errorCount: r.errors.length,
      tokens: r.usage.tokens.input + r.usage.tokens.output + r.usage.tokens.cacheRead + r.usage.tokens.cacheWrite,
      costUsd: r.usage.costUsd,
      restoreDir: `../${repo2}-${r.id.replace("@", "-")}`
    });
    cut = (s2, n2) => s2 == null ? null : s2.length > n2 ? `${s2.slice(0, n2)}\u2026 (${s2.length - n2} more characters)` : s2;
    num3 = (v) => v === null || v === void 0 ? 0 : Number(v);
    lit2 = (s2) => `'${s2.replace(/'/g, "''")}'`;
    rowOf = (s2, detailed) => ({
      session: s2.session,
      phase: s2.phase,
      started: s2.started,
      lastActivity: s2.lastActivity,
      ended: s2.ended,
      branch: s2.branch,
      author: s2.author?.name ?? null,
      models: s2.models,
      firstPrompt: cut(s2.firstPrompt, 200),
      agents: s2.agents,
      toolCalls: s2.toolCalls,
      toolFailures: s2.toolFailures,
      errors: s2.errors,
      fileChanges: s2.fileChanges,
      tokens: s2.tokens.input + s2.tokens.output + s2.tokens.cacheRead + s2.tokens.cacheWrite,
      costUsd: s2.costUsd,
      snapshots: s2.snapshots ?? 0,
      detailed
    });
  }
});

// src/dashboard/page.ts
var page_exports = {};
__export(page_exports, {
  echartsSource: () => echartsSource,
  renderPage: () => renderPage,
  scriptJson: () => scriptJson
});
import * as fs21 from "node:fs";
import { createRequire } from "node:module";
function echartsSource() {
  const require2 = createRequire(import.meta.url);
  const file = require2.resolve("echarts/dist/echarts.min.js");
  return fs21.readFileSync(file, "utf8");
}
function renderPage(data, echarts = echartsSource()) {
  const title = `agent-track dashboard \xB7 ${data.repo}`.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // no network at all: everything is inline
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${title}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    '<div id="app"></div>',
    `<script type="application/json" id="dashboard-data">${scriptJson(data)}</script>`,
    `<script>${inlineScript(echarts)}</script>`,
    `<script>${inlineScript(CLIENT)}</script>`,
    "</body>",
    "</html>",
    ""
  ].join("\n");
}
var scriptJson, inlineScript, CSS, CLIENT;
var init_page = __esm({
  "src/dashboard/page.ts"() {
    "use strict";
    scriptJson = (v) => JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
    inlineScript = (js) => js.replace(/<\/(script)/gi, "<\\/$1");
    CSS = `
:root { --ok: #2e7d32; --fail: #c62828; --open: #9e9e9e; --fg: #1d232a; --muted: #5f6b76; --line: #dde3e8; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #f6f8fa; }
header { background: #1d232a; color: #fff; padding: 12px 20px; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 18px; margin: 0; }
header .meta { color: #b8c2cc; font-size: 12px; }
nav { display: flex; gap: 4px; padding: 0 20px; background: #fff; border-bottom: 1px solid var(--line); }
nav button { border: 0; background: none; padding: 10px 14px; cursor: pointer; font: inherit; color: var(--muted); border-bottom: 2px solid transparent; }
nav button.active { color: var(--accent); border-bottom-color: var(--accent); font-weight: 600; }
main { padding: 16px 20px; }
section.view { display: none; }
section.view.active { display: block; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 130px; }
.card .v { font-size: 20px; font-weight: 600; }
.card .k { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin-bottom: 16px; overflow: auto; }
.panel h2 { font-size: 15px; margin: 0 0 8px; }
.chart { width: 100%; height: 300px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f3f6; cursor: pointer; user-select: none; white-space: nowrap; }
th.sorted-asc::after { content: " \\25B2"; } th.sorted-desc::after { content: " \\25BC"; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.link { cursor: pointer; } tr.link:hover { background: #eef4fb; }
.lane { border-left: 3px solid var(--accent); margin: 8px 0; padding: 4px 10px; background: #fff; }
.lane h3 { font-size: 14px; margin: 4px 0; }
.lane .desc { color: var(--muted); }
ul.items { list-style: none; padding: 0; margin: 4px 0; }
ul.items li { padding: 3px 0; border-bottom: 1px dashed var(--line); }
.badge { display: inline-block; border-radius: 3px; padding: 0 6px; font-size: 12px; color: #fff; margin-right: 6px; }
.success .badge, .badge.success { background: var(--ok); }
.failure .badge, .badge.failure { background: var(--fail); }
.open .badge, .badge.open { background: var(--open); }
.badge.file { background: #6a1b9a; } .badge.error { background: var(--fail); } .badge.decision { background: #ef6c00; }
.err { color: var(--fail); white-space: pre-wrap; }
pre.diff { background: #0f1419; color: #e6e6e6; padding: 8px; overflow: auto; max-height: 400px; font-size: 12px; }
pre.diff .add { color: #7ee787; } pre.diff .del { color: #ff7b72; } pre.diff .hunk { color: #79c0ff; }
code.cmd { background: #f0f3f6; padding: 3px 6px; border-radius: 3px; font-size: 12px; }
.cmdrow { display: flex; gap: 8px; align-items: center; margin: 4px 0; }
button.copy { font: inherit; font-size: 12px; padding: 2px 8px; cursor: pointer; }
.empty { max-width: 640px; margin: 40px auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 24px; }
.muted { color: var(--muted); }
select { font: inherit; padding: 4px; max-width: 100%; }
`;
    CLIENT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('dashboard-data').textContent);
  var charts = {};
  window.__dashboard = { data: D, charts: charts };

  function h(tag, attrs) {
    var e = document.createElement(tag);
    var a = attrs || {};
    Object.keys(a).forEach(function (k) {
      var v = a[k];
      if (v === undefined || v === null) return;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, String(v));
    });
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function add(e, c) {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach(function (x) { add(e, x); });
    else if (typeof c === 'object' && c.nodeType) e.appendChild(c);
    else e.appendChild(document.createTextNode(String(c)));
  }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function usd(v) { return '$' + (Number(v) || 0).toFixed(Math.abs(v) >= 1 ? 2 : 4); }
  function int(v) { return (Number(v) || 0).toLocaleString('en-US'); }
  function dur(ms) {
    if (ms == null) return '';
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    return (ms / 60000).toFixed(1) + ' min';
  }
  function when(ts) { return ts ? String(ts).replace('T', ' ').slice(0, 19) : ''; }
  function short(id) { return String(id || '').slice(0, 8); }

  // a table whose columns sort on a click of their header
  function sortable(cols, rows, onRow) {
    var state = { col: -1, dir: 1 };
    var tbody = h('tbody');
    var ths = cols.map(function (c, i) {
      return h('th', { 'data-col': c.key, class: c.num ? 'n' : null, onclick: function () { sortBy(i); } }, c.label);
    });
    function cell(c, r) {
      var v = r[c.key];
      var shown = c.fmt ? c.fmt(v, r) : v == null ? '' : v;
      return h('td', { class: c.num ? 'n' : null }, shown);
    }
    function draw(list) {
      tbody.textContent = '';
      list.forEach(function (r) {
        var tr = h('tr', { class: onRow ? 'link' : null }, cols.map(function (c) { return cell(c, r); }));
        if (onRow) tr.addEventListener('click', function () { onRow(r); });
        tbody.appendChild(tr);
      });
    }
    function sortBy(i) {
      state.dir = state.col === i ? -state.dir : cols[i].num ? -1 : 1;
      state.col = i;
      var key = cols[i].key;
      var list = rows.slice().sort(function (a, b) {
        var x = a[key], y = b[key];
        if (x == null && y == null) return 0;
        if (x == null) return 1;
        if (y == null) return -1;
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * state.dir;
      });
      ths.forEach(function (th, k) {
        th.classList.remove('sorted-asc', 'sorted-desc');
        if (k === i) th.classList.add(state.dir > 0 ? 'sorted-asc' : 'sorted-desc');
      });
      draw(list);
    }
    draw(rows);
    return h('table', { class: 'sortable' }, h('thead', {}, h('tr', {}, ths)), tbody);
  }

  function copyButton(text) {
    var b = h('button', { class: 'copy', type: 'button', 'data-copy': text }, 'copy');
    b.addEventListener('click', function () {
      function fallback() {
        var t = h('textarea', { style: 'position:fixed;left:-1000px' });
        t.value = text;
        document.body.appendChild(t);
        t.select();
        try { document.execCommand('copy'); } catch (e) { /* nothing more to try */ }
        t.remove();
      }
      var done = function () { b.textContent = 'copied'; setTimeout(function () { b.textContent = 'copy'; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText)
        navigator.clipboard.writeText(text).then(done, function () { fallback(); done(); });
      else { fallback(); done(); }
    });
    return b;
  }
  function command(text) {
    return h('div', { class: 'cmdrow' }, h('code', { class: 'cmd' }, text), copyButton(text));
  }

  var pending = 0;
  function ready() { window.__dashboardReadyAt = performance.now(); window.__dashboardReady = true; document.body.setAttribute('data-ready', '1'); }
  function chart(name, el, option) {
    var c = echarts.init(el, null, { renderer: 'canvas' });
    charts[name] = c;
    pending++;
    c.on('finished', function once() {
      c.off('finished', once);
      if (--pending === 0) ready();
    });
    c.setOption(Object.assign({ animation: false }, option));
    return c;
  }
  function tooltipEsc(p) {
    var v = Array.isArray(p) ? p : [p];
    return v.map(function (x) {
      return esc(x.seriesName) + ' · ' + esc(x.name) + ': ' + esc(typeof x.value === 'number' ? x.value.toFixed(4) : Array.isArray(x.value) ? x.value[1] : x.value);
    }).join('<br>');
  }

  // ---- header and tabs
  var body = document.getElementById('app');
  var views = {};
  var tabs = [['overview', 'Overview'], ['timeline', 'Session timeline'], ['agents', 'Agents and tools'], ['recovery', 'Recovery']];
  var nav = h('nav', {});
  var mainEl = h('main', {});
  var shown = {};
  function show(name) {
    tabs.forEach(function (t) {
      views[t[0]].classList.toggle('active', t[0] === name);
      nav.querySelector('[data-tab="' + t[0] + '"]').classList.toggle('active', t[0] === name);
    });
    if (!shown[name] && renderers[name]) { shown[name] = true; renderers[name](); }
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  }
  window.__dashboard.show = show;

  body.appendChild(h('header', {},
    h('h1', {}, 'agent-track · ' + D.repo),
    h('span', { class: 'meta' }, (D.phase ? 'phase ' + D.phase + ' · ' : '') + 'generated ' + when(D.generated) + ' UTC')));

  if (D.empty) {
    body.appendChild(h('div', { class: 'empty', id: 'empty-state' },
      h('h2', {}, 'Nothing recorded yet'),
      h('p', {}, D.phase ? 'No session has been recorded in phase ' + D.phase + '.' : 'This repository has no recorded Claude Code session on its agent-tracking branch.'),
      h('ol', {},
        h('li', {}, 'Run ', h('code', { class: 'cmd' }, 'agent-track init'), ' in the repository (it installs the hooks).'),
        h('li', {}, 'Use Claude Code as usual: sessions, subagents, tool calls, costs and snapshots are recorded.'),
        h('li', {}, 'Or bring in past sessions with ', h('code', { class: 'cmd' }, 'agent-track import'), '.'),
        h('li', {}, 'Then build this page again: ', h('code', { class: 'cmd' }, 'agent-track dashboard'), '.'))));
    ready();
    return;
  }

  tabs.forEach(function (t) {
    nav.appendChild(h('button', { 'data-tab': t[0], type: 'button', onclick: function () { show(t[0]); location.hash = t[0]; } }, t[1]));
    views[t[0]] = h('section', { class: 'view', id: 'view-' + t[0] });
    mainEl.appendChild(views[t[0]]);
  });
  body.appendChild(nav);
  body.appendChild(mainEl);

  var renderers = {};

  // ---- overview
  renderers.overview = function () {
    var v = views.overview;
    var S = D.sessions;
    var cost = S.reduce(function (a, s) { return a + Math.round(s.costUsd * 1e8); }, 0) / 1e8;
    var tokens = S.reduce(function (a, s) { return a + s.tokens; }, 0);
    var calls = S.reduce(function (a, s) { return a + s.toolCalls; }, 0);
    var fails = S.reduce(function (a, s) { return a + s.toolFailures; }, 0);
    function card(k, val) { return h('div', { class: 'card' }, h('div', { class: 'v' }, val), h('div', { class: 'k' }, k)); }
    v.appendChild(h('div', { class: 'cards' }, card('sessions', int(S.length)), card('cost', usd(cost)), card('tokens', int(tokens)),
      card('tool calls', int(calls)), card('tool failures', int(fails)), card('phases', int(D.phases.length))));
    var costEl = h('div', { class: 'chart', id: 'chart-cost' });
    var modelEl = h('div', { class: 'chart', id: 'chart-models' });
    var authorEl = h('div', { class: 'chart', id: 'chart-authors' });
    v.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Cost and tokens over time'), costEl));
    v.appendChild(h('div', { class: 'grid' },
      h('div', { class: 'panel' }, h('h2', {}, 'By model'), modelEl),
      h('div', { class: 'panel' }, h('h2', {}, 'By developer'), authorEl)));
    v.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Phases'), sortable([
      { key: 'name', label: 'phase' }, { key: 'started', label: 'started', fmt: when }, { key: 'ended', label: 'ended', fmt: when },
      { key: 'sessions', label: 'sessions', num: true }, { key: 'costUsd', label: 'cost', num: true, fmt: usd },
      { key: 'current', label: 'current', fmt: function (x) { return x ? 'yes' : ''; } },
    ], D.phases)));
    v.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Sessions'),
      D.omittedTimelines ? h('p', { class: 'muted' }, 'Timelines are embedded for the ' + (S.length - D.omittedTimelines) + ' latest sessions (the page stays small); the others have their figures only.') : null,
      sortable([
        { key: 'started', label: 'started', fmt: when }, { key: 'session', label: 'session', fmt: short },
        { key: 'phase', label: 'phase' }, { key: 'author', label: 'developer' }, { key: 'branch', label: 'branch' },
        { key: 'firstPrompt', label: 'first prompt' },
        { key: 'agents', label: 'agents', num: true }, { key: 'toolCalls', label: 'tool calls', num: true },
        { key: 'toolFailures', label: 'failures', num: true }, { key: 'tokens', label: 'tokens', num: true, fmt: int },
        { key: 'costUsd', label: 'cost', num: true, fmt: usd },
      ], S, function (r) { if (r.detailed) { show('timeline'); selectSession(r.session); } })));

    var days = []; var models = [];
    D.daily.forEach(function (d) { if (days.indexOf(d.day) < 0) days.push(d.day); if (models.indexOf(d.model) < 0) models.push(d.model); });
    days.sort();
    var tokensByDay = days.map(function (day) {
      return D.daily.filter(function (d) { return d.day === day; }).reduce(function (a, d) { return a + d.tokens; }, 0);
    });
    var series = models.map(function (m) {
      return { name: m, type: 'bar', stack: 'cost', data: days.map(function (day) {
        var r = D.daily.filter(function (d) { return d.day === day && d.model === m; })[0];
        return r ? Number(r.costUsd.toFixed(8)) : 0;
      }) };
    });
    series.push({ name: 'tokens', type: 'line', yAxisIndex: 1, data: tokensByDay });
    chart('cost', costEl, {
      tooltip: { trigger: 'axis', formatter: tooltipEsc }, legend: { type: 'scroll' }, grid: { left: 60, right: 70 },
      xAxis: { type: 'category', data: days },
      yAxis: [{ type: 'value', name: 'USD' }, { type: 'value', name: 'tokens' }],
      series: series,
    });
    chart('models', modelEl, {
      tooltip: { trigger: 'axis', formatter: tooltipEsc }, grid: { left: 60, right: 20, bottom: 60 },
      xAxis: { type: 'category', data: D.byModel.map(function (m) { return m.model; }), axisLabel: { rotate: 15 } },
      yAxis: { type: 'value', name: 'USD' },
      series: [{ name: 'cost', type: 'bar', data: D.byModel.map(function (m) { return Number(m.costUsd.toFixed(8)); }) }],
    });
    chart('authors', authorEl, {
      tooltip: { trigger: 'item', formatter: tooltipEsc },
      series: [{ name: 'cost by developer', type: 'pie', radius: ['35%', '65%'],
        data: D.byAuthor.map(function (a) { return { name: a.author + ' (' + a.sessions + ' sessions)', value: Number(a.costUsd.toFixed(8)) }; }) }],
    });
  };

  // ---- session timeline
  var timelineBody, sessionSelect;
  function selectSession(id) {
    if (!timelineBody) { shown.timeline = true; renderers.timeline(); }
    sessionSelect.value = id;
    drawTimeline(id);
  }
  renderers.timeline = function () {
    var v = views.timeline;
    var detailed = D.sessions.filter(function (s) { return s.detailed; });
    sessionSelect = h('select', { id: 'session-select', onchange: function () { drawTimeline(sessionSelect.value); } },
      detailed.map(function (s) {
        return h('option', { value: s.session }, when(s.started) + ' · ' + short(s.session) + ' · ' + (s.firstPrompt || '').slice(0, 80));
      }));
    timelineBody = h('div', {});
    v.appendChild(h('div', { class: 'panel' }, h('label', {}, 'Session ', sessionSelect)));
    v.appendChild(timelineBody);
    if (detailed.length) drawTimeline(detailed[0].session);
  };
  function itemTs(i) { return i.kind === 'tool' ? i.call.ts : i.ts; }
  function diffPre(text) {
    var pre = h('pre', { class: 'diff' });
    String(text).split('\n').forEach(function (line) {
      var cls = line.slice(0, 3) === '+++' || line.slice(0, 3) === '---' ? null : line[0] === '+' ? 'add' : line[0] === '-' ? 'del' : line.slice(0, 2) === '@@' ? 'hunk' : null;
      pre.appendChild(h('span', { class: cls }, line + '\n'));
    });
    return pre;
  }
  function laneName(l) { return l.agent === 'main' ? 'main' : (l.agentType || 'agent') + ' ' + short(l.agent); }
  function drawTimeline(id) {
    var lanes = D.timelines[id] || [];
    var s = D.sessions.filter(function (x) { return x.session === id; })[0] || {};
    timelineBody.textContent = '';
    if (charts.timeline) { charts.timeline.dispose(); delete charts.timeline; }
    timelineBody.appendChild(h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'v' }, short(id)), h('div', { class: 'k' }, 'session ' + id)),
      h('div', { class: 'card' }, h('div', { class: 'v' }, int(lanes.length - 1)), h('div', { class: 'k' }, 'subagents')),
      h('div', { class: 'card' }, h('div', { class: 'v' }, int(s.toolCalls)), h('div', { class: 'k' }, 'tool calls')),
      h('div', { class: 'card' }, h('div', { class: 'v' }, int(s.toolFailures)), h('div', { class: 'k' }, 'failures')),
      h('div', { class: 'card' }, h('div', { class: 'v' }, usd(s.costUsd)), h('div', { class: 'k' }, 'cost'))));
    var el = h('div', { class: 'chart', id: 'chart-timeline', style: 'height:' + Math.max(160, 60 + lanes.length * 46) + 'px' });
    timelineBody.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Agents as lanes (tool calls: green succeeded, red failed, grey never finished)'), el));
    var n = lanes.length;
    var labels = lanes.map(function (l) { return new Array(l.depth + 1).join('  ') + laneName(l); });
    var calls = [], spans = [], marks = [];
    lanes.forEach(function (l, k) {
      var y = n - 1 - k;
      var a = Date.parse(l.started || ''), b = Date.parse(l.ended || '');
      var first = null, last = null;
      l.items.forEach(function (i) {
        var t = Date.parse(itemTs(i));
        if (!isFinite(t)) return;
        if (i.kind === 'tool') {
          var c = i.call;
          var end = t + Math.max(c.durationMs || 0, 1);
          first = first == null ? t : Math.min(first, t); last = last == null ? end : Math.max(last, end);
          var outcome = c.success === true ? 'success' : c.success === false ? 'failure' : 'open';
          calls.push({ name: c.tool + ' ' + (c.summary || ''), value: [y, t, end, outcome, c.durationMs, c.tool],
            itemStyle: { color: outcome === 'success' ? '#2e7d32' : outcome === 'failure' ? '#c62828' : '#9e9e9e' } });
        } else {
          first = first == null ? t : Math.min(first, t); last = last == null ? t : Math.max(last, t);
          marks.push({ name: i.kind + ': ' + (i.kind === 'file' ? i.operation + ' ' + i.path : i.kind === 'error' ? i.message : i.what), value: [t, y, i.kind],
            symbol: i.kind === 'file' ? 'rect' : i.kind === 'error' ? 'triangle' : 'diamond',
            itemStyle: { color: i.kind === 'file' ? '#6a1b9a' : i.kind === 'error' ? '#c62828' : '#ef6c00' } });
        }
      });
      if (!isFinite(a)) a = first; if (!isFinite(b)) b = last;
      if (a != null && b != null) spans.push({ name: laneName(l), value: [y, a, b] });
    });
    var clip = function (params, api, hgt) {
      var s0 = api.coord([api.value(1), api.value(0)]), e0 = api.coord([api.value(2), api.value(0)]);
      var hh = api.size([0, 1])[1] * hgt;
      return echarts.graphic.clipRectByRect({ x: s0[0], y: s0[1] - hh / 2, width: Math.max(e0[0] - s0[0], 2), height: hh },
        { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
    };
    chart('timeline', el, {
      tooltip: { formatter: function (p) {
        var v = p.value || [];
        if (p.seriesName === 'tool calls') return esc(p.name) + '<br>' + esc(v[3]) + (v[4] != null ? ' · ' + esc(dur(v[4])) : '');
        return esc(p.name);
      } },
      grid: { left: 170, right: 30, top: 20, bottom: 40 },
      dataZoom: [{ type: 'inside', filterMode: 'weakFilter' }, { type: 'slider', filterMode: 'weakFilter', height: 14, bottom: 6 }],
      xAxis: { type: 'time' },
      yAxis: { type: 'category', data: labels.slice().reverse(), axisLabel: { fontFamily: 'monospace' } },
      series: [
        { name: 'agents', type: 'custom', encode: { x: [1, 2], y: 0 }, data: spans, z: 1,
          renderItem: function (params, api) { var r = clip(params, api, 0.85); return r && { type: 'rect', shape: r, style: { fill: '#e3ebf4' } }; } },
        { name: 'tool calls', type: 'custom', encode: { x: [1, 2], y: 0 }, data: calls, z: 2,
          renderItem: function (params, api) { var r = clip(params, api, 0.5); return r && { type: 'rect', shape: r, style: api.style() }; } },
        { name: 'events', type: 'scatter', data: marks, symbolSize: 9, z: 3 },
      ],
    });
    lanes.forEach(function (l) {
      var items = h('ul', { class: 'items' });
      l.items.slice().sort(function (x, y) { return String(itemTs(x)).localeCompare(String(itemTs(y))); }).forEach(function (i) {
        if (i.kind === 'tool') {
          var c = i.call;
          var outcome = c.success === true ? 'success' : c.success === false ? 'failure' : 'open';
          items.appendChild(h('li', { class: 'call ' + outcome, 'data-tool': c.tool, 'data-outcome': outcome, 'data-tool-use-id': c.toolUseId },
            h('span', { class: 'badge' }, outcome), h('b', {}, c.tool), ' ', c.summary || '', ' ',
            h('span', { class: 'muted' }, when(c.ts).slice(11) + (c.durationMs != null ? ' · ' + dur(c.durationMs) : '')),
            c.rationale ? h('div', { class: 'muted' }, 'why: ' + c.rationale) : null,
            c.error ? h('div', { class: 'err' }, c.error) : null,
            c.next ? h('div', { class: 'muted' }, 'next: ' + c.next) : null));
        } else if (i.kind === 'file') {
          items.appendChild(h('li', { class: 'file', 'data-path': i.path },
            h('details', {}, h('summary', {}, h('span', { class: 'badge file' }, i.operation), i.path, ' ', h('span', { class: 'muted' }, when(i.ts).slice(11))),
              i.diff ? diffPre(i.diff) : h('p', { class: 'muted' }, 'no diff recorded'))));
        } else if (i.kind === 'error') {
          items.appendChild(h('li', { class: 'error' }, h('span', { class: 'badge error' }, 'error'), i.tool ? h('b', {}, i.tool + ' ') : null, h('span', { class: 'err' }, i.message)));
        } else {
          items.appendChild(h('li', { class: 'decision' }, h('span', { class: 'badge decision' }, 'decision'), h('b', {}, i.what),
            i.rationale ? h('div', { class: 'muted' }, i.rationale) : null,
            i.alternatives && i.alternatives.length ? h('div', { class: 'muted' }, 'alternatives: ' + i.alternatives.join('; ')) : null));
        }
      });
      timelineBody.appendChild(h('div', { class: 'lane', 'data-agent': l.agent, 'data-agent-type': l.agentType || '', 'data-depth': l.depth, style: 'margin-left:' + l.depth * 24 + 'px' },
        h('h3', {}, laneName(l), ' ', h('span', { class: 'muted' }, [when(l.started).slice(11), l.ended ? '→ ' + when(l.ended).slice(11) : '', int(l.tokens) + ' tokens', usd(l.costUsd)].filter(Boolean).join(' · '))),
        l.description ? h('div', { class: 'desc' }, l.description) : null,
        items,
        l.outcome ? h('details', {}, h('summary', {}, 'outcome'), h('div', { style: 'white-space:pre-wrap' }, l.outcome)) : null));
    });
  }

  // ---- agents and tools
  renderers.agents = function () {
    var v = views.agents;
    if (!D.reviews.length) { v.appendChild(h('p', {}, 'No review data.')); return; }
    var holder = h('div', {});
    var sel = h('select', { id: 'review-phase', onchange: function () { draw(sel.value); } },
      D.reviews.map(function (r) { return h('option', { value: r.phase }, r.phase + ' (' + r.sessions + ' sessions)'); }));
    sel.value = D.reviews[D.reviews.length - 1].phase;
    v.appendChild(h('div', { class: 'panel' }, h('label', {}, 'Phase ', sel)));
    v.appendChild(holder);
    function draw(phase) {
      var r = D.reviews.filter(function (x) { return x.phase === phase; })[0];
      holder.textContent = '';
      holder.appendChild(h('div', { class: 'panel', id: 'agents-table' }, h('h2', {}, 'Agents'), sortable([
        { key: 'type', label: 'agent type' }, { key: 'runs', label: 'runs', num: true }, { key: 'failures', label: 'failures', num: true },
        { key: 'medianMs', label: 'median time', num: true, fmt: dur }, { key: 'tokens', label: 'tokens', num: true, fmt: int },
        { key: 'costUsd', label: 'cost', num: true, fmt: usd },
      ], r.agents)));
      holder.appendChild(h('div', { class: 'panel', id: 'tools-table' }, h('h2', {}, 'Tools'), sortable([
        { key: 'tool', label: 'tool' }, { key: 'calls', label: 'calls', num: true }, { key: 'failures', label: 'failures', num: true },
        { key: 'failureRate', label: 'failure rate', num: true, fmt: function (x) { return (100 * (x || 0)).toFixed(1) + '%'; } },
        { key: 'p50Ms', label: 'p50', num: true, fmt: dur }, { key: 'p95Ms', label: 'p95', num: true, fmt: dur },
      ], r.tools)));
      if (r.errors && r.errors.length)
        holder.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Recurring errors'), sortable([
          { key: 'pattern', label: 'pattern' }, { key: 'count', label: 'count', num: true }, { key: 'sessions', label: 'sessions', num: true },
          { key: 'lastSeen', label: 'last seen', fmt: when },
        ], r.errors)));
      if (r.recommendations && r.recommendations.length)
        holder.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Recommendations'), h('ul', {}, r.recommendations.map(function (x) {
          return h('li', {}, x.text, ' ', h('span', { class: 'muted' }, x.evidence));
        }))));
    }
    draw(sel.value);
  };

  // ---- recovery
  renderers.recovery = function () {
    var v = views.recovery;
    if (!D.snapshots.length) {
      v.appendChild(h('div', { class: 'panel', id: 'no-snapshots' }, h('p', {}, 'No snapshot yet. They are taken automatically (agents, tokens, compaction, session end) or now with ', h('code', { class: 'cmd' }, 'agent-track checkpoint --note "..."'), '.')));
      return;
    }
    var bySession = {};
    var order = [];
    D.snapshots.forEach(function (r) { if (!bySession[r.session]) { bySession[r.session] = []; order.push(r.session); } bySession[r.session].push(r); });
    order.forEach(function (sid) {
      var s = D.sessions.filter(function (x) { return x.session === sid; })[0] || {};
      var panel = h('div', { class: 'panel', 'data-session': sid },
        h('h2', {}, 'Session ' + short(sid) + (s.firstPrompt ? ' · ' + s.firstPrompt.slice(0, 100) : '')),
        h('p', { class: 'muted' }, 'Carry on from its last state in a new Claude Code session:'),
        command('agent-track resume --session ' + sid));
      bySession[sid].forEach(function (r) {
        panel.appendChild(h('div', { class: 'lane snapshot', 'data-snapshot': r.id },
          h('h3', {}, r.id, ' ', h('span', { class: 'muted' }, when(r.ts) + ' · ' + r.trigger + (r.git.branch ? ' · ' + r.git.branch : '') + (r.git.head ? ' @ ' + r.git.head.slice(0, 7) : ''))),
          r.note ? h('div', {}, 'note: ' + r.note) : null,
          h('div', { class: 'muted' }, r.fileCount + ' changed files · ' + r.openTodos + ' open todos · ' + r.errorCount + ' unresolved errors · ' + int(r.tokens) + ' tokens · ' + usd(r.costUsd) + ' so far'),
          (r.fileCount || r.errorCount || r.openTodos) && !r.files.length && !r.errors.length && !r.todos.length
            ? h('div', { class: 'muted' }, 'Its lists are not embedded (an older snapshot; the page stays small): agent-track snapshots --session ' + short(r.session) + ' --json')
            : null,
          r.files.length ? h('details', {}, h('summary', {}, 'files'), h('ul', { class: 'items' }, r.files.map(function (f) {
            return h('li', {}, h('span', { class: 'badge open' }, f.status), f.path, f.redacted ? ' (redacted)' : '', f.skipped ? ' (not stored: ' + f.skipped + ')' : '');
          }), r.fileCount > r.files.length ? h('li', { class: 'muted' }, (r.fileCount - r.files.length) + ' more') : null)) : null,
          r.todos.length ? h('details', {}, h('summary', {}, 'todos'), h('ul', { class: 'items' }, r.todos.map(function (t) {
            return h('li', {}, h('span', { class: 'badge ' + (t.status === 'completed' ? 'success' : 'open') }, t.status), t.content || t.activeForm || '');
          }))) : null,
          r.errors.length ? h('details', {}, h('summary', {}, 'errors'), h('ul', { class: 'items' }, r.errors.map(function (e) {
            return h('li', {}, h('span', { class: 'err' }, (e.tool ? e.tool + ': ' : '') + (e.message || '')), e.tried ? h('div', { class: 'muted' }, 'tried next: ' + e.tried) : null);
          }), r.errorCount > r.errors.length ? h('li', { class: 'muted' }, (r.errorCount - r.errors.length) + ' more') : null)) : null,
          h('p', { class: 'muted' }, 'Branch off from this point in a new worktree:'),
          command('agent-track restore ' + r.id + ' --worktree ' + r.restoreDir)));
      });
      v.appendChild(panel);
    });
  };

  var start = (location.hash || '').slice(1);
  show('overview');
  if (start && start !== 'overview' && views[start]) show(start);
  if (pending === 0) ready();
})();
`;
  }
});

// src/dashboard/serve.ts
var serve_exports = {};
__export(serve_exports, {
  serveDashboard: () => serveDashboard
});
import * as http2 from "node:http";
function serveDashboard(html, port) {
  const body = Buffer.from(html, "utf8");
  const server = http2.createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (url !== "/" && url !== "/index.html") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-length": body.length,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff"
    });
    res.end(req.method === "HEAD" ? void 0 : body);
  });
  return new Promise((resolve5, reject) => {
    server.once(
      "error",
      (e) => reject(
        new Error(
          e.code === "EADDRINUSE" ? `port ${port} is in use on 127.0.0.1 (give another, or --serve 0 for a free one)` : `cannot serve on 127.0.0.1:${port}: ${e.message}`
        )
      )
    );
    server.listen(port, "127.0.0.1", () => {
      const actual = server.address().port;
      resolve5({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        close: () => new Promise((r) => {
          server.closeAllConnections();
          server.close(() => r());
        })
      });
    });
  });
}
var init_serve = __esm({
  "src/dashboard/serve.ts"() {
    "use strict";
  }
});

// src/cloud/archive-query.ts
var archive_query_exports = {};
__export(archive_query_exports, {
  openArchive: () => openArchive
});
import * as fs23 from "node:fs";
import * as path21 from "node:path";
async function openArchive(paths, url, onProgress) {
  const { bucket, prefix } = parseS3Url(url);
  const { client, sdk } = await s3Client();
  const objects = [];
  let token;
  try {
    do {
      const page2 = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix ? `${prefix}/` : void 0,
          ContinuationToken: token
        })
      );
      for (const o of page2.Contents ?? [])
        if (o.Key && PART.test(o.Key)) objects.push({ key: o.Key, size: o.Size ?? 0 });
      token = page2.IsTruncated ? page2.NextContinuationToken : void 0;
    } while (token);
  } catch (e) {
    throw new Error(s3Message(e, bucket));
  }
  if (!objects.length) throw new Error(`no archived phase under ${url} (agent-track archive writes them)`);
  const cache = path21.join(paths.trackingDir, "cache", "archive", bucket);
  const frozen = [];
  let n2 = 0;
  for (const o of objects) {
    const file = path21.join(cache, ...o.key.split("/"));
    onProgress?.(`downloading ${++n2}/${objects.length}`);
    if (fs23.existsSync(file) && fs23.statSync(file).size === o.size) continue;
    try {
      const got = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: o.key }));
      fs23.mkdirSync(path21.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs23.writeFileSync(tmp, await got.Body.transformToByteArray());
      fs23.renameSync(tmp, file);
    } catch (e) {
      if (e.name === "InvalidObjectState") frozen.push(o.key);
      else throw new Error(s3Message(e, bucket));
    }
  }
  if (frozen.length) {
    const phases = [...new Set(frozen.map((k) => PART.exec(k)[2]))];
    throw new Error(
      `${frozen.length} Parquet object${frozen.length === 1 ? " is" : "s are"} still in Glacier (phases ${phases.join(", ")}): Deep Archive cannot be read before a restore (agent-track archive restore <phase>); archive with --storage-class GLACIER_IR or STANDARD_IA to query in place`
    );
  }
  const byView = /* @__PURE__ */ new Map();
  for (const o of objects) {
    const view = PART.exec(o.key)[3];
    byView.set(view, [...byView.get(view) ?? [], path21.join(cache, ...o.key.split("/"))]);
  }
  const lit3 = (s2) => `'${s2.replace(/'/g, "''")}'`;
  const setup = VIEWS.filter((v) => byView.has(v)).map(
    (v) => `CREATE VIEW ${v} AS SELECT * FROM read_parquet([${byView.get(v).map(lit3).join(", ")}], union_by_name = true)`
  );
  const db = await openDuckDB(setup);
  return {
    ...db,
    files: objects.length,
    phases: [...new Set(objects.map((o) => PART.exec(o.key)[2]))].sort()
  };
}
var PART;
var init_archive_query = __esm({
  "src/cloud/archive-query.ts"() {
    "use strict";
    init_duckdb();
    init_archive();
    init_s3();
    PART = /(?:^|\/)repo=([^/]+)\/phase=([^/]+)\/(\w+)\/part-\d+\.parquet$/;
  }
});

// cli/index.ts
init_collect();
import * as fs24 from "node:fs";
import * as path22 from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";

// src/capture/decide.ts
init_config2();
init_spool();
init_redact();
import { randomUUID } from "node:crypto";
import * as fs9 from "node:fs";
import * as path8 from "node:path";
var CLAUDE_MD_SNIPPET = `## Recording decisions

When you choose between approaches (a library, a design, a fix), record it in one line:

    agent-track decide "<what you decided>" --why "<why>" --alternatives "<option a>; <option b>"
`;
function currentSession(paths, named) {
  if (named) return named;
  let best = null;
  try {
    for (const f of fs9.readdirSync(paths.spoolDir)) {
      if (!f.endsWith(".jsonl")) continue;
      const mtime = fs9.statSync(path8.join(paths.spoolDir, f)).mtimeMs;
      if (!best || mtime > best.mtime) best = { id: f.slice(0, -6), mtime };
    }
  } catch {
    return null;
  }
  return best?.id ?? null;
}
async function recordDecision(paths, d) {
  const session = currentSession(paths, d.session);
  if (!session) throw new Error("no session is being recorded here; name one with --session ID");
  const config = await loadConfig(paths);
  const event = {
    id: randomUUID(),
    ts: (/* @__PURE__ */ new Date()).toISOString(),
    session,
    agent: d.agent ?? "main",
    type: "decision",
    source: "explicit",
    what: d.what,
    rationale: d.why ?? null,
    alternatives: d.alternatives ? d.alternatives.split(";").map((a) => a.trim()).filter(Boolean) : []
  };
  const redacted = redactValue(event, { extraPatterns: config.redaction.extraPatterns });
  appendEvents(paths, session, [redacted]);
  return redacted;
}

// src/capture/import.ts
init_config2();
init_flush();
import * as fs11 from "node:fs";
import * as os from "node:os";
import * as path9 from "node:path";
import { Worker } from "node:worker_threads";

// src/capture/import-events.ts
init_session();
init_events2();
init_redact();
init_transcript();
import * as fs10 from "node:fs";
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
    return str2(JSON.parse(fs10.readFileSync(file.replace(/\.jsonl$/, ".meta.json"), "utf8")).agentType);
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
    const r = parseLines(fs10.readFileSync(file, "utf8"));
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

// src/capture/import.ts
var projectFolder = (workTree, home = os.homedir()) => path9.join(home, ".claude", "projects", workTree.replace(/[^A-Za-z0-9]/g, "-"));
function findTranscripts(inputs) {
  const sessions = /* @__PURE__ */ new Map();
  const get = (id) => {
    let s2 = sessions.get(id);
    if (!s2) {
      s2 = { session: id, main: null, subagents: [], bytes: 0, mtimeMs: 0 };
      sessions.set(id, s2);
    }
    return s2;
  };
  const add = (file) => {
    if (!file.endsWith(".jsonl")) return;
    const st = fs11.statSync(file);
    const base = path9.basename(file, ".jsonl");
    const parent = path9.dirname(file);
    let s2;
    const sidechainOf = base.startsWith("agent-") ? path9.basename(parent) === "subagents" ? path9.basename(path9.dirname(parent)) : sessionIdOf(file) : null;
    if (sidechainOf) {
      s2 = get(sidechainOf);
      if (!s2.subagents.some((x) => x.file === file)) s2.subagents.push({ file, agent: base.slice(6) });
    } else {
      s2 = get(base);
      s2.main = file;
    }
    s2.bytes += st.size;
    s2.mtimeMs = Math.max(s2.mtimeMs, st.mtimeMs);
  };
  const walk2 = (p) => {
    const st = fs11.statSync(p);
    if (st.isDirectory()) for (const e of fs11.readdirSync(p).sort()) walk2(path9.join(p, e));
    else add(p);
  };
  for (const input of inputs) {
    if (!fs11.existsSync(input)) throw new Error(`no such file or folder: ${input}`);
    walk2(path9.resolve(input));
  }
  return [...sessions.values()].sort((a, b) => a.session.localeCompare(b.session));
}
function sessionIdOf(file) {
  const fd = fs11.openSync(file, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n2 = fs11.readSync(fd, buf, 0, buf.length, 0);
    const m = /"sessionId":"([^"]+)"/.exec(buf.subarray(0, n2).toString("utf8"));
    return m ? m[1] : null;
  } finally {
    fs11.closeSync(fd);
  }
}
var ReaderPool = class {
  workers = [];
  waiting = /* @__PURE__ */ new Map();
  next = 0;
  constructor(script, size2) {
    for (let i = 0; i < size2; i++) {
      const w = new Worker(script, {
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16 }
      });
      w.on("message", (m) => {
        const p = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if ("error" in m) p?.reject(new Error(m.error));
        else p?.resolve(m.results);
      });
      w.on("error", (e) => {
        for (const p of this.waiting.values()) p.reject(e);
        this.waiting.clear();
      });
      this.workers.push(w);
    }
  }
  read(sessions, known, config) {
    const id = this.next++;
    return new Promise((resolve5, reject) => {
      this.waiting.set(id, { resolve: resolve5, reject });
      const req = { id, sessions, known, config };
      this.workers[id % this.workers.length].postMessage(req);
    });
  }
  async close() {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
};
var WORKER_HEAP_MB = 128;
var WORKER_SESSION_BYTES = 8 * 2 ** 20;
function workerCount(opts, sessions) {
  if (!opts.workerScript || !fs11.existsSync(opts.workerScript) || sessions < 2) return 0;
  const env = Number.parseInt(process.env.AGENT_TRACK_IMPORT_WORKERS ?? "", 10);
  const n2 = Number.isFinite(env) ? env : opts.workers ?? Math.min(4, os.availableParallelism());
  return Math.max(0, n2);
}
async function importTranscripts(paths, inputs, opts = {}) {
  const config = await loadConfig(paths);
  const all = findTranscripts(inputs);
  const list = opts.since ? all.filter((s2) => s2.mtimeMs >= opts.since.getTime()) : all;
  const summary = {
    sessions: list.length,
    newSessions: 0,
    bytes: 0,
    events: 0,
    duplicates: 0,
    badLines: 0,
    skippedOlder: all.length - list.length,
    withoutUsage: 0,
    unknownModels: []
  };
  const unknown = /* @__PURE__ */ new Set();
  const batch = opts.batch ?? 1e3;
  const batchBytes = opts.batchBytes ?? 16 * 2 ** 20;
  await flushSpool(paths, { waitMs: 6e4 });
  const indexAtStart = readState(paths)?.index ?? {};
  const readChunk = Math.max(1, Math.min(batch, 25));
  const chunkBytes = Math.max(1, Math.floor(batchBytes / 8));
  const chunks = [];
  for (let i = 0; i < list.length; ) {
    const chunk = [];
    let bytes = 0;
    while (i < list.length && chunk.length < readChunk && (chunk.length === 0 || bytes + list[i].bytes <= chunkBytes)) {
      bytes += list[i].bytes;
      chunk.push(list[i++]);
    }
    chunks.push(chunk);
  }
  const size2 = workerCount(opts, list.length);
  const pool = size2 > 0 ? new ReaderPool(opts.workerScript, size2) : null;
  const readOne = (s2, known) => known ? importSessionEvents(s2, true, config) : prepareNewSession(s2, config);
  const read = (chunk) => {
    const known = chunk.map((s2) => Boolean(indexAtStart[s2.session]));
    if (pool && chunk.every((s2) => s2.bytes <= WORKER_SESSION_BYTES)) return pool.read(chunk, known, config);
    return Promise.resolve(chunk.map((s2, k) => readOne(s2, known[k])));
  };
  const inFlight = [];
  const ahead = pool ? 8 + 2 * size2 : 1;
  let dispatched = 0;
  const fill = () => {
    while (dispatched < chunks.length && inFlight.length < ahead) {
      const p = read(chunks[dispatched++]);
      p.catch(() => {
      });
      inFlight.push(p);
    }
  };
  let done = 0;
  try {
    while (done < list.length) {
      const files = [];
      const results = [];
      let bytes = 0;
      while (files.length < batch && bytes < batchBytes && done + files.length < list.length) {
        fill();
        const got = await inFlight.shift();
        const from = done + files.length;
        for (const s2 of list.slice(from, from + got.length)) {
          files.push(s2);
          bytes += s2.bytes;
        }
        results.push(...got);
      }
      fill();
      let given = false;
      const result = await flushSpool(paths, {
        waitMs: 6e4,
        collect: async ({ index, cursors }) => {
          if (given) return { events: [], cursors, verify: [] };
          given = true;
          const events = [];
          const prepared = [];
          const verify2 = [];
          files.forEach((s2, k) => {
            const known = Boolean(index[s2.session]);
            let r = results[k];
            if (known !== Boolean(indexAtStart[s2.session])) r = readOne(s2, known);
            if (r.prepared) prepared.push(r.prepared);
            if (known) verify2.push(s2.session);
            else if (r.events.length || r.prepared) summary.newSessions++;
            else summary.withoutUsage++;
            summary.badLines += r.badLines;
            for (const m of r.unknownModels) unknown.add(m);
            r.events.forEach((e, i) => {
              serialized.set(e, r.lines[i]);
              events.push(e);
            });
          });
          return { events, cursors, verify: verify2, prepared };
        }
      });
      done += files.length;
      summary.events += result.events;
      summary.duplicates += result.duplicates;
      summary.bytes += files.reduce((a, s2) => a + s2.bytes, 0);
      opts.onProgress?.(done, list.length, summary.bytes);
    }
  } finally {
    await pool?.close();
  }
  summary.unknownModels = [...unknown].sort();
  return summary;
}

// src/capture/install.ts
init_config();
init_config2();
import * as fs14 from "node:fs";
import * as path12 from "node:path";

// src/store/init.ts
init_git();
init_layout();
init_lock();
init_paths();
async function ensureBranch(paths) {
  const existing = readRef(paths.commonDir, TRACKING_REF);
  if (existing) return { tip: existing, created: false };
  const store = new ObjectStore(paths.commonDir);
  const readme = await store.writeBlob(renderIndex([]));
  const tree = await store.writeTree([{ mode: "100644", path: "README.md", oid: readme, type: "blob" }]);
  const commit = await store.writeCommit(
    tree,
    [],
    "agent-track: start the agent-tracking branch",
    gitIdentity(paths.workTree)
  );
  if (await updateRefCAS(paths.commonDir, TRACKING_REF, commit, null)) return { tip: commit, created: true };
  return { tip: readRef(paths.commonDir, TRACKING_REF), created: false };
}

// src/capture/install.ts
init_paths();
init_sync();

// src/capture/workflow.ts
import * as fs13 from "node:fs";
import * as path11 from "node:path";
var WORKFLOW_FILE = ".github/workflows/agent-tracking.yml";
var ACTION_REF = "subagent-tracking/subagent-tracking@v1";
var WORKFLOW_TEMPLATE = `# Written by \`agent-track init\` (subagent-tracking). Reviews ended phases, writes job summaries
# and keeps one comment on each pull request with what the agents did on its branch.
name: agent-tracking
on:
  schedule:
    - cron: "23 4 * * *"
  push:
    branches: [agent-tracking]
  workflow_dispatch:
  pull_request:
permissions: {}
jobs:
  review:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: write # commit reviews to the agent-tracking branch
    concurrency:
      group: agent-tracking-review
      cancel-in-progress: false
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v5 # npm installs DuckDB's native library at run time
        with:
          node-version: 24
      - uses: ${ACTION_REF}
        with:
          github-token: \${{ secrets.GITHUB_TOKEN }}
          phase-policy: manual # or weekly / monthly: end the open phase when its week or month is over
  pull-request:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write # the one sticky comment
    concurrency:
      group: agent-tracking-pr-\${{ github.event.pull_request.number }}
      cancel-in-progress: true
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v5
        with:
          node-version: 24
      - uses: ${ACTION_REF}
        with:
          github-token: \${{ secrets.GITHUB_TOKEN }}
          comment: "on"
`;
function writeWorkflow(workTree) {
  const file = path11.join(workTree, WORKFLOW_FILE);
  if (fs13.existsSync(file)) return false;
  fs13.mkdirSync(path11.dirname(file), { recursive: true });
  fs13.writeFileSync(file, WORKFLOW_TEMPLATE);
  return true;
}

// src/capture/install.ts
var HOOK_EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "PreToolUse",
  "PostToolUse",
  "PostToolUseFailure",
  "SubagentStart",
  "SubagentStop",
  "PreCompact",
  "PostCompact",
  "Notification",
  "Stop",
  "SessionEnd"
];
var SYNC_EVENTS = /* @__PURE__ */ new Set(["SessionStart", "Stop", "SessionEnd"]);
var HOOK_MARKER = " hook";
var isOurs = (command, current) => typeof command === "string" && (command === current || /(agent-track|subagent-tracking)/.test(command) && command.endsWith(HOOK_MARKER));
var canonical = (v) => JSON.stringify(
  v,
  (_k, x) => x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x
);
function mergeHooks(settings, command) {
  const before = canonical(settings);
  const out = removeHooks(settings, command).settings;
  out.hooks = typeof out.hooks === "object" && out.hooks && !Array.isArray(out.hooks) ? out.hooks : {};
  for (const event of HOOK_EVENTS) {
    const hook = { type: "command", command };
    if (!SYNC_EVENTS.has(event)) hook.async = true;
    hook.timeout = 30;
    const groups = Array.isArray(out.hooks[event]) ? out.hooks[event] : [];
    out.hooks[event] = [...groups, { hooks: [hook] }];
  }
  return { settings: out, changed: canonical(out) !== before };
}
function removeHooks(settings, current) {
  const out = structuredClone(settings ?? {});
  let removed = 0;
  if (!out.hooks || typeof out.hooks !== "object") return { settings: out, removed };
  for (const event of Object.keys(out.hooks)) {
    const groups = out.hooks[event];
    if (!Array.isArray(groups)) continue;
    const kept = [];
    for (const g of groups) {
      if (!g || !Array.isArray(g.hooks)) {
        kept.push(g);
        continue;
      }
      const hooks = g.hooks.filter((h) => {
        const ours = isOurs(h?.command, current);
        if (ours) removed++;
        return !ours;
      });
      if (hooks.length) kept.push({ ...g, hooks });
    }
    if (kept.length) out.hooks[event] = kept;
    else delete out.hooks[event];
  }
  if (Object.keys(out.hooks).length === 0) delete out.hooks;
  return { settings: out, removed };
}
var COMMAND_MARKER = "<!-- written by agent-track init -->";
function slashCommands(cli) {
  const tool = `Bash(${cli}:*)`;
  const file = (description, hint, run, then) => [
    "---",
    `description: ${description}`,
    `allowed-tools: ${tool}`,
    ...hint ? [`argument-hint: ${hint}`] : [],
    "---",
    COMMAND_MARKER,
    "",
    `!\`${cli} ${run}\``,
    "",
    then,
    ""
  ].join("\n");
  return {
    "checkpoint.md": file(
      "Checkpoint progress",
      "[note]",
      'checkpoint --note "$ARGUMENTS"',
      "A snapshot of this session (git state, changed files, todos, agents, errors) is now on the agent-tracking branch. Tell the user its id in one line and carry on."
    ),
    "resume.md": file(
      "Resume from last session",
      "[session id]",
      "resume $ARGUMENTS",
      "Above is the handoff of the previous session of this branch. Read the files it names before changing them, then continue from its next step."
    ),
    "history.md": file(
      "Show session history",
      null,
      "sessions",
      "Summarise this session history for the user: how many sessions, which crashed, the latest ones."
    ),
    "end-phase.md": file(
      "End Phase N",
      "[next phase name]",
      "phase end $ARGUMENTS",
      "The phase above is closed and its review written. Give the user the review in a few lines."
    )
  };
}
function installCommands(workTree, cli) {
  const dir = path12.join(workTree, ".claude", "commands");
  const written = [];
  const kept = [];
  for (const [name, content] of Object.entries(slashCommands(cli))) {
    const file = path12.join(dir, name);
    let existing = null;
    try {
      existing = fs14.readFileSync(file, "utf8");
    } catch {
      existing = null;
    }
    if (existing !== null && !existing.includes(COMMAND_MARKER)) {
      kept.push(name);
      continue;
    }
    if (existing === content) continue;
    fs14.mkdirSync(dir, { recursive: true });
    fs14.writeFileSync(file, content);
    written.push(name);
  }
  return { written, kept };
}
function removeCommands(workTree) {
  let removed = 0;
  for (const name of Object.keys(slashCommands(""))) {
    const file = path12.join(workTree, ".claude", "commands", name);
    try {
      if (fs14.readFileSync(file, "utf8").includes(COMMAND_MARKER)) {
        fs14.rmSync(file);
        removed++;
      }
    } catch {
    }
  }
  return removed;
}
function hookCommand(binPath, workTree) {
  const local = path12.join(workTree, "node_modules") + path12.sep;
  const target = binPath.startsWith(local) ? `"$CLAUDE_PROJECT_DIR"/${path12.relative(workTree, binPath).split(path12.sep).join("/")}` : JSON.stringify(binPath);
  return `node ${target}${HOOK_MARKER}`;
}
function readJson(file) {
  let text;
  try {
    text = fs14.readFileSync(file, "utf8");
  } catch {
    return {};
  }
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text);
    if (v && typeof v === "object" && !Array.isArray(v)) return v;
  } catch {
  }
  throw new Error(`${file} is not a JSON object; fix or remove it, then run init again`);
}
function writeJson(file, value) {
  fs14.mkdirSync(path12.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs14.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}
`);
  fs14.renameSync(tmp, file);
}
async function initRepository(paths, binPath) {
  const settingsFile = path12.join(paths.workTree, ".claude", "settings.json");
  const command = hookCommand(binPath, paths.workTree);
  const { settings, changed } = mergeHooks(readJson(settingsFile), command);
  let adoptedFrom = null;
  let remoteWarning = null;
  if (!readRef(paths.commonDir, TRACKING_REF)) {
    const { remote } = (await loadConfig(paths)).tracking;
    if (await remoteConfigured(paths, remote)) {
      try {
        if ((await pullBranch(paths, remote)).outcome === "adopted") adoptedFrom = remote;
      } catch (e) {
        remoteWarning = e.message;
      }
    }
  }
  const { tip, created } = await ensureBranch(paths);
  if (changed) writeJson(settingsFile, settings);
  const configFile = path12.join(paths.workTree, CONFIG_FILE);
  const configWritten = !fs14.existsSync(configFile);
  if (configWritten) fs14.writeFileSync(configFile, CONFIG_TEMPLATE);
  fs14.mkdirSync(paths.spoolDir, { recursive: true });
  const commands = installCommands(paths.workTree, cliCommand(command));
  return {
    branchCreated: created,
    tip,
    settingsFile,
    settingsChanged: changed,
    configWritten,
    command,
    commandsWritten: commands.written,
    commandsKept: commands.kept,
    adoptedFrom,
    remoteWarning,
    workflowWritten: writeWorkflow(paths.workTree)
  };
}
async function remoteConfigured(paths, remote) {
  return await isRemoteName(paths, remote) || /[/:]/.test(remote);
}
var cliCommand = (hook) => hook.slice(0, -HOOK_MARKER.length).replace('"$CLAUDE_PROJECT_DIR"/', "");
function uninstallHooks(paths, binPath) {
  const settingsFile = path12.join(paths.workTree, ".claude", "settings.json");
  const commandsRemoved = removeCommands(paths.workTree);
  if (!fs14.existsSync(settingsFile)) return { settingsFile, removed: 0, commandsRemoved };
  const { settings, removed } = removeHooks(readJson(settingsFile), hookCommand(binPath, paths.workTree));
  if (removed) writeJson(settingsFile, settings);
  return { settingsFile, removed, commandsRemoved };
}

// cli/index.ts
init_figures();
init_pricing();
init_views();

// src/recovery/restore.ts
init_snapshot();
import { execFileSync as execFileSync3 } from "node:child_process";
import * as fs16 from "node:fs";
import * as path14 from "node:path";
var git2 = (cwd, args) => execFileSync3("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
async function restoreSnapshot(paths, branch, id, opts) {
  const { record, summary } = await findSnapshot(branch, id);
  const head = record.git.head;
  if (!head)
    throw new Error(`snapshot ${id} was taken before the repository's first commit; nothing to check out`);
  try {
    git2(paths.workTree, ["cat-file", "-e", `${head}^{commit}`]);
  } catch {
    throw new Error(
      `snapshot ${id}: its HEAD ${head.slice(0, 12)} is no longer in this repository (pruned by git gc?)`
    );
  }
  const target = path14.resolve(opts.worktree);
  if (fs16.existsSync(target) && fs16.readdirSync(target).length > 0)
    throw new Error(`${target} exists and is not empty; give a new folder to --worktree`);
  if (opts.branch) {
    try {
      git2(paths.workTree, ["check-ref-format", "--branch", opts.branch]);
    } catch {
      throw new Error(`'${opts.branch}' is not a valid branch name`);
    }
    if (git2(paths.workTree, ["branch", "--list", opts.branch]))
      throw new Error(`branch '${opts.branch}' exists already; give another --branch`);
  }
  const args = opts.branch ? ["worktree", "add", "--quiet", "-b", opts.branch, target, head] : ["worktree", "add", "--quiet", "--detach", target, head];
  git2(paths.workTree, args);
  const result = {
    snapshot: record.id,
    session: record.session,
    worktree: target,
    head,
    branch: opts.branch ?? null,
    written: [],
    deleted: [],
    notStored: [],
    redacted: []
  };
  for (const f of record.files) {
    const dest = path14.join(target, f.path);
    if (!dest.startsWith(`${target}${path14.sep}`)) continue;
    if (f.status === "deleted") {
      fs16.rmSync(dest, { force: true });
      result.deleted.push(f.path);
      continue;
    }
    if (!f.stored) {
      result.notStored.push({ path: f.path, reason: f.skipped ?? "not stored" });
      continue;
    }
    const content = await branch.readFile(`${summary.dir}/blobs/${f.stored}`);
    if (content === null) {
      result.notStored.push({ path: f.path, reason: "missing from the branch" });
      continue;
    }
    fs16.mkdirSync(path14.dirname(dest), { recursive: true });
    fs16.writeFileSync(dest, content);
    result.written.push(f.path);
    if (f.redacted) result.redacted.push(f.path);
  }
  return result;
}

// src/recovery/resume.ts
init_session();
init_config2();
init_paths();
init_spool();
init_handoff();
init_snapshot();
init_state();
init_tokens();
import * as os2 from "node:os";
function statusOf(summary, crashedAfterMinutes) {
  return sessionStatus(summary, {
    now: Date.now(),
    host: os2.hostname(),
    alive: processAlive,
    crashedAfterMinutes
  });
}
async function resumeHandoff(paths, opts) {
  const config = await loadConfig(paths);
  const branch = await openBranch(paths);
  const gitBranch = readHead(paths).branch;
  let ref = null;
  if (opts.session) {
    ref = await findSessionAnywhere(paths, branch, opts.session);
    if (opts.fallbackToLatest && ref.summary.prompts === 0 && !ref.events.some((e) => e.type === "prompt")) {
      const other = await latestOther(paths, gitBranch, ref.summary.session);
      if (other) ref = await findSessionAnywhere(paths, branch, other);
    }
  } else {
    const latest = await latestOther(paths, gitBranch, null);
    if (!latest)
      throw new Error(
        `no session recorded on git branch '${gitBranch ?? "(detached)"}' yet; give --session ID`
      );
    ref = await findSessionAnywhere(paths, branch, latest);
  }
  const { summary, events } = ref;
  let snapshot = null;
  if (branch && (summary.snapshots ?? 0) > 0)
    snapshot = (await listSnapshots(branch, summary)).at(-1) ?? null;
  const state = foldRecovery(summary.session, events);
  const crashed = !state.ended && statusOf(summary, config.recovery.crashedAfterMinutes) === "crashed";
  const handoff = buildHandoff(
    { summary, state, snapshot, crashed },
    await tokenCounter(),
    opts.maxTokens ?? config.recovery.handoffBudget
  );
  return { ...handoff, crashed };
  async function latestOther(p, b, exclude) {
    const spooled = recentSpooledSessions(p, 20, exclude ?? "").filter((s2) => s2.branch === b);
    const onBranch = branch ? (await branch.sessions()).filter((s2) => s2.branch === b && s2.session !== exclude) : [];
    const candidates = [
      ...spooled.map((s2) => ({ session: s2.session, at: s2.lastActivity ?? "" })),
      ...onBranch.map((s2) => ({ session: s2.session, at: s2.lastActivity ?? "" }))
    ].sort((x, y) => x.at.localeCompare(y.at));
    return candidates.at(-1)?.session ?? null;
  }
}

// cli/index.ts
init_snapshot();
init_config2();
init_flush();
init_paths();
init_reader();

// cli/cloud-archive.ts
init_config2();
var mb = (n2) => `${(n2 / 2 ** 20).toFixed(2)} MB`;
function registerArchive(program2, { repo: repo2, print: print2, fail }) {
  const progress = (m) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1B[K${m}`);
  };
  const done = () => {
    if (process.stderr.isTTY) process.stderr.write("\r\x1B[K");
  };
  const archive2 = program2.command("archive").description(
    "move phases more than --keep behind the current one to S3 (Parquet per view + the raw files), then prune them from the branch tip"
  ).option("--bucket <name>", "the S3 bucket (default: archive.bucket in .agent-tracking.yml)").option("--prefix <prefix>", "key prefix (default: archive.prefix, agent-tracking)").option("--keep <n>", "phases kept on the branch behind the current one (default: archive.keep, 2)").option("--storage-class <class>", "S3 storage class (default: archive.storageClass, DEEP_ARCHIVE)").option("--dry-run", "export and measure, upload and prune nothing").option("--json", "print the result as JSON").action(
    async (opts) => {
      const paths = repo2();
      const config = (await loadConfig(paths)).archive;
      const bucket = opts.bucket ?? config.bucket;
      if (!bucket) fail("name the bucket: --bucket NAME, or archive.bucket in .agent-tracking.yml");
      const keep = opts.keep === void 0 ? config.keep : Number(opts.keep);
      if (!Number.isInteger(keep) || keep < 0)
        fail(`--keep takes a whole number of phases, not '${opts.keep}'`);
      const { archive: run } = await Promise.resolve().then(() => (init_archive(), archive_exports));
      const r = await run(paths, {
        bucket,
        prefix: opts.prefix ?? config.prefix,
        keep,
        storageClass: opts.storageClass ?? config.storageClass,
        dryRun: opts.dryRun,
        onProgress: progress
      });
      done();
      if (opts.json) return print2(r);
      if (!r.phases.length)
        return print2(`nothing to archive: no phase is more than ${keep} behind the current one`);
      print2(
        r.phases.map(
          (p) => `${r.dryRun ? "would archive" : "archived"} ${p.phase}${p.resumed ? " (its upload had finished before)" : ""}: ${p.objects} objects, ${mb(p.bytes)} (Parquet ${mb(p.parquetBytes)}, raw ${mb(p.rawBytes)}), ${p.rows.events} events -> s3://${bucket}/${p.manifestKey}`
        ).join("\n")
      );
    }
  );
  archive2.command("list").description("the archived phases: where they are, their size, when").option("--json", "print the list as JSON").action(async (opts, cmd) => {
    const { listArchived: listArchived2 } = await Promise.resolve().then(() => (init_archive(), archive_exports));
    const list = await listArchived2(repo2());
    if (opts.json || cmd.parent?.opts().json) return print2(list);
    if (!list.length) return print2("no phase is archived");
    print2(
      list.map(
        (m) => `${m.phase}  s3://${m.bucket}/${m.manifestKey}  ${m.objects} objects, ${mb(m.bytes)}, ${m.storageClass}, ${m.archivedAt}`
      ).join("\n")
    );
  });
  archive2.command("restore <phase>").description(
    "lay an archived phase back on the branch, byte for byte; objects still in Glacier get a restore request (run again once ready)"
  ).option("--tier <tier>", "Glacier retrieval tier: Standard (up to 12 h) or Bulk (up to 48 h)", "Standard").option("--json", "print the result as JSON").action(async (phase2, opts, cmd) => {
    opts.json ||= cmd.parent?.opts().json;
    if (opts.tier !== "Standard" && opts.tier !== "Bulk")
      fail(`--tier is Standard or Bulk, not '${opts.tier}'`);
    const { restorePhase: restorePhase2 } = await Promise.resolve().then(() => (init_archive(), archive_exports));
    const r = await restorePhase2(repo2(), phase2, {
      tier: opts.tier,
      onProgress: progress
    });
    done();
    if (opts.json) return print2(r);
    print2(
      r.outcome === "restored" ? `restored ${phase2} onto the agent-tracking branch` : `${phase2} is still in Glacier: ${r.outcome === "requested" ? "restore requested" : "a restore is in progress"} for ${r.waiting.length} object${r.waiting.length === 1 ? "" : "s"}; ready by about ${r.readyBy} (${opts.tier} tier). Run this again then.`
    );
  });
}

// cli/format.ts
function table2(headers, rows2, right = []) {
  const cells = [headers, ...rows2.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells.map(
    (r) => r.map((c, i) => right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ").trimEnd()
  ).join("\n");
}
var fmtInt = (n2) => n2.toLocaleString("en-US");
var fmtUsd = (n2, unpricedTokens = 0) => n2 === null ? "unpriced" : `$${n2.toFixed(6)}${unpricedTokens > 0 ? " + unpriced" : ""}`;
var fmtMs = (ms) => ms === null ? "" : ms < 1e3 ? `${ms} ms` : `${(ms / 1e3).toFixed(1)} s`;
var clip2 = (s2, n2) => {
  const one = s2.replace(/\s+/g, " ").trim();
  return one.length > n2 ? `${one.slice(0, n2 - 3)}...` : one;
};
function renderTree(node, indent = "") {
  const lines = [];
  const head = node.agent === "main" ? "main agent" : `${node.agentType ?? "agent"} ${node.agent}${node.description ? ` \u2014 ${node.description}` : ""}${node.parent && node.parent !== "main" ? ` (launched by ${node.parent})` : ""}`;
  const spend = node.tokens.input + node.tokens.output + node.tokens.cacheRead + node.tokens.cacheWrite > 0 ? `  [${fmtInt(node.tokens.input)} in, ${fmtInt(node.tokens.output)} out, ${fmtInt(node.tokens.cacheRead)} cache read, ${fmtInt(node.tokens.cacheWrite)} cache write: ${fmtUsd(node.costUsd, node.unpricedTokens)}]` : "";
  lines.push(`${indent}${head}${spend}`);
  const pad = `${indent}  `;
  if (node.prompt) lines.push(`${pad}task: ${clip2(node.prompt, 100)}`);
  for (const item of node.items) {
    const t = ("call" in item ? item.call.ts : item.ts).slice(11, 19);
    if (item.kind === "tool") {
      const c = item.call;
      const mark2 = c.success === null ? "\u2026" : c.success ? "\u2713" : c.outcome === "rejected" ? "\u2298" : c.outcome === "interrupted" ? "\u2016" : "\u2717";
      lines.push(
        `${pad}${t} ${mark2} ${c.tool} ${clip2(c.summary, 70)}${c.durationMs !== null ? ` (${fmtMs(c.durationMs)})` : ""}`
      );
      if (c.rationale) lines.push(`${pad}         why: ${clip2(c.rationale, 90)}`);
      if (c.error)
        lines.push(
          `${pad}         ${c.outcome === "rejected" ? "declined" : c.outcome === "interrupted" ? "interrupted" : "error"}: ${clip2(c.error, 90)}`
        );
      if (c.next) lines.push(`${pad}         then: ${clip2(c.next, 90)}`);
    } else if (item.kind === "file") {
      const added = item.diff.split("\n").filter((l) => l.startsWith("+") && !l.startsWith("+++")).length;
      const removed = item.diff.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---")).length;
      lines.push(`${pad}${t} \xB1 ${item.operation} ${item.path} (+${added} -${removed})`);
    } else if (item.kind === "decision") {
      lines.push(`${pad}${t} \u25C6 decided: ${clip2(item.what, 80)}`);
      if (item.rationale) lines.push(`${pad}         why: ${clip2(item.rationale, 90)}`);
      if (item.alternatives.length)
        lines.push(`${pad}         instead of: ${clip2(item.alternatives.join("; "), 80)}`);
    } else {
      lines.push(`${pad}${t} ! ${item.tool ?? "error"}: ${clip2(item.message, 90)}`);
    }
  }
  if (node.agent !== "main" && (node.outcome || node.ended))
    lines.push(`${pad}outcome: ${node.outcome ? clip2(node.outcome, 100) : "ended"}`);
  for (const child of node.children) lines.push(...renderTree(child, pad));
  return lines;
}

// cli/cloud-drive.ts
var mb2 = (n2) => `${(n2 / 1024 / 1024).toFixed(n2 < 10 * 1024 * 1024 ? 2 : 1)} MB`;
var nonNegInt2 = (name) => (v) => {
  const n2 = Number(v);
  if (!Number.isInteger(n2) || n2 < 0) throw new Error(`${name} must be a whole number, 0 or more`);
  return n2;
};
function registerDriveCommands(program2, helpers) {
  const { repo: repo2, print: print2, UserError: UserError2 } = helpers;
  program2.command("backup").description(
    "back the current phase and the previous one(s) up to Google Drive (only what changed); remove older phases once archived in S3"
  ).option(
    "--folder <id>",
    "the Drive folder to back up under (default: backup.driveFolderId, else agent-tracking)"
  ).option(
    "--shared-drive <id>",
    "a Shared Drive (default: backup.sharedDriveId; required with a service account)"
  ).option("--keep <n>", "phases kept before the current one (default: backup.keep, 1)", nonNegInt2("--keep")).option(
    "--resumable-over <bytes>",
    "files larger than this go as resumable uploads (default 5 MB)",
    nonNegInt2("--resumable-over")
  ).option("--dry-run", "list what would be uploaded; change nothing on Drive").option("--json", "print {uploaded, updated, unchanged, removedPhases, keptUnarchived, bytes} as JSON").addHelpText(
    "after",
    `
Credentials (environment only):
  AGENT_TRACK_DRIVE_CLIENT_ID, AGENT_TRACK_DRIVE_CLIENT_SECRET, AGENT_TRACK_DRIVE_REFRESH_TOKEN
      an OAuth client of type "Desktop app" and a refresh token (agent-track auth drive makes one)
  GOOGLE_APPLICATION_CREDENTIALS
      a service account or workload identity; needs a Shared Drive (backup.sharedDriveId)`
  ).action(
    async (opts) => {
      const paths = repo2();
      const { backupToDrive: backupToDrive2, DriveCredentialsError: DriveCredentialsError2, DriveError: DriveError2 } = await Promise.resolve().then(() => (init_drive(), drive_exports));
      const chunk = Number(process.env.AGENT_TRACK_DRIVE_CHUNK_BYTES);
      const tty = Boolean(process.stderr.isTTY) && !opts.json;
      let r;
      try {
        r = await backupToDrive2(paths, {
          folderId: opts.folder,
          sharedDriveId: opts.sharedDrive,
          keep: opts.keep,
          dryRun: opts.dryRun,
          resumableThreshold: opts.resumableOver,
          chunkSize: Number.isInteger(chunk) && chunk > 0 ? chunk : void 0,
          onProgress: tty ? (p) => process.stderr.write(`\r\x1B[Kbackup: ${p.files}/${p.totalFiles} files, ${mb2(p.bytes)}`) : void 0
        });
      } catch (e) {
        if (tty) process.stderr.write("\r\x1B[K");
        if (e instanceof DriveCredentialsError2 || e instanceof DriveError2) throw new UserError2(e.message);
        throw e;
      }
      if (tty) process.stderr.write("\r\x1B[K");
      if (opts.json) {
        const { uploaded, updated, unchanged, removedPhases, keptUnarchived, bytes } = r;
        return print2({
          uploaded,
          updated,
          unchanged,
          removedPhases,
          keptUnarchived,
          bytes,
          phases: r.phases,
          folder: r.folder,
          ...r.dryRun ? { dryRun: true, wouldUpload: r.wouldUpload } : {}
        });
      }
      const lines = [];
      if (r.dryRun) {
        lines.push(
          `would upload ${fmtInt(r.uploaded)} new and update ${fmtInt(r.updated)} changed file${r.uploaded + r.updated === 1 ? "" : "s"} (${mb2(r.bytes)}); ${fmtInt(r.unchanged)} unchanged`,
          ...(r.wouldUpload ?? []).map((p) => `  ${r.folder}/${p}`)
        );
        if (r.removedPhases.length)
          lines.push(`would remove from Drive (archived in S3): ${r.removedPhases.join(", ")}`);
      } else {
        lines.push(
          `backed up ${r.phases.join(", ")} to Drive (${r.folder}/): ${fmtInt(r.uploaded)} uploaded, ${fmtInt(r.updated)} updated, ${fmtInt(r.unchanged)} unchanged, ${mb2(r.bytes)} sent`
        );
        if (r.removedPhases.length)
          lines.push(`removed from Drive (archived in S3): ${r.removedPhases.join(", ")}`);
      }
      if (r.keptUnarchived.length)
        lines.push(
          `kept on Drive, not archived in S3 yet (agent-track archive): ${r.keptUnarchived.join(", ")}`
        );
      print2(lines.join("\n"));
    }
  );
  const authCmd = program2.commands.find((c) => c.name() === "auth") ?? program2.command("auth").description("credentials for the cloud tiers");
  authCmd.command("drive").description(
    "get a Google Drive refresh token for agent-track backup (the OAuth loopback flow of a desktop client; prints the token, stores nothing)"
  ).option("--client-id <id>", "the OAuth client id (default: AGENT_TRACK_DRIVE_CLIENT_ID)").option("--client-secret <secret>", "the OAuth client secret (default: AGENT_TRACK_DRIVE_CLIENT_SECRET)").option("--no-open", "only print the consent URL; do not try to open a browser").action(async (opts) => {
    const { driveLoopbackAuth: driveLoopbackAuth2 } = await Promise.resolve().then(() => (init_drive_auth(), drive_auth_exports));
    const { DriveCredentialsError: DriveCredentialsError2 } = await Promise.resolve().then(() => (init_drive(), drive_exports));
    let r;
    try {
      r = await driveLoopbackAuth2({
        clientId: opts.clientId,
        clientSecret: opts.clientSecret,
        open: opts.open,
        onUrl: (url) => process.stderr.write(
          `Open this URL in a browser, sign in and allow access (waiting up to 5 minutes):

${url}

`
        )
      });
    } catch (e) {
      if (e instanceof DriveCredentialsError2) throw new UserError2(e.message);
      throw e;
    }
    print2(
      [
        `refresh token: ${r.refreshToken}`,
        "",
        "Set it where agent-track backup runs (it is not stored anywhere):",
        `  export AGENT_TRACK_DRIVE_REFRESH_TOKEN='${r.refreshToken}'`,
        "or as an Actions secret:",
        "  gh secret set AGENT_TRACK_DRIVE_REFRESH_TOKEN   (paste the token when asked)",
        "with AGENT_TRACK_DRIVE_CLIENT_ID and AGENT_TRACK_DRIVE_CLIENT_SECRET set the same way."
      ].join("\n")
    );
  });
}

// cli/dashboard.ts
init_collect();
init_paths();
import * as fs22 from "node:fs";
import * as path20 from "node:path";
import { pathToFileURL } from "node:url";
var size = (n2) => n2 >= 1 << 20 ? `${(n2 / (1 << 20)).toFixed(2)} MB` : `${(n2 / 1024).toFixed(1)} KB`;
function registerDashboard(program2) {
  program2.command("dashboard").description(
    "write the dashboard: one HTML file (data and charts inline, works from file://) with an overview, session timelines, agents and tools, and recovery"
  ).option(
    "--out <dir>",
    "the folder to write index.html into (default: <git common dir>/agent-tracking/dashboard, outside the work tree)"
  ).option("--phase <name>", "only this phase (default: every phase)").option("--serve <port>", "also serve it on http://127.0.0.1:<port>/ (0: a free port) until Ctrl-C").option("--json", 'print {"file", "url", "bytes", "sessions", ...} as JSON').action(async (opts) => {
    const paths = findRepo(process.cwd());
    if (!paths)
      throw new Error(
        "not inside a git repository (run this in the repository whose agent sessions you track)"
      );
    let port = null;
    if (opts.serve !== void 0) {
      port = Number(opts.serve);
      if (!/^\d+$/.test(opts.serve) || port > 65535)
        throw new Error(
          `--serve takes a port number (0 to 65535; 0 picks a free one), not '${opts.serve}'`
        );
    }
    if (fs22.existsSync(paths.trackingDir)) await flushWithTranscripts(paths, { waitMs: 6e4 });
    const { dashboardData: dashboardData2 } = await Promise.resolve().then(() => (init_data(), data_exports));
    const { renderPage: renderPage2 } = await Promise.resolve().then(() => (init_page(), page_exports));
    const data = await dashboardData2(paths, { phase: opts.phase });
    const html = renderPage2(data);
    const dir = path20.resolve(opts.out ?? path20.join(paths.trackingDir, "dashboard"));
    fs22.mkdirSync(dir, { recursive: true });
    const file = path20.join(dir, "index.html");
    const tmp = `${file}.${process.pid}.tmp`;
    fs22.writeFileSync(tmp, html);
    fs22.renameSync(tmp, file);
    const bytes = Buffer.byteLength(html);
    const result = {
      file,
      url: pathToFileURL(file).href,
      bytes,
      sessions: data.sessions.length,
      timelines: Object.keys(data.timelines).length,
      snapshots: data.snapshots.length,
      empty: data.empty
    };
    if (port === null) {
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}
`);
      else
        process.stdout.write(
          `wrote ${file} (${size(bytes)}, ${data.sessions.length} session${data.sessions.length === 1 ? "" : "s"})
open ${result.url}
`
        );
      return;
    }
    const { serveDashboard: serveDashboard2 } = await Promise.resolve().then(() => (init_serve(), serve_exports));
    const served = await serveDashboard2(html, port);
    if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, served: served.url })}
`);
    else process.stdout.write(`wrote ${file} (${size(bytes)})
serving ${served.url} (Ctrl-C stops)
`);
    const stop = () => {
      void served.close().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

// cli/index.ts
var UserError = class extends Error {
};
function repo() {
  const paths = findRepo(process.cwd());
  if (!paths)
    throw new UserError(
      "not inside a git repository (run this in the repository whose agent sessions you track)"
    );
  return paths;
}
var print = (v) => {
  process.stdout.write(typeof v === "string" ? `${v}
` : `${JSON.stringify(v, null, 2)}
`);
};
var program = new Command("agent-track").description(
  "Git for AI agents: records every Claude Code session of this repository onto its agent-tracking branch"
).version(JSON.parse(fs24.readFileSync(new URL("../package.json", import.meta.url), "utf8")).version).showHelpAfterError().exitOverride();
program.command("init").description(
  "start tracking this repository: the agent-tracking branch, Claude Code hooks, .agent-tracking.yml"
).option("-y, --yes", "do not ask for confirmation").option(
  "--uninstall",
  "remove exactly the hook entries and slash commands init added (the branch and the config stay)"
).option("--json", "print the result as JSON").action(async (opts) => {
  const paths = repo();
  const bin = fileURLToPath(new URL("./bin.cjs", import.meta.url));
  if (opts.uninstall) {
    const r2 = uninstallHooks(paths, bin);
    return print(
      opts.json ? r2 : `removed ${r2.removed} hook entr${r2.removed === 1 ? "y" : "ies"} from ${r2.settingsFile} and ${r2.commandsRemoved} slash command${r2.commandsRemoved === 1 ? "" : "s"}`
    );
  }
  if (!opts.yes && process.stdin.isTTY && process.stdout.isTTY) {
    const { createInterface } = await import("node:readline/promises");
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(
      `This adds Claude Code hooks to ${paths.workTree}/.claude/settings.json and an orphan branch 'agent-tracking'. Continue? [y/N] `
    );
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) return print("nothing changed");
  }
  const r = await initRepository(paths, bin);
  if (opts.json) return print(r);
  print(
    [
      r.branchCreated ? `created branch agent-tracking (${r.tip.slice(0, 7)})` : `branch agent-tracking exists (${r.tip.slice(0, 7)})`,
      r.settingsChanged ? `hooks written to ${r.settingsFile}` : `hooks already in ${r.settingsFile}`,
      r.adoptedFrom ? `joined the agent-tracking branch of ${r.adoptedFrom}` : null,
      r.remoteWarning ? `could not ask the remote for its branch (${r.remoteWarning}); run agent-track pull later` : null,
      r.configWritten ? "wrote .agent-tracking.yml" : ".agent-tracking.yml kept as it is",
      r.workflowWritten ? "wrote .github/workflows/agent-tracking.yml (phase reviews, PR comments)" : null,
      r.commandsWritten.length ? `slash commands in .claude/commands/: ${r.commandsWritten.map((f) => `/${f.slice(0, -3)}`).join(", ")}` : null,
      ...r.commandsKept.map((f) => `kept your own .claude/commands/${f} (ours is not installed)`),
      "Every Claude Code session in this repository is now recorded. Read them with `agent-track sessions`.",
      "",
      "To have agents record their decisions too, add this to CLAUDE.md:",
      "",
      CLAUDE_MD_SNIPPET
    ].filter((l) => l !== null).join("\n")
  );
});
program.command("hook").description(
  "record one Claude Code hook payload from stdin (run by Claude Code; always exits 0, prints nothing)"
).action(() => {
});
var warn = (m) => process.stderr.write(`agent-track: warning: ${m}
`);
async function flushAndSnapshot(paths, waitMs, warnings) {
  const r = await flushWithTranscripts(paths, { waitMs }, warnings ? warn : void 0);
  const index = readState(paths)?.index ?? {};
  const config = await loadConfig(paths);
  const due = r.sessions.flatMap((session) => {
    const trigger = index[session] ? dueTrigger(index[session], config) : null;
    return trigger ? [{ session, trigger }] : [];
  });
  if (due.length)
    try {
      await takeSnapshots(paths, due);
    } catch (e) {
      if (warnings) warn(`no snapshot taken: ${e.message}`);
    }
  return r;
}
program.command("push").description(
  "share this clone's sessions: flush, then push the agent-tracking branch (merging the remote's new sessions first)"
).option(
  "--remote <remote>",
  "a remote name or git URL (default: tracking.remote in .agent-tracking.yml, else origin)"
).option("--background", "run quietly and log failures to the errors folder (used by the SessionEnd hook)").option(
  "--skip-previous",
  "after tracking.remote changed: do not carry over the previous remote\u2019s sessions"
).option("--json", "print the result as JSON").action(async (opts) => {
  const paths = repo();
  const { pushBranch: pushBranch2 } = await Promise.resolve().then(() => (init_sync(), sync_exports));
  const remote = opts.remote ?? (await loadConfig(paths)).tracking.remote;
  try {
    await flushAndSnapshot(paths, 3e4, !opts.background);
    const r = await pushBranch2(paths, remote, {
      prompt: !opts.background,
      skipPrevious: opts.skipPrevious
    });
    if (opts.background) return;
    if (opts.json) return print(r);
    print(
      [
        r.migratedFrom ? `carried the branch over from ${r.migratedFrom}` : null,
        r.merges ? `merged ${r.sessionsFromRemote} session${r.sessionsFromRemote === 1 ? "" : "s"} from ${remote}` : null,
        r.conflicts.length ? `both sides changed ${r.conflicts.join(", ")}: both versions kept (the local one as *.conflict-*)` : null,
        r.outcome === "pushed" ? `pushed agent-tracking to ${remote} (${r.tip.slice(0, 7)})${r.attempts > 1 ? ` after ${r.attempts} attempts` : ""}` : `${remote} is up to date (${r.tip.slice(0, 7)})`
      ].filter((l) => l !== null).join("\n")
    );
  } catch (e) {
    if (!opts.background) throw e;
    fs24.mkdirSync(paths.errorsDir, { recursive: true });
    fs24.appendFileSync(
      path22.join(paths.errorsDir, "push.log"),
      `${(/* @__PURE__ */ new Date()).toISOString()} ${e.message}
`
    );
    process.exitCode = 1;
  }
});
program.command("pull").description(
  "bring the team's sessions in: fetch the remote's agent-tracking branch and merge it (no init needed to read them)"
).option(
  "--remote <remote>",
  "a remote name or git URL (default: tracking.remote in .agent-tracking.yml, else origin)"
).option("--json", "print the result as JSON").action(async (opts) => {
  const paths = repo();
  const { pullBranch: pullBranch2 } = await Promise.resolve().then(() => (init_sync(), sync_exports));
  const remote = opts.remote ?? (await loadConfig(paths)).tracking.remote;
  const r = await pullBranch2(paths, remote);
  if (opts.json) return print(r);
  const n2 = `${r.sessionsFromRemote} new session${r.sessionsFromRemote === 1 ? "" : "s"}`;
  const said = {
    adopted: `fetched agent-tracking from ${remote}: ${n2}`,
    "fast-forward": `updated agent-tracking from ${remote}: ${n2}`,
    merged: `merged agent-tracking from ${remote}: ${n2}${r.conflicts.length ? `; both versions kept of ${r.conflicts.join(", ")}` : ""}`,
    "up-to-date": "already up to date",
    ahead: `nothing new on ${remote}; this clone has sessions to push (agent-track push)`,
    "no-remote-branch": `${remote} has no agent-tracking branch yet (agent-track push creates it)`
  };
  print(said[r.outcome]);
});
program.command("flush").description("commit the spooled events to the agent-tracking branch now").option("--background", "give up at once if another flush is running (used by the hook)").option("--json", "print the result as JSON").action(async (opts) => {
  const paths = repo();
  const r = await flushAndSnapshot(paths, opts.background ? 0 : 3e4, !opts.background);
  if (opts.background) return;
  print(
    opts.json ? r : `flushed ${r.events} event${r.events === 1 ? "" : "s"} in ${r.commits} commit${r.commits === 1 ? "" : "s"}${r.skippedLines ? ` (${r.skippedLines} unreadable spool lines kept in the errors folder)` : ""}`
  );
});
program.command("decide <what>").description("record a decision (what, why, the alternatives) in the current session").option("--why <why>", "the rationale").option("--alternatives <list>", 'the options not taken, separated by ";"').option("--session <id>", "the session (default: the one recorded last in this repository)").option("--agent <id>", "the agent that decided (default: main)").option("--json", "print the recorded event as JSON").action(
  async (what, opts) => {
    if (!what.trim())
      throw new UserError('say what was decided: agent-track decide "<what>" --why "<why>"');
    const e = await recordDecision(repo(), { what, ...opts });
    print(opts.json ? e : `recorded in session ${e.session.slice(0, 8)}: ${String(e.what)}`);
  }
);
program.command("import [paths...]").description(
  "import past sessions from Claude Code's transcripts (default: this repository's folder under ~/.claude/projects)"
).option("--since <date>", "only sessions written to on or after this date (YYYY-MM-DD)").option("--json", "print the summary as JSON").action(async (inputs, opts) => {
  const paths = repo();
  let since;
  if (opts.since) {
    since = new Date(opts.since);
    if (Number.isNaN(since.getTime()))
      throw new UserError(`--since takes a date such as 2026-01-31, not '${opts.since}'`);
  }
  const sources = inputs.length ? inputs : [projectFolder(paths.workTree)];
  if (!inputs.length && !fs24.existsSync(sources[0]))
    throw new UserError(
      `no transcripts for this repository in ${sources[0]}; give the files or folders to import`
    );
  const tty = process.stderr.isTTY;
  const r = await importTranscripts(paths, sources, {
    since,
    workerScript: fileURLToPath(new URL("./import-worker.js", import.meta.url)),
    onProgress: (done, total, bytes) => {
      const mb3 = (bytes / 2 ** 20).toFixed(1);
      if (tty) {
        const width = 30;
        const fill = Math.round(done / Math.max(total, 1) * width);
        process.stderr.write(
          `\rimporting [${"#".repeat(fill)}${" ".repeat(width - fill)}] ${done}/${total} sessions, ${mb3} MB${done === total ? "\n" : ""}`
        );
      } else if (!opts.json) process.stderr.write(`imported ${done}/${total} sessions, ${mb3} MB
`);
    }
  });
  if (opts.json) return print(r);
  print(
    [
      `${r.sessions} session${r.sessions === 1 ? "" : "s"} read (${r.newSessions} new), ${(r.bytes / 2 ** 20).toFixed(1)} MB of transcripts`,
      `${r.events} event${r.events === 1 ? "" : "s"} added, ${r.duplicates} already on the branch`,
      r.badLines ? `${r.badLines} corrupt or truncated line${r.badLines === 1 ? "" : "s"} skipped` : "",
      r.skippedOlder ? `${r.skippedOlder} session${r.skippedOlder === 1 ? "" : "s"} older than --since left out` : "",
      r.withoutUsage ? `${r.withoutUsage} file${r.withoutUsage === 1 ? "" : "s"} without any API usage (empty, or summaries only) left out` : "",
      r.unknownModels.length ? `no price for ${r.unknownModels.join(", ")}: their cost is recorded as null` : ""
    ].filter(Boolean).join("\n")
  );
});
function dayRange(opts) {
  const day = (v, flag) => {
    if (v === void 0) return void 0;
    const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v.trim());
    const d = m ? `${m[1]}-${m[2]}-${m[3]}` : "";
    if (!m || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      throw new UserError(`${flag} takes a day such as 2026-01-31 or 20260131, not '${v}'`);
    return d;
  };
  const r = { since: day(opts.since, "--since"), until: day(opts.until, "--until") };
  if (r.since && r.until && r.since > r.until) throw new UserError("--since is after --until");
  return r;
}
var COST_NOTE = "cost: the list-price estimate (what Claude Code itself reports), from " + PRICE_SOURCE + " and .agent-tracking.yml pricing";
var withRange = (c) => c.option("--since <day>", "only activity on or after this day (YYYY-MM-DD or YYYYMMDD, UTC)").option("--until <day>", "only activity on or before this day (YYYY-MM-DD or YYYYMMDD, UTC)");
withRange(
  program.command("sessions").description("list the recorded sessions: status (running, ended, crashed), subagents, tool calls, cost").option("--json", "print the sessions as JSON")
).action(async (opts) => {
  const paths = repo();
  const config = await loadConfig(paths);
  const range = dayRange(opts);
  const branch = await TrackingBranch.open(paths);
  const rows2 = new Map(
    breakdown(await branch.sessions(), "session", branch.prices, range).map((r) => [r.key, r])
  );
  const list = (await branch.sessions()).filter((s2) => rows2.has(s2.session)).map((s2) => {
    const { cells: _cells, usage: _usage, errorToolUseIds: _e, failedToolUseIds: _f, ...rest } = s2;
    const r = rows2.get(s2.session);
    return {
      ...rest,
      tokens: r.tokens,
      costUsd: r.costUsd,
      unpricedTokens: r.unpricedTokens,
      unpricedModels: r.unpricedModels,
      status: statusOf(s2, config.recovery.crashedAfterMinutes)
    };
  });
  if (opts.json) return print(list);
  if (!list.length) return print("no session recorded yet");
  print(
    table2(
      [
        "session",
        "started",
        "branch",
        "phase",
        "subagents",
        "tools",
        "failed",
        "errors",
        "cost",
        "status",
        "first prompt"
      ],
      list.map((s2) => [
        s2.session.slice(0, 8),
        (s2.started ?? "").replace("T", " ").slice(0, 19),
        s2.branch ?? "",
        s2.phase,
        s2.agents,
        s2.toolCalls,
        s2.toolFailures,
        s2.errors,
        fmtUsd(s2.costUsd, s2.unpricedTokens),
        s2.status,
        (s2.firstPrompt ?? "").replace(/\s+/g, " ").slice(0, 40)
      ]),
      [4, 5, 6, 7, 8]
    )
  );
});
program.command("show <session>").description(
  "show a session: the agent tree with each agent\u2019s tool calls, file changes and errors in time order"
).option("--json", "print the session and its agent tree as JSON").action(async (id, opts) => {
  const paths = repo();
  const config = await loadConfig(paths);
  const branch = await TrackingBranch.open(paths);
  const summary = await branch.findSession(id);
  const tree = buildAgentTree(await branch.events(summary), branch.prices);
  const status = statusOf(summary, config.recovery.crashedAfterMinutes);
  const figures = totals([summary], branch.prices);
  if (opts.json) return print({ session: { ...summary, status }, figures, tree });
  const t = figures.tokens;
  print(
    [
      `session ${summary.session}  (${summary.phase}, ${status}${summary.ended ? `: ${summary.endReason ?? ""}` : ""})`,
      `started ${summary.started ?? "?"} on ${summary.branch ?? "detached HEAD"} at ${summary.head?.slice(0, 7) ?? "no commit"}`,
      summary.firstPrompt ? `prompt: ${summary.firstPrompt}` : "",
      `${figures.toolCalls} tool calls (${figures.toolFailures} failed${figures.toolRejected ? `, ${figures.toolRejected} declined` : ""}${figures.toolInterrupted ? `, ${figures.toolInterrupted} interrupted` : ""}), ${figures.errors} errors, ${summary.agents} subagents; tokens ${fmtInt(t.input)} in, ${fmtInt(t.output)} out, ${fmtInt(t.cacheRead)} cache read, ${fmtInt(t.cacheWrite)} cache write; cost ${fmtUsd(figures.costUsd, figures.unpricedTokens)}${figures.unpricedModels.length ? ` (no price for ${figures.unpricedModels.join(", ")})` : ""}`,
      "",
      ...renderTree(tree)
    ].filter((l, i) => l !== "" || i === 4).join("\n")
  );
});
withRange(
  program.command("stats").description("totals: sessions, subagents, tool calls, errors, tokens and cost, or a table of them").option("--session <id>", "only this session").option(
    "--by <what>",
    "a table by day, week, month, session, agent (type), model or author (developer), like ccusage"
  ).option("--json", `print as JSON (with --by: {"by", "rows", "totals"}; rows carry ccusage's keys too)`)
).action(async (opts) => {
  if (opts.by && !BREAKDOWNS.includes(opts.by)) {
    throw new UserError(`--by takes ${BREAKDOWNS.join(", ")}, not '${opts.by}'`);
  }
  const range = dayRange(opts);
  const branch = await TrackingBranch.open(repo());
  const list = opts.session ? [await branch.findSession(opts.session)] : await branch.sessions();
  const stats = totals(list, branch.prices, range);
  const unpricedNote = stats.unpricedModels.length ? `no price for ${stats.unpricedModels.join(", ")}: ${fmtInt(stats.unpricedTokens)} tokens are not in the cost (add them under pricing: in .agent-tracking.yml)` : "";
  const spend = (r) => [
    fmtInt(r.tokens.input),
    fmtInt(r.tokens.output),
    fmtInt(r.tokens.cacheRead),
    fmtInt(r.tokens.cacheWrite),
    fmtUsd(r.costUsd, r.unpricedTokens)
  ];
  if (opts.by) {
    const rows2 = breakdown(list, opts.by, branch.prices, range);
    if (opts.json) return print({ by: opts.by, rows: rows2, totals: stats });
    const extra = opts.by === "session" ? ["started"] : [];
    return print(
      [
        table2(
          [opts.by, ...extra, "input", "output", "cache read", "cache write", "cost"],
          [
            ...rows2.map((r) => [
              opts.by === "session" ? r.key.slice(0, 8) : r.key,
              ...opts.by === "session" ? [(r.started ?? "").slice(0, 19).replace("T", " ")] : [],
              ...spend(r)
            ]),
            ["total", ...extra.map(() => ""), ...spend(stats)]
          ],
          [1, 2, 3, 4, 5].map((n2) => n2 + extra.length)
        ),
        COST_NOTE,
        unpricedNote
      ].filter(Boolean).join("\n")
    );
  }
  if (opts.json) return print(stats);
  print(
    [
      table2(
        [
          "sessions",
          "subagents",
          "tool calls",
          "failed",
          "errors",
          "input",
          "output",
          "cache read",
          "cache write",
          "cost"
        ],
        [[stats.sessions, stats.agents, stats.toolCalls, stats.toolFailures, stats.errors, ...spend(stats)]],
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
      ),
      COST_NOTE,
      unpricedNote
    ].filter(Boolean).join("\n")
  );
});
program.command("checkpoint").description("take a snapshot of the current session now: git state, changed files, todos, agents, errors").option("--note <text>", "a note stored with the snapshot").option("--session <id>", "the session (default: the latest on the current git branch)").option("--json", 'print {"id", ...} as JSON').action(async (opts) => {
  const r = await takeSnapshot(repo(), {
    session: opts.session,
    trigger: "manual",
    note: opts.note ?? null,
    flushFirst: true
  });
  if (opts.json)
    return print({
      id: r.id,
      session: r.session,
      ts: r.ts,
      head: r.git.head,
      files: r.files.length,
      note: r.note
    });
  print(
    `snapshot ${r.id}: ${r.files.length} changed file${r.files.length === 1 ? "" : "s"} at ${r.git.head?.slice(0, 7) ?? "no commit"}, ${r.todos.filter((t) => t.status !== "completed").length} open todos
restore it elsewhere with: agent-track restore ${r.id} --worktree ../${path22.basename(repo().workTree)}-${r.id.replace("@", "-")}`
  );
});
program.command("snapshots").description("list snapshots (of one session, or of every session)").option("--session <id>", "only this session").option("--json", "print the snapshots as JSON").action(async (opts) => {
  const branch = await TrackingBranch.open(repo());
  const sessions = opts.session ? [await branch.findSession(opts.session)] : (await branch.sessions()).filter((s2) => (s2.snapshots ?? 0) > 0);
  const list = [];
  for (const s2 of sessions) list.push(...await listSnapshots(branch, s2));
  list.sort((a, b) => a.ts.localeCompare(b.ts));
  if (opts.json) return print(list);
  if (!list.length)
    return print("no snapshot yet (they are taken automatically, or with `agent-track checkpoint`)");
  print(
    table2(
      ["snapshot", "taken", "trigger", "HEAD", "files", "open todos", "note"],
      list.map((r) => [
        r.id,
        r.ts.replace("T", " ").slice(0, 19),
        r.trigger,
        r.git.head?.slice(0, 7) ?? "",
        r.files.length,
        r.todos.filter((t) => t.status !== "completed").length,
        (r.note ?? "").slice(0, 40)
      ]),
      [4, 5]
    )
  );
});
program.command("resume").description("print the handoff (Markdown) that lets a new session carry on from a session's last state").option("--session <id>", "the session (default: the latest on the current git branch)").option("--max-tokens <n>", "the budget in Claude tokens (default 2000, or recovery.handoffBudget)").option("--json", 'print {"session", "snapshot", "tokens", "budget", "dropped", "crashed", "markdown"}').option("--hook-output", "print SessionStart's hookSpecificOutput JSON (used by the hook)").action(async (opts) => {
  let maxTokens;
  if (opts.maxTokens !== void 0) {
    maxTokens = Number(opts.maxTokens);
    if (!Number.isInteger(maxTokens) || maxTokens < 200)
      throw new UserError(`--max-tokens takes a whole number of at least 200, not '${opts.maxTokens}'`);
  }
  const h = await resumeHandoff(repo(), {
    session: opts.session,
    maxTokens,
    fallbackToLatest: opts.hookOutput
  });
  if (opts.hookOutput) {
    process.stdout.write(
      `${JSON.stringify({ hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: h.markdown } })}
`
    );
    return;
  }
  if (opts.json) return print(h);
  process.stdout.write(h.markdown);
});
program.command("restore <snapshot>").description(
  "create a git worktree at a snapshot's HEAD with its files laid back (your work tree is not touched)"
).requiredOption("--worktree <path>", "where to create the worktree (a new or empty folder)").option("--branch <name>", "create this branch there (default: a detached HEAD)").option("--json", "print the result as JSON").action(async (id, opts) => {
  const paths = repo();
  const branch = await TrackingBranch.open(paths);
  const r = await restoreSnapshot(paths, branch, id, opts);
  const start = `cd ${JSON.stringify(r.worktree)} && claude "$(agent-track resume --session ${r.session.slice(0, 8)})"`;
  if (opts.json) return print({ ...r, start });
  print(
    [
      `worktree ${r.worktree} at ${r.head.slice(0, 7)}${r.branch ? ` on new branch ${r.branch}` : " (detached HEAD)"}`,
      `laid back ${r.written.length} file${r.written.length === 1 ? "" : "s"}${r.deleted.length ? `, removed ${r.deleted.length}` : ""}${r.redacted.length ? `; redacted (secrets were not stored): ${r.redacted.join(", ")}` : ""}`,
      ...r.notStored.map((f) => `not stored, so not laid back: ${f.path} (${f.reason})`),
      "",
      "start Claude Code there with the handoff:",
      `  ${start}`
    ].join("\n")
  );
});
program.command("query <sql>").description(
  "run SQL (DuckDB) over the store: views events, sessions, agents, tool_calls, usage, errors, file_changes, decisions"
).option("--json", "print an array of row objects").option("--csv", "print CSV with a header line").option("--archive <s3-url>", "query the archived Parquet under s3://bucket/prefix instead of the branch").action(async (sql, opts) => {
  if (opts.json && opts.csv) throw new UserError("give --json or --csv, not both");
  const paths = repo();
  let db;
  if (opts.archive) {
    const { openArchive: openArchive2 } = await Promise.resolve().then(() => (init_archive_query(), archive_query_exports));
    db = await openArchive2(paths, opts.archive);
  } else {
    await TrackingBranch.open(paths);
    const { openAnalytics: openAnalytics2 } = await Promise.resolve().then(() => (init_duckdb(), duckdb_exports));
    db = await openAnalytics2(paths);
  }
  let result;
  try {
    result = await db.query(sql);
  } catch (e) {
    throw new UserError(`query failed: ${String(e.message).split("\n")[0]}`);
  } finally {
    db.close();
  }
  const cell = (v) => v === null || v === void 0 ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  if (opts.json) return print(result.rows);
  if (opts.csv) {
    const quote = (v) => /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    const lines = [
      result.columns.map(quote).join(","),
      ...result.rows.map((r) => result.columns.map((c) => quote(cell(r[c]))).join(","))
    ];
    process.stdout.write(`${lines.join("\n")}
`);
    return;
  }
  if (!result.rows.length) return print(`(no rows; columns: ${result.columns.join(", ")})`);
  print(
    table2(
      result.columns,
      result.rows.map((r) => result.columns.map((c) => cell(r[c]).replace(/\s+/g, " ").slice(0, 80)))
    )
  );
});
var phase = program.command("phase").description("phases (a milestone, a sprint): start, end with a review, list");
phase.command("start <name>").description("start a phase: sessions that start from now on belong to it").option("--json", "print the phase as JSON").action(async (name, opts) => {
  const { startPhase: startPhase2 } = await Promise.resolve().then(() => (init_phases(), phases_exports));
  const p = await startPhase2(repo(), name);
  print(opts.json ? p : `phase ${p.name} started`);
});
phase.command("end").description("end the current phase: write its review (review.md, review.json) and start the next").option("--next <name>", "the next phase (default: the name with its number plus one, phase-1 -> phase-2)").option("--no-review", "leave the review to the GitHub Action (its next run writes it)").option("--json", 'print {"ended", "next", "review"} as JSON').action(async (opts) => {
  const { endPhase: endPhase2 } = await Promise.resolve().then(() => (init_phases(), phases_exports));
  const r = await endPhase2(repo(), opts);
  if (opts.json) return print(r);
  print(
    `${r.review ? `phase ${r.ended} ended: ${r.review.sessions} sessions, ${r.review.costUsd} USD; review in phases/${r.ended}/review.md on the agent-tracking branch` : `phase ${r.ended} ended; the Action writes its review on its next run`}
phase ${r.next} started`
  );
});
phase.command("list").description("the phases, their dates, sessions and cost").option("--json", "print the phases as JSON").action(async (opts) => {
  const { listPhases: listPhases2 } = await Promise.resolve().then(() => (init_phases(), phases_exports));
  const list = await listPhases2(repo());
  if (opts.json) return print(list);
  print(
    table2(
      ["phase", "started", "ended", "sessions", "cost", "reviewed"],
      list.map((p) => [
        `${p.name}${p.current ? " (current)" : ""}`,
        (p.started ?? "").slice(0, 10),
        (p.ended ?? "").slice(0, 10),
        p.sessions,
        fmtUsd(p.costUsd),
        p.reviewed ? "yes" : ""
      ]),
      [3, 4]
    )
  );
});
program.command("review").description("the review of a phase (default: the current one) without ending it").option("--phase <name>", "the phase").option("--json", "print the review as JSON").action(async (opts) => {
  const paths = repo();
  const { reviewPhase: reviewPhase2, sessionCosts: sessionCosts2 } = await Promise.resolve().then(() => (init_phases(), phases_exports));
  const { renderReview: renderReview2 } = await Promise.resolve().then(() => (init_render(), render_exports));
  const r = await reviewPhase2(paths, opts.phase);
  if (opts.json) return print(r);
  process.stdout.write(renderReview2(r, await sessionCosts2(paths, r.phase)));
});
registerArchive(program, {
  repo,
  print,
  fail: (message) => {
    throw new UserError(message);
  }
});
registerDriveCommands(program, { repo, print, UserError });
registerDashboard(program);
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode;
  else {
    const msg = e instanceof UserError || e instanceof NoBranchError ? e.message : e instanceof Error ? e.message : String(e);
    process.stderr.write(`agent-track: ${msg}
`);
    process.exitCode = 1;
  }
}
