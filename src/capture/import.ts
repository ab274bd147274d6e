/**
 * `agent-track import`: past sessions from Claude Code's transcripts. A session not yet on the branch
 * is rebuilt whole (start, prompts, tool calls, subagents, usage, decisions, errors); for a session
 * that is (captured live, or imported before) only what the transcripts alone hold is added, and
 * every such event has an id derived from what it describes, checked against the branch, so nothing
 * counts twice. Sessions go to the branch in batches: memory stays bounded whatever the corpus.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TrackingConfig } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import { loadConfig } from '../store/config.js';
import { type FlushResult, flushSpool } from '../store/flush.js';
import type { RepoPaths } from '../store/paths.js';
import { AGENT_TOOLS, capValue } from './events.js';
import { redactValue } from './redact.js';
import { derivedId, newMemory, parseLines, type TranscriptMemory, transcriptEvents } from './transcript.js';

/** Claude Code's folder for a project: its path with every non-alphanumeric character as '-'. */
export const projectFolder = (workTree: string, home = os.homedir()): string =>
  path.join(home, '.claude', 'projects', workTree.replace(/[^A-Za-z0-9]/g, '-'));

export interface SessionFiles {
  session: string;
  main: string | null;
  subagents: Array<{ file: string; agent: string }>;
  bytes: number;
  mtimeMs: number;
}

/** Finds transcripts under the given files and folders: `<session>.jsonl` and `<session>/subagents/agent-<id>.jsonl`. */
export function findTranscripts(inputs: string[]): SessionFiles[] {
  const sessions = new Map<string, SessionFiles>();
  const get = (id: string) => {
    let s = sessions.get(id);
    if (!s) {
      s = { session: id, main: null, subagents: [], bytes: 0, mtimeMs: 0 };
      sessions.set(id, s);
    }
    return s;
  };
  const add = (file: string) => {
    if (!file.endsWith('.jsonl')) return;
    const st = fs.statSync(file);
    const base = path.basename(file, '.jsonl');
    const parent = path.dirname(file);
    let s: SessionFiles;
    if (base.startsWith('agent-') && path.basename(parent) === 'subagents') {
      s = get(path.basename(path.dirname(parent)));
      if (!s.subagents.some((x) => x.file === file)) s.subagents.push({ file, agent: base.slice(6) });
    } else {
      s = get(base);
      s.main = file;
    }
    s.bytes += st.size;
    s.mtimeMs = Math.max(s.mtimeMs, st.mtimeMs);
  };
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    else add(p);
  };
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new Error(`no such file or folder: ${input}`);
    walk(path.resolve(input));
  }
  return [...sessions.values()].sort((a, b) => a.session.localeCompare(b.session));
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
      lastMessage: null,
    };
    if (agentType) end.agentType = agentType;
    out.push(end);
  }
  return out;
}

export interface ImportSummary {
  sessions: number;
  newSessions: number;
  bytes: number;
  events: number;
  duplicates: number;
  badLines: number;
  skippedOlder: number;
  unknownModels: string[];
}

export interface ImportOptions {
  since?: Date;
  /** Sessions per commit (bounds memory). */
  batch?: number;
  onProgress?: (done: number, total: number, bytes: number) => void;
}

function sessionEvents(
  s: SessionFiles,
  known: boolean,
  config: TrackingConfig,
  unknown: Set<string>,
): { events: BaseEvent[]; badLines: number } {
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
  return { events, badLines };
}

export async function importTranscripts(
  paths: RepoPaths,
  inputs: string[],
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const config = await loadConfig(paths);
  const all = findTranscripts(inputs);
  const list = opts.since ? all.filter((s) => s.mtimeMs >= opts.since!.getTime()) : all;
  const summary: ImportSummary = {
    sessions: list.length,
    newSessions: 0,
    bytes: 0,
    events: 0,
    duplicates: 0,
    badLines: 0,
    skippedOlder: all.length - list.length,
    unknownModels: [],
  };
  const unknown = new Set<string>();
  const batch = opts.batch ?? 200;
  // first bring the flush state up to the branch (and the spool in): the session index must be current
  // to tell sessions already recorded from new ones
  await flushSpool(paths, { waitMs: 60_000 });
  for (let i = 0; i < list.length; i += batch) {
    const chunk = list.slice(i, i + batch);
    let given = false;
    const result: FlushResult = await flushSpool(paths, {
      waitMs: 60_000,
      collect: async ({ index, cursors }) => {
        // the flush asks again after each commit: the batch is given once
        if (given) return { events: [], cursors, verify: [] };
        given = true;
        const events: BaseEvent[] = [];
        const verify: string[] = [];
        for (const s of chunk) {
          const known = Boolean(index[s.session]);
          if (known) verify.push(s.session);
          else summary.newSessions++;
          const r = sessionEvents(s, known, config, unknown);
          summary.badLines += r.badLines;
          events.push(...r.events);
        }
        const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
        return { events: redacted, cursors, verify };
      },
    });
    summary.events += result.events;
    summary.duplicates += result.duplicates;
    summary.bytes += chunk.reduce((a, s) => a + s.bytes, 0);
    opts.onProgress?.(Math.min(i + batch, list.length), list.length, summary.bytes);
  }
  summary.unknownModels = [...unknown].sort();
  return summary;
}
