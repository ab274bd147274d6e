/**
 * An organisation's lake (archive --lake) against a real S3 protocol server (s3rver): two real
 * repositories, each with real sessions (the recorded sprint through the hooks; an imported
 * transcript), export their current phases under one bucket and prefix; query --archive reads both.
 */
import * as path from 'node:path';
import {
  asyncCli,
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  recordSprint,
  SPRINT_SESSION,
  track,
  trackAsync,
} from '../lib/cli.js';
import { type S3StandIn, startS3 } from '../lib/s3.js';

const ROOT = path.resolve(__dirname, '..', '..');
const OTHER = path.join(ROOT, 'test', 'fixtures', 'release-0.1', 'transcripts');
const OTHER_SESSION = '0b7d1e2a-5c3f-4e61-9a8b-2f4c6d8e0a11';

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

const PREFIX = 'org-lake';
const URL = () => `s3://${s3.bucket}/${PREFIX}`;
const lake = (repo: string, extra: string[] = []) =>
  json(repo, ['archive', '--bucket', s3.bucket, '--prefix', PREFIX, '--lake', ...extra]);
const puts = (from: number) =>
  s3.requests
    .slice(from)
    .filter((r) => r.method === 'PUT' || (r.method === 'POST' && /uploads/.test(r.path)));

/** One session through the hooks, its prompt holding a secret the redactor must take out. */
const SECRET = `${'ghp_'}Xq3Lm9Zr3Tk8Wb5Nc2Hd6Pf4Gj0Vs1Ey7Ru2`;
function promptSession(repo: string, session: string): void {
  for (const p of [
    { hook_event_name: 'SessionStart', source: 'startup' },
    { hook_event_name: 'UserPromptSubmit', prompt: `deploy with token ${SECRET} please` },
    { hook_event_name: 'SessionEnd', reason: 'other' },
  ])
    expect(
      track(
        repo,
        ['hook'],
        JSON.stringify({ session_id: session, cwd: repo, transcript_path: '/dev/null', ...p }),
        {
          AGENT_TRACK_NO_FLUSH: '1',
        },
      ).status,
    ).toBe(0);
  expect(flushNow(repo).status).toBe(0);
}

/** What `stats --json` and `sessions --json` say of a repository: the figures the lake must equal. */
async function figures(repo: string) {
  const s = await json(repo, ['stats']);
  const sessions = (await json(repo, ['sessions'])).map((x: any) => x.session).sort();
  return { tokens: s.tokens, costUsd: s.costUsd, sessions };
}

/** The same figures, per repo, from the lake (cost from the exact integer units, rounded as stats rounds). */
async function lakeFigures(repo: string) {
  const rows = await json(repo, [
    'query',
    '--archive',
    URL(),
    `select repo, sum(input_tokens) as input, sum(output_tokens) as output, sum(cache_read_tokens) as cache_read,
            sum(cache_write_tokens) as cache_write, sum(cost_units)::BIGINT as units
     from usage group by repo order by repo`,
  ]);
  const sessions = await json(repo, [
    'query',
    '--archive',
    URL(),
    'select repo, list(session order by session) as sessions, count(*) as n from sessions group by repo order by repo',
  ]);
  const out: Record<string, any> = {};
  for (const r of rows)
    out[r.repo] = {
      tokens: { input: r.input, output: r.output, cacheRead: r.cache_read, cacheWrite: r.cache_write },
      costUsd: Math.round(r.units / 100) / 1e8,
    };
  for (const s of sessions) {
    out[s.repo] ??= { tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, costUsd: 0 };
    out[s.repo].sessions = s.sessions;
    out[s.repo].n = s.n;
  }
  return out;
}

describe('two repositories, one lake', () => {
  let one: string;
  let two: string;
  let beforeImport: string;
  beforeAll(() => {
    // acme/one: the recorded sprint in phase-1, then a session holding a secret in phase-2 (current)
    one = makeRepo();
    git(one, ['remote', 'add', 'origin', 'git@github.com:acme/one.git']);
    expect(track(one, ['init', '--yes']).status).toBe(0);
    recordSprint(one);
    expect(track(one, ['phase', 'end', '--json']).status).toBe(0);
    promptSession(one, 's-secret');
    // Acme/Two (spelled with capitals in this clone's remote): an imported transcript in phase-1
    two = makeRepo();
    git(two, ['remote', 'add', 'origin', 'https://github.com/Acme/Two.git']);
    expect(track(two, ['init', '--yes']).status).toBe(0);
    expect(track(two, ['import', OTHER]).status).toBe(0);
  });

  test('each exports its current phases; query --archive covers both, with the figures of each one’s stats --json', async () => {
    // a dry run exports and measures, and sends nothing
    const at = s3.requests.length;
    const dry = await lake(one, ['--dry-run']);
    expect(dry.lake.phases.map((p: any) => [p.phase, p.outcome, p.uploaded])).toEqual([
      ['phase-1', 'exported', 8],
      ['phase-2', 'exported', 8],
    ]);
    expect(dry.lake.phases[0].bytes).toBeGreaterThan(0);
    expect(puts(at)).toEqual([]);
    const a = await lake(one);
    expect(a.phases).toEqual([]); // nothing is old enough to archive
    expect(a.lake).toMatchObject({ repo: 'acme-one', bucket: s3.bucket, prefix: PREFIX });
    expect(a.lake.phases.map((p: any) => [p.phase, p.outcome, p.uploaded])).toEqual([
      ['phase-1', 'exported', 8],
      ['phase-2', 'exported', 8],
    ]);
    const b = await lake(two);
    expect(b.lake.repo).toBe('acme-two');
    expect(b.lake.phases.map((p: any) => [p.phase, p.outcome])).toEqual([['phase-1', 'exported']]);
    const keys = await s3.keys();
    expect(keys.filter((k) => k.endsWith('/lake.json'))).toEqual([
      `${PREFIX}/repo=acme-one/phase=phase-1/lake.json`,
      `${PREFIX}/repo=acme-one/phase=phase-2/lake.json`,
      `${PREFIX}/repo=acme-two/phase=phase-1/lake.json`,
    ]);
    // the lake holds Parquet only: no raw files, no archive manifest
    expect(keys.filter((k) => k.startsWith(PREFIX) && !/\/part-0\.parquet$|\/lake\.json$/.test(k))).toEqual(
      [],
    );

    const fromLake = await lakeFigures(one);
    const [fOne, fTwo] = [await figures(one), await figures(two)];
    expect(Object.keys(fromLake)).toEqual(['acme-one', 'acme-two']);
    expect(fromLake['acme-one']).toEqual({ ...fOne, n: fOne.sessions.length });
    expect(fromLake['acme-two']).toEqual({ ...fTwo, n: fTwo.sessions.length });
    expect(fOne.sessions).toEqual([SPRINT_SESSION, 's-secret'].sort());
    expect(fTwo.sessions).toEqual([OTHER_SESSION]);
    expect(fOne.costUsd).toBe(0.068763);
    expect(fTwo.costUsd).toBeGreaterThan(0);
    // the per-event cost_usd the archive always had sums to the same figure
    const [c] = await json(one, [
      'query',
      '--archive',
      URL(),
      "select round(sum(cost_usd), 8) as c from usage where repo = 'acme-one'",
    ]);
    expect(c.c).toBe(fOne.costUsd);
    // one query, both repositories: events by repo and phase
    const byPhase = await json(two, [
      'query',
      '--archive',
      URL(),
      'select repo, phase, count(distinct session) as sessions from events group by all order by all',
    ]);
    expect(byPhase).toEqual([
      { repo: 'acme-one', phase: 'phase-1', sessions: 1 },
      { repo: 'acme-one', phase: 'phase-2', sessions: 1 },
      { repo: 'acme-two', phase: 'phase-1', sessions: 1 },
    ]);
    // what went up is what the branch holds: redacted
    const prompts = await json(one, [
      'query',
      '--archive',
      URL(),
      "select text::VARCHAR as t from events where type = 'prompt' and session = 's-secret'",
    ]);
    expect(prompts).toHaveLength(1);
    expect(prompts[0].t).toContain('deploy with token');
    expect(prompts[0].t).not.toContain(SECRET);
    const everything = await run(one, ['query', '--archive', URL(), 'select * from events', '--csv']);
    expect(everything.status).toBe(0);
    expect(everything.stdout).not.toContain(SECRET.slice(4));
  });

  test('a re-run uploads nothing; a new session is exported and the figures follow', async () => {
    const before = s3.requests.length;
    const again = await lake(one);
    expect(again.lake.phases.map((p: any) => [p.phase, p.outcome, p.uploaded, p.unchanged])).toEqual([
      ['phase-1', 'unchanged', 0, 8],
      ['phase-2', 'unchanged', 0, 8],
    ]);
    expect(puts(before)).toEqual([]);
    // as a person reads it
    const said = await run(one, ['archive', '--bucket', s3.bucket, '--prefix', PREFIX, '--lake']);
    expect(said.status).toBe(0);
    expect(said.stdout.split('\n')).toEqual([
      'nothing to archive: no phase is more than 2 behind the current one',
      ...['phase-1', 'phase-2'].map((p) =>
        expect.stringMatching(
          new RegExp(
            `^lake ${p}: unchanged, 0 uploaded, 8 already there, [\\d.]+ MB, \\d+ events -> s3://agent-archive/${PREFIX}/repo=acme-one/phase=${p}/$`,
          ),
        ),
      ),
      '',
    ]);

    // the imported transcript becomes a session of acme/one's current phase too
    beforeImport = git(one, ['rev-parse', 'agent-tracking']).trim();
    expect(track(one, ['import', OTHER]).status).toBe(0);
    const at = s3.requests.length;
    const grown = await lake(one);
    expect(grown.lake.phases.map((p: any) => [p.phase, p.outcome])).toEqual([
      ['phase-1', 'unchanged'],
      ['phase-2', 'exported'],
    ]);
    // only phase-2's objects (the views that changed, and its lake.json) went up
    const sent = puts(at).map((r) => decodeURIComponent(r.path));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((p) => p.includes('/repo=acme-one/phase=phase-2/'))).toBe(true);
    const fOne = await figures(one);
    expect(fOne.sessions).toEqual([SPRINT_SESSION, OTHER_SESSION, 's-secret'].sort());
    const fromLake = await lakeFigures(one);
    expect(fromLake['acme-one']).toEqual({ ...fOne, n: 3 });
    expect(fromLake['acme-two'].n).toBe(1);
  });

  test('a phase exported by the lake and later archived: one copy, counted once, still queryable', async () => {
    const before = await figures(one);
    const lakeKeys = (await s3.keys()).filter((k) => k.includes('repo=acme-one/phase=phase-1/'));
    expect(track(one, ['phase', 'end', '--json']).status).toBe(0);
    expect(track(one, ['phase', 'end', '--json']).status).toBe(0);
    const at = s3.requests.length;
    const r = await lake(one, ['--keep', '2']);
    expect(r.phases.map((p: any) => p.phase)).toEqual(['phase-1']);
    // the Parquet was in S3 already, with the same bytes: only the raw files and the manifest went up
    const sent = puts(at).map((x) => decodeURIComponent(x.path));
    expect(sent.filter((p) => p.includes('phase=phase-1/') && p.includes('.parquet'))).toEqual([]);
    expect(sent.some((p) => p.includes('phase=phase-1/raw/phase.tar.gz'))).toBe(true);
    // the lake leaves the archived phase to archive, and exports the others
    expect(r.lake.phases.map((p: any) => [p.phase, p.outcome])).toEqual([['phase-2', 'unchanged']]);
    const keys = (await s3.keys()).filter((k) => k.includes('repo=acme-one/phase=phase-1/'));
    expect(keys).toEqual(
      [
        ...lakeKeys.filter((k) => !k.endsWith('lake.json')),
        `${PREFIX}/repo=acme-one/phase=phase-1/manifest.json`,
        `${PREFIX}/repo=acme-one/phase=phase-1/raw/phase.tar.gz`,
      ].sort(),
    );
    const manifest = JSON.parse(
      (await s3.get(`${PREFIX}/repo=acme-one/phase=phase-1/manifest.json`)).toString(),
    );
    expect(manifest).toMatchObject({ storageClass: 'DEEP_ARCHIVE', parquetStorageClass: 'STANDARD' });
    // the branch no longer holds phase-1's sessions; the lake holds each session once
    expect((await figures(one)).sessions).not.toContain(SPRINT_SESSION);
    s3.glacier = true; // the raw tar is in Deep Archive; the lake's Parquet is not
    try {
      const fromLake = await lakeFigures(one);
      expect(fromLake['acme-one']).toEqual({ ...before, n: before.sessions.length });
    } finally {
      s3.glacier = false;
    }
    // archived and current side by side, once each
    const rows = await json(one, [
      'query',
      '--archive',
      URL(),
      "select phase, count(*) as n from sessions where repo = 'acme-one' group by 1 order by 1",
    ]);
    expect(rows).toEqual([
      { phase: 'phase-1', n: 1 },
      { phase: 'phase-2', n: 2 },
    ]);
    // and it restores byte for byte from the archive as ever
    s3.glacier = false;
    expect((await json(one, ['archive', 'restore', 'phase-1'])).outcome).toBe('restored');
    expect((await figures(one)).sessions).toEqual(before.sessions);
  });

  test('a clone whose branch is behind the exported one leaves that phase alone', async () => {
    // a clone of acme/one's branch as it was before the import: its tip is older than the export's
    const stale = makeRepo();
    git(stale, ['remote', 'add', 'origin', 'git@github.com:acme/one.git']);
    git(one, ['branch', '-f', 'before-import', beforeImport]);
    git(stale, ['fetch', '-q', one, 'before-import:refs/heads/agent-tracking']);
    const at = s3.requests.length;
    const r = await lake(stale);
    const p2 = r.lake.phases.find((p: any) => p.phase === 'phase-2');
    expect(p2.outcome).toBe('behind');
    expect(puts(at).filter((x) => x.path.includes('phase=phase-2'))).toEqual([]);
  });

  test('after a compaction (a new root: the exported tip is out of the history) the phase is still exported as it grows', async () => {
    const current = (await json(one, ['phase', 'list'])).find((p: any) => p.current).name;
    promptSession(one, 's-before-compaction');
    expect((await lake(one)).lake.phases.find((p: any) => p.phase === current).outcome).toBe('exported');
    // the branch given a new root whose tree is the tip's, as compaction does; a clone fetches it
    const tip = git(one, ['rev-parse', 'agent-tracking']).trim();
    const id = {
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.com',
    };
    const root = git(one, ['commit-tree', `${tip}^{tree}`, '-m', 'compacted'], {
      env: { ...process.env, ...id },
    }).trim();
    git(one, ['branch', '-f', 'compacted', root]);
    const clone = makeRepo();
    git(clone, ['remote', 'add', 'origin', 'git@github.com:acme/one.git']);
    git(clone, ['fetch', '-q', one, 'compacted:refs/heads/agent-tracking']);
    // the same content: nothing to send, and nothing taken back
    expect((await lake(clone)).lake.phases.find((p: any) => p.phase === current).outcome).toBe('unchanged');
    // a session more: the export's tip is not in this history, but this phase holds more than it
    promptSession(clone, 's-after-compaction');
    const r = await lake(clone);
    expect(r.lake.phases.find((p: any) => p.phase === current).outcome).toBe('exported');
    const rows = await json(clone, [
      'query',
      '--archive',
      URL(),
      `select session from sessions where repo = 'acme-one' and phase = '${current}' order by 1`,
    ]);
    expect(rows.map((x: any) => x.session)).toEqual(['s-after-compaction', 's-before-compaction']);
  });
});

describe('the repo= key', () => {
  test('the same for every clone: remote owner/name lower-cased, archive.repo, or the first commit', async () => {
    const { repoKey, repoKeyOfUrl } = await import('../../src/cloud/repo-key.js');
    const { findRepo } = await import('../../src/store/paths.js');
    for (const [url, key] of [
      ['git@github.com:Acme/Proj.git', 'acme-proj'],
      ['https://github.com/acme/proj', 'acme-proj'],
      ['https://x-access-token:abc@github.com/acme/proj.git', 'acme-proj'],
      ['ssh://git@gitlab.example.com:2222/group/sub/proj.git', 'sub-proj'],
      ['/srv/git/proj.git', null],
      ['file:///srv/git/proj.git', null],
    ] as const)
      expect([url, repoKeyOfUrl(url)]).toEqual([url, key]);
    const a = makeRepo();
    const root = git(a, ['rev-parse', 'HEAD']).trim();
    const b = path.join(path.dirname(a), 'elsewhere');
    git(path.dirname(a), ['clone', '-q', a, b]);
    git(b, ['remote', 'remove', 'origin']);
    expect(repoKey(findRepo(a)!)).toBe(`local-${root.slice(0, 12)}`);
    expect(repoKey(findRepo(b)!)).toBe(`local-${root.slice(0, 12)}`);
    expect(repoKey(findRepo(b)!, 'Acme/Proj')).toBe('acme-proj');
    git(b, ['remote', 'add', 'upstream', 'https://github.com/acme/proj.git']);
    expect(repoKey(findRepo(b)!)).toBe('acme-proj');
  });
});
