/**
 * `agent-track mcp` as the MCP SDK's own client sees it: the built binary spawned over stdio in a
 * repository with recorded sessions; initialize, tools/list, and each tool's answer (small, naming
 * its source, redacted). And init's `.mcp.json`: merged into a user's file byte for byte, taken out
 * exactly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countTokens } from '@anthropic-ai/tokenizer';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { isOurEntry, pluginMcpServers } from '../../src/mcp/register.js';
import { BIN, cleanupTmp, flushNow, makeRepo, recordSprint, SPRINT_SESSION, track } from '../lib/cli.js';

afterAll(cleanupTmp);

async function connect(cwd: string, env: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stderr: 'pipe',
    }),
  );
  return client;
}

const text = (r: any): string => r.content.map((c: any) => c.text).join('\n');

/** An earlier session whose Bash call failed on a missing file, then was fixed and run again. */
function recordFailureAndFix(repo: string, session: string, secret: string): void {
  const base = { session_id: session, cwd: repo, transcript_path: '/dev/null' };
  const pre = (id: string, command: string) => ({
    ...base,
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_use_id: id,
    tool_input: { command },
  });
  const ok = (id: string, command: string) => ({
    ...pre(id, command),
    hook_event_name: 'PostToolUse',
    tool_response: { stdout: '', stderr: '', interrupted: false },
  });
  for (const p of [
    { ...base, hook_event_name: 'SessionStart', source: 'startup' },
    { ...base, hook_event_name: 'UserPromptSubmit', prompt: `load the settings (api key ${secret})` },
    pre('tu-1', 'node load.js ./conf/app.yml'),
    {
      ...pre('tu-1', 'node load.js ./conf/app.yml'),
      hook_event_name: 'PostToolUseFailure',
      error: "Exit code 1\nError: ENOENT: no such file or directory, open './conf/app.yml'",
    },
    pre('tu-2', 'cp conf/app.example.yml conf/app.yml'),
    ok('tu-2', 'cp conf/app.example.yml conf/app.yml'),
    pre('tu-3', 'node load.js ./conf/app.yml'),
    ok('tu-3', 'node load.js ./conf/app.yml'),
    { ...base, hook_event_name: 'SessionEnd', reason: 'other' },
  ]) {
    const r = track(repo, ['hook'], JSON.stringify(p), { AGENT_TRACK_NO_FLUSH: '1' });
    expect(r.status).toBe(0);
  }
  expect(flushNow(repo).status).toBe(0);
}

describe('the MCP server, through the SDK client', () => {
  let repo: string;
  let client: Client;
  const secret = `sk-ant-api03-${'Qz7Wx5Ev3Rt1'.repeat(6)}AA`;

  beforeAll(async () => {
    repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    recordSprint(repo);
    recordFailureAndFix(repo, 'sess-earlier-fix', secret);
    client = await connect(repo, { CLAUDE_CODE_SESSION_ID: SPRINT_SESSION });
  }, 90_000);
  afterAll(() => client?.close());

  test('initialize: the server is agent-track, with tools', () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'agent-track' });
    expect(client.getServerCapabilities()?.tools).toBeDefined();
  });

  test('tools/list: the five tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'handoff',
      'search_history',
      'session_cost',
      'similar_errors',
      'why',
    ]);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.search_history.inputSchema.required).toEqual(['query']);
    expect(Object.keys(byName.search_history.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['query', 'limit']),
    );
    expect(byName.similar_errors.inputSchema.required).toEqual(['message']);
    expect(byName.why.inputSchema.required).toEqual(['file']);
    for (const t of tools) expect(t.description?.length).toBeGreaterThan(20);
  });

  test('search_history: hits naming the session and agent, and where they come from', async () => {
    const r = await client.callTool({
      name: 'search_history',
      arguments: { query: 'nonexistent-dir-xyz', limit: 3 },
    });
    const t = text(r);
    expect(t).toMatch(
      /^Source: the agent-tracking branch of this repository \(tip [0-9a-f]{7}, 2 sessions\)/,
    );
    expect(t).toContain(`session ${SPRINT_SESSION.slice(0, 8)}`);
    expect(t).toContain("cannot access '/nonexistent-dir-xyz'");
    expect(t.split('\n').filter((l) => /^\d+\. /.test(l)).length).toBeLessThanOrEqual(3);
    expect(countTokens(t)).toBeLessThan(400);
  });

  test('similar_errors: the earlier error of the same pattern, what was done next, and that it worked', async () => {
    const r = await client.callTool({
      name: 'similar_errors',
      arguments: { message: "Error: ENOENT: no such file or directory, open './conf/other.yml'" },
    });
    const t = text(r);
    expect(t).toContain('session sess-ear');
    expect(t).toContain('same pattern');
    expect(t).toContain('error in Bash: node load.js ./conf/app.yml');
    expect(t).toContain('next: Bash: cp conf/app.example.yml conf/app.yml (success)');
    expect(t).toContain('worked: yes');
    expect(countTokens(t)).toBeLessThan(400);
  });

  test('why: the sessions and changes that touched a file, the decision and the line', async () => {
    const t = text(await client.callTool({ name: 'why', arguments: { file: 'notes.md', line: 1 } }));
    expect(t).toContain('recorded change');
    expect(t).toContain(`session ${SPRINT_SESSION.slice(0, 8)}`);
    expect(t).toContain('session goal: MISSION-ALPHA');
    expect(t).toContain('covers line 1');
    const none = text(await client.callTool({ name: 'why', arguments: { file: 'nowhere.txt' } }));
    expect(none).toContain('No recorded change of nowhere.txt.');
  });

  test('handoff and session_cost: this session, from the one derivation', async () => {
    const h = text(await client.callTool({ name: 'handoff', arguments: { session: SPRINT_SESSION } }));
    expect(h).toContain(`Source: the handoff of session ${SPRINT_SESSION}`);
    expect(h).toContain('MISSION-ALPHA');
    const c = text(await client.callTool({ name: 'session_cost', arguments: {} }));
    const stats = JSON.parse(track(repo, ['stats', '--session', SPRINT_SESSION, '--json']).stdout);
    expect(c).toContain(`Source: session ${SPRINT_SESSION}`);
    expect(c).toContain('the session Claude Code named');
    // the sprint's cost as every surface gives it
    expect(c).toContain('$0.068763');
    expect(stats.costUsd ?? stats.totals?.costUsd).toBe(0.068763);
    expect(c).toMatch(/- main: /);
    expect(c).toMatch(/- general-purpose: /);
  });

  test('answers are redacted and errors are answers, not crashes', async () => {
    const t = text(
      await client.callTool({ name: 'search_history', arguments: { query: 'settings api key' } }),
    );
    expect(t).toContain('sess-ear');
    expect(t).not.toContain(secret.slice(14, 40));
    const bad = await client.callTool({ name: 'search_history', arguments: { query: 'x', session: 'zzzz' } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain("no session 'zzzz'");
  });
});

describe('the MCP server while the branch moves', () => {
  test('a session flushed after the server started is found by its next call', async () => {
    const repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    recordFailureAndFix(repo, 'sess-first', 'x');
    const c = await connect(repo);
    try {
      const before = text(await c.callTool({ name: 'search_history', arguments: { query: 'settings' } }));
      expect(before).toContain('1 session)');
      recordFailureAndFix(repo, 'sess-second', 'y');
      const after = text(
        await c.callTool({
          name: 'similar_errors',
          arguments: { message: "ENOENT: no such file or directory, open './conf/x.yml'" },
        }),
      );
      expect(after).toContain('2 sessions)');
      expect(after).toContain('session sess-sec');
      expect(after).toContain('session sess-fir');
    } finally {
      await c.close();
    }
  }, 60_000);
});

describe('the MCP server before anything is recorded', () => {
  test('answers with what to do, as a tool error', async () => {
    const repo = makeRepo();
    const c = await connect(repo);
    try {
      const r = await c.callTool({ name: 'search_history', arguments: { query: 'anything' } });
      expect(r.isError).toBe(true);
      expect(text(r)).toContain("this clone has no 'agent-tracking' branch");
      const cost = await c.callTool({ name: 'session_cost', arguments: {} });
      expect(cost.isError).toBe(true);
      expect(text(cost)).toContain('No session recorded in this repository yet.');
    } finally {
      await c.close();
    }
  });
});

describe("init registers the server in the project's .mcp.json", () => {
  test('a fresh file: our entry, and the CLAUDE.md snippet printed', () => {
    const repo = makeRepo();
    const r = track(repo, ['init', '--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('MCP server agent-track registered in .mcp.json');
    expect(r.stdout).toContain('similar_errors');
    const mcp = JSON.parse(fs.readFileSync(path.join(repo, '.mcp.json'), 'utf8'));
    expect(mcp.mcpServers['agent-track']).toEqual({ type: 'stdio', command: 'node', args: [BIN, 'mcp'] });
    const un = track(repo, ['init', '--uninstall', '--json']);
    expect(JSON.parse(un.stdout)).toMatchObject({ mcpRemoved: true });
    expect(fs.existsSync(path.join(repo, '.mcp.json'))).toBe(false);
  });

  test("a user's file: their entries byte for byte, ours added, and exactly ours taken out", () => {
    const repo = makeRepo();
    const theirs = `{
    // the team's servers
    "mcpServers": {
        "db":   { "command": "pg-mcp", "args": ["--ro"],   "env": {"PGHOST": "localhost"} },
        "docs": {"type":"http","url":"https://example.com/mcp"}
    },
    "other": [1,2,3]
}
`;
    fs.writeFileSync(path.join(repo, '.mcp.json'), theirs);
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    const after = fs.readFileSync(path.join(repo, '.mcp.json'), 'utf8');
    for (const line of theirs.split('\n').filter((l) => !l.includes('"docs"'))) expect(after).toContain(line);
    expect(after).toContain('"docs": {"type":"http","url":"https://example.com/mcp"}');
    expect(after).toContain('"agent-track"');
    // init again: nothing changes
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    expect(fs.readFileSync(path.join(repo, '.mcp.json'), 'utf8')).toBe(after);
    expect(track(repo, ['init', '--uninstall']).status).toBe(0);
    expect(fs.readFileSync(path.join(repo, '.mcp.json'), 'utf8')).toBe(theirs);
  });

  test('a server of our name that is not ours is kept', () => {
    const repo = makeRepo();
    const theirs = '{"mcpServers": {"agent-track": {"command": "my-own-thing"}}}\n';
    fs.writeFileSync(path.join(repo, '.mcp.json'), theirs);
    const r = track(repo, ['init', '--yes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('kept your own MCP server agent-track');
    expect(track(repo, ['init', '--uninstall']).status).toBe(0);
    expect(fs.readFileSync(path.join(repo, '.mcp.json'), 'utf8')).toBe(theirs);
  });
});

describe('what the plugin manifest takes', () => {
  test("pluginMcpServers: the same server through the plugin's folder, recognised as ours", () => {
    const servers = pluginMcpServers();
    expect(servers).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Claude Code expands it, not JavaScript
      'agent-track': { type: 'stdio', command: 'node', args: ['${CLAUDE_PLUGIN_ROOT}/dist/bin.cjs', 'mcp'] },
    });
    expect(isOurEntry(servers['agent-track'])).toBe(true);
    expect(isOurEntry({ command: 'node', args: ['/opt/other/server.js', 'mcp'] })).toBe(false);
  });
});
