/**
 * The one session status (running, ended, crashed) every surface shows. Its own module, with no
 * imports, because the hook (the hot path) needs it at SessionStart and must not load the figures.
 */

export type SessionStatus = 'ended' | 'running' | 'crashed';

/**
 * One status for every surface. Ended: a SessionEnd, an imported session, or a process that went
 * away after its last turn ended (Claude Code drops SessionEnd at times: `-p` exiting, an async hook).
 * Crashed: the process went away mid-turn (checked when it ran on this host) or, when that cannot be
 * checked, `crashedAfterMinutes` without activity mid-turn. Running: otherwise.
 */
export function sessionStatus(
  s: {
    ended: string | null | boolean;
    lastActivity: string | null;
    pid?: number | null;
    host?: string | null;
    imported?: boolean;
    lastTurnEnded?: boolean;
  },
  ctx: { now: number; host: string; alive: (pid: number) => boolean; crashedAfterMinutes: number },
): SessionStatus {
  if (s.ended || (s.imported && !s.pid)) return 'ended';
  let gone: boolean;
  if (typeof s.pid === 'number' && s.pid > 0 && s.host === ctx.host) gone = !ctx.alive(s.pid);
  else {
    const last = s.lastActivity ? Date.parse(s.lastActivity) : Number.NaN;
    gone = Number.isFinite(last) && ctx.now - last > ctx.crashedAfterMinutes * 60_000;
  }
  if (!gone) return 'running';
  return s.lastTurnEnded ? 'ended' : 'crashed';
}

/** Whether a process exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
