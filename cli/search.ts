/** `agent-track search` (the branch's full-text index) and `agent-track mcp` (the MCP server). */
import type { Command } from 'commander';
import type { RepoPaths } from '../src/store/paths.js';

const TYPES = ['prompt', 'decision', 'error', 'tool', 'file', 'task', 'outcome'];

export function registerSearch(
  program: Command,
  h: { repo: () => RepoPaths; print: (v: unknown) => void; version: string },
): void {
  program
    .command('search <query...>')
    .description(
      "full-text search over every session on the agent-tracking branch (the team's too, after pull): prompts, decisions, errors, tool calls, file changes, subagent tasks and outcomes; ranked",
    )
    .option('--session <id>', 'only this session (id or a unique prefix)')
    .option('--type <type>', `only records of this type: ${TYPES.join('|')}`)
    .option('--limit <n>', 'hits to show (default 10)')
    .option('--json', 'print {"hits": [{"session", "agent", "agentType", "type", "ts", "snippet", "score"}]}')
    .action(
      async (words: string[], opts: { session?: string; type?: string; limit?: string; json?: boolean }) => {
        const paths = h.repo();
        if (opts.type !== undefined && !TYPES.includes(opts.type))
          throw new Error(`--type takes one of ${TYPES.join(', ')}, not '${opts.type}'`);
        const limit = opts.limit === undefined ? 10 : Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new Error(`--limit takes a whole number of 1 or more, not '${opts.limit}'`);
        const { SearchIndex } = await import('../src/search/index.js');
        const index = await SearchIndex.open(paths);
        const hits = index.search(words.join(' '), {
          session: opts.session,
          type: opts.type as never,
          limit,
        });
        if (opts.json) return h.print({ hits });
        if (!hits.length)
          return h.print(`no match in ${index.sessionCount} session${index.sessionCount === 1 ? '' : 's'}`);
        h.print(
          hits
            .map(
              (x) =>
                `${x.session.slice(0, 8)}  ${x.ts.slice(0, 16).replace('T', ' ')}  ${x.type.padEnd(8)} ${(x.agent === 'main' ? 'main' : `${x.agentType}:${x.agent.slice(0, 8)}`).padEnd(24)} ${x.score}\n  ${x.snippet}`,
            )
            .join('\n'),
        );
      },
    );

  program
    .command('mcp')
    .description(
      'serve the MCP server `agent-track` on stdin/stdout (Claude Code starts it from .mcp.json): search_history, similar_errors, why, handoff, session_cost',
    )
    .action(async () => {
      const paths = h.repo();
      const { serveMcp } = await import('../src/mcp/server.js');
      await serveMcp(paths, h.version);
    });
}
