/**
 * The events of one past session, built from its transcripts alone and redacted: what `import` writes.
 * Node builtins and our capture modules only (no git, no store): it also runs in import's worker threads.
 */
import * as fs from 'node:fs';
import type { TrackingConfig } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import { priceOf } from '../model/pricing.js';
import { emptySummary, foldSummary } from '../model/session.js';
// a type only: this module stays free of the store (it runs in worker threads)
import type { PreparedSession } from '../store/flush.js';
import { codexEvents } from './codex.js';
import { AGENT_TOOLS, capValue, FILE_TOOLS, fileChange, relativeInput } from './events.js';
import { chatProjectRoot, geminiEvents, geminiRecords } from './gemini.js';
import { type Redacted, redactValue } from './redact.js';
import { derivedId, newMemory, parseLines, type TranscriptMemory, transcriptEvents } from './transcript.js';

export interface SessionFiles {
  session: string;
  main: string | null;
  subagents: Array<{ file: string; agent: string }>;
  bytes: number;
  mtimeMs: number;
  /** The agent CLI that wrote the files (default: Claude Code's transcripts). */
  agentTool?: 'claude-code' | 'codex' | 'gemini';
}

export interface SessionImport {
  session: string;
  events: Array<Redacted<BaseEvent>>;
  /** Each event's JSON line (without the newline). */
  lines: string[];
  /** A new session made ready to write by a worker (events and lines are then empty): prepareNewSession. */
  prepared?: PreparedSession;
  badLines: number;
  unknownModels: string[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The events of one transcript file beyond usage/decisions/errors: start, prompts, tool calls, agent bounds. */
function structuralEvents(
  records: any[],
  session: string,
  agent: string,
  agentType: string | null,
  config: TrackingConfig,
): BaseEvent[] {
  const out: BaseEvent[] = [];
  const starts = new Map<string, { ts: string; tool: string; input: unknown; raw: unknown }>();
  let first: any = null;
  let lastTs: string | null = null;
  // a subagent's outcome: the text of its last assistant message
  let lastText: string | null = null;
  const cap = (v: unknown) => capValue(v, config.limits.toolOutputBytes);
  for (const rec of records) {
    const ts = str(rec?.timestamp);
    if (!ts) continue;
    lastTs = ts;
    const base = (type: BaseEvent['type'], key: string): BaseEvent => {
      const e: BaseEvent = {
        id: derivedId(type, session, `${agent}:${key}`),
        ts,
        session,
        agent,
        type,
        source: 'import',
      };
      if (agentType) e.agentType = agentType;
      return e;
    };
    if (!first && (rec.type === 'user' || rec.type === 'assistant')) {
      first = rec;
      if (agent === 'main') {
        out.push({
          ...base('session_start', 'start'),
          source: 'import',
          cwd: str(rec.cwd),
          branch: str(rec.gitBranch),
          head: null,
          model: null,
          version: str(rec.version),
        });
      } else out.push({ ...base('agent_start', 'start'), agentId: agent });
    }
    const content = rec.message?.content;
    if (rec.type === 'user' && agent === 'main' && typeof content === 'string' && !rec.isMeta) {
      out.push({ ...base('prompt', `prompt:${rec.uuid ?? ts}`), text: cap(content) });
    } else if (
      // a prompt with an image or a pasted file is a list of blocks: its text blocks are the prompt
      rec.type === 'user' &&
      agent === 'main' &&
      Array.isArray(content) &&
      !rec.isMeta &&
      !content.some((b: any) => b?.type === 'tool_result')
    ) {
      const text = content
        .filter((b: any) => b?.type === 'text' && typeof b.text === 'string')
        .map((b: any) => b.text)
        .join('\n')
        .trim();
      if (text) out.push({ ...base('prompt', `prompt:${rec.uuid ?? ts}`), text: cap(text) });
    }
    if (!Array.isArray(content)) continue;
    for (const b of content) {
      if (rec.type === 'assistant' && b?.type === 'text' && typeof b.text === 'string' && b.text.trim())
        lastText = b.text;
      if (rec.type === 'assistant' && b?.type === 'tool_use' && typeof b.id === 'string') {
        const tool = String(b.name ?? 'unknown');
        // paths relative to the session's directory, as the hook records them
        const input = relativeInput(b.input, str(rec.cwd) ?? undefined);
        starts.set(b.id, { ts, tool, input, raw: b.input });
        const e: BaseEvent = {
          ...base('tool_start', b.id),
          toolUseId: b.id,
          tool,
          input: cap(input ?? null),
        };
        if (AGENT_TOOLS.has(tool) && b.input)
          e.launch = {
            description: str(b.input.description),
            prompt: cap(b.input.prompt ?? null),
            subagentType: str(b.input.subagent_type),
          };
        out.push(e);
      } else if (
        rec.type === 'user' &&
        b?.type === 'tool_result' &&
        typeof b.tool_use_id === 'string' &&
        b.is_error !== true // a failed, refused or interrupted call is the transcript reader's (transcript.ts)
      ) {
        const s = starts.get(b.tool_use_id);
        const result = rec.toolUseResult;
        const e: BaseEvent = {
          ...base('tool_call', b.tool_use_id),
          toolUseId: b.tool_use_id,
          tool: s?.tool ?? 'unknown',
          input: cap(s?.input ?? null),
          success: true,
          durationMs: s ? Date.parse(ts) - Date.parse(s.ts) : null,
          outcome: 'success',
          output: cap(result ?? null),
        };
        if (s && AGENT_TOOLS.has(s.tool) && result && typeof result === 'object')
          e.launchedAgent = str(result.agentId);
        out.push(e);
        // the change it made, built as the hook builds it (the transcript keeps the tool's result)
        // (a subagent's transcript keeps no toolUseResult: the change is built from the call's input)
        if (s && FILE_TOOLS.has(s.tool)) {
          const response = result && typeof result === 'object' ? result : {};
          const fc = fileChange(
            { tool_name: s.tool, tool_input: s.raw, tool_response: response, tool_use_id: b.tool_use_id },
            { config, workTree: str(rec.cwd) ?? undefined },
            () => base('file_change', b.tool_use_id),
          );
          if (fc) out.push(fc);
        }
      }
    }
  }
  if (agent !== 'main' && lastTs) {
    const end: BaseEvent = {
      id: derivedId('agent_end', session, `${agent}:end`),
      ts: lastTs,
      session,
      agent,
      type: 'agent_end',
      source: 'import',
      agentId: agent,
      lastMessage: lastText === null ? null : cap(lastText),
    };
    if (agentType) end.agentType = agentType;
    out.push(end);
  }
  return out;
}

/**
 * Subagent id -> type from the main transcript's Agent/Task launches: the launch's `subagent_type`,
 * and the result's `agentId` naming the agent it became (how 2.0.x sidechain files are linked).
 */
function launchedTypes(records: any[]): Map<string, string> {
  const typeOfCall = new Map<string, string>();
  const out = new Map<string, string>();
  for (const rec of records) {
    const content = rec?.message?.content;
    if (!Array.isArray(content)) continue;
    for (const b of content) {
      if (rec.type === 'assistant' && b?.type === 'tool_use' && AGENT_TOOLS.has(b.name) && b.id)
        typeOfCall.set(b.id, str(b.input?.subagent_type) ?? 'general-purpose');
      if (rec.type === 'user' && b?.type === 'tool_result' && typeof b.tool_use_id === 'string') {
        const agentId = str(rec.toolUseResult?.agentId);
        const type = str(rec.toolUseResult?.agentType) ?? typeOfCall.get(b.tool_use_id);
        if (agentId && type) out.set(agentId, type);
      }
    }
  }
  return out;
}

/**
 * Subagents that exist only as `agent_progress` lines of the main transcript (a copy of each of the
 * subagent's messages, `data.message`, under `data.agentId`), for the agents no subagent file holds:
 * their records, as if read from that file. Linked to the launch by `parentToolUseID`.
 */
function progressAgents(
  main: any[],
  have: Set<string>,
  types: Map<string, string>,
): Array<{ records: any[]; agent: string; type: string; progress: true }> {
  const callType = new Map<string, string>();
  const byAgent = new Map<string, { records: any[]; type: string | null }>();
  for (const rec of main) {
    if (rec?.type === 'assistant' && Array.isArray(rec.message?.content))
      for (const b of rec.message.content)
        if (b?.type === 'tool_use' && AGENT_TOOLS.has(b.name) && b.id)
          callType.set(b.id, str(b.input?.subagent_type) ?? 'general-purpose');
    const d = rec?.type === 'progress' ? rec.data : null;
    const agent = str(d?.agentId);
    if (!d || d.type !== 'agent_progress' || !agent || have.has(agent) || !d.message) continue;
    const a = byAgent.get(agent) ?? { records: [], type: null };
    a.type ??= callType.get(String(rec.parentToolUseID)) ?? null;
    a.records.push({ ...d.message, agentId: agent, timestamp: d.message.timestamp ?? rec.timestamp });
    byAgent.set(agent, a);
  }
  return [...byAgent].map(([agent, a]) => ({
    records: a.records,
    agent,
    type: types.get(agent) ?? a.type ?? 'general-purpose',
    progress: true,
  }));
}

/** A subagent transcript's type from its `.meta.json` (Claude Code 2.1), or null. */
function metaType(file: string): string | null {
  try {
    return str(JSON.parse(fs.readFileSync(file.replace(/\.jsonl$/, '.meta.json'), 'utf8')).agentType);
  } catch {
    return null;
  }
}

/**
 * Everything a session's transcripts hold (`known`: the session is already on the branch, so only what
 * transcripts alone hold: usage, decisions, failed tool calls), redacted. A session whose transcripts
 * hold no usage at all (an empty file, a file of summaries) is not a session: no events.
 */
export function importSessionEvents(s: SessionFiles, known: boolean, config: TrackingConfig): SessionImport {
  const r = readSessionEvents(s, known, config);
  const lines = r.events.map((e) => JSON.stringify(e));
  return {
    session: s.session,
    events: r.events,
    lines,
    badLines: r.badLines,
    unknownModels: r.unknownModels,
  };
}

/**
 * A session not yet on the branch, whole (as importSessionEvents with `known` false), as the flush
 * writes it: the segment's text and the summary folded from its events the way the flush folds a new
 * session's first events (the same dedup by id, the same fold on an empty summary).
 */
export function prepareNewSession(s: SessionFiles, config: TrackingConfig): SessionImport {
  const r = readSessionEvents(s, false, config);
  const base = {
    session: s.session,
    events: [],
    lines: [],
    badLines: r.badLines,
    unknownModels: r.unknownModels,
  };
  if (r.events.length === 0) return base;
  const seen = new Set<string>();
  const events = r.events.filter((e) => {
    if (seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
  let text = '';
  for (const e of events) text += `${JSON.stringify(e)}\n`;
  const summary = foldSummary({ ...emptySummary(s.session, '', ''), author: null }, events);
  return {
    ...base,
    prepared: {
      session: s.session,
      // JSON of redacted values; the store's full pass runs on it before it is written
      text,
      events: events.length,
      firstTs: events.map((e) => e.ts).sort()[0],
      summary,
    },
  };
}

function readSessionEvents(
  s: SessionFiles,
  known: boolean,
  config: TrackingConfig,
): { events: Array<Redacted<BaseEvent>>; badLines: number; unknownModels: string[] } {
  const unknown = new Set<string>();
  if (s.agentTool === 'codex' && s.main) return readCodexSession(s.main, known, config);
  if (s.agentTool === 'gemini' && s.main) return readGeminiSession(s.main, config);
  const memory: TranscriptMemory = newMemory();
  const events: BaseEvent[] = [];
  let badLines = 0;
  let usage = 0;
  const parsed = (file: string) => {
    const r = parseLines(fs.readFileSync(file, 'utf8'));
    badLines += r.badLines;
    return r.records;
  };
  const mainRecords = s.main ? parsed(s.main) : [];
  const types = launchedTypes(mainRecords);
  const files: Array<{ records: any[]; agent: string; type: string; progress?: true }> = [];
  if (s.main) files.push({ records: mainRecords, agent: 'main', type: 'main' });
  for (const sub of s.subagents) {
    // an agent no launch names (2.0.x warm-up sidechains) is a sidechain of unknown purpose
    const type = metaType(sub.file) ?? types.get(sub.agent) ?? 'sidechain';
    files.push({ records: parsed(sub.file), agent: sub.agent, type });
  }
  files.push(...progressAgents(mainRecords, new Set(s.subagents.map((x) => x.agent)), types));
  const cap = config.limits.toolOutputBytes;
  for (const f of files) {
    // parsed once, read twice: for usage, decisions and failures, and for the session's structure
    const r = transcriptEvents(f.records, s.session, f.agent, memory, {
      agentType: f.type,
      final: true,
      cap,
    });
    for (const m of r.unknownModels) unknown.add(m);
    // usage known only from agent_progress copies (ccusage's session report leaves it out; its daily counts it)
    if (f.progress) for (const e of r.events) e.source = 'agent_progress';
    for (const e of r.events) if (e.type === 'usage') usage++;
    events.push(...r.events);
    // a session already on the branch keeps its live record; only what transcripts alone hold is added
    if (!known) events.push(...structuralEvents(f.records, s.session, f.agent, f.type, config));
  }
  if (usage === 0 && !known) return { events: [], badLines, unknownModels: [] };
  const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
  return { events: redacted, badLines, unknownModels: [...unknown] };
}

/**
 * A Codex rollout's events (codex.ts), redacted. For a session already on the branch (captured live)
 * every event is offered again: each has the id live capture gave it, so the flush keeps only the new.
 */
function readCodexSession(
  file: string,
  _known: boolean,
  config: TrackingConfig,
): { events: Array<Redacted<BaseEvent>>; badLines: number; unknownModels: string[] } {
  const r = parseLines(fs.readFileSync(file, 'utf8'));
  const { events } = codexEvents(r.records, { cap: config.limits.toolOutputBytes, source: 'import' });
  if (!events.some((e) => e.type === 'usage')) return { events: [], badLines: r.badLines, unknownModels: [] };
  const unknown = new Set<string>();
  for (const e of events) if (e.type === 'usage' && !priceOf(String(e.model))) unknown.add(String(e.model));
  const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
  return { events: redacted, badLines: r.badLines, unknownModels: [...unknown] };
}

/** A Gemini CLI chat's events (gemini.ts), redacted; its cwd from the chat folder's `.project_root`. */
function readGeminiSession(
  file: string,
  config: TrackingConfig,
): { events: Array<Redacted<BaseEvent>>; badLines: number; unknownModels: string[] } {
  const { events } = geminiEvents(geminiRecords(fs.readFileSync(file, 'utf8')), {
    cap: config.limits.toolOutputBytes,
    source: 'import',
    cwd: chatProjectRoot(file),
  });
  if (!events.some((e) => e.type === 'usage')) return { events: [], badLines: 0, unknownModels: [] };
  const unknown = new Set<string>();
  for (const e of events) if (e.type === 'usage' && !priceOf(String(e.model))) unknown.add(String(e.model));
  const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
  return { events: redacted, badLines: 0, unknownModels: [...unknown] };
}
