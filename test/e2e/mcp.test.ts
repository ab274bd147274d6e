/**
 * The agent asks its own history, end to end: the real Claude Code CLI (the devDependency), offline
 * against the scripted API, with our MCP server given by --mcp-config. An earlier session fails on a
 * missing file, creates it and runs the command again; a later session's scripted model calls
 * mcp__agent-track__search_history and mcp__agent-track__similar_errors, and the next request to the
 * API holds the tool results: the earlier session, its error, what followed and that it worked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeClaudeHome, runClaude } from '../lib/claude.js';
import { BIN, cleanupTmp, flushNow, git, makeRepo, track } from '../lib/cli.js';
import { type Block, startFakeAnthropic } from '../lib/fake-anthropic.js';

afterAll(cleanupTmp);

const tool = (name: string, input: Record<string, unknown>): Block => ({ type: 'tool_use', name, input });

/** The text of the tool results in a request's messages. */
function toolResults(body: any): string[] {
  const out: string[] = [];
  for (const m of body?.messages ?? [])
    if (Array.isArray(m.content))
      for (const b of m.content)
        if (b?.type === 'tool_result')
          out.push(
            typeof b.content === 'string'
              ? b.content
              : (b.content ?? []).map((c: any) => (typeof c?.text === 'string' ? c.text : '')).join('\n'),
          );
  return out;
}

describe('a later session asks the history through the MCP server', () => {
  let repo: string;
  let earlier: string;
  let later: Awaited<ReturnType<typeof runClaude>>;
  let requests: Array<{ path: string; body: any }>;

  beforeAll(async () => {
    repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'track agents']);
    const home = makeClaudeHome(path.join(path.dirname(repo), 'home'));
    const first = await startFakeAnthropic({
      'MISSION-CONFIG': [
        { at: 0, reply: [tool('Bash', { command: 'cat ./conf/app.yml', description: 'Read the config' })] },
        {
          at: 1,
          reply: [
            { type: 'text', text: 'The config is missing; I will create it.' },
            tool('Bash', {
              command: "mkdir -p conf && printf 'port: 8080\\n' > conf/app.yml",
              description: 'Create the config',
            }),
          ],
        },
        {
          at: 2,
          reply: [tool('Bash', { command: 'cat ./conf/app.yml', description: 'Read the config again' })],
        },
        { at: 3, delayMs: 400, reply: [{ type: 'text', text: 'Config created and read.' }] },
      ],
    });
    try {
      const r = await runClaude({
        cwd: repo,
        home,
        prompt: 'MISSION-CONFIG: load the app config',
        baseUrl: first.url,
      });
      expect(r.status).toBe(0);
      earlier = r.result.session_id;
    } finally {
      await first.close();
    }
    expect(flushNow(repo).status).toBe(0);

    const mcpConfig = path.join(path.dirname(repo), 'mcp.json');
    fs.writeFileSync(
      mcpConfig,
      JSON.stringify({
        mcpServers: { 'agent-track': { type: 'stdio', command: process.execPath, args: [BIN, 'mcp'] } },
      }),
    );
    const second = await startFakeAnthropic({
      'MISSION-RETRY': [
        { at: 0, reply: [tool('mcp__agent-track__search_history', { query: 'app config', limit: 3 })] },
        {
          at: 1,
          reply: [
            tool('mcp__agent-track__similar_errors', {
              message: 'cat: ./conf/db.yml: No such file or directory',
            }),
          ],
        },
        { at: 2, delayMs: 400, reply: [{ type: 'text', text: 'I know what to do.' }] },
      ],
    });
    try {
      later = await runClaude({
        cwd: repo,
        home,
        prompt: 'MISSION-RETRY: load the database config',
        baseUrl: second.url,
        args: ['--mcp-config', mcpConfig, '--strict-mcp-config'],
        allowedTools: ['mcp__agent-track__search_history', 'mcp__agent-track__similar_errors'],
      });
      requests = second.requests;
    } finally {
      await second.close();
    }
  }, 240_000);

  test('the session ran normally with our server connected', () => {
    expect(later.status).toBe(0);
    expect(later.result).toMatchObject({ is_error: false, result: 'I know what to do.' });
    const offered =
      requests.find((r) => Array.isArray(r.body?.tools) && r.body.tools.length)?.body.tools ?? [];
    expect(offered.map((t: any) => t.name)).toEqual(
      expect.arrayContaining(['mcp__agent-track__search_history', 'mcp__agent-track__similar_errors']),
    );
  });

  test('search_history: the next request holds hits naming the earlier session', () => {
    const after = requests.filter((r) => toolResults(r.body).length === 1).at(-1);
    const [result] = toolResults(after?.body);
    expect(result).toMatch(/^Source: the agent-tracking branch of this repository/);
    expect(result).toContain(`session ${earlier.slice(0, 8)}`);
    expect(result).toContain('MISSION-CONFIG');
  });

  test('similar_errors: the earlier error, what followed, and that it worked', () => {
    const after = requests.filter((r) => toolResults(r.body).length === 2).at(-1);
    const result = toolResults(after?.body)[1];
    expect(result).toContain(`session ${earlier.slice(0, 8)}`);
    expect(result).toContain('same pattern');
    expect(result).toContain('cat: ./conf/app.yml: No such file or directory');
    expect(result).toContain("next: Bash: mkdir -p conf && printf 'port: 8080\\n' > conf/app.yml (success)");
    expect(result).toContain('worked: yes');
  });
});
