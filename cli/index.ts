/** The `agent-track` command line: parse flags, call src/, print. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { type InitAgent, parseAgents } from '../src/capture/agents-init.js';
import { flushWithTranscripts } from '../src/capture/collect.js';
import { claudeMdSnippet, recordDecision } from '../src/capture/decide.js';
import { defaultImportSources, importTranscripts, projectFolder } from '../src/capture/import.js';
import {
  cliInvocation,
  initRepository,
  installKind,
  planInit,
  uninstallHooks,
} from '../src/capture/install.js';
import { WORKFLOW_FILE } from '../src/capture/workflow.js';
import {
  MCP_CLAUDE_MD_SNIPPET,
  mcpServerEntry,
  registerMcpServer,
  unregisterMcpServer,
} from '../src/mcp/register.js';
import { agentToolOf, COST_NOTE, type DayRange, many, totals } from '../src/model/figures.js';
import { PRICE_SOURCE } from '../src/model/pricing.js';
import { BREAKDOWNS, type Breakdown, breakdown, buildAgentTree } from '../src/model/views.js';
import { restoreSnapshot } from '../src/recovery/restore.js';
import { resumeHandoff, statusOf } from '../src/recovery/resume.js';
import { dueTrigger, listSnapshots, takeSnapshot, takeSnapshots } from '../src/recovery/snapshot.js';
import { browse, defaultBrowseDir, refreshBrowse, unbrowse } from '../src/store/browse.js';
import { loadConfig, setConfigPhase } from '../src/store/config.js';
import { readState } from '../src/store/flush.js';
import { mkdirOwned, own } from '../src/store/owner.js';
import { findRepo, type RepoPaths, readRef } from '../src/store/paths.js';
import { NoBranchError, TrackingBranch } from '../src/store/reader.js';
import { registerAttribution } from './attribution.js';
import { registerArchive } from './cloud-archive.js';
import { registerDriveCommands } from './cloud-drive.js';
import { registerCompact } from './compact.js';
import { registerDashboard } from './dashboard.js';
import { fmtInt, fmtUsd, renderTree, table } from './format.js';
import { initWithAgents } from './init-agents.js';
import { registerRedactions } from './redactions.js';
import { registerSearch } from './search.js';

class UserError extends Error {}

function repo(): RepoPaths {
  const paths = findRepo(process.cwd());
  if (!paths)
    throw new UserError(
      'not inside a git repository (run this in the repository whose agent sessions you track)',
    );
  return paths;
}

/**
 * Every command a message tells the person to run, as this install runs it here: `agent-track` for a
 * global install; else the binary by a path that works from the current folder (`node
 * node_modules/subagent-tracking/dist/bin.cjs` at the project's top, its absolute path elsewhere).
 * Messages from every module name `agent-track <command>`; they are said right here, once.
 */
function runnable(text: string): string {
  const bin = fileURLToPath(new URL('./bin.cjs', import.meta.url));
  const top = findRepo(process.cwd())?.workTree ?? process.cwd();
  // a global install is `agent-track` already; a checkout or npx's cache has no name that works
  // everywhere, and its messages keep the command's name
  if (installKind(bin, top) !== 'local') return text;
  const cli = cliInvocation(bin, top, path.resolve(process.cwd()) === top ? 'project' : 'anywhere');
  return text.replace(/(`|\(|run |with: |with )agent-track (?=[a-z])/g, `$1${cli} `);
}

const print = (v: unknown): void => {
  process.stdout.write(typeof v === 'string' ? `${runnable(v)}\n` : `${JSON.stringify(v, null, 2)}\n`);
};

/** A session id as given: an empty one is an error, not "any session". */
function sessionArg(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  if (!id.trim()) throw new UserError('the session id is empty: give one (see `sessions`) or leave it out');
  return id.trim();
}

const program = new Command('agent-track')
  .description(
    'Git for AI agents: records every Claude Code session of this repository onto its agent-tracking branch',
  )
  .version(JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version)
  .showHelpAfterError()
  .exitOverride();

/** A yes/no question on a terminal; without one, `fallback`. */
async function ask(question: string, fallback: boolean): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return fallback;
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

const BIN = () => fileURLToPath(new URL('./bin.cjs', import.meta.url));
/** How this very binary is run from the project folder (what slash commands and CLAUDE.md say). */
const invocation = (paths: RepoPaths, where: 'project' | 'anywhere' = 'project') =>
  cliInvocation(BIN(), paths.workTree, where);

/** `init --commit-trailers`: the hook, and the setting turned on in a config init just wrote. */
async function initTrailers(paths: RepoPaths, cli: string, configWritten: boolean) {
  const { installTrailerHook } = await import('../src/attribution/trailers.js');
  const hook = installTrailerHook(paths, cli);
  const configFile = path.join(paths.workTree, '.agent-tracking.yml');
  let enabled = false;
  if (hook.installed && configWritten) {
    fs.writeFileSync(
      configFile,
      fs.readFileSync(configFile, 'utf8').replace(/^ {2}trailers: false$/m, '  trailers: true'),
    );
    enabled = true;
  }
  const message = !hook.installed
    ? (hook.reason ?? 'commit trailers hook not installed')
    : enabled
      ? `commit trailers on: ${hook.file} (attribution.trailers: true)`
      : `commit trailers hook in ${hook.file}; set attribution.trailers: true in .agent-tracking.yml to add them`;
  return { ...hook, enabled, message };
}

program
  .command('init')
  .description(
    'start tracking this repository: the agent-tracking branch, Claude Code hooks and /agent-track:* commands (or the plugin), the workflow, .agent-tracking.yml',
  )
  .option(
    '-y, --yes',
    'do not ask for confirmation (with --uninstall: also remove the workflow and config if unchanged)',
  )
  .option(
    '--plugin',
    'the agent-track Claude Code plugin records: write no hooks or commands into settings files',
  )
  .option(
    '--uninstall',
    'remove exactly what init added (hooks, commands, the .mcp.json entry; asks about the workflow and config); the branch stays',
  )
  .option(
    '--agent <clis>',
    'the agent CLIs to record, comma-separated: claude, codex, gemini (default: claude)',
  )
  .option('--json', 'print the result as JSON')
  .option(
    '--commit-trailers',
    'also install a prepare-commit-msg hook adding Agent-Session and Agent-Lines trailers (attribution.trailers)',
  )
  .action(
    async (opts: {
      yes?: boolean;
      uninstall?: boolean;
      json?: boolean;
      plugin?: boolean;
      commitTrailers?: boolean;
      agent?: string;
    }) => {
      const paths = repo();
      const bin = BIN();
      // Codex CLI and Gemini CLI beside (or instead of) Claude Code: their own files (cli/init-agents.ts)
      let agents: InitAgent[];
      try {
        agents = parseAgents(opts.agent);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      if (opts.agent !== undefined) return initWithAgents(paths, bin, agents, opts);
      if (opts.uninstall) {
        const { uninstallTrailerHook } = await import('../src/attribution/trailers.js');
        uninstallTrailerHook(paths);
        const removeShared =
          opts.yes ||
          (await ask(
            `Also remove ${WORKFLOW_FILE} and .agent-tracking.yml (only if unchanged since init)?`,
            false,
          ));
        const r = {
          ...uninstallHooks(paths, bin, { removeShared }),
          mcpRemoved: unregisterMcpServer(paths.workTree).removed,
        };
        if (opts.json) return print(r);
        const said = (f: string, s: string) =>
          s === 'removed'
            ? `removed ${f}`
            : s === 'edited'
              ? `kept ${f} (edited since init)`
              : s === 'kept'
                ? `kept ${f} (remove it with --uninstall --yes)`
                : null;
        return print(
          [
            `removed ${r.removed} hook entr${r.removed === 1 ? 'y' : 'ies'} and ${r.commandsRemoved} slash command${r.commandsRemoved === 1 ? '' : 's'}`,
            r.mcpRemoved ? 'removed the agent-track MCP server from .mcp.json' : null,
            ...r.restored.map((f) => `${f}: back exactly as it was before init`),
            said(WORKFLOW_FILE, r.workflow),
            said('.agent-tracking.yml', r.config),
            'the agent-tracking branch stays (it is the history); delete it with: git branch -D agent-tracking',
          ]
            .filter(Boolean)
            .join('\n'),
        );
      }
      const plan = planInit(paths, bin, { plugin: opts.plugin });
      // the MCP server the agent asks its history through (the plugin brings its own)
      if (!opts.plugin)
        plan.push({
          file: '.mcp.json',
          what: 'MCP server agent-track (search_history, similar_errors, why, handoff, session_cost); your servers kept as written',
          action: fs.existsSync(path.join(paths.workTree, '.mcp.json')) ? 'update' : 'create',
        });
      const hasBranch = !!readRef(paths.commonDir, 'refs/heads/agent-tracking');
      const verbs = {
        will: { create: 'create', update: 'update', unchanged: 'unchanged', kept: 'keep as it is' },
        did: { create: 'created', update: 'updated', unchanged: 'unchanged', kept: 'kept as it is' },
      } as const;
      const planText = (tense: 'will' | 'did') =>
        [
          tense === 'will' ? `init will write in ${paths.workTree}:` : `init wrote in ${paths.workTree}:`,
          `  branch agent-tracking: ${hasBranch ? 'exists' : `${verbs[tense].create} (an orphan branch; your HEAD, index and work tree are not touched)`}`,
          ...plan.map((f) => `  ${f.file}: ${verbs[tense][f.action]} — ${f.what}`),
        ].join('\n');
      const tty = process.stdin.isTTY && process.stdout.isTTY;
      if (!opts.yes && tty) {
        process.stdout.write(`${planText('will')}\n`);
        if (!(await ask('Write these?', false))) return print('nothing changed');
      }
      const init = await initRepository(paths, bin, { plugin: opts.plugin });
      // the plugin brings its own MCP server; settings-file users get it in the project's .mcp.json
      const r = {
        ...init,
        mcp: opts.plugin
          ? null
          : registerMcpServer(paths.workTree, mcpServerEntry(bin, paths.workTree)).outcome,
      };
      const cli = invocation(paths);
      const trailers = opts.commitTrailers ? await initTrailers(paths, cli, r.configWritten) : null;
      if (opts.json) return print(trailers ? { ...r, trailers } : r);
      print(
        [
          // without a terminal nobody saw the plan: say what was written
          !tty ? planText('did') : null,
          r.branchCreated
            ? `created branch agent-tracking (${r.tip.slice(0, 7)})`
            : `branch agent-tracking exists (${r.tip.slice(0, 7)})`,
          r.plugin
            ? null
            : r.settingsChanged
              ? `hooks written to ${path.relative(paths.workTree, r.settingsFile)}`
              : `hooks already in ${path.relative(paths.workTree, r.settingsFile)}`,
          r.adoptedFrom ? `joined the agent-tracking branch of ${r.adoptedFrom}` : null,
          r.remoteWarning
            ? `could not ask the remote for its branch (${r.remoteWarning}); run ${cli} pull later`
            : null,
          r.configWritten ? 'wrote .agent-tracking.yml' : '.agent-tracking.yml kept as it is',
          r.workflowWritten ? `wrote ${WORKFLOW_FILE} (phase reviews daily, a comment on each PR)` : null,
          r.commandsWritten.length
            ? `slash commands: ${r.commandsWritten.map((f) => `/agent-track:${f.slice(0, -3)}`).join(', ')}`
            : null,
          ...r.commandsMigrated.map(
            (f) =>
              `removed the earlier release's .claude/commands/${f} (it shadowed Claude Code's /${f.slice(0, -3)})`,
          ),
          ...r.commandsKept.map(
            (f) => `kept your own .claude/commands/agent-track/${f} (ours is not installed)`,
          ),
          r.plugin
            ? 'The agent-track plugin records every Claude Code session here: claude --plugin-dir <path to the plugin>, or /plugin install agent-track@subagent-tracking.'
            : `Every Claude Code session in this repository is now recorded. Read them with \`${cli} sessions\`.`,
          r.mcp === 'kept'
            ? 'kept your own MCP server agent-track in .mcp.json (ours is not registered)'
            : r.mcp === 'written'
              ? 'MCP server agent-track registered in .mcp.json (search_history, similar_errors, why, handoff, session_cost)'
              : null,
          trailers?.message ?? null,
          '',
          'To have agents record their decisions and ask their history, add this to CLAUDE.md:',
          '',
          claudeMdSnippet(installKind(bin, paths.workTree) === 'local' ? cli : 'agent-track'),
          '',
          MCP_CLAUDE_MD_SNIPPET,
        ]
          .filter((l) => l !== null)
          .join('\n'),
      );
    },
  );

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

program
  .command('statusline')
  .description(
    "one line for Claude Code's statusLine setting, from the session JSON on stdin: this session's cost, tokens, subagents, failed calls, time since the last snapshot, a warning past budget.session or budget.phase",
  )
  .action(() => {
    // bin.cjs sends `statusline` straight to its small bundle (dist/statusline.cjs); this entry is for --help
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
  if (r.commits) await (await import('../src/search/index.js')).refreshSearchIndex(paths);
  // the browse worktrees follow the branch
  refreshBrowse(paths);
  return r;
}

interface PushOptions {
  remote?: string;
  background?: boolean;
  skipPrevious?: boolean;
  forceFirst?: boolean;
  dispatch: boolean;
  json?: boolean;
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
  .option(
    '--force-first',
    'push even when the remote has no branch yet (agent-tracking would become its default branch: only for a repository that holds only the agent history)',
  )
  .option(
    '--no-dispatch',
    'do not tell GitHub the branch moved (a repository_dispatch: the workflow reviews ended phases and refreshes comments)',
  )
  .option('--json', 'print the result as JSON')
  .action(async (opts: PushOptions) => {
    const paths = repo();
    const { pushBranch } = await import('../src/store/sync.js');
    const { dispatchBranchMoved } = await import('../src/store/github.js');
    const remote = opts.remote ?? (await loadConfig(paths)).tracking.remote;
    try {
      await flushAndSnapshot(paths, 30_000, !opts.background);
      const r = await pushBranch(paths, remote, {
        prompt: !opts.background,
        skipPrevious: opts.skipPrevious,
        forceFirst: opts.forceFirst,
      });
      const dispatch =
        r.outcome === 'pushed' && opts.dispatch && process.env.AGENT_TRACK_DISPATCH !== '0'
          ? await dispatchBranchMoved(paths, remote, r.tip)
          : null;
      if (opts.background) return;
      if (opts.json) return print({ ...r, dispatch });
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
          dispatch?.sent ? `told ${dispatch.repo}'s agent-tracking workflow (repository_dispatch)` : null,
          dispatch && !dispatch.sent && dispatch.repo ? `workflow not told: ${dispatch.reason}` : null,
        ]
          .filter((l) => l !== null)
          .join('\n'),
      );
    } catch (e) {
      if (!opts.background) throw e;
      // nobody reads a background push's stderr: keep the reason where `agent-track` users look
      mkdirOwned(paths.errorsDir);
      fs.appendFileSync(
        path.join(paths.errorsDir, 'push.log'),
        `${new Date().toISOString()} ${(e as Error).message}\n`,
      );
      own(path.join(paths.errorsDir, 'push.log'));
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
    if (
      r.outcome === 'adopted' ||
      r.outcome === 'fast-forward' ||
      r.outcome === 'merged' ||
      r.outcome === 'replayed'
    )
      await (await import('../src/search/index.js')).refreshSearchIndex(paths);
    refreshBrowse(paths);
    if (opts.json) return print(r);
    const n = `${r.sessionsFromRemote} new session${r.sessionsFromRemote === 1 ? '' : 's'}`;
    const said: Record<typeof r.outcome, string> = {
      adopted: `fetched agent-tracking from ${remote}: ${n}`,
      'fast-forward': `updated agent-tracking from ${remote}: ${n}`,
      merged: `merged agent-tracking from ${remote}: ${n}${r.conflicts.length ? `; both versions kept of ${r.conflicts.join(', ')}` : ''}`,
      'up-to-date': 'already up to date',
      ahead: `nothing new on ${remote}; this clone has sessions to push (agent-track push)`,
      'no-remote-branch': `${remote} has no agent-tracking branch yet (agent-track push creates it)`,
      replayed: `${remote}'s agent-tracking was compacted (archived phases left its history): this clone's sessions were put on top of its new root: ${n}; the old local history is kept under ${r.kept ?? 'a pre-compact ref'} (agent-track compact --drop-old removes it)${r.dropped?.length ? `; ${r.dropped.length} session folder${r.dropped.length === 1 ? '' : 's'} of archived phases left out (in S3: ${r.dropped.join(', ')})` : ''}`,
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
  .option(
    '--session <id>',
    'the session (default: the Claude Code session running this, else the one recorded last in this clone)',
  )
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
    // what was imported is searchable at once (the MCP server's similar_errors, `agent-track search`)
    if (r.events) await (await import('../src/search/index.js')).refreshSearchIndex(paths);
    refreshBrowse(paths);
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
        'author',
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
        s.author?.name ?? '',
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
    const summary = await branch.findSession(sessionArg(id)!);
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
        `${many(figures.toolCalls, 'tool call')} (${figures.toolFailures} failed${figures.toolRejected ? `, ${figures.toolRejected} declined` : ''}${figures.toolDenied ? `, ${figures.toolDenied} denied` : ''}${figures.toolInterrupted ? `, ${figures.toolInterrupted} interrupted` : ''}${figures.toolCascaded ? `, ${figures.toolCascaded} cancelled after a sibling call failed` : ''}), ${many(figures.errors, 'error')}, ${many(summary.agents, 'subagent')}; tokens ${fmtInt(t.input)} in, ${fmtInt(t.output)} out, ${fmtInt(t.cacheRead)} cache read, ${fmtInt(t.cacheWrite)} cache write; cost ${fmtUsd(figures.costUsd, figures.unpricedTokens)}${figures.unpricedModels.length ? ` (no price for ${figures.unpricedModels.join(', ')})` : ''}`,
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
  .option(
    '--session <id>',
    'the session (default: the Claude Code session running this, else my latest: this clone, this git identity)',
  )
  .option('--json', 'print {"id", ...} as JSON')
  .action(async (opts: { note?: string; session?: string; json?: boolean }) => {
    const r = await takeSnapshot(repo(), {
      session: sessionArg(opts.session),
      trigger: 'manual',
      // a slash command with no argument passes --note ""
      note: opts.note?.trim() ? opts.note.trim() : null,
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
      `snapshot ${r.id}: ${r.files.length} changed file${r.files.length === 1 ? '' : 's'} at ${r.git.head?.slice(0, 7) ?? 'no commit'}, ${r.todos.filter((t) => t.status !== 'completed').length} open todos\nrestore it elsewhere with: ${invocation(repo())} restore ${r.id} --worktree ../${path.basename(repo().workTree)}-${r.id.replace('@', '-')}`,
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
    // a snapshot of a session whose conversation is on the branch can be continued from (`continue --at`)
    for (const s of sessions) {
      const continuable = Object.keys(s.transcripts ?? {}).length > 0;
      list.push(...(await listSnapshots(branch, s)).map((r) => ({ ...r, continuable })));
    }
    list.sort((a, b) => a.ts.localeCompare(b.ts));
    if (opts.json) return print(list);
    if (!list.length)
      return print('no snapshot yet (they are taken automatically, or with `agent-track checkpoint`)');
    print(
      table(
        ['snapshot', 'taken', 'trigger', 'HEAD', 'files', 'open todos', 'continue --at', 'note'],
        list.map((r) => [
          r.id,
          r.ts.replace('T', ' ').slice(0, 19),
          r.trigger,
          r.git.head?.slice(0, 7) ?? '',
          r.files.length,
          r.todos.filter((t) => t.status !== 'completed').length,
          r.continuable ? 'yes' : 'no',
          (r.note ?? '').slice(0, 40),
        ]),
        [4, 5],
      ),
    );
  });

program
  .command('resume [session]')
  .alias('handoff')
  .description(
    "print the handoff (Markdown) that lets a new session carry on from a session's last state (default: my latest session: this clone, this git identity, this branch first)",
  )
  .option('--session <id>', 'the session (the same as giving it as the argument)')
  .option('--max-tokens <n>', 'the budget in Claude tokens (default 2000, or recovery.handoffBudget)')
  .option('--json', 'print {"session", "snapshot", "tokens", "budget", "dropped", "crashed", "markdown"}')
  .option('--hook-output', "print SessionStart's hookSpecificOutput JSON (used by the hook)")
  .action(
    async (
      positional: string | undefined,
      opts: { session?: string; maxTokens?: string; json?: boolean; hookOutput?: boolean },
    ) => {
      if (positional !== undefined && opts.session !== undefined && positional !== opts.session)
        throw new UserError(`give the session once: '${positional}' or --session ${opts.session}`);
      opts.session = sessionArg(positional ?? opts.session);
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
    },
  );

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
    // run from the new worktree, which has no node_modules: the CLI by a path that works from there
    const start = `cd ${JSON.stringify(r.worktree)} && claude "$(${invocation(paths, 'anywhere')} resume ${r.session.slice(0, 8)})"`;
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
  .command('continue [session]')
  .description(
    "bring a session's conversation back from the branch and resume it with `claude --resume` (any clone, any machine)",
  )
  .option('--at <snapshot>', "continue from a snapshot's moment: a new session (a fork) in a new worktree")
  .option('--worktree <path>', 'with --at: where to create the worktree (default: next to this clone)')
  .option('--no-launch', 'lay the conversation out and print the command instead of starting Claude Code')
  .option(
    '--json',
    'print {"session","continues","fork","snapshot","cwd","projectDir","files","worktree","command"}',
  )
  .action(
    async (
      session: string | undefined,
      opts: { at?: string; worktree?: string; launch: boolean; json?: boolean },
    ) => {
      if (session !== undefined && !session.trim())
        throw new UserError('give a session id (see `agent-track sessions`)');
      if (opts.worktree && !opts.at)
        throw new UserError('--worktree goes with --at <snapshot> (a fork from that moment)');
      const paths = repo();
      const branch = await TrackingBranch.open(paths);
      const { prepareContinue, commandLine } = await import('../src/recovery/continue.js');
      const r = await prepareContinue(paths, branch, { session, at: opts.at, worktree: opts.worktree });
      const command = commandLine(r);
      if (opts.json) return print({ ...r, launched: false, commandLine: command });
      const written = r.files.filter((f) => f.action === 'written');
      const kept = r.files.filter((f) => f.action === 'kept newer');
      const lines = [
        r.fork
          ? `session ${r.session} forks ${r.continues.slice(0, 8)} at snapshot ${r.snapshot} (worktree ${r.worktree})`
          : `session ${r.session}`,
        `conversation laid out in ${r.projectDir}: ${written.length} file${written.length === 1 ? '' : 's'} written${kept.length ? `, ${kept.length} kept (Claude Code's own copy is as new or newer)` : ''}`,
      ];
      if (!opts.launch) return print([...lines, '', 'continue it with:', `  ${command}`].join('\n'));
      process.stderr.write(`${lines.join('\n')}\n$ ${command}\n`);
      const { spawnSync } = await import('node:child_process');
      const run = spawnSync(r.command[0], r.command.slice(1), { cwd: r.cwd, stdio: 'inherit' });
      if (run.error)
        throw new UserError(
          `could not start Claude Code (${(run.error as NodeJS.ErrnoException).code ?? run.error.message}); run it yourself: ${command}`,
        );
      process.exitCode = run.status ?? 1;
    },
  );

program
  .command('query <sql>')
  .description(
    'run SQL (DuckDB) over the store: views events, sessions, agents, tool_calls, usage, errors, file_changes, decisions',
  )
  .option('--json', 'print an array of row objects')
  .option('--csv', 'print CSV with a header line')
  .option(
    '--archive <s3-url>',
    'query the archived and lake Parquet under s3://bucket/prefix instead of the branch: every repository there, with a repo column',
  )
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
    const configured = setConfigPhase(repo(), p.name);
    print(opts.json ? p : `phase ${p.name} started${configured ? ' (.agent-tracking.yml says so)' : ''}`);
  });
phase
  .command('end [next]')
  .description('end the current phase: write its review (review.md, review.json) and start the next')
  .option('--next <name>', 'the next phase (default: the name with its number plus one, phase-1 -> phase-2)')
  .option('--no-review', 'leave the review to the GitHub Action (its next run writes it)')
  .option('--json', 'print {"ended", "next", "review"} as JSON')
  .action(
    async (positional: string | undefined, opts: { next?: string; review: boolean; json?: boolean }) => {
      if (positional !== undefined && opts.next !== undefined && positional !== opts.next)
        throw new UserError(`give the next phase once: '${positional}' or --next ${opts.next}`);
      if (positional !== undefined) opts.next = positional;
      const { endPhase } = await import('../src/analytics/phases.js');
      const r = await endPhase(repo(), opts);
      // new sessions belong to the next phase: the config's `phase:` line follows
      setConfigPhase(repo(), r.next);
      if (opts.json) return print(r);
      print(
        `${
          r.review
            ? `phase ${r.ended} ended: ${r.review.sessions} sessions, ${fmtUsd(r.review.costUsd, r.review.unpricedTokens)}; review in phases/${r.ended}/review.md on the agent-tracking branch`
            : `phase ${r.ended} ended; \`agent-track push\` shares it and the Action reviews it (at once with a GitHub token, else on its daily run)`
        }\nphase ${r.next} started`,
      );
    },
  );
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

program
  .command('browse [path]')
  .description(
    'the whole history as plain files: a detached worktree of the agent-tracking branch that follows it after each flush (default ../<repo>-agent-tracking)',
  )
  .option('--remove', 'remove that browse worktree')
  .option('--json', 'print {"dir", "tip", "created"} as JSON')
  .action(async (dir: string | undefined, opts: { remove?: boolean; json?: boolean }) => {
    const paths = repo();
    const target = dir ?? defaultBrowseDir(paths);
    if (opts.remove) {
      const removed = unbrowse(paths, target);
      if (!removed)
        throw new UserError(`${path.resolve(target)} is not a browse worktree of this repository`);
      return print(opts.json ? { dir: path.resolve(target), removed } : `removed ${path.resolve(target)}`);
    }
    const r = browse(paths, target);
    if (opts.json) return print(r);
    print(
      [
        `${r.created ? 'created' : 'updated'} ${r.dir} at ${r.tip.slice(0, 7)} (detached: a commit there moves no branch)`,
        'it follows the branch after each flush, pull and import; edits there are not kept',
        `remove it with: ${invocation(paths)} browse --remove ${JSON.stringify(r.dir)}`,
      ].join('\n'),
    );
  });

registerArchive(program, {
  repo,
  print,
  fail: (message: string) => {
    throw new UserError(message);
  },
});

registerCompact(program, {
  repo,
  print,
  fail: (message: string) => {
    throw new UserError(message);
  },
});

registerDriveCommands(program, { repo, print, UserError });

registerDashboard(program);
registerRedactions(program);
registerSearch(program, { repo, print, version: program.version() ?? '0.0.0' });
registerAttribution(program, {
  repo,
  print,
  fail: (message: string) => {
    throw new UserError(message);
  },
  version: program.version() ?? '0.0.0',
  cli: () => invocation(repo()),
});

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
    process.stderr.write(`agent-track: ${runnable(msg)}\n`);
    process.exitCode = 1;
  }
}
