/** `agent-track compact`: a new root for the branch once its archived phases are verified in S3 (src/cloud/compact.ts). */
import type { Command } from 'commander';
import type { CompactOutcome } from '../src/cloud/compact.js';
import { loadConfig } from '../src/store/config.js';
import type { RepoPaths } from '../src/store/paths.js';

interface Helpers {
  repo: () => RepoPaths;
  print: (v: unknown) => void;
  fail: (message: string) => never;
}

const progress = (m: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${m}`);
};
const done = () => {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
};

/** Where compaction pushes: tracking.remote when it is a configured remote or a URL, unless --no-push. */
export async function compactRemote(
  paths: RepoPaths,
  push: boolean,
  remote?: string,
): Promise<string | null> {
  if (!push) return null;
  const { isRemoteName } = await import('../src/store/sync.js');
  const name = remote ?? (await loadConfig(paths)).tracking.remote;
  if (await isRemoteName(paths, name)) return name;
  // a URL or a path (a private repository for the agent history)
  return /^[\w.-]+$/.test(name) ? null : name;
}

export async function runCompact(
  paths: RepoPaths,
  opts: { keep: number; remote: string | null; prompt?: boolean },
): Promise<CompactOutcome> {
  const { compact } = await import('../src/cloud/compact.js');
  try {
    return await compact(paths, { ...opts, onProgress: progress });
  } finally {
    done();
  }
}

export function describeCompact(r: CompactOutcome): string {
  if (r.outcome === 'nothing') return `nothing to compact: ${r.reason}`;
  return [
    `compacted agent-tracking: new root ${r.root.slice(0, 7)} with the tree of ${r.replacedTip.slice(0, 7)}; ${r.replacedCommits} commit${r.replacedCommits === 1 ? '' : 's'} of history replaced, relying on ${r.phases.length} archived phase${r.phases.length === 1 ? '' : 's'} verified in S3 (${r.phases.map((p) => p.phase).join(', ')})`,
    r.pushed
      ? `pushed to ${r.remote} with --force-with-lease (other clones replay their new sessions on it at their next pull or push)`
      : r.remote
        ? `not pushed: ${r.remote} has no agent-tracking branch yet`
        : 'not pushed (--no-push, or no remote)',
    `the old history is kept under ${r.kept}; remove it with \`agent-track compact --drop-old\` (or git update-ref -d ${r.kept}), then git gc`,
  ].join('\n');
}

export function registerCompact(program: Command, { repo, print, fail }: Helpers): void {
  program
    .command('compact')
    .description(
      'give the agent-tracking branch a new root holding only its tip, once every phase older than --keep is archived and verified in S3; the old history stays under a local ref',
    )
    .option('--keep <n>', 'phases kept on the branch behind the current one (default: archive.keep, 2)')
    .option('--remote <remote>', 'where to push the new root (default: tracking.remote)')
    .option('--no-push', 'compact this clone only (push later with git push --force-with-lease)')
    .option(
      '--drop-old',
      'remove the refs that keep replaced histories (refs/agent-tracking/pre-compact/*) and do nothing else',
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: { keep?: string; remote?: string; push: boolean; dropOld?: boolean; json?: boolean }) => {
        const paths = repo();
        if (opts.dropOld) {
          const { dropOldHistories } = await import('../src/store/compact.js');
          const dropped = await dropOldHistories(paths);
          if (opts.json) return print({ dropped });
          return print(
            dropped.length
              ? `removed ${dropped.join(', ')}; \`git gc --prune=now\` frees their space`
              : 'no replaced history is kept',
          );
        }
        const config = (await loadConfig(paths)).archive;
        const keep = opts.keep === undefined ? config.keep : Number(opts.keep);
        if (!Number.isInteger(keep) || keep < 0)
          fail(`--keep takes a whole number of phases, not '${opts.keep}'`);
        const { CompactRefused } = await import('../src/cloud/compact.js');
        try {
          const r = await runCompact(paths, {
            keep,
            remote: await compactRemote(paths, opts.push, opts.remote),
            prompt: true,
          });
          print(opts.json ? r : describeCompact(r));
        } catch (e) {
          if (e instanceof CompactRefused) fail(e.message);
          throw e;
        }
      },
    );
}
