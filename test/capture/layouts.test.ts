/**
 * Every transcript layout Claude Code has written, in small files of our own making that reproduce
 * the real shapes (../shared/realdata): 2.0.x sidechain files beside the session, subagents known
 * only from agent_progress lines, files with no usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findTranscripts } from '../../src/capture/import.js';
import { importSessionEvents } from '../../src/capture/import-events.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { emptySummary, foldSummary, sessionStatus } from '../../src/model/session.js';
import { computeStats } from '../../src/model/views.js';
import { cleanupTmp, tmpDir } from '../lib/cli.js';

afterAll(cleanupTmp);

const S = '11111111-2222-4333-8444-555555555555';
const line = (o: object) => `${JSON.stringify(o)}\n`;
const assistant = (id: string, ts: string, output: number, content: unknown[], extra: object = {}) => ({
  type: 'assistant',
  sessionId: S,
  timestamp: ts,
  requestId: `req_${id}`,
  message: {
    id,
    model: 'claude-haiku-4-5-20251001',
    content,
    usage: { input_tokens: 10, output_tokens: output },
  },
  ...extra,
});
const taskCall = (toolId: string) =>
  assistant('m_main', '2026-11-20T10:00:00.000Z', 20, [
    {
      type: 'tool_use',
      id: toolId,
      name: 'Task',
      input: { subagent_type: 'Explore', prompt: 'look', description: 'd' },
    },
  ]);
const taskResult = (toolId: string, agentId: string) => ({
  type: 'user',
  sessionId: S,
  timestamp: '2026-11-20T10:01:00.000Z',
  message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolId, content: 'found it' }] },
  toolUseResult: { status: 'completed', agentId, content: [] },
});

test("a 2.0.x sidechain file beside the session is that session's subagent, typed by its launch", () => {
  const dir = path.join(tmpDir(), 'p');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, `${S}.jsonl`), line(taskCall('tu1')) + line(taskResult('tu1', 'abc123')));
  fs.writeFileSync(
    path.join(dir, 'agent-abc123.jsonl'),
    line(
      assistant('m_sub', '2026-11-20T10:00:30.000Z', 7, [{ type: 'text', text: 'x' }], {
        agentId: 'abc123',
        isSidechain: true,
      }),
    ),
  );
  fs.writeFileSync(path.join(dir, 'empty.jsonl'), '');
  const found = findTranscripts([dir]);
  expect(found.map((s) => [s.session, s.subagents.map((a) => a.agent)])).toEqual([
    [S, ['abc123']],
    ['empty', []],
  ]);
  const r = importSessionEvents(found[0], false, DEFAULT_CONFIG);
  const sub = r.events.filter((e) => e.agent === 'abc123');
  expect(sub.find((e) => e.type === 'usage')).toMatchObject({ agentType: 'Explore' });
  expect(sub.find((e) => e.type === 'agent_start')).toBeDefined();
  expect(computeStats([r.events])).toMatchObject({ sessions: 1, agents: 1, tokens: { output: 27 } });
  // a file that holds no API usage is no session: nothing is written for it
  expect(importSessionEvents(found[1], false, DEFAULT_CONFIG).events).toEqual([]);
});

test('a subagent known only from agent_progress lines is a subagent with its usage, marked as such', () => {
  const dir = path.join(tmpDir(), 'p');
  fs.mkdirSync(dir);
  const progress = (msg: object) => ({
    type: 'progress',
    sessionId: S,
    timestamp: '2026-11-20T10:00:20.000Z',
    parentToolUseID: 'tu9',
    data: { type: 'agent_progress', agentId: 'p77', prompt: 'look', message: msg },
  });
  const subMsg = (output: number) => ({
    type: 'assistant',
    timestamp: '2026-11-20T10:00:20.000Z',
    requestId: 'req_sub',
    uuid: 'u',
    message: {
      id: 'm_sub',
      model: 'claude-haiku-4-5-20251001',
      content: [{ type: 'text', text: 'y' }],
      usage: { input_tokens: 5, output_tokens: output },
    },
  });
  fs.writeFileSync(
    path.join(dir, `${S}.jsonl`),
    line(taskCall('tu9')) +
      line(progress(subMsg(2))) +
      line(progress(subMsg(40))) +
      line(taskResult('tu9', 'p77')),
  );
  const [files] = findTranscripts([dir]);
  const r = importSessionEvents(files, false, DEFAULT_CONFIG);
  const usage = r.events.filter((e) => e.type === 'usage' && e.agent === 'p77');
  expect(usage).toHaveLength(1);
  expect(usage[0]).toMatchObject({ agentType: 'Explore', source: 'agent_progress', tokens: { output: 40 } });
  expect(r.events.filter((e) => e.type === 'agent_start').map((e) => e.agentId)).toEqual(['p77']);
  expect(computeStats([r.events])).toMatchObject({ agents: 1, tokens: { input: 15, output: 60 } });
});

test('a session whose main transcript holds no turn, only its subagents, is an ended past session', () => {
  const dir = path.join(tmpDir(), 'p');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, `${S}.jsonl`), line({ type: 'summary', summary: 'Warmup', leafUuid: 'x' }));
  fs.writeFileSync(
    path.join(dir, 'agent-w1.jsonl'),
    line(
      assistant('m_w', '2026-11-20T10:00:30.000Z', 7, [{ type: 'text', text: 'ready' }], {
        agentId: 'w1',
        isSidechain: true,
      }),
    ),
  );
  const [files] = findTranscripts([dir]);
  const r = importSessionEvents(files, false, DEFAULT_CONFIG);
  const summary = foldSummary(emptySummary(S, 'p', 'd'), r.events);
  expect(summary.imported).toBe(true);
  const ctx = { now: Date.now(), host: 'h', alive: () => false, crashedAfterMinutes: 30 };
  expect(sessionStatus(summary, ctx)).toBe('ended');
});
