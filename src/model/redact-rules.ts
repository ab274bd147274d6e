/**
 * Token formats that identify themselves: a provider's documented prefix or structure, so a match is
 * a secret wherever it appears (no keyword needed). Written from the providers' documentation of
 * their token formats (and the public scanners' rules that transcribe them); one entry a format.
 *
 * Every rule names `hints`: lower-case substrings one of which every match contains (none for a rule
 * whose regex starts with a literal too common to be worth a hint, like `:`). The redactor
 * finds which hints occur in a text with one scan and runs only the rules whose hint is present, so
 * ordinary text costs one scan, whatever the number of rules. Every quantifier is bounded and no
 * repetition is nested: each regex is linear in its input.
 */
export interface TokenRule {
  /** The kind written into the mark: `[REDACTED:<kind>]`. */
  kind: string;
  hints: string[];
  /** Compiled on first use: the hook compiles only the rules whose hint occurs in its payload. */
  readonly re: RegExp;
  /** The capture group holding the secret (default: the whole match). */
  group?: number;
  /**
   * For a format whose distinctive part is not at its start (`<32 hex>-us12`): the regex matches from
   * that part on (a literal, found fast: a regex starting with a character class or a lookbehind is
   * tried at every position), and `lead` must match what precedes it, at the end of the text before
   * the match; the finding starts there.
   */
  lead?: RegExp;
  /** A further check on the secret (placeholders like `ghp_xxxx…` are not secrets). */
  check?: (secret: string) => boolean;
}

// word boundaries that also hold next to `_` and `-` inside identifiers
const B = String.raw`(?<![A-Za-z0-9_])`;
const E = String.raw`(?![A-Za-z0-9_])`;
const b64 = 'A-Za-z0-9+/';

const r = (
  kind: string,
  hints: string[],
  source: string,
  flags = '',
  extra: Pick<Partial<TokenRule>, 'group' | 'check' | 'lead'> = {},
): TokenRule => {
  let re: RegExp | null = null;
  return {
    kind,
    hints,
    get re() {
      re ??= new RegExp(source, `g${flags}`);
      return re;
    },
    group: extra.group,
    lead: extra.lead,
    check: extra.check ?? variedEnough,
  };
};

/** A real token varies: a run of one character, or nothing but x/X/0/*, is a documentation placeholder. */
export function variedEnough(s: string): boolean {
  const body = s.replace(/^[A-Za-z]{1,12}[_.-]/, '');
  if (/(.)\1{7}/.test(body) || /(.{2,4})\1{3}/.test(body)) return false; // xxxxxxxx, 123123123123
  if (/^[xX*0._-]+$/.test(body) || /x{6}|X{6}/.test(body)) return false;
  if (/EXAMPLE$|EXAMPLEKEY/.test(s)) return false; // the providers' own documentation keys (AKIA…EXAMPLE)
  if (sequentialRun(body, 7)) return false; // abcdefgh, 123456789
  return new Set(body).size >= Math.min(8, Math.ceil(body.length / 4));
}

/** A run like `abcdef` or `456789`. */
export function sequentialRun(v: string, len: number): boolean {
  let run = 1;
  for (let i = 1; i < v.length; i++) {
    run = v.charCodeAt(i) === v.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= len) return true;
  }
  return false;
}
const varied = { check: variedEnough };
/** A format exact enough (fixed length, fixed alphabet, fixed suffix) that even a filler-looking match is one. */
const exact = { check: () => true };

export const TOKEN_RULES: TokenRule[] = [
  // PEM / OpenSSH / PGP private keys (also JSON-escaped, with literal \n between lines)
  r(
    'private-key',
    ['private key'],
    String.raw`-----BEGIN[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,200000}?-----END[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s:,.\\-]{64,200000})`,
    '',
    { check: (s) => /[A-Za-z0-9+/]{40}/.test(s) },
  ),
  r(
    'putty-private-key',
    ['putty-user-key-file'],
    String.raw`PuTTY-User-Key-File-\d: [\s\S]{0,20000}?Private-MAC: [0-9a-f]{40,64}`,
  ),
  r(
    'age-secret-key',
    ['age-secret-key-1'],
    String.raw`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`,
    '',
    exact,
  ),
  // AWS: access key ids (the secret half is caught by keyword), Bedrock API keys
  r(
    'aws-access-key',
    ['akia', 'asia', 'abia', 'acca', 'a3t'],
    String.raw`${B}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}${E}`,
    '',
    varied,
  ),
  r('aws-bedrock-key', ['absk'], String.raw`${B}ABSK[A-Za-z0-9+/]{109,269}={0,2}`),
  // GitHub: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained tokens
  r(
    'github-token',
    ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    String.raw`${B}gh[pousr]_[A-Za-z0-9]{36,255}${E}`,
    '',
    varied,
  ),
  r('github-token', ['github_pat_'], String.raw`${B}github_pat_[A-Za-z0-9_]{60,255}${E}`, '', varied),
  // GitLab's documented token prefixes
  r(
    'gitlab-token',
    [
      'glpat-',
      'gldt-',
      'glft-',
      'glimt-',
      'glptt-',
      'glrt-',
      'glrtr-',
      'glcbt-',
      'glsoat-',
      'glagent-',
      'gloas-',
      'glffct-',
      'glwt-',
      'gr1348941',
    ],
    String.raw`${B}(?:glpat|gldt|glft|glimt|glptt|glrt|glrtr|glcbt|glsoat|glagent|gloas|glffct|glwt)-[A-Za-z0-9_-]{20,300}(?:\.[A-Za-z0-9]{2}\.?[A-Za-z0-9]{7,9})?${E}|${B}GR1348941[A-Za-z0-9_-]{20,64}${E}`,
    '',
    varied,
  ),
  r('gitlab-session', ['_gitlab_session='], String.raw`_gitlab_session=[0-9a-z]{32}`),
  // Anthropic, OpenAI, Perplexity, Groq, xAI, Cohere-style prefixed keys
  // exact length and suffix, but a documentation filler (`…-klmnopqrstuvwx-…`) is still no key
  r(
    'anthropic-key',
    ['sk-ant-'],
    String.raw`${B}sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{93}AA${E}`,
    '',
    varied,
  ),
  r(
    'anthropic-key',
    ['sk-ant-'],
    String.raw`${B}sk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{20,200}`,
    '',
    varied,
  ),
  r(
    'openai-key',
    ['t3blbkfj'],
    String.raw`${B}sk-(?:(?:proj|svcacct|service|admin)-)?[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}`,
  ),
  r(
    'openai-key',
    ['sk-proj-', 'sk-svcacct-', 'sk-admin-'],
    String.raw`${B}sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}`,
    '',
    varied,
  ),
  r('perplexity-key', ['pplx-'], String.raw`${B}pplx-[A-Za-z0-9]{48}${E}`, '', varied),
  r('groq-key', ['gsk_'], String.raw`${B}gsk_[A-Za-z0-9]{52}${E}`, '', varied),
  r('xai-key', ['xai-'], String.raw`${B}xai-[A-Za-z0-9]{80}${E}`, '', varied),
  // Slack: bot, user, app-level, configuration, refresh, legacy tokens and webhooks
  r(
    'slack-token',
    ['xox'],
    [
      String.raw`${B}xoxb-\d{8,13}-\d{8,13}-?[A-Za-z0-9-]{0,60}`, // bot
      String.raw`${B}xoxb-\d{8,14}-[A-Za-z0-9]{18,26}${E}`, // legacy bot
      String.raw`${B}xox[pe](?:-\d{8,13}){3}-[A-Za-z0-9-]{28,34}`, // user, enterprise
      String.raw`${B}xox[os]-\d{1,20}-\d{1,20}-\d{1,20}-[a-fA-F0-9]{1,64}`, // legacy
      String.raw`${B}xox[ar]-(?:\d-)?[0-9A-Za-z]{8,48}(?:-[0-9A-Za-z]{1,48}){0,6}`, // legacy workspace
      String.raw`${B}xoxe\.xox[bp]-\d-[A-Za-z0-9]{163,166}`, // configuration
      String.raw`${B}xoxe-\d-[A-Za-z0-9]{146}`, // refresh
    ].join('|'),
    '',
    { check: (s) => /\d/.test(s) && !/x{4}|X{4}/.test(s) },
  ),
  r('slack-app-token', ['xapp-'], String.raw`${B}xapp-\d-[A-Z0-9]{6,20}-\d{6,20}-[a-z0-9]{20,100}`, 'i'),
  r(
    'slack-webhook',
    ['hooks.slack.com'],
    String.raw`(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,200}`,
    '',
    varied,
  ),
  // Google: API keys, OAuth client secrets and refresh/access tokens
  r('google-api-key', ['aiza'], String.raw`${B}AIza[0-9A-Za-z_-]{35}${E}`, '', varied),
  r('google-oauth-secret', ['gocspx-'], String.raw`${B}GOCSPX-[A-Za-z0-9_-]{28}${E}`),
  r('google-oauth-token', ['ya29.'], String.raw`${B}ya29\.[0-9A-Za-z_-]{30,400}`),
  // JSON Web Tokens (header.payload[.signature]), including Grafana's and Sentry's embedded ones
  r(
    'jwt',
    ['eyj'],
    String.raw`${B}eyJ[A-Za-z0-9_-]{10,4096}\.eyJ[A-Za-z0-9_/\\-]{10,8192}\.?(?:[A-Za-z0-9_/\\-]{10,4096}={0,2})?`,
  ),
  // payment
  r('stripe-key', ['sk_', 'rk_'], String.raw`${B}(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,255}${E}`, '', {
    check: (s) => variedEnough(s) && /\d/.test(s),
  }),
  // Plaid: access and public tokens are `<kind>-<environment>-<uuid>` (plaid.com/docs/api/tokens)
  r(
    'plaid-token',
    ['access-sandbox-', 'access-development-', 'access-production-', 'public-sandbox-', 'public-production-'],
    String.raw`${B}(?:access|public)-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${E}`,
    'i',
  ),
  r('stripe-webhook-secret', ['whsec_'], String.raw`${B}whsec_[A-Za-z0-9]{32,64}${E}`, '', varied),
  r(
    'square-token',
    ['sq0atp-', 'sq0csp-', 'eaaa'],
    String.raw`${B}(?:sq0atp-[A-Za-z0-9_-]{22,60}|sq0csp-[A-Za-z0-9_\\^\][-]{43,60}|EAAA[A-Za-z0-9_-]{60})`,
    '',
    varied,
  ),
  r(
    'flutterwave-key',
    ['flwseck', 'flwpubk'],
    String.raw`${B}FLW(?:SECK|PUBK)_TEST-[a-hA-H0-9]{12,32}(?:-X)?`,
    '',
    varied,
  ),
  r('shippo-token', ['shippo_'], String.raw`${B}shippo_(?:live|test)_[a-fA-F0-9]{40}${E}`, '', varied),
  r('easypost-key', ['ezak', 'eztk'], String.raw`${B}EZ[AT]K[A-Za-z0-9]{54}${E}`, '', varied),
  r('duffel-token', ['duffel_'], String.raw`${B}duffel_(?:test|live)_[A-Za-z0-9_=-]{43}`, '', varied),
  r('coinbase-key', ['organizations/'], String.raw`organizations/[0-9a-f-]{36}/apiKeys/[0-9a-f-]{36}`),
  // package registries
  r('npm-token', ['npm_'], String.raw`${B}npm_[A-Za-z0-9]{36}${E}`, '', varied),
  r('pypi-token', ['pypi-ageichlwas5vcmc'], String.raw`${B}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,400}`),
  r('rubygems-token', ['rubygems_'], String.raw`${B}rubygems_[a-f0-9]{48}${E}`, '', varied),
  r('clojars-token', ['clojars_'], String.raw`${B}CLOJARS_[A-Za-z0-9]{60}${E}`, 'i', varied),
  r(
    'docker-token',
    ['dckr_pat_', 'dckr_oat_'],
    String.raw`${B}dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,64}`,
    '',
    varied,
  ),
  r('nuget-key', ['oy2'], String.raw`${B}oy2[a-z0-9]{43}${E}`, '', {
    check: (s) => variedEnough(s) && /\d/.test(s.slice(3)),
  }),
  r('artifactory-key', ['akcp'], String.raw`${B}AKCp[A-Za-z0-9]{69}${E}`, '', varied),
  r('artifactory-token', ['cmvmd'], String.raw`${B}cmVmd[A-Za-z0-9]{59}${E}`, '', varied),
  // cloud and infrastructure
  // gitleaks' azure-ad-client-secret: the secret's own alphabet (`~`, `.`, `-`) may not continue it
  r('azure-ad-client-secret', ['q~'], String.raw`Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`, '', {
    lead: /(?<![A-Za-z0-9_~.])[A-Za-z0-9_~.]{3}\d$/,
  }),
  r(
    'azure-storage-key',
    ['accountkey=', 'sharedaccesskey='],
    String.raw`(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{40,88}={0,2})`,
    'i',
    { group: 1 },
  ),
  r(
    'azure-sas-token',
    ['sig='],
    String.raw`[?&]sv=\d{4}-\d{2}-\d{2}[^\s"']{0,300}?&sig=([A-Za-z0-9%+/]{30,100}(?:%3D|=){0,2})`,
    'i',
    {
      group: 1,
    },
  ),
  r(
    'digitalocean-token',
    ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    String.raw`${B}do[opr]_v1_[a-f0-9]{64}${E}`,
    '',
    varied,
  ),
  r('databricks-token', ['dapi'], String.raw`${B}dapi[a-f0-9]{32}(?:-\d)?${E}`, '', varied),
  r('cloudflare-origin-ca-key', ['v1.0-'], String.raw`${B}v1\.0-[a-f0-9]{24}-[a-f0-9]{146}${E}`),
  r('alibaba-access-key', ['ltai'], String.raw`${B}LTAI[A-Za-z0-9]{20}${E}`, '', varied),
  r('hashicorp-terraform-token', ['.atlasv1.'], String.raw`\.atlasv1\.[A-Za-z0-9_=-]{60,70}${E}`, '', {
    lead: /(?<![A-Za-z0-9_])[A-Za-z0-9]{14}$/,
  }),
  r('vault-token', ['hvs.', 'hvb.', 'hvr.'], String.raw`${B}hv[sbr]\.[A-Za-z0-9_-]{24,300}${E}`, '', varied),
  r('vault-batch-token', ['b.aaaaaqj'], String.raw`${B}b\.AAAAAQ[A-Za-z0-9_-]{138,300}${E}`),
  r('heroku-key', ['hrku-'], String.raw`${B}HRKU-AA[A-Za-z0-9_-]{58}${E}`, '', varied),
  r(
    'flyio-token',
    ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
    String.raw`${B}(?:fo1_[A-Za-z0-9_-]{43}|fm1[ar]_[${b64}]{100,4096}={0,3}|fm2_[${b64}]{100,4096}={0,3})`,
    '',
    varied,
  ),
  r('pulumi-token', ['pul-'], String.raw`${B}pul-[a-f0-9]{40}${E}`, '', varied),
  r(
    'doppler-token',
    ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    String.raw`${B}dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}${E}`,
    'i',
    varied,
  ),
  r(
    'planetscale-token',
    ['pscale_'],
    String.raw`${B}pscale_(?:pw|tkn|oauth)_[A-Za-z0-9_.=-]{32,64}`,
    '',
    varied,
  ),
  r('openshift-token', ['sha256~'], String.raw`${B}sha256~[A-Za-z0-9_-]{43}${E}`, '', varied),
  r('octopus-deploy-key', ['api-'], String.raw`${B}API-[A-Z0-9]{26}${E}`, '', {
    check: (s) => variedEnough(s) && /\d/.test(s.slice(4)),
  }),
  r(
    'harness-token',
    ['pat.', 'sat.'],
    String.raw`${B}(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}${E}`,
    '',
    varied,
  ),
  r('infracost-key', ['ico-'], String.raw`${B}(?<!\.)ico-[A-Za-z0-9]{32}${E}`, '', varied),
  r('prefect-token', ['pnu_'], String.raw`${B}pnu_[A-Za-z0-9]{36}${E}`, '', varied),
  r('scalingo-token', ['tk-us-'], String.raw`${B}tk-us-[A-Za-z0-9_-]{48}${E}`, '', varied),
  r('clickhouse-key', ['4b1d'], String.raw`${B}4b1d[A-Za-z0-9]{38}${E}`, '', {
    check: (s) => variedEnough(s) && /[A-Z]/.test(s) && /[a-z]/.test(s),
  }),
  r('dynatrace-token', ['dt0c01.'], String.raw`${B}dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}${E}`, '', varied),
  r('grafana-key', ['eyjrijoi'], String.raw`${B}eyJrIjoi[A-Za-z0-9]{70,400}={0,3}`),
  r('grafana-cloud-token', ['glc_'], String.raw`${B}glc_[A-Za-z0-9+/]{32,400}={0,3}`, '', varied),
  r(
    'grafana-service-account-token',
    ['glsa_'],
    String.raw`${B}glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}${E}`,
    '',
    varied,
  ),
  r(
    'sentry-token',
    ['sntrys_', 'sntryu_'],
    String.raw`${B}(?:sntrys_eyJpYXQiO[A-Za-z0-9+/=]{50,400}_[A-Za-z0-9+/]{43}|sntryu_[a-f0-9]{64})${E}`,
    '',
    varied,
  ),
  r(
    'sourcegraph-token',
    ['sgp_', 'slk_'],
    String.raw`${B}(?:sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}|sgp_[a-fA-F0-9]{40}|slk_[a-fA-F0-9]{64})${E}`,
    '',
    varied,
  ),
  r(
    'settlemint-token',
    ['sm_pat_', 'sm_aat_', 'sm_sat_'],
    String.raw`${B}sm_(?:pat|aat|sat)_[A-Za-z0-9]{16}${E}`,
    '',
    varied,
  ),
  r(
    'authress-key',
    ['.acc_', '.acc-'],
    String.raw`${B}(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}\.[A-Za-z0-9+/_=-]{30,120}`,
    'i',
  ),
  r('intra42-secret', ['s-s4t2'], String.raw`${B}s-s4t2(?:ud|af)-[a-f0-9]{64}${E}`),
  r('frameio-token', ['fio-u-'], String.raw`${B}fio-u-[A-Za-z0-9_=-]{64}`, 'i'),
  r('linear-key', ['lin_api_'], String.raw`${B}lin_api_[A-Za-z0-9]{40}${E}`, 'i', varied),
  r('notion-token', ['ntn_'], String.raw`${B}ntn_\d{11}[A-Za-z0-9]{35}${E}`, '', varied),
  r('postman-key', ['pmak-'], String.raw`${B}PMAK-[a-f0-9]{24}-[a-f0-9]{34}${E}`, 'i', varied),
  r('readme-key', ['rdme_'], String.raw`${B}rdme_[a-z0-9]{70}${E}`, '', varied),
  r('sendgrid-key', ['sg.'], String.raw`${B}SG\.[A-Za-z0-9=_.-]{66}${E}`, '', varied),
  r(
    'sendinblue-key',
    ['xkeysib-', 'xsmtpsib-'],
    String.raw`${B}x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}${E}`,
    '',
    varied,
  ),
  r('mailgun-key', ['key-', 'pubkey-'], String.raw`${B}(?:pub)?key-[a-f0-9]{32}${E}`, '', varied),
  r('mailchimp-key', ['-us'], String.raw`-us\d{1,2}${E}`, '', { lead: /(?<![A-Za-z0-9_])[a-f0-9]{32}$/ }),
  r(
    'shopify-token',
    ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    String.raw`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`,
    '',
    varied,
  ),
  r('twilio-key', ['sk'], String.raw`${B}SK[0-9a-fA-F]{32}${E}`, '', {
    check: (s) => variedEnough(s) && /[a-f]/i.test(s.slice(2)) && /\d/.test(s),
  }),
  r('maxmind-key', ['_mmk'], String.raw`_mmk${E}`, '', {
    lead: /(?<![A-Za-z0-9_])[A-Za-z0-9]{6}_[A-Za-z0-9]{29}$/,
  }),
  r(
    'onepassword-secret-key',
    ['a3-'],
    String.raw`${B}A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}${E}`,
    '',
    varied,
  ),
  r('onepassword-service-token', ['ops_eyj'], String.raw`${B}ops_eyJ[${b64}]{250,4096}={0,3}`),
  r('facebook-access-token', ['eaa'], String.raw`${B}EAA[MC][A-Za-z0-9]{100,600}${E}`, '', varied),
  r('adobe-client-secret', ['p8e-'], String.raw`${B}p8e-[A-Za-z0-9]{32}${E}`, '', varied),
  // the secret's alphabet includes `-`: a longer run is not this format
  r('telegram-bot-token', [], String.raw`:A[A-Za-z0-9_-]{32,34}(?![A-Za-z0-9_-])`, '', {
    lead: /(?<![A-Za-z0-9_])\d{5,16}$/,
  }),
  r(
    'discord-webhook',
    ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'],
    String.raw`(?:https?://)?discord(?:app)?\.com/api/webhooks/\d{5,30}/[A-Za-z0-9_-]{60,80}`,
  ),
  r('atlassian-token', ['atatt3'], String.raw`${B}ATATT3[A-Za-z0-9_=-]{186,200}`),
  r(
    'newrelic-key',
    ['nrak-', 'nrii-', 'nrjs-'],
    String.raw`${B}NR(?:AK|II|JS)-[A-Za-z0-9]{19,42}${E}`,
    'i',
    varied,
  ),
  r(
    'yandex-token',
    ['t1.', 'y0_', 'aqvn'],
    String.raw`${B}(?:t1\.[A-Z0-9a-z_-]+[=]{0,2}\.[A-Z0-9a-z_-]{86}[=]{0,2}|y[0-3]_[A-Za-z0-9_-]{55}|AQVN[A-Za-z0-9_-]{35,38}|YC[A-Za-z0-9_-]{38})`,
    '',
    varied,
  ),
  r('twitter-bearer-token', ['aaaaaaaaaaaaaaaaaaaaa'], String.raw`${B}A{22}[A-Za-z0-9%]{80,100}`, '', {
    check: (t) => variedEnough(t.slice(22)),
  }),
  r('lob-key', ['live_', 'test_'], String.raw`${B}(?:live|test)_(?:pub_)?[a-f0-9]{31,35}${E}`, '', varied),
  r(
    'huggingface-token',
    ['hf_', 'api_org_'],
    String.raw`${B}(?:hf_[A-Za-z]{34}|api_org_[A-Za-z]{34})${E}`,
    '',
    {
      check: (s) => variedEnough(s) && /[A-Z]/.test(s.slice(3)) && /[a-z]/.test(s.slice(3)),
    },
  ),
  // more providers' documented prefixes: AI platforms, developer tools, hosting, payment, messaging
  r('sonarqube-token', ['squ_', 'sqp_', 'sqa_'], String.raw`${B}sq[upa]_[a-f0-9]{40}${E}`),
  r('openrouter-key', ['sk-or-v1-'], String.raw`${B}sk-or-v1-[a-f0-9]{64}${E}`),
  r('langsmith-key', ['lsv2_'], String.raw`${B}lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}${E}`),
  r('replicate-token', ['r8_'], String.raw`${B}r8_[A-Za-z0-9]{37}${E}`),
  r('tavily-key', ['tvly-'], String.raw`${B}tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}${E}`),
  r('firecrawl-key', ['fc-'], String.raw`${B}fc-[a-f0-9]{32}${E}`),
  r('e2b-key', ['e2b_'], String.raw`${B}e2b_[a-f0-9]{40}${E}`),
  r('pinecone-key', ['pcsk_'], String.raw`${B}pcsk_[A-Za-z0-9]{4,10}_[A-Za-z0-9]{50,80}${E}`),
  r('fireworks-key', ['fw_'], String.raw`${B}fw_[A-Za-z0-9]{24}${E}`),
  r('elevenlabs-key', ['sk_'], String.raw`${B}sk_[a-f0-9]{48}${E}`),
  r('deepl-key', [':fx'], String.raw`:fx${E}`, '', {
    lead: /(?<![A-Za-z0-9_-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  }),
  r(
    'supabase-token',
    ['sbp_', 'sb_secret_'],
    String.raw`${B}(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{31,40})${E}`,
  ),
  r('neon-key', ['napi_'], String.raw`${B}napi_[a-z0-9]{64}${E}`),
  r('render-key', ['rnd_'], String.raw`${B}rnd_[A-Za-z0-9]{32}${E}`),
  r('netlify-token', ['nfp_'], String.raw`${B}nfp_[A-Za-z0-9]{36}${E}`),
  r(
    'vercel-blob-token',
    ['vercel_blob_rw_'],
    String.raw`${B}vercel_blob_rw_[A-Za-z0-9]{16}_[A-Za-z0-9]{30}${E}`,
  ),
  r(
    'tailscale-key',
    ['tskey-'],
    String.raw`${B}tskey-(?:auth|api|client|webhook|scim)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,64}${E}`,
  ),
  r('infisical-token', ['st.'], String.raw`${B}st\.[a-f0-9-]{36}\.[a-f0-9]{32}\.[a-f0-9]{32}${E}`),
  r('figma-token', ['figd_'], String.raw`${B}figd_[A-Za-z0-9_-]{40}${E}`),
  r('airtable-pat', ['pat'], String.raw`${B}pat[A-Za-z0-9]{14}\.[a-f0-9]{64}${E}`),
  r('contentful-token', ['cfpat-'], String.raw`${B}CFPAT-[A-Za-z0-9_-]{43}${E}`),
  r('typeform-token', ['tfp_'], String.raw`${B}tfp_[A-Za-z0-9_-]{44}(?:_[A-Za-z0-9]{14})?${E}`),
  r('buildkite-token', ['bkua_'], String.raw`${B}bkua_[a-f0-9]{40}${E}`),
  r('circleci-token', ['ccipat_'], String.raw`${B}CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}${E}`),
  r('bitbucket-app-password', ['atbb'], String.raw`${B}ATBB[A-Za-z0-9_=.-]{32}${E}`),
  r('posthog-personal-key', ['phx_'], String.raw`${B}phx_[A-Za-z0-9]{43}${E}`),
  r(
    'launchdarkly-key',
    ['api-', 'sdk-'],
    String.raw`${B}(?:api|sdk)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${E}`,
  ),
  r('pubnub-secret-key', ['sec-c-'], String.raw`${B}sec-c-[A-Za-z0-9]{40,60}${E}`),
  r(
    'telnyx-key',
    [
      'key0',
      'key1',
      'key2',
      'key3',
      'key4',
      'key5',
      'key6',
      'key7',
      'key8',
      'key9',
      'keya',
      'keyb',
      'keyc',
      'keyd',
      'keye',
      'keyf',
    ],
    String.raw`${B}KEY[0-9A-F]{32}_[A-Za-z0-9]{22}${E}`,
  ),
  r('woocommerce-key', ['ck_', 'cs_'], String.raw`${B}c[ks]_[a-f0-9]{40}${E}`),
  r(
    'braintree-token',
    ['access_token$'],
    String.raw`access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}`,
  ),
  r('razorpay-key', ['rzp_'], String.raw`${B}rzp_(?:live|test)_[A-Za-z0-9]{14}${E}`),
  r('clickup-token', ['pk_'], String.raw`${B}pk_\d{6,10}_[A-Z0-9]{32}${E}`),
  r('klaviyo-key', ['pk_'], String.raw`${B}pk_[a-f0-9]{34}${E}`),
  r('resend-key', ['re_'], String.raw`${B}re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}${E}`),
  r('browserbase-key', ['bb_live_'], String.raw`${B}bb_live_[A-Za-z0-9_-]{27}${E}`),
  r('mapbox-secret-token', ['sk.eyj'], String.raw`${B}sk\.eyJ[A-Za-z0-9_-]{50,400}\.[A-Za-z0-9_-]{20,100}`),
  r('asana-token', [], String.raw`:[a-f0-9]{32}${E}`, '', {
    lead: /(?<![A-Za-z0-9_/])[0-9]\/\d{10,20}\/\d{10,20}$/,
  }),
  r('tencent-secret-id', ['akid'], String.raw`${B}AKID[A-Za-z0-9]{32}${E}`),

  // keyword-anchored formats a provider documents (the value alone could be anything)
  r(
    'sidekiq-credentials',
    ['contribsys'],
    String.raw`BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM["']?[ \t]{0,4}[:=][ \t]{0,4}["']?([a-f0-9]{8}:[a-f0-9]{8})`,
    'i',
    { group: 1, check: () => true },
  ),
  r(
    'sidekiq-credentials',
    ['contribsys.com'],
    String.raw`https?://([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com`,
    'i',
    {
      group: 1,
      check: () => true,
    },
  ),
  // Cloudflare's Global API Key (37 hex) and API tokens (40 of [A-Za-z0-9_-]) carry no prefix: the
  // provider's name as the key decides (gitleaks' cloudflare-global-api-key and cloudflare-api-key)
  r(
    'cloudflare-api-key',
    ['cloudflare'],
    String.raw`cloudflare[\w.-]{0,30}["']?[ \t]{0,4}(?:[:=]|:=|=>)[ \t]{0,4}["'\x60]?([a-f0-9]{37}|[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])`,
    'i',
    { group: 1 },
  ),
  r(
    'sumologic-access-id',
    ['sumo'],
    String.raw`(?<![A-Za-z])(?:sumo|Sumo|SUMO)(?:logic|Logic|LOGIC)?(?![a-z])[\w.-]{0,40}["']?[ \t]{0,4}(?:[:=]|:=)[ \t]{0,4}["']?(su[A-Za-z0-9]{12})${E}`,
    '',
    { group: 1 },
  ),
];

/** Every hint, deduplicated: the redactor's one scan looks for these. */
export const ALL_HINTS = [...new Set(TOKEN_RULES.flatMap((rule) => rule.hints))];
