/**
 * `agent-track mcp`: a stdio MCP server (the official SDK) through which the agent asks its own
 * history, without spending a model token: search_history, similar_errors, why, handoff and
 * session_cost. Every answer is short (a few hundred tokens, bounded by `limit`), comes from the
 * agent-tracking branch (redacted when it was written, and once more on the way out), and says so.
 * Loaded only by `agent-track mcp` (cli.js, lazily): the hook's bundle never sees it.
 */
import * as os from 'node:os';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { breakdown, totals, usdText } from '../model/figures.js';
import { redactText } from '../model/redact.js';
import type { SessionSummary } from '../model/session.js';
import { HIT_TYPES } from '../search/documents.js';
import { SearchIndex } from '../search/index.js';
import { type RepoPaths, readHead, readRef, TRACKING_REF } from '../store/paths.js';
import { TrackingBranch } from '../store/reader.js';
import { recentSpooledSessions } from '../store/spool.js';
import { MCP_SERVER_NAME } from './register.js';

type Text = { content: Array<{ type: 'text'; text: string }>; isError?: boolean };

const say = (text: string): Text => ({
  content: [{ type: 'text', text: redactText(text, { pass: 'full' }) }],
});
const fail = (text: string): Text => ({ ...say(text), isError: true });
const short = (id: string) => id.slice(0, 8);
const clip = (s: string, n: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};
const fmtInt = (n: number) => n.toLocaleString('en-US');

/** The tools' answers, as plain functions of the repository (the MCP layer only wraps them). */
export class HistoryTools {
  private index: SearchIndex | null = null;

  constructor(
    private paths: RepoPaths,
    /** This session, when Claude Code tells its MCP servers (CLAUDE_CODE_SESSION_ID, 2.1.154 and later). */
    private sessionId: string | null = null,
  ) {}

  /** The index at the branch's current tip (updated in place when the branch moved). */
  async openIndex(): Promise<SearchIndex> {
    const tip = readRef(this.paths.commonDir, TRACKING_REF);
    if (this.index && this.index.tip === tip) return this.index;
    if (this.index && tip) {
      // the branch moved (a flush of this very session, a pull): read what is new into the index in
      // memory; the flush or pull that moved it saves the file
      await this.index.update(await TrackingBranch.open(this.paths), { save: false });
      return this.index;
    }
    this.index = await SearchIndex.open(this.paths);
    return this.index;
  }

  private source(index: SearchIndex, what: string): string {
    return `Source: the agent-tracking branch of this repository (tip ${index.tip.slice(0, 7)}, ${index.sessionCount} session${index.sessionCount === 1 ? '' : 's'}), ${what}.`;
  }

  async searchHistory(a: {
    query: string;
    limit?: number;
    session?: string;
    type?: (typeof HIT_TYPES)[number];
  }): Promise<Text> {
    const index = await this.openIndex();
    const hits = index.search(a.query, { limit: a.limit ?? 5, session: a.session, type: a.type });
    const lines = [this.source(index, `full-text search for "${clip(a.query, 80)}"`)];
    if (!hits.length) lines.push('No match.');
    hits.forEach((h, i) => {
      lines.push(
        `${i + 1}. [${h.type}] session ${short(h.session)} · ${h.agent === 'main' ? 'main agent' : `${h.agentType} ${short(h.agent)}`} · ${h.ts.slice(0, 16).replace('T', ' ')} · score ${h.score}`,
        `   ${h.snippet}`,
      );
    });
    return say(lines.join('\n'));
  }

  async similarErrors(a: { message: string; limit?: number }): Promise<Text> {
    const index = await this.openIndex();
    const found = index.similarErrors(a.message, { limit: a.limit ?? 3 });
    const lines = [
      this.source(
        index,
        'errors of the same pattern (paths, ids and numbers masked, as the phase review groups them), then errors with its words',
      ),
    ];
    if (!found.length) lines.push('No earlier error like this one.');
    found.forEach((e, i) => {
      lines.push(
        `${i + 1}. session ${short(e.session)} · ${e.agent === 'main' ? 'main agent' : `${e.agentType} ${short(e.agent)}`} · ${e.ts.slice(0, 16).replace('T', ' ')} · ${e.match === 'pattern' ? 'same pattern' : `similar words (${e.score})`}`,
        `   error${e.action ? ` in ${clip(e.action, 80)}` : e.tool ? ` in ${e.tool}` : ''}: ${clip(e.message, 140)}`,
      );
      if (e.next.length)
        lines.push(`   next: ${e.next.map((n) => `${clip(n.action, 60)} (${n.outcome})`).join(' → ')}`);
      else lines.push('   next: nothing recorded after it');
      lines.push(
        `   worked: ${
          e.resolved === true
            ? `yes (${e.fixedAfter === 1 ? 'the next call' : `${e.fixedAfter} calls later`}, ${clip(e.action ?? e.tool ?? 'the same action', 60)} succeeded)`
            : e.resolved === false
              ? 'no (the agent tried the same kind of call again; it has not succeeded)'
              : 'not tried again'
        }`,
      );
    });
    return say(lines.join('\n'));
  }

  async why(a: { file: string; line?: number; limit?: number }): Promise<Text> {
    const index = await this.openIndex();
    const file = a.file.startsWith(`${this.paths.workTree}/`)
      ? a.file.slice(this.paths.workTree.length + 1)
      : a.file;
    const h = index.fileHistory(file, a.line, a.limit ?? 3);
    const lines = [
      this.source(
        index,
        'the sessions and file changes that touched the file (line attribution is not recorded yet: a change "covers" the line when its diff hunks do)',
      ),
    ];
    if (!h.total) lines.push(`No recorded change of ${file}.`);
    else
      lines.push(
        `${h.total} recorded change${h.total === 1 ? '' : 's'} of ${file}${h.total > h.changes.length ? ` (the ${h.changes.length} shown first)` : ''}:`,
      );
    h.changes.forEach((c, i) => {
      // a session's goal once, at its first change in the list
      const s = h.changes.slice(0, i).some((x) => x.session === c.session) ? null : index.session(c.session);
      lines.push(
        `${i + 1}. session ${short(c.session)} · ${c.agent === 'main' ? 'main agent' : `${c.agentType} ${short(c.agent)}`} · ${c.ts.slice(0, 16).replace('T', ' ')} · ${c.operation ?? 'change'}${c.touchesLine === true ? ` · covers line ${a.line}` : c.touchesLine === false ? ` · not line ${a.line}` : ''}`,
      );
      if (s?.firstPrompt) lines.push(`   session goal: ${clip(s.firstPrompt, 160)}`);
      if (c.decision) lines.push(`   decision before it: ${clip(c.decision, 200)}`);
      lines.push(
        `   diff: ${clip(c.diff.includes('@@') ? c.diff.slice(c.diff.indexOf('@@')) : c.diff, 160)}`,
      );
    });
    return say(lines.join('\n'));
  }

  async handoff(a: { session?: string; max_tokens?: number }): Promise<Text> {
    const { resumeHandoff } = await import('../recovery/resume.js');
    const h = await resumeHandoff(this.paths, { session: a.session, maxTokens: a.max_tokens ?? 800 });
    return say(
      `Source: the handoff of session ${h.session} (${h.snapshot ? `snapshot ${h.snapshot} and the events after it` : 'its events'}), ${h.tokens} tokens of a ${h.budget} budget.\n\n${h.markdown}`,
    );
  }

  /** This session: the one Claude Code names, else this clone's latest. */
  async currentSession(): Promise<string | null> {
    if (this.sessionId) return this.sessionId;
    const spooled = recentSpooledSessions(this.paths, 1, '');
    let best: { session: string; at: string } | null = spooled[0]
      ? { session: spooled[0].session, at: spooled[0].lastActivity ?? '' }
      : null;
    try {
      const branch = await TrackingBranch.open(this.paths);
      const host = os.hostname();
      const gitBranch = readHead(this.paths).branch;
      for (const s of await branch.rawSessions()) {
        if (s.host && s.host !== host) continue;
        if (gitBranch && s.branch && s.branch !== gitBranch) continue;
        if (!best || (s.lastActivity ?? '') > best.at)
          best = { session: s.session, at: s.lastActivity ?? '' };
      }
    } catch {
      // no branch yet: the spool's session, if any
    }
    return best?.session ?? null;
  }

  async sessionCost(): Promise<Text> {
    const { flushWithTranscripts } = await import('../capture/collect.js');
    try {
      // what the transcripts hold so far: a short flush (another one running answers for us)
      await flushWithTranscripts(this.paths, { waitMs: 2000 });
    } catch {
      // the figures as last flushed
    }
    const id = await this.currentSession();
    if (!id) return fail('No session recorded in this repository yet.');
    let branch: TrackingBranch;
    let summary: SessionSummary;
    try {
      branch = await TrackingBranch.open(this.paths);
      summary = await branch.findSession(id);
    } catch (e) {
      return fail(`Session ${id} is not on the agent-tracking branch yet (${(e as Error).message}).`);
    }
    const t = totals([summary], branch.prices);
    const rows = breakdown([summary], 'agent', branch.prices);
    const tok = (x: { input: number; output: number; cacheRead: number; cacheWrite: number }) =>
      `${fmtInt(x.input + x.output + x.cacheRead + x.cacheWrite)} tokens (input ${fmtInt(x.input)}, output ${fmtInt(x.output)}, cache read ${fmtInt(x.cacheRead)}, cache write ${fmtInt(x.cacheWrite)})`;
    const lines = [
      `Source: session ${id} on the agent-tracking branch (tip ${branch.tip.slice(0, 7)}; ${this.sessionId ? 'the session Claude Code named' : "this clone's latest session"}), figures as of its last flush (${summary.lastActivity ?? 'never'}). List-price estimates, as Claude Code reports them.`,
      `Total: ${tok(t.tokens)}, ${usdText(t.costUsd, t.unpricedTokens)}`,
      ...rows.map((r) => `- ${r.key}: ${tok(r.tokens)}, ${usdText(r.costUsd, r.unpricedTokens)}`),
    ];
    return say(lines.join('\n'));
  }
}

const guard =
  <A>(f: (a: A) => Promise<Text>) =>
  async (a: A): Promise<Text> => {
    try {
      return await f(a);
    } catch (e) {
      return fail(`agent-track: ${(e as Error).message}`);
    }
  };

export function createMcpServer(tools: HistoryTools, version: string): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version });
  const limit = z.number().int().min(1).max(20).optional();
  server.registerTool(
    'search_history',
    {
      description:
        "Full-text search over every recorded agent session of this repository (the team's too): prompts, decisions, errors, tool calls, file changes, subagent tasks and outcomes. Ranked hits with session, agent, time and a snippet.",
      inputSchema: {
        query: z.string().min(1).describe('words to look for'),
        limit: limit.describe('hits to return (default 5)'),
        session: z.string().optional().describe('only this session (id or a unique prefix)'),
        type: z.enum(HIT_TYPES).optional().describe('only this kind of record'),
      },
      annotations: { readOnlyHint: true },
    },
    guard((a) => tools.searchHistory(a)),
  );
  server.registerTool(
    'similar_errors',
    {
      description:
        'Earlier errors of the same pattern as this message (paths, ids and numbers masked), with what the agent did next and whether it worked. Call it before retrying a failing command.',
      inputSchema: {
        message: z.string().min(1).describe('the error message'),
        limit: limit.describe('errors to return (default 3)'),
      },
      annotations: { readOnlyHint: true },
    },
    guard((a) => tools.similarErrors(a)),
  );
  server.registerTool(
    'why',
    {
      description:
        'Why a file (or a line of it) is as it is: the recorded sessions and file changes that touched it, with the decision before each change and the session goal.',
      inputSchema: {
        file: z.string().min(1).describe('path relative to the repository'),
        line: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe('a line number, to put the changes covering it first'),
        limit: limit.describe('changes to return (default 3)'),
      },
      annotations: { readOnlyHint: true },
    },
    guard((a) => tools.why(a)),
  );
  server.registerTool(
    'handoff',
    {
      description:
        "The handoff of a session: goal, what was done, open todos, modified files, last errors and the next step. Default: this clone's latest session on this git branch.",
      inputSchema: {
        session: z.string().optional().describe('session id or a unique prefix'),
        max_tokens: z.number().int().min(200).max(4000).optional().describe('budget (default 800)'),
      },
      annotations: { readOnlyHint: true },
    },
    guard((a) => tools.handoff(a)),
  );
  server.registerTool(
    'session_cost',
    {
      description: "This session's tokens and cost so far, in total and per agent type.",
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    guard(() => tools.sessionCost()),
  );
  return server;
}

/** Serves on stdin/stdout until the client closes them. */
export async function serveMcp(paths: RepoPaths, version: string): Promise<void> {
  const session = process.env.CLAUDE_CODE_SESSION_ID?.trim() || null;
  const server = createMcpServer(new HistoryTools(paths, session), version);
  await server.connect(new StdioServerTransport());
}
