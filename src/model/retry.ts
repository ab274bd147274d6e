/**
 * What followed a failure, and whether it worked: the one rule that the review, the PR comment,
 * `similar_errors` (search and MCP) and the handoff all read. A failed call was *retried* when the same
 * agent later made a call of the same kind; it was *fixed* when one of those later calls succeeded.
 * `fixedAfter` counts the agent's calls from the failure up to that success (1: the very next call).
 * The order is the order the calls began in; callers pass calls of one session in that order.
 */
import type { ToolOutcome } from './canonical.js';
import { programOf } from './causes.js';

/** Tools whose input names one file: a call of the same kind works on the same file. */
const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Read']);

/**
 * What kind of call a call is: a command-running tool and the program it ran (model/causes.ts
 * programOf: past `cd x &&`, env assignments and launchers such as npx, so `npx agent-track decide`
 * answers a failed `agent-track decide`); a file tool and its file; any other tool by its name.
 */
export function callKind(tool: string, input: unknown): string {
  const o = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const command = typeof input === 'string' ? input : typeof o.command === 'string' ? o.command : null;
  if (command !== null) return `${tool} ${programOf(command) ?? ''}`.trim();
  const file = o.file_path ?? o.notebook_path ?? o.path;
  if (FILE_TOOLS.has(tool) && typeof file === 'string') return `${tool} ${file}`;
  return tool;
}

/** A failure being followed: what the next calls of its agent are compared with. */
export interface Watch {
  agent: string;
  kind: string;
  /** The agent's calls seen since the failure. */
  seen: number;
  retried: boolean;
  /** Set once a call of the same kind succeeded: the count of calls up to it. */
  fixedAfter: number | null;
}

export const watchOf = (agent: string, kind: string): Watch => ({
  agent,
  kind,
  seen: 0,
  retried: false,
  fixedAfter: null,
});

/**
 * Takes one later call into a watch (the rule itself). Returns whether the watch is closed: fixed,
 * so nothing later can change what it says.
 */
export function observe(
  w: Watch,
  call: { agent: string; kind: string; outcome: ToolOutcome | null },
): boolean {
  if (w.fixedAfter !== null) return true;
  if (call.agent !== w.agent) return false;
  w.seen++;
  if (call.kind !== w.kind) return false;
  w.retried = true;
  if (call.outcome !== 'success') return false;
  w.fixedAfter = w.seen;
  return true;
}

export interface FollowUp {
  retried: boolean;
  fixed: boolean;
  fixedAfter: number | null;
  /** Index of the call that fixed it. */
  fixedBy: number | null;
  /** Index of the same agent's next call, if any. */
  next: number | null;
}

/** For each call that did not succeed, what followed it (by index), over one session's calls in order. */
export function followUps(
  calls: ReadonlyArray<{ agent: string; kind: string; outcome: ToolOutcome | null }>,
): Map<number, FollowUp> {
  const out = new Map<number, FollowUp>();
  const open: Array<{ i: number; w: Watch }> = [];
  calls.forEach((c, i) => {
    for (let k = open.length - 1; k >= 0; k--) {
      const { i: at, w } = open[k];
      const f = out.get(at)!;
      if (f.next === null && c.agent === w.agent) f.next = i;
      if (observe(w, c)) open.splice(k, 1);
      f.retried = w.retried;
      f.fixed = w.fixedAfter !== null;
      if (f.fixedAfter === null && w.fixedAfter !== null) f.fixedBy = i;
      f.fixedAfter = w.fixedAfter;
    }
    if (c.outcome === 'success' || c.outcome === null) return;
    out.set(i, { retried: false, fixed: false, fixedAfter: null, fixedBy: null, next: null });
    open.push({ i, w: watchOf(c.agent, c.kind) });
  });
  return out;
}
