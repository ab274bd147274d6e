/**
 * The events of one past session, built from its transcripts alone and redacted: what `import` writes.
 * Node builtins and our capture modules only (no git, no store): it also runs in import's worker threads.
 */
import * as fs from 'node:fs';
import type { TrackingConfig } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import { AGENT_TOOLS, capValue } from './events.js';
import { type Redacted, redactValue } from './redact.js';
import { derivedId, newMemory, parseLines, type TranscriptMemory, transcriptEvents } from './transcript.js';

export interface SessionFiles {
  session: string;
  main: string | null;
  subagents: Array<{ file: string; agent: string }>;
  bytes: number;
  mtimeMs: number;
}

export interface SessionImport {
  session: string;
  events: Array<Redacted<BaseEvent>>;
  /** Each event's JSON line (without the newline). */
  lines: string[];
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
  const starts = new Map<string, { ts: string; tool: string; input: unknown }>();
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
    }
    if (!Array.isArray(content)) continue;
    for (const b of content) {
      if (rec.type === 'assistant' && b?.type === 'text' && typeof b.text === 'string' && b.text.trim())
        lastText = b.text;
      if (rec.type === 'assistant' && b?.type === 'tool_use' && typeof b.id === 'string') {
        const tool = String(b.name ?? 'unknown');
        starts.set(b.id, { ts, tool, input: b.input });
        const e: BaseEvent = {
          ...base('tool_start', b.id),
          toolUseId: b.id,
          tool,
          input: cap(b.input ?? null),
        };
        if (AGENT_TOOLS.has(tool) && b.input)
          e.launch = {
            description: str(b.input.description),
            prompt: cap(b.input.prompt ?? null),
            subagentType: str(b.input.subagent_type),
          };
        out.push(e);
      } else if (rec.type === 'user' && b?.type === 'tool_result' && typeof b.tool_use_id === 'string') {
        const s = starts.get(b.tool_use_id);
        const failed = b.is_error === true;
        const result = rec.toolUseResult;
        const e: BaseEvent = {
          ...base('tool_call', b.tool_use_id),
          toolUseId: b.tool_use_id,
          tool: s?.tool ?? 'unknown',
          input: cap(s?.input ?? null),
          success: !failed,
          durationMs: s ? Date.parse(ts) - Date.parse(s.ts) : null,
          output: failed ? undefined : cap(result ?? null),
        };
        if (failed) e.error = cap(typeof b.content === 'string' ? b.content : JSON.stringify(b.content));
        if (s && AGENT_TOOLS.has(s.tool) && result && typeof result === 'object')
          e.launchedAgent = str(result.agentId);
        out.push(e);
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
 * Everything a session's transcripts hold (`known`: the session is already on the branch, so only what
 * transcripts alone hold: usage, decisions, transcript-only errors), redacted.
 */
export function importSessionEvents(s: SessionFiles, known: boolean, config: TrackingConfig): SessionImport {
  const unknown = new Set<string>();
  const memory: TranscriptMemory = newMemory();
  const events: BaseEvent[] = [];
  let badLines = 0;
  const files: Array<{ file: string; agent: string; type: string | null }> = [];
  if (s.main) files.push({ file: s.main, agent: 'main', type: null });
  for (const sub of s.subagents) {
    let type: string | null = null;
    try {
      type = str(JSON.parse(fs.readFileSync(sub.file.replace(/\.jsonl$/, '.meta.json'), 'utf8')).agentType);
    } catch {
      type = null;
    }
    files.push({ ...sub, type });
  }
  for (const f of files) {
    // parsed once, read twice: for usage, decisions and errors, and for the session's structure
    const { records, badLines: bad } = parseLines(fs.readFileSync(f.file, 'utf8'));
    const parsed = transcriptEvents(records, s.session, f.agent, memory);
    badLines += bad;
    for (const m of parsed.unknownModels) unknown.add(m);
    for (const e of parsed.events) if (f.type && f.agent !== 'main') e.agentType = f.type;
    events.push(...parsed.events);
    // a session already on the branch keeps its live record; only what transcripts alone hold is added
    if (!known) events.push(...structuralEvents(records, s.session, f.agent, f.type, config));
  }
  const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
  const lines = redacted.map((e) => JSON.stringify(e));
  return { session: s.session, events: redacted, lines, badLines, unknownModels: [...unknown] };
}
