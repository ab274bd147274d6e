/**
 * Claude Code's transcripts -> `usage`, `decision` and transcript-only `error` events.
 *
 * Hooks carry no token counts; transcripts do. An assistant message is written once per content
 * block, each line with the same `message.id`, `requestId` and usage: it is counted once, by that
 * key. Event ids are derived from what they describe (session + message key, tool_use id), so the
 * same transcript read live, read again after a rotation, or imported later yields the same ids and
 * nothing is counted twice.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { BaseEvent } from '../model/events.js';
import { capValue } from './events.js';
import { costUnits, type UsageTokens } from './pricing.js';

export const derivedId = (kind: string, session: string, key: string): string =>
  `${kind}-${createHash('sha1').update(`${session}\0${key}`).digest('hex').slice(0, 32)}`;

/** What a reader remembers between chunks of one session's transcripts. */
export interface TranscriptMemory {
  /** Message keys already counted (message.id + requestId). */
  seen: Set<string>;
  /** Text of an assistant message seen so far, waiting for a tool_use of the same message. */
  pendingText: Map<string, string>;
  /** tool_use id -> the call, so an error can name its tool and input. */
  tools: Map<string, { name: string | null; input: unknown }>;
}

export const newMemory = (): TranscriptMemory => ({
  seen: new Set(),
  pendingText: new Map(),
  tools: new Map(),
});

export interface ParseResult {
  events: BaseEvent[];
  badLines: number;
  /** Models without a price (cost recorded as null). */
  unknownModels: Set<string>;
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
    cacheWrite5m: write5m + (rest > 0 ? rest : 0),
    cacheWrite1h: write1h,
  };
}

function resultText(content: unknown): string {
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
): ParseResult {
  const { records, badLines } = parseLines(text);
  return { ...transcriptEvents(records, session, agent, memory), badLines };
}

/** A transcript's lines as records; lines that are not JSON objects are counted, not thrown. */
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
      badLines++;
    }
  }
  return { records, badLines };
}

/** Usage, decisions and errors of parsed transcript records (see parseTranscript). */
export function transcriptEvents(
  records: any[],
  session: string,
  agent: string,
  memory: TranscriptMemory,
): Omit<ParseResult, 'badLines'> {
  const out = { events: [] as BaseEvent[], unknownModels: new Set<string>() };
  for (const rec of records) {
    const who = typeof rec.agentId === 'string' && agent !== 'main' ? rec.agentId : agent;
    const ts = typeof rec.timestamp === 'string' ? rec.timestamp : new Date(0).toISOString();
    const base = (type: BaseEvent['type'], id: string): BaseEvent => ({
      id,
      ts,
      session,
      agent: who,
      type,
      source: 'transcript',
    });
    const msg = rec.message;
    if (rec.type === 'assistant' && msg && typeof msg === 'object') {
      const key = `${msg.id ?? rec.uuid}:${rec.requestId ?? ''}`;
      const model = typeof msg.model === 'string' ? msg.model : 'unknown';
      if (msg.usage && model !== '<synthetic>' && !memory.seen.has(key)) {
        memory.seen.add(key);
        const tokens = usageTokens(msg.usage);
        const cost = costUnits(model, tokens);
        if (cost === null) out.unknownModels.add(model);
        out.events.push({
          ...base('usage', derivedId('u', session, key)),
          model,
          messageId: msg.id ?? null,
          requestId: rec.requestId ?? null,
          tokens,
          costUsd: cost === null ? null : cost / 1e8,
        });
      }
      for (const block of Array.isArray(msg.content) ? msg.content : []) {
        if (block?.type === 'text' && typeof block.text === 'string' && block.text.trim()) {
          const prev = memory.pendingText.get(key);
          memory.pendingText.set(key, prev ? `${prev}\n${block.text}` : block.text);
        } else if (block?.type === 'tool_use' && typeof block.id === 'string') {
          memory.tools.set(block.id, {
            name: typeof block.name === 'string' ? block.name : null,
            input: block.input ?? null,
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
    } else if (rec.type === 'user' && msg && Array.isArray(msg.content)) {
      for (const block of msg.content) {
        if (
          block?.type === 'tool_result' &&
          block.is_error === true &&
          typeof block.tool_use_id === 'string'
        ) {
          out.events.push({
            ...base('error', derivedId('e', session, block.tool_use_id)),
            toolUseId: block.tool_use_id,
            tool: memory.tools.get(block.tool_use_id)?.name ?? null,
            input: capValue(memory.tools.get(block.tool_use_id)?.input ?? null, 4096),
            message: resultText(block.content).slice(0, 4096),
          });
        }
      }
    }
  }
  return out;
}

/** Where a reader stopped in one transcript file. */
export interface FileCursor {
  agent: string;
  ino: number;
  offset: number;
  /** sha1 of the file's first bytes: a file rewritten in place (same inode, reused) is told apart by it. */
  head?: string;
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
        const part = parseTranscript(data.subarray(0, end).toString('utf8'), session, cursor.agent, memory);
        result.events.push(...part.events);
        result.badLines += part.badLines;
        for (const m of part.unknownModels) result.unknownModels.add(m);
      }
      carry = Buffer.from(data.subarray(end));
      if (pos >= st.size) break;
    }
    // an unfinished last line stays for the next read
    const offset = pos - carry.length;
    return { result, cursor: { agent: cursor.agent, ino: st.ino, offset, head: headOf(fd, offset) } };
  } finally {
    fs.closeSync(fd);
  }
}

const CHUNK = 4 * 1024 * 1024;
