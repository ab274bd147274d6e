/**
 * Parity: the same session gives the same figures on every surface, captured live and imported from
 * its transcripts. Two sessions: the recorded sprint (test/fixtures/sprint) and a new one run here with
 * the real Claude Code CLI against the scripted API (a main agent on Sonnet launching two subagents on
 * Haiku, one of them a custom agent defined in .claude/agents/, an Edit refused before a Read, a Bash
 * failing with exit 3). Each is recorded live (hooks as `init` installs them, then `flush`) and imported
 * into a fresh repository; every surface is read on both and each figure is compared across all of
 * them: one table a session, printed, and the test fails on any cell that disagrees.
 *
 * Claude Code's own `-p --output-format json` result is a row of the new session's table: its
 * `total_cost_usd` and `modelUsage` are the ground truth for tokens and cost.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMENT_MARKER, renderPrComment, renderSummary } from '../../src/action/report.js';
import { makeClaudeHome, runClaude } from '../lib/claude.js';
import {
  cleanupTmp,
  FIXTURE,
  flushNow,
  git,
  makeRepo,
  recordSprint,
  SPRINT_SESSION,
  tmpDir,
  track,
} from '../lib/cli.js';
import { type Script, startFakeAnthropic } from '../lib/fake-anthropic.js';

afterAll(cleanupTmp);

// ---------------------------------------------------------------------------------------------------
// figures, as each surface gives them

/** A figure as a surface states it: money may be printed rounded (digits), everything else exactly. */
type Cell = { v: number | string; digits?: number };
type Figures = Record<string, Cell>;
interface Row {
  surface: string;
  figures: Figures;
}

const FIGURES = [
  'input',
  'output',
  'cacheRead',
  'cacheWrite',
  'tokens',
  'costUsd',
  'toolCalls',
  'toolFailures',
  'errors',
  'subagents',
  'fileChanges',
  'status',
] as const;

const n = (v: unknown) => (v === null || v === undefined ? Number.NaN : Number(v));
const money = (v: unknown, digits = 8): Cell => ({ v: n(v), digits });
const exact = (v: unknown): Cell => ({ v: typeof v === 'string' ? v : n(v) });
const sumOf = <T>(xs: T[], f: (x: T) => unknown) => xs.reduce((a, x) => a + n(f(x)), 0);
const sumMoney = <T>(xs: T[], f: (x: T) => unknown) =>
  xs.reduce((a, x) => a + Math.round(n(f(x)) * 1e8), 0) / 1e8;

function tokenCells(t: {
  input: unknown;
  output: unknown;
  cacheRead: unknown;
  cacheWrite: unknown;
}): Figures {
  const [input, output, cacheRead, cacheWrite] = [t.input, t.output, t.cacheRead, t.cacheWrite].map(n);
  return {
    input: exact(input),
    output: exact(output),
    cacheRead: exact(cacheRead),
    cacheWrite: exact(cacheWrite),
    tokens: exact(input + output + cacheRead + cacheWrite),
  };
}

/** Per agent type (or per model, with prefix `model:`): total tokens and cost, as `tokens[key]` and `costUsd[key]`. */
const byModel = (rows: Array<{ type: string; tokens: number; costUsd: unknown }>, digits = 8) =>
  byType(rows, digits, 'model:');
function byType(
  rows: Array<{ type: string; tokens: number; costUsd: unknown }>,
  digits = 8,
  prefix = '',
): Figures {
  const acc = new Map<string, { tokens: number; units: number }>();
  for (const r of rows) {
    const a = acc.get(r.type) ?? { tokens: 0, units: 0 };
    a.tokens += r.tokens;
    a.units += Math.round(n(r.costUsd) * 1e8);
    acc.set(r.type, a);
  }
  const out: Figures = {};
  for (const [type, a] of acc) {
    out[`tokens[${prefix}${type}]`] = exact(a.tokens);
    out[`costUsd[${prefix}${type}]`] = money(a.units / 1e8, digits);
  }
  return out;
}

const total4 = (t: any) => n(t?.input) + n(t?.output) + n(t?.cacheRead) + n(t?.cacheWrite);

function json(repo: string, args: string[]): any {
  const r = track(repo, args);
  if (r.status !== 0) throw new Error(`agent-track ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function sql(repo: string, q: string): any[] {
  return json(repo, ['query', q, '--json']);
}

/** Every surface of `repo` for `session` (one session on the branch), in the order they are read. */
function surfaces(repo: string, session: string): Row[] {
  const rows: Row[] = [];
  const add = (surface: string, figures: Figures) => rows.push({ surface, figures });

  // stats
  const stats = json(repo, ['stats', '--json']);
  add('stats --json', {
    ...tokenCells(stats.tokens),
    costUsd: money(stats.costUsd),
    toolCalls: exact(stats.toolCalls),
    toolFailures: exact(stats.toolFailures),
    errors: exact(stats.errors),
    subagents: exact(stats.agents),
    fileChanges: exact(stats.fileChanges),
    ...byModel(
      Object.entries(stats.byModel ?? {}).map(([model, x]: [string, any]) => ({
        type: model,
        tokens: total4(x.tokens),
        costUsd: x.costUsd,
      })),
    ),
  });
  for (const by of ['session', 'agent', 'model', 'day']) {
    const r = json(repo, ['stats', '--by', by, '--json']);
    const rowsOf = r.rows as any[];
    add(`stats --by ${by} (rows)`, {
      input: exact(sumOf(rowsOf, (x) => x.tokens.input)),
      output: exact(sumOf(rowsOf, (x) => x.tokens.output)),
      cacheRead: exact(sumOf(rowsOf, (x) => x.tokens.cacheRead)),
      cacheWrite: exact(sumOf(rowsOf, (x) => x.tokens.cacheWrite)),
      tokens: exact(sumOf(rowsOf, (x) => total4(x.tokens))),
      costUsd: money(sumMoney(rowsOf, (x) => x.costUsd)),
      ...(by === 'agent'
        ? byType(rowsOf.map((x) => ({ type: x.key, tokens: total4(x.tokens), costUsd: x.costUsd })))
        : {}),
      ...(by === 'model'
        ? byModel(rowsOf.map((x) => ({ type: x.key, tokens: total4(x.tokens), costUsd: x.costUsd })))
        : {}),
    });
    add(`stats --by ${by} (totals)`, {
      ...tokenCells(r.totals.tokens),
      costUsd: money(r.totals.costUsd),
      toolCalls: exact(r.totals.toolCalls),
      toolFailures: exact(r.totals.toolFailures),
      errors: exact(r.totals.errors),
      subagents: exact(r.totals.agents),
      fileChanges: exact(r.totals.fileChanges),
    });
  }

  // sessions
  const list = json(repo, ['sessions', '--json']) as any[];
  const s = list.find((x) => x.session === session);
  if (!s) throw new Error(`sessions --json has no ${session}: ${JSON.stringify(list.map((x) => x.session))}`);
  add('sessions --json', {
    ...tokenCells(s.tokens),
    costUsd: money(s.costUsd),
    toolCalls: exact(s.toolCalls),
    toolFailures: exact(s.toolFailures),
    errors: exact(s.errors),
    subagents: exact(s.agents),
    fileChanges: exact(s.fileChanges),
    status: exact(s.status),
  });

  // show: its figures, its summary, and the agent tree
  const show = json(repo, ['show', session, '--json']);
  add('show --json figures', {
    ...tokenCells(show.figures.tokens),
    costUsd: money(show.figures.costUsd),
    toolCalls: exact(show.figures.toolCalls),
    toolFailures: exact(show.figures.toolFailures),
    errors: exact(show.figures.errors),
    subagents: exact(show.figures.agents),
    fileChanges: exact(show.figures.fileChanges),
    status: exact(show.session.status),
  });
  const nodes: any[] = [];
  const walk = (node: any) => {
    nodes.push(node);
    for (const c of node.children ?? []) walk(c);
  };
  walk(show.tree);
  const calls = nodes.flatMap((x) =>
    (x.items ?? []).filter((i: any) => i.kind === 'tool').map((i: any) => i.call),
  );
  add('show --json tree', {
    input: exact(sumOf(nodes, (x) => x.tokens.input)),
    output: exact(sumOf(nodes, (x) => x.tokens.output)),
    cacheRead: exact(sumOf(nodes, (x) => x.tokens.cacheRead)),
    cacheWrite: exact(sumOf(nodes, (x) => x.tokens.cacheWrite)),
    tokens: exact(sumOf(nodes, (x) => total4(x.tokens))),
    costUsd: money(sumMoney(nodes, (x) => x.costUsd)),
    toolCalls: exact(calls.length),
    toolFailures: exact(calls.filter((c) => c.success === false).length),
    subagents: exact(nodes.length - 1),
    ...byType(nodes.map((x) => ({ type: x.agentType ?? '?', tokens: total4(x.tokens), costUsd: x.costUsd }))),
  });

  // SQL over the views
  const [u] = sql(
    repo,
    'select sum(input_tokens) i, sum(output_tokens) o, sum(cache_read_tokens) r, sum(cache_write_tokens) w, sum(cost_usd) c from usage',
  );
  const uTypes = sql(
    repo,
    'select agent_type t, sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) tokens, sum(cost_usd) c from usage group by 1',
  );
  const uModels = sql(
    repo,
    'select model m, sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) tokens, sum(cost_usd) c from usage group by 1',
  );
  const [tc] = sql(
    repo,
    'select count(*) calls, count(*) filter (where success = false) failures from tool_calls',
  );
  const [er] = sql(repo, 'select count(*) n from errors');
  const [fc] = sql(repo, 'select count(*) n from file_changes');
  const [ag] = sql(repo, 'select count(*) n from agents');
  const [vs] = sql(repo, `select * from sessions where session = '${session}'`);
  add('query usage/tool_calls/errors/file_changes/agents', {
    ...tokenCells({ input: u.i, output: u.o, cacheRead: u.r, cacheWrite: u.w }),
    costUsd: money(u.c, 6),
    toolCalls: exact(tc.calls),
    toolFailures: exact(tc.failures),
    errors: exact(er.n),
    fileChanges: exact(fc.n),
    subagents: exact(ag.n),
    ...byModel(
      uModels.map((x) => ({ type: x.m, tokens: n(x.tokens), costUsd: x.c })),
      6,
    ),
    ...byType(
      uTypes.map((x) => ({ type: x.t ?? '(none)', tokens: n(x.tokens), costUsd: x.c })),
      6,
    ),
  });
  add('query sessions', {
    ...tokenCells({
      input: vs?.input_tokens,
      output: vs?.output_tokens,
      cacheRead: vs?.cache_read_tokens,
      cacheWrite: vs?.cache_write_tokens,
    }),
    costUsd: money(vs?.cost_usd),
    toolCalls: exact(vs?.tool_calls),
    toolFailures: exact(vs?.tool_failures),
    errors: exact(vs?.errors),
    subagents: exact(vs?.agents),
    fileChanges: exact(vs?.file_changes),
    ...(vs && 'status' in vs ? { status: exact(vs.status) } : {}),
  });

  // the dashboard's embedded data (written for the current phase, before it ends)
  const dash = json(repo, ['dashboard', '--json']);
  const html = fs.readFileSync(dash.file, 'utf8');
  const m = html.match(/<script type="application\/json" id="dashboard-data">([\s\S]*?)<\/script>/);
  if (!m) throw new Error('the dashboard has no embedded data');
  const data = JSON.parse(m[1]);
  const row = (data.sessions as any[]).find((x) => x.session === session);
  add('dashboard sessions', {
    tokens: exact(row?.tokens),
    costUsd: money(row?.costUsd),
    toolCalls: exact(row?.toolCalls),
    toolFailures: exact(row?.toolFailures),
    errors: exact(row?.errors),
    subagents: exact(row?.agents),
    fileChanges: exact(row?.fileChanges),
  });
  add('dashboard byModel', {
    tokens: exact(sumOf(data.byModel, (x: any) => x.tokens)),
    costUsd: money(sumMoney(data.byModel, (x: any) => x.costUsd)),
    ...byModel(
      (data.byModel as any[]).map((x) => ({ type: x.model, tokens: n(x.tokens), costUsd: x.costUsd })),
    ),
  });
  add('dashboard daily', {
    tokens: exact(sumOf(data.daily, (x: any) => x.tokens)),
    costUsd: money(sumMoney(data.daily, (x: any) => x.costUsd)),
  });
  const lanes: any[] = data.timelines?.[session] ?? [];
  add('dashboard timeline', {
    tokens: exact(sumOf(lanes, (x) => x.tokens)),
    costUsd: money(sumMoney(lanes, (x) => x.costUsd)),
    subagents: exact(lanes.length - 1),
    toolCalls: exact(sumOf(lanes, (x) => (x.items ?? []).filter((i: any) => i.kind === 'tool').length)),
    ...byType(lanes.map((x) => ({ type: x.agentType ?? '?', tokens: n(x.tokens), costUsd: x.costUsd }))),
  });

  // the handoff
  const handoff = json(repo, ['resume', '--session', session, '--json']);
  const t = handoff.markdown.match(
    /- (\d+) tool calls? \(\d+ failed\), (\d+) subagents?, (\d+) errors?; tokens in (\d+), out (\d+), cache read (\d+), cache write (\d+); cost \$([\d.]+)/,
  );
  const heading = handoff.markdown.match(/^# Handoff: session \S+ \(([^)]+)\)/m);
  add('resume --json (handoff)', {
    ...(t
      ? {
          toolCalls: exact(n(t[1])),
          subagents: exact(n(t[2])),
          errors: exact(n(t[3])),
          ...tokenCells({ input: t[4], output: t[5], cacheRead: t[6], cacheWrite: t[7] }),
          costUsd: money(t[8], t[8].split('.')[1]?.length ?? 0),
        }
      : { tokens: exact('no totals line') }),
    status: exact(handoff.crashed ? 'crashed' : (heading?.[1] ?? 'no heading')),
  });

  // the PR comment, rendered from the sessions as the Action gives them
  const files = new Map<string, number>();
  for (const f of sql(repo, 'select path p from file_changes')) files.set(f.p, (files.get(f.p) ?? 0) + 1);
  const comment = renderPrComment(
    { headRef: 'main', sessions: list, files },
    { repoUrl: 'https://github.com/acme/proj', branch: 'agent-tracking' },
  );
  add('PR comment', prCommentFigures(comment, session));

  // the phase review, on the branch, then the job summary over it
  const ended = json(repo, ['phase', 'end', '--json']);
  const review = JSON.parse(git(repo, ['show', `agent-tracking:phases/${ended.ended}/review.json`]));
  const agents = review.agents as any[];
  add('phase end review.json', {
    ...tokenCells(review.tokens),
    costUsd: money(review.costUsd),
    toolCalls: exact(sumOf(review.tools, (x: any) => x.calls)),
    toolFailures: exact(sumOf(review.tools, (x: any) => x.failures)),
    errors: exact(sumOf(review.errors, (x: any) => x.count)),
    subagents: exact(
      sumOf(
        agents.filter((a) => a.type !== 'main'),
        (a) => a.runs,
      ),
    ),
    ...byType(agents.map((a) => ({ type: a.type, tokens: n(a.tokens), costUsd: a.costUsd }))),
  });
  add('phase end review cost by model', {
    costUsd: money(sumMoney(Object.values(review.costs?.byModel ?? {}), (x) => x)),
    ...Object.fromEntries(
      Object.entries(review.costs?.byModel ?? {}).map(([m, c]) => [`costUsd[model:${m}]`, money(c)]),
    ),
  });
  const phases = json(repo, ['phase', 'list', '--json']);
  const summary = renderSummary(
    {
      phases,
      reviews: [review],
      current: null,
      endedNow: null,
      pr: null,
      commentAction: null,
      archived: [],
      backup: null,
    },
    { repoUrl: 'https://github.com/acme/proj', branch: 'agent-tracking' },
  );
  const head = summary.match(/(\d+) phases? · (\d+) sessions? · \$([\d.]+)/);
  const reviewed = summary.match(/Reviewed in this run: \*\*[^*]+\*\* \((\d+) sessions?, \$([\d.]+)\)/);
  add('job summary', {
    costUsd: head ? money(head[3], 2) : exact('no totals line'),
  });
  add('job summary (review line)', { costUsd: reviewed ? money(reviewed[2], 2) : exact('no review line') });
  add('job summary (phase rows)', {
    costUsd: money(sumMoney(phases, (p: any) => p.costUsd)),
  });
  return rows;
}

function prCommentFigures(comment: string, session: string): Figures {
  if (!comment.startsWith(COMMENT_MARKER)) return { status: exact('no marker') };
  const num = (s: string) => Number(s.replace(/,/g, ''));
  const head = comment.match(
    /([\d,]+) sessions? · ([\d,]+) subagents? · ([\d,]+) tool calls? \(([\d,]+) failed\) · ([\d,]+) errors? · ([\d,]+) files? \(([\d,]+) changes?\) · ([\d,]+) tokens · \$([\d.]+)/,
  );
  const row = comment
    .split('\n')
    .find((l) => l.startsWith(`| [${session.slice(0, 8)}]`))
    ?.split('|')
    .map((c) => c.trim());
  // | session | started | author | subagents | tool calls | errors | files | tokens | cost |
  if (!head || !row) return { tokens: exact(`unparsed: ${comment.slice(0, 200)}`) };
  const f: Figures = {
    subagents: exact(num(head[2])),
    toolCalls: exact(num(head[3])),
    toolFailures: exact(num(head[4])),
    errors: exact(num(head[5])),
    fileChanges: exact(num(head[7])),
    tokens: exact(num(head[8])),
    costUsd: money(head[9], head[9].split('.')[1]?.length ?? 0),
  };
  const rowSays = {
    subagents: num(row[4]),
    toolCalls: num(row[5]),
    errors: num(row[6]),
    fileChanges: num(row[7]),
    tokens: num(row[8]),
  };
  for (const [k, v] of Object.entries(rowSays))
    if (k in f && f[k].v !== v) f[k] = exact(`${f[k].v} (row ${v})`);
    else if (!(k in f)) f[k] = exact(v);
  return f;
}

// ---------------------------------------------------------------------------------------------------
// the comparison

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Whether a cell agrees with the reference cell of its column (money compared at the cell's precision). */
function agrees(cell: Cell, ref: Cell): boolean {
  if (typeof cell.v === 'string' || typeof ref.v === 'string') return cell.v === ref.v;
  if (Number.isNaN(cell.v) || Number.isNaN(ref.v)) return false;
  const d = Math.min(cell.digits ?? 8, ref.digits ?? 8);
  if (cell.digits === undefined && ref.digits === undefined) return cell.v === ref.v;
  return round(cell.v, d) === round(ref.v, d);
}

const show = (c: Cell | undefined) =>
  c === undefined
    ? ''
    : typeof c.v === 'string'
      ? c.v
      : c.digits
        ? c.v.toFixed(Math.min(c.digits, 8)).replace(/0+$/, '').replace(/\.$/, '')
        : String(c.v);

/** The table of every surface's figures; cells that disagree with their column's reference are marked. */
function compare(title: string, rows: Row[]): { table: string; disagreements: string[] } {
  const columns = [
    ...FIGURES.filter((f) => rows.some((r) => f in r.figures)),
    ...[...new Set(rows.flatMap((r) => Object.keys(r.figures)))]
      .filter((k) => !(FIGURES as readonly string[]).includes(k))
      .sort(),
  ];
  const disagreements: string[] = [];
  const cells = rows.map((r) =>
    columns.map((col) => {
      const ref = rows.find((x) => col in x.figures)?.figures[col];
      const c = r.figures[col];
      if (c === undefined || ref === undefined) return '';
      if (agrees(c, ref)) return show(c);
      disagreements.push(
        `${r.surface}: ${col} = ${show(c)}, reference (${rows.find((x) => col in x.figures)?.surface}) = ${show(ref)}`,
      );
      return `*${show(c)}*`;
    }),
  );
  // per-type (per-model) columns a surface lacks while it gives others of the same kind: a missing agent
  // type or model is a disagreement
  const group = (col: string) => `${col.split('[')[0]}[${col.includes('[model:') ? 'model:' : ''}`;
  for (const col of columns.filter((c) => c.includes('[')))
    for (const [i, r] of rows.entries())
      if (
        !(col in r.figures) &&
        Object.keys(r.figures).some((k) => k.includes('[') && group(k) === group(col))
      ) {
        disagreements.push(`${r.surface}: ${col} missing`);
        cells[i][columns.indexOf(col)] = '*missing*';
      }
  const header = ['surface', ...columns];
  const body = rows.map((r, i) => [r.surface, ...cells[i]]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (xs: string[]) => xs.map((x, i) => x.padEnd(widths[i])).join(' | ');
  const table = [
    `${title} (*x* = disagrees with the first surface that gives the figure)`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...body.map(line),
  ].join('\n');
  return { table, disagreements };
}

// ---------------------------------------------------------------------------------------------------
// the new session: two models, two subagents (one a custom agent), a refused Edit, a failing Bash

const SCOUT = `---
name: scout
description: Surveys the repository and reports what is there
tools: Bash, Read
model: claude-haiku-4-5
---
You survey the repository and report what you find, in one sentence.
`;

function betaScript(cwd: string): Script {
  const tool = (name: string, input: Record<string, unknown>) => ({ type: 'tool_use' as const, name, input });
  const readme = `${cwd}/README.md`;
  const edit = { file_path: readme, old_string: '# demo', new_string: '# beta', replace_all: false };
  return {
    'MISSION-BETA': [
      {
        at: 0,
        reply: [
          { type: 'text', text: 'A scout on the repository and a scribe on the changelog, in parallel.' },
          tool('Agent', {
            description: 'Survey the repository',
            prompt: 'SUB-SCOUT: list the files of the repository',
            subagent_type: 'scout',
          }),
          tool('Agent', {
            description: 'Write the changelog',
            prompt: 'SUB-SCRIBE: write CHANGES.md',
            subagent_type: 'general-purpose',
            model: 'haiku',
          }),
        ],
        usage: {
          input_tokens: 1200,
          output_tokens: 240,
          cache_read_input_tokens: 3000,
          cache_creation_input_tokens: 500,
        },
      },
      {
        // refused: README.md was never read in this session
        at: 2,
        reply: [{ type: 'text', text: 'Retitling the readme.' }, tool('Edit', edit)],
        usage: {
          input_tokens: 900,
          output_tokens: 130,
          cache_read_input_tokens: 4100,
          cache_creation_input_tokens: 200,
        },
      },
      { at: 3, reply: [tool('Bash', { command: 'exit 3', description: 'Run the failing check' })] },
      { at: 4, reply: [tool('Read', { file_path: readme })] },
      { at: 5, reply: [{ type: 'text', text: 'Now the edit.' }, tool('Edit', edit)] },
      {
        at: 6,
        delayMs: 400,
        reply: [{ type: 'text', text: 'Beta done: README retitled, CHANGES.md written.' }],
      },
    ],
    'SUB-SCOUT': [
      {
        at: 0,
        reply: [
          { type: 'text', text: 'Listing the files.' },
          tool('Bash', { command: 'ls', description: 'List files' }),
        ],
        usage: {
          input_tokens: 700,
          output_tokens: 90,
          cache_read_input_tokens: 1500,
          cache_creation_input_tokens: 100,
        },
      },
      { at: 1, reply: [{ type: 'text', text: 'Scout done: README.md and .claude.' }] },
    ],
    'SUB-SCRIBE': [
      {
        at: 0,
        reply: [
          { type: 'text', text: 'Writing the changelog.' },
          tool('Write', { file_path: `${cwd}/CHANGES.md`, content: '# Changes\n\n- beta\n' }),
        ],
        usage: {
          input_tokens: 650,
          output_tokens: 310,
          cache_read_input_tokens: 1800,
          cache_creation_input_tokens: 120,
        },
      },
      { at: 1, reply: [{ type: 'text', text: 'Scribe done: CHANGES.md written.' }] },
    ],
  };
}

interface Beta {
  live: string;
  imported: string;
  home: string;
  run: Awaited<ReturnType<typeof runClaude>>;
}

async function recordBeta(): Promise<Beta> {
  const live = makeRepo();
  fs.mkdirSync(path.join(live, '.claude', 'agents'), { recursive: true });
  fs.writeFileSync(path.join(live, '.claude', 'agents', 'scout.md'), SCOUT);
  const init = track(live, ['init', '--yes']);
  if (init.status !== 0) throw new Error(`init: ${init.stderr}`);
  git(live, ['add', '-A']);
  git(live, ['commit', '-q', '-m', 'track agents, a scout agent']);
  const home = makeClaudeHome(path.join(path.dirname(live), 'home'));
  const projects = path.join(home, '.claude', 'projects');
  const api = await startFakeAnthropic(betaScript(live), { transcripts: projects });
  let run: Beta['run'];
  try {
    run = await runClaude({
      cwd: live,
      home,
      prompt: 'MISSION-BETA: retitle and document',
      baseUrl: api.url,
    });
  } finally {
    await api.close();
  }
  const f = flushNow(live);
  if (f.status !== 0) throw new Error(`flush: ${f.stderr}`);
  const imported = makeRepo();
  const r = track(imported, ['import', projects, '--json']);
  if (r.status !== 0) throw new Error(`import: ${r.stderr}`);
  return { live, imported, home, run };
}

/** Claude Code's own figures from its `-p --output-format json` result (the ground truth for tokens and cost). */
function claudeResult(result: any): Figures {
  const usage = Object.values(result?.modelUsage ?? {}) as any[];
  return {
    ...tokenCells({
      input: sumOf(usage, (u) => u.inputTokens),
      output: sumOf(usage, (u) => u.outputTokens),
      cacheRead: sumOf(usage, (u) => u.cacheReadInputTokens),
      cacheWrite: sumOf(usage, (u) => u.cacheCreationInputTokens),
    }),
    // Claude Code sums floats; compared to 1e-6 USD
    costUsd: money(result?.total_cost_usd, 6),
    ...byModel(
      Object.entries(result?.modelUsage ?? {}).map(([model, u]: [string, any]) => ({
        type: model,
        tokens:
          n(u.inputTokens) + n(u.outputTokens) + n(u.cacheReadInputTokens) + n(u.cacheCreationInputTokens),
        costUsd: u.costUSD,
      })),
      6,
    ),
  };
}

/** Every transcript file under `dir`. */
function transcripts(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.jsonl'))
    .map((e) => path.join(e.parentPath, e.name));
}

// ---------------------------------------------------------------------------------------------------

describe('parity: every surface, live and imported, gives the same figures', () => {
  let beta: Beta;
  beforeAll(async () => {
    beta = await recordBeta();
  }, 240_000);

  test('the new session ran as scripted, on two models', () => {
    expect(beta.run.status).toBe(0);
    expect(beta.run.result).toMatchObject({
      is_error: false,
      result: 'Beta done: README retitled, CHANGES.md written.',
    });
    expect(Object.keys(beta.run.result.modelUsage).sort()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^claude-sonnet-4-5/),
        expect.stringMatching(/^claude-haiku-4-5/),
      ]),
    );
    expect(fs.readFileSync(path.join(beta.live, 'README.md'), 'utf8')).toBe('# beta\n');
    expect(fs.existsSync(path.join(beta.live, 'CHANGES.md'))).toBe(true);
    // the first Edit was refused in the transcript (is_error), the Bash failed
    const lines = transcripts(path.join(beta.home, '.claude', 'projects')).flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    );
    const errors = lines.flatMap((l) =>
      Array.isArray(l.message?.content)
        ? l.message.content.filter((b: any) => b.type === 'tool_result' && b.is_error)
        : [],
    );
    expect(errors.length).toBe(2);
  });

  test("Claude Code writes a response's lines with growing output counts; the last holds the final one", () => {
    const responses = new Map<string, { file: string; outputs: number[] }>();
    for (const file of transcripts(path.join(beta.home, '.claude', 'projects')))
      for (const l of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
        const d = JSON.parse(l);
        if (d.type !== 'assistant' || !d.message?.usage) continue;
        const key = `${d.message.id}|${d.requestId}`;
        const r = responses.get(key) ?? { file, outputs: [] };
        r.outputs.push(d.message.usage.output_tokens);
        responses.set(key, r);
      }
    const multi = [...responses.values()].filter((r) => r.outputs.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const r of multi) {
      // never shrinking, and the last line is the largest
      for (let i = 1; i < r.outputs.length; i++)
        expect(r.outputs[i]).toBeGreaterThanOrEqual(r.outputs[i - 1]);
      expect(r.outputs.at(-1)).toBe(Math.max(...r.outputs));
    }
    // the subagents' transcripts hold their responses' lines as each block completes: the first line
    // of a two-block response carries message_start's count, below the final one
    const growing = multi.filter((r) => r.outputs[0] < (r.outputs.at(-1) ?? 0));
    expect(growing.map((r) => path.basename(r.file)).every((f) => f.startsWith('agent-'))).toBe(true);
    expect(growing.length).toBe(multi.filter((r) => path.basename(r.file).startsWith('agent-')).length);
    expect(growing.length).toBeGreaterThanOrEqual(2);
  });

  test.each([
    ['the recorded sprint', 'sprint'],
    ['the new session (real Claude Code: two models, a refused Edit, a failing Bash)', 'beta'],
  ])(
    '%s',
    (title, which) => {
      let live: string;
      let imported: string;
      let session: string;
      const extra: Row[] = [];
      if (which === 'sprint') {
        live = makeRepo();
        recordSprint(live);
        imported = makeRepo();
        const r = track(imported, ['import', path.join(FIXTURE, 'transcripts'), '--json']);
        expect(r.status).toBe(0);
        session = SPRINT_SESSION;
      } else {
        ({ live, imported } = beta);
        session = beta.run.result.session_id;
        extra.push({ surface: 'claude -p result (ground truth)', figures: claudeResult(beta.run.result) });
      }
      const tmp = tmpDir('at-parity-');
      const rows = [
        ...extra,
        ...surfaces(live, session).map((r) => ({ ...r, surface: `live: ${r.surface}` })),
        ...surfaces(imported, session).map((r) => ({ ...r, surface: `imported: ${r.surface}` })),
      ];
      const { table, disagreements } = compare(title, rows);
      fs.writeFileSync(path.join(tmp, 'table.txt'), table);
      console.log(
        `${table}\n\n${disagreements.length} disagreements${disagreements.length ? `:\n- ${disagreements.join('\n- ')}` : ''}`,
      );
      if (disagreements.length)
        for (const [name, repo] of [
          ['live', live],
          ['imported', imported],
        ])
          console.log(
            `${name}: tool_calls and errors views\n${track(repo, ['query', 'select agent, tool, tool_use_id, success, id from tool_calls order by tool_use_id']).stdout}\n${track(repo, ['query', 'select agent, source, tool, tool_use_id, id from errors order by tool_use_id']).stdout}`,
          );
      expect(disagreements).toEqual([]);
    },
    240_000,
  );
});
