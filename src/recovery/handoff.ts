/**
 * The handoff: Markdown that lets the next session carry on. Built from the session's events (folded
 * by foldRecovery) and its latest snapshot, within a token budget counted with Claude's tokenizer.
 * The goal, the next step, the last unresolved error, the person's latest refusal, the open todos and
 * the files the session changed are always there; the rest is added by priority while it fits, under
 * the token budget and under Claude Code's 10,000-character cap on a hook's additionalContext.
 * Everything in it comes from the store, which holds only redacted text.
 */
import { many, usdText } from '../model/figures.js';
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
  /** How the CLI is run in this project, for the commands the handoff names (default `agent-track`). */
  cli?: string;
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

/** Claude Code cuts a hook's additionalContext at 10,000 characters: stay under with room to spare. */
export const MAX_CHARS = 9_500;

const clip = (s: string, max: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
};
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

type ErrorRecord = RecoveryState['errors'][number];

/** The last failure no later call of the same kind fixed (a refusal is the person's choice, not an error). */
export function lastUnresolved(state: RecoveryState): ErrorRecord | null {
  return state.errors.filter((e) => e.outcome === 'failed' && !e.resolved).at(-1) ?? null;
}

const declined = (e: ErrorRecord) =>
  `${e.tool} ${code(clip(e.target, 120))}${e.outcome === 'interrupted' ? ' was interrupted by the person' : ' was declined by the person'}${e.said ? `, who said: "${clip(e.said, 400)}"` : ' (no reason given)'}`;

/**
 * The step that follows: the person's latest word first (a prompt, or what they said when declining
 * a call), then the agent's final message, a failure still unresolved since the last prompt, the
 * open todos.
 */
export function nextStep(state: RecoveryState): string[] {
  const lines: string[] = [];
  const since = state.lastPromptTs ?? '';
  const latest = state.prompts.at(-1);
  if (latest) lines.push(`The person's latest request: ${clip(latest, 600)}`);
  const refusal = state.errors.filter((e) => e.outcome !== 'failed').at(-1);
  if (refusal && refusal.ts >= since)
    lines.push(
      `Then ${declined(refusal)}: ${refusal.said ? 'do what they said' : 'ask them how to proceed'} rather than retry it as it was.`,
    );
  if (state.lastMessage && (state.lastMessageTs ?? '') >= since)
    lines.push(`The agent's last message: ${clip(state.lastMessage, 600)}`);
  const failure = lastUnresolved(state);
  if (failure && failure.ts >= since)
    lines.push(`Still failing: ${failure.tool} ${code(clip(failure.target, 120))} (see Last error).`);
  const doing = state.todos.find((t) => t.status === 'in_progress');
  const pending = state.todos.find((t) => t.status === 'pending');
  if (doing) lines.push(`Continue the todo in progress: ${clip(doing.content, 300)}`);
  else if (pending) lines.push(`Start the next todo: ${clip(pending.content, 300)}`);
  if (!lines.length) lines.push('Check the goal against the work tree and decide what remains.');
  return lines;
}

// ---- decisions: a stated choice, not any text before a tool call ----------------------------------
const CHATTER =
  /^(you'?re (absolutely |completely )?right|great|perfect|excellent|good (catch|point|idea|question)|got it|sure|ok(ay)?|thanks|thank you|interesting|i see|now\b|let me\b|all tests pass)/i;
const CHOICE =
  /\b(instead of|rather than|in favou?r of|i'?(ll| will) (use|go with|keep|switch to)|(we|i) (should|could) use|going with|went with|(i )?(chose|choose|decided|opted|prefer)|the (simplest|safest|cleanest|better|best|right) (fix|way|approach|option) is|better to|trade-?off)\b/i;
/** A choice is the agent's own ("I'll use X instead of Y"), not an observation ("X now takes Y instead of Z"). */
const FIRST_PERSON = /\b(i|i'll|i'm|i've|we|we'll|let's|let me|my|our)\b/i;
const WHY = /\b(because|since|so that|as it|which (avoids|keeps|means)|to avoid|otherwise)\b/i;

/** The sentence(s) of an agent's text that state a choice (and its reason), or null. */
export function statedChoice(text: string): string | null {
  const sentences = text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z`*])/)
    .map((x) => x.replace(/^[-*#\d.\s]+/, '').trim())
    .filter(Boolean);
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i];
    if (!CHOICE.test(s) || !FIRST_PERSON.test(s)) continue;
    if (CHATTER.test(s) && !WHY.test(s)) continue;
    const why = !WHY.test(s) && sentences[i + 1] && WHY.test(sentences[i + 1]) ? ` ${sentences[i + 1]}` : '';
    return clip(`${s}${why}`, 320);
  }
  return null;
}

// ---- files: what this session changed, relative to the repository ----------------------------------
/** Files init writes: they are not the session's work. */
const OWN_FILES = [
  /^\.agent-tracking\.yml$/,
  /^\.github\/workflows\/agent-tracking\.yml$/,
  /^\.claude\/commands\/agent-track\//,
  /^\.claude\/settings(\.local)?\.json$/,
];

export function relativePath(p: string, cwd: string | null): string {
  const n = p.replace(/\\/g, '/');
  const root = cwd?.replace(/\\/g, '/').replace(/\/+$/, '');
  if (root && n.startsWith(`${root}/`)) return n.slice(root.length + 1);
  return n;
}

/**
 * Text as the next person reads it: the recording machine's paths made relative to the repository
 * (its folder dropped), and its home folder said as `~` elsewhere.
 */
export function localText(text: string, cwd: string | null): string {
  const root = cwd?.replace(/\\/g, '/').replace(/\/+$/, '');
  if (!root) return text;
  let out = text.split(`${root}/`).join('').split(root).join('.');
  const home = /^(\/Users\/[^/]+|\/home\/[^/]+)(?=\/|$)/.exec(root)?.[1];
  if (home) out = out.split(`${home}/`).join('~/');
  return out;
}

/** Claude Code's own files (plans, memory under ~/.claude): not the session's work on the repository. */
const CLAUDE_OWN = /(^|\/)\.claude\/(plans|projects|todos|memory)\//;

function localState(state: RecoveryState, cwd: string | null): RecoveryState {
  const l = (t: string) => localText(t, cwd);
  const ln = (t: string | null) => (t === null ? null : l(t));
  return {
    ...state,
    goal: ln(state.goal),
    prompts: state.prompts.map(l),
    lastMessage: ln(state.lastMessage),
    todos: state.todos.map((t) => ({ ...t, content: l(t.content) })),
    errors: state.errors.map((e) => ({
      ...e,
      target: l(e.target),
      message: l(e.message),
      output: l(e.output),
      said: ln(e.said),
      tried: ln(e.tried),
    })),
    agents: state.agents.map((a) => ({ ...a, task: ln(a.task), outcome: ln(a.outcome) })),
    rationales: state.rationales.map((r) => ({ ...r, text: l(r.text) })),
    decisions: state.decisions.map((d) => ({ ...d, what: l(d.what), why: ln(d.why) })),
  };
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
  const { summary, snapshot } = input;
  const cwd = summary.cwd;
  const state = localState(input.state, cwd);
  const cli = input.cli ?? 'agent-track';
  const status =
    input.status ?? (state.ended || summary.imported ? 'ended' : input.crashed ? 'crashed' : 'running');

  const fileMap = new Map<string, string>();
  for (const f of state.files) fileMap.set(relativePath(f.path, cwd), f.operation);
  // the snapshot's git status says how each file stands now, for the files this session changed
  // only: the work tree also holds changes made before it
  for (const f of snapshot?.files ?? []) {
    const p = relativePath(f.path, cwd);
    if (fileMap.has(p)) fileMap.set(p, f.status);
  }
  for (const p of [...fileMap.keys()]) {
    if (OWN_FILES.some((r) => r.test(p)) || (p.startsWith('/') && CLAUDE_OWN.test(p))) fileMap.delete(p);
    // one file seen from a subfolder the agent had cd'ed into: keep its path from the repository
    else if ([...fileMap.keys()].some((q) => q !== p && q.endsWith(`/${p}`))) fileMap.delete(p);
  }
  for (const [p, op] of [...fileMap]) {
    const shown = localText(p, cwd);
    if (shown !== p) {
      fileMap.delete(p);
      fileMap.set(shown, op);
    }
  }

  const when = [
    summary.branch ? `on branch ${code(summary.branch)}` : null,
    summary.started ? `started ${summary.started}` : null,
    state.lastActivity ? `last activity ${state.lastActivity}` : null,
  ].filter(Boolean);
  const head = [
    `# Handoff: session ${summary.session.slice(0, 8)} (${status})`,
    '',
    `Recorded by agent-track${when.length ? `, ${when.join(', ')}` : ''}.`,
  ];
  if (fileMap.size)
    head.push(
      'The files under "Modified files" were changed by this session: read them before redoing any work.',
    );
  if (snapshot)
    head.push(
      `Latest snapshot ${code(snapshot.id)} (${snapshot.trigger}, ${snapshot.ts}) at HEAD ${code((snapshot.git.head ?? '?').slice(0, 12))}; \`${cli} restore ${snapshot.id} --worktree PATH\` lays it back elsewhere.`,
    );

  // always kept
  const goal: Section = {
    title: 'Goal',
    lines: [clip(state.goal ?? summary.firstPrompt ?? '(no prompt recorded)', 1500)],
  };
  const next: Section = { title: 'Next step', lines: nextStep(state).map((l) => `- ${l}`) };
  const failure = lastUnresolved(state);
  const last: Section = {
    title: 'Last error',
    lines: failure
      ? [
          `${failure.tool} ${code(clip(failure.target, 160))} failed${failure.tried ? `; tried next: ${code(clip(failure.tried, 160))}` : ''}:`,
          '```',
          failure.output.replace(/```/g, '` ` `'),
          '```',
        ]
      : [],
  };
  const choices: Section = { title: 'Declined by the person', lines: [] };
  const refusals = state.errors.filter((e) => e.outcome !== 'failed');
  if (refusals.length) choices.lines.push(`- ${declined(refusals.at(-1)!)}`);
  const open = state.todos.filter((t) => t.status !== 'completed');
  const todos: Section = {
    title: 'Open todos',
    lines: open.map((t) => `- [${t.status === 'in_progress' ? 'in progress' : ' '}] ${clip(t.content, 300)}`),
  };
  const files: Section = {
    title: 'Modified files',
    lines: [...fileMap].sort(([a], [b]) => a.localeCompare(b)).map(([p, op]) => `- ${code(p)} (${op})`),
  };

  // added while they fit, in this order of priority
  const agents: Section = { title: 'Subagents', lines: [] };
  const done: Section = { title: 'Done', lines: [] };
  const errors: Section = { title: 'Earlier errors and what was tried', lines: [] };
  const decisions: Section = { title: 'Decisions', lines: [] };
  const prompts: Section = { title: 'Earlier prompts (oldest first)', lines: [] };
  const totals: Section = { title: 'Totals', lines: [] };
  const candidates: Array<[Section, string]> = [];
  for (const e of refusals.slice(0, -1).reverse()) candidates.push([choices, `- ${declined(e)}`]);
  for (const a of [...state.agents].reverse())
    candidates.push([
      agents,
      `- ${a.type ?? 'agent'}: ${clip(a.task ?? '(no description)', 120)} - ${a.status}${a.outcome ? `: ${clip(a.outcome, 240)}` : ''}`,
    ]);
  for (const t of state.todos.filter((x) => x.status === 'completed').reverse())
    candidates.push([done, `- [x] ${clip(t.content, 200)}`]);
  const errorLine = (e: ErrorRecord) =>
    `- ${e.tool} ${code(clip(e.target, 120))}: ${clip(e.message, 300)}${e.tried ? `; tried next: ${code(clip(e.tried, 160))}` : ''}${e.resolved ? ' (resolved later)' : ''}`;
  const failures = state.errors.filter((e) => e.outcome === 'failed' && e !== failure);
  for (const e of [...failures].reverse()) if (!e.resolved) candidates.push([errors, errorLine(e)]);
  const seen = new Set<string>();
  const decision = (line: string) => {
    const key = line.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push([decisions, line]);
  };
  for (const d of [...state.decisions].reverse())
    decision(
      `- ${clip(d.what, 200)}${d.why ? ` (why: ${clip(d.why, 200)})` : ''}${d.alternatives.length ? ` (rejected: ${d.alternatives.map((x) => clip(x, 60)).join('; ')})` : ''}`,
    );
  for (const r of [...state.rationales].reverse()) {
    const choice = statedChoice(r.text);
    if (choice) decision(`- ${choice}`);
  }
  for (const e of [...failures].reverse()) if (e.resolved) candidates.push([errors, errorLine(e)]);
  const t = summary.tokens;
  candidates.push([
    totals,
    // the session's figures as every surface derives them (model/figures.ts via the summary)
    `- ${many(summary.toolCalls, 'tool call')} (${summary.toolFailures} failed), ${many(summary.agents, 'subagent')}, ${many(summary.errors, 'error')}; tokens in ${t.input}, out ${t.output}, cache read ${t.cacheRead}, cache write ${t.cacheWrite}; cost ${usdText(summary.costUsd, summary.unpricedTokens ?? 0)} (list-price estimate)`,
  ]);
  // the latest prompt is in Next step; the earlier ones go in newest first and are shown oldest first
  const promptLines = state.prompts.slice(0, -1).map((p) => `- ${clip(p, 300)}`);

  const order = [goal, next, last, choices, todos, files, agents, done, errors, decisions, prompts, totals];
  let text = render(head, order);
  // the always-kept part over the character cap (hundreds of files): the list is cut, not the handoff
  if (text.length > MAX_CHARS && files.lines.length > 20) {
    const n = files.lines.length;
    files.lines = [...files.lines.slice(0, 20), `- ... and ${n - 20} more`];
    text = render(head, order);
  }
  let tokens = counter.count(text);
  let dropped = 0;
  const tryAdd = (section: Section, line: string, at: 'end' | 'start') => {
    if (tokens >= budget - 8 || text.length >= MAX_CHARS - 20) {
      dropped++;
      return;
    }
    if (at === 'end') section.lines.push(line);
    else section.lines.unshift(line);
    const nextText = render(head, order);
    const n = counter.count(nextText);
    if (n > budget || nextText.length > MAX_CHARS) {
      if (at === 'end') section.lines.pop();
      else section.lines.shift();
      dropped++;
    } else {
      text = nextText;
      tokens = n;
    }
  };
  for (const [section, line] of candidates.slice(0, 300)) tryAdd(section, line, 'end');
  for (const line of [...promptLines].reverse().slice(0, 50)) tryAdd(prompts, line, 'start');
  dropped += Math.max(0, candidates.length - 300) + Math.max(0, promptLines.length - 50);
  return {
    session: summary.session,
    snapshot: snapshot?.id ?? null,
    markdown: text,
    tokens,
    budget,
    dropped,
  };
}
