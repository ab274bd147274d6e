// The conversation on the branch, checked on real sessions (../shared/realdata, never copied into the
// project): every transcript imported into a fresh repository, then rebuilt from the branch's pieces and
// compared with Claude Code's file line by line. Prints the bytes the transcripts add to the branch
// (packed, as a clone downloads them) per session, and how many files come back byte for byte.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const realdata = path.resolve(root, '..', 'shared', 'realdata');
const bin = path.join(root, 'dist', 'bin.cjs');

const sh = (cwd, cmd, args, env = {}) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env } });

function packed(repo) {
  sh(repo, 'git', ['gc', '-q', '--prune=now']);
  const m = /size-pack: (\d+)/.exec(sh(repo, 'git', ['count-objects', '-v']));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Every transcript file under the sources: `<dir>/<session>.jsonl`, `<session>/subagents/agent-*.jsonl`, 2.0's `agent-*.jsonl`. */
function originals(sources) {
  const out = [];
  const walk = (p) => {
    for (const e of fs.readdirSync(p, { withFileTypes: true })) {
      const f = path.join(p, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith('.jsonl')) out.push(f);
    }
  };
  for (const s of sources) walk(s);
  return out;
}

function importInto(sources, keep) {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-track-transcripts-'));
  sh(repo, 'git', ['init', '-q', '-b', 'main']);
  sh(repo, 'git', ['config', 'user.name', 'Validate']);
  sh(repo, 'git', ['config', 'user.email', 'validate@example.com']);
  if (!keep) fs.writeFileSync(path.join(repo, '.agent-tracking.yml'), 'transcripts:\n  keep: false\n');
  const started = process.hrtime.bigint();
  const imported = JSON.parse(sh(repo, process.execPath, [bin, 'import', ...sources, '--json']));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { repo, imported, ms, bytes: packed(repo) };
}

export async function validateTranscripts({ log = console.log } = {}) {
  if (!fs.existsSync(realdata)) return { skipped: true };
  const sources = fs
    .readdirSync(realdata)
    .filter((d) => fs.existsSync(path.join(realdata, d, 'projects')))
    .sort()
    .map((d) => path.join(realdata, d, 'projects'));
  const without = importInto(sources, false);
  const withT = importInto(sources, true);
  try {
    const sessions = withT.imported.newSessions;
    const added = withT.bytes - without.bytes;
    // rebuild each stored transcript from its pieces and compare with the original
    const all = sh(withT.repo, 'git', ['ls-tree', '-r', '--name-only', 'agent-tracking']).split('\n');
    const tree = all.filter((f) => /\/transcripts\/[^/]+\/\d{12,}-\d{12,}\.jsonl$/.test(f));
    // the sessions the branch records (a transcript without usage is not one)
    const mains = new Set(
      all
        .map((f) => /sessions\/\d{4}-\d{2}-\d{2}-([^/]+)\/session\.json$/.exec(f)?.[1])
        .filter(Boolean)
        .map((x) => decodeURIComponent(x)),
    );
    const stored = new Map();
    for (const f of tree) {
      const m = /sessions\/\d{4}-\d{2}-\d{2}-([^/]+)\/transcripts\/([^/]+)\//.exec(f);
      const key = `${decodeURIComponent(m[1])}\0${decodeURIComponent(m[2])}`;
      stored.set(key, [...(stored.get(key) ?? []), f]);
    }
    let identical = 0;
    let redactedOnly = 0;
    let differ = 0;
    let missing = 0;
    let linesAltered = 0;
    let lines = 0;
    for (const file of originals(sources)) {
      const base = path.basename(file, '.jsonl');
      const parent = path.dirname(file);
      let session;
      let name;
      if (path.basename(parent) === 'subagents') {
        session = path.basename(path.dirname(parent));
        name = `subagents/${base}`;
      } else if (base.startsWith('agent-')) {
        const first = fs.readFileSync(file, 'utf8').slice(0, 65536);
        session = /"sessionId":"([^"]+)"/.exec(first)?.[1];
        name = base;
      } else {
        session = base;
        name = 'main';
      }
      if (fs.statSync(file).size === 0) continue; // an empty file: nothing to keep
      const pieces = stored.get(`${session}\0${name}`);
      if (!pieces) {
        if (mains.has(session)) {
          missing++;
          if (process.env.VERBOSE) log(`missing: ${session} ${name} ${fs.statSync(file).size}`);
        }
        continue;
      }
      pieces.sort();
      const rebuilt = pieces.map((f) => sh(withT.repo, 'git', ['show', `agent-tracking:${f}`])).join('');
      const original = fs.readFileSync(file, 'utf8');
      // a last line still without its newline is not stored yet
      const whole = original.slice(0, original.lastIndexOf('\n') + 1);
      if (rebuilt === whole) {
        identical++;
        lines += whole.split('\n').length - 1;
        continue;
      }
      const a = whole.split('\n');
      const b = rebuilt.split('\n');
      lines += a.length - 1;
      if (a.length !== b.length) {
        differ++;
        continue;
      }
      let altered = 0;
      let onlyRedaction = true;
      for (let i = 0; i < a.length; i++) {
        if (a[i] === b[i]) continue;
        altered++;
        if (!b[i].includes('[REDACTED')) onlyRedaction = false;
      }
      linesAltered += altered;
      if (onlyRedaction) redactedOnly++;
      else differ++;
    }
    const r = {
      sessions,
      bytesWithout: without.bytes,
      bytesWith: withT.bytes,
      bytesPerSession: sessions ? Math.round(added / sessions) : 0,
      importMsWithout: Math.round(without.ms),
      importMsWith: Math.round(withT.ms),
      identical,
      redactedOnly,
      differ,
      missing,
      lines,
      linesAltered,
    };
    log(
      `${sessions} sessions: the branch packs to ${(without.bytes / 2 ** 20).toFixed(2)} MiB without transcripts, ${(withT.bytes / 2 ** 20).toFixed(2)} MiB with them: ${Math.round(added / sessions / 1024)} KiB a session`,
    );
    log(`import ${r.importMsWithout} ms without transcripts, ${r.importMsWith} ms with them (same run)`);
    log(
      `transcripts rebuilt from the branch: ${identical} byte for byte, ${redactedOnly} with only redacted lines changed (${linesAltered} of ${lines} lines), ${differ} differing otherwise, ${missing} missing`,
    );
    r.ok = differ === 0 && missing === 0;
    return r;
  } finally {
    fs.rmSync(without.repo, { recursive: true, force: true });
    fs.rmSync(withT.repo, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await validateTranscripts();
  process.exit(r.ok === false ? 1 : 0);
}
