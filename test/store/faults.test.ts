/**
 * Fault injection on real repositories (issue 15): disk full, repack and gc during a flush, hostile
 * session ids, stalled locks, SHA-256, the branch checked out, a deleted or reset branch, a damaged
 * state. Each case ends with `git fsck --strict` clean, every expected event on the branch exactly
 * once, and the user's HEAD, index and work tree unchanged.
 */

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { redactBytes } from '../../src/model/redact.js';
import { ObjectStore } from '../../src/store/git.js';
import {
  BIN,
  backgroundFlushesDone,
  branchEvents,
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  ROOT,
  tmpDir,
  track,
  trackAsync,
} from '../lib/cli.js';

afterAll(cleanupTmp);

/** Pre/PostToolUse payloads of tool call `n` of `session`. */
const pair = (repo: string, session: string, n: number): string[] => {
  const base = { session_id: session, cwd: repo, transcript_path: '/nowhere.jsonl' };
  const input = { command: `echo ${n}`, description: 'count' };
  return [
    { ...base, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: input, tool_use_id: `tu_${n}` },
    {
      ...base,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: input,
      tool_response: { stdout: `${n} ${'x'.repeat(300)}`, stderr: '' },
      tool_use_id: `tu_${n}`,
      duration_ms: 5,
    },
  ].map((p) => JSON.stringify(p));
};

const NO_FLUSH = { AGENT_TRACK_NO_FLUSH: '1' };

function hookPair(repo: string, session: string, n: number, env: NodeJS.ProcessEnv = {}): void {
  for (const p of pair(repo, session, n)) {
    const r = track(repo, ['hook'], p, { ...NO_FLUSH, ...env });
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
  }
}

interface UserState {
  head: string;
  status: string;
  index: Buffer;
}
const userState = (repo: string, env?: NodeJS.ProcessEnv): UserState => ({
  head: git(repo, ['rev-parse', 'HEAD'], { env }),
  status: git(repo, ['status', '--porcelain'], { env }),
  index: fs.readFileSync(path.join(repo, '.git', 'index')),
});

/** fsck --strict clean, each expected tool call exactly once (none other), HEAD/index/work tree as before. */
function expectWhole(
  repo: string,
  expected: number[],
  before: UserState,
  allowed: number[] = [],
  env?: NodeJS.ProcessEnv,
): void {
  git(repo, ['fsck', '--strict', '--no-dangling'], { env });
  const calls = branchEvents(repo, 'agent-tracking', { env }).filter((e) => e.type === 'tool_call');
  const ids = calls.map((c) => c.toolUseId as string);
  expect(new Set(ids).size).toBe(ids.length);
  for (const n of expected) expect(ids).toContain(`tu_${n}`);
  const ok = new Set([...expected, ...allowed].map((n) => `tu_${n}`));
  expect(ids.filter((i) => !ok.has(i))).toEqual([]);
  const after = userState(repo, env);
  expect(after.head).toBe(before.head);
  expect(after.status).toBe(before.status);
  expect(after.index.equals(before.index)).toBe(true);
}

/** Files git reports as garbage in the object store (our temporary files must be git's own tmp_obj_*). */
const objectGarbage = (repo: string): string[] => {
  const out: string[] = [];
  const objects = path.join(repo, '.git', 'objects');
  for (const d of fs.readdirSync(objects)) {
    if (!/^[0-9a-f]{2}$/.test(d)) continue;
    for (const f of fs.readdirSync(path.join(objects, d)))
      if (!/^[0-9a-f]{38}$/.test(f)) out.push(`${d}/${f}`);
  }
  return out;
};

describe('disk full', () => {
  test('ten disk-full points during flushes and hooks (fault injection): the branch stays whole, no event lost or doubled', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    const expected: number[] = [];
    const faulted: number[] = [];
    let n = 0;
    for (const limit of [0, 1, 100, 700, 1500, 3000, 6000, 12000, 25000, 50000]) {
      for (let i = 0; i < 3; i++, n++) {
        hookPair(repo, 'full', n);
        expected.push(n);
      }
      // the disk fills during this flush, at `limit` bytes: it fails, or writes everything when it fits
      const f = track(repo, ['flush', '--json'], undefined, {
        AGENT_TRACK_FAULT_ENOSPC_AFTER: String(limit),
      });
      if (f.status !== 0) expect(f.stderr).toMatch(/ENOSPC/);
      expect(objectGarbage(repo)).toEqual([]);
      git(repo, ['fsck', '--strict', '--no-dangling']);
      // and during a hook: its append is one whole line or nothing
      hookPair(repo, 'full', n, { AGENT_TRACK_FAULT_ENOSPC_AFTER: String(limit) });
      faulted.push(n++);
      const spool = fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'spool', 'full.jsonl'), 'utf8');
      expect(spool.endsWith('\n')).toBe(true);
      for (const line of spool.split('\n').filter(Boolean)) JSON.parse(line);
    }
    // space is back
    for (let i = 0; i < 3; i++, n++) {
      hookPair(repo, 'full', n);
      expected.push(n);
    }
    const r = flushNow(repo);
    expect(r.status).toBe(0);
    expectWhole(repo, expected, before, faulted);
    expect(track(repo, ['show', 'full', '--json']).status).toBe(0);
  });

  test('a torn spool line that could not be cut off: the next whole line is not glued to it and lost', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    hookPair(repo, 'torn', 1);
    const spool = path.join(repo, '.git', 'agent-tracking', 'spool', 'torn.jsonl');
    const whole = fs.readFileSync(spool, 'utf8').split('\n')[1];
    // a write the disk cut short, then the next hook's whole line right after it
    fs.appendFileSync(spool, whole.slice(0, 57));
    hookPair(repo, 'torn', 2);
    hookPair(repo, 'torn', 3);
    const r = JSON.parse(flushNow(repo).stdout);
    expect(r.skippedLines).toBe(1);
    expectWhole(repo, [1, 2, 3], before);
    const bad = fs.readFileSync(
      path.join(repo, '.git', 'agent-tracking', 'errors', 'spool-bad-lines.jsonl'),
      'utf8',
    );
    expect(JSON.parse(bad.trim()).line).toBe(whole.slice(0, 57));
  });

  test('a truncated loose object left by an older writer is written again, not trusted', async () => {
    const repo = makeRepo();
    const content = Buffer.from('an object a full disk cut short\n');
    const oid = git(repo, ['hash-object', '--stdin'], { input: content }).trim();
    const file = path.join(repo, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const full = deflateSync(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));
    fs.writeFileSync(file, full.subarray(0, full.length - 9));
    expect(() => git(repo, ['fsck', '--strict'])).toThrow();
    const store = new ObjectStore(path.join(repo, '.git'));
    expect(store.writeBlobSync(redactBytes(content))).toBe(oid);
    expect(git(repo, ['cat-file', '-p', oid])).toBe(content.toString());
    git(repo, ['fsck', '--strict', '--no-dangling']);
  });

  // a real full disk: a small tmpfs (needs root and mount; skipped where the machine does not allow it)
  const mountable = (() => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
    const probe = tmpDir('at-mnt-probe-');
    const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
    if (ok) spawnSync('umount', [probe]);
    return ok;
  })();
  (mountable ? test : test.skip)(
    'a real full disk (tmpfs) at ten free-space sizes: fsck clean, show works, every event after space returns is there once',
    () => {
      const mnt = tmpDir('at-tmpfs-');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mnt]);
      try {
        const repo = path.join(mnt, 'proj');
        fs.mkdirSync(repo);
        git(repo, ['init', '-q', '-b', 'main']);
        git(repo, ['config', 'user.name', 'Test Dev']);
        git(repo, ['config', 'user.email', 'test.dev@example.com']);
        fs.writeFileSync(path.join(repo, 'README.md'), '# demo\n');
        git(repo, ['add', 'README.md']);
        git(repo, ['commit', '-q', '-m', 'first commit']);
        track(repo, ['init', '--yes']);
        const before = userState(repo);
        const filler = path.join(mnt, 'filler');
        const fill = (free: number) => {
          fs.rmSync(filler, { force: true });
          const fd = fs.openSync(filler, 'w');
          const chunk = Buffer.alloc(4096, 1);
          try {
            for (;;) fs.writeSync(fd, chunk);
          } catch {
            // full
          }
          fs.closeSync(fd);
          fs.truncateSync(filler, Math.max(0, fs.statSync(filler).size - free));
        };
        const expected: number[] = [];
        const maybe: number[] = [];
        let n = 0;
        for (const free of [0, 1024, 4096, 8192, 12288, 16384, 24576, 32768, 49152, 65536]) {
          hookPair(repo, 'tmpfs', n);
          expected.push(n++);
          fill(free);
          // while the disk is full: hooks (whole lines or nothing) and a flush (whole objects or none)
          hookPair(repo, 'tmpfs', n);
          maybe.push(n++);
          track(repo, ['flush']);
          hookPair(repo, 'tmpfs', n);
          maybe.push(n++);
          fs.rmSync(filler, { force: true });
          expect(objectGarbage(repo)).toEqual([]);
          git(repo, ['fsck', '--strict', '--no-dangling']);
        }
        hookPair(repo, 'tmpfs', n);
        expected.push(n++);
        expect(flushNow(repo).status).toBe(0);
        expectWhole(repo, expected, before, maybe);
        expect(track(repo, ['show', 'tmpfs', '--json']).status).toBe(0);
      } finally {
        spawnSync('umount', ['-l', mnt]);
      }
    },
  );
});

/** Starts a flush that stops before moving the ref until `release()` (AGENT_TRACK_HOLD_BEFORE_REF). */
async function heldFlush(repo: string) {
  const hold = path.join(tmpDir('at-hold-'), 'hold');
  const run = trackAsync(repo, ['flush', '--json'], undefined, { AGENT_TRACK_HOLD_BEFORE_REF: hold });
  for (let i = 0; i < 600 && !fs.existsSync(hold); i++) await new Promise((r) => setTimeout(r, 50));
  expect(fs.existsSync(hold)).toBe(true);
  return {
    release: async () => {
      fs.rmSync(hold);
      return run;
    },
  };
}

const keeps = (repo: string) =>
  fs.readdirSync(path.join(repo, '.git', 'objects', 'pack')).filter((f) => f.endsWith('.keep'));

describe('repack and gc during a flush', () => {
  test('git repack -adq and git gc --prune=now while a small flush holds before its ref update: nothing lost', async () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    for (let n = 0; n < 4; n++) hookPair(repo, 'gc', n);
    const held = await heldFlush(repo);
    git(repo, ['repack', '-adq']);
    git(repo, ['gc', '--prune=now', '-q']);
    const r = await held.release();
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ events: 8, commits: 1 });
    // the objects gc deleted as unreachable were written again once the ref reached them
    expectWhole(repo, [0, 1, 2, 3], before);
    hookPair(repo, 'gc', 4);
    expect(flushNow(repo).status).toBe(0);
    expectWhole(repo, [0, 1, 2, 3, 4], before);
  });

  test('a large flush (one pack) is kept by a .keep until its ref moves: repack and gc --prune=now leave it', async () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    const expected: number[] = [];
    for (let n = 0; n < 12; n++) {
      hookPair(repo, `big-${n}`, n);
      expected.push(n);
    }
    const held = await heldFlush(repo);
    expect(keeps(repo)).toHaveLength(1);
    git(repo, ['repack', '-adq']);
    git(repo, ['gc', '--prune=now', '-q']);
    const r = await held.release();
    expect(r.status).toBe(0);
    expect(keeps(repo)).toEqual([]);
    expectWhole(repo, expected, before);
    git(repo, ['gc', '--prune=now', '-q']);
    expectWhole(repo, expected, before);
  });

  test('a tip whose objects a prune took: the next flush says so, rebuilds from the spool, every event once', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    for (let n = 0; n < 3; n++) hookPair(repo, 'lost', n);
    expect(flushNow(repo).status).toBe(0);
    for (let n = 3; n < 6; n++) hookPair(repo, 'lost', n);
    expect(flushNow(repo).status).toBe(0);
    // what a prune racing that flush's ref update would have left: the tip commit and its new segment gone
    const tip = git(repo, ['rev-parse', 'agent-tracking']).trim();
    const seg = git(repo, ['ls-tree', '-r', 'agent-tracking'])
      .split('\n')
      .find((l) => l.endsWith('/events/000002.jsonl'))!;
    for (const oid of [tip, seg.split(/\s+/)[2]])
      fs.rmSync(path.join(repo, '.git', 'objects', oid.slice(0, 2), oid.slice(2)));
    expect(() => git(repo, ['fsck', '--strict'])).toThrow();
    for (let n = 6; n < 8; n++) hookPair(repo, 'lost', n);
    const r = flushNow(repo);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^agent-track: warning: the agent-tracking branch's tip [0-9a-f]{12} has lost objects .*rebuilt on [0-9a-f]{12}/m,
    );
    expect(r.stderr.split('\n').filter((l) => l.includes('lost objects'))).toHaveLength(1);
    expectWhole(repo, [0, 1, 2, 3, 4, 5, 6, 7], before);
    expect(
      fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'errors', 'notices.log'), 'utf8'),
    ).toMatch(/lost objects/);
    // and once only: the next flush builds on the rebuilt tip quietly
    hookPair(repo, 'lost', 8);
    const again = flushNow(repo);
    expect(again.stderr).toBe('');
    expectWhole(repo, [0, 1, 2, 3, 4, 5, 6, 7, 8], before);
  });

  test('flushes racing git gc --prune=now in a loop: every flush succeeds, every event once', async () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    const expected: number[] = [];
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 2; i++) {
        const n = round * 2 + i;
        hookPair(repo, `race-${n % 3}`, n);
        expected.push(n);
      }
      const [f] = await Promise.all([
        trackAsync(repo, ['flush', '--json']),
        new Promise<void>((resolve) => {
          const c = spawn('git', ['gc', '--prune=now', '-q'], { cwd: repo, stdio: 'ignore' });
          c.on('close', () => resolve());
        }),
      ]);
      expect(f.stderr.replace(/^agent-track: warning: .*lost objects.*\n/gm, '')).toBe('');
      expect(f.status).toBe(0);
    }
    expect(flushNow(repo).status).toBe(0);
    expectWhole(repo, expected, before);
  }, 300_000);
});

describe('hostile session ids', () => {
  // (an empty id is refused by the hook itself: a payload without a session)
  const hostile = ['..', 'a//b/', 'x/.git/hooks', 'nul\u0000id', '.git', '%41', 'ü/é:*?', 'L'.repeat(300)];

  test('ids that are not tree names are encoded reversibly: ls-tree and fsck work, each session once under its own id', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    const expected: number[] = [];
    hostile.forEach((id, k) => {
      hookPair(repo, id, k);
      expected.push(k);
    });
    expect(flushNow(repo).status).toBe(0);
    expectWhole(repo, expected, before);
    const names = git(repo, ['ls-tree', '-r', '--name-only', 'agent-tracking']).split('\n').filter(Boolean);
    for (const n of names) expect(n.split('/').every((p) => p && p !== '..' && p !== '.git')).toBe(true);
    const sessions = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    expect(sessions.map((s: any) => s.session).sort()).toEqual([...hostile].sort());
    // read back under the same folders: with the cache (fresh) and without it (folders decoded)
    hostile.forEach((id, k) => {
      hookPair(repo, id, 100 + k);
    });
    expect(flushNow(repo).status).toBe(0);
    fs.rmSync(path.join(repo, '.git', 'agent-tracking', 'cache', 'state.json'));
    hostile.forEach((id, k) => {
      hookPair(repo, id, 200 + k);
    });
    const r = JSON.parse(flushNow(repo).stdout);
    // the spool was read again whole: everything already there is a duplicate, nothing doubled
    expect(r.events).toBe(2 * hostile.length);
    expectWhole(
      repo,
      [...expected, ...expected.map((k) => 100 + k), ...expected.map((k) => 200 + k)],
      before,
    );
    const after = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    expect(after).toHaveLength(hostile.length);
    for (const s of after) expect(s.toolCalls).toBe(3);
    expect(
      git(repo, ['ls-tree', '-d', '--name-only', 'agent-tracking:phases/phase-1/sessions'])
        .split('\n')
        .filter(Boolean),
    ).toHaveLength(hostile.length);
  });

  test('a branch written the old way (raw ids as folder names) keeps reading and growing in place', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    hookPair(repo, 'old:sess one', 1);
    expect(flushNow(repo).status).toBe(0);
    // rename the folder to the raw id, as the previous release wrote it
    const dir = git(repo, ['ls-tree', '-d', '--name-only', 'agent-tracking:phases/phase-1/sessions']).trim();
    expect(dir).toMatch(/^\d{4}-\d{2}-\d{2}-old%3Asess%20one$/);
    const raw = dir.replace('old%3Asess%20one', 'old:sess one');
    const env = { ...process.env, GIT_INDEX_FILE: path.join(tmpDir('at-idx-'), 'index') };
    git(repo, ['read-tree', 'agent-tracking'], { env });
    const ls = git(repo, ['ls-files', '-s', 'phases/phase-1/sessions'], { env }).split('\n').filter(Boolean);
    const moves = ls.flatMap((l) => {
      const [meta, file] = l.split('\t');
      const [mode, oid] = meta.split(' ');
      return [`0 ${'0'.repeat(40)}\t${file}`, `${mode} ${oid} 0\t${file.replace(dir, raw)}`];
    });
    git(repo, ['update-index', '--index-info'], { env, input: `${moves.join('\n')}\n` });
    const tree = git(repo, ['write-tree'], { env }).trim();
    const commit = git(repo, ['commit-tree', tree, '-p', 'agent-tracking', '-m', 'old layout']).trim();
    git(repo, ['update-ref', 'refs/heads/agent-tracking', commit]);
    hookPair(repo, 'old:sess one', 2);
    expect(flushNow(repo).status).toBe(0);
    expectWhole(repo, [1, 2], before);
    expect(git(repo, ['ls-tree', '-d', '--name-only', 'agent-tracking:phases/phase-1/sessions']).trim()).toBe(
      raw,
    );
    const sessions = JSON.parse(track(repo, ['sessions', '--json']).stdout);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ session: 'old:sess one', toolCalls: 2 });
  });

  test('one session begun in two clones on different UTC days: one folder after the merge, every call counted', () => {
    const bare = path.join(tmpDir('at-bare-'), 'remote.git');
    git(path.dirname(bare), ['init', '-q', '--bare', '-b', 'main', bare]);
    const a = makeRepo();
    git(a, ['remote', 'add', 'origin', bare]);
    git(a, ['push', '-q', 'origin', 'main']);
    track(a, ['init', '--yes']);
    const b = path.join(tmpDir('at-clone-'), 'proj');
    git(path.dirname(b), ['clone', '-q', bare, b]);
    git(b, ['config', 'user.name', 'Other Dev']);
    git(b, ['config', 'user.email', 'other@example.com']);
    track(b, ['init', '--yes']);
    const before = userState(a);
    // clone B's copy of the session began "yesterday": its spool lines, dated a day earlier
    for (let n = 0; n < 3; n++) hookPair(b, 'shared', n);
    const spoolB = path.join(b, '.git', 'agent-tracking', 'spool', 'shared.jsonl');
    const yesterday = (ts: string) => new Date(Date.parse(ts) - 86_400_000).toISOString();
    fs.writeFileSync(
      spoolB,
      fs
        .readFileSync(spoolB, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const e = JSON.parse(l);
          return `${JSON.stringify({ ...e, ts: yesterday(e.ts) })}\n`;
        })
        .join(''),
    );
    expect(flushNow(b).status).toBe(0);
    for (let n = 3; n < 7; n++) hookPair(a, 'shared', n);
    expect(flushNow(a).status).toBe(0);
    expect(track(b, ['push']).status).toBe(0);
    const pull = track(a, ['pull', '--json']);
    expect(pull.status).toBe(0);
    expectWhole(a, [0, 1, 2, 3, 4, 5, 6], before);
    expect(
      git(a, ['ls-tree', '-d', '--name-only', 'agent-tracking:phases/phase-1/sessions']).trim().split('\n'),
    ).toHaveLength(1);
    const sessions = JSON.parse(track(a, ['sessions', '--json']).stdout);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].toolCalls).toBe(7);
    expect(JSON.parse(track(a, ['stats', '--json']).stdout).toolCalls).toBe(7);
  });
});

describe('ref locks', () => {
  test('a flush stalled while holding the ref lock keeps it: a concurrent pull waits, nothing is reported that was not written', async () => {
    const bare = path.join(tmpDir('at-bare-'), 'remote.git');
    git(path.dirname(bare), ['init', '-q', '--bare', '-b', 'main', bare]);
    const a = makeRepo();
    git(a, ['remote', 'add', 'origin', bare]);
    git(a, ['push', '-q', 'origin', 'main']);
    track(a, ['init', '--yes']);
    const b = path.join(tmpDir('at-clone-'), 'proj');
    git(path.dirname(b), ['clone', '-q', bare, b]);
    track(b, ['init', '--yes']);
    hookPair(b, 'remote-one', 100);
    expect(track(b, ['push']).status).toBe(0);
    const before = userState(a);
    for (let n = 0; n < 5; n++) hookPair(a, 'stalled', n);
    const hold = path.join(tmpDir('at-hold-'), 'hold');
    const flush = trackAsync(a, ['flush', '--json'], undefined, { AGENT_TRACK_HOLD_IN_REF_LOCK: hold });
    for (let i = 0; i < 600 && !fs.existsSync(hold); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(hold)).toBe(true);
    // the pull needs the same lock; the flush holds it far longer than the old 3 s "stale" age
    const pull = trackAsync(a, ['pull', '--json']);
    await new Promise((r) => setTimeout(r, 4500));
    expect(fs.existsSync(path.join(a, '.git', 'refs', 'heads', 'agent-tracking.lock'))).toBe(true);
    fs.rmSync(hold);
    const [f, p] = await Promise.all([flush, pull]);
    expect(f.status).toBe(0);
    expect(p.status).toBe(0);
    const reported = JSON.parse(f.stdout).events;
    expect(reported).toBe(10);
    expectWhole(a, [0, 1, 2, 3, 4, 100], before);
  }, 120_000);

  test("a ref lock whose holder is provably gone (dead pid, same host) is taken over; git's own lock never is", async () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    hookPair(repo, 'lock', 1);
    const lock = path.join(repo, '.git', 'refs', 'heads', 'agent-tracking.lock');
    const tip = git(repo, ['rev-parse', 'agent-tracking']).trim();
    // a writer of ours that died holding the lock: its record names the lock's inode and its pid
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    fs.writeFileSync(lock, `${tip}\n`);
    const owner = path.join(repo, '.git', 'agent-tracking', 'locks', 'refs%2Fheads%2Fagent-tracking.owner');
    fs.mkdirSync(path.dirname(owner), { recursive: true });
    fs.writeFileSync(
      owner,
      JSON.stringify({
        pid: Number(dead.stdout),
        host: require('node:os').hostname(),
        start: null,
        ino: fs.statSync(lock).ino,
      }),
    );
    const r = flushNow(repo);
    expect(r.status).toBe(0);
    expect(fs.existsSync(lock)).toBe(false);
    expectWhole(repo, [1], before);
    // a lock nobody recorded (git's own, or a live process's): waited for, then one clear line, nothing moved
    hookPair(repo, 'lock', 2);
    fs.writeFileSync(lock, `${tip}\n`);
    const tipBefore = git(repo, ['rev-parse', 'agent-tracking']).trim();
    const stuck = flushNow(repo);
    expect(stuck.status).toBe(1);
    expect(stuck.stderr).toMatch(
      /^agent-track: could not lock refs\/heads\/agent-tracking: .*agent-tracking\.lock is held by another git process; remove that file only if no such process is running\n$/,
    );
    expect(fs.existsSync(lock)).toBe(true);
    expect(git(repo, ['rev-parse', 'agent-tracking']).trim()).toBe(tipBefore);
    fs.rmSync(lock);
    expect(flushNow(repo).status).toBe(0);
    expectWhole(repo, [1, 2], before);
  }, 120_000);
});

describe('repositories we must not write', () => {
  test('a SHA-256 repository is refused with one clear line, and nothing is written', () => {
    const repo = path.join(tmpDir(), 'proj');
    fs.mkdirSync(repo);
    git(repo, ['init', '-q', '--object-format=sha256', '-b', 'main']);
    git(repo, ['config', 'user.name', 'Test Dev']);
    git(repo, ['config', 'user.email', 'test.dev@example.com']);
    fs.writeFileSync(path.join(repo, 'README.md'), '# demo\n');
    git(repo, ['add', 'README.md']);
    git(repo, ['commit', '-q', '-m', 'first commit']);
    const list = () =>
      execFileSync('find', ['.', '-newer', path.join(repo, '.git', 'index')], { cwd: repo, encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .sort();
    const files = list();
    const init = track(repo, ['init', '--yes']);
    expect(init.status).toBe(1);
    expect(init.stderr).toBe(
      'agent-track: this repository uses SHA256 object names (extensions.objectFormat = sha256); agent-track writes SHA-1 repositories only, so it wrote nothing here\n',
    );
    hookPair(repo, 's256', 1);
    const f = track(repo, ['flush']);
    expect(f.status).toBe(1);
    expect(f.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(list()).toEqual(files);
    expect(fs.existsSync(path.join(repo, '.git', 'agent-tracking'))).toBe(false);
    git(repo, ['fsck', '--strict']);
    git(repo, ['gc', '-q']);
  });
});

describe('the branch checked out, deleted or reset', () => {
  test('checked out in a worktree: flush refuses to move it and says so once; events flushed once it is detached', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    hookPair(repo, 'wt', 1);
    expect(flushNow(repo).status).toBe(0);
    const wt = path.join(tmpDir('at-wt-'), 'tracking');
    git(repo, ['worktree', 'add', '-q', wt, 'agent-tracking']);
    const tip = git(repo, ['rev-parse', 'agent-tracking']).trim();
    hookPair(repo, 'wt', 2);
    const r = track(repo, ['flush']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `agent-track: the agent-tracking branch is checked out in ${wt}: not moving it under that worktree (its events stay in the spool); switch that worktree to another branch or detach it (git worktree add --detach)\n`,
    );
    expect(git(repo, ['rev-parse', 'agent-tracking']).trim()).toBe(tip);
    expect(git(wt, ['status', '--porcelain'])).toBe('');
    // background flushes (one per Stop) leave one notice, not one each
    for (let i = 0; i < 3; i++) track(repo, ['flush', '--background']);
    const notices = fs.readFileSync(
      path.join(repo, '.git', 'agent-tracking', 'errors', 'notices.log'),
      'utf8',
    );
    expect(notices.split('\n').filter((l) => l.includes('is checked out in'))).toHaveLength(1);
    git(wt, ['checkout', '-q', '--detach']);
    expect(flushNow(repo).status).toBe(0);
    expectWhole(repo, [1, 2], before);
    expect(git(wt, ['status', '--porcelain'])).toBe('');
  });

  test('a deleted branch, then a force-reset one: the spooled events come back, each once', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    for (let n = 0; n < 10; n++) hookPair(repo, 'del', n);
    expect(flushNow(repo).status).toBe(0);
    git(repo, ['branch', '-D', 'agent-tracking']);
    for (let n = 10; n < 12; n++) hookPair(repo, 'del', n);
    expect(flushNow(repo).status).toBe(0);
    expectWhole(repo, [...Array(12).keys()], before);
    const first = git(repo, ['rev-list', '--max-parents=0', 'agent-tracking']).trim();
    for (let n = 12; n < 20; n++) {
      hookPair(repo, 'del', n);
      if (n % 4 === 3) expect(flushNow(repo).status).toBe(0);
    }
    expect(flushNow(repo).status).toBe(0);
    // back to the first commit of the recreated branch
    git(repo, ['update-ref', 'refs/heads/agent-tracking', first]);
    hookPair(repo, 'del', 20);
    expect(flushNow(repo).status).toBe(0);
    expectWhole(repo, [...Array(21).keys()], before);
  });
});

describe('the flush state', () => {
  const stateFile = (repo: string) => path.join(repo, '.git', 'agent-tracking', 'cache', 'state.json');

  test('a state of {"version":1} (or any other garbage) is rebuilt, not crashed on; nothing doubled', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    for (let n = 0; n < 4; n++) hookPair(repo, 'st', n);
    expect(flushNow(repo).status).toBe(0);
    const expected = [0, 1, 2, 3];
    for (const garbage of [
      '{"version":1}',
      '{"version":1,"tip":null,"trees":[],"index":{},"spool":{}}',
      'null',
      '{"vers',
    ]) {
      fs.writeFileSync(stateFile(repo), garbage);
      const n = expected.length;
      hookPair(repo, 'st', n);
      expected.push(n);
      const r = flushNow(repo);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).events).toBe(2);
      expectWhole(repo, expected, before);
      expect(JSON.parse(track(repo, ['sessions', '--json']).stdout)[0].toolCalls).toBe(expected.length);
    }
  });

  test('offsets rewound (or shifted off a line) while the tip still matches: checked by id, nothing doubled', () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    for (let n = 0; n < 6; n++) hookPair(repo, 'rw', n);
    expect(flushNow(repo).status).toBe(0);
    const expected = [0, 1, 2, 3, 4, 5];
    for (const rewind of [0, 17, 'previous-line']) {
      const s = JSON.parse(fs.readFileSync(stateFile(repo), 'utf8'));
      const entry = s.spool['rw.jsonl'];
      if (rewind === 'previous-line') {
        const text = fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'spool', 'rw.jsonl'));
        entry.offset = text.lastIndexOf(10, entry.offset - 2) + 1;
      } else entry.offset = rewind;
      fs.writeFileSync(stateFile(repo), JSON.stringify(s));
      const n = expected.length;
      hookPair(repo, 'rw', n);
      expected.push(n);
      const r = JSON.parse(flushNow(repo).stdout);
      expect(r.events).toBe(2);
      expectWhole(repo, expected, before);
    }
    expect(JSON.parse(track(repo, ['stats', '--json']).stdout).toolCalls).toBe(expected.length);
  });

  test("temporary files an earlier release's killed writes left in objects/xx are removed (git never would)", () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    const dir = path.join(repo, '.git', 'objects', 'ab');
    fs.mkdirSync(dir, { recursive: true });
    const stale = path.join(dir, `tmp_${'c'.repeat(38)}_4242_7`);
    fs.writeFileSync(stale, 'half an object');
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(stale, old, old);
    expect(spawnSync('git', ['fsck'], { cwd: repo, encoding: 'utf8' }).stderr).toMatch(/garbage|bad sha1/);
    hookPair(repo, 'tmp', 1);
    expect(flushNow(repo).status).toBe(0);
    expect(fs.existsSync(stale)).toBe(false);
    expect(spawnSync('git', ['fsck', '--strict'], { cwd: repo, encoding: 'utf8' }).stderr).not.toMatch(
      /garbage|bad sha1/,
    );
    expectWhole(repo, [1], before);
  });
});

describe('where the hook records', () => {
  test("a session that cd'ed into another repository records into its project (CLAUDE_PROJECT_DIR), not that one", () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    const other = makeRepo();
    const otherBefore = userState(other);
    for (const p of pair(other, 'elsewhere', 1)) {
      const r = track(other, ['hook'], p, { ...NO_FLUSH, CLAUDE_PROJECT_DIR: repo });
      expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    }
    expect(flushNow(repo).status).toBe(0);
    expectWhole(repo, [1], before);
    expect(fs.existsSync(path.join(other, '.git', 'agent-tracking'))).toBe(false);
    expect(userState(other)).toEqual(otherBefore);
  });
});

/**
 * Whether uid 1000 can run this checkout's CLI: a checkout inside a folder only root may enter (a
 * `mktemp -d` clone) it cannot; the cases that run our CLI as that user need it.
 */
const uid1000RunsCli = () =>
  spawnSync('setpriv', [
    '--reuid=1000',
    '--regid=1000',
    '--clear-groups',
    process.execPath,
    '-e',
    `const fs = require('fs'); fs.accessSync(${JSON.stringify(BIN)}, fs.constants.R_OK); fs.accessSync(${JSON.stringify(path.join(ROOT, 'node_modules'))}, fs.constants.X_OK);`,
  ]).status === 0;

describe("another user's repository", () => {
  // root in a repository owned by another user (uid 1000 must exist to run git as that owner)
  const possible =
    process.getuid?.() === 0 &&
    spawnSync('setpriv', ['--reuid=1000', '--regid=1000', '--clear-groups', 'true']).status === 0;
  const asOwner = (repo: string, args: string[]) =>
    execFileSync('setpriv', ['--reuid=1000', '--regid=1000', '--clear-groups', 'git', ...args], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, HOME: repo, GIT_CONFIG_GLOBAL: '/dev/null' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const ownedRepo = () => {
    const repo = makeRepo();
    fs.chmodSync(path.dirname(repo), 0o755);
    track(repo, ['init', '--yes']);
    const before = userState(repo);
    execFileSync('chown', ['-R', '1000:1000', repo]);
    return { repo, before };
  };
  const notOwners = (repo: string) =>
    execFileSync('find', ['.', '!', '-user', '1000'], { cwd: repo, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);

  (possible ? test : test.skip)(
    "as root, allowed by safe.directory: everything created is the owner's, whose git then works",
    () => {
      const { repo, before } = ownedRepo();
      // the chown changed every file's ctime: the owner's first git status refreshes the index for that
      asOwner(repo, ['status', '--porcelain']);
      before.index = fs.readFileSync(path.join(repo, '.git', 'index'));
      const global = path.join(tmpDir('at-gitconfig-'), 'gitconfig');
      fs.writeFileSync(global, `[safe]\n\tdirectory = ${repo}\n`);
      const env = { GIT_CONFIG_GLOBAL: global };
      for (let n = 0; n < 40; n++)
        for (const p of pair(repo, `own-${n % 3}`, n)) track(repo, ['hook'], p, { ...NO_FLUSH, ...env });
      const f = track(repo, ['flush'], undefined, env);
      expect(f.status).toBe(0);
      expect(notOwners(repo)).toEqual([]);
      asOwner(repo, ['fsck', '--strict', '--no-dangling']);
      asOwner(repo, ['gc', '-q', '--prune=now']);
      // every call on the branch once, read by the owner's git; the owner's HEAD, index and work tree as before
      const files = asOwner(repo, ['ls-tree', '-r', '--name-only', 'agent-tracking'])
        .split('\n')
        .filter((f) => /\/events\/\d+\.jsonl$/.test(f));
      const ids = files
        .flatMap((f) =>
          asOwner(repo, ['show', `agent-tracking:${f}`])
            .split('\n')
            .filter(Boolean),
        )
        .map((l) => JSON.parse(l))
        .filter((e) => e.type === 'tool_call')
        .map((e) => e.toolUseId)
        .sort();
      expect(ids).toEqual([...Array(40).keys()].map((n) => `tu_${n}`).sort());
      expect(asOwner(repo, ['rev-parse', 'HEAD'])).toBe(before.head);
      expect(asOwner(repo, ['status', '--porcelain'])).toBe(before.status);
      expect(fs.readFileSync(path.join(repo, '.git', 'index')).equals(before.index)).toBe(true);
    },
  );

  const safeFor = (repo: string) => {
    const global = path.join(tmpDir('at-gitconfig-'), 'gitconfig');
    fs.writeFileSync(global, `[safe]\n\tdirectory = ${repo}\n`);
    return { GIT_CONFIG_GLOBAL: global };
  };

  (possible ? test : test.skip)(
    "init as root, allowed by safe.directory: settings.json, the config, slash commands and the workflow are the owner's",
    () => {
      const repo = makeRepo();
      fs.chmodSync(path.dirname(repo), 0o755);
      // a settings file of the user's own, with a mode of theirs, that init merges into (from a checkout
      // of this package, init writes the personal settings.local.json)
      fs.mkdirSync(path.join(repo, '.claude'));
      fs.writeFileSync(path.join(repo, '.claude', 'settings.local.json'), '{"model": "sonnet"}\n', {
        mode: 0o600,
      });
      execFileSync('chown', ['-R', '1000:1000', repo]);
      const r = track(repo, ['init', '--yes'], undefined, safeFor(repo));
      expect(r.status).toBe(0);
      for (const f of [
        '.claude/settings.local.json',
        '.agent-tracking.yml',
        '.claude/commands/agent-track/checkpoint.md',
        '.github/workflows/agent-tracking.yml',
        '.git/agent-tracking/spool',
      ])
        expect(fs.existsSync(path.join(repo, f))).toBe(true);
      expect(notOwners(repo)).toEqual([]);
      expect(fs.statSync(path.join(repo, '.claude', 'settings.local.json')).mode & 0o777).toBe(0o600);
      expect(
        JSON.parse(fs.readFileSync(path.join(repo, '.claude', 'settings.local.json'), 'utf8')).model,
      ).toBe('sonnet');
      // the owner can edit and remove what init wrote, and run init again
      asOwner(repo, ['add', '-A']);
      asOwner(repo, ['commit', '-q', '-m', 'agent tracking']);
      asOwner(repo, ['fsck', '--strict', '--no-dangling']);
      if (!uid1000RunsCli()) return; // the owner cannot reach this checkout's CLI (see uid1000RunsCli)
      const again = spawnSync(
        'setpriv',
        ['--reuid=1000', '--regid=1000', '--clear-groups', process.execPath, BIN, 'init', '--yes'],
        { cwd: repo, encoding: 'utf8', env: { ...process.env, HOME: repo, GIT_CONFIG_GLOBAL: '/dev/null' } },
      );
      expect(again.stderr).toBe('');
      expect(again.status).toBe(0);
    },
  );

  (possible ? test : test.skip)(
    'init as root, not allowed by safe.directory: refused, nothing created',
    () => {
      const repo = makeRepo();
      fs.chmodSync(path.dirname(repo), 0o755);
      execFileSync('chown', ['-R', '1000:1000', repo]);
      const before = execFileSync('find', ['.'], { cwd: repo, encoding: 'utf8' });
      const r = track(repo, ['init', '--yes'], undefined, { GIT_CONFIG_GLOBAL: '/dev/null' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("is owned by another user and git's safe.directory does not allow it");
      expect(execFileSync('find', ['.'], { cwd: repo, encoding: 'utf8' })).toBe(before);
    },
  );

  (possible ? test : test.skip)(
    "push and pull as root: what git itself creates (objects, packs, refs, reflogs) is the owner's",
    () => {
      const bare = path.join(tmpDir('at-bare-'), 'remote.git');
      git(path.dirname(bare), ['init', '-q', '--bare', '-b', 'main', bare]);
      const { repo } = ownedRepo();
      const env = safeFor(repo);
      asOwner(repo, ['remote', 'add', 'origin', bare]);
      asOwner(repo, ['config', 'core.logAllRefUpdates', 'always']);
      // a teammate's clone pushes sessions first, so that our pull fetches objects (loose and a pack)
      const mate = path.join(tmpDir('at-mate-'), 'mate');
      git(path.dirname(mate), ['clone', '-q', bare, mate]);
      git(mate, ['config', 'user.name', 'Mate']);
      git(mate, ['config', 'user.email', 'mate@example.com']);
      fs.writeFileSync(path.join(mate, 'README.md'), '# mate\n');
      git(mate, ['add', 'README.md']);
      git(mate, ['commit', '-q', '-m', 'mate']);
      // the project's branch first: push never makes agent-tracking a new remote's first branch
      git(mate, ['push', '-q', 'origin', 'HEAD:main']);
      expect(track(mate, ['init', '--yes']).status).toBe(0);
      for (let n = 100; n < 112; n++)
        for (const p of pair(mate, 'mate-1', n)) track(mate, ['hook'], p, NO_FLUSH);
      expect(track(mate, ['push']).status).toBe(0);
      // as root in the owner's repository: pull (fetch, merge), record, push
      const pulled = track(repo, ['pull'], undefined, env);
      expect(pulled.stderr).toBe('');
      expect(pulled.status).toBe(0);
      for (let n = 0; n < 10; n++)
        for (const p of pair(repo, 'own-1', n)) track(repo, ['hook'], p, { ...NO_FLUSH, ...env });
      const pushed = track(repo, ['push'], undefined, env);
      expect(pushed.stderr).toBe('');
      expect(pushed.status).toBe(0);
      expect(notOwners(repo)).toEqual([]);
      // the owner's git can do everything with it: gc (repacks, prunes, rewrites refs and reflogs), fsck
      asOwner(repo, ['gc', '-q', '--prune=now']);
      asOwner(repo, ['fsck', '--strict', '--no-dangling']);
      const ids = asOwner(repo, ['ls-tree', '-r', '--name-only', 'agent-tracking'])
        .split('\n')
        .filter((f) => /\/events\/\d+\.jsonl$/.test(f))
        .flatMap((f) =>
          asOwner(repo, ['show', `agent-tracking:${f}`])
            .split('\n')
            .filter(Boolean),
        )
        .map((l) => JSON.parse(l))
        .filter((e) => e.type === 'tool_call')
        .map((e) => e.toolUseId);
      expect(ids.length).toBe(22);
      expect(new Set(ids).size).toBe(22);
    },
  );

  (possible ? test : test.skip)(
    'as root, not allowed by safe.directory: nothing recorded, flush refuses in one line',
    () => {
      const { repo } = ownedRepo();
      const env = { GIT_CONFIG_GLOBAL: '/dev/null' };
      for (const p of pair(repo, 'refused', 1)) {
        const r = track(repo, ['hook'], p, { ...NO_FLUSH, ...env });
        expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
      }
      const f = track(repo, ['flush'], undefined, env);
      expect(f.status).toBe(1);
      expect(f.stderr).toBe(
        `agent-track: ${repo} is owned by another user and git's safe.directory does not allow it: nothing recorded (git config --global --add safe.directory ${repo})\n`,
      );
      expect(notOwners(repo)).toEqual([]);
    },
  );
});

describe('a read-only .git', () => {
  // as root permission bits stop nothing: the hook then runs as uid 1000 (setpriv) in a repository
  // that user owns; as anyone else, in our own repository. Skipped only where neither is possible.
  const root = process.getuid?.() === 0;
  const possible = !root || uid1000RunsCli();
  const asUser = (cmd: string[]): string[] =>
    root ? ['setpriv', '--reuid=1000', '--regid=1000', '--clear-groups', ...cmd] : cmd;
  const run = (repo: string, args: string[], input: string | undefined, env: NodeJS.ProcessEnv) => {
    const [cmd, ...rest] = asUser([process.execPath, BIN, ...args]);
    const r = spawnSync(cmd, rest, { cwd: repo, input, encoding: 'utf8', env: { ...process.env, ...env } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const setup = () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const home = tmpDir('at-home-');
    const state = path.join(home, 'state');
    // root's git reads the user's repository for the checks (safe.directory), never writes it
    const global = path.join(home, 'gitconfig');
    fs.writeFileSync(global, '[safe]\n\tdirectory = *\n');
    if (root) {
      fs.chmodSync(path.dirname(repo), 0o755);
      execFileSync('chown', ['-R', '1000:1000', repo, home]);
    }
    const env = { HOME: home, XDG_STATE_HOME: state, GIT_CONFIG_GLOBAL: global, AGENT_TRACK_NO_FLUSH: '' };
    // the chown changed every file's ctime: the owner's first status refreshes the index for that
    const [g, ...gargs] = asUser(['git', 'status', '--porcelain']);
    execFileSync(g, gargs, { cwd: repo, env: { ...process.env, ...env } });
    // root's git, for the checks, reads the user's repository (safe.directory = *)
    const check = { ...process.env, GIT_CONFIG_GLOBAL: global };
    const before = userState(repo, check);
    return { repo, state, env, before, check };
  };
  const hooks = (repo: string, session: string, ns: number[], env: NodeJS.ProcessEnv) => {
    for (const n of ns)
      for (const p of pair(repo, session, n))
        expect(run(repo, ['hook'], p, { ...env, ...NO_FLUSH })).toEqual({
          status: 0,
          stdout: '',
          stderr: '',
        });
  };
  const readOnly = (repo: string, on: boolean) =>
    execFileSync('chmod', ['-R', on ? 'a-w' : 'u+w', path.join(repo, '.git')]);
  const spoolFiles = (state: string): string[] => {
    const root = path.join(state, 'agent-tracking');
    if (!fs.existsSync(root)) return [];
    return fs.readdirSync(root).flatMap((d) => {
      const spool = path.join(root, d, 'spool');
      return fs.existsSync(spool) ? fs.readdirSync(spool).map((f) => path.join(spool, f)) : [];
    });
  };

  (possible ? test : test.skip)(
    "events kept in the user's private spool while .git is read-only, flushed once by the next hook that can write",
    async () => {
      const { repo, state, env, before, check } = setup();
      try {
        hooks(repo, 'ro-a', [0], env);
        expect(run(repo, ['flush'], undefined, env).status).toBe(0);
        readOnly(repo, true);
        const tracking = path.join(repo, '.git', 'agent-tracking');
        const listing = execFileSync('ls', ['-lR', tracking], { encoding: 'utf8' });
        hooks(repo, 'ro-a', [1, 2, 3], env);
        hooks(repo, 'ro-b', [4, 5], env);
        // nothing changed in .git, and no flush attempted; the events are in the user's spool, private
        expect(execFileSync('ls', ['-lR', tracking], { encoding: 'utf8' })).toBe(listing);
        const files = spoolFiles(state);
        expect(files.map((f) => path.basename(f)).sort()).toEqual(['ro-a.jsonl', 'ro-b.jsonl']);
        for (const f of files) {
          expect(fs.statSync(f).mode & 0o777).toBe(0o600);
          expect(fs.statSync(path.dirname(f)).mode & 0o777).toBe(0o700);
          expect(fs.statSync(path.dirname(path.dirname(f))).mode & 0o777).toBe(0o700);
        }
        expect(fs.readFileSync(files[0], 'utf8').split('\n').filter(Boolean)).not.toHaveLength(0);
        // a flush cannot write either: it says so and exits non-zero, nothing lost
        const refused = run(repo, ['flush'], undefined, env);
        expect(refused.status).toBe(1);
        expect(refused.stderr).toBe(
          `agent-track: ${path.join(repo, '.git')} cannot be written (EACCES): nothing flushed; 10 events wait in ${path.dirname(files[0])} and go to the branch at the first flush that can write it\n`,
        );
        expect(spoolFiles(state)).toHaveLength(2);

        readOnly(repo, false);
        // the next hook that can write starts the flush that takes the user's spool in
        for (const p of pair(repo, 'ro-a', 6))
          expect(run(repo, ['hook'], p, { ...env, AGENT_TRACK_NO_FLUSH: '' })).toEqual({
            status: 0,
            stdout: '',
            stderr: '',
          });
        const until = Date.now() + 30_000;
        while (spoolFiles(state).length > 0 && Date.now() < until)
          await new Promise((r) => setTimeout(r, 100));
        await backgroundFlushesDone(repo);
        expect(run(repo, ['flush'], undefined, env).status).toBe(0);
        expect(spoolFiles(state)).toEqual([]);
        expect(
          fs.existsSync(path.join(state, 'agent-tracking')) &&
            fs.readdirSync(path.join(state, 'agent-tracking')),
        ).toEqual([]);
        expectWhole(repo, [0, 1, 2, 3, 4, 5, 6], before, [], check);
        // and a later flush adds nothing twice
        expect(run(repo, ['flush'], undefined, env).status).toBe(0);
        expectWhole(repo, [0, 1, 2, 3, 4, 5, 6], before, [], check);
      } finally {
        readOnly(repo, false);
      }
    },
  );

  (possible ? test : test.skip)(
    "a flush killed between its ref update and its state: the user's spool is read again, every event once",
    () => {
      const { repo, state, env, before, check } = setup();
      try {
        readOnly(repo, true);
        hooks(repo, 'ro-k', [1, 2, 3, 4], env);
        readOnly(repo, false);
        const killed = run(repo, ['flush'], undefined, { ...env, AGENT_TRACK_FAULT: 'after-ref' });
        expect(killed.status).toBeNull(); // SIGKILLed after the branch moved
        expect(spoolFiles(state)).toHaveLength(1);
        expect(run(repo, ['flush'], undefined, env).status).toBe(0);
        expect(spoolFiles(state)).toEqual([]);
        expectWhole(repo, [1, 2, 3, 4], before, [], check);
      } finally {
        readOnly(repo, false);
      }
    },
  );
});

describe('the hook under load', () => {
  test('a hook finds a flush running: it starts none of its own, and the running flush takes its events', async () => {
    const repo = makeRepo();
    track(repo, ['init', '--yes']);
    const config = path.join(repo, '.agent-tracking.yml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/everyEvents: \d+/, 'everyEvents: 2'));
    git(repo, ['add', '.']);
    git(repo, ['commit', '-q', '-m', 'track']);
    const before = userState(repo);
    for (let n = 0; n < 3; n++) hookPair(repo, 'busy', n);
    const held = await heldFlush(repo);
    // every node process started as a flush notes itself here
    const dir = tmpDir('at-preload-');
    const marks = path.join(dir, 'flushes');
    const preload = path.join(dir, 'preload.cjs');
    fs.writeFileSync(
      preload,
      `if (process.argv.includes('flush')) require('fs').appendFileSync(${JSON.stringify(marks)}, process.pid + '\\n');\n`,
    );
    const env = { AGENT_TRACK_NO_FLUSH: '', NODE_OPTIONS: `--require ${preload}` };
    // over the threshold (2 unflushed lines) at every call: each would have started a flush
    for (let n = 3; n < 8; n++)
      for (const p of pair(repo, 'busy', n))
        expect(track(repo, ['hook'], p, env)).toEqual({ status: 0, stdout: '', stderr: '' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(fs.existsSync(marks)).toBe(false);
    // once released, the flush that ran takes everything, with no other flush started
    const r = await held.release();
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).events).toBe(16);
    expectWhole(repo, [0, 1, 2, 3, 4, 5, 6, 7], before);
    // with no flush running, the threshold starts one again
    for (const p of pair(repo, 'busy', 8)) track(repo, ['hook'], p, env);
    await backgroundFlushesDone(repo);
    expect(fs.readFileSync(marks, 'utf8').trim().split('\n').length).toBeGreaterThan(0);
    expectWhole(repo, [0, 1, 2, 3, 4, 5, 6, 7, 8], before);
  });
});
