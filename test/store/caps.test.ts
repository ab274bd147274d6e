/**
 * The cap on one object of the branch (10 MB): a flush whose event segment would pass it is split
 * into consecutive segments; an event line over it has its longest values capped (size and sha256
 * kept); `limits` in the config can never be set above what fits. Real hooks, real flushes, real git.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { branchEvents, cleanupTmp, flushNow, git, makeRepo, track } from '../lib/cli.js';

afterAll(cleanupTmp);

const CAP = 10_000_000;
const big = { maxBuffer: 256 << 20 };

/** Text that is neither a secret nor a repetition git or the redactor could shortcut. */
function text(seed: number, bytes: number): string {
  const out: string[] = [];
  let x = seed;
  let n = 0;
  while (n < bytes) {
    x = (x * 1103515245 + 12345) >>> 0;
    const w = `line ${x % 100000} of output ${seed}\n`;
    out.push(w);
    n += w.length;
  }
  return out.join('').slice(0, bytes);
}

/** Sizes of every blob on the branch's history. */
function blobSizes(repo: string): number[] {
  const objs = git(repo, ['rev-list', '--objects', 'agent-tracking'], big)
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[0]);
  return git(repo, ['cat-file', '--batch-check=%(objecttype) %(objectsize)'], {
    ...big,
    input: `${objs.join('\n')}\n`,
  })
    .split('\n')
    .filter((l) => l.startsWith('blob '))
    .map((l) => Number(l.split(' ')[1]));
}

test('no object over 10 MB: a large flush is split into segments, a line over the cap is capped with its sha256, limits are clamped', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  const cfg = path.join(repo, '.agent-tracking.yml');
  // asked for 50 MB: clamped to 8 MiB, below the object cap
  fs.writeFileSync(
    cfg,
    fs
      .readFileSync(cfg, 'utf8')
      .replace(/toolOutputBytes: \d+/, 'toolOutputBytes: 52428800')
      .replace(/fileContentBytes: \d+/, 'fileContentBytes: 52428800'),
  );
  const base = { session_id: 'big-1', cwd: repo, transcript_path: '/dev/null' };
  const hook = (p: object) =>
    expect(
      track(repo, ['hook'], JSON.stringify({ ...base, ...p }), { AGENT_TRACK_NO_FLUSH: '1' }).status,
    ).toBe(0);
  hook({ hook_event_name: 'SessionStart', source: 'startup' });
  const outputs = [1, 2, 3].map((k) => text(k, 4_500_000));
  for (const [k, out] of outputs.entries()) {
    const call = { tool_name: 'Bash', tool_use_id: `tu-${k}`, tool_input: { command: `build ${k}` } };
    hook({ hook_event_name: 'PreToolUse', ...call });
    hook({
      hook_event_name: 'PostToolUse',
      ...call,
      tool_response: { stdout: out, stderr: '', interrupted: false },
    });
  }
  // one event whose two values are each under the limit and together over the object cap
  const command = text(7, 7_000_000);
  const stdout = text(8, 7_500_000);
  const call = { tool_name: 'Bash', tool_use_id: 'tu-huge', tool_input: { command } };
  hook({ hook_event_name: 'PreToolUse', ...call });
  hook({
    hook_event_name: 'PostToolUse',
    ...call,
    tool_response: { stdout, stderr: '', interrupted: false },
  });
  // over the clamped limit: capped when captured
  const huge = text(9, 9_000_000);
  const call2 = { tool_name: 'Bash', tool_use_id: 'tu-over', tool_input: { command: 'cat huge.log' } };
  hook({ hook_event_name: 'PreToolUse', ...call2 });
  hook({
    hook_event_name: 'PostToolUse',
    ...call2,
    tool_response: { stdout: huge, stderr: '', interrupted: false },
  });
  hook({ hook_event_name: 'SessionEnd', reason: 'other' });
  expect(flushNow(repo).status).toBe(0);

  const sizes = blobSizes(repo);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(CAP);
  // one flush, and yet several segments: the split
  const dir = git(repo, ['ls-tree', '-d', '--name-only', 'agent-tracking:phases/phase-1/sessions/']).trim();
  const segments = git(repo, [
    'ls-tree',
    '--name-only',
    `agent-tracking:phases/phase-1/sessions/${dir}/events`,
  ])
    .trim()
    .split('\n');
  expect(segments.length).toBeGreaterThanOrEqual(3);
  expect(segments.every((s) => /^\d{6}\.jsonl$/.test(s))).toBe(true);
  const events = branchEvents(repo, 'agent-tracking', big);
  const ids = events.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  const calls = events.filter((e) => e.type === 'tool_call');
  expect(calls.map((e) => e.toolUseId ?? e.tool_use_id).sort()).toEqual([
    'tu-0',
    'tu-1',
    'tu-2',
    'tu-huge',
    'tu-over',
  ]);
  const json = (e: any) => JSON.stringify(e);
  // the three 4.5 MB outputs are whole
  // (booleans: a failure must not print megabytes)
  for (const [k, out] of outputs.entries())
    expect(calls.find((e) => (e.toolUseId ?? e.tool_use_id) === `tu-${k}`).output.stdout === out).toBe(true);
  // the 14.5 MB event: its longest value became a stub with the size and sha256 of what was cut
  const hugeEvent = json(calls.find((e) => (e.toolUseId ?? e.tool_use_id) === 'tu-huge'));
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  expect(hugeEvent.includes('"truncated":true')).toBe(true);
  const stubs = [...hugeEvent.matchAll(/"bytes":(\d+),"sha256":"([0-9a-f]{64})"/g)].map((m) => [
    Number(m[1]),
    m[2],
  ]);
  expect(stubs.some(([, h]) => h === sha(stdout) || h === sha(command))).toBe(true);
  // the 9 MB output was capped at capture by the clamped limit (8 MiB), with its sha256
  const over = json(calls.find((e) => (e.toolUseId ?? e.tool_use_id) === 'tu-over'));
  expect(over.includes('"truncated":true')).toBe(true);
  expect(Buffer.byteLength(over)).toBeLessThan(CAP);
  git(repo, ['fsck', '--strict', '--no-dangling']);
}, 180_000);

test('the tree editor caps whatever is staged: segments split at line ends, other files keep their head and a .cut.json', async () => {
  const { ObjectStore } = await import('../../src/store/git.js');
  const { TreeEditor } = await import('../../src/store/tree.js');
  const { redactForStore } = await import('../../src/model/redact.js');
  const repo = makeRepo();
  const store = new ObjectStore(path.join(repo, '.git'));
  const tree = new TreeEditor(store, null);
  const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: `e${i}`, text: text(i, 40) }));
  const segment = `${lines.join('\n')}\n`;
  const index = text(99, 5000);
  tree.stageFile('phases/p/sessions/s/events/000001.jsonl', redactForStore(segment));
  tree.stageFile('README.md', redactForStore(index));
  // a small cap stands in for 10 MB: the same code path, without writing tens of megabytes
  const cap = 4096;
  const root = await tree.write(cap);
  const ls = (p: string) =>
    git(repo, ['ls-tree', '--name-only', `${root}:${p}`])
      .trim()
      .split('\n');
  const segs = ls('phases/p/sessions/s/events');
  expect(segs.length).toBeGreaterThan(3);
  expect(segs[0]).toBe('000001.jsonl');
  const joined = segs
    .map((s) => git(repo, ['cat-file', 'blob', `${root}:phases/p/sessions/s/events/${s}`]))
    .join('');
  expect(joined).toBe(segment);
  for (const s of segs)
    expect(
      Buffer.byteLength(git(repo, ['cat-file', 'blob', `${root}:phases/p/sessions/s/events/${s}`])),
    ).toBeLessThanOrEqual(cap);
  expect(ls('').sort()).toEqual(['README.md', 'README.md.cut.json', 'phases']);
  const kept = git(repo, ['cat-file', 'blob', `${root}:README.md`]);
  const record = JSON.parse(git(repo, ['cat-file', 'blob', `${root}:README.md.cut.json`]));
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(cap);
  expect(index.startsWith(kept)).toBe(true);
  expect(record).toMatchObject({
    path: 'README.md',
    bytes: Buffer.byteLength(index),
    sha256: sha(index),
    keptBytes: Buffer.byteLength(kept),
    cutBytes: Buffer.byteLength(index) - Buffer.byteLength(kept),
    cutSha256: sha(index.slice(kept.length)),
  });
});
