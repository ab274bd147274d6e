/**
 * Hook payload -> events. Pure apart from the clock and id source passed in; the hook process
 * (hook.ts) redacts what this returns before it is written anywhere.
 */
import { createHash } from 'node:crypto';
import { errorOutcome, fileChangeId, toolCallId, toolErrorId, toolStartId } from '../model/canonical.js';
import type { TrackingConfig } from '../model/config.js';
import type { BaseEvent, EventType } from '../model/events.js';
import { applyHunks, gitBlobId, type Hunk, unifiedDiff, wholeFileHunks } from './diff.js';
import { redactFileContent } from './redact.js';

export type Payload = Record<string, any>;

export interface EventContext {
  now: () => string;
  newId: () => string;
  config: TrackingConfig;
  /** Git branch and HEAD of the work tree, recorded on session_start. */
  head?: { branch: string | null; head: string | null };
  /** Path of the work tree, to record file paths relative to it. */
  workTree?: string;
  /** Claude Code's process id and host, recorded on session_start. */
  claude?: { pid: number | null; host: string };
}

/** Claude Code's tool that launches a subagent (named `Task` in older versions). */
export const AGENT_TOOLS = new Set(['Agent', 'Task']);
export const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/** Replaces a value whose JSON is over `max` bytes by a stub keeping its size, sha256 and a head. */
export function capValue(value: unknown, max: number): unknown {
  if (value === undefined || value === null) return value;
  const json = typeof value === 'string' ? value : JSON.stringify(value);
  if (json === undefined || Buffer.byteLength(json) <= max) return value;
  return {
    truncated: true,
    bytes: Buffer.byteLength(json),
    sha256: createHash('sha256').update(json).digest('hex'),
    head: json.slice(0, Math.min(2048, max)),
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function relPath(file: string, workTree: string | undefined): string {
  if (workTree && file.startsWith(`${workTree}/`)) return file.slice(workTree.length + 1);
  return file;
}

const PATH_KEYS = ['file_path', 'filePath', 'notebook_path'];

/**
 * A tool input with its file path relative to the project, as the hook records it, so a call read from
 * a transcript names its file the way the hook's record of the same kind of call does.
 */
export function relativeInput(input: unknown, workTree: string | undefined): unknown {
  if (!workTree || !input || typeof input !== 'object' || Array.isArray(input)) return input;
  let copy: Payload | null = null;
  for (const k of PATH_KEYS) {
    const v = (input as Payload)[k];
    if (typeof v !== 'string') continue;
    const rel = relPath(v, workTree);
    if (rel !== v) {
      copy ??= { ...(input as Payload) };
      copy[k] = rel;
    }
  }
  return copy ?? input;
}

/**
 * The file_change event of a successful Write/Edit/MultiEdit/NotebookEdit, or null when it carries
 * none. `p` is a PostToolUse payload, or the same facts from a transcript (tool_use input and the
 * line's toolUseResult), so live capture and import describe a change alike.
 */
export function fileChange(
  p: Payload,
  ctx: Pick<EventContext, 'config' | 'workTree'>,
  base: () => BaseEvent,
): BaseEvent | null {
  const input = (p.tool_input ?? {}) as Payload;
  const resp = (p.tool_response ?? {}) as Payload;
  const abs = str(resp.filePath) ?? str(input.file_path) ?? str(input.notebook_path);
  if (!abs) return null;
  const file = relPath(abs, ctx.workTree);
  const original = typeof resp.originalFile === 'string' ? resp.originalFile : null;
  const patch: Hunk[] = Array.isArray(resp.structuredPatch) ? resp.structuredPatch : [];
  let after: string | null = null;
  let hunks: Hunk[];
  let operation: string;
  if (p.tool_name === 'Write') {
    after = str(input.content) ?? str(resp.content) ?? null;
    operation = original === null ? 'create' : 'update';
    hunks = patch.length || after === null ? patch : wholeFileHunks(original, after);
  } else if (p.tool_name === 'NotebookEdit') {
    operation = 'notebook';
    hunks = patch;
  } else {
    operation = 'edit';
    hunks = patch;
    if (original !== null) after = applyHunks(original, patch);
  }
  const max = ctx.config.limits.fileContentBytes;
  let diff = unifiedDiff(file, hunks, original === null && operation === 'create');
  // .env-style files: every value in the diff is replaced whole, not just what looks like a key
  diff = diff
    .split('\n')
    .map((line) =>
      /^[-+ ]/.test(line) && !/^(---|\+\+\+) /.test(line)
        ? line[0] + redactFileContent(abs, line.slice(1))
        : line,
    )
    .join('\n');
  return {
    ...base(),
    type: 'file_change',
    toolUseId: str(p.tool_use_id) ?? null,
    path: file,
    operation,
    diff: capValue(diff, max),
    blobBefore: original === null ? null : gitBlobId(original),
    blobAfter: after === null ? null : gitBlobId(after),
  };
}

const FILE_TEXT_KEYS = ['content', 'old_string', 'new_string', 'originalFile', 'oldString', 'newString'];

/**
 * A tool input or response as recorded: when it concerns a file, the file's text in it goes through
 * the file-aware redactor first (every value of a .env-style file is a secret), paths become relative.
 */
function fileAware(value: unknown, file: string | undefined, ctx: EventContext): unknown {
  if (!file || !value || typeof value !== 'object' || Array.isArray(value))
    return capValue(value, ctx.config.limits.toolOutputBytes);
  const copy: Payload = { ...(value as Payload) };
  for (const k of FILE_TEXT_KEYS) if (typeof copy[k] === 'string') copy[k] = redactFileContent(file, copy[k]);
  if (Array.isArray(copy.structuredPatch)) {
    copy.structuredPatch = copy.structuredPatch.map((h: Payload) =>
      h && Array.isArray(h.lines)
        ? {
            ...h,
            lines: h.lines.map((l: unknown) =>
              typeof l === 'string' ? l.slice(0, 1) + redactFileContent(file, l.slice(1)) : l,
            ),
          }
        : h,
    );
  }
  return capValue(relativeInput(copy, ctx.workTree), ctx.config.limits.toolOutputBytes);
}

const filePathOf = (p: Payload): string | undefined =>
  str(p.tool_input?.file_path) ?? str(p.tool_input?.notebook_path) ?? str(p.tool_response?.filePath);

const toolInput = (p: Payload, ctx: EventContext) => fileAware(p.tool_input, filePathOf(p), ctx);

/** Turns one hook payload into the events it stands for (unredacted). Unknown events are kept as `hook`. */
export function payloadToEvents(p: Payload, ctx: EventContext): BaseEvent[] {
  const session = str(p.session_id);
  const hookEvent = str(p.hook_event_name);
  if (!session || !hookEvent) throw new Error('payload has no session_id or hook_event_name');
  const agent = str(p.agent_id) ?? 'main';
  const ts = ctx.now();
  const useId = str(p.tool_use_id);
  // a tool call's events have ids derived from its tool_use id: the transcript's record of the same
  // call (a failure read at flush, an import later) is the same event, never a second one
  const idFor = (type: EventType): string => {
    if (useId) {
      if (type === 'tool_call') return toolCallId(session, agent, useId);
      if (type === 'tool_start') return toolStartId(session, agent, useId);
      if (type === 'error') return toolErrorId(session, useId);
      if (type === 'file_change') return fileChangeId(session, agent, useId);
    }
    return ctx.newId();
  };
  const base = (type: EventType = 'tool_call'): BaseEvent => {
    const e: BaseEvent = { id: idFor(type), ts, session, agent, type };
    if (typeof p.agent_type === 'string') e.agentType = p.agent_type;
    else if (agent === 'main') e.agentType = 'main';
    return e;
  };
  const cap = (v: unknown) => capValue(v, ctx.config.limits.toolOutputBytes);
  const tool = str(p.tool_name) ?? 'unknown';
  switch (hookEvent) {
    case 'SessionStart':
      return [
        {
          ...base('session_start'),
          source: str(p.source) ?? null,
          cwd: str(p.cwd) ?? null,
          branch: ctx.head?.branch ?? null,
          head: ctx.head?.head ?? null,
          model: str(p.model) ?? null,
          transcriptPath: str(p.transcript_path) ?? null,
          pid: ctx.claude?.pid ?? null,
          host: ctx.claude?.host ?? null,
        },
      ];
    case 'UserPromptSubmit':
      return [
        {
          ...base('prompt'),
          text: cap(p.prompt ?? ''),
          promptId: str(p.prompt_id) ?? null,
          // where the conversation is: a flush that lost its cursors (a rebuilt state) finds it again
          ...(str(p.transcript_path) ? { transcriptPath: str(p.transcript_path) } : {}),
        },
      ];
    case 'PreToolUse': {
      const e: BaseEvent = {
        ...base('tool_start'),
        toolUseId: str(p.tool_use_id) ?? null,
        tool,
        input: toolInput(p, ctx),
      };
      if (AGENT_TOOLS.has(tool) && p.tool_input) {
        e.launch = {
          description: str(p.tool_input.description) ?? null,
          prompt: cap(p.tool_input.prompt ?? null),
          subagentType: str(p.tool_input.subagent_type) ?? null,
        };
      }
      return [e];
    }
    case 'PostToolUse': {
      const call: BaseEvent = {
        ...base('tool_call'),
        toolUseId: str(p.tool_use_id) ?? null,
        tool,
        input: toolInput(p, ctx),
        output: fileAware(p.tool_response ?? null, filePathOf(p), ctx),
        success: true,
        outcome: 'success',
        durationMs: typeof p.duration_ms === 'number' ? p.duration_ms : null,
      };
      if (AGENT_TOOLS.has(tool) && p.tool_response && typeof p.tool_response === 'object') {
        call.launchedAgent = str(p.tool_response.agentId) ?? null;
      }
      const out = [call];
      if (FILE_TOOLS.has(tool)) {
        const fc = fileChange(p, ctx, () => base('file_change'));
        if (fc) out.push(fc);
      }
      return out;
    }
    case 'PostToolUseFailure': {
      const error = str(p.error) ?? 'unknown error';
      const toolUseId = useId ?? null;
      const outcome = p.is_interrupt === true ? 'interrupted' : errorOutcome(error);
      const call: BaseEvent = {
        ...base('tool_call'),
        toolUseId,
        tool,
        input: toolInput(p, ctx),
        success: false,
        outcome,
        error: cap(error),
        interrupted: p.is_interrupt === true,
        durationMs: typeof p.duration_ms === 'number' ? p.duration_ms : null,
      };
      // only a failure is an error: a refusal or an interruption is the person's choice
      if (outcome !== 'failed') return [call];
      return [call, { ...base('error'), source: 'tool', toolUseId, tool, message: cap(error) }];
    }
    case 'SubagentStart':
      return [{ ...base('agent_start'), agentId: agent }];
    case 'SubagentStop':
      return [
        {
          ...base('agent_end'),
          agentId: agent,
          transcriptPath: str(p.agent_transcript_path) ?? null,
          lastMessage: cap(p.last_assistant_message ?? null),
        },
      ];
    case 'PreCompact':
    case 'PostCompact':
      return [
        {
          ...base('compact'),
          stage: hookEvent === 'PreCompact' ? 'pre' : 'post',
          trigger: str(p.trigger) ?? null,
          instructions: cap(p.custom_instructions ?? null),
          summary: cap(p.compact_summary ?? null),
        },
      ];
    case 'Notification':
      return [
        { ...base('notification'), message: cap(p.message ?? null), kind: str(p.notification_type) ?? null },
      ];
    case 'Stop':
      return [{ ...base('stop'), lastMessage: cap(p.last_assistant_message ?? null) }];
    case 'SessionEnd':
      return [{ ...base('session_end'), reason: str(p.reason) ?? null }];
    default: {
      const { session_id: _s, transcript_path: _t, cwd: _c, hook_event_name: _h, ...rest } = p;
      return [{ ...base('hook'), hookEvent, payload: cap(rest) }];
    }
  }
}

/** Hook events after which the spool is flushed to the branch. */
export const FLUSH_EVENTS = new Set(['SubagentStop', 'Stop', 'PreCompact', 'SessionEnd']);
