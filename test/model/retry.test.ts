/** The one rule for "what followed a failure, and did it work" (src/model/retry.ts), on calls of our own making. */
import { callKind, followUps } from '../../src/model/retry.js';

const bash = (command: string) => callKind('Bash', { command });

test('a call of the same kind: the program past cd, env and launchers; a file tool and its file; else the tool', () => {
  expect(bash('npx agent-track decide "x"')).toBe(bash('agent-track decide "y" --why z'));
  expect(bash('cd sub && FOO=1 mise run lint 2>&1')).toBe(bash('mise run lint'));
  expect(bash('npm test')).not.toBe(bash('ls -la'));
  expect(bash('npm test')).not.toBe(bash('npm run build'));
  expect(callKind('Edit', { file_path: 'src/a.ts', old_string: 'x' })).toBe(
    callKind('Edit', { file_path: 'src/a.ts', old_string: 'y' }),
  );
  expect(callKind('Edit', { file_path: 'src/a.ts' })).not.toBe(callKind('Edit', { file_path: 'src/b.ts' }));
  expect(callKind('Grep', { pattern: 'a' })).toBe(callKind('Grep', { pattern: 'b' }));
});

type O = 'success' | 'failed' | 'rejected' | null;
const c = (agent: string, kind: string, outcome: O) => ({ agent, kind, outcome });

test('fixed when a later call of the same kind by the same agent succeeds, after how many of its calls', () => {
  const calls = [
    c('main', 'Bash npm test', 'failed'), // 0: fixed by 4, after 3 of main's calls
    c('sub', 'Bash npm test', 'success'), // another agent: not a retry of main's
    c('main', 'Bash npm run build', 'success'),
    c('main', 'Bash npm test', 'failed'), // 3: a retry that failed; fixed by 4 itself
    c('main', 'Bash npm test', 'success'),
    c('main', 'Edit src/a.ts', 'failed'), // 5: tried again, never worked
    c('main', 'Edit src/a.ts', 'failed'),
    c('main', 'Bash ls', 'rejected'), // a refusal is followed too
  ];
  const f = followUps(calls);
  expect([...f.keys()]).toEqual([0, 3, 5, 6, 7]);
  expect(f.get(0)).toEqual({ retried: true, fixed: true, fixedAfter: 3, fixedBy: 4, next: 2 });
  expect(f.get(3)).toEqual({ retried: true, fixed: true, fixedAfter: 1, fixedBy: 4, next: 4 });
  expect(f.get(5)).toEqual({ retried: true, fixed: false, fixedAfter: null, fixedBy: null, next: 6 });
  expect(f.get(6)).toEqual({ retried: false, fixed: false, fixedAfter: null, fixedBy: null, next: 7 });
  expect(f.get(7)).toEqual({ retried: false, fixed: false, fixedAfter: null, fixedBy: null, next: null });
});
