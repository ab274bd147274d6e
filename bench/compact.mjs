// Growth of the agent-tracking branch, and what compaction does to it (issue 23): for 5, 20 and 100
// generated phases, the size and time of a fresh `git clone --single-branch --branch agent-tracking`
// of the remote, before (the branch as it grows today) and after `archive --keep 2` with its
// compaction; and the archive + compact time per archived phase. S3 is s3rver on 127.0.0.1.
//   node bench/run.mjs --only compact [--phases=5,20,100] [--sessions=2] [--events=200]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sessionLines } from './generate.mjs';
import { startS3rver } from './s3rver.mjs';

export async function benchCompact({ root, bin, work, quick, log }) {
  const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
  const counts = String(arg('phases', quick ? '5,20' : '5,20,100'))
    .split(',')
    .map(Number);
  const SESSIONS = Number(arg('sessions', 2));
  const EVENTS = Number(arg('events', 500));
  const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

  const { server, env } = await startS3rver(work, root, 's3rver-compact-');
  const track = (cwd, ...args) =>
    execFileSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env, maxBuffer: 1 << 28 });

  /** Size (bytes of .git/objects) and time of a fresh single-branch clone, median time of 3. */
  const freshClone = (bare, name) => {
    const times = [];
    let bytes = 0;
    let commits = 0;
    for (let i = 0; i < 3; i++) {
      const dir = path.join(work, `${name}-${i}`);
      const t0 = process.hrtime.bigint();
      git(work, 'clone', '-q', '--single-branch', '--branch', 'agent-tracking', `file://${bare}`, dir);
      times.push(ms(t0));
      const out = git(dir, 'count-objects', '-v');
      const kb = (k) => Number(new RegExp(`^${k}: (\\d+)$`, 'm').exec(out)?.[1] ?? 0);
      bytes = (kb('size') + kb('size-pack')) * 1024;
      commits = Number(git(dir, 'rev-list', '--count', 'HEAD').trim());
      fs.rmSync(dir, { recursive: true, force: true });
    }
    times.sort((a, b) => a - b);
    return { bytes, ms: Math.round(times[1]), commits };
  };

  const rows = [];
  try {
    for (const n of counts) {
      const repo = path.join(work, `compact-${n}`);
      const bare = path.join(work, `compact-${n}.git`);
      fs.mkdirSync(repo);
      git(repo, 'init', '-q', '-b', 'main');
      git(repo, 'config', 'user.name', 'Bench');
      git(repo, 'config', 'user.email', 'bench@example.com');
      fs.writeFileSync(path.join(repo, 'README.md'), '# bench\n');
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'first');
      git(work, 'init', '-q', '--bare', '-b', 'main', bare);
      git(repo, 'remote', 'add', 'origin', bare);
      git(repo, 'push', '-q', 'origin', 'main');
      track(repo, 'init', '--yes');
      const cfg = path.join(repo, '.agent-tracking.yml');
      fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace(/^( {2}bucket:).*$/m, '$1 bench'));
      const spoolDir = path.join(repo, '.git', 'agent-tracking', 'spool');
      const clock = { t: Date.parse('2026-01-01T08:00:00Z') };
      const r0 = process.hrtime.bigint();
      for (let p = 1; p <= n; p++) {
        for (let s = 0; s < SESSIONS; s++) {
          const session = `p${p}-s${s}`;
          const lines = sessionLines({
            repo,
            session,
            s: p * 100 + s,
            perSession: EVENTS,
            clock,
            fileChanges: true,
          });
          fs.writeFileSync(path.join(spoolDir, `${session}.jsonl`), `${lines.join('\n')}\n`);
          // one flush a session, as a Stop hook would
          track(repo, 'flush');
        }
        if (p < n) track(repo, 'phase', 'end');
      }
      const recordMs = ms(r0);
      track(repo, 'push');
      const before = freshClone(bare, `before-${n}`);
      const a0 = process.hrtime.bigint();
      const out = JSON.parse(track(repo, 'archive', '--json'));
      const archiveMs = ms(a0);
      const archived = out.phases.length;
      const after = freshClone(bare, `after-${n}`);
      rows.push({
        phases: n,
        sessionsPerPhase: SESSIONS,
        eventsPerSession: EVENTS,
        recordMs: Math.round(recordMs),
        beforeBytes: before.bytes,
        beforeMs: before.ms,
        beforeCommits: before.commits,
        archived,
        compacted: out.compacted?.outcome === 'compacted',
        afterBytes: after.bytes,
        afterMs: after.ms,
        afterCommits: after.commits,
        archiveCompactMs: Math.round(archiveMs),
        perPhaseMs: archived ? Math.round(archiveMs / archived) : null,
      });
      const r = rows.at(-1);
      const mb = (b) => `${(b / 2 ** 20).toFixed(2)} MB`;
      log(
        `branch after ${n} phases (${SESSIONS} sessions of ${EVENTS} events each): fresh clone ${mb(r.beforeBytes)} in ${r.beforeMs} ms (${r.beforeCommits} commits); after archive --keep 2 + compact: ${mb(r.afterBytes)} in ${r.afterMs} ms (${r.afterCommits} commit); ${r.archived} phases archived and compacted in ${r.archiveCompactMs} ms (${r.perPhaseMs} ms a phase)`,
      );
    }
  } finally {
    server.kill();
  }
  return rows;
}
