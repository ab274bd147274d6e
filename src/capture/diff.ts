/** Unified diffs and git blob ids for file changes, from what Claude Code's PostToolUse carries. */
import { createHash } from 'node:crypto';

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** The id git gives a blob with this content (`git hash-object`). */
export function gitBlobId(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

const splitLines = (text: string): string[] => {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/** Renders hunks as a unified diff with a/ and b/ headers; a null `before` is a created file. */
export function unifiedDiff(file: string, hunks: Hunk[], created: boolean): string {
  const header = `--- ${created ? '/dev/null' : `a/${file}`}\n+++ b/${file}\n`;
  const body = hunks
    .map((h) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n${h.lines.join('\n')}\n`)
    .join('');
  return header + body;
}

/** A whole-file diff: every line of `before` removed, every line of `after` added (Write without a patch). */
export function wholeFileHunks(before: string | null, after: string): Hunk[] {
  const oldL = before === null ? [] : splitLines(before);
  const newL = splitLines(after);
  if (oldL.length === 0 && newL.length === 0) return [];
  return [
    {
      oldStart: oldL.length ? 1 : 0,
      oldLines: oldL.length,
      newStart: newL.length ? 1 : 0,
      newLines: newL.length,
      lines: [...oldL.map((l) => `-${l}`), ...newL.map((l) => `+${l}`)],
    },
  ];
}

/** Applies hunks to the original text; returns null when they do not fit (then the after-blob is unknown). */
export function applyHunks(original: string, hunks: Hunk[]): string | null {
  const endsWithNewline = original === '' || original.endsWith('\n');
  const src = splitLines(original);
  const out: string[] = [];
  let pos = 0; // index into src
  for (const h of hunks) {
    const start = Math.max(0, h.oldStart - 1);
    if (start < pos || start > src.length) return null;
    while (pos < start) out.push(src[pos++]);
    for (const line of h.lines) {
      const tag = line[0];
      const text = line.slice(1);
      if (tag === ' ' || tag === '-') {
        if (src[pos] !== text) return null;
        pos++;
        if (tag === ' ') out.push(text);
      } else if (tag === '+') out.push(text);
      // '\' (no newline at end of file) lines are markers only
    }
  }
  while (pos < src.length) out.push(src[pos++]);
  return out.join('\n') + (out.length && endsWithNewline ? '\n' : '');
}
