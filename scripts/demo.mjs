// `npm run demo`: replays the recorded sprint session (test/fixtures/sprint, real Claude Code 2.1.197
// hook payloads) through the real `agent-track hook` binary into a fresh temporary repository, then
// prints `sessions`, `show` and `stats`. No credentials, no network.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'dist', 'bin.cjs');
const fixture = path.join(root, 'test', 'fixtures', 'sprint');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-track-demo-'));
const repo = path.join(tmp, 'proj');
const home = path.join(tmp, 'home');
fs.mkdirSync(repo);
fs.cpSync(path.join(fixture, 'transcripts'), path.join(home, '.claude', 'projects'), { recursive: true });

const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: repo, encoding: 'utf8', ...opts });
const track = (...args) => sh(process.execPath, [bin, ...args]);
const step = (title) => process.stdout.write(`\n\x1b[1m$ ${title}\x1b[0m\n`);

sh('git', ['init', '-q', '-b', 'main']);
sh('git', ['config', 'user.name', 'Demo Developer']);
sh('git', ['config', 'user.email', 'demo@example.com']);
fs.writeFileSync(path.join(repo, 'README.md'), '# demo\n');
sh('git', ['add', 'README.md']);
sh('git', ['commit', '-q', '-m', 'first commit']);

step('agent-track init --yes');
process.stdout.write(track('init', '--yes'));

const payloads = fs
  .readFileSync(path.join(fixture, 'hook-payloads.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean);
step(`replaying ${payloads.length} recorded hook payloads through \`agent-track hook\``);
for (const line of payloads) {
  const payload = line.replaceAll('/home/dev/proj', repo).replaceAll('/home/dev/home', home);
  sh(process.execPath, [bin, 'hook'], { input: payload });
}
process.stdout.write(track('flush'));

const session = JSON.parse(payloads[0]).session_id;
step('agent-track sessions');
process.stdout.write(track('sessions'));
step(`agent-track show ${session.slice(0, 8)}`);
process.stdout.write(track('show', session.slice(0, 8)));
step('agent-track stats');
process.stdout.write(track('stats'));
const ours = JSON.parse(track('stats', '--json'));
const claude = JSON.parse(fs.readFileSync(path.join(fixture, 'result.json'), 'utf8'));
process.stdout.write(
  `\ncost: ${ours.costUsd.toFixed(6)} USD; Claude Code's own total_cost_usd for this session: ${claude.total_cost_usd.toFixed(6)} USD\n`,
);
step('agent-track stats --by agent');
process.stdout.write(track('stats', '--by', 'agent'));
step('git log --oneline agent-tracking');
process.stdout.write(sh('git', ['log', '--oneline', 'agent-tracking']));
process.stdout.write(
  `\nThe repository is at ${repo} (the branch: git -C ${repo} ls-tree -r agent-tracking)\n`,
);
