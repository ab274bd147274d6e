/** What the Action writes: the job summary and the pull request's comment, as Markdown. Pure. */
import type { PhaseInfo } from '../analytics/phases.js';
import type { Review } from '../analytics/review.js';
import { type RangeShare, renderLineShare } from '../attribution/pr-share.js';
import { COST_NOTE, totals, usdText } from '../model/figures.js';
import { BUILTIN_PRICES, type PriceTable } from '../model/pricing.js';
import type { SessionSummary } from '../model/session.js';

/** Finds our comment among a pull request's comments. */
export const COMMENT_MARKER = '<!-- agent-tracking:pr-summary -->';

const usd = (v: number | null, unpriced = 0) => usdText(v, unpriced);
const int = (v: number) => v.toLocaleString('en-US');
/**
 * Text for GitHub: a table cell that stays one cell, and no raw `<...>` (GitHub strips unknown tags,
 * so `<path>` would vanish): `<`, `>` and `&` become entities.
 */
export const cell = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
/** A code span holding any text: fenced by more backticks than it contains, `|` escaped for tables. */
export const code = (s: string) => {
  const text = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const run = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(run + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
};
const plural = (n: number, one: string, many = `${one}s`) => `${int(n)} ${n === 1 ? one : many}`;

/** GitHub's cap on a comment's body (characters; counted here in UTF-8 bytes, never fewer). */
export const COMMENT_LIMIT = 65_536;
const size = (s: string) => Buffer.byteLength(s, 'utf8');

export interface RepoLinks {
  /** The tracking branch's repository on GitHub, e.g. https://github.com/owner/repo; null: not on GitHub (no links). */
  repoUrl: string | null;
  /** What links point into: a commit of the tracking branch (stays valid after an archive prunes the tip) or the branch. */
  branch: string;
}

/** A link into the tracking branch, or null when it is not on GitHub. */
export const folderLink = (links: RepoLinks, dir: string, kind: 'tree' | 'blob' = 'tree'): string | null =>
  links.repoUrl
    ? `${links.repoUrl}/${kind}/${encodeURIComponent(links.branch)}/${dir.split('/').map(encodeURIComponent).join('/')}`
    : null;
const linked = (text: string, url: string | null) => (url ? `[${text}](${url})` : text);

export interface PrFailure {
  /** The tool, and the program of a command (`Bash pytest`). */
  tool: string;
  /** The cause line (model/causes.ts), masked. */
  message: string;
  count: number;
  /** Failures after which the agent's next call of the same kind worked. */
  fixed?: number;
}

export interface PrActivity {
  headRef: string;
  /** The pull request's sessions (shown newest first). */
  sessions: SessionSummary[];
  /** Files changed by agents in those sessions: path -> number of changes. */
  files: Map<string, number>;
  /** Distinct files each session changed (by session id). */
  sessionFiles?: Map<string, number>;
  /** What failed in those sessions: failed tool calls and errors, grouped by tool and first line. */
  failures?: PrFailure[];
  /** The phases of those sessions, with whether each has its review. */
  phases?: Array<{ name: string; reviewed: boolean }>;
  /** How the sessions were matched: by the PR's commits (HEAD inside them) and by the head branch. */
  matchedBy?: { commits: number; branch: number };
  /** The prices the branch reader derived the sessions' figures at. */
  prices?: PriceTable;
  /** The share of the PR's added lines agents wrote (src/attribution/pr-share.ts); absent when unknown. */
  lineShare?: RangeShare | null;
}

const allTokens = (x: { tokens: { input: number; output: number; cacheRead: number; cacheWrite: number } }) =>
  x.tokens.input + x.tokens.output + x.tokens.cacheRead + x.tokens.cacheWrite;

/**
 * The sticky comment: one line of totals, what failed, a link to the phase review, a row per session
 * (newest first) with a link to its folder, the files. Always within GitHub's 65,536 characters: the
 * rows and files that do not fit are counted in an "and N more" line with a link to the branch.
 */
export function renderPrComment(a: PrActivity, links: RepoLinks, limit = COMMENT_LIMIT): string {
  const prices = a.prices ?? BUILTIN_PRICES;
  const t = totals(a.sessions, prices);
  const head = [COMMENT_MARKER, `### Agent activity on ${code(a.headRef)}`, ''];
  if (a.sessions.length === 0) {
    head.push(
      'No Claude Code session recorded on this branch yet (sessions appear here once `agent-track push` shares them).',
    );
    return `${head.join('\n')}\n`;
  }
  const changes = [...a.files.values()].reduce((x, n) => x + n, 0);
  head.push(
    [
      plural(t.sessions, 'session'),
      plural(t.agents, 'subagent'),
      `${plural(t.toolCalls, 'tool call')} (${int(t.toolFailures)} failed${t.toolRejected ? `, ${int(t.toolRejected)} declined by the person` : ''}${t.toolDenied ? `, ${int(t.toolDenied)} denied by a rule` : ''})`,
      plural(t.errors, 'error'),
      `${plural(a.files.size, 'file')} (${plural(changes, 'change')})`,
      `${int(allTokens(t))} tokens`,
      usd(t.costUsd, t.unpricedTokens),
    ].join(' · '),
  );
  const reviews = (a.phases ?? []).filter((p) => p.reviewed);
  const open = (a.phases ?? []).filter((p) => !p.reviewed);
  if (reviews.length || open.length)
    head.push(
      '',
      [
        ...reviews.map(
          (p) =>
            `Review of ${linked(`phase ${cell(p.name)}`, folderLink(links, `phases/${p.name}/review.md`, 'blob'))}`,
        ),
        ...open.map((p) => `phase ${cell(p.name)}: no review yet (written when the phase ends)`),
      ].join(' · '),
    );
  const failures = (a.failures ?? []).slice(0, 5);
  if (failures.length) {
    head.push(
      '',
      '**What failed**',
      '',
      '| tool | error | times | then worked |',
      '| --- | --- | ---: | ---: |',
    );
    for (const f of failures)
      head.push(
        `| ${cell(f.tool)} | ${code(f.message.slice(0, 160))} | ${int(f.count)} | ${int(f.fixed ?? 0)} |`,
      );
    const more = (a.failures ?? []).length - failures.length;
    if (more > 0) head.push('', `and ${plural(more, 'other failure')}`);
  }
  // who wrote the PR's added lines (src/attribution/pr-share.ts), when the commits are there to tell
  if (a.lineShare) head.push('', ...renderLineShare(a.lineShare).slice(0, -1));
  const tail: string[] = [];
  if (t.unpricedModels.length)
    tail.push(
      '',
      `No price for ${t.unpricedModels.map((m) => code(m)).join(', ')}: ${int(t.unpricedTokens)} tokens are not in the cost.`,
    );
  tail.push(
    '',
    `<sub>Recorded by subagent-tracking on the ${linked('agent-tracking branch', folderLink(links, 'phases'))}; times in UTC. ${COST_NOTE}</sub>`,
  );
  const newest = [...a.sessions].sort(
    (x, y) => (y.started ?? '').localeCompare(x.started ?? '') || x.session.localeCompare(y.session),
  );
  const rows = newest.map((s) => {
    const one = totals([s], prices);
    const files = a.sessionFiles?.get(s.session) ?? one.fileChanges;
    return `| ${linked(cell(s.session.slice(0, 8)), folderLink(links, s.dir))} | ${(s.started ?? '').slice(0, 16).replace('T', ' ')} | ${cell(s.author?.name ?? '')} | ${one.agents} | ${one.toolCalls} | ${one.errors} | ${files} | ${int(allTokens(one))} | ${usd(one.costUsd, one.unpricedTokens)} |`;
  });
  const tableHead = [
    '',
    '| session | started (UTC) | author | subagents | tool calls | errors | files | tokens | cost |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const fileLines = [...a.files]
    .sort((x, y) => x[0].localeCompare(y[0]))
    .map(([file, n]) => `- ${code(file)}${n > 1 ? ` (${n} changes)` : ''}`);
  const where = linked('the agent-tracking branch', folderLink(links, 'phases'));
  // the fixed parts, then as many rows as fit (room kept for the files' summary), then files
  const reserve = 600;
  let used = size(`${[...head, ...tableHead, ...tail].join('\n')}\n`) + reserve;
  const shownRows: string[] = [];
  for (const r of rows) {
    if (used + size(r) + 1 > limit - (fileLines.length ? 2_000 : 0)) break;
    shownRows.push(r);
    used += size(r) + 1;
  }
  const body = [...head, ...tableHead, ...shownRows];
  if (shownRows.length < rows.length)
    body.push('', `and ${plural(rows.length - shownRows.length, 'more session')} (older), on ${where}`);
  if (fileLines.length) {
    const files: string[] = [];
    for (const f of fileLines) {
      if (used + size(f) + 1 > limit) break;
      files.push(f);
      used += size(f) + 1;
    }
    body.push('', `<details><summary>Files changed by agents (${int(a.files.size)})</summary>`, '', ...files);
    if (files.length < fileLines.length)
      body.push('', `and ${plural(fileLines.length - files.length, 'more file')}`);
    body.push('', '</details>');
  }
  return `${[...body, ...tail].join('\n')}\n`;
}

export interface RunReport {
  phases: PhaseInfo[];
  reviews: Review[];
  /** The open phase's review, for its top errors (when no phase was reviewed in this run). */
  current: Review | null;
  endedNow: string | null;
  pr: PrActivity | null;
  commentAction: string | null;
  /** Pull requests whose comment a non-PR run refreshed (the branch moved): number -> what was done. */
  refreshed?: Array<{ number: number; sessions: number; action: string }>;
  /** Why the run failed, and what to do: the summary is written all the same. */
  failure?: string | null;
  /** Said to the reader (a notice worth keeping in the summary), e.g. why DuckDB was not installed. */
  notes?: string[];
  /** The dashboard written in this run. */
  dashboard?: string;
  /** Phases archived to S3 in this run. */
  archived: Array<{ phase: string; url: string; bytes: number }>;
  backup: {
    folder: string;
    phases: string[];
    uploaded: number;
    updated: number;
    unchanged: number;
    removedPhases: string[];
    keptUnarchived: string[];
  } | null;
}

/** The job summary: phases, sessions and cost, what this run reviewed, the top errors. */
export function renderSummary(r: RunReport, links: RepoLinks): string {
  const lines = ['## Agent tracking', ''];
  if (r.failure) lines.push(`> [!CAUTION]`, `> This run failed: ${cell(r.failure)}`, '');
  const sessions = r.phases.reduce((x, p) => x + p.sessions, 0);
  // the phases' costs, each from the one derivation, added in integer units
  const units = r.phases.reduce((x, p) => x + Math.round((p.costUsd ?? 0) * 1e8), 0);
  const unpriced = r.phases.reduce((x, p) => x + (p.unpricedTokens ?? 0), 0);
  const cost = units === 0 && unpriced > 0 ? null : units / 1e8;
  lines.push(
    `${plural(r.phases.length, 'phase')} · ${plural(sessions, 'session')} · ${usd(cost, unpriced)}`,
    '',
  );
  if (r.phases.length) {
    lines.push(
      '| phase | started (UTC) | ended (UTC) | sessions | cost | review |',
      '| --- | --- | --- | ---: | ---: | --- |',
    );
    for (const p of r.phases)
      lines.push(
        `| ${cell(p.name)}${p.current ? ' (current)' : ''} | ${(p.started ?? '').slice(0, 10)} | ${(p.ended ?? '').slice(0, 10)} | ${p.sessions} | ${usd(p.costUsd, p.unpricedTokens)} | ${p.reviewed ? linked('review.md', folderLink(links, `phases/${p.name}/review.md`, 'blob')) : ''} |`,
      );
    lines.push('');
  }
  if (r.endedNow) lines.push(`Ended phase **${cell(r.endedNow)}** (phase policy).`, '');
  if (r.reviews.length)
    lines.push(
      `Reviewed in this run: ${r.reviews.map((v) => `**${cell(v.phase)}** (${plural(v.sessions, 'session')}, ${usd(v.costUsd, v.unpricedTokens)})`).join(', ')}.`,
      '',
    );
  const errorsOf = r.reviews.length ? r.reviews : r.current ? [r.current] : [];
  const errors = errorsOf.flatMap((v) => v.errors.map((e) => ({ ...e, phase: v.phase })));
  if (errors.length) {
    lines.push('### Top errors', '', '| phase | error | count | sessions |', '| --- | --- | ---: | ---: |');
    for (const e of errors.sort((a, b) => b.count - a.count).slice(0, 10))
      lines.push(`| ${cell(e.phase)} | ${code(e.pattern.slice(0, 120))} | ${e.count} | ${e.sessions} |`);
    lines.push('');
  }
  if (r.archived.length || r.backup) {
    lines.push('### Cloud tiers', '');
    for (const a of r.archived)
      lines.push(
        `- archived **${cell(a.phase)}** to ${code(a.url)} (${int(a.bytes)} bytes); pruned from the branch tip`,
      );
    const b = r.backup;
    if (b) {
      lines.push(
        `- Google Drive ${code(`${b.folder}/`)}: ${b.phases.map(cell).join(', ')}: ${plural(b.uploaded, 'file')} uploaded, ${int(b.updated)} updated, ${int(b.unchanged)} unchanged`,
      );
      if (b.removedPhases.length)
        lines.push(`- removed from Drive (verified in S3): ${b.removedPhases.map(cell).join(', ')}`);
      if (b.keptUnarchived.length)
        lines.push(`- kept on Drive, not archived in S3 yet: ${b.keptUnarchived.map(cell).join(', ')}`);
    }
    lines.push('');
  }
  for (const n of r.notes ?? []) lines.push(`- ${cell(n)}`);
  if (r.notes?.length) lines.push('');
  if (r.refreshed?.length) {
    lines.push(
      `Pull request comments: ${r.refreshed.map((x) => `#${x.number} ${x.action} (${plural(x.sessions, 'session')})`).join(', ')}.`,
      '',
    );
  }
  if (r.pr) {
    lines.push(
      `### Pull request branch ${code(r.pr.headRef)}`,
      '',
      `${plural(r.pr.sessions.length, 'session')}${r.commentAction ? `; comment ${r.commentAction}` : ''}.`,
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
