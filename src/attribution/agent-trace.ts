/**
 * Agent Trace export (specification v0.1.0, cursor/agent-trace): one Trace Record for a commit, with
 * `vcs` git and the commit, each file an agent wrote lines of, and in it one conversation per session
 * (contributor `ai` with the model, in models.dev's `provider/model` form) plus one for the people's
 * lines (contributor `human`), each with its line ranges and a hash of each range's content.
 * Files no recorded change touched are all human and left out (a record lists attributed files).
 */
import { createHash } from 'node:crypto';
import type { LineAttribution } from '../model/attribution.js';
import type { Attribution } from './blame.js';
import { resolveCommit, runGit } from './git.js';

export const AGENT_TRACE_VERSION = '0.1.0';

export interface TraceRange {
  start_line: number;
  end_line: number;
  content_hash?: string;
  contributor?: { type: 'human' | 'ai' | 'mixed' | 'unknown'; model_id?: string };
}

export interface TraceConversation {
  url?: string;
  contributor?: { type: 'human' | 'ai' | 'mixed' | 'unknown'; model_id?: string };
  ranges: TraceRange[];
  related?: Array<{ type: string; url: string }>;
}

export interface TraceRecord {
  version: string;
  id: string;
  timestamp: string;
  vcs: { type: 'git'; revision: string };
  tool: { name: string; version: string };
  files: Array<{ path: string; conversations: TraceConversation[] }>;
  metadata?: Record<string, unknown>;
}

/** A UUID (version 5 layout) derived from the commit: the same commit exports the same record id. */
function uuidFor(key: string): string {
  const h = createHash('sha1').update(`agent-trace:${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** models.dev's id for a model Claude Code names (`claude-sonnet-4-5` -> `anthropic/claude-sonnet-4-5`). */
export const modelId = (model: string): string =>
  (model.includes('/') ? model : `anthropic/${model}`).slice(0, 250);

/** Runs of consecutive line numbers. */
function runs(lines: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const n of [...lines].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[1] === n - 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

export function traceRecord(attr: Attribution, rev: string, toolVersion: string): TraceRecord {
  const sha = resolveCommit(attr.paths.workTree, rev);
  const timestamp = runGit(attr.paths.workTree, ['log', '-1', '--format=%cI', sha]).trim();
  const tracked = new Set(
    runGit(attr.paths.workTree, ['-c', 'core.quotePath=false', 'ls-tree', '-r', '--name-only', sha])
      .split('\n')
      .filter(Boolean),
  );
  const files: TraceRecord['files'] = [];
  // the files changes were recorded for, under the names renames gave them since
  const names = new Set(attr.changes.map((c) => c.path));
  const renames = runGit(attr.paths.workTree, [
    '-c',
    'core.quotePath=false',
    'log',
    '-M',
    '--diff-filter=R',
    '--name-status',
    '--format=',
    sha,
  ])
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f.length === 3 && f[0].startsWith('R'))
    .reverse(); // oldest first: a chain of renames is followed in order
  for (const [, from, to] of renames) if (names.has(from)) names.add(to);
  const candidates = [...names].filter((p) => tracked.has(p)).sort();
  for (const file of candidates) {
    const { lines, attributed } = attr.attribute(file, sha);
    const textOf = new Map(lines.map((l) => [l.line, l.text]));
    const groups = new Map<string, { a: LineAttribution[]; numbers: number[] }>();
    for (const a of attributed) {
      const key = a.kind === 'agent' && a.change ? `ai:${a.change.session}` : 'human';
      const g = groups.get(key) ?? { a: [], numbers: [] };
      g.a.push(a);
      g.numbers.push(a.line);
      groups.set(key, g);
    }
    if (![...groups.keys()].some((k) => k.startsWith('ai:'))) continue;
    const conversations: TraceConversation[] = [];
    const rangesOf = (numbers: number[]): TraceRange[] =>
      runs(numbers).map(([s, e]) => {
        const body: string[] = [];
        for (let n = s; n <= e; n++) body.push(textOf.get(n) ?? '');
        return {
          start_line: s,
          end_line: e,
          content_hash: `sha256:${createHash('sha256').update(body.join('\n')).digest('hex').slice(0, 16)}`,
        };
      });
    for (const [key, g] of groups) {
      if (key === 'human') {
        conversations.push({ contributor: { type: 'human' }, ranges: rangesOf(g.numbers) });
        continue;
      }
      // the session's model is its first change's agent's; lines of an agent on another model (a
      // subagent on haiku) are ranges of their own that name it
      const first = g.a[0].change!;
      const model = first.model ?? null;
      const byModel = new Map<string | null, number[]>();
      for (const x of g.a) {
        const m = x.change?.model ?? null;
        byModel.set(m, [...(byModel.get(m) ?? []), x.line]);
      }
      const ranges: TraceRange[] = [];
      for (const [m, numbers] of byModel)
        for (const r of rangesOf(numbers))
          ranges.push(m && m !== model ? { ...r, contributor: { type: 'ai', model_id: modelId(m) } } : r);
      ranges.sort((x, y) => x.start_line - y.start_line);
      conversations.push({
        contributor: model ? { type: 'ai', model_id: modelId(model) } : { type: 'ai' },
        ranges,
        related: [{ type: 'session', url: `agent-track:session/${encodeURIComponent(first.session)}` }],
      });
    }
    files.push({ path: file, conversations });
  }
  return {
    version: AGENT_TRACE_VERSION,
    id: uuidFor(sha),
    timestamp,
    vcs: { type: 'git', revision: sha },
    tool: { name: 'agent-track', version: toolVersion },
    files,
  };
}
