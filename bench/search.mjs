// Search and the MCP server over 2,000 generated sessions (bench/generate.mjs, ~100 events each,
// with file changes): the index's build time and size, `agent-track search` cold (a new process,
// the index on disk) and after one more session, and through the MCP server (the SDK's client):
// start time, search_history and similar_errors cold (first call) and warm (median of the rest).
// Goals (issue 22): search and similar_errors under 100 ms warm, under 1 s cold.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sessionLines } from './generate.mjs';

export async function benchSearch({ work, bin, git, track, ms, median, log, quick }) {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const sessions = quick ? 500 : 2000;
  const repo = path.join(work, 'search');
  fs.mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'Bench');
  git(repo, 'config', 'user.email', 'bench@example.com');
  fs.writeFileSync(path.join(repo, 'README.md'), '# bench\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'first');
  track(repo, 'init', '--yes');
  const spoolDir = path.join(repo, '.git', 'agent-tracking', 'spool');
  const clock = { t: Date.parse('2026-10-01T08:00:00Z') };
  let events = 0;
  const spoolSession = (s) => {
    const lines = sessionLines({ repo, session: `bench-${s}`, s, perSession: 100, clock, fileChanges: true });
    fs.writeFileSync(path.join(spoolDir, `bench-${s}.jsonl`), `${lines.join('\n')}\n`);
    events += lines.length;
  };
  for (let s = 0; s < sessions; s++) {
    spoolSession(s);
    if ((s + 1) % 500 === 0) track(repo, 'flush');
  }
  track(repo, 'flush');
  const indexDir = path.join(repo, '.git', 'agent-tracking', 'search');
  const indexFile = path.join(indexDir, 'index.jsonl');
  const run = (...args) => {
    const t0 = process.hrtime.bigint();
    const out = execFileSync(process.execPath, [bin, ...args], {
      cwd: repo,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    return { ms: ms(t0), out };
  };
  // a full build from nothing (the first search after an upgrade), then cold searches on the saved index
  const builds = [];
  for (let i = 0; i < 3; i++) {
    fs.rmSync(indexDir, { recursive: true, force: true });
    builds.push(run('search', 'cannot open', '--json', '--limit', '5').ms);
  }
  const bytes = fs.statSync(indexFile).size;
  const nodeStart = median([0, 1, 2].map(() => run('--version').ms));
  const cold = [];
  for (let i = 0; i < 5; i++) cold.push(run('search', `case-${i * 7}`, '--json', '--limit', '5').ms);
  const hits = JSON.parse(run('search', 'cannot open', '--json').out).hits.length;
  // one more session: the flush brings the index to the tip, reading only that session
  spoolSession(sessions);
  const flushOne = run('flush', '--json').ms;

  // the MCP server, as Claude Code starts it
  const starts = [];
  const coldSearch = [];
  const coldSimilar = [];
  const warmSearch = [];
  const warmSimilar = [];
  for (let r = 0; r < 3; r++) {
    const client = new Client({ name: 'bench', version: '1' });
    const t0 = process.hrtime.bigint();
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], cwd: repo }),
    );
    starts.push(ms(t0));
    const call = async (name, args) => {
      const t = process.hrtime.bigint();
      const res = await client.callTool({ name, arguments: args });
      if (res.isError) throw new Error(`${name}: ${res.content[0]?.text}`);
      return ms(t);
    };
    if (r % 2 === 0) {
      coldSearch.push(await call('search_history', { query: 'npm test case-12', limit: 5 }));
      coldSimilar.push(await call('similar_errors', { message: 'Exit code 2: cannot open /src/other.ts' }));
    } else {
      coldSimilar.push(await call('similar_errors', { message: 'Exit code 2: cannot open /src/other.ts' }));
      coldSearch.push(await call('search_history', { query: 'npm test case-12', limit: 5 }));
    }
    for (let i = 0; i < 10; i++) {
      warmSearch.push(await call('search_history', { query: `case-${i * 3} PASS`, limit: 5 }));
      warmSimilar.push(
        await call('similar_errors', { message: `Exit code ${1 + (i % 3)}: cannot open /src/x${i}.ts` }),
      );
    }
    await client.close();
  }
  const round = (x) => Math.round(x);
  const res = {
    sessions: sessions + 1,
    events,
    indexBuildMs: round(median(builds)),
    indexBytes: bytes,
    nodeStartMs: round(nodeStart),
    searchColdMs: round(median(cold)),
    hits,
    flushOneSessionMs: round(flushOne),
    mcpStartMs: round(median(starts)),
    mcpSearchColdMs: round(median(coldSearch)),
    mcpSimilarColdMs: round(median(coldSimilar)),
    mcpSearchWarmMs: +median(warmSearch).toFixed(1),
    mcpSimilarWarmMs: +median(warmSimilar).toFixed(1),
  };
  log(
    `search over ${sessions} sessions (${events} events): index build ${res.indexBuildMs} ms (a new process, median of 3), ${(bytes / 1048576).toFixed(1)} MB; ` +
      `\`agent-track search\` cold ${res.searchColdMs} ms (node + CLI start alone ${res.nodeStartMs} ms); flush of one more session, index included: ${res.flushOneSessionMs} ms`,
  );
  log(
    `MCP server: start (spawn to initialized) ${res.mcpStartMs} ms; search_history cold ${res.mcpSearchColdMs} ms, warm ${res.mcpSearchWarmMs} ms; similar_errors cold ${res.mcpSimilarColdMs} ms, warm ${res.mcpSimilarWarmMs} ms (goal: < 100 ms warm, < 1 s cold)`,
  );
  fs.rmSync(repo, { recursive: true, force: true });
  return res;
}
