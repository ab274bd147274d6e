/**
 * The Action as it is published: package.json names it, init's workflow uses that name, the release
 * workflow tags what CI checked, our CI runs the Action itself (`uses: ./`) on the Node the runners
 * have, and `engines` says what our dependencies need.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ACTION_REF, ACTION_REPO, WORKFLOW_TEMPLATE } from '../../src/capture/workflow.js';
import { ROOT } from '../lib/cli.js';

const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const pkg = JSON.parse(read('package.json'));
const workflows = fs.readdirSync(path.join(ROOT, '.github', 'workflows'));

test('package.json names the Action’s repository, and the workflow init writes uses it (and says how a fork points at its own)', () => {
  const slug = /^git\+https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\.git$/.exec(pkg.repository.url)?.[1];
  expect(slug).toBe(ACTION_REPO);
  expect(ACTION_REF).toBe(`${slug}@v${pkg.version.split('.')[0]}`);
  const wf = parse(WORKFLOW_TEMPLATE);
  const uses = Object.values(wf.jobs).flatMap((j: any) =>
    j.steps.map((s: any) => s.uses).filter((u: string) => u?.includes(ACTION_REPO)),
  );
  expect(uses).toEqual([ACTION_REF, ACTION_REF]);
  expect(WORKFLOW_TEMPLATE).toContain('repository field of subagent-tracking');
  expect(WORKFLOW_TEMPLATE).toMatch(/fork of it, point both .* at owner\/fork@ref/);
});

test('action.yml fits the Marketplace: a description of at most 125 characters, Node 24', () => {
  const action = parse(read('action.yml'));
  expect(action.description.length).toBeLessThanOrEqual(125);
  expect(action.runs.using).toBe('node24');
  expect(action.name).toBeTruthy();
  expect(action.branding).toBeDefined();
});

test('the release workflow: a v1.2.3 tag equal to package.json’s version, dist/ rebuilt and unchanged, then v1 moved onto it', () => {
  const wf = parse(read('.github/workflows/release.yml'));
  const pattern = wf.on.push.tags[0] as string;
  // GitHub's tag filter: + means one or more of the previous class
  const re = new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\]\+/g, ']+')}$`);
  expect(re.test('v1.2.3')).toBe(true);
  expect(re.test('v1')).toBe(false);
  const job = wf.jobs.release;
  expect(job.permissions).toEqual({ contents: 'write' });
  const runs = job.steps.map((s: any) => s.run ?? '').join('\n');
  expect(runs).toContain('require("./package.json").version');
  expect(runs).toContain('npm run build && git diff --exit-code -- dist');
  expect(runs).toContain('major="${GITHUB_REF_NAME%%.*}"');
  expect(runs).toMatch(/git push -f origin "refs\/tags\/\$major"/);
  // what the step computes, for the tag of this version
  const major = execFileSync('bash', ['-c', 'GITHUB_REF_NAME=v1.4.2; echo "${GITHUB_REF_NAME%%.*}"'], {
    encoding: 'utf8',
  }).trim();
  expect(major).toBe('v1');
  expect(job.steps.find((s: any) => s.uses?.startsWith('actions/setup-node')).with['node-version']).toBe(24);
});

test('our CI: Node 24 (and the engines floor), no Node 20 anywhere, and a smoke job that runs the Action itself (uses: ./)', () => {
  const ci = parse(read('.github/workflows/ci.yml'));
  expect(ci.jobs.test.strategy.matrix.node).toContain(24);
  const smoke = Object.values(ci.jobs).find((j: any) => j.steps.some((s: any) => s.uses === './')) as any;
  expect(smoke).toBeDefined();
  const step = smoke.steps.find((s: any) => s.uses === './');
  expect(
    smoke.steps.some((s: any) => String(s.run ?? '').includes(`steps.${step.id}.outputs`)) ||
      smoke.steps.some((s: any) =>
        JSON.stringify(s.env ?? {}).includes(`steps.${step.id}.outputs.report-path`),
      ),
  ).toBe(true);
  for (const f of workflows) {
    const wf = parse(read(`.github/workflows/${f}`));
    for (const job of Object.values(wf.jobs) as any[])
      for (const s of job.steps)
        if (s.uses?.startsWith('actions/setup-node')) expect(String(s.with['node-version'])).not.toBe('20');
  }
  expect(workflows.sort()).toEqual(['check-dist.yml', 'ci.yml', 'release.yml']);
});

test('engines tells the truth: its floor satisfies every installed production dependency’s own engines', () => {
  // semver (npm's own, here through our dependencies): the rules npm applies to engines
  const semver = require('semver') as {
    minVersion(range: string): { version: string } | null;
    satisfies(version: string, range: string): boolean;
    validRange(range: string): string | null;
    gt(a: string | { version: string }, b: string): boolean;
    major(v: string): number;
  };
  const floor = semver.minVersion(pkg.engines.node)!.version;
  const dirs = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
    .split('\n')
    .filter(Boolean);
  const needs: string[] = [];
  let highest = '0.0.0';
  for (const d of dirs) {
    const file = path.join(d, 'package.json');
    if (!fs.existsSync(file) || d === ROOT) continue;
    const p = JSON.parse(fs.readFileSync(file, 'utf8'));
    const range = p.engines?.node;
    if (!range || !semver.validRange(range)) continue;
    if (!semver.satisfies(floor, range)) needs.push(`${p.name}@${p.version} wants ${range}`);
    const min = semver.minVersion(range);
    if (min && semver.gt(min, highest)) highest = min.version;
  }
  expect(needs).toEqual([]);
  // and it is not stricter than they need
  expect(semver.major(floor)).toBe(semver.major(highest));
});
