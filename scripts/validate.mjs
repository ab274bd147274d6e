// `npm run validate`: our figures against real data we may not copy into the project.
//
// Imports every real Claude Code transcript of ../shared/realdata/ (see its SOURCES.md) with the built
// `agent-track import` into a fresh repository, then compares each session's tokens and cost with
// ccusage 20.0.24 (`session --json --offline`, same files): tokens exact, cost to 1e-6 USD.
// Skipped with a message where ../shared is absent (a user's clone). Exit 1 when a session differs.
//
// The Agent Trace export is validated against the specification's schema (scripts/validate-agent-trace.mjs).
//
//   node scripts/validate.mjs [--json] [--only usage|redaction|agent-trace] [--realdata DIR]
//
// With `--only agents` (or by default), the same for Codex CLI's rollouts (`--codex-home DIR`, default
// $CODEX_HOME or ~/.codex) and Gemini CLI's saved chats (`--gemini-home DIR`: the HOME holding .gemini,
// default ~) against `ccusage codex session` and `ccusage gemini session`: tokens exact (Gemini's
// thoughts are output to us, apart in ccusage's outputTokens: compared through its totalTokens), cost to
// 1e-6 USD. Skipped with a message where there are none.
//
//   node scripts/validate.mjs [--json] [--only usage|redaction|agents] [--realdata DIR]
//                              [--codex-home DIR] [--gemini-home DIR]
//
// `--only growth` (scripts/validate-growth.mjs): the branch's packed bytes per session and per phase
// on the real sessions split into 5 and 20 phases, and a fresh single-branch clone's size and time.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'dist', 'bin.cjs');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = args.includes('--json');
const only = flag('--only');
const realdata = path.resolve(flag('--realdata') ?? path.join(root, '..', 'shared', 'realdata'));

const TOKEN_KEYS = [
  ['inputTokens', 'input'],
  ['outputTokens', 'output'],
  ['cacheReadTokens', 'cacheRead'],
  ['cacheCreationTokens', 'cacheWrite'],
];

/** ccusage's per-session figures for one source folder (its CLAUDE_CONFIG_DIR). */
function ccusageSessions(source) {
  const ccusage = path.join(root, 'node_modules', '.bin', 'ccusage');
  const out = execFileSync(ccusage, ['session', '--json', '--offline'], {
    env: { ...process.env, CLAUDE_CONFIG_DIR: source, TZ: 'UTC' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const rows = JSON.parse(out).session ?? JSON.parse(out).sessions ?? [];
  // ccusage reports a 2.0.x sidechain file (`agent-<id>.jsonl` beside its session) as a session of its
  // own; we fold it into the session it belongs to (its lines' sessionId): add it there to compare
  const sidechains = sidechainParents(path.join(source, 'projects'));
  const bySession = new Map();
  for (const r of rows) {
    const id = sidechains.get(r.period) ?? r.period;
    const cur = bySession.get(id);
    if (!cur) bySession.set(id, { ...r, period: id });
    else {
      for (const [ck] of TOKEN_KEYS) cur[ck] += r[ck];
      cur.totalCost += r.totalCost;
    }
  }
  return bySession;
}

/** `agent-<id>` -> the sessionId its lines carry, for sidechain files beside their session. */
function sidechainParents(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'subagents') walk(p);
      } else if (/^agent-.+\.jsonl$/.test(e.name)) {
        const m = /"sessionId":"([^"]+)"/.exec(fs.readFileSync(p, 'utf8').slice(0, 65536));
        if (m) out.set(e.name.slice(0, -6), m[1]);
      }
    }
  };
  walk(dir);
  return out;
}

function sh(cwd, cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Our per-session figures for one source folder: imported into a fresh repository. */
function ourSessions(source, tmp) {
  const repo = path.join(tmp, path.basename(source));
  fs.mkdirSync(repo, { recursive: true });
  sh(repo, 'git', ['init', '-q', '-b', 'main']);
  sh(repo, 'git', ['config', 'user.name', 'Validate']);
  sh(repo, 'git', ['config', 'user.email', 'validate@example.com']);
  const started = process.hrtime.bigint();
  const imported = JSON.parse(
    sh(repo, process.execPath, [bin, 'import', path.join(source, 'projects'), '--json'], {
      AGENT_TRACK_NO_FLUSH: '1',
    }),
  );
  const importMs = Number(process.hrtime.bigint() - started) / 1e6;
  const rows = JSON.parse(sh(repo, process.execPath, [bin, 'stats', '--by', 'session', '--json'])).rows;
  // usage known only from agent_progress lines (subagents whose own file is absent): ccusage's session
  // report leaves it out (its daily report counts it); compared apart, and added back for our totals
  const progress = JSON.parse(
    sh(repo, process.execPath, [
      bin,
      'query',
      `SELECT session, sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cache_read_tokens) AS cache_read,
              sum(cache_write_tokens) AS cache_write, sum(cost_usd) AS cost
       FROM usage WHERE source = 'agent_progress' GROUP BY session`,
      '--json',
    ]),
  );
  const extra = new Map(
    (progress.rows ?? progress).map((r) => [
      r.session,
      { input: r.input, output: r.output, cacheRead: r.cache_read, cacheWrite: r.cache_write, cost: r.cost },
    ]),
  );
  return { imported, importMs, rows: new Map(rows.map((r) => [r.key ?? r.sessionId, r])), extra };
}

function validateUsage() {
  if (!fs.existsSync(realdata)) {
    console.log(`validate: no real data at ${realdata} (it is not part of the project): skipped`);
    return { ok: true, skipped: true };
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-track-validate-'));
  const sources = fs
    .readdirSync(realdata)
    .filter((d) => fs.existsSync(path.join(realdata, d, 'projects')))
    .sort();
  const report = {
    sources: [],
    sessions: 0,
    equal: 0,
    differ: [],
    missing: [],
    extra: [],
    progressSessions: 0,
  };
  const totals = { ours: { cost: 0 }, ccusage: { cost: 0 }, progress: { cost: 0 } };
  for (const k of TOKEN_KEYS) for (const t of Object.values(totals)) t[k[1]] = 0;
  try {
    for (const name of sources) {
      const source = path.join(realdata, name);
      const theirs = ccusageSessions(source);
      const ours = ourSessions(source, tmp);
      let equal = 0;
      for (const [id, c] of theirs) {
        report.sessions++;
        const o = ours.rows.get(id);
        for (const [ck, ok] of TOKEN_KEYS) totals.ccusage[ok] += c[ck];
        totals.ccusage.cost += c.totalCost;
        if (!o) {
          report.missing.push({ source: name, session: id });
          continue;
        }
        for (const [, ok] of TOKEN_KEYS) totals.ours[ok] += o.tokens[ok];
        totals.ours.cost += o.costUsd ?? 0;
        const p = ours.extra.get(id);
        if (p) {
          report.progressSessions++;
          for (const [, ok] of TOKEN_KEYS) totals.progress[ok] += p[ok];
          totals.progress.cost += p.cost ?? 0;
        }
        const diffs = [];
        for (const [ck, ok] of TOKEN_KEYS)
          if (c[ck] !== o.tokens[ok] - (p?.[ok] ?? 0))
            diffs.push(`${ok} ${o.tokens[ok] - (p?.[ok] ?? 0)} vs ${c[ck]}`);
        if (o.costUsd === null || Math.abs(o.costUsd - (p?.cost ?? 0) - c.totalCost) > 1e-6)
          diffs.push(`cost ${o.costUsd} vs ${c.totalCost.toFixed(6)}`);
        if (diffs.length) report.differ.push({ source: name, session: id, diffs });
        else equal++;
      }
      for (const id of ours.rows.keys())
        if (!theirs.has(id)) report.extra.push({ source: name, session: id, ...pick(ours.rows.get(id)) });
      report.equal += equal;
      report.sources.push({
        source: name,
        sessions: theirs.size,
        equal,
        imported: ours.imported.sessions,
        importMs: Math.round(ours.importMs),
      });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  report.totals = totals;
  report.ok = report.differ.length === 0 && report.missing.length === 0 && report.extra.length === 0;
  return report;
}

const pick = (r) => ({ tokens: r.tokens, costUsd: r.costUsd });

function printUsage(r) {
  if (r.skipped) return;
  console.log(
    '\nreal sessions against ccusage 20.0.24 `session` (tokens exact, cost to 1e-6 USD; subagent usage known only from agent_progress lines compared apart)',
  );
  for (const s of r.sources)
    console.log(`  ${s.source}: ${s.equal}/${s.sessions} equal (import ${s.importMs} ms)`);
  const t = r.totals;
  const fmt = (x) =>
    `input ${x.input}, output ${x.output}, cache read ${x.cacheRead}, cache write ${x.cacheWrite}, cost ${x.cost.toFixed(6)}`;
  console.log(`  ours:    ${fmt(t.ours)}`);
  console.log(`  ccusage: ${fmt(t.ccusage)}`);
  console.log(
    `  of ours, from agent_progress lines only (${r.progressSessions} sessions; ccusage's session report leaves them out): ${fmt(t.progress)}`,
  );
  for (const d of r.differ.slice(0, 20))
    console.log(`  differs: ${d.source} ${d.session}: ${d.diffs.join('; ')}`);
  if (r.differ.length > 20) console.log(`  ... and ${r.differ.length - 20} more`);
  for (const m of r.missing.slice(0, 20)) console.log(`  missing from ours: ${m.source} ${m.session}`);
  for (const m of r.extra.slice(0, 20))
    console.log(`  not in ccusage: ${m.source} ${m.session} (${JSON.stringify(m.tokens)})`);
  console.log(
    `  sessions: ${r.equal} of ${r.sessions} equal; ${r.differ.length} differ, ${r.missing.length} missing, ${r.extra.length} extra`,
  );
}

/**
 * The review of every real session (one repository, all sources imported), printed as a person reads
 * it, and checked: no recommendation is about a person's refusal, a permission rule's denial or a
 * cascade (Claude Code's own fixed strings for them), and no two error patterns share a cause.
 */
function validateReview() {
  if (!fs.existsSync(realdata)) return { ok: true, skipped: true };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-track-review-'));
  try {
    const repo = path.join(tmp, 'all');
    fs.mkdirSync(repo);
    sh(repo, 'git', ['init', '-q', '-b', 'main']);
    sh(repo, 'git', ['config', 'user.name', 'Validate']);
    sh(repo, 'git', ['config', 'user.email', 'validate@example.com']);
    const sources = fs
      .readdirSync(realdata)
      .filter((d) => fs.existsSync(path.join(realdata, d, 'projects')))
      .sort()
      .map((d) => path.join(realdata, d, 'projects'));
    sh(repo, process.execPath, [bin, 'import', ...sources, '--json']);
    const r = JSON.parse(sh(repo, process.execPath, [bin, 'review', '--json']));
    const notFailures =
      /doesn't want to proceed|doesn't want to take this action|has been denied|requires approval|haven't granted|was blocked\. For security|Sibling tool call|Request interrupted/i;
    const bad = r.recommendations.filter((x) => notFailures.test(`${x.text} ${x.evidence}`));
    const keys = r.errors.map((e) => `${e.tool}\0${e.program ?? ''}\0${e.pattern}`);
    const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
    const unspecific = r.recommendations.filter((x) => !/\d/.test(x.evidence));
    return { ok: !bad.length && !dupes.length && !unspecific.length, review: r, bad, dupes, unspecific };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** One agent CLI's sessions: imported by us and read by ccusage, compared per session. */
function validateAgent(name, sourceDir, env, ccArgs, key, theirTokens) {
  if (!fs.existsSync(sourceDir)) return { name, skipped: `no ${name} sessions at ${sourceDir}` };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `validate-${name}-`));
  try {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    sh(repo, 'git', ['init', '-q', '-b', 'main']);
    const imported = JSON.parse(
      sh(repo, process.execPath, [bin, 'import', sourceDir, '--json'], { AGENT_TRACK_NO_FLUSH: '1' }),
    );
    if (!imported.sessions) return { name, skipped: `no ${name} sessions in ${sourceDir}` };
    const ours = new Map(
      JSON.parse(sh(repo, process.execPath, [bin, 'stats', '--by', 'session', '--json'])).rows.map((r) => [
        r.key,
        r,
      ]),
    );
    const ccusage = path.join(root, 'node_modules', '.bin', 'ccusage');
    const theirs = JSON.parse(
      execFileSync(ccusage, [...ccArgs, 'session', '--json', '--offline'], {
        env: { ...process.env, ...env, TZ: 'UTC' },
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      }),
    ).sessions;
    const differ = [];
    let equal = 0;
    for (const c of theirs) {
      const id = key(c);
      const o = ours.get(id);
      if (!o) {
        differ.push({ session: id, diffs: ['missing from ours'] });
        continue;
      }
      const t = theirTokens(c);
      const diffs = Object.entries(t)
        .filter(([k, v]) => o.tokens[k] !== v)
        .map(([k, v]) => `${k} ${o.tokens[k]} vs ${v}`);
      const cost = c.costUSD ?? c.totalCost;
      if (Math.abs((o.costUsd ?? 0) - cost) > 1e-6) diffs.push(`cost ${o.costUsd} vs ${cost}`);
      if (diffs.length) differ.push({ session: id, diffs });
      else equal++;
    }
    return { name, sessions: theirs.length, ours: ours.size, equal, differ, ok: differ.length === 0 };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function printReview(v) {
  if (v.skipped) return;
  const r = v.review;
  const o = r.outcomes;
  console.log(`\nreview of the real sessions (${r.sessions} sessions, one phase)`);
  console.log(
    `  tool calls: ${o.success} succeeded, ${o.failed} failed, ${o.rejected} declined by the person, ${o.denied} denied by a rule, ${o.interrupted} interrupted, ${o.cascaded} cascaded`,
  );
  console.log(`  error patterns: ${r.errors.length} (top 8 by cost)`);
  for (const e of r.errors.slice(0, 8))
    console.log(
      `    ${e.count}x ${e.tool}${e.program ? ` ${e.program}` : ''}: ${e.pattern.slice(0, 100)} (retried ${e.retried}, worked ${e.fixed}; $${(e.costUsd ?? 0).toFixed(2)})`,
    );
  console.log(`  recommendations: ${r.recommendations.length}`);
  for (const x of r.recommendations.slice(0, 8))
    console.log(`    - ${x.text.slice(0, 160)}\n      (${x.evidence})`);
  console.log(
    `  about a refusal, denial or cascade: ${v.bad.length}; patterns sharing a cause: ${v.dupes.length}; without a figure: ${v.unspecific.length}`,
  );
}

function validateAgents() {
  const codexHome = path.resolve(
    flag('--codex-home') ?? process.env.CODEX_HOME ?? path.join(os.homedir(), '.codex'),
  );
  const geminiHome = path.resolve(flag('--gemini-home') ?? os.homedir());
  return [
    validateAgent(
      'codex',
      path.join(codexHome, 'sessions'),
      { CODEX_HOME: codexHome },
      ['codex'],
      (c) =>
        /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(c.sessionId)?.[1] ??
        c.sessionId,
      (c) => ({ input: c.inputTokens, cacheRead: c.cacheReadTokens, output: c.outputTokens }),
    ),
    validateAgent(
      'gemini',
      path.join(geminiHome, '.gemini', 'tmp'),
      { HOME: geminiHome },
      ['gemini'],
      (c) => c.sessionId,
      (c) => ({
        input: c.inputTokens,
        cacheRead: c.cacheReadTokens,
        // ccusage's outputTokens leave Gemini's thoughts out; its totalTokens keeps them
        output: c.totalTokens - c.inputTokens - c.cacheReadTokens - c.cacheCreationTokens,
      }),
    ),
  ];
}

const results = {};
if (!only || only === 'agents') {
  results.agents = validateAgents();
  if (!json)
    for (const a of results.agents) {
      if (a.skipped) console.log(`${a.name}: ${a.skipped}: skipped`);
      else {
        console.log(
          `\n${a.name} sessions against ccusage 20.0.24 \`${a.name} session\`: ${a.equal}/${a.sessions} equal`,
        );
        for (const d of a.differ.slice(0, 20)) console.log(`  differs: ${d.session}: ${d.diffs.join('; ')}`);
      }
    }
}
if (!only || only === 'usage') {
  results.usage = validateUsage();
  if (!json) printUsage(results.usage);
}
if (!only || only === 'review') {
  results.review = validateReview();
  if (!json) printReview(results.review);
}
if (!only || only === 'redaction') {
  const script = path.join(root, 'scripts', 'validate-redaction.mjs');
  if (fs.existsSync(script)) {
    const mod = await import(script);
    if (!json) console.log('\nredaction against ../shared/redaction-corpus (scripts/validate-redaction.mjs)');
    results.redaction = await mod.validateRedaction({ log: json ? () => {} : (l) => console.log(`  ${l}`) });
  }
}
if (!only || only === 'transcripts') {
  const mod = await import(path.join(root, 'scripts', 'validate-transcripts.mjs'));
  if (!json)
    console.log('\ntranscripts on the branch, against ../shared/realdata (scripts/validate-transcripts.mjs)');
  results.transcripts = await mod.validateTranscripts({
    log: json ? () => {} : (l) => console.log(`  ${l}`),
  });
}
if (!only || only === 'growth') {
  const mod = await import(path.join(root, 'scripts', 'validate-growth.mjs'));
  if (!json)
    console.log(
      '\ngrowth of the branch on real sessions, in 5 and in 20 phases (scripts/validate-growth.mjs)',
    );
  results.growth = await mod.validateGrowth({ log: json ? () => {} : (l) => console.log(`  ${l}`) });
}
if (!only || only === 'agent-trace') {
  const mod = await import(path.join(root, 'scripts', 'validate-agent-trace.mjs'));
  if (!json)
    console.log('\nAgent Trace export against ../shared/agent-trace (scripts/validate-agent-trace.mjs)');
  results.agentTrace = await mod.validateAgentTrace({ log: json ? () => {} : (l) => console.log(`  ${l}`) });
}
if (json) console.log(JSON.stringify(results, null, 2));
// the usage figures must equal ccusage's; redaction's figures are printed (its goals are in the README)
const ok =
  results.usage?.ok !== false &&
  results.review?.ok !== false &&
  results.transcripts?.ok !== false &&
  results.growth?.ok !== false &&
  results.agentTrace?.ok !== false &&
  (results.agents ?? []).every((a) => a.ok !== false);
process.exit(ok ? 0 : 1);
