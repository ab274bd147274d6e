/**
 * A scripted stand-in for the Gemini API (`POST /v1beta/models/<model>:streamGenerateContent?alt=sse`,
 * as Gemini CLI calls it with GOOGLE_GEMINI_BASE_URL), so the tests drive the real Gemini CLI offline.
 * Each request is answered from a script keyed by a marker in the turn's user message and by how many
 * function responses the turn holds since it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type GeminiPart = { text: string } | { functionCall: { name: string; args: Record<string, unknown> } };

/** usageMetadata as the Gemini API sends it: cached tokens inside the prompt, thoughts beside the candidates. */
export interface GeminiUsage {
  promptTokenCount: number;
  cachedContentTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount: number;
}

export type GeminiScript = Record<string, Array<{ at: number; reply: GeminiPart[]; usage: GeminiUsage }>>;

export interface FakeGemini {
  url: string;
  requests: Array<{ path: string; body: any }>;
  close(): Promise<void>;
}

const textOf = (parts: unknown): string =>
  Array.isArray(parts) ? parts.map((p: any) => (typeof p?.text === 'string' ? p.text : '')).join('\n') : '';

export async function startFakeGemini(script: GeminiScript): Promise<FakeGemini> {
  const requests: FakeGemini['requests'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let parsed: any = null;
      try {
        parsed = JSON.parse(body);
      } catch {}
      requests.push({ path: req.url ?? '', body: parsed });
      const url = req.url ?? '';
      if (url.includes(':countTokens')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"totalTokens":10}');
        return;
      }
      if (!url.includes(':streamGenerateContent') && !url.includes(':generateContent')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":404,"message":"not found"}}');
        return;
      }
      const contents: any[] = Array.isArray(parsed?.contents) ? parsed.contents : [];
      let marker: string | null = null;
      let from = 0;
      contents.forEach((c, i) => {
        if (c?.role !== 'user') return;
        const m = Object.keys(script).find((k) => textOf(c.parts).includes(k));
        if (m) {
          marker = m;
          from = i;
        }
      });
      const step = contents
        .slice(from)
        .reduce(
          (n, c) =>
            n + (Array.isArray(c?.parts) ? c.parts.filter((p: any) => p?.functionResponse).length : 0),
          0,
        );
      const entry = marker ? script[marker].find((s) => s.at === step) : undefined;
      const parts: GeminiPart[] = entry?.reply ?? [{ text: 'Nothing scripted here.' }];
      const u = entry?.usage ?? {
        promptTokenCount: 100,
        cachedContentTokenCount: 0,
        candidatesTokenCount: 10,
        thoughtsTokenCount: 0,
      };
      const usageMetadata = {
        ...u,
        totalTokenCount: u.promptTokenCount + u.candidatesTokenCount + u.thoughtsTokenCount,
      };
      const chunk = {
        candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
        usageMetadata,
        modelVersion: url.match(/models\/([^:]+):/)?.[1] ?? 'gemini',
      };
      if (url.includes(':generateContent')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(chunk));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The Gemini e2e scenario: turn one fails a command, then writes notes.txt; turn two edits it. */
export function geminiScript(): GeminiScript {
  return {
    'TURN-ONE': [
      {
        at: 0,
        reply: [{ functionCall: { name: 'run_shell_command', args: { command: 'ls does-not-exist' } } }],
        usage: {
          promptTokenCount: 5000,
          cachedContentTokenCount: 4000,
          candidatesTokenCount: 300,
          thoughtsTokenCount: 120,
        },
      },
      {
        at: 1,
        reply: [
          { functionCall: { name: 'write_file', args: { file_path: 'notes.txt', content: 'hello\n' } } },
        ],
        usage: {
          promptTokenCount: 5400,
          cachedContentTokenCount: 5000,
          candidatesTokenCount: 200,
          thoughtsTokenCount: 50,
        },
      },
      {
        at: 2,
        reply: [{ text: 'Done with turn one.' }],
        usage: {
          promptTokenCount: 5600,
          cachedContentTokenCount: 5300,
          candidatesTokenCount: 40,
          thoughtsTokenCount: 0,
        },
      },
    ],
    'TURN-TWO': [
      {
        at: 0,
        reply: [
          {
            functionCall: {
              name: 'replace',
              args: {
                file_path: 'notes.txt',
                old_string: 'hello',
                new_string: 'hello world',
                instruction: 'greet the world',
              },
            },
          },
        ],
        usage: {
          promptTokenCount: 6000,
          cachedContentTokenCount: 5500,
          candidatesTokenCount: 150,
          thoughtsTokenCount: 30,
        },
      },
      {
        at: 1,
        reply: [{ text: 'Edited.' }],
        usage: {
          promptTokenCount: 6200,
          cachedContentTokenCount: 6000,
          candidatesTokenCount: 20,
          thoughtsTokenCount: 0,
        },
      },
    ],
  };
}
