/**
 * Redaction: every string is cleaned before anything is written (spool, error log, branch, output).
 * Known token shapes first, then secret-named assignments, then a Shannon-entropy pass over long
 * random-looking values in assignments and quotes. Runs in the hook: node builtins only, regexes
 * compiled once, all linear (bounded quantifiers, no nested repetition) so a 20 MB payload is fine.
 */
import type { Redacted } from '../model/redacted.js';

export type { Redacted } from '../model/redacted.js';

export interface RedactOptions {
  /** Regex sources from the user's config; each match becomes [REDACTED:custom]. */
  extraPatterns?: string[];
}

const mark = (kind: string) => `[REDACTED:${kind}]`;

/**
 * Token shapes that are secrets wherever they appear. Each has a hint: a substring every match
 * contains, checked first with a plain (fast) search, so text without it costs no regex scan.
 */
const TOKEN_RULES: Array<[kind: string, hint: string[], re: RegExp]> = [
  [
    'private-key',
    ['PRIVATE KEY'],
    /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----[\s\S]{1,20000}?-----END[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----/g,
  ],
  ['aws-access-key', ['AKIA', 'ASIA', 'ABIA', 'ACCA'], /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g],
  [
    'github-token',
    ['ghp_', 'gho_', 'ghs_', 'ghu_', 'ghr_'],
    /\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36,255}\b/g,
  ],
  ['github-token', ['github_pat_'], /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g],
  ['anthropic-key', ['sk-ant-'], /\bsk-ant-[A-Za-z0-9_-]{20,255}/g],
  ['openai-key', ['sk-'], /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,255}/g],
  ['slack-token', ['xox'], /\bxox[abposr]-[A-Za-z0-9-]{10,255}/g],
  ['slack-webhook', ['hooks.slack.com'], /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]{20,200}/g],
  ['google-api-key', ['AIza'], /\bAIza[0-9A-Za-z_-]{35}\b/g],
  ['jwt', ['eyJ'], /\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,4096}/g],
  ['stripe-key', ['_live_'], /\b[rs]k_live_[A-Za-z0-9]{20,255}\b/g],
  ['npm-token', ['npm_'], /\bnpm_[A-Za-z0-9]{36}\b/g],
];

/** Every hint in one regex: a single scan tells the common text (no hint at all) from the rest. */
const ANY_HINT = new RegExp(
  TOKEN_RULES.flatMap(([, hints]) => hints)
    .map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
);

/** `Authorization: Bearer xyz`, `Basic ...`. */
const AUTH_HEADER =
  /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(bearer|basic|token)\s+([A-Za-z0-9._~+/=-]{8,4096})/gi;

/** `scheme://user:password@host`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@"'`]{1,200}:)([^\s@/"'`]{1,400})(@)/gi;

/**
 * `key = value` / `key: value` / `"key": "value"` / `export KEY=value` where the key names a secret.
 * Group 1: the key and separator (kept); group 2: a quoted value; group 3: an unquoted value.
 */
const SECRET_KEY = `[A-Za-z0-9_.-]{0,40}(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|credentials?|client[_-]?secret|session[_-]?key)[A-Za-z0-9_.-]{0,40}`;
const ASSIGNMENT = new RegExp(
  String.raw`((?:^|[\s{,;(])["']?${SECRET_KEY}["']?\s{0,8}(?:=|:(?!//))\s{0,8})(?:"([^"\n]{1,4096})"|'([^'\n]{1,4096})'|([^\s"',;}{)]{1,4096}))`,
  'gim',
);

/** Every key ASSIGNMENT and AUTH_HEADER look for contains one of these: one quick scan decides whether they run. */
const SECRET_WORD =
  /passw|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|credential|session[_-]?key/i;

/** Matches wherever ANY_HINT or SECRET_WORD would (and a little more): the first, single scan. */
const SUSPECT = new RegExp(
  `[Pp](?:assw|wd|RIVATE KEY)|secret|token|key|auth|credential|${ANY_HINT.source}`,
  'i',
);

/** Values that are references, not secrets: empty, env lookups, placeholders, ordinary words. */
function isPlaceholder(value: string): boolean {
  if (value.length < 4) return true;
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value)) return true; // $TOKEN, ${TOKEN}
  if (/^(process\.env|os\.environ|env\.|ENV\[|getenv|secrets\.)/i.test(value)) return true;
  if (/^\{\{.*\}\}$/.test(value) || /^<[^>]+>$/.test(value)) return true; // {{ secrets.X }}, <your-key>
  if (/^\[REDACTED:/.test(value)) return true;
  if (
    /^(true|false|null|none|undefined|required|optional|string|number|boolean|redacted|bearer|basic|\*+|x+)$/i.test(
      value,
    )
  )
    return true;
  // a plain lower-case word or identifier of letters only ("token: count", "auth: oauth") is not a secret
  if (/^[a-z]+$/.test(value) && value.length < 16) return true;
  // the value is a function call or a property access: code, not a literal
  if (/[()]/.test(value) || /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(value)) return true;
  return false;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Long random-looking tokens inside quotes or after `=`/`:`; checked by entropy, not shape. */
const CANDIDATE = /(["'=:]\s{0,4})([A-Za-z0-9+/_-]{32,1024}={0,2})(?![A-Za-z0-9+/_=-])/g;

function looksRandom(token: string): boolean {
  if (/^[0-9a-f]+$/i.test(token)) return false; // hex: git object ids, hashes, checksums
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token)) return false;
  if (/^(toolu|msg|req|srvtoolu|call|chatcmpl|run|file|asst|thread)_[A-Za-z0-9]+$/.test(token)) return false; // API ids
  if (/^[A-Za-z]+$/.test(token)) return false; // one long word
  if (/^[a-z0-9]+(?:[-_][a-z0-9]+)+$/.test(token)) return false; // kebab/snake identifiers
  if (/[/]/.test(token) && /^[A-Za-z0-9._/-]+$/.test(token) && token.split('/').length > 2) return false; // paths
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(token)).length;
  if (classes < 3) return false;
  return shannonEntropy(token) >= 4.2;
}

const compiledExtra = new Map<string, RegExp | null>();
function extraRegex(source: string): RegExp | null {
  if (!compiledExtra.has(source)) {
    try {
      compiledExtra.set(source, new RegExp(source, 'g'));
    } catch {
      compiledExtra.set(source, null); // a bad user pattern must not break the hook
    }
  }
  return compiledExtra.get(source) ?? null;
}

/** Replaces every secret in a string by [REDACTED:<kind>]. */
export function redactText(text: string, opts: RedactOptions = {}): string {
  if (text.length < 8) return text;
  let out = text;
  // most text holds no hint of any rule: one case-insensitive scan finds that (a superset of both checks)
  const suspect = SUSPECT.test(out);
  if (suspect && ANY_HINT.test(out))
    for (const [kind, hints, re] of TOKEN_RULES)
      if (hints.some((h) => out.includes(h))) out = out.replace(re, mark(kind));
  const lower = suspect && SECRET_WORD.test(out);
  if (lower)
    out = out.replace(
      AUTH_HEADER,
      (_m, name, sep, scheme) => `${name}${sep}${scheme} ${mark('auth-header')}`,
    );
  if (out.includes('://'))
    out = out.replace(URL_CREDENTIALS, (_m, head, _pw, at) => `${head}${mark('url-password')}${at}`);
  if (lower)
    out = out.replace(ASSIGNMENT, (m, head: string, dq?: string, sq?: string, bare?: string) => {
      const value = dq ?? sq ?? bare ?? '';
      if (isPlaceholder(value)) return m;
      const q = dq !== undefined ? '"' : sq !== undefined ? "'" : '';
      return `${head}${q}${mark('secret-assignment')}${q}`;
    });
  out = out.replace(CANDIDATE, (m, lead: string, token: string) =>
    looksRandom(token) ? `${lead}${mark('high-entropy')}` : m,
  );
  for (const source of opts.extraPatterns ?? []) {
    const re = extraRegex(source);
    if (re) out = out.replace(re, mark('custom'));
  }
  return out;
}

/** Keys whose string values are secrets whatever they look like. */
const SECRET_FIELD =
  /^(?:.*[_-])?(password|passwd|secret|token|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|client[_-]?secret|authorization|private[_-]?key|credentials?)$/i;
/** ... except these, which hold counts or names, not secrets. */
const NOT_SECRET_FIELD = /(tokens|_count|count|type|usage|limit|max|input_tokens|output_tokens)$/i;

function redactDeep(value: unknown, opts: RedactOptions, key: string | null): unknown {
  if (typeof value === 'string') {
    if (key !== null && SECRET_FIELD.test(key) && !NOT_SECRET_FIELD.test(key) && !isPlaceholder(value))
      return mark('secret-field');
    return redactText(value, opts);
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, opts, null));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, opts, k);
    return out;
  }
  return value;
}

/** Deep-redacts every string of a JSON-like value; returns a new value. */
export function redactValue<T>(value: T, opts: RedactOptions = {}): Redacted<T> {
  return redactDeep(value, opts, null) as Redacted<T>;
}

/** `.env`, `.env.local`, `prod.env`, `.envrc`: every value in them is a secret. */
export function isEnvFile(file: string): boolean {
  const base = file.split(/[\\/]/).pop() ?? '';
  return /^\.env(\..+)?$/.test(base) || /\.env$/.test(base) || base === '.envrc';
}

const ENV_LINE = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*)(.*)$/gm;

/** File text: in .env-style files every value is replaced whole; elsewhere the usual rules apply. */
export function redactFileContent(file: string, content: string, opts: RedactOptions = {}): string {
  if (isEnvFile(file))
    content = content.replace(ENV_LINE, (m, head: string, value: string) =>
      value.trim() === '' ? m : `${head}${mark('env')}`,
    );
  return redactText(content, opts);
}
