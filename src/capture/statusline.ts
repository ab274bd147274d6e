/**
 * `agent-track statusline`: the line Claude Code shows under the prompt (its `statusLine` setting
 * runs a command with the session's JSON on stdin). This session's cost so far, tokens, subagents
 * running and done, failed tool calls, time since the last snapshot, and a warning when
 * `budget.session` or `budget.phase` is passed (it warns, never blocks).
 *
 * It runs every few hundred milliseconds, so it reads no git object: the session's summary as the
 * last flush left it (`cache/state.json`, the same summary as the branch's session.json), folded
 * with the spool's unflushed lines, and every figure derived as `stats --session` derives it
 * (model/figures.ts). Node builtins and our small modules only; its own bundle (dist/statusline.cjs),
 * so the hook does not carry the price table.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG, normalizeConfig, type TrackingConfig } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import { totals, usdText } from '../model/figures.js';
import { withOverrides } from '../model/pricing.js';
import { emptySummary, foldSummary, type SessionSummary } from '../model/session.js';
import { findRepo, type RepoPaths } from '../store/paths.js';
import { rawWaiting, readOffset, spoolFile } from '../store/spool.js';

export interface StatusInput {
  session_id?: string;
  cwd?: string;
  workspace?: { current_dir?: string; project_dir?: string };
}

export interface Status {
  session: string;
  costUsd: number | null;
  unpricedTokens: number;
  tokens: number;
  agents: number;
  agentsRunning: number;
  toolFailures: number;
  lastSnapshot: string | null;
  warnings: string[];
}

function readIndex(paths: RepoPaths): Record<string, SessionSummary> {
  try {
    const s = JSON.parse(fs.readFileSync(path.join(paths.trackingDir, 'cache', 'state.json'), 'utf8'));
    return s && typeof s.index === 'object' && s.index ? s.index : {};
  } catch {
    return {};
  }
}

/** The spool's lines the last flush has not taken yet. */
function unflushed(paths: RepoPaths, session: string): BaseEvent[] {
  const file = spoolFile(paths, session);
  let text: string;
  try {
    const st = fs.statSync(file);
    const off = readOffset(file);
    const from = off && off.ino === st.ino && off.offset <= st.size ? off.offset : 0;
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(st.size - from, 8 * 2 ** 20));
      fs.readSync(fd, buf, 0, buf.length, from);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return [];
  }
  const out: BaseEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a line being written
    }
  }
  return out;
}

/**
 * The config as loadConfig gives it, from its cache when the file is unchanged (the same key it
 * writes), without loading the redactor's rules the status line has no use for; else loadConfig.
 */
async function readConfig(paths: RepoPaths): Promise<TrackingConfig> {
  const file = path.join(paths.workTree, CONFIG_FILE);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return DEFAULT_CONFIG;
  }
  try {
    const cached = JSON.parse(fs.readFileSync(path.join(paths.trackingDir, 'config-cache.json'), 'utf8'));
    if (cached.key === `${st.size}:${st.mtimeMs}` && cached.file === file)
      return normalizeConfig(cached.config);
  } catch {
    // no cache yet
  }
  return (await import('../store/config.js')).loadConfig(paths);
}

export async function sessionStatus(paths: RepoPaths, session: string, now = Date.now()): Promise<Status> {
  const config = await readConfig(paths);
  const prices = withOverrides(config.pricing);
  const index = readIndex(paths);
  // payloads the sh hook saved since the last flush: into the spool first (never waiting for a
  // converter already at it: the next refresh shows them)
  if (rawWaiting(paths)) {
    try {
      await (await import('./raw.js')).convertRaw(paths, { waitMs: 0, config });
    } catch {
      // read-only, or a full disk: the line shows what the spool has
    }
  }
  const spooled = unflushed(paths, session);
  const base = index[session] ?? emptySummary(session, config.phase, '');
  const summary = spooled.length ? foldSummary(structuredClone(base), spooled) : base;
  const mine = totals([summary], prices);
  const t = mine.tokens;
  // subagents still running: started and not ended, as far as the unflushed lines tell
  const started = new Set(
    spooled.filter((e) => e.type === 'agent_start').map((e) => String(e.agentId ?? e.agent)),
  );
  for (const e of spooled) if (e.type === 'agent_end') started.delete(String(e.agentId ?? e.agent));
  const warnings: string[] = [];
  const { session: sessionBudget, phase: phaseBudget } = config.budget;
  if (sessionBudget !== null && (mine.costUsd ?? 0) > sessionBudget)
    warnings.push(`over the session budget (${usdText(sessionBudget, 0, 2)})`);
  if (phaseBudget !== null) {
    const phase = summary.phase || config.phase;
    const inPhase = Object.values({ ...index, [session]: summary }).filter((s) => s.phase === phase);
    const cost = totals(inPhase, prices).costUsd ?? 0;
    if (cost > phaseBudget)
      warnings.push(
        `phase ${phase} over its budget (${usdText(cost, 0, 2)} of ${usdText(phaseBudget, 0, 2)})`,
      );
  }
  return {
    session,
    costUsd: mine.costUsd,
    unpricedTokens: mine.unpricedTokens,
    tokens: t.input + t.output + t.cacheRead + t.cacheWrite,
    agents: summary.agents,
    agentsRunning: started.size,
    toolFailures: mine.toolFailures,
    lastSnapshot: summary.lastSnapshot?.ts ?? null,
    warnings,
  };
}

const compact = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);

const ago = (ts: string, now: number) => {
  const s = Math.max(0, Math.round((now - Date.parse(ts)) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
};

export function renderStatus(s: Status, now = Date.now()): string {
  const parts = [
    `agent-track ${usdText(s.costUsd, s.unpricedTokens)}`,
    `${compact(s.tokens)} tokens`,
    `${s.agents} subagent${s.agents === 1 ? '' : 's'}${s.agentsRunning ? ` (${s.agentsRunning} running)` : ''}`,
    `${s.toolFailures} failed`,
    s.lastSnapshot ? `snapshot ${ago(s.lastSnapshot, now)} ago` : 'no snapshot yet',
  ];
  return `${parts.join(' · ')}${s.warnings.map((w) => ` · ⚠ ${w}`).join('')}`;
}

/** Entry: Claude Code's JSON on stdin, one line on stdout; nothing (exit 0) where nothing is tracked. */
export async function statuslineMain(input: string, cwd: string): Promise<string> {
  let payload: StatusInput = {};
  try {
    payload = JSON.parse(input || '{}');
  } catch {
    payload = {};
  }
  const dir = payload.workspace?.project_dir ?? payload.workspace?.current_dir ?? payload.cwd ?? cwd;
  const paths = findRepo(fs.existsSync(dir) ? dir : cwd);
  if (!paths || !payload.session_id || !fs.existsSync(paths.trackingDir)) return '';
  return renderStatus(await sessionStatus(paths, payload.session_id));
}
