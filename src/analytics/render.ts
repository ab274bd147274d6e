/** review.md: the review as Markdown with Mermaid charts (GitHub renders them). Pure. */
import { COST_NOTE, usdText } from '../model/figures.js';
import type { Review } from './review.js';

/**
 * A table cell's text, GitHub-safe: GitHub drops raw tags (`<n>`, `<path>` would vanish), so `<`, `>`
 * and `&` become entities; `|` cannot end the cell; a line break is a space.
 */
export const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');

/** Labels of a chart's axis, each distinct: a repeated one gets ` (2)`, ` (3)`, … (Mermaid merges equal labels). */
export function distinctLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(labels);
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    if (n === 1) return l;
    let k = n;
    while (taken.has(`${l} (${k})`)) k++;
    const out = `${l} (${k})`;
    taken.add(out);
    return out;
  });
}
const usdOf = (x: number | null | undefined) =>
  x === null || x === undefined ? 'unpriced' : `$${x.toFixed(2)}`;
const short = (id: string) => id.slice(0, 8);
const label = (s: string) => s.replace(/["\n]/g, "'").slice(0, 40);
const pct = (x: number | null) => (x === null ? '' : `${Math.round(x * 1000) / 10}%`);

export function renderReview(
  r: Review,
  sessionCosts: Array<{ started: string; costUsd: number }> = [],
): string {
  const out: string[] = [
    `# Review of ${r.phase}`,
    '',
    `${r.sessions} session${r.sessions === 1 ? '' : 's'}, ${usdText(r.costUsd, r.unpricedTokens)}${r.unpricedModels?.length ? ` (no price for ${r.unpricedModels.join(', ')})` : ''}; tokens: input ${r.tokens.input}, output ${r.tokens.output}, cache read ${r.tokens.cacheRead}, cache write ${r.tokens.cacheWrite}; cache hit ratio ${pct(r.costs.cacheHitRatio)}.`,
  ];
  if (r.previous)
    out.push(
      '',
      `Against ${esc(r.previous.phase)}: ${r.previous.sessions} sessions, ${usdText(r.previous.costUsd)}, tool failure rate ${pct(r.previous.toolFailureRate)}.`,
    );
  const o = r.outcomes;
  if (o) {
    const calls = o.success + o.failed + o.rejected + o.denied + o.interrupted + o.cascaded;
    const spent = r.costs.byOutcome ?? {};
    const part = (n: number, what: string, k: keyof typeof spent) =>
      n ? `${n} ${what}${spent[k] ? ` (${usdOf(spent[k]?.costUsd)})` : ''}` : null;
    const plans = r.tools.find((t) => t.tool === 'ExitPlanMode');
    out.push(
      '',
      `${calls} tool calls: ${
        [
          part(o.failed, 'failed', 'failed'),
          part(o.rejected, 'declined by the person', 'rejected'),
          part(o.denied, 'denied by a permission rule', 'denied'),
          part(o.interrupted, 'interrupted', 'interrupted'),
          part(o.cascaded, 'cancelled after a sibling call failed', 'cascaded'),
        ]
          .filter(Boolean)
          .join(', ') || 'none failed'
      }.${plans?.rejected ? ` The person declined ${plans.rejected} of ${plans.calls} plans.` : ''}`,
    );
  }
  if (r.recommendations.length) {
    out.push('', '## Recommendations', '');
    for (const x of r.recommendations)
      out.push(
        `- ${esc(x.text)} (${esc(x.evidence)})${x.sessions?.length ? `; see ${x.sessions.map((id) => `\`${short(id)}\``).join(', ')}` : ''}`,
      );
  }
  if (r.worked?.length) {
    out.push('', '## What worked', '');
    for (const w of r.worked)
      out.push(
        `- ${esc(w.program ? `${w.tool} \`${w.program}\`` : w.tool)}: "${esc(w.pattern.slice(0, 120))}" fell from ${w.before} to ${w.after}`,
      );
  }
  // which agent CLIs ran the phase's sessions (only shown when more than one did)
  if ((r.costs.byTool ?? []).length > 1) {
    out.push(
      '',
      '## Agent CLIs',
      '',
      '| agent CLI | sessions | tokens | cost USD |',
      '| --- | ---: | ---: | ---: |',
    );
    for (const t of r.costs.byTool ?? [])
      out.push(`| ${t.tool} | ${t.sessions} | ${t.tokens} | ${usdText(t.costUsd)} |`);
  }
  const models = Object.entries(r.costs.byModel).filter(([, v]) => v !== null && v > 0);
  if (models.length) {
    out.push('', '## Cost by model', '', '```mermaid', 'pie showData', '  title Cost by model (USD)');
    for (const [m, v] of models) out.push(`  "${label(m)}" : ${v}`);
    out.push('```');
  }
  out.push(
    '',
    '## Agents',
    '',
    '| agent | runs | failures | median ms | tokens | cost USD |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const a of r.agents)
    out.push(
      `| ${esc(a.type)} | ${a.runs} | ${a.failures} | ${a.medianMs ?? ''} | ${a.tokens} | ${a.costUsd === null ? 'unpriced' : a.costUsd} |`,
    );
  out.push('', '## Tools', '');
  if (r.tools.length) {
    out.push(
      '```mermaid',
      'xychart-beta',
      '  title "Tool failure rate (%)"',
      `  x-axis [${distinctLabels(r.tools.map((t) => label(t.tool)))
        .map((l) => `"${l}"`)
        .join(', ')}]`,
      '  y-axis "failure %" 0 --> 100',
      `  bar [${r.tools.map((t) => Math.round(t.failureRate * 1000) / 10).join(', ')}]`,
      '```',
      '',
    );
  }
  out.push(
    '| tool | calls | failed | failure rate | declined | denied | p50 ms | p95 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const t of r.tools)
    out.push(
      `| ${esc(t.tool)} | ${t.calls} | ${t.failures} | ${pct(t.failureRate)} | ${t.rejected ?? 0} | ${t.denied ?? 0} | ${t.p50Ms ?? ''} | ${t.p95Ms ?? ''} |`,
    );
  if (sessionCosts.length > 1) {
    const ordered = [...sessionCosts].sort((a, b) => a.started.localeCompare(b.started));
    // two sessions started in the same minute keep two points (equal labels collapse into one)
    const labels = distinctLabels(ordered.map((s) => `${s.started.slice(5, 16).replace('T', ' ')}`));
    out.push(
      '',
      '## Cost per session over time (UTC)',
      '',
      '```mermaid',
      'xychart-beta',
      '  title "Cost per session (USD)"',
      `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
      `  line [${ordered.map((s) => s.costUsd).join(', ')}]`,
      '```',
    );
  }
  if (r.errors.length) {
    out.push(
      '',
      '## Error patterns',
      '',
      '| tool | cause | count | sessions | retried, worked | cost | first seen (UTC) | last seen (UTC) |',
      '| --- | --- | ---: | ---: | --- | ---: | --- | --- |',
    );
    for (const e of r.errors)
      out.push(
        `| ${esc(e.program ? `${e.tool} ${e.program}` : e.tool)} | ${esc(e.pattern.slice(0, 120))} | ${e.count} | ${e.sessions} | ${e.retried ?? 0}, ${e.fixed ?? 0} | ${usdOf(e.costUsd)} | ${e.firstSeen.slice(0, 16).replace('T', ' ')} | ${e.lastSeen.slice(0, 16).replace('T', ' ')} |`,
      );
  }
  if (r.costs.topSessions.length) {
    out.push('', '## Most expensive sessions', '');
    for (const s of r.costs.topSessions)
      out.push(
        `- \`${short(s.session)}\`: ${usdText(s.costUsd)}${s.why?.length ? `: ${s.why.join('; ')}` : ''}`,
      );
  }
  const cache = (r.costs.cacheByAgentType ?? []).filter((c) => c.promptTokens > 0);
  if (cache.length) {
    out.push(
      '',
      '## Cache by agent type',
      '',
      '| agent | prompt tokens | cache hit ratio | saving at 80% |',
      '| --- | ---: | ---: | ---: |',
    );
    for (const c of cache)
      out.push(`| ${esc(c.type)} | ${c.promptTokens} | ${pct(c.cacheHitRatio)} | ${usdOf(c.savingsUsd)} |`);
  }
  if (r.costs.cheaperModels.length) {
    out.push('', '## On a cheaper model', '');
    for (const c of r.costs.cheaperModels)
      out.push(
        `- ${esc(c.type)} on ${esc(c.model)}: ${c.costUsd} USD; the same tokens on ${esc(c.cheaperModel)}: ${c.wouldCostUsd} USD`,
      );
  }
  out.push('', `_${COST_NOTE}_`);
  return `${out.join('\n')}\n`;
}
