/**
 * What GitHub shows of a Markdown text, for the checks that matter to us (not a full renderer):
 * - raw HTML: GitHub's sanitizer keeps an allowlist of tags and drops the others (so `<n>` or
 *   `<path>` in text vanish), and GFM's tagfilter extension neuters title, textarea, style, xmp,
 *   iframe, noembed, noframes, script and plaintext;
 * - tables: a row whose unescaped `|` count differs from the header's is broken (a `|` inside a
 *   code span splits the cell too, unless escaped);
 * - what a reader sees: code spans and fenced blocks literally, entities and backslash escapes decoded.
 */

import { spawnSync } from 'node:child_process';

/**
 * GitHub's own Markdown parser (cmark-gfm, Debian's package `cmark-gfm`), with the extensions
 * github.com enables, raw HTML passed through as GitHub's pipeline does before its sanitizer; null
 * when it is not installed (the checks below then rely on their own scan alone).
 */
export function renderWithCmarkGfm(md: string): string | null {
  const r = spawnSync(
    'cmark-gfm',
    ['--unsafe', '-e', 'table', '-e', 'tagfilter', '-e', 'autolink', '-e', 'strikethrough', '-e', 'tasklist'],
    { input: md, encoding: 'utf8' },
  );
  return r.status === 0 ? r.stdout : null;
}

/** Tags GitHub's HTML sanitizer lets through (html-pipeline's allowlist, the ones a comment might use). */
const ALLOWED = new Set(
  'a abbr b bdo blockquote br caption cite code dd del details dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p picture pre q rp rt ruby s samp small source span strike strong sub summary sup table tbody td tfoot th thead time tr tt u ul var wbr'.split(
    ' ',
  ),
);
/** GFM's tagfilter (spec section 6.11). */
const FILTERED = new Set('title textarea style xmp iframe noembed noframes script plaintext'.split(' '));

interface Piece {
  text: string;
  literal: boolean;
}

/** Splits Markdown into literal parts (fenced blocks, code spans, comments removed) and text. */
function pieces(md: string): Piece[] {
  const out: Piece[] = [];
  const lines = md.split('\n');
  let fence: string | null = null;
  let buf: string[] = [];
  const flushText = () => {
    if (!buf.length) return;
    const text = buf.join('\n');
    buf = [];
    // code spans: a run of backticks up to the same run
    const re = /(`+)([\s\S]*?[^`])\1(?!`)/g;
    let last = 0;
    for (const m of text.matchAll(re)) {
      if (m.index! > 0 && text[m.index! - 1] === '\\') continue;
      out.push({ text: text.slice(last, m.index), literal: false });
      out.push({ text: m[2].replace(/^ (.*) $/, '$1'), literal: true });
      last = m.index! + m[0].length;
    }
    out.push({ text: text.slice(last), literal: false });
  };
  for (const line of lines) {
    const f = /^\s*(```+|~~~+)/.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = null;
      else out.push({ text: `${line}\n`, literal: true });
      continue;
    }
    if (f) {
      flushText();
      fence = f[1];
      continue;
    }
    buf.push(line);
  }
  flushText();
  return out.map((p) => (p.literal ? p : { ...p, text: p.text.replace(/<!--[\s\S]*?-->/g, '') }));
}

/**
 * Raw tags in the text that GitHub drops or filters: each one is something a reader will not see.
 * With cmark-gfm installed, also every element of its rendering that the sanitizer would not keep,
 * and every tag its tagfilter neutered.
 */
export function githubDrops(md: string): string[] {
  const html = renderWithCmarkGfm(md);
  const fromCmark: string[] = [];
  if (html !== null) {
    for (const m of html.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^>]*>/g))
      if (!ALLOWED.has(m[1].toLowerCase()) && m[1].toLowerCase() !== 'input') fromCmark.push(m[0]);
    for (const m of html.matchAll(
      /&lt;\/?(title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)\b[^>]*>/gi,
    ))
      fromCmark.push(m[0]);
  }
  return [...scanDrops(md), ...fromCmark];
}

function scanDrops(md: string): string[] {
  const dropped: string[] = [];
  for (const p of pieces(md)) {
    if (p.literal) continue;
    for (const m of p.text.matchAll(/(?<!\\)<\/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^>]*>/g)) {
      const tag = m[1].toLowerCase();
      if (!ALLOWED.has(tag) || FILTERED.has(tag)) dropped.push(m[0]);
    }
  }
  return dropped;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The text a reader sees (tags kept by GitHub removed as markup, the dropped ones removed too). */
export function readerSees(md: string): string {
  return pieces(md)
    .map((p) =>
      p.literal
        ? p.text
        : p.text
            .replace(/(?<!\\)<\/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^>]*>/g, '')
            .replace(/\\([!-/:-@[-`{-~])/g, '$1')
            .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e) => ENTITIES[e]),
    )
    .join('');
}

/** Table rows whose cell count differs from their header's (an unescaped `|` in a cell). */
export function brokenTableRows(md: string): string[] {
  const bad: string[] = [];
  const cells = (row: string) => {
    const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
    return inner.split(/(?<!\\)\|/).length;
  };
  const lines = md.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (!/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(lines[i]) || !lines[i - 1].includes('|'))
      continue;
    const n = cells(lines[i - 1]);
    for (let j = i + 1; j < lines.length && lines[j].trim().startsWith('|'); j++)
      if (cells(lines[j]) !== n) bad.push(lines[j]);
  }
  return bad;
}
