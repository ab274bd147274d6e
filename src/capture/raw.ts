/**
 * The raw spool: `<git common dir>/agent-tracking/raw/<pid>-<n>.json`, one file per hook payload as
 * the sh hook saved it (its first line the project folder, then Claude Code's JSON). Local and
 * private like Claude Code's own transcripts (0600 files in a 0700 folder), never read by anything
 * that writes a git object, a page or a handoff before it has been through here: `convertRaw` turns
 * each payload into the events the Node hook would have written (payloadToEvents, same config),
 * redacts them with the full pass, and appends them to the event spool, where the flush and every
 * reader find them.
 *
 * Exactly once. Only one converter runs at a time (`raw.lock`: pid, host and start time; taken over
 * only from a holder that is gone). The ids of a payload's events are derived from the raw file
 * (its name, time and bytes), so converting it again gives the same ids. Before appending, the
 * converter notes which files it takes in `raw/.converting`; a converter killed between its append
 * and its unlink leaves that note, and the next one keeps from those files only the events whose ids
 * the session's spool does not hold yet. The flush removes no spool file while a note is there, so
 * that check always has the file to look in. A raw file is removed only after its events are in the
 * spool file and fsynced.
 *
 * Order: each event's time is the raw file's birth time (when the sh hook created it, right after
 * Claude Code started it), or its modification time where the file system has no birth time; files
 * are converted in that order, so the spool keeps Claude Code's order as the Node hook's start time did.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrackingConfig } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import type { Redacted } from '../model/redacted.js';
import { loadConfig } from '../store/config.js';
import { acquireMutex, pidAlive } from '../store/lock.js';
import { mkdirOwned, own } from '../store/owner.js';
import type { RepoPaths } from '../store/paths.js';
import {
  appendEvents,
  RAW_NAME,
  RAW_NOTE,
  rawLockFile,
  rawSpoolDir,
  rawWaiting,
  spoolFile,
} from '../store/spool.js';
import { type Payload, payloadToEvents } from './events.js';
import { redactText, redactValue } from './redact.js';

export const rawDir = rawSpoolDir;
export const rawPending = rawWaiting;
const NOTE = RAW_NOTE;
/** A payload that never parses is set aside once its writer is gone, or after this long whatever. */
const STALE_MS = 60 * 60 * 1000;

/** Makes the raw spool's folder (0700, the repository owner's) so the sh hook can write into it. */
export function ensureRawDir(paths: RepoPaths): void {
  const dir = rawDir(paths);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      mkdirOwned(dir);
    }
  }
  own(dir);
  try {
    if ((fs.statSync(dir).mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  } catch {
    // raced with nothing we know of: the next call says
  }
}

interface RawFile {
  name: string;
  file: string;
  /** Nanoseconds since the epoch: the birth time, else the modification time. */
  ns: bigint;
  workTree: string | null;
  payload: Payload;
  bytes: Buffer;
}

/** A raw file's text as the sh hook wrote it: the project folder, a newline, the payload. */
function parseRaw(text: string): { workTree: string | null; payload: unknown } | null {
  const nl = text.indexOf('\n');
  const head = nl < 0 ? '' : text.slice(0, nl);
  // the sh hook's first line is an absolute folder; a file without it is a payload alone
  const [workTree, body] = head.startsWith('/') ? [path.resolve(head), text.slice(nl + 1)] : [null, text];
  try {
    return { workTree, payload: JSON.parse(body) };
  } catch {
    return null;
  }
}

/** The payload's events, with ids derived from the raw file (converting it again gives the same). */
function eventsOf(raw: RawFile, config: TrackingConfig, paths: RepoPaths): Redacted<BaseEvent>[] {
  const seed = createHash('sha256').update(raw.name).update(String(raw.ns)).update(raw.bytes).digest('hex');
  let n = 0;
  const newId = () => {
    const h = createHash('sha256').update(`${seed}:${n++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  };
  const ts = new Date(Number(raw.ns / 1_000_000n)).toISOString();
  const events = payloadToEvents(raw.payload, {
    now: () => ts,
    newId,
    config,
    workTree: raw.workTree ?? paths.workTree,
  });
  return events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns, pass: 'full' }));
}

/** Keeps a payload that cannot be recorded where a person finds it (redacted), as the Node hook does. */
function setAside(paths: RepoPaths, name: string, text: string, why: string): void {
  try {
    mkdirOwned(paths.errorsDir);
    const file = path.join(paths.errorsDir, `raw-${name}`);
    fs.writeFileSync(file, JSON.stringify({ error: why, payload: redactText(text, { pass: 'full' }) }), {
      mode: 0o600,
    });
    own(file);
  } catch {
    // a full disk: the payload goes all the same (it would never parse)
  }
}

/** The ids a spool file holds (read whole: only after an interrupted conversion). */
function spoolIds(file: string): Set<string> {
  const ids = new Set<string>();
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return ids;
  }
  for (const m of text.matchAll(/^\{"id":"([^"]+)"/gm)) ids.add(m[1]);
  return ids;
}

export interface ConvertResult {
  payloads: number;
  events: number;
  /** Payloads that never parsed, set aside in the errors folder. */
  bad: number;
  /** Files left for later: being written (their writer is alive), not whole yet. */
  left: number;
}

/**
 * Converts every whole payload waiting in the raw spool into events in the event spool (see above).
 * `waitMs`: how long to wait for another converter; 0 gives up at once (returns null).
 */
export async function convertRaw(
  paths: RepoPaths,
  opts: { waitMs?: number; config?: TrackingConfig } = {},
): Promise<ConvertResult | null> {
  const result: ConvertResult = { payloads: 0, events: 0, bad: 0, left: 0 };
  const dir = rawDir(paths);
  try {
    fs.rmSync(path.join(paths.trackingDir, 'flush.want'), { force: true });
  } catch {
    // read-only: nothing to convert into either
  }
  if (!rawPending(paths)) return result;
  const release = await acquireMutex(rawLockFile(paths), opts.waitMs ?? 0);
  if (!release) return null;
  try {
    const config = opts.config ?? (await loadConfig(paths));
    // a converter killed after appending: its files' events may be in the spool already
    let suspect = new Set<string>();
    try {
      suspect = new Set(fs.readFileSync(path.join(dir, NOTE), 'utf8').split('\n').filter(Boolean));
    } catch {
      // none
    }
    const files: RawFile[] = [];
    for (const name of fs.readdirSync(dir)) {
      const m = RAW_NAME.exec(name);
      if (!m) continue;
      const file = path.join(dir, name);
      let bytes: Buffer;
      let st: fs.BigIntStats;
      try {
        bytes = fs.readFileSync(file);
        st = fs.statSync(file, { bigint: true });
      } catch {
        continue;
      }
      const text = bytes.toString('utf8');
      const parsed = parseRaw(text);
      const payload = parsed?.payload;
      if (!parsed || !payload || typeof payload !== 'object' || Array.isArray(payload)) {
        // being written (a prefix of a payload never parses), or a hook killed mid-write, or bad input
        const gone = !pidAlive(Number(m[1])) || Date.now() - Number(st.mtimeMs) > STALE_MS;
        if (!parsed ? gone : true) {
          setAside(paths, name, text, parsed ? 'payload is not an object' : 'not a whole JSON payload');
          fs.rmSync(file, { force: true });
          result.bad++;
        } else result.left++;
        continue;
      }
      const birth = st.birthtimeNs;
      const ns = birth > 0n && birth <= st.mtimeNs ? birth : st.mtimeNs;
      files.push({ name, file, ns, workTree: parsed.workTree, payload: payload as Payload, bytes });
    }
    files.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.name.localeCompare(b.name)));
    const bySession = new Map<string, Redacted<BaseEvent>[]>();
    const done: RawFile[] = [];
    // the same payload twice within a second: two hooks of ours saw one event (the plugin's and
    // init's settings both installed); Claude Code gives every hook of an event the same bytes
    const seen = new Map<string, bigint>();
    const copies: RawFile[] = [];
    for (const raw of files) {
      const body = createHash('sha256')
        .update(raw.bytes.subarray(raw.workTree === null ? 0 : raw.bytes.indexOf(10) + 1))
        .digest('hex');
      const at = seen.get(body);
      if (at !== undefined && raw.ns - at < 1_000_000_000n) {
        copies.push(raw);
        continue;
      }
      seen.set(body, raw.ns);
      let events: Redacted<BaseEvent>[];
      try {
        events = eventsOf(raw, config, paths);
      } catch (e) {
        setAside(paths, raw.name, raw.bytes.toString('utf8'), (e as Error).message);
        fs.rmSync(raw.file, { force: true });
        result.bad++;
        continue;
      }
      done.push(raw);
      for (const e of events) {
        const list = bySession.get(e.session);
        if (list) list.push(e);
        else bySession.set(e.session, [e]);
      }
    }
    if (done.length) {
      // the note first: a kill from here on leaves it for the next converter
      const note = [...new Set([...suspect, ...done.map((r) => r.name)])].join('\n');
      fs.writeFileSync(path.join(dir, NOTE), `${note}\n`, { mode: 0o600 });
      own(path.join(dir, NOTE));
      const suspectSessions = new Set(
        done.filter((r) => suspect.has(r.name)).map((r) => String(r.payload.session_id)),
      );
      for (const [session, list] of bySession) {
        let events = list;
        if (suspectSessions.has(session)) {
          const have = spoolIds(spoolFile(paths, session));
          events = list.filter((e) => !have.has(e.id));
        }
        if (!events.length) continue;
        const { file } = appendEvents(paths, session, events);
        const fd = fs.openSync(file, 'r');
        try {
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        result.events += events.length;
      }
      // fault injection for the crash tests: die between the append and the unlink
      if (process.env.AGENT_TRACK_FAULT === 'after-raw-append') process.kill(process.pid, 'SIGKILL');
      for (const raw of done) fs.rmSync(raw.file, { force: true });
      result.payloads = done.length;
    }
    for (const raw of copies) fs.rmSync(raw.file, { force: true });
    fs.rmSync(path.join(dir, NOTE), { force: true });
    return result;
  } finally {
    release();
  }
}
