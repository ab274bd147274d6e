/**
 * The Codex CLI adapter: a rollout (`~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl`,
 * one `{timestamp, type, payload}` a line) -> canonical events. The same function serves import and
 * live capture (the hook reads the rollout named by Codex's hook payload), and every event's id is
 * derived from what it describes (the thread id, a call id, a response id), so the two paths write
 * the same events and reading a rollout again adds nothing.
 *
 * What a rollout holds (Codex 0.169, checked against the real CLI; older lines read too):
 * - `session_meta`: thread id, cwd, cli_version, git; `turn_context`: the model of each turn.
 * - `response_item`: the Responses API items: `message` (user/assistant), `reasoning` (its summary:
 *   a decision), `function_call` (`exec_command`, `shell`, MCP tools) and `custom_tool_call`
 *   (`apply_patch`), with their `*_output` paired by `call_id`.
 * - `event_msg`: `item_completed` (0.16x: a CommandExecution's exit code and duration, a FileChange's
 *   changes with their unified diff), or `exec_command_end` / `patch_apply_end` (older), `user_message`
 *   (older prompts), `token_count`, `error`.
 * - `token_usage_record` (0.16x): one line per API response with its `response_id` and usage; older
 *   rollouts have only `token_count`, whose `last_token_usage` is the last response's.
 *
 * Tokens as OpenAI counts them, and ccusage too: `cached_input_tokens` are part of `input_tokens`,
 * `reasoning_output_tokens` part of `output_tokens`. So input = input - cached (- cache writes),
 * cacheRead = cached, output = output (reasoning included, and kept apart as `reasoning`).
 */

import { derivedId, fileChangeId, toolCallId, toolErrorId, usageId } from '../model/canonical.js';
import type { BaseEvent } from '../model/events.js';
import { gitBlobId } from './diff.js';
import { capValue, relPath } from './events.js';
import { redactFileContent } from './redact.js';

export const CODEX = 'codex';

type Rec = { timestamp?: string; type?: string; payload?: any };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/** The thread id of a rollout file's name (`rollout-2026-12-01T12-33-32-<uuid>.jsonl`), or null. */
export function rolloutThreadId(file: string): string | null {
  const m = /rollout-.*?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(file);
  return m ? m[1].toLowerCase() : null;
}

/** Whether parsed lines are a Codex rollout: a `session_meta` line, or the `{timestamp,type,payload}` shape. */
export function isRollout(records: any[]): boolean {
  const first = records.find((r) => r && typeof r === 'object');
  return Boolean(
    first && first.type === 'session_meta' && first.payload && typeof first.payload === 'object',
  );
}

/** The tokens of one Codex usage object, as figures.ts counts them (see the module's note). */
export function codexTokens(u: Record<string, any>) {
  const total = num(u.input_tokens);
  const cached = Math.min(total, num(u.cached_input_tokens));
  const written = Math.min(total - cached, num(u.cache_write_input_tokens));
  return {
    input: total - cached - written,
    output: num(u.output_tokens),
    cacheRead: cached,
    cacheWrite: written,
    cacheWrite5m: written,
    cacheWrite1h: 0,
    reasoning: num(u.reasoning_output_tokens),
  };
}

/** The text of a Responses API message's content. */
const contentText = (content: unknown): string =>
  Array.isArray(content)
    ? content
        .map((c: any) => (typeof c?.text === 'string' ? c.text : ''))
        .filter(Boolean)
        .join('\n')
    : typeof content === 'string'
      ? content
      : '';

/** The exit code a shell tool's output text reports (0.16x text, or the older JSON `metadata`). */
function exitCodeOf(output: string): number | null {
  const m = /(?:Process exited with code|Exit code:)\s*(-?\d+)/.exec(output);
  if (m) return Number(m[1]);
  try {
    const j = JSON.parse(output);
    if (typeof j?.metadata?.exit_code === 'number') return j.metadata.exit_code;
  } catch {}
  return null;
}

/** One file a patch touched: its operation and unified diff (without the ---/+++ header). */
interface PatchFile {
  path: string;
  kind: 'add' | 'update' | 'delete';
  hunks: string;
  content: string | null;
  movePath?: string | null;
}

/** The files of an apply_patch input (`*** Begin Patch` ... `*** End Patch`): what older rollouts hold only there. */
export function parsePatch(input: string): PatchFile[] {
  const out: PatchFile[] = [];
  let cur: (PatchFile & { lines: string[] }) | null = null;
  const close = () => {
    if (!cur) return;
    if (cur.kind === 'add') {
      cur.content = cur.lines.map((l) => l.slice(1)).join('\n') + (cur.lines.length ? '\n' : '');
      cur.hunks = cur.lines.length ? `@@ -0,0 +1,${cur.lines.length} @@\n${cur.lines.join('\n')}\n` : '';
    } else if (cur.kind === 'update') cur.hunks = cur.lines.length ? `${cur.lines.join('\n')}\n` : '';
    const { lines: _l, ...f } = cur;
    out.push(f);
    cur = null;
  };
  for (const line of input.split('\n')) {
    const m = /^\*\*\* (Add|Update|Delete) File: (.+)$/.exec(line);
    if (m) {
      close();
      const kind = m[1] === 'Add' ? 'add' : m[1] === 'Update' ? 'update' : 'delete';
      cur = { path: m[2].trim(), kind, hunks: '', content: null, lines: [] };
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('*** End Patch')) {
      close();
      continue;
    }
    const move = /^\*\*\* Move to: (.+)$/.exec(line);
    if (move) cur.movePath = move[1].trim();
    else if (cur.kind === 'add' && line.startsWith('+')) cur.lines.push(line);
    else if (cur.kind === 'update' && /^(@@|[-+ ])/.test(line)) cur.lines.push(line);
  }
  close();
  return out;
}

/** The changes of a FileChange item (0.16x) or a patch_apply_end (older): path -> {type|add|update|delete}. */
function changesOf(changes: unknown): PatchFile[] {
  if (!changes || typeof changes !== 'object') return [];
  const out: PatchFile[] = [];
  for (const [p, c] of Object.entries(changes as Record<string, any>)) {
    const kind: PatchFile['kind'] | null =
      c?.type === 'add' || c?.add
        ? 'add'
        : c?.type === 'delete' || c?.delete
          ? 'delete'
          : c?.type === 'update' || c?.update
            ? 'update'
            : null;
    if (!kind) continue;
    const body = c.add ?? c.update ?? c.delete ?? c;
    const content = str(body?.content);
    let hunks = str(body?.unified_diff) ?? '';
    if (kind === 'add' && content !== null) {
      const lines = content.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      hunks = lines.length ? `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n` : '';
    }
    out.push({ path: p, kind, hunks, content, movePath: str(body?.move_path) });
  }
  return out;
}

export interface CodexOptions {
  /** Bytes kept of a tool's input or output (the rest is a hash and a head). */
  cap: number;
  /** Where the events come from: `import` or `hook`. */
  source?: string;
}

interface Call {
  ts: string;
  tool: string;
  input: unknown;
  output: string | null;
  outTs: string | null;
  exitCode: number | null;
  status: string | null;
  durationMs: number | null;
  changes: PatchFile[] | null;
  cwd: string | null;
}

/**
 * The canonical events of a Codex rollout's records (parsed lines). `session` is the thread id; the
 * session's agent is `main` (Codex's own subagents write rollouts of their own).
 */
export function codexEvents(
  records: Rec[],
  opts: CodexOptions,
): { session: string | null; events: BaseEvent[] } {
  const meta = records.find((r) => r?.type === 'session_meta')?.payload;
  const session = str(meta?.id) ?? str(meta?.session_id);
  if (!session) return { session: null, events: [] };
  const source = opts.source ?? 'import';
  const cap = (v: unknown) => capValue(v, opts.cap);
  const cwd = str(meta.cwd);
  const events: BaseEvent[] = [];
  const base = (type: BaseEvent['type'], id: string, ts: string): BaseEvent => ({
    id,
    ts,
    session,
    agent: 'main',
    agentType: 'main',
    type,
    source,
    agentTool: CODEX,
  });
  let model: string | null = null;
  const firstModel = str(records.find((r) => r?.type === 'turn_context')?.payload?.model);
  const startTs = str(meta.timestamp) ?? str(records[0]?.timestamp) ?? new Date(0).toISOString();
  events.push({
    ...base('session_start', derivedId('session_start', session, 'main:start'), startTs),
    cwd,
    branch: str(meta.git?.branch),
    head: str(meta.git?.commit_hash),
    model: firstModel,
    version: str(meta.cli_version),
    originator: str(meta.originator),
  });
  const calls = new Map<string, Call>();
  const order: string[] = [];
  const prompts = new Set<string>();
  let lastTotal: number | null = null;
  let usageRecords = false;
  let turn = 0;
  let pendingDecision: BaseEvent | null = null;
  for (const rec of records) {
    const ts = str(rec?.timestamp);
    const p = rec?.payload;
    if (!ts || !p || typeof p !== 'object') continue;
    if (rec.type === 'turn_context') {
      model = str(p.model) ?? model;
      turn++;
      continue;
    }
    if (rec.type === 'token_usage_record' && p.usage) {
      usageRecords = true;
      const key = str(p.response_id) ?? `${str(p.turn_id)}:${ts}`;
      events.push({
        ...base('usage', usageId(session, key), ts),
        model: model ?? 'unknown',
        messageId: str(p.response_id),
        requestId: null,
        tokens: codexTokens(p.usage),
      });
      continue;
    }
    if (rec.type === 'response_item') {
      if (p.type === 'message' && p.role === 'assistant') pendingDecision = null;
      if (p.type === 'reasoning') {
        const text = Array.isArray(p.summary)
          ? p.summary
              .map((s: any) => (typeof s?.text === 'string' ? s.text : ''))
              .filter(Boolean)
              .join('\n')
          : '';
        if (text.trim()) {
          const d: BaseEvent = {
            ...base('decision', derivedId('d', session, str(p.id) ?? `${ts}:${text}`), ts),
            rationale: text,
          };
          events.push(d);
          pendingDecision = d;
        }
      } else if ((p.type === 'function_call' || p.type === 'custom_tool_call') && str(p.call_id)) {
        let input: unknown = p.type === 'custom_tool_call' ? (p.input ?? null) : (p.arguments ?? null);
        if (typeof input === 'string' && p.type === 'function_call') {
          try {
            input = JSON.parse(input);
          } catch {}
        }
        const tool = str(p.namespace) ? `${p.namespace}__${p.name}` : (str(p.name) ?? 'unknown');
        calls.set(p.call_id, {
          ts,
          tool,
          input,
          output: null,
          outTs: null,
          exitCode: null,
          status: null,
          durationMs: null,
          changes: null,
          cwd,
        });
        order.push(p.call_id);
        // the reasoning summary before a call is why it was made (as Claude Code's text before a tool_use)
        if (pendingDecision) {
          pendingDecision.toolUseId = p.call_id;
          pendingDecision.tool = tool;
          pendingDecision = null;
        }
      } else if (
        (p.type === 'function_call_output' || p.type === 'custom_tool_call_output') &&
        str(p.call_id)
      ) {
        const c = calls.get(p.call_id);
        if (c) {
          c.output =
            typeof p.output === 'string' ? p.output : JSON.stringify(p.output?.content ?? p.output ?? '');
          c.outTs = ts;
        }
      }
      continue;
    }
    if (rec.type !== 'event_msg') continue;
    if (p.type === 'item_completed' && p.item) {
      const it = p.item;
      if (it.type === 'UserMessage') {
        const text = contentText(it.content);
        const key = str(it.id) ?? `${str(p.turn_id)}:${text}`;
        if (text && !prompts.has(key)) {
          prompts.add(key);
          prompts.add(`turn:${str(p.turn_id)}`);
          events.push({
            ...base('prompt', derivedId('prompt', session, `main:prompt:${key}`), ts),
            text: cap(text),
          });
        }
      }
      const c = str(it.id) ? calls.get(it.id) : undefined;
      if (c) {
        if (typeof it.exit_code === 'number') c.exitCode = it.exit_code;
        c.status = str(it.status);
        if (typeof it.started_at_ms === 'number' || typeof p.started_at_ms === 'number') {
          const d = num(p.completed_at_ms) - num(p.started_at_ms);
          if (d >= 0) c.durationMs = d;
        }
        if (it.duration && typeof it.duration.secs === 'number')
          c.durationMs = Math.round(it.duration.secs * 1000 + num(it.duration.nanos) / 1e6);
        if (it.type === 'FileChange') c.changes = changesOf(it.changes);
        const itCwd = str(it.cwd);
        if (itCwd) c.cwd = itCwd.replace(/^file:\/\//, '');
      }
    } else if (p.type === 'task_complete') {
      // a turn ended: the session may go quiet without a SessionEnd (Codex has none), it is not a crash
      events.push({ ...base('stop', derivedId('stop', session, `main:${str(p.turn_id) ?? ts}`), ts) });
    } else if (p.type === 'user_message' && typeof p.message === 'string') {
      // older rollouts: the prompt as an event (0.16x writes item_completed UserMessage as well)
      const key = `legacy:${turn}:${p.message}`;
      if (!prompts.has(key) && p.message.trim()) {
        prompts.add(key);
        events.push({
          ...base('prompt', derivedId('prompt', session, `main:prompt:${key}`), ts),
          text: cap(p.message),
        });
      }
    } else if (p.type === 'exec_command_end' && str(p.call_id)) {
      const c = calls.get(p.call_id);
      if (c) {
        if (typeof p.exit_code === 'number') c.exitCode = p.exit_code;
        if (p.duration && typeof p.duration.secs === 'number')
          c.durationMs = Math.round(p.duration.secs * 1000 + num(p.duration.nanos) / 1e6);
      }
    } else if (p.type === 'patch_apply_end' && str(p.call_id)) {
      const c = calls.get(p.call_id);
      if (c) {
        c.status = p.success === false ? 'failed' : 'completed';
        if (p.changes) c.changes = changesOf(p.changes);
      }
    } else if (p.type === 'token_count' && !usageRecords) {
      // older rollouts: a response's usage is the last_token_usage of a token_count whose total grew
      const info = p.info;
      const last = info?.last_token_usage;
      const total = num(info?.total_token_usage?.total_tokens);
      if (!last || (lastTotal !== null && total === lastTotal)) continue;
      lastTotal = total;
      events.push({
        ...base('usage', usageId(session, `token_count:${ts}:${total}`), ts),
        model: model ?? 'unknown',
        messageId: null,
        requestId: null,
        tokens: codexTokens(last),
      });
    } else if (p.type === 'error' || p.type === 'stream_error') {
      const message = str(p.message) ?? 'error';
      events.push({
        ...base('error', derivedId('e', session, `codex:${ts}:${message}`), ts),
        message: message.slice(0, opts.cap),
        context: p.type,
      });
    }
  }
  // a usage line written before token_usage_record existed is dropped once records appear (one kind a rollout)
  const out = usageRecords ? events.filter((e) => !(e.type === 'usage' && e.messageId === null)) : events;
  for (const id of order) {
    const c = calls.get(id)!;
    if (c.output === null && c.status === null && c.exitCode === null) continue; // still running
    const endTs = c.outTs ?? c.ts;
    const exit = c.exitCode ?? (c.output !== null ? exitCodeOf(c.output) : null);
    const isPatch = c.tool === 'apply_patch';
    const failed =
      c.status === 'failed' ||
      c.status === 'declined' ||
      (exit !== null && exit !== 0) ||
      (isPatch &&
        c.output !== null &&
        /^(?:Exit code: [1-9]|apply_patch verification failed|error)/i.test(c.output));
    const outcome = c.status === 'declined' ? 'rejected' : failed ? 'failed' : 'success';
    const durationMs = c.durationMs ?? Math.max(0, Date.parse(endTs) - Date.parse(c.ts));
    const input = cap(c.input);
    out.push({
      ...base('tool_call', toolCallId(session, 'main', id), endTs),
      toolUseId: id,
      tool: c.tool,
      input,
      output: cap(c.output),
      success: outcome === 'success',
      outcome,
      ...(exit !== null ? { exitCode: exit } : {}),
      ...(outcome === 'failed' ? { error: cap(c.output ?? c.status) } : {}),
      durationMs,
    });
    if (outcome === 'failed')
      out.push({
        ...base('error', toolErrorId(session, id), endTs),
        toolUseId: id,
        tool: c.tool,
        input,
        message: String(c.output ?? c.status ?? 'failed').slice(0, opts.cap),
      });
    if (isPatch && outcome === 'success') {
      const files = c.changes ?? (typeof c.input === 'string' ? parsePatch(c.input) : []);
      for (const f of files) {
        const abs = f.path.startsWith('/') ? f.path : c.cwd ? `${c.cwd}/${f.path}` : f.path;
        const file = relPath(abs, cwd ?? undefined);
        const header = `--- ${f.kind === 'add' ? '/dev/null' : `a/${file}`}\n+++ ${f.kind === 'delete' ? '/dev/null' : `b/${file}`}\n`;
        out.push({
          ...base(
            'file_change',
            files.length === 1
              ? fileChangeId(session, 'main', id)
              : derivedId('file_change', session, `main:${id}:${file}`),
            endTs,
          ),
          toolUseId: id,
          tool: c.tool,
          path: file,
          operation: f.kind === 'add' ? 'create' : f.kind === 'delete' ? 'delete' : 'edit',
          // .env-style files: every value in the diff is replaced whole (as for Claude Code's edits)
          diff: cap(
            (header + f.hunks)
              .split('\n')
              .map((l) =>
                /^[-+ ]/.test(l) && !/^(---|\+\+\+) /.test(l) ? l[0] + redactFileContent(abs, l.slice(1)) : l,
              )
              .join('\n'),
          ),
          blobBefore: null,
          blobAfter: f.kind === 'add' && f.content !== null ? gitBlobId(f.content) : null,
        });
      }
    }
  }
  return { session, events: out.sort((a, b) => a.ts.localeCompare(b.ts)) };
}

/**
 * The events of one Codex hook payload (hooks.json: SessionStart, Stop; Codex 0.169). Little is taken
 * from the payload: the rollout it names (`transcript_path`) holds every fact, and the flush reads it
 * (collect.ts), so live capture and import write the same events. SessionStart gives what only the
 * live path knows (the git HEAD, Codex's process for crash detection) and where the rollout is;
 * Stop marks the turn's end under the id the rollout's `task_complete` gives it.
 */
export function codexHookEvents(
  p: Record<string, any>,
  ctx: {
    now: () => string;
    newId: () => string;
    head?: { branch: string | null; head: string | null };
    process?: { pid: number | null; host: string };
  },
): BaseEvent[] {
  const session = str(p.session_id);
  if (!session) throw new Error('a Codex hook payload without session_id');
  const base = (type: BaseEvent['type'], id: string): BaseEvent => ({
    id,
    ts: ctx.now(),
    session,
    agent: 'main',
    agentType: 'main',
    type,
    source: 'hook',
    agentTool: CODEX,
  });
  const event = str(p.hook_event_name);
  if (event === 'SessionStart') {
    const source = str(p.source) ?? 'startup';
    return [
      {
        // the first start is the rollout's session_start (one id); a resume is a start of its own
        ...base(
          'session_start',
          source === 'startup' ? derivedId('session_start', session, 'main:start') : `s-${ctx.newId()}`,
        ),
        cwd: str(p.cwd),
        branch: ctx.head?.branch ?? null,
        head: ctx.head?.head ?? null,
        model: str(p.model),
        startSource: source,
        rolloutPath: str(p.transcript_path),
        ...(ctx.process ? { pid: ctx.process.pid, host: ctx.process.host } : {}),
      },
    ];
  }
  if (event === 'Stop' && str(p.turn_id))
    return [base('stop', derivedId('stop', session, `main:${p.turn_id}`))];
  return [];
}
