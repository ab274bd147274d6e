// How the branch grows on real sessions (../shared/realdata, never copied into the project): the
// sessions, in the order they started, are imported into a fresh repository in 5 phases, then in 20
// (each phase ended with `phase end`, its review written, as a team's phases are), transcripts stored.
// Prints the packed bytes of the branch per session and per phase (git gc after each phase: what a
// clone downloads), and the size and time of a fresh `git clone --single-branch --branch
// agent-tracking` of it (file:// so git packs and sends objects as over the network; median of 3).
//
// Then the lake on the 5-phase repository, against a local S3 protocol server (s3rver, a
// devDependency): `archive --lake --keep 2` archives 2 phases and exports the 3 current ones;
// `query --archive` over them must give the tokens and cost `stats --json` gave before the archive.
//
//   node scripts/validate-growth.mjs [--phases 5,20]
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const realdata = path.resolve(root, '..', 'shared', 'realdata');
const bin = path.join(root, 'dist', 'bin.cjs');

const sh = (cwd, cmd, args, env = {}) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const mib = (n) => `${(n / 2 ** 20).toFixed(2)} MiB`;
const kib = (n) => `${Math.round(n / 1024)} KiB`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The pack of a repository after gc: what a clone of its refs downloads. */
function packed(repo) {
  sh(repo, 'git', ['gc', '-q', '--prune=now']);
  const m = /size-pack: (\d+)/.exec(sh(repo, 'git', ['count-objects', '-v']));
  return m ? Number(m[1]) * 1024 : 0;
}

/** The first timestamp of a transcript (its session's start), or '' when it has none. */
function firstTs(file) {
  const head = fs.readFileSync(file, 'utf8').slice(0, 1 << 20);
  return /"timestamp":"([^"]+)"/.exec(head)?.[1] ?? '';
}

/**
 * Each session's files, as Claude Code lays them: `<id>.jsonl`, its `<id>/` folder (subagents), and
 * 2.0.x's `agent-<id>.jsonl` files that carry its sessionId. Sorted by when the session started.
 */
function sessionUnits(sources) {
  const units = [];
  for (const source of sources) {
    const projects = path.join(source, 'projects');
    for (const proj of fs.readdirSync(projects).sort()) {
      const dir = path.join(projects, proj);
      if (!fs.statSync(dir).isDirectory()) continue;
      const names = fs.readdirSync(dir).sort();
      const byId = new Map();
      for (const n of names.filter((x) => x.endsWith('.jsonl') && !x.startsWith('agent-'))) {
        const id = n.slice(0, -6);
        const unit = { source, proj, files: [n], ts: firstTs(path.join(dir, n)) };
        if (fs.existsSync(path.join(dir, id)) && fs.statSync(path.join(dir, id)).isDirectory())
          unit.files.push(id);
        byId.set(id, unit);
        units.push(unit);
      }
      for (const n of names.filter((x) => /^agent-.+\.jsonl$/.test(x))) {
        const sid = /"sessionId":"([^"]+)"/.exec(
          fs.readFileSync(path.join(dir, n), 'utf8').slice(0, 65536),
        )?.[1];
        const parent = sid && byId.get(sid);
        if (parent) parent.files.push(n);
        else units.push({ source, proj, files: [n], ts: firstTs(path.join(dir, n)) });
      }
    }
  }
  return units.sort((a, b) => a.ts.localeCompare(b.ts) || a.files[0].localeCompare(b.files[0]));
}

/** The sessions split into `n` consecutive phases, as even as can be. */
function split(units, n) {
  const out = [];
  for (let k = 0; k < n; k++)
    out.push(units.slice(Math.round((k * units.length) / n), Math.round(((k + 1) * units.length) / n)));
  return out;
}

/** Like sh, without blocking this process (the S3 server runs in it). */
const shAsync = (cwd, cmd, args, env = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')}: ${err || out}`)),
    );
  });

/** The lake of one repository's phases in a local s3rver, its figures against stats --json. */
async function lakeCheck(repo, tmp) {
  const S3rver = createRequire(import.meta.url)('s3rver');
  const bucket = 'lake';
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: path.join(tmp, 's3'),
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const env = {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  };
  try {
    const cli = (args) => shAsync(repo, process.execPath, [bin, ...args], env).then((o) => JSON.parse(o));
    const before = await cli(['stats', '--json']);
    const lake = ['archive', '--lake', '--keep', '2', '--bucket', bucket, '--prefix', 'org', '--json'];
    const t = process.hrtime.bigint();
    const r = await cli(lake);
    const archiveMs = ms(t);
    const t2 = process.hrtime.bigint();
    const again = await cli(lake);
    const againMs = ms(t2);
    const [q] = await cli([
      'query',
      '--archive',
      `s3://${bucket}/org`,
      `select count(distinct session) as sessions, sum(input_tokens) as input, sum(output_tokens) as output,
              sum(cache_read_tokens) as cache_read, sum(cache_write_tokens) as cache_write,
              sum(cost_units)::BIGINT as units from usage`,
      '--json',
    ]);
    const [n] = await cli([
      'query',
      '--archive',
      `s3://${bucket}/org`,
      'select count(*) as n from sessions',
      '--json',
    ]);
    const lakeTokens = {
      input: q.input,
      output: q.output,
      cacheRead: q.cache_read,
      cacheWrite: q.cache_write,
    };
    const lakeCost = Math.round(q.units / 100) / 1e8;
    const parquet = [...r.phases.map((p) => p.parquetBytes), ...r.lake.phases.map((p) => p.bytes)];
    return {
      archived: r.phases.length,
      exported: r.lake.phases.length,
      parquetBytes: parquet.reduce((a, b) => a + b, 0),
      parquetPerPhase: Math.round(parquet.reduce((a, b) => a + b, 0) / parquet.length),
      archiveMs: Math.round(archiveMs),
      rerunMs: Math.round(againMs),
      rerunUploaded: again.lake.phases.reduce((a, p) => a + p.uploaded, 0),
      sessions: n.n,
      statsSessions: before.sessions,
      tokens: lakeTokens,
      statsTokens: before.tokens,
      costUsd: lakeCost,
      statsCostUsd: before.costUsd,
      equal:
        n.n === before.sessions &&
        JSON.stringify(lakeTokens) ===
          JSON.stringify({
            input: before.tokens.input,
            output: before.tokens.output,
            cacheRead: before.tokens.cacheRead,
            cacheWrite: before.tokens.cacheWrite,
          }) &&
        lakeCost === before.costUsd,
    };
  } finally {
    await server.close();
  }
}

function run(units, phases, tmp) {
  const repo = path.join(tmp, `repo-${phases}`);
  fs.mkdirSync(repo);
  sh(repo, 'git', ['init', '-q', '-b', 'main']);
  sh(repo, 'git', ['config', 'user.name', 'Validate']);
  sh(repo, 'git', ['config', 'user.email', 'validate@example.com']);
  const increments = [];
  let importMs = 0;
  let endMs = 0;
  let last = 0;
  for (const [k, group] of split(units, phases).entries()) {
    // this phase's sessions, in Claude Code's layout, in a folder of their own (outside the project)
    const stage = path.join(tmp, `stage-${phases}-${k}`);
    for (const u of group)
      for (const f of u.files)
        fs.cpSync(
          path.join(u.source, 'projects', u.proj, f),
          path.join(stage, path.basename(u.source), u.proj, f),
          { recursive: true },
        );
    const dirs = fs.existsSync(stage) ? fs.readdirSync(stage).map((d) => path.join(stage, d)) : [];
    let t = process.hrtime.bigint();
    if (dirs.length)
      sh(repo, process.execPath, [bin, 'import', ...dirs, '--json'], { AGENT_TRACK_NO_FLUSH: '1' });
    importMs += ms(t);
    fs.rmSync(stage, { recursive: true, force: true });
    if (k < phases - 1) {
      t = process.hrtime.bigint();
      sh(repo, process.execPath, [bin, 'phase', 'end', '--json']);
      endMs += ms(t);
    }
    const now = packed(repo);
    increments.push(now - last);
    last = now;
  }
  const stats = JSON.parse(sh(repo, process.execPath, [bin, 'stats', '--json']));
  const list = JSON.parse(sh(repo, process.execPath, [bin, 'phase', 'list', '--json']));
  // a fresh clone of the branch alone, three times
  const clones = [];
  let cloneBytes = 0;
  let cloneObjects = 0;
  for (let i = 0; i < 3; i++) {
    const dst = path.join(tmp, `clone-${phases}-${i}`);
    const t = process.hrtime.bigint();
    sh(tmp, 'git', [
      'clone',
      '-q',
      '--single-branch',
      '--branch',
      'agent-tracking',
      '--no-local',
      `file://${repo}`,
      dst,
    ]);
    clones.push(ms(t));
    const cv = sh(dst, 'git', ['count-objects', '-v']);
    cloneBytes = Number(/size-pack: (\d+)/.exec(cv)[1]) * 1024;
    cloneObjects = Number(/in-pack: (\d+)/.exec(cv)[1]);
    fs.rmSync(dst, { recursive: true, force: true });
  }
  return {
    repo,
    phases: list.length,
    sessions: stats.sessions,
    branchBytes: last,
    perSession: Math.round(last / stats.sessions),
    perPhase: {
      mean: Math.round(last / phases),
      min: Math.min(...increments),
      median: median(increments),
      max: Math.max(...increments),
    },
    importMs: Math.round(importMs),
    phaseEndMs: Math.round(endMs),
    clone: {
      bytes: cloneBytes,
      objects: cloneObjects,
      ms: clones.map(Math.round),
      medianMs: Math.round(median(clones)),
    },
  };
}

export async function validateGrowth({ log = console.log, phases = [5, 20] } = {}) {
  if (!fs.existsSync(realdata)) return { skipped: true };
  const sources = fs
    .readdirSync(realdata)
    .filter((d) => fs.existsSync(path.join(realdata, d, 'projects')))
    .sort()
    .map((d) => path.join(realdata, d));
  const units = sessionUnits(sources);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-track-growth-'));
  const runs = [];
  try {
    for (const n of phases) {
      const r = run(units, n, tmp);
      runs.push(r);
      log(
        `${r.sessions} sessions in ${r.phases} phases (transcripts stored, each phase reviewed): the branch packs to ${mib(r.branchBytes)}: ${kib(r.perSession)} a session, ${kib(r.perPhase.mean)} a phase (added per phase: min ${kib(r.perPhase.min)}, median ${kib(r.perPhase.median)}, max ${kib(r.perPhase.max)})`,
      );
      log(
        `  fresh git clone --single-branch --branch agent-tracking: ${mib(r.clone.bytes)} (${r.clone.objects} objects) in ${r.clone.medianMs} ms (median of ${r.clone.ms.join(', ')} ms); import ${r.importMs} ms, phase end ${r.phaseEndMs} ms in all`,
      );
      if (runs.length === 1) {
        const l = await lakeCheck(r.repo, tmp);
        r.lake = l;
        const tok = (t) =>
          `input ${t.input}, output ${t.output}, cache read ${t.cacheRead}, cache write ${t.cacheWrite}`;
        log(
          `  archive --lake --keep 2 (s3rver): ${l.archived} phases archived, ${l.exported} exported current, Parquet ${kib(l.parquetBytes)} (${kib(l.parquetPerPhase)} a phase) in ${l.archiveMs} ms; a re-run uploaded ${l.rerunUploaded} objects in ${l.rerunMs} ms`,
        );
        log(`  query --archive: ${l.sessions} sessions, ${tok(l.tokens)}, cost ${l.costUsd}`);
        log(
          `  stats --json:    ${l.statsSessions} sessions, ${tok(l.statsTokens)}, cost ${l.statsCostUsd}: ${l.equal ? 'equal' : 'DIFFERENT'}`,
        );
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { ok: runs.every((r) => !r.lake || r.lake.equal), runs: runs.map(({ repo: _r, ...x }) => x) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--phases');
  const phases = i > 0 ? process.argv[i + 1].split(',').map(Number) : undefined;
  await validateGrowth({ phases });
}
