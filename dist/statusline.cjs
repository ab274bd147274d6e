"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target2, all) => {
  for (var name in all)
    __defProp(target2, name, { get: all[name], enumerable: true });
};
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
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

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
  const r2 = isObj(raw) ? raw : {};
  const sub = (k) => isObj(r2[k]) ? r2[k] : {};
  const d = DEFAULT_CONFIG;
  const extra = sub("redaction").extraPatterns;
  const allow = sub("redaction").allow;
  return {
    phase: typeof r2.phase === "string" && /^[\w.-]+$/.test(r2.phase) ? r2.phase : d.phase,
    snapshots: {
      everyAgents: posInt(sub("snapshots").everyAgents, d.snapshots.everyAgents),
      everyTokens: posInt(sub("snapshots").everyTokens, d.snapshots.everyTokens)
    },
    flush: { everyEvents: posInt(sub("flush").everyEvents, d.flush.everyEvents) },
    limits: {
      // never a value whose object would pass the branch's cap on one object (BLOB_CAP_BYTES)
      toolOutputBytes: Math.min(
        LIMIT_CAP_BYTES,
        posInt(sub("limits").toolOutputBytes, d.limits.toolOutputBytes)
      ),
      fileContentBytes: Math.min(
        LIMIT_CAP_BYTES,
        posInt(sub("limits").fileContentBytes, d.limits.fileContentBytes)
      )
    },
    redaction: {
      extraPatterns: Array.isArray(extra) ? extra.filter((p) => typeof p === "string") : [],
      allow: Array.isArray(allow) ? allow.filter((p) => typeof p === "string") : []
    },
    pricing: pricingOf(r2.pricing),
    recovery: {
      handoffBudget: posInt(sub("recovery").handoffBudget, d.recovery.handoffBudget),
      injectOnStartup: typeof sub("recovery").injectOnStartup === "boolean" ? sub("recovery").injectOnStartup : d.recovery.injectOnStartup,
      crashedAfterMinutes: posInt(sub("recovery").crashedAfterMinutes, d.recovery.crashedAfterMinutes)
    },
    tracking: {
      remote: typeof sub("tracking").remote === "string" && sub("tracking").remote.trim() ? sub("tracking").remote.trim() : d.tracking.remote,
      pushOnSessionEnd: typeof sub("tracking").pushOnSessionEnd === "boolean" ? sub("tracking").pushOnSessionEnd : d.tracking.pushOnSessionEnd
    },
    transcripts: {
      keep: typeof sub("transcripts").keep === "boolean" ? sub("transcripts").keep : d.transcripts.keep
    },
    archive: {
      bucket: strOrNull(sub("archive").bucket),
      prefix: (strOrNull(sub("archive").prefix) ?? d.archive.prefix).replace(/^\/+|\/+$/g, ""),
      keep: nonNegInt(sub("archive").keep, d.archive.keep),
      storageClass: strOrNull(sub("archive").storageClass) ?? d.archive.storageClass,
      lake: typeof sub("archive").lake === "boolean" ? sub("archive").lake : d.archive.lake,
      repo: strOrNull(sub("archive").repo),
      compact: typeof sub("archive").compact === "boolean" ? sub("archive").compact : strOrNull(sub("archive").bucket) !== null
    },
    budget: {
      session: positiveOrNull(sub("budget").session),
      phase: positiveOrNull(sub("budget").phase)
    },
    backup: {
      driveFolderId: strOrNull(sub("backup").driveFolderId),
      sharedDriveId: strOrNull(sub("backup").sharedDriveId),
      keep: nonNegInt(sub("backup").keep, d.backup.keep)
    },
    attribution: {
      trailers: typeof sub("attribution").trailers === "boolean" ? sub("attribution").trailers : d.attribution.trailers
    }
  };
}
var DEFAULT_CONFIG, positiveOrNull, strOrNull, nonNegInt, isObj, posInt, price, CONFIG_FILE, LIMIT_CAP_BYTES;
var init_config = __esm({
  "src/model/config.ts"() {
    "use strict";
    DEFAULT_CONFIG = {
      phase: "phase-1",
      snapshots: { everyAgents: 10, everyTokens: 2e4 },
      flush: { everyEvents: 50 },
      limits: { toolOutputBytes: 32 * 1024, fileContentBytes: 256 * 1024 },
      redaction: { extraPatterns: [], allow: [] },
      pricing: {},
      recovery: { handoffBudget: 2e3, injectOnStartup: true, crashedAfterMinutes: 30 },
      tracking: { remote: "origin", pushOnSessionEnd: false },
      transcripts: { keep: true },
      archive: {
        bucket: null,
        prefix: "agent-tracking",
        keep: 2,
        storageClass: "DEEP_ARCHIVE",
        lake: false,
        repo: null,
        compact: false
      },
      backup: { driveFolderId: null, sharedDriveId: null, keep: 1 },
      budget: { session: null, phase: null },
      attribution: { trailers: false }
    };
    positiveOrNull = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : null;
    strOrNull = (v) => typeof v === "string" && v.trim() ? v.trim() : null;
    nonNegInt = (v, d) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : d;
    isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
    posInt = (v, d) => typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : d;
    price = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : void 0;
    CONFIG_FILE = ".agent-tracking.yml";
    LIMIT_CAP_BYTES = 8 * 1024 * 1024;
  }
});

// src/model/canonical.ts
function errorOutcome(text) {
  const t = text.trimStart().replace(/^<tool_use_error>\s*/, "").replace(/^Error: /, "");
  if (t.startsWith("The user doesn't want to proceed with this tool use") || t.startsWith("The user does not want to proceed") || t.startsWith("User rejected tool use") || t.startsWith("The user doesn't want to take this action"))
    return "rejected";
  if (t.startsWith("[Request interrupted by user")) return "interrupted";
  if (t.startsWith("Sibling tool call errored") || t.startsWith("Cancelled: parallel tool call"))
    return "cascaded";
  if (/^Permission to use \S+ (with command [\s\S]* )?has been denied/.test(t) || t.startsWith("Permission for this action has been denied") || t.startsWith("Permission for this action was denied") || /^Claude requested permissions? to [\s\S]{0,400}?, but you haven't granted it yet/.test(t) || t.startsWith("This command requires approval") || t.startsWith("Your organization requires approval for this tool") || /^This Bash command contains multiple operations\. The following part requires approval/.test(t) || /^\S[^\n]{0,400}' was blocked\. For security, Claude Code may only /.test(t))
    return "denied";
  return "failed";
}
function toolOutcome(e) {
  if (e.outcome === "success") return "success";
  if (e.interrupted === true || e.outcome === "interrupted") return "interrupted";
  if (typeof e.outcome === "string" && e.outcome !== "failed" && TOOL_OUTCOMES.includes(e.outcome))
    return e.outcome;
  if (e.outcome === void 0 && e.success !== false) return "success";
  return typeof e.error === "string" ? errorOutcome(e.error) : "failed";
}
function canonicalEvent(e, agentTypes = {}) {
  const agentType = e.agent === "main" ? "main" : e.agentType || agentTypes[e.agent];
  const c = agentType && agentType !== e.agentType ? { ...e, agentType } : e;
  if (c.type === "tool_call") {
    const outcome2 = toolOutcome(c);
    return [c.outcome === outcome2 ? c : { ...c, outcome: outcome2 }];
  }
  if (c.type !== "error") return [c];
  const outcome = errorOutcome(String(c.message ?? c.error ?? ""));
  const out = [];
  const useId = typeof c.toolUseId === "string" ? c.toolUseId : null;
  if (useId && c.source === "transcript")
    out.push({
      id: toolCallId(c.session, c.agent, useId),
      ts: c.ts,
      session: c.session,
      agent: c.agent,
      ...agentType ? { agentType } : {},
      type: "tool_call",
      source: "transcript",
      toolUseId: useId,
      tool: c.tool ?? "unknown",
      input: c.input ?? null,
      success: false,
      outcome,
      error: c.message ?? null,
      durationMs: null
    });
  if (outcome === "failed") out.push(c.outcome === outcome ? c : { ...c, outcome });
  return out;
}
var import_node_crypto, derivedId, toolCallId, toolStartId, toolErrorId, fileChangeId, TOOL_OUTCOMES;
var init_canonical = __esm({
  "src/model/canonical.ts"() {
    "use strict";
    import_node_crypto = require("node:crypto");
    derivedId = (kind, session, key) => `${kind}-${(0, import_node_crypto.createHash)("sha1").update(`${session}\0${key}`).digest("hex").slice(0, 32)}`;
    toolCallId = (session, agent, toolUseId) => derivedId("tool_call", session, `${agent}:${toolUseId}`);
    toolStartId = (session, agent, toolUseId) => derivedId("tool_start", session, `${agent}:${toolUseId}`);
    toolErrorId = (session, toolUseId) => derivedId("e", session, toolUseId);
    fileChangeId = (session, agent, toolUseId) => derivedId("file_change", session, `${agent}:${toolUseId}`);
    TOOL_OUTCOMES = [
      "success",
      "failed",
      "rejected",
      "denied",
      "interrupted",
      "cascaded"
    ];
  }
});

// src/store/paths.ts
function readGitFile(file) {
  try {
    const text = fs.readFileSync(file, "utf8");
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
    return m ? path.resolve(path.dirname(file), m[1]) : null;
  } catch {
    return null;
  }
}
function findRepo(start) {
  let dir = path.resolve(start);
  for (; ; ) {
    const dotGit = path.join(dir, ".git");
    let gitDir = null;
    try {
      const st = fs.statSync(dotGit);
      gitDir = st.isDirectory() ? dotGit : readGitFile(dotGit);
    } catch {
      gitDir = null;
    }
    if (gitDir) return pathsFor(dir, gitDir);
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
function pathsFor(workTree, gitDir) {
  let commonDir = gitDir;
  try {
    const rel = fs.readFileSync(path.join(gitDir, "commondir"), "utf8").trim();
    if (rel) commonDir = path.resolve(gitDir, rel);
  } catch {
  }
  const trackingDir = path.join(commonDir, "agent-tracking");
  return {
    workTree,
    gitDir,
    commonDir,
    trackingDir,
    spoolDir: path.join(trackingDir, "spool"),
    errorsDir: path.join(trackingDir, "errors")
  };
}
var fs, path, TRACKING_BRANCH, TRACKING_REF;
var init_paths = __esm({
  "src/store/paths.ts"() {
    "use strict";
    fs = __toESM(require("node:fs"), 1);
    path = __toESM(require("node:path"), 1);
    TRACKING_BRANCH = "agent-tracking";
    TRACKING_REF = `refs/heads/${TRACKING_BRANCH}`;
  }
});

// src/store/owner.ts
function adoptOwnership(commonDir, workTree) {
  const known = decided.get(commonDir);
  if (known !== void 0) {
    target = known;
    return;
  }
  const uid = process.getuid?.();
  let st;
  try {
    st = fs2.statSync(commonDir);
  } catch {
    return;
  }
  if (uid === void 0 || st.uid === uid) {
    decided.set(commonDir, null);
    target = null;
    return;
  }
  const r2 = (0, import_node_child_process.spawnSync)("git", ["rev-parse", "--git-common-dir"], {
    cwd: workTree,
    stdio: ["ignore", "ignore", "pipe"]
  });
  if (r2.status !== 0) throw new DubiousOwnershipError(workTree);
  const t = uid === 0 ? { uid: st.uid, gid: st.gid } : null;
  decided.set(commonDir, t);
  target = t;
}
function own(file) {
  if (!target) return;
  try {
    fs2.chownSync(file, target.uid, target.gid);
  } catch {
  }
}
function mkdirOwned(dir) {
  const first = fs2.mkdirSync(dir, { recursive: true });
  if (!target || !first) return;
  for (let d = dir; ; d = path2.dirname(d)) {
    own(d);
    if (d === first || path2.dirname(d) === d) break;
  }
}
var import_node_child_process, fs2, path2, target, decided, DubiousOwnershipError;
var init_owner = __esm({
  "src/store/owner.ts"() {
    "use strict";
    import_node_child_process = require("node:child_process");
    fs2 = __toESM(require("node:fs"), 1);
    path2 = __toESM(require("node:path"), 1);
    target = null;
    decided = /* @__PURE__ */ new Map();
    DubiousOwnershipError = class extends Error {
      constructor(dir) {
        super(
          `${dir} is owned by another user and git's safe.directory does not allow it: nothing recorded (git config --global --add safe.directory ${dir})`
        );
      }
    };
  }
});

// src/store/fsutil.ts
function writeOnce(fd, buf, offset, length) {
  if (budget !== null) {
    if (budget <= 0) throw enospc();
    const n2 = fs3.writeSync(fd, buf, offset, Math.min(length, budget), null);
    budget -= n2;
    return n2;
  }
  return fs3.writeSync(fd, buf, offset, length, null);
}
function writeFull(fd, buf) {
  let done = 0;
  while (done < buf.length) {
    const n2 = writeOnce(fd, buf, done, buf.length - done);
    if (n2 <= 0) throw enospc();
    done += n2;
  }
}
function writeFileDurable(file, data, opts = {}) {
  const dir = path3.dirname(file);
  const chunks = typeof data === "string" ? [Buffer.from(data, "utf8")] : Array.isArray(data) ? data : [data];
  for (let attempt = 0; ; attempt++) {
    const tmp = path3.join(dir, tmpName(opts.tmpPrefix ?? `.${path3.basename(file)}.tmp-`));
    let fd = null;
    try {
      try {
        fd = fs3.openSync(tmp, "wx", opts.mode ?? 420);
      } catch (e) {
        if (!isENOENT(e)) throw e;
        mkdirOwned(dir);
        fd = fs3.openSync(tmp, "wx", opts.mode ?? 420);
      }
      for (const c of chunks) writeFull(fd, c);
      if (opts.fsync !== false) fs3.fsyncSync(fd);
      fs3.closeSync(fd);
      fd = null;
      own(tmp);
      fs3.renameSync(tmp, file);
      return;
    } catch (e) {
      if (fd !== null) {
        try {
          fs3.closeSync(fd);
        } catch {
        }
      }
      try {
        fs3.unlinkSync(tmp);
      } catch {
      }
      if (isENOENT(e) && attempt < 5) continue;
      throw e;
    }
  }
}
function appendWhole(fd, data) {
  let n2 = 0;
  let error = null;
  try {
    n2 = writeOnce(fd, data, 0, data.length);
    if (n2 === data.length) return;
  } catch (e) {
    error = e;
  }
  if (n2 > 0) {
    try {
      const size = fs3.fstatSync(fd).size;
      const tail = Buffer.allocUnsafe(n2);
      if (size >= n2 && fs3.readSync(fd, tail, 0, n2, size - n2) === n2 && tail.equals(data.subarray(0, n2)))
        fs3.ftruncateSync(fd, size - n2);
    } catch {
    }
  }
  throw error ?? enospc();
}
var import_node_crypto2, fs3, path3, budget, enospc, tmpCounter, tmpName, isENOENT;
var init_fsutil = __esm({
  "src/store/fsutil.ts"() {
    "use strict";
    import_node_crypto2 = require("node:crypto");
    fs3 = __toESM(require("node:fs"), 1);
    path3 = __toESM(require("node:path"), 1);
    init_owner();
    budget = (() => {
      const v = Number(process.env.AGENT_TRACK_FAULT_ENOSPC_AFTER);
      return process.env.AGENT_TRACK_FAULT_ENOSPC_AFTER && Number.isFinite(v) && v >= 0 ? v : null;
    })();
    enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28 });
    tmpCounter = 0;
    tmpName = (prefix) => `${prefix}${process.pid.toString(36)}${(tmpCounter++).toString(36)}${(0, import_node_crypto2.randomBytes)(3).toString("hex")}`;
    isENOENT = (e) => e.code === "ENOENT";
  }
});

// src/store/spool.ts
function rawWaiting(paths) {
  try {
    return fs4.readdirSync(rawSpoolDir(paths)).some((n2) => RAW_NAME.test(n2) || n2 === RAW_NOTE);
  } catch {
    return false;
  }
}
function appendEvents(paths, session, events) {
  const file = spoolFile(paths, session);
  const data = events.map((e) => `${JSON.stringify(e)}
`).join("");
  let fd;
  try {
    fd = fs4.openSync(file, "a+");
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
    mkdirOwned(paths.spoolDir);
    fd = fs4.openSync(file, "a+");
  }
  own(file);
  try {
    appendWhole(fd, Buffer.from(data, "utf8"));
    return { file, size: fs4.fstatSync(fd).size };
  } finally {
    fs4.closeSync(fd);
  }
}
function readOffset(spool) {
  try {
    const [ino, offset] = fs4.readFileSync(offsetFile(spool), "utf8").trim().split(":").map(Number);
    return Number.isFinite(ino) && Number.isFinite(offset) ? { ino, offset } : null;
  } catch {
    return null;
  }
}
var fs4, path4, safeSessionId, spoolFile, offsetFile, rawSpoolDir, rawLockFile, RAW_NAME, RAW_NOTE;
var init_spool = __esm({
  "src/store/spool.ts"() {
    "use strict";
    fs4 = __toESM(require("node:fs"), 1);
    path4 = __toESM(require("node:path"), 1);
    init_fsutil();
    init_owner();
    safeSessionId = (s2) => s2.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 128) || "unknown";
    spoolFile = (paths, session) => path4.join(paths.spoolDir, `${safeSessionId(session)}.jsonl`);
    offsetFile = (spool) => spool.replace(/\.jsonl$/, ".offset");
    rawSpoolDir = (paths) => path4.join(paths.trackingDir, "raw");
    rawLockFile = (paths) => path4.join(paths.trackingDir, "raw.lock");
    RAW_NAME = /^(\d+)-(\d+)\.json$/;
    RAW_NOTE = ".converting";
  }
});

// src/model/redact-allow.ts
function containsStopword(value) {
  stopwords ??= new Set(STOPWORDS_TEXT.split(" ").filter((w) => /^[a-z]{4,}$/.test(w)));
  const words = value.match(/[A-Z]?[a-z]{3,}|[A-Z]{4,}(?![a-z])/g);
  if (!words) return false;
  for (const w of words) if (w.length >= 4 && stopwords.has(w.toLowerCase())) return true;
  return false;
}
var PUBLIC_EXAMPLES, isPublicExample, STOPWORDS_TEXT, stopwords;
var init_redact_allow = __esm({
  "src/model/redact-allow.ts"() {
    "use strict";
    PUBLIC_EXAMPLES = /* @__PURE__ */ new Set([
      // gitleaks gcp-api-key allowlist: the Firebase SDKs' example keys
      "AIzaSyabcdefghijklmnopqrstuvwxyz1234567",
      "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs",
      "AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM",
      "AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU",
      "AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0",
      "AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
      "AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c",
      "AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4",
      "AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY",
      "AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM",
      "AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ",
      "AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g",
      "AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU",
      "AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw",
      "AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE",
      "AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY",
      // gitleaks generic-api-key stopword: Yarn's public Algolia search key (yarnpkg/berry#6201)
      "6fe4476ee5a1832882e326b506d14126",
      // gitleaks global stopword: the Checkmarx Python SDK README's client secret
      "014df517-39d1-4453-b7b3-9930c563627c",
      // gitleaks nuget-config-password allowlist: learn.microsoft.com's nuget.config samples
      "33f!!lloppa",
      "hal+9ooo_da!sY"
    ]);
    isPublicExample = (value) => PUBLIC_EXAMPLES.has(value);
    STOPWORDS_TEXT = "000000 _ec2_ aaaaaa about abstract academy acces account act- act. act_ action active actively activity adapter add- add-on add. add_ addon addres admin adobe advanced adventure agent agile air- air. air_ ajax akka alert alfred algorithm all- all. all_ alloy alpha amazon amqp analysi analytic analyzer android angular angularj animate animation another ansible answer ant- ant. ant_ any- any. any_ apache app- app. app_ apple arch archive archived arduino array art- art. art_ article asp- asp. asp_ asset async atom attention audio audit aura auth author authorize auto automated automatic awesome aws_ azure back backbone backend backup bar- bar. bar_ base based bash basic batch been beer behavior being benchmark best beta better big- big. big_ binary binding bit- bit. bit_ bitcoin block blog board book bookmark boost boot bootstrap bosh bot- bot. bot_ bower box- box. box_ boxen bracket branch bridge browser brunch buffer bug- bug. bug_ build builder building buildout buildpack built bundle busines but- but. but_ button cache caching cakephp calendar call camera campfire can- can. can_ canva captcha capture card carousel case cassandra cat- cat. cat_ category center cento challenge change changelog channel chart chat cheat check checker chef ches chinese chosen chrome ckeditor clas classe classic clean cli- cli. cli_ client clojure clone closure cloud club cluster cms- cms_ coco code coding coffee color combination combo command commander comment commit common community compas compiler complete component composer computer computing con- con. con_ concept conf config connect connector console contact container contao content contest context control convert converter conway' cookbook cookie cool copy cordova core couchbase couchdb countdown counter course craft crawler create creating creator credential crm- crm. crm_ cros crud csv- csv. csv_ cube cucumber cuda current currently custom daemon dark dart dash dashboard data database date day- day. day_ dead debian debug debugger deck define del- del. del_ delete demo deploy design designer desktop detection detector dev- dev. dev_ develop developer device devise diff digital directive directory discovery display django dns- dns_ doc- doc. doc_ docker docpad doctrine document doe- doe. doe_ dojo dom- dom. dom_ domain don't done dot- dot. dot_ dotfile download draft drag drill drive driven driver drop dropbox drupal dsl- dsl. dsl_ dynamic easy ecdsa eclipse edit editing edition editor element emac email embed embedded ember emitter emulator encoding endpoint engine english enhanced entity entry env_ episode erlang error espresso event evented example exchange exercise experiment expire exploit explorer export exporter expres ext- ext. ext_ extended extension external extra extractor fabric facebook factory fake fast feature feed fewfwef ffmpeg field file filter find finder firefox firmware first fish fix- fix_ flash flask flat flex flexible flickr flow fluent fluentd fluid folder font force foreman fork form format formatter forum foundry framework free friend friendly front-end frontend ftp- ftp. ftp_ fuel full fun- fun. fun_ func future gaia gallery game gateway gem- gem. gem_ gen- gen. gen_ general generator generic genetic get- get. get_ getenv getting ghost gist git- git. git_ github gitignore gitlab glas gmail gnome gnu- gnu. gnu_ goal golang gollum good google gpu- gpu. gpu_ gradle grail graph graphic great grid groovy group grunt guard gui- gui. gui_ guide guideline gulp gwt- gwt. gwt_ hack hackathon hacker hacking hadoop haml handler hardware has- has_ hash haskell have haxe hello help helper here hero heroku high hipchat history home homebrew homepage hook host hosting hot- hot. hot_ house how- how. how_ html http hub- hub. hub_ hubot human icon ide- ide. ide_ idea identity idiomatic image impact import important importer impres index infinite info injection inline input inside inspector instagram install installer instant intellij interface internet interview into intro ionic iphone ipython irc- irc_ iso- iso. iso_ issue jade jasmine java jbos jekyll jenkin jetbrains job- job. job_ joomla jpa- jpa. jpa_ jquery json just kafka karma kata kernel keyboard kindle kit- kit. kit_ kitchen knife koan kohana lab- lab. lab_ lambda lamp language laravel last latest latex launcher layer layout lazy ldap leaflet league learn learning led- led. led_ leetcode les- les. les_ level leveldb lib- lib. lib_ librarie library license life liferay light lightbox like line link linked linkedin linux lisp list lite little load loader local location lock log- log. log_ logger logging logic login logstash longer look love lua- lua. lua_ mac- mac. mac_ machine made magento magic mail make maker making man- man. man_ manage manager manifest manual map- map. map_ mapper mapping markdown markup master math matrix maven md5 mean media mediawiki meetup memcached memory menu merchant message messaging meta metadata meteor method metric micro middleman migration minecraft miner mini minimal mirror mit- mit. mit_ mobile mocha mock mod- mod. mod_ mode model modern modular module modx money mongo mongodb mongoid mongoose monitor monkey more motion moved movie mozilla mqtt mule multi multiple music mustache mvc- mvc. mvc_ mysql nagio name native need neo- neo. neo_ nest nested net- net. net_ nette network new- new. new_ next nginx ninja nlp- nlp. nlp_ node nodej nosql not- not. not_ note notebook notepad notice notifier now- now. now_ number oauth object objective obsolete ocaml octopres official old- old. old_ onboard online only open opencv opengl openshift openwrt option oracle org- org. org_ origin original orm- orm. orm_ osx- osx_ our- our. our_ out- out. out_ output over overview own- own. own_ pack package packet page panel paper paperclip para parallax parallel parse parser parsing particle party password patch path pattern payment paypal pdf- pdf. pdf_ pebble people perl personal phalcon phoenix phone phonegap photo php- php. php_ physic picker pipeline platform play player please plu- plu. plu_ plug-in plugin plupload png- png. png_ poker polyfill polymer pool pop- pop. pop_ popcorn popup port portable portal portfolio post power powered powerful prelude pretty preview principle print pro- pro. pro_ problem proc product profile profiler program progres project protocol prototype provider proxy public pull puppet pure purpose push pusher pyramid python quality query queue quick rabbitmq rack radio rail railscast random range raspberry rdf- rdf. rdf_ react reactive read reader readme ready real real-time reality realtime recipe recorder red- red. red_ reddit redi redmine reference refinery refresh registry related release remote rendering repo report request require required requirej research resource response resque rest restful resume reveal reverse review riak rich right ring robot role room router routing rpc- rpc. rpc_ rpg- rpg. rpg_ rspec ruby- ruby. ruby_ rule run- run. run_ runner running runtime rust rvm- rvm. rvm_ salt sample sandbox sas- sas. sas_ sbt- sbt. sbt_ scala scalable scanner schema scheme school science scraper scratch screen script scroll scs- scs. scs_ sdk- sdk. sdk_ sdl- sdl. sdl_ search secure security see- see. see_ seed select selector selenium semantic sencha send sentiment serie server service session set- set. set_ setting setup sha1 sha2 sha256 share shared sharing sheet shell shield shipping shop shopify shortener should show showcase side silex simple simulator single site skeleton sketch skin slack slide slider slim small smart smtp snake snapshot snippet soap social socket software solarized solr solution solver some soon source space spark spatial spec sphinx spine spotify spree spring sprite sql- sql. sql_ sqlite ssh- ssh. ssh_ stack staging standard stanford start started starter startup stat statamic state static statistic statsd statu steam step still stm- stm. stm_ storage store storm story strategy stream streaming string stripe structure studio study stuff style sublime sugar suite summary super support supported svg- svg. svg_ svn- svn. svn_ swagger swift switch switcher symfony symphony sync synopsi syntax system tab- tab. tab_ table tag- tag. tag_ talk target task tcp- tcp. tcp_ tdd- tdd. tdd_ team tech template term terminal testing tetri text textmate theme theory three thrift time timeline timer tiny tinymce tip- tip. tip_ title todo todomvc token tool toolbox toolkit top- top. top_ tornado touch tower tracker tracking traffic training transfer translate transport tree trello try- try. try_ tumblr tut- tut. tut_ tutorial tweet twig twitter type typo ubuntu uiview ultimate under unit unity universal unix update updated upgrade upload uploader uri- uri. uri_ url- url. url_ usage usb- usb. usb_ use- use. use_ used useful user using util utilitie utility vagrant validator value variou varnish version via- via. via_ video view viewer vim- vim. vim_ vimrc virtual vision visual vpn want warning watch watcher wave way- way. way_ weather web- web_ webapp webgl webhook webkit webrtc website websocket welcome what what' when where which why- why. why_ widget wifi wiki win- win. win_ window wip- wip. wip_ within without wizard word wordpres work worker workflow working workshop world wrapper write writer writing written www- www. www_ xamarin xcode xml- xml. xml_ xmpp xxxxxx yahoo yaml yandex yeoman yet- yet. yet_ yii- yii. yii_ youtube yui- yui. yui_ zend zero zip- zip. zip_ zsh- zsh. zsh_";
    stopwords = null;
  }
});

// src/model/redact-rules.ts
function variedEnough(s2) {
  const body = s2.replace(/^[A-Za-z]{1,12}[_.-]/, "");
  if (/(.)\1{7}/.test(body) || /(.{2,4})\1{3}/.test(body)) return false;
  if (/^[xX*0._-]+$/.test(body) || /x{6}|X{6}/.test(body)) return false;
  if (/EXAMPLE$|EXAMPLEKEY/.test(s2)) return false;
  if (sequentialRun(body, 7)) return false;
  return new Set(body).size >= Math.min(8, Math.ceil(body.length / 4));
}
function sequentialRun(v, len) {
  let run = 1;
  for (let i = 1; i < v.length; i++) {
    run = v.charCodeAt(i) === v.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= len) return true;
  }
  return false;
}
var B, E, b64, r, varied, exact, TOKEN_RULES, ALL_HINTS;
var init_redact_rules = __esm({
  "src/model/redact-rules.ts"() {
    "use strict";
    B = String.raw`(?<![A-Za-z0-9_])`;
    E = String.raw`(?![A-Za-z0-9_])`;
    b64 = "A-Za-z0-9+/";
    r = (kind, hints, source, flags = "", extra = {}) => {
      let re = null;
      return {
        kind,
        hints,
        get re() {
          re ??= new RegExp(source, `g${flags}`);
          return re;
        },
        group: extra.group,
        lead: extra.lead,
        check: extra.check ?? variedEnough
      };
    };
    varied = { check: variedEnough };
    exact = { check: () => true };
    TOKEN_RULES = [
      // PEM / OpenSSH / PGP private keys (also JSON-escaped, with literal \n between lines)
      r(
        "private-key",
        ["private key"],
        String.raw`-----BEGIN[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,200000}?-----END[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s:,.\\-]{64,200000})`,
        "",
        { check: (s2) => /[A-Za-z0-9+/]{40}/.test(s2) }
      ),
      r(
        "putty-private-key",
        ["putty-user-key-file"],
        String.raw`PuTTY-User-Key-File-\d: [\s\S]{0,20000}?Private-MAC: [0-9a-f]{40,64}`
      ),
      r(
        "age-secret-key",
        ["age-secret-key-1"],
        String.raw`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`,
        "",
        exact
      ),
      // AWS: access key ids (the secret half is caught by keyword), Bedrock API keys
      r(
        "aws-access-key",
        ["akia", "asia", "abia", "acca", "a3t"],
        String.raw`${B}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}${E}`,
        "",
        varied
      ),
      r("aws-bedrock-key", ["absk"], String.raw`${B}ABSK[A-Za-z0-9+/]{109,269}={0,2}`),
      // GitHub: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained tokens
      r(
        "github-token",
        ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        String.raw`${B}gh[pousr]_[A-Za-z0-9]{36,255}${E}`,
        "",
        varied
      ),
      r("github-token", ["github_pat_"], String.raw`${B}github_pat_[A-Za-z0-9_]{60,255}${E}`, "", varied),
      // GitLab's documented token prefixes
      r(
        "gitlab-token",
        [
          "glpat-",
          "gldt-",
          "glft-",
          "glimt-",
          "glptt-",
          "glrt-",
          "glrtr-",
          "glcbt-",
          "glsoat-",
          "glagent-",
          "gloas-",
          "glffct-",
          "glwt-",
          "gr1348941"
        ],
        String.raw`${B}(?:glpat|gldt|glft|glimt|glptt|glrt|glrtr|glcbt|glsoat|glagent|gloas|glffct|glwt)-[A-Za-z0-9_-]{20,300}(?:\.[A-Za-z0-9]{2}\.?[A-Za-z0-9]{7,9})?${E}|${B}GR1348941[A-Za-z0-9_-]{20,64}${E}`,
        "",
        varied
      ),
      r("gitlab-session", ["_gitlab_session="], String.raw`_gitlab_session=[0-9a-z]{32}`),
      // Anthropic, OpenAI, Perplexity, Groq, xAI, Cohere-style prefixed keys
      // exact length and suffix, but a documentation filler (`…-klmnopqrstuvwx-…`) is still no key
      r(
        "anthropic-key",
        ["sk-ant-"],
        String.raw`${B}sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{93}AA${E}`,
        "",
        varied
      ),
      r(
        "anthropic-key",
        ["sk-ant-"],
        String.raw`${B}sk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{20,200}`,
        "",
        varied
      ),
      r(
        "openai-key",
        ["t3blbkfj"],
        String.raw`${B}sk-(?:(?:proj|svcacct|service|admin)-)?[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}`
      ),
      r(
        "openai-key",
        ["sk-proj-", "sk-svcacct-", "sk-admin-"],
        String.raw`${B}sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}`,
        "",
        varied
      ),
      r("perplexity-key", ["pplx-"], String.raw`${B}pplx-[A-Za-z0-9]{48}${E}`, "", varied),
      r("groq-key", ["gsk_"], String.raw`${B}gsk_[A-Za-z0-9]{52}${E}`, "", varied),
      r("xai-key", ["xai-"], String.raw`${B}xai-[A-Za-z0-9]{80}${E}`, "", varied),
      // Slack: bot, user, app-level, configuration, refresh, legacy tokens and webhooks
      r(
        "slack-token",
        ["xox"],
        [
          String.raw`${B}xoxb-\d{8,13}-\d{8,13}-?[A-Za-z0-9-]{0,60}`,
          // bot
          String.raw`${B}xoxb-\d{8,14}-[A-Za-z0-9]{18,26}${E}`,
          // legacy bot
          String.raw`${B}xox[pe](?:-\d{8,13}){3}-[A-Za-z0-9-]{28,34}`,
          // user, enterprise
          String.raw`${B}xox[os]-\d{1,20}-\d{1,20}-\d{1,20}-[a-fA-F0-9]{1,64}`,
          // legacy
          String.raw`${B}xox[ar]-(?:\d-)?[0-9A-Za-z]{8,48}(?:-[0-9A-Za-z]{1,48}){0,6}`,
          // legacy workspace
          String.raw`${B}xoxe\.xox[bp]-\d-[A-Za-z0-9]{163,166}`,
          // configuration
          String.raw`${B}xoxe-\d-[A-Za-z0-9]{146}`
          // refresh
        ].join("|"),
        "",
        { check: (s2) => /\d/.test(s2) && !/x{4}|X{4}/.test(s2) }
      ),
      r("slack-app-token", ["xapp-"], String.raw`${B}xapp-\d-[A-Z0-9]{6,20}-\d{6,20}-[a-z0-9]{20,100}`, "i"),
      r(
        "slack-webhook",
        ["hooks.slack.com"],
        String.raw`(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,200}`,
        "",
        varied
      ),
      // Google: API keys, OAuth client secrets and refresh/access tokens
      r("google-api-key", ["aiza"], String.raw`${B}AIza[0-9A-Za-z_-]{35}${E}`, "", varied),
      r("google-oauth-secret", ["gocspx-"], String.raw`${B}GOCSPX-[A-Za-z0-9_-]{28}${E}`),
      r("google-oauth-token", ["ya29."], String.raw`${B}ya29\.[0-9A-Za-z_-]{30,400}`),
      // JSON Web Tokens (header.payload[.signature]), including Grafana's and Sentry's embedded ones
      r(
        "jwt",
        ["eyj"],
        String.raw`${B}eyJ[A-Za-z0-9_-]{10,4096}\.eyJ[A-Za-z0-9_/\\-]{10,8192}\.?(?:[A-Za-z0-9_/\\-]{10,4096}={0,2})?`
      ),
      // payment
      r("stripe-key", ["sk_", "rk_"], String.raw`${B}(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,255}${E}`, "", {
        check: (s2) => variedEnough(s2) && /\d/.test(s2)
      }),
      // Plaid: access and public tokens are `<kind>-<environment>-<uuid>` (plaid.com/docs/api/tokens)
      r(
        "plaid-token",
        ["access-sandbox-", "access-development-", "access-production-", "public-sandbox-", "public-production-"],
        String.raw`${B}(?:access|public)-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${E}`,
        "i"
      ),
      r("stripe-webhook-secret", ["whsec_"], String.raw`${B}whsec_[A-Za-z0-9]{32,64}${E}`, "", varied),
      r(
        "square-token",
        ["sq0atp-", "sq0csp-", "eaaa"],
        String.raw`${B}(?:sq0atp-[A-Za-z0-9_-]{22,60}|sq0csp-[A-Za-z0-9_\\^\][-]{43,60}|EAAA[A-Za-z0-9_-]{60})`,
        "",
        varied
      ),
      r(
        "flutterwave-key",
        ["flwseck", "flwpubk"],
        String.raw`${B}FLW(?:SECK|PUBK)_TEST-[a-hA-H0-9]{12,32}(?:-X)?`,
        "",
        varied
      ),
      r("shippo-token", ["shippo_"], String.raw`${B}shippo_(?:live|test)_[a-fA-F0-9]{40}${E}`, "", varied),
      r("easypost-key", ["ezak", "eztk"], String.raw`${B}EZ[AT]K[A-Za-z0-9]{54}${E}`, "", varied),
      r("duffel-token", ["duffel_"], String.raw`${B}duffel_(?:test|live)_[A-Za-z0-9_=-]{43}`, "", varied),
      r("coinbase-key", ["organizations/"], String.raw`organizations/[0-9a-f-]{36}/apiKeys/[0-9a-f-]{36}`),
      // package registries
      r("npm-token", ["npm_"], String.raw`${B}npm_[A-Za-z0-9]{36}${E}`, "", varied),
      r("pypi-token", ["pypi-ageichlwas5vcmc"], String.raw`${B}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,400}`),
      r("rubygems-token", ["rubygems_"], String.raw`${B}rubygems_[a-f0-9]{48}${E}`, "", varied),
      r("clojars-token", ["clojars_"], String.raw`${B}CLOJARS_[A-Za-z0-9]{60}${E}`, "i", varied),
      r(
        "docker-token",
        ["dckr_pat_", "dckr_oat_"],
        String.raw`${B}dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,64}`,
        "",
        varied
      ),
      r("nuget-key", ["oy2"], String.raw`${B}oy2[a-z0-9]{43}${E}`, "", {
        check: (s2) => variedEnough(s2) && /\d/.test(s2.slice(3))
      }),
      r("artifactory-key", ["akcp"], String.raw`${B}AKCp[A-Za-z0-9]{69}${E}`, "", varied),
      r("artifactory-token", ["cmvmd"], String.raw`${B}cmVmd[A-Za-z0-9]{59}${E}`, "", varied),
      // cloud and infrastructure
      // gitleaks' azure-ad-client-secret: the secret's own alphabet (`~`, `.`, `-`) may not continue it
      r("azure-ad-client-secret", ["q~"], String.raw`Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`, "", {
        lead: /(?<![A-Za-z0-9_~.])[A-Za-z0-9_~.]{3}\d$/
      }),
      r(
        "azure-storage-key",
        ["accountkey=", "sharedaccesskey="],
        String.raw`(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{40,88}={0,2})`,
        "i",
        { group: 1 }
      ),
      r(
        "azure-sas-token",
        ["sig="],
        String.raw`[?&]sv=\d{4}-\d{2}-\d{2}[^\s"']{0,300}?&sig=([A-Za-z0-9%+/]{30,100}(?:%3D|=){0,2})`,
        "i",
        {
          group: 1
        }
      ),
      r(
        "digitalocean-token",
        ["dop_v1_", "doo_v1_", "dor_v1_"],
        String.raw`${B}do[opr]_v1_[a-f0-9]{64}${E}`,
        "",
        varied
      ),
      r("databricks-token", ["dapi"], String.raw`${B}dapi[a-f0-9]{32}(?:-\d)?${E}`, "", varied),
      r("cloudflare-origin-ca-key", ["v1.0-"], String.raw`${B}v1\.0-[a-f0-9]{24}-[a-f0-9]{146}${E}`),
      r("alibaba-access-key", ["ltai"], String.raw`${B}LTAI[A-Za-z0-9]{20}${E}`, "", varied),
      r("hashicorp-terraform-token", [".atlasv1."], String.raw`\.atlasv1\.[A-Za-z0-9_=-]{60,70}${E}`, "", {
        lead: /(?<![A-Za-z0-9_])[A-Za-z0-9]{14}$/
      }),
      r("vault-token", ["hvs.", "hvb.", "hvr."], String.raw`${B}hv[sbr]\.[A-Za-z0-9_-]{24,300}${E}`, "", varied),
      r("vault-batch-token", ["b.aaaaaqj"], String.raw`${B}b\.AAAAAQ[A-Za-z0-9_-]{138,300}${E}`),
      r("heroku-key", ["hrku-"], String.raw`${B}HRKU-AA[A-Za-z0-9_-]{58}${E}`, "", varied),
      r(
        "flyio-token",
        ["fo1_", "fm1a_", "fm1r_", "fm2_"],
        String.raw`${B}(?:fo1_[A-Za-z0-9_-]{43}|fm1[ar]_[${b64}]{100,4096}={0,3}|fm2_[${b64}]{100,4096}={0,3})`,
        "",
        varied
      ),
      r("pulumi-token", ["pul-"], String.raw`${B}pul-[a-f0-9]{40}${E}`, "", varied),
      r(
        "doppler-token",
        ["dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."],
        String.raw`${B}dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}${E}`,
        "i",
        varied
      ),
      r(
        "planetscale-token",
        ["pscale_"],
        String.raw`${B}pscale_(?:pw|tkn|oauth)_[A-Za-z0-9_.=-]{32,64}`,
        "",
        varied
      ),
      r("openshift-token", ["sha256~"], String.raw`${B}sha256~[A-Za-z0-9_-]{43}${E}`, "", varied),
      r("octopus-deploy-key", ["api-"], String.raw`${B}API-[A-Z0-9]{26}${E}`, "", {
        check: (s2) => variedEnough(s2) && /\d/.test(s2.slice(4))
      }),
      r(
        "harness-token",
        ["pat.", "sat."],
        String.raw`${B}(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}${E}`,
        "",
        varied
      ),
      r("infracost-key", ["ico-"], String.raw`${B}(?<!\.)ico-[A-Za-z0-9]{32}${E}`, "", varied),
      r("prefect-token", ["pnu_"], String.raw`${B}pnu_[A-Za-z0-9]{36}${E}`, "", varied),
      r("scalingo-token", ["tk-us-"], String.raw`${B}tk-us-[A-Za-z0-9_-]{48}${E}`, "", varied),
      r("clickhouse-key", ["4b1d"], String.raw`${B}4b1d[A-Za-z0-9]{38}${E}`, "", {
        check: (s2) => variedEnough(s2) && /[A-Z]/.test(s2) && /[a-z]/.test(s2)
      }),
      r("dynatrace-token", ["dt0c01."], String.raw`${B}dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}${E}`, "", varied),
      r("grafana-key", ["eyjrijoi"], String.raw`${B}eyJrIjoi[A-Za-z0-9]{70,400}={0,3}`),
      r("grafana-cloud-token", ["glc_"], String.raw`${B}glc_[A-Za-z0-9+/]{32,400}={0,3}`, "", varied),
      r(
        "grafana-service-account-token",
        ["glsa_"],
        String.raw`${B}glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}${E}`,
        "",
        varied
      ),
      r(
        "sentry-token",
        ["sntrys_", "sntryu_"],
        String.raw`${B}(?:sntrys_eyJpYXQiO[A-Za-z0-9+/=]{50,400}_[A-Za-z0-9+/]{43}|sntryu_[a-f0-9]{64})${E}`,
        "",
        varied
      ),
      r(
        "sourcegraph-token",
        ["sgp_", "slk_"],
        String.raw`${B}(?:sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}|sgp_[a-fA-F0-9]{40}|slk_[a-fA-F0-9]{64})${E}`,
        "",
        varied
      ),
      r(
        "settlemint-token",
        ["sm_pat_", "sm_aat_", "sm_sat_"],
        String.raw`${B}sm_(?:pat|aat|sat)_[A-Za-z0-9]{16}${E}`,
        "",
        varied
      ),
      r(
        "authress-key",
        [".acc_", ".acc-"],
        String.raw`${B}(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}\.[A-Za-z0-9+/_=-]{30,120}`,
        "i"
      ),
      r("intra42-secret", ["s-s4t2"], String.raw`${B}s-s4t2(?:ud|af)-[a-f0-9]{64}${E}`),
      r("frameio-token", ["fio-u-"], String.raw`${B}fio-u-[A-Za-z0-9_=-]{64}`, "i"),
      r("linear-key", ["lin_api_"], String.raw`${B}lin_api_[A-Za-z0-9]{40}${E}`, "i", varied),
      r("notion-token", ["ntn_"], String.raw`${B}ntn_\d{11}[A-Za-z0-9]{35}${E}`, "", varied),
      r("postman-key", ["pmak-"], String.raw`${B}PMAK-[a-f0-9]{24}-[a-f0-9]{34}${E}`, "i", varied),
      r("readme-key", ["rdme_"], String.raw`${B}rdme_[a-z0-9]{70}${E}`, "", varied),
      r("sendgrid-key", ["sg."], String.raw`${B}SG\.[A-Za-z0-9=_.-]{66}${E}`, "", varied),
      r(
        "sendinblue-key",
        ["xkeysib-", "xsmtpsib-"],
        String.raw`${B}x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}${E}`,
        "",
        varied
      ),
      r("mailgun-key", ["key-", "pubkey-"], String.raw`${B}(?:pub)?key-[a-f0-9]{32}${E}`, "", varied),
      r("mailchimp-key", ["-us"], String.raw`-us\d{1,2}${E}`, "", { lead: /(?<![A-Za-z0-9_])[a-f0-9]{32}$/ }),
      r(
        "shopify-token",
        ["shpat_", "shpca_", "shppa_", "shpss_"],
        String.raw`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`,
        "",
        varied
      ),
      r("twilio-key", ["sk"], String.raw`${B}SK[0-9a-fA-F]{32}${E}`, "", {
        check: (s2) => variedEnough(s2) && /[a-f]/i.test(s2.slice(2)) && /\d/.test(s2)
      }),
      r("maxmind-key", ["_mmk"], String.raw`_mmk${E}`, "", {
        lead: /(?<![A-Za-z0-9_])[A-Za-z0-9]{6}_[A-Za-z0-9]{29}$/
      }),
      r(
        "onepassword-secret-key",
        ["a3-"],
        String.raw`${B}A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}${E}`,
        "",
        varied
      ),
      r("onepassword-service-token", ["ops_eyj"], String.raw`${B}ops_eyJ[${b64}]{250,4096}={0,3}`),
      r("facebook-access-token", ["eaa"], String.raw`${B}EAA[MC][A-Za-z0-9]{100,600}${E}`, "", varied),
      r("adobe-client-secret", ["p8e-"], String.raw`${B}p8e-[A-Za-z0-9]{32}${E}`, "", varied),
      // the secret's alphabet includes `-`: a longer run is not this format
      r("telegram-bot-token", [], String.raw`:A[A-Za-z0-9_-]{32,34}(?![A-Za-z0-9_-])`, "", {
        lead: /(?<![A-Za-z0-9_])\d{5,16}$/
      }),
      r(
        "discord-webhook",
        ["discord.com/api/webhooks", "discordapp.com/api/webhooks"],
        String.raw`(?:https?://)?discord(?:app)?\.com/api/webhooks/\d{5,30}/[A-Za-z0-9_-]{60,80}`
      ),
      r("atlassian-token", ["atatt3"], String.raw`${B}ATATT3[A-Za-z0-9_=-]{186,200}`),
      r(
        "newrelic-key",
        ["nrak-", "nrii-", "nrjs-"],
        String.raw`${B}NR(?:AK|II|JS)-[A-Za-z0-9]{19,42}${E}`,
        "i",
        varied
      ),
      r(
        "yandex-token",
        ["t1.", "y0_", "aqvn"],
        String.raw`${B}(?:t1\.[A-Z0-9a-z_-]+[=]{0,2}\.[A-Z0-9a-z_-]{86}[=]{0,2}|y[0-3]_[A-Za-z0-9_-]{55}|AQVN[A-Za-z0-9_-]{35,38}|YC[A-Za-z0-9_-]{38})`,
        "",
        varied
      ),
      r("twitter-bearer-token", ["aaaaaaaaaaaaaaaaaaaaa"], String.raw`${B}A{22}[A-Za-z0-9%]{80,100}`, "", {
        check: (t) => variedEnough(t.slice(22))
      }),
      r("lob-key", ["live_", "test_"], String.raw`${B}(?:live|test)_(?:pub_)?[a-f0-9]{31,35}${E}`, "", varied),
      r(
        "huggingface-token",
        ["hf_", "api_org_"],
        String.raw`${B}(?:hf_[A-Za-z]{34}|api_org_[A-Za-z]{34})${E}`,
        "",
        {
          check: (s2) => variedEnough(s2) && /[A-Z]/.test(s2.slice(3)) && /[a-z]/.test(s2.slice(3))
        }
      ),
      // more providers' documented prefixes: AI platforms, developer tools, hosting, payment, messaging
      r("sonarqube-token", ["squ_", "sqp_", "sqa_"], String.raw`${B}sq[upa]_[a-f0-9]{40}${E}`),
      r("openrouter-key", ["sk-or-v1-"], String.raw`${B}sk-or-v1-[a-f0-9]{64}${E}`),
      r("langsmith-key", ["lsv2_"], String.raw`${B}lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}${E}`),
      r("replicate-token", ["r8_"], String.raw`${B}r8_[A-Za-z0-9]{37}${E}`),
      r("tavily-key", ["tvly-"], String.raw`${B}tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}${E}`),
      r("firecrawl-key", ["fc-"], String.raw`${B}fc-[a-f0-9]{32}${E}`),
      r("e2b-key", ["e2b_"], String.raw`${B}e2b_[a-f0-9]{40}${E}`),
      r("pinecone-key", ["pcsk_"], String.raw`${B}pcsk_[A-Za-z0-9]{4,10}_[A-Za-z0-9]{50,80}${E}`),
      r("fireworks-key", ["fw_"], String.raw`${B}fw_[A-Za-z0-9]{24}${E}`),
      r("elevenlabs-key", ["sk_"], String.raw`${B}sk_[a-f0-9]{48}${E}`),
      r("deepl-key", [":fx"], String.raw`:fx${E}`, "", {
        lead: /(?<![A-Za-z0-9_-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
      }),
      r(
        "supabase-token",
        ["sbp_", "sb_secret_"],
        String.raw`${B}(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{31,40})${E}`
      ),
      r("neon-key", ["napi_"], String.raw`${B}napi_[a-z0-9]{64}${E}`),
      r("render-key", ["rnd_"], String.raw`${B}rnd_[A-Za-z0-9]{32}${E}`),
      r("netlify-token", ["nfp_"], String.raw`${B}nfp_[A-Za-z0-9]{36}${E}`),
      r(
        "vercel-blob-token",
        ["vercel_blob_rw_"],
        String.raw`${B}vercel_blob_rw_[A-Za-z0-9]{16}_[A-Za-z0-9]{30}${E}`
      ),
      r(
        "tailscale-key",
        ["tskey-"],
        String.raw`${B}tskey-(?:auth|api|client|webhook|scim)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,64}${E}`
      ),
      r("infisical-token", ["st."], String.raw`${B}st\.[a-f0-9-]{36}\.[a-f0-9]{32}\.[a-f0-9]{32}${E}`),
      r("figma-token", ["figd_"], String.raw`${B}figd_[A-Za-z0-9_-]{40}${E}`),
      r("airtable-pat", ["pat"], String.raw`${B}pat[A-Za-z0-9]{14}\.[a-f0-9]{64}${E}`),
      r("contentful-token", ["cfpat-"], String.raw`${B}CFPAT-[A-Za-z0-9_-]{43}${E}`),
      r("typeform-token", ["tfp_"], String.raw`${B}tfp_[A-Za-z0-9_-]{44}(?:_[A-Za-z0-9]{14})?${E}`),
      r("buildkite-token", ["bkua_"], String.raw`${B}bkua_[a-f0-9]{40}${E}`),
      r("circleci-token", ["ccipat_"], String.raw`${B}CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}${E}`),
      r("bitbucket-app-password", ["atbb"], String.raw`${B}ATBB[A-Za-z0-9_=.-]{32}${E}`),
      r("posthog-personal-key", ["phx_"], String.raw`${B}phx_[A-Za-z0-9]{43}${E}`),
      r(
        "launchdarkly-key",
        ["api-", "sdk-"],
        String.raw`${B}(?:api|sdk)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${E}`
      ),
      r("pubnub-secret-key", ["sec-c-"], String.raw`${B}sec-c-[A-Za-z0-9]{40,60}${E}`),
      r(
        "telnyx-key",
        [
          "key0",
          "key1",
          "key2",
          "key3",
          "key4",
          "key5",
          "key6",
          "key7",
          "key8",
          "key9",
          "keya",
          "keyb",
          "keyc",
          "keyd",
          "keye",
          "keyf"
        ],
        String.raw`${B}KEY[0-9A-F]{32}_[A-Za-z0-9]{22}${E}`
      ),
      r("woocommerce-key", ["ck_", "cs_"], String.raw`${B}c[ks]_[a-f0-9]{40}${E}`),
      r(
        "braintree-token",
        ["access_token$"],
        String.raw`access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}`
      ),
      r("razorpay-key", ["rzp_"], String.raw`${B}rzp_(?:live|test)_[A-Za-z0-9]{14}${E}`),
      r("clickup-token", ["pk_"], String.raw`${B}pk_\d{6,10}_[A-Z0-9]{32}${E}`),
      r("klaviyo-key", ["pk_"], String.raw`${B}pk_[a-f0-9]{34}${E}`),
      r("resend-key", ["re_"], String.raw`${B}re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}${E}`),
      r("browserbase-key", ["bb_live_"], String.raw`${B}bb_live_[A-Za-z0-9_-]{27}${E}`),
      r("mapbox-secret-token", ["sk.eyj"], String.raw`${B}sk\.eyJ[A-Za-z0-9_-]{50,400}\.[A-Za-z0-9_-]{20,100}`),
      r("asana-token", [], String.raw`:[a-f0-9]{32}${E}`, "", {
        lead: /(?<![A-Za-z0-9_/])[0-9]\/\d{10,20}\/\d{10,20}$/
      }),
      r("tencent-secret-id", ["akid"], String.raw`${B}AKID[A-Za-z0-9]{32}${E}`),
      // keyword-anchored formats a provider documents (the value alone could be anything)
      r(
        "sidekiq-credentials",
        ["contribsys"],
        String.raw`BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM["']?[ \t]{0,4}[:=][ \t]{0,4}["']?([a-f0-9]{8}:[a-f0-9]{8})`,
        "i",
        { group: 1, check: () => true }
      ),
      r(
        "sidekiq-credentials",
        ["contribsys.com"],
        String.raw`https?://([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com`,
        "i",
        {
          group: 1,
          check: () => true
        }
      ),
      // Cloudflare's Global API Key (37 hex) and API tokens (40 of [A-Za-z0-9_-]) carry no prefix: the
      // provider's name as the key decides (gitleaks' cloudflare-global-api-key and cloudflare-api-key)
      r(
        "cloudflare-api-key",
        ["cloudflare"],
        String.raw`cloudflare[\w.-]{0,30}["']?[ \t]{0,4}(?:[:=]|:=|=>)[ \t]{0,4}["'\x60]?([a-f0-9]{37}|[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])`,
        "i",
        { group: 1 }
      ),
      r(
        "sumologic-access-id",
        ["sumo"],
        String.raw`(?<![A-Za-z])(?:sumo|Sumo|SUMO)(?:logic|Logic|LOGIC)?(?![a-z])[\w.-]{0,40}["']?[ \t]{0,4}(?:[:=]|:=)[ \t]{0,4}["']?(su[A-Za-z0-9]{12})${E}`,
        "",
        { group: 1 }
      )
    ];
    ALL_HINTS = [...new Set(TOKEN_RULES.flatMap((rule) => rule.hints))];
  }
});

// src/model/redact.ts
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
function hintScanner() {
  hintScan ??= {
    re: new RegExp(
      [...ALL_HINTS].sort((a, b) => b.length - a.length).map(escapeRe).join("|"),
      "gi"
    ),
    // a hint found also stands for every shorter hint inside it (a scan reports one hint a position)
    within: new Map(ALL_HINTS.map((h) => [h, ALL_HINTS.filter((o) => h.includes(o))]))
  };
  return hintScan;
}
function wordSet(words, caseless = false) {
  const set = new Set(caseless ? words.map((w) => w.toLowerCase()) : words);
  return { test: (w) => set.has(caseless ? w.toLowerCase() : w) };
}
function isPlaceholder(value) {
  const v = value.trim();
  if (v.length < 4) return true;
  if (/\[redacted|\.\.|^\{/i.test(v)) return true;
  if (/^\$[{(]?[A-Za-z_][\w.]*[})]?$/.test(v) || /\$\{|\$\(|\{\{|\}\}|<%|%>/.test(v)) return true;
  if (/^%[A-Za-z_]\w*%$/.test(v) || /^<[^<>]{1,200}>$/.test(v) || /^\[[^\]]{1,200}\]$/.test(v)) return true;
  if (/^(?:process\.env|os\.environ|os\.getenv|env\.|ENV\[|getenv|secrets\.|vars\.|import\.meta)/i.test(v))
    return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  if (/^(?:your|my|insert|replace|enter|put|add|paste)[_\-\s.]?[a-z]/i.test(v) && /[_-]|[a-z][A-Z]/.test(v))
    return true;
  if (/^(?:[xX*#.•_-]){4,}$/.test(v) || /(?:x{5,}|X{5,}|\*{3,}|\.{3,})/.test(v)) return true;
  if (/(.)\1{7}/.test(v)) return true;
  if (/EXAMPLE(?:KEY)?$/.test(v)) return true;
  return false;
}
function hasSequentialRun(v, len) {
  let run = 1;
  for (let i = 1; i < v.length; i++) {
    run = v.charCodeAt(i) === v.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= len) return true;
  }
  return false;
}
function knownNonSecretFormat(t) {
  if (/^(?:sha(?:1|224|256|384|512)|md5)[-:]/i.test(t)) return true;
  if (UUID.test(t)) return true;
  if (/^rollout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(
    t
  ))
    return true;
  if ((/^[0-9a-f]+$/.test(t) || /^[0-9A-F]+$/.test(t)) && /^(?:[0-9a-f]{7,12}|[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i.test(
    t
  ))
    return true;
  if (/^(?:toolu|msg|req|srvtoolu|call|chatcmpl|run|file|asst|thread|resp|batch|evt|cus|sub|price|prod|ch|pi|in|txn|po|acct)_[A-Za-z0-9]{8,}$/.test(
    t
  ))
    return true;
  return false;
}
function caseBalanced(t) {
  let up = 0;
  let lo = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 65 && c <= 90) up++;
    else if (c >= 97 && c <= 122) lo++;
  }
  const n2 = up + lo;
  return Math.min(up, lo) >= n2 / 2 - 1.75 * Math.sqrt(n2);
}
function identifierLike(v) {
  const humps = v.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]/g);
  if (!humps || humps.length < 2) return false;
  for (const h of humps) if (h.length < 3 && !/^[A-Z]{2}$/.test(h)) return false;
  return true;
}
function looksRandom(t, minLength = 20) {
  if (t.length < minLength) return false;
  if (knownNonSecretFormat(t)) return false;
  const lower = /[a-z]/.test(t);
  const upper = /[A-Z]/.test(t);
  const digits = t.replace(/[^0-9]/g, "").length;
  if (!(lower && upper && digits >= 2)) return false;
  if (!caseBalanced(t) || identifierLike(t)) return false;
  const wordy = (t.match(/[a-z]{5,}/g) ?? []).reduce((n2, w) => n2 + w.length, 0);
  if (wordy / t.length > 0.4) return false;
  if (/^[A-Za-z]+(?:[-_][A-Za-z0-9]+)+$/.test(t) && !/\d{2}/.test(t)) return false;
  if (hasSequentialRun(t, 6) || isPlaceholder(t) || namedParts(t)) return false;
  if (knownPrefix(t)) return false;
  const threshold = Math.min(4, Math.log2(t.length) - 0.6);
  return shannonEntropy(t) >= threshold && !containsStopword(t);
}
function keyWords(key) {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}
function keyStrength(key) {
  let s2 = strengthCache.get(key);
  if (s2 === void 0) {
    s2 = judgeKey(key);
    if (strengthCache.size < 1e4) strengthCache.set(key, s2);
  }
  return s2;
}
function judgeKey(key) {
  const words = keyWords(key);
  if (!words.length) return null;
  const last = words[words.length - 1];
  if (words.some((w) => NUMERIC_WORD.test(w) || NOT_SECRET_WORD.test(w))) return null;
  if (last === "id" || last === "ids") {
    return words.length >= 2 && ID_MODIFIER.test(words[words.length - 2]) ? "medium" : null;
  }
  if (NOT_SECRET_LAST.test(last)) return null;
  let medium = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (STRONG_EXACT.test(w) || STRONG_WORD.test(w)) return "strong";
    if (w === "key" || w.endsWith("key")) {
      if (i > 0 && KEY_MODIFIER.test(words[i - 1])) return "strong";
      if (i > 0 && /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_KEY$/.test(key)) return "strong";
      if (w === "key" || w === "apikey") medium = true;
    }
  }
  return medium ? "medium" : null;
}
function namedParts(v) {
  const parts = v.split(/[-_.]/);
  if (parts.length < 2) return false;
  if (parts.some((p) => p.length > 12)) return false;
  return parts.filter((p) => /[A-Za-z]/.test(p) && /\d/.test(p)).length <= 1 && parts.length >= 3 ? true : parts.every((p) => /^[A-Za-z]+$/.test(p) || /^\d{1,4}$/.test(p));
}
function isSecretValue(raw, strength, quoted, key) {
  if (!strength) return false;
  const v = raw.trim();
  if (isPlaceholder(v)) return false;
  for (const [k, format] of PROVIDER_FORMATS)
    if (k.test(key)) return format.test(v) && !hasSequentialRun(v, 6);
  if (/\s/.test(v)) return false;
  if (/^[-+]?[\d.,_:]+$/.test(v) && !(strength === "strong" && quoted && /^\d{16,64}$/.test(v))) return false;
  if (/^(?:https?|file|ftp):\/\//i.test(v)) return false;
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return false;
  if (/^[\w.-]+\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|txt|ya?ml|env|js|ts|py|rb|go|sh|conf|cfg|ini|toml|xml|asc|gpg|pub)$/i.test(
    v
  ))
    return false;
  if (/[()]/.test(v) && /^[\w$.]+\(/.test(v)) return false;
  if (/^[A-Za-z_$][\w$]{0,30}(?:\??\.[A-Za-z_$][\w$]{0,30})+$/.test(v)) return false;
  if (!quoted && !/pass|pwd|pw$|^pw/i.test(key) && (/^(?:[([]|!!?[A-Za-z_$])/.test(v) || identifierLike(v)))
    return false;
  if (/^[A-Za-z_$][\w$]*\[/.test(v)) return false;
  if (/^(?:sha(?:1|256|384|512)-|md5-)[A-Za-z0-9+/=]{20,}$/.test(v)) return false;
  if (/^[A-Z][A-Z0-9_]{2,}$/.test(v) && /_/.test(v) && !/\d/.test(v)) return false;
  const password = /pass|pwd|pw$|^pw/i.test(key);
  if (strength === "strong" && UUID.test(v)) return true;
  if (!password && containsStopword(v)) return false;
  if (strength === "strong" && quoted && /^\d{16,64}$/.test(v) && /(?:token|secret|key|password)$/i.test(key))
    return true;
  if (hasSequentialRun(v, 8)) return false;
  const letters = /^[A-Za-z]+$/.test(v);
  if (password) {
    if (v.length < 6) return false;
    if (quoted) return !(letters && /^[a-z]+$/.test(v) && v.length < 8);
    return !letters || /[a-z]/.test(v) && /[A-Z]/.test(v);
  }
  if (strength === "strong") {
    if (v.length < 10) return false;
    if (letters) return /[a-z]/.test(v) && /[A-Z]/.test(v) && v.length >= 20 && shannonEntropy(v) >= 3.8;
    if (!/[A-Za-z]/.test(v)) return false;
    if (namedParts(v)) return false;
    return shannonEntropy(v) >= (v.length < 16 ? 2.6 : 3);
  }
  if (v.length < 12 || UUID.test(v)) return false;
  if (!/[A-Za-z]/.test(v) || !/\d/.test(v)) return false;
  if (/^[0-9a-f]+$/i.test(v) && v.length < 32) return false;
  if ((v.match(/[a-z]{5,}/g) ?? []).join("").length / v.length > 0.4) return false;
  if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || namedParts(v) || /^[A-Za-z]+(?:[-_.][A-Za-z0-9]+)+$/.test(v))
    return false;
  return shannonEntropy(v) >= 3.3;
}
function scanAssignments(text, out, cleared) {
  KEY_WORD.lastIndex = 0;
  let from = 0;
  for (let m = KEY_WORD.exec(text); m; m = KEY_WORD.exec(text)) {
    let ks = m.index;
    let ke = m.index + m[0].length;
    if (ks < from) continue;
    while (ks > 0 && ke - ks < 120 && KEY_CHAR.test(text[ks - 1])) ks--;
    while (ke < text.length && ke - ks < 120 && KEY_CHAR.test(text[ke])) ke++;
    KEY_WORD.lastIndex = ke;
    from = ke;
    let key = text.slice(ks, ke);
    const flag = key.startsWith("-");
    key = key.replace(/^[-$@.]+|[.$@-]+$/g, "");
    if (!key) continue;
    const strength = keyStrength(key);
    if (!strength) continue;
    if (text[ks - 1] === "<" && text[ke] === ">") {
      const close = text.indexOf(`</${text.slice(ks, ke)}>`, ke);
      if (close > 0 && close - ke < 4096) {
        const inner = text.slice(ke + 1, close);
        const v = inner.trim();
        if (isSecretValue(v, strength, true, key)) {
          const s2 = ke + 1 + inner.indexOf(v);
          out.push({ kind: "secret-assignment", start: s2, end: s2 + v.length });
        }
        continue;
      }
    }
    if (/key\s{0,4}=\s{0,4}\\?["']$/i.test(text.slice(Math.max(0, ks - 12), ks))) {
      AFTER_XML_KEY_ATTR.lastIndex = ke;
      const a2 = AFTER_XML_KEY_ATTR.exec(text);
      if (a2 && isSecretValue(a2[1], strength, true, key)) {
        const s2 = AFTER_XML_KEY_ATTR.lastIndex - a2[1].length - (a2[0].endsWith('"') || a2[0].endsWith("'") ? 1 : 0);
        const start = text.lastIndexOf(a2[1], AFTER_XML_KEY_ATTR.lastIndex);
        out.push({
          kind: "secret-assignment",
          start: start >= 0 ? start : s2,
          end: (start >= 0 ? start : s2) + a2[1].length
        });
        from = AFTER_XML_KEY_ATTR.lastIndex;
        KEY_WORD.lastIndex = from;
        continue;
      }
    }
    AFTER_KEY.lastIndex = ke;
    const a = AFTER_KEY.exec(text);
    if (a) {
      const value = a[2] ?? a[3] ?? a[4] ?? a[5] ?? "";
      const quoted = a[5] === void 0;
      if (a[1].trim() === "," && !quoted) continue;
      if (a[1].trim() === "" && (a[4] !== void 0 || keyWords(key).length < 2 && !/^[A-Z][A-Z0-9_]*$/.test(key)))
        continue;
      if (!quoted && /^[A-Z][A-Za-z0-9_$]*$/.test(value) && /[(,{;][ \t\r\n]*$/.test(text.slice(Math.max(0, ks - 40), ks)) && /^[ \t]*(?:[,;)=|&>[]|$)/m.test(text.slice(AFTER_KEY.lastIndex, AFTER_KEY.lastIndex + 8)))
        continue;
      if (!isSecretValue(value, strength, quoted, key)) {
        if (PROVIDER_FORMATS.some(([k]) => k.test(key))) {
          const end = AFTER_KEY.lastIndex - (quoted ? 1 : 0);
          cleared.push([end - value.length, end]);
        }
      } else {
        const end = AFTER_KEY.lastIndex - (quoted ? a[0].endsWith('\\"') ? 2 : 1 : 0);
        const trimmed = value.replace(/\\$/, "");
        out.push({
          kind: "secret-assignment",
          start: end - value.length,
          end: end - value.length + trimmed.length
        });
        from = AFTER_KEY.lastIndex;
        KEY_WORD.lastIndex = from;
      }
      continue;
    }
    if (flag) {
      AFTER_FLAG.lastIndex = ke;
      const f = AFTER_FLAG.exec(text);
      if (f && isSecretValue(f[1], strength, false, key)) {
        out.push({
          kind: "secret-assignment",
          start: AFTER_FLAG.lastIndex - f[1].length,
          end: AFTER_FLAG.lastIndex
        });
        from = AFTER_FLAG.lastIndex;
        KEY_WORD.lastIndex = from;
      }
    }
  }
}
function scanCredentials(text, lower, out) {
  if (lower.includes("authorization")) {
    AUTH_HEADER.lastIndex = 0;
    for (let m = AUTH_HEADER.exec(text); m; m = AUTH_HEADER.exec(text)) {
      const v = m[1];
      if (isPlaceholder(v) || /^\.+$/.test(v)) continue;
      out.push({ kind: "auth-header", start: m.index + m[0].length - v.length, end: m.index + m[0].length });
    }
  }
  if (text.includes("://")) {
    URL_CREDENTIALS.lastIndex = 0;
    for (let m = URL_CREDENTIALS.exec(text); m; m = URL_CREDENTIALS.exec(text)) {
      const pw = m[2];
      if (isPlaceholder(pw) || /^(?:pass|password|pwd|secret)$/i.test(pw) || /^\$/.test(pw)) continue;
      const end = m.index + m[0].length - 1;
      out.push({ kind: "url-password", start: end - pw.length, end });
    }
  }
  if (lower.includes("-u") || lower.includes("--user")) {
    CURL_USER.lastIndex = 0;
    for (let m = CURL_USER.exec(text); m; m = CURL_USER.exec(text)) {
      const [, user, pw] = m;
      const end = m.index + m[0].length - (/["']$/.test(m[0]) ? 1 : 0);
      if (user.startsWith("<") || pw.endsWith(">")) continue;
      if (pw && !isPlaceholder(pw) && !/^\$/.test(pw) && pw !== user)
        out.push({ kind: "basic-auth", start: end - pw.length, end });
      else if (!pw && user.length >= 8 && !isPlaceholder(user) && /\d/.test(user) && /[A-Za-z]/.test(user))
        out.push({ kind: "basic-auth", start: end - 1 - user.length, end: end - 1 });
    }
  }
}
function scanKubernetesSecret(text, out) {
  if (!K8S_SECRET.test(text) || !/^[ \t]*(?:data|stringData):/m.test(text)) return;
  K8S_DATA_VALUE.lastIndex = 0;
  for (let m = K8S_DATA_VALUE.exec(text); m; m = K8S_DATA_VALUE.exec(text)) {
    const v = m[2];
    if (v.length % 4 !== 0 || v.length < 12 || /^[a-z]+$/i.test(v) || /^\d+$/.test(v)) continue;
    out.push({
      kind: "kubernetes-secret",
      start: m.index + m[1].length,
      end: m.index + m[1].length + v.length
    });
  }
}
function inUrl(text, at) {
  const from = Math.max(0, at - 300);
  const before = text.slice(from, at);
  const ws = Math.max(
    before.lastIndexOf(" "),
    before.lastIndexOf("\n"),
    before.lastIndexOf('"'),
    before.lastIndexOf("'")
  );
  return /:\/\/[^\s]*[/?=]$/.test(before.slice(ws + 1)) || /:\/\/[^\s]*\/[^\s]*$/.test(before.slice(ws + 1));
}
function namedByKey(text, at) {
  const m = NAMED_BY_KEY.exec(text.slice(Math.max(0, at - 300), at));
  if (!m) return false;
  const words = keyWords(m[1]);
  const last = words[words.length - 1] ?? "";
  return NOT_SECRET_LAST.test(last) || words.some((w) => NUMERIC_WORD.test(w) || NOT_SECRET_WORD.test(w));
}
function scanCutToken(text, out) {
  const m = TAIL_RUN.exec(text.slice(-600));
  if (!m) return;
  const start = text.length - m[0].length;
  if (out.some((f) => f.end > start)) return;
  const lower = m[0].toLowerCase();
  const prefix = KNOWN_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix && m[0].length >= prefix.length + 4 && variedEnough(m[0]) && !isPlaceholder(m[0]))
    out.push({ kind: "truncated-token", start, end: text.length });
}
function runExcused(text, at, run) {
  if (/^[ \t]*;/.test(text.slice(at + run.length, at + run.length + 8)) && /(?:^|[\s;{(])[A-Za-z_$][\w$.]{0,80}[ \t]+=[ \t]+$/.test(text.slice(Math.max(0, at - 100), at)))
    return true;
  if (/^[_.-]/.test(run) && /[A-Za-z0-9+/]={1,2}$/.test(text.slice(Math.max(0, at - 3), at))) {
    let w = at;
    while (w > 0 && at - w < 8192 && /[A-Za-z0-9+/_.~=-]/.test(text[w - 1])) w--;
    if (knownPrefix(text.slice(w, at))) return true;
  }
  return false;
}
function scanEntropy(text, out, cleared) {
  const publicBlocks = [...cleared];
  if (text.includes("-----BEGIN ")) {
    PUBLIC_BLOCK.lastIndex = 0;
    for (let m = PUBLIC_BLOCK.exec(text); m; m = PUBLIC_BLOCK.exec(text))
      publicBlocks.push([m.index, m.index + m[0].length]);
  }
  if (text.includes("ENC[")) {
    SOPS_VALUE.lastIndex = 0;
    for (let m = SOPS_VALUE.exec(text); m; m = SOPS_VALUE.exec(text))
      publicBlocks.push([m.index, m.index + m[0].length]);
  }
  let dataEnd = -1;
  const inDataUri = (at) => {
    let w = at;
    while (w > 0 && /[A-Za-z0-9+/=%_.~-]/.test(text[w - 1])) {
      w--;
      if (w < dataEnd) break;
    }
    const inside = w < dataEnd || /;base64,$/i.test(text.slice(Math.max(0, w - 8), w));
    if (inside) {
      dataEnd = at;
      while (dataEnd < text.length && /[A-Za-z0-9+/=%_.~-]/.test(text[dataEnd])) dataEnd++;
    }
    return inside;
  };
  TOKEN_RUN.lastIndex = 0;
  for (let m = TOKEN_RUN.exec(text); m; m = TOKEN_RUN.exec(text)) {
    const run = m[0];
    if (publicBlocks.some(([a, z]) => m.index < z && m.index + run.length > a)) continue;
    if (run.startsWith("...")) continue;
    if (/\.\.\.$/.test(text.slice(Math.max(0, m.index - 16), m.index).replace(/[A-Za-z0-9+/]+$/, "")))
      continue;
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    if (/base64,$/i.test(before) || /;base64,/.test(run)) continue;
    if (/(?:sha-?(?:1|224|256|384|512)|md5)["']?[ \t]?[-:=][ \t]?["':]?$/i.test(before) || /^(?:sha(?:1|224|256|384|512)|md5)[-:]/i.test(run))
      continue;
    const parts = /^[A-Za-z0-9+/]+={0,2}$/.test(run) && /[+/]/.test(run) ? [run] : run.split(/(?=[./~])/);
    let offset = 0;
    let runNamed;
    for (const part of parts) {
      const t = part.replace(/^[./~]+/, "").replace(/[.~]+$/, "");
      const s2 = m.index + offset + part.indexOf(t);
      offset += part.length;
      if (t.length < 20) continue;
      if (t.length > 200) continue;
      if (!looksRandom(t)) continue;
      if (inUrl(text, s2) || namedByKey(text, s2)) continue;
      runNamed ??= s2 !== m.index && namedByKey(text, m.index) || runExcused(text, m.index, run) || inDataUri(m.index);
      if (runNamed) continue;
      out.push({ kind: "high-entropy", start: s2, end: s2 + t.length });
    }
  }
}
function scanTokens(text, lower, out) {
  const seen = /* @__PURE__ */ new Set();
  if (text.length <= SHORT_TEXT) {
    for (const h of ALL_HINTS) if (lower.includes(h)) seen.add(h);
  } else {
    const { re, within } = hintScanner();
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const h = m[0].toLowerCase();
      if (seen.has(h)) continue;
      for (const w of within.get(h) ?? [h]) seen.add(w);
    }
  }
  for (const rule of TOKEN_RULES) {
    if (rule.hints.length && !rule.hints.some((h) => seen.has(h))) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      let secret = rule.group ? m[rule.group] : m[0];
      if (!secret) continue;
      let start = rule.group ? m.index + m[0].indexOf(secret) : m.index;
      if (rule.lead) {
        const lead = rule.lead.exec(text.slice(Math.max(0, start - 64), start))?.[0];
        if (!lead) continue;
        start -= lead.length;
        secret = lead + secret;
      }
      if (rule.check && !rule.check(secret)) continue;
      out.push({ kind: rule.kind, start, end: start + secret.length });
    }
  }
}
function userRegex(source) {
  if (!compiled.has(source)) {
    try {
      compiled.set(source, new RegExp(source, "g"));
    } catch {
      compiled.set(source, null);
    }
  }
  return compiled.get(source) ?? null;
}
function merge(found2) {
  found2.sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  for (const f of found2) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) last.end = Math.max(last.end, f.end);
    else out.push({ ...f });
  }
  return out;
}
function decodeEscapes(text) {
  ESCAPE.lastIndex = 0;
  if (!ESCAPE.test(text)) return null;
  ESCAPE.lastIndex = 0;
  const parts = [];
  const dStarts = [0];
  const rStarts = [0];
  let raw = 0;
  let dec = 0;
  for (let m = ESCAPE.exec(text); m; m = ESCAPE.exec(text)) {
    parts.push(text.slice(raw, m.index), UNESCAPE[m[1]]);
    dec += m.index - raw;
    dStarts.push(dec, dec + 1);
    rStarts.push(m.index, m.index + 2);
    dec += 1;
    raw = m.index + 2;
  }
  parts.push(text.slice(raw));
  const rawAt = (d) => {
    let lo = 0;
    let hi = dStarts.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (dStarts[mid] <= d) lo = mid;
      else hi = mid - 1;
    }
    return rStarts[lo] + (d - dStarts[lo]);
  };
  return { decoded: parts.join(""), rawAt };
}
function findRaw(text, opts) {
  const found2 = [];
  if (text.length < 8) return found2;
  const lower = text.toLowerCase();
  scanTokens(text, lower, found2);
  scanCredentials(text, lower, found2);
  const cleared = [];
  scanAssignments(text, found2, cleared);
  if (lower.includes("secret")) scanKubernetesSecret(text, found2);
  scanEntropy(text, found2, cleared);
  if (opts.cut) scanCutToken(text, found2);
  for (const source of opts.extraPatterns ?? []) {
    const re = userRegex(source);
    if (!re) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0] === "") {
        re.lastIndex++;
        continue;
      }
      found2.push({ kind: "custom", start: m.index, end: m.index + m[0].length });
    }
  }
  return found2;
}
function configureRedaction(opts) {
  configured = { extraPatterns: [...opts.extraPatterns ?? []], allow: [...opts.allow ?? []] };
}
function findSecrets(text, given = {}) {
  const opts = {
    ...given,
    extraPatterns: [.../* @__PURE__ */ new Set([...configured.extraPatterns ?? [], ...given.extraPatterns ?? []])],
    allow: [...configured.allow ?? [], ...given.allow ?? []]
  };
  let found2 = findRaw(text, opts);
  if (opts.pass !== "fast") {
    const view = decodeEscapes(text);
    if (view)
      for (const f of findRaw(view.decoded, opts))
        found2.push({
          kind: f.kind,
          start: view.rawAt(f.start),
          end: Math.min(text.length, view.rawAt(f.end))
        });
  }
  found2 = merge(found2).filter(
    (f) => !text.startsWith("[REDACTED:", f.start) && !text.startsWith("REDACTED:", f.start) && // published in the provider's documentation or SDK: public already
    !isPublicExample(text.slice(f.start, f.end))
  );
  const allow = (opts.allow ?? []).map(userRegex).filter((re) => re !== null);
  if (!allow.length) return found2;
  return found2.filter((f) => {
    const value = text.slice(f.start, f.end);
    return !allow.some((re) => {
      re.lastIndex = 0;
      return re.test(value);
    });
  });
}
function redactText(text, opts = {}) {
  const found2 = findSecrets(text, opts);
  if (!found2.length) return text;
  let out = "";
  let pos = 0;
  for (const f of found2) {
    out += text.slice(pos, f.start) + mark(f.kind);
    pos = f.end;
  }
  return out + text.slice(pos);
}
function secretField(key) {
  const s2 = keyStrength(key);
  return s2 === "strong";
}
function redactDeep(value, opts, key) {
  if (typeof value === "string") {
    if (key !== null && secretField(key) && isSecretValue(value, "strong", true, key))
      return mark("secret-field");
    return redactText(value, opts);
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, opts, null));
  if (value && typeof value === "object") {
    const out = {};
    const capped = value.truncated === true;
    for (const [k, v] of Object.entries(value))
      out[k] = capped && k === "head" ? redactDeep(v, { ...opts, cut: true }, k) : redactDeep(v, opts, k);
    return out;
  }
  return value;
}
function redactValue(value, opts = {}) {
  return redactDeep(value, { pass: "fast", ...opts }, null);
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
var mark, escapeRe, hintScan, SHORT_TEXT, UUID, PLACEHOLDER_WORDS, KNOWN_PREFIXES, knownPrefix, NOT_SECRET_LAST, NUMERIC_WORD, STRONG_WORD, STRONG_EXACT, NOT_SECRET_WORD, KEY_MODIFIER, ID_MODIFIER, strengthCache, PROVIDER_FORMATS, KEY_WORD, KEY_CHAR, AFTER_KEY, AFTER_FLAG, AFTER_XML_KEY_ATTR, AUTH_HEADER, URL_CREDENTIALS, CURL_USER, K8S_SECRET, K8S_DATA_VALUE, TOKEN_RUN, NAMED_BY_KEY, TAIL_RUN, PUBLIC_BLOCK, SOPS_VALUE, compiled, ESCAPE, UNESCAPE, configured, ENV_LINE;
var init_redact = __esm({
  "src/model/redact.ts"() {
    "use strict";
    init_redact_allow();
    init_redact_rules();
    mark = (kind) => `[REDACTED:${kind}]`;
    escapeRe = (s2) => s2.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    hintScan = null;
    SHORT_TEXT = 16 * 1024;
    UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    PLACEHOLDER_WORDS = wordSet(
      [
        "true",
        "false",
        "null",
        "nil",
        "none",
        "undefined",
        "empty",
        "required",
        "optional",
        "string",
        "str",
        "number",
        "int",
        "integer",
        "boolean",
        "bool",
        "object",
        "any",
        "unknown",
        "redacted",
        "hidden",
        "masked",
        "secret",
        "secrets",
        "password",
        "passwd",
        "pass",
        "token",
        "key",
        "apikey",
        "api_key",
        "changeme",
        "change_me",
        "example",
        "sample",
        "dummy",
        "placeholder",
        "todo",
        "tbd",
        "n/a",
        "na",
        "bearer",
        "basic",
        "value",
        "default",
        "test",
        "testing"
      ],
      true
    );
    KNOWN_PREFIXES = ALL_HINTS.filter((h) => h.length >= 4 && /^[a-z]/.test(h));
    knownPrefix = (t) => {
      const lower = t.slice(0, 24).toLowerCase();
      return KNOWN_PREFIXES.some((p) => lower.startsWith(p));
    };
    NOT_SECRET_LAST = wordSet([
      "tokens",
      "keys",
      "secrets",
      "passwords",
      "count",
      "counts",
      "length",
      "len",
      "size",
      "type",
      "types",
      "kind",
      "name",
      "names",
      "file",
      "files",
      "path",
      "paths",
      "dir",
      "url",
      "uri",
      "urls",
      "endpoint",
      "host",
      "header",
      "headers",
      "field",
      "fields",
      "prefix",
      "suffix",
      "format",
      "limit",
      "limits",
      "max",
      "min",
      "timeout",
      "ttl",
      "expiry",
      "expires",
      "expiration",
      "at",
      "time",
      "env",
      "var",
      "ref",
      "policy",
      "mode",
      "version",
      "regex",
      "pattern",
      "label",
      "description",
      "placeholder",
      "hint",
      "event",
      "events",
      "index",
      "required",
      "enabled",
      "disabled",
      "provider",
      "manager",
      "store",
      "vault",
      "selector",
      "down",
      "up",
      "press",
      "source",
      "location",
      "usage",
      "budget",
      "cost",
      "rate",
      "window",
      "estimate",
      "ratio",
      "bytes",
      "bits",
      "chars",
      "location",
      "exists",
      "present",
      "set",
      "valid",
      "status",
      "error",
      "errors",
      "message",
      "length",
      "mask",
      "strategy",
      "method",
      "scheme",
      "style",
      "class",
      "config",
      "option",
      "options",
      "param",
      "params",
      "schema",
      "spec",
      "list",
      "map",
      "id",
      "ids",
      "input",
      "button",
      "link",
      "form",
      "page",
      "view",
      "table",
      "column",
      "sequence",
      "frame",
      "distance",
      "path",
      "loader",
      "parser",
      "reader",
      "writer",
      "handler",
      "hash",
      // a signature is bound to the one payload it signs, an identity names who: both are public
      "signature",
      "identity",
      "algorithm",
      "alg",
      "helper",
      "util",
      "utils",
      "test",
      "tests",
      "spec",
      "mock",
      "fn",
      "callback",
      "cb"
    ]);
    NUMERIC_WORD = wordSet([
      "max",
      "min",
      "num",
      "total",
      "count",
      "every",
      "per",
      "avg",
      "limit",
      "estimated",
      "remaining",
      "used"
    ]);
    STRONG_WORD = /(?:password|passwd|passphrase|pwd|secret|token|apikey|credential|credentials|creds|privatekey|accesskey|secretkey|authkey|clientkey|signingkey|masterkey|encryptionkey)$/;
    STRONG_EXACT = wordSet([
      "pass",
      "pw",
      "auth",
      "authorization",
      "pat",
      "jwt",
      "dsn",
      "bearer",
      "sas",
      "psk",
      "otp",
      "totp",
      "cookie"
    ]);
    NOT_SECRET_WORD = wordSet([
      "public",
      "pub",
      "publishable",
      "csrf",
      "xsrf",
      "authenticity",
      "nonce",
      "foreign",
      "sort",
      "partition",
      "cache",
      "primary"
    ]);
    KEY_MODIFIER = wordSet([
      "api",
      "access",
      "secret",
      "private",
      "auth",
      "client",
      "app",
      "master",
      "encryption",
      "signing",
      "license",
      "service",
      "storage",
      "shared",
      "session",
      "consumer",
      "account",
      "admin",
      "deploy",
      "ssh",
      "gpg",
      "pgp",
      "hmac",
      "webhook",
      "bot",
      "user",
      "integration",
      "server",
      "write",
      "read",
      "root",
      "global",
      "live",
      "prod",
      "production",
      "management",
      "subscription",
      "secondary"
    ]);
    ID_MODIFIER = wordSet(["access", "client", "app", "api", "account", "tenant", "consumer", "key"]);
    strengthCache = /* @__PURE__ */ new Map();
    PROVIDER_FORMATS = [
      [/telegram/i, /^\d{5,16}:A[\w-]{34}$/],
      // Okta's API tokens: `00` and 40 characters (developer.okta.com, "Create an API token")
      [/okta/i, /^00[\w=-]{40}$/],
      // Cisco Meraki's API keys: 40 lower-case hex characters (gitleaks' cisco-meraki-api-key)
      [/meraki/i, /^[0-9a-f]{40}$/]
    ];
    KEY_WORD = /pass|pwd|pw|secret|token|key|auth|cred|sig|sas|pat|jwt|dsn|cookie|bearer|otp|id\b|_id|Id\b/gi;
    KEY_CHAR = /[A-Za-z0-9_.$@-]/;
    AFTER_KEY = new RegExp(
      String.raw`(?:\\?["'\x60])?\]?(?:\\?["'\x60])?` + // closing quote / bracket of the key
      String.raw`(?:[ \t]{0,4}:[ \t]{0,4}[A-Za-z][\w.<>[\]?|]{0,30}(?=[ \t]{0,4}=)|[ \t]{1,4}[A-Za-z][\w<>[\]]{0,30}(?=[ \t]{0,4}=[^=>]))?` + // a type
      String.raw`([ \t]{0,8}(?:=>|:{1,3}=|\?=|\+=|\|\|=|!==?|===?|=|:|,|->)[ \t]{0,8}|[ \t]{1,4}(?=\\?["'\x60]))` + // separator
      String.raw`(?:\\?"((?:[^"\\\n]|\\[^"\n]){1,2048})\\?"|\\?'([^'\n]{1,2048})'|\x60([^\x60\n]{1,2048})\x60|([^\s"'\x60,;)}\]<>&|]{1,2048}))`,
      "y"
    );
    AFTER_FLAG = /[ \t]{1,4}([^\s"'`|;&<>-][^\s"'`|;&<>]{0,2047})/y;
    AFTER_XML_KEY_ATTR = /\\?["']\s{1,8}value\s{0,4}=\s{0,4}\\?["']([^"'\n]{1,2048})\\?["']/y;
    AUTH_HEADER = /\b(?:proxy-)?authorization\\?["']?\s{0,4}[:=,]\s{0,4}\\?["'\x60]?\s{0,4}(?:bearer|basic|token|digest|bot|sso-key|apikey|key)\s{1,4}([A-Za-z0-9._~+/=:-]{6,4096})/gi;
    URL_CREDENTIALS = /:\/\/([^\s:/@"'`<>]{0,200}):([^\s@/"'`<>]{1,400})@(?=[A-Za-z0-9[])/g;
    CURL_USER = /(?:^|\s)(?:-u|--user)[ \t=]{1,4}["']?([^\s"':]{0,200}):([^\s"']{0,400})["']?/g;
    K8S_SECRET = /^[ \t]*kind:[ \t]*["']?Secret["']?[ \t]*$/im;
    K8S_DATA_VALUE = /^([ \t]*[\w.-]{1,253}:[ \t]{1,8}["']?)([A-Za-z0-9+/]{4,65536}={0,2})(?=["']?[ \t]*(?:$|[,}\]]))/gm;
    TOKEN_RUN = /[A-Za-z0-9+/_.~-]{20,}={0,2}/g;
    NAMED_BY_KEY = /([A-Za-z_$][\w$.-]{0,80})\\?["']?(?:[ \t]{0,4}[:=]|\\?["']?[ \t]{1,4}value[ \t]{0,4}=)[ \t]{0,4}\\?["']?[^\s"'<>=:;&|\\]{0,200}$/;
    TAIL_RUN = /[A-Za-z0-9_+/=.~-]{8,}$/;
    PUBLIC_BLOCK = /-----BEGIN ((?:PGP )?PUBLIC KEY(?: BLOCK)?|CERTIFICATE|CERTIFICATE REQUEST|PGP SIGNATURE|PGP MESSAGE|AGE ENCRYPTED FILE|SSH2 PUBLIC KEY)-----[\s\S]{0,200000}?-----END \1-----/g;
    SOPS_VALUE = /ENC\[(?:AES256_GCM|PGP|KMS|AGE),data:[A-Za-z0-9+/=]{0,100000},iv:[A-Za-z0-9+/=]{0,200},tag:[A-Za-z0-9+/=]{0,200},type:[a-z]{1,10}\]/g;
    compiled = /* @__PURE__ */ new Map();
    ESCAPE = /\\([nrt"\\/])/g;
    UNESCAPE = { n: "\n", r: "\r", t: "	", '"': '"', "\\": "\\", "/": "/" };
    configured = {};
    ENV_LINE = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*)(.*)$/gm;
  }
});

// src/store/config.ts
var config_exports = {};
__export(config_exports, {
  loadConfig: () => loadConfig,
  setConfigPhase: () => setConfigPhase
});
async function loadConfig(paths) {
  const file = path5.join(paths.workTree, CONFIG_FILE);
  let st;
  try {
    st = fs5.statSync(file);
  } catch {
    configureRedaction(DEFAULT_CONFIG.redaction);
    return DEFAULT_CONFIG;
  }
  const key = `${st.size}:${st.mtimeMs}`;
  const cacheFile = path5.join(paths.trackingDir, "config-cache.json");
  try {
    const cached = JSON.parse(fs5.readFileSync(cacheFile, "utf8"));
    if (cached.key === key && cached.file === file) {
      const config2 = normalizeConfig(cached.config);
      configureRedaction(config2.redaction);
      return config2;
    }
  } catch {
  }
  const { parse } = await import("yaml");
  let config;
  try {
    config = normalizeConfig(parse(fs5.readFileSync(file, "utf8")));
  } catch {
    config = DEFAULT_CONFIG;
  }
  try {
    adoptOwnership(paths.commonDir, paths.workTree);
    writeFileDurable(cacheFile, JSON.stringify({ key, file, config }), { fsync: false });
  } catch {
  }
  configureRedaction(config.redaction);
  return config;
}
function setConfigPhase(paths, phase) {
  const file = path5.join(paths.workTree, CONFIG_FILE);
  let text;
  try {
    text = fs5.readFileSync(file, "utf8");
  } catch {
    return false;
  }
  const re = /^phase:[ \t]*([^\s#]*)([ \t]*(#.*)?)$/m;
  const m = re.exec(text);
  if (!m || m[1] === phase) return false;
  fs5.writeFileSync(file, text.replace(re, `phase: ${phase}$2`));
  return true;
}
var fs5, path5;
var init_config2 = __esm({
  "src/store/config.ts"() {
    "use strict";
    fs5 = __toESM(require("node:fs"), 1);
    path5 = __toESM(require("node:path"), 1);
    init_config();
    init_redact();
    init_fsutil();
    init_owner();
  }
});

// src/store/lock.ts
function tryCreate(file, content) {
  try {
    const fd = fs6.openSync(file, "wx");
    try {
      fs6.writeSync(fd, content);
    } finally {
      fs6.closeSync(fd);
    }
    return true;
  } catch (e) {
    if (e.code === "EEXIST") return false;
    throw e;
  }
}
function startTime(pid) {
  try {
    const stat = fs6.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  } catch {
    return null;
  }
}
function holderGone(h) {
  if (h.host !== os.hostname()) return false;
  if (!pidAlive(h.pid)) return true;
  const now = startTime(h.pid);
  return h.start !== null && now !== null && now !== h.start;
}
async function acquireMutex(file, waitMs) {
  mkdirOwned(path6.dirname(file));
  const self = me();
  const content = `${self.pid} ${self.host} ${self.start ?? "-"}
`;
  const deadline = Date.now() + waitMs;
  for (; ; ) {
    if (tryCreate(file, content)) {
      own(file);
      return () => {
        try {
          if (fs6.readFileSync(file, "utf8") === content) fs6.unlinkSync(file);
        } catch {
        }
      };
    }
    try {
      const st = fs6.statSync(file);
      const [pid, host, start] = fs6.readFileSync(file, "utf8").trim().split(" ");
      const n2 = Number(pid);
      const gone = !Number.isInteger(n2) || n2 <= 0 ? Date.now() - st.mtimeMs > 5e3 : holderGone({
        pid: n2,
        host: host ?? os.hostname(),
        start: start && start !== "-" ? Number(start) : null
      });
      if (gone && fs6.statSync(file).ino === st.ino) fs6.unlinkSync(file);
    } catch {
    }
    if (Date.now() >= deadline) return null;
    await sleep(20);
  }
}
var fs6, os, path6, sleep, pidAlive, me;
var init_lock = __esm({
  "src/store/lock.ts"() {
    "use strict";
    fs6 = __toESM(require("node:fs"), 1);
    os = __toESM(require("node:os"), 1);
    path6 = __toESM(require("node:path"), 1);
    init_owner();
    init_paths();
    sleep = (ms) => new Promise((r2) => setTimeout(r2, ms));
    pidAlive = (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        return e.code === "EPERM";
      }
    };
    me = () => ({ pid: process.pid, host: os.hostname(), start: startTime(process.pid) });
  }
});

// src/capture/diff.ts
function gitBlobId(content) {
  const body = Buffer.from(content, "utf8");
  return (0, import_node_crypto3.createHash)("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
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
var import_node_crypto3, splitLines;
var init_diff = __esm({
  "src/capture/diff.ts"() {
    "use strict";
    import_node_crypto3 = require("node:crypto");
    splitLines = (text) => {
      if (text === "") return [];
      const lines = text.split("\n");
      if (lines[lines.length - 1] === "") lines.pop();
      return lines;
    };
  }
});

// src/capture/redact.ts
var init_redact2 = __esm({
  "src/capture/redact.ts"() {
    "use strict";
    init_redact();
  }
});

// src/capture/events.ts
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
function relPath(file, workTree) {
  if (workTree && file.startsWith(`${workTree}/`)) return file.slice(workTree.length + 1);
  return file;
}
function relativeInput(input, workTree) {
  if (!workTree || !input || typeof input !== "object" || Array.isArray(input)) return input;
  let copy = null;
  for (const k of PATH_KEYS) {
    const v = input[k];
    if (typeof v !== "string") continue;
    const rel = relPath(v, workTree);
    if (rel !== v) {
      copy ??= { ...input };
      copy[k] = rel;
    }
  }
  return copy ?? input;
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
  return capValue(relativeInput(copy, ctx.workTree), ctx.config.limits.toolOutputBytes);
}
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
      return [
        {
          ...base("prompt"),
          text: cap(p.prompt ?? ""),
          promptId: str(p.prompt_id) ?? null,
          // where the conversation is: a flush that lost its cursors (a rebuilt state) finds it again
          ...str(p.transcript_path) ? { transcriptPath: str(p.transcript_path) } : {}
        }
      ];
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
var import_node_crypto4, AGENT_TOOLS, FILE_TOOLS, str, PATH_KEYS, FILE_TEXT_KEYS, filePathOf, toolInput;
var init_events = __esm({
  "src/capture/events.ts"() {
    "use strict";
    import_node_crypto4 = require("node:crypto");
    init_canonical();
    init_diff();
    init_redact2();
    AGENT_TOOLS = /* @__PURE__ */ new Set(["Agent", "Task"]);
    FILE_TOOLS = /* @__PURE__ */ new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"]);
    str = (v) => typeof v === "string" ? v : void 0;
    PATH_KEYS = ["file_path", "filePath", "notebook_path"];
    FILE_TEXT_KEYS = ["content", "old_string", "new_string", "originalFile", "oldString", "newString"];
    filePathOf = (p) => str(p.tool_input?.file_path) ?? str(p.tool_input?.notebook_path) ?? str(p.tool_response?.filePath);
    toolInput = (p, ctx) => fileAware(p.tool_input, filePathOf(p), ctx);
  }
});

// src/capture/raw.ts
var raw_exports = {};
__export(raw_exports, {
  convertRaw: () => convertRaw,
  ensureRawDir: () => ensureRawDir,
  rawDir: () => rawDir,
  rawPending: () => rawPending
});
function ensureRawDir(paths) {
  const dir = rawDir(paths);
  try {
    fs7.mkdirSync(dir, { mode: 448 });
  } catch (e) {
    if (e.code !== "EEXIST") {
      mkdirOwned(dir);
    }
  }
  own(dir);
  try {
    if ((fs7.statSync(dir).mode & 63) !== 0) fs7.chmodSync(dir, 448);
  } catch {
  }
}
function parseRaw(text) {
  const nl = text.indexOf("\n");
  const head = nl < 0 ? "" : text.slice(0, nl);
  const [workTree, body] = head.startsWith("/") ? [path7.resolve(head), text.slice(nl + 1)] : [null, text];
  try {
    return { workTree, payload: JSON.parse(body) };
  } catch {
    return null;
  }
}
function eventsOf(raw, config, paths) {
  const seed = (0, import_node_crypto5.createHash)("sha256").update(raw.name).update(String(raw.ns)).update(raw.bytes).digest("hex");
  let n2 = 0;
  const newId = () => {
    const h = (0, import_node_crypto5.createHash)("sha256").update(`${seed}:${n2++}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  };
  const ts = new Date(Number(raw.ns / 1000000n)).toISOString();
  const events = payloadToEvents(raw.payload, {
    now: () => ts,
    newId,
    config,
    workTree: raw.workTree ?? paths.workTree
  });
  return events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns, pass: "full" }));
}
function setAside(paths, name, text, why) {
  try {
    mkdirOwned(paths.errorsDir);
    const file = path7.join(paths.errorsDir, `raw-${name}`);
    fs7.writeFileSync(file, JSON.stringify({ error: why, payload: redactText(text, { pass: "full" }) }), {
      mode: 384
    });
    own(file);
  } catch {
  }
}
function spoolIds(file) {
  const ids = /* @__PURE__ */ new Set();
  let text = "";
  try {
    text = fs7.readFileSync(file, "utf8");
  } catch {
    return ids;
  }
  for (const m of text.matchAll(/^\{"id":"([^"]+)"/gm)) ids.add(m[1]);
  return ids;
}
async function convertRaw(paths, opts = {}) {
  const result = { payloads: 0, events: 0, bad: 0, left: 0 };
  const dir = rawDir(paths);
  try {
    fs7.rmSync(path7.join(paths.trackingDir, "flush.want"), { force: true });
  } catch {
  }
  if (!rawPending(paths)) return result;
  const release = await acquireMutex(rawLockFile(paths), opts.waitMs ?? 0);
  if (!release) return null;
  try {
    const config = opts.config ?? await loadConfig(paths);
    let suspect = /* @__PURE__ */ new Set();
    try {
      suspect = new Set(fs7.readFileSync(path7.join(dir, NOTE), "utf8").split("\n").filter(Boolean));
    } catch {
    }
    const files = [];
    for (const name of fs7.readdirSync(dir)) {
      const m = RAW_NAME.exec(name);
      if (!m) continue;
      const file = path7.join(dir, name);
      let bytes;
      let st;
      try {
        bytes = fs7.readFileSync(file);
        st = fs7.statSync(file, { bigint: true });
      } catch {
        continue;
      }
      const text = bytes.toString("utf8");
      const parsed = parseRaw(text);
      const payload = parsed?.payload;
      if (!parsed || !payload || typeof payload !== "object" || Array.isArray(payload)) {
        const gone = !pidAlive(Number(m[1])) || Date.now() - Number(st.mtimeMs) > STALE_MS;
        if (!parsed ? gone : true) {
          setAside(paths, name, text, parsed ? "payload is not an object" : "not a whole JSON payload");
          fs7.rmSync(file, { force: true });
          result.bad++;
        } else result.left++;
        continue;
      }
      const birth = st.birthtimeNs;
      const ns = birth > 0n && birth <= st.mtimeNs ? birth : st.mtimeNs;
      files.push({ name, file, ns, workTree: parsed.workTree, payload, bytes });
    }
    files.sort((a, b) => a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.name.localeCompare(b.name));
    const bySession = /* @__PURE__ */ new Map();
    const done = [];
    const seen = /* @__PURE__ */ new Map();
    const copies = [];
    for (const raw of files) {
      const body = (0, import_node_crypto5.createHash)("sha256").update(raw.bytes.subarray(raw.workTree === null ? 0 : raw.bytes.indexOf(10) + 1)).digest("hex");
      const at = seen.get(body);
      if (at !== void 0 && raw.ns - at < 1000000000n) {
        copies.push(raw);
        continue;
      }
      seen.set(body, raw.ns);
      let events;
      try {
        events = eventsOf(raw, config, paths);
      } catch (e) {
        setAside(paths, raw.name, raw.bytes.toString("utf8"), e.message);
        fs7.rmSync(raw.file, { force: true });
        result.bad++;
        continue;
      }
      done.push(raw);
      for (const e of events) {
        const list = bySession.get(e.session);
        if (list) list.push(e);
        else bySession.set(e.session, [e]);
      }
    }
    if (done.length) {
      const note = [.../* @__PURE__ */ new Set([...suspect, ...done.map((r2) => r2.name)])].join("\n");
      fs7.writeFileSync(path7.join(dir, NOTE), `${note}
`, { mode: 384 });
      own(path7.join(dir, NOTE));
      const suspectSessions = new Set(
        done.filter((r2) => suspect.has(r2.name)).map((r2) => String(r2.payload.session_id))
      );
      for (const [session, list] of bySession) {
        let events = list;
        if (suspectSessions.has(session)) {
          const have = spoolIds(spoolFile(paths, session));
          events = list.filter((e) => !have.has(e.id));
        }
        if (!events.length) continue;
        const { file } = appendEvents(paths, session, events);
        const fd = fs7.openSync(file, "r");
        try {
          fs7.fsyncSync(fd);
        } finally {
          fs7.closeSync(fd);
        }
        result.events += events.length;
      }
      if (process.env.AGENT_TRACK_FAULT === "after-raw-append") process.kill(process.pid, "SIGKILL");
      for (const raw of done) fs7.rmSync(raw.file, { force: true });
      result.payloads = done.length;
    }
    for (const raw of copies) fs7.rmSync(raw.file, { force: true });
    fs7.rmSync(path7.join(dir, NOTE), { force: true });
    return result;
  } finally {
    release();
  }
}
var import_node_crypto5, fs7, path7, rawDir, rawPending, NOTE, STALE_MS;
var init_raw = __esm({
  "src/capture/raw.ts"() {
    "use strict";
    import_node_crypto5 = require("node:crypto");
    fs7 = __toESM(require("node:fs"), 1);
    path7 = __toESM(require("node:path"), 1);
    init_config2();
    init_lock();
    init_owner();
    init_spool();
    init_events();
    init_redact2();
    rawDir = rawSpoolDir;
    rawPending = rawWaiting;
    NOTE = RAW_NOTE;
    STALE_MS = 60 * 60 * 1e3;
  }
});

// cli/statusline-main.ts
var statusline_main_exports = {};
__export(statusline_main_exports, {
  main: () => main
});
module.exports = __toCommonJS(statusline_main_exports);

// src/capture/statusline.ts
var fs8 = __toESM(require("node:fs"), 1);
var path8 = __toESM(require("node:path"), 1);
init_config();

// src/model/prices.generated.ts
var PRICE_TABLE = { "source": "@pydantic/genai-prices 0.1.8", "unit": "USD per million tokens", "models": [{ "id": "claude-2", "name": "Claude 2.0 / 2.1", "match": { "or": [{ "starts_with": "claude-2" }, { "contains": "claude-v2" }] }, "prices": [{ "since": null, "input": 8, "output": 24, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 16 }] }, { "id": "claude-3-5-haiku-latest", "name": "Claude Haiku 3.5", "match": { "or": [{ "starts_with": "claude-3-5-haiku" }, { "starts_with": "claude-3.5-haiku" }] }, "prices": [{ "since": null, "input": 0.8, "output": 4, "cacheRead": 0.08, "cacheWrite5m": 1, "cacheWrite1h": 1.6 }] }, { "id": "claude-3-5-sonnet", "name": "Claude Sonnet 3.5", "match": { "or": [{ "starts_with": "claude-3-5-sonnet" }, { "starts_with": "claude-3.5-sonnet" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-3-7-sonnet-latest", "name": "Claude Sonnet 3.7", "match": { "or": [{ "starts_with": "claude-3-7-sonnet" }, { "starts_with": "claude-3.7-sonnet" }, { "starts_with": "claude-sonnet-3.7" }, { "starts_with": "claude-sonnet-3-7" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-3-haiku", "name": "Claude Haiku 3", "match": { "starts_with": "claude-3-haiku" }, "prices": [{ "since": null, "input": 0.25, "output": 1.25, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.5 }] }, { "id": "claude-3-opus-latest", "name": "Claude Opus 3", "match": { "starts_with": "claude-3-opus" }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-3-sonnet", "name": "Claude 3 Sonnet", "match": { "starts_with": "claude-3-sonnet" }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-fable-5", "name": "Claude Fable 5", "match": { "or": [{ "equals": "claude-fable-5" }, { "regex": "^claude-fable-5-\\d{8}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 20 }] }, { "id": "claude-fable-5-1", "name": "Claude Fable 5.1", "match": { "or": [{ "equals": "claude-fable-5-1" }, { "regex": "^claude-fable-5-1-\\d{8}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 0.25, "cacheWrite5m": 12.5, "cacheWrite1h": 20 }] }, { "id": "claude-haiku-4-5", "name": "Claude Haiku 4.5", "match": { "or": [{ "starts_with": "claude-haiku-4-5" }, { "starts_with": "claude-haiku-4.5" }, { "starts_with": "claude-4-5-haiku" }, { "starts_with": "claude-4.5-haiku" }] }, "prices": [{ "since": null, "input": 1, "output": 5, "cacheRead": 0.1, "cacheWrite5m": 1.25, "cacheWrite1h": 2 }] }, { "id": "claude-opus-4-0", "name": "Claude Opus 4", "match": { "or": [{ "starts_with": "claude-opus-4-0" }, { "starts_with": "claude-4-opus" }, { "equals": "claude-opus-4" }, { "equals": "claude-opus-4-20250514" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-opus-4-1", "name": "Claude Opus 4.1", "match": { "or": [{ "starts_with": "claude-opus-4-1" }, { "starts_with": "claude-opus-4.1" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-opus-4-5", "name": "Claude Opus 4.5", "match": { "or": [{ "starts_with": "claude-opus-4-5" }, { "starts_with": "claude-opus-4.5" }, { "starts_with": "claude-4-5-opus" }, { "starts_with": "claude-4.5-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-4-6", "name": "Claude Opus 4.6", "match": { "or": [{ "starts_with": "claude-opus-4-6" }, { "starts_with": "claude-opus-4.6" }, { "starts_with": "claude-4-6-opus" }, { "starts_with": "claude-4.6-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10, "long": { "threshold": 2e5, "input": 10, "output": 37.5, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 20 } }, { "since": "2026-03-13", "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }], "fast": 6 }, { "id": "claude-opus-4-7", "name": "Claude Opus 4.7", "match": { "or": [{ "starts_with": "claude-opus-4-7" }, { "starts_with": "claude-opus-4.7" }, { "starts_with": "claude-4-7-opus" }, { "starts_with": "claude-4.7-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }], "fast": 6 }, { "id": "claude-opus-4-8", "name": "Claude Opus 4.8", "match": { "or": [{ "starts_with": "claude-opus-4-8" }, { "starts_with": "claude-opus-4.8" }, { "starts_with": "claude-4-8-opus" }, { "starts_with": "claude-4.8-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-5", "name": "Claude Opus 5", "match": { "or": [{ "equals": "claude-opus-5" }, { "regex": "^claude-opus-5-\\d{8}$" }, { "starts_with": "claude-opus-5.0" }, { "starts_with": "claude-5-opus" }, { "starts_with": "claude-5.0-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-5-5", "name": "Claude Opus 5.5", "match": { "or": [{ "equals": "claude-opus-5-5" }, { "regex": "^claude-opus-5-5-\\d{8}$" }, { "starts_with": "claude-opus-5.5" }, { "starts_with": "claude-5-5-opus" }, { "starts_with": "claude-5.5-opus" }] }, "prices": [{ "since": null, "input": 4, "output": 20, "cacheRead": 0.2, "cacheWrite5m": 5, "cacheWrite1h": 8 }] }, { "id": "claude-sonnet-4-0", "name": "Claude Sonnet 4", "match": { "or": [{ "starts_with": "claude-sonnet-4-2025" }, { "starts_with": "claude-sonnet-4-0" }, { "starts_with": "claude-sonnet-4@" }, { "equals": "claude-sonnet-4" }, { "starts_with": "claude-4-sonnet" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }] }, { "id": "claude-sonnet-4-5", "name": "Claude Sonnet 4.5", "match": { "or": [{ "starts_with": "claude-sonnet-4-5" }, { "starts_with": "claude-sonnet-4.5" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }] }, { "id": "claude-sonnet-4-6", "name": "Claude Sonnet 4.6", "match": { "or": [{ "starts_with": "claude-sonnet-4-6" }, { "starts_with": "claude-sonnet-4.6" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }, { "since": "2026-03-13", "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-sonnet-5", "name": "Claude Sonnet 5", "match": { "or": [{ "starts_with": "claude-sonnet-5" }, { "starts_with": "claude-sonnet-5.0" }, { "starts_with": "claude-5-sonnet" }, { "starts_with": "claude-5.0-sonnet" }] }, "prices": [{ "since": null, "input": 2, "output": 10, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 4 }] }, { "id": "claude-v1", "match": { "equals": "claude-v1" }, "prices": [{ "since": null, "input": 8, "output": 24, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 16 }] }, { "id": "ada", "match": { "or": [{ "equals": "ada" }, { "equals": "text-ada-001" }] }, "prices": [{ "since": null, "input": 0.4, "output": 0.4, "cacheRead": 0.4, "cacheWrite5m": 0.4, "cacheWrite1h": 0.4 }] }, { "id": "babbage", "match": { "equals": "babbage" }, "prices": [{ "since": null, "input": 0.5, "output": 0.5, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "chatgpt-4o-latest", "name": "ChatGPT-4o", "match": { "equals": "chatgpt-4o-latest" }, "prices": [{ "since": null, "input": 5, "output": 15, "cacheRead": 5, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "codex-mini", "name": "Codex Mini", "match": { "or": [{ "equals": "codex-mini" }, { "equals": "codex-mini-latest" }] }, "prices": [{ "since": null, "input": 1.5, "output": 6, "cacheRead": 0.375, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "computer-use", "name": "Computer use", "match": { "starts_with": "computer-use" }, "prices": [{ "since": null, "input": 3, "output": 12, "cacheRead": 3, "cacheWrite5m": 3, "cacheWrite1h": 3 }] }, { "id": "curie", "match": { "or": [{ "equals": "curie" }, { "equals": "text-curie-001" }] }, "prices": [{ "since": null, "input": 2, "output": 2, "cacheRead": 2, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "davinci", "match": { "or": [{ "equals": "davinci" }, { "equals": "text-davinci-001" }] }, "prices": [{ "since": null, "input": 20, "output": 20, "cacheRead": 20, "cacheWrite5m": 20, "cacheWrite1h": 20 }] }, { "id": "ft:gpt-3.5-turbo-", "match": { "starts_with": "ft:gpt-3.5-turbo" }, "prices": [{ "since": null, "input": 3, "output": 6, "cacheRead": 3, "cacheWrite5m": 3, "cacheWrite1h": 3 }] }, { "id": "ft:gpt-4o", "match": { "starts_with": "ft:gpt-4o-2024-" }, "prices": [{ "since": null, "input": 3.75, "output": 15, "cacheRead": 3.75, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75 }] }, { "id": "ft:gpt-4o-mini", "match": { "starts_with": "ft:gpt-4o-mini-2024-" }, "prices": [{ "since": null, "input": 0.3, "output": 1.2, "cacheRead": 0.3, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "gpt-3.5-0301", "match": { "or": [{ "equals": "gpt-3.5-turbo-0301" }, { "equals": "gpt-3.5-0301" }] }, "prices": [{ "since": null, "input": 1.5, "output": 2, "cacheRead": 1.5, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gpt-3.5-turbo", "name": "gpt 3.5 turbo", "match": { "or": [{ "equals": "gpt-3.5-turbo" }, { "equals": "gpt-35-turbo" }, { "equals": "gpt-3.5-turbo-0125" }] }, "prices": [{ "since": null, "input": 0.5, "output": 1.5, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gpt-3.5-turbo-0613", "match": { "equals": "gpt-3.5-turbo-0613" }, "prices": [{ "since": null, "input": 1.5, "output": 2, "cacheRead": 1.5, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gpt-3.5-turbo-1106", "match": { "equals": "gpt-3.5-turbo-1106" }, "prices": [{ "since": null, "input": 1, "output": 2, "cacheRead": 1, "cacheWrite5m": 1, "cacheWrite1h": 1 }] }, { "id": "gpt-3.5-turbo-16k", "name": "GPT-3.5 Turbo 16k", "match": { "or": [{ "equals": "gpt-3.5-turbo-16k" }, { "equals": "gpt-3.5-turbo-16k-0613" }, { "equals": "gpt-35-turbo-16k-0613" }, { "equals": "gpt-35-turbo-16k" }] }, "prices": [{ "since": null, "input": 3, "output": 4, "cacheRead": 3, "cacheWrite5m": 3, "cacheWrite1h": 3 }] }, { "id": "gpt-3.5-turbo-instruct", "name": "gpt 3.5 turbo instruct", "match": { "or": [{ "starts_with": "gpt-3.5-turbo-instruct" }, { "equals": "gpt-3.5-turbo-instruct-0914" }] }, "prices": [{ "since": null, "input": 1.5, "output": 2, "cacheRead": 1.5, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gpt-4", "name": "gpt 4", "match": { "or": [{ "equals": "gpt-4" }, { "equals": "gpt-4-0314" }, { "equals": "gpt-4-0613" }, { "starts_with": "ft:gpt-4-0" }] }, "prices": [{ "since": null, "input": 30, "output": 60, "cacheRead": 30, "cacheWrite5m": 30, "cacheWrite1h": 30 }] }, { "id": "gpt-4-32k", "name": "gpt 4", "match": { "or": [{ "equals": "gpt-4-32k" }, { "equals": "gpt-4-32k-0314" }, { "equals": "gpt-4-32k-0613" }] }, "prices": [{ "since": null, "input": 60, "output": 120, "cacheRead": 60, "cacheWrite5m": 60, "cacheWrite1h": 60 }] }, { "id": "gpt-4-turbo", "name": "gpt 4 turbo", "match": { "or": [{ "equals": "gpt-4-turbo" }, { "equals": "gpt-4-turbo-2024-04-09" }, { "equals": "gpt-4-turbo-0125-preview" }, { "equals": "gpt-4-0125-preview" }, { "equals": "gpt-4-1106-preview" }, { "equals": "gpt-4-turbo-preview" }] }, "prices": [{ "since": null, "input": 10, "output": 30, "cacheRead": 10, "cacheWrite5m": 10, "cacheWrite1h": 10 }] }, { "id": "gpt-4-vision-preview", "name": "gpt 4 vision", "match": { "or": [{ "equals": "gpt-4-vision-preview" }, { "equals": "gpt-4-1106-vision-preview" }] }, "prices": [{ "since": null, "input": 10, "output": 30, "cacheRead": 10, "cacheWrite5m": 10, "cacheWrite1h": 10 }] }, { "id": "gpt-4.1", "name": "gpt 4.1", "match": { "or": [{ "equals": "gpt-4.1" }, { "equals": "gpt-4.1-2025-04-14" }] }, "prices": [{ "since": null, "input": 2, "output": 8, "cacheRead": 0.5, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "gpt-4.1-mini", "name": "gpt 4.1 mini", "match": { "or": [{ "equals": "gpt-4.1-mini" }, { "equals": "gpt-4.1-mini-2025-04-14" }] }, "prices": [{ "since": null, "input": 0.4, "output": 1.6, "cacheRead": 0.1, "cacheWrite5m": 0.4, "cacheWrite1h": 0.4 }] }, { "id": "gpt-4.1-nano", "name": "gpt 4.1 nano", "match": { "or": [{ "equals": "gpt-4.1-nano" }, { "equals": "gpt-4.1-nano-2025-04-14" }] }, "prices": [{ "since": null, "input": 0.1, "output": 0.4, "cacheRead": 0.025, "cacheWrite5m": 0.1, "cacheWrite1h": 0.1 }] }, { "id": "gpt-4.5-preview", "name": "GPT-4.5 (Preview)", "match": { "starts_with": "gpt-4.5-preview" }, "prices": [{ "since": null, "input": 75, "output": 150, "cacheRead": 37.5, "cacheWrite5m": 75, "cacheWrite1h": 75 }] }, { "id": "gpt-4o", "name": "gpt 4o", "match": { "or": [{ "equals": "gpt-4o" }, { "equals": "gpt-4o-2024-08-06" }, { "equals": "gpt-4o-2024-11-20" }] }, "prices": [{ "since": null, "input": 2.5, "output": 10, "cacheRead": 1.25, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-4o-2024-05-13", "name": "gpt 4o (2024-05-13)", "match": { "equals": "gpt-4o-2024-05-13" }, "prices": [{ "since": null, "input": 5, "output": 15, "cacheRead": 5, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-4o-audio-preview", "name": "gpt 4o audio preview", "match": { "starts_with": "gpt-4o-audio-preview" }, "prices": [{ "since": null, "input": 2.5, "output": 10, "cacheRead": 2.5, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-4o-mini", "name": "gpt 4o mini", "match": { "or": [{ "equals": "gpt-4o-mini" }, { "equals": "gpt-4o-mini-2024-07-18" }, { "equals": "gpt-4o-mini-search-preview" }, { "equals": "gpt-4o-mini-search-preview-2025-03-11" }] }, "prices": [{ "since": null, "input": 0.15, "output": 0.6, "cacheRead": 0.075, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 }] }, { "id": "gpt-4o-mini-2024-07-18.ft-", "match": { "starts_with": "gpt-4o-mini-2024-07-18.ft-" }, "prices": [{ "since": null, "input": 0.3, "output": 1.2, "cacheRead": 0.3, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "gpt-4o-mini-audio-preview", "name": "gpt 4o mini audio preview", "match": { "starts_with": "gpt-4o-mini-audio" }, "prices": [{ "since": null, "input": 0.15, "output": 0.6, "cacheRead": 0.15, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 }] }, { "id": "gpt-4o-mini-realtime-preview", "match": { "starts_with": "gpt-4o-mini-realtime" }, "prices": [{ "since": null, "input": 0.6, "output": 2.4, "cacheRead": 0.3, "cacheWrite5m": 0.6, "cacheWrite1h": 0.6 }] }, { "id": "gpt-4o-mini-transcribe", "match": { "equals": "gpt-4o-mini-transcribe" }, "prices": [{ "since": null, "input": 1.25, "output": 5, "cacheRead": 1.25, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25 }] }, { "id": "gpt-4o-mini-tts", "match": { "equals": "gpt-4o-mini-tts" }, "prices": [{ "since": null, "input": 0.6, "output": 12, "cacheRead": 0.6, "cacheWrite5m": 0.6, "cacheWrite1h": 0.6 }] }, { "id": "gpt-4o-realtime-preview", "match": { "starts_with": "gpt-4o-realtime" }, "prices": [{ "since": null, "input": 5, "output": 20, "cacheRead": 2.5, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-4o-search-preview", "name": "GPT-4o Search Preview", "match": { "or": [{ "equals": "gpt-4o-search-preview" }, { "equals": "gpt-4o-search-preview-2025-03-11" }] }, "prices": [{ "since": null, "input": 2.5, "output": 10, "cacheRead": 2.5, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-4o-transcribe", "match": { "or": [{ "equals": "gpt-4o-transcribe" }, { "equals": "gpt-4o-transcribe-diarize" }] }, "prices": [{ "since": null, "input": 2.5, "output": 10, "cacheRead": 2.5, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-4o:extended", "name": "GPT-4o (extended)", "match": { "equals": "gpt-4o:extended" }, "prices": [{ "since": null, "input": 6, "output": 18, "cacheRead": 6, "cacheWrite5m": 6, "cacheWrite1h": 6 }] }, { "id": "gpt-5", "name": "GPT-5", "match": { "or": [{ "equals": "gpt-5" }, { "equals": "gpt-5-2025-08-07" }, { "equals": "gpt-5-chat" }, { "equals": "gpt-5-chat-latest" }, { "equals": "gpt-5-codex" }] }, "prices": [{ "since": null, "input": 1.25, "output": 10, "cacheRead": 0.125, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25 }] }, { "id": "gpt-5-image", "match": { "equals": "gpt-5-image" }, "prices": [{ "since": null, "input": 10, "output": 10, "cacheRead": 1.25, "cacheWrite5m": 10, "cacheWrite1h": 10 }] }, { "id": "gpt-5-image-mini", "match": { "equals": "gpt-5-image-mini" }, "prices": [{ "since": null, "input": 2.5, "output": 2, "cacheRead": 0.25, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-5-mini", "name": "GPT-5 mini", "match": { "or": [{ "equals": "gpt-5-mini" }, { "equals": "gpt-5-mini-2025-08-07" }] }, "prices": [{ "since": null, "input": 0.25, "output": 2, "cacheRead": 0.025, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25 }] }, { "id": "gpt-5-nano", "name": "GPT-5 nano", "match": { "or": [{ "equals": "gpt-5-nano" }, { "starts_with": "gpt-5-nano-" }] }, "prices": [{ "since": null, "input": 0.05, "output": 0.4, "cacheRead": 5e-3, "cacheWrite5m": 0.05, "cacheWrite1h": 0.05 }] }, { "id": "gpt-5-pro", "match": { "or": [{ "equals": "gpt-5-pro" }, { "equals": "gpt-5-pro-2025-10-06" }] }, "prices": [{ "since": null, "input": 15, "output": 120, "cacheRead": 15, "cacheWrite5m": 15, "cacheWrite1h": 15 }] }, { "id": "gpt-5.1", "name": "GPT-5.1", "match": { "or": [{ "equals": "gpt-5.1" }, { "equals": "gpt-5.1-2025-11-13" }, { "equals": "gpt-5.1-codex" }, { "equals": "gpt-5.1-codex-max" }, { "equals": "gpt-5.1-chat" }, { "equals": "gpt-5.1-chat-latest" }, { "equals": "gpt-5-1" }, { "equals": "gpt-5-1-2025-11-13" }, { "equals": "gpt-5-1-codex" }, { "equals": "gpt-5-1-codex-max" }, { "equals": "gpt-5-1-chat" }, { "equals": "gpt-5-1-chat-latest" }] }, "prices": [{ "since": null, "input": 1.25, "output": 10, "cacheRead": 0.125, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25 }] }, { "id": "gpt-5.1-codex-mini", "name": "GPT-5.1 Codex Mini", "match": { "or": [{ "equals": "gpt-5.1-codex-mini" }, { "equals": "gpt-5.1-mini" }, { "equals": "gpt-5-1-codex-mini" }, { "equals": "gpt-5-1-mini" }] }, "prices": [{ "since": null, "input": 0.25, "output": 2, "cacheRead": 0.025, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25 }] }, { "id": "gpt-5.2", "name": "GPT-5.2", "match": { "or": [{ "equals": "gpt-5.2" }, { "equals": "gpt-5.2-2025-12-11" }, { "equals": "gpt-5-2" }, { "equals": "gpt-5-2-2025-12-11" }, { "equals": "gpt-5.2-chat" }, { "equals": "gpt-5.2-chat-latest" }, { "equals": "gpt-5-2-chat" }, { "equals": "gpt-5-2-chat-latest" }, { "equals": "gpt-5.2-codex" }, { "equals": "gpt-5-2-codex" }] }, "prices": [{ "since": null, "input": 1.75, "output": 14, "cacheRead": 0.175, "cacheWrite5m": 1.75, "cacheWrite1h": 1.75 }] }, { "id": "gpt-5.2-pro", "match": { "or": [{ "equals": "gpt-5.2-pro" }, { "equals": "gpt-5.2-pro-2025-12-11" }, { "equals": "gpt-5-2-pro-2025-12-11" }] }, "prices": [{ "since": null, "input": 21, "output": 168, "cacheRead": 21, "cacheWrite5m": 21, "cacheWrite1h": 21 }] }, { "id": "gpt-5.3", "name": "GPT-5.3 Chat", "match": { "or": [{ "equals": "gpt-5.3" }, { "equals": "gpt-5-3" }, { "equals": "gpt-5.3-chat" }, { "equals": "gpt-5.3-chat-latest" }, { "equals": "gpt-5-3-chat" }, { "equals": "gpt-5-3-chat-latest" }] }, "prices": [{ "since": null, "input": 1.75, "output": 14, "cacheRead": 0.175, "cacheWrite5m": 1.75, "cacheWrite1h": 1.75 }] }, { "id": "gpt-5.3-codex", "name": "GPT-5.3-Codex", "match": { "or": [{ "equals": "gpt-5.3-codex" }, { "equals": "gpt-5-3-codex" }] }, "prices": [{ "since": null, "input": 1.75, "output": 14, "cacheRead": 0.175, "cacheWrite5m": 1.75, "cacheWrite1h": 1.75 }] }, { "id": "gpt-5.4", "name": "GPT-5.4", "match": { "or": [{ "equals": "gpt-5.4" }, { "equals": "gpt-5.4-2026-03-05" }, { "equals": "gpt-5-4" }, { "equals": "gpt-5-4-2026-03-05" }] }, "prices": [{ "since": null, "input": 2.5, "output": 15, "cacheRead": 0.25, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5, "long": { "threshold": 271999, "input": 5, "output": 22.5, "cacheRead": 0.5, "cacheWrite5m": 5, "cacheWrite1h": 5 } }] }, { "id": "gpt-5.4-image-2", "name": "GPT-5.4 Image 2", "match": { "equals": "gpt-5.4-image-2" }, "prices": [{ "since": null, "input": 8, "output": 15, "cacheRead": 2, "cacheWrite5m": 8, "cacheWrite1h": 8 }] }, { "id": "gpt-5.4-mini", "name": "GPT-5.4 mini", "match": { "or": [{ "equals": "gpt-5.4-mini" }, { "equals": "gpt-5.4-mini-2026-03-17" }, { "equals": "gpt-5-4-mini" }, { "equals": "gpt-5-4-mini-2026-03-17" }] }, "prices": [{ "since": null, "input": 0.75, "output": 4.5, "cacheRead": 0.075, "cacheWrite5m": 0.75, "cacheWrite1h": 0.75 }] }, { "id": "gpt-5.4-nano", "name": "GPT-5.4 nano", "match": { "or": [{ "equals": "gpt-5.4-nano" }, { "equals": "gpt-5.4-nano-2026-03-17" }, { "equals": "gpt-5-4-nano" }, { "equals": "gpt-5-4-nano-2026-03-17" }] }, "prices": [{ "since": null, "input": 0.2, "output": 1.25, "cacheRead": 0.02, "cacheWrite5m": 0.2, "cacheWrite1h": 0.2 }] }, { "id": "gpt-5.4-pro", "name": "GPT-5.4 Pro", "match": { "or": [{ "equals": "gpt-5.4-pro" }, { "equals": "gpt-5.4-pro-2026-03-05" }, { "equals": "gpt-5-4-pro" }, { "equals": "gpt-5-4-pro-2026-03-05" }] }, "prices": [{ "since": null, "input": 30, "output": 180, "cacheRead": 30, "cacheWrite5m": 30, "cacheWrite1h": 30, "long": { "threshold": 271999, "input": 60, "output": 270, "cacheRead": 60, "cacheWrite5m": 60, "cacheWrite1h": 60 } }] }, { "id": "gpt-5.5", "name": "GPT-5.5", "match": { "or": [{ "equals": "gpt-5.5" }, { "equals": "gpt-5.5-2026-04-23" }, { "equals": "gpt-5.5-2026-04-24" }, { "equals": "gpt-5-5" }, { "equals": "gpt-5-5-2026-04-23" }, { "equals": "gpt-5-5-2026-04-24" }, { "equals": "gpt-5.5-chat" }, { "equals": "gpt-5.5-chat-latest" }, { "equals": "gpt-5-5-chat" }, { "equals": "gpt-5-5-chat-latest" }, { "equals": "gpt-5.5-codex" }, { "equals": "gpt-5-5-codex" }] }, "prices": [{ "since": null, "input": 5, "output": 30, "cacheRead": 0.5, "cacheWrite5m": 5, "cacheWrite1h": 5, "long": { "threshold": 271999, "input": 10, "output": 45, "cacheRead": 1, "cacheWrite5m": 10, "cacheWrite1h": 10 } }] }, { "id": "gpt-5.5-pro", "name": "GPT-5.5 Pro", "match": { "or": [{ "equals": "gpt-5.5-pro" }, { "equals": "gpt-5.5-pro-2026-04-23" }, { "equals": "gpt-5-5-pro" }, { "equals": "gpt-5-5-pro-2026-04-23" }] }, "prices": [{ "since": null, "input": 30, "output": 180, "cacheRead": 30, "cacheWrite5m": 30, "cacheWrite1h": 30, "long": { "threshold": 271999, "input": 60, "output": 270, "cacheRead": 60, "cacheWrite5m": 60, "cacheWrite1h": 60 } }] }, { "id": "gpt-5.6-luna", "name": "GPT-5.6 Luna", "match": { "or": [{ "equals": "gpt-5.6-luna" }, { "equals": "gpt-5-6-luna" }, { "regex": "^gpt-5\\.6-luna-\\d{4}-\\d{2}-\\d{2}$" }, { "regex": "^gpt-5-6-luna-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 1, "output": 6, "cacheRead": 0.1, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25, "long": { "threshold": 271999, "input": 2, "output": 9, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 } }, { "since": "2026-07-30", "input": 0.2, "output": 1.2, "cacheRead": 0.02, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25, "long": { "threshold": 271999, "input": 0.4, "output": 1.8, "cacheRead": 0.04, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 } }] }, { "id": "gpt-5.6-sol", "name": "GPT-5.6 Sol", "match": { "or": [{ "equals": "gpt-5.6-sol" }, { "equals": "gpt-5-6-sol" }, { "equals": "gpt-5.6" }, { "equals": "gpt-5-6" }, { "regex": "^gpt-5\\.6-sol-\\d{4}-\\d{2}-\\d{2}$" }, { "regex": "^gpt-5-6-sol-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 5, "output": 30, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25, "long": { "threshold": 271999, "input": 10, "output": 45, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 12.5 } }, { "since": "2026-08-21", "input": 4, "output": 20, "cacheRead": 0.4, "cacheWrite5m": 5, "cacheWrite1h": 5, "long": { "threshold": 271999, "input": 8, "output": 30, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 10 } }] }, { "id": "gpt-5.6-terra", "name": "GPT-5.6 Terra", "match": { "or": [{ "equals": "gpt-5.6-terra" }, { "equals": "gpt-5-6-terra" }, { "regex": "^gpt-5\\.6-terra-\\d{4}-\\d{2}-\\d{2}$" }, { "regex": "^gpt-5-6-terra-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 2.5, "output": 15, "cacheRead": 0.25, "cacheWrite5m": 3.125, "cacheWrite1h": 3.125, "long": { "threshold": 271999, "input": 5, "output": 22.5, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25 } }, { "since": "2026-07-30", "input": 2, "output": 12, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5, "long": { "threshold": 271999, "input": 4, "output": 18, "cacheRead": 0.4, "cacheWrite5m": 5, "cacheWrite1h": 5 } }] }, { "id": "gpt-6-astra", "name": "GPT-6 Astra", "match": { "or": [{ "equals": "gpt-6-astra" }, { "regex": "^gpt-6-astra-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 12.5, "long": { "threshold": 271999, "input": 20, "output": 75, "cacheRead": 2, "cacheWrite5m": 25, "cacheWrite1h": 25 } }] }, { "id": "gpt-6-luna", "name": "GPT-6 Luna", "match": { "or": [{ "equals": "gpt-6-luna" }, { "regex": "^gpt-6-luna-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 0.1, "output": 0.5, "cacheRead": 0.01, "cacheWrite5m": 0.125, "cacheWrite1h": 0.125, "long": { "threshold": 272e3, "input": 0.2, "output": 0.75, "cacheRead": 0.02, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25 } }] }, { "id": "gpt-6-sol", "name": "GPT-6 Sol", "match": { "or": [{ "equals": "gpt-6-sol" }, { "regex": "^gpt-6-sol-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 2, "output": 10, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5, "long": { "threshold": 272e3, "input": 4, "output": 15, "cacheRead": 0.4, "cacheWrite5m": 5, "cacheWrite1h": 5 } }] }, { "id": "gpt-audio", "name": "GPT Audio", "match": { "or": [{ "equals": "gpt-audio" }, { "equals": "gpt-audio-2025-08-28" }, { "equals": "gpt-audio-1.5" }] }, "prices": [{ "since": null, "input": 2.5, "output": 10, "cacheRead": 2.5, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-audio-mini", "name": "GPT Audio Mini", "match": { "or": [{ "equals": "gpt-audio-mini" }, { "equals": "gpt-audio-mini-2025-10-06" }, { "equals": "gpt-audio-mini-2025-12-15" }] }, "prices": [{ "since": null, "input": 0.6, "output": 2.4, "cacheRead": 0.6, "cacheWrite5m": 0.6, "cacheWrite1h": 0.6 }] }, { "id": "gpt-chat-latest", "name": "GPT Chat Latest", "match": { "equals": "gpt-chat-latest" }, "prices": [{ "since": null, "input": 5, "output": 30, "cacheRead": 0.5, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-image-1", "name": "GPT Image 1", "match": { "equals": "gpt-image-1" }, "prices": [{ "since": null, "input": 5, "output": 40, "cacheRead": 1.25, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-image-1-mini", "name": "GPT Image 1 Mini", "match": { "or": [{ "equals": "gpt-image-1-mini" }] }, "prices": [{ "since": null, "input": 2, "output": 8, "cacheRead": 0.2, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "gpt-image-1.5", "name": "GPT Image 1.5", "match": { "or": [{ "equals": "gpt-image-1.5" }, { "equals": "gpt-image-1.5-2025-12-16" }] }, "prices": [{ "since": null, "input": 5, "output": 10, "cacheRead": 1.25, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-image-2", "name": "GPT Image 2", "match": { "or": [{ "equals": "gpt-image-2" }, { "equals": "gpt-image-2-2026-04-21" }] }, "prices": [{ "since": null, "input": 5, "output": 30, "cacheRead": 1.25, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-oss-120b", "name": "gpt-oss-120b", "match": { "equals": "gpt-oss-120b" }, "prices": [{ "since": null, "input": 0.039, "output": 0.18, "cacheRead": 0.039, "cacheWrite5m": 0.039, "cacheWrite1h": 0.039 }] }, { "id": "gpt-oss-20b", "name": "gpt-oss-20b", "match": { "equals": "gpt-oss-20b" }, "prices": [{ "since": null, "input": 0.029, "output": 0.14, "cacheRead": 0.029, "cacheWrite5m": 0.029, "cacheWrite1h": 0.029 }] }, { "id": "gpt-oss-safeguard-20b", "name": "gpt-oss-safeguard-20b", "match": { "equals": "gpt-oss-safeguard-20b" }, "prices": [{ "since": null, "input": 0.075, "output": 0.3, "cacheRead": 0.037, "cacheWrite5m": 0.075, "cacheWrite1h": 0.075 }] }, { "id": "gpt-realtime", "match": { "or": [{ "equals": "gpt-realtime" }, { "equals": "gpt-realtime-2025-08-28" }, { "equals": "gpt-realtime-1.5" }] }, "prices": [{ "since": null, "input": 4, "output": 16, "cacheRead": 0.4, "cacheWrite5m": 4, "cacheWrite1h": 4 }] }, { "id": "gpt-realtime-2", "match": { "or": [{ "equals": "gpt-realtime-2" }, { "equals": "gpt-realtime-2.1" }] }, "prices": [{ "since": null, "input": 4, "output": 24, "cacheRead": 0.4, "cacheWrite5m": 4, "cacheWrite1h": 4 }] }, { "id": "gpt-realtime-mini", "match": { "or": [{ "equals": "gpt-realtime-mini" }, { "equals": "gpt-realtime-2.1-mini" }, { "equals": "gpt-realtime-mini-2025-12-15" }, { "equals": "gpt-realtime-mini-2025-10-06" }] }, "prices": [{ "since": null, "input": 0.6, "output": 2.4, "cacheRead": 0.06, "cacheWrite5m": 0.6, "cacheWrite1h": 0.6 }] }, { "id": "o1", "name": "o1", "match": { "or": [{ "equals": "o1" }, { "equals": "o1-2024-12-17" }] }, "prices": [{ "since": null, "input": 15, "output": 60, "cacheRead": 7.5, "cacheWrite5m": 15, "cacheWrite1h": 15 }] }, { "id": "o1-mini", "name": "o1 mini", "match": { "or": [{ "equals": "o1-mini" }, { "equals": "o1-mini-2024-09-12" }] }, "prices": [{ "since": null, "input": 1.1, "output": 4.4, "cacheRead": 0.55, "cacheWrite5m": 1.1, "cacheWrite1h": 1.1 }] }, { "id": "o1-preview", "name": "o1 preview", "match": { "or": [{ "equals": "o1-preview" }, { "equals": "o1-preview-2024-09-12" }] }, "prices": [{ "since": null, "input": 15, "output": 60, "cacheRead": 7.5, "cacheWrite5m": 15, "cacheWrite1h": 15 }] }, { "id": "o1-pro", "name": "o1-pro", "match": { "or": [{ "equals": "o1-pro" }, { "equals": "o1-pro-2025-03-19" }] }, "prices": [{ "since": null, "input": 150, "output": 600, "cacheRead": 150, "cacheWrite5m": 150, "cacheWrite1h": 150 }] }, { "id": "o3", "name": "o3", "match": { "or": [{ "equals": "o3" }, { "equals": "o3-2025-04-16" }] }, "prices": [{ "since": null, "input": 10, "output": 40, "cacheRead": 0.5, "cacheWrite5m": 10, "cacheWrite1h": 10 }, { "since": "2025-06-10", "input": 2, "output": 8, "cacheRead": 0.5, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "o3-deep-research", "match": { "or": [{ "equals": "o3-deep-research" }, { "equals": "o3-deep-research-2025-06-26" }] }, "prices": [{ "since": null, "input": 10, "output": 40, "cacheRead": 2.5, "cacheWrite5m": 10, "cacheWrite1h": 10 }] }, { "id": "o3-mini", "name": "o3 Mini", "match": { "or": [{ "equals": "o3-mini" }, { "equals": "o3-mini-2025-01-31" }, { "equals": "o3-mini-high" }] }, "prices": [{ "since": null, "input": 1.1, "output": 4.4, "cacheRead": 0.55, "cacheWrite5m": 1.1, "cacheWrite1h": 1.1 }] }, { "id": "o3-pro", "name": "o3 Pro", "match": { "or": [{ "equals": "o3-pro" }, { "equals": "o3-pro-2025-06-10" }] }, "prices": [{ "since": null, "input": 20, "output": 80, "cacheRead": 20, "cacheWrite5m": 20, "cacheWrite1h": 20 }] }, { "id": "o4-mini", "name": "o4 Mini High", "match": { "or": [{ "equals": "o4-mini-2025-04-16" }, { "equals": "o4-mini-high" }, { "equals": "o4-mini" }] }, "prices": [{ "since": null, "input": 1.1, "output": 4.4, "cacheRead": 0.275, "cacheWrite5m": 1.1, "cacheWrite1h": 1.1 }] }, { "id": "o4-mini-deep-research", "match": { "or": [{ "equals": "o4-mini-deep-research" }, { "equals": "o4-mini-deep-research-2025-06-26" }] }, "prices": [{ "since": null, "input": 2, "output": 8, "cacheRead": 0.5, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "text-davinci-002", "match": { "equals": "text-davinci-002" }, "prices": [{ "since": null, "input": 20, "output": 20, "cacheRead": 20, "cacheWrite5m": 20, "cacheWrite1h": 20 }] }, { "id": "text-davinci-003", "match": { "equals": "text-davinci-003" }, "prices": [{ "since": null, "input": 20, "output": 20, "cacheRead": 20, "cacheWrite5m": 20, "cacheWrite1h": 20 }] }, { "id": "claude-3-5-haiku", "match": { "contains": "claude-3-5-haiku" }, "prices": [{ "since": null, "input": 0.8, "output": 4, "cacheRead": 0.08, "cacheWrite5m": 1, "cacheWrite1h": 1 }] }, { "id": "claude-3-5-sonnet", "match": { "contains": "claude-3-5-sonnet" }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75 }] }, { "id": "claude-3-7-sonnet", "match": { "contains": "claude-3-7-sonnet" }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75 }] }, { "id": "claude-3-haiku", "match": { "contains": "claude-3-haiku" }, "prices": [{ "since": null, "input": 0.25, "output": 1.25, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "claude-3-opus", "match": { "contains": "claude-3-opus" }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 18.75 }] }, { "id": "claude-4-opus", "match": { "or": [{ "contains": "claude-4-opus" }, { "contains": "claude-opus-4@" }, { "contains": "claude-opus-4-0" }, { "contains": "claude-opus-4-1" }, { "equals": "claude-opus-4" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 18.75 }] }, { "id": "claude-4-sonnet", "match": { "or": [{ "contains": "claude-4-sonnet" }, { "contains": "claude-sonnet-4-0" }, { "contains": "claude-sonnet-4@" }, { "contains": "claude-sonnet-4-2025" }, { "equals": "claude-sonnet-4" }, { "equals": "anthropic/claude-sonnet-4" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75 }] }, { "id": "claude-fable-5", "match": { "or": [{ "ends_with": "claude-fable-5" }, { "contains": "claude-fable-5@" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 12.5 }] }, { "id": "claude-fable-5-1", "match": { "or": [{ "ends_with": "claude-fable-5-1" }, { "contains": "claude-fable-5-1@" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 0.25, "cacheWrite5m": 12.5, "cacheWrite1h": 12.5 }] }, { "id": "claude-opus-4-6", "match": { "or": [{ "contains": "claude-4-6-opus" }, { "contains": "claude-opus-4-6" }, { "contains": "claude-4.6-opus" }, { "contains": "claude-opus-4.6" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25, "long": { "threshold": 2e5, "input": 10, "output": 37.5, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 12.5 } }], "fast": 6 }, { "id": "claude-opus-4-7", "match": { "or": [{ "contains": "claude-4-7-opus" }, { "contains": "claude-opus-4-7" }, { "contains": "claude-4.7-opus" }, { "contains": "claude-opus-4.7" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25 }], "fast": 6 }, { "id": "claude-opus-4-8", "match": { "or": [{ "contains": "claude-4-8-opus" }, { "contains": "claude-opus-4-8" }, { "contains": "claude-4.8-opus" }, { "contains": "claude-opus-4.8" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25 }] }, { "id": "claude-opus-5", "match": { "or": [{ "contains": "claude-5-opus" }, { "ends_with": "claude-opus-5" }, { "contains": "claude-opus-5@" }, { "contains": "claude-5.0-opus" }, { "contains": "claude-opus-5.0" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25 }] }, { "id": "claude-opus-5-5", "match": { "or": [{ "contains": "claude-5-5-opus" }, { "ends_with": "claude-opus-5-5" }, { "contains": "claude-opus-5-5@" }, { "contains": "claude-5.5-opus" }, { "contains": "claude-opus-5.5" }] }, "prices": [{ "since": null, "input": 4, "output": 20, "cacheRead": 0.2, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "claude-sonnet-4-5", "match": { "or": [{ "contains": "claude-sonnet-4-5" }, { "contains": "claude-sonnet-4.5" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 7.5 } }] }, { "id": "claude-sonnet-4-6", "match": { "or": [{ "contains": "claude-sonnet-4-6" }, { "contains": "claude-sonnet-4.6" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75 }] }, { "id": "gemini-1.0-pro-vision-001", "name": "gemini 1.0 pro vision", "match": { "equals": "gemini-1.0-pro-vision-001" }, "prices": [{ "since": null, "input": 0.125, "output": 0.375, "cacheRead": 0.125, "cacheWrite5m": 0.125, "cacheWrite1h": 0.125 }] }, { "id": "gemini-1.5-flash", "name": "gemini 1.5 flash", "match": { "contains": "gemini-1.5-flash" }, "prices": [{ "since": null, "input": 0.075, "output": 0.3, "cacheRead": 0.01875, "cacheWrite5m": 0.075, "cacheWrite1h": 0.075, "long": { "threshold": 128e3, "input": 0.15, "output": 0.6, "cacheRead": 0.0375, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 } }] }, { "id": "gemini-1.5-pro", "name": "gemini 1.5 Pro", "match": { "contains": "gemini-1.5-pro" }, "prices": [{ "since": null, "input": 1.25, "output": 5, "cacheRead": 1.25, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25, "long": { "threshold": 128e3, "input": 2.5, "output": 10, "cacheRead": 2.5, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 } }] }, { "id": "gemini-2.0-flash", "name": "gemini 2.0 flash", "match": { "or": [{ "ends_with": "gemini-2.0-flash" }, { "contains": "gemini-2.0-flash-0" }, { "contains": "gemini-2.0-flash-exp" }, { "contains": "gemini-2.0-flash-thinking" }, { "contains": "gemini-2.0-flash-latest" }] }, "prices": [{ "since": null, "input": 0.1, "output": 0.4, "cacheRead": 0.025, "cacheWrite5m": 0.1, "cacheWrite1h": 0.1 }] }, { "id": "gemini-2.0-flash-lite", "name": "gemini 2.0 flash lite", "match": { "contains": "gemini-2.0-flash-lite" }, "prices": [{ "since": null, "input": 0.075, "output": 0.3, "cacheRead": 0.075, "cacheWrite5m": 0.075, "cacheWrite1h": 0.075 }] }, { "id": "gemini-2.5-flash", "name": "Gemini 2.5 Flash", "match": { "or": [{ "equals": "gemini-2.5-flash" }, { "equals": "gemini-2.5-flash-latest" }, { "equals": "gemini-2.5-flash-preview-09-2025" }] }, "prices": [{ "since": null, "input": 0.3, "output": 2.5, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "gemini-2.5-flash-image", "name": "Gemini 2.5 Flash Image", "match": { "or": [{ "equals": "gemini-2.5-flash-image" }, { "equals": "gemini-2.5-flash-image-preview" }] }, "prices": [{ "since": null, "input": 0.3, "output": 2.5, "cacheRead": 0.3, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "gemini-2.5-flash-lite", "name": "Gemini 2.5 Flash Lite", "match": { "or": [{ "equals": "gemini-2.5-flash-lite" }, { "and": [{ "starts_with": "gemini-2.5-flash-lite-preview" }, { "regex": "^(?!.*-[tT][tT][sS](?:$|-))" }] }] }, "prices": [{ "since": null, "input": 0.1, "output": 0.4, "cacheRead": 0.01, "cacheWrite5m": 0.1, "cacheWrite1h": 0.1 }] }, { "id": "gemini-2.5-flash-lite-preview-tts", "name": "Gemini 2.5 Flash-Lite Preview TTS", "match": { "equals": "gemini-2.5-flash-lite-preview-tts" }, "prices": [{ "since": null, "input": 0.5, "output": 10, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gemini-2.5-flash-preview", "name": "Gemini 2.5 Flash Preview 05-20", "match": { "or": [{ "contains": "gemini-2.5-flash-preview-05-20" }, { "contains": "gemini-2.5-flash-preview-04-17" }, { "equals": "gemini-2.5-flash-preview-05-20:thinking" }, { "equals": "gemini-2.5-flash-preview" }, { "equals": "gemini-2.5-flash-preview:thinking" }] }, "prices": [{ "since": null, "input": 0.15, "output": 0.6, "cacheRead": 0.15, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 }] }, { "id": "gemini-2.5-flash-tts", "name": "Gemini 2.5 Flash TTS", "match": { "or": [{ "equals": "gemini-2.5-flash-tts" }, { "equals": "gemini-2.5-flash-preview-tts" }] }, "prices": [{ "since": null, "input": 0.5, "output": 10, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gemini-2.5-pro", "name": "Gemini 2.5 Pro", "match": { "and": [{ "starts_with": "gemini-2.5-pro" }, { "regex": "^(?!.*-[tT][tT][sS](?:$|-))" }] }, "prices": [{ "since": null, "input": 1.25, "output": 10, "cacheRead": 0.125, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25, "long": { "threshold": 2e5, "input": 2.5, "output": 15, "cacheRead": 0.25, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 } }] }, { "id": "gemini-2.5-pro-tts", "name": "Gemini 2.5 Pro TTS", "match": { "or": [{ "equals": "gemini-2.5-pro-tts" }, { "equals": "gemini-2.5-pro-preview-tts" }] }, "prices": [{ "since": null, "input": 1, "output": 20, "cacheRead": 1, "cacheWrite5m": 1, "cacheWrite1h": 1 }] }, { "id": "gemini-3-flash-preview", "name": "Gemini 3 Flash Preview", "match": { "or": [{ "equals": "gemini-3-flash-preview" }, { "starts_with": "gemini-3-flash-preview-" }] }, "prices": [{ "since": null, "input": 0.5, "output": 3, "cacheRead": 0.05, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gemini-3-pro-image-preview", "name": "Gemini 3 Pro Image Preview", "match": { "or": [{ "equals": "gemini-3-pro-image" }, { "starts_with": "gemini-3-pro-image-preview" }] }, "prices": [{ "since": null, "input": 2, "output": 12, "cacheRead": 2, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "gemini-3-pro-preview", "name": "Gemini 3 Pro Preview", "match": { "or": [{ "starts_with": "gemini-3-pro-preview" }, { "equals": "gemini-3-pro-text-preview" }] }, "prices": [{ "since": null, "input": 2, "output": 12, "cacheRead": 0.2, "cacheWrite5m": 2, "cacheWrite1h": 2, "long": { "threshold": 2e5, "input": 4, "output": 18, "cacheRead": 0.4, "cacheWrite5m": 4, "cacheWrite1h": 4 } }] }, { "id": "gemini-3.1-flash-image-preview", "name": "Gemini 3.1 Flash Image Preview", "match": { "or": [{ "equals": "gemini-3.1-flash-image" }, { "starts_with": "gemini-3.1-flash-image-preview" }] }, "prices": [{ "since": null, "input": 0.5, "output": 3, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gemini-3.1-flash-lite", "name": "Gemini 3.1 Flash Lite", "match": { "or": [{ "equals": "gemini-3.1-flash-lite" }, { "starts_with": "gemini-3.1-flash-lite-preview" }] }, "prices": [{ "since": null, "input": 0.25, "output": 1.5, "cacheRead": 0.025, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25 }] }, { "id": "gemini-3.1-flash-lite-image", "name": "Gemini 3.1 Flash Lite Image", "match": { "starts_with": "gemini-3.1-flash-lite-image" }, "prices": [{ "since": null, "input": 0.25, "output": 1.5, "cacheRead": 0.25, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25 }] }, { "id": "gemini-3.1-flash-live-preview", "name": "Gemini 3.1 Flash Live Preview", "match": { "starts_with": "gemini-3.1-flash-live-preview" }, "prices": [{ "since": null, "input": 0.75, "output": 4.5, "cacheRead": 0.75, "cacheWrite5m": 0.75, "cacheWrite1h": 0.75 }] }, { "id": "gemini-3.1-pro-preview", "name": "Gemini 3.1 Pro Preview", "match": { "starts_with": "gemini-3.1-pro-preview" }, "prices": [{ "since": null, "input": 2, "output": 12, "cacheRead": 0.2, "cacheWrite5m": 2, "cacheWrite1h": 2, "long": { "threshold": 2e5, "input": 4, "output": 18, "cacheRead": 0.4, "cacheWrite5m": 4, "cacheWrite1h": 4 } }] }, { "id": "gemini-3.5-flash", "name": "Gemini 3.5 Flash", "match": { "or": [{ "equals": "gemini-3.5-flash" }, { "starts_with": "gemini-3.5-flash-preview" }, { "regex": "^gemini-3\\.5-flash-\\d" }] }, "prices": [{ "since": null, "input": 1.5, "output": 9, "cacheRead": 0.15, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gemini-3.5-flash-lite", "name": "Gemini 3.5 Flash Lite", "match": { "starts_with": "gemini-3.5-flash-lite" }, "prices": [{ "since": null, "input": 0.3, "output": 2.5, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "gemini-3.6-flash", "name": "Gemini 3.6 Flash", "match": { "starts_with": "gemini-3.6-flash" }, "prices": [{ "since": null, "input": 0.75, "output": 3.75, "cacheRead": 0.075, "cacheWrite5m": 0.75, "cacheWrite1h": 0.75 }, { "since": "2027-01-01", "input": 1.5, "output": 7.5, "cacheRead": 0.15, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gemini-3.7-flash", "name": "Gemini 3.7 Flash", "match": { "starts_with": "gemini-3.7-flash" }, "prices": [{ "since": null, "input": 0.75, "output": 3.75, "cacheRead": 0.075, "cacheWrite5m": 0.75, "cacheWrite1h": 0.75 }, { "since": "2027-01-01", "input": 1.5, "output": 7.5, "cacheRead": 0.15, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gemini-3.8-flash", "name": "Gemini 3.8 Flash", "match": { "starts_with": "gemini-3.8-flash" }, "prices": [{ "since": null, "input": 0.75, "output": 3.75, "cacheRead": 0.075, "cacheWrite5m": 0.75, "cacheWrite1h": 0.75 }, { "since": "2027-01-01", "input": 1.5, "output": 7.5, "cacheRead": 0.15, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gemini-flash-1.5", "name": "Gemini 1.5 Flash", "match": { "equals": "gemini-flash-1.5" }, "prices": [{ "since": null, "input": 0.075, "output": 0.3, "cacheRead": 0.01875, "cacheWrite5m": 0.075, "cacheWrite1h": 0.075, "long": { "threshold": 128e3, "input": 0.15, "output": 0.6, "cacheRead": 0.0375, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 } }] }, { "id": "gemini-flash-1.5-8b", "name": "gemini 1.5 flash", "match": { "equals": "gemini-flash-1.5-8b" }, "prices": [{ "since": null, "input": 0.0375, "output": 0.15, "cacheRead": 0.01, "cacheWrite5m": 0.0375, "cacheWrite1h": 0.0375, "long": { "threshold": 128e3, "input": 0.075, "output": 0.3, "cacheRead": 0.02, "cacheWrite5m": 0.075, "cacheWrite1h": 0.075 } }] }, { "id": "gemini-live-2.5-flash", "name": "Gemini Live 2.5 Flash", "match": { "or": [{ "starts_with": "gemini-live-2.5-flash" }, { "starts_with": "gemini-2.5-flash-native-audio-preview" }, { "equals": "gemini-2.5-flash-native-audio-latest" }] }, "prices": [{ "since": null, "input": 0.5, "output": 2, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gemini-omni-flash-preview", "name": "Gemini Omni Flash Preview", "match": { "starts_with": "gemini-omni-flash-preview" }, "prices": [{ "since": null, "input": 1.5, "output": 9, "cacheRead": 1.5, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gemini-pro", "name": "gemini 1.0 pro", "match": { "or": [{ "equals": "gemini-pro" }, { "equals": "gemini-1.0-pro" }] }, "prices": [{ "since": null, "input": 0.125, "output": 0.375, "cacheRead": 0.125, "cacheWrite5m": 0.125, "cacheWrite1h": 0.125 }] }, { "id": "gemini-pro-1.5", "name": "Gemini 1.5 Pro", "match": { "equals": "gemini-pro-1.5" }, "prices": [{ "since": null, "input": 1.25, "output": 5, "cacheRead": 0.3125, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25, "long": { "threshold": 128e3, "input": 2.5, "output": 10, "cacheRead": 0.625, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 } }] }, { "id": "gemma-2-27b-it", "name": "Gemma 2 27B", "match": { "equals": "gemma-2-27b-it" }, "prices": [{ "since": null, "input": 0.65, "output": 0.65, "cacheRead": 0.65, "cacheWrite5m": 0.65, "cacheWrite1h": 0.65 }] }, { "id": "gemma-4-26b-a4b-it-maas", "name": "Gemma 4 26B A4B (Vertex AI MaaS)", "match": { "equals": "gemma-4-26b-a4b-it-maas" }, "prices": [{ "since": null, "input": 0.15, "output": 0.6, "cacheRead": 0.015, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 }] }] };

// src/model/pricing.ts
var table = PRICE_TABLE;
var BUILTIN_PRICES = { models: table.models, overrides: {} };
var PRICE_SOURCE = table.source;
var LONG_CONTEXT_THRESHOLD = 2e5;
function longThreshold(model) {
  const m = tableModel(normalizeModel(model));
  const t = m?.prices.find((p) => p.long)?.long?.threshold;
  return typeof t === "number" ? t : LONG_CONTEXT_THRESHOLD;
}
var withOverrides = (overrides) => ({
  models: BUILTIN_PRICES.models,
  overrides
});
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
  const { since: _since, ...price2 } = p;
  return m.fast ? { ...price2, fast: m.fast } : price2;
}
var units = (tokens, perMillion) => tokens * Math.round(perMillion * 1e4);
function unitsOf(price2, t, long, fast = false) {
  const pr = long && price2.long ? price2.long : price2;
  const u = units(t.input, pr.input) + units(t.output, pr.output) + units(t.cacheRead, pr.cacheRead) + units(t.cacheWrite5m, pr.cacheWrite5m) + units(t.cacheWrite1h, pr.cacheWrite1h);
  return fast && price2.fast ? u * price2.fast : u;
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
  const long = tokens.input + tokens.cacheRead + tokens.cacheWrite > longThreshold(model);
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
var totalSpend = (cells, prices) => spendBy(cells, prices).get("all") ?? emptySpend();
function costUsd(s2) {
  if (s2.unpricedTokens > 0 && s2.units === 0) return null;
  return unitsToUsd(s2.units);
}
var inRange = (day, r2) => (!r2.since || day >= r2.since) && (!r2.until || day <= r2.until);
function sessionsIn(list, r2 = {}) {
  if (!r2.since && !r2.until) return list;
  return list.filter(
    (s2) => (!r2.since || (s2.lastActivity ?? "").slice(0, 10) >= r2.since) && (!r2.until || (s2.started ?? "").slice(0, 10) <= r2.until)
  );
}
var cellsOf = (s2, r2 = {}) => Object.values(s2.cells ?? {}).filter((c) => inRange(c.day, r2));
var money = (s2) => ({
  tokens: { ...s2.tokens },
  costUsd: costUsd(s2),
  unpricedTokens: s2.unpricedTokens,
  unpricedModels: [...s2.unpricedModels].sort()
});
function totals(list, prices, r2 = {}) {
  const sessions = sessionsIn(list, r2);
  const cells = sessions.flatMap((s2) => cellsOf(s2, r2));
  const sum = (f) => sessions.reduce((a, s2) => a + (f(s2) ?? 0), 0);
  return {
    sessions: sessions.length,
    agents: sum((s2) => s2.agents),
    toolCalls: sum((s2) => s2.toolCalls),
    toolFailures: sum((s2) => s2.toolFailures),
    toolRejected: sum((s2) => s2.toolRejected),
    toolInterrupted: sum((s2) => s2.toolInterrupted),
    toolDenied: sum((s2) => s2.toolDenied),
    toolCascaded: sum((s2) => s2.toolCascaded),
    errors: sum((s2) => s2.errors),
    fileChanges: sum((s2) => s2.fileChanges),
    ...money(totalSpend(cells, prices)),
    byModel: Object.fromEntries(
      [...spendBy(cells, prices, (c) => c.model)].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, money(v)])
    )
  };
}
function usdText(costUsd2, unpricedTokens = 0, digits = 6) {
  if (costUsd2 === null) return "unpriced";
  return `$${costUsd2.toFixed(digits)}${unpricedTokens > 0 ? " + unpriced" : ""}`;
}

// src/model/session.ts
init_canonical();

// src/model/events.ts
var zeroTokens = () => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

// src/model/session.ts
var SUMMARY_VERSION = 3;
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
    toolDenied: 0,
    toolCascaded: 0,
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
    toolDenied: prev.toolDenied ?? 0,
    toolCascaded: prev.toolCascaded ?? 0,
    cells,
    agentTypes: { ...prev.agentTypes ?? {} }
  };
  const failed = new Set(out.failedToolUseIds);
  const erred = new Set(out.errorToolUseIds);
  const seenCall = (id) => {
    if (!id) return false;
    if (failed.has(id)) return true;
    failed.add(id);
    out.failedToolUseIds.push(id);
    return false;
  };
  for (const raw of events) {
    out.events++;
    if (raw.source === "import") out.imported = true;
    if (!out.started || raw.ts < out.started) out.started = raw.ts;
    if (!out.lastActivity || raw.ts > out.lastActivity) out.lastActivity = raw.ts;
    if (raw.type === "agent_start" && s(raw.agentId) && s(raw.agentType))
      out.agentTypes[raw.agentId] = raw.agentType;
    for (const e of canonicalEvent(raw, out.agentTypes)) foldOne(e);
  }
  return withFigures(out, BUILTIN_PRICES);
  function turnOpened(ts) {
    if (!out.lastTurnOpenAt || ts > out.lastTurnOpenAt) out.lastTurnOpenAt = ts;
    if (!out.lastTurnEndAt || ts > out.lastTurnEndAt) out.lastTurnEnded = false;
  }
  function foldOne(e) {
    switch (e.type) {
      case "session_start":
        out.cwd ??= s(e.cwd);
        out.branch ??= s(e.branch);
        out.head ??= s(e.head);
        if (s(e.agentTool)) out.agentTool ??= e.agentTool;
        if (typeof e.pid === "number") out.pid = e.pid;
        if (e.source === "import") out.imported = true;
        if (s(e.host)) out.host = e.host;
        if (s(e.model) && !out.models.includes(e.model)) out.models.push(e.model);
        out.ended = null;
        out.endReason = null;
        turnOpened(e.ts);
        break;
      case "prompt":
        out.prompts++;
        turnOpened(e.ts);
        if (out.firstPrompt === null && typeof e.text === "string") out.firstPrompt = e.text.slice(0, 200);
        break;
      case "agent_start":
        out.agents++;
        break;
      case "tool_start":
        if (e.agent === "main") turnOpened(e.ts);
        break;
      case "tool_call": {
        const outcome = toolOutcome(e);
        if (outcome !== "success" && seenCall(s(e.toolUseId))) break;
        out.toolCalls++;
        if (outcome === "failed") out.toolFailures++;
        else if (outcome === "rejected") out.toolRejected++;
        else if (outcome === "interrupted") out.toolInterrupted++;
        else if (outcome === "denied") out.toolDenied++;
        else if (outcome === "cascaded") out.toolCascaded++;
        if (typeof e.launchedAgent === "string" && e.launchedAgent && e.agent !== e.launchedAgent) {
          const t = e.input?.subagent_type;
          if (typeof t === "string" && !out.agentTypes[e.launchedAgent]) out.agentTypes[e.launchedAgent] = t;
        }
        break;
      }
      case "error": {
        const id = s(e.toolUseId);
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
        if (e.agent === "main") {
          if (!out.lastTurnEndAt || e.ts > out.lastTurnEndAt) out.lastTurnEndAt = e.ts;
          if (!out.lastTurnOpenAt || e.ts >= out.lastTurnOpenAt) out.lastTurnEnded = true;
        }
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

// src/capture/statusline.ts
init_paths();
init_spool();
function readIndex(paths) {
  try {
    const s2 = JSON.parse(fs8.readFileSync(path8.join(paths.trackingDir, "cache", "state.json"), "utf8"));
    return s2 && typeof s2.index === "object" && s2.index ? s2.index : {};
  } catch {
    return {};
  }
}
function unflushed(paths, session) {
  const file = spoolFile(paths, session);
  let text;
  try {
    const st = fs8.statSync(file);
    const off = readOffset(file);
    const from = off && off.ino === st.ino && off.offset <= st.size ? off.offset : 0;
    const fd = fs8.openSync(file, "r");
    try {
      const buf = Buffer.alloc(Math.min(st.size - from, 8 * 2 ** 20));
      fs8.readSync(fd, buf, 0, buf.length, from);
      text = buf.toString("utf8");
    } finally {
      fs8.closeSync(fd);
    }
  } catch {
    return [];
  }
  const out = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
    }
  }
  return out;
}
async function readConfig(paths) {
  const file = path8.join(paths.workTree, CONFIG_FILE);
  let st;
  try {
    st = fs8.statSync(file);
  } catch {
    return DEFAULT_CONFIG;
  }
  try {
    const cached = JSON.parse(fs8.readFileSync(path8.join(paths.trackingDir, "config-cache.json"), "utf8"));
    if (cached.key === `${st.size}:${st.mtimeMs}` && cached.file === file)
      return normalizeConfig(cached.config);
  } catch {
  }
  return (await Promise.resolve().then(() => (init_config2(), config_exports))).loadConfig(paths);
}
async function sessionStatus2(paths, session, now = Date.now()) {
  const config = await readConfig(paths);
  const prices = withOverrides(config.pricing);
  const index = readIndex(paths);
  if (rawWaiting(paths)) {
    try {
      await (await Promise.resolve().then(() => (init_raw(), raw_exports))).convertRaw(paths, { waitMs: 0, config });
    } catch {
    }
  }
  const spooled = unflushed(paths, session);
  const base = index[session] ?? emptySummary(session, config.phase, "");
  const summary = spooled.length ? foldSummary(structuredClone(base), spooled) : base;
  const mine = totals([summary], prices);
  const t = mine.tokens;
  const started = new Set(
    spooled.filter((e) => e.type === "agent_start").map((e) => String(e.agentId ?? e.agent))
  );
  for (const e of spooled) if (e.type === "agent_end") started.delete(String(e.agentId ?? e.agent));
  const warnings = [];
  const { session: sessionBudget, phase: phaseBudget } = config.budget;
  if (sessionBudget !== null && (mine.costUsd ?? 0) > sessionBudget)
    warnings.push(`over the session budget (${usdText(sessionBudget, 0, 2)})`);
  if (phaseBudget !== null) {
    const phase = summary.phase || config.phase;
    const inPhase = Object.values({ ...index, [session]: summary }).filter((s2) => s2.phase === phase);
    const cost = totals(inPhase, prices).costUsd ?? 0;
    if (cost > phaseBudget)
      warnings.push(
        `phase ${phase} over its budget (${usdText(cost, 0, 2)} of ${usdText(phaseBudget, 0, 2)})`
      );
  }
  return {
    session,
    costUsd: mine.costUsd,
    unpricedTokens: mine.unpricedTokens,
    tokens: t.input + t.output + t.cacheRead + t.cacheWrite,
    agents: summary.agents,
    agentsRunning: started.size,
    toolFailures: mine.toolFailures,
    lastSnapshot: summary.lastSnapshot?.ts ?? null,
    warnings
  };
}
var compact = (n2) => n2 >= 1e6 ? `${(n2 / 1e6).toFixed(1)}M` : n2 >= 1e3 ? `${(n2 / 1e3).toFixed(1)}k` : String(n2);
var ago = (ts, now) => {
  const s2 = Math.max(0, Math.round((now - Date.parse(ts)) / 1e3));
  return s2 < 60 ? `${s2}s` : s2 < 3600 ? `${Math.round(s2 / 60)}m` : `${Math.round(s2 / 3600)}h`;
};
function renderStatus(s2, now = Date.now()) {
  const parts = [
    `agent-track ${usdText(s2.costUsd, s2.unpricedTokens)}`,
    `${compact(s2.tokens)} tokens`,
    `${s2.agents} subagent${s2.agents === 1 ? "" : "s"}${s2.agentsRunning ? ` (${s2.agentsRunning} running)` : ""}`,
    `${s2.toolFailures} failed`,
    s2.lastSnapshot ? `snapshot ${ago(s2.lastSnapshot, now)} ago` : "no snapshot yet"
  ];
  return `${parts.join(" \xB7 ")}${s2.warnings.map((w) => ` \xB7 \u26A0 ${w}`).join("")}`;
}
async function statuslineMain(input, cwd) {
  let payload = {};
  try {
    payload = JSON.parse(input || "{}");
  } catch {
    payload = {};
  }
  const dir = payload.workspace?.project_dir ?? payload.workspace?.current_dir ?? payload.cwd ?? cwd;
  const paths = findRepo(fs8.existsSync(dir) ? dir : cwd);
  if (!paths || !payload.session_id || !fs8.existsSync(paths.trackingDir)) return "";
  return renderStatus(await sessionStatus2(paths, payload.session_id));
}

// cli/statusline-main.ts
function readStdin() {
  return new Promise((resolve3) => {
    if (process.stdin.isTTY) return resolve3("");
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve3(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", () => resolve3(Buffer.concat(chunks).toString("utf8")));
  });
}
function main() {
  readStdin().then((input) => statuslineMain(input, process.cwd())).then((line) => {
    if (line) process.stdout.write(`${line}
`);
  }).catch(() => {
  }).finally(() => {
    process.exitCode = 0;
  });
}
if (require.main === module) main();
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  main
});
