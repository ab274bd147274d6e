/** `.agent-tracking.yml`: its shape and defaults. No I/O here (see src/store/config.ts). */

export interface TrackingConfig {
  /** The phase new sessions belong to. */
  phase: string;
  snapshots: { everyAgents: number; everyTokens: number };
  flush: { everyEvents: number };
  limits: { toolOutputBytes: number; fileContentBytes: number };
  /**
   * extraPatterns: regexes whose matches are redacted as [REDACTED:custom]; allow: regexes for false
   * positives: a finding whose text matches one is kept.
   */
  redaction: { extraPatterns: string[]; allow: string[] };
  /**
   * Per-model prices in USD per million tokens, over the built-in table (a model it lacks, or a
   * negotiated price): model id or id prefix -> input, output and optionally cacheRead, cacheWrite5m,
   * cacheWrite1h (default 0.1x, 1.25x and 2x input).
   */
  pricing: Record<
    string,
    { input: number; output: number; cacheRead?: number; cacheWrite5m?: number; cacheWrite1h?: number }
  >;
  recovery: {
    /** The handoff's budget, in Claude tokens. */
    handoffBudget: number;
    /** On `startup`, inject the handoff of the branch's previous session when it crashed. */
    injectOnStartup: boolean;
    /** A session without SessionEnd and silent this long counts as crashed (when its process cannot be checked). */
    crashedAfterMinutes: number;
  };
  tracking: {
    /** Where `push` and `pull` exchange the branch: a remote name or any git URL (a private repository). */
    remote: string;
    /** Push in the background when a session ends. */
    pushOnSessionEnd: boolean;
  };
  /**
   * The conversation itself: each session's transcripts (main and subagents), redacted, appended to
   * its folder at each flush, so `agent-track continue` brings it back anywhere.
   */
  transcripts: { keep: boolean };
  /** S3 Glacier Deep Archive tier (`agent-track archive`). */
  archive: {
    bucket: string | null;
    prefix: string;
    /** Phases kept on the branch behind the current one; older ones are archived and pruned. */
    keep: number;
    storageClass: string;
    /** Also export the current phases as Parquet under the same keys (`archive --lake`): an organisation's lake. */
    lake: boolean;
    /** The `repo=` key's name (`owner/name`); default: from the remote's URL (src/cloud/repo-key.ts). */
    repo: string | null;
    /** After a verified archive, give the branch a new root (`agent-track compact`); default: true when a bucket is set. */
    compact: boolean;
  };
  /**
   * Cost budgets in USD (list-price estimates): the status line warns when this session's cost or
   * the current phase's passes one. It never blocks.
   */
  budget: { session: number | null; phase: number | null };
  /** Google Drive tier (`agent-track backup`). */
  backup: {
    /** The folder under which `<owner>-<repo>/<phase>/` is written (default: a folder `agent-tracking` in the root). */
    driveFolderId: string | null;
    /** A Shared Drive: required with a service account (it has no storage of its own). */
    sharedDriveId: string | null;
    /** Phases kept on Drive: the current one and this many before it. */
    keep: number;
  };
  /** Line attribution (`blame`, `why`, `log`). */
  attribution: {
    /** Commit trailers (`Agent-Session`, `Agent-Lines`) from a prepare-commit-msg hook (`init --commit-trailers`). */
    trailers: boolean;
  };
}

export const DEFAULT_CONFIG: TrackingConfig = {
  phase: 'phase-1',
  snapshots: { everyAgents: 10, everyTokens: 20000 },
  flush: { everyEvents: 50 },
  limits: { toolOutputBytes: 32 * 1024, fileContentBytes: 256 * 1024 },
  redaction: { extraPatterns: [], allow: [] },
  pricing: {},
  recovery: { handoffBudget: 2000, injectOnStartup: true, crashedAfterMinutes: 30 },
  tracking: { remote: 'origin', pushOnSessionEnd: false },
  transcripts: { keep: true },
  archive: {
    bucket: null,
    prefix: 'agent-tracking',
    keep: 2,
    storageClass: 'DEEP_ARCHIVE',
    lake: false,
    repo: null,
    compact: false,
  },
  backup: { driveFolderId: null, sharedDriveId: null, keep: 1 },
  budget: { session: null, phase: null },
  attribution: { trailers: false },
};

const positiveOrNull = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const nonNegInt = (v: unknown, d: number): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : d;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const posInt = (v: unknown, d: number): number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : d;

const price = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

/** `pricing:` entries with a numeric input and output price; the rest is ignored. */
function pricingOf(raw: unknown): TrackingConfig['pricing'] {
  const out: TrackingConfig['pricing'] = {};
  if (!isObj(raw)) return out;
  for (const [model, v] of Object.entries(raw)) {
    if (!isObj(v)) continue;
    const input = price(v.input);
    const output = price(v.output);
    if (input === undefined || output === undefined) continue;
    out[model] = { input, output };
    for (const k of ['cacheRead', 'cacheWrite5m', 'cacheWrite1h'] as const) {
      const x = price(v[k]);
      if (x !== undefined) out[model][k] = x;
    }
  }
  return out;
}

/** Merges a parsed YAML document over the defaults, ignoring what has the wrong type. */
export function normalizeConfig(raw: unknown): TrackingConfig {
  const r = isObj(raw) ? raw : {};
  const sub = (k: string) => (isObj(r[k]) ? (r[k] as Record<string, unknown>) : {});
  const d = DEFAULT_CONFIG;
  const extra = sub('redaction').extraPatterns;
  const allow = sub('redaction').allow;
  return {
    phase: typeof r.phase === 'string' && /^[\w.-]+$/.test(r.phase) ? r.phase : d.phase,
    snapshots: {
      everyAgents: posInt(sub('snapshots').everyAgents, d.snapshots.everyAgents),
      everyTokens: posInt(sub('snapshots').everyTokens, d.snapshots.everyTokens),
    },
    flush: { everyEvents: posInt(sub('flush').everyEvents, d.flush.everyEvents) },
    limits: {
      // never a value whose object would pass the branch's cap on one object (BLOB_CAP_BYTES)
      toolOutputBytes: Math.min(
        LIMIT_CAP_BYTES,
        posInt(sub('limits').toolOutputBytes, d.limits.toolOutputBytes),
      ),
      fileContentBytes: Math.min(
        LIMIT_CAP_BYTES,
        posInt(sub('limits').fileContentBytes, d.limits.fileContentBytes),
      ),
    },
    redaction: {
      extraPatterns: Array.isArray(extra) ? extra.filter((p) => typeof p === 'string') : [],
      allow: Array.isArray(allow) ? allow.filter((p) => typeof p === 'string') : [],
    },
    pricing: pricingOf(r.pricing),
    recovery: {
      handoffBudget: posInt(sub('recovery').handoffBudget, d.recovery.handoffBudget),
      injectOnStartup:
        typeof sub('recovery').injectOnStartup === 'boolean'
          ? (sub('recovery').injectOnStartup as boolean)
          : d.recovery.injectOnStartup,
      crashedAfterMinutes: posInt(sub('recovery').crashedAfterMinutes, d.recovery.crashedAfterMinutes),
    },
    tracking: {
      remote:
        typeof sub('tracking').remote === 'string' && (sub('tracking').remote as string).trim()
          ? (sub('tracking').remote as string).trim()
          : d.tracking.remote,
      pushOnSessionEnd:
        typeof sub('tracking').pushOnSessionEnd === 'boolean'
          ? (sub('tracking').pushOnSessionEnd as boolean)
          : d.tracking.pushOnSessionEnd,
    },
    transcripts: {
      keep:
        typeof sub('transcripts').keep === 'boolean'
          ? (sub('transcripts').keep as boolean)
          : d.transcripts.keep,
    },
    archive: {
      bucket: strOrNull(sub('archive').bucket),
      prefix: (strOrNull(sub('archive').prefix) ?? d.archive.prefix).replace(/^\/+|\/+$/g, ''),
      keep: nonNegInt(sub('archive').keep, d.archive.keep),
      storageClass: strOrNull(sub('archive').storageClass) ?? d.archive.storageClass,
      lake: typeof sub('archive').lake === 'boolean' ? (sub('archive').lake as boolean) : d.archive.lake,
      repo: strOrNull(sub('archive').repo),
      compact:
        typeof sub('archive').compact === 'boolean'
          ? (sub('archive').compact as boolean)
          : strOrNull(sub('archive').bucket) !== null,
    },
    budget: {
      session: positiveOrNull(sub('budget').session),
      phase: positiveOrNull(sub('budget').phase),
    },
    backup: {
      driveFolderId: strOrNull(sub('backup').driveFolderId),
      sharedDriveId: strOrNull(sub('backup').sharedDriveId),
      keep: nonNegInt(sub('backup').keep, d.backup.keep),
    },
    attribution: {
      trailers:
        typeof sub('attribution').trailers === 'boolean'
          ? (sub('attribution').trailers as boolean)
          : d.attribution.trailers,
    },
  };
}

export const CONFIG_FILE = '.agent-tracking.yml';

/**
 * No object on the branch is larger (GitHub warns at 50 MB and refuses 100 MB; Entire's branch
 * became unpushable with one such blob): larger files are split (event segments) or capped with the
 * sha256 of what was cut (src/store/tree.ts).
 */
export const BLOB_CAP_BYTES = 10_000_000;
/** The most `limits.toolOutputBytes` and `limits.fileContentBytes` can be: below the object cap. */
export const LIMIT_CAP_BYTES = 8 * 1024 * 1024;

export const CONFIG_TEMPLATE = `# subagent-tracking configuration (https://www.npmjs.com/package/subagent-tracking)
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

# Secrets are redacted before anything is written: about 100 documented token formats (cloud,
# source hosts, AI, payment, chat...), private keys, JWTs, credentials in URLs, headers and curl,
# secret-named assignments in any common syntax, .env values, random-looking strings.
# extraPatterns: your own regular expressions; each match becomes [REDACTED:custom].
# allow: regular expressions for false positives; a finding whose text matches one is kept.
# \`agent-track redactions\` lists what was redacted where (never the value).
redaction:
  extraPatterns: []
  allow: []

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

# Budgets in USD (list-price estimates): \`agent-track statusline\` warns once this session's cost
# or the current phase's passes one. Nothing is ever blocked.
budget:
  session:                   # e.g. 5
  phase:                     # e.g. 100

# Cloud tiers. Drive keeps the current phase and \`keep\` before it (\`agent-track backup\`); S3 Glacier
# Deep Archive keeps every phase more than \`keep\` behind the current one, forever, as Parquet and
# gzipped JSONL, and prunes it from the branch tip once verified (\`agent-track archive\`).
# Credentials come from the environment only (AWS's standard chain; Drive: see \`agent-track auth drive\`).
archive:
  bucket:                    # an S3 bucket (or --bucket); AWS_ENDPOINT_URL for MinIO, R2 and tests
  prefix: agent-tracking
  keep: 2
  storageClass: DEEP_ARCHIVE
  lake: false                # true: also export the current phases (archive --lake), one prefix per organisation
  repo:                      # the repo= key as owner/name; default: from the remote's URL
  # after a verified archive, give the branch a new root so clones stop downloading archived phases
  # (\`agent-track compact\`; default: true when a bucket is set)
  compact:
backup:
  driveFolderId:             # default: a folder named agent-tracking in My Drive
  sharedDriveId:             # required with a service account (it has no storage quota of its own)
  keep: 1

# Line attribution (\`agent-track blame\`, \`why\`, \`log\`). trailers: add \`Agent-Session\` and
# \`Agent-Lines: 73% (146/200)\` to commit messages, from the prepare-commit-msg hook that
# \`agent-track init --commit-trailers\` installs (never installed otherwise).
attribution:
  trailers: false
`;
