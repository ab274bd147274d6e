/** `agent-track decide`: a decision recorded explicitly by an agent (told to in CLAUDE.md) or a person. */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BaseEvent } from '../model/events.js';
import { loadConfig } from '../store/config.js';
import type { RepoPaths } from '../store/paths.js';
import { appendEvents } from '../store/spool.js';
import { redactValue } from './redact.js';

/** The CLAUDE.md lines, with the CLI as this install runs it from the project folder (`cli`). */
export const claudeMdSnippet = (cli = 'agent-track') => `## Recording decisions

When you choose between approaches (a library, a design, a fix), record it in one line:

    ${cli} decide "<what you decided>" --why "<why>" --alternatives "<option a>; <option b>"
`;

/**
 * The session a decision belongs to: the one named, else the Claude Code session running the command,
 * else the one whose spool was written last in this clone (the agent running this command has just had
 * its PreToolUse recorded there; the spool is this clone's own, never a teammate's).
 */
export function currentSession(paths: RepoPaths, named?: string): string | null {
  if (named) return named;
  // inside Claude Code (the agent's Bash tool, a slash command) the session is known exactly
  if (process.env.CLAUDE_CODE_SESSION_ID) return process.env.CLAUDE_CODE_SESSION_ID;
  let best: { id: string; mtime: number } | null = null;
  try {
    for (const f of fs.readdirSync(paths.spoolDir)) {
      if (!f.endsWith('.jsonl')) continue;
      const mtime = fs.statSync(path.join(paths.spoolDir, f)).mtimeMs;
      if (!best || mtime > best.mtime) best = { id: f.slice(0, -6), mtime };
    }
  } catch {
    return null;
  }
  return best?.id ?? null;
}

export async function recordDecision(
  paths: RepoPaths,
  d: { what: string; why?: string; alternatives?: string; session?: string; agent?: string },
): Promise<BaseEvent> {
  const session = currentSession(paths, d.session);
  if (!session) throw new Error('no session is being recorded here; name one with --session ID');
  const config = await loadConfig(paths);
  const event: BaseEvent = {
    id: randomUUID(),
    ts: new Date().toISOString(),
    session,
    agent: d.agent ?? 'main',
    type: 'decision',
    source: 'explicit',
    what: d.what,
    rationale: d.why ?? null,
    alternatives: d.alternatives
      ? d.alternatives
          .split(';')
          .map((a) => a.trim())
          .filter(Boolean)
      : [],
  };
  const redacted = redactValue(event, { extraPatterns: config.redaction.extraPatterns });
  appendEvents(paths, session, [redacted]);
  return redacted;
}
