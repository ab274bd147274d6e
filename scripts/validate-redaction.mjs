// `npm run validate:redaction`: runs the shared redaction corpus (../shared/redaction-corpus beside
// the repository; never copied into it) through the built redactor, both passes, and prints
//   recall          secrets never stored, of all true positives (each fed as Bash output, Write
//                   content and a prompt; self-identifying ones also bare in a prompt)
//   altered negatives   placeholder samples of the scanners that the redactor changed
//   ordinary lines altered   git ids, lockfile lines, UUIDs, data URIs, bundles, identifiers changed
//   restore identity    the corpus' whole files checkpointed and restored by the built CLI in a
//                       scratch repository: byte-identical or not
// With --end-to-end (or `endToEnd: true`), every secret also goes through the real path: the built
// hook as a prompt and as Bash output, a flush, and then every object of the repository and the spool
// are searched for it (slower: one hook process per payload).
// `validateRedaction()` is the core, for `npm run validate` to call; it returns the figures.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const defaultCorpus = path.resolve(root, '..', 'shared', 'redaction-corpus');

/** The corpus' escapes: \n \t \r \\ inside a field. */
function unescapeField(s) {
  return s.replace(/\\([ntr\\])/g, (_m, c) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\' })[c]);
}

function readTsv(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t').map(unescapeField));
}

/**
 * The corpus' whole files through a real checkpoint and restore (the built agent-track in a scratch
 * repository): the names of those that came back byte-identical.
 */
function checkpointAndRestore(filesDir, files) {
  const bin = path.join(root, 'dist', 'bin.cjs');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-redaction-'));
  try {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    const track = (args, input) =>
      execFileSync(process.execPath, [bin, ...args], {
        cwd: repo,
        input,
        encoding: 'utf8',
        env: { ...process.env, AGENT_TRACK_NO_FLUSH: '1' },
      });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Validate');
    git('config', 'user.email', 'validate@example.com');
    fs.writeFileSync(path.join(repo, 'README.md'), '# scratch\n');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    track(['init', '--yes']);
    git('add', '.');
    git('commit', '-q', '-m', 'track');
    const session = 'validate-redaction';
    const base = { session_id: session, transcript_path: '/dev/null', cwd: repo };
    track(['hook'], JSON.stringify({ ...base, hook_event_name: 'SessionStart', source: 'startup' }));
    track(['flush', '--json']);
    fs.mkdirSync(path.join(repo, 'corpus'));
    for (const f of files) fs.copyFileSync(path.join(filesDir, f), path.join(repo, 'corpus', f));
    const snap = JSON.parse(track(['checkpoint', '--session', session, '--json']));
    const dest = path.join(tmp, 'restored');
    track(['restore', snap.id, '--worktree', dest, '--json']);
    return files.filter((f) => {
      const back = path.join(dest, 'corpus', f);
      return fs.existsSync(back) && fs.readFileSync(back).equals(fs.readFileSync(path.join(filesDir, f)));
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Every secret through the built hook (prompt, Bash output), a flush; the secrets found afterwards in any object or the spool. */
function endToEnd(positives) {
  const bin = path.join(root, 'dist', 'bin.cjs');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-redaction-e2e-'));
  try {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    const git = (args, opts = {}) => execFileSync('git', args, { cwd: repo, maxBuffer: 1 << 30, ...opts });
    const track = (args, input) =>
      execFileSync(process.execPath, [bin, ...args], {
        cwd: repo,
        input,
        encoding: 'utf8',
        env: { ...process.env, AGENT_TRACK_NO_FLUSH: '1' },
      });
    git(['init', '-q', '-b', 'main']);
    git(['config', 'user.name', 'Validate']);
    git(['config', 'user.email', 'validate@example.com']);
    fs.writeFileSync(path.join(repo, 'README.md'), '# scratch\n');
    git(['add', '.']);
    git(['commit', '-q', '-m', 'first']);
    track(['init', '--yes']);
    const base = { session_id: 'validate-e2e', transcript_path: '/dev/null', cwd: repo };
    track(['hook'], JSON.stringify({ ...base, hook_event_name: 'SessionStart', source: 'startup' }));
    positives.forEach((p, i) => {
      track(['hook'], JSON.stringify({ ...base, hook_event_name: 'UserPromptSubmit', prompt: p.sample }));
      track(
        ['hook'],
        JSON.stringify({
          ...base,
          hook_event_name: 'PostToolUse',
          tool_name: 'Bash',
          tool_use_id: `tu-${i}`,
          tool_input: { command: 'cat settings' },
          tool_response: { stdout: p.sample, stderr: '' },
        }),
      );
    });
    const spool = fs
      .readdirSync(path.join(repo, '.git', 'agent-tracking', 'spool'))
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => fs.readFileSync(path.join(repo, '.git', 'agent-tracking', 'spool', f), 'utf8'))
      .join('\n');
    track(['flush', '--json']);
    const ids = git(['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'], { encoding: 'utf8' });
    const objects = git(['cat-file', '--batch'], { input: ids }).toString('latin1');
    const stored = `${spool}\n${Buffer.from(objects, 'latin1').toString('utf8')}`;
    return positives.filter(
      (p) => stored.includes(p.secret) || stored.includes(JSON.stringify(p.secret).slice(1, -1)),
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// two decimals: a rate just under a 5% goal (18/362 = 4.97%) must not read as 5.0%
const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(2)}%` : 'n/a');

/**
 * Runs the corpus through the redactor; returns the figures per pass, or null when the corpus is
 * absent (a message says so). `log` prints; pass `() => {}` for silence.
 */
export async function validateRedaction({
  corpus = defaultCorpus,
  log = console.log,
  endToEnd: e2e = false,
} = {}) {
  if (!fs.existsSync(path.join(corpus, 'true-positives.tsv'))) {
    log(`redaction corpus not found at ${corpus}: skipped`);
    return null;
  }
  const redactor = await import(pathToFileURL(path.join(root, 'dist', 'redact.js')).href);
  const { redactText, redactValue, redactFileContent } = redactor;
  const positives = readTsv(path.join(corpus, 'true-positives.tsv')).map(
    ([family, shape, secret, sample]) => ({
      family,
      shape,
      secret,
      sample,
    }),
  );
  const negatives = readTsv(path.join(corpus, 'false-positives.tsv')).map(([kind, text]) => ({ kind, text }));
  const filesDir = path.join(corpus, 'files');
  const files = fs.existsSync(filesDir) ? fs.readdirSync(filesDir).sort() : [];

  const results = {};
  for (const pass of ['fast', 'full']) {
    const opts = { pass };
    // what a stored form of a text is: the hook's events are JSON lines; the full pass reads those
    const stored = (event) =>
      pass === 'fast' ? JSON.stringify(redactValue(event, opts)) : redactText(JSON.stringify(event), opts);
    const leaks = (out, secret) => out.includes(secret) || out.includes(JSON.stringify(secret).slice(1, -1));
    const missed = [];
    const t0 = performance.now();
    for (const p of positives) {
      const feeds = [
        { type: 'tool_call', tool: 'Bash', output: { stdout: p.sample, stderr: '' } },
        {
          type: 'file_change',
          path: 'src/settings.txt',
          content: redactFileContent('src/settings.txt', p.sample, opts),
        },
        { type: 'prompt', prompt: p.sample },
      ];
      if (p.shape === 'self') feeds.push({ type: 'prompt', prompt: p.secret });
      const outs = feeds.map((e) => stored(e));
      if (outs.some((o) => leaks(o, p.secret))) missed.push(p);
    }
    const placeholders = negatives.filter((n) => n.kind === 'gitleaks-fp' || n.kind === 'scanner-fp');
    const ordinary = negatives.filter((n) => n.kind !== 'gitleaks-fp' && n.kind !== 'scanner-fp');
    const changed = (n) => redactText(n.text, opts) !== n.text;
    const alteredPlaceholders = placeholders.filter(changed);
    // a scanner's negative of one rule can be another rule's positive: samples holding a secret the
    // corpus itself lists among its true positives, as a whole token (not inside a longer run, as
    // `adf4b1d…` holds ClickHouse's `4b1d…`), cannot be left alone without missing that secret
    const holdsPositive = (n) =>
      positives.some((p) => {
        if (p.secret.length < 8) return false;
        for (let i = n.text.indexOf(p.secret); i >= 0; i = n.text.indexOf(p.secret, i + 1)) {
          const before = n.text[i - 1] ?? ' ';
          const after = n.text[i + p.secret.length] ?? ' ';
          if (!/[A-Za-z0-9]/.test(before) && !/[A-Za-z0-9]/.test(after)) return true;
        }
        return false;
      });
    const conflicting = placeholders.filter(holdsPositive);
    const alteredConflicting = alteredPlaceholders.filter(holdsPositive);
    const alteredOrdinary = ordinary.filter(changed);
    // the checkpoint path redacts with the full pass; it runs once, reported under both passes' files
    const identical = files.filter((f) => {
      const text = fs.readFileSync(path.join(filesDir, f), 'utf8');
      return redactFileContent(f, text, opts) === text;
    });
    const ms = performance.now() - t0;
    results[pass] = {
      secrets: positives.length,
      caught: positives.length - missed.length,
      recall: (positives.length - missed.length) / positives.length,
      missed: missed.map((m) => m.family),
      placeholders: placeholders.length,
      alteredPlaceholders: alteredPlaceholders.length,
      conflictingPlaceholders: conflicting.length,
      alteredConflicting: alteredConflicting.length,
      ordinary: ordinary.length,
      alteredOrdinary: alteredOrdinary.length,
      alteredOrdinaryKinds: alteredOrdinary.map((n) => n.kind),
      files: files.length,
      identicalFiles: identical.length,
      ms,
    };
    const r = results[pass];
    log(`redaction corpus, ${pass} pass:`);
    log(`  recall                  ${r.caught}/${r.secrets} (${pct(r.caught, r.secrets)})`);
    if (missed.length) {
      const byFamily = {};
      for (const f of r.missed) byFamily[f] = (byFamily[f] ?? 0) + 1;
      log(
        `    missed: ${Object.entries(byFamily)
          .map(([f, n]) => `${f} ${n}`)
          .join(', ')}`,
      );
    }
    log(
      `  altered negatives       ${r.alteredPlaceholders}/${r.placeholders} (${pct(r.alteredPlaceholders, r.placeholders)}) of the scanners' placeholder samples`,
    );
    log(
      `    of which ${r.alteredConflicting} hold a secret the corpus also lists as a true positive; the other placeholders: ${r.alteredPlaceholders - r.alteredConflicting}/${r.placeholders - r.conflictingPlaceholders} (${pct(r.alteredPlaceholders - r.alteredConflicting, r.placeholders - r.conflictingPlaceholders)})`,
    );
    log(
      `  ordinary lines altered  ${r.alteredOrdinary}/${r.ordinary}${r.alteredOrdinary ? ` (${[...new Set(r.alteredOrdinaryKinds)].join(', ')})` : ''}`,
    );
    log(`  files stored unaltered  ${r.identicalFiles}/${r.files} of the corpus' whole files`);
  }
  if (files.length) {
    const back = checkpointAndRestore(filesDir, files);
    results.restore = {
      files: files.length,
      identical: back.length,
      altered: files.filter((f) => !back.includes(f)),
    };
    log(
      `restore identity (checkpoint + restore by the built CLI): ${back.length}/${files.length} byte-identical${
        results.restore.altered.length ? `; altered: ${results.restore.altered.join(', ')}` : ''
      }`,
    );
  }
  if (e2e) {
    const t0 = performance.now();
    const leaked = endToEnd(positives);
    results.endToEnd = {
      secrets: positives.length,
      stored: leaked.length,
      families: leaked.map((p) => p.family),
      ms: performance.now() - t0,
    };
    log(
      `end to end (the built hook, a flush, every object and the spool searched): ${positives.length - leaked.length}/${positives.length} secrets never stored${
        leaked.length ? `; stored: ${[...new Set(results.endToEnd.families)].join(', ')}` : ''
      }`,
    );
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const verbose = process.argv.includes('--verbose');
  const r = await validateRedaction({ endToEnd: process.argv.includes('--end-to-end') });
  if (r && verbose) console.log(JSON.stringify(r, null, 2));
}
