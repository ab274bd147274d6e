/** `agent-track dashboard`: one static HTML page of the store (src/dashboard), written and optionally served. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { flushWithTranscripts } from '../src/capture/collect.js';
import { mkdirOwned, own } from '../src/store/owner.js';
import { findRepo } from '../src/store/paths.js';

const size = (n: number) =>
  n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MB` : `${(n / 1024).toFixed(1)} KB`;

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description(
      'write the dashboard: one HTML file (data and charts inline, works from file://) with an overview, session timelines, agents and tools, and recovery',
    )
    .option(
      '--out <dir>',
      'the folder to write index.html into (default: <git common dir>/agent-tracking/dashboard, outside the work tree)',
    )
    .option('--phase <name>', 'only this phase (default: every phase)')
    .option('--serve <port>', 'also serve it on http://127.0.0.1:<port>/ (0: a free port) until Ctrl-C')
    .option('--json', 'print {"file", "url", "bytes", "sessions", ...} as JSON')
    .action(async (opts: { out?: string; phase?: string; serve?: string; json?: boolean }) => {
      const paths = findRepo(process.cwd());
      if (!paths)
        throw new Error(
          'not inside a git repository (run this in the repository whose agent sessions you track)',
        );
      let port: number | null = null;
      if (opts.serve !== undefined) {
        port = Number(opts.serve);
        if (!/^\d+$/.test(opts.serve) || port > 65535)
          throw new Error(
            `--serve takes a port number (0 to 65535; 0 picks a free one), not '${opts.serve}'`,
          );
      }
      if (fs.existsSync(paths.trackingDir)) await flushWithTranscripts(paths, { waitMs: 60_000 });
      const { dashboardData } = await import('../src/dashboard/data.js');
      const { renderPage } = await import('../src/dashboard/page.js');
      const data = await dashboardData(paths, { phase: opts.phase });
      const html = renderPage(data);
      const dir = path.resolve(opts.out ?? path.join(paths.trackingDir, 'dashboard'));
      mkdirOwned(dir);
      const file = path.join(dir, 'index.html');
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, html);
      own(tmp);
      fs.renameSync(tmp, file);
      const bytes = Buffer.byteLength(html);
      const result = {
        file,
        url: pathToFileURL(file).href,
        bytes,
        sessions: data.sessions.length,
        timelines: Object.keys(data.timelines).length,
        snapshots: data.snapshots.length,
        empty: data.empty,
      };
      if (port === null) {
        if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else
          process.stdout.write(
            `wrote ${file} (${size(bytes)}, ${data.sessions.length} session${data.sessions.length === 1 ? '' : 's'})\nopen ${result.url}\n`,
          );
        return;
      }
      const { serveDashboard } = await import('../src/dashboard/serve.js');
      const served = await serveDashboard(html, port);
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, served: served.url })}\n`);
      else process.stdout.write(`wrote ${file} (${size(bytes)})\nserving ${served.url} (Ctrl-C stops)\n`);
      const stop = () => {
        void served.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
