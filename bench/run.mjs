// `npm run bench`: the figures the README quotes. Every ratio is measured side by side in one run,
// interleaved, because these machines are noisy.
//   1. hook cost per event (CPU and wall): the command exactly as `init` writes it, against
//      `sh -c 'cat >/dev/null'`, `node -e ''` and the Node hook
//   1b. hook latency p50/p95 with 1, 8 and 20 parallel writers, against as many parallel
//       `sh -c 'cat >/dev/null'` and `node -e ''`; every event on the branch after the session's end
//   1c. flush throughput of raw spooled payloads (`--only raw-flush`)
//   2. flush throughput (events per second)
//   3. flush in a repository whose history git gc packed into a pack of >= 300 MB, against a small one
//   4. bytes added to the repository per recorded event (loose objects, and after git gc)
//  13. redaction throughput on a 10 MB tool output, fast pass (hook) and full pass (store)
//  14. search: index build and size for 2,000 sessions, search and similar_errors cold and warm, MCP start
//  15. status line latency: the statusLine command init writes, on a recorded session, against `node -e ''`
//  16. blame of a 2,000-line file with 200 recorded sessions and 1,000 commits; index bytes per change
//  17. growth: fresh-clone size and time of the branch after 5, 20, 100 phases, before and after
//      archive --keep 2 with compaction; archive + compact time per phase (bench/compact.mjs)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sessionLines } from './generate.mjs';
import { startS3rver } from './s3rver.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'dist', 'bin.cjs');
const quick = process.argv.includes('--quick');
// --only hook,flush,packed (or --only=hook,flush) runs a subset; `transcripts` is import and stats
const onlyAt = process.argv.indexOf('--only');
const onlyArg =
  process.argv.find((a) => a.startsWith('--only='))?.slice(7) ??
  (onlyAt >= 0 ? process.argv[onlyAt + 1] : null);
const onlyList = onlyArg
  ? onlyArg.split(',').flatMap((n) => (n === 'transcripts' ? ['import', 'stats'] : [n]))
  : null;
const only = (name) => !onlyList || onlyList.includes(name);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-track-bench-'));
const results = {};

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
const track = (cwd, ...args) => execFileSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const log = (s) => process.stdout.write(`${s}\n`);

function makeRepo(name) {
  const repo = path.join(work, name);
  fs.mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'Bench');
  git(repo, 'config', 'user.email', 'bench@example.com');
  fs.writeFileSync(path.join(repo, 'README.md'), '# bench\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'first');
  // installed in the project, as a user installs it (linked to this build): init writes the committed
  // settings.json a user gets, whose hook command is the one measured
  fs.mkdirSync(path.join(repo, 'node_modules'));
  fs.symlinkSync(root, path.join(repo, 'node_modules', 'subagent-tracking'));
  track(repo, 'init', '--yes');
  return repo;
}

/** A realistic Pre/PostToolUse payload pair for tool call n. */
function payloads(repo, session, n) {
  const base = { session_id: session, transcript_path: '/dev/null', cwd: repo, permission_mode: 'default' };
  const input = { command: `npm test -- --grep case-${n}`, description: 'Run the tests' };
  return [
    {
      ...base,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: input,
      tool_use_id: `toolu_${n}`,
    },
    {
      ...base,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: input,
      tool_response: {
        stdout: `PASS src/case-${n}.test.ts\n  ✓ works (3 ms)\n\nTests: 1 passed, 1 total\n`.repeat(4),
        stderr: '',
        interrupted: false,
      },
      tool_use_id: `toolu_${n}`,
      duration_ms: 1200 + (n % 300),
    },
  ].map((p) => JSON.stringify(p));
}

/** Fills the spool with `count` events the way the hook writes them (one hook run, copied with fresh ids). */
function fillSpool(repo, session, count) {
  const spoolDir = path.join(repo, '.git', 'agent-tracking', 'spool');
  const env = { ...process.env, AGENT_TRACK_NO_FLUSH: '1' };
  for (const p of payloads(repo, session, 0))
    execFileSync(process.execPath, [bin, 'hook'], { cwd: repo, input: p, env });
  const file = path.join(spoolDir, `${session}.jsonl`);
  const template = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const lines = [];
  for (let i = 0; lines.length < count; i++) {
    for (const e of template)
      lines.push(
        JSON.stringify({
          ...e,
          id: randomUUID(),
          toolUseId: `toolu_${i}`,
          ts: new Date(Date.now() + i).toISOString(),
        }),
      );
  }
  fs.writeFileSync(file, `${lines.slice(0, count).join('\n')}\n`);
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

// ---- 1. hook cost per event: CPU and wall ---------------------------------------------------------
// The PreToolUse command exactly as init writes it (the small sh hook), against the floor of any
// hook (`sh -c 'cat >/dev/null'`: the shell Claude Code starts, reading the payload), a bare
// `node -e ''`, and the Node hook (what init wrote for every event before; SessionStart's now). Wall:
// one call at a time, interleaved. CPU: user + system time of a batch of calls run by one shell loop
// under /usr/bin/time (children's rusage; GNU time's 10 ms resolution spread over the batch), per call.
const FLOOR = "sh -c 'cat >/dev/null'";
function hookCommands(repo) {
  const settings = JSON.parse(fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8'));
  const of = (event) =>
    settings.hooks[event].flatMap((g) => g.hooks).find((h) => h.command.includes(' hook')).command;
  return { sh: of('PreToolUse'), node: of('SessionStart'), stop: of('Stop') };
}
const rawOf = (repo) => path.join(repo, '.git', 'agent-tracking', 'raw');
const clearRaw = (repo) => {
  for (const f of fs.readdirSync(rawOf(repo))) fs.rmSync(path.join(rawOf(repo), f), { force: true });
};
if (only('hook')) {
  const repo = makeRepo('latency');
  const { sh, node } = hookCommands(repo);
  const [pre] = payloads(repo, 'latency', 1);
  const payloadFile = path.join(work, 'latency-payload.json');
  fs.writeFileSync(payloadFile, pre);
  // no background flush: its cost is the flush's (measured below), and it would load this measure
  const env = { ...process.env, CLAUDE_PROJECT_DIR: repo, AGENT_TRACK_NO_FLUSH: '1' };
  const variants = [
    ['hook (sh, as installed)', sh],
    [FLOOR, FLOOR],
    ["node -e ''", "node -e ''"],
    ['node hook (previous)', node],
  ];
  const runs = quick ? 15 : 41;
  const wall = Object.fromEntries(variants.map(([k]) => [k, []]));
  const run = (cmd) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/bin/sh', ['-c', cmd], { cwd: repo, input: pre, env });
    if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}`);
    return ms(t0);
  };
  for (const [, cmd] of variants) run(cmd);
  for (let i = 0; i < runs; i++) for (const [k, cmd] of variants) wall[k].push(run(cmd));
  clearRaw(repo);
  const batch = quick ? 40 : 200;
  const cpu = {};
  for (const [k, cmd] of variants) {
    const n = k.startsWith('node') ? Math.max(10, batch / 5) : batch;
    const r = spawnSync(
      '/usr/bin/time',
      ['-f', '%U %S', '/bin/sh', '-c', `i=0;while [ $i -lt ${n} ];do /bin/sh -c "$C" <"$P";i=$((i+1));done`],
      { cwd: repo, env: { ...env, C: cmd, P: payloadFile }, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`${k}: ${r.stderr}`);
    const [u, sy] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
    cpu[k] = ((u + sy) * 1000) / n;
    clearRaw(repo);
  }
  const row = (k) => ({
    wallP50Ms: +percentile(wall[k], 50).toFixed(2),
    wallP95Ms: +percentile(wall[k], 95).toFixed(2),
    cpuMs: +cpu[k].toFixed(2),
  });
  results.hook = {
    command: sh,
    runs,
    cpuBatch: batch,
    ...Object.fromEntries(variants.map(([k]) => [k, row(k)])),
  };
  const h = results.hook[variants[0][0]];
  const f = results.hook[FLOOR];
  results.hook.wallRatioToFloor = +(h.wallP50Ms / f.wallP50Ms).toFixed(2);
  results.hook.wallRatioToNode = +(h.wallP50Ms / results.hook["node -e ''"].wallP50Ms).toFixed(2);
  for (const [k] of variants) {
    const x = results.hook[k];
    log(`hook cost, ${k}: wall p50 ${x.wallP50Ms} ms, p95 ${x.wallP95Ms} ms; CPU ${x.cpuMs} ms per call`);
  }
  log(
    `hook cost: the installed hook's wall p50 is ${results.hook.wallRatioToFloor}x the sh floor (goal <= 2) and ${results.hook.wallRatioToNode}x node -e ''; its CPU ${h.cpuMs} ms per event (goal <= 10) over ${runs} interleaved runs and batches of ${batch}`,
  );
}

// ---- 14. status line latency ----------------------------------------------------------------------
// The statusLine command exactly as init writes it, fed Claude Code's JSON for a session recorded and
// flushed (its summary in the flush state, a few unflushed spool lines), against `node -e ''`.
if (only('statusline')) {
  const repo = makeRepo('statusline');
  const settings = JSON.parse(fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8'));
  const command = settings.statusLine.command;
  const env = { ...process.env, CLAUDE_PROJECT_DIR: repo, AGENT_TRACK_NO_FLUSH: '1' };
  for (let n = 0; n < 40; n++)
    for (const p of payloads(repo, 'status', n))
      execFileSync(process.execPath, [bin, 'hook'], { cwd: repo, input: p, env });
  track(repo, 'flush');
  for (const p of payloads(repo, 'status', 41))
    execFileSync(process.execPath, [bin, 'hook'], { cwd: repo, input: p, env });
  const input = JSON.stringify({
    hook_event_name: 'Status',
    session_id: 'status',
    cwd: repo,
    model: { id: 'claude-sonnet-4-5', display_name: 'Sonnet 4.5' },
    workspace: { current_dir: repo, project_dir: repo },
    cost: { total_cost_usd: 0.01 },
  });
  const run = (cmd) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/bin/sh', ['-c', cmd], { cwd: repo, input, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}`);
    return { ms: ms(t0), out: r.stdout };
  };
  const line = run(command).out.trim();
  if (!line.startsWith('agent-track ')) throw new Error(`statusline printed '${line}'`);
  run("node -e ''");
  const runs = quick ? 9 : 25;
  const status = [];
  const base = [];
  for (let i = 0; i < runs; i++) {
    status.push(run(command).ms);
    base.push(run("node -e ''").ms);
  }
  results.statusline = {
    command,
    line,
    runs,
    statuslineMedianMs: +median(status).toFixed(1),
    nodeMedianMs: +median(base).toFixed(1),
    ratio: +(median(status) / median(base)).toFixed(2),
  };
  log(
    `status line latency: median ${results.statusline.statuslineMedianMs} ms vs node -e '' ${results.statusline.nodeMedianMs} ms over ${runs} interleaved runs: ratio ${results.statusline.ratio} (goal <= 1.3); it printed: ${line}`,
  );
}

// ---- 1b. hook latency under load: 1, 8 and 20 parallel writers ----------------------------------
// Each writer runs the hook command (exactly as init writes it, background flushes included) one
// call after the other; the baseline is the same number of parallel `node -e ''` loops. Hook and
// baseline rounds alternate, so both see the same machine.
if (only('hook-load')) {
  const repo = makeRepo('latency-load');
  const { sh: command, stop } = hookCommands(repo);
  const env = { ...process.env, CLAUDE_PROJECT_DIR: repo, AGENT_TRACK_NO_FLUSH: '' };
  const runAsync = (cmd, input) =>
    new Promise((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const child = spawn('/bin/sh', ['-c', cmd], { cwd: repo, env, stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(ms(t0)) : reject(new Error(`${cmd} exited ${code}`)),
      );
      child.stdin.end(input);
    });
  const perWriter = quick ? 4 : 12;
  const rounds = 2;
  let n = 0;
  results.hookLoad = [];
  for (const writers of [1, 8, 20]) {
    const times = { hook: [], floor: [], node: [] };
    const batch = async (cmd, into, withPayload) =>
      Promise.all(
        Array.from({ length: writers }, async () => {
          for (let i = 0; i < perWriter; i++) {
            // one session, as parallel subagents of one session write; a Pre/Post pair per tool call
            const k = n++;
            const input = withPayload ? payloads(repo, 'load', Math.floor(k / 2))[k % 2] : '';
            into.push(await runAsync(cmd, input));
          }
        }),
      );
    for (let r = 0; r < rounds; r++) {
      // the hook exactly as installed, background flushes included
      await batch(command, times.hook, true);
      await batch(FLOOR, times.floor, true);
      await batch("node -e ''", times.node, false);
    }
    const row = { writers, calls: times.hook.length };
    for (const k of ['hook', 'floor', 'node']) {
      row[`${k}P50Ms`] = +percentile(times[k], 50).toFixed(1);
      row[`${k}P95Ms`] = +percentile(times[k], 95).toFixed(1);
    }
    row.p50RatioToFloor = +(row.hookP50Ms / row.floorP50Ms).toFixed(2);
    row.p95RatioToFloor = +(row.hookP95Ms / row.floorP95Ms).toFixed(2);
    row.p50RatioToNode = +(row.hookP50Ms / row.nodeP50Ms).toFixed(2);
    row.p95RatioToNode = +(row.hookP95Ms / row.nodeP95Ms).toFixed(2);
    results.hookLoad.push(row);
    log(
      `hook latency, ${writers} parallel writer${writers === 1 ? '' : 's'} (${row.calls} calls): p50 ${row.hookP50Ms} ms, p95 ${row.hookP95Ms} ms; ${FLOOR} p50 ${row.floorP50Ms} ms, p95 ${row.floorP95Ms} ms; node -e '' p50 ${row.nodeP50Ms} ms, p95 ${row.nodeP95Ms} ms: ratio to the sh floor p50 ${row.p50RatioToFloor}, p95 ${row.p95RatioToFloor} (goal <= 2); to node p50 ${row.p50RatioToNode}, p95 ${row.p95RatioToNode}`,
    );
  }
  // the session's end: the Stop hook as installed starts the flush; every event on the branch by when?
  // one event per payload the hook saved (tool_start or tool_call; the baselines' payloads record nothing)
  const expected = results.hookLoad.reduce((a, r) => a + r.calls, 0);
  const t0 = process.hrtime.bigint();
  await runAsync(stop, JSON.stringify({ session_id: 'load', cwd: repo, hook_event_name: 'Stop' }));
  const stopMs = ms(t0);
  let onBranch = 0;
  for (let i = 0; i < 1200; i++) {
    onBranch = eventsOnBranch(repo, 'load');
    if (onBranch >= expected + 1) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  results.hookLoadEnd = {
    payloads: expected,
    onBranch,
    stopHookMs: +stopMs.toFixed(1),
    allOnBranchMs: +ms(t0).toFixed(0),
  };
  log(
    `after the load (${expected} payloads, 20 writers last): the Stop hook returned in ${results.hookLoadEnd.stopHookMs} ms; ${onBranch - 1} of ${expected} tool events and the stop on the branch ${results.hookLoadEnd.allOnBranchMs} ms after the session's end`,
  );
  // the background flushes the hooks started (their indexes after the lock): let them finish first
  for (let i = 0, quiet = 0; i < 600 && quiet < 30; i++) {
    quiet = fs.existsSync(path.join(repo, '.git', 'agent-tracking', 'flush.lock')) ? 0 : quiet + 1;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Events of a session on the branch (the git CLI, independently of our reader). */
function eventsOnBranch(repo, session) {
  let files;
  try {
    files = git(repo, 'ls-tree', '-r', '--name-only', 'agent-tracking')
      .split('\n')
      .filter((f) => f.includes(`-${session}/events/`));
  } catch {
    return 0;
  }
  if (!files.length) return 0;
  const out = execFileSync('git', ['cat-file', '--batch'], {
    cwd: repo,
    input: files.map((f) => `agent-tracking:${f}`).join('\n'),
    maxBuffer: 1 << 30,
  }).toString('utf8');
  return out.split('\n').filter((l) => l.startsWith('{"id":')).length;
}

// ---- 1c. flush throughput of raw spooled payloads ---------------------------------------------------
// Payloads saved by the installed sh hook (20 parallel writers, no flush while they write), then one
// `agent-track flush`: payloads converted, redacted (full pass) and committed per second.
if (only('raw-flush')) {
  const repo = makeRepo('raw-flush');
  const { sh: command } = hookCommands(repo);
  const env = { ...process.env, CLAUDE_PROJECT_DIR: repo, AGENT_TRACK_NO_FLUSH: '1' };
  const total = quick ? 400 : 2000;
  let k = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (k < total) {
        const i = k++;
        const input = payloads(repo, 'rawflush', Math.floor(i / 2))[i % 2];
        await new Promise((resolve, reject) => {
          const child = spawn('/bin/sh', ['-c', command], {
            cwd: repo,
            env,
            stdio: ['pipe', 'ignore', 'ignore'],
          });
          child.on('error', reject);
          child.on('close', resolve);
          child.stdin.end(input);
        });
      }
    }),
  );
  const saved = fs.readdirSync(rawOf(repo)).length;
  const t0 = process.hrtime.bigint();
  const r = JSON.parse(track(repo, 'flush', '--json'));
  const flushMs = ms(t0);
  const left = fs.readdirSync(rawOf(repo)).length;
  results.rawFlush = {
    payloads: saved,
    events: r.events,
    flushMs: +flushMs.toFixed(0),
    payloadsPerSecond: Math.round(saved / (flushMs / 1000)),
    left,
    onBranch: eventsOnBranch(repo, 'rawflush'),
  };
  log(
    `flush of raw payloads: ${saved} payloads from 20 parallel writers -> ${r.events} events in ${results.rawFlush.flushMs} ms (${results.rawFlush.payloadsPerSecond} payloads/s, the whole flush process included); ${results.rawFlush.onBranch} on the branch, ${left} left in the raw spool`,
  );
}

// ---- 2 + 4. flush throughput and bytes per event -----------------------------------------------
const objectsBytes = (repo) => {
  let total = 0;
  const walk = (d) => {
    for (const f of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, f.name);
      if (f.isDirectory()) walk(p);
      else total += fs.statSync(p).size;
    }
  };
  walk(path.join(repo, '.git', 'objects'));
  return total;
};
if (only('flush')) {
  const repo = makeRepo('throughput');
  const count = quick ? 2000 : 10000;
  fillSpool(repo, 'throughput', count);
  const before = objectsBytes(repo);
  const t0 = process.hrtime.bigint();
  const out = JSON.parse(track(repo, 'flush', '--json'));
  const elapsed = ms(t0);
  if (out.events !== count) throw new Error(`flushed ${out.events} of ${count}`);
  results.flush = {
    events: count,
    ms: Math.round(elapsed),
    eventsPerSecond: Math.round(count / (elapsed / 1000)),
  };
  log(
    `flush: ${count} events in one flush, ${results.flush.ms} ms (process start included): ${results.flush.eventsPerSecond} events/s`,
  );

  // bytes per event the way they really arrive: many small flushes of 20 events each
  const repo2 = makeRepo('bytes');
  const flushes = quick ? 20 : 50;
  const start = objectsBytes(repo2);
  for (let f = 0; f < flushes; f++) {
    fillSpool(repo2, `bytes-${f}`, 20);
    track(repo2, 'flush');
  }
  const loose = objectsBytes(repo2) - start;
  git(repo2, 'gc', '-q', '--prune=now');
  const packed = objectsBytes(repo2);
  const events = flushes * 20;
  results.bytes = {
    events,
    flushes,
    loosePerEvent: Math.round(loose / events),
    packedPerEventIncludingRepo: Math.round(packed / events),
    oneFlushLoosePerEvent: Math.round((objectsBytes(repo) - before) / count),
  };
  log(
    `bytes per event: ${results.bytes.loosePerEvent} B loose (${flushes} flushes of 20 events), ${results.bytes.packedPerEventIncludingRepo} B after git gc (whole repository), ${results.bytes.oneFlushLoosePerEvent} B in one big flush`,
  );
}

// ---- 3. flush in a repository packed into a >= 300 MB pack ---------------------------------------
if (only('packed')) {
  const big = makeRepo('bigpack');
  const small = makeRepo('smallpack');
  const targetMb = quick ? 60 : 310;
  // incompressible history: random files over several commits, so the pack really is that large
  const perCommit = 20;
  for (let c = 0; c * perCommit < targetMb; c++) {
    for (let i = 0; i < perCommit; i++)
      fs.writeFileSync(path.join(big, `data-${c}-${i}.bin`), randomBytes(1 << 20));
    git(big, 'add', '-A');
    git(big, 'commit', '-q', '-m', `data ${c}`);
  }
  for (const repo of [big, small]) {
    fillSpool(repo, 'warm', 50);
    track(repo, 'flush');
    git(repo, 'gc', '-q', '--prune=now'); // the branch's objects now sit in the big pack
  }
  const packs = fs.readdirSync(path.join(big, '.git', 'objects', 'pack')).filter((f) => f.endsWith('.pack'));
  const packMb =
    Math.max(...packs.map((f) => fs.statSync(path.join(big, '.git', 'objects', 'pack', f)).size)) / 2 ** 20;
  const rounds = quick ? 3 : 7;
  const t = { big: [], small: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, repo] of [
      ['big', big],
      ['small', small],
    ]) {
      fillSpool(repo, `r${r}`, 40);
      const t0 = process.hrtime.bigint();
      track(repo, 'flush');
      t[name].push(ms(t0));
    }
  }
  results.packed = {
    packMb: Math.round(packMb),
    rounds,
    bigMedianMs: Math.round(median(t.big)),
    smallMedianMs: Math.round(median(t.small)),
    ratio: +(median(t.big) / median(t.small)).toFixed(2),
  };
  log(
    `flush after git gc: ${results.packed.bigMedianMs} ms with a ${results.packed.packMb} MB pack vs ${results.packed.smallMedianMs} ms in a small repository (median of ${rounds}, interleaved): ratio ${results.packed.ratio} (goal <= 2)`,
  );

  // and after a crash lost the cache: the slow path that must read the pack
  fs.rmSync(path.join(big, '.git', 'agent-tracking', 'cache'), { recursive: true, force: true });
  fillSpool(big, 'nocache', 40);
  const t0 = process.hrtime.bigint();
  track(big, 'flush');
  results.packed.noCacheMs = Math.round(ms(t0));
  log(
    `flush with the cache deleted (reads the ${results.packed.packMb} MB pack): ${results.packed.noCacheMs} ms`,
  );
}

fs.mkdirSync(path.join(root, '.bench'), { recursive: true });
// ---- 5. transcripts: import and stats against ccusage on generated corpora ------------------------
// ccusage 20.0.24 as its users run it: `session --json --offline`, CLAUDE_CONFIG_DIR at the corpus,
// HOME an empty folder (no other transcripts found). Peak memory of each process from /usr/bin/time.
const ccusageBin = path.join(root, 'node_modules', '.bin', 'ccusage');
const ccHome = path.join(work, 'empty-home');
fs.mkdirSync(ccHome, { recursive: true });
const peakOf = (stderr) => Number(stderr.trim().split('\n').pop()) / 1024;
/** One timed run of a command under /usr/bin/time: wall ms, peak MB, stdout. */
function timedRun(cmd, args, opts) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    ...opts,
  });
  const wall = ms(t0);
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms: wall, peakMb: peakOf(r.stderr), stdout: r.stdout };
}
/** `agent-track` with a large output (a row per session). */
const trackBig = (cwd, ...args) =>
  execFileSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
const runCcusage = (corpusRoot) =>
  timedRun(ccusageBin, ['session', '--json', '--offline'], {
    env: { ...process.env, CLAUDE_CONFIG_DIR: path.join(corpusRoot, '.claude'), HOME: ccHome },
  });
const runImport = (repo, corpusRoot) =>
  timedRun(process.execPath, [bin, 'import', path.join(corpusRoot, '.claude', 'projects'), '--json'], {
    cwd: repo,
  });
/** Our totals against ccusage's: total and per model, to the micro-dollar. */
function compareTotals(cc, ours) {
  const ccModels = {};
  for (const s of cc.session)
    for (const b of s.modelBreakdowns) ccModels[b.modelName] = (ccModels[b.modelName] ?? 0) + b.cost;
  const differ = Object.keys(ccModels)
    .sort()
    .filter((m) => Math.abs(ccModels[m] - (ours.byModel[m]?.costUsd ?? Number.NaN)) >= 0.0000005);
  const equal = Math.abs(cc.totals.totalCost - ours.costUsd) < 0.0000005 && differ.length === 0;
  return `ours ${ours.costUsd} USD, ccusage ${cc.totals.totalCost} USD: ${equal ? 'equal to the micro-dollar' : `DIFFER (${differ.join(', ')})`}`;
}

if (only('import')) {
  // two corpora, one 4x the other: throughput, and whether peak memory grows with the corpus
  const { writeCorpus } = await import('./corpus.mjs');
  results.import = [];
  for (const sessions of quick ? [100, 400] : [500, 2000]) {
    const corpusRoot = path.join(work, `corpus-${sessions}`);
    const { bytes } = writeCorpus(corpusRoot, { sessions });
    const mb = bytes / 2 ** 20;
    const repo = makeRepo(`imported-${sessions}`);
    // side by side: ccusage, our import, ccusage again (its median of two)
    const cc1 = runCcusage(corpusRoot);
    const imp = runImport(repo, corpusRoot);
    const cc2 = runCcusage(corpusRoot);
    const summary = JSON.parse(imp.stdout);
    const cc = JSON.parse(cc2.stdout);
    const ours = JSON.parse(trackBig(repo, 'stats', '--json'));
    const ccMs = (cc1.ms + cc2.ms) / 2;
    const row = {
      sessions,
      corpusMb: +mb.toFixed(1),
      events: summary.events,
      importMs: Math.round(imp.ms),
      importMbPerSecond: +(mb / (imp.ms / 1000)).toFixed(1),
      importPeakMb: Math.round(imp.peakMb),
      ccusageMs: Math.round(ccMs),
      ccusageMbPerSecond: +(mb / (ccMs / 1000)).toFixed(1),
      ccusagePeakMb: Math.round(Math.max(cc1.peakMb, cc2.peakMb)),
      totals: compareTotals(cc, ours),
    };
    results.import.push(row);
    log(
      `import of ${sessions} sessions (${row.corpusMb} MB, ${row.events} events): ours ${row.importMs} ms, ${row.importMbPerSecond} MB/s, peak ${row.importPeakMb} MB; ccusage session ${row.ccusageMs} ms, ${row.ccusageMbPerSecond} MB/s, peak ${row.ccusagePeakMb} MB (goal >= 50 MB/s, <= 300 MB whatever the size)`,
    );
    log(`  totals: ${row.totals}`);
    fs.rmSync(corpusRoot, { recursive: true, force: true });
    fs.rmSync(repo, { recursive: true, force: true });
  }
}

if (only('stats')) {
  // a store of ~1M events (long sessions, one usage event a response), imported from transcripts that
  // ccusage then reads for the same report
  const { writeCorpus } = await import('./corpus.mjs');
  const sessions = quick ? 100 : 980;
  const corpusRoot = path.join(work, 'corpus-stats');
  const { bytes } = writeCorpus(corpusRoot, { sessions, lean: true, seed: 7 });
  const repo = makeRepo('stats');
  const imp = runImport(repo, corpusRoot);
  const events = JSON.parse(imp.stdout).events;
  const tCc = [];
  const tTotals = [];
  const tBySession = [];
  let cc;
  let ours;
  let bySession;
  for (let r = 0; r < (quick ? 3 : 5); r++) {
    let t = process.hrtime.bigint();
    cc = JSON.parse(
      execFileSync(ccusageBin, ['session', '--json', '--offline'], {
        env: { ...process.env, CLAUDE_CONFIG_DIR: path.join(corpusRoot, '.claude'), HOME: ccHome },
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      }),
    );
    tCc.push(ms(t));
    t = process.hrtime.bigint();
    ours = JSON.parse(trackBig(repo, 'stats', '--json'));
    tTotals.push(ms(t));
    t = process.hrtime.bigint();
    bySession = JSON.parse(trackBig(repo, 'stats', '--by', 'session', '--json'));
    tBySession.push(ms(t));
  }
  const x = {
    events,
    sessions,
    corpusMb: +(bytes / 2 ** 20).toFixed(1),
    ccusageMedianMs: Math.round(median(tCc)),
    statsMedianMs: Math.round(median(tTotals)),
    statsBySessionMedianMs: Math.round(median(tBySession)),
    ratio: +(median(tTotals) / median(tCc)).toFixed(2),
    ratioBySession: +(median(tBySession) / median(tCc)).toFixed(2),
    totals: compareTotals(cc, ours),
    sessionsMatch: cc.session.length === bySession.rows.length,
  };
  results.stats = x;
  log(`store of ${x.events} events (${sessions} sessions, imported from ${x.corpusMb} MB of transcripts):`);
  log(
    `  stats --json ${x.statsMedianMs} ms, stats --by session --json ${x.statsBySessionMedianMs} ms vs ccusage session --json --offline ${x.ccusageMedianMs} ms (median of ${tCc.length}, interleaved): ratios ${x.ratio} and ${x.ratioBySession} (goal <= 1)`,
  );
  log(`  totals: ${x.totals}; ${bySession.rows.length} sessions vs ${cc.session.length}`);
  fs.rmSync(corpusRoot, { recursive: true, force: true });
}

// ---- 6. recovery: SessionStart with nothing to inject, and with a handoff to inject -----------------
if (only('inject')) {
  const repo = makeRepo('inject');
  const env = { ...process.env, CLAUDE_PROJECT_DIR: repo, AGENT_TRACK_NO_FLUSH: '1' };
  const hookRun = (payload) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, 'hook'], {
      cwd: repo,
      input: JSON.stringify(payload),
      env,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`hook exited ${r.status}`);
    return { ms: ms(t0), out: r.stdout };
  };
  const start = (session, source) => ({
    session_id: session,
    transcript_path: '/dev/null',
    cwd: repo,
    hook_event_name: 'SessionStart',
    source,
  });
  // a session with some work, then compacted: its SessionStart(compact) gets the handoff
  hookRun(start('inject-a', 'startup'));
  hookRun({
    session_id: 'inject-a',
    cwd: repo,
    hook_event_name: 'UserPromptSubmit',
    prompt: 'Build the thing',
  });
  for (const p of payloads(repo, 'inject-a', 1)) hookRun(JSON.parse(p));
  track(repo, 'flush');
  const none = [];
  const inject = [];
  const node = [];
  for (let i = 0; i < (quick ? 5 : 11); i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', ''], { cwd: repo });
    node.push(ms(t0));
    none.push(hookRun(start(`inject-new-${i}`, 'startup')).ms);
    const r = hookRun(start('inject-a', 'compact'));
    if (!r.out.includes('additionalContext')) throw new Error('no handoff injected');
    inject.push(r.ms);
  }
  results.inject = {
    runs: none.length,
    nodeMedianMs: +median(node).toFixed(1),
    nothingToInjectMedianMs: +median(none).toFixed(1),
    nothingToInjectRatio: +(median(none) / median(node)).toFixed(2),
    injectMedianMs: +median(inject).toFixed(1),
  };
  log(
    `SessionStart hook: ${results.inject.nothingToInjectMedianMs} ms with nothing to inject (node -e '' ${results.inject.nodeMedianMs} ms: ratio ${results.inject.nothingToInjectRatio}, goal <= 1.3), ${results.inject.injectMedianMs} ms when it injects a handoff (goal < 1000 ms); median of ${none.length}, interleaved`,
  );
}

// ---- 7. handoff size against re-reading long sessions ------------------------------------------------
if (only('handoff')) {
  const { writeLongSession } = await import('./long-session.mjs');
  const { countTokens } = await import('@anthropic-ai/tokenizer');
  results.handoff = [];
  for (const target of quick ? [50_000] : [50_000, 150_000, 500_000]) {
    const corpus = path.join(work, `long-${target}`);
    const { dir, session, tokens, facts } = writeLongSession(corpus, { targetTokens: target });
    const repo = makeRepo(`handoff-${target}`);
    track(repo, 'import', dir);
    const times = [];
    let h;
    for (let r = 0; r < 3; r++) {
      const t0 = process.hrtime.bigint();
      h = JSON.parse(track(repo, 'resume', '--session', session, '--json'));
      times.push(ms(t0));
    }
    const md = h.markdown;
    const checklist = [
      ['goal', md.includes(facts.goal)],
      ...facts.openTodos.map((t) => [`open todo: ${t}`, md.includes(t)]),
      ...facts.files.map((f) => [`modified file: ${f}`, md.includes(f)]),
      [
        'last error',
        Boolean(facts.lastError) && md.includes(facts.lastError.command) && /## Last error/.test(md),
      ],
      ...facts.subagents.map((a) => [`subagent outcome: ${a.task}`, md.includes(a.outcome)]),
    ];
    const kept = checklist.filter(([, ok]) => ok).length;
    const row = {
      targetTokens: target,
      transcriptTokens: tokens,
      handoffTokens: h.tokens,
      recounted: countTokens(md),
      ratio: +(tokens / h.tokens).toFixed(1),
      checklist: `${kept}/${checklist.length}`,
      missing: checklist.filter(([, ok]) => !ok).map(([name]) => name),
      resumeMedianMs: Math.round(median(times)),
    };
    results.handoff.push(row);
    log(
      `handoff of a ${tokens}-token session: ${row.handoffTokens} tokens (${row.ratio}x smaller; goal >= 20x at 150k), checklist ${row.checklist}${row.missing.length ? ` (missing: ${row.missing.join('; ')})` : ''}, agent-track resume ${row.resumeMedianMs} ms (median of 3, process start included)`,
    );
  }
}

// ---- 7b. continue: the conversation of a long session laid back out of the branch ----------------------
if (only('continue')) {
  const { writeLongSession } = await import('./long-session.mjs');
  results.continue = [];
  for (const target of [100_000]) {
    const corpus = path.join(work, `continue-corpus-${target}`);
    const { dir, session, tokens } = writeLongSession(corpus, { targetTokens: target });
    const repo = makeRepo(`continue-${target}`);
    track(repo, 'import', dir);
    const home = path.join(work, `continue-home-${target}`);
    const times = [];
    let r;
    for (let k = 0; k < 3; k++) {
      fs.rmSync(home, { recursive: true, force: true });
      const t0 = process.hrtime.bigint();
      r = JSON.parse(
        execFileSync(process.execPath, [bin, 'continue', session, '--no-launch', '--json'], {
          cwd: repo,
          encoding: 'utf8',
          env: { ...process.env, HOME: home, CLAUDE_CONFIG_DIR: '' },
        }),
      );
      times.push(ms(t0));
    }
    const bytes = r.files.reduce((a, f) => a + f.bytes, 0);
    const row = {
      transcriptTokens: tokens,
      bytes,
      files: r.files.length,
      continueMedianMs: Math.round(median(times)),
    };
    results.continue.push(row);
    log(
      `continue of a ${tokens}-token session (${bytes} bytes in ${r.files.length} files): ${row.continueMedianMs} ms (median of 3, process start included)`,
    );
  }
}

// ---- 8. a snapshot in a repository of 50,000 files: git CLI against isomorphic-git's status -------------
if (only('snapshot')) {
  const repo = makeRepo('big-tree');
  const files = quick ? 5_000 : 50_000;
  for (let i = 0; i < files; i++) {
    const d = path.join(repo, 'src', `d${i % 200}`);
    if (i < 200) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'many files');
  for (let i = 0; i < 20; i++) fs.appendFileSync(path.join(repo, 'src', `d${i}`, `f${i}.ts`), '// changed\n');
  fs.writeFileSync(path.join(repo, 'NEW.md'), 'new\n');
  let t0 = process.hrtime.bigint();
  git(repo, 'status', '--porcelain=v1', '-z', '--untracked-files=all');
  const gitMs = ms(t0);
  // isomorphic-git's statusMatrix, in a child process with a time limit
  const script = `import('isomorphic-git').then(async ({ default: g }) => { const fs = await import('node:fs'); await g.statusMatrix({ fs, dir: ${JSON.stringify(repo)} }); })`;
  t0 = process.hrtime.bigint();
  const iso = spawnSync(process.execPath, ['-e', script], { cwd: root, timeout: 300_000 });
  const isoMs = ms(t0);
  const isoDone = iso.status === 0;
  for (const p of payloads(repo, 'big', 1))
    execFileSync(process.execPath, [bin, 'hook'], {
      cwd: repo,
      input: p,
      env: { ...process.env, AGENT_TRACK_NO_FLUSH: '1' },
    });
  track(repo, 'flush');
  t0 = process.hrtime.bigint();
  const snap = JSON.parse(track(repo, 'checkpoint', '--session', 'big', '--json'));
  const checkpointMs = ms(t0);
  results.snapshot = {
    files,
    changed: snap.files,
    gitStatusMs: Math.round(gitMs),
    isomorphicGitStatusMs: isoDone ? Math.round(isoMs) : null,
    isomorphicGitTimedOut: !isoDone,
    checkpointMs: Math.round(checkpointMs),
  };
  log(
    `status of ${files} files: git CLI ${results.snapshot.gitStatusMs} ms vs isomorphic-git statusMatrix ${isoDone ? `${results.snapshot.isomorphicGitStatusMs} ms` : `> ${Math.round(isoMs)} ms (stopped)`}; agent-track checkpoint there (${snap.files} changed files): ${results.snapshot.checkpointMs} ms`,
  );
}

/** Writes `total` generated events (sessions of 500: tool calls, failures, usage, a subagent) into the repository's branch. */
function generateStore(repo, total) {
  const spoolDir = path.join(repo, '.git', 'agent-tracking', 'spool');
  fs.mkdirSync(spoolDir, { recursive: true });
  const perSession = 500;
  const clock = { t: Date.parse('2026-10-01T08:00:00Z') };
  let written = 0;
  let s = 0;
  while (written < total) {
    // sessions of 500 events, flushed 100,000 events at a time (one commit each)
    const batchEnd = Math.min(total, written + 100_000);
    while (written < batchEnd) {
      const session = `rev-${total}-${s++}`;
      const lines = sessionLines({ repo, session, s, perSession, clock });
      fs.writeFileSync(path.join(spoolDir, `${session}.jsonl`), `${lines.join('\n')}\n`);
      written += lines.length;
    }
    track(repo, 'flush');
  }
  return written;
}

// ---- 9. phase review over generated stores of 10k, 100k and 1M events ------------------------------
if (only('review')) {
  results.review = [];
  for (const total of quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000]) {
    const repo = makeRepo(`review-${total}`);
    const written = generateStore(repo, total);
    const runs = [];
    let peakMb = 0;
    let review;
    for (let r = 0; r < (total >= 1_000_000 ? 2 : 3); r++) {
      const t0 = process.hrtime.bigint();
      const out = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, 'review', '--json'], {
        cwd: repo,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      runs.push(ms(t0));
      if (out.status !== 0) throw new Error(`review failed: ${out.stderr}`);
      peakMb = Math.max(peakMb, Number(out.stderr.trim().split('\n').pop()) / 1024);
      review = JSON.parse(out.stdout);
    }
    const row = {
      events: written,
      sessions: review.sessions,
      reviewMs: Math.round(median(runs)),
      peakMb: Math.round(peakMb),
      firstRunMs: Math.round(runs[0]),
    };
    results.review.push(row);
    log(
      `review --json over ${written} events (${review.sessions} sessions): ${row.reviewMs} ms (first run, exporting the branch: ${row.firstRunMs} ms), peak memory ${row.peakMb} MB (goal at 1M: < 30 s, < 1 GB)`,
    );
    fs.rmSync(repo, { recursive: true, force: true });
  }
}

// ---- 10. the GitHub Action on a phase of 100k events: install (DuckDB), review, commit-back ---------
// As the runner does it: a fresh checkout, a copy of the Action without node_modules, an empty tool
// cache (DuckDB comes from npm; npm's own download cache on this machine is warm), `node dist/action.js`
// with INPUT_* variables, pushing the review to a bare repository standing in for GitHub.
if (only('action')) {
  const total = 100_000;
  const dev = makeRepo('action-dev');
  const events = generateStore(dev, total);
  const bare = path.join(work, 'action-remote.git');
  git(work, 'init', '-q', '--bare', '-b', 'main', bare);
  git(dev, 'remote', 'add', 'origin', bare);
  git(dev, 'push', '-q', 'origin', 'main');
  track(dev, 'phase', 'end', '--no-review');
  track(dev, 'push');
  const before = git(bare, 'rev-parse', 'agent-tracking').trim();
  const runs = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    git(bare, 'update-ref', 'refs/heads/agent-tracking', before);
    const runner = fs.mkdtempSync(path.join(work, 'runner-'));
    const ws = path.join(runner, 'ws');
    git(runner, 'clone', '-q', '--branch', 'main', bare, ws);
    const actionDir = path.join(runner, 'action');
    fs.mkdirSync(path.join(actionDir, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(root, 'action.yml'), path.join(actionDir, 'action.yml'));
    fs.copyFileSync(path.join(root, 'dist', 'action.js'), path.join(actionDir, 'dist', 'action.js'));
    for (const f of ['event.json', 'summary.md', 'output.txt']) fs.writeFileSync(path.join(runner, f), '{}');
    const t0 = process.hrtime.bigint();
    const out = spawnSync(process.execPath, [path.join(actionDir, 'dist', 'action.js')], {
      cwd: ws,
      encoding: 'utf8',
      env: {
        ...process.env,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: ws,
        GITHUB_EVENT_NAME: 'schedule',
        GITHUB_EVENT_PATH: path.join(runner, 'event.json'),
        GITHUB_REPOSITORY: 'acme/proj',
        GITHUB_STEP_SUMMARY: path.join(runner, 'summary.md'),
        GITHUB_OUTPUT: path.join(runner, 'output.txt'),
        RUNNER_TEMP: runner,
        RUNNER_TOOL_CACHE: path.join(runner, 'tool-cache'),
        'INPUT_GITHUB-TOKEN': 'unused',
        'INPUT_PHASE-POLICY': 'manual',
        // the review path alone: with comments on, a schedule run also refreshes open PRs' comments (REST)
        INPUT_COMMENT: 'off',
      },
    });
    const wall = ms(t0);
    if (out.status !== 0) throw new Error(`the action failed: ${out.stdout}${out.stderr}`);
    const report = JSON.parse(fs.readFileSync(path.join(runner, 'agent-tracking', 'report.json'), 'utf8'));
    if (report.reviews[0]?.phase !== 'phase-1') throw new Error('the action reviewed nothing');
    runs.push({ wall, ...report.timings });
    fs.rmSync(runner, { recursive: true, force: true });
  }
  const med = (k) => Math.round(median(runs.map((r) => r[k])));
  results.action = {
    events,
    wallMs: med('wall'),
    fetchMs: med('fetchMs'),
    installMs: med('installMs'),
    reviewMs: med('reviewMs'),
    commitBackMs: med('commitBackMs'),
    runs: runs.length,
  };
  const a = results.action;
  log(
    `action on a phase of ${events} events (median of ${a.runs}): ${a.wallMs} ms wall; fetch ${a.fetchMs} ms, install DuckDB ${a.installMs} ms, review ${a.reviewMs} ms, commit-back ${a.commitBackMs} ms`,
  );
}

// ---- 11. archive and restore of a phase of 1M events, to s3rver ------------------------------------
// s3rver runs in a child process (the CLI runs synchronously here). Throughput is the phase's raw
// JSONL bytes over the command's wall time (export to Parquet, tar, upload, verify, prune).
if (only('archive')) {
  const total = quick ? 100_000 : 1_000_000;
  const repo = makeRepo(`archive-${total}`);
  const events = generateStore(repo, total);
  const rawJsonl = git(repo, 'ls-tree', '-r', '-l', 'agent-tracking', '--', 'phases/phase-1')
    .split('\n')
    .filter((l) => /\/events\/\d+\.jsonl$/.test(l))
    .reduce((a, l) => a + Number(l.split(/\s+/)[3]), 0);
  track(repo, 'phase', 'end');
  const { server, env } = await startS3rver(work, root, 's3rver-');
  try {
    let t0 = process.hrtime.bigint();
    const out = JSON.parse(
      execFileSync(process.execPath, [bin, 'archive', '--bucket', 'bench', '--keep', '0', '--json'], {
        cwd: repo,
        env,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      }),
    );
    const archiveMs = ms(t0);
    const p = out.phases[0];
    t0 = process.hrtime.bigint();
    execFileSync(process.execPath, [bin, 'archive', 'restore', 'phase-1', '--json'], {
      cwd: repo,
      env,
      encoding: 'utf8',
    });
    const restoreMs = ms(t0);
    // Deep Archive, us-east-1: $0.00099 per GB-month, and each object bills 40 KB more (32 KB at the
    // Deep Archive rate, 8 KB at S3 Standard's $0.023)
    const gb = (b) => b / 1e9;
    const monthly = gb(p.bytes) * 0.00099 + p.objects * (gb(32 * 1024) * 0.00099 + gb(8 * 1024) * 0.023);
    results.archive = {
      events,
      rawJsonlBytes: rawJsonl,
      parquetBytes: p.parquetBytes,
      rawTarGzBytes: p.rawBytes,
      objects: p.objects,
      archiveMs: Math.round(archiveMs),
      restoreMs: Math.round(restoreMs),
      archiveMBps: Number((rawJsonl / 2 ** 20 / (archiveMs / 1000)).toFixed(1)),
      restoreMBps: Number((rawJsonl / 2 ** 20 / (restoreMs / 1000)).toFixed(1)),
      parquetVsJsonl: Number((p.parquetBytes / rawJsonl).toFixed(3)),
      monthlyUsd: Number(monthly.toFixed(6)),
    };
    const a = results.archive;
    log(
      `archive of a phase of ${events} events (${(rawJsonl / 2 ** 20).toFixed(1)} MB of JSONL): ${a.archiveMs} ms, ${a.archiveMBps} MB/s; restore ${a.restoreMs} ms, ${a.restoreMBps} MB/s; Parquet ${(a.parquetBytes / 2 ** 20).toFixed(1)} MB (${a.parquetVsJsonl} of the JSONL), raw tar.gz ${(a.rawTarGzBytes / 2 ** 20).toFixed(1)} MB; ${a.objects} objects; Deep Archive storage $${a.monthlyUsd} a month`,
    );
  } finally {
    server.kill();
  }
}

// ---- 12. the dashboard of 1,000 sessions: page size and time to interactive in headless Chromium ----
if (only('dashboard')) {
  execFileSync(
    process.execPath,
    [path.join(root, 'bench', 'dashboard.mjs'), ...(quick ? ['--sessions=200'] : [])],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

// ---- 13. redaction throughput on a 10 MB tool output: the hook's fast pass and the store's full pass ----
if (only('redact')) {
  const { redactForStore, redactValue } = await import(path.join(root, 'dist', 'redact.js'));
  // realistic output: test logs, JSON with ids, hashes and UUIDs, lockfile and code lines, and a few
  // planted secrets (built here, in their documented shapes) that both passes must remove
  const rnd = (n, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') =>
    Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
  const planted = [];
  const lines = [];
  let size = 0;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    let line;
    switch (i % 8) {
      case 0:
        line = `PASS test/unit/case-${i}.test.ts (${(i % 97) / 10}s) token count ${i * 7}, maxTokens: 4096`;
        break;
      case 1:
        line = `{"id":"${randomUUID()}","sha":"${randomBytes(20).toString('hex')}","author":"Dev ${i}","status":"ok"}`;
        break;
      case 2:
        line = `      "integrity": "sha512-${randomBytes(64).toString('base64')}",`;
        break;
      case 3:
        line = `  const apiKey = process.env.API_KEY ?? config.auth.token; // request ${i}`;
        break;
      case 4:
        line = `${i}: e.exports=function(t,n){return t.map(function(r){return r.key+"="+n[r.key]})}`;
        break;
      case 5:
        line = `INFO request ${randomBytes(8).toString('hex')} GET /api/v1/items?page=${i} 200 ${i % 1000}ms`;
        break;
      case 6:
        line = `  resolved "https://registry.yarnpkg.com/pkg-${i}/-/pkg-${i}-1.0.${i % 50}.tgz#${randomBytes(20).toString('hex')}"`;
        break;
      default:
        if (i % 2000 === 7) {
          const secret =
            i % 4000 === 7
              ? `ghp_${rnd(36)}`
              : `xoxb-${rnd(11, '0123456789')}-${rnd(12, '0123456789')}-${rnd(24)}`;
          planted.push(secret);
          line = `export SERVICE_TOKEN=${secret}`;
        } else line = `    at Object.<anonymous> (src/module-${i % 300}.ts:${i % 500}:${i % 80})`;
    }
    lines.push(line);
    size += line.length + 1;
  }
  const stdout = `${lines.join('\n')}\n`;
  const event = {
    type: 'tool_call',
    tool: 'Bash',
    input: { command: 'npm test' },
    output: { stdout, stderr: '' },
  };
  const runs = quick ? 1 : 3;
  const timeIt = (fn) => {
    const times = [];
    let out;
    for (let k = 0; k < runs; k++) {
      const t0 = process.hrtime.bigint();
      out = fn();
      times.push(ms(t0));
    }
    return { ms: median(times), out };
  };
  const fast = timeIt(() => JSON.stringify(redactValue(event, { pass: 'fast' })));
  const full = timeIt(() => redactForStore(JSON.stringify(event)));
  const mb = Buffer.byteLength(stdout) / (1024 * 1024);
  const left = (out) => planted.filter((p) => out.includes(p)).length;
  results.redact = {
    megabytes: +mb.toFixed(1),
    fastMs: +fast.ms.toFixed(0),
    fullMs: +full.ms.toFixed(0),
    fastMBps: +(mb / (fast.ms / 1000)).toFixed(1),
    fullMBps: +(mb / (full.ms / 1000)).toFixed(1),
    planted: planted.length,
    leftFast: left(fast.out),
    leftFull: left(full.out),
  };
  const r = results.redact;
  log(
    `redaction of a ${r.megabytes} MB tool output (median of ${runs}): fast pass (hook) ${r.fastMs} ms (${r.fastMBps} MB/s), full pass (store, through JSON escapes) ${r.fullMs} ms (${r.fullMBps} MB/s); planted secrets left: ${r.leftFast}/${r.planted} fast, ${r.leftFull}/${r.planted} full`,
  );
}

// ---- 14. search and the MCP server over 2,000 sessions (bench/search.mjs) ---------------------------
if (only('search')) {
  const { benchSearch } = await import('./search.mjs');
  results.search = await benchSearch({ work, bin, git, track, ms, median, log, quick });
}

// ---- 16. blame: a 2,000-line file, 200 recorded sessions, 1,000 commits -------------------------
if (only('blame')) {
  const repo = makeRepo('blame');
  const LINES = 2000;
  const SESSIONS = 200;
  const CHANGES = 5; // file changes a session, of 2 lines each: 1,000 recorded changes
  const COMMITS = 1000;
  const text = (i) => `export const value${i} = compute(${i}, "line ${i}");`;
  // 1,000 commits, each adding two lines, through git fast-import (as a person committed them, a day
  // after the sessions wrote their lines)
  const now = Math.floor(Date.now() / 1000);
  const chunks = [];
  for (let k = 0; k < COMMITS; k++) {
    const body = `${Array.from({ length: 2 * (k + 1) }, (_, i) => text(i)).join('\n')}\n`;
    const msg = `commit ${k}\n`;
    const t = now - 86400 + k;
    chunks.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${t} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}`,
      k === 0 ? `from refs/heads/main^0\n` : '',
      `M 100644 inline big.ts\ndata ${Buffer.byteLength(body)}\n${body}\n`,
    );
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: chunks.join(''), maxBuffer: 1 << 30 });
  git(repo, 'reset', '-q', '--hard', 'main');
  // 200 sessions, the file changes as the hook spools them (one hook run, copied with fresh fields);
  // every tenth session's lines are left unrecorded: a person's
  const env = { ...process.env, AGENT_TRACK_NO_FLUSH: '1' };
  const spoolDir = path.join(repo, '.git', 'agent-tracking', 'spool');
  execFileSync(process.execPath, [bin, 'hook'], {
    cwd: repo,
    env,
    input: JSON.stringify({
      session_id: 'template',
      cwd: repo,
      hook_event_name: 'PostToolUse',
      tool_name: 'Edit',
      tool_use_id: 'toolu_t',
      tool_input: { file_path: `${repo}/big.ts`, old_string: 'a', new_string: 'b' },
      tool_response: { filePath: `${repo}/big.ts`, originalFile: 'a\n', structuredPatch: [] },
    }),
  });
  const template = fs
    .readFileSync(path.join(spoolDir, 'template.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .find((e) => e.type === 'file_change');
  fs.rmSync(path.join(spoolDir, 'template.jsonl'));
  let recorded = 0;
  const linesPer = LINES / SESSIONS;
  const writtenAt = new Date(Date.now() - 2 * 86400_000);
  for (let s = 0; s < SESSIONS; s++) {
    const session = `bench-${String(s).padStart(4, '0')}`;
    const out = [];
    for (let c = 0; c < CHANGES; c++) {
      const first = s * linesPer + c * 2;
      const diff = `--- a/big.ts\n+++ b/big.ts\n@@ -${first},0 +${first + 1},2 @@\n+${text(first)}\n+${text(first + 1)}\n`;
      out.push(
        JSON.stringify({
          ...template,
          id: randomUUID(),
          session,
          toolUseId: `toolu_${s}_${c}`,
          ts: new Date(writtenAt.getTime() + s * 1000 + c).toISOString(),
          diff,
        }),
      );
    }
    if (s % 10 === 9) continue;
    recorded += CHANGES;
    fs.writeFileSync(path.join(spoolDir, `${session}.jsonl`), `${out.join('\n')}\n`);
  }
  const indexDir = path.join(repo, '.git', 'agent-tracking', 'attribution');
  const t0 = process.hrtime.bigint();
  track(repo, 'flush');
  const flushMs = ms(t0);
  const dirBytes = (d) =>
    fs.readdirSync(d, { withFileTypes: true }).reduce((n, e) => {
      const p = path.join(d, e.name);
      return n + (e.isDirectory() ? dirBytes(p) : fs.statSync(p).size);
    }, 0);
  const indexBytes = dirBytes(indexDir);
  const runs = quick ? 3 : 7;
  const times = [];
  let agentLines = 0;
  for (let i = 0; i < runs; i++) {
    const b0 = process.hrtime.bigint();
    const out = JSON.parse(
      execFileSync(process.execPath, [bin, 'blame', 'big.ts', '--json'], {
        cwd: repo,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      }),
    );
    times.push(ms(b0));
    agentLines = out.lines.filter((l) => l.kind === 'agent').length;
  }
  const gitTimes = [];
  for (let i = 0; i < runs; i++) {
    const g0 = process.hrtime.bigint();
    git(repo, 'blame', '--line-porcelain', '--', 'big.ts');
    gitTimes.push(ms(g0));
  }
  fs.rmSync(indexDir, { recursive: true });
  const c0 = process.hrtime.bigint();
  track(repo, 'blame', 'big.ts', '--json');
  const coldMs = ms(c0);
  results.blame = {
    lines: LINES,
    sessions: SESSIONS,
    recordedSessions: SESSIONS - SESSIONS / 10,
    recordedChanges: recorded,
    commits: COMMITS,
    agentLines,
    expectedAgentLines: recorded * 2,
    blameMedianMs: +median(times).toFixed(0),
    gitBlameMedianMs: +median(gitTimes).toFixed(0),
    coldBlameMs: +coldMs.toFixed(0),
    flushWithIndexMs: +flushMs.toFixed(0),
    indexBytes,
    indexBytesPerChange: Math.round(indexBytes / recorded),
  };
  const r = results.blame;
  log(
    `blame of a ${r.lines}-line file, ${r.commits} commits, ${r.sessions} sessions (${r.recordedChanges} recorded changes), median of ${runs}, process start included: ${r.blameMedianMs} ms (git blame --line-porcelain alone ${r.gitBlameMedianMs} ms); index rebuilt from the branch first: ${r.coldBlameMs} ms; agent lines ${r.agentLines} of ${r.expectedAgentLines} expected; index ${r.indexBytes} B, ${r.indexBytesPerChange} B per recorded change (flush of them all, index included: ${r.flushWithIndexMs} ms)`,
  );
}

// ---- 17. growth of the branch: fresh-clone size and time after 5, 20, 100 phases, with and without compaction
if (only('compact')) {
  const { benchCompact } = await import('./compact.mjs');
  results.compact = await benchCompact({ root, bin, work, quick, log });
}

const file = path.join(root, '.bench', 'results.json');
let previous = {};
try {
  previous = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch {}
fs.writeFileSync(file, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
// a background flush may still be finishing (its search index, its snapshots): retried
try {
  fs.rmSync(work, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
} catch (e) {
  log(`left ${work} behind (${e.code}): a background flush was still writing its indexes`);
}
log(`\nresults written to .bench/results.json`);
