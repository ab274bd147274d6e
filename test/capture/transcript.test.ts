import * as fs from 'node:fs';
import * as path from 'node:path';
import { costUnits, priceOf } from '../../src/capture/pricing.js';
import { newMemory, parseTranscript, readTranscriptFile } from '../../src/capture/transcript.js';
import { computeStats } from '../../src/model/views.js';
import { cleanupTmp, FIXTURE, SPRINT_SESSION, tmpDir } from '../lib/cli.js';

afterAll(cleanupTmp);

const dir = path.join(FIXTURE, 'transcripts', '-home-dev-proj');
const assistant = (o: {
  id: string;
  req?: string;
  model?: string;
  usage: Record<string, unknown>;
  content?: unknown[];
  ts?: string;
  agentId?: string;
}) =>
  JSON.stringify({
    type: 'assistant',
    requestId: o.req ?? `req_${o.id}`,
    timestamp: o.ts ?? '2026-11-25T10:00:00.000Z',
    ...(o.agentId ? { agentId: o.agentId } : {}),
    message: {
      id: o.id,
      model: o.model ?? 'claude-sonnet-4-5',
      usage: o.usage,
      content: o.content ?? [{ type: 'text', text: 'hi' }],
    },
  });

describe('the recorded sprint', () => {
  test("summed over the main and both subagent transcripts: exactly Claude Code's total_cost_usd and modelUsage", () => {
    const memory = newMemory();
    const files: Array<[string, string]> = [[path.join(dir, `${SPRINT_SESSION}.jsonl`), 'main']];
    for (const f of fs
      .readdirSync(path.join(dir, SPRINT_SESSION, 'subagents'))
      .filter((f) => f.endsWith('.jsonl'))) {
      files.push([path.join(dir, SPRINT_SESSION, 'subagents', f), f.slice(6, -6)]);
    }
    const events = files.flatMap(
      ([f, agent]) => parseTranscript(fs.readFileSync(f, 'utf8'), SPRINT_SESSION, agent, memory).events,
    );
    const result = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'result.json'), 'utf8'));
    const stats = computeStats([events]);
    const u = result.modelUsage['claude-sonnet-4-5'];
    expect(stats.byModel['claude-sonnet-4-5'].tokens).toEqual({
      input: u.inputTokens,
      output: u.outputTokens,
      cacheRead: u.cacheReadInputTokens,
      cacheWrite: u.cacheCreationInputTokens,
    });
    expect(stats.costUsd).toBe(0.068763);
    expect(stats.costUsd).toBe(result.total_cost_usd);
    // the first message has three lines (a text and two tool_use blocks) and is counted once
    expect(events.filter((e) => e.type === 'usage' && e.messageId === 'msg_mock_1')).toHaveLength(1);
    // the failures the transcript shows, and the decision before the Agent launches
    expect(
      events
        .filter((e) => e.type === 'error')
        .map((e) => e.toolUseId)
        .sort(),
    ).toEqual(['toolu_mock_4_0', 'toolu_mock_9_0']);
    expect(events.filter((e) => e.type === 'decision').map((e) => e.toolUseId)).toEqual([
      'toolu_mock_1_1',
      'toolu_mock_1_2',
    ]);
  });
});

describe('hand-made transcripts', () => {
  test('repeated content blocks of one message count once, even across reads', () => {
    const memory = newMemory();
    const line = assistant({ id: 'm1', usage: { input_tokens: 10, output_tokens: 5 } });
    const first = parseTranscript(`${line}\n${line}\n`, 's', 'main', memory).events;
    const again = parseTranscript(`${line}\n`, 's', 'main', memory).events;
    expect(first.filter((e) => e.type === 'usage')).toHaveLength(1);
    expect(again).toHaveLength(0);
    // the same message under another requestId is another response
    expect(
      parseTranscript(assistant({ id: 'm1', req: 'other', usage: { input_tokens: 1 } }), 's', 'main', memory)
        .events,
    ).toHaveLength(1);
  });

  test('5-minute and 1-hour cache writes are priced apart', () => {
    const [e] = parseTranscript(
      assistant({
        id: 'm',
        usage: {
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 3000,
          cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
        },
      }),
      's',
      'main',
      newMemory(),
    ).events;
    expect(e.tokens).toMatchObject({ cacheWrite: 3000, cacheWrite5m: 1000, cacheWrite1h: 2000 });
    // sonnet: 1000 x 3.75 + 2000 x 6 per million
    expect(e.costUsd).toBe((1000 * 3.75 + 2000 * 6) / 1e6);
  });

  test('a request over 200k input tokens on a 1M-context model is billed at the long-context tier', () => {
    const long = {
      input: 150_000,
      output: 1000,
      cacheRead: 60_000,
      cacheWrite: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
    };
    expect(costUnits('claude-sonnet-4-5-20250929', long)).toBe(
      Math.round((150_000 * 6 + 1000 * 22.5 + 60_000 * 0.6) * 100),
    );
    const short = { ...long, cacheRead: 40_000 };
    expect(costUnits('claude-sonnet-4-5', short)).toBe(
      Math.round((150_000 * 3 + 1000 * 15 + 40_000 * 0.3) * 100),
    );
    // opus 4.5 has no long-context tier
    expect(costUnits('claude-opus-4-5', long)).toBe(
      Math.round((150_000 * 5 + 1000 * 25 + 60_000 * 0.5) * 100),
    );
  });

  test('model ids: dated, aliases, Bedrock and Vertex forms; an unknown model costs null, never 0', () => {
    for (const id of [
      'claude-haiku-4-5-20251001',
      'haiku',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'claude-haiku-4-5@20251001',
    ]) {
      expect(priceOf(id)).toEqual(priceOf('claude-haiku-4-5'));
    }
    const r = parseTranscript(
      assistant({ id: 'x', model: 'claude-nonexistent-9', usage: { input_tokens: 5 } }),
      's',
      'main',
      newMemory(),
    );
    expect(r.events[0].costUsd).toBeNull();
    expect([...r.unknownModels]).toEqual(['claude-nonexistent-9']);
    expect(computeStats([r.events]).byModel['claude-nonexistent-9']).toMatchObject({
      tokens: { input: 5 },
      costUsd: 0,
    });
  });

  test('a truncated last line waits for the next read; a corrupt line is skipped and counted', () => {
    const file = path.join(tmpDir(), 't.jsonl');
    const l1 = assistant({ id: 'a', usage: { input_tokens: 1 } });
    const l2 = assistant({ id: 'b', usage: { input_tokens: 2 } });
    fs.writeFileSync(file, `${l1}\n{not json\n${l2.slice(0, 30)}`);
    const memory = newMemory();
    const r1 = readTranscriptFile(file, { agent: 'main', ino: 0, offset: 0 }, 's', memory)!;
    expect(r1.result.events.map((e) => e.messageId)).toEqual(['a']);
    expect(r1.result.badLines).toBe(1);
    fs.appendFileSync(file, `${l2.slice(30)}\n`);
    const r2 = readTranscriptFile(file, r1.cursor, 's', memory)!;
    expect(r2.result.events.map((e) => e.messageId)).toEqual(['b']);
    expect(r2.cursor.offset).toBe(fs.statSync(file).size);
  });

  test('a file rotated under us (shrank, or another inode) is read from the start without double counting', () => {
    const file = path.join(tmpDir(), 't.jsonl');
    const l1 = assistant({ id: 'a', usage: { input_tokens: 1 } });
    const l2 = assistant({ id: 'b', usage: { input_tokens: 2 } });
    fs.writeFileSync(file, `${l1}\n${l2}\n`);
    const memory = newMemory();
    const r1 = readTranscriptFile(file, { agent: 'main', ino: 0, offset: 0 }, 's', memory)!;
    expect(r1.result.events).toHaveLength(2);
    fs.rmSync(file);
    const l3 = assistant({ id: 'c', usage: { input_tokens: 3 } });
    fs.writeFileSync(file, `${l2}\n${l3}\n`); // rewritten: smaller, new inode
    const r2 = readTranscriptFile(file, r1.cursor, 's', memory)!;
    expect(r2.result.events.map((e) => e.messageId)).toEqual(['c']);
  });

  test('a subagent transcript attributes usage to the subagent', () => {
    const r = parseTranscript(
      assistant({ id: 'a', agentId: 'agent42', usage: { input_tokens: 1 } }),
      's',
      'agent42',
      newMemory(),
    );
    expect(r.events[0]).toMatchObject({
      agent: 'agent42',
      session: 's',
      type: 'usage',
      source: 'transcript',
    });
  });
});
