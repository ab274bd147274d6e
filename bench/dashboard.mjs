// The dashboard benchmark (issue 9): a generated store of 1,000 sessions, the page built by the real
// CLI, its size (goal < 5 MB) and the time until it is interactive in headless Chromium (goal < 2 s):
// navigation start to the page's `__dashboardReady` flag, set once its charts have drawn.
//   node bench/dashboard.mjs [--sessions=N] [--events=N]   (npm run build first)
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { sessionLines } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'dist', 'bin.cjs');
const arg = (name, dflt) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const SESSIONS = arg('sessions', 1000);
const PER_SESSION = arg('events', 500);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-track-bench-dashboard-'));
const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
const track = (cwd, ...args) =>
  execFileSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const log = (s) => process.stdout.write(`${s}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function makeRepo(name) {
  const repo = path.join(work, name);
  fs.mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'Bench');
  git(repo, 'config', 'user.email', 'bench@example.com');
  fs.writeFileSync(path.join(repo, 'README.md'), '# bench\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'first');
  return repo;
}

/** Sessions as bench/run.mjs generates them (bench/generate.mjs), with file changes, flushed ~100,000 events at a time. */
function generateStore(repo, sessions, perSession) {
  const spoolDir = path.join(repo, '.git', 'agent-tracking', 'spool');
  fs.mkdirSync(spoolDir, { recursive: true });
  const clock = { t: Date.parse('2026-10-01T08:00:00Z') };
  let written = 0;
  for (let s = 0; s < sessions; s++) {
    const session = `dash-${s}-${randomUUID().slice(0, 8)}`;
    const lines = sessionLines({ repo, session, s, perSession, clock, fileChanges: true });
    fs.writeFileSync(path.join(spoolDir, `${session}.jsonl`), `${lines.join('\n')}\n`);
    written += lines.length;
    if (written >= 100_000 || s === sessions - 1) {
      track(repo, 'flush');
      written = 0;
    }
  }
}

const repo = makeRepo('store');
let t0 = process.hrtime.bigint();
generateStore(repo, SESSIONS, PER_SESSION);
log(
  `store: ${SESSIONS} sessions of ${PER_SESSION} events, generated and flushed in ${(ms(t0) / 1000).toFixed(1)} s`,
);

const out = path.join(work, 'site');
t0 = process.hrtime.bigint();
const built = JSON.parse(track(repo, 'dashboard', '--out', out, '--json'));
const buildMs = ms(t0);
const mb = built.bytes / 2 ** 20;
log(`build: agent-track dashboard took ${(buildMs / 1000).toFixed(2)} s`);
log(
  `page size: ${mb.toFixed(2)} MB (${built.bytes} bytes; ${built.sessions} sessions, ${built.timelines} timelines embedded) — goal < 5 MB: ${mb < 5 ? 'met' : 'NOT met'}`,
);

{
  // what the page is made of
  const html = fs.readFileSync(built.file, 'utf8');
  const json = /<script type="application\/json" id="dashboard-data">([\s\S]*?)<\/script>/.exec(html)[1];
  const data = JSON.parse(json);
  const parts = Object.entries(data)
    .map(([k, v]) => [k, JSON.stringify(v).length])
    .sort((a, b) => b[1] - a[1])
    .filter(([, n]) => n > 10_000)
    .map(([k, n]) => `${k} ${(n / 2 ** 20).toFixed(2)} MB`);
  log(
    `page parts: data ${(json.length / 2 ** 20).toFixed(2)} MB (${parts.join(', ')}), the rest (ECharts, script, style) ${((html.length - json.length) / 2 ** 20).toFixed(2)} MB`,
  );
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ready = [];
const timeline = [];
try {
  for (let r = 0; r < 5; r++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${built.file}`);
    await page.waitForFunction(() => window.__dashboardReady === true, null, { timeout: 30_000 });
    ready.push(await page.evaluate(() => window.__dashboardReadyAt));
    // the heaviest tab: the latest session's timeline
    const t1 = await page.evaluate(() => performance.now());
    await page.click('nav button[data-tab="timeline"]');
    await page.waitForSelector('#chart-timeline canvas');
    timeline.push((await page.evaluate(() => performance.now())) - t1);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    await page.close();
  }
} finally {
  await browser.close();
}
const med = median(ready);
log(
  `time to interactive (navigation start to charts drawn, headless Chromium, median of ${ready.length}): ${med.toFixed(0)} ms (runs: ${ready.map((x) => x.toFixed(0)).join(', ')}) — goal < 2000 ms: ${med < 2000 ? 'met' : 'NOT met'}`,
);
log(`timeline tab of the latest session drawn in: ${median(timeline).toFixed(0)} ms (median)`);
fs.rmSync(work, { recursive: true, force: true });
