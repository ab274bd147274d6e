/**
 * The flush's transcript source: for each session it knows, reads the main transcript and the
 * subagents' transcripts from where the last flush stopped and returns usage, decision and
 * transcript-only error events, redacted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrackingConfig } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import { redactForStore } from '../model/redact.js';
import { updateAttributionIndex } from '../store/attribution.js';
import { loadConfig } from '../store/config.js';
import {
  type Collector,
  type FlushOptions,
  type FlushResult,
  flushSpool,
  type TranscriptPiece,
} from '../store/flush.js';
import type { RepoPaths } from '../store/paths.js';
import { TrackingBranch } from '../store/reader.js';
import { codexEvents } from './codex.js';
import { geminiEvents, geminiRecords } from './gemini.js';
import { convertRaw } from './raw.js';
import { redactValue } from './redact.js';
import {
  type FileCursor,
  newMemory,
  parseLines,
  readTranscriptFile,
  type TranscriptMemory,
} from './transcript.js';

interface SessionCursor {
  files: Record<string, FileCursor>;
  seen: string[];
  /** tool_use ids whose failure a hook reported: the transcript's record of it is the same event. */
  hookFailed?: string[];
  /** tool_use ids whose failure the transcript gave first: a hook's later record of it is checked against the branch. */
  transcriptFailed?: string[];
  /** When the session ended (cursors of ended sessions are dropped a day later). */
  ended?: string | null;
  /**
   * The main agent's turn is over (a Stop, or the session's end, and nothing since): its transcript is
   * final. Kept between flushes: the flush the Stop started can read the transcript a moment before
   * Claude Code writes the turn's last line, and a later flush must still release that response.
   */
  turnOver?: boolean;
  /** Subagents whose SubagentStop was seen: their transcripts are final. */
  agentsEnded?: string[];
  /** A Codex CLI session: its rollout (read whole at each flush, codex.ts) and the ids already given. */
  codex?: { rollout: string; given: string[] };
  /** A Gemini CLI session: its saved chat (read whole at each flush, gemini.ts), its cwd, the ids given. */
  gemini?: { chat: string; cwd: string | null; given: string[] };
}
type Cursors = Record<string, SessionCursor>;

const KEEP_ENDED_MS = 24 * 3600_000;

/** `<dir>/<session>.jsonl` -> `<dir>/<session>/subagents/agent-<id>.jsonl` files, with their `.meta.json` type. */
function subagentFiles(mainTranscript: string): Array<{ file: string; agent: string; type: string | null }> {
  const dir = path.join(mainTranscript.replace(/\.jsonl$/, ''), 'subagents');
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => /^agent-.+\.jsonl$/.test(f))
      .map((f) => {
        let type: string | null = null;
        try {
          const meta = JSON.parse(fs.readFileSync(path.join(dir, `${f.slice(0, -6)}.meta.json`), 'utf8'));
          type = typeof meta.agentType === 'string' ? meta.agentType : null;
        } catch {
          // no metadata (older Claude Code): the type comes from SubagentStop
        }
        return { file: path.join(dir, f), agent: f.slice(6, -6), type };
      });
  } catch {
    return [];
  }
}

/** A piece of a transcript on the branch stays well under git hosts' limits (GitHub warns at 50 MB). */
export const PIECE_BYTES = 8 * 1024 * 1024;

/** A transcript's name on the branch: `main`, or its path under the session's folder without `.jsonl`. */
export function transcriptName(mainFile: string, file: string): string {
  if (file === mainFile) return 'main';
  const base = mainFile.replace(/\.jsonl$/, '');
  const rel = file.startsWith(`${base}${path.sep}`) ? file.slice(base.length + 1) : path.basename(file);
  return rel
    .split(path.sep)
    .join('/')
    .replace(/\.jsonl$/, '');
}

/**
 * The whole lines of `file` in [from, to), redacted by the full pass, in pieces of at most
 * PIECE_BYTES (a longer line is a piece of its own).
 */
export function transcriptPieces(
  file: string,
  session: string,
  name: string,
  from: number,
  to: number,
  opts: { extraPatterns?: string[]; allow?: string[]; partial?: boolean },
): TranscriptPiece[] {
  if (to <= from) return [];
  const out: TranscriptPiece[] = [];
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return out;
  }
  try {
    let pos = from;
    while (pos < to) {
      let len = Math.min(PIECE_BYTES, to - pos);
      let buf = Buffer.allocUnsafe(len);
      len = fs.readSync(fd, buf, 0, len, pos);
      if (len <= 0) break;
      buf = buf.subarray(0, len);
      let end = buf.lastIndexOf(10) + 1;
      if (end === 0) {
        // one line longer than a piece: read to its end
        const rest: Buffer[] = [buf];
        let at = pos + len;
        let complete = false;
        while (at < to) {
          const more = Buffer.allocUnsafe(Math.min(PIECE_BYTES, to - at));
          const n = fs.readSync(fd, more, 0, more.length, at);
          if (n <= 0) break;
          const nl = more.subarray(0, n).indexOf(10);
          rest.push(more.subarray(0, nl >= 0 ? nl + 1 : n));
          at += nl >= 0 ? nl + 1 : n;
          if (nl >= 0) {
            complete = true;
            break;
          }
        }
        // a last line still being written waits for the next flush (a whole file, like .meta.json, does not)
        if (!complete && !opts.partial) break;
        buf = Buffer.concat(rest);
        end = buf.length;
      }
      const text = buf.subarray(0, end).toString('utf8');
      out.push({ session, name, start: pos, end: pos + end, content: redactForStore(text, opts) });
      pos += end;
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/** A session's transcript files as the branch keeps them, from where it has each one to the end of the file. */
export function sessionTranscriptPieces(
  session: string,
  files: { main: string | null; subagents: Array<{ file: string }> },
  kept: Record<string, number> | undefined,
  config: TrackingConfig,
): TranscriptPiece[] {
  if (!config.transcripts.keep) return [];
  const opts = { extraPatterns: config.redaction.extraPatterns, allow: config.redaction.allow };
  const out: TranscriptPiece[] = [];
  // a session may have only its subagents' files (2.0's sidechains, the main transcript gone)
  const main = files.main;
  for (const file of [...(main ? [main] : []), ...files.subagents.map((x) => x.file)]) {
    const name = main ? transcriptName(main, file) : path.basename(file, '.jsonl');
    let size = 0;
    try {
      size = fs.statSync(file).size;
    } catch {
      continue;
    }
    const from = kept?.[name] ?? 0;
    out.push(...transcriptPieces(file, session, name, from, size, opts));
    const meta = file.replace(/\.jsonl$/, '.meta.json');
    if (from === 0 && name !== 'main' && fs.existsSync(meta))
      out.push(
        ...transcriptPieces(meta, session, `${name}.meta.json`, 0, fs.statSync(meta).size, {
          ...opts,
          partial: true,
        }),
      );
  }
  return out;
}

/** A transcript untouched this long belongs to a process that is gone: its last response is final. */
const IDLE_FINAL_MS = 10 * 60_000;
/** How long a just-ended turn's transcript must have been quiet before it is read as final. */
const SETTLE_MS = 400;
const SLEEP = new Int32Array(new SharedArrayBuffer(4));

export function transcriptCollector(
  config: TrackingConfig,
  warn: (msg: string) => void = () => {},
): Collector {
  return async ({ events, index, cursors }) => {
    const prev = (cursors && typeof cursors === 'object' ? cursors : {}) as Cursors;
    const next: Cursors = {};
    const verify: string[] = [];
    // copies: a flush may ask again with the same cursors (its commit lost a race), so nothing of
    // them is changed in place (the ids a Codex or Gemini file already gave would be lost with it)
    for (const [id, c] of Object.entries(prev))
      next[id] = {
        ...c,
        files: { ...c.files },
        ...(c.codex ? { codex: { ...c.codex, given: [...c.codex.given] } } : {}),
        ...(c.gemini ? { gemini: { ...c.gemini, given: [...c.gemini.given] } } : {}),
      };
    // what this flush's spool says about each session: which transcript files are final
    for (const e of events) {
      let c = next[e.session];
      if (!c) {
        c = { files: {}, seen: [] };
        next[e.session] = c;
        // a session already on the branch whose cursor was dropped (resumed a day later): check ids
        if (index[e.session]) verify.push(e.session);
      }
      // a Codex session names its rollout; what the spool already holds of it is not given again
      if (e.type === 'session_start' && typeof e.rolloutPath === 'string')
        c.codex = { rollout: e.rolloutPath, given: c.codex?.given ?? [] };
      if (c.codex && !c.codex.given.includes(e.id)) c.codex.given.push(e.id);
      if (e.type === 'session_start' && typeof e.chatPath === 'string')
        c.gemini = {
          chat: e.chatPath,
          cwd: typeof e.cwd === 'string' ? e.cwd : null,
          given: c.gemini?.given ?? [],
        };
      if (c.gemini && !c.gemini.given.includes(e.id)) c.gemini.given.push(e.id);
      const t = typeof e.transcriptPath === 'string' ? e.transcriptPath : null;
      // a session's main transcript, from its start or (cursors lost with the flush state) a later prompt
      if ((e.type === 'session_start' || (e.type === 'prompt' && e.agent === 'main')) && t && !c.files[t])
        c.files[t] = { agent: 'main', ino: 0, offset: 0, agentType: 'main' };
      if (e.type === 'agent_end' && t) {
        const agent = String(e.agentId ?? e.agent);
        c.files[t] ??= { agent, ino: 0, offset: 0 };
        if (typeof e.agentType === 'string') c.files[t].agentType = e.agentType;
        if (!c.agentsEnded?.includes(agent)) c.agentsEnded = [...(c.agentsEnded ?? []), agent];
      }
      if (e.type === 'tool_call' && e.success === false && typeof e.toolUseId === 'string') {
        c.hookFailed = [...new Set([...(c.hookFailed ?? []), e.toolUseId])];
        // the transcript was read first: the branch has this event already, under the same id
        if (c.transcriptFailed?.includes(e.toolUseId) && !verify.includes(e.session)) verify.push(e.session);
      }
      if (e.type === 'session_start') c.ended = null;
      if (e.type === 'session_end') c.ended = e.ts;
      // Stop: the main agent's turn is over, its last response complete; new activity reopens it
      if (e.agent === 'main' && (e.type === 'stop' || e.type === 'session_end')) c.turnOver = true;
      else if (e.agent === 'main' && (e.type === 'prompt' || e.type === 'tool_start')) c.turnOver = false;
    }
    const out: BaseEvent[] = [];
    const pieces: TranscriptPiece[] = [];
    const redactOpts = { extraPatterns: config.redaction.extraPatterns, allow: config.redaction.allow };
    const unknown = new Set<string>();
    for (const [session, c] of Object.entries(next)) {
      if (c.codex || c.gemini) {
        if (c.codex) out.push(...codexFresh(c.codex, config));
        if (c.gemini) out.push(...geminiFresh(c.gemini, config));
        if (c.ended && Date.now() - Date.parse(c.ended) > KEEP_ENDED_MS) delete next[session];
        continue;
      }
      const main = Object.entries(c.files).find(([, f]) => f.agent === 'main')?.[0];
      if (main)
        for (const s of subagentFiles(main)) {
          c.files[s.file] ??= { agent: s.agent, ino: 0, offset: 0 };
          if (s.type && !c.files[s.file].agentType) c.files[s.file].agentType = s.type;
        }
      const memory: TranscriptMemory = { ...newMemory(), seen: new Set(c.seen) };
      const hookFailed = new Set(c.hookFailed ?? []);
      for (const [file, cursor] of Object.entries(c.files)) {
        const ended =
          Boolean(c.ended) ||
          (cursor.agent === 'main' ? Boolean(c.turnOver) : Boolean(c.agentsEnded?.includes(cursor.agent)));
        let idle = false;
        try {
          const since = Date.now() - fs.statSync(file).mtimeMs;
          idle = since > IDLE_FINAL_MS;
          // a turn that just ended: Claude Code may still be writing its last line (the hooks run
          // async); a moment's quiet first, so this flush reads it
          if (ended && since < SETTLE_MS) Atomics.wait(SLEEP, 0, 0, SETTLE_MS - since);
        } catch {
          // gone: read says so
        }
        const final = ended || idle;
        const r = readTranscriptFile(file, cursor, session, memory, {
          final,
          cap: config.limits.toolOutputBytes,
        });
        if (!r) continue;
        c.files[file] = r.cursor;
        // the conversation itself, from where the branch has it to the last whole line read
        if (config.transcripts.keep && main) {
          const name = transcriptName(main, file);
          const from = index[session]?.transcripts?.[name] ?? 0;
          if (r.cursor.offset > from) {
            pieces.push(...transcriptPieces(file, session, name, from, r.cursor.offset, redactOpts));
            const meta = file.replace(/\.jsonl$/, '.meta.json');
            if (from === 0 && name !== 'main' && fs.existsSync(meta))
              pieces.push(
                ...transcriptPieces(meta, session, `${name}.meta.json`, 0, fs.statSync(meta).size, {
                  ...redactOpts,
                  partial: true,
                }),
              );
          }
        }
        // a failure a hook already reported is that event; the transcript adds only what no hook saw
        const fresh = r.result.events.filter(
          (e) => !((e.type === 'tool_call' || e.type === 'error') && hookFailed.has(String(e.toolUseId))),
        );
        const failedIds = fresh.filter((e) => e.type === 'tool_call').map((e) => String(e.toolUseId));
        if (failedIds.length) c.transcriptFailed = [...(c.transcriptFailed ?? []), ...failedIds];
        out.push(...fresh);
        for (const m of r.result.unknownModels) unknown.add(m);
      }
      c.seen = [...memory.seen];
      if (c.ended && Date.now() - Date.parse(c.ended) > KEEP_ENDED_MS) delete next[session];
    }
    for (const m of unknown)
      warn(
        `no price for model '${m}': its tokens are shown as unpriced (add it under pricing: in .agent-tracking.yml)`,
      );
    const redacted = out.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
    return { events: redacted, cursors: next, verify, transcripts: pieces };
  };
}

/**
 * The events of a Codex rollout not given before (each has the id import gives it, codex.ts). A call
 * still running has no event yet; it comes with a later flush.
 */
function codexFresh(c: { rollout: string; given: string[] }, config: TrackingConfig): BaseEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(c.rollout, 'utf8');
  } catch {
    return []; // not on this machine, or deleted
  }
  const { events } = codexEvents(parseLines(text).records, {
    cap: config.limits.toolOutputBytes,
    source: 'rollout',
  });
  const given = new Set(c.given);
  const fresh = events.filter((e) => !given.has(e.id));
  for (const e of fresh) c.given.push(e.id);
  return fresh;
}

/** The events of a Gemini chat not given before (gemini.ts). */
function geminiFresh(
  c: { chat: string; cwd: string | null; given: string[] },
  config: TrackingConfig,
): BaseEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(c.chat, 'utf8');
  } catch {
    return [];
  }
  const { events } = geminiEvents(geminiRecords(text), {
    cap: config.limits.toolOutputBytes,
    source: 'chat',
    cwd: c.cwd,
  });
  const given = new Set(c.given);
  const fresh = events.filter((e) => !given.has(e.id));
  for (const e of fresh) c.given.push(e.id);
  return fresh;
}

/** Flushes the spool together with what the transcripts add since the last flush. */
export async function flushWithTranscripts(
  paths: RepoPaths,
  opts: FlushOptions = {},
  warn?: (msg: string) => void,
): Promise<FlushResult> {
  const config = await loadConfig(paths);
  const result = await flushSpool(paths, {
    ...opts,
    collect: transcriptCollector(config, warn),
    // the sh hook's payloads, converted under the flush's lock (waiting for a reader converting them)
    convertRaw: () => convertRaw(paths, { waitMs: 10_000, config }),
  });
  // the attribution index follows the branch here, in the flush's process, never in the hook; a
  // failure costs only the index's freshness (the next reader brings it up to date)
  if (result.commits > 0) {
    try {
      await updateAttributionIndex(paths, await TrackingBranch.open(paths));
    } catch (e) {
      warn?.(`attribution index not updated: ${(e as Error).message}`);
    }
  }
  return result;
}
