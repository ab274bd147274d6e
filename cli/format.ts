/** Plain-text rendering for the terminal. */
import { usdText } from '../src/model/figures.js';
import type { AgentNode } from '../src/model/views.js';

export function table(headers: string[], rows: (string | number)[][], right: number[] = []): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const fmtInt = (n: number) => n.toLocaleString('en-US');
/**
 * A cost as every table shows it: the list-price estimate in USD; `unpriced` where no price covers
 * the tokens (never $0), and a `+ unpriced` mark where only part of them is priced.
 */
export const fmtUsd = (n: number | null, unpricedTokens = 0) => usdText(n, unpricedTokens);
const fmtMs = (ms: number | null) =>
  ms === null ? '' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
const clip = (s: string, n: number) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 3)}...` : one;
};

export function renderTree(node: AgentNode, indent = ''): string[] {
  const lines: string[] = [];
  const head =
    node.agent === 'main'
      ? 'main agent'
      : `${node.agentType ?? 'agent'} ${node.agent}${node.description ? ` — ${node.description}` : ''}${node.parent && node.parent !== 'main' ? ` (launched by ${node.parent})` : ''}`;
  const spend =
    node.tokens.input + node.tokens.output + node.tokens.cacheRead + node.tokens.cacheWrite > 0
      ? `  [${fmtInt(node.tokens.input)} in, ${fmtInt(node.tokens.output)} out, ${fmtInt(node.tokens.cacheRead)} cache read, ${fmtInt(node.tokens.cacheWrite)} cache write: ${fmtUsd(node.costUsd, node.unpricedTokens)}]`
      : '';
  lines.push(`${indent}${head}${spend}`);
  const pad = `${indent}  `;
  if (node.prompt) lines.push(`${pad}task: ${clip(node.prompt, 100)}`);
  for (const item of node.items) {
    const t = ('call' in item ? item.call.ts : item.ts).slice(11, 19);
    if (item.kind === 'tool') {
      const c = item.call;
      const mark =
        c.success === null
          ? '…'
          : c.success
            ? '✓'
            : c.outcome === 'rejected'
              ? '⊘'
              : c.outcome === 'interrupted'
                ? '‖'
                : '✗';
      lines.push(
        `${pad}${t} ${mark} ${c.tool} ${clip(c.summary, 70)}${c.durationMs !== null ? ` (${fmtMs(c.durationMs)})` : ''}`,
      );
      if (c.rationale) lines.push(`${pad}         why: ${clip(c.rationale, 90)}`);
      if (c.error)
        lines.push(
          `${pad}         ${c.outcome === 'rejected' ? 'declined' : c.outcome === 'interrupted' ? 'interrupted' : 'error'}: ${clip(c.error, 90)}`,
        );
      if (c.next) lines.push(`${pad}         then: ${clip(c.next, 90)}`);
    } else if (item.kind === 'file') {
      const added = item.diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).length;
      const removed = item.diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
      lines.push(`${pad}${t} ± ${item.operation} ${item.path} (+${added} -${removed})`);
    } else if (item.kind === 'decision') {
      lines.push(`${pad}${t} ◆ decided: ${clip(item.what, 80)}`);
      if (item.rationale) lines.push(`${pad}         why: ${clip(item.rationale, 90)}`);
      if (item.alternatives.length)
        lines.push(`${pad}         instead of: ${clip(item.alternatives.join('; '), 80)}`);
    } else {
      lines.push(`${pad}${t} ! ${item.tool ?? 'error'}: ${clip(item.message, 90)}`);
    }
  }
  if (node.agent !== 'main' && (node.outcome || node.ended))
    lines.push(`${pad}outcome: ${node.outcome ? clip(node.outcome, 100) : 'ended'}`);
  for (const child of node.children) lines.push(...renderTree(child, pad));
  return lines;
}
