/** `agent-track redactions` and `redaction.allow`, through the built binary in a real repository. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redactText } from '../../src/capture/redact.js';
import { branchEvents, cleanupTmp, git, makeRepo, track } from '../lib/cli.js';

afterAll(cleanupTmp);

// built at run time: no token sits in this file
const TOKEN = ['npm', '_', 'Wq4Lx8Vb2Rt6Zk1Nm9Pc3Hy7Jd5Gf0Sa2EuK'].join('');
const PASSWORD = ['Hx7', '!', 'pQ2vLm9z'].join('');
const ALLOWED = ['AIza', 'Sy', 'Pq7Lm2Vx9Kt4Wb8Nc3Rz6Hy1Jd5Gf0Sa3'].join('');

function hook(repo: string, payload: Record<string, unknown>): void {
  const base = { cwd: repo, transcript_path: '/dev/null' };
  expect(
    track(repo, ['hook'], JSON.stringify({ ...base, ...payload }), { AGENT_TRACK_NO_FLUSH: '1' }).status,
  ).toBe(0);
}

describe('agent-track redactions', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    const config = path.join(repo, '.agent-tracking.yml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('allow: []', `allow: ['^AIzaSyPq7L']`));
    git(repo, ['add', '.']);
    git(repo, ['commit', '-q', '-m', 'track agents']);
    hook(repo, { session_id: 'sess-a', hook_event_name: 'SessionStart', source: 'startup' });
    hook(repo, {
      session_id: 'sess-a',
      hook_event_name: 'UserPromptSubmit',
      prompt: `publish with ${TOKEN}`,
    });
    hook(repo, {
      session_id: 'sess-a',
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_use_id: 'tu-1',
      tool_input: { command: 'cat db.ini' },
      tool_response: { stdout: `[db]\npassword=${PASSWORD}\nmaps_key=${ALLOWED}\n`, stderr: '' },
    });
    hook(repo, { session_id: 'sess-b', hook_event_name: 'SessionStart', source: 'startup' });
    hook(repo, { session_id: 'sess-b', hook_event_name: 'UserPromptSubmit', prompt: 'nothing secret here' });
    fs.writeFileSync(path.join(repo, 'deploy.sh'), `#!/bin/sh\nexport NPM_TOKEN=${TOKEN}\nnpm publish\n`);
    expect(track(repo, ['checkpoint', '--session', 'sess-a']).status).toBe(0);
  });

  test('--json: kind and place of every redaction, in events and in snapshot files, never the value', () => {
    const r = track(repo, ['redactions', '--json']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain(TOKEN);
    expect(r.stdout).not.toContain(PASSWORD);
    const list = JSON.parse(r.stdout);
    const prompt = list.find((e: any) => e.type === 'prompt');
    expect(prompt).toMatchObject({ session: 'sess-a', where: 'event', kind: 'npm-token', count: 1 });
    expect(list).toContainEqual(
      expect.objectContaining({
        where: 'event',
        type: 'tool_call',
        field: 'output.stdout',
        kind: 'secret-assignment',
      }),
    );
    expect(list).toContainEqual(
      expect.objectContaining({ where: 'file', file: 'deploy.sh', snapshot: 'sess-a@1', kind: 'npm-token' }),
    );
    expect(list.every((e: any) => e.session === 'sess-a')).toBe(true);
  });

  test('--session limits the list; the table names kinds and says how to allow a false positive', () => {
    expect(JSON.parse(track(repo, ['redactions', '--session', 'sess-b', '--json']).stdout)).toEqual([]);
    expect(track(repo, ['redactions', '--session', 'sess-b']).stdout).toBe('nothing was redacted\n');
    const text = track(repo, ['redactions', '--session', 'sess-a']).stdout;
    expect(text).toContain('npm-token');
    expect(text).toContain('output.stdout');
    expect(text).toContain('redaction.allow');
    expect(text).not.toContain(TOKEN);
  });

  test('redaction.allow: a value the user allowed is kept, in the hook and in the store', () => {
    expect(redactText(ALLOWED)).toBe('[REDACTED:google-api-key]'); // without the pattern it would go
    const call = branchEvents(repo).find((e) => e.type === 'tool_call' && e.toolUseId === 'tu-1');
    expect(call.output.stdout).toBe(`[db]\npassword=[REDACTED:secret-assignment]\nmaps_key=${ALLOWED}\n`);
  });
});
