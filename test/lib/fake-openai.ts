/**
 * A scripted stand-in for OpenAI's Responses API (POST /v1/responses, streamed as server-sent events,
 * as Codex CLI asks for it), so the tests drive the real Codex CLI offline: a temp CODEX_HOME's
 * config.toml names a model provider whose base_url is this server. Each request is answered from a
 * script keyed by a marker in the turn's user message and by how many tool outputs the turn holds.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Item =
  | { type: 'message'; text: string }
  | { type: 'reasoning'; summary: string }
  | { type: 'function_call'; name: string; arguments: Record<string, unknown> }
  | { type: 'custom_tool_call'; name: string; input: string };

/** Usage as the Responses API reports it: cached tokens are part of input, reasoning part of output. */
export interface OpenAiUsage {
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
}

/** marker -> replies by step (step = tool outputs in the conversation since the marker's user message). */
export type OpenAiScript = Record<string, Array<{ at: number; reply: Item[]; usage: OpenAiUsage }>>;

export interface FakeOpenAi {
  url: string;
  requests: Array<{ path: string; body: any }>;
  /** The response ids sent, in order, with the usage each carried. */
  responses: Array<{ id: string; usage: OpenAiUsage }>;
  close(): Promise<void>;
}

const textOf = (content: unknown): string =>
  Array.isArray(content)
    ? content.map((c: any) => (typeof c?.text === 'string' ? c.text : '')).join('\n')
    : '';

let seq = 0;

export async function startFakeOpenAi(script: OpenAiScript): Promise<FakeOpenAi> {
  const requests: FakeOpenAi['requests'] = [];
  const responses: FakeOpenAi['responses'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let parsed: any = null;
      try {
        parsed = JSON.parse(body);
      } catch {}
      requests.push({ path: req.url ?? '', body: parsed });
      if (req.method !== 'POST' || !req.url?.endsWith('/responses') || !parsed) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found"}}');
        return;
      }
      const input: any[] = Array.isArray(parsed.input) ? parsed.input : [];
      // the turn: the last user message that names a marker; the step: tool outputs after it
      let marker: string | null = null;
      let from = 0;
      input.forEach((it, i) => {
        if (it?.type !== 'message' || it.role !== 'user') return;
        const t = textOf(it.content);
        const m = Object.keys(script).find((k) => t.includes(k));
        if (m) {
          marker = m;
          from = i;
        }
      });
      const step = input
        .slice(from)
        .filter((it) => it?.type === 'function_call_output' || it?.type === 'custom_tool_call_output').length;
      const entry = marker ? script[marker].find((s) => s.at === step) : undefined;
      const reply: Item[] = entry?.reply ?? [{ type: 'message', text: 'Nothing scripted here.' }];
      const usage: OpenAiUsage = entry?.usage ?? {
        input_tokens: 100,
        cached_tokens: 0,
        output_tokens: 10,
        reasoning_tokens: 0,
      };
      const id = `resp_${++seq}`;
      responses.push({ id, usage });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (type: string, o: Record<string, unknown>) =>
        res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`);
      send('response.created', { response: { id, status: 'in_progress' } });
      reply.forEach((r, i) => {
        const n = ++seq;
        const item =
          r.type === 'message'
            ? {
                type: 'message',
                id: `msg_${n}`,
                role: 'assistant',
                status: 'completed',
                content: [{ type: 'output_text', text: r.text, annotations: [] }],
              }
            : r.type === 'reasoning'
              ? { type: 'reasoning', id: `rs_${n}`, summary: [{ type: 'summary_text', text: r.summary }] }
              : r.type === 'function_call'
                ? {
                    type: 'function_call',
                    id: `fc_${n}`,
                    call_id: `call_${n}`,
                    name: r.name,
                    arguments: JSON.stringify(r.arguments),
                    status: 'completed',
                  }
                : {
                    type: 'custom_tool_call',
                    id: `ctc_${n}`,
                    call_id: `call_${n}`,
                    name: r.name,
                    input: r.input,
                    status: 'completed',
                  };
        send('response.output_item.added', { output_index: i, item });
        if (r.type === 'message')
          send('response.output_text.delta', { output_index: i, item_id: item.id, delta: r.text });
        send('response.output_item.done', { output_index: i, item });
      });
      send('response.completed', {
        response: {
          id,
          status: 'completed',
          usage: {
            input_tokens: usage.input_tokens,
            input_tokens_details: { cached_tokens: usage.cached_tokens },
            output_tokens: usage.output_tokens,
            output_tokens_details: { reasoning_tokens: usage.reasoning_tokens },
            total_tokens: usage.input_tokens + usage.output_tokens,
          },
        },
      });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    responses,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The Codex e2e scenario: turn one fails a command, then creates notes.txt; turn two edits it. */
export function codexScript(): OpenAiScript {
  return {
    'TURN-ONE': [
      {
        at: 0,
        reply: [
          { type: 'reasoning', summary: 'Checking what is in the build folder before writing notes.' },
          { type: 'function_call', name: 'exec_command', arguments: { cmd: 'ls does-not-exist' } },
        ],
        usage: { input_tokens: 5000, cached_tokens: 4000, output_tokens: 300, reasoning_tokens: 120 },
      },
      {
        at: 1,
        reply: [
          {
            type: 'custom_tool_call',
            name: 'apply_patch',
            input: '*** Begin Patch\n*** Add File: notes.txt\n+hello\n*** End Patch\n',
          },
        ],
        usage: { input_tokens: 5400, cached_tokens: 5000, output_tokens: 200, reasoning_tokens: 50 },
      },
      {
        at: 2,
        reply: [{ type: 'message', text: 'Done with turn one.' }],
        usage: { input_tokens: 5600, cached_tokens: 5300, output_tokens: 40, reasoning_tokens: 0 },
      },
    ],
    'TURN-TWO': [
      {
        at: 0,
        reply: [
          {
            type: 'custom_tool_call',
            name: 'apply_patch',
            input: '*** Begin Patch\n*** Update File: notes.txt\n@@\n-hello\n+hello world\n*** End Patch\n',
          },
        ],
        usage: { input_tokens: 6000, cached_tokens: 5500, output_tokens: 150, reasoning_tokens: 30 },
      },
      {
        at: 1,
        reply: [{ type: 'message', text: 'Edited.' }],
        usage: { input_tokens: 6200, cached_tokens: 6000, output_tokens: 20, reasoning_tokens: 0 },
      },
    ],
  };
}
