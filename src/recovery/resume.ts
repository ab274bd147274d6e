/** `agent-track resume`: picks the session, its latest snapshot, and builds the handoff. */
import * as os from 'node:os';
import { redactText } from '../model/redact.js';
import { processAlive, type SessionSummary, sessionStatus } from '../model/session.js';
import { loadConfig } from '../store/config.js';
import { type RepoPaths, readHead } from '../store/paths.js';
import { recentSpooledSessions } from '../store/spool.js';
import { buildHandoff, type Handoff } from './handoff.js';
import { findSessionAnywhere, listSnapshots, openBranch, type SessionRef } from './snapshot.js';
import type { SnapshotRecord } from './snapshot-types.js';
import { foldRecovery } from './state.js';
import { tokenCounter } from './tokens.js';

export interface ResumeOptions {
  session?: string;
  maxTokens?: number;
  /** When the named session has no prompt yet (a fresh id after --resume), take the branch's latest other one. */
  fallbackToLatest?: boolean;
}

export function statusOf(summary: SessionSummary, crashedAfterMinutes: number) {
  return sessionStatus(summary, {
    now: Date.now(),
    host: os.hostname(),
    alive: processAlive,
    crashedAfterMinutes,
  });
}

export async function resumeHandoff(
  paths: RepoPaths,
  opts: ResumeOptions,
): Promise<Handoff & { crashed: boolean }> {
  const config = await loadConfig(paths);
  const branch = await openBranch(paths);
  const gitBranch = readHead(paths).branch;
  let ref: SessionRef | null = null;
  if (opts.session) {
    ref = await findSessionAnywhere(paths, branch, opts.session);
    if (opts.fallbackToLatest && ref.summary.prompts === 0 && !ref.events.some((e) => e.type === 'prompt')) {
      const other = await latestOther(paths, gitBranch, ref.summary.session);
      if (other) ref = await findSessionAnywhere(paths, branch, other);
    }
  } else {
    const latest = await latestOther(paths, gitBranch, null);
    if (!latest)
      throw new Error(
        `no session recorded on git branch '${gitBranch ?? '(detached)'}' yet; give --session ID`,
      );
    ref = await findSessionAnywhere(paths, branch, latest);
  }
  const { summary, events } = ref;
  let snapshot: SnapshotRecord | null = null;
  if (branch && (summary.snapshots ?? 0) > 0)
    snapshot = (await listSnapshots(branch, summary)).at(-1) ?? null;
  const state = foldRecovery(summary.session, events);
  const status = statusOf(summary, config.recovery.crashedAfterMinutes);
  const crashed = status === 'crashed';
  const handoff = buildHandoff(
    { summary, state, snapshot, crashed, status },
    await tokenCounter(),
    opts.maxTokens ?? config.recovery.handoffBudget,
  );
  // the events of a session not flushed yet come from the spool, which had the hook's fast pass only:
  // what enters a model's context gets the full pass
  return { ...handoff, markdown: redactText(handoff.markdown, { pass: 'full' }), crashed };

  async function latestOther(p: RepoPaths, b: string | null, exclude: string | null): Promise<string | null> {
    const spooled = recentSpooledSessions(p, 20, exclude ?? '').filter((s) => s.branch === b);
    const onBranch = branch
      ? (await branch.sessions()).filter((s) => s.branch === b && s.session !== exclude)
      : [];
    const candidates = [
      ...spooled.map((s) => ({ session: s.session, at: s.lastActivity ?? '' })),
      ...onBranch.map((s) => ({ session: s.session, at: s.lastActivity ?? '' })),
    ].sort((x, y) => x.at.localeCompare(y.at));
    return candidates.at(-1)?.session ?? null;
  }
}
