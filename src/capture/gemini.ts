/**
 * The Gemini CLI adapter: a saved chat (`~/.gemini/tmp/<project>/chats/session-<time>-<id8>.jsonl`, 0.61:
 * a header line, then one line per message, a message written again under its id when it grows, and
 * `$set` lines; older releases wrote one `.json` object with a `messages` array) -> canonical events.
 * Import and live capture (the hook names the chat, the flush reads it) share this function and its ids
 * (the session id, the message ids, the tool call ids).
 *
 * Tokens as the Gemini API counts them: `tokens.input` is the prompt, cached tokens included;
 * `tokens.output` the candidates; `tokens.thoughts` the thinking, billed as output. So input = input -
 * cached, cacheRead = cached, output = output + thoughts (kept apart as `reasoning`). ccusage's
 * `gemini` report prices the same (its outputTokens leave the thoughts out; its cost does not).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { derivedId, toolCallId, toolErrorId, usageId } from '../model/canonical.js';
import type { BaseEvent } from '../model/events.js';
import { gitBlobId } from './diff.js';
import { capValue, relPath } from './events.js';
import { redactFileContent } from './redact.js';

export const GEMINI = 'gemini';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/** Tokens of a Gemini message as figures.ts counts them (see the module's note). */
export function geminiTokens(t: Record<string, any>) {
  const prompt = num(t.input);
  const cached = Math.min(prompt, num(t.cached));
  const thoughts = num(t.thoughts);
  return {
    input: prompt - cached,
    output: num(t.output) + thoughts,
    cacheRead: cached,
    cacheWrite: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    reasoning: thoughts,
  };
}

const partsText = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content
          .map((p: any) => (typeof p?.text === 'string' ? p.text : ''))
          .filter(Boolean)
          .join('\n')
      : '';

/** Whether parsed records are a Gemini chat: a header with sessionId and projectHash. */
export function isGeminiChat(records: any[]): boolean {
  const first = records.find((r) => r && typeof r === 'object');
  return Boolean(first && typeof first.sessionId === 'string' && typeof first.projectHash === 'string');
}

/** The messages of a chat's records, each once (its last version), in the order first written. */
function messagesOf(records: any[]): any[] {
  const byId = new Map<string, any>();
  const add = (m: any) => {
    if (!m || typeof m !== 'object' || typeof m.id !== 'string' || typeof m.type !== 'string') return;
    byId.set(m.id, { ...(byId.get(m.id) ?? {}), ...m });
  };
  for (const r of records) {
    if (Array.isArray(r?.messages))
      r.messages.forEach(add); // the older single-object file
    // 0.61 sets the message list whole at times (the first context, a rewrite): its messages count too
    else if (r?.$set) {
      if (Array.isArray(r.$set.messages)) r.$set.messages.forEach(add);
    } else add(r);
  }
  return [...byId.values()];
}

/** The exit code a shell tool's output reports (`Exit Code: 2`), or null. */
const exitCodeOf = (text: string): number | null => {
  const m = /Exit Code:\s*(-?\d+)/.exec(text);
  return m ? Number(m[1]) : null;
};

/** A Gemini fileDiff (`Index:` / `===` lines, `--- name\tOriginal`) as our unified diff. */
function diffOf(fileDiff: string, file: string, created: boolean): string {
  const body = fileDiff
    .split('\n')
    .filter((l) => !/^(Index: |={10,}|--- |\+\+\+ )/.test(l))
    .join('\n');
  return `--- ${created ? '/dev/null' : `a/${file}`}\n+++ b/${file}\n${body}`;
}

export interface GeminiOptions {
  cap: number;
  source?: string;
  /** The project's folder (a chat names none itself): where relative paths are from. */
  cwd?: string | null;
}

/** The canonical events of a Gemini chat's records (parsed lines, or the older file's one object). */
export function geminiEvents(
  records: any[],
  opts: GeminiOptions,
): { session: string | null; events: BaseEvent[] } {
  const header = records.find((r) => typeof r?.sessionId === 'string');
  const session = str(header?.sessionId);
  if (!session) return { session: null, events: [] };
  const source = opts.source ?? 'import';
  const cwd = opts.cwd ?? null;
  const cap = (v: unknown) => capValue(v, opts.cap);
  const base = (type: BaseEvent['type'], id: string, ts: string): BaseEvent => ({
    id,
    ts,
    session,
    agent: 'main',
    agentType: 'main',
    type,
    source,
    agentTool: GEMINI,
  });
  const messages = messagesOf(records);
  const firstModel = str(messages.find((m) => m.type === 'gemini' && m.model)?.model);
  const out: BaseEvent[] = [
    {
      ...base(
        'session_start',
        derivedId('session_start', session, 'main:start'),
        str(header.startTime) ?? '',
      ),
      cwd,
      branch: null,
      head: null,
      model: firstModel,
    },
  ];
  for (const m of messages) {
    const ts = str(m.timestamp);
    if (!ts) continue;
    if (m.type === 'user') {
      const text = partsText(m.content);
      if (text.trim() && !text.startsWith('<session_context>'))
        out.push({
          ...base('prompt', derivedId('prompt', session, `main:prompt:${m.id}`), ts),
          text: cap(text),
        });
      continue;
    }
    if (m.type === 'error') {
      const text = partsText(m.content) || 'error';
      out.push({
        ...base('error', derivedId('e', session, `gemini:${m.id}`), ts),
        message: text.slice(0, opts.cap),
      });
      continue;
    }
    if (m.type !== 'gemini') continue;
    if (m.tokens)
      out.push({
        ...base('usage', usageId(session, m.id), ts),
        model: str(m.model) ?? 'unknown',
        messageId: m.id,
        requestId: null,
        tokens: geminiTokens(m.tokens),
      });
    const calls: any[] = Array.isArray(m.toolCalls) ? m.toolCalls : [];
    // thought summaries: why the calls of this response were made
    for (const [i, t] of (Array.isArray(m.thoughts) ? m.thoughts : []).entries()) {
      const text = [str(t?.subject), str(t?.description)].filter(Boolean).join(': ');
      if (text)
        out.push({
          ...base('decision', derivedId('d', session, `${m.id}:${i}`), str(t.timestamp) ?? ts),
          rationale: text,
          ...(calls[0] && str(calls[0].id) ? { toolUseId: calls[0].id, tool: str(calls[0].name) } : {}),
        });
    }
    for (const c of calls) {
      const id = str(c.id);
      if (!id) continue;
      const endTs = str(c.timestamp) ?? ts;
      const resp = Array.isArray(c.result) ? c.result.map((r: any) => r?.functionResponse?.response) : [];
      const output = resp
        .map((r: any) =>
          typeof r?.output === 'string' ? r.output : typeof r?.error === 'string' ? r.error : '',
        )
        .join('\n');
      const exit = exitCodeOf(output);
      const status = str(c.status);
      const outcome =
        status === 'cancelled'
          ? 'rejected'
          : status === 'error' || (exit !== null && exit !== 0)
            ? 'failed'
            : 'success';
      const tool = str(c.name) ?? 'unknown';
      const input = cap(c.args ?? null);
      out.push({
        ...base('tool_call', toolCallId(session, 'main', id), endTs),
        toolUseId: id,
        tool,
        input,
        output: cap(output),
        success: outcome === 'success',
        outcome,
        ...(exit !== null ? { exitCode: exit } : {}),
        ...(outcome === 'failed' ? { error: cap(output || status) } : {}),
        durationMs: Math.max(0, Date.parse(endTs) - Date.parse(ts)),
      });
      if (outcome === 'failed')
        out.push({
          ...base('error', toolErrorId(session, id), endTs),
          toolUseId: id,
          tool,
          input,
          message: (output || String(status)).slice(0, opts.cap),
        });
      const d = c.resultDisplay;
      if (outcome === 'success' && d && typeof d === 'object' && typeof d.fileDiff === 'string') {
        const abs = str(d.filePath) ?? str(c.args?.file_path) ?? str(d.fileName) ?? 'unknown';
        const file = relPath(abs, cwd ?? undefined);
        const before = str(d.originalContent);
        const after = str(d.newContent);
        const created = tool === 'write_file' && !before;
        const diff = diffOf(d.fileDiff, file, created)
          .split('\n')
          .map((l) =>
            /^[-+ ]/.test(l) && !/^(---|\+\+\+) /.test(l) ? l[0] + redactFileContent(abs, l.slice(1)) : l,
          )
          .join('\n');
        out.push({
          ...base('file_change', derivedId('file_change', session, `main:${id}`), endTs),
          toolUseId: id,
          tool,
          path: file,
          operation: created ? 'create' : tool === 'write_file' ? 'update' : 'edit',
          diff: cap(diff),
          blobBefore: before ? gitBlobId(before) : null,
          blobAfter: after !== null ? gitBlobId(after) : null,
        });
      }
    }
  }
  return { session, events: out.sort((a, b) => a.ts.localeCompare(b.ts)) };
}

/**
 * The events of one Gemini CLI hook payload (settings.json hooks: SessionStart, AfterAgent, SessionEnd).
 * The chat the payload names (`transcript_path`) holds the facts; the flush reads it (collect.ts).
 */
export function geminiHookEvents(
  p: Record<string, any>,
  ctx: {
    now: () => string;
    newId: () => string;
    head?: { branch: string | null; head: string | null };
    process?: { pid: number | null; host: string };
  },
): BaseEvent[] {
  const session = str(p.session_id);
  if (!session) throw new Error('a Gemini hook payload without session_id');
  const ts = str(p.timestamp) ?? ctx.now();
  const base = (type: BaseEvent['type'], id: string): BaseEvent => ({
    id,
    ts,
    session,
    agent: 'main',
    agentType: 'main',
    type,
    source: 'hook',
    agentTool: GEMINI,
  });
  const event = str(p.hook_event_name);
  if (event === 'SessionStart') {
    const source = str(p.source) ?? 'startup';
    return [
      {
        ...base(
          'session_start',
          source === 'startup' ? derivedId('session_start', session, 'main:start') : `s-${ctx.newId()}`,
        ),
        cwd: str(p.cwd),
        branch: ctx.head?.branch ?? null,
        head: ctx.head?.head ?? null,
        startSource: source,
        chatPath: str(p.transcript_path),
        ...(ctx.process ? { pid: ctx.process.pid, host: ctx.process.host } : {}),
      },
    ];
  }
  if (event === 'AfterAgent') return [base('stop', `stop-${ctx.newId()}`)];
  if (event === 'SessionEnd')
    return [{ ...base('session_end', `end-${ctx.newId()}`), reason: str(p.reason) }];
  return [];
}

/** A chat file's records: its lines (0.61's .jsonl), or the one object of an older `.json`. */
export function geminiRecords(text: string): any[] {
  try {
    const whole = JSON.parse(text);
    if (whole && typeof whole === 'object' && Array.isArray(whole.messages)) return [whole];
  } catch {}
  const out: any[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {}
  }
  return out;
}

/** The project folder a chat belongs to: its `.project_root` file (beside `chats/`), or null. */
export function chatProjectRoot(chatFile: string): string | null {
  try {
    return (
      fs.readFileSync(path.join(path.dirname(path.dirname(chatFile)), '.project_root'), 'utf8').trim() || null
    );
  } catch {
    return null;
  }
}

/**
 * The saved chats of a repository under `<home>/.gemini/tmp`: the project folders whose `.project_root`
 * is the work tree (0.61: named after the folder) or named by the sha256 of its path (older releases).
 */
export function geminiChats(workTree: string, home: string): string[] {
  const root = path.join(home, '.gemini', 'tmp');
  const hash = createHash('sha256').update(workTree).digest('hex');
  let dirs: string[];
  try {
    dirs = fs.readdirSync(root).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const d of dirs) {
    const chats = path.join(root, d, 'chats');
    let mine = d === hash;
    try {
      mine ||= fs.readFileSync(path.join(root, d, '.project_root'), 'utf8').trim() === workTree;
    } catch {}
    if (!mine) continue;
    try {
      for (const f of fs.readdirSync(chats).sort())
        if (/^session-.*\.jsonl?$/.test(f)) out.push(path.join(chats, f));
    } catch {}
  }
  return out;
}
