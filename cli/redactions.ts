/** `agent-track redactions`: what was redacted where (kind, event or file), never the value. */
import type { Command } from 'commander';
import { flushWithTranscripts } from '../src/capture/collect.js';
import { listRedactions } from '../src/recovery/redactions.js';
import { findRepo } from '../src/store/paths.js';
import { TrackingBranch } from '../src/store/reader.js';
import { table } from './format.js';

export function registerRedactions(program: Command): void {
  program
    .command('redactions')
    .description(
      'list what was redacted where: the kind of secret and the event field or snapshot file it was in (never the value)',
    )
    .option('--session <id>', 'only this session (an id or a prefix)')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { session?: string; json?: boolean }) => {
      const paths = findRepo(process.cwd());
      if (!paths)
        throw new Error(
          'not inside a git repository (run this in the repository whose agent sessions you track)',
        );
      await flushWithTranscripts(paths, { waitMs: 30_000 });
      const branch = await TrackingBranch.open(paths);
      const list = await listRedactions(
        branch,
        opts.session ? [await branch.findSession(opts.session)] : undefined,
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (!list.length) {
        process.stdout.write('nothing was redacted\n');
        return;
      }
      const rows = list.map((r) => [
        r.session.slice(0, 8),
        r.where === 'event' ? `${r.type} ${r.event?.slice(0, 8)}` : `snapshot ${r.snapshot}`,
        r.where === 'event' ? (r.field ?? '') : (r.file ?? ''),
        r.kind,
        r.count,
      ]);
      process.stdout.write(`${table(['session', 'in', 'field or file', 'kind', 'count'], rows, [4])}\n`);
      const total = list.reduce((n, r) => n + r.count, 0);
      process.stdout.write(
        `${total} redaction${total === 1 ? '' : 's'}; a false positive can be let through with a pattern in redaction.allow (.agent-tracking.yml)\n`,
      );
    });
}
