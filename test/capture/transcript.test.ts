import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newMemory, parseTranscript, readTranscriptFile } from '../../src/capture/transcript.js';
import { costUnits, priceFor, priceOf, withOverrides } from '../../src/model/pricing.js';
import { computeStats } from '../../src/model/views.js';
import { cleanupTmp, FIXTURE, ROOT, SPRINT_SESSION, tmpDir } from '../lib/cli.js';

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
      ([f, agent]) =>
        parseTranscript(fs.readFileSync(f, 'utf8'), SPRINT_SESSION, agent, memory, { final: true }).events,
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
    // each failure the transcript shows is one failed tool_call and one error, with derived ids
    const failed = events.filter((e) => e.type === 'tool_call');
    expect(failed.map((e) => [e.toolUseId, e.outcome, e.success]).sort()).toEqual([
      ['toolu_mock_4_0', 'failed', false],
      ['toolu_mock_9_0', 'failed', false],
    ]);
    expect(
      events
        .filter((e) => e.type === 'error')
        .map((e) => e.toolUseId)
        .sort(),
    ).toEqual(['toolu_mock_4_0', 'toolu_mock_9_0']);
    expect(stats).toMatchObject({ toolCalls: 2, toolFailures: 2, errors: 2 });
    expect(events.filter((e) => e.type === 'decision').map((e) => e.toolUseId)).toEqual([
      'toolu_mock_1_1',
      'toolu_mock_1_2',
    ]);
  });
});

/**
 * The shape of real transcripts (../shared/realdata): one line per content block, output_tokens
 * growing line to line, tool results written between a response's later blocks.
 */
function streamedResponse(id: string, ts: string, outputs: number[], toolIds: string[]): string[] {
  const lines: string[] = [];
  outputs.forEach((output, i) => {
    const block =
      i === 0
        ? { type: 'text', text: `thinking about ${id}` }
        : { type: 'tool_use', id: toolIds[i - 1], name: 'Bash', input: { command: `echo ${i}` } };
    lines.push(
      assistant({
        id,
        ts,
        usage: { input_tokens: 10, output_tokens: output, cache_read_input_tokens: 1000 },
        content: [block],
      }),
    );
    if (i > 0)
      lines.push(
        JSON.stringify({
          type: 'user',
          timestamp: ts,
          message: {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: toolIds[i - 1], content: 'ok' }],
          },
        }),
      );
  });
  return lines;
}

describe('final usage of each response', () => {
  test('the last line of a response counts, though tool results come between its lines', () => {
    const lines = [
      ...streamedResponse('m1', '2026-11-25T10:00:00.000Z', [2, 57, 140], ['t1', 't2']),
      ...streamedResponse('m2', '2026-11-25T10:00:05.000Z', [3, 30], ['t3']),
    ];
    const r = parseTranscript(`${lines.join('\n')}\n`, 's', 'main', newMemory(), { final: true });
    const usage = r.events.filter((e) => e.type === 'usage');
    expect(usage.map((e) => [e.messageId, (e.tokens as { output: number }).output])).toEqual([
      ['m1', 140],
      ['m2', 30],
    ]);
    expect(computeStats([r.events]).tokens).toMatchObject({ input: 20, output: 170, cacheRead: 2000 });
  });

  test('read live in pieces, a response still streaming is held back, then counted once with its final figures', () => {
    const file = path.join(tmpDir(), 't.jsonl');
    const m1 = streamedResponse('m1', '2026-11-25T10:00:00.000Z', [2, 57, 140], ['t1', 't2']);
    const m2 = streamedResponse('m2', '2026-11-25T10:00:05.000Z', [3, 30], ['t3']);
    const memory = newMemory();
    fs.writeFileSync(file, `${m1.slice(0, 2).join('\n')}\n`);
    const r1 = readTranscriptFile(file, { agent: 'main', ino: 0, offset: 0 }, 's', memory)!;
    expect(r1.result.events.filter((e) => e.type === 'usage')).toEqual([]);
    expect(r1.cursor.pending?.map((p) => p.key)).toEqual(['m1:req_m1']);
    // the cursor is saved as JSON between flushes
    const saved = JSON.parse(JSON.stringify(r1.cursor));
    fs.appendFileSync(file, `${[...m1.slice(2), ...m2].join('\n')}\n`);
    const r2 = readTranscriptFile(file, saved, 's', newMemory())!;
    // m1 is complete once m2 began; m2 waits for the file to be final
    expect(r2.result.events.filter((e) => e.type === 'usage').map((e) => (e.tokens as any).output)).toEqual([
      140,
    ]);
    const r3 = readTranscriptFile(file, r2.cursor, 's', newMemory(), { final: true })!;
    expect(r3.result.events.filter((e) => e.type === 'usage').map((e) => (e.tokens as any).output)).toEqual([
      30,
    ]);
    expect(r3.cursor.pending).toBeUndefined();
  });

  test('repeated content blocks of one message count once, even across reads', () => {
    const memory = newMemory();
    const line = assistant({ id: 'm1', usage: { input_tokens: 10, output_tokens: 5 } });
    const first = parseTranscript(`${line}\n${line}\n`, 's', 'main', memory, { final: true }).events;
    const again = parseTranscript(`${line}\n`, 's', 'main', memory, { final: true }).events;
    expect(first.filter((e) => e.type === 'usage')).toHaveLength(1);
    expect(again).toHaveLength(0);
    // the same message under another requestId is another response
    expect(
      parseTranscript(
        assistant({ id: 'm1', req: 'other', usage: { input_tokens: 1 } }),
        's',
        'main',
        memory,
        {
          final: true,
        },
      ).events,
    ).toHaveLength(1);
  });

  test('two objects Claude Code wrote on one line are both read', () => {
    const a = assistant({ id: 'a', usage: { input_tokens: 1, output_tokens: 1 } });
    const b = assistant({ id: 'b', usage: { input_tokens: 2, output_tokens: 2 } });
    const r = parseTranscript(`${a}${b}\n{broken\n`, 's', 'main', newMemory(), { final: true });
    expect(r.events.map((e) => e.messageId)).toEqual(['a', 'b']);
    expect(r.badLines).toBe(1);
  });
});

describe('tool results the transcript alone holds', () => {
  const call = (id: string, name: string) =>
    assistant({
      id: `m-${id}`,
      usage: { input_tokens: 1 },
      content: [{ type: 'tool_use', id, name, input: {} }],
    });
  const result = (id: string, text: string) =>
    JSON.stringify({
      type: 'user',
      timestamp: '2026-11-25T10:00:01.000Z',
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: id, is_error: true, content: text }],
      },
    });
  test("a person's refusal and an interruption are outcomes, not failures; a failure is one error", () => {
    const lines = [
      call('t1', 'Edit'),
      result(
        't1',
        '<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>',
      ),
      call('t2', 'ExitPlanMode'),
      result(
        't2',
        "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.",
      ),
      call('t3', 'Bash'),
      result('t3', '[Request interrupted by user for tool use]'),
    ];
    const r = parseTranscript(`${lines.join('\n')}\n`, 's', 'main', newMemory(), { final: true });
    const calls = r.events.filter((e) => e.type === 'tool_call');
    expect(calls.map((e) => [e.toolUseId, e.tool, e.outcome])).toEqual([
      ['t1', 'Edit', 'failed'],
      ['t2', 'ExitPlanMode', 'rejected'],
      ['t3', 'Bash', 'interrupted'],
    ]);
    expect(r.events.filter((e) => e.type === 'error').map((e) => e.toolUseId)).toEqual(['t1']);
    expect(computeStats([r.events])).toMatchObject({
      toolCalls: 3,
      toolFailures: 1,
      toolRejected: 1,
      toolInterrupted: 1,
      errors: 1,
    });
  });
});

describe('prices', () => {
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
      { final: true },
    ).events;
    expect(e.tokens).toMatchObject({ cacheWrite: 3000, cacheWrite5m: 1000, cacheWrite1h: 2000 });
    // sonnet: 1000 x 3.75 + 2000 x 6 per million
    expect(e.costUsd).toBe((1000 * 3.75 + 2000 * 6) / 1e6);
    expect(computeStats([[e]]).costUsd).toBe((1000 * 3.75 + 2000 * 6) / 1e6);
  });

  test('a request over 200k input tokens on a model with a long-context tier is billed whole at the tier', () => {
    const long = {
      input: 150_000,
      output: 1000,
      cacheRead: 60_000,
      cacheWrite: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
    };
    const units = (usd: number) => Math.round(usd * 1e4);
    expect(costUnits('claude-sonnet-4-5-20250929', long)).toBe(
      units(150_000 * 6 + 1000 * 22.5 + 60_000 * 0.6),
    );
    const short = { ...long, cacheRead: 40_000 };
    expect(costUnits('claude-sonnet-4-5', short)).toBe(units(150_000 * 3 + 1000 * 15 + 40_000 * 0.3));
    // Sonnet 4 has the tier too (Anthropic's pricing page; ccusage agrees); Opus 4.5 has none
    expect(costUnits('claude-sonnet-4-20250514', long)).toBe(units(150_000 * 6 + 1000 * 22.5 + 60_000 * 0.6));
    expect(costUnits('claude-opus-4-5', long)).toBe(units(150_000 * 5 + 1000 * 25 + 60_000 * 0.5));
  });

  test('every Claude model Claude Code uses has its list price; ids in every form Claude Code writes', () => {
    const per = (m: string) => {
      const p = priceOf(m);
      return p && [p.input, p.output, p.cacheRead, p.cacheWrite5m, p.cacheWrite1h];
    };
    expect(per('claude-opus-4-7')).toEqual([5, 25, 0.5, 6.25, 10]);
    expect(per('claude-opus-4-6')).toEqual([5, 25, 0.5, 6.25, 10]);
    expect(per('claude-opus-4-5-20251101')).toEqual([5, 25, 0.5, 6.25, 10]);
    expect(per('claude-opus-4-1-20250805')).toEqual([15, 75, 1.5, 18.75, 30]);
    expect(per('claude-opus-4-20250514')).toEqual([15, 75, 1.5, 18.75, 30]);
    expect(per('claude-sonnet-4-6')).toEqual([3, 15, 0.3, 3.75, 6]);
    expect(per('claude-sonnet-4-5-20250929')).toEqual([3, 15, 0.3, 3.75, 6]);
    expect(per('claude-3-7-sonnet-20250219')).toEqual([3, 15, 0.3, 3.75, 6]);
    expect(per('claude-3-5-sonnet-20241022')).toEqual([3, 15, 0.3, 3.75, 6]);
    expect(per('claude-haiku-4-5-20251001')).toEqual([1, 5, 0.1, 1.25, 2]);
    expect(per('claude-3-5-haiku-20241022')).toEqual([0.8, 4, 0.08, 1, 1.6]);
    expect(per('claude-3-haiku-20240307')?.slice(0, 2)).toEqual([0.25, 1.25]);
    expect(per('claude-3-opus-20240229')?.slice(0, 2)).toEqual([15, 75]);
    for (const id of [
      'claude-haiku-4-5-20251001',
      'haiku',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'claude-haiku-4-5@20251001',
      'claude-haiku-4-5[1m]',
    ]) {
      expect(priceOf(id)).toEqual(priceOf('claude-haiku-4-5'));
    }
  });

  test('fast mode costs six times on Opus 4.6', () => {
    const t = { input: 1000, output: 1000, cacheRead: 0, cacheWrite: 0, cacheWrite5m: 0, cacheWrite1h: 0 };
    expect(costUnits('claude-opus-4-6', t, undefined, undefined, true)).toBe(
      6 * costUnits('claude-opus-4-6', t)!,
    );
  });

  test('an unknown model is unpriced on every figure, never $0; an override in the config prices it', () => {
    const r = parseTranscript(
      assistant({ id: 'x', model: 'claude-nonexistent-9', usage: { input_tokens: 5, output_tokens: 7 } }),
      's',
      'main',
      newMemory(),
      { final: true },
    );
    expect(r.events[0].costUsd).toBeNull();
    expect([...r.unknownModels]).toEqual(['claude-nonexistent-9']);
    const stats = computeStats([r.events]);
    expect(stats.costUsd).toBeNull();
    expect(stats).toMatchObject({ unpricedTokens: 12, unpricedModels: ['claude-nonexistent-9'] });
    expect(stats.byModel['claude-nonexistent-9']).toMatchObject({ tokens: { input: 5 }, costUsd: null });
    const priced = computeStats(
      [r.events],
      withOverrides({ 'claude-nonexistent': { input: 2, output: 10 } }),
    );
    expect(priced.costUsd).toBe((5 * 2 + 7 * 10) / 1e6);
    expect(priced.unpricedTokens).toBe(0);
    // beside a priced model, the total is the priced part and says what it leaves out
    const sonnet = parseTranscript(
      assistant({ id: 'y', usage: { input_tokens: 100_000 } }),
      's',
      'main',
      newMemory(),
      {
        final: true,
      },
    );
    const mixed = computeStats([[...r.events, ...sonnet.events]]);
    expect(mixed).toMatchObject({ costUsd: 0.3, unpricedTokens: 12 });
  });

  test('prices change by date: the price in force on the day of the usage applies', () => {
    // genai-prices dates Opus 4.6's retirement of the >200k tier: the tier applies only before it
    const before = priceFor(withOverrides({}), 'claude-opus-4-6', '2026-02-01');
    const after = priceFor(withOverrides({}), 'claude-opus-4-6', '2026-06-01');
    expect(before?.long?.input).toBe(10);
    expect(after?.long).toBeUndefined();
  });

  test('the committed price table is what the dataset generates', () => {
    expect(
      execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'prices.mjs'), '--check'], {
        encoding: 'utf8',
      }),
    ).toMatch(/is current/);
  });
});

describe('reading transcript files', () => {
  test('a truncated last line waits for the next read; a corrupt line is skipped and counted', () => {
    const file = path.join(tmpDir(), 't.jsonl');
    const l1 = assistant({ id: 'a', usage: { input_tokens: 1 } });
    const l2 = assistant({ id: 'b', usage: { input_tokens: 2 } });
    fs.writeFileSync(file, `${l1}\n{not json\n${l2.slice(0, 30)}`);
    const memory = newMemory();
    const r1 = readTranscriptFile(file, { agent: 'main', ino: 0, offset: 0 }, 's', memory, { final: true })!;
    expect(r1.result.events.map((e) => e.messageId)).toEqual(['a']);
    expect(r1.result.badLines).toBe(1);
    fs.appendFileSync(file, `${l2.slice(30)}\n`);
    const r2 = readTranscriptFile(file, r1.cursor, 's', memory, { final: true })!;
    expect(r2.result.events.map((e) => e.messageId)).toEqual(['b']);
    expect(r2.cursor.offset).toBe(fs.statSync(file).size);
  });

  test('a file rotated under us (shrank, or another inode) is read from the start without double counting', () => {
    const file = path.join(tmpDir(), 't.jsonl');
    const l1 = assistant({ id: 'a', usage: { input_tokens: 1 } });
    const l2 = assistant({ id: 'b', usage: { input_tokens: 2 } });
    fs.writeFileSync(file, `${l1}\n${l2}\n`);
    const memory = newMemory();
    const r1 = readTranscriptFile(file, { agent: 'main', ino: 0, offset: 0 }, 's', memory, { final: true })!;
    expect(r1.result.events).toHaveLength(2);
    fs.rmSync(file);
    const l3 = assistant({ id: 'c', usage: { input_tokens: 3 } });
    fs.writeFileSync(file, `${l2}\n${l3}\n`); // rewritten: smaller, new inode
    const r2 = readTranscriptFile(file, r1.cursor, 's', memory, { final: true })!;
    expect(r2.result.events.map((e) => e.messageId)).toEqual(['c']);
  });

  test('a subagent transcript attributes usage to the subagent and its type', () => {
    const r = parseTranscript(
      assistant({ id: 'a', agentId: 'agent42', usage: { input_tokens: 1 } }),
      's',
      'agent42',
      newMemory(),
      { final: true, agentType: 'Explore' },
    );
    expect(r.events[0]).toMatchObject({
      agent: 'agent42',
      agentType: 'Explore',
      session: 's',
      type: 'usage',
      source: 'transcript',
    });
    expect(computeStats([r.events])).toBeDefined();
  });
});
