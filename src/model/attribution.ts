/**
 * Line attribution, the pure part: how a line's content is normalised and hashed, which lines a
 * recorded file change added, and how a line of a file is matched to the change that wrote it.
 * No I/O: the index (store/attribution.ts) and blame (attribution/) feed it.
 *
 * Matching is by content, not by line number: a line keeps its hash as it moves through edits above
 * it, commits, amends, rebases, cherry-picks and squash merges, so the change that added that content
 * to that file is found again wherever the line now sits.
 */
import { createHash } from 'node:crypto';

/** A line as compared: surrounding white space dropped, inner runs of white space made one space. */
export const normaliseLine = (line: string): string => line.replace(/\r$/, '').trim().replace(/\s+/g, ' ');

/** The hash a line is indexed and matched by: 16 hex digits (64 bits) of the sha1 of the normalised line. */
export const lineHash = (line: string): string =>
  createHash('sha1').update(normaliseLine(line)).digest('hex').slice(0, 16);

/**
 * A line too common to be matched on its own (blank, or only punctuation: `}`, `);`): it is the
 * agent's only when a neighbour that says something is the same change's.
 */
export const isTrivialLine = (line: string): boolean => !/[\p{L}\p{N}]/u.test(line);

/**
 * The lines a unified diff added, as a multiset: `+` lines less the `-` lines of the same content,
 * so a Write that rewrites a whole file claims only what it changed, and a line it moved is not new.
 */
export function addedLines(diff: string): string[] {
  const plus = new Map<string, string[]>();
  const minus = new Map<string, number>();
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ') || line.startsWith('--- ') || line.startsWith('@@')) continue;
    if (line.startsWith('+')) {
      const text = line.slice(1);
      const k = normaliseLine(text);
      const list = plus.get(k);
      if (list) list.push(text);
      else plus.set(k, [text]);
    } else if (line.startsWith('-')) {
      const k = normaliseLine(line.slice(1));
      minus.set(k, (minus.get(k) ?? 0) + 1);
    }
  }
  const out: string[] = [];
  for (const [k, list] of plus) out.push(...list.slice(Math.min(list.length, minus.get(k) ?? 0)));
  return out;
}

/** One recorded file change, as the index keeps it. */
export interface AttributedChange {
  /** The file_change event's id. */
  id: string;
  session: string;
  /** `main` or the subagent's id. */
  agent: string;
  agentType: string | null;
  tool: string | null;
  toolUseId: string | null;
  ts: string;
  /** The file, relative to the work tree. */
  path: string;
  operation: string;
  /** lineHash of each line it added (a multiset: a hash appears as often as the line was added). */
  hashes: string[];
  /** The user's prompt the change answered (the session's latest before it), when known. */
  prompt?: string | null;
  /** The model the agent ran on, when its usage was recorded. */
  model?: string | null;
}

/** Where the line came from in git (`git blame --line-porcelain`), when it was committed. */
export interface BlameLine {
  line: number;
  text: string;
  /** null: not committed yet (the work tree's own change). */
  commit: string | null;
  /** The commit's author time, ms since the epoch. */
  authorTime: number | null;
  /** The file's path in the commit that brought the line (another one when the file was renamed since). */
  origPath?: string;
}

export type LineKind = 'agent' | 'human' | 'unknown';

export interface LineAttribution {
  line: number;
  kind: LineKind;
  change: AttributedChange | null;
  commit: string | null;
}

/** A commit's author time can lag the change that wrote its content by its own rounding to seconds. */
const CLOCK_SLACK_MS = 2000;

/**
 * Who wrote each line: the latest recorded change to this file that added this content, unless the
 * line was committed before that change was made (then the content was already there: a person's);
 * a line no change wrote is a person's when git gives its commit, unknown when it is not committed.
 * Trivial lines (blank, punctuation) are the agent's only beside an agent's line (the nearest
 * non-trivial line above or below): that line's change when it added the same content, else the
 * latest change that added it to the file.
 */
export function attributeLines(lines: BlameLine[], changes: AttributedChange[]): LineAttribution[] {
  const byHash = new Map<string, AttributedChange[]>();
  for (const c of changes)
    for (const h of new Set(c.hashes)) {
      const list = byHash.get(h);
      if (list) list.push(c);
      else byHash.set(h, [c]);
    }
  for (const list of byHash.values()) list.sort((a, b) => b.ts.localeCompare(a.ts));
  const hashes = lines.map((l) => lineHash(l.text));
  const trivial = lines.map((l) => isTrivialLine(l.text));
  const candidate = (i: number): AttributedChange | null => {
    const l = lines[i];
    for (const c of byHash.get(hashes[i]) ?? []) {
      if (l.authorTime !== null && l.authorTime + CLOCK_SLACK_MS < Date.parse(c.ts)) continue;
      return c;
    }
    return null;
  };
  const direct = lines.map((_, i) => (trivial[i] ? null : candidate(i)));
  const out: LineAttribution[] = [];
  for (let i = 0; i < lines.length; i++) {
    let change = direct[i];
    if (trivial[i]) {
      const options = new Set((byHash.get(hashes[i]) ?? []).map((c) => c.id));
      const near = (step: number): AttributedChange | null => {
        for (let j = i + step; j >= 0 && j < lines.length; j += step) if (!trivial[j]) return direct[j];
        return null;
      };
      const up = near(-1);
      const down = near(1);
      // a neighbour's own change when it added this content too; else, beside an agent's line, the
      // latest change that added this content to the file (a Write's `}` after an Edit's line)
      const latest = (byHash.get(hashes[i]) ?? [])[0] ?? null;
      change =
        up && options.has(up.id) ? up : down && options.has(down.id) ? down : up || down ? latest : null;
      if (
        change &&
        lines[i].authorTime !== null &&
        lines[i].authorTime! + CLOCK_SLACK_MS < Date.parse(change.ts)
      )
        change = null;
    }
    const commit = lines[i].commit;
    out.push({
      line: lines[i].line,
      kind: change ? 'agent' : commit ? 'human' : 'unknown',
      change,
      commit,
    });
  }
  return out;
}

/**
 * What a shell command visibly wrote: the files it names as a redirection (`>`, `>>`) or `tee`
 * target, and the lines whose text it holds literally (a heredoc's body, a quoted `echo`/`printf`
 * string, its `\n` escapes read as line ends). A Bash call records no diff, so this is all that can
 * be said of it: a line of such a file with such text is the command's; what a command computed
 * (`sed -i`, a generator, a script) is not in its text and stays git blame's.
 */
export function shellWrites(command: string): { targets: string[]; lines: string[] } {
  const targets: string[] = [];
  const lines: string[] = [];
  const unquote = (t: string) => t.replace(/^(['"])(.*)\1$/, '$2');
  const target = (t: string) => {
    const p = unquote(t);
    if (p && !p.startsWith('&') && p !== '/dev/null' && !p.startsWith('/dev/') && !targets.includes(p))
      targets.push(p);
  };
  // heredocs: the body up to the terminator, taken out of the command before quotes are read
  let rest = command.replace(
    /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1[^\n]*\n([\s\S]*?)\n\s*\2(?=\s|$)/g,
    (all, _q, _tag, body: string) => {
      lines.push(...body.split('\n'));
      return all.slice(0, all.indexOf('\n'));
    },
  );
  for (const m of rest.matchAll(/(?:^|[^0-9&<>])>>?\s*("[^"]*"|'[^']*'|[^\s;&|()<>]+)/g)) target(m[1]);
  for (const m of rest.matchAll(/\btee\s+((?:-[a-z]+\s+)*)("[^"]*"|'[^']*'|[^\s;&|()<>]+)/g)) target(m[2]);
  rest = rest.replace(/<<-?[^\n]*/g, '');
  for (const m of rest.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"/g)) {
    const s = m[1] ?? m[2].replace(/\\(["\\$`])/g, '$1');
    lines.push(...s.split(/\\n|\n/));
  }
  return { targets, lines: lines.filter((l) => normaliseLine(l) !== '') };
}
