/**
 * A scripted stand-in for the Anthropic Messages API, so the tests can drive the real Claude Code
 * CLI offline (ANTHROPIC_BASE_URL=http://127.0.0.1:<port>). Each request is answered from a script
 * keyed by who is asking (a marker in the conversation's first user message: the main prompt or a
 * subagent's task) and how far that conversation is (the number of tool results it already holds).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string };

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

/** marker -> replies by step (step = tool_result blocks already in the conversation). */
export type Script = Record<string, Array<{ at: number; reply: Block[]; usage?: Usage; delayMs?: number }>>;

export interface FakeApi {
  url: string;
  requests: Array<{ path: string; body: any }>;
  close(): Promise<void>;
}

/** What the real API's `message_start` says of the output so far (1 to a few tokens). */
const STARTING_OUTPUT_TOKENS = 1;
/** Without a transcript to watch: longer than Claude Code's 100 ms transcript flush. */
const BLOCK_PAUSE_MS = 300;
/** Waiting for a subagent block's line, at most (then the next block is sent anyway). */
const MAX_WAIT_MS = 15_000;

const DEFAULT_USAGE: Usage = {
  input_tokens: 1000,
  output_tokens: 100,
  cache_read_input_tokens: 2000,
  cache_creation_input_tokens: 300,
};

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((b: any) =>
        typeof b?.text === 'string' ? b.text : typeof b?.content === 'string' ? b.content : '',
      )
      .join('\n');
  return '';
}

function countToolResults(messages: any[]): number {
  let n = 0;
  for (const m of messages)
    if (Array.isArray(m.content)) for (const b of m.content) if (b?.type === 'tool_result') n++;
  return n;
}

let seq = 0;

/** How many lines of the transcript named `file` (anywhere under `dir`) belong to the response `messageId`. */
function linesWritten(dir: string, file: string, messageId: string): number {
  const needle = `"id":"${messageId}"`;
  let n = 0;
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === file) {
        let text = '';
        try {
          text = fs.readFileSync(p, 'utf8');
        } catch {
          continue;
        }
        for (const l of text.split('\n')) if (l.includes(needle)) n++;
      }
    }
  };
  walk(dir);
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A streamed answer, shaped like the real API's: `message_start` carries the input and cache counts and
 * a small `output_tokens`; the blocks follow one by one; the final `output_tokens` (with the input and
 * cache counts again) comes only in `message_delta`.
 *
 * Claude Code (2.1.197) makes one transcript entry per content block at its `content_block_stop`,
 * sharing the `message_start` usage, and queues it; its writer serializes the queue every 100 ms
 * (`FLUSH_INTERVAL_MS`); at `message_delta` it sets the final usage and stop_reason on every entry of
 * the response (`for (let Oi of Yt) Oi.message.usage = hn, Oi.message.stop_reason = He`). A line
 * serialized before `message_delta` keeps the small count, the last block's line (`message_delta`
 * follows it at once) holds the final one. Against the real API, whose blocks take longer than 100 ms
 * to generate, that is what subagent transcripts and interactive sessions show; a `-p` session's main
 * transcript persists nothing past an entry whose stop_reason is still null (`Sen`), so its lines all
 * carry the final usage. A reply sent in one burst gives every line the final usage. So after each
 * block but the last we wait until Claude Code has written that block's line (in the transcript of
 * the agent named by the request's `x-claude-code-agent-id`, or of the session), with a pause when we
 * are not told where transcripts go; the last block, `message_delta` and `message_stop` go in one write.
 */
async function sse(
  res: http.ServerResponse,
  model: string,
  blocks: Block[],
  usage: Usage,
  transcripts: string | undefined,
  who: { session?: string; agent?: string },
): Promise<void> {
  const n = ++seq;
  const id = `msg_fake_${n}`;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'request-id': `req_fake_${n}`,
  });
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  res.write(
    event('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: STARTING_OUTPUT_TOKENS },
      },
    }),
  );
  for (let index = 0; index < blocks.length; index++) {
    const b = blocks[index];
    let chunk = '';
    if (b.type === 'text') {
      chunk += event('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      chunk += event('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'text_delta', text: b.text },
      });
    } else {
      chunk += event('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: b.id ?? `toolu_fake_${n}_${index}`, name: b.name, input: {} },
      });
      chunk += event('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) },
      });
    }
    chunk += event('content_block_stop', { type: 'content_block_stop', index });
    if (index === blocks.length - 1) {
      const stop = blocks.some((x) => x.type === 'tool_use') ? 'tool_use' : 'end_turn';
      chunk += event('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stop, stop_sequence: null },
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens: usage.output_tokens,
        },
      });
      chunk += event('message_stop', { type: 'message_stop' });
      res.end(chunk);
      return;
    }
    res.write(chunk);
    // a subagent's transcript gets each block's line as the block completes; the main transcript of a
    // `-p` session holds the response's lines until message_delta (2.1.197), so it is waited for briefly
    const file = who.agent ? `agent-${who.agent}.jsonl` : who.session ? `${who.session}.jsonl` : undefined;
    if (transcripts === undefined || file === undefined) await sleep(BLOCK_PAUSE_MS);
    else {
      const cap = who.agent ? MAX_WAIT_MS : BLOCK_PAUSE_MS;
      for (let waited = 0; waited < cap && linesWritten(transcripts, file, id) < index + 1; waited += 10)
        await sleep(10);
    }
  }
  res.end();
}

function json(res: http.ServerResponse, model: string, blocks: Block[], usage: Usage): void {
  const id = `msg_fake_${++seq}`;
  const content = blocks.map((b, i) =>
    b.type === 'text'
      ? b
      : { type: 'tool_use', id: b.id ?? `toolu_fake_${seq}_${i}`, name: b.name, input: b.input },
  );
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${seq}` });
  res.end(
    JSON.stringify({
      id,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage,
    }),
  );
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && /^[\w-]+$/.test(v) ? v : undefined;
}

export interface FakeApiOptions {
  /**
   * Where Claude Code writes transcripts (`<HOME>/.claude/projects`): with it, each streamed block but
   * the last waits until its transcript line is written (see `sse`), so the lines carry growing
   * output counts as with the real API.
   */
  transcripts?: string;
}

export async function startFakeAnthropic(script: Script, opts: FakeApiOptions = {}): Promise<FakeApi> {
  const requests: FakeApi['requests'] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: any = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        body = {};
      }
      const path = (req.url ?? '').split('?')[0];
      requests.push({ path, body });
      if (path.endsWith('/messages/count_tokens')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ input_tokens: 100 }));
      }
      if (!path.endsWith('/v1/messages')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not here' } }),
        );
      }
      const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
      const first = textOf(messages.find((m) => m.role === 'user')?.content);
      // a resumed conversation starts with the old prompt; its new prompt is the last user message
      const lastUser = [...messages].reverse().find((m) => m.role === 'user');
      const isPrompt =
        typeof lastUser?.content === 'string' ||
        (Array.isArray(lastUser?.content) && !lastUser.content.some((b: any) => b?.type === 'tool_result'));
      const latest = isPrompt ? textOf(lastUser.content) : '';
      const step = countToolResults(messages);
      const model = typeof body.model === 'string' ? body.model : 'claude-sonnet-4-5';
      let reply: Block[] = [{ type: 'text', text: 'OK' }];
      let delayMs = 0;
      let usage = {
        input_tokens: 10,
        output_tokens: 5,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      };
      // only requests that offer tools are agent turns; others (titles, summaries) get a short text
      if (Array.isArray(body.tools) && body.tools.length) {
        for (const [marker, steps] of Object.entries(script)) {
          if (!first.includes(marker) && !latest.includes(marker)) continue;
          const s = steps.find((x) => x.at === step);
          if (s) {
            reply = s.reply;
            usage = s.usage ?? DEFAULT_USAGE;
            delayMs = s.delayMs ?? 0;
          }
          break;
        }
      }
      const answer = () =>
        body.stream
          ? void sse(res, model, reply, usage, opts.transcripts, {
              session: header(req, 'x-claude-code-session-id'),
              agent: header(req, 'x-claude-code-agent-id'),
            })
          : json(res, model, reply, usage);
      if (delayMs) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The recorded sprint: two parallel subagents, a Write, a failing Bash, an Edit (see test/fixtures/sprint). */
export function sprintScript(cwd: string): Script {
  const tool = (name: string, input: Record<string, unknown>, id?: string): Block => ({
    type: 'tool_use',
    name,
    input,
    id,
  });
  return {
    'MISSION-ALPHA': [
      {
        at: 0,
        reply: [
          { type: 'text', text: 'I will split the work between two subagents.' },
          tool('Agent', {
            description: 'Write the library',
            prompt: 'SUB-WRITER: create lib.txt with a greeting',
            subagent_type: 'general-purpose',
          }),
          tool('Agent', {
            description: 'Review the readme',
            prompt: 'SUB-REVIEWER: review README.md',
            subagent_type: 'general-purpose',
          }),
        ],
      },
      { at: 2, reply: [tool('Write', { file_path: `${cwd}/notes.md`, content: 'alpha notes\n' })] },
      { at: 3, reply: [tool('Bash', { command: 'exit 3', description: 'Run the failing check' })] },
      {
        at: 4,
        reply: [
          tool('Edit', {
            file_path: `${cwd}/notes.md`,
            old_string: 'alpha',
            new_string: 'beta',
            replace_all: false,
          }),
        ],
      },
      {
        // a real model takes a moment to answer; an instant answer ends the session while the last async
        // hooks still run, and then Claude Code 2.1.197 -p sometimes skips SessionEnd (see README)
        at: 5,
        delayMs: 400,
        reply: [{ type: 'text', text: 'All done: lib.txt written, README reviewed, notes updated.' }],
      },
    ],
    'SUB-WRITER': [
      { at: 0, reply: [tool('Write', { file_path: `${cwd}/lib.txt`, content: 'hello\n' })] },
      {
        at: 1,
        reply: [tool('Bash', { command: `cat ${cwd}/lib.txt`, description: 'Show the library file' })],
      },
      { at: 2, reply: [{ type: 'text', text: 'Wrote lib.txt' }] },
    ],
    'SUB-REVIEWER': [
      { at: 0, reply: [tool('Read', { file_path: `${cwd}/README.md` })] },
      {
        at: 1,
        reply: [tool('Bash', { command: 'ls /nonexistent-dir-xyz', description: 'List a missing folder' })],
      },
      { at: 2, reply: [{ type: 'text', text: 'Review done: README is fine' }] },
    ],
  };
}
