// Prints the handoff of a few real Claude Code sessions (../shared/realdata, see SOURCES.md) and its
// size in characters and Claude tokens, to read it as the person who continues would. Imports each
// transcript into a scratch repository (nothing is written anywhere else) and runs `resume` there.
//   node scripts/handoff-realdata.mjs [transcript.jsonl ...]   (default: five chosen sessions)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = path.join(ROOT, 'dist', 'bin.cjs');
const REAL = process.env.AGENT_TRACK_REALDATA ?? path.resolve(ROOT, '..', 'shared', 'realdata');
const DEFAULT = [
  // the 1.2 MB transcript the issue quotes: a rejected Edit, /mcp records, later prompts
  'entireio-cli/projects/-Users-soph-Work-entire-devenv-cli/efea9d52-9e4f-4189-8bae-4e8049647900.jsonl',
  'entireio-cli/projects/-Users-gtrrz-victor-wks-cli/2a80b8d9-b65a-4c2e-8bf4-0df4958640fd.jsonl',
  'entireio-cli/projects/-Users-alex-workspace-cli/8b418ea5-895d-4ad5-abe8-4489d36e454f.jsonl',
  'daaain-claude-code-log/projects/-Users-dain-workspace-claude-code-log-sample/0d3a8e6f-290f-4105-a327-a2496e5e2a83.jsonl',
  'entireio-external-agents/projects/-Users-alisha-Projects-external-agents/fa55c579-f8ca-4a19-a400-df39f0ab04b5.jsonl',
];
const files = (
  process.argv.length > 2 ? process.argv.slice(2) : DEFAULT.map((f) => path.join(REAL, f))
).filter((f) => {
  if (fs.existsSync(f)) return true;
  process.stderr.write(`skipped (absent): ${f}\n`);
  return false;
});
if (!files.length) {
  process.stderr.write(`no real transcripts in ${REAL}: nothing to show\n`);
  process.exit(0);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'at-handoff-'));
const run = (cwd, args) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
try {
  const rows = [];
  for (const file of files) {
    const repo = path.join(tmp, path.basename(file, '.jsonl'));
    fs.mkdirSync(repo);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    const imp = run(repo, ['import', file, '--json']);
    if (imp.status !== 0) throw new Error(`import ${file}: ${imp.stderr}`);
    const session = path.basename(file, '.jsonl');
    const r = run(repo, ['resume', session, '--json']);
    if (r.status !== 0) throw new Error(`resume ${session}: ${r.stderr}`);
    const h = JSON.parse(r.stdout);
    process.stdout.write(
      `\n===== ${path.relative(REAL, file)} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB)\n`,
    );
    process.stdout.write(h.markdown);
    process.stdout.write(
      `----- ${h.markdown.length} characters, ${h.tokens} tokens (budget ${h.budget}), ${h.dropped} items left out\n`,
    );
    rows.push({ session: session.slice(0, 8), chars: h.markdown.length, tokens: h.tokens });
  }
  process.stdout.write('\nsession   characters  tokens\n');
  for (const r of rows)
    process.stdout.write(`${r.session}  ${String(r.chars).padStart(10)}  ${String(r.tokens).padStart(6)}\n`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
