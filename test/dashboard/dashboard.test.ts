/**
 * The dashboard in a real headless Chromium (playwright-core driving Debian's chromium): the page of
 * the recorded sprint, built by the real CLI and opened from file://, then an empty store, then --serve.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import {
  BIN,
  cleanupTmp,
  FIXTURE,
  flushNow,
  makeRepo,
  ROOT,
  SPRINT_SESSION,
  sprintPayloads,
  tmpDir,
  track,
} from '../lib/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
// untrusted text from the store: must show as text, never run
const HOSTILE = '</script><img src=x onerror=window.__pwned=1><b>bold</b>';

/** Debian's chromium, installed here when missing (as root), else a clear failure: never a skip. */
function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0)
    throw new Error(
      `${CHROMIUM} is missing and this is not root: install Debian's chromium (apt-get install -y chromium)`,
    );
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get install chromium left no ${CHROMIUM}`);
}

function sprintRepo(): string {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  fs.cpSync(
    path.join(FIXTURE, 'transcripts', '-home-dev-proj'),
    path.join(path.dirname(repo), 'home', '.claude', 'projects', '-home-dev-proj'),
    { recursive: true },
  );
  const payloads = sprintPayloads(repo).map((p: string) =>
    p.replace('MISSION-ALPHA: build the alpha feature', `MISSION-ALPHA: build the alpha feature ${HOSTILE}`),
  );
  expect(payloads.some((p: string) => p.includes(HOSTILE))).toBe(true);
  for (const p of payloads) expect(track(repo, ['hook'], p, { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
  expect(flushNow(repo).status).toBe(0);
  return repo;
}

function buildPage(repo: string): { file: string; bytes: number; sessions: number } {
  const out = path.join(tmpDir('at-dash-'), 'site');
  const r = track(repo, ['dashboard', '--out', out, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const result = JSON.parse(r.stdout);
  expect(result.file).toBe(path.join(out, 'index.html'));
  expect(fs.existsSync(result.file)).toBe(true);
  return result;
}

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

async function open(browser: Browser, file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => (window as any).__dashboardReady === true, null, { timeout: 15_000 });
  return { page, problems, requests };
}

let browser: Browser;

beforeAll(async () => {
  ensureChromium();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 900_000); // a first run installs Debian's chromium

afterAll(async () => {
  await browser?.close();
  await cleanupTmp();
});

describe('the recorded sprint', () => {
  let repo: string;
  let snapshot: string;
  let opened: Opened;

  beforeAll(async () => {
    repo = sprintRepo();
    const cp = track(repo, ['checkpoint', '--note', 'x', '--json']);
    expect(cp.status).toBe(0);
    snapshot = JSON.parse(cp.stdout).id;
    const built = buildPage(repo);
    expect(built.sessions).toBe(1);
    expect(built.bytes).toBeLessThan(5 * 2 ** 20);
    opened = await open(browser, built.file);
  });

  afterAll(async () => {
    await opened?.page.close();
  });

  test('loads from file:// with no console error, no request beyond the file, and renders its charts', async () => {
    const { page, problems, requests } = opened;
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'))).toEqual([]);
    // the cost chart: an ECharts instance with the sprint's cost, and a canvas with pixels drawn
    const cost = await page.evaluate(() => {
      const c = (window as any).__dashboard.charts.cost;
      const series = c.getOption().series as Array<{ name: string; data: number[] }>;
      return series.filter((s) => s.name !== 'tokens').flatMap((s) => s.data);
    });
    expect(cost.reduce((a, b) => a + b, 0)).toBeCloseTo(0.068763, 6);
    const drawn = await page.evaluate(() =>
      ['#chart-cost', '#chart-models', '#chart-authors'].map((sel) => {
        const canvas = document.querySelector(`${sel} canvas`) as HTMLCanvasElement | null;
        if (!canvas?.width || !canvas.height) return 0;
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
        return painted;
      }),
    );
    for (const n of drawn) expect(n).toBeGreaterThan(500);
    expect(await page.locator('.card').first().textContent()).toContain('1');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  test('untrusted text from the store shows as text and never runs', async () => {
    const { page } = opened;
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#view-overview table').last().textContent()).toContain(
      'MISSION-ALPHA: build the alpha feature </script><img src=x',
    );
  });

  test('the timeline shows the two parallel subagents as two lanes and the failed Bash call as a failure', async () => {
    const { page } = opened;
    await page.click('nav button[data-tab="timeline"]');
    await page.waitForSelector('#chart-timeline canvas');
    expect(await page.locator('#session-select').inputValue()).toBe(SPRINT_SESSION);
    const lanes = page.locator('.lane[data-agent]');
    expect(await lanes.count()).toBe(3);
    expect(await page.locator('.lane[data-depth="1"]').count()).toBe(2);
    const chart = await page.evaluate(() => {
      const o = (window as any).__dashboard.charts.timeline.getOption();
      return {
        lanes: o.yAxis[0].data as string[],
        spans: o.series[0].data.map((d: any) => d.value) as number[][],
        calls: o.series[1].data.map((d: any) => ({ name: d.name, value: d.value, color: d.itemStyle.color })),
      };
    });
    expect(chart.lanes).toHaveLength(3);
    expect(chart.lanes.filter((l) => /general-purpose/.test(l))).toHaveLength(2);
    // parallel: the two subagents' spans overlap in time
    const sub = chart.spans.filter((s) => s[0] !== 2);
    expect(sub).toHaveLength(2);
    expect(Math.max(sub[0][1], sub[1][1])).toBeLessThan(Math.min(sub[0][2], sub[1][2]));
    // the failed Bash call of a subagent, in the chart and in its lane
    const failed = chart.calls.find((c: { name: string }) => c.name.includes('ls /nonexistent-dir-xyz'));
    expect(failed).toBeDefined();
    expect(failed!.value[3]).toBe('failure');
    expect(failed!.value[5]).toBe('Bash');
    expect(failed!.color).toBe('#c62828');
    const li = page.locator('.lane[data-depth="1"] li.call[data-tool="Bash"]', {
      hasText: 'ls /nonexistent-dir-xyz',
    });
    expect(await li.count()).toBe(1);
    expect(await li.getAttribute('data-outcome')).toBe('failure');
    expect(await li.textContent()).toMatch(/No such file or directory/);
    // a successful call is shown as one
    const ok = page.locator('li.call[data-tool="Read"]');
    expect(await ok.first().getAttribute('data-outcome')).toBe('success');
    // file changes carry their diff, as text
    const file = page.locator('li.file').first();
    await file.locator('summary').click();
    expect(await file.locator('pre.diff').textContent()).toMatch(/^\+/m);
    expect(opened.problems).toEqual([]);
  });

  test('--phase: one phase, and a one-line error for a phase that does not exist', () => {
    const out = path.join(tmpDir('at-dash-'), 'site');
    const one = track(repo, ['dashboard', '--phase', 'phase-1', '--out', out, '--json']);
    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout).sessions).toBe(1);
    const none = track(repo, ['dashboard', '--phase', 'nope', '--out', out]);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe("agent-track: no phase 'nope' (see `agent-track phase list`)\n");
    const port = track(repo, ['dashboard', '--serve', 'x', '--out', out]);
    expect(port.status).toBe(1);
    expect(port.stderr).toMatch(/^agent-track: --serve takes a port number/);
  });

  test('agents and tools: the review tables sort on a click of a header', async () => {
    const { page } = opened;
    await page.click('nav button[data-tab="agents"]');
    const firstTool = () => page.locator('#tools-table tbody tr').first().locator('td').first().textContent();
    await page.click('#tools-table th[data-col="tool"]');
    expect(await firstTool()).toBe('Agent');
    await page.click('#tools-table th[data-col="tool"]');
    expect(await firstTool()).toBe('Write');
    await page.click('#tools-table th[data-col="failures"]');
    expect(await firstTool()).toBe('Bash');
    expect(await page.locator('#agents-table tbody tr').count()).toBeGreaterThanOrEqual(2);
  });

  test('the recovery view lists the snapshot with its resume and restore commands, copyable', async () => {
    const { page } = opened;
    await page.click('nav button[data-tab="recovery"]');
    const card = page.locator(`[data-snapshot="${snapshot}"]`);
    expect(await card.count()).toBe(1);
    expect(await card.textContent()).toContain('note: x');
    const restore = `agent-track restore ${snapshot} --worktree ../proj-${snapshot.replace('@', '-')}`;
    expect(await card.locator('code.cmd').first().textContent()).toBe(restore);
    expect(await card.locator('button.copy').first().getAttribute('data-copy')).toBe(restore);
    // the session's conversation is on the branch: the fork from this moment, too
    const fork = `agent-track continue --at ${snapshot} --worktree ../proj-${snapshot.replace('@', '-')}`;
    expect(await card.locator('code.cmd').nth(1).textContent()).toBe(fork);
    const resume = `agent-track resume --session ${SPRINT_SESSION}`;
    const panel = page.locator(`[data-session="${SPRINT_SESSION}"]`);
    expect(await panel.locator('code.cmd').first().textContent()).toBe(resume);
    expect(await panel.locator('code.cmd').nth(1).textContent()).toBe(
      `agent-track continue ${SPRINT_SESSION}`,
    );
    await card.locator('button.copy').first().click();
    await page.waitForFunction(
      (id) => document.querySelector(`[data-snapshot="${id}"] button.copy`)?.textContent === 'copied',
      snapshot,
    );
    expect(opened.problems).toEqual([]);
  });
});

test('an empty store shows what to run, not a blank page', async () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  const built = buildPage(repo);
  expect(built.sessions).toBe(0);
  const { page, problems } = await open(browser, built.file);
  const text = await page.locator('#empty-state').textContent();
  expect(text).toContain('Nothing recorded yet');
  expect(text).toContain('agent-track init');
  expect(text).toContain('Claude Code');
  expect(problems).toEqual([]);
  await page.close();
});

test('--serve 0 serves the page on 127.0.0.1 until stopped', async () => {
  const repo = sprintRepo();
  const child = spawn(process.execPath, [BIN, 'dashboard', '--serve', '0', '--json'], { cwd: repo });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.on('exit', () => reject(new Error(`dashboard --serve exited early: ${stderr}`)));
    });
    const url = JSON.parse(line).served as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('id="dashboard-data"');
    expect(html).toContain(SPRINT_SESSION);
    expect((await fetch(`${url}nothing-here`)).status).toBe(404);
    const { page, problems } = await (async () => {
      const p = await browser.newPage();
      const errs: string[] = [];
      p.on('pageerror', (e) => errs.push(e.message));
      await p.goto(url);
      await p.waitForFunction(() => (window as any).__dashboardReady === true, null, { timeout: 15_000 });
      return { page: p, problems: errs };
    })();
    expect(problems).toEqual([]);
    await page.close();
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  expect(stderr).toBe('');
});
