/**
 * The handoff: Markdown that lets the next session carry on. Built from the session's events (folded
 * by foldRecovery) and its latest snapshot, within a token budget counted with Claude's tokenizer.
 * The goal, the open todos, the modified files and the last error are always there; the rest is added
 * by priority while it fits. Everything in it comes from the store, which holds only redacted text.
 */
import { usdText } from '../model/figures.js';
import type { SessionStatus, SessionSummary } from '../model/session.js';
import type { SnapshotRecord } from './snapshot-types.js';
import type { RecoveryState } from './state.js';
import type { TokenCounter } from './tokens.js';

export interface HandoffInput {
  summary: SessionSummary;
  state: RecoveryState;
  snapshot: SnapshotRecord | null;
  crashed: boolean;
  /** The one status (model/session.ts), where the caller judged it; else from the events. */
  status?: SessionStatus;
}

export interface Handoff {
  session: string;
  snapshot: string | null;
  markdown: string;
  tokens: number;
  budget: number;
  /** Items left out to stay within the budget. */
  dropped: number;
}

const clip = (s: string, max: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
};
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** The step that follows from the state: the todo in progress, a failure to fix, the next todo. */
export function nextStep(state: RecoveryState): string {
  const doing = state.todos.find((t) => t.status === 'in_progress');
  if (doing) return `Continue the todo in progress: ${clip(doing.content, 300)}`;
  const last = state.errors.at(-1);
  if (last && !last.resolved)
    return `Fix the last failure: ${last.tool} ${code(clip(last.target, 120))} failed (${clip(last.message, 200)})`;
  const pending = state.todos.find((t) => t.status === 'pending');
  if (pending) return `Start the next todo: ${clip(pending.content, 300)}`;
  if (state.lastMessage) return `Pick up from the last answer: ${clip(state.lastMessage, 400)}`;
  return 'Check the goal against the work tree and decide what remains.';
}

interface Section {
  title: string;
  lines: string[];
}

function render(head: string[], sections: Section[]): string {
  const out = [...head];
  for (const s of sections) if (s.lines.length) out.push('', `## ${s.title}`, ...s.lines);
  return `${out.join('\n')}\n`;
}

export function buildHandoff(input: HandoffInput, counter: TokenCounter, budget = 2000): Handoff {
  const { summary, state, snapshot } = input;
  const status =
    input.status ?? (state.ended || summary.imported ? 'ended' : input.crashed ? 'crashed' : 'running');
  const head = [
    `# Handoff: session ${summary.session.slice(0, 8)} (${status})`,
    '',
    `Recorded by subagent-tracking. Branch ${code(summary.branch ?? '?')}, started ${summary.started ?? '?'}, last activity ${state.lastActivity ?? '?'}.`,
    'The files below are already changed in the work tree: read them before redoing any work.',
  ];
  if (snapshot)
    head.push(
      `Latest snapshot ${code(snapshot.id)} (${snapshot.trigger}, ${snapshot.ts}) at HEAD ${code((snapshot.git.head ?? '?').slice(0, 12))}; \`agent-track restore ${snapshot.id} --worktree PATH\` lays it back elsewhere.`,
    );

  // always kept
  const goal: Section = {
    title: 'Goal',
    lines: [clip(state.goal ?? summary.firstPrompt ?? '(no prompt recorded)', 1500)],
  };
  const open = state.todos.filter((t) => t.status !== 'completed');
  const todos: Section = {
    title: 'Open todos',
    lines: open.map((t) => `- [${t.status === 'in_progress' ? 'in progress' : ' '}] ${clip(t.content, 300)}`),
  };
  const fileMap = new Map<string, string>();
  for (const f of state.files) fileMap.set(f.path, f.operation);
  for (const f of snapshot?.files ?? []) fileMap.set(f.path, f.status);
  const files: Section = {
    title: 'Modified files',
    lines: [...fileMap].sort(([a], [b]) => a.localeCompare(b)).map(([p, op]) => `- ${code(p)} (${op})`),
  };
  const lastError = state.errors.at(-1);
  const errorLine = (e: RecoveryState['errors'][number]) =>
    `- ${e.tool} ${code(clip(e.target, 120))}: ${clip(e.message, 300)}${e.tried ? `; tried next: ${code(clip(e.tried, 160))}` : ''}${e.resolved ? ' (resolved later)' : ''}`;
  const last: Section = { title: 'Last error', lines: lastError ? [errorLine(lastError)] : [] };
  const next: Section = { title: 'Next step', lines: [nextStep(state)] };

  // added while they fit, in this order of priority
  const agents: Section = { title: 'Subagents', lines: [] };
  const done: Section = { title: 'Done', lines: [] };
  const errors: Section = { title: 'Earlier errors and what was tried', lines: [] };
  const decisions: Section = { title: 'Decisions', lines: [] };
  const prompts: Section = { title: 'Later prompts', lines: [] };
  const totals: Section = { title: 'Totals', lines: [] };
  const candidates: Array<[Section, string]> = [];
  for (const a of [...state.agents].reverse())
    candidates.push([
      agents,
      `- ${a.type ?? 'agent'}: ${clip(a.task ?? '(no description)', 120)} - ${a.status}${a.outcome ? `: ${clip(a.outcome, 240)}` : ''}`,
    ]);
  for (const t of state.todos.filter((x) => x.status === 'completed').reverse())
    candidates.push([done, `- [x] ${clip(t.content, 200)}`]);
  for (const e of state.errors.slice(0, -1).reverse())
    if (!e.resolved) candidates.push([errors, errorLine(e)]);
  for (const d of [...state.decisions].reverse())
    candidates.push([
      decisions,
      `- ${clip(d.what, 200)}${d.why ? ` (why: ${clip(d.why, 200)})` : ''}${d.alternatives.length ? ` (rejected: ${d.alternatives.map((x) => clip(x, 60)).join('; ')})` : ''}`,
    ]);
  for (const r of state.rationales.slice(-5).reverse())
    candidates.push([decisions, `- before ${r.tool}: ${clip(r.text, 200)}`]);
  for (const p of [...state.prompts].reverse()) candidates.push([prompts, `- ${clip(p, 300)}`]);
  for (const e of state.errors.slice(0, -1).reverse())
    if (e.resolved) candidates.push([errors, errorLine(e)]);
  const t = summary.tokens;
  candidates.push([
    totals,
    // the session's figures as every surface derives them (model/figures.ts via the summary)
    `- ${summary.toolCalls} tool calls (${summary.toolFailures} failed), ${summary.agents} subagents, ${summary.errors} errors; tokens in ${t.input}, out ${t.output}, cache read ${t.cacheRead}, cache write ${t.cacheWrite}; cost ${usdText(summary.costUsd, summary.unpricedTokens ?? 0)} (list-price estimate)`,
  ]);

  const order = [goal, todos, next, last, files, agents, done, errors, decisions, prompts, totals];
  let tokens = counter.count(render(head, order));
  let dropped = 0;
  for (const [section, line] of candidates.slice(0, 300)) {
    if (tokens >= budget - 8) {
      dropped++;
      continue;
    }
    section.lines.push(line);
    const n = counter.count(render(head, order));
    if (n > budget) {
      section.lines.pop();
      dropped++;
    } else tokens = n;
  }
  const markdown = render(head, order);
  dropped += Math.max(0, candidates.length - 300);
  return { session: summary.session, snapshot: snapshot?.id ?? null, markdown, tokens, budget, dropped };
}
