/**
 * Redaction: every string is cleaned before anything is written (spool, error log, branch, output).
 *
 * What is a secret, in this order:
 * 1. token formats that identify themselves (redact-rules.ts: providers' documented prefixes and
 *    structures), wherever they appear;
 * 2. credentials in their usual places: `Authorization:` headers, `scheme://user:password@host`,
 *    `curl -u user:password`;
 * 3. keyword-anchored assignments in every common syntax (`k=v`, `k: v`, `k := v`, `k => v`,
 *    `k ?= v`, `var k string = v`, `setProperty("K", v)`, `<k>v</k>`, `key="K" value="v"`,
 *    `--k v`) where the key's own words name a secret (so `maxTokens`, `author`, `token_type` do
 *    not) and the value itself looks like one (not a number, a reference, code or a placeholder);
 * 4. entropy with context: a long token with the character mix of random data, unless it has a
 *    known non-secret format (hex ids and checksums, UUIDs, SRI hashes, base64 data URIs).
 *
 * Two passes, one set of rules: the fast pass (the hook) scans each string as it is; the full pass
 * (before a byte reaches a git object or leaves the machine) also reads JSON text through its
 * escapes, so a secret written inside an escaped JSON string is found too.
 *
 * Pure (no I/O), so it sits in src/model below the store: the store's writers take only `Redacted`
 * values, and what the store derives itself (session.json, the index, merged files) it passes through
 * `redactForStore`. Runs in the hook: no imports beyond this folder, regexes compiled on first use,
 * every quantifier bounded and no nested repetition, so the cost is linear in the text. Ordinary text costs one scan for the rules'
 * hints and one for secret-naming words; only the rules whose hint occurs run.
 */

import { createHash } from 'node:crypto';
import { containsStopword, isPublicExample } from './redact-allow.js';
import { ALL_HINTS, TOKEN_RULES, variedEnough } from './redact-rules.js';
import type { Redacted } from './redacted.js';

export type { Redacted } from './redacted.js';

export interface RedactOptions {
  /** Regex sources from the user's config; each match becomes [REDACTED:custom]. */
  extraPatterns?: string[];
  /** Regex sources from the user's config: a finding whose text matches one is left as it is. */
  allow?: string[];
  /** `fast` (the hook) or `full` (default: before git objects and anything leaving the machine). */
  pass?: 'fast' | 'full';
  /** The text was cut at a size cap (a capped output's `head`): a token cut at its end goes too. */
  cut?: boolean;
}

/** One secret found in a text: its kind and where it is (never its value). */
export interface Finding {
  kind: string;
  start: number;
  end: number;
}

export const mark = (kind: string) => `[REDACTED:${kind}]`;
/** Matches a mark left by a previous redaction, capturing its kind. */
export const MARK_RE = /\[REDACTED:([a-z0-9-]{1,60})\]/g;

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

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * All hints of all token rules in one case-insensitive scan (longest first: `eyjrijoi` before
 * `eyj`), for long texts; a short text (the hook's usual payload) is searched hint by hint, which
 * costs less than compiling this scan. Built on first use, like every regex the hook may not need.
 */
let hintScan: { re: RegExp; within: Map<string, string[]> } | null = null;
function hintScanner() {
  hintScan ??= {
    re: new RegExp(
      [...ALL_HINTS]
        .sort((a, b) => b.length - a.length)
        .map(escapeRe)
        .join('|'),
      'gi',
    ),
    // a hint found also stands for every shorter hint inside it (a scan reports one hint a position)
    within: new Map(ALL_HINTS.map((h) => [h, ALL_HINTS.filter((o) => h.includes(o))])),
  };
  return hintScan;
}
const SHORT_TEXT = 16 * 1024;

// ---------------------------------------------------------------------------------------------
// values: what a secret looks like, and what a placeholder, a reference or code looks like

/** A set of words with a regex's `test`: cheaper to build than a large alternation is to compile. */
function wordSet(words: string[], caseless = false) {
  const set = new Set(caseless ? words.map((w) => w.toLowerCase()) : words);
  return { test: (w: string) => set.has(caseless ? w.toLowerCase() : w) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER_WORDS = wordSet(
  [
    'true',
    'false',
    'null',
    'nil',
    'none',
    'undefined',
    'empty',
    'required',
    'optional',
    'string',
    'str',
    'number',
    'int',
    'integer',
    'boolean',
    'bool',
    'object',
    'any',
    'unknown',
    'redacted',
    'hidden',
    'masked',
    'secret',
    'secrets',
    'password',
    'passwd',
    'pass',
    'token',
    'key',
    'apikey',
    'api_key',
    'changeme',
    'change_me',
    'example',
    'sample',
    'dummy',
    'placeholder',
    'todo',
    'tbd',
    'n/a',
    'na',
    'bearer',
    'basic',
    'value',
    'default',
    'test',
    'testing',
  ],
  true,
);

/** Obvious placeholders: references to somewhere else, templates, masks, documentation fillers. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  if (/\[redacted|\.\.|^\{/i.test(v)) return true; // already redacted, elided, a template
  if (/^\$[{(]?[A-Za-z_][\w.]*[})]?$/.test(v) || /\$\{|\$\(|\{\{|\}\}|<%|%>/.test(v)) return true; // $X ${X} {{ x }}
  if (/^%[A-Za-z_]\w*%$/.test(v) || /^<[^<>]{1,200}>$/.test(v) || /^\[[^\]]{1,200}\]$/.test(v)) return true;
  if (/^(?:process\.env|os\.environ|os\.getenv|env\.|ENV\[|getenv|secrets\.|vars\.|import\.meta)/i.test(v))
    return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  if (/^(?:your|my|insert|replace|enter|put|add|paste)[_\-\s.]?[a-z]/i.test(v) && /[_-]|[a-z][A-Z]/.test(v))
    return true;
  if (/^(?:[xX*#.•_-]){4,}$/.test(v) || /(?:x{5,}|X{5,}|\*{3,}|\.{3,})/.test(v)) return true; // masks
  if (/(.)\1{7}/.test(v)) return true; // aaaaaaaa, 00000000
  if (/EXAMPLE(?:KEY)?$/.test(v)) return true; // the providers' documentation keys (AKIAIOSFODNN7EXAMPLE)
  return false;
}

/** A sequence like `abcdefgh` or `123456789`: a documentation filler, not a random value. */
function hasSequentialRun(v: string, len: number): boolean {
  let run = 1;
  for (let i = 1; i < v.length; i++) {
    run = v.charCodeAt(i) === v.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= len) return true;
  }
  return false;
}

/** Known non-secret formats of a token: hashes, ids, checksums. */
function knownNonSecretFormat(t: string): boolean {
  if (/^(?:sha(?:1|224|256|384|512)|md5)[-:]/i.test(t)) return true; // SRI integrity, docker digests
  if (UUID.test(t)) return true;
  // a Codex CLI rollout's file name: its time and thread id (a UUID)
  if (
    /^rollout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(
      t,
    )
  )
    return true;
  // hex ids and digests are written in one case (git, sha256sum, npm); a mixed-case hex run is not one
  if (
    (/^[0-9a-f]+$/.test(t) || /^[0-9A-F]+$/.test(t)) &&
    /^(?:[0-9a-f]{7,12}|[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i.test(
      t,
    )
  )
    return true;
  if (
    /^(?:toolu|msg|req|srvtoolu|call|chatcmpl|run|file|asst|thread|resp|batch|evt|cus|sub|price|prod|ch|pi|in|txn|po|acct)_[A-Za-z0-9]{8,}$/.test(
      t,
    )
  )
    return true; // API object ids (not keys)
  return false;
}

/** The prefixes of the self-identifying formats: a token starting with one that its rule rejected is no secret. */
const KNOWN_PREFIXES = ALL_HINTS.filter((h) => h.length >= 4 && /^[a-z]/.test(h));
const knownPrefix = (t: string) => {
  const lower = t.slice(0, 24).toLowerCase();
  return KNOWN_PREFIXES.some((p) => lower.startsWith(p));
};

/**
 * Whether the letters' cases are as mixed as in generated mixed-case data: drawn at random, each
 * letter is upper case with probability 1/2, so with n letters the rarer case falls below
 * n/2 - 3.5 standard deviations (0.5·√n each) about once in 4,000 tokens. A few capitals around a
 * long lower-case run (`gYnkg…lower-case and digits…VyZSB2`) are not one random draw: a base64
 * fragment glued to a single-case value, which the entropy pass does not judge.
 */
export function caseBalanced(t: string): boolean {
  let up = 0;
  let lo = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 65 && c <= 90) up++;
    else if (c >= 97 && c <= 122) lo++;
  }
  const n = up + lo;
  return Math.min(up, lo) >= n / 2 - 1.75 * Math.sqrt(n);
}

/**
 * An identifier of words (`CipherChaCha20Poly1305Options`, `DuckDBEnum16Vector_1`,
 * `pemEncodedPrivateKey`): every run of letters between case changes, digits and separators has three
 * letters or more, or is a two-letter acronym. Generated data has one- and two-letter runs all over.
 */
export function identifierLike(v: string): boolean {
  const humps = v.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]/g);
  if (!humps || humps.length < 2) return false;
  for (const h of humps) if (h.length < 3 && !/^[A-Z]{2}$/.test(h)) return false;
  return true;
}

/** Random-looking: the character mix and spread of generated data, not of words or identifiers. */
export function looksRandom(t: string, minLength = 20): boolean {
  if (t.length < minLength) return false;
  if (knownNonSecretFormat(t)) return false;
  const lower = /[a-z]/.test(t);
  const upper = /[A-Z]/.test(t);
  const digits = t.replace(/[^0-9]/g, '').length;
  if (!(lower && upper && digits >= 2)) return false;
  if (!caseBalanced(t) || identifierLike(t)) return false;
  // identifiers are mostly long runs of lower-case letters (CanvasRenderingContext2DSettings)
  const wordy = (t.match(/[a-z]{5,}/g) ?? []).reduce((n, w) => n + w.length, 0);
  if (wordy / t.length > 0.4) return false;
  if (/^[A-Za-z]+(?:[-_][A-Za-z0-9]+)+$/.test(t) && !/\d{2}/.test(t)) return false; // kebab/snake names
  if (hasSequentialRun(t, 6) || isPlaceholder(t) || namedParts(t)) return false;
  // a malformed instance of a known format (`AkCp…` of the wrong length) is a name or a filler
  if (knownPrefix(t)) return false;
  const threshold = Math.min(4.0, Math.log2(t.length) - 0.6);
  // a word of gitleaks' stopwords inside: a name or prose, not generated (checked last: the costliest)
  return shannonEntropy(t) >= threshold && !containsStopword(t);
}

/** Non-secret last words of a key: what the value counts, names or points to. */
const NOT_SECRET_LAST = wordSet([
  'tokens',
  'keys',
  'secrets',
  'passwords',
  'count',
  'counts',
  'length',
  'len',
  'size',
  'type',
  'types',
  'kind',
  'name',
  'names',
  'file',
  'files',
  'path',
  'paths',
  'dir',
  'url',
  'uri',
  'urls',
  'endpoint',
  'host',
  'header',
  'headers',
  'field',
  'fields',
  'prefix',
  'suffix',
  'format',
  'limit',
  'limits',
  'max',
  'min',
  'timeout',
  'ttl',
  'expiry',
  'expires',
  'expiration',
  'at',
  'time',
  'env',
  'var',
  'ref',
  'policy',
  'mode',
  'version',
  'regex',
  'pattern',
  'label',
  'description',
  'placeholder',
  'hint',
  'event',
  'events',
  'index',
  'required',
  'enabled',
  'disabled',
  'provider',
  'manager',
  'store',
  'vault',
  'selector',
  'down',
  'up',
  'press',
  'source',
  'location',
  'usage',
  'budget',
  'cost',
  'rate',
  'window',
  'estimate',
  'ratio',
  'bytes',
  'bits',
  'chars',
  'location',
  'exists',
  'present',
  'set',
  'valid',
  'status',
  'error',
  'errors',
  'message',
  'length',
  'mask',
  'strategy',
  'method',
  'scheme',
  'style',
  'class',
  'config',
  'option',
  'options',
  'param',
  'params',
  'schema',
  'spec',
  'list',
  'map',
  'id',
  'ids',
  'input',
  'button',
  'link',
  'form',
  'page',
  'view',
  'table',
  'column',
  'sequence',
  'frame',
  'distance',
  'path',
  'loader',
  'parser',
  'reader',
  'writer',
  'handler',
  'hash',
  // a signature is bound to the one payload it signs, an identity names who: both are public
  'signature',
  'identity',
  'algorithm',
  'alg',
  'helper',
  'util',
  'utils',
  'test',
  'tests',
  'spec',
  'mock',
  'fn',
  'callback',
  'cb',
]);
const NUMERIC_WORD = wordSet([
  'max',
  'min',
  'num',
  'total',
  'count',
  'every',
  'per',
  'avg',
  'limit',
  'estimated',
  'remaining',
  'used',
]);
const STRONG_WORD =
  /(?:password|passwd|passphrase|pwd|secret|token|apikey|credential|credentials|creds|privatekey|accesskey|secretkey|authkey|clientkey|signingkey|masterkey|encryptionkey)$/;
const STRONG_EXACT = wordSet([
  'pass',
  'pw',
  'auth',
  'authorization',
  'pat',
  'jwt',
  'dsn',
  'bearer',
  'sas',
  'psk',
  'otp',
  'totp',
  'cookie',
]);
/** Keys that name something public or a one-time form value, not a secret. */
const NOT_SECRET_WORD = wordSet([
  'public',
  'pub',
  'publishable',
  'csrf',
  'xsrf',
  'authenticity',
  'nonce',
  'foreign',
  'sort',
  'partition',
  'cache',
  'primary',
]);
const KEY_MODIFIER = wordSet([
  'api',
  'access',
  'secret',
  'private',
  'auth',
  'client',
  'app',
  'master',
  'encryption',
  'signing',
  'license',
  'service',
  'storage',
  'shared',
  'session',
  'consumer',
  'account',
  'admin',
  'deploy',
  'ssh',
  'gpg',
  'pgp',
  'hmac',
  'webhook',
  'bot',
  'user',
  'integration',
  'server',
  'write',
  'read',
  'root',
  'global',
  'live',
  'prod',
  'production',
  'management',
  'subscription',
  'secondary',
]);
const ID_MODIFIER = wordSet(['access', 'client', 'app', 'api', 'account', 'tenant', 'consumer', 'key']);

type Strength = 'strong' | 'medium' | null;

/** Splits `apiKey`, `API_KEY`, `api-key`, `x.api.key` into lower-case words. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const strengthCache = new Map<string, Strength>();
/** How surely a key names a secret: by its words, the last one (the noun) deciding. */
export function keyStrength(key: string): Strength {
  let s = strengthCache.get(key);
  if (s === undefined) {
    s = judgeKey(key);
    if (strengthCache.size < 10_000) strengthCache.set(key, s);
  }
  return s;
}

function judgeKey(key: string): Strength {
  const words = keyWords(key);
  if (!words.length) return null;
  const last = words[words.length - 1];
  if (words.some((w) => NUMERIC_WORD.test(w) || NOT_SECRET_WORD.test(w))) return null;
  if (last === 'id' || last === 'ids') {
    return words.length >= 2 && ID_MODIFIER.test(words[words.length - 2]) ? 'medium' : null;
  }
  if (NOT_SECRET_LAST.test(last)) return null;
  let medium = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (STRONG_EXACT.test(w) || STRONG_WORD.test(w)) return 'strong';
    if (w === 'key' || w.endsWith('key')) {
      if (i > 0 && KEY_MODIFIER.test(words[i - 1])) return 'strong';
      // an environment variable's name (`HEROKU_KEY`, `MAILGUN_KEY`): configuration, so a credential
      if (i > 0 && /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_KEY$/.test(key)) return 'strong';
      if (w === 'key' || w === 'apikey') medium = true;
    }
  }
  return medium ? 'medium' : null;
}

/** `id-Gost28147-89-None`, `SalesResults-1.2`: short words and numbers joined, a name or a version. */
function namedParts(v: string): boolean {
  const parts = v.split(/[-_.]/);
  if (parts.length < 2) return false;
  if (parts.some((p) => p.length > 12)) return false;
  return parts.filter((p) => /[A-Za-z]/.test(p) && /\d/.test(p)).length <= 1 && parts.length >= 3
    ? true
    : parts.every((p) => /^[A-Za-z]+$/.test(p) || /^\d{1,4}$/.test(p));
}

/**
 * A key that names a provider whose tokens have a documented structure: the structure decides
 * (`telegram_api_token = "2316:A…"` with a four-digit bot id is not a Telegram token).
 */
const PROVIDER_FORMATS: Array<[key: RegExp, value: RegExp]> = [
  [/telegram/i, /^\d{5,16}:A[\w-]{34}$/],
  // Okta's API tokens: `00` and 40 characters (developer.okta.com, "Create an API token")
  [/okta/i, /^00[\w=-]{40}$/],
  // Cisco Meraki's API keys: 40 lower-case hex characters (gitleaks' cisco-meraki-api-key)
  [/meraki/i, /^[0-9a-f]{40}$/],
];

/** Whether a value given to a secret-naming key is itself a secret. */
export function isSecretValue(raw: string, strength: Strength, quoted: boolean, key: string): boolean {
  if (!strength) return false;
  const v = raw.trim();
  // a filler (`00000000…TUVWXYZ`) is no secret even in the provider's shape
  if (isPlaceholder(v)) return false;
  for (const [k, format] of PROVIDER_FORMATS)
    if (k.test(key)) return format.test(v) && !hasSequentialRun(v, 6);
  if (/\s/.test(v)) return false; // a sentence, a message
  if (/^[-+]?[\d.,_:]+$/.test(v) && !(strength === 'strong' && quoted && /^\d{16,64}$/.test(v))) return false; // a number
  if (/^(?:https?|file|ftp):\/\//i.test(v)) return false; // a URL (its credentials have their own rule)
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return false; // a path
  if (
    /^[\w.-]+\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|txt|ya?ml|env|js|ts|py|rb|go|sh|conf|cfg|ini|toml|xml|asc|gpg|pub)$/i.test(
      v,
    )
  )
    return false; // a file name
  if (/[()]/.test(v) && /^[\w$.]+\(/.test(v)) return false; // a call
  if (/^[A-Za-z_$][\w$]{0,30}(?:\??\.[A-Za-z_$][\w$]{0,30})+$/.test(v)) return false; // a.b.c, a?.b: a property
  // unquoted, a parenthesized or bracketed expression (`(credentials) => …`) or a name made of words
  // (`pemEncodedPrivateKey`): code that refers to the secret, not the secret
  if (!quoted && !/pass|pwd|pw$|^pw/i.test(key) && (/^(?:[([]|!!?[A-Za-z_$])/.test(v) || identifierLike(v)))
    return false;
  if (/^[A-Za-z_$][\w$]*\[/.test(v)) return false; // x[...]
  if (/^(?:sha(?:1|256|384|512)-|md5-)[A-Za-z0-9+/=]{20,}$/.test(v)) return false; // SRI
  if (/^[A-Z][A-Z0-9_]{2,}$/.test(v) && /_/.test(v) && !/\d/.test(v)) return false; // ENV_NAME
  const password = /pass|pwd|pw$|^pw/i.test(key);
  if (strength === 'strong' && UUID.test(v)) return true; // Heroku, HubSpot keys are UUIDs
  // a token or key containing one of gitleaks' stopwords is a name or prose (passwords may be words)
  if (!password && containsStopword(v)) return false;
  // a long quoted run of digits given to a token (Discord, Asana): an id-like secret, not a count
  if (strength === 'strong' && quoted && /^\d{16,64}$/.test(v) && /(?:token|secret|key|password)$/i.test(key))
    return true;
  if (hasSequentialRun(v, 8)) return false;
  const letters = /^[A-Za-z]+$/.test(v);
  if (password) {
    if (v.length < 6) return false;
    if (quoted) return !(letters && /^[a-z]+$/.test(v) && v.length < 8);
    return !letters || (/[a-z]/.test(v) && /[A-Z]/.test(v));
  }
  if (strength === 'strong') {
    // gitleaks' generic-api-key takes values of 10 characters or more; shorter ones are names, fillers
    if (v.length < 10) return false;
    if (letters) return /[a-z]/.test(v) && /[A-Z]/.test(v) && v.length >= 20 && shannonEntropy(v) >= 3.8;
    if (!/[A-Za-z]/.test(v)) return false;
    if (namedParts(v)) return false; // kebab/snake/dotted words and versions
    return shannonEntropy(v) >= (v.length < 16 ? 2.6 : 3.0);
  }
  // medium: the key could name anything (`key`, `clientId`): the value must be plainly random
  if (v.length < 12 || UUID.test(v)) return false;
  if (!/[A-Za-z]/.test(v) || !/\d/.test(v)) return false;
  if (/^[0-9a-f]+$/i.test(v) && v.length < 32) return false;
  if ((v.match(/[a-z]{5,}/g) ?? []).join('').length / v.length > 0.4) return false;
  if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || namedParts(v) || /^[A-Za-z]+(?:[-_.][A-Za-z0-9]+)+$/.test(v))
    return false;
  return shannonEntropy(v) >= 3.3;
}

// ---------------------------------------------------------------------------------------------
// the scans

/** Words that can start a secret-naming key; each hit is parsed locally (key, separator, value). */
const KEY_WORD =
  /pass|pwd|pw|secret|token|key|auth|cred|sig|sas|pat|jwt|dsn|cookie|bearer|otp|id\b|_id|Id\b/gi;
const KEY_CHAR = /[A-Za-z0-9_.$@-]/;
/**
 * From the end of a key: the closing quote or bracket, an optional type (`: string =`, ` string =`),
 * the separator, the value (quoted or bare). Sticky: it runs exactly where the key ends.
 */
const AFTER_KEY = new RegExp(
  String.raw`(?:\\?["'\x60])?\]?(?:\\?["'\x60])?` + // closing quote / bracket of the key
    String.raw`(?:[ \t]{0,4}:[ \t]{0,4}[A-Za-z][\w.<>[\]?|]{0,30}(?=[ \t]{0,4}=)|[ \t]{1,4}[A-Za-z][\w<>[\]]{0,30}(?=[ \t]{0,4}=[^=>]))?` + // a type
    String.raw`([ \t]{0,8}(?:=>|:{1,3}=|\?=|\+=|\|\|=|!==?|===?|=|:|,|->)[ \t]{0,8}|[ \t]{1,4}(?=\\?["'\x60]))` + // separator
    String.raw`(?:\\?"((?:[^"\\\n]|\\[^"\n]){1,2048})\\?"|\\?'([^'\n]{1,2048})'|\x60([^\x60\n]{1,2048})\x60|([^\s"'\x60,;)}\]<>&|]{1,2048}))`,
  'y',
);
/** `--password value`, `-p value` as a command-line flag: a space separates. */
const AFTER_FLAG = /[ \t]{1,4}([^\s"'`|;&<>-][^\s"'`|;&<>]{0,2047})/y;
/** `<add key="ClearTextPassword" value="…" />` (NuGet, app.config). */
const AFTER_XML_KEY_ATTR = /\\?["']\s{1,8}value\s{0,4}=\s{0,4}\\?["']([^"'\n]{1,2048})\\?["']/y;

function scanAssignments(text: string, out: Finding[], cleared: Array<[number, number]>): void {
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
    const flag = key.startsWith('-');
    key = key.replace(/^[-$@.]+|[.$@-]+$/g, '');
    if (!key) continue;
    const strength = keyStrength(key);
    if (!strength) continue;
    // <xToken>value</xToken>
    if (text[ks - 1] === '<' && text[ke] === '>') {
      const close = text.indexOf(`</${text.slice(ks, ke)}>`, ke);
      if (close > 0 && close - ke < 4096) {
        const inner = text.slice(ke + 1, close);
        const v = inner.trim();
        if (isSecretValue(v, strength, true, key)) {
          const s = ke + 1 + inner.indexOf(v);
          out.push({ kind: 'secret-assignment', start: s, end: s + v.length });
        }
        continue;
      }
    }
    // key="ClearTextPassword" value="..."
    if (/key\s{0,4}=\s{0,4}\\?["']$/i.test(text.slice(Math.max(0, ks - 12), ks))) {
      AFTER_XML_KEY_ATTR.lastIndex = ke;
      const a = AFTER_XML_KEY_ATTR.exec(text);
      if (a && isSecretValue(a[1], strength, true, key)) {
        const s =
          AFTER_XML_KEY_ATTR.lastIndex - a[1].length - (a[0].endsWith('"') || a[0].endsWith("'") ? 1 : 0);
        const start = text.lastIndexOf(a[1], AFTER_XML_KEY_ATTR.lastIndex);
        out.push({
          kind: 'secret-assignment',
          start: start >= 0 ? start : s,
          end: (start >= 0 ? start : s) + a[1].length,
        });
        from = AFTER_XML_KEY_ATTR.lastIndex;
        KEY_WORD.lastIndex = from;
        continue;
      }
    }
    AFTER_KEY.lastIndex = ke;
    const a = AFTER_KEY.exec(text);
    if (a) {
      const value = a[2] ?? a[3] ?? a[4] ?? a[5] ?? '';
      const quoted = a[5] === undefined;
      if (a[1].trim() === ',' && !quoted) continue; // a list, not a pair
      // `KEY "value"` (a Dockerfile's ENV, a config line) has a key of its own; prose has a verb or a
      // noun before a quote or a code span ("pass `requestOptions` to", "the token 'x'"), and a
      // backtick string is a value only after `=` or `:`
      if (
        a[1].trim() === '' &&
        (a[4] !== undefined || (keyWords(key).length < 2 && !/^[A-Z][A-Z0-9_]*$/.test(key)))
      )
        continue;
      // a TypeScript annotation, `(algorithm: string, password: BinaryLike, …)`: a type, not a value
      if (
        !quoted &&
        /^[A-Z][A-Za-z0-9_$]*$/.test(value) &&
        /[(,{;][ \t\r\n]*$/.test(text.slice(Math.max(0, ks - 40), ks)) &&
        /^[ \t]*(?:[,;)=|&>[]|$)/m.test(text.slice(AFTER_KEY.lastIndex, AFTER_KEY.lastIndex + 8))
      )
        continue;
      // `x == "y"` compares, but a secret compared to is still a secret: same rules
      if (!isSecretValue(value, strength, quoted, key)) {
        // a provider's documented format said no: the entropy pass does not overrule it
        if (PROVIDER_FORMATS.some(([k]) => k.test(key))) {
          const end = AFTER_KEY.lastIndex - (quoted ? 1 : 0);
          cleared.push([end - value.length, end]);
        }
      } else {
        const end = AFTER_KEY.lastIndex - (quoted ? (a[0].endsWith('\\"') ? 2 : 1) : 0);
        const trimmed = value.replace(/\\$/, '');
        out.push({
          kind: 'secret-assignment',
          start: end - value.length,
          end: end - value.length + trimmed.length,
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
          kind: 'secret-assignment',
          start: AFTER_FLAG.lastIndex - f[1].length,
          end: AFTER_FLAG.lastIndex,
        });
        from = AFTER_FLAG.lastIndex;
        KEY_WORD.lastIndex = from;
      }
    }
  }
}

/** `Authorization: Bearer xyz`, `Basic …`, `token …` (headers, curl -H, fetch options). */
const AUTH_HEADER =
  /\b(?:proxy-)?authorization\\?["']?\s{0,4}[:=,]\s{0,4}\\?["'\x60]?\s{0,4}(?:bearer|basic|token|digest|bot|sso-key|apikey|key)\s{1,4}([A-Za-z0-9._~+/=:-]{6,4096})/gi;
/** `scheme://user:password@host`. */
const URL_CREDENTIALS = /:\/\/([^\s:/@"'`<>]{0,200}):([^\s@/"'`<>]{1,400})@(?=[A-Za-z0-9[])/g;
/** `curl -u user:password`, `--user "user:password"`. */
const CURL_USER = /(?:^|\s)(?:-u|--user)[ \t=]{1,4}["']?([^\s"':]{0,200}):([^\s"']{0,400})["']?/g;

function scanCredentials(text: string, lower: string, out: Finding[]): void {
  if (lower.includes('authorization')) {
    AUTH_HEADER.lastIndex = 0;
    for (let m = AUTH_HEADER.exec(text); m; m = AUTH_HEADER.exec(text)) {
      const v = m[1];
      if (isPlaceholder(v) || /^\.+$/.test(v)) continue;
      out.push({ kind: 'auth-header', start: m.index + m[0].length - v.length, end: m.index + m[0].length });
    }
  }
  if (text.includes('://')) {
    URL_CREDENTIALS.lastIndex = 0;
    for (let m = URL_CREDENTIALS.exec(text); m; m = URL_CREDENTIALS.exec(text)) {
      const pw = m[2];
      if (isPlaceholder(pw) || /^(?:pass|password|pwd|secret)$/i.test(pw) || /^\$/.test(pw)) continue;
      const end = m.index + m[0].length - 1;
      out.push({ kind: 'url-password', start: end - pw.length, end });
    }
  }
  if (lower.includes('-u') || lower.includes('--user')) {
    CURL_USER.lastIndex = 0;
    for (let m = CURL_USER.exec(text); m; m = CURL_USER.exec(text)) {
      const [, user, pw] = m;
      const end = m.index + m[0].length - (/["']$/.test(m[0]) ? 1 : 0);
      if (user.startsWith('<') || pw.endsWith('>')) continue;
      if (pw && !isPlaceholder(pw) && !/^\$/.test(pw) && pw !== user)
        out.push({ kind: 'basic-auth', start: end - pw.length, end });
      else if (!pw && user.length >= 8 && !isPlaceholder(user) && /\d/.test(user) && /[A-Za-z]/.test(user))
        out.push({ kind: 'basic-auth', start: end - 1 - user.length, end: end - 1 }); // an API key as user name
    }
  }
}

/**
 * A Kubernetes Secret manifest (`kind: Secret`): every value under `data:` is a base64-encoded
 * secret, whatever its key (`extra:`, `key:`). Found by the manifest's own structure.
 */
const K8S_SECRET = /^[ \t]*kind:[ \t]*["']?Secret["']?[ \t]*$/im;
// the value may be quoted, and (read through a JSON string's escapes) followed by the string's end
const K8S_DATA_VALUE =
  /^([ \t]*[\w.-]{1,253}:[ \t]{1,8}["']?)([A-Za-z0-9+/]{4,65536}={0,2})(?=["']?[ \t]*(?:$|[,}\]]))/gm;

function scanKubernetesSecret(text: string, out: Finding[]): void {
  if (!K8S_SECRET.test(text) || !/^[ \t]*(?:data|stringData):/m.test(text)) return;
  K8S_DATA_VALUE.lastIndex = 0;
  for (let m = K8S_DATA_VALUE.exec(text); m; m = K8S_DATA_VALUE.exec(text)) {
    const v = m[2];
    // a word, a number, not base64, or too short to hide anything (`YmFyCg==` is "bar\n")
    if (v.length % 4 !== 0 || v.length < 12 || /^[a-z]+$/i.test(v) || /^\d+$/.test(v)) continue;
    out.push({
      kind: 'kubernetes-secret',
      start: m.index + m[1].length,
      end: m.index + m[1].length + v.length,
    });
  }
}

/** Long runs of token characters, for the entropy pass. */
const TOKEN_RUN = /[A-Za-z0-9+/_.~-]{20,}={0,2}/g;

/** Whether a position is inside a URL (a path segment or a query value: ids, not keys). */
function inUrl(text: string, at: number): boolean {
  const from = Math.max(0, at - 300);
  const before = text.slice(from, at);
  const ws = Math.max(
    before.lastIndexOf(' '),
    before.lastIndexOf('\n'),
    before.lastIndexOf('"'),
    before.lastIndexOf("'"),
  );
  return /:\/\/[^\s]*[/?=]$/.test(before.slice(ws + 1)) || /:\/\/[^\s]*\/[^\s]*$/.test(before.slice(ws + 1));
}

/** Whether the token is the value of a key that says it is not a secret (`credentialId`, `issuerKeyHash`). */
// the key, its separator, and the start of its value up to the token (no space, quote or separator:
// one value, `Identity="USK@<hash>,<hash>"`), read raw or through a JSON string's escapes
const NAMED_BY_KEY =
  /([A-Za-z_$][\w$.-]{0,80})\\?["']?(?:[ \t]{0,4}[:=]|\\?["']?[ \t]{1,4}value[ \t]{0,4}=)[ \t]{0,4}\\?["']?[^\s"'<>=:;&|\\]{0,200}$/;
function namedByKey(text: string, at: number): boolean {
  const m = NAMED_BY_KEY.exec(text.slice(Math.max(0, at - 300), at));
  if (!m) return false;
  const words = keyWords(m[1]);
  const last = words[words.length - 1] ?? '';
  return NOT_SECRET_LAST.test(last) || words.some((w) => NUMERIC_WORD.test(w) || NOT_SECRET_WORD.test(w));
}

/**
 * A text cut at a size cap (a tool output's kept head) can end inside a token, too short for its
 * format's rule: a run at the very end that starts with a known prefix goes as `truncated-token`.
 */
const TAIL_RUN = /[A-Za-z0-9_+/=.~-]{8,}$/;
function scanCutToken(text: string, out: Finding[]): void {
  const m = TAIL_RUN.exec(text.slice(-600));
  if (!m) return;
  const start = text.length - m[0].length;
  if (out.some((f) => f.end > start)) return;
  const lower = m[0].toLowerCase();
  const prefix = KNOWN_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix && m[0].length >= prefix.length + 4 && variedEnough(m[0]) && !isPlaceholder(m[0]))
    out.push({ kind: 'truncated-token', start, end: text.length });
}

/**
 * PEM/PGP blocks that are public by definition (certificates, public keys, signatures) or ciphertext
 * only a private key opens (a PGP message, an age file, as SOPS commits them): data, not secrets.
 */
const PUBLIC_BLOCK =
  /-----BEGIN ((?:PGP )?PUBLIC KEY(?: BLOCK)?|CERTIFICATE|CERTIFICATE REQUEST|PGP SIGNATURE|PGP MESSAGE|AGE ENCRYPTED FILE|SSH2 PUBLIC KEY)-----[\s\S]{0,200000}?-----END \1-----/g;

/**
 * A value SOPS encrypted (`ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`, getsops.io): ciphertext
 * that only its key can open, committed by design; its random-looking parts are no secret.
 */
const SOPS_VALUE =
  /ENC\[(?:AES256_GCM|PGP|KMS|AGE),data:[A-Za-z0-9+/=]{0,100000},iv:[A-Za-z0-9+/=]{0,200},tag:[A-Za-z0-9+/=]{0,200},type:[a-z]{1,10}\]/g;

/**
 * What the run's surroundings say about all of it: `name = value;`, a code statement, whose unquoted
 * right-hand side is a name or an expression, not a literal (detect-secrets' entropy plugins likewise
 * judge only quoted strings in code); or `<base64>==_<part>`, one token whose base64 padding split
 * the run, judged whole, so a token of a known prefix that its format's rule rejected (a Sentry token
 * of the wrong length) stays rejected.
 */
function runExcused(text: string, at: number, run: string): boolean {
  if (
    /^[ \t]*;/.test(text.slice(at + run.length, at + run.length + 8)) &&
    /(?:^|[\s;{(])[A-Za-z_$][\w$.]{0,80}[ \t]+=[ \t]+$/.test(text.slice(Math.max(0, at - 100), at))
  )
    return true;
  if (/^[_.-]/.test(run) && /[A-Za-z0-9+/]={1,2}$/.test(text.slice(Math.max(0, at - 3), at))) {
    let w = at;
    while (w > 0 && at - w < 8192 && /[A-Za-z0-9+/_.~=-]/.test(text[w - 1])) w--;
    if (knownPrefix(text.slice(w, at))) return true;
  }
  return false;
}

function scanEntropy(text: string, out: Finding[], cleared: Array<[number, number]>): void {
  const publicBlocks: Array<[number, number]> = [...cleared];
  if (text.includes('-----BEGIN ')) {
    PUBLIC_BLOCK.lastIndex = 0;
    for (let m = PUBLIC_BLOCK.exec(text); m; m = PUBLIC_BLOCK.exec(text))
      publicBlocks.push([m.index, m.index + m[0].length]);
  }
  if (text.includes('ENC[')) {
    SOPS_VALUE.lastIndex = 0;
    for (let m = SOPS_VALUE.exec(text); m; m = SOPS_VALUE.exec(text))
      publicBlocks.push([m.index, m.index + m[0].length]);
  }
  // a base64 data URI whose `+` a URL percent-encoded (`%2B`): its pieces are data too. The end of
  // the last piece known to be inside one, so each character is walked back over once
  let dataEnd = -1;
  const inDataUri = (at: number): boolean => {
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
    if (run.startsWith('...')) continue; // an elided excerpt (documentation, a log)
    if (/\.\.\.$/.test(text.slice(Math.max(0, m.index - 16), m.index).replace(/[A-Za-z0-9+/]+$/, '')))
      continue; // elided
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    if (/base64,$/i.test(before) || /;base64,/.test(run)) continue; // a data URI: data, not a secret
    if (
      /(?:sha-?(?:1|224|256|384|512)|md5)["']?[ \t]?[-:=][ \t]?["':]?$/i.test(before) ||
      /^(?:sha(?:1|224|256|384|512)|md5)[-:]/i.test(run)
    )
      continue; // a digest: SRI integrity, `pin-sha256="…"` (HPKP), `sha-256=:…:` (RFC 9530)
    // standard base64 with slashes is one token; elsewhere `/`, `.`, `~` separate names and paths
    const parts = /^[A-Za-z0-9+/]+={0,2}$/.test(run) && /[+/]/.test(run) ? [run] : run.split(/(?=[./~])/);
    let offset = 0;
    // the key that names the run names every part of it (`CloudFront-Signature: <part>~<part>~…`)
    let runNamed: boolean | undefined;
    for (const part of parts) {
      const t = part.replace(/^[./~]+/, '').replace(/[.~]+$/, '');
      const s = m.index + offset + part.indexOf(t);
      offset += part.length;
      if (t.length < 20) continue;
      if (t.length > 200) continue; // megabytes of base64 are data (images, bundles), not one key
      if (!looksRandom(t)) continue;
      if (inUrl(text, s) || namedByKey(text, s)) continue;
      // judged once a run, and only for a candidate: ordinary text never pays for these
      runNamed ??=
        (s !== m.index && namedByKey(text, m.index)) || runExcused(text, m.index, run) || inDataUri(m.index);
      if (runNamed) continue;
      out.push({ kind: 'high-entropy', start: s, end: s + t.length });
    }
  }
}

function scanTokens(text: string, lower: string, out: Finding[]): void {
  const seen = new Set<string>();
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
    // a rule without hints starts with a literal of its own (`:A…`), which its regex finds as fast
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

const compiled = new Map<string, RegExp | null>();
function userRegex(source: string): RegExp | null {
  if (!compiled.has(source)) {
    try {
      compiled.set(source, new RegExp(source, 'g'));
    } catch {
      compiled.set(source, null); // a bad user pattern must not break the hook
    }
  }
  return compiled.get(source) ?? null;
}

/** Sorts findings and merges overlaps (the earlier finding's kind wins). */
function merge(found: Finding[]): Finding[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  for (const f of found) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) last.end = Math.max(last.end, f.end);
    else out.push({ ...f });
  }
  return out;
}

/**
 * Escaped text (JSON's inside): the decoded text, and where each decoded position was in the raw
 * one, for the full pass. The map is sparse (a segment per escape), so a 10 MB text costs no 10 M
 * entries.
 */
const ESCAPE = /\\([nrt"\\/])/g;
const UNESCAPE: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', '/': '/' };
function decodeEscapes(text: string): { decoded: string; rawAt: (i: number) => number } | null {
  ESCAPE.lastIndex = 0;
  if (!ESCAPE.test(text)) return null;
  ESCAPE.lastIndex = 0;
  const parts: string[] = [];
  // segments: decoded start -> raw start; within a segment positions advance together
  const dStarts: number[] = [0];
  const rStarts: number[] = [0];
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
  const rawAt = (d: number): number => {
    let lo = 0;
    let hi = dStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (dStarts[mid] <= d) lo = mid;
      else hi = mid - 1;
    }
    return rStarts[lo] + (d - dStarts[lo]);
  };
  return { decoded: parts.join(''), rawAt };
}

function findRaw(text: string, opts: RedactOptions): Finding[] {
  const found: Finding[] = [];
  if (text.length < 8) return found;
  const lower = text.toLowerCase();
  scanTokens(text, lower, found);
  scanCredentials(text, lower, found);
  const cleared: Array<[number, number]> = [];
  scanAssignments(text, found, cleared);
  if (lower.includes('secret')) scanKubernetesSecret(text, found);
  scanEntropy(text, found, cleared);
  if (opts.cut) scanCutToken(text, found);
  for (const source of opts.extraPatterns ?? []) {
    const re = userRegex(source);
    if (!re) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0] === '') {
        re.lastIndex++;
        continue;
      }
      found.push({ kind: 'custom', start: m.index, end: m.index + m[0].length });
    }
  }
  return found;
}

/**
 * The repository's own patterns (`redaction.extraPatterns`, `redaction.allow` in
 * .agent-tracking.yml), applied to every redaction in this process: the store's writers run the
 * full pass themselves and must honour what the user allowed. Set by loadConfig.
 */
let configured: Pick<RedactOptions, 'extraPatterns' | 'allow'> = {};
export function configureRedaction(opts: Pick<RedactOptions, 'extraPatterns' | 'allow'>): void {
  configured = { extraPatterns: [...(opts.extraPatterns ?? [])], allow: [...(opts.allow ?? [])] };
}

/** Every secret in a text, merged and sorted, less those the user allowed. */
export function findSecrets(text: string, given: RedactOptions = {}): Finding[] {
  const opts: RedactOptions = {
    ...given,
    extraPatterns: [...new Set([...(configured.extraPatterns ?? []), ...(given.extraPatterns ?? [])])],
    allow: [...(configured.allow ?? []), ...(given.allow ?? [])],
  };
  let found = findRaw(text, opts);
  if (opts.pass !== 'fast') {
    const view = decodeEscapes(text);
    if (view)
      for (const f of findRaw(view.decoded, opts))
        found.push({
          kind: f.kind,
          start: view.rawAt(f.start),
          end: Math.min(text.length, view.rawAt(f.end)),
        });
  }
  found = merge(found).filter(
    (f) =>
      !text.startsWith('[REDACTED:', f.start) &&
      !text.startsWith('REDACTED:', f.start) &&
      // published in the provider's documentation or SDK: public already
      !isPublicExample(text.slice(f.start, f.end)),
  );
  const allow = (opts.allow ?? []).map(userRegex).filter((re): re is RegExp => re !== null);
  if (!allow.length) return found;
  return found.filter((f) => {
    const value = text.slice(f.start, f.end);
    return !allow.some((re) => {
      re.lastIndex = 0;
      return re.test(value);
    });
  });
}

/** Replaces every secret in a string by [REDACTED:<kind>]; everything else is kept byte for byte. */
export function redactText(text: string, opts: RedactOptions = {}): string {
  const found = findSecrets(text, opts);
  if (!found.length) return text;
  let out = '';
  let pos = 0;
  for (const f of found) {
    out += text.slice(pos, f.start) + mark(f.kind);
    pos = f.end;
  }
  return out + text.slice(pos);
}

/** Keys whose string values are secrets whatever they look like (when the value is not a placeholder). */
function secretField(key: string): boolean {
  const s = keyStrength(key);
  return s === 'strong';
}

function redactDeep(value: unknown, opts: RedactOptions, key: string | null): unknown {
  if (typeof value === 'string') {
    if (key !== null && secretField(key) && isSecretValue(value, 'strong', true, key))
      return mark('secret-field');
    return redactText(value, opts);
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, opts, null));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // a capped value ({ truncated, bytes, sha256, head }): its head ends where the cap cut it
    const capped = (value as Record<string, unknown>).truncated === true;
    for (const [k, v] of Object.entries(value))
      out[k] = capped && k === 'head' ? redactDeep(v, { ...opts, cut: true }, k) : redactDeep(v, opts, k);
    return out;
  }
  return value;
}

/**
 * Deep-redacts every string of a JSON-like value; returns a new value. The fast pass unless told
 * otherwise: values go to the spool (the hook) or to the store, whose writers run the full pass on
 * the serialized text.
 */
export function redactValue<T>(value: T, opts: RedactOptions = {}): Redacted<T> {
  return redactDeep(value, { pass: 'fast', ...opts }, null) as Redacted<T>;
}

/** `.env`, `.env.local`, `prod.env`, `.envrc`: every value in them is a secret. */
export function isEnvFile(file: string): boolean {
  const base = file.split(/[\\/]/).pop() ?? '';
  return /^\.env(\..+)?$/.test(base) || /\.env$/.test(base) || base === '.envrc';
}

const ENV_LINE = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*)(.*)$/gm;

/** File text: in .env-style files every value is replaced whole; elsewhere the usual rules apply. */
export function redactFileContent(file: string, content: string, opts: RedactOptions = {}): Redacted<string> {
  if (isEnvFile(file))
    content = content.replace(ENV_LINE, (m, head: string, value: string) =>
      value.trim() === '' ? m : `${head}${mark('env')}`,
    );
  return redactText(content, opts) as Redacted<string>;
}

/**
 * A redacted value serialized as JSON (with a final newline when indented, as the store writes its
 * JSON files): JSON's escaping adds no secret, so the text is as redacted as the value.
 */
export function redactedJson(value: Redacted<unknown>, indent = 0): Redacted<string> {
  return (indent ? `${JSON.stringify(value, null, indent)}\n` : JSON.stringify(value)) as Redacted<string>;
}

/** Redacts a text that is about to become a git object (the full pass): the store's only input. */
export function redactForStore(text: string, opts: RedactOptions = {}): Redacted<string> {
  const full: RedactOptions = { ...opts, pass: 'full' };
  const out = redactText(text, full);
  if (out === text) return text as Redacted<string>;
  // JSON Lines stay JSON Lines: a line that parsed before and not after is redacted value by value
  if (!text.startsWith('{')) return out as Redacted<string>;
  const before = text.split('\n');
  const after = out.split('\n');
  if (before.length !== after.length) return out as Redacted<string>;
  return after
    .map((line, i) => {
      if (line === before[i] || !line.startsWith('{')) return line;
      try {
        JSON.parse(line);
        return line;
      } catch {
        try {
          return JSON.stringify(redactValue(JSON.parse(before[i]), full));
        } catch {
          return line; // it was no JSON line before either
        }
      }
    })
    .join('\n') as Redacted<string>;
}

/**
 * Bytes about to become a git object: UTF-8 text gets the full pass; other bytes are searched as
 * Latin-1 (a token is ASCII whatever surrounds it) and, if one is found, stored with it replaced.
 */
export function redactBytes(data: Uint8Array, opts: RedactOptions = {}): Redacted<Uint8Array> {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const text = buf.toString('utf8');
  if (Buffer.byteLength(text) === buf.length && !text.includes('\uFFFD')) {
    const clean = redactText(text, { ...opts, pass: 'full' });
    return (clean === text ? data : Buffer.from(clean, 'utf8')) as Redacted<Uint8Array>;
  }
  const latin = buf.toString('latin1');
  const clean = redactText(latin, { ...opts, pass: 'full' });
  return (clean === latin ? data : Buffer.from(clean, 'latin1')) as Redacted<Uint8Array>;
}

/**
 * A redacted text's lines in runs of at most `max` bytes (a run ends at a line's end): whole lines of
 * a redacted text are redacted text. A single line over `max` is a run of its own, capped first by
 * `capRedactedLine` (a JSON line) or left for the caller to cut (`oversized`).
 */
export function redactedLineRuns(text: Redacted<string>, max: number): Redacted<string>[] {
  const runs: Redacted<string>[] = [];
  let run: string[] = [];
  let bytes = 0;
  const lines = text.split('\n');
  const last = lines.length - 1;
  for (const [i, raw] of lines.entries()) {
    if (i === last && raw === '') break;
    let line: string = raw;
    let n = Buffer.byteLength(line) + 1;
    if (n > max) {
      line = capRedactedLine(line as Redacted<string>, max - 1);
      n = Buffer.byteLength(line) + 1;
    }
    if (bytes + n > max && run.length) {
      runs.push(`${run.join('\n')}\n` as Redacted<string>);
      run = [];
      bytes = 0;
    }
    run.push(line);
    bytes += n;
  }
  if (run.length) runs.push(`${run.join('\n')}${text.endsWith('\n') ? '\n' : ''}` as Redacted<string>);
  return runs;
}

/**
 * A JSON line over `max` bytes with its longest strings replaced, one by one, by the stub a size cap
 * leaves everywhere else (`{ truncated, bytes, sha256, head }`), until it fits; redacted again (the
 * heads end where the cap cut them). A line that is not JSON comes back as it was.
 */
export function capRedactedLine(line: Redacted<string>, max: number): Redacted<string> {
  const wrap: { v: unknown } = { v: null };
  try {
    wrap.v = JSON.parse(line);
  } catch {
    return line;
  }
  type Slot = { holder: Record<string | number, unknown>; key: string | number; len: number };
  const longest = (): Slot | null => {
    let best: Slot | null = null;
    const visit = (holder: Record<string | number, unknown>, key: string | number) => {
      const x = holder[key];
      if (typeof x === 'string') {
        if (!best || x.length > best.len) best = { holder, key, len: x.length };
      } else if (x && typeof x === 'object' && (x as Record<string, unknown>).truncated !== true)
        for (const k of Object.keys(x))
          visit(x as Record<string | number, unknown>, Array.isArray(x) ? Number(k) : k);
    };
    visit(wrap as unknown as Record<string, unknown>, 'v');
    return best;
  };
  for (let i = 0; i < 64 && Buffer.byteLength(JSON.stringify(wrap.v)) > max; i++) {
    const at = longest();
    if (!at || at.len <= 2048) break;
    const s = at.holder[at.key] as string;
    at.holder[at.key] = {
      truncated: true,
      bytes: Buffer.byteLength(s),
      sha256: createHash('sha256').update(s).digest('hex'),
      head: s.slice(0, 2048),
    };
  }
  return redactForStore(JSON.stringify(redactValue(wrap.v, { pass: 'full' })));
}
