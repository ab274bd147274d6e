/**
 * Claude Code's transcripts -> canonical `usage`, `decision`, failed `tool_call` and `error` events
 * (the Claude Code adapter's transcript half; hook payloads are the other, in events.ts).
 *
 * Hooks carry no token counts; transcripts do. Claude Code writes an assistant response once per
 * content block, every line with the same `message.id` and `requestId`, and the usage on those lines
 * grows as the response streams: the last line holds the final count. A response's usage is
 * therefore held back until the response is complete (the file's next response has begun: an agent
 * makes one request at a time; or the reader is told the file is final) and then emitted once, with
 * the final figures. Tool results interleave with a response's later lines and do not end it.
 * Event ids are derived from what they describe (model/canonical.ts), so the same transcript read
 * live, read again after a rotation, or imported later yields the same ids and nothing counts twice.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { derivedId, errorOutcome, toolCallId, toolErrorId, usageId, usageKey } from '../model/canonical.js';
import type { BaseEvent } from '../model/events.js';
import { costUnits, type UsageTokens, unitsToUsd } from '../model/pricing.js';
import { capValue, relativeInput } from './events.js';

export { derivedId };

/** What a reader remembers between chunks of one session's transcripts. */
export interface TranscriptMemory {
  /** Message keys already counted (message.id + requestId). */
  seen: Set<string>;
  /** Usage of responses not known to be complete yet, by message key (the latest line's figures). */
  pending: Map<string, BaseEvent>;
  /** Text of an assistant message seen so far, waiting for a tool_use of the same message. */
  pendingText: Map<string, string>;
  /** tool_use id -> the call, so a failure can name its tool, input and duration. */
  tools: Map<string, { name: string | null; input: unknown; ts: string }>;
}

export const newMemory = (): TranscriptMemory => ({
  seen: new Set(),
  pending: new Map(),
  pendingText: new Map(),
  tools: new Map(),
});

export interface ParseResult {
  events: BaseEvent[];
  badLines: number;
  /** Models without a price (cost recorded as null). */
  unknownModels: Set<string>;
}

export interface TranscriptOptions {
  /** The agent type of the file's agent ('main' for the main agent). */
  agentType?: string | null;
  /** The file is complete (import, or its session or agent ended): every held-back response is final. */
  final?: boolean;
  /** Byte cap of a recorded tool input or error text. */
  cap?: number;
  /** Called with each run of whole lines read and its byte offset in the file (the transcript kept on the branch). */
  onLines?: (offset: number, data: Buffer) => void;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/** Tokens of one API response as Claude Code writes them in `message.usage`. */
export function usageTokens(u: Record<string, any>): UsageTokens {
  const write = num(u.cache_creation_input_tokens);
  const split = u.cache_creation && typeof u.cache_creation === 'object';
  const write1h = split ? num(u.cache_creation.ephemeral_1h_input_tokens) : 0;
  const write5m = split ? num(u.cache_creation.ephemeral_5m_input_tokens) : write;
  // an older transcript may carry the total without the split: treat the rest as 5-minute writes
  const rest = write - write1h - write5m;
  return {
    input: num(u.input_tokens),
    output: num(u.output_tokens),
    cacheRead: num(u.cache_read_input_tokens),
    cacheWrite: write,
    cacheWrite5m: write5m + Math.max(rest, 0),
    cacheWrite1h: write1h,
  };
}

export function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((b: any) => (typeof b?.text === 'string' ? b.text : '')).join('\n');
  return '';
}

/**
 * Parses transcript lines. `agent` is the agent the file belongs to (`main`, or the subagent id of a
 * `subagents/agent-<id>.jsonl` file); a line's own `agentId` wins.
 */
export function parseTranscript(
  text: string,
  session: string,
  agent: string,
  memory: TranscriptMemory,
  opts: TranscriptOptions = {},
): ParseResult {
  const { records, badLines } = parseLines(text);
  return { ...transcriptEvents(records, session, agent, memory, opts), badLines };
}

/**
 * A transcript's lines as records; lines that are not JSON objects are counted, not thrown. Claude
 * Code has written two objects on one line (`}{`): such a line is split where it parses.
 */
export function parseLines(text: string): { records: any[]; badLines: number } {
  const records: any[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const rec = JSON.parse(line);
      if (rec && typeof rec === 'object') records.push(rec);
      else badLines++;
    } catch {
      const parts = splitConcatenated(line);
      if (parts) records.push(...parts);
      else badLines++;
    }
  }
  return { records, badLines };
}

/** `{...}{...}` on one line: the objects, or null when the line is not such a concatenation. */
function splitConcatenated(line: string): any[] | null {
  const out: any[] = [];
  let rest = line.trim();
  while (rest) {
    let cut = rest.indexOf('}{');
    let parsed: any;
    for (;;) {
      if (cut < 0) {
        try {
          parsed = JSON.parse(rest);
        } catch {
          return null;
        }
        rest = '';
        break;
      }
      try {
        parsed = JSON.parse(rest.slice(0, cut + 1));
        rest = rest.slice(cut + 1);
        break;
      } catch {
        cut = rest.indexOf('}{', cut + 1);
      }
    }
    if (!parsed || typeof parsed !== 'object') return null;
    out.push(parsed);
  }
  return out.length > 1 ? out : null;
}

/** Emits the held-back usage of every response but `keep` (complete: a later line is something else). */
function releasePending(memory: TranscriptMemory, out: BaseEvent[], keep: string | null): void {
  for (const [key, e] of memory.pending) {
    if (key === keep) continue;
    memory.pending.delete(key);
    memory.seen.add(key);
    out.push(e);
  }
}

/** Usage, decisions and failed tool calls of parsed transcript records (see parseTranscript). */
export function transcriptEvents(
  records: any[],
  session: string,
  agent: string,
  memory: TranscriptMemory,
  opts: TranscriptOptions = {},
): Omit<ParseResult, 'badLines'> {
  const out = { events: [] as BaseEvent[], unknownModels: new Set<string>() };
  const capBytes = opts.cap ?? 4096;
  const fileType = opts.agentType ?? (agent === 'main' ? 'main' : null);
  for (const rec of records) {
    const who = typeof rec.agentId === 'string' && agent !== 'main' ? rec.agentId : agent;
    const ts = typeof rec.timestamp === 'string' ? rec.timestamp : new Date(0).toISOString();
    const base = (type: BaseEvent['type'], id: string): BaseEvent => {
      const e: BaseEvent = { id, ts, session, agent: who, type, source: 'transcript' };
      if (fileType) e.agentType = fileType;
      return e;
    };
    const msg = rec.message;
    if (rec.type === 'assistant' && msg && typeof msg === 'object') {
      const key = usageKey(msg.id ?? rec.uuid, rec.requestId);
      releasePending(memory, out.events, key);
      const model = typeof msg.model === 'string' ? msg.model : 'unknown';
      if (msg.usage && model !== '<synthetic>' && !memory.seen.has(key)) {
        const tokens = usageTokens(msg.usage);
        const fast = msg.usage.speed === 'fast';
        const cost = costUnits(model, tokens, undefined, ts.slice(0, 10), fast);
        if (cost === null) out.unknownModels.add(model);
        // the latest line of the response replaces the earlier ones: its figures are the final ones so far
        const first = memory.pending.get(key);
        memory.pending.set(key, {
          ...base('usage', usageId(session, key)),
          ...(first ? { ts: first.ts } : {}),
          model,
          messageId: msg.id ?? null,
          requestId: rec.requestId ?? null,
          tokens,
          ...(fast ? { speed: 'fast' } : {}),
          // at the built-in prices, for a reader of the raw event; every figure is derived from tokens
          costUsd: cost === null ? null : unitsToUsd(cost),
        });
      }
      for (const block of Array.isArray(msg.content) ? msg.content : []) {
        if (block?.type === 'text' && typeof block.text === 'string' && block.text.trim()) {
          const prev = memory.pendingText.get(key);
          memory.pendingText.set(key, prev ? `${prev}\n${block.text}` : block.text);
        } else if (block?.type === 'tool_use' && typeof block.id === 'string') {
          memory.tools.set(block.id, {
            name: typeof block.name === 'string' ? block.name : null,
            // paths relative to the session's directory, as the hook records them
            input: relativeInput(block.input ?? null, typeof rec.cwd === 'string' ? rec.cwd : undefined),
            ts,
          });
          const rationale = memory.pendingText.get(key);
          if (rationale) {
            out.events.push({
              ...base('decision', derivedId('d', session, block.id)),
              rationale,
              toolUseId: block.id,
              tool: typeof block.name === 'string' ? block.name : null,
            });
          }
        }
      }
    } else if (rec.type === 'user' && msg) {
      // tool results interleave with the later blocks of the response that called them (a tool runs as
      // soon as its block is complete): a user line does not end a response, the next response does
      if (!Array.isArray(msg.content)) continue;
      for (const block of msg.content) {
        if (block?.type !== 'tool_result' || block.is_error !== true || typeof block.tool_use_id !== 'string')
          continue;
        // a failed, refused or interrupted call: one tool_call (the same id as the hook's) and, for a
        // failure, one error
        const call = memory.tools.get(block.tool_use_id);
        const text = resultText(block.content);
        const outcome = errorOutcome(text);
        const started = call ? Date.parse(call.ts) : Number.NaN;
        const input = capValue(call?.input ?? null, capBytes);
        out.events.push({
          ...base('tool_call', toolCallId(session, who, block.tool_use_id)),
          toolUseId: block.tool_use_id,
          tool: call?.name ?? 'unknown',
          input,
          success: false,
          outcome,
          error: capValue(text, capBytes),
          durationMs: Number.isFinite(started) ? Math.max(0, Date.parse(ts) - started) : null,
        });
        if (outcome === 'failed')
          out.events.push({
            ...base('error', toolErrorId(session, block.tool_use_id)),
            toolUseId: block.tool_use_id,
            tool: call?.name ?? null,
            input,
            message: text.slice(0, capBytes),
          });
      }
    }
  }
  if (opts.final) releasePending(memory, out.events, null);
  return out;
}

/** Where a reader stopped in one transcript file. */
export interface FileCursor {
  agent: string;
  ino: number;
  offset: number;
  /** sha1 of the file's first bytes: a file rewritten in place (same inode, reused) is told apart by it. */
  head?: string;
  /** The agent's type, where known (a subagent's .meta.json, its SubagentStop). */
  agentType?: string | null;
  /** Usage of responses still streaming when the file was last read, emitted once they are complete. */
  pending?: Array<{ key: string; event: BaseEvent }>;
}

const HEAD_BYTES = 512;

/** Hash of the first min(upTo, 512) bytes. */
function headOf(fd: number, upTo: number): string {
  const buf = Buffer.alloc(Math.min(upTo, HEAD_BYTES));
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  return createHash('sha1').update(buf.subarray(0, n)).digest('hex').slice(0, 16);
}

/**
 * Reads a transcript file from its cursor to its last complete line. A file that shrank or is a
 * different file (inode) is read from the start; the memory's seen keys keep that from counting twice.
 */
export function readTranscriptFile(
  file: string,
  cursor: FileCursor,
  session: string,
  memory: TranscriptMemory,
  opts: TranscriptOptions = {},
): { result: ParseResult; cursor: FileCursor } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null; // not on this machine (another clone's session) or deleted
  }
  try {
    const st = fs.fstatSync(fd);
    const sameFile =
      st.ino === cursor.ino &&
      st.size >= cursor.offset &&
      (cursor.head === undefined || cursor.head === headOf(fd, cursor.offset));
    const start = sameFile ? cursor.offset : 0;
    const result: ParseResult = { events: [], badLines: 0, unknownModels: new Set() };
    // the responses this file left incomplete last time (their lines are behind the offset)
    memory.pending = new Map(sameFile ? (cursor.pending ?? []).map((p) => [p.key, p.event]) : []);
    // streamed in chunks, so memory stays bounded whatever the file's size
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(st.size - start, 1)));
    let pos = start;
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, pos);
      if (n <= 0) break;
      pos += n;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      const end = data.lastIndexOf(10) + 1;
      if (end > 0) {
        opts.onLines?.(pos - data.length, data.subarray(0, end));
        const part = parseTranscript(data.subarray(0, end).toString('utf8'), session, cursor.agent, memory, {
          ...opts,
          agentType: opts.agentType ?? cursor.agentType,
          final: false,
        });
        result.events.push(...part.events);
        result.badLines += part.badLines;
        for (const m of part.unknownModels) result.unknownModels.add(m);
      }
      carry = Buffer.from(data.subarray(end));
      if (pos >= st.size) break;
    }
    if (opts.final) releasePending(memory, result.events, null);
    const pending = [...memory.pending].map(([key, event]) => ({ key, event }));
    memory.pending = new Map();
    // an unfinished last line stays for the next read
    const offset = pos - carry.length;
    const next: FileCursor = { agent: cursor.agent, ino: st.ino, offset, head: headOf(fd, offset) };
    if (cursor.agentType) next.agentType = cursor.agentType;
    if (pending.length) next.pending = pending;
    return { result, cursor: next };
  } finally {
    fs.closeSync(fd);
  }
}

const CHUNK = 4 * 1024 * 1024;
