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

// src/model/redact-allow.ts
var init_redact_allow = __esm({
  "src/model/redact-allow.ts"() {
    "use strict";
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
function wordSet(words, caseless = false) {
  const set = new Set(caseless ? words.map((w) => w.toLowerCase()) : words);
  return { test: (w) => set.has(caseless ? w.toLowerCase() : w) };
}
function configureRedaction(opts) {
  configured = { extraPatterns: [...opts.extraPatterns ?? []], allow: [...opts.allow ?? []] };
}
var SHORT_TEXT, PLACEHOLDER_WORDS, KNOWN_PREFIXES, NOT_SECRET_LAST, NUMERIC_WORD, STRONG_EXACT, NOT_SECRET_WORD, KEY_MODIFIER, ID_MODIFIER, AFTER_KEY, configured;
var init_redact = __esm({
  "src/model/redact.ts"() {
    "use strict";
    init_redact_allow();
    init_redact_rules();
    SHORT_TEXT = 16 * 1024;
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
    AFTER_KEY = new RegExp(
      String.raw`(?:\\?["'\x60])?\]?(?:\\?["'\x60])?` + // closing quote / bracket of the key
      String.raw`(?:[ \t]{0,4}:[ \t]{0,4}[A-Za-z][\w.<>[\]?|]{0,30}(?=[ \t]{0,4}=)|[ \t]{1,4}[A-Za-z][\w<>[\]]{0,30}(?=[ \t]{0,4}=[^=>]))?` + // a type
      String.raw`([ \t]{0,8}(?:=>|:{1,3}=|\?=|\+=|\|\|=|!==?|===?|=|:|,|->)[ \t]{0,8}|[ \t]{1,4}(?=\\?["'\x60]))` + // separator
      String.raw`(?:\\?"((?:[^"\\\n]|\\[^"\n]){1,2048})\\?"|\\?'([^'\n]{1,2048})'|\x60([^\x60\n]{1,2048})\x60|([^\s"'\x60,;)}\]<>&|]{1,2048}))`,
      "y"
    );
    configured = {};
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

// cli/statusline-main.ts
var statusline_main_exports = {};
__export(statusline_main_exports, {
  main: () => main
});
module.exports = __toCommonJS(statusline_main_exports);

// src/capture/statusline.ts
var fs6 = __toESM(require("node:fs"), 1);
var path6 = __toESM(require("node:path"), 1);
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

// src/model/canonical.ts
var import_node_crypto = require("node:crypto");
var derivedId = (kind, session, key) => `${kind}-${(0, import_node_crypto.createHash)("sha1").update(`${session}\0${key}`).digest("hex").slice(0, 32)}`;
var toolCallId = (session, agent, toolUseId) => derivedId("tool_call", session, `${agent}:${toolUseId}`);
var TOOL_OUTCOMES = [
  "success",
  "failed",
  "rejected",
  "denied",
  "interrupted",
  "cascaded"
];
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

// src/store/paths.ts
var fs = __toESM(require("node:fs"), 1);
var path = __toESM(require("node:path"), 1);
var TRACKING_BRANCH = "agent-tracking";
var TRACKING_REF = `refs/heads/${TRACKING_BRANCH}`;
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

// src/store/spool.ts
var fs4 = __toESM(require("node:fs"), 1);
var path4 = __toESM(require("node:path"), 1);
init_fsutil();
init_owner();
var safeSessionId = (s2) => s2.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 128) || "unknown";
var spoolFile = (paths, session) => path4.join(paths.spoolDir, `${safeSessionId(session)}.jsonl`);
var offsetFile = (spool) => spool.replace(/\.jsonl$/, ".offset");
function readOffset(spool) {
  try {
    const [ino, offset] = fs4.readFileSync(offsetFile(spool), "utf8").trim().split(":").map(Number);
    return Number.isFinite(ino) && Number.isFinite(offset) ? { ino, offset } : null;
  } catch {
    return null;
  }
}

// src/capture/statusline.ts
function readIndex(paths) {
  try {
    const s2 = JSON.parse(fs6.readFileSync(path6.join(paths.trackingDir, "cache", "state.json"), "utf8"));
    return s2 && typeof s2.index === "object" && s2.index ? s2.index : {};
  } catch {
    return {};
  }
}
function unflushed(paths, session) {
  const file = spoolFile(paths, session);
  let text;
  try {
    const st = fs6.statSync(file);
    const off = readOffset(file);
    const from = off && off.ino === st.ino && off.offset <= st.size ? off.offset : 0;
    const fd = fs6.openSync(file, "r");
    try {
      const buf = Buffer.alloc(Math.min(st.size - from, 8 * 2 ** 20));
      fs6.readSync(fd, buf, 0, buf.length, from);
      text = buf.toString("utf8");
    } finally {
      fs6.closeSync(fd);
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
  const file = path6.join(paths.workTree, CONFIG_FILE);
  let st;
  try {
    st = fs6.statSync(file);
  } catch {
    return DEFAULT_CONFIG;
  }
  try {
    const cached = JSON.parse(fs6.readFileSync(path6.join(paths.trackingDir, "config-cache.json"), "utf8"));
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
  const paths = findRepo(fs6.existsSync(dir) ? dir : cwd);
  if (!paths || !payload.session_id || !fs6.existsSync(paths.trackingDir)) return "";
  return renderStatus(await sessionStatus2(paths, payload.session_id));
}

// cli/statusline-main.ts
function readStdin() {
  return new Promise((resolve2) => {
    if (process.stdin.isTTY) return resolve2("");
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve2(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", () => resolve2(Buffer.concat(chunks).toString("utf8")));
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
