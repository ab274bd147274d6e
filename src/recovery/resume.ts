/** `agent-track resume`: picks the session, its latest snapshot, and builds the handoff. */
import * as os from 'node:os';
import { convertRaw } from '../capture/raw.js';
import { redactText } from '../model/redact.js';
import { processAlive, type SessionSummary, sessionStatus } from '../model/session.js';
import { loadConfig } from '../store/config.js';
import { type RepoPaths, readHead } from '../store/paths.js';
import { recentSpooledSessions } from '../store/spool.js';
import { buildHandoff, type Handoff } from './handoff.js';
import { type Candidate, currentClaudeSession, isMine, noneOfMine, pickMine, whoAmI } from './mine.js';
import { findSessionAnywhere, listSnapshots, openBranch, type SessionRef } from './snapshot.js';
import type { SnapshotRecord } from './snapshot-types.js';
import { foldRecovery } from './state.js';
import { tokenCounter } from './tokens.js';

export interface ResumeOptions {
  session?: string;
  maxTokens?: number;
  /** When the named session has no prompt yet (a fresh id after --resume), take the branch's latest other one. */
  fallbackToLatest?: boolean;
  /** How the CLI is run here, for the commands the handoff names. */
  cli?: string;
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
  // what the sh hook saved since the last flush is part of the session: into the spool first
  await convertRaw(paths, { waitMs: 2_000, config }).catch(() => null);
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
    // inside a Claude Code session (a slash command), the session that runs it is not the one to hand over
    const pick = await mine(paths, gitBranch, currentClaudeSession());
    if (!pick.session) throw new Error(noneOfMine(whoAmI(paths), pick.others));
    ref = await findSessionAnywhere(paths, branch, pick.session);
  }
  const { summary, events } = ref;
  let snapshot: SnapshotRecord | null = null;
  if (branch && (summary.snapshots ?? 0) > 0)
    snapshot = (await listSnapshots(branch, summary)).at(-1) ?? null;
  const state = foldRecovery(summary.session, events);
  const status = statusOf(summary, config.recovery.crashedAfterMinutes);
  const crashed = status === 'crashed';
  const handoff = buildHandoff(
    { summary, state, snapshot, crashed, status, cli: opts.cli },
    await tokenCounter(),
    opts.maxTokens ?? config.recovery.handoffBudget,
  );
  // the events of a session not flushed yet come from the spool, which had the hook's fast pass only:
  // what enters a model's context gets the full pass
  return { ...handoff, markdown: redactText(handoff.markdown, { pass: 'full' }), crashed };

  async function latestOther(p: RepoPaths, b: string | null, exclude: string | null): Promise<string | null> {
    return (await mine(p, b, exclude)).session;
  }

  async function mine(p: RepoPaths, b: string | null, exclude: string | null) {
    const me = whoAmI(p);
    const byId = new Map<string, Candidate>();
    if (branch)
      for (const s of await branch.sessions())
        byId.set(s.session, {
          session: s.session,
          at: s.lastActivity ?? '',
          branch: s.branch,
          mine: isMine(s, me),
        });
    // the spool is this clone's own
    for (const s of recentSpooledSessions(p, 20, exclude ?? '')) {
      const known = byId.get(s.session);
      byId.set(s.session, {
        session: s.session,
        at: [s.lastActivity ?? '', known?.at ?? ''].sort().at(-1)!,
        branch: s.branch ?? known?.branch ?? null,
        // on the branch, its author says; spooled only (not flushed yet), this clone's own
        mine: known ? known.mine : !s.host || s.host === me.host,
      });
    }
    return pickMine([...byId.values()], b, exclude);
  }
}
