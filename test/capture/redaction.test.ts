import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  findSecrets,
  isEnvFile,
  redactFileContent,
  redactText,
  redactValue,
} from '../../src/capture/redact.js';

// Every sample secret here is built at run time from a seeded generator, in the shape its provider
// documents: nothing in this file is a token a scanner (or GitHub's push protection) would flag.
function generator(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = generator(16);
const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LO = 'abcdefghijklmnopqrstuvwxyz';
const DIG = '0123456789';
const A = UP + LO + DIG;
const U = UP + DIG;
const L = LO + DIG;
const H = 'abcdef0123456789';
const AU = `${A}_-`;
const B64 = `${A}+/`;
/** n characters of an alphabet, each class present (a random token, never a filler). */
function gen(alphabet: string, n: number): string {
  for (;;) {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
    const need = [UP, LO, DIG].filter((c) => [...alphabet].some((ch) => c.includes(ch)));
    if (need.every((c) => [...out].some((ch) => c.includes(ch)))) return out;
  }
}
const digits = (n: number) => String(1 + Math.floor(next() * 9)) + gen(DIG, n - 1);
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const pemBody = () =>
  randomBytes(600)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
const BEGIN = '-----BEGIN ';
const END = '-----END ';

/** One sample a documented format: [kind, the secret]. */
const families: Array<[kind: string, secret: () => string]> = [
  ['private-key', () => `${BEGIN}RSA PRIVATE KEY-----\n${pemBody()}\n${END}RSA PRIVATE KEY-----`],
  ['private-key', () => `${BEGIN}OPENSSH PRIVATE KEY-----\n${pemBody()}\n${END}OPENSSH PRIVATE KEY-----`],
  [
    'private-key',
    () => `${BEGIN}PGP PRIVATE KEY BLOCK-----\n\n${pemBody()}\n${END}PGP PRIVATE KEY BLOCK-----`,
  ],
  ['private-key', () => `${BEGIN}ENCRYPTED PRIVATE KEY-----\n${pemBody()}\n${END}ENCRYPTED PRIVATE KEY-----`],
  ['age-secret-key', () => `AGE-SECRET-KEY-1${gen('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`],
  ['aws-access-key', () => `AKIA${gen('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`],
  ['aws-access-key', () => `ASIA${gen('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`],
  ['aws-bedrock-key', () => `ABSK${gen(B64, 132)}`],
  ['github-token', () => `ghp_${gen(A, 36)}`],
  ['github-token', () => `gho_${gen(A, 36)}`],
  ['github-token', () => `ghs_${gen(A, 36)}`],
  ['github-token', () => `github_pat_11${gen(U, 20)}_${gen(A, 59)}`],
  ['gitlab-token', () => `glpat-${gen(AU, 20)}`],
  ['gitlab-token', () => `glrt-${gen(AU, 20)}`],
  ['gitlab-token', () => `glptt-${gen(H, 40)}`],
  ['gitlab-token', () => `GR1348941${gen(AU, 20)}`],
  ['anthropic-key', () => `sk-ant-api03-${gen(AU, 93)}AA`],
  ['anthropic-key', () => `sk-ant-admin01-${gen(AU, 93)}AA`],
  ['openai-key', () => `sk-proj-${gen(AU, 58)}T3BlbkFJ${gen(AU, 58)}`],
  ['openai-key', () => `sk-${gen(A, 20)}T3BlbkFJ${gen(A, 20)}`],
  ['perplexity-key', () => `pplx-${gen(A, 48)}`],
  ['groq-key', () => `gsk_${gen(A, 52)}`],
  ['xai-key', () => `xai-${gen(A, 80)}`],
  ['slack-token', () => `xoxb-${digits(11)}-${digits(12)}-${gen(A, 24)}`],
  ['slack-token', () => `xoxp-${digits(11)}-${digits(11)}-${digits(12)}-${gen(H, 32)}`],
  ['slack-app-token', () => `xapp-1-A${gen(U, 10)}-${digits(13)}-${gen(H, 64)}`],
  ['slack-webhook', () => `https://hooks.slack.com/services/T${gen(U, 8)}/B${gen(U, 8)}/${gen(A, 24)}`],
  ['google-api-key', () => `AIza${gen(AU, 35)}`],
  ['google-oauth-secret', () => `GOCSPX-${gen(AU, 28)}`],
  ['google-oauth-token', () => `ya29.${gen(AU, 120)}`],
  [
    'jwt',
    () =>
      `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: digits(10), name: 'Sample' })}.${gen(AU, 43)}`,
  ],
  ['stripe-key', () => `sk_live_${gen(A, 24)}`],
  ['stripe-key', () => `rk_test_${gen(A, 24)}`],
  ['stripe-webhook-secret', () => `whsec_${gen(A, 32)}`],
  ['square-token', () => `sq0atp-${gen(AU, 22)}`],
  ['square-token', () => `sq0csp-${gen(AU, 43)}`],
  ['flutterwave-key', () => `FLWSECK_TEST-${gen(H, 32)}-X`],
  ['shippo-token', () => `shippo_live_${gen(H, 40)}`],
  ['easypost-key', () => `EZAK${gen(A, 54)}`],
  ['duffel-token', () => `duffel_test_${gen(AU, 43)}`],
  ['npm-token', () => `npm_${gen(A, 36)}`],
  ['pypi-token', () => `pypi-AgEIcHlwaS5vcmc${gen(AU, 70)}`],
  ['rubygems-token', () => `rubygems_${gen(H, 48)}`],
  ['clojars-token', () => `CLOJARS_${gen(L, 60)}`],
  ['docker-token', () => `dckr_pat_${gen(AU, 27)}`],
  ['nuget-key', () => `oy2${gen(L, 43)}`],
  ['artifactory-key', () => `AKCp${gen(A, 69)}`],
  ['azure-ad-client-secret', () => `${gen(A, 3)}8Q~${gen(`${A}_~.`, 34)}`],
  ['digitalocean-token', () => `dop_v1_${gen(H, 64)}`],
  ['databricks-token', () => `dapi${gen(H, 32)}`],
  ['cloudflare-origin-ca-key', () => `v1.0-${gen(H, 24)}-${gen(H, 146)}`],
  ['alibaba-access-key', () => `LTAI${gen(A, 20)}`],
  ['hashicorp-terraform-token', () => `${gen(A, 14)}.atlasv1.${gen(AU, 64)}`],
  ['vault-token', () => `hvs.${gen(AU, 90)}`],
  ['heroku-key', () => `HRKU-AA${gen(AU, 58)}`],
  ['flyio-token', () => `fo1_${gen(AU, 43)}`],
  ['flyio-token', () => `fm2_${gen(B64, 140)}`],
  ['pulumi-token', () => `pul-${gen(H, 40)}`],
  ['doppler-token', () => `dp.pt.${gen(A, 43)}`],
  ['planetscale-token', () => `pscale_tkn_${gen(AU, 43)}`],
  ['openshift-token', () => `sha256~${gen(AU, 43)}`],
  ['octopus-deploy-key', () => `API-${gen(U, 26)}`],
  ['harness-token', () => `pat.${gen(AU, 22)}.${gen(A, 24)}.${gen(A, 20)}`],
  ['infracost-key', () => `ico-${gen(A, 32)}`],
  ['prefect-token', () => `pnu_${gen(A, 36)}`],
  ['scalingo-token', () => `tk-us-${gen(AU, 48)}`],
  ['clickhouse-key', () => `4b1d${gen(A, 38)}`],
  ['dynatrace-token', () => `dt0c01.${gen(U, 24)}.${gen(U, 64)}`],
  ['grafana-key', () => `eyJrIjoi${gen(A, 72)}`],
  ['grafana-cloud-token', () => `glc_${gen(A, 40)}`],
  ['grafana-service-account-token', () => `glsa_${gen(A, 32)}_${gen(H, 8)}`],
  ['sentry-token', () => `sntryu_${gen(H, 64)}`],
  ['sourcegraph-token', () => `sgp_${gen(H, 16)}_${gen(H, 40)}`],
  ['settlemint-token', () => `sm_pat_${gen(A, 16)}`],
  ['authress-key', () => `sc_${gen(L, 10)}.${gen(L, 5)}.acc_${gen(L, 20)}.${gen(A, 50)}`],
  ['intra42-secret', () => `s-s4t2ud-${gen(H, 64)}`],
  ['frameio-token', () => `fio-u-${gen(AU, 64)}`],
  ['linear-key', () => `lin_api_${gen(A, 40)}`],
  ['notion-token', () => `ntn_${digits(11)}${gen(A, 35)}`],
  ['postman-key', () => `PMAK-${gen(H, 24)}-${gen(H, 34)}`],
  ['readme-key', () => `rdme_${gen(L, 70)}`],
  ['sendgrid-key', () => `SG.${gen(AU, 22)}.${gen(AU, 43)}`],
  ['sendinblue-key', () => `xkeysib-${gen(H, 64)}-${gen(A, 16)}`],
  ['mailgun-key', () => `key-${gen(H, 32)}`],
  ['mailchimp-key', () => `${gen(H, 32)}-us12`],
  ['shopify-token', () => `shpat_${gen(H, 32)}`],
  ['twilio-key', () => `SK${gen(H, 32)}`],
  ['maxmind-key', () => `${gen(A, 6)}_${gen(A, 29)}_mmk`],
  ['onepassword-secret-key', () => `A3-${gen(U, 6)}-${gen(U, 11)}-${gen(U, 5)}-${gen(U, 5)}-${gen(U, 5)}`],
  ['onepassword-service-token', () => `ops_eyJ${gen(B64, 260)}`],
  ['facebook-access-token', () => `EAAC${gen(A, 120)}`],
  ['adobe-client-secret', () => `p8e-${gen(A, 32)}`],
  ['telegram-bot-token', () => `${digits(10)}:AA${gen(AU, 33)}`],
  ['discord-webhook', () => `discord.com/api/webhooks/${digits(18)}/${gen(AU, 68)}`],
  ['atlassian-token', () => `ATATT3${gen(AU, 186)}`],
  ['newrelic-key', () => `NRAK-${gen(U, 27)}`],
  ['yandex-token', () => `y0_${gen(AU, 55)}`],
  ['twitter-bearer-token', () => `${'A'.repeat(22)}${gen(A, 90)}`],
  ['lob-key', () => `live_${gen(H, 35)}`],
  ['huggingface-token', () => `hf_${gen(UP + LO, 34)}`],
  ['huggingface-token', () => `api_org_${gen(UP + LO, 34)}`],
  ['sonarqube-token', () => `squ_${gen(H, 40)}`],
  ['openrouter-key', () => `sk-or-v1-${gen(H, 64)}`],
  ['langsmith-key', () => `lsv2_pt_${gen(H, 32)}_${gen(H, 10)}`],
  ['replicate-token', () => `r8_${gen(A, 37)}`],
  ['tavily-key', () => `tvly-dev-${gen(A, 32)}`],
  ['firecrawl-key', () => `fc-${gen(H, 32)}`],
  ['e2b-key', () => `e2b_${gen(H, 40)}`],
  ['pinecone-key', () => `pcsk_${gen(A, 6)}_${gen(A, 63)}`],
  ['fireworks-key', () => `fw_${gen(A, 24)}`],
  ['elevenlabs-key', () => `sk_${gen(H, 48)}`],
  ['deepl-key', () => `${randomUUID()}:fx`],
  ['supabase-token', () => `sbp_${gen(H, 40)}`],
  ['neon-key', () => `napi_${gen(L, 64)}`],
  ['render-key', () => `rnd_${gen(A, 32)}`],
  ['netlify-token', () => `nfp_${gen(A, 36)}`],
  ['vercel-blob-token', () => `vercel_blob_rw_${gen(A, 16)}_${gen(A, 30)}`],
  ['tailscale-key', () => `tskey-auth-${gen(A, 12)}-${gen(A, 33)}`],
  ['infisical-token', () => `st.${randomUUID()}.${gen(H, 32)}.${gen(H, 32)}`],
  ['figma-token', () => `figd_${gen(AU, 40)}`],
  ['airtable-pat', () => `pat${gen(A, 14)}.${gen(H, 64)}`],
  ['contentful-token', () => `CFPAT-${gen(AU, 43)}`],
  ['typeform-token', () => `tfp_${gen(AU, 44)}_${gen(A, 14)}`],
  ['buildkite-token', () => `bkua_${gen(H, 40)}`],
  ['circleci-token', () => `CCIPAT_${gen(A, 22)}_${gen(H, 40)}`],
  ['bitbucket-app-password', () => `ATBB${gen(A, 32)}`],
  ['posthog-personal-key', () => `phx_${gen(A, 43)}`],
  ['launchdarkly-key', () => `sdk-${randomUUID()}`],
  ['pubnub-secret-key', () => `sec-c-${gen(A, 48)}`],
  ['telnyx-key', () => `KEY${gen('0123456789ABCDEF', 32)}_${gen(A, 22)}`],
  ['woocommerce-key', () => `cs_${gen(H, 40)}`],
  ['braintree-token', () => `access_token$production$${gen(L, 16)}$${gen(H, 32)}`],
  ['razorpay-key', () => `rzp_live_${gen(A, 14)}`],
  ['clickup-token', () => `pk_${digits(8)}_${gen(U, 32)}`],
  ['klaviyo-key', () => `pk_${gen(H, 34)}`],
  ['resend-key', () => `re_${gen(A, 8)}_${gen(A, 24)}`],
  ['browserbase-key', () => `bb_live_${gen(AU, 27)}`],
  ['mapbox-secret-token', () => `sk.eyJ${gen(AU, 60)}.${gen(AU, 22)}`],
  ['asana-token', () => `2/${digits(16)}/${digits(16)}:${gen(H, 32)}`],
  ['tencent-secret-id', () => `AKID${gen(A, 32)}`],
];

describe('token formats: each documented family, bare in prose', () => {
  test.each(families.map(([kind, make], i) => [`${kind} #${i}`, kind, make()]))(
    '%s',
    (_name, kind, secret) => {
      // "fix it." then the token: no quote, no `=`, no keyword before it
      const text = `fix it. ${secret} and run the tests again`;
      const out = redactText(text);
      expect(out).not.toContain(secret);
      expect(out).toBe(`fix it. [REDACTED:${kind}] and run the tests again`);
      // the hook's fast pass is as good on it
      expect(redactText(text, { pass: 'fast' })).toBe(out);
    },
  );

  test('a token cut by a size cap at the end of a kept head still goes', () => {
    // the shape a capped tool output has (events.ts capValue): the head ends where the cap cut it
    const head = `{"stdout":"deploying with ghp_${gen(A, 36)}`.slice(0, 40);
    const capped = { truncated: true, bytes: 90_000, sha256: 'f'.repeat(64), head };
    expect(redactValue({ output: capped })).toEqual({
      output: { ...capped, head: '{"stdout":"deploying with [REDACTED:truncated-token]' },
    });
    // a whole text ending with a prefix is not cut: nothing to do
    expect(redactText(head)).toBe(head);
    expect(redactValue({ output: { ...capped, head: 'see the notes under ghp_' } }).output.head).toBe(
      'see the notes under ghp_',
    );
  });

  test('placeholders in a documented shape are not secrets', () => {
    for (const text of [
      `ghp_${'x'.repeat(36)}`,
      `xoxb-${'x'.repeat(9)}-${'x'.repeat(10)}-${'x'.repeat(12)}`,
      `AKIA${'IOSFODNN7'}EXAMPLE`,
      `glpat-${'x'.repeat(20)}`,
      `sk-ant-api03-${'abcdefghijklmnopqrstuvwxyz'}`,
    ])
      expect(redactText(text)).toBe(text);
  });
});

const v = gen(A, 24); // a secret-looking value
const pw = `${gen(A, 10)}!${gen(A, 3)}`; // a password
/** [syntax, text, the secret in it]. */
const assignments: Array<[syntax: string, text: string, secret: string]> = [
  ['shell export', `export API_TOKEN=${v}`, v],
  ['shell inline env', `API_TOKEN="${v}" ./deploy.sh`, v],
  ['make ?=', `API_TOKEN ?= ${v}`, v],
  ['make :=', `API_TOKEN := ${v}`, v],
  ['make ::=', `API_TOKEN ::= ${v}`, v],
  ['Go :=', `apiToken := "${v}"`, v],
  ['Go var with type', `var apiToken string = "${v}"`, v],
  ['Go raw string', `apiToken := \`${v}\``, v],
  ['JS const', `const apiKey = '${v}';`, v],
  ['TS typed let', `let authToken: string = "${v}";`, v],
  ['JS object', `fetchClient({ apiKey: "${v}", retries: 3 })`, v],
  ['Python', `API_KEY = "${v}"`, v],
  ['Python keyword argument', `client = Client(api_key="${v}")`, v],
  ['Python environ', `os.environ["SERVICE_TOKEN"] = "${v}"`, v],
  ['Java setProperty', `System.setProperty("SERVICE_TOKEN", "${v}");`, v],
  ['Java field', `private static final String SERVICE_TOKEN = "${v}";`, v],
  ['C# string', `string clientSecret = "${v}";`, v],
  ['Ruby hash rocket', `:api_key => "${v}",`, v],
  ['Ruby symbol key', `api_key: "${v}",`, v],
  ['PHP array', `'api_key' => '${v}',`, v],
  ['PHP define', `define('API_KEY', '${v}');`, v],
  ['YAML', `service:\n  auth_token: ${v}\n  retries: 3`, v],
  ['TOML', `[service]\napi_key = "${v}"`, v],
  ['INI', `[db]\npassword=${pw}`, pw],
  ['XML element', `<apiToken>\n    ${v}\n</apiToken>`, v],
  ['XML key/value attributes', `<add key="ClearTextPassword" value="${pw}" />`, pw],
  ['JSON', `{"client_secret": "${v}", "client_name": "cli"}`, v],
  ['JSON escaped inside a string', `{"config": "{\\"db_password\\": \\"${pw}\\"}"}`, pw],
  ['HCL', `resource "x" "y" {\n  token = "${v}"\n}`, v],
  ['connection string', `Server=db.local;Database=app;User Id=app;Password=${pw};`, pw],
  ['command-line flag with =', `deploy --token=${v} --verbose`, v],
  ['command-line flag with a space', `mysql --password ${pw} -h db`, pw],
  ['curl -u', `curl -u admin:${pw} https://api.example.com/items`, pw],
  ['curl header', `curl -H "X-Api-Key: ${v}" https://api.example.com`, v],
  ['Authorization header', `curl -H "Authorization: Bearer ${v}" https://api.example.com`, v],
  [
    'Authorization Basic',
    `Authorization: Basic ${Buffer.from(`user:${pw}`).toString('base64')}`,
    Buffer.from(`user:${pw}`).toString('base64'),
  ],
  ['URL with credentials', `DATABASE_URL=postgres://app:${pw}@db.internal:5432/app`, pw],
  ['comparison', `if (token === "${v}") allow();`, v],
  ['heroku key (a UUID given to a key)', `HEROKU_API_KEY="${randomUUID()}"`, ''],
];
assignments[assignments.length - 1][2] = assignments[assignments.length - 1][1].slice(16, -1);

describe('keyword-anchored assignments, one test a syntax', () => {
  test.each(assignments)('%s', (_syntax, text, secret) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED:');
    // only the value goes: what surrounds it is kept byte for byte
    const at = text.indexOf(secret);
    expect(out.startsWith(text.slice(0, at))).toBe(true);
    expect(out.endsWith(text.slice(at + secret.length))).toBe(true);
  });

  test('a key naming a provider with a documented format: the format decides, entropy does not overrule it', () => {
    const valid = `${digits(10)}:A${gen(AU, 34)}`;
    expect(redactText(`telegram_api_token = "${valid}"`)).toBe(
      'telegram_api_token = "[REDACTED:telegram-bot-token]"',
    );
    // a four-digit bot id is no Telegram token, however random the rest looks
    const invalid = `${digits(4)}:A${gen(AU, 34)}`;
    expect(redactText(`telegram_api_token = "${invalid}"`)).toBe(`telegram_api_token = "${invalid}"`);
  });

  test('a Kubernetes Secret manifest: every data value, whatever its key', () => {
    const value = Buffer.from(`admin:${pw}`).toString('base64');
    const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  extra: ${value}\n`;
    expect(redactText(text)).toBe(text.replace(value, '[REDACTED:kubernetes-secret]'));
  });
});

describe('never altered: ordinary text that looks a little like secrets', () => {
  const sri = `sha512-${createHash('sha512').update('pkg').digest('base64')}`;
  const sha1 = createHash('sha1').update('x').digest('hex');
  const png = `data:image/png;base64,${randomBytes(3000).toString('base64')}`;
  test.each([
    [
      'an npm lockfile entry',
      `    "node_modules/x": {\n      "version": "1.2.3",\n      "resolved": "https://registry.npmjs.org/x/-/x-1.2.3.tgz",\n      "integrity": "${sri}",\n      "dev": true\n    },`,
    ],
    [
      'a yarn lockfile entry',
      `x@^1.2.0:\n  version "1.2.3"\n  resolved "https://registry.yarnpkg.com/x/-/x-1.2.3.tgz#${sha1}"\n  integrity ${sri}\n`,
    ],
    ['a git id', `commit ${sha1}\nMerge: ${sha1.slice(0, 7)} ${sha1.slice(7, 14)}`],
    ['UUIDs', `session ${randomUUID()} agent ${randomUUID().toUpperCase()}`],
    ['a docker digest', `image@sha256:${createHash('sha256').update('i').digest('hex')}`],
    ['maxTokens', 'const options = { maxTokens: 4096, temperature: 0 };'],
    ['max_tokens in a prompt', 'call the API with max_tokens: 1024 and stream'],
    ['our own config', 'snapshots:\n  everyAgents: 10\n  everyTokens: 20000\n'],
    [
      'a package.json author',
      '{\n  "name": "x",\n  "author": "Jane Doe <jane.doe@example.com> (https://example.com)",\n  "license": "MIT"\n}',
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a JavaScript template is the sample
    ['a Bearer template', 'headers: { Authorization: `Bearer ${token}` },'],
    ['a token from the environment', 'const token = process.env.GITHUB_TOKEN ?? "";'],
    ['token type and count', '{"token_type": "bearer", "expires_in": 3600, "input_tokens": 12345}'],
    ['a data URI', `<img src="${png}">`],
    [
      'long identifiers',
      'interface CanvasRenderingContext2DSettings extends WebGL2RenderingContextOverloads {}',
    ],
    ['a function call', 'password = getPasswordFromVault(secretName)'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression is the sample
    ['a reference', 'api_key: ${{ secrets.API_KEY }}'],
    ['a file name', 'IceSSL.KeyFile=server_rsa2048_priv.pem'],
    ['a version', 'auth_version = "2.0.1"'],
    ['an elided excerpt', `the signature was ...${gen(B64, 40)} (cut)`],
    ['a diff with tabs', '--- a/m.go\n+++ b/m.go\n@@ -1,2 +1,2 @@\n func f() {\n-\treturn 1\n+\treturn 2\n'],
  ])('%s', (_name, text) => {
    expect(redactText(text)).toBe(text);
    expect(redactText(text, { pass: 'fast' })).toBe(text);
  });
});

describe('redactValue', () => {
  test('redacts nested strings and secret-named fields, keeps keys and non-strings, does not mutate', () => {
    const token = `ghp_${gen(A, 36)}`;
    const input = {
      command: `echo ${token}`,
      nested: [{ password: pw }, { count: 3, ok: true, none: null }],
      input_tokens: 5,
      apiKey: v,
      author: 'Jane Doe',
    };
    const copy = structuredClone(input);
    const out = redactValue(input);
    expect(input).toEqual(copy);
    expect(out).toEqual({
      command: 'echo [REDACTED:github-token]',
      nested: [{ password: '[REDACTED:secret-field]' }, { count: 3, ok: true, none: null }],
      input_tokens: 5,
      apiKey: '[REDACTED:secret-field]',
      author: 'Jane Doe',
    });
  });

  test('user patterns: extraPatterns redact, allow keeps a false positive', () => {
    expect(redactText('ticket ACME-INTERNAL-4242 is open', { extraPatterns: ['ACME-INTERNAL-\\d+'] })).toBe(
      'ticket [REDACTED:custom] is open',
    );
    const text = `const apiKey = "${v}";`;
    expect(redactText(text)).not.toBe(text);
    expect(redactText(text, { allow: [`^${v.slice(0, 6)}`] })).toBe(text);
    // broken patterns must not break the hook
    expect(redactText('nothing to see here', { extraPatterns: ['(unclosed'], allow: ['[x'] })).toBe(
      'nothing to see here',
    );
  });

  test('findSecrets names kind and place, never the value', () => {
    const token = `npm_${gen(A, 36)}`;
    const text = `first line\nnpm publish with ${token}\n`;
    const [f] = findSecrets(text);
    expect(f.kind).toBe('npm-token');
    expect(text.slice(f.start, f.end)).toBe(token);
    expect(Object.keys(f).sort()).toEqual(['end', 'kind', 'start']);
  });
});

describe('.env files', () => {
  test('every value is replaced whole; keys, comments and empty values stay', () => {
    expect(isEnvFile('/p/.env')).toBe(true);
    expect(isEnvFile('/p/.env.production')).toBe(true);
    expect(isEnvFile('/p/prod.env')).toBe(true);
    expect(isEnvFile('/p/environment.ts')).toBe(false);
    expect(redactFileContent('/p/.env', '# db\nDB_HOST=localhost\nexport NAME="x y"\nEMPTY=\n')).toBe(
      '# db\nDB_HOST=[REDACTED:env]\nexport NAME=[REDACTED:env]\nEMPTY=\n',
    );
    expect(redactFileContent('/p/app.ts', 'const host = "localhost";\n')).toBe('const host = "localhost";\n');
  });
});

describe('linear time on hostile input (the hook must never hang)', () => {
  test.each([
    ['20 MB of mixed text', `hello world a=b ${'x'.repeat(100)} "${'AbC1'.repeat(20)}" `.repeat(170_000)],
    ['1 MB of a= repeats', 'a='.repeat(500_000)],
    ['password= repeats', 'password='.repeat(200_000)],
    ['token: repeats', 'token: '.repeat(200_000)],
    ['long unterminated quoted base64', `"${'A1b+'.repeat(250_000)}`],
    ['an unterminated private key block', `${BEGIN}RSA PRIVATE KEY-----\n${'Q'.repeat(2_000_000)}`],
    ['escaped JSON, 5 MB', '{\\"a\\": \\"b\\"}\\n'.repeat(300_000)],
  ])('%s', (_name, text) => {
    const t0 = Date.now();
    const out = redactText(text);
    expect(typeof out).toBe('string');
    expect(Date.now() - t0).toBeLessThan(8000);
  });
});

describe("what the scanners document as no secret (gitleaks' allowlists and stopwords)", () => {
  test('a published example key is left alone; a key of the same shape that is not published goes', () => {
    // one of the Firebase SDKs' example keys that gitleaks' gcp-api-key rule allowlists
    const published = `AIzaSyAnLA7NfeLquW1tJF${'px_eQCxoX-oo6YyIs'}`;
    expect(redactText(`firebase: { apiKey: "${published}" }`)).toBe(`firebase: { apiKey: "${published}" }`);
    const ours = `AIza${gen(AU, 35)}`;
    expect(redactText(`firebase: { apiKey: "${ours}" }`)).toBe(
      'firebase: { apiKey: "[REDACTED:google-api-key]" }',
    );
  });

  test("the NuGet documentation's sample passwords are left alone, a password of one's own goes", () => {
    for (const sample of ['33f!!lloppa', 'hal+9ooo_da!sY'])
      expect(redactText(`<add key="ClearTextPassword" value="${sample}" />`)).toContain(sample);
    const own = `${gen(A, 9)}!${gen(A, 4)}`;
    expect(redactText(`<add key="ClearTextPassword" value="${own}" />`)).not.toContain(own);
  });

  test('a token made of words (a stopword as a word of its own) is a name; the same key with random data goes', () => {
    for (const text of [
      'schema_token = "clm50217:AgencyIdentificationCodeContentType"',
      'buildToken := "task_test_q7z2kd8w3m5p"',
      `artifact: R17B-C-V020SP09RC220315R10400-EU-A_128K-Release-OTA-${createHash('md5').update('fw').digest('hex').toUpperCase()}.bfu`,
    ])
      expect(redactText(text)).toBe(text);
    const random = gen(A, 32);
    expect(redactText(`schema_token = "${random}"`)).toBe('schema_token = "[REDACTED:secret-assignment]"');
  });

  test('a password made of words still goes (stopwords never apply to passwords)', () => {
    const text = 'db_password = "Content-Release-Summer-2031"';
    expect(redactText(text)).toBe('db_password = "[REDACTED:secret-assignment]"');
  });

  test('stopwords are matched as words, not substrings: random tokens holding a short word by chance still go', () => {
    // the stopwords "beer" and "chat" inside random data, not at case or separator boundaries
    for (const t of [`x9Q${'beer'}Z7vL4kT8wR3nB6yH1cF5dJ0pA`, `K2m${'chat'}P8qW3eR6tY9uI1oP4aS7dF`])
      expect(redactText(`fix it. ${t}`)).toBe('fix it. [REDACTED:high-entropy]');
  });

  test('SOPS values and PGP messages are ciphertext: left alone; a PGP private key still goes', () => {
    const b = () => randomBytes(24).toString('base64');
    const sops = `db-password: ENC[AES256_GCM,data:${b()},iv:${b()},tag:${randomBytes(16).toString('base64')},type:str]`;
    expect(redactText(sops)).toBe(sops);
    const msg = `${BEGIN}PGP MESSAGE-----\n\n${pemBody()}\n${END}PGP MESSAGE-----`;
    expect(redactText(`enc: |\n${msg}\n`)).toBe(`enc: |\n${msg}\n`);
    const key = `${BEGIN}PGP PRIVATE KEY BLOCK-----\n\n${pemBody()}\n${END}PGP PRIVATE KEY BLOCK-----`;
    expect(redactText(key)).toBe('[REDACTED:private-key]');
  });
});

describe('provider formats added with the stopwords (their values may hold words)', () => {
  test('Plaid access and public tokens: <kind>-<environment>-<uuid>, bare', () => {
    for (const env of ['sandbox', 'development', 'production']) {
      const t = `access-${env}-${randomUUID()}`;
      expect(redactText(`plaid said ${t} ok`)).toBe('plaid said [REDACTED:plaid-token] ok');
    }
  });

  test("Okta API tokens (00 and 40 characters) after an okta key; a filler of Okta's shape is not one", () => {
    const t = `00${gen(AU, 40)}`;
    expect(redactText(`okta_token: "${t}"`)).toBe('okta_token: "[REDACTED:secret-assignment]"');
    const filler = `${'0'.repeat(35)}TUVWXYZ`;
    expect(redactText(`oktaKey = ${filler}`)).toBe(`oktaKey = ${filler}`);
  });
});

describe("rules decided as the scanners decide them (gitleaks' formats, thresholds and keywords)", () => {
  const kinds = (text: string) => findSecrets(text).map((f) => f.kind);

  test("Azure AD client secrets: the secret's own alphabet may not continue it (gitleaks' boundary)", () => {
    const secret = `${gen(A, 3)}8Q~${gen(`${A}_~.-`, 34)}`;
    expect(redactText(`AZURE_CLIENT_SECRET="${secret}"`)).not.toContain(secret);
    expect(redactText(`clients: ${secret}, next`)).toBe('clients: [REDACTED:azure-ad-client-secret], next');
    // a longer run of the same alphabet (`~`, `.`, `-` go on) is some other value, not this format
    const longer = `${gen(A, 3)}8Q~${gen(A, 33)}~${gen(A, 3)}`;
    expect(kinds(`routing ${longer} ok`)).not.toContain('azure-ad-client-secret');
  });

  test('Cisco Meraki API keys: 40 lower-case hex after a meraki key; other shapes are not Meraki keys', () => {
    const key = gen(H, 40);
    expect(redactText(`meraki_api_key: ${key}`)).toBe('meraki_api_key: [REDACTED:secret-assignment]');
    // upper case in it, or the wrong length: the documented format says no, and the entropy pass agrees
    const mixed = `${gen(H, 5)}F${gen(H, 34)}`;
    expect(redactText(`meraki-api-key: ${mixed}`)).toBe(`meraki-api-key: ${mixed}`);
    const long = `${gen(H, 64)}R${digits(2)}`;
    expect(redactText(`meraki_token = ${long}`)).toBe(`meraki_token = ${long}`);
  });

  test("Cloudflare's prefixless keys: the provider's name as the key decides (Global API Key, API token)", () => {
    const global = gen(H, 37);
    expect(redactText(`cloudflare: "${global}"`)).toBe('cloudflare: "[REDACTED:cloudflare-api-key]"');
    const token = gen(AU, 40);
    expect(redactText(`CLOUDFLARE_API_TOKEN=${token}`)).toBe(
      'CLOUDFLARE_API_TOKEN=[REDACTED:cloudflare-api-key]',
    );
    // neither length: not one of Cloudflare's formats, and a lower-case hex run is no entropy finding
    const other = gen(H, 36);
    expect(redactText(`cloudflare: "${other}"`)).toBe(`cloudflare: "${other}"`);
    expect(redactText('cloudflare_zone: "example.com"')).toBe('cloudflare_zone: "example.com"');
  });

  test("a token or key value under 10 characters is no secret (gitleaks' generic minimum); a password still is", () => {
    expect(redactText('SERVICE_ACCESS_KEY: Ab3De6Gh9')).toBe('SERVICE_ACCESS_KEY: Ab3De6Gh9');
    const ten = `${gen(A, 10)}`;
    expect(redactText(`SERVICE_ACCESS_KEY: ${ten}`)).toBe('SERVICE_ACCESS_KEY: [REDACTED:secret-assignment]');
    const short = `${gen(A, 5)}!`;
    expect(redactText(`db_password = "${short}"`)).toBe('db_password = "[REDACTED:secret-assignment]"');
  });

  test('an Anthropic key of the exact shape made of a documentation filler (an alphabet run) is not a key', () => {
    const filler = `sk-ant-api03-${gen(AU, 40)}klmnopqrstuvwx${gen(AU, 39)}AA`;
    expect(redactText(`use ${filler} here`)).toBe(`use ${filler} here`);
    const real = `sk-ant-admin01-${gen(AU, 93)}AA`;
    expect(redactText(`use ${real} here`)).toBe('use [REDACTED:anthropic-key] here');
  });

  test('entropy: a few capitals around a single-case run are not one random mixed-case draw', () => {
    const glued = `gYq${gen(L, 66)}VzS`;
    expect(redactText(`part of a blob ${glued} end`)).toBe(`part of a blob ${glued} end`);
    const random = gen(A, 66);
    expect(redactText(`part of a blob ${random} end`)).toBe('part of a blob [REDACTED:high-entropy] end');
  });

  test('entropy: hex ids are single-case; a mixed-case hex run is not a digest', () => {
    const sha = gen(H, 40);
    expect(redactText(`commit ${sha} landed`)).toBe(`commit ${sha} landed`);
    expect(redactText(`commit ${sha.toUpperCase()} landed`)).toBe(`commit ${sha.toUpperCase()} landed`);
    const mixed = gen('abcdefABCDEF0123456789', 40);
    expect(redactText(`sourcegraph: ${mixed}`)).toBe('sourcegraph: [REDACTED:high-entropy]');
  });

  test('entropy: a signature or an identity names public data, every part of its value', () => {
    const parts = [gen(AU, 40), gen(AU, 33), gen(AU, 48)];
    const sig = `// CloudFront-Signature: ${parts.join('~')}__, , , false`;
    expect(redactText(sig)).toBe(sig);
    const identity = `<Trust Identity="USK@${gen(AU, 43)},${gen(A, 4)}~${gen(A, 33)}~${gen(A, 3)},AQACAAE/x/2" />`;
    expect(redactText(identity)).toBe(identity);
    // the same escaped in a JSON string, as the spool holds it
    expect(redactText(JSON.stringify(identity))).toBe(JSON.stringify(identity));
    // the same runs under a key that names nothing public still go
    expect(redactText(`// note: ${parts.join('~')}`)).not.toContain(parts[0]);
  });

  test('entropy: an unquoted right-hand side of a code statement is an expression; a literal still goes', () => {
    const value = gen(A, 64);
    expect(redactText(`sumOfRatios = ${value};`)).toBe(`sumOfRatios = ${value};`);
    expect(redactText(`sumOfRatios = "${value}";`)).toBe('sumOfRatios = "[REDACTED:high-entropy]";');
    expect(redactText(`RATIOS=${value}`)).toBe('RATIOS=[REDACTED:high-entropy]');
  });

  test("entropy: a known prefix's token split by its base64 padding is judged whole", () => {
    // a Sentry org token: sntrys_ + base64 JSON (padded here) + _ + 43 characters
    let org = 'acme';
    let claims = '';
    for (;;) {
      claims = Buffer.from(
        JSON.stringify({
          iat: 1700000000,
          url: 'https://sentry.io',
          region_url: 'https://us.sentry.io',
          org,
        }),
      ).toString('base64');
      if (claims.endsWith('==')) break;
      org += 'x';
    }
    const valid = `sntrys_${claims}_${gen(A, 43)}`;
    expect(redactText(`token ${valid} ok`)).toBe('token [REDACTED:sentry-token] ok');
    // a tail of 42: no Sentry token, and its tail alone is no entropy finding either
    const invalid = `sntrys_${claims}_${gen(A, 42)}`;
    expect(redactText(`token ${invalid} ok`)).toBe(`token ${invalid} ok`);
  });
});

describe('never altered: the code and documentation of ordinary projects', () => {
  test('a TypeScript annotation names a type, even after a password; a YAML or JS value still goes', () => {
    const sig =
      'export function derive(algorithm: string, password: BinaryLike, options?: DeriveOptions): Buffer;';
    expect(redactText(sig)).toBe(sig);
    const member = 'interface Login {\n  password: BinaryLike;\n}';
    expect(redactText(member)).toBe(member);
    const mixed = `Hunter${gen(A, 6)}`;
    expect(redactText(`password: ${mixed}`)).toBe('password: [REDACTED:secret-assignment]');
    expect(redactText(`login({ password: ${mixed} })`)).not.toContain(mixed);
  });

  test('identifiers made of words are names, in the entropy pass and as unquoted values', () => {
    for (const text of [
      'interface CipherChaCha20Poly1305Options extends CipherOptions {}',
      'const DuckDBEnum16Vector_1 = require("./DuckDBEnum16Vector");',
      'interface ED25519KeyPairOptions<PubF> {}',
      'sign({ clientId: "cli", privateKey: pemEncodedPrivateKey, alg: "RS256" })',
      'export const credentialsWillExpire = (credentials) => credentials.expiration < now;',
      'resume({ onresumptiontoken: options?.onresumptiontoken })',
    ])
      expect(redactText(text)).toBe(text);
    // random data of the same length is no identifier
    const random = gen(A, 29);
    expect(redactText(`interface ${random} {}`)).toBe('interface [REDACTED:high-entropy] {}');
  });

  test('prose before a quote or a code span is no assignment; a config line with its own key is', () => {
    for (const text of [
      'You can pass `requestOptions` to the client.',
      "Please pass 'signingName' to compute the signature",
      'Pass `decodedMappings` to receive the raw mappings.',
    ])
      expect(redactText(text)).toBe(text);
    const v = gen(A, 24);
    expect(redactText(`ENV API_TOKEN "${v}"`)).toBe('ENV API_TOKEN "[REDACTED:secret-assignment]"');
  });

  test('digests by their context: HPKP pins and RFC 9530 digest fields', () => {
    const pin = randomBytes(32).toString('base64');
    const hpkp = `Public-Key-Pins: max-age=0; pin-sha256="${pin}"; pin-sha256="${randomBytes(32).toString('base64')}"`;
    expect(redactText(hpkp)).toBe(hpkp);
    const digest = `Unencoded-Digest: sha-256=:${pin}:, sha-512=:${randomBytes(64).toString('base64')}:`;
    expect(redactText(digest)).toBe(digest);
  });

  test('a base64 data URI whose + a URL percent-encoded is data, every piece of it', () => {
    let data = '';
    while ((data.match(/\+/g) ?? []).length < 8) data = randomBytes(600).toString('base64');
    const img = `<img src="data:image/svg+xml;base64,${data.replace(/\+/g, '%2B')}" alt="logo">`;
    expect(redactText(img)).toBe(img);
  });
});
