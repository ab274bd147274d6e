/**
 * The flush's transcript source: for each session it knows, reads the main transcript and the
 * subagents' transcripts from where the last flush stopped and returns usage, decision and
 * transcript-only error events, redacted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrackingConfig } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import { loadConfig } from '../store/config.js';
import { type Collector, type FlushOptions, type FlushResult, flushSpool } from '../store/flush.js';
import type { RepoPaths } from '../store/paths.js';
import { redactValue } from './redact.js';
import { type FileCursor, newMemory, readTranscriptFile, type TranscriptMemory } from './transcript.js';

interface SessionCursor {
  files: Record<string, FileCursor>;
  seen: string[];
  /** When the session ended (cursors of ended sessions are dropped a day later). */
  ended?: string | null;
}
type Cursors = Record<string, SessionCursor>;

const KEEP_ENDED_MS = 24 * 3600_000;

/** `<dir>/<session>.jsonl` -> `<dir>/<session>/subagents/agent-<id>.jsonl` files. */
function subagentFiles(mainTranscript: string): Array<{ file: string; agent: string }> {
  const dir = path.join(mainTranscript.replace(/\.jsonl$/, ''), 'subagents');
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => /^agent-.+\.jsonl$/.test(f))
      .map((f) => ({ file: path.join(dir, f), agent: f.slice(6, -6) }));
  } catch {
    return [];
  }
}

export function transcriptCollector(
  config: TrackingConfig,
  warn: (msg: string) => void = () => {},
): Collector {
  return async ({ events, index, cursors }) => {
    const prev = (cursors && typeof cursors === 'object' ? cursors : {}) as Cursors;
    const next: Cursors = {};
    const verify: string[] = [];
    for (const [id, c] of Object.entries(prev)) next[id] = { ...c, files: { ...c.files } };
    for (const e of events) {
      let c = next[e.session];
      if (!c) {
        c = { files: {}, seen: [] };
        next[e.session] = c;
        // a session already on the branch whose cursor was dropped (resumed a day later): check ids
        if (index[e.session]) verify.push(e.session);
      }
      const t = typeof e.transcriptPath === 'string' ? e.transcriptPath : null;
      if (e.type === 'session_start' && t && !c.files[t]) c.files[t] = { agent: 'main', ino: 0, offset: 0 };
      if (e.type === 'agent_end' && t && !c.files[t])
        c.files[t] = { agent: String(e.agentId ?? e.agent), ino: 0, offset: 0 };
      if (e.type === 'session_start') c.ended = null;
      if (e.type === 'session_end') c.ended = e.ts;
    }
    const out: BaseEvent[] = [];
    const unknown = new Set<string>();
    for (const [session, c] of Object.entries(next)) {
      const main = Object.entries(c.files).find(([, f]) => f.agent === 'main')?.[0];
      if (main)
        for (const s of subagentFiles(main)) c.files[s.file] ??= { agent: s.agent, ino: 0, offset: 0 };
      const memory: TranscriptMemory = { ...newMemory(), seen: new Set(c.seen) };
      for (const [file, cursor] of Object.entries(c.files)) {
        const r = readTranscriptFile(file, cursor, session, memory);
        if (!r) continue;
        c.files[file] = r.cursor;
        out.push(...r.result.events);
        for (const m of r.result.unknownModels) unknown.add(m);
      }
      c.seen = [...memory.seen];
      if (c.ended && Date.now() - Date.parse(c.ended) > KEEP_ENDED_MS) delete next[session];
    }
    for (const m of unknown) warn(`no price for model '${m}': its cost is recorded as null`);
    const redacted = out.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
    return { events: redacted, cursors: next, verify };
  };
}

/** Flushes the spool together with what the transcripts add since the last flush. */
export async function flushWithTranscripts(
  paths: RepoPaths,
  opts: FlushOptions = {},
  warn?: (msg: string) => void,
): Promise<FlushResult> {
  const config = await loadConfig(paths);
  return flushSpool(paths, { ...opts, collect: transcriptCollector(config, warn) });
}
