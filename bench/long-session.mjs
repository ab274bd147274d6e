// Writes one long Claude Code session as transcripts (the main one and its subagents'), the way
// Claude Code lays them out, until its conversation holds `targetTokens` tokens (counted with Claude's
// tokenizer over what a model would re-read: each message's content). It has todos (TodoWrite),
// file writes and edits, failing commands and subagents. Returns the facts a handoff must keep.
// Deterministic (seeded).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getTokenizer } from '@anthropic-ai/tokenizer';

export function writeLongSession(root, { targetTokens, seed = 7, project = '-bench-long' }) {
  const tokenizer = getTokenizer();
  const count = (s) => tokenizer.encode(s.normalize('NFKC'), 'all').length;
  let s = seed >>> 0;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const int = (a, b) => a + Math.floor(rnd() * (b - a + 1));
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const words =
    'the build test file module function error fix update config parser cache server client request response value index schema route handler token stream buffer queue retry'.split(
      ' ',
    );
  const pick = (a) => a[int(0, a.length - 1)];
  const text = (n) => Array.from({ length: n }, () => pick(words)).join(' ');
  const code = (lines) =>
    Array.from(
      { length: lines },
      (_, i) => `  const ${pick(words)}${i} = ${pick(words)}(${pick(words)}, ${int(0, 999)});`,
    ).join('\n');
  const cwd = '/work/long-proj';
  const files = Array.from({ length: 24 }, (_, i) => `${cwd}/src/${pick(words)}-${i}.ts`);
  const dir = path.join(root, '.claude', 'projects', project);
  const sid = uuid();
  let t = Date.parse('2026-10-01T08:00:00Z');
  const ts = () => {
    t += int(500, 6000);
    return new Date(t).toISOString();
  };
  let tokens = 0;

  const facts = { goal: '', openTodos: [], files: new Set(), lastError: null, subagents: [] };
  let todos = [];

  function transcript(agentId) {
    const lines = [];
    const base = () => ({
      sessionId: sid,
      cwd,
      version: '2.1.197',
      gitBranch: 'main',
      userType: 'external',
      isSidechain: Boolean(agentId),
      ...(agentId ? { agentId } : {}),
    });
    const model = agentId ? 'claude-haiku-4-5-20251001' : 'claude-sonnet-4-5-20250929';
    return {
      lines,
      user(content, extra = {}) {
        tokens += count(typeof content === 'string' ? content : JSON.stringify(content));
        lines.push({
          ...base(),
          type: 'user',
          uuid: uuid(),
          timestamp: ts(),
          message: { role: 'user', content },
          ...extra,
        });
      },
      assistant(blocks) {
        const id = `msg_${hex(24)}`;
        const requestId = `req_${hex(16)}`;
        const usage = {
          input_tokens: int(3, 2000),
          cache_creation_input_tokens: int(0, 2000),
          cache_read_input_tokens: Math.min(tokens, 180000),
          output_tokens: int(20, 800),
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        };
        usage.cache_creation.ephemeral_5m_input_tokens = usage.cache_creation_input_tokens;
        for (const b of blocks) {
          tokens += count(JSON.stringify(b));
          lines.push({
            ...base(),
            type: 'assistant',
            uuid: uuid(),
            timestamp: ts(),
            requestId,
            message: { id, type: 'message', role: 'assistant', model, content: [b], usage },
          });
        }
      },
      write(file) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      },
    };
  }

  /** One tool call and its result; returns whether it failed. */
  function call(conv, name, input, result, { failed = false, toolUseResult } = {}) {
    const id = `toolu_${hex(24)}`;
    conv.assistant([
      { type: 'text', text: `Next I ${text(int(6, 20))}.` },
      { type: 'tool_use', id, name, input },
    ]);
    conv.user(
      [{ type: 'tool_result', tool_use_id: id, content: result, ...(failed ? { is_error: true } : {}) }],
      {
        toolUseResult: toolUseResult ?? (failed ? `Error: ${result}` : { stdout: result, stderr: '' }),
      },
    );
  }

  const main = transcript(null);
  facts.goal = `Build the ${text(3)} feature: ${text(14)}`;
  main.user(facts.goal);
  let n = 0;
  while (tokens < targetTokens) {
    n++;
    const r = rnd();
    if (n === 1 || r < 0.04) {
      // a new todo list: earlier items done, one in progress, the rest pending
      const size = int(4, 7);
      const done = todos.filter((x) => x.status !== 'pending').map((x) => ({ ...x, status: 'completed' }));
      todos = [
        ...done.slice(-6),
        ...Array.from({ length: size }, (_, i) => ({
          content: `${pick(['Implement', 'Test', 'Refactor', 'Document'])} the ${text(3)} ${n}-${i}`,
          status: i === 0 ? 'in_progress' : 'pending',
          activeForm: `Working on ${text(2)}`,
        })),
      ];
      call(main, 'TodoWrite', { todos }, 'Todos have been modified successfully.');
    } else if (r < 0.12 && facts.subagents.length < Math.max(2, Math.round(targetTokens / 40000))) {
      const agentId = hex(17);
      const task = `Investigate the ${text(3)} (${n})`;
      const outcome = `Found that the ${text(4)} needs a ${text(2)} (${n})`;
      const sub = transcript(agentId);
      sub.user(`SUB: ${task}: ${text(30)}`);
      for (let k = int(2, 5); k > 0; k--) call(sub, 'Read', { file_path: pick(files) }, code(int(20, 80)));
      sub.assistant([{ type: 'text', text: outcome }]);
      const file = path.join(dir, sid, 'subagents', `agent-${agentId}.jsonl`);
      sub.write(file);
      fs.writeFileSync(file.replace(/\.jsonl$/, '.meta.json'), JSON.stringify({ agentType: 'Explore' }));
      call(main, 'Agent', { description: task, prompt: `SUB: ${task}`, subagent_type: 'Explore' }, outcome, {
        toolUseResult: { agentId, status: 'completed', content: [{ type: 'text', text: outcome }] },
      });
      facts.subagents.push({ task, outcome });
    } else if (r < 0.35) {
      const file = pick(files);
      call(main, 'Read', { file_path: file }, code(int(30, 150)));
    } else if (r < 0.5) {
      const file = pick(files);
      call(
        main,
        r < 0.42 ? 'Write' : 'Edit',
        r < 0.42
          ? { file_path: file, content: code(int(10, 60)) }
          : { file_path: file, old_string: code(2), new_string: code(3) },
        `The file ${file} has been updated.`,
      );
      facts.files.add(file);
    } else {
      const command = `npm test -- ${pick(words)}-${n}`;
      const failed = rnd() < 0.15;
      const out = failed
        ? `Exit code 1\nFAIL src/${pick(words)}.test.ts\n  ${text(30)}`
        : `PASS\n${text(int(40, 300))}`;
      call(main, 'Bash', { command, description: 'Run the tests' }, out, { failed });
      if (failed) facts.lastError = { command };
    }
  }
  main.assistant([{ type: 'text', text: `So far: ${text(20)}` }]);
  main.write(path.join(dir, `${sid}.jsonl`));
  facts.openTodos = todos.filter((x) => x.status !== 'completed').map((x) => x.content);
  facts.files = [...facts.files].sort();
  tokenizer.free();
  return { dir, session: sid, tokens, facts };
}
