/** `agent-track decide`: a decision recorded explicitly by an agent (told to in CLAUDE.md) or a person. */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BaseEvent } from '../model/events.js';
import { loadConfig } from '../store/config.js';
import type { RepoPaths } from '../store/paths.js';
import { appendEvents } from '../store/spool.js';
import { redactValue } from './redact.js';

export const CLAUDE_MD_SNIPPET = `## Recording decisions

When you choose between approaches (a library, a design, a fix), record it in one line:

    agent-track decide "<what you decided>" --why "<why>" --alternatives "<option a>; <option b>"
`;

/**
 * The session a decision belongs to: the one named, else the one whose spool was written last (the
 * agent running this command has just had its PreToolUse recorded there).
 */
export function currentSession(paths: RepoPaths, named?: string): string | null {
  if (named) return named;
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
