/**
 * The attribution index: for every recorded file change, the hashes of the lines it added, with who
 * made it (session, agent, agent type, tool, tool_use id, time). A cache derived from the branch, kept
 * beside the spool (`<git common dir>/agent-tracking/attribution/`), never in the work tree nor on the
 * branch: one file a session, holding the segments it was built from (name and blob id). Segments
 * are immutable, so an update reads only the segments it has not seen; a segment that changed or
 * vanished (a compaction, a rebuilt branch) rebuilds that session's file; a missing index is rebuilt
 * from the branch. Built after a flush (in the flush's own detached process, never in the hook) and
 * brought up to date by every reader whose branch tip it has not seen.
 *
 * It holds hashes and the names the branch already holds (session ids, paths, tool names), no content.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type AttributedChange, addedLines, lineHash, shellWrites } from '../model/attribution.js';
import { canonicalEvent } from '../model/canonical.js';
import type { BaseEvent } from '../model/events.js';
import { writeFileDurable } from './fsutil.js';
import { mkdirOwned } from './owner.js';
import type { RepoPaths } from './paths.js';
import type { TrackingBranch } from './reader.js';

const VERSION = 1;
/** A prompt is kept up to this many characters (blame shows it; `why` reads the whole one). */
const PROMPT_CHARS = 2000;

interface SessionFile {
  version: number;
  session: string;
  dir: string;
  /** segment name -> blob id it was built from */
  segments: Record<string, string>;
  changes: AttributedChange[];
  /** tool_use id -> tool name, from the segments' tool_call events (a change's tool when its call came later). */
  tools: Record<string, string>;
  /** The user's prompts (as the branch holds them, redacted), to name the one a change answered. */
  prompts: Array<{ ts: string; text: string }>;
  /** The session's event count when the file was built: unchanged, its segments are not listed again. */
  events?: number;
  /** agent -> the model its responses came from (the latest seen). */
  models: Record<string, string>;
}

interface Manifest {
  version: number;
  /** The branch tip the index was last brought up to. */
  tip: string | null;
}

export const attributionDir = (paths: RepoPaths): string => path.join(paths.trackingDir, 'attribution');
const sessionFile = (paths: RepoPaths, session: string) =>
  path.join(attributionDir(paths), 'sessions', `${encodeURIComponent(session)}.json`);
const manifestFile = (paths: RepoPaths) => path.join(attributionDir(paths), 'index.json');

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Claude Code's tool for a change whose tool_call is not at hand: a Write creates or replaces, the rest edit. */
const toolOfOperation = (op: string): string =>
  op === 'create' || op === 'update'
    ? 'Write'
    : op === 'notebook'
      ? 'NotebookEdit'
      : op === 'bash'
        ? 'Bash'
        : 'Edit';

/** The change a file_change event records, or null when its diff was not kept (over the size cap). */
export function changeOf(e: BaseEvent, agentTypes: Record<string, string>): AttributedChange | null {
  if (e.type !== 'file_change' || typeof e.path !== 'string' || typeof e.diff !== 'string') return null;
  const [c] = canonicalEvent(e, agentTypes);
  return {
    id: e.id,
    session: e.session,
    agent: e.agent,
    agentType: c?.agentType ?? null,
    tool: null,
    toolUseId: typeof e.toolUseId === 'string' ? e.toolUseId : null,
    ts: e.ts,
    path: e.path,
    operation: typeof e.operation === 'string' ? e.operation : 'edit',
    hashes: addedLines(e.diff).map(lineHash),
  };
}

function addEvents(
  file: SessionFile,
  events: BaseEvent[],
  agentTypes: Record<string, string>,
  workTree: string,
): void {
  const have = new Set(file.changes.map((c) => c.id));
  for (const e of events) {
    if (e.type === 'tool_call' && typeof e.toolUseId === 'string' && typeof e.tool === 'string')
      file.tools[e.toolUseId] = e.tool;
    if (e.type === 'usage' && typeof e.model === 'string' && e.model !== 'unknown')
      file.models[e.agent] = e.model;
    if (e.type === 'prompt' && typeof e.text === 'string' && !file.prompts.some((p) => p.ts === e.ts))
      file.prompts.push({ ts: e.ts, text: e.text.slice(0, PROMPT_CHARS) });
    if (e.type === 'tool_call' && e.tool === 'Bash' && e.outcome !== 'failed' && e.success !== false) {
      const command = (e.input as { command?: unknown } | null)?.command;
      if (typeof command === 'string') {
        const { targets, lines } = shellWrites(command);
        const hashes = lines.map(lineHash);
        for (const t of hashes.length ? targets : []) {
          const id = `${e.id}:${t}`;
          const rel = path.isAbsolute(t)
            ? path.relative(workTree, t).split(path.sep).join('/')
            : path.posix.normalize(t);
          if (have.has(id) || rel.startsWith('..')) continue;
          const [c] = canonicalEvent(e, agentTypes);
          file.changes.push({
            id,
            session: e.session,
            agent: e.agent,
            agentType: c?.agentType ?? null,
            tool: 'Bash',
            toolUseId: typeof e.toolUseId === 'string' ? e.toolUseId : null,
            ts: e.ts,
            path: rel,
            operation: 'bash',
            hashes,
          });
          have.add(id);
        }
      }
    }
    if (e.type !== 'file_change' || have.has(e.id)) continue;
    const c = changeOf(e, agentTypes);
    if (c) {
      file.changes.push(c);
      have.add(e.id);
    }
  }
}

export interface IndexUpdate {
  sessions: number;
  segmentsRead: number;
  changes: number;
  rebuilt: number;
}

/** Writes a file of the index; false when it cannot (a read-only clone): the index is only a cache. */
function tryWrite(file: string, data: string): boolean {
  try {
    writeFileDurable(file, data, { fsync: false });
    return true;
  } catch {
    return false;
  }
}

/** The index brought to the branch's tip, and every session's file (read or built). */
async function syncIndex(
  paths: RepoPaths,
  branch: TrackingBranch,
): Promise<{ result: IndexUpdate; files: Map<string, SessionFile> }> {
  const result: IndexUpdate = { sessions: 0, segmentsRead: 0, changes: 0, rebuilt: 0 };
  const files = new Map<string, SessionFile>();
  const manifest = readJson<Manifest>(manifestFile(paths));
  const sessions = await branch.rawSessions();
  const seenTip = manifest?.version === VERSION && manifest.tip === branch.tip;
  try {
    mkdirOwned(path.join(attributionDir(paths), 'sessions'));
  } catch {
    // not writable: built in memory only
  }
  let written = true;
  for (const summary of sessions) {
    const target = sessionFile(paths, summary.session);
    let file = readJson<SessionFile>(target);
    // a session with no new event since (or a tip already seen): its file is up to date
    if (
      file?.version === VERSION &&
      file.dir === summary.dir &&
      (seenTip || file.events === summary.events)
    ) {
      files.set(summary.session, file);
      continue;
    }
    result.sessions++;
    const segs = await branch.segments(summary);
    const oidOf = new Map(segs.map((s) => [s.path, s.oid]));
    const stale =
      !file ||
      file.version !== VERSION ||
      file.dir !== summary.dir ||
      Object.entries(file.segments).some(([name, oid]) => oidOf.get(name) !== oid);
    if (stale) {
      if (file) result.rebuilt++;
      file = {
        version: VERSION,
        session: summary.session,
        dir: summary.dir,
        segments: {},
        changes: [],
        tools: {},
        prompts: [],
        models: {},
      };
    }
    const built = file!;
    for (const seg of segs.filter((s) => built.segments[s.path] !== s.oid)) {
      addEvents(
        built,
        await branch.segmentEvents(summary, seg.path),
        summary.agentTypes ?? {},
        paths.workTree,
      );
      built.segments[seg.path] = seg.oid;
      result.segmentsRead++;
    }
    built.events = summary.events;
    result.changes += built.changes.length;
    files.set(summary.session, built);
    written = tryWrite(target, JSON.stringify(built)) && written;
  }
  if (written && !seenTip)
    tryWrite(manifestFile(paths), JSON.stringify({ version: VERSION, tip: branch.tip } satisfies Manifest));
  return { result, files };
}

/** Brings the index up to the branch's tip, reading only segments it has not seen. */
export async function updateAttributionIndex(paths: RepoPaths, branch: TrackingBranch): Promise<IndexUpdate> {
  return (await syncIndex(paths, branch)).result;
}

/**
 * Every recorded change, from the index brought up to date first. Agent types and tools are settled
 * here, from the sessions as they are now (a subagent's type can be learned after its changes).
 */
export async function recordedChanges(paths: RepoPaths, branch: TrackingBranch): Promise<AttributedChange[]> {
  const { files } = await syncIndex(paths, branch);
  const out: AttributedChange[] = [];
  for (const s of await branch.rawSessions()) {
    const file = files.get(s.session);
    if (!file) continue;
    for (const c of file.changes) {
      const agentType = c.agentType ?? (c.agent === 'main' ? 'main' : (s.agentTypes?.[c.agent] ?? null));
      const tool = (c.toolUseId && file.tools[c.toolUseId]) || toolOfOperation(c.operation);
      // the session's latest prompt at or before the change
      let prompt: { ts: string; text: string } | null = null;
      for (const p of file.prompts ?? []) if (p.ts <= c.ts && (!prompt || p.ts >= prompt.ts)) prompt = p;
      out.push({
        ...c,
        agentType,
        tool,
        prompt: prompt?.text ?? null,
        model: file.models?.[c.agent] ?? null,
      });
    }
  }
  return out;
}

/** Bytes the index takes on disk and the changes it holds (for the benchmark and `--json` readers). */
export function indexSize(paths: RepoPaths): { bytes: number; changes: number } {
  const dir = path.join(attributionDir(paths), 'sessions');
  let bytes = 0;
  let changes = 0;
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const full = path.join(dir, f);
    bytes += fs.statSync(full).size;
    changes += readJson<SessionFile>(full)?.changes.length ?? 0;
  }
  return { bytes, changes };
}
