import { foldRecovery } from '../../src/recovery/state.js';

let n = 0;
const ev = (type: string, extra: Record<string, unknown> = {}, agent = 'main') => ({
  id: `e${++n}`,
  ts: `2026-11-01T00:00:${String(n).padStart(2, '0')}.000Z`,
  session: 's',
  agent,
  type,
  ...extra,
});
const call = (tool: string, input: unknown, success = true, extra: Record<string, unknown> = {}) => {
  const id = `t${n + 1}`;
  return [
    ev('tool_start', { toolUseId: id, tool, input }),
    ev('tool_call', { toolUseId: id, tool, input, success, ...extra }),
  ];
};

test('todos from TodoWrite, then TaskCreate/TaskUpdate; files; errors resolved or not, with what came next', () => {
  const events = [
    ev('prompt', { text: 'the goal' }),
    ...call('TodoWrite', {
      todos: [
        { content: 'a', status: 'completed' },
        { content: 'b', status: 'in_progress' },
      ],
    }),
    ...call('TaskCreate', { subject: 'c', description: 'c' }, true, {
      output: { task: { id: '7', subject: 'c' } },
    }),
    ...call('TaskUpdate', { taskId: '7', status: 'in_progress' }),
    ...call('Write', { file_path: 'src/x.ts', content: '1' }),
    ...call('Edit', { file_path: 'src/y.ts' }, false, { error: 'File has not been read yet' }),
    ...call('Read', { file_path: 'src/y.ts' }),
    ...call('Edit', { file_path: 'src/y.ts' }),
    ...call('Bash', { command: 'npm test' }, false, { error: 'Exit code 1' }),
    ev('prompt', { text: 'later' }),
  ];
  const s = foldRecovery('s', events as any);
  expect(s.goal).toBe('the goal');
  expect(s.prompts).toEqual(['later']);
  expect(s.todos.map((t) => `${t.content}:${t.status}`)).toEqual([
    'a:completed',
    'b:in_progress',
    'c:in_progress',
  ]);
  expect(s.files.map((f) => f.path)).toEqual(['src/x.ts', 'src/y.ts']);
  expect(s.errors.map((e) => [e.tool, e.resolved, e.tried])).toEqual([
    ['Edit', true, 'Read src/y.ts'],
    ['Bash', false, null],
  ]);
  expect(s.toolCalls).toBe(8);
});
