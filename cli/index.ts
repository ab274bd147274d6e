/** The `agent-track` command line: parse flags, call src/, print. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { type InitAgent, parseAgents } from '../src/capture/agents-init.js';
import { flushWithTranscripts } from '../src/capture/collect.js';
import { CLAUDE_MD_SNIPPET, recordDecision } from '../src/capture/decide.js';
import { defaultImportSources, importTranscripts } from '../src/capture/import.js';
import { initRepository, uninstallHooks } from '../src/capture/install.js';
import { agentToolOf, COST_NOTE, type DayRange, totals } from '../src/model/figures.js';
import { PRICE_SOURCE } from '../src/model/pricing.js';
import { BREAKDOWNS, type Breakdown, breakdown, buildAgentTree } from '../src/model/views.js';
import { restoreSnapshot } from '../src/recovery/restore.js';
import { resumeHandoff, statusOf } from '../src/recovery/resume.js';
import { dueTrigger, listSnapshots, takeSnapshot, takeSnapshots } from '../src/recovery/snapshot.js';
import { loadConfig } from '../src/store/config.js';
import { readState } from '../src/store/flush.js';
import { findRepo, type RepoPaths } from '../src/store/paths.js';
import { NoBranchError, TrackingBranch } from '../src/store/reader.js';
import { registerArchive } from './cloud-archive.js';
import { registerDriveCommands } from './cloud-drive.js';
import { registerDashboard } from './dashboard.js';
import { fmtInt, fmtUsd, renderTree, table } from './format.js';
import { initWithAgents } from './init-agents.js';
import { registerRedactions } from './redactions.js';

class UserError extends Error {}

function repo(): RepoPaths {
  const paths = findRepo(process.cwd());
  if (!paths)
    throw new UserError(
      'not inside a git repository (run this in the repository whose agent sessions you track)',
    );
  return paths;
}

const print = (v: unknown): void => {
  process.stdout.write(typeof v === 'string' ? `${v}\n` : `${JSON.stringify(v, null, 2)}\n`);
};

const program = new Command('agent-track')
  .description(
    'Git for AI agents: records every Claude Code session of this repository onto its agent-tracking branch',
  )
  .version(JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version)
  .showHelpAfterError()
  .exitOverride();

program
  .command('init')
  .description(
    'start tracking this repository: the agent-tracking branch, Claude Code hooks, .agent-tracking.yml',
  )
  .option('-y, --yes', 'do not ask for confirmation')
  .option(
    '--uninstall',
    'remove exactly the hook entries and slash commands init added (the branch and the config stay)',
  )
  .option(
    '--agent <clis>',
    'the agent CLIs to record, comma-separated: claude, codex, gemini (default: claude)',
  )
  .option('--json', 'print the result as JSON')
  .action(async (opts: { yes?: boolean; uninstall?: boolean; json?: boolean; agent?: string }) => {
    const paths = repo();
    const bin = fileURLToPath(new URL('./bin.cjs', import.meta.url));
    let agents: InitAgent[];
    try {
      agents = parseAgents(opts.agent);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    if (opts.agent !== undefined) return initWithAgents(paths, bin, agents, opts);
    if (opts.uninstall) {
      const r = uninstallHooks(paths, bin);
      return print(
        opts.json
          ? r
          : `removed ${r.removed} hook entr${r.removed === 1 ? 'y' : 'ies'} from ${r.settingsFile} and ${r.commandsRemoved} slash command${r.commandsRemoved === 1 ? '' : 's'}`,
      );
    }
    if (!opts.yes && process.stdin.isTTY && process.stdout.isTTY) {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const answer = await rl.question(
        `This adds Claude Code hooks to ${paths.workTree}/.claude/settings.json and an orphan branch 'agent-tracking'. Continue? [y/N] `,
      );
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) return print('nothing changed');
    }
    const r = await initRepository(paths, bin);
    if (opts.json) return print(r);
    print(
      [
        r.branchCreated
          ? `created branch agent-tracking (${r.tip.slice(0, 7)})`
          : `branch agent-tracking exists (${r.tip.slice(0, 7)})`,
        r.settingsChanged ? `hooks written to ${r.settingsFile}` : `hooks already in ${r.settingsFile}`,
        r.adoptedFrom ? `joined the agent-tracking branch of ${r.adoptedFrom}` : null,
        r.remoteWarning
          ? `could not ask the remote for its branch (${r.remoteWarning}); run agent-track pull later`
          : null,
        r.configWritten ? 'wrote .agent-tracking.yml' : '.agent-tracking.yml kept as it is',
        r.workflowWritten ? 'wrote .github/workflows/agent-tracking.yml (phase reviews, PR comments)' : null,
        r.commandsWritten.length
          ? `slash commands in .claude/commands/: ${r.commandsWritten.map((f) => `/${f.slice(0, -3)}`).join(', ')}`
          : null,
        ...r.commandsKept.map((f) => `kept your own .claude/commands/${f} (ours is not installed)`),
        'Every Claude Code session in this repository is now recorded. Read them with `agent-track sessions`.',
        '',
        'To have agents record their decisions too, add this to CLAUDE.md:',
        '',
        CLAUDE_MD_SNIPPET,
      ]
        .filter((l) => l !== null)
        .join('\n'),
    );
  });

program
  .command('hook')
  .description(
    'record one Claude Code hook payload from stdin (run by Claude Code; always exits 0, prints nothing)',
  )
  .option(
    '--agent <cli>',
    "the payload is this agent CLI's: codex (Codex CLI's hooks.json) or gemini (Gemini CLI's settings)",
  )
  .action(() => {
    // bin.cjs sends `hook` straight to the small hook bundle; this entry exists for --help only
  });

const warn = (m: string) => process.stderr.write(`agent-track: warning: ${m}\n`);

/** A flush, then the automatic snapshots it made due (PreCompact, SessionEnd, every N subagents or tokens). */
async function flushAndSnapshot(paths: RepoPaths, waitMs: number, warnings: boolean) {
  const r = await flushWithTranscripts(paths, { waitMs }, warnings ? warn : undefined);
  if (warnings) for (const n of r.notices) warn(n);
  const index = readState(paths)?.index ?? {};
  const config = await loadConfig(paths);
  const due = r.sessions.flatMap((session) => {
    const trigger = index[session] ? dueTrigger(index[session], config) : null;
    return trigger ? [{ session, trigger }] : [];
  });
  if (due.length)
    try {
      await takeSnapshots(paths, due);
    } catch (e) {
      if (warnings) warn(`no snapshot taken: ${(e as Error).message}`);
    }
  return r;
}

program
  .command('push')
  .description(
    "share this clone's sessions: flush, then push the agent-tracking branch (merging the remote's new sessions first)",
  )
  .option(
    '--remote <remote>',
    'a remote name or git URL (default: tracking.remote in .agent-tracking.yml, else origin)',
  )
  .option('--background', 'run quietly and log failures to the errors folder (used by the SessionEnd hook)')
  .option(
    '--skip-previous',
    'after tracking.remote changed: do not carry over the previous remote’s sessions',
  )
  .option('--json', 'print the result as JSON')
  .action(async (opts: { remote?: string; background?: boolean; skipPrevious?: boolean; json?: boolean }) => {
    const paths = repo();
    const { pushBranch } = await import('../src/store/sync.js');
    const remote = opts.remote ?? (await loadConfig(paths)).tracking.remote;
    try {
      await flushAndSnapshot(paths, 30_000, !opts.background);
      const r = await pushBranch(paths, remote, {
        prompt: !opts.background,
        skipPrevious: opts.skipPrevious,
      });
      if (opts.background) return;
      if (opts.json) return print(r);
      print(
        [
          r.migratedFrom ? `carried the branch over from ${r.migratedFrom}` : null,
          r.merges
            ? `merged ${r.sessionsFromRemote} session${r.sessionsFromRemote === 1 ? '' : 's'} from ${remote}`
            : null,
          r.conflicts.length
            ? `both sides changed ${r.conflicts.join(', ')}: both versions kept (the local one as *.conflict-*)`
            : null,
          r.outcome === 'pushed'
            ? `pushed agent-tracking to ${remote} (${r.tip.slice(0, 7)})${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}`
            : `${remote} is up to date (${r.tip.slice(0, 7)})`,
        ]
          .filter((l) => l !== null)
          .join('\n'),
      );
    } catch (e) {
      if (!opts.background) throw e;
      // nobody reads a background push's stderr: keep the reason where `agent-track` users look
      fs.mkdirSync(paths.errorsDir, { recursive: true });
      fs.appendFileSync(
        path.join(paths.errorsDir, 'push.log'),
        `${new Date().toISOString()} ${(e as Error).message}\n`,
      );
      process.exitCode = 1;
    }
  });

program
  .command('pull')
  .description(
    "bring the team's sessions in: fetch the remote's agent-tracking branch and merge it (no init needed to read them)",
  )
  .option(
    '--remote <remote>',
    'a remote name or git URL (default: tracking.remote in .agent-tracking.yml, else origin)',
  )
  .option('--json', 'print the result as JSON')
  .action(async (opts: { remote?: string; json?: boolean }) => {
    const paths = repo();
    const { pullBranch } = await import('../src/store/sync.js');
    const remote = opts.remote ?? (await loadConfig(paths)).tracking.remote;
    const r = await pullBranch(paths, remote);
    if (opts.json) return print(r);
    const n = `${r.sessionsFromRemote} new session${r.sessionsFromRemote === 1 ? '' : 's'}`;
    const said: Record<typeof r.outcome, string> = {
      adopted: `fetched agent-tracking from ${remote}: ${n}`,
      'fast-forward': `updated agent-tracking from ${remote}: ${n}`,
      merged: `merged agent-tracking from ${remote}: ${n}${r.conflicts.length ? `; both versions kept of ${r.conflicts.join(', ')}` : ''}`,
      'up-to-date': 'already up to date',
      ahead: `nothing new on ${remote}; this clone has sessions to push (agent-track push)`,
      'no-remote-branch': `${remote} has no agent-tracking branch yet (agent-track push creates it)`,
    };
    print(said[r.outcome]);
  });

program
  .command('flush')
  .description('commit the spooled events to the agent-tracking branch now')
  .option('--background', 'give up at once if another flush is running (used by the hook)')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { background?: boolean; json?: boolean }) => {
    const paths = repo();
    const r = await flushAndSnapshot(paths, opts.background ? 0 : 30_000, !opts.background);
    if (opts.background) return;
    print(
      opts.json
        ? r
        : `flushed ${r.events} event${r.events === 1 ? '' : 's'} in ${r.commits} commit${r.commits === 1 ? '' : 's'}${r.skippedLines ? ` (${r.skippedLines} unreadable spool lines kept in the errors folder)` : ''}`,
    );
  });

program
  .command('decide <what>')
  .description('record a decision (what, why, the alternatives) in the current session')
  .option('--why <why>', 'the rationale')
  .option('--alternatives <list>', 'the options not taken, separated by ";"')
  .option('--session <id>', 'the session (default: the one recorded last in this repository)')
  .option('--agent <id>', 'the agent that decided (default: main)')
  .option('--json', 'print the recorded event as JSON')
  .action(
    async (
      what: string,
      opts: { why?: string; alternatives?: string; session?: string; agent?: string; json?: boolean },
    ) => {
      if (!what.trim())
        throw new UserError('say what was decided: agent-track decide "<what>" --why "<why>"');
      const e = await recordDecision(repo(), { what, ...opts });
      print(opts.json ? e : `recorded in session ${e.session.slice(0, 8)}: ${String(e.what)}`);
    },
  );

program
  .command('import [paths...]')
  .description(
    "import past sessions from Claude Code's transcripts, Codex CLI's rollouts and Gemini CLI's saved chats, the format of each file told by its content (default: this repository's folder under ~/.claude/projects its threads under $CODEX_HOME/sessions and its chats under ~/.gemini/tmp)",
  )
  .option('--since <date>', 'only sessions written to on or after this date (YYYY-MM-DD)')
  .option('--agent <cli>', 'without paths: only this agent CLI’s sessions (claude, codex, gemini)')
  .option('--json', 'print the summary as JSON')
  .action(async (inputs: string[], opts: { since?: string; json?: boolean; agent?: string }) => {
    const paths = repo();
    let since: Date | undefined;
    if (opts.since) {
      since = new Date(opts.since);
      if (Number.isNaN(since.getTime()))
        throw new UserError(`--since takes a date such as 2026-01-31, not '${opts.since}'`);
    }
    let sources = inputs;
    if (!inputs.length)
      try {
        sources = defaultImportSources(paths.workTree, opts.agent);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
    const tty = process.stderr.isTTY;
    const r = await importTranscripts(paths, sources, {
      since,
      workerScript: fileURLToPath(new URL('./import-worker.js', import.meta.url)),
      onProgress: (done, total, bytes) => {
        const mb = (bytes / 2 ** 20).toFixed(1);
        if (tty) {
          const width = 30;
          const fill = Math.round((done / Math.max(total, 1)) * width);
          process.stderr.write(
            `\rimporting [${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${done}/${total} sessions, ${mb} MB${done === total ? '\n' : ''}`,
          );
        } else if (!opts.json) process.stderr.write(`imported ${done}/${total} sessions, ${mb} MB\n`);
      },
    });
    if (opts.json) return print(r);
    print(
      [
        `${r.sessions} session${r.sessions === 1 ? '' : 's'} read (${r.newSessions} new), ${(r.bytes / 2 ** 20).toFixed(1)} MB of transcripts`,
        `${r.events} event${r.events === 1 ? '' : 's'} added, ${r.duplicates} already on the branch`,
        r.badLines ? `${r.badLines} corrupt or truncated line${r.badLines === 1 ? '' : 's'} skipped` : '',
        r.skippedOlder
          ? `${r.skippedOlder} session${r.skippedOlder === 1 ? '' : 's'} older than --since left out`
          : '',
        r.withoutUsage
          ? `${r.withoutUsage} file${r.withoutUsage === 1 ? '' : 's'} without any API usage (empty, or summaries only) left out`
          : '',
        r.unknownModels.length
          ? `no price for ${r.unknownModels.join(', ')}: their cost is recorded as null`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  });

/** `--since` / `--until` (YYYY-MM-DD or YYYYMMDD, as ccusage takes them), checked. */
function dayRange(opts: { since?: string; until?: string }): DayRange {
  const day = (v: string | undefined, flag: string) => {
    if (v === undefined) return undefined;
    const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v.trim());
    const d = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
    if (!m || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      throw new UserError(`${flag} takes a day such as 2026-01-31 or 20260131, not '${v}'`);
    return d;
  };
  const r = { since: day(opts.since, '--since'), until: day(opts.until, '--until') };
  if (r.since && r.until && r.since > r.until) throw new UserError('--since is after --until');
  return r;
}

// the one sentence every surface prints under its costs, and where the prices come from
const COST_LINE = `${COST_NOTE} Prices: ${PRICE_SOURCE}, with .agent-tracking.yml's pricing: overrides.`;

const withRange = (c: Command) =>
  c
    .option('--since <day>', 'only activity on or after this day (YYYY-MM-DD or YYYYMMDD, UTC)')
    .option('--until <day>', 'only activity on or before this day (YYYY-MM-DD or YYYYMMDD, UTC)');

withRange(
  program
    .command('sessions')
    .description('list the recorded sessions: status (running, ended, crashed), subagents, tool calls, cost')
    .option('--json', 'print the sessions as JSON'),
).action(async (opts: { json?: boolean; since?: string; until?: string }) => {
  const paths = repo();
  const config = await loadConfig(paths);
  const range = dayRange(opts);
  const branch = await TrackingBranch.open(paths);
  const rows = new Map(
    breakdown(await branch.sessions(), 'session', branch.prices, range).map((r) => [r.key, r]),
  );
  const list = (await branch.sessions())
    .filter((s) => rows.has(s.session))
    .map((s) => {
      // the usage cells stay: every figure is derived from them (a script can call the same derivation)
      const { usage: _usage, errorToolUseIds: _e, failedToolUseIds: _f, ...rest } = s;
      const r = rows.get(s.session)!;
      return {
        ...rest,
        agentTool: agentToolOf(s),
        tokens: r.tokens,
        costUsd: r.costUsd,
        unpricedTokens: r.unpricedTokens,
        unpricedModels: r.unpricedModels,
        status: statusOf(s, config.recovery.crashedAfterMinutes),
      };
    });
  if (opts.json) return print(list);
  if (!list.length) return print('no session recorded yet');
  print(
    table(
      [
        'session',
        'started',
        'tool',
        'branch',
        'phase',
        'subagents',
        'tools',
        'failed',
        'errors',
        'cost',
        'status',
        'first prompt',
      ],
      list.map((s) => [
        s.session.slice(0, 8),
        (s.started ?? '').replace('T', ' ').slice(0, 19),
        s.agentTool,
        s.branch ?? '',
        s.phase,
        s.agents,
        s.toolCalls,
        s.toolFailures,
        s.errors,
        fmtUsd(s.costUsd, s.unpricedTokens),
        s.status,
        (s.firstPrompt ?? '').replace(/\s+/g, ' ').slice(0, 40),
      ]),
      [5, 6, 7, 8, 9],
    ),
  );
});

program
  .command('show <session>')
  .description(
    'show a session: the agent tree with each agent’s tool calls, file changes and errors in time order',
  )
  .option('--json', 'print the session and its agent tree as JSON')
  .action(async (id: string, opts: { json?: boolean }) => {
    const paths = repo();
    const config = await loadConfig(paths);
    const branch = await TrackingBranch.open(paths);
    const summary = await branch.findSession(id);
    const tree = buildAgentTree(await branch.events(summary), branch.prices);
    const status = statusOf(summary, config.recovery.crashedAfterMinutes);
    const figures = totals([summary], branch.prices);
    if (opts.json) return print({ session: { ...summary, status }, figures, tree });
    const t = figures.tokens;
    print(
      [
        `session ${summary.session}  (${summary.phase}, ${status}${summary.ended ? `: ${summary.endReason ?? ''}` : ''})`,
        `started ${summary.started ?? '?'} with ${agentToolOf(summary)} on ${summary.branch ?? 'detached HEAD'} at ${summary.head?.slice(0, 7) ?? 'no commit'}`,
        summary.firstPrompt ? `prompt: ${summary.firstPrompt}` : '',
        `${figures.toolCalls} tool calls (${figures.toolFailures} failed${figures.toolRejected ? `, ${figures.toolRejected} declined` : ''}${figures.toolInterrupted ? `, ${figures.toolInterrupted} interrupted` : ''}), ${figures.errors} errors, ${summary.agents} subagents; tokens ${fmtInt(t.input)} in, ${fmtInt(t.output)} out, ${fmtInt(t.cacheRead)} cache read, ${fmtInt(t.cacheWrite)} cache write; cost ${fmtUsd(figures.costUsd, figures.unpricedTokens)}${figures.unpricedModels.length ? ` (no price for ${figures.unpricedModels.join(', ')})` : ''}`,
        '',
        ...renderTree(tree),
      ]
        .filter((l, i) => l !== '' || i === 4)
        .join('\n'),
    );
  });

withRange(
  program
    .command('stats')
    .description('totals: sessions, subagents, tool calls, errors, tokens and cost, or a table of them')
    .option('--session <id>', 'only this session')
    .option(
      '--by <what>',
      'a table by day, week, month, session, agent (type), model, author (developer) or tool (the agent CLI: claude-code, codex, gemini), like ccusage',
    )
    .option('--json', 'print as JSON (with --by: {"by", "rows", "totals"}; rows carry ccusage\'s keys too)'),
).action(async (opts: { session?: string; by?: string; json?: boolean; since?: string; until?: string }) => {
  if (opts.by && !BREAKDOWNS.includes(opts.by as Breakdown)) {
    throw new UserError(`--by takes ${BREAKDOWNS.join(', ')}, not '${opts.by}'`);
  }
  const range = dayRange(opts);
  const branch = await TrackingBranch.open(repo());
  const list = opts.session ? [await branch.findSession(opts.session)] : await branch.sessions();
  const stats = totals(list, branch.prices, range);
  const unpricedNote = stats.unpricedModels.length
    ? `no price for ${stats.unpricedModels.join(', ')}: ${fmtInt(stats.unpricedTokens)} tokens are not in the cost (add them under pricing: in .agent-tracking.yml)`
    : '';
  const spend = (r: {
    tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
    costUsd: number | null;
    unpricedTokens: number;
  }) => [
    fmtInt(r.tokens.input),
    fmtInt(r.tokens.output),
    fmtInt(r.tokens.cacheRead),
    fmtInt(r.tokens.cacheWrite),
    fmtUsd(r.costUsd, r.unpricedTokens),
  ];
  if (opts.by) {
    const rows = breakdown(list, opts.by as Breakdown, branch.prices, range);
    if (opts.json) return print({ by: opts.by, rows, totals: stats });
    const extra = opts.by === 'session' ? ['started'] : [];
    return print(
      [
        table(
          [opts.by, ...extra, 'input', 'output', 'cache read', 'cache write', 'cost'],
          [
            ...rows.map((r) => [
              opts.by === 'session' ? r.key.slice(0, 8) : r.key,
              ...(opts.by === 'session' ? [(r.started ?? '').slice(0, 19).replace('T', ' ')] : []),
              ...spend(r),
            ]),
            ['total', ...extra.map(() => ''), ...spend(stats)],
          ],
          [1, 2, 3, 4, 5].map((n) => n + extra.length),
        ),
        COST_LINE,
        unpricedNote,
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  if (opts.json) return print(stats);
  print(
    [
      table(
        [
          'sessions',
          'subagents',
          'tool calls',
          'failed',
          'errors',
          'input',
          'output',
          'cache read',
          'cache write',
          'cost',
        ],
        [[stats.sessions, stats.agents, stats.toolCalls, stats.toolFailures, stats.errors, ...spend(stats)]],
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      ),
      COST_LINE,
      unpricedNote,
    ]
      .filter(Boolean)
      .join('\n'),
  );
});

program
  .command('checkpoint')
  .description('take a snapshot of the current session now: git state, changed files, todos, agents, errors')
  .option('--note <text>', 'a note stored with the snapshot')
  .option('--session <id>', 'the session (default: the latest on the current git branch)')
  .option('--json', 'print {"id", ...} as JSON')
  .action(async (opts: { note?: string; session?: string; json?: boolean }) => {
    const r = await takeSnapshot(repo(), {
      session: opts.session,
      trigger: 'manual',
      note: opts.note ?? null,
      flushFirst: true,
    });
    if (opts.json)
      return print({
        id: r.id,
        session: r.session,
        ts: r.ts,
        head: r.git.head,
        files: r.files.length,
        note: r.note,
      });
    print(
      `snapshot ${r.id}: ${r.files.length} changed file${r.files.length === 1 ? '' : 's'} at ${r.git.head?.slice(0, 7) ?? 'no commit'}, ${r.todos.filter((t) => t.status !== 'completed').length} open todos\nrestore it elsewhere with: agent-track restore ${r.id} --worktree ../${path.basename(repo().workTree)}-${r.id.replace('@', '-')}`,
    );
  });

program
  .command('snapshots')
  .description('list snapshots (of one session, or of every session)')
  .option('--session <id>', 'only this session')
  .option('--json', 'print the snapshots as JSON')
  .action(async (opts: { session?: string; json?: boolean }) => {
    const branch = await TrackingBranch.open(repo());
    const sessions = opts.session
      ? [await branch.findSession(opts.session)]
      : (await branch.sessions()).filter((s) => (s.snapshots ?? 0) > 0);
    const list = [];
    for (const s of sessions) list.push(...(await listSnapshots(branch, s)));
    list.sort((a, b) => a.ts.localeCompare(b.ts));
    if (opts.json) return print(list);
    if (!list.length)
      return print('no snapshot yet (they are taken automatically, or with `agent-track checkpoint`)');
    print(
      table(
        ['snapshot', 'taken', 'trigger', 'HEAD', 'files', 'open todos', 'note'],
        list.map((r) => [
          r.id,
          r.ts.replace('T', ' ').slice(0, 19),
          r.trigger,
          r.git.head?.slice(0, 7) ?? '',
          r.files.length,
          r.todos.filter((t) => t.status !== 'completed').length,
          (r.note ?? '').slice(0, 40),
        ]),
        [4, 5],
      ),
    );
  });

program
  .command('resume')
  .description("print the handoff (Markdown) that lets a new session carry on from a session's last state")
  .option('--session <id>', 'the session (default: the latest on the current git branch)')
  .option('--max-tokens <n>', 'the budget in Claude tokens (default 2000, or recovery.handoffBudget)')
  .option('--json', 'print {"session", "snapshot", "tokens", "budget", "dropped", "crashed", "markdown"}')
  .option('--hook-output', "print SessionStart's hookSpecificOutput JSON (used by the hook)")
  .action(async (opts: { session?: string; maxTokens?: string; json?: boolean; hookOutput?: boolean }) => {
    let maxTokens: number | undefined;
    if (opts.maxTokens !== undefined) {
      maxTokens = Number(opts.maxTokens);
      if (!Number.isInteger(maxTokens) || maxTokens < 200)
        throw new UserError(`--max-tokens takes a whole number of at least 200, not '${opts.maxTokens}'`);
    }
    const h = await resumeHandoff(repo(), {
      session: opts.session,
      maxTokens,
      fallbackToLatest: opts.hookOutput,
    });
    if (opts.hookOutput) {
      process.stdout.write(
        `${JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: h.markdown } })}\n`,
      );
      return;
    }
    if (opts.json) return print(h);
    process.stdout.write(h.markdown);
  });

program
  .command('restore <snapshot>')
  .description(
    "create a git worktree at a snapshot's HEAD with its files laid back (your work tree is not touched)",
  )
  .requiredOption('--worktree <path>', 'where to create the worktree (a new or empty folder)')
  .option('--branch <name>', 'create this branch there (default: a detached HEAD)')
  .option('--json', 'print the result as JSON')
  .action(async (id: string, opts: { worktree: string; branch?: string; json?: boolean }) => {
    const paths = repo();
    const branch = await TrackingBranch.open(paths);
    const r = await restoreSnapshot(paths, branch, id, opts);
    const start = `cd ${JSON.stringify(r.worktree)} && claude "$(agent-track resume --session ${r.session.slice(0, 8)})"`;
    if (opts.json) return print({ ...r, start });
    print(
      [
        `worktree ${r.worktree} at ${r.head.slice(0, 7)}${r.branch ? ` on new branch ${r.branch}` : ' (detached HEAD)'}`,
        `laid back ${r.written.length} file${r.written.length === 1 ? '' : 's'}${r.deleted.length ? `, removed ${r.deleted.length}` : ''}${r.redacted.length ? `; redacted (secrets were not stored): ${r.redacted.join(', ')}` : ''}`,
        ...r.notStored.map((f) => `not stored, so not laid back: ${f.path} (${f.reason})`),
        '',
        'start Claude Code there with the handoff:',
        `  ${start}`,
      ].join('\n'),
    );
  });

program
  .command('query <sql>')
  .description(
    'run SQL (DuckDB) over the store: views events, sessions, agents, tool_calls, usage, errors, file_changes, decisions',
  )
  .option('--json', 'print an array of row objects')
  .option('--csv', 'print CSV with a header line')
  .option('--archive <s3-url>', 'query the archived Parquet under s3://bucket/prefix instead of the branch')
  .action(async (sql: string, opts: { json?: boolean; csv?: boolean; archive?: string }) => {
    if (opts.json && opts.csv) throw new UserError('give --json or --csv, not both');
    const paths = repo();
    let db: {
      query: (sql: string) => Promise<{ columns: string[]; rows: Array<Record<string, unknown>> }>;
      close(): void;
    };
    if (opts.archive) {
      const { openArchive } = await import('../src/cloud/archive-query.js');
      db = await openArchive(paths, opts.archive);
    } else {
      await TrackingBranch.open(paths); // a one-line error before any branch exists
      const { openAnalytics } = await import('../src/analytics/duckdb.js');
      db = await openAnalytics(paths);
    }
    let result: { columns: string[]; rows: Array<Record<string, unknown>> };
    try {
      result = await db.query(sql);
    } catch (e) {
      // DuckDB's messages run over several lines (the query, a caret): the first says what is wrong
      throw new UserError(`query failed: ${String((e as Error).message).split('\n')[0]}`);
    } finally {
      db.close();
    }
    const cell = (v: unknown) =>
      v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (opts.json) return print(result.rows);
    if (opts.csv) {
      const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
      const lines = [
        result.columns.map(quote).join(','),
        ...result.rows.map((r) => result.columns.map((c) => quote(cell(r[c]))).join(',')),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      return;
    }
    if (!result.rows.length) return print(`(no rows; columns: ${result.columns.join(', ')})`);
    print(
      table(
        result.columns,
        result.rows.map((r) => result.columns.map((c) => cell(r[c]).replace(/\s+/g, ' ').slice(0, 80))),
      ),
    );
  });

const phase = program
  .command('phase')
  .description('phases (a milestone, a sprint): start, end with a review, list');
phase
  .command('start <name>')
  .description('start a phase: sessions that start from now on belong to it')
  .option('--json', 'print the phase as JSON')
  .action(async (name: string, opts: { json?: boolean }) => {
    const { startPhase } = await import('../src/analytics/phases.js');
    const p = await startPhase(repo(), name);
    print(opts.json ? p : `phase ${p.name} started`);
  });
phase
  .command('end')
  .description('end the current phase: write its review (review.md, review.json) and start the next')
  .option('--next <name>', 'the next phase (default: the name with its number plus one, phase-1 -> phase-2)')
  .option('--no-review', 'leave the review to the GitHub Action (its next run writes it)')
  .option('--json', 'print {"ended", "next", "review"} as JSON')
  .action(async (opts: { next?: string; review: boolean; json?: boolean }) => {
    const { endPhase } = await import('../src/analytics/phases.js');
    const r = await endPhase(repo(), opts);
    if (opts.json) return print(r);
    print(
      `${
        r.review
          ? `phase ${r.ended} ended: ${r.review.sessions} sessions, ${fmtUsd(r.review.costUsd, r.review.unpricedTokens)}; review in phases/${r.ended}/review.md on the agent-tracking branch`
          : `phase ${r.ended} ended; the Action writes its review on its next run`
      }\nphase ${r.next} started`,
    );
  });
phase
  .command('list')
  .description('the phases, their dates, sessions and cost')
  .option('--json', 'print the phases as JSON')
  .action(async (opts: { json?: boolean }) => {
    const { listPhases } = await import('../src/analytics/phases.js');
    const list = await listPhases(repo());
    if (opts.json) return print(list);
    print(
      table(
        ['phase', 'started', 'ended', 'sessions', 'cost', 'reviewed'],
        list.map((p) => [
          `${p.name}${p.current ? ' (current)' : ''}`,
          (p.started ?? '').slice(0, 10),
          (p.ended ?? '').slice(0, 10),
          p.sessions,
          fmtUsd(p.costUsd, p.unpricedTokens),
          p.reviewed ? 'yes' : '',
        ]),
        [3, 4],
      ),
    );
  });

program
  .command('review')
  .description('the review of a phase (default: the current one) without ending it')
  .option('--phase <name>', 'the phase')
  .option('--json', 'print the review as JSON')
  .action(async (opts: { phase?: string; json?: boolean }) => {
    const paths = repo();
    const { reviewPhase, sessionCosts } = await import('../src/analytics/phases.js');
    const { renderReview } = await import('../src/analytics/render.js');
    const r = await reviewPhase(paths, opts.phase);
    if (opts.json) return print(r);
    process.stdout.write(renderReview(r, await sessionCosts(paths, r.phase)));
  });

registerArchive(program, {
  repo,
  print,
  fail: (message: string) => {
    throw new UserError(message);
  },
});

registerDriveCommands(program, { repo, print, UserError });

registerDashboard(program);
registerRedactions(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode;
  else {
    const msg =
      e instanceof UserError || e instanceof NoBranchError
        ? e.message
        : e instanceof Error
          ? e.message
          : String(e);
    process.stderr.write(`agent-track: ${msg}\n`);
    process.exitCode = 1;
  }
}
