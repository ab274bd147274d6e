/** What an error record says was done next and whether it worked (src/search/documents.ts), on events of our own making. */
import { documentOf, type ErrorRecord, foldEvents, WATCH_CALLS } from '../../src/search/documents.js';

let n = 0;
const at = () => new Date(Date.parse('2026-11-01T10:00:00Z') + 1000 * n++).toISOString();
const base = (type: string, extra: Record<string, unknown>, agent = 'main') => ({
  id: `${type}-${n}`,
  ts: at(),
  session: 's1',
  agent,
  type: type as any,
  ...extra,
});
const call = (id: string, command: string, ok: boolean, agent = 'main') =>
  base(
    'tool_call',
    {
      toolUseId: id,
      tool: 'Bash',
      input: { command },
      success: ok,
      outcome: ok ? 'success' : 'failed',
      ...(ok ? {} : { error: 'Exit code 1' }),
    },
    agent,
  );
const error = (id: string, message: string, agent = 'main') =>
  base('error', { source: 'tool', toolUseId: id, tool: 'Bash', message }, agent);

function fold(events: any[], cwd: string | null = null): ErrorRecord[] {
  const errors: ErrorRecord[] = [];
  foldEvents({ has: () => false, errors }, events, {}, cwd);
  return errors;
}

describe('an error record', () => {
  test('the same command succeeding later is "worked", after how many calls; other agents do not count', () => {
    const [e] = fold([
      call('t1', 'npm test', false),
      error('t1', 'Exit code 1\nFAIL src/a.test.ts'),
      call('t9', 'npm test', true, 'sub-1'),
      call('t2', 'npm run build', true),
      call('t3', 'npm test', true),
    ]);
    expect(e).toMatchObject({ action: 'Bash: npm test', resolved: true, fixedAfter: 2 });
    expect(e.next.map((x) => `${x.action} ${x.outcome}`)).toEqual([
      'Bash: npm run build success',
      'Bash: npm test success',
    ]);
    expect(e.watched).toBeUndefined();
  });

  test('not tried again is unknown; tried again without success is "no", until a later one works', () => {
    const events: any[] = [call('t1', 'make', false), error('t1', 'Exit code 2'), call('u1', 'ls', true)];
    const [open] = fold(events);
    expect(open.resolved).toBeNull();
    events.push(call('u2', 'make', false), call('u3', 'ls', true));
    const [tried] = fold(events);
    expect(tried.resolved).toBe(false);
    expect(tried.next.map((x) => x.action)).toEqual(['Bash: ls', 'Bash: make', 'Bash: ls']);
    events.push(call('u4', 'cd sub && make', true));
    const [fixed] = fold(events);
    expect(fixed).toMatchObject({ resolved: true, fixedAfter: 4, done: true });
  });

  test(`followed over ${WATCH_CALLS} of the agent's calls at most: then what it says stays`, () => {
    const events: any[] = [call('t1', 'make', false), error('t1', 'Exit code 2')];
    for (let i = 0; i < WATCH_CALLS; i++) events.push(call(`u${i}`, 'ls', true));
    events.push(call('late', 'make', true));
    const [e] = fold(events);
    expect(e).toMatchObject({ resolved: null, done: true });
    expect(e.watched).toBeUndefined();
  });

  test('a call seen by the hook and again in the transcript counts once; later segments complete the record', () => {
    const errors: ErrorRecord[] = [];
    const seen = new Set<string>();
    const has = (id: string) => seen.has(id);
    const first = [call('t1', 'cat ./a.yml', false), error('t1', 'cat: ./a.yml: No such file')];
    foldEvents({ has, errors }, first, {});
    expect(errors[0].resolved).toBeNull();
    const fix = call('t2', 'touch a.yml', true);
    foldEvents(
      { has, errors },
      [fix, { ...fix, id: 'transcript-copy' }, call('t3', 'cat ./a.yml', true)],
      {},
    );
    expect(errors[0]).toMatchObject({ resolved: true, fixedAfter: 2 });
    expect(errors[0].next.map((x) => x.action)).toEqual(['Bash: touch a.yml', 'Bash: cat ./a.yml']);
  });

  test("action lines name the command or the file, relative to the session's folder", () => {
    const [e] = fold(
      [
        base('tool_call', {
          toolUseId: 'e1',
          tool: 'Edit',
          input: {
            replace_all: false,
            file_path: '/home/dev/proj/src/a.ts',
            old_string: 'x',
            new_string: 'y',
          },
          success: false,
          outcome: 'failed',
        }),
        base('error', {
          source: 'tool',
          toolUseId: 'e1',
          tool: 'Edit',
          message: 'String to replace not found in file.',
        }),
      ],
      '/home/dev/proj',
    );
    expect(e.action).toBe('Edit: src/a.ts');
  });
});

describe('documents', () => {
  test('a person’s refusal is no error document; usage and hooks give none', () => {
    expect(documentOf(base('usage', { tokens: {} }) as any)).toBeNull();
    const errors = fold([error('r1', "The user doesn't want to proceed with this tool use.")]);
    expect(errors).toHaveLength(0);
  });
});
