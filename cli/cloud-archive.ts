/** `agent-track archive`: the S3 Glacier Deep Archive tier (src/cloud/archive.ts). */
import type { Command } from 'commander';
import { loadConfig } from '../src/store/config.js';
import type { RepoPaths } from '../src/store/paths.js';

interface Helpers {
  repo: () => RepoPaths;
  print: (v: unknown) => void;
  fail: (message: string) => never;
}

const mb = (n: number) => `${(n / 2 ** 20).toFixed(2)} MB`;

export function registerArchive(program: Command, { repo, print, fail }: Helpers): void {
  const progress = (m: string) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${m}`);
  };
  const done = () => {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  };
  const archive = program
    .command('archive')
    .description(
      'move phases more than --keep behind the current one to S3 (Parquet per view + the raw files), then prune them from the branch tip',
    )
    .option('--bucket <name>', 'the S3 bucket (default: archive.bucket in .agent-tracking.yml)')
    .option('--prefix <prefix>', 'key prefix (default: archive.prefix, agent-tracking)')
    .option('--keep <n>', 'phases kept on the branch behind the current one (default: archive.keep, 2)')
    .option('--storage-class <class>', 'S3 storage class (default: archive.storageClass, DEEP_ARCHIVE)')
    .option('--dry-run', 'export and measure, upload and prune nothing')
    .option(
      '--lake',
      "also export the current phases as Parquet under the same keys (an organisation's lake; default: archive.lake)",
    )
    .option(
      '--no-compact',
      'do not compact the branch afterwards (default: archive.compact, true with a bucket)',
    )
    .option('--no-push', 'compact this clone only: do not push the new root')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
With --lake every repository writes s3://BUCKET/PREFIX/repo=<owner-repo>/phase=<name>/<view>/part-0.parquet
for its current phases too (replaced in place when a phase grows, nothing sent when it did not), so
one query covers all of them: agent-track query --archive s3://BUCKET/PREFIX "select repo, ... group by repo".
The repo= key: archive.repo, else the remote's owner/name (lower-cased), else local-<first commit>.`,
    )
    .action(
      async (opts: {
        bucket?: string;
        prefix?: string;
        keep?: string;
        storageClass?: string;
        dryRun?: boolean;
        lake?: boolean;
        compact: boolean;
        push: boolean;
        json?: boolean;
      }) => {
        const paths = repo();
        const config = (await loadConfig(paths)).archive;
        const bucket = opts.bucket ?? config.bucket;
        if (!bucket) fail('name the bucket: --bucket NAME, or archive.bucket in .agent-tracking.yml');
        const keep = opts.keep === undefined ? config.keep : Number(opts.keep);
        if (!Number.isInteger(keep) || keep < 0)
          fail(`--keep takes a whole number of phases, not '${opts.keep}'`);
        const { archive: run } = await import('../src/cloud/archive.js');
        const r = await run(paths, {
          bucket: bucket as string,
          prefix: opts.prefix ?? config.prefix,
          keep,
          storageClass: opts.storageClass ?? config.storageClass,
          dryRun: opts.dryRun,
          lake: opts.lake ?? config.lake,
          repo: config.repo,
          onProgress: progress,
        });
        done();
        // the archive verified, the branch's history can let the archived phases go (src/cloud/compact.ts)
        const compacted =
          !opts.dryRun && opts.compact && config.compact
            ? await (async () => {
                const { runCompact, compactRemote } = await import('./compact.js');
                const { CompactRefused } = await import('../src/cloud/compact.js');
                try {
                  return await runCompact(paths, {
                    keep,
                    remote: await compactRemote(paths, opts.push),
                    prompt: true,
                  });
                } catch (e) {
                  if (e instanceof CompactRefused) fail(e.message);
                  throw e;
                }
              })()
            : null;
        if (opts.json) return print(compacted ? { ...r, compacted } : r);
        const lines = r.phases.length
          ? r.phases.map(
              (p) =>
                `${r.dryRun ? 'would archive' : 'archived'} ${p.phase}${p.resumed ? ' (its upload had finished before)' : ''}: ${p.objects} objects, ${mb(p.bytes)} (Parquet ${mb(p.parquetBytes)}, raw ${mb(p.rawBytes)}), ${p.rows.events} events -> s3://${bucket}/${p.manifestKey}`,
            )
          : [`nothing to archive: no phase is more than ${keep} behind the current one`];
        if (r.lake) {
          const said: Record<string, string> = {
            exported: r.dryRun ? 'would export' : 'exported',
            unchanged: 'unchanged',
            archived: 'left alone (an archive manifest holds it)',
            behind: 'left alone (S3 holds an export of a newer branch: fetch agent-tracking first)',
          };
          if (!r.lake.phases.length)
            lines.push(`lake (repo=${r.lake.repo}): no current phase has a session yet`);
          for (const p of r.lake.phases)
            lines.push(
              `lake ${p.phase}: ${said[p.outcome]}${p.outcome === 'exported' || p.outcome === 'unchanged' ? `, ${p.uploaded} uploaded, ${p.unchanged} already there, ${mb(p.bytes)}, ${p.rows.events ?? 0} events` : ''} -> s3://${bucket}/${p.prefix}/`,
            );
        }
        if (compacted) lines.push((await import('./compact.js')).describeCompact(compacted));
        print(lines.join('\n'));
      },
    );
  archive
    .command('list')
    .description('the archived phases: where they are, their size, when')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listArchived } = await import('../src/cloud/archive.js');
      const list = await listArchived(repo());
      // `archive` has a --json of its own, which commander gives the parent
      if (opts.json || cmd.parent?.opts().json) return print(list);
      if (!list.length) return print('no phase is archived');
      print(
        list
          .map(
            (m) =>
              `${m.phase}  s3://${m.bucket}/${m.manifestKey}  ${m.objects} objects, ${mb(m.bytes)}, ${m.storageClass}, ${m.archivedAt}`,
          )
          .join('\n'),
      );
    });
  archive
    .command('restore <phase>')
    .description(
      'lay an archived phase back on the branch, byte for byte; objects still in Glacier get a restore request (run again once ready)',
    )
    .option('--tier <tier>', 'Glacier retrieval tier: Standard (up to 12 h) or Bulk (up to 48 h)', 'Standard')
    .option('--json', 'print the result as JSON')
    .action(async (phase: string, opts: { tier: string; json?: boolean }, cmd: Command) => {
      opts.json ||= cmd.parent?.opts().json;
      if (opts.tier !== 'Standard' && opts.tier !== 'Bulk')
        fail(`--tier is Standard or Bulk, not '${opts.tier}'`);
      const { restorePhase } = await import('../src/cloud/archive.js');
      const r = await restorePhase(repo(), phase, {
        tier: opts.tier as 'Standard' | 'Bulk',
        onProgress: progress,
      });
      done();
      if (opts.json) return print(r);
      print(
        r.outcome === 'restored'
          ? `restored ${phase} onto the agent-tracking branch`
          : `${phase} is still in Glacier: ${r.outcome === 'requested' ? 'restore requested' : 'a restore is in progress'} for ${r.waiting.length} object${r.waiting.length === 1 ? '' : 's'}; ready by about ${r.readyBy} (${opts.tier} tier). Run this again then.`,
      );
    });
}
