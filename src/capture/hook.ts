/**
 * `agent-track hook`: the hot path. Reads one payload, turns it into events, redacts them, appends
 * them to the spool with one write and, when it is time, starts a detached flush. It never throws,
 * never prints and never exits non-zero: with Claude Code a hook exiting 2 blocks what it hooks, and
 * a SessionStart hook's stdout becomes model context. Only node builtins and our own small modules
 * are imported here; the store's git code loads in the flush process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BaseEvent } from '../model/events.js';
import { processAlive, sessionStatus } from '../model/status.js';
import { loadConfig } from '../store/config.js';
import { adoptOwnership, mkdirOwned, own } from '../store/owner.js';
import { findRepo, objectFormat, type RepoPaths, readHead } from '../store/paths.js';
import { appendEvents, recentSpooledSessions, unflushedLineCount } from '../store/spool.js';
import {
  appendUserSpool,
  isReadOnlyError,
  userRepoDir,
  userSpoolPending,
  userStateRoot,
} from '../store/userspool.js';
import { codexHookEvents } from './codex.js';
import { FLUSH_EVENTS, type Payload, payloadToEvents } from './events.js';
import { geminiHookEvents } from './gemini.js';
import { convertRaw, ensureRawDir } from './raw.js';
import { redactText, redactValue } from './redact.js';

export interface HookOptions {
  /** The payload as read from stdin. */
  input: string;
  /** Where the hook runs when the payload names no cwd. */
  cwd: string;
  /** argv to start a detached flush with (e.g. [node, bin.cjs, 'flush', '--background']); none: no flush. */
  flushCommand?: string[];
  /** argv of `agent-track` (e.g. [node, bin.cjs]) to build a handoff for SessionStart; none: no injection. */
  trackCommand?: string[];
  /** The agent CLI whose hook this is (`agent-track hook --agent codex`); default Claude Code. */
  agent?: string;
}

/**
 * Claude Code's process: the hook's parent, or the parent's parent when the hook runs through a shell.
 * Null where /proc does not tell (then a crash is judged by silence, not by the process).
 */
function claudePid(): number | null {
  let pid = process.ppid;
  for (let i = 0; i < 3; i++) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!/^(sh|bash|dash|zsh|fish|ksh)$/.test(comm)) return pid;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return null;
    }
  }
  return pid;
}

/**
 * Which session's handoff a SessionStart should bring into context: the session itself after a
 * compaction or a resume; on a plain start, the branch's previous session when it crashed.
 */
function injectionTarget(
  paths: RepoPaths,
  payload: Payload,
  config: Awaited<ReturnType<typeof loadConfig>>,
  branch: string | null,
): string | null {
  const source = String(payload.source ?? '');
  const session = String(payload.session_id);
  if (source === 'compact' || source === 'resume') return session;
  if (source !== 'startup' || !config.recovery.injectOnStartup) return null;
  const previous = recentSpooledSessions(paths, 20, session).find((s) => s.branch === branch);
  if (!previous) return null;
  const status = sessionStatus(previous, {
    now: Date.now(),
    host: os.hostname(),
    alive: processAlive,
    crashedAfterMinutes: config.recovery.crashedAfterMinutes,
  });
  return status === 'crashed' ? previous.session : null;
}

/**
 * The handoff goes to the model as `additionalContext`; the person gets one line (`systemMessage`,
 * which Claude Code shows in the session) saying which session is continued and how to read what
 * the model was given.
 */
export function withSystemMessage(hookOutput: string, target: string, source: string): string {
  const out = JSON.parse(hookOutput);
  const short = target.slice(0, 8);
  const see = `see it with /agent-track:handoff ${short}`;
  out.systemMessage =
    source === 'startup'
      ? `agent-track: session ${short} crashed; its handoff was given to Claude to continue from (${see})`
      : `agent-track: the handoff of this session (${short}) was given to Claude after the ${source === 'compact' ? 'compaction' : 'resume'} (${see})`;
  return JSON.stringify(out);
}

/**
 * Writes a failed payload (redacted) where a person can find it: the repository's errors folder, or
 * when `.git` is read-only the user's own state folder (private, never the shared temp folder).
 */
function logFailure(paths: RepoPaths | null, input: string, error: unknown): void {
  const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.json`;
  const record = JSON.stringify({
    error: redactText(error instanceof Error ? error.message : String(error)),
    payload: redactText(input),
  });
  try {
    if (!paths) throw new Error('no repository');
    mkdirOwned(paths.errorsDir);
    fs.writeFileSync(path.join(paths.errorsDir, name), record);
    own(path.join(paths.errorsDir, name));
    return;
  } catch {
    // read-only (or outside a repository): the user's own folder
  }
  try {
    const root = userStateRoot();
    if (!root) return;
    const dir = path.join(paths ? (userRepoDir(paths) ?? root) : root, 'errors');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(dir, name), record, { mode: 0o600 });
  } catch {
    // nowhere to write: the hook still exits 0
  }
}

function startFlush(paths: RepoPaths, command: string[]): void {
  const child = spawn(command[0], command.slice(1), {
    cwd: paths.workTree,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, AGENT_TRACK_BACKGROUND: '1' },
  });
  child.on('error', () => {});
  child.unref();
}

/** A flush of this clone holds its lock, on this host, by a process that is alive (one small read). */
function flushRunning(paths: RepoPaths): boolean {
  try {
    const [pid, host] = fs.readFileSync(path.join(paths.trackingDir, 'flush.lock'), 'utf8').split(' ');
    return host === os.hostname() && processAlive(Number(pid));
  } catch {
    return false;
  }
}

function mayWrite(paths: RepoPaths): boolean {
  try {
    adoptOwnership(paths.commonDir, paths.workTree);
    return true;
  } catch {
    return false;
  }
}

export async function runHook(opts: HookOptions): Promise<void> {
  let paths: RepoPaths | null = null;
  try {
    if (opts.input.trim() === '') throw new Error('empty payload');
    const payload = JSON.parse(opts.input) as Payload;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload))
      throw new Error('payload is not an object');
    const cwd = typeof payload.cwd === 'string' && fs.existsSync(payload.cwd) ? payload.cwd : opts.cwd;
    // the session's project, not wherever it has cd'ed to (a cwd inside another repository would
    // record into that one): Claude Code names the project in CLAUDE_PROJECT_DIR
    const project = process.env.CLAUDE_PROJECT_DIR;
    paths = (project && fs.existsSync(project) ? findRepo(project) : null) ?? findRepo(cwd);
    if (!paths) return; // not a git repository: nothing to record into
    if (objectFormat(paths.commonDir) !== 'sha1') return; // SHA-256: nothing we could ever flush, nothing written
    // another user's repository: as git would (safe.directory), and what we create is its owner's
    if (!mayWrite(paths)) return;
    const config = await loadConfig(paths);
    const hookEvent = String(payload.hook_event_name ?? '');
    const start = hookEvent === 'SessionStart';
    const head = start ? readHead(paths) : undefined;
    // the moment this process started, not after stdin and modules: hooks run async, and under load
    // the later of two hooks can finish starting first; its start time keeps Claude Code's order
    const now = () => new Date(Math.round(performance.timeOrigin)).toISOString();
    // Codex CLI and Gemini CLI: an adapter of their own (their payloads are not Claude Code's)
    const codex = opts.agent === 'codex' || opts.agent === 'gemini';
    const adapterCtx = {
      now,
      newId: randomUUID,
      head,
      process: start ? { pid: claudePid(), host: os.hostname() } : undefined,
    };
    const events: BaseEvent[] =
      opts.agent === 'codex'
        ? codexHookEvents(payload, adapterCtx)
        : opts.agent === 'gemini'
          ? geminiHookEvents(payload, adapterCtx)
          : payloadToEvents(payload, {
              now,
              newId: randomUUID,
              config,
              head,
              workTree: paths.workTree,
              claude: start ? { pid: claudePid(), host: os.hostname() } : undefined,
            });
    const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
    // another agent CLI's hook we take nothing from (its facts are in the file the flush reads)
    if (codex && !redacted.length) return;
    // a session's start and end come once: the payloads the sh hook saved before them go into the
    // spool first, so the spool stays in Claude Code's order (a crash is judged by its last lines)
    if ((start || hookEvent === 'SessionEnd') && !codex) {
      try {
        // where the sh hook saves payloads (it writes only into a folder that is there and ours)
        ensureRawDir(paths);
        await convertRaw(paths, { waitMs: 2_000, config });
      } catch (e) {
        // a read-only .git keeps no raw spool (the sh hook hands over to this one there)
        if (!isReadOnlyError(e)) logFailure(paths, '', e); // the event is recorded all the same
      }
    }
    let spooled: { file: string; size: number };
    try {
      spooled = appendEvents(paths, String(payload.session_id), redacted);
    } catch (e) {
      if (!isReadOnlyError(e)) throw e;
      // a read-only .git: kept in the user's own spool until a flush can write the repository;
      // no flush and no handoff now (both would need to write .git)
      appendUserSpool(paths, String(payload.session_id), redacted);
      return;
    }
    const { file, size } = spooled;
    // the handoff is injected the way Claude Code reads it; Codex's SessionStart output is not taken yet
    if (start && opts.trackCommand && !codex) {
      const target = injectionTarget(paths, payload, config, head?.branch ?? null);
      if (target) {
        // SessionStart is synchronous and its stdout is model context: the handoff goes there
        const r = spawnSync(
          opts.trackCommand[0],
          [...opts.trackCommand.slice(1), 'resume', '--session', target, '--hook-output'],
          { cwd: paths.workTree, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        if (r.status === 0 && r.stdout.startsWith('{'))
          process.stdout.write(`${withSystemMessage(r.stdout, target, String(payload.source ?? ''))}\n`);
        else if (r.status !== 0) throw new Error(`no handoff for ${target}: ${r.stderr || r.error}`);
      }
    }
    if (!opts.flushCommand) return;
    // a turn's end always starts one; otherwise none while a flush runs: it takes what we appended
    // before it lets go of its lock (it looks again after releasing), and under load a flush per hook
    // would be a whole process each, only to find the lock taken
    if (
      FLUSH_EVENTS.has(hookEvent) ||
      hookEvent === 'AfterAgent' || // Gemini CLI's end of a turn
      (!flushRunning(paths) &&
        (unflushedLineCount(file, size, config.flush.everyEvents) >= config.flush.everyEvents ||
          // events kept while .git was read-only: the repository is writable again, so they go now
          userSpoolPending(paths)))
    ) {
      // a session's end can also share it with the team: push flushes first, then pushes, detached
      const push = hookEvent === 'SessionEnd' && config.tracking.pushOnSessionEnd && opts.trackCommand;
      startFlush(paths, push ? [...opts.trackCommand!, 'push', '--background'] : opts.flushCommand);
    }
  } catch (error) {
    // a payload we could not read names no cwd: the hook's own cwd is the project (Claude Code runs it there)
    logFailure(paths ?? findRepo(opts.cwd), opts.input, error);
  }
}

/** Reads all of stdin (the payload); resolves with '' when stdin is a terminal or closed. */
export function readStdin(): Promise<string> {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) return resolve('');
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
