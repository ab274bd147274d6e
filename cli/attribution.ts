/** `blame`, `why`, `log` and `export agent-trace`: who wrote each line, and why. Parse, call src/attribution, print. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { RepoPaths } from '../src/store/paths.js';

interface Deps {
  repo: () => RepoPaths;
  print: (v: unknown) => void;
  fail: (message: string) => never;
  version: string;
  /** How git hooks run the CLI (the hook command without ` hook`). */
  cli: () => string;
}

const short = (s: string | null | undefined, n = 8): string => (s ? s.slice(0, n) : '');
const oneLine = (s: string | null | undefined, n = 60): string => {
  const t = (s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

export function registerAttribution(program: Command, deps: Deps): void {
  const { repo, print, fail } = deps;
  const open = async () => {
    const { Attribution } = await import('../src/attribution/blame.js');
    return Attribution.open(repo());
  };

  program
    .command('blame <file>')
    .description(
      'each line of a file with who wrote it: an agent (session, agent type, tool), a person (git commit), or unknown',
    )
    .option('--rev <rev>', 'the file at this commit (default: the work tree)')
    .option(
      '--json',
      'print {file, rev, lines: [{line, kind, session, agent, agentType, tool, toolUseId, prompt, ts, commit}]}',
    )
    .action(async (file: string, opts: { rev?: string; json?: boolean }) => {
      const attr = await open();
      const rel = attr.repoPath(file, process.cwd());
      const { result, texts } = attr.blameWithText(rel, opts.rev ?? null);
      if (opts.json) return print(result);
      const width = String(result.lines.length).length;
      const who = (r: (typeof result.lines)[number]) =>
        r.kind === 'agent'
          ? `${(r.agentType ?? 'agent').padEnd(16).slice(0, 16)} ${short(r.session)} ${(r.tool ?? '').padEnd(9)}`
          : r.kind.padEnd(36);
      print(
        result.lines
          .map(
            (r, i) =>
              `${(short(r.commit) || 'no commit').padEnd(9)} ${who(r)} ${String(r.line).padStart(width)}) ${texts[i] ?? ''}`,
          )
          .join('\n'),
      );
    });

  program
    .command('why <location>')
    .description(
      'the chain behind one line (<file>:<line>): the tool call and its diff, the agent and its task, the decision, the prompt, the session, the commit',
    )
    .option('--rev <rev>', 'the line as it is at this commit (default: the work tree)')
    .option('--json', 'print the chain as JSON')
    .action(async (location: string, opts: { rev?: string; json?: boolean }) => {
      const m = /^(.*):(\d+)$/.exec(location);
      if (!m) fail(`give <file>:<line>, e.g. src/app.ts:42 (got '${location}')`);
      const attr = await open();
      const { whyLine } = await import('../src/attribution/why.js');
      const w = await whyLine(attr, attr.repoPath(m![1], process.cwd()), Number(m![2]), opts.rev ?? null);
      if (opts.json) return print(w);
      const out = [`${w.file}:${w.line}  ${w.text}`, ''];
      if (w.kind !== 'agent' || !w.change) {
        out.push(
          w.kind === 'human'
            ? `written by a person: no recorded agent change wrote this content`
            : 'not committed, and no recorded agent change wrote this content',
        );
      } else {
        out.push(
          `written by ${w.agent?.id === 'main' ? 'the main agent' : `subagent ${w.agent?.id} (${w.agent?.type ?? 'unknown type'})`}${w.agent?.model ? ` on ${w.agent.model}` : ''}`,
        );
        out.push(
          `  tool: ${w.change.tool ?? '?'} (${w.change.operation}) at ${w.change.ts}, tool_use ${w.change.toolUseId ?? '?'}`,
        );
        if (w.agent?.task) {
          out.push(`  task: ${w.agent.task.description ?? '(no description)'}`);
          if (w.agent.task.prompt) out.push(`        ${oneLine(w.agent.task.prompt, 200)}`);
          if (w.agent.task.decision) out.push(`  launched because: ${oneLine(w.agent.task.decision, 200)}`);
        }
        if (w.decision) out.push(`  decision: ${oneLine(w.decision, 200)}`);
        if (w.prompt) out.push(`  prompt: ${oneLine(w.prompt, 200)}`);
        if (w.session)
          out.push(
            `  session: ${w.session.id} (started ${w.session.started ?? '?'}${w.session.ended ? `, ended ${w.session.ended}` : ''})${w.session.handoffPath ? `; handoff on the branch at ${w.session.handoffPath}` : ''}`,
          );
        for (const c of w.session?.commits ?? [])
          out.push(
            `  commit made while it ran: ${c.sha.slice(0, 12)} ${oneLine(c.subject, 60)}${c.byAgent ? ' (by the agent)' : ''}`,
          );
        if (w.change.diff) out.push('', w.change.diff.trimEnd());
        else if (typeof (w.change.input as { command?: unknown } | null)?.command === 'string')
          out.push('', `$ ${(w.change.input as { command: string }).command}`);
      }
      out.push(
        '',
        w.commit
          ? `commit ${w.commit.sha.slice(0, 12)} ${w.commit.subject} (${w.commit.author}, ${w.commit.date})`
          : 'not committed yet',
      );
      print(out.join('\n'));
    });

  program
    .command('log [range]')
    .description(
      'commits (default: the last 20 of HEAD) with the sessions that wrote their lines and the lines agents and people added',
    )
    .option('-n, --max-count <n>', 'at most this many commits')
    .option(
      '--session <id>',
      'the commits this session made (committed while it ran, or by its agents’ git commit)',
    )
    .option('--json', 'print {commits: [{sha, subject, sessions, agentLines, humanLines, byAgentType}]}')
    .action(
      async (range: string | undefined, opts: { maxCount?: string; json?: boolean; session?: string }) => {
        if (range && opts.session) fail('give a range or --session, not both');
        const max = opts.maxCount === undefined ? (range ? undefined : 20) : Number(opts.maxCount);
        if (max !== undefined && (!Number.isInteger(max) || max < 1))
          fail('--max-count takes a positive whole number');
        const attr = await open();
        const { logCommits } = await import('../src/attribution/blame.js');
        const { runGit } = await import('../src/attribution/git.js');
        if (!range) {
          try {
            runGit(attr.paths.workTree, ['rev-parse', '--verify', '--quiet', 'HEAD']);
          } catch {
            return print(opts.json ? { commits: [] } : '(no commits yet)');
          }
        }
        let commits: ReturnType<typeof logCommits>;
        if (opts.session) {
          if (!attr.branch) fail('nothing recorded yet: no agent-tracking branch in this clone');
          const { attributeCommits } = await import('../src/attribution/blame.js');
          const { sessionCommits } = await import('../src/attribution/why.js');
          const summary = await attr.branch!.findSession(opts.session);
          const made = sessionCommits(attr.paths.workTree, summary, await attr.branch!.events(summary));
          commits = attributeCommits(
            attr,
            made.slice(-(opts.maxCount === undefined ? made.length : max!)).reverse(),
          );
        } else commits = logCommits(attr, range ?? 'HEAD', max);
        if (opts.json)
          return print({
            commits: commits.map((c) => ({
              sha: c.sha,
              subject: c.subject,
              sessions: c.sessions,
              agentLines: c.agentLines,
              humanLines: c.humanLines,
              byAgentType: c.byAgentType,
            })),
          });
        print(
          commits
            .map((c) => {
              const total = c.agentLines + c.humanLines;
              const share = total ? ` (${Math.round((100 * c.agentLines) / total)}% agent)` : '';
              const types = Object.entries(c.byAgentType)
                .map(([t, n]) => `${t} ${n}`)
                .join(', ');
              return `${c.sha.slice(0, 8)} ${oneLine(c.subject, 50)}\n    +${c.agentLines} agent, +${c.humanLines} human${share}${types ? `; ${types}` : ''}${c.sessions.length ? `; sessions ${c.sessions.map((s) => short(s)).join(', ')}` : ''}`;
            })
            .join('\n') || '(no commits)',
        );
      },
    );

  const exp = program.command('export').description('export the recorded history in an open format');
  exp
    .command('agent-trace')
    .description('an Agent Trace record (v0.1.0) of a commit: which lines of which files each session wrote')
    .option('--rev <rev>', 'the commit (default: HEAD)')
    .option('--out <dir>', 'write <dir>/<commit>.json instead of printing the record')
    .action(async (opts: { rev?: string; out?: string }) => {
      const attr = await open();
      const { traceRecord } = await import('../src/attribution/agent-trace.js');
      const record = traceRecord(attr, opts.rev ?? 'HEAD', deps.version);
      if (!opts.out) return print(record);
      const dir = path.resolve(opts.out);
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${record.vcs.revision}.json`);
      fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
      print(
        `wrote ${file} (${record.files.length} file${record.files.length === 1 ? '' : 's'} with agent lines)`,
      );
    });

  const trailers = program
    .command('trailers')
    .description(
      'commit trailers Agent-Session and Agent-Lines (a prepare-commit-msg hook; on while attribution.trailers is true)',
    );
  trailers
    .command('install')
    .description('install the prepare-commit-msg hook (a hook of your own is left alone)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { installTrailerHook } = await import('../src/attribution/trailers.js');
      const r = installTrailerHook(repo(), deps.cli());
      if (opts.json) return print(r);
      if (!r.installed) fail(r.reason ?? 'not installed');
      print(
        `installed ${r.file}; trailers are added while attribution.trailers is true in .agent-tracking.yml`,
      );
    });
  trailers
    .command('uninstall')
    .description('remove our prepare-commit-msg hook')
    .action(async () => {
      const { uninstallTrailerHook } = await import('../src/attribution/trailers.js');
      print(
        uninstallTrailerHook(repo()) ? 'removed the prepare-commit-msg hook' : 'no hook of ours to remove',
      );
    });
  trailers
    .command('add <message-file> [source] [sha]')
    .description('what the hook runs: add the trailers for the staged lines to a commit message file')
    .action(async (file: string, source?: string, sha?: string) => {
      const { addTrailers } = await import('../src/attribution/trailers.js');
      await addTrailers(repo(), file, source, sha);
    });
}
