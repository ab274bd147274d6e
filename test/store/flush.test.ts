import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  backgroundFlushesDone,
  branchEvents,
  cleanupTmp,
  FIXTURE,
  flushNow,
  git,
  makeRepo,
  SPRINT_SESSION,
  sprintPayloads,
  track,
  trackAsync,
} from '../lib/cli.js';

afterAll(cleanupTmp);

function replaySprint(repo: string): void {
  for (const p of sprintPayloads(repo)) {
    const r = track(repo, ['hook'], p);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
  }
}

const pair = (repo: string, session: string, n: number, agent?: string) => {
  const base = {
    session_id: session,
    cwd: repo,
    transcript_path: '/nowhere.jsonl',
    ...(agent ? { agent_id: agent, agent_type: 'general-purpose' } : {}),
  };
  const input = { command: `echo ${n}`, description: 'count' };
  return [
    JSON.stringify({
      ...base,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: input,
      tool_use_id: `toolu_${session}_${n}`,
    }),
    JSON.stringify({
      ...base,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: input,
      tool_response: { stdout: String(n), stderr: '' },
      tool_use_id: `toolu_${session}_${n}`,
      duration_ms: 5,
    }),
  ];
};

describe('flush of the recorded sprint', () => {
  let repo: string;
  let before: { head: string; status: string; index: Buffer };
  beforeAll(async () => {
    repo = makeRepo();
    // the session's transcripts, where its payloads say Claude Code wrote them
    fs.cpSync(
      path.join(FIXTURE, 'transcripts'),
      path.join(path.dirname(repo), 'home', '.claude', 'projects'),
      { recursive: true },
    );
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    before = {
      head: git(repo, ['rev-parse', 'HEAD']),
      status: git(repo, ['status', '--porcelain']),
      index: fs.readFileSync(path.join(repo, '.git', 'index')),
    };
    replaySprint(repo);
    // the hooks started background flushes (and snapshots): let them finish, then flush what is left
    await backgroundFlushesDone(repo);
    const r = flushNow(repo);
    expect(r.status).toBe(0);
  });

  test('every event of the session is on the branch once, in its session folder', () => {
    const events = branchEvents(repo);
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const count = (t: string) => events.filter((e) => e.type === t).length;
    expect(count('session_start')).toBe(1);
    expect(count('session_end')).toBe(1);
    expect(count('prompt')).toBe(1);
    expect(count('agent_start')).toBe(2);
    expect(count('agent_end')).toBe(2);
    expect(count('tool_start')).toBe(9);
    expect(count('tool_call')).toBe(9);
    expect(count('file_change')).toBe(3);
    // the two failures, each seen by a hook and again in the transcript, are one tool_call and one
    // error each (the same derived id on both paths); usage once per response
    expect(
      events
        .filter((e) => e.type === 'error')
        .map((e) => e.toolUseId)
        .sort(),
    ).toEqual(['toolu_mock_4_0', 'toolu_mock_9_0']);
    expect(events.filter((e) => e.type === 'tool_call' && e.success === false)).toHaveLength(2);
    expect(count('usage')).toBe(11);
    expect(count('decision')).toBe(2);
    const files = git(repo, ['ls-tree', '-r', '--name-only', 'agent-tracking']).split('\n');
    const dir = files.find((f) => f.endsWith(`${SPRINT_SESSION}/session.json`))!;
    expect(dir).toMatch(
      /^phases\/phase-1\/sessions\/\d{4}-\d{2}-\d{2}-4993952c-6254-4c99-806b-8e1b43b21afb\/session\.json$/,
    );
    expect(files).toContain('README.md');
    expect(files).toContain('phases/phase-1/phase.json');
  });

  test('tool calls are paired, subagent calls carry their agent, failures keep their error', () => {
    const calls = branchEvents(repo).filter((e) => e.type === 'tool_call');
    const ls = calls.find((c) => c.input?.command === 'ls /nonexistent-dir-xyz');
    expect(ls).toMatchObject({
      success: false,
      agent: 'ab28af39b9936c61b',
      agentType: 'general-purpose',
      durationMs: 86,
    });
    expect(ls.error).toContain('No such file or directory');
    const exit3 = calls.find((c) => c.input?.command === 'exit 3');
    expect(exit3).toMatchObject({ success: false, agent: 'main', error: 'Exit code 3' });
    const agentCall = calls.find((c) => c.toolUseId === 'toolu_mock_1_1');
    expect(agentCall).toMatchObject({ tool: 'Agent', launchedAgent: 'afd5b589bf7d463dc' });
  });

  test('file changes carry a unified diff and the blob ids git gives the contents', () => {
    const changes = branchEvents(repo).filter((e) => e.type === 'file_change');
    const edit = changes.find((c) => c.operation === 'edit');
    expect(edit.path).toBe('notes.md');
    expect(edit.diff).toBe('--- a/notes.md\n+++ b/notes.md\n@@ -1,1 +1,1 @@\n-alpha notes\n+beta notes\n');
    const hash = (s: string) => git(repo, ['hash-object', '--stdin'], { input: s }).trim();
    expect(edit.blobBefore).toBe(hash('alpha notes\n'));
    expect(edit.blobAfter).toBe(hash('beta notes\n'));
    const lib = changes.find((c) => c.path === 'lib.txt');
    expect(lib).toMatchObject({
      operation: 'create',
      blobBefore: null,
      blobAfter: hash('hello\n'),
      agent: 'afd5b589bf7d463dc',
    });
    expect(lib.diff).toBe('--- /dev/null\n+++ b/lib.txt\n@@ -0,0 +1,1 @@\n+hello\n');
  });

  test("the user's HEAD, index and work tree are untouched; the branch is an orphan and fsck is clean", () => {
    expect(git(repo, ['rev-parse', 'HEAD'])).toBe(before.head);
    expect(git(repo, ['status', '--porcelain'])).toBe(before.status);
    expect(fs.readFileSync(path.join(repo, '.git', 'index')).equals(before.index)).toBe(true);
    expect(git(repo, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/main');
    // no common ancestor: git merge-base exits 1
    expect(() => git(repo, ['merge-base', 'main', 'agent-tracking'])).toThrow();
    expect(git(repo, ['rev-list', '--max-parents=0', 'agent-tracking']).trim().split('\n')).toHaveLength(1);
  });

  test('git fsck --strict is clean and commits carry the user identity', () => {
    git(repo, ['fsck', '--strict', '--no-dangling']);
    expect(git(repo, ['log', '-1', '--format=%an <%ae>', 'agent-tracking']).trim()).toBe(
      'Test Dev <test.dev@example.com>',
    );
  });

  test("stats --json has exactly the documented shape, and equals Claude Code's own result", () => {
    const r = track(repo, ['stats', '--json']);
    expect(r.status).toBe(0);
    const result = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'result.json'), 'utf8'));
    const u = result.modelUsage['claude-sonnet-4-5'];
    const tokens = {
      input: u.inputTokens,
      output: u.outputTokens,
      cacheRead: u.cacheReadInputTokens,
      cacheWrite: u.cacheCreationInputTokens,
    };
    expect(JSON.parse(r.stdout)).toEqual({
      sessions: 1,
      agents: 2,
      toolCalls: 9,
      toolFailures: 2,
      toolRejected: 0,
      toolInterrupted: 0,
      toolDenied: 0,
      toolCascaded: 0,
      errors: 2,
      fileChanges: 3,
      tokens,
      costUsd: result.total_cost_usd,
      unpricedTokens: 0,
      unpricedModels: [],
      byModel: { 'claude-sonnet-4-5': { tokens, costUsd: 0.068763, unpricedTokens: 0, unpricedModels: [] } },
    });
  });

  test('stats --by day|week|month|session|agent|model|author: rows that add up to the totals', () => {
    for (const by of ['day', 'week', 'month', 'session', 'agent', 'model', 'author']) {
      const out = JSON.parse(track(repo, ['stats', '--by', by, '--json']).stdout);
      expect(out.by).toBe(by);
      const sum = out.rows.reduce((a: number, r: any) => a + Math.round(r.costUsd * 1e8), 0);
      expect(sum).toBe(6876300);
      expect(out.totals.costUsd).toBe(0.068763);
    }
    const agents = JSON.parse(track(repo, ['stats', '--by', 'agent', '--json']).stdout).rows;
    expect(agents.map((r: any) => r.key)).toEqual(['general-purpose', 'main']);
    expect(agents[1].tokens.input).toBe(5010); // the main transcript's five responses: 1000 + 1001 + ... + 1004 + 5
    const bad = track(repo, ['stats', '--by', 'year']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      "agent-track: --by takes day, week, month, session, agent, model, author, tool, not 'year'\n",
    );
    // ccusage's keys beside ours, so the two reports compare line by line
    const [session] = JSON.parse(track(repo, ['stats', '--by', 'session', '--json']).stdout).rows;
    expect(session).toMatchObject({
      period: SPRINT_SESSION,
      inputTokens: 11016,
      outputTokens: 1116,
      cacheReadTokens: 22000,
      cacheCreationTokens: 3300,
      totalTokens: 11016 + 1116 + 22000 + 3300,
      totalCost: 0.068763,
      modelsUsed: ['claude-sonnet-4-5'],
    });
    // --since / --until: the day of the session is in, the day after is out
    const day = session.started.slice(0, 10);
    const last = session.lastActivity.slice(0, 10);
    const next = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(JSON.parse(track(repo, ['stats', '--since', day, '--json']).stdout).costUsd).toBe(0.068763);
    expect(JSON.parse(track(repo, ['stats', '--since', next, '--json']).stdout)).toMatchObject({
      sessions: 0,
      costUsd: 0,
    });
    expect(
      JSON.parse(track(repo, ['sessions', '--until', day.replaceAll('-', ''), '--json']).stdout),
    ).toHaveLength(1);
    const badDay = track(repo, ['stats', '--since', 'yesterday']);
    expect(badDay.status).toBe(1);
    expect(badDay.stderr).toContain("--since takes a day such as 2026-01-31 or 20260131, not 'yesterday'");
  });

  test('sessions and show read the branch back', () => {
    const list = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      session: SPRINT_SESSION,
      agents: 2,
      toolCalls: 9,
      toolFailures: 2,
      errors: 2,
      endReason: 'other',
      branch: 'main',
      firstPrompt: 'MISSION-ALPHA: build the alpha feature',
    });
    const show = JSON.parse(track(repo, ['show', '4993952c', '--json']).stdout);
    const kids = show.tree.children;
    expect(kids.map((k: any) => k.description).sort()).toEqual(['Review the readme', 'Write the library']);
    const writer = kids.find((k: any) => k.description === 'Write the library');
    expect(writer).toMatchObject({
      agent: 'afd5b589bf7d463dc',
      parent: 'main',
      prompt: 'SUB-WRITER: create lib.txt with a greeting',
      outcome: 'Wrote lib.txt',
    });
    expect(
      writer.items.map((i: any) =>
        i.kind === 'tool' ? `${i.call.tool}:${i.call.success}` : `${i.kind}:${i.path}`,
      ),
    ).toEqual(['Write:true', 'file:lib.txt', 'Bash:true']);
    const text = track(repo, ['show', '4993952c']).stdout;
    expect(text).toContain('general-purpose afd5b589bf7d463dc — Write the library');
    expect(text).toMatch(/✗ Bash exit 3/);
  });

  test('a second flush with nothing new adds no commit', () => {
    const tip = git(repo, ['rev-parse', 'agent-tracking']);
    expect(JSON.parse(flushNow(repo).stdout)).toMatchObject({ events: 0, commits: 0 });
    expect(git(repo, ['rev-parse', 'agent-tracking'])).toBe(tip);
  });
});

describe('concurrency and crashes', () => {
  test('8 processes x 100 Pre/PostToolUse pairs with racing flushes: exactly 800 tool calls, fsck clean', async () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    fs.writeFileSync(path.join(repo, '.agent-tracking.yml'), 'flush:\n  everyEvents: 25\n');
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 100; i++) {
        for (const p of pair(repo, `sess-${w % 4}`, w * 1000 + i, w >= 4 ? `agent${w}` : undefined)) {
          const r = await trackAsync(repo, ['hook'], p);
          if (r.status !== 0 || r.stdout !== '')
            throw new Error(`hook failed: ${r.status} ${r.stdout}${r.stderr}`);
        }
      }
    });
    const flushers = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 5; i++) await trackAsync(repo, ['flush']);
    });
    await Promise.all([...writers, ...flushers]);
    expect(flushNow(repo).status).toBe(0);
    const calls = branchEvents(repo).filter((e) => e.type === 'tool_call');
    expect(calls).toHaveLength(800);
    expect(new Set(calls.map((c) => c.toolUseId)).size).toBe(800);
    git(repo, ['fsck', '--strict', '--no-dangling']);
    expect(JSON.parse(track(repo, ['stats', '--json']).stdout).toolCalls).toBe(800);
  }, 600_000);

  test('a flush killed between moving the branch and saving its state, run again: every event once', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    for (let i = 0; i < 30; i++)
      for (const p of pair(repo, 'crash', i)) track(repo, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' });
    const killed = track(repo, ['flush'], undefined, { AGENT_TRACK_FAULT: 'after-ref' });
    expect(killed.status).toBeNull(); // SIGKILL
    expect(branchEvents(repo).filter((e) => e.type === 'tool_call')).toHaveLength(30);
    for (let i = 30; i < 40; i++)
      for (const p of pair(repo, 'crash', i)) track(repo, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' });
    const again = JSON.parse(flushNow(repo).stdout);
    expect(again).toMatchObject({ events: 20, duplicates: 60 });
    const calls = branchEvents(repo).filter((e) => e.type === 'tool_call');
    expect(calls).toHaveLength(40);
    expect(new Set(calls.map((c) => c.id)).size).toBe(40);
    git(repo, ['fsck', '--strict', '--no-dangling']);
  });

  test('flushes SIGKILLed at random moments, then run again: every event exactly once', async () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    let n = 0;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 40; i++, n++)
        for (const p of pair(repo, `s${round % 2}`, n))
          track(repo, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' });
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [path.join(__dirname, '../../dist/bin.cjs'), 'flush'], {
        cwd: repo,
        stdio: 'ignore',
      });
      // listen before killing: a fast flush may have finished (and closed) already
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, 40 + round * 35));
      child.kill('SIGKILL');
      await closed;
    }
    expect(flushNow(repo).status).toBe(0);
    const calls = branchEvents(repo).filter((e) => e.type === 'tool_call');
    expect(calls).toHaveLength(n);
    expect(new Set(calls.map((c) => c.id)).size).toBe(n);
    git(repo, ['fsck', '--strict', '--no-dangling']);
  }, 300_000);
});
