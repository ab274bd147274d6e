/** review.md: the review as Markdown with Mermaid charts (GitHub renders them). Pure. */
import { COST_NOTE, usdText } from '../model/figures.js';
import type { Review } from './review.js';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
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
      `Against ${r.previous.phase}: ${r.previous.sessions} sessions, ${usdText(r.previous.costUsd)}, tool failure rate ${pct(r.previous.toolFailureRate)}.`,
    );
  if (r.recommendations.length) {
    out.push('', '## Recommendations', '');
    for (const x of r.recommendations) out.push(`- ${x.text} (${x.evidence})`);
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
      `  x-axis [${r.tools.map((t) => `"${label(t.tool)}"`).join(', ')}]`,
      '  y-axis "failure %" 0 --> 100',
      `  bar [${r.tools.map((t) => Math.round(t.failureRate * 1000) / 10).join(', ')}]`,
      '```',
      '',
    );
  }
  out.push(
    '| tool | calls | failures | failure rate | p50 ms | p95 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const t of r.tools)
    out.push(
      `| ${esc(t.tool)} | ${t.calls} | ${t.failures} | ${pct(t.failureRate)} | ${t.p50Ms ?? ''} | ${t.p95Ms ?? ''} |`,
    );
  if (sessionCosts.length > 1) {
    out.push(
      '',
      '## Cost per session over time',
      '',
      '```mermaid',
      'xychart-beta',
      '  title "Cost per session (USD)"',
      `  x-axis [${sessionCosts.map((s) => `"${s.started.slice(5, 16).replace('T', ' ')}"`).join(', ')}]`,
      `  line [${sessionCosts.map((s) => s.costUsd).join(', ')}]`,
      '```',
    );
  }
  if (r.errors.length) {
    out.push(
      '',
      '## Error patterns',
      '',
      '| pattern | count | sessions | first seen | last seen |',
      '| --- | ---: | ---: | --- | --- |',
    );
    for (const e of r.errors)
      out.push(
        `| ${esc(e.pattern.slice(0, 120))} | ${e.count} | ${e.sessions} | ${e.firstSeen.slice(0, 16)} | ${e.lastSeen.slice(0, 16)} |`,
      );
  }
  if (r.costs.topSessions.length) {
    out.push('', '## Most expensive sessions', '');
    for (const s of r.costs.topSessions) out.push(`- ${s.session.slice(0, 8)}: ${usdText(s.costUsd)}`);
  }
  if (r.costs.cheaperModels.length) {
    out.push('', '## On a cheaper model', '');
    for (const c of r.costs.cheaperModels)
      out.push(
        `- ${c.type} on ${c.model}: ${c.costUsd} USD; the same tokens on ${c.cheaperModel}: ${c.wouldCostUsd} USD`,
      );
  }
  out.push('', `_${COST_NOTE}_`);
  return `${out.join('\n')}\n`;
}
