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
 * How a tool call ended. `rejected`: the person declined it (a permission prompt, a plan);
 * `denied`: a permission rule or Claude Code's sandbox refused it without asking; `interrupted`: the
 * person stopped it; `cascaded`: it was cancelled because a sibling call of the same response failed;
 * `failed`: the tool itself failed. Only `failed` is an error.
 */
export type ToolOutcome = 'success' | 'failed' | 'rejected' | 'denied' | 'interrupted' | 'cascaded';

export const TOOL_OUTCOMES: readonly ToolOutcome[] = [
  'success',
  'failed',
  'rejected',
  'denied',
  'interrupted',
  'cascaded',
];

/**
 * The outcome of a tool result Claude Code marked `is_error`, from the texts Claude Code itself writes
 * for a person's refusal, a permission rule's denial, an interruption or a cancelled sibling (its own
 * fixed strings, found in its binary and in real transcripts; never the tool's output). The result may
 * come wrapped in `<tool_use_error>` and prefixed with `Error: ` (as `toolUseResult` has it).
 */
export function errorOutcome(text: string): Exclude<ToolOutcome, 'success'> {
  const t = text
    .trimStart()
    .replace(/^<tool_use_error>\s*/, '')
    .replace(/^Error: /, '');
  if (
    t.startsWith("The user doesn't want to proceed with this tool use") ||
    t.startsWith('The user does not want to proceed') ||
    t.startsWith('User rejected tool use') ||
    t.startsWith("The user doesn't want to take this action")
  )
    return 'rejected';
  if (t.startsWith('[Request interrupted by user')) return 'interrupted';
  if (t.startsWith('Sibling tool call errored') || t.startsWith('Cancelled: parallel tool call'))
    return 'cascaded';
  if (
    /^Permission to use \S+ (with command [\s\S]* )?has been denied/.test(t) ||
    t.startsWith('Permission for this action has been denied') ||
    t.startsWith('Permission for this action was denied') ||
    /^Claude requested permissions? to [\s\S]{0,400}?, but you haven't granted it yet/.test(t) ||
    t.startsWith('This command requires approval') ||
    t.startsWith('Your organization requires approval for this tool') ||
    /^This Bash command contains multiple operations\. The following part requires approval/.test(t) ||
    /^\S[^\n]{0,400}' was blocked\. For security, Claude Code may only /.test(t)
  )
    return 'denied';
  return 'failed';
}

/** The minimal shape of an event this policy reads (model/events.ts's BaseEvent). */
interface EventLike {
  id: string;
  ts: string;
  session: string;
  agent: string;
  type: string;
  agentType?: string;
  [key: string]: unknown;
}

/**
 * A tool_call's outcome, for events of every release (older ones have only `success`/`interrupted`;
 * a `failed` one is read again from its error text, which may show a denial or a cascade).
 */
export function toolOutcome(e: EventLike): ToolOutcome {
  if (e.outcome === 'success') return 'success';
  if (e.interrupted === true || e.outcome === 'interrupted') return 'interrupted';
  if (
    typeof e.outcome === 'string' &&
    e.outcome !== 'failed' &&
    TOOL_OUTCOMES.includes(e.outcome as ToolOutcome)
  )
    return e.outcome as ToolOutcome;
  if (e.outcome === undefined && e.success !== false) return 'success';
  // a failure recorded before this release knew a denial or a cascade: its text says which it was
  return typeof e.error === 'string' ? errorOutcome(e.error) : 'failed';
}

/**
 * One stored event as a canonical one (or none, or two), the same for the fold, the SQL views and
 * the agent tree: every event names its agent type (`main`, or the subagent's from `agentTypes`);
 * every tool_call has its outcome; an error that is a person's refusal or interruption is no error;
 * an earlier release's transcript-only error (an Edit refused before a Read, which no hook sees)
 * comes with the failed tool_call it stands for, under the id this release gives that call.
 * Stateless: duplicates (the same call seen by the hook and the transcript) share an id or a
 * tool_use id, and each reader drops them its way (the fold by id sets, SQL by a window).
 */
export function canonicalEvent<E extends EventLike>(e: E, agentTypes: Record<string, string> = {}): E[] {
  const agentType = e.agent === 'main' ? 'main' : e.agentType || agentTypes[e.agent];
  const c = (agentType && agentType !== e.agentType ? { ...e, agentType } : e) as E;
  if (c.type === 'tool_call') {
    const outcome = toolOutcome(c);
    return [c.outcome === outcome ? c : { ...c, outcome }];
  }
  if (c.type !== 'error') return [c];
  const outcome = errorOutcome(String(c.message ?? c.error ?? ''));
  const out: E[] = [];
  const useId = typeof c.toolUseId === 'string' ? c.toolUseId : null;
  if (useId && c.source === 'transcript')
    out.push({
      id: toolCallId(c.session, c.agent, useId),
      ts: c.ts,
      session: c.session,
      agent: c.agent,
      ...(agentType ? { agentType } : {}),
      type: 'tool_call',
      source: 'transcript',
      toolUseId: useId,
      tool: c.tool ?? 'unknown',
      input: c.input ?? null,
      success: false,
      outcome,
      error: c.message ?? null,
      durationMs: null,
    } as unknown as E);
  if (outcome === 'failed') out.push(c.outcome === outcome ? c : { ...c, outcome });
  return out;
}
