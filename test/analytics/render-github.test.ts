/** review.md as GitHub shows it: no text lost to its tag filtering, charts whose points stay apart. */
import { distinctLabels, renderReview } from '../../src/analytics/render.js';
import { cleanupTmp, makeRepo, recordSprint, track } from '../lib/cli.js';
import { brokenTableRows, githubDrops, readerSees, renderWithCmarkGfm } from '../lib/gfm.js';

afterAll(cleanupTmp);

test('the GFM check sees what GitHub drops: raw tags in text, not in code; tag-filtered ones', () => {
  expect(githubDrops('| a |\n| --- |\n| Exit code <n> |\n')).toEqual(
    renderWithCmarkGfm('x') === null ? ['<n>'] : ['<n>', '<n>'],
  );
  expect(githubDrops('`Exit code <n>` and\n\n```\n<path>\n```\n')).toEqual([]);
  expect(githubDrops('<details><summary>x</summary>\n\n<sub>y</sub></details>\n')).toEqual([]);
  expect(githubDrops('a <script>x</script>').length).toBeGreaterThan(0);
  expect(readerSees('cannot access &#39;&lt;path&gt;&#39; \\| `<n>`')).toBe("cannot access '<path>' | <n>");
});

test('distinct labels: repeats numbered, an existing "x (2)" not reused', () => {
  expect(distinctLabels(['a', 'b', 'a', 'a'])).toEqual(['a', 'b', 'a (2)', 'a (3)']);
  expect(distinctLabels(['a', 'a (2)', 'a'])).toEqual(['a', 'a (2)', 'a (3)']);
  expect(new Set(distinctLabels(Array(50).fill('09:08'))).size).toBe(50);
});

test('the recorded sprint’s review: error patterns readable as GitHub renders them; sessions of one minute keep their points', () => {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  recordSprint(repo);
  const r = track(repo, ['review', '--json']);
  expect(r.status).toBe(0);
  const review = JSON.parse(r.stdout);
  // the masks ({n}, {path}) and text with raw tags in it (a Python traceback's <module>) both read as written
  expect(review.errors.some((e: any) => /\{\w+\}/.test(e.pattern))).toBe(true);
  review.errors.push({ ...review.errors[0], pattern: 'File "<string>", line {n}, in <module>' });
  const md = renderReview(review, [
    { started: '2026-11-25T09:08:40.000Z', costUsd: 0.2 },
    { started: '2026-11-25T09:08:01.000Z', costUsd: 0.1 },
    { started: '2026-11-25T09:09:00.000Z', costUsd: 0.3 },
  ]);
  expect(githubDrops(md)).toEqual([]);
  expect(brokenTableRows(md)).toEqual([]);
  const seen = readerSees(md);
  for (const e of review.errors) expect(seen).toContain(e.pattern.slice(0, 120).replace(/\n/g, ' '));
  const chart = md.slice(md.indexOf('## Cost per session over time'));
  const axis = /x-axis \[(.*)\]/.exec(chart)![1].split(', ');
  expect(axis).toEqual(['"11-25 09:08"', '"11-25 09:08 (2)"', '"11-25 09:09"']);
  // in time order, each point with its own label
  expect(/line \[(.*)\]/.exec(chart)![1]).toBe('0.1, 0.2, 0.3');
});
