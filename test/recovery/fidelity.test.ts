import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  branchEvents,
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  ROOT,
  recordSprint,
  tmpDir,
  track,
} from '../lib/cli.js';

afterAll(cleanupTmp);

// Small files of our own in the shapes of real ones (test/fixtures/fidelity): an npm lockfile with
// SRI integrity hashes, a yarn 1 lockfile, an SVG around a base64 PNG, a minified bundle, a
// package.json with an author and token-ish config keys, Go source indented with tabs.
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'fidelity');
const ordinary = fs.readdirSync(FIXTURES).sort();

const json = (repo: string, args: string[]) => {
  const r = track(repo, [...args, '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

function trackedRepo(): string {
  const repo = makeRepo();
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  git(repo, ['add', '.']);
  git(repo, ['commit', '-q', '-m', 'track agents']);
  recordSprint(repo);
  return repo;
}

describe('checkpoint + restore: a file with no secret comes back byte for byte', () => {
  const key = ['Qm7', 'Lx2', 'Vb9', 'Tn4', 'Rk8', 'Wz3', 'Pc6', 'Yd1'].join('');
  const withSecret = `export const config = {\n\tapiKey: "${key}",\n\tretries: 3,\n};\n`;
  const crlf = 'line one\r\nline two\r\n\tindented\r\n';
  let repo: string;
  let restored: string;
  let result: any;
  beforeAll(() => {
    repo = trackedRepo();
    for (const f of ordinary) fs.copyFileSync(path.join(FIXTURES, f), path.join(repo, f));
    fs.mkdirSync(path.join(repo, 'src'));
    fs.writeFileSync(path.join(repo, 'src', 'config.ts'), withSecret);
    fs.writeFileSync(path.join(repo, 'windows.txt'), crlf);
    const snap = json(repo, ['checkpoint']);
    restored = path.join(tmpDir(), 'restored');
    result = json(repo, ['restore', snap.id, '--worktree', restored]);
  });

  test.each(ordinary)('%s', (f) => {
    expect(fs.readFileSync(path.join(restored, f))).toEqual(fs.readFileSync(path.join(FIXTURES, f)));
  });

  test('CRLF line ends and tabs are kept', () => {
    expect(fs.readFileSync(path.join(restored, 'windows.txt'), 'utf8')).toBe(crlf);
  });

  test('a file with a secret comes back with only the secret replaced', () => {
    expect(fs.readFileSync(path.join(restored, 'src', 'config.ts'), 'utf8')).toBe(
      withSecret.replace(key, '[REDACTED:secret-assignment]'),
    );
    expect(result.redacted).toEqual(['src/config.ts']);
  });
});

describe('stored diffs keep whitespace and apply with git apply', () => {
  test('an Edit of a tab-indented file: the diff on the branch has its tabs and applies', () => {
    const repo = trackedRepo();
    const file = path.join(repo, 'main.go');
    const before = fs.readFileSync(path.join(FIXTURES, 'main.go'), 'utf8');
    const after = before.replace(
      '\t\tfmt.Println("tick", i)',
      '\t\tfmt.Println("tock", i)\n\t\tfmt.Println("\\t")',
    );
    fs.writeFileSync(file, after);
    const payload = {
      session_id: 'diff-session',
      transcript_path: '/dev/null',
      cwd: repo,
      hook_event_name: 'PostToolUse',
      tool_name: 'Edit',
      tool_use_id: 'toolu_diff_1',
      tool_input: { file_path: file, old_string: 'tick', new_string: 'tock' },
      tool_response: {
        filePath: file,
        oldString: '\t\tfmt.Println("tick", i)',
        newString: '\t\tfmt.Println("tock", i)\n\t\tfmt.Println("\\t")',
        originalFile: before,
        structuredPatch: [
          {
            oldStart: 5,
            oldLines: 5,
            newStart: 5,
            newLines: 6,
            lines: [
              ' func main() {',
              '\tfor i := 0; i < 3; i++ {',
              '-\t\tfmt.Println("tick", i)',
              '+\t\tfmt.Println("tock", i)',
              '+\t\tfmt.Println("\\t")',
              ' \t}',
              ' }',
            ].map((l) => (l.startsWith('\t') ? ` ${l}` : l)),
          },
        ],
      },
    };
    expect(track(repo, ['hook'], JSON.stringify(payload), { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
    expect(flushNow(repo).status).toBe(0);
    const change = branchEvents(repo).find((e) => e.type === 'file_change' && e.path === 'main.go');
    expect(change.diff).toContain('-\t\tfmt.Println("tick", i)\n');
    expect(change.diff).toContain('+\t\tfmt.Println("tock", i)\n');
    // the stored diff applies to the file as it was, and gives the file as it became
    const check = makeRepo();
    fs.writeFileSync(path.join(check, 'main.go'), before);
    fs.writeFileSync(path.join(check, 'change.patch'), change.diff);
    git(check, ['apply', 'change.patch']);
    expect(fs.readFileSync(path.join(check, 'main.go'), 'utf8')).toBe(after);
  });
});
