// The generated session the benchmarks share: a subagent, tool calls (one in 13 failing, with its
// error), usage on two models, optionally a file change per Edit. `clock.t` advances 750 ms an event.
import { randomUUID } from 'node:crypto';

const models = ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'];
const tools = ['Bash', 'Read', 'Edit', 'Grep', 'Write'];

/** The spool lines of session number `s` (about `perSession` events). */
export function sessionLines({ repo, session, s, perSession, clock, fileChanges = false }) {
  const lines = [];
  const ev = (type, extra = {}, agent = 'main') => {
    clock.t += 750;
    lines.push(
      JSON.stringify({
        id: randomUUID(),
        ts: new Date(clock.t).toISOString(),
        session,
        agent,
        type,
        ...extra,
      }),
    );
  };
  ev('session_start', { source: 'startup', branch: 'main', cwd: repo });
  ev('prompt', { text: `task ${s}` });
  ev('agent_start', { agentId: `a${s}`, agentType: 'Explore' }, `a${s}`);
  let k = 0;
  while (lines.length < perSession - 3) {
    const tool = tools[k % tools.length];
    const agent = k % 4 === 0 ? `a${s}` : 'main';
    const fail = (k * 7 + s) % 13 === 0;
    const toolUseId = `toolu_${s}_${k}`;
    ev('tool_start', { toolUseId, tool, input: { command: `npm test -- case-${k}` } }, agent);
    ev(
      'tool_call',
      {
        toolUseId,
        tool,
        input: { command: `npm test -- case-${k}` },
        success: !fail,
        durationMs: 50 + ((k * 37) % 900),
        output: fail ? undefined : { stdout: 'PASS '.repeat(20) },
      },
      agent,
    );
    if (fail)
      ev(
        'error',
        { source: 'tool', toolUseId, tool, message: `Exit code ${1 + (k % 3)}: cannot open /src/m${k}.ts` },
        agent,
      );
    if (fileChanges && tool === 'Edit')
      ev(
        'file_change',
        {
          toolUseId,
          path: `src/m${k}.ts`,
          operation: 'edit',
          diff: `--- a/src/m${k}.ts\n+++ b/src/m${k}.ts\n@@ -1 +1 @@\n-old ${k}\n+new ${k}\n`,
        },
        agent,
      );
    ev(
      'usage',
      {
        source: 'transcript',
        model: models[agent === 'main' ? 0 : 1],
        tokens: { input: 100 + k, output: 50, cacheRead: 5000, cacheWrite: 200 },
        costUsd: agent === 'main' ? 0.0027 : 0.0009,
      },
      agent,
    );
    k++;
  }
  ev('agent_end', { agentId: `a${s}`, agentType: 'Explore', lastMessage: 'done' }, `a${s}`);
  ev('session_end', { reason: 'other' });
  return lines;
}
