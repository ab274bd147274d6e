/**
 * The canonical event policy, shared by every agent adapter (live hooks and imported transcripts
 * alike): how an event's id is derived from what it describes, and what a tool result's outcome is.
 * Pure: no I/O. An adapter (what is Claude-Code-specific) turns its payloads and transcript lines
 * into events with these ids and outcomes, so the same fact seen twice, by two paths, is one event.
 */
import { createHash } from 'node:crypto';

/** An id derived from what the event describes: the same fact read again yields the same id. */
export const derivedId = (kind: string, session: string, key: string): string =>
  `${kind}-${createHash('sha1').update(`${session}\0${key}`).digest('hex').slice(0, 32)}`;

/** One tool call, on every path: the hook's PostToolUse(Failure) and the transcript's tool_result. */
export const toolCallId = (session: string, agent: string, toolUseId: string): string =>
  derivedId('tool_call', session, `${agent}:${toolUseId}`);

/** Its start (PreToolUse, or the transcript's tool_use block). */
export const toolStartId = (session: string, agent: string, toolUseId: string): string =>
  derivedId('tool_start', session, `${agent}:${toolUseId}`);

/** The one error of a failed tool call. */
export const toolErrorId = (session: string, toolUseId: string): string => derivedId('e', session, toolUseId);

/** The file change a tool call made. */
export const fileChangeId = (session: string, agent: string, toolUseId: string): string =>
  derivedId('file_change', session, `${agent}:${toolUseId}`);

/** The usage of one API response: Claude Code writes it on several lines sharing message id and request id. */
export const usageKey = (messageId: string, requestId: string | null | undefined): string =>
  `${messageId}:${requestId ?? ''}`;
export const usageId = (session: string, key: string): string => derivedId('u', session, key);

/**
 * How a tool call ended. `rejected`: the person declined it (a permission prompt, a plan); `interrupted`:
 * the person stopped it; `failed`: the tool itself failed. Only `failed` is an error.
 */
export type ToolOutcome = 'success' | 'failed' | 'rejected' | 'interrupted';

/**
 * The outcome of a tool result Claude Code marked `is_error`, from the texts Claude Code writes for a
 * person's refusal or interruption (they are its own fixed strings, not the tool's output).
 */
export function errorOutcome(text: string): Exclude<ToolOutcome, 'success'> {
  const t = text.trimStart();
  if (
    t.startsWith("The user doesn't want to proceed with this tool use") ||
    t.startsWith('The user does not want to proceed') ||
    t.startsWith('User rejected tool use') ||
    t.startsWith("The user doesn't want to take this action")
  )
    return 'rejected';
  if (t.startsWith('[Request interrupted by user')) return 'interrupted';
  return 'failed';
}
