/** The S3 tier against a real S3 protocol server (s3rver): archive, list, restore, faults. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  asyncCli,
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  recordSprint,
  SPRINT_SESSION,
  tmpDir,
  track,
  trackAsync,
} from '../lib/cli.js';
import { type S3StandIn, startS3 } from '../lib/s3.js';

let s3: S3StandIn;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3.close();
  await cleanupTmp();
});

// async: the S3 stand-in runs in this process, and a synchronous spawn would block it
const { run, json } = asyncCli(() => s3.env);

function small(repo: string, session: string): void {
  for (const p of [
    { hook_event_name: 'SessionStart', source: 'startup' },
    { hook_event_name: 'UserPromptSubmit', prompt: `task ${session}` },
    { hook_event_name: 'SessionEnd', reason: 'other' },
  ])
    track(
      repo,
      ['hook'],
      JSON.stringify({ session_id: session, cwd: repo, transcript_path: '/dev/null', ...p }),
      {
        AGENT_TRACK_NO_FLUSH: '1',
      },
    );
  expect(flushNow(repo).status).toBe(0);
}

/** Four phases: the recorded sprint in phase-1, a small session in each of phase-2 and phase-3, phase-4 current. */
function fourPhases(): string {
  const repo = makeRepo();
  git(repo, ['remote', 'add', 'origin', 'git@github.com:acme/proj.git']);
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  recordSprint(repo);
  for (const [k, next] of ['phase-2', 'phase-3', 'phase-4'].entries()) {
    expect(track(repo, ['phase', 'end', '--json']).status).toBe(0);
    if (next !== 'phase-4') small(repo, `s-${k + 2}`);
  }
  return repo;
}

const prefixOf = (phase: string) => `agent-tracking/repo=acme-proj/phase=${phase}`;

describe('archive, list, restore', () => {
  let repo: string;
  let before: { tip: string; tree: string; events: number; cost: number };
  let result: any;
  beforeAll(async () => {
    repo = fourPhases();
    before = {
      tip: git(repo, ['rev-parse', 'agent-tracking']).trim(),
      tree: git(repo, ['rev-parse', 'agent-tracking:phases/phase-1']).trim(),
      events: (await json(repo, ['query', "select count(*) as n from events where phase = 'phase-1'"]))[0].n,
      cost: (await json(repo, ['stats'])).costUsd,
    };
    result = await json(repo, ['archive', '--bucket', s3.bucket]);
  });

  test('phases more than 2 behind go to S3 as Parquet per view, raw files and a manifest; verified, then pruned', async () => {
    expect(result.phases.map((p: any) => p.phase)).toEqual(['phase-1']);
    const keys = (await s3.keys()).filter((k) => k.includes('phase=phase-1/'));
    expect(keys).toEqual(
      [
        ...['agents', 'decisions', 'errors', 'events', 'file_changes', 'sessions', 'tool_calls', 'usage'].map(
          (v) => `${prefixOf('phase-1')}/${v}/part-0.parquet`,
        ),
        `${prefixOf('phase-1')}/manifest.json`,
        `${prefixOf('phase-1')}/raw/phase.tar.gz`,
      ].sort(),
    );
    const manifest = JSON.parse((await s3.get(`${prefixOf('phase-1')}/manifest.json`)).toString());
    expect(manifest).toMatchObject({
      phase: 'phase-1',
      repo: 'acme-proj',
      storageClass: 'DEEP_ARCHIVE',
      treeOid: before.tree,
    });
    const { createHash } = await import('node:crypto');
    for (const o of manifest.objects) {
      const bytes = await s3.get(o.key);
      expect(bytes.length).toBe(o.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(o.sha256);
    }
    expect(manifest.rows.events).toBe(before.events);
    // only phase-1 went: phase-2 and phase-3 are within keep
    expect((await s3.keys()).some((k) => k.includes('phase=phase-2'))).toBe(false);
    // the tip keeps the phase's small files and the marker; history keeps the rest
    expect(
      git(repo, ['ls-tree', '--name-only', 'agent-tracking:phases/phase-1']).trim().split('\n').sort(),
    ).toEqual(['ARCHIVED.json', 'phase.json', 'review.json', 'review.md']);
    expect(git(repo, ['rev-parse', 'agent-tracking~1:phases/phase-1']).trim()).toBe(before.tree);
    expect((await json(repo, ['sessions'])).map((s: any) => s.session)).not.toContain(SPRINT_SESSION);
    const [listed] = await json(repo, ['archive', 'list']);
    expect(listed).toMatchObject({
      phase: 'phase-1',
      bucket: s3.bucket,
      manifestKey: `${prefixOf('phase-1')}/manifest.json`,
    });
    const phases = await json(repo, ['phase', 'list']);
    expect(phases.find((p: any) => p.name === 'phase-1')).toMatchObject({
      archived: true,
      reviewed: true,
      current: false,
    });
    expect(phases.find((p: any) => p.current).name).toBe('phase-4');
    // a second run has nothing to do
    expect((await json(repo, ['archive', '--bucket', s3.bucket])).phases).toEqual([]);
  });

  test('the Parquet files read back in DuckDB with the same row counts', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const dir = tmpDir('at-parquet-');
    const manifest = JSON.parse((await s3.get(`${prefixOf('phase-1')}/manifest.json`)).toString());
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    for (const o of manifest.objects.filter((x: any) => x.kind === 'parquet')) {
      const file = path.join(dir, `${o.view}.parquet`);
      fs.writeFileSync(file, await s3.get(o.key));
      const rows = (
        await db.runAndReadAll(`select count(*)::INT as n from read_parquet('${file}')`)
      ).getRowObjects();
      expect([o.view, rows[0].n]).toEqual([o.view, manifest.rows[o.view]]);
    }
    const cost = (
      await db.runAndReadAll(
        `select round(sum(cost_usd), 6)::DOUBLE as c from read_parquet('${path.join(dir, 'usage.parquet')}')`,
      )
    ).getRowObjects()[0].c;
    expect(cost).toBe(0.068763);
  });

  test('query --archive: SQL over the archived Parquet (fetched once into a cache); Glacier objects are named, not read', async () => {
    const url = `s3://${s3.bucket}/agent-tracking`;
    const [row] = await json(repo, [
      'query',
      '--archive',
      url,
      'select count(*) as n, min(phase) as phase from events',
    ]);
    expect(row).toEqual({ n: before.events, phase: 'phase-1' });
    const [cost] = await json(repo, [
      'query',
      '--archive',
      url,
      'select round(sum(cost_usd), 6) as c from usage',
    ]);
    expect(cost.c).toBe(0.068763);
    const gets = s3.requests.length;
    await json(repo, ['query', '--archive', url, 'select 1 as x']);
    // the second query downloads nothing: only the listing
    expect(s3.requests.slice(gets).filter((r) => r.method === 'GET' && r.path.includes('.parquet'))).toEqual(
      [],
    );
    s3.glacier = true;
    try {
      fs.rmSync(path.join(repo, '.git', 'agent-tracking', 'cache', 'archive'), { recursive: true });
      const other = await run(repo, ['query', '--archive', url, 'select 1']);
      expect(other.status).toBe(1);
      expect(other.stderr).toMatch(
        /^agent-track: 8 Parquet objects are still in Glacier \(phases phase-1\)[^\n]*\n$/,
      );
    } finally {
      s3.glacier = false;
    }
  });

  test('restore: still in Glacier -> a restore request, then in progress, then laid back byte for byte', async () => {
    s3.glacier = true;
    try {
      const first = await json(repo, ['archive', 'restore', 'phase-1']);
      expect(first).toMatchObject({
        outcome: 'requested',
        waiting: [`${prefixOf('phase-1')}/raw/phase.tar.gz`],
      });
      expect(Date.parse(first.readyBy) - Date.now()).toBeGreaterThan(11 * 3600_000);
      expect([...s3.restoreRequested]).toEqual([`${prefixOf('phase-1')}/raw/phase.tar.gz`]);
      expect((await json(repo, ['archive', 'restore', 'phase-1'])).outcome).toBe('in-progress');
      // still pruned
      expect(git(repo, ['ls-tree', '--name-only', 'agent-tracking:phases/phase-1'])).toContain(
        'ARCHIVED.json',
      );
      s3.restored.add(`${prefixOf('phase-1')}/raw/phase.tar.gz`);
      expect((await json(repo, ['archive', 'restore', 'phase-1'])).outcome).toBe('restored');
    } finally {
      s3.glacier = false;
    }
    expect(git(repo, ['rev-parse', 'agent-tracking:phases/phase-1']).trim()).toBe(before.tree);
    expect(git(repo, ['diff', '--stat', before.tip, 'agent-tracking', '--', 'phases/phase-1'])).toBe('');
    expect((await json(repo, ['sessions'])).map((s: any) => s.session)).toContain(SPRINT_SESSION);
    expect((await json(repo, ['stats'])).costUsd).toBe(before.cost);
    git(repo, ['fsck', '--strict', '--no-dangling']);
  });
});

describe('faults and credentials', () => {
  test('a connection dropped in the middle of an upload is retried and the archive completes', async () => {
    const repo = fourPhases();
    s3.dropped = [];
    s3.dropNextUpload = /\/raw\/phase\.tar\.gz/;
    const r = await json(repo, ['archive', '--bucket', s3.bucket, '--prefix', 'drop']);
    expect(s3.dropped).toHaveLength(1);
    expect(r.phases.map((p: any) => p.phase)).toEqual(['phase-1']);
    expect(git(repo, ['ls-tree', '--name-only', 'agent-tracking:phases/phase-1'])).toContain('ARCHIVED.json');
  });

  test('an upload that keeps failing prunes nothing and writes no manifest', async () => {
    const repo = fourPhases();
    const tip = git(repo, ['rev-parse', 'agent-tracking']).trim();
    s3.failUploads = /\/usage\/part-0\.parquet/;
    try {
      const r = await run(repo, ['archive', '--bucket', s3.bucket, '--prefix', 'fail']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^agent-track: S3 \(agent-archive\): [^\n]+\n$/);
    } finally {
      s3.failUploads = null;
    }
    expect(git(repo, ['rev-parse', 'agent-tracking']).trim()).toBe(tip);
    expect((await s3.keys()).filter((k) => k.startsWith('fail/') && k.endsWith('manifest.json'))).toEqual([]);
  });

  test.each([
    ['archive-kill-after-3', false],
    ['archive-kill-before-prune', true],
  ])(
    'SIGKILL in the middle (%s), then a re-run: complete, no duplicate, nothing lost',
    async (fault, resumed) => {
      const repo = fourPhases();
      const tree = git(repo, ['rev-parse', 'agent-tracking:phases/phase-1']).trim();
      const tip = git(repo, ['rev-parse', 'agent-tracking']).trim();
      const prefix = `kill-${fault}`;
      const killed = await trackAsync(
        repo,
        ['archive', '--bucket', s3.bucket, '--prefix', prefix],
        undefined,
        {
          ...s3.env,
          AGENT_TRACK_FAULT: fault,
        },
      );
      expect(killed.status).toBeNull();
      expect(git(repo, ['rev-parse', 'agent-tracking']).trim()).toBe(tip);
      const again = await json(repo, ['archive', '--bucket', s3.bucket, '--prefix', prefix]);
      expect(again.phases.map((p: any) => [p.phase, p.resumed])).toEqual([['phase-1', resumed]]);
      const keys = (await s3.keys()).filter((k) => k.startsWith(`${prefix}/`));
      expect(keys).toHaveLength(10);
      expect(new Set(keys).size).toBe(10);
      const log = git(repo, ['log', '--format=%s', 'agent-tracking']).split('\n');
      expect(log.filter((l) => l.startsWith('agent-track: archive phase-1'))).toHaveLength(1);
      expect(git(repo, ['rev-parse', 'agent-tracking~1:phases/phase-1']).trim()).toBe(tree);
      // and it restores
      expect((await json(repo, ['archive', 'restore', 'phase-1'])).outcome).toBe('restored');
      expect(git(repo, ['rev-parse', 'agent-tracking:phases/phase-1']).trim()).toBe(tree);
    },
  );

  test('missing or wrong credentials: one line naming what to set, exit 1, nothing pruned', async () => {
    const repo = fourPhases();
    const tip = git(repo, ['rev-parse', 'agent-tracking']).trim();
    const home = tmpDir('at-nohome-');
    const none = await run(repo, ['archive', '--bucket', s3.bucket], {
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      HOME: home,
      AWS_CONFIG_FILE: path.join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(
      /^agent-track: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY[^\n]*\n$/,
    );
    const wrong = await run(repo, ['archive', '--bucket', s3.bucket], {
      AWS_ACCESS_KEY_ID: 'WRONG',
      AWS_SECRET_ACCESS_KEY: 'nope',
    });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(
      /^agent-track: S3 refused the credentials for bucket agent-archive[^\n]*\n$/,
    );
    expect(git(repo, ['rev-parse', 'agent-tracking']).trim()).toBe(tip);
    const noBucket = track(repo, ['archive']);
    expect(noBucket.stderr).toBe(
      'agent-track: name the bucket: --bucket NAME, or archive.bucket in .agent-tracking.yml\n',
    );
  });
});
