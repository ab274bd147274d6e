/**
 * `why <file>:<line>`: the chain behind one line. The line and who wrote it (blame), the tool call
 * that wrote it with its diff, the agent and the task it was launched with (the Agent/Task call's
 * description and prompt, and the text its parent wrote before launching it), the decision text
 * before the call, the user's prompt, the session and its handoff, the commit that brought it in.
 */

import { AGENT_TOOLS } from '../capture/events.js';
import type { LineKind } from '../model/attribution.js';
import type { BaseEvent } from '../model/events.js';
import type { Attribution } from './blame.js';
import { GitError, resolveCommit, runGit } from './git.js';

export interface WhyResult {
  file: string;
  line: number;
  text: string;
  kind: LineKind;
  rev: string | null;
  commit: { sha: string; subject: string; author: string; date: string } | null;
  change: {
    id: string;
    tool: string | null;
    toolUseId: string | null;
    operation: string;
    ts: string;
    diff: string | null;
    input: unknown;
  } | null;
  agent: {
    id: string;
    type: string | null;
    model: string | null;
    /** The task it was launched with; null for the main agent. */
    task: {
      description: string | null;
      prompt: string | null;
      launchedBy: string | null;
      toolUseId: string | null;
      decision: string | null;
    } | null;
  } | null;
  decision: string | null;
  prompt: string | null;
  session: {
    id: string;
    started: string | null;
    ended: string | null;
    branch: string | null;
    head: string | null;
    handoffPath: string | null;
    handoff: string | null;
    /** Commits made while it ran; `byAgent`: made by a `git commit` the agent ran. */
    commits: SessionCommit[];
  } | null;
}

export interface SessionCommit {
  sha: string;
  subject: string;
  date: string;
  byAgent: boolean;
}

/**
 * The commits a session made: those committed on any branch (the tracking branch aside) while it ran,
 * and those its agents' `git commit` calls printed (`[main 1a2b3c4] subject`), even when rebased later
 * they keep their time.
 */
export function sessionCommits(
  workTree: string,
  span: { started: string | null; ended: string | null; lastActivity: string | null },
  events: BaseEvent[],
): SessionCommit[] {
  const byAgent = new Set<string>();
  for (const e of events) {
    if (e.type !== 'tool_call' || e.tool !== 'Bash') continue;
    const command = (e.input as { command?: unknown } | null)?.command;
    if (typeof command !== 'string' || !/\bgit\b[^\n]*\bcommit\b/.test(command)) continue;
    const out = JSON.stringify(e.output ?? '');
    for (const m of out.matchAll(/\[[^\]\s]+(?: \([^)]*\))? ([0-9a-f]{7,40})\]/g)) {
      try {
        byAgent.add(runGit(workTree, ['rev-parse', '--verify', '--quiet', `${m[1]}^{commit}`]).trim());
      } catch {
        // gone since (rewritten and collected)
      }
    }
  }
  const out = new Map<string, SessionCommit>();
  // a session still open (or crashed) owns what was committed since it started
  const until = span.ended;
  if (span.started) {
    const rows = runGit(workTree, [
      'log',
      '--exclude=refs/heads/agent-tracking',
      '--exclude=refs/agent-tracking/*',
      '--all',
      '--reverse', // oldest first: commits of the same second keep git's order (the sort below is stable)
      '--format=%H%x00%cI%x00%s',
      `--since=${span.started}`,
      ...(until ? [`--until=${until}`] : []),
    ]);
    for (const r of rows.split('\n').filter(Boolean)) {
      const [sha, date, subject] = r.split('\0');
      out.set(sha, { sha, subject, date, byAgent: byAgent.has(sha) });
    }
  }
  for (const sha of byAgent)
    if (!out.has(sha)) {
      const [date, subject] = runGit(workTree, ['log', '-1', '--format=%cI%x00%s', sha]).trim().split('\0');
      out.set(sha, { sha, subject, date, byAgent: true });
    }
  return [...out.values()].sort((a, b) => a.date.localeCompare(b.date));
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const text = (v: unknown): string | null =>
  typeof v === 'string'
    ? v
    : v && typeof v === 'object' && typeof (v as { head?: unknown }).head === 'string'
      ? `${(v as { head: string }).head}…`
      : null;

/** The latest event matching `pred` at or before `ts`. */
function latestBefore(events: BaseEvent[], ts: string, pred: (e: BaseEvent) => boolean): BaseEvent | null {
  let best: BaseEvent | null = null;
  for (const e of events) if (pred(e) && e.ts <= ts && (!best || e.ts >= best.ts)) best = e;
  return best;
}

export async function whyLine(
  attr: Attribution,
  file: string,
  line: number,
  rev: string | null,
): Promise<WhyResult> {
  const sha = rev ? resolveCommit(attr.paths.workTree, rev) : null;
  const { lines, attributed } = attr.attribute(file, sha);
  const i = lines.findIndex((l) => l.line === line);
  if (i < 0) throw new GitError(`'${file}' has ${lines.length} lines; there is no line ${line}`);
  const a = attributed[i];
  const out: WhyResult = {
    file,
    line,
    text: lines[i].text,
    kind: a.kind,
    rev: sha,
    commit: null,
    change: null,
    agent: null,
    decision: null,
    prompt: null,
    session: null,
  };
  if (a.commit) {
    const [subject, author, date] = runGit(attr.paths.workTree, [
      'log',
      '-1',
      '--format=%s%x00%an%x00%aI',
      a.commit,
    ])
      .trim()
      .split('\0');
    out.commit = { sha: a.commit, subject, author, date };
  }
  const c = a.change;
  if (!c || !attr.branch) return out;
  const summary = await attr.branch.findSession(c.session);
  const events = await attr.branch.events(summary);
  const fc = events.find((e) => e.id === c.id);
  const call = c.toolUseId ? events.find((e) => e.type === 'tool_call' && e.toolUseId === c.toolUseId) : null;
  out.change = {
    id: c.id,
    tool: c.tool,
    toolUseId: c.toolUseId,
    operation: c.operation,
    ts: c.ts,
    diff: text(fc?.diff),
    input: call?.input ?? null,
  };
  const decisionOf = (useId: string | null, agent: string, ts: string): string | null => {
    const own = useId ? events.find((e) => e.type === 'decision' && e.toolUseId === useId) : null;
    const d = own ?? latestBefore(events, ts, (e) => e.type === 'decision' && e.agent === agent);
    return str(d?.rationale) ?? str(d?.text);
  };
  out.decision = decisionOf(c.toolUseId, c.agent, c.ts);
  let task: NonNullable<WhyResult['agent']>['task'] = null;
  if (c.agent !== 'main') {
    const launch = events.find(
      (e) => e.type === 'tool_call' && AGENT_TOOLS.has(String(e.tool)) && e.launchedAgent === c.agent,
    );
    const useId = str(launch?.toolUseId);
    const start = useId ? events.find((e) => e.type === 'tool_start' && e.toolUseId === useId) : null;
    const input = (launch?.input ?? start?.input ?? {}) as Record<string, unknown>;
    const l = (start?.launch ?? {}) as Record<string, unknown>;
    task = {
      description: str(input.description) ?? str(l.description),
      prompt: text(input.prompt) ?? text(l.prompt),
      launchedBy: launch?.agent ?? null,
      toolUseId: useId,
      decision: launch ? decisionOf(useId, launch.agent, launch.ts) : null,
    };
  }
  out.agent = { id: c.agent, type: c.agentType, model: c.model ?? null, task };
  out.prompt = text(latestBefore(events, c.ts, (e) => e.type === 'prompt')?.text) ?? c.prompt ?? null;
  const handoffPath = `${summary.dir}/handoff.md`;
  const handoff = await attr.branch.readFile(handoffPath);
  out.session = {
    id: summary.session,
    started: summary.started ?? null,
    ended: summary.ended ?? null,
    branch: summary.branch ?? null,
    head: summary.head ?? null,
    handoffPath: handoff === null ? null : handoffPath,
    handoff,
    commits: sessionCommits(attr.paths.workTree, summary, events),
  };
  return out;
}
