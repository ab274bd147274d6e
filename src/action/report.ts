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
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const plural = (n: number, one: string, many = `${one}s`) => `${int(n)} ${n === 1 ? one : many}`;

export interface RepoLinks {
  /** e.g. https://github.com/owner/repo */
  repoUrl: string;
  branch: string;
}

export const folderLink = (links: RepoLinks, dir: string) =>
  `${links.repoUrl}/tree/${encodeURIComponent(links.branch)}/${dir.split('/').map(encodeURIComponent).join('/')}`;

export interface PrActivity {
  headRef: string;
  sessions: SessionSummary[];
  /** Files changed by agents in those sessions: path -> number of changes. */
  files: Map<string, number>;
  /** The prices the branch reader derived the sessions' figures at. */
  prices?: PriceTable;
  /** The share of the PR's added lines agents wrote (src/attribution/pr-share.ts); absent when unknown. */
  lineShare?: RangeShare | null;
}

/** The sticky comment: one line of totals, a row per session with a link to its folder, the files. */
export function renderPrComment(a: PrActivity, links: RepoLinks): string {
  const prices = a.prices ?? BUILTIN_PRICES;
  const t = totals(a.sessions, prices);
  const lines = [COMMENT_MARKER, `### Agent activity on \`${cell(a.headRef)}\``, ''];
  if (a.sessions.length === 0) {
    lines.push(
      'No Claude Code session recorded on this branch yet (sessions appear here once `agent-track push` shares them).',
    );
    return `${lines.join('\n')}\n`;
  }
  const all = (x: { tokens: { input: number; output: number; cacheRead: number; cacheWrite: number } }) =>
    x.tokens.input + x.tokens.output + x.tokens.cacheRead + x.tokens.cacheWrite;
  lines.push(
    [
      plural(t.sessions, 'session'),
      plural(t.agents, 'subagent'),
      `${plural(t.toolCalls, 'tool call')} (${int(t.toolFailures)} failed)`,
      plural(t.errors, 'error'),
      plural(a.files.size, 'file'),
      `${int(all(t))} tokens`,
      usd(t.costUsd, t.unpricedTokens),
    ].join(' · '),
    '',
    '| session | started | author | subagents | tool calls | errors | files | tokens | cost |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const s of a.sessions) {
    const one = totals([s], prices);
    lines.push(
      `| [${s.session.slice(0, 8)}](${folderLink(links, s.dir)}) | ${(s.started ?? '').slice(0, 16).replace('T', ' ')} | ${cell(s.author?.name ?? '')} | ${one.agents} | ${one.toolCalls} | ${one.errors} | ${one.fileChanges} | ${int(all(one))} | ${usd(one.costUsd, one.unpricedTokens)} |`,
    );
  }
  if (a.lineShare) lines.push('', ...renderLineShare(a.lineShare).slice(0, -1));
  if (t.unpricedModels.length)
    lines.push(
      '',
      `No price for ${t.unpricedModels.map((m) => `\`${cell(m)}\``).join(', ')}: ${int(t.unpricedTokens)} tokens are not in the cost.`,
    );
  if (a.files.size) {
    lines.push('', `<details><summary>Files changed by agents (${a.files.size})</summary>`, '');
    for (const [file, n] of [...a.files].sort((x, y) => x[0].localeCompare(y[0])))
      lines.push(`- \`${cell(file)}\`${n > 1 ? ` (${n} changes)` : ''}`);
    lines.push('', '</details>');
  }
  lines.push('', `<sub>Recorded by subagent-tracking on the agent-tracking branch. ${COST_NOTE}</sub>`);
  return `${lines.join('\n')}\n`;
}

export interface RunReport {
  phases: PhaseInfo[];
  reviews: Review[];
  /** The open phase's review, for its top errors (when no phase was reviewed in this run). */
  current: Review | null;
  endedNow: string | null;
  pr: PrActivity | null;
  commentAction: string | null;
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
      '| phase | started | ended | sessions | cost | review |',
      '| --- | --- | --- | ---: | ---: | --- |',
    );
    for (const p of r.phases)
      lines.push(
        `| ${cell(p.name)}${p.current ? ' (current)' : ''} | ${(p.started ?? '').slice(0, 10)} | ${(p.ended ?? '').slice(0, 10)} | ${p.sessions} | ${usd(p.costUsd, p.unpricedTokens)} | ${p.reviewed ? `[review.md](${folderLink(links, `phases/${p.name}/review.md`).replace('/tree/', '/blob/')})` : ''} |`,
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
      lines.push(`| ${cell(e.phase)} | \`${cell(e.pattern.slice(0, 120))}\` | ${e.count} | ${e.sessions} |`);
    lines.push('');
  }
  if (r.archived.length || r.backup) {
    lines.push('### Cloud tiers', '');
    for (const a of r.archived)
      lines.push(
        `- archived **${cell(a.phase)}** to \`${cell(a.url)}\` (${int(a.bytes)} bytes); pruned from the branch tip`,
      );
    const b = r.backup;
    if (b) {
      lines.push(
        `- Google Drive \`${cell(b.folder)}/\`: ${b.phases.map(cell).join(', ')}: ${plural(b.uploaded, 'file')} uploaded, ${int(b.updated)} updated, ${int(b.unchanged)} unchanged`,
      );
      if (b.removedPhases.length)
        lines.push(`- removed from Drive (verified in S3): ${b.removedPhases.map(cell).join(', ')}`);
      if (b.keptUnarchived.length)
        lines.push(`- kept on Drive, not archived in S3 yet: ${b.keptUnarchived.map(cell).join(', ')}`);
    }
    lines.push('');
  }
  if (r.pr) {
    lines.push(
      `### Pull request branch \`${cell(r.pr.headRef)}\``,
      '',
      `${plural(r.pr.sessions.length, 'session')}${r.commentAction ? `; comment ${r.commentAction}` : ''}.`,
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
