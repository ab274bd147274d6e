import { execFileSync } from 'node:child_process';
import { applyHunks, gitBlobId, unifiedDiff, wholeFileHunks } from '../../src/capture/diff.js';
import { buildAgentTree, computeStats } from '../../src/model/views.js';
import { sortTree, type TreeEntry } from '../../src/store/git.js';

describe('diffs and blob ids', () => {
  test('gitBlobId equals git hash-object, including non-ASCII text', () => {
    for (const s of ['', 'hello\n', 'héllo wörld ✓\nno newline']) {
      expect(gitBlobId(s)).toBe(
        execFileSync('git', ['hash-object', '--stdin'], { input: s, encoding: 'utf8' }).trim(),
      );
    }
  });

  test('applyHunks applies a structured patch and refuses one that does not fit', () => {
    const hunks = [{ oldStart: 2, oldLines: 2, newStart: 2, newLines: 2, lines: [' b', '-c', '+C'] }];
    expect(applyHunks('a\nb\nc\nd\n', hunks)).toBe('a\nb\nC\nd\n');
    expect(applyHunks('a\nX\nc\nd\n', hunks)).toBeNull();
  });

  test('a created file is a diff from /dev/null', () => {
    expect(unifiedDiff('f.txt', wholeFileHunks(null, 'one\ntwo\n'), true)).toBe(
      '--- /dev/null\n+++ b/f.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n',
    );
  });
});

test('sortTree orders entries as git does (a tree sorts as if its name ended in /)', () => {
  const e = (p: string, type: 'blob' | 'tree'): TreeEntry => ({
    path: p,
    type,
    mode: type === 'tree' ? '040000' : '100644',
    oid: '0'.repeat(40),
  });
  const sorted = sortTree([e('a.b', 'blob'), e('a', 'tree'), e('a-b', 'blob'), e('B', 'blob')]).map(
    (x) => x.path,
  );
  // '-' (0x2d) < '.' (0x2e) < '/' (0x2f): git puts the tree 'a' after 'a-b' and 'a.b'
  expect(sorted).toEqual(['B', 'a-b', 'a.b', 'a']);
});

describe('views', () => {
  const ev = (over: Record<string, unknown>) =>
    ({ id: Math.random().toString(36), session: 's', agent: 'main', ...over }) as any;

  test('a subagent whose launch never finished is still placed under its launcher', () => {
    const tree = buildAgentTree([
      ev({
        ts: '2026-01-01T00:00:01Z',
        type: 'tool_start',
        tool: 'Agent',
        toolUseId: 't1',
        launch: { description: 'D', prompt: 'P', subagentType: 'x' },
      }),
      ev({ ts: '2026-01-01T00:00:02Z', type: 'agent_start', agent: 'a1', agentId: 'a1', agentType: 'x' }),
      ev({
        ts: '2026-01-01T00:00:03Z',
        type: 'tool_start',
        agent: 'a1',
        tool: 'Bash',
        toolUseId: 't2',
        input: { command: 'ls' },
      }),
    ]);
    expect(tree.children).toHaveLength(1);
    expect(tree.children[0]).toMatchObject({ agent: 'a1', description: 'D', prompt: 'P', parent: 'main' });
    // started, never finished: shown as open, not as success or failure
    expect(tree.children[0].items[0]).toMatchObject({ kind: 'tool', call: { tool: 'Bash', success: null } });
  });

  test('computeStats derives cost from tokens at the price table, summed in integer units', () => {
    const usage = (model: string, input: number, output: number) =>
      ev({
        ts: '2026-11-25T10:00:00.000Z',
        type: 'usage',
        model,
        costUsd: 999,
        tokens: { input, output, cacheRead: 0, cacheWrite: 0 },
      });
    const s = computeStats([
      [usage('claude-haiku-4-5', 100_000, 1), usage('claude-haiku-4-5', 200_000, 1)],
      [usage('claude-sonnet-4-6', 1, 0), ev({ ts: 't', type: 'agent_start', agentId: 'a' })],
    ]);
    // the stored costUsd is not what counts: 300k x $1/M + 2 x $5/M, + 1 x $3/M
    expect(s.costUsd).toBe(0.300013);
    expect(s.byModel['claude-haiku-4-5']).toEqual({
      tokens: { input: 300_000, output: 2, cacheRead: 0, cacheWrite: 0 },
      costUsd: 0.30001,
      unpricedTokens: 0,
      unpricedModels: [],
    });
    expect(s).toMatchObject({ sessions: 2, agents: 1, tokens: { input: 300_001 } });
  });
});
