/**
 * The dashboard's data: one plain object, embedded as JSON in the page (page.ts). Aggregates come from
 * the store through the DuckDB views (duckdb.ts) and the phase reviews (review.ts); each session's agent
 * tree and items from the reader (buildAgentTree); snapshots from recovery. Everything in it is text
 * from the store, already redacted, and untrusted: the page escapes it.
 */
import * as path from 'node:path';
import { openAnalytics } from '../analytics/duckdb.js';
import { listPhases, type PhaseInfo } from '../analytics/phases.js';
import { buildReview, type Review } from '../analytics/review.js';
import {
  agentToolOf,
  breakdown,
  cellsOf,
  spendBy,
  type Totals,
  totals,
  costUsd as usdOf,
} from '../model/figures.js';
import type { SessionSummary } from '../model/session.js';
import { type AgentNode, buildAgentTree } from '../model/views.js';
import { listSnapshots, openBranch } from '../recovery/snapshot.js';
import type { SnapshotFile, SnapshotRecord } from '../recovery/snapshot-types.js';
import type { RepoPaths } from '../store/paths.js';

export interface Lane {
  agent: string;
  agentType: string | null;
  parent: string | null;
  depth: number;
  description: string | null;
  started: string | null;
  ended: string | null;
  outcome: string | null;
  tokens: number;
  costUsd: number | null;
  items: AgentNode['items'];
}

export interface SessionRow {
  session: string;
  /** Its conversation is on the branch: `agent-track continue` resumes it anywhere. */
  conversation: boolean;
  phase: string;
  started: string | null;
  lastActivity: string | null;
  ended: string | null;
  branch: string | null;
  author: string | null;
  models: string[];
  /** The agent CLI the session ran on: claude-code, codex, gemini. */
  agentTool: string;
  firstPrompt: string | null;
  agents: number;
  toolCalls: number;
  toolFailures: number;
  errors: number;
  fileChanges: number;
  tokens: number;
  /** Null: none of its tokens has a price. */
  costUsd: number | null;
  unpricedTokens: number;
  snapshots: number;
  /** Whether its timeline (lanes) is embedded. */
  detailed: boolean;
}

/** A snapshot as the recovery view shows it: lists capped (their full counts kept), no agent outcomes. */
export interface SnapshotView {
  id: string;
  n: number;
  session: string;
  ts: string;
  trigger: SnapshotRecord['trigger'];
  note: string | null;
  git: SnapshotRecord['git'];
  files: Array<Pick<SnapshotFile, 'path' | 'status' | 'redacted' | 'skipped'>>;
  fileCount: number;
  todos: SnapshotRecord['todos'];
  openTodos: number;
  errors: Array<{ tool: string; message: string; tried: string | null }>;
  errorCount: number;
  tokens: number;
  costUsd: number | null;
  /** The folder `restore --worktree` is given: beside the work tree, named after the snapshot. */
  restoreDir: string;
}

const snapshotView = (r: SnapshotRecord, repo: string): SnapshotView => ({
  id: r.id,
  n: r.n,
  session: r.session,
  ts: r.ts,
  trigger: r.trigger,
  note: cut(r.note, 500),
  git: r.git,
  files: r.files
    .slice(0, 100)
    .map((f) => ({ path: f.path, status: f.status, redacted: f.redacted, skipped: f.skipped })),
  fileCount: r.files.length,
  todos: r.todos.slice(0, 50).map((t) => ({ ...t, content: cut(t.content, 300) ?? '' })),
  openTodos: r.todos.filter((t) => t.status !== 'completed').length,
  errors: r.errors
    .slice(0, 10)
    .map((e) => ({ tool: e.tool, message: cut(e.message, 300) ?? '', tried: cut(e.tried, 200) })),
  errorCount: r.errors.length,
  tokens: r.usage.tokens.input + r.usage.tokens.output + r.usage.tokens.cacheRead + r.usage.tokens.cacheWrite,
  costUsd: r.usage.costUsd,
  restoreDir: `../${repo}-${r.id.replace('@', '-')}`,
});

export interface DashboardData {
  generated: string;
  repo: string;
  phase: string | null;
  empty: boolean;
  phases: PhaseInfo[];
  sessions: SessionRow[];
  /** The totals the overview shows, from the one derivation (the page adds nothing up itself). */
  totals: Totals | null;
  /** Cost and tokens per day and model. */
  daily: Array<{ day: string; model: string; costUsd: number | null; tokens: number }>;
  byModel: Array<{ model: string; costUsd: number | null; tokens: number; calls: number }>;
  byAuthor: Array<{ author: string; sessions: number; costUsd: number | null; tokens: number }>;
  reviews: Review[];
  /** session id -> its lanes, depth-first (main first), for the latest sessions within the budget. */
  timelines: Record<string, Lane[]>;
  snapshots: SnapshotView[];
  /** How many sessions have no embedded timeline (the size budget). */
  omittedTimelines: number;
}

export interface DataOptions {
  phase?: string;
  /** Bytes of embedded timelines at most (default 2 MB): the page stays small for thousands of sessions. */
  timelineBudget?: number;
  /** Bytes of snapshot lists (files, todos, errors) at most, newest first (default 500 KB). */
  snapshotBudget?: number;
}

const cut = (s: string | null | undefined, n: number): string | null =>
  s == null ? null : s.length > n ? `${s.slice(0, n)}… (${s.length - n} more characters)` : s;

function lanesOf(root: AgentNode): Lane[] {
  const out: Lane[] = [];
  const walk = (n: AgentNode, depth: number) => {
    out.push({
      agent: n.agent,
      agentType: n.agentType,
      parent: n.parent,
      depth,
      description: cut(n.description, 300),
      started: n.started,
      ended: n.ended,
      outcome: cut(n.outcome, 2000),
      tokens: n.tokens.input + n.tokens.output + n.tokens.cacheRead + n.tokens.cacheWrite,
      costUsd: n.costUsd,
      items: n.items.map((i) => {
        if (i.kind === 'tool')
          return {
            kind: 'tool',
            call: {
              ...i.call,
              error: cut(i.call.error, 2000) ?? undefined,
              rationale: cut(i.call.rationale, 1000) ?? undefined,
            },
          };
        if (i.kind === 'file') return { ...i, diff: cut(i.diff, 20_000) ?? '' };
        if (i.kind === 'error') return { ...i, message: cut(i.message, 2000) ?? '' };
        return { ...i, rationale: cut(i.rationale, 1000) };
      }),
    });
    for (const c of n.children) walk(c, depth + 1);
  };
  walk(root, 0);
  return out;
}

const rowOf = (s: SessionSummary, detailed: boolean): SessionRow => ({
  session: s.session,
  phase: s.phase,
  started: s.started,
  lastActivity: s.lastActivity,
  ended: s.ended,
  branch: s.branch,
  author: s.author?.name ?? null,
  models: s.models,
  agentTool: agentToolOf(s),
  firstPrompt: cut(s.firstPrompt, 200),
  agents: s.agents,
  toolCalls: s.toolCalls,
  toolFailures: s.toolFailures,
  errors: s.errors,
  fileChanges: s.fileChanges,
  tokens: s.tokens.input + s.tokens.output + s.tokens.cacheRead + s.tokens.cacheWrite,
  costUsd: s.costUsd,
  unpricedTokens: s.unpricedTokens ?? 0,
  snapshots: s.snapshots ?? 0,
  conversation: Object.keys(s.transcripts ?? {}).length > 0,
  detailed,
});

/** Gathers the dashboard's data from the store (an empty store gives `empty: true`). */
export async function dashboardData(paths: RepoPaths, opts: DataOptions = {}): Promise<DashboardData> {
  const data: DashboardData = {
    generated: new Date().toISOString(),
    repo: path.basename(paths.workTree),
    phase: opts.phase ?? null,
    empty: true,
    phases: [],
    sessions: [],
    totals: null,
    daily: [],
    byModel: [],
    byAuthor: [],
    reviews: [],
    timelines: {},
    snapshots: [],
    omittedTimelines: 0,
  };
  const branch = await openBranch(paths);
  if (!branch) return data;
  data.phases = await listPhases(paths);
  if (opts.phase && !data.phases.some((p) => p.name === opts.phase))
    throw new Error(`no phase '${opts.phase}' (see \`agent-track phase list\`)`);
  const all = (await branch.sessions()).filter((s) => !opts.phase || s.phase === opts.phase);
  if (!all.length) return data;
  data.empty = false;

  // money and tokens from the one derivation (model/figures.ts), as stats prints them
  const prices = branch.prices;
  data.totals = totals(all, prices);
  const cells = all.flatMap((s) => cellsOf(s));
  const tokensOf = (t: { input: number; output: number; cacheRead: number; cacheWrite: number }) =>
    t.input + t.output + t.cacheRead + t.cacheWrite;
  data.daily = [...spendBy(cells, prices, (c) => `${c.day}\0${c.model}`)]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => ({
      day: k.split('\0')[0],
      model: k.split('\0')[1],
      costUsd: usdOf(v),
      tokens: tokensOf(v.tokens),
    }));
  data.byModel = [...spendBy(cells, prices, (c) => c.model)]
    .map(([model, v]) => ({ model, costUsd: usdOf(v), tokens: tokensOf(v.tokens), calls: v.requests }))
    .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0));
  data.byAuthor = breakdown(all, 'author', prices)
    .map((r) => ({ author: r.key, sessions: r.sessions ?? 0, costUsd: r.costUsd, tokens: r.totalTokens }))
    .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0));
  const db = await openAnalytics(paths, branch);
  try {
    const names = data.phases.map((p) => p.name);
    for (let i = 0; i < names.length; i++) {
      if (opts.phase && names[i] !== opts.phase) continue;
      if (!all.some((s) => s.phase === names[i])) continue;
      data.reviews.push(await buildReview(db, names[i], i > 0 ? names[i - 1] : null, branch));
    }
  } finally {
    db.close();
  }

  // timelines of the latest sessions, newest first, within the byte budget
  const budget = opts.timelineBudget ?? 2_000_000;
  let used = 0;
  const detailed = new Set<string>();
  const newest = [...all].sort((a, b) => (b.lastActivity ?? '').localeCompare(a.lastActivity ?? ''));
  for (const s of newest) {
    const lanes = lanesOf(buildAgentTree(await branch.events(s)));
    const bytes = JSON.stringify(lanes).length;
    if (used + bytes > budget && detailed.size > 0) break;
    used += bytes;
    data.timelines[s.session] = lanes;
    detailed.add(s.session);
  }
  data.omittedTimelines = all.length - detailed.size;
  data.sessions = newest.map((s) => rowOf(s, detailed.has(s.session)));

  for (const s of newest) {
    if (!(s.snapshots ?? 0)) continue;
    for (const r of await listSnapshots(branch, s)) data.snapshots.push(snapshotView(r, data.repo));
  }
  data.snapshots.sort((a, b) => b.ts.localeCompare(a.ts));
  // the newest snapshots keep their lists; older ones, past the budget, their counts and commands
  let snapUsed = 0;
  for (const v of data.snapshots) {
    if (snapUsed > (opts.snapshotBudget ?? 500_000)) {
      v.files = [];
      v.todos = [];
      v.errors = [];
    } else snapUsed += JSON.stringify(v).length;
  }
  return data;
}
