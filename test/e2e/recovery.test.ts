/**
 * Recovery with the real Claude Code CLI against the scripted stand-in API: a session is SIGKILLed
 * mid-way; the next session in the repository, and one started with --resume, must send the handoff
 * to the model. Asserted on the request bodies the stand-in received, not on our own output.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLAUDE, makeClaudeHome, runClaude } from '../lib/claude.js';
import { backgroundFlushesDone, cleanupTmp, makeRepo, track } from '../lib/cli.js';
import { startFakeAnthropic } from '../lib/fake-anthropic.js';

afterAll(cleanupTmp);

const env = (home: string, url: string) => ({
  PATH: process.env.PATH,
  HOME: home,
  ANTHROPIC_BASE_URL: url,
  ANTHROPIC_API_KEY: 'sk-test-offline',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  DISABLE_AUTOUPDATER: '1',
});

test('after a SIGKILL, the next session and a --resume get the handoff in their first request', async () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  const home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
  // the later sessions' markers come first: their first message also holds the handoff, which names MISSION-CRASH
  const api = await startFakeAnthropic({
    'MISSION-NEXT': [{ at: 0, delayMs: 300, reply: [{ type: 'text', text: 'Carrying on.' }] }],
    'SUB-HELPER': [
      {
        at: 0,
        reply: [
          { type: 'tool_use', name: 'Write', input: { file_path: `${repo}/helper.txt`, content: 'help\n' } },
        ],
      },
      { at: 1, reply: [{ type: 'text', text: 'Helper wrote helper.txt' }] },
    ],
    'MISSION-CRASH': [
      // Claude Code 2.1.197 offers TaskCreate/TaskUpdate (not TodoWrite) in -p mode
      ...['Write alpha.txt', 'Write beta.txt with the release notes', 'Run the gamma checks'].map(
        (subject, at) => ({
          at,
          reply: [
            { type: 'tool_use' as const, name: 'TaskCreate', input: { subject, description: subject } },
          ],
        }),
      ),
      {
        at: 3,
        reply: [{ type: 'tool_use', name: 'TaskUpdate', input: { taskId: '1', status: 'completed' } }],
      },
      {
        at: 4,
        reply: [{ type: 'tool_use', name: 'TaskUpdate', input: { taskId: '2', status: 'in_progress' } }],
      },
      {
        at: 5,
        reply: [
          { type: 'tool_use', name: 'Write', input: { file_path: `${repo}/alpha.txt`, content: 'alpha\n' } },
        ],
      },
      {
        at: 6,
        reply: [
          {
            type: 'tool_use',
            name: 'Agent',
            input: {
              description: 'Write the helper',
              prompt: 'SUB-HELPER: write helper.txt',
              subagent_type: 'general-purpose',
            },
          },
        ],
      },
      {
        at: 7,
        reply: [{ type: 'tool_use', name: 'Bash', input: { command: 'exit 4', description: 'Check beta' } }],
      },
      {
        at: 8,
        reply: [
          { type: 'tool_use', name: 'Bash', input: { command: 'sleep 20', description: 'Wait for beta' } },
        ],
      },
    ],
  });
  const child = spawn(
    CLAUDE,
    [
      '-p',
      'MISSION-CRASH: ship the beta release',
      '--output-format',
      'json',
      '--model',
      'claude-sonnet-4-5',
      '--allowedTools',
      'Agent Task Bash Read Write Edit TodoWrite',
    ],
    { cwd: repo, env: env(home, api.url), stdio: 'ignore', detached: true },
  );
  const spool = path.join(repo, '.git', 'agent-tracking', 'spool');
  const started = Date.now();
  // the sh hook saves the PreToolUse payload in the raw spool (a flush or a reader converts it)
  const raw = path.join(repo, '.git', 'agent-tracking', 'raw');
  const has = (dir: string, ext: string) =>
    fs.existsSync(dir) &&
    fs
      .readdirSync(dir)
      .some((f) => f.endsWith(ext) && fs.readFileSync(path.join(dir, f), 'utf8').includes('sleep 20'));
  const sleeping = () => has(spool, '.jsonl') || has(raw, '.json');
  while (!sleeping() && Date.now() - started < 90_000) await new Promise((r) => setTimeout(r, 100));
  // the whole process group, as when a terminal closes: Claude Code and the command it was running
  process.kill(-child.pid!, 'SIGKILL');
  await new Promise((r) => child.on('close', r));
  const crashed = fs
    .readdirSync(spool)
    .find((f) => f.endsWith('.jsonl'))!
    .slice(0, -6);

  const firstRequestOf = (marker: string) =>
    api.requests.find(
      (r) =>
        r.path.endsWith('/v1/messages') &&
        Array.isArray(r.body.tools) &&
        JSON.stringify(r.body.messages).includes(marker),
    );
  const next = await runClaude({
    cwd: repo,
    home,
    prompt: 'MISSION-NEXT: carry on',
    baseUrl: api.url,
    format: 'stream-json',
  });
  expect(next.status).toBe(0);
  // the person sees it too: SessionStart's systemMessage names the crashed session and how to read the handoff
  const hookStart = next.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .find((m) => m.type === 'system' && m.subtype === 'hook_response' && m.hook_event === 'SessionStart');
  expect(hookStart.exit_code).toBe(0);
  expect(JSON.parse(hookStart.stdout).systemMessage).toBe(
    `agent-track: session ${crashed.slice(0, 8)} crashed; its handoff was given to Claude to continue from (see it with /agent-track:handoff ${crashed.slice(0, 8)})`,
  );
  const body = JSON.stringify(firstRequestOf('MISSION-NEXT: carry on')?.body ?? {});
  expect(body).toContain(`Handoff: session ${crashed.slice(0, 8)} (crashed)`);
  expect(body).toContain('MISSION-CRASH: ship the beta release');
  expect(body).toContain('[in progress] Write beta.txt with the release notes');
  expect(body).toContain('[ ] Run the gamma checks');
  expect(body).not.toContain('[ ] Write alpha.txt');
  expect(body).toContain('alpha.txt');
  expect(body).toContain('Write the helper');
  expect(body).toMatch(/Last error.{0,40}Bash/);

  const before = api.requests.length;
  const resumed = await runClaude({
    cwd: repo,
    home,
    prompt: 'MISSION-NEXT: resumed',
    baseUrl: api.url,
    args: ['--resume', crashed],
  });
  expect(resumed.status).toBe(0);
  const resumedBody = JSON.stringify(
    api.requests.slice(before).find((r) => Array.isArray(r.body.tools))?.body ?? {},
  );
  expect(resumedBody).toContain(`Handoff: session ${crashed.slice(0, 8)}`);
  expect(resumedBody).toContain('Write beta.txt with the release notes');
  await api.close();
  await backgroundFlushesDone(repo);
}, 240_000);
