#!/usr/bin/env node
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target2) => (target2 = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target2, "default", { value: mod, enumerable: true }) : target2,
  mod
));

// cli/bin.ts
var fs7 = __toESM(require("node:fs"), 1);
var path7 = __toESM(require("node:path"), 1);
var import_node_url = require("node:url");

// src/capture/hook.ts
var import_node_child_process2 = require("node:child_process");
var import_node_crypto5 = require("node:crypto");
var fs6 = __toESM(require("node:fs"), 1);
var os = __toESM(require("node:os"), 1);
var path6 = __toESM(require("node:path"), 1);

// src/model/canonical.ts
var import_node_crypto = require("node:crypto");
var derivedId = (kind, session, key) => `${kind}-${(0, import_node_crypto.createHash)("sha1").update(`${session}\0${key}`).digest("hex").slice(0, 32)}`;
var toolCallId = (session, agent, toolUseId) => derivedId("tool_call", session, `${agent}:${toolUseId}`);
var toolStartId = (session, agent, toolUseId) => derivedId("tool_start", session, `${agent}:${toolUseId}`);
var toolErrorId = (session, toolUseId) => derivedId("e", session, toolUseId);
var fileChangeId = (session, agent, toolUseId) => derivedId("file_change", session, `${agent}:${toolUseId}`);
function errorOutcome(text) {
  const t = text.trimStart();
  if (t.startsWith("The user doesn't want to proceed with this tool use") || t.startsWith("The user does not want to proceed") || t.startsWith("User rejected tool use") || t.startsWith("The user doesn't want to take this action"))
    return "rejected";
  if (t.startsWith("[Request interrupted by user")) return "interrupted";
  return "failed";
}

// src/model/prices.generated.ts
var PRICE_TABLE = { "source": "@pydantic/genai-prices 0.1.8", "unit": "USD per million tokens", "models": [{ "id": "claude-2", "name": "Claude 2.0 / 2.1", "match": { "or": [{ "starts_with": "claude-2" }, { "contains": "claude-v2" }] }, "prices": [{ "since": null, "input": 8, "output": 24, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 16 }] }, { "id": "claude-3-5-haiku-latest", "name": "Claude Haiku 3.5", "match": { "or": [{ "starts_with": "claude-3-5-haiku" }, { "starts_with": "claude-3.5-haiku" }] }, "prices": [{ "since": null, "input": 0.8, "output": 4, "cacheRead": 0.08, "cacheWrite5m": 1, "cacheWrite1h": 1.6 }] }, { "id": "claude-3-5-sonnet", "name": "Claude Sonnet 3.5", "match": { "or": [{ "starts_with": "claude-3-5-sonnet" }, { "starts_with": "claude-3.5-sonnet" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-3-7-sonnet-latest", "name": "Claude Sonnet 3.7", "match": { "or": [{ "starts_with": "claude-3-7-sonnet" }, { "starts_with": "claude-3.7-sonnet" }, { "starts_with": "claude-sonnet-3.7" }, { "starts_with": "claude-sonnet-3-7" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-3-haiku", "name": "Claude Haiku 3", "match": { "starts_with": "claude-3-haiku" }, "prices": [{ "since": null, "input": 0.25, "output": 1.25, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.5 }] }, { "id": "claude-3-opus-latest", "name": "Claude Opus 3", "match": { "starts_with": "claude-3-opus" }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-3-sonnet", "name": "Claude 3 Sonnet", "match": { "starts_with": "claude-3-sonnet" }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-fable-5", "name": "Claude Fable 5", "match": { "or": [{ "equals": "claude-fable-5" }, { "regex": "^claude-fable-5-\\d{8}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 20 }] }, { "id": "claude-fable-5-1", "name": "Claude Fable 5.1", "match": { "or": [{ "equals": "claude-fable-5-1" }, { "regex": "^claude-fable-5-1-\\d{8}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 0.25, "cacheWrite5m": 12.5, "cacheWrite1h": 20 }] }, { "id": "claude-haiku-4-5", "name": "Claude Haiku 4.5", "match": { "or": [{ "starts_with": "claude-haiku-4-5" }, { "starts_with": "claude-haiku-4.5" }, { "starts_with": "claude-4-5-haiku" }, { "starts_with": "claude-4.5-haiku" }] }, "prices": [{ "since": null, "input": 1, "output": 5, "cacheRead": 0.1, "cacheWrite5m": 1.25, "cacheWrite1h": 2 }] }, { "id": "claude-opus-4-0", "name": "Claude Opus 4", "match": { "or": [{ "starts_with": "claude-opus-4-0" }, { "starts_with": "claude-4-opus" }, { "equals": "claude-opus-4" }, { "equals": "claude-opus-4-20250514" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-opus-4-1", "name": "Claude Opus 4.1", "match": { "or": [{ "starts_with": "claude-opus-4-1" }, { "starts_with": "claude-opus-4.1" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-opus-4-5", "name": "Claude Opus 4.5", "match": { "or": [{ "starts_with": "claude-opus-4-5" }, { "starts_with": "claude-opus-4.5" }, { "starts_with": "claude-4-5-opus" }, { "starts_with": "claude-4.5-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-4-6", "name": "Claude Opus 4.6", "match": { "or": [{ "starts_with": "claude-opus-4-6" }, { "starts_with": "claude-opus-4.6" }, { "starts_with": "claude-4-6-opus" }, { "starts_with": "claude-4.6-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10, "long": { "threshold": 2e5, "input": 10, "output": 37.5, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 20 } }, { "since": "2026-03-13", "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }], "fast": 6 }, { "id": "claude-opus-4-7", "name": "Claude Opus 4.7", "match": { "or": [{ "starts_with": "claude-opus-4-7" }, { "starts_with": "claude-opus-4.7" }, { "starts_with": "claude-4-7-opus" }, { "starts_with": "claude-4.7-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }], "fast": 6 }, { "id": "claude-opus-4-8", "name": "Claude Opus 4.8", "match": { "or": [{ "starts_with": "claude-opus-4-8" }, { "starts_with": "claude-opus-4.8" }, { "starts_with": "claude-4-8-opus" }, { "starts_with": "claude-4.8-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-5", "name": "Claude Opus 5", "match": { "or": [{ "equals": "claude-opus-5" }, { "regex": "^claude-opus-5-\\d{8}$" }, { "starts_with": "claude-opus-5.0" }, { "starts_with": "claude-5-opus" }, { "starts_with": "claude-5.0-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-5-5", "name": "Claude Opus 5.5", "match": { "or": [{ "equals": "claude-opus-5-5" }, { "regex": "^claude-opus-5-5-\\d{8}$" }, { "starts_with": "claude-opus-5.5" }, { "starts_with": "claude-5-5-opus" }, { "starts_with": "claude-5.5-opus" }] }, "prices": [{ "since": null, "input": 4, "output": 20, "cacheRead": 0.2, "cacheWrite5m": 5, "cacheWrite1h": 8 }] }, { "id": "claude-sonnet-4-0", "name": "Claude Sonnet 4", "match": { "or": [{ "starts_with": "claude-sonnet-4-2025" }, { "starts_with": "claude-sonnet-4-0" }, { "starts_with": "claude-sonnet-4@" }, { "equals": "claude-sonnet-4" }, { "starts_with": "claude-4-sonnet" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }] }, { "id": "claude-sonnet-4-5", "name": "Claude Sonnet 4.5", "match": { "or": [{ "starts_with": "claude-sonnet-4-5" }, { "starts_with": "claude-sonnet-4.5" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }] }, { "id": "claude-sonnet-4-6", "name": "Claude Sonnet 4.6", "match": { "or": [{ "starts_with": "claude-sonnet-4-6" }, { "starts_with": "claude-sonnet-4.6" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }, { "since": "2026-03-13", "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-sonnet-5", "name": "Claude Sonnet 5", "match": { "or": [{ "starts_with": "claude-sonnet-5" }, { "starts_with": "claude-sonnet-5.0" }, { "starts_with": "claude-5-sonnet" }, { "starts_with": "claude-5.0-sonnet" }] }, "prices": [{ "since": null, "input": 2, "output": 10, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 4 }] }, { "id": "claude-v1", "match": { "equals": "claude-v1" }, "prices": [{ "since": null, "input": 8, "output": 24, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 16 }] }] };

// src/model/pricing.ts
var table = PRICE_TABLE;
var BUILTIN_PRICES = { models: table.models, overrides: {} };
var PRICE_SOURCE = table.source;

// src/model/session.ts
function sessionStatus(s, ctx) {
  if (s.ended || s.imported && !s.pid) return "ended";
  let gone;
  if (typeof s.pid === "number" && s.pid > 0 && s.host === ctx.host) gone = !ctx.alive(s.pid);
  else {
    const last = s.lastActivity ? Date.parse(s.lastActivity) : Number.NaN;
    gone = Number.isFinite(last) && ctx.now - last > ctx.crashedAfterMinutes * 6e4;
  }
  if (!gone) return "running";
  return s.lastTurnEnded ? "ended" : "crashed";
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

// src/store/config.ts
var fs3 = __toESM(require("node:fs"), 1);
var path3 = __toESM(require("node:path"), 1);

// src/model/config.ts
var DEFAULT_CONFIG = {
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
var strOrNull = (v) => typeof v === "string" && v.trim() ? v.trim() : null;
var nonNegInt = (v, d) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : d;
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var posInt = (v, d) => typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : d;
var price = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : void 0;
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
var CONFIG_FILE = ".agent-tracking.yml";

// src/store/fsutil.ts
var import_node_crypto2 = require("node:crypto");
var fs2 = __toESM(require("node:fs"), 1);
var path2 = __toESM(require("node:path"), 1);

// src/store/owner.ts
var import_node_child_process = require("node:child_process");
var fs = __toESM(require("node:fs"), 1);
var path = __toESM(require("node:path"), 1);
var target = null;
var decided = /* @__PURE__ */ new Map();
var DubiousOwnershipError = class extends Error {
  constructor(dir) {
    super(
      `${dir} is owned by another user and git's safe.directory does not allow it: nothing recorded (git config --global --add safe.directory ${dir})`
    );
  }
};
function adoptOwnership(commonDir, workTree) {
  const known = decided.get(commonDir);
  if (known !== void 0) {
    target = known;
    return;
  }
  const uid = process.getuid?.();
  let st;
  try {
    st = fs.statSync(commonDir);
  } catch {
    return;
  }
  if (uid === void 0 || st.uid === uid) {
    decided.set(commonDir, null);
    target = null;
    return;
  }
  const r = (0, import_node_child_process.spawnSync)("git", ["rev-parse", "--git-common-dir"], {
    cwd: workTree,
    stdio: ["ignore", "ignore", "pipe"]
  });
  if (r.status !== 0) throw new DubiousOwnershipError(workTree);
  const t = uid === 0 ? { uid: st.uid, gid: st.gid } : null;
  decided.set(commonDir, t);
  target = t;
}
function own(file) {
  if (!target) return;
  try {
    fs.chownSync(file, target.uid, target.gid);
  } catch {
  }
}
function mkdirOwned(dir) {
  const first = fs.mkdirSync(dir, { recursive: true });
  if (!target || !first) return;
  for (let d = dir; ; d = path.dirname(d)) {
    own(d);
    if (d === first || path.dirname(d) === d) break;
  }
}

// src/store/fsutil.ts
var budget = (() => {
  const v = Number(process.env.AGENT_TRACK_FAULT_ENOSPC_AFTER);
  return process.env.AGENT_TRACK_FAULT_ENOSPC_AFTER && Number.isFinite(v) && v >= 0 ? v : null;
})();
var enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28 });
function writeOnce(fd, buf, offset, length) {
  if (budget !== null) {
    if (budget <= 0) throw enospc();
    const n = fs2.writeSync(fd, buf, offset, Math.min(length, budget), null);
    budget -= n;
    return n;
  }
  return fs2.writeSync(fd, buf, offset, length, null);
}
function writeFull(fd, buf) {
  let done = 0;
  while (done < buf.length) {
    const n = writeOnce(fd, buf, done, buf.length - done);
    if (n <= 0) throw enospc();
    done += n;
  }
}
var tmpCounter = 0;
var tmpName = (prefix) => `${prefix}${process.pid.toString(36)}${(tmpCounter++).toString(36)}${(0, import_node_crypto2.randomBytes)(3).toString("hex")}`;
var isENOENT = (e) => e.code === "ENOENT";
function writeFileDurable(file, data, opts = {}) {
  const dir = path2.dirname(file);
  const chunks = typeof data === "string" ? [Buffer.from(data, "utf8")] : Array.isArray(data) ? data : [data];
  for (let attempt = 0; ; attempt++) {
    const tmp = path2.join(dir, tmpName(opts.tmpPrefix ?? `.${path2.basename(file)}.tmp-`));
    let fd = null;
    try {
      try {
        fd = fs2.openSync(tmp, "wx", opts.mode ?? 420);
      } catch (e) {
        if (!isENOENT(e)) throw e;
        mkdirOwned(dir);
        fd = fs2.openSync(tmp, "wx", opts.mode ?? 420);
      }
      for (const c of chunks) writeFull(fd, c);
      if (opts.fsync !== false) fs2.fsyncSync(fd);
      fs2.closeSync(fd);
      fd = null;
      own(tmp);
      fs2.renameSync(tmp, file);
      return;
    } catch (e) {
      if (fd !== null) {
        try {
          fs2.closeSync(fd);
        } catch {
        }
      }
      try {
        fs2.unlinkSync(tmp);
      } catch {
      }
      if (isENOENT(e) && attempt < 5) continue;
      throw e;
    }
  }
}
function appendWhole(fd, data) {
  let n = 0;
  let error = null;
  try {
    n = writeOnce(fd, data, 0, data.length);
    if (n === data.length) return;
  } catch (e) {
    error = e;
  }
  if (n > 0) {
    try {
      const size = fs2.fstatSync(fd).size;
      const tail = Buffer.allocUnsafe(n);
      if (size >= n && fs2.readSync(fd, tail, 0, n, size - n) === n && tail.equals(data.subarray(0, n)))
        fs2.ftruncateSync(fd, size - n);
    } catch {
    }
  }
  throw error ?? enospc();
}

// src/store/config.ts
async function loadConfig(paths) {
  const file = path3.join(paths.workTree, CONFIG_FILE);
  let st;
  try {
    st = fs3.statSync(file);
  } catch {
    return DEFAULT_CONFIG;
  }
  const key = `${st.size}:${st.mtimeMs}`;
  const cacheFile = path3.join(paths.trackingDir, "config-cache.json");
  try {
    const cached = JSON.parse(fs3.readFileSync(cacheFile, "utf8"));
    if (cached.key === key && cached.file === file) return cached.config;
  } catch {
  }
  const { parse } = await import("yaml");
  let config;
  try {
    config = normalizeConfig(parse(fs3.readFileSync(file, "utf8")));
  } catch {
    config = DEFAULT_CONFIG;
  }
  try {
    adoptOwnership(paths.commonDir, paths.workTree);
    writeFileDurable(cacheFile, JSON.stringify({ key, file, config }), { fsync: false });
  } catch {
  }
  return config;
}

// src/store/paths.ts
var fs4 = __toESM(require("node:fs"), 1);
var path4 = __toESM(require("node:path"), 1);
var TRACKING_BRANCH = "agent-tracking";
var TRACKING_REF = `refs/heads/${TRACKING_BRANCH}`;
function readGitFile(file) {
  try {
    const text = fs4.readFileSync(file, "utf8");
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
    return m ? path4.resolve(path4.dirname(file), m[1]) : null;
  } catch {
    return null;
  }
}
function findRepo(start) {
  let dir = path4.resolve(start);
  for (; ; ) {
    const dotGit = path4.join(dir, ".git");
    let gitDir = null;
    try {
      const st = fs4.statSync(dotGit);
      gitDir = st.isDirectory() ? dotGit : readGitFile(dotGit);
    } catch {
      gitDir = null;
    }
    if (gitDir) return pathsFor(dir, gitDir);
    const parent = path4.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
function pathsFor(workTree, gitDir) {
  let commonDir = gitDir;
  try {
    const rel = fs4.readFileSync(path4.join(gitDir, "commondir"), "utf8").trim();
    if (rel) commonDir = path4.resolve(gitDir, rel);
  } catch {
  }
  const trackingDir = path4.join(commonDir, "agent-tracking");
  return {
    workTree,
    gitDir,
    commonDir,
    trackingDir,
    spoolDir: path4.join(trackingDir, "spool"),
    errorsDir: path4.join(trackingDir, "errors")
  };
}
function readHead(paths) {
  try {
    const text = fs4.readFileSync(path4.join(paths.gitDir, "HEAD"), "utf8").trim();
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
    const v = fs4.readFileSync(path4.join(commonDir, ref), "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(v)) return v;
  } catch {
  }
  try {
    const packed = fs4.readFileSync(path4.join(commonDir, "packed-refs"), "utf8");
    for (const line of packed.split("\n")) {
      if (line.length > 41 && line.charCodeAt(40) === 32 && line.slice(41) === ref) return line.slice(0, 40);
    }
  } catch {
  }
  return null;
}
var formats = /* @__PURE__ */ new Map();
function objectFormat(commonDir) {
  let f = formats.get(commonDir);
  if (f === void 0) {
    f = "sha1";
    try {
      const m = /^\s*objectformat\s*=\s*"?([\w-]+)"?\s*$/im.exec(
        fs4.readFileSync(path4.join(commonDir, "config"), "utf8")
      );
      if (m) f = m[1].toLowerCase();
    } catch {
    }
    formats.set(commonDir, f);
  }
  return f;
}

// src/store/spool.ts
var fs5 = __toESM(require("node:fs"), 1);
var path5 = __toESM(require("node:path"), 1);
var safeSessionId = (s) => s.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 128) || "unknown";
var spoolFile = (paths, session) => path5.join(paths.spoolDir, `${safeSessionId(session)}.jsonl`);
var offsetFile = (spool) => spool.replace(/\.jsonl$/, ".offset");
function appendEvents(paths, session, events) {
  const file = spoolFile(paths, session);
  const data = events.map((e) => `${JSON.stringify(e)}
`).join("");
  let fd;
  try {
    fd = fs5.openSync(file, "a+");
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
    mkdirOwned(paths.spoolDir);
    fd = fs5.openSync(file, "a+");
  }
  own(file);
  try {
    appendWhole(fd, Buffer.from(data, "utf8"));
    return { file, size: fs5.fstatSync(fd).size };
  } finally {
    fs5.closeSync(fd);
  }
}
function readOffset(spool) {
  try {
    const [ino, offset] = fs5.readFileSync(offsetFile(spool), "utf8").trim().split(":").map(Number);
    return Number.isFinite(ino) && Number.isFinite(offset) ? { ino, offset } : null;
  } catch {
    return null;
  }
}
function unflushedLineCount(spool, size, limit) {
  const off = readOffset(spool);
  let start = 0;
  try {
    if (off && off.ino === fs5.statSync(spool).ino) start = off.offset;
  } catch {
    return 0;
  }
  const pending = size - start;
  if (pending <= 0) return 0;
  if (pending > limit * 8192) return limit;
  const buf = Buffer.allocUnsafe(pending);
  const fd = fs5.openSync(spool, "r");
  try {
    const n = fs5.readSync(fd, buf, 0, pending, start);
    let count = 0;
    for (let i = 0; i < n; i++) if (buf[i] === 10) count++;
    return count;
  } finally {
    fs5.closeSync(fd);
  }
}
function readSlice(file, from, bytes) {
  const fd = fs5.openSync(file, "r");
  try {
    const size = fs5.fstatSync(fd).size;
    const n = Math.min(size, bytes);
    const buf = Buffer.allocUnsafe(n);
    fs5.readSync(fd, buf, 0, n, from === "head" ? 0 : size - n);
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

// src/capture/events.ts
var import_node_crypto4 = require("node:crypto");

// src/capture/diff.ts
var import_node_crypto3 = require("node:crypto");
function gitBlobId(content) {
  const body = Buffer.from(content, "utf8");
  return (0, import_node_crypto3.createHash)("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
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
function shannonEntropy(s) {
  const counts = /* @__PURE__ */ new Map();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
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
    sha256: (0, import_node_crypto4.createHash)("sha256").update(json).digest("hex"),
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
var FILE_TEXT_KEYS = ["content", "old_string", "new_string", "originalFile", "oldString", "newString"];
function fileAware(value, file, ctx) {
  if (!file || !value || typeof value !== "object" || Array.isArray(value))
    return capValue(value, ctx.config.limits.toolOutputBytes);
  const copy = { ...value };
  for (const k of FILE_TEXT_KEYS) if (typeof copy[k] === "string") copy[k] = redactFileContent(file, copy[k]);
  if (Array.isArray(copy.structuredPatch)) {
    copy.structuredPatch = copy.structuredPatch.map(
      (h) => h && Array.isArray(h.lines) ? {
        ...h,
        lines: h.lines.map(
          (l) => typeof l === "string" ? l.slice(0, 1) + redactFileContent(file, l.slice(1)) : l
        )
      } : h
    );
  }
  for (const k of ["file_path", "filePath"])
    if (typeof copy[k] === "string") copy[k] = relPath(copy[k], ctx.workTree);
  return capValue(copy, ctx.config.limits.toolOutputBytes);
}
var filePathOf = (p) => str(p.tool_input?.file_path) ?? str(p.tool_input?.notebook_path) ?? str(p.tool_response?.filePath);
var toolInput = (p, ctx) => fileAware(p.tool_input, filePathOf(p), ctx);
function payloadToEvents(p, ctx) {
  const session = str(p.session_id);
  const hookEvent = str(p.hook_event_name);
  if (!session || !hookEvent) throw new Error("payload has no session_id or hook_event_name");
  const agent = str(p.agent_id) ?? "main";
  const ts = ctx.now();
  const useId = str(p.tool_use_id);
  const idFor = (type) => {
    if (useId) {
      if (type === "tool_call") return toolCallId(session, agent, useId);
      if (type === "tool_start") return toolStartId(session, agent, useId);
      if (type === "error") return toolErrorId(session, useId);
      if (type === "file_change") return fileChangeId(session, agent, useId);
    }
    return ctx.newId();
  };
  const base = (type = "tool_call") => {
    const e = { id: idFor(type), ts, session, agent, type };
    if (typeof p.agent_type === "string") e.agentType = p.agent_type;
    else if (agent === "main") e.agentType = "main";
    return e;
  };
  const cap = (v) => capValue(v, ctx.config.limits.toolOutputBytes);
  const tool = str(p.tool_name) ?? "unknown";
  switch (hookEvent) {
    case "SessionStart":
      return [
        {
          ...base("session_start"),
          source: str(p.source) ?? null,
          cwd: str(p.cwd) ?? null,
          branch: ctx.head?.branch ?? null,
          head: ctx.head?.head ?? null,
          model: str(p.model) ?? null,
          transcriptPath: str(p.transcript_path) ?? null,
          pid: ctx.claude?.pid ?? null,
          host: ctx.claude?.host ?? null
        }
      ];
    case "UserPromptSubmit":
      return [{ ...base("prompt"), text: cap(p.prompt ?? ""), promptId: str(p.prompt_id) ?? null }];
    case "PreToolUse": {
      const e = {
        ...base("tool_start"),
        toolUseId: str(p.tool_use_id) ?? null,
        tool,
        input: toolInput(p, ctx)
      };
      if (AGENT_TOOLS.has(tool) && p.tool_input) {
        e.launch = {
          description: str(p.tool_input.description) ?? null,
          prompt: cap(p.tool_input.prompt ?? null),
          subagentType: str(p.tool_input.subagent_type) ?? null
        };
      }
      return [e];
    }
    case "PostToolUse": {
      const call = {
        ...base("tool_call"),
        toolUseId: str(p.tool_use_id) ?? null,
        tool,
        input: toolInput(p, ctx),
        output: fileAware(p.tool_response ?? null, filePathOf(p), ctx),
        success: true,
        outcome: "success",
        durationMs: typeof p.duration_ms === "number" ? p.duration_ms : null
      };
      if (AGENT_TOOLS.has(tool) && p.tool_response && typeof p.tool_response === "object") {
        call.launchedAgent = str(p.tool_response.agentId) ?? null;
      }
      const out = [call];
      if (FILE_TOOLS.has(tool)) {
        const fc = fileChange(p, ctx, () => base("file_change"));
        if (fc) out.push(fc);
      }
      return out;
    }
    case "PostToolUseFailure": {
      const error = str(p.error) ?? "unknown error";
      const toolUseId = useId ?? null;
      const outcome = p.is_interrupt === true ? "interrupted" : errorOutcome(error);
      const call = {
        ...base("tool_call"),
        toolUseId,
        tool,
        input: toolInput(p, ctx),
        success: false,
        outcome,
        error: cap(error),
        interrupted: p.is_interrupt === true,
        durationMs: typeof p.duration_ms === "number" ? p.duration_ms : null
      };
      if (outcome !== "failed") return [call];
      return [call, { ...base("error"), source: "tool", toolUseId, tool, message: cap(error) }];
    }
    case "SubagentStart":
      return [{ ...base("agent_start"), agentId: agent }];
    case "SubagentStop":
      return [
        {
          ...base("agent_end"),
          agentId: agent,
          transcriptPath: str(p.agent_transcript_path) ?? null,
          lastMessage: cap(p.last_assistant_message ?? null)
        }
      ];
    case "PreCompact":
    case "PostCompact":
      return [
        {
          ...base("compact"),
          stage: hookEvent === "PreCompact" ? "pre" : "post",
          trigger: str(p.trigger) ?? null,
          instructions: cap(p.custom_instructions ?? null),
          summary: cap(p.compact_summary ?? null)
        }
      ];
    case "Notification":
      return [
        { ...base("notification"), message: cap(p.message ?? null), kind: str(p.notification_type) ?? null }
      ];
    case "Stop":
      return [{ ...base("stop"), lastMessage: cap(p.last_assistant_message ?? null) }];
    case "SessionEnd":
      return [{ ...base("session_end"), reason: str(p.reason) ?? null }];
    default: {
      const { session_id: _s, transcript_path: _t, cwd: _c, hook_event_name: _h, ...rest } = p;
      return [{ ...base("hook"), hookEvent, payload: cap(rest) }];
    }
  }
}
var FLUSH_EVENTS = /* @__PURE__ */ new Set(["SubagentStop", "Stop", "PreCompact", "SessionEnd"]);

// src/capture/hook.ts
function claudePid() {
  let pid = process.ppid;
  for (let i = 0; i < 3; i++) {
    try {
      const comm = fs6.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (!/^(sh|bash|dash|zsh|fish|ksh)$/.test(comm)) return pid;
      const stat = fs6.readFileSync(`/proc/${pid}/stat`, "utf8");
      pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      return null;
    }
  }
  return pid;
}
function injectionTarget(paths, payload, config, branch) {
  const source = String(payload.source ?? "");
  const session = String(payload.session_id);
  if (source === "compact" || source === "resume") return session;
  if (source !== "startup" || !config.recovery.injectOnStartup) return null;
  const previous = recentSpooledSessions(paths, 20, session).find((s) => s.branch === branch);
  if (!previous) return null;
  const status = sessionStatus(previous, {
    now: Date.now(),
    host: os.hostname(),
    alive: processAlive,
    crashedAfterMinutes: config.recovery.crashedAfterMinutes
  });
  return status === "crashed" ? previous.session : null;
}
function logFailure(paths, input, error) {
  const name = `${(/* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-")}-${process.pid}.json`;
  const record = JSON.stringify({
    error: redactText(error instanceof Error ? error.message : String(error)),
    payload: redactText(input)
  });
  const dirs = [paths?.errorsDir, path6.join(os.tmpdir(), "agent-tracking-errors")];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      mkdirOwned(dir);
      fs6.writeFileSync(path6.join(dir, name), record);
      own(path6.join(dir, name));
      return;
    } catch {
    }
  }
}
function startFlush(paths, command) {
  const child = (0, import_node_child_process2.spawn)(command[0], command.slice(1), {
    cwd: paths.workTree,
    detached: true,
    stdio: "ignore",
    env: { ...process.env, AGENT_TRACK_BACKGROUND: "1" }
  });
  child.on("error", () => {
  });
  child.unref();
}
function mayWrite(paths) {
  try {
    adoptOwnership(paths.commonDir, paths.workTree);
    return true;
  } catch {
    return false;
  }
}
async function runHook(opts) {
  let paths = null;
  try {
    if (opts.input.trim() === "") throw new Error("empty payload");
    const payload = JSON.parse(opts.input);
    if (!payload || typeof payload !== "object" || Array.isArray(payload))
      throw new Error("payload is not an object");
    const cwd = typeof payload.cwd === "string" && fs6.existsSync(payload.cwd) ? payload.cwd : opts.cwd;
    const project = process.env.CLAUDE_PROJECT_DIR;
    paths = (project && fs6.existsSync(project) ? findRepo(project) : null) ?? findRepo(cwd);
    if (!paths) return;
    if (objectFormat(paths.commonDir) !== "sha1") return;
    if (!mayWrite(paths)) return;
    const config = await loadConfig(paths);
    const hookEvent = String(payload.hook_event_name ?? "");
    const start = hookEvent === "SessionStart";
    const head = start ? readHead(paths) : void 0;
    const events = payloadToEvents(payload, {
      // the moment this process started, not after stdin and modules: hooks run async, and under load
      // the later of two hooks can finish starting first; its start time keeps Claude Code's order
      now: () => new Date(Math.round(performance.timeOrigin)).toISOString(),
      newId: import_node_crypto5.randomUUID,
      config,
      head,
      workTree: paths.workTree,
      claude: start ? { pid: claudePid(), host: os.hostname() } : void 0
    });
    const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
    const { file, size } = appendEvents(paths, String(payload.session_id), redacted);
    if (start && opts.trackCommand) {
      const target2 = injectionTarget(paths, payload, config, head?.branch ?? null);
      if (target2) {
        const r = (0, import_node_child_process2.spawnSync)(
          opts.trackCommand[0],
          [...opts.trackCommand.slice(1), "resume", "--session", target2, "--hook-output"],
          { cwd: paths.workTree, encoding: "utf8", timeout: 1e4, stdio: ["ignore", "pipe", "pipe"] }
        );
        if (r.status === 0 && r.stdout.startsWith("{")) process.stdout.write(r.stdout);
        else if (r.status !== 0) throw new Error(`no handoff for ${target2}: ${r.stderr || r.error}`);
      }
    }
    if (!opts.flushCommand) return;
    if (FLUSH_EVENTS.has(hookEvent) || unflushedLineCount(file, size, config.flush.everyEvents) >= config.flush.everyEvents) {
      const push = hookEvent === "SessionEnd" && config.tracking.pushOnSessionEnd && opts.trackCommand;
      startFlush(paths, push ? [...opts.trackCommand, "push", "--background"] : opts.flushCommand);
    }
  } catch (error) {
    logFailure(paths ?? findRepo(opts.cwd), opts.input, error);
  }
}
function readStdin() {
  return new Promise((resolve2) => {
    if (process.stdin.isTTY) return resolve2("");
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve2(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", () => resolve2(Buffer.concat(chunks).toString("utf8")));
  });
}

// cli/hook-main.ts
function main(bin) {
  const flushCommand = process.env.AGENT_TRACK_NO_FLUSH ? void 0 : [process.execPath, bin, "flush", "--background"];
  readStdin().then(
    (input) => runHook({ input, cwd: process.cwd(), flushCommand, trackCommand: [process.execPath, bin] })
  ).catch(() => {
  }).finally(() => {
    process.exitCode = 0;
  });
}

// cli/bin.ts
var self = fs7.realpathSync(process.argv[1]);
var args = process.argv.slice(2);
if (args[0] === "hook" && !args.includes("--help") && !args.includes("-h")) main(self);
else import((0, import_node_url.pathToFileURL)(path7.join(path7.dirname(self), "cli.js")).href);
