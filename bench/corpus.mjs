// Writes a realistic corpus of Claude Code transcripts, the way Claude Code lays them out:
//   <root>/.claude/projects/<project>/<session>.jsonl
//   <root>/.claude/projects/<project>/<session>/subagents/agent-<id>.jsonl (+ .meta.json)
// Each session: a prompt, several turns of text + tool calls (each content block on its own line,
// sharing message.id and requestId, as Claude Code writes them), tool results of a few KB, some
// failures, 1-3 subagents on haiku (the main agent on sonnet), 5-minute and 1-hour cache writes.
// Deterministic (seeded), so figures are comparable between runs.
import * as fs from 'node:fs';
import * as path from 'node:path';

// `lean`: long sessions of one-line responses with no tool calls (one usage event a line, about 1,000
// events a session): a store of many events from fewer bytes, for the stats benchmark.
export function writeCorpus(
  root,
  { sessions = 2000, project = '-bench-proj', seed = 42, lean = false } = {},
) {
  let s = seed >>> 0;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const int = (a, b) => a + Math.floor(rnd() * (b - a + 1));
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const dir = path.join(root, '.claude', 'projects', project);
  fs.mkdirSync(dir, { recursive: true });
  const words =
    'the build test file module function error fix update config parser cache server client request response value index'.split(
      ' ',
    );
  const text = (n) => Array.from({ length: n }, () => words[int(0, words.length - 1)]).join(' ');
  let bytes = 0;
  let t = Date.parse('2026-09-01T08:00:00Z');
  let req = 0;

  function conversation(file, sessionId, agentId, model, turns, prompt) {
    const lines = [];
    const base = () => ({
      sessionId,
      cwd: '/work/bench-proj',
      version: '2.1.197',
      gitBranch: 'main',
      userType: 'external',
      isSidechain: Boolean(agentId),
      ...(agentId ? { agentId } : {}),
    });
    const ts = () => {
      t += int(200, 4000);
      return new Date(t).toISOString();
    };
    lines.push({
      ...base(),
      type: 'user',
      uuid: uuid(),
      timestamp: ts(),
      message: { role: 'user', content: prompt },
    });
    const launches = [];
    for (let turn = 0; turn < turns; turn++) {
      const id = `msg_${hex(24)}`;
      const requestId = `req_${++req}_${hex(12)}`;
      const oneHour = rnd() < 0.2;
      const write = int(0, 3000);
      const usage = {
        input_tokens: int(3, 4000),
        cache_creation_input_tokens: write,
        cache_read_input_tokens: int(0, 60000),
        output_tokens: int(20, 1500),
        cache_creation: {
          ephemeral_5m_input_tokens: oneHour ? 0 : write,
          ephemeral_1h_input_tokens: oneHour ? write : 0,
        },
        service_tier: 'standard',
      };
      const last = turn === turns - 1;
      const blocks = [{ type: 'text', text: text(lean ? int(3, 10) : int(5, 60)) }];
      const tools = last || lean ? 0 : int(1, 2);
      const uses = [];
      for (let k = 0; k < tools; k++) {
        const useId = `toolu_${hex(24)}`;
        const bash = rnd() < 0.5;
        const input = bash
          ? { command: `npm test -- ${words[int(0, 15)]}`, description: 'Run tests' }
          : { file_path: `/work/bench-proj/src/${words[int(0, 15)]}.ts` };
        blocks.push({ type: 'tool_use', id: useId, name: bash ? 'Bash' : 'Read', input });
        uses.push(useId);
      }
      for (const b of blocks)
        lines.push({
          ...base(),
          type: 'assistant',
          uuid: uuid(),
          timestamp: ts(),
          requestId,
          message: {
            id,
            type: 'message',
            role: 'assistant',
            model,
            content: [b],
            stop_reason: last ? 'end_turn' : 'tool_use',
            usage,
          },
        });
      for (const useId of uses) {
        const failed = rnd() < 0.08;
        const out = failed ? `Error: Exit code 1\n${text(20)}` : text(int(50, 900));
        lines.push({
          ...base(),
          type: 'user',
          uuid: uuid(),
          timestamp: ts(),
          message: {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: useId,
                content: out,
                ...(failed ? { is_error: true } : {}),
              },
            ],
          },
          toolUseResult: failed ? `Error: ${out.slice(0, 40)}` : { stdout: out, stderr: '' },
        });
      }
    }
    const body = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    bytes += body.length;
    return launches;
  }

  for (let i = 0; i < sessions; i++) {
    const sid = uuid();
    conversation(
      path.join(dir, `${sid}.jsonl`),
      sid,
      null,
      'claude-sonnet-4-5-20250929',
      lean ? int(500, 700) : int(3, 10),
      `${text(12)} #${i}`,
    );
    for (let a = int(1, 3); a > 0; a--) {
      const agentId = hex(17);
      const file = path.join(dir, sid, 'subagents', `agent-${agentId}.jsonl`);
      conversation(
        file,
        sid,
        agentId,
        'claude-haiku-4-5-20251001',
        lean ? int(100, 300) : int(2, 6),
        `SUB: ${text(8)}`,
      );
      fs.writeFileSync(
        file.replace(/\.jsonl$/, '.meta.json'),
        JSON.stringify({ agentType: 'general-purpose', description: text(3) }),
      );
    }
  }
  return { dir, bytes };
}
