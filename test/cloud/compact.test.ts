/**
 * Compaction after a verified archive, against a real S3 protocol server (s3rver) and real git
 * remotes (bare repositories): 8 phases archived with keep 2 and compacted; a fresh clone holds only
 * the kept phases; archived phases restore byte for byte; clones that still hold the old history
 * push and pull across the compaction; a compaction is refused when S3 does not hold what the
 * manifests say.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { asyncCli, cleanupTmp, flushNow, git, makeRepo, tmpDir, track, trackAsync } from '../lib/cli.js';
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

/** Words from a seeded generator: text that compresses like prose, not like a repeated line. */
function prose(seed: number, bytes: number): string {
  const words = ['agent', 'phase', 'review', 'diff', 'branch', 'token', 'cache', 'tool', 'edit', 'test'];
  let x = seed * 2654435761;
  const out: string[] = [];
  let n = 0;
  while (n < bytes) {
    x = (x * 1103515245 + 12345) >>> 0;
    const w = `${words[x % words.length]}${x % 997}`;
    out.push(w);
    n += w.length + 1;
  }
  return out.join(' ');
}

/** A session through the hook: a start, a prompt of `bytes` of text, an end; flushed. */
function record(repo: string, session: string, bytes = 2_000): void {
  const base = { session_id: session, cwd: repo, transcript_path: '/dev/null' };
  for (const p of [
    { hook_event_name: 'SessionStart', source: 'startup' },
    {
      hook_event_name: 'UserPromptSubmit',
      prompt: `task ${session}: ${prose(session.length * 7919 + session.charCodeAt(session.length - 1), bytes)}`,
    },
    { hook_event_name: 'SessionEnd', reason: 'other' },
  ])
    expect(
      track(repo, ['hook'], JSON.stringify({ ...base, ...p }), { AGENT_TRACK_NO_FLUSH: '1' }).status,
    ).toBe(0);
  expect(flushNow(repo).status).toBe(0);
}

/** A bare repository standing in for GitHub, holding the project's main branch, and its first clone. */
function project(): { bare: string; origin: string } {
  const origin = makeRepo();
  const bare = path.join(tmpDir('at-bare-'), 'remote.git');
  git(path.dirname(bare), ['init', '-q', '--bare', '-b', 'main', bare]);
  git(origin, ['remote', 'add', 'origin', bare]);
  git(origin, ['push', '-q', 'origin', 'main']);
  return { bare, origin };
}

function cloneOf(bare: string, who: string): string {
  const dir = path.join(tmpDir('at-clone-'), 'proj');
  git(path.dirname(dir), ['clone', '-q', bare, dir]);
  git(dir, ['config', 'user.name', who]);
  git(dir, ['config', 'user.email', `${who.toLowerCase()}@example.com`]);
  return dir;
}

function setBucket(repo: string, prefix: string, extra = ''): void {
  const cfg = path.join(repo, '.agent-tracking.yml');
  fs.writeFileSync(
    cfg,
    fs
      .readFileSync(cfg, 'utf8')
      .replace(/^( {2}bucket:).*$/m, `$1 ${s3.bucket}`)
      .replace(/^( {2}prefix:) agent-tracking$/m, `$1 ${prefix}`)
      .replace(/^( {2}compact:).*$/m, `$1${extra}`),
  );
}

/** Session ids on a ref, one per session folder (a folder twice counts twice). */
const sessionFolders = (repo: string, ref = 'agent-tracking'): string[] =>
  git(repo, ['ls-tree', '-r', '--name-only', ref])
    .split('\n')
    .filter((f) => f.endsWith('/session.json'))
    .map((f) => f.split('/')[3].slice(11));

/** Every object id reachable from the refs of a repository. */
const objectsOf = (repo: string, ...refs: string[]): Set<string> =>
  new Set(
    git(repo, ['rev-list', '--objects', ...(refs.length ? refs : ['--all'])])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[0]),
  );

/** Ids of a tree and of everything under it. */
const treeObjects = (repo: string, tree: string): Set<string> =>
  new Set([
    tree,
    ...git(repo, ['ls-tree', '-r', '-t', tree])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[2]),
  ]);

/** Bytes of a repository's object store (packs and loose objects). */
function objectBytes(repo: string): number {
  const out = git(repo, ['count-objects', '-v']);
  const kb = (k: string) => Number(new RegExp(`^${k}: (\\d+)$`, 'm').exec(out)?.[1] ?? 0);
  return (kb('size') + kb('size-pack')) * 1024;
}

const PHASES = Array.from({ length: 8 }, (_, k) => `phase-${k + 1}`);
const ARCHIVED = PHASES.slice(0, 5);
const KEPT = PHASES.slice(5);

describe('8 phases archived with keep 2, then compacted', () => {
  let bare: string;
  let origin: string;
  let stale: string;
  let idle: string;
  let oldTip: string;
  let archived: Record<string, string>;
  let result: any;

  beforeAll(async () => {
    ({ bare, origin } = project());
    expect(track(origin, ['init', '--yes']).status).toBe(0);
    setBucket(origin, 'compact');
    for (const [k, phase] of PHASES.entries()) {
      record(origin, `s-${k + 1}`, 30_000);
      if (phase !== 'phase-8') expect(track(origin, ['phase', 'end', '--json']).status).toBe(0);
    }
    expect(JSON.parse(track(origin, ['phase', 'list', '--json']).stdout).map((p: any) => p.name)).toEqual(
      PHASES,
    );
    expect((await json(origin, ['push'])).outcome).toBe('pushed');
    // two teammates who cloned before the compaction: one will record meanwhile, one will not
    stale = cloneOf(bare, 'Bea');
    idle = cloneOf(bare, 'Dan');
    for (const c of [stale, idle]) expect(track(c, ['init', '--yes']).status).toBe(0);
    archived = Object.fromEntries(
      ARCHIVED.map((p) => [p, git(origin, ['rev-parse', `agent-tracking:phases/${p}`]).trim()]),
    );
    result = await json(origin, ['archive']);
    oldTip = result.compacted.replacedTip;
  }, 300_000);

  test('archive verifies, prunes and compacts: a new root with the tip tree, the record, the old history kept under a ref', () => {
    expect(result.phases.map((p: any) => p.phase)).toEqual(ARCHIVED);
    expect(result.compacted).toMatchObject({ outcome: 'compacted', pushed: true, remote: 'origin' });
    const root = result.compacted.root;
    expect(git(origin, ['rev-parse', 'agent-tracking']).trim()).toBe(root);
    expect(git(bare, ['rev-parse', 'agent-tracking']).trim()).toBe(root);
    expect(git(origin, ['rev-list', '--count', 'agent-tracking']).trim()).toBe('1');
    expect(git(origin, ['rev-parse', `${root}^{tree}`]).trim()).toBe(
      git(origin, ['rev-parse', `${oldTip}^{tree}`]).trim(),
    );
    const message = git(origin, ['log', '-1', '--format=%B', root]);
    const record = JSON.parse(/^Agent-Tracking-Compacted: (.*)$/m.exec(message)![1]);
    expect(record).toMatchObject({ version: 1, replacedTip: oldTip, keep: 2, previous: [] });
    expect(record.manifests.map((m: any) => [m.phase, m.treeOid])).toEqual(
      ARCHIVED.map((p) => [p, archived[p]]),
    );
    expect(git(origin, ['rev-parse', result.compacted.kept]).trim()).toBe(oldTip);
    expect(result.compacted.kept).toMatch(/^refs\/agent-tracking\/pre-compact\/\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    // the kept phases are whole, the archived ones are markers
    for (const p of KEPT)
      expect(git(origin, ['ls-tree', '--name-only', `agent-tracking:phases/${p}`])).toContain('sessions');
    for (const p of ARCHIVED)
      expect(
        git(origin, ['ls-tree', '--name-only', `agent-tracking:phases/${p}`])
          .trim()
          .split('\n')
          .sort(),
      ).toEqual(['ARCHIVED.json', 'phase.json', 'review.json', 'review.md']);
    git(bare, ['fsck', '--strict', '--no-dangling']);
  });

  test('a fresh single-branch clone holds the kept phases only: no object of an archived one, under the bound', () => {
    const fresh = path.join(tmpDir('at-fresh-'), 'tracking');
    git(path.dirname(fresh), [
      'clone',
      '-q',
      '--single-branch',
      '--branch',
      'agent-tracking',
      `file://${bare}`,
      fresh,
    ]);
    const have = objectsOf(fresh);
    const tipObjects = objectsOf(fresh, 'HEAD');
    expect(have).toEqual(tipObjects);
    expect(git(fresh, ['rev-list', '--count', '--all']).trim()).toBe('1');
    for (const p of ARCHIVED) {
      // what the archived folder held and the tip does not (phase.json and the review stay)
      const gone = [...treeObjects(origin, archived[p])].filter((o) => !tipObjects.has(o));
      expect(gone.length).toBeGreaterThan(5);
      expect(gone.filter((o) => have.has(o))).toEqual([]);
    }
    expect(sessionFolders(fresh, 'HEAD').sort()).toEqual(['s-6', 's-7', 's-8']);
    // the bound: each object of the tip deflated on its own (as a pack without deltas stores it),
    // plus a pack entry's header and index entry (at most 48 bytes) and the pack's own header, trailer
    // and index head (4 KB); the whole old history, cloned the same way, is over the bound
    const ids = [...tipObjects];
    const batch = execFileSync('git', ['cat-file', '--batch'], {
      cwd: fresh,
      input: `${ids.join('\n')}\n`,
      maxBuffer: 64 << 20,
    });
    let bound = 4096;
    for (let pos = 0; pos < batch.length; ) {
      const nl = batch.indexOf(10, pos);
      const [, type, size] = batch.subarray(pos, nl).toString().split(' ');
      const body = batch.subarray(nl + 1, nl + 1 + Number(size));
      bound += deflateSync(Buffer.concat([Buffer.from(`${type} ${size}\0`), body])).length + 48;
      pos = nl + 1 + Number(size) + 1;
    }
    git(fresh, ['gc', '-q', '--prune=now']);
    const freshBytes = objectBytes(fresh);
    expect(freshBytes).toBeLessThanOrEqual(bound);
    const old = path.join(tmpDir('at-old-'), 'tracking');
    git(path.dirname(old), [
      'clone',
      '-q',
      '--single-branch',
      '--branch',
      'agent-tracking',
      `file://${stale}`,
      old,
    ]);
    git(old, ['gc', '-q', '--prune=now']);
    expect(objectBytes(old)).toBeGreaterThan(bound);
  });

  test('every archived phase restores byte for byte from S3 on a fresh clone of the compacted branch', async () => {
    const fresh = cloneOf(bare, 'Eve');
    expect((await json(fresh, ['pull'])).outcome).toBe('adopted');
    for (const p of ARCHIVED) {
      expect((await json(fresh, ['archive', 'restore', p])).outcome).toBe('restored');
      expect(git(fresh, ['rev-parse', `agent-tracking:phases/${p}`]).trim()).toBe(archived[p]);
      // the same files, blob for blob, as the history before the compaction held
      expect(git(fresh, ['ls-tree', '-r', `agent-tracking:phases/${p}`])).toBe(
        git(origin, ['ls-tree', '-r', archived[p]]),
      );
    }
    git(fresh, ['fsck', '--strict', '--no-dangling']);
  }, 120_000);

  test('three clones across the compaction (one still on the old history): every session on the remote exactly once', async () => {
    const mate = cloneOf(bare, 'Cy');
    expect(track(mate, ['init', '--yes']).status).toBe(0);
    record(stale, 'b-1');
    record(mate, 'c-1');
    record(origin, 'o-2');
    // git itself refuses the old history over the compacted one (no force: not a fast-forward)
    const plain = (() => {
      try {
        git(stale, ['push', 'origin', 'agent-tracking']);
        return 'pushed';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(plain).toMatch(/rejected|non-fast-forward|fetch first/);
    expect(git(bare, ['rev-parse', 'agent-tracking']).trim()).toBe(result.compacted.root);
    // our push pulls first: the old-history clone replays its session onto the new root
    const pushes = await Promise.all([stale, mate, origin].map((c) => trackAsync(c, ['push', '--json'])));
    for (const p of pushes) expect(p.stderr).toBe('');
    for (const c of [stale, mate, origin]) await json(c, ['push']);
    const onRemote = sessionFolders(bare);
    expect(onRemote.sort()).toEqual(['b-1', 'c-1', 'o-2', 's-6', 's-7', 's-8']);
    // one root, the compaction's; no archived object came back
    expect(git(bare, ['rev-list', '--max-parents=0', 'agent-tracking']).trim()).toBe(result.compacted.root);
    const remoteObjects = objectsOf(bare, 'agent-tracking');
    const tipObjects = objectsOf(origin, result.compacted.root);
    for (const p of ARCHIVED)
      expect(
        [...treeObjects(origin, archived[p])].filter((o) => !tipObjects.has(o) && remoteObjects.has(o)),
      ).toEqual([]);
    // the replay kept the stale clone's old history locally, under a ref
    const kept = git(stale, [
      'for-each-ref',
      '--format=%(objectname)',
      'refs/agent-tracking/pre-compact/',
    ]).trim();
    expect(kept).not.toBe('');
    expect(
      git(stale, ['ls-tree', '-r', '--name-only', kept.split('\n')[0], 'phases/phase-1/sessions']),
    ).toMatch(/\/session\.json$/m);
    // each clone sees them all, once, with the events the remote has
    for (const c of [stale, mate, origin]) {
      expect((await json(c, ['pull'])).outcome).toMatch(/up-to-date|fast-forward/);
      expect(sessionFolders(c).sort()).toEqual(onRemote.sort());
    }
    const sessions = (await json(stale, ['sessions'])).map((s: any) => s.session).sort();
    expect(sessions).toEqual(['b-1', 'c-1', 'o-2', 's-6', 's-7', 's-8']);
    // the flush after a replay writes on the new root and does not bring old sessions back
    record(stale, 'b-2');
    expect(sessionFolders(stale).sort()).toEqual(['b-1', 'b-2', 'c-1', 'o-2', 's-6', 's-7', 's-8']);
    expect(git(stale, ['rev-list', '--max-parents=0', 'agent-tracking']).trim()).toBe(result.compacted.root);
    // a clone on the old history that recorded nothing simply takes the compacted branch
    const pulled = await json(idle, ['pull']);
    expect(pulled.outcome).toBe('replayed');
    expect(git(idle, ['rev-parse', 'agent-tracking']).trim()).toBe(
      git(bare, ['rev-parse', 'agent-tracking']).trim(),
    );
    git(bare, ['fsck', '--strict', '--no-dangling']);
  }, 180_000);

  test('compact again: nothing to do; --drop-old removes the kept history', async () => {
    const again = await json(origin, ['compact']);
    expect(again.outcome).toBe('nothing');
    const dropped = await json(origin, ['compact', '--drop-old']);
    expect(dropped.dropped).toEqual([result.compacted.kept]);
    expect(git(origin, ['for-each-ref', 'refs/agent-tracking/pre-compact/']).trim()).toBe('');
  });
});

describe('never compacts what S3 does not hold', () => {
  let repo: string;
  let prefix: string;
  beforeAll(async () => {
    repo = makeRepo();
    expect(track(repo, ['init', '--yes']).status).toBe(0);
    prefix = 'refuse';
    setBucket(repo, prefix, ' false');
    for (const [k, phase] of ['phase-1', 'phase-2', 'phase-3', 'phase-4'].entries()) {
      record(repo, `r-${k + 1}`);
      if (phase !== 'phase-4') expect(track(repo, ['phase', 'end', '--json']).status).toBe(0);
    }
    const r = await json(repo, ['archive', '--keep', '1']);
    expect(r.phases.map((p: any) => p.phase)).toEqual(['phase-1', 'phase-2']);
    expect(r.compacted).toBeUndefined();
    // the repo= key as the archive chose it (src/cloud/repo-key.ts)
    repoKey = /\/repo=([^/]+)\//.exec(r.phases[0].manifestKey)![1];
  }, 120_000);

  let repoKey: string;
  const key = (phase: string, what: string) => `${prefix}/repo=${repoKey}/phase=${phase}/${what}`;
  const s3put = async (k: string, body: Buffer | string, meta?: string) => {
    const r = await fetch(`${s3.url}/${s3.bucket}/${k}`, {
      method: 'PUT',
      body: typeof body === 'string' ? body : new Uint8Array(body),
      headers: meta ? { 'x-amz-meta-sha256': meta } : {},
    });
    expect(r.status).toBe(200);
  };

  test('a phase older than keep without an archive: refused, naming it', async () => {
    const tip = git(repo, ['rev-parse', 'agent-tracking']).trim();
    const r = await run(repo, ['compact', '--keep', '0', '--no-push']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^agent-track: not compacted \(nothing was changed\): phase-3 is not archived[^\n]*\n$/,
    );
    expect(git(repo, ['rev-parse', 'agent-tracking']).trim()).toBe(tip);
  });

  test('an object missing, then altered (same size, other bytes) in S3: refused, naming the phase and the object', async () => {
    const tip = git(repo, ['rev-parse', 'agent-tracking']).trim();
    const manifest = JSON.parse((await s3.get(key('phase-2', 'manifest.json'))).toString());
    const raw = manifest.objects.find((o: any) => o.kind === 'raw');
    const saved = await s3.get(raw.key);
    const del = await fetch(`${s3.url}/${s3.bucket}/${raw.key}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const missing = await run(repo, ['compact', '--keep', '1', '--no-push']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      `agent-track: not compacted (nothing was changed): phase-2 is not verified in S3: s3://${s3.bucket}/${raw.key} (listed in its manifest) is missing. Compaction drops the archived phases from the branch's history, so it needs every one of them verified in S3.\n`,
    );
    // other bytes of the same size under the old sha256: HeadObject shows the metadata, so alter it too
    const other = Buffer.from(saved);
    other[other.length - 1] ^= 0xff;
    await s3put(raw.key, other, 'f'.repeat(64));
    const altered = await run(repo, ['compact', '--keep', '1', '--no-push']);
    expect(altered.status).toBe(1);
    expect(altered.stderr).toMatch(
      new RegExp(
        `^agent-track: not compacted \\(nothing was changed\\): phase-2 is not verified in S3: s3://${s3.bucket}/${raw.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not match what was uploaded`,
      ),
    );
    expect(git(repo, ['rev-parse', 'agent-tracking']).trim()).toBe(tip);
    expect(git(repo, ['rev-list', '--max-parents=0', 'agent-tracking']).trim().split('\n')).toHaveLength(1);
    // the manifest itself altered
    await s3put(raw.key, saved, raw.sha256);
    const body = await s3.get(key('phase-1', 'manifest.json'));
    await s3put(key('phase-1', 'manifest.json'), Buffer.concat([body, Buffer.from(' ')]));
    const badManifest = await run(repo, ['compact', '--keep', '1', '--no-push']);
    expect(badManifest.status).toBe(1);
    expect(badManifest.stderr).toMatch(
      /phase-1 is not verified in S3: s3:\/\/[^ ]+manifest\.json does not match/,
    );
    // put back as it was: the compaction goes through
    const { createHash } = await import('node:crypto');
    await s3put(key('phase-1', 'manifest.json'), body, createHash('sha256').update(body).digest('hex'));
    const ok = await json(repo, ['compact', '--keep', '1', '--no-push']);
    expect(ok).toMatchObject({ outcome: 'compacted', pushed: false, remote: null });
    expect(ok.phases.map((p: any) => p.phase)).toEqual(['phase-1', 'phase-2']);
    expect(git(repo, ['rev-list', '--count', 'agent-tracking']).trim()).toBe('1');
  });
});

describe('a teammate pushes while the compaction is on its way', () => {
  test('the lease refuses the stale push; the compaction pulls the teammate’s session and compacts again: nothing lost', async () => {
    const { bare, origin } = project();
    expect(track(origin, ['init', '--yes']).status).toBe(0);
    setBucket(origin, 'race', ' false');
    for (const [k, phase] of ['phase-1', 'phase-2', 'phase-3', 'phase-4'].entries()) {
      record(origin, `r-${k + 1}`);
      if (phase !== 'phase-4') expect(track(origin, ['phase', 'end', '--json']).status).toBe(0);
    }
    expect((await json(origin, ['push'])).outcome).toBe('pushed');
    const mate = cloneOf(bare, 'Fay');
    expect(track(mate, ['init', '--yes']).status).toBe(0);
    const archived = (await json(origin, ['archive', '--keep', '1'])).phases.map((p: any) => p.phase);
    expect(archived).toEqual(['phase-1', 'phase-2']);
    const trees = archived.map((p: string) =>
      git(origin, ['rev-parse', `agent-tracking~1:phases/${p}`]).trim(),
    );
    const hold = path.join(tmpDir('at-hold-'), 'hold');
    const compacting = run(origin, ['compact', '--keep', '1', '--json'], {
      AGENT_TRACK_HOLD_BEFORE_COMPACT_PUSH: hold,
    });
    for (let i = 0; i < 600 && !fs.existsSync(hold); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(hold)).toBe(true);
    // between the compaction's pull and its push, a teammate's session reaches the remote
    record(mate, 'm-1');
    expect((await trackAsync(mate, ['push', '--json'])).status).toBe(0);
    const mateTip = git(bare, ['rev-parse', 'agent-tracking']).trim();
    fs.rmSync(hold);
    const done = await compacting;
    expect(done.stderr).toBe('');
    const r = JSON.parse(done.stdout);
    expect(r).toMatchObject({ outcome: 'compacted', pushed: true, attempts: 2 });
    // what it replaced holds the teammate's push
    expect(git(origin, ['merge-base', '--is-ancestor', mateTip, r.replacedTip]).length).toBe(0);
    expect(git(bare, ['rev-parse', 'agent-tracking']).trim()).toBe(r.root);
    expect(sessionFolders(bare).sort()).toEqual(['m-1', 'r-3', 'r-4']);
    const remote = objectsOf(bare, 'agent-tracking');
    const tip = objectsOf(origin, r.root);
    for (const t of trees)
      expect([...treeObjects(origin, t)].filter((o) => !tip.has(o) && remote.has(o))).toEqual([]);
    // the teammate takes the compacted branch
    expect((await json(mate, ['pull'])).outcome).toBe('replayed');
    expect(git(mate, ['rev-parse', 'agent-tracking']).trim()).toBe(r.root);
  }, 180_000);
});
