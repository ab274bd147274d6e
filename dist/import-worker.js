// src/capture/import-worker.ts
import { parentPort } from "node:worker_threads";

// src/capture/import-events.ts
import * as fs from "node:fs";

// src/capture/events.ts
import { createHash } from "node:crypto";

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
function shannonEntropy(s) {
  const counts = /* @__PURE__ */ new Map();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p2 = n / s.length;
    h -= p2 * Math.log2(p2);
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

// src/capture/events.ts
var AGENT_TOOLS = /* @__PURE__ */ new Set(["Agent", "Task"]);
function capValue(value, max) {
  if (value === void 0 || value === null) return value;
  const json = typeof value === "string" ? value : JSON.stringify(value);
  if (json === void 0 || Buffer.byteLength(json) <= max) return value;
  return {
    truncated: true,
    bytes: Buffer.byteLength(json),
    sha256: createHash("sha256").update(json).digest("hex"),
    head: json.slice(0, Math.min(2048, max))
  };
}

// src/capture/transcript.ts
import { createHash as createHash2 } from "node:crypto";

// src/capture/pricing.ts
var p = (input, output, longContext) => ({
  input,
  output,
  cacheRead: input / 10,
  cacheWrite5m: input * 1.25,
  cacheWrite1h: input * 2,
  ...longContext ? { longContext } : {}
});
var tier = (input, output) => ({
  input,
  output,
  cacheRead: input / 10,
  cacheWrite5m: input * 1.25,
  cacheWrite1h: input * 2
});
var MODEL_PRICES = {
  "claude-opus-4-5": p(5, 25),
  "claude-opus-4-1": p(15, 75),
  "claude-opus-4": p(15, 75),
  "claude-sonnet-4-5": p(3, 15, tier(6, 22.5)),
  "claude-sonnet-4": p(3, 15, tier(6, 22.5)),
  "claude-3-7-sonnet": p(3, 15),
  "claude-3-5-sonnet": p(3, 15),
  "claude-haiku-4-5": p(1, 5),
  "claude-3-5-haiku": p(0.8, 4),
  "claude-3-opus": p(15, 75),
  "claude-3-haiku": p(0.25, 1.25)
};
var ALIASES = {
  opus: "claude-opus-4-5",
  sonnet: "claude-sonnet-4-5",
  haiku: "claude-haiku-4-5",
  "claude-3-5-sonnet-latest": "claude-3-5-sonnet",
  "claude-3-7-sonnet-latest": "claude-3-7-sonnet",
  "claude-3-5-haiku-latest": "claude-3-5-haiku",
  "claude-3-opus-latest": "claude-3-opus"
};
var LONG_CONTEXT_THRESHOLD = 2e5;
function priceOf(model) {
  let id = model.toLowerCase().trim();
  id = id.replace(/\[1m\]$/, "");
  id = id.replace(/^(?:[a-z]{2}\.)?anthropic\./, "");
  id = id.replace(/-v\d+(?::\d+)?$/, "").replace(/@\d{8}$/, "");
  id = ALIASES[id] ?? id;
  if (MODEL_PRICES[id]) return MODEL_PRICES[id];
  const undated = id.replace(/-\d{8}$/, "");
  return MODEL_PRICES[ALIASES[undated] ?? undated] ?? null;
}
var units = (tokens, perMillion) => tokens * Math.round(perMillion * 100);
function costUnits(model, t) {
  const price = priceOf(model);
  if (!price) return null;
  const promptTokens = t.input + t.cacheRead + t.cacheWrite;
  const pr = price.longContext && promptTokens > LONG_CONTEXT_THRESHOLD ? price.longContext : price;
  return units(t.input, pr.input) + units(t.output, pr.output) + units(t.cacheRead, pr.cacheRead) + units(t.cacheWrite5m, pr.cacheWrite5m) + units(t.cacheWrite1h, pr.cacheWrite1h);
}

// src/capture/transcript.ts
var derivedId = (kind, session, key) => `${kind}-${createHash2("sha1").update(`${session}\0${key}`).digest("hex").slice(0, 32)}`;
var newMemory = () => ({
  seen: /* @__PURE__ */ new Set(),
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
    cacheWrite5m: write5m + (rest > 0 ? rest : 0),
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
      badLines++;
    }
  }
  return { records, badLines };
}
function transcriptEvents(records, session, agent, memory) {
  const out = { events: [], unknownModels: /* @__PURE__ */ new Set() };
  for (const rec of records) {
    const who = typeof rec.agentId === "string" && agent !== "main" ? rec.agentId : agent;
    const ts = typeof rec.timestamp === "string" ? rec.timestamp : (/* @__PURE__ */ new Date(0)).toISOString();
    const base = (type, id) => ({
      id,
      ts,
      session,
      agent: who,
      type,
      source: "transcript"
    });
    const msg = rec.message;
    if (rec.type === "assistant" && msg && typeof msg === "object") {
      const key = `${msg.id ?? rec.uuid}:${rec.requestId ?? ""}`;
      const model = typeof msg.model === "string" ? msg.model : "unknown";
      if (msg.usage && model !== "<synthetic>" && !memory.seen.has(key)) {
        memory.seen.add(key);
        const tokens = usageTokens(msg.usage);
        const cost = costUnits(model, tokens);
        if (cost === null) out.unknownModels.add(model);
        out.events.push({
          ...base("usage", derivedId("u", session, key)),
          model,
          messageId: msg.id ?? null,
          requestId: rec.requestId ?? null,
          tokens,
          costUsd: cost === null ? null : cost / 1e8
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
            input: block.input ?? null
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
    } else if (rec.type === "user" && msg && Array.isArray(msg.content)) {
      for (const block of msg.content) {
        if (block?.type === "tool_result" && block.is_error === true && typeof block.tool_use_id === "string") {
          out.events.push({
            ...base("error", derivedId("e", session, block.tool_use_id)),
            toolUseId: block.tool_use_id,
            tool: memory.tools.get(block.tool_use_id)?.name ?? null,
            input: capValue(memory.tools.get(block.tool_use_id)?.input ?? null, 4096),
            message: resultText(block.content).slice(0, 4096)
          });
        }
      }
    }
  }
  return out;
}
var CHUNK = 4 * 1024 * 1024;

// src/capture/import-events.ts
var str = (v) => typeof v === "string" ? v : null;
function structuralEvents(records, session, agent, agentType, config) {
  const out = [];
  const starts = /* @__PURE__ */ new Map();
  let first = null;
  let lastTs = null;
  let lastText = null;
  const cap = (v) => capValue(v, config.limits.toolOutputBytes);
  for (const rec of records) {
    const ts = str(rec?.timestamp);
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
          cwd: str(rec.cwd),
          branch: str(rec.gitBranch),
          head: null,
          model: null,
          version: str(rec.version)
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
            description: str(b.input.description),
            prompt: cap(b.input.prompt ?? null),
            subagentType: str(b.input.subagent_type)
          };
        out.push(e);
      } else if (rec.type === "user" && b?.type === "tool_result" && typeof b.tool_use_id === "string") {
        const s = starts.get(b.tool_use_id);
        const failed = b.is_error === true;
        const result = rec.toolUseResult;
        const e = {
          ...base("tool_call", b.tool_use_id),
          toolUseId: b.tool_use_id,
          tool: s?.tool ?? "unknown",
          input: cap(s?.input ?? null),
          success: !failed,
          durationMs: s ? Date.parse(ts) - Date.parse(s.ts) : null,
          output: failed ? void 0 : cap(result ?? null)
        };
        if (failed) e.error = cap(typeof b.content === "string" ? b.content : JSON.stringify(b.content));
        if (s && AGENT_TOOLS.has(s.tool) && result && typeof result === "object")
          e.launchedAgent = str(result.agentId);
        out.push(e);
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
function importSessionEvents(s, known, config) {
  const unknown = /* @__PURE__ */ new Set();
  const memory = newMemory();
  const events = [];
  let badLines = 0;
  const files = [];
  if (s.main) files.push({ file: s.main, agent: "main", type: null });
  for (const sub of s.subagents) {
    let type = null;
    try {
      type = str(JSON.parse(fs.readFileSync(sub.file.replace(/\.jsonl$/, ".meta.json"), "utf8")).agentType);
    } catch {
      type = null;
    }
    files.push({ ...sub, type });
  }
  for (const f of files) {
    const { records, badLines: bad } = parseLines(fs.readFileSync(f.file, "utf8"));
    const parsed = transcriptEvents(records, s.session, f.agent, memory);
    badLines += bad;
    for (const m of parsed.unknownModels) unknown.add(m);
    for (const e of parsed.events) if (f.type && f.agent !== "main") e.agentType = f.type;
    events.push(...parsed.events);
    if (!known) events.push(...structuralEvents(records, s.session, f.agent, f.type, config));
  }
  const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
  const lines = redacted.map((e) => JSON.stringify(e));
  return { session: s.session, events: redacted, lines, badLines, unknownModels: [...unknown] };
}

// src/capture/import-worker.ts
parentPort?.on("message", (req) => {
  let res;
  try {
    res = {
      id: req.id,
      results: req.sessions.map((s, k) => importSessionEvents(s, req.known[k], req.config))
    };
  } catch (e) {
    res = { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(res);
});
