import { isEnvFile, redactFileContent, redactText, redactValue } from '../../src/capture/redact.js';

// Fake secrets are assembled at run time, so this file itself holds nothing a scanner would flag.
const r = (s: string, n: number) => s.repeat(n);
const samples: Array<[kind: string, text: string, secret: string]> = [
  ['aws-access-key', `key id ${'AKIA'}${'Q7WZ3M5K2P9R4T6Y'} here`, `${'AKIA'}Q7WZ3M5K2P9R4T6Y`],
  [
    'secret-assignment',
    `AWS_SECRET_ACCESS_KEY=${'wJalrXUtnFEMI/K7MDENG'}/bPxRfiCYzEXAMPLEKEY`,
    'wJalrXUtnFEMI/K7MDENG',
  ],
  [
    'secret-assignment',
    `aws_secret_access_key = ${'Tz9Kq3Lm8Np2Rs7Uv4'}Wx6Yz1Ab5Cd0Ef3Gh8Ij2K`,
    'Tz9Kq3Lm8Np2Rs7Uv4',
  ],
  ['github-token', `token ${'ghp_'}${r('aB3dE5fG7h', 4).slice(0, 36)}`, r('aB3dE5fG7h', 4).slice(0, 36)],
  ['github-token', `${'gho_'}${r('Zk9', 12)}`, r('Zk9', 12)],
  ['github-token', `${'ghs_'}${r('Qp4', 12)}`, r('Qp4', 12)],
  ['github-token', `${'ghu_'}${r('Lm7', 12)}`, r('Lm7', 12)],
  ['github-token', `${'github_pat_'}11ABCDEFG0${r('xY9_', 15)}`, r('xY9_', 15)],
  ['anthropic-key', `x-api-key: ${'sk-ant-'}api03-${r('Zx9Qw8Er7Ty6', 6)}`, r('Zx9Qw8Er7Ty6', 6)],
  ['openai-key', `OPENAI ${'sk-'}proj-${r('Ab1Cd2Ef3Gh4', 4)}`, r('Ab1Cd2Ef3Gh4', 4)],
  ['slack-token', `${'xoxb-'}123456789012-${r('aBc1', 6)}`, r('aBc1', 6)],
  ['slack-webhook', `${'https://hooks.slack.com/services/'}T0000/B0000/${r('XyZ9', 6)}`, r('XyZ9', 6)],
  ['google-api-key', `${'AIza'}Sy${r('Ab3_d', 6)}-xY`, `Sy${r('Ab3_d', 6)}`],
  [
    'private-key',
    `-----BEGIN ${'RSA PRIVATE'} KEY-----\nMIIEpAIBAAKCAQEA${r('q1W2', 16)}\n-----END RSA PRIVATE KEY-----`,
    'MIIEpAIBAAKCAQEA',
  ],
  [
    'private-key',
    `"-----BEGIN ${'OPENSSH PRIVATE'} KEY-----\\nb3BlbnNzaC1rZXkt${r('Yz', 20)}\\n-----END OPENSSH PRIVATE KEY-----"`,
    'b3BlbnNzaC1rZXkt',
  ],
  [
    'jwt',
    `Cookie: s=${'eyJ'}hbGciOiJIUzI1NiJ9.${'eyJ'}zdWIiOiIxMjM0NTY3ODkwIn0.${r('dBjftJeZ4CVP', 3)}`,
    r('dBjftJeZ4CVP', 3),
  ],
  ['secret-assignment', 'password = hunter2hunter2', 'hunter2hunter2'],
  ['secret-assignment', '{"api_key": "k3y-v4lu3-0f-m1n3"}', 'k3y-v4lu3-0f-m1n3'],
  ['secret-assignment', 'db:\n  password: S3cr3tPassw0rd!', 'S3cr3tPassw0rd!'],
  ['secret-assignment', 'export GITHUB_TOKEN=abc123def456ghi', 'abc123def456ghi'],
  ['secret-assignment', "client_secret='v3ry-s3cret-v4lue'", 'v3ry-s3cret-v4lue'],
  ['url-password', 'git clone https://bob:Pa55w0rdXyz@example.com/repo.git', 'Pa55w0rdXyz'],
  ['auth-header', 'curl -H "Authorization: Bearer abcDEF123456ghiJKL"', 'abcDEF123456ghiJKL'],
  ['high-entropy', `const key = "${'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz'}"`, 'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz'],
];

describe('redactText catches known secret shapes', () => {
  test.each(samples)('%s: %s', (kind, text, secret) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${kind}]`);
  });

  test('assignments keep the key name', () => {
    expect(redactText('password = hunter2hunter2')).toBe('password = [REDACTED:secret-assignment]');
    expect(redactText('export GITHUB_TOKEN=abc123def456ghi')).toBe(
      'export GITHUB_TOKEN=[REDACTED:secret-assignment]',
    );
  });
});

describe('redactText leaves ordinary text alone', () => {
  test.each([
    'the token count was 5',
    'token: count',
    'password: ""',
    'token=${TOKEN}',
    'password = process.env.DB_PASSWORD',
    'api_key: {{ secrets.API_KEY }}',
    'commit 3f786850e387550fdab836ed7e6dc881de23001b',
    'blob "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"',
    'session 4993952c-6254-4c99-806b-8e1b43b21afb',
    'id: toolu_01ABCdefGHIjklMNOpqrSTUvwxYZ',
    'msg="msg_01XFDUDYJgAACzvnptvVoYEL"',
    'path: /home/dev/proj/src/components/SomethingLong/index.tsx',
    'name = "very-long-kebab-case-identifier-for-a-thing"',
    '--- a/notes.md\n+++ b/notes.md\n@@ -1,1 +1,1 @@\n-alpha notes\n+beta notes\n',
    'function authenticate(user) { return user.token; }',
    'const tokens = usage.input_tokens + usage.output_tokens;',
  ])('%s', (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe('redactValue', () => {
  test('redacts nested strings, secret-named fields, keeps keys and non-strings, does not mutate', () => {
    const input = {
      command: `echo ${'ghp_'}${r('Ab1', 12)}`,
      nested: [{ password: 'plainButSecret1' }, { count: 3, ok: true, none: null }],
      input_tokens: 5,
      apiKey: 'short-but-secret',
    };
    const copy = structuredClone(input);
    const out = redactValue(input);
    expect(input).toEqual(copy);
    expect(out).toEqual({
      command: 'echo [REDACTED:github-token]',
      nested: [{ password: '[REDACTED:secret-field]' }, { count: 3, ok: true, none: null }],
      input_tokens: 5,
      apiKey: '[REDACTED:secret-field]',
    });
  });

  test('user patterns from the config', () => {
    expect(redactText('ticket ACME-INTERNAL-4242 is open', { extraPatterns: ['ACME-INTERNAL-\\d+'] })).toBe(
      'ticket [REDACTED:custom] is open',
    );
    // a broken pattern must not break the hook
    expect(redactText('nothing to see here', { extraPatterns: ['(unclosed'] })).toBe('nothing to see here');
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
    ['long unterminated quoted base64', `"${'A1b+'.repeat(250_000)}`],
    ['an unterminated private key block', `-----BEGIN RSA PRIVATE KEY-----\n${'Q'.repeat(2_000_000)}`],
  ])('%s', (_name, text) => {
    const t0 = Date.now();
    const out = redactText(text);
    expect(typeof out).toBe('string');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
