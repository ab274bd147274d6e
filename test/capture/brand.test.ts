import * as fs from 'node:fs';
import * as path from 'node:path';
import { redactBytes, redactForStore, redactValue } from '../../src/capture/redact.js';
import type { ObjectStore } from '../../src/store/git.js';
import type { TreeEditor } from '../../src/store/tree.js';
import { ROOT } from '../lib/cli.js';

/**
 * The store's writers take only `Redacted` values. This function is never called: it exists for
 * `npm run typecheck`, which fails if a plain string or buffer were accepted (each
 * `@ts-expect-error` would then be unused) or if a redacted value were refused.
 */
function brandIsEnforcedByTheCompiler(tree: TreeEditor, store: ObjectStore): void {
  // @ts-expect-error a plain string cannot be staged
  tree.stageFile('a.txt', 'plain text');
  // @ts-expect-error a plain string cannot become a blob
  void store.writeBlob('plain text');
  // @ts-expect-error plain bytes cannot become a blob
  store.writeBlobSync(Buffer.from('plain bytes'));
  tree.stageFile('a.txt', redactForStore('redacted text'));
  void store.writeBlob(redactBytes(Buffer.from('redacted bytes')));
  tree.stageFile('b.txt', redactValue('a redacted value'));
}

test('the compile-time check above is part of the typechecked sources', () => {
  expect(typeof brandIsEnforcedByTheCompiler).toBe('function');
});

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('only the redactor makes Redacted values: no cast to Redacted anywhere else', () => {
  const redactor = path.join(ROOT, 'src', 'model', 'redact.ts');
  const casts = [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'cli'))]
    .filter((f) => f !== redactor)
    .flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => [`${path.relative(ROOT, f)}:${i + 1}`, line] as const)
        .filter(([, line]) => /\bas\s+(?:unknown\s+as\s+)?Redacted\b/.test(line))
        .map(([where]) => where),
    );
  expect(casts).toEqual([]);
});

test('redactBytes: text gets the full pass, binary is searched too, clean bytes are kept as they are', () => {
  const token = `${'npm_'}${'Zq8Lm3Vx7Kt2Pw9Rb4Nc6Hy1Jd5Gf0Sa3EuQ'}`;
  expect(Buffer.from(redactBytes(Buffer.from(`publish ${token}\n`))).toString()).toBe(
    'publish [REDACTED:npm-token]\n',
  );
  const binary = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(` ${token} `)]);
  expect(Buffer.from(redactBytes(binary)).includes(token)).toBe(false);
  const clean = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
  expect(redactBytes(clean)).toBe(clean);
});
