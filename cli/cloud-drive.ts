/** `agent-track backup` (the Google Drive tier) and `agent-track auth drive` (its refresh token). */
import type { Command } from 'commander';
import type { RepoPaths } from '../src/store/paths.js';
import { fmtInt } from './format.js';

export interface DriveCommandHelpers {
  repo: () => RepoPaths;
  print: (v: unknown) => void;
  /** An error shown as one line, exit 1. */
  UserError: new (
    message: string,
  ) => Error;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 2 : 1)} MB`;

const nonNegInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, 0 or more`);
  return n;
};

export function registerDriveCommands(program: Command, helpers: DriveCommandHelpers): void {
  const { repo, print, UserError } = helpers;

  program
    .command('backup')
    .description(
      'back the current phase and the previous one(s) up to Google Drive (only what changed); remove older phases once archived in S3',
    )
    .option(
      '--folder <id>',
      'the Drive folder to back up under (default: backup.driveFolderId, else agent-tracking)',
    )
    .option(
      '--shared-drive <id>',
      'a Shared Drive (default: backup.sharedDriveId; required with a service account)',
    )
    .option('--keep <n>', 'phases kept before the current one (default: backup.keep, 1)', nonNegInt('--keep'))
    .option(
      '--resumable-over <bytes>',
      'files larger than this go as resumable uploads (default 5 MB)',
      nonNegInt('--resumable-over'),
    )
    .option('--dry-run', 'list what would be uploaded; change nothing on Drive')
    .option('--json', 'print {uploaded, updated, unchanged, removedPhases, keptUnarchived, bytes} as JSON')
    .addHelpText(
      'after',
      `
Credentials (environment only):
  AGENT_TRACK_DRIVE_CLIENT_ID, AGENT_TRACK_DRIVE_CLIENT_SECRET, AGENT_TRACK_DRIVE_REFRESH_TOKEN
      an OAuth client of type "Desktop app" and a refresh token (agent-track auth drive makes one)
  GOOGLE_APPLICATION_CREDENTIALS
      a service account or workload identity; needs a Shared Drive (backup.sharedDriveId)`,
    )
    .action(
      async (opts: {
        folder?: string;
        sharedDrive?: string;
        keep?: number;
        resumableOver?: number;
        dryRun?: boolean;
        json?: boolean;
      }) => {
        const paths = repo();
        const { backupToDrive, DriveCredentialsError, DriveError } = await import('../src/cloud/drive.js');
        const chunk = Number(process.env.AGENT_TRACK_DRIVE_CHUNK_BYTES);
        const tty = Boolean(process.stderr.isTTY) && !opts.json;
        let r: Awaited<ReturnType<typeof backupToDrive>>;
        try {
          r = await backupToDrive(paths, {
            folderId: opts.folder,
            sharedDriveId: opts.sharedDrive,
            keep: opts.keep,
            dryRun: opts.dryRun,
            resumableThreshold: opts.resumableOver,
            chunkSize: Number.isInteger(chunk) && chunk > 0 ? chunk : undefined,
            onProgress: tty
              ? (p) =>
                  process.stderr.write(`\r\x1b[Kbackup: ${p.files}/${p.totalFiles} files, ${mb(p.bytes)}`)
              : undefined,
          });
        } catch (e) {
          if (tty) process.stderr.write('\r\x1b[K');
          if (e instanceof DriveCredentialsError || e instanceof DriveError) throw new UserError(e.message);
          throw e;
        }
        if (tty) process.stderr.write('\r\x1b[K');
        if (opts.json) {
          const { uploaded, updated, unchanged, removedPhases, keptUnarchived, bytes } = r;
          return print({
            uploaded,
            updated,
            unchanged,
            removedPhases,
            keptUnarchived,
            bytes,
            phases: r.phases,
            folder: r.folder,
            ...(r.dryRun ? { dryRun: true, wouldUpload: r.wouldUpload } : {}),
          });
        }
        const lines: string[] = [];
        if (r.dryRun) {
          lines.push(
            `would upload ${fmtInt(r.uploaded)} new and update ${fmtInt(r.updated)} changed file${r.uploaded + r.updated === 1 ? '' : 's'} (${mb(r.bytes)}); ${fmtInt(r.unchanged)} unchanged`,
            ...(r.wouldUpload ?? []).map((p) => `  ${r.folder}/${p}`),
          );
          if (r.removedPhases.length)
            lines.push(`would remove from Drive (archived in S3): ${r.removedPhases.join(', ')}`);
        } else {
          lines.push(
            `backed up ${r.phases.join(', ')} to Drive (${r.folder}/): ${fmtInt(r.uploaded)} uploaded, ${fmtInt(r.updated)} updated, ${fmtInt(r.unchanged)} unchanged, ${mb(r.bytes)} sent`,
          );
          if (r.removedPhases.length)
            lines.push(`removed from Drive (archived in S3): ${r.removedPhases.join(', ')}`);
        }
        if (r.keptUnarchived.length)
          lines.push(
            `kept on Drive, not archived in S3 yet (agent-track archive): ${r.keptUnarchived.join(', ')}`,
          );
        print(lines.join('\n'));
      },
    );

  const authCmd =
    program.commands.find((c) => c.name() === 'auth') ??
    program.command('auth').description('credentials for the cloud tiers');
  authCmd
    .command('drive')
    .description(
      'get a Google Drive refresh token for agent-track backup (the OAuth loopback flow of a desktop client; prints the token, stores nothing)',
    )
    .option('--client-id <id>', 'the OAuth client id (default: AGENT_TRACK_DRIVE_CLIENT_ID)')
    .option('--client-secret <secret>', 'the OAuth client secret (default: AGENT_TRACK_DRIVE_CLIENT_SECRET)')
    .option('--no-open', 'only print the consent URL; do not try to open a browser')
    .action(async (opts: { clientId?: string; clientSecret?: string; open: boolean }) => {
      const { driveLoopbackAuth } = await import('../src/cloud/drive-auth.js');
      const { DriveCredentialsError } = await import('../src/cloud/drive.js');
      let r: Awaited<ReturnType<typeof driveLoopbackAuth>>;
      try {
        r = await driveLoopbackAuth({
          clientId: opts.clientId,
          clientSecret: opts.clientSecret,
          open: opts.open,
          onUrl: (url) =>
            process.stderr.write(
              `Open this URL in a browser, sign in and allow access (waiting up to 5 minutes):\n\n${url}\n\n`,
            ),
        });
      } catch (e) {
        if (e instanceof DriveCredentialsError) throw new UserError(e.message);
        throw e;
      }
      print(
        [
          `refresh token: ${r.refreshToken}`,
          '',
          'Set it where agent-track backup runs (it is not stored anywhere):',
          `  export AGENT_TRACK_DRIVE_REFRESH_TOKEN='${r.refreshToken}'`,
          'or as an Actions secret:',
          '  gh secret set AGENT_TRACK_DRIVE_REFRESH_TOKEN   (paste the token when asked)',
          'with AGENT_TRACK_DRIVE_CLIENT_ID and AGENT_TRACK_DRIVE_CLIENT_SECRET set the same way.',
        ].join('\n'),
      );
    });
}
