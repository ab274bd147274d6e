import * as fs from 'node:fs';
import * as path from 'node:path';
import { allObjectContents, cleanupTmp, flushNow, git, makeRepo, tmpDir, track } from '../lib/cli.js';

afterAll(cleanupTmp);

const errorFiles = (repo: string) => {
  const dir = path.join(repo, '.git', 'agent-tracking', 'errors');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
};

describe('agent-track hook on bad input: exit 0, print nothing, keep the payload', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeRepo();
    track(repo, ['init', '--yes']);
  });

  test.each([
    ['not JSON', 'this is {not json'],
    ['empty', ''],
    ['a JSON array', '[1,2,3]'],
    ['missing fields', JSON.stringify({ hook_event_name: 'PreToolUse' })],
  ])('%s', (_name, input) => {
    const before = errorFiles(repo).length;
    const r = track(repo, ['hook'], input);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    const after = errorFiles(repo);
    expect(after.length).toBe(before + 1);
    expect(after.some((f) => JSON.parse(f).payload === input)).toBe(true);
  });

  test('an unknown event name is recorded as a generic hook event', () => {
    const r = track(
      repo,
      ['hook'],
      JSON.stringify({ session_id: 'u1', cwd: repo, hook_event_name: 'FutureEvent', detail: 42 }),
    );
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    const spool = fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'spool', 'u1.jsonl'), 'utf8');
    expect(JSON.parse(spool)).toMatchObject({
      type: 'hook',
      hookEvent: 'FutureEvent',
      payload: { detail: 42 },
    });
  });

  test('a 20 MB payload is recorded with its output cut to the cap, keeping length and sha256', () => {
    const big = 'x'.repeat(20 * 1024 * 1024);
    const payload = JSON.stringify({
      session_id: 'big',
      cwd: repo,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'yes x' },
      tool_response: { stdout: big },
      tool_use_id: 't1',
    });
    const r = track(repo, ['hook'], payload, { AGENT_TRACK_NO_FLUSH: '1' });
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    const line = fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'spool', 'big.jsonl'), 'utf8');
    expect(line.length).toBeLessThan(40 * 1024);
    const e = JSON.parse(line);
    const { createHash } = require('node:crypto');
    expect(e.output).toMatchObject({
      truncated: true,
      bytes: JSON.stringify({ stdout: big }).length,
      sha256: createHash('sha256')
        .update(JSON.stringify({ stdout: big }))
        .digest('hex'),
    });
  });

  test('outside any git repository: exit 0, nothing printed, nothing written there', () => {
    const dir = tmpDir();
    const r = track(
      dir,
      ['hook'],
      JSON.stringify({ session_id: 's', cwd: dir, hook_event_name: 'SessionStart', source: 'startup' }),
    );
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("a spool that cannot be written: exit 0, nothing printed, the payload kept (redacted) in the user's state folder, private", () => {
    const ro = makeRepo();
    const state = tmpDir();
    const payload = JSON.stringify({
      session_id: 's',
      cwd: ro,
      hook_event_name: 'UserPromptSubmit',
      prompt: `hi ${'ghp_'}Xq3Lm9Zr3Tk8Wb5Nc2Hd6Pf4Gj0Vs1Ey7Ru2`,
    });
    // files where the spool and error folders should be (permission bits would not stop root)
    fs.mkdirSync(path.join(ro, '.git', 'agent-tracking'), { recursive: true });
    fs.writeFileSync(path.join(ro, '.git', 'agent-tracking', 'spool'), 'not a folder');
    fs.writeFileSync(path.join(ro, '.git', 'agent-tracking', 'errors'), 'not a folder');
    const r = track(ro, ['hook'], payload, { XDG_STATE_HOME: state });
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    const [repoDir] = fs.readdirSync(path.join(state, 'agent-tracking'));
    const errors = path.join(state, 'agent-tracking', repoDir, 'errors');
    const kept = fs.readdirSync(errors).map((f) => fs.readFileSync(path.join(errors, f), 'utf8'));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toContain('[REDACTED:github-token]');
    expect(kept[0]).not.toContain('Xq3Lm9Zr3Tk8');
    expect(fs.statSync(errors).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(errors))
      expect(fs.statSync(path.join(errors, f)).mode & 0o777).toBe(0o600);
  });
});

describe('secrets never reach any blob, the spool or the error log', () => {
  // fake secrets built at run time so this file does not itself look like it holds live ones
  const aws = `AKIA${'Q7WZ3M5K2P9R4T6Y'}`;
  const ghp = `ghp_${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'}`;
  const ant = `sk-ant-api03-${'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzXcVbNmQwErTyUiOp'}`;
  const pem = `-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA${'q'.repeat(60)}\n-----END RSA PRIVATE KEY-----`;
  const envValue = 'hunter2-very-private-value';

  test('in tool inputs, outputs, prompts, file contents and .env files', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const base = { session_id: 'sec', cwd: repo, transcript_path: '/x.jsonl' };
    const payloads = [
      { ...base, hook_event_name: 'UserPromptSubmit', prompt: `deploy with key ${aws} and token ${ghp}` },
      {
        ...base,
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command: `curl -H "x-api-key: ${ant}" https://api` },
        tool_use_id: 'a',
      },
      {
        ...base,
        hook_event_name: 'PostToolUse',
        tool_name: 'Bash',
        tool_input: { command: 'cat key.pem' },
        tool_response: { stdout: pem },
        tool_use_id: 'b',
      },
      {
        ...base,
        hook_event_name: 'PostToolUse',
        tool_name: 'Write',
        tool_input: { file_path: `${repo}/.env`, content: `DB_PASSWORD=${envValue}\nGITHUB_TOKEN=${ghp}\n` },
        tool_response: {
          type: 'create',
          filePath: `${repo}/.env`,
          content: `DB_PASSWORD=${envValue}\nGITHUB_TOKEN=${ghp}\n`,
          structuredPatch: [],
          originalFile: null,
        },
        tool_use_id: 'c',
      },
      {
        ...base,
        hook_event_name: 'PostToolUseFailure',
        tool_name: 'Bash',
        tool_input: { command: 'x' },
        error: `auth failed for ${ghp}`,
        tool_use_id: 'd',
      },
      { ...base, hook_event_name: 'SessionEnd', reason: 'other' },
    ];
    for (const p of payloads) expect(track(repo, ['hook'], JSON.stringify(p)).status).toBe(0);
    track(repo, ['hook'], `not json but has ${ant}`);
    expect(flushNow(repo).status).toBe(0);
    const blobs = allObjectContents(repo);
    const spool = fs
      .readdirSync(path.join(repo, '.git', 'agent-tracking'), { recursive: true })
      .map((f) => path.join(repo, '.git', 'agent-tracking', String(f)))
      .filter((f) => fs.statSync(f).isFile())
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    expect(blobs).toContain('[REDACTED:');
    for (const secret of [aws, ghp, ant, 'MIIEpAIBAAKCAQEA', envValue]) {
      expect(blobs).not.toContain(secret);
      expect(spool).not.toContain(secret);
    }
    // the redacted events are still there and useful
    expect(blobs).toContain('DB_PASSWORD=');
    expect(git(repo, ['ls-tree', '-r', '--name-only', 'agent-tracking'])).toContain('sec/session.json');
  });
});
