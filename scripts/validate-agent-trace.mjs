// `npm run validate -- --only agent-trace`: our Agent Trace export against the specification's own
// JSON Schema (../shared/agent-trace/trace-record.schema.json beside the repository, read here and
// never copied into it), with ajv (draft 2020-12, formats checked: uuid, date-time, uri).
// A scratch repository gets a session recorded through the built hook (a Write by the main agent, a
// Write and an Edit by a subagent, a person's line), a commit, and `agent-track export agent-trace`;
// the record must validate, and so must the specification's example (a check of the check).
// Skipped with a message where ../shared is absent.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'dist', 'bin.cjs');
export const defaultSpec = path.resolve(root, '..', 'shared', 'agent-trace');

const git = (cwd, args) => execFileSync('git', args, { cwd, encoding: 'utf8' });
function track(cwd, args, input) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, AGENT_TRACK_NO_FLUSH: '1' },
  });
  if (r.status !== 0) throw new Error(`agent-track ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function scratchRecord(tmp) {
  const repo = path.join(tmp, 'proj');
  fs.mkdirSync(repo);
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['config', 'user.name', 'Validate']);
  git(repo, ['config', 'user.email', 'validate@example.com']);
  fs.writeFileSync(path.join(repo, 'README.md'), '# scratch\n');
  git(repo, ['add', 'README.md']);
  git(repo, ['commit', '-q', '-m', 'first']);
  track(repo, ['init', '--yes']);
  const hook = (p) => track(repo, ['hook'], JSON.stringify({ session_id: 'validate-1', cwd: repo, ...p }));
  const write = (file, content, id, extra = {}) => {
    fs.writeFileSync(path.join(repo, file), content);
    hook({
      hook_event_name: 'PostToolUse',
      tool_name: 'Write',
      tool_use_id: id,
      tool_input: { file_path: `${repo}/${file}`, content },
      tool_response: {
        type: 'create',
        filePath: `${repo}/${file}`,
        content,
        structuredPatch: [],
        originalFile: null,
      },
      ...extra,
    });
  };
  hook({ hook_event_name: 'UserPromptSubmit', prompt: 'write two modules' });
  write('a.ts', 'export const a = 1;\nexport const b = 2;\n', 't1');
  write('b.ts', 'export function f() {\n  return 1;\n}\n', 't2', {
    agent_id: 'sub1',
    agent_type: 'general-purpose',
  });
  fs.appendFileSync(path.join(repo, 'a.ts'), '// a person was here\n');
  track(repo, ['flush']);
  git(repo, ['add', 'a.ts', 'b.ts']);
  git(repo, ['commit', '-q', '-m', 'modules']);
  return JSON.parse(track(repo, ['export', 'agent-trace']));
}

/** Validates; returns the figures ({ skipped } when the schema is absent). */
export async function validateAgentTrace({ spec = defaultSpec, log = console.log } = {}) {
  const schemaFile = path.join(spec, 'trace-record.schema.json');
  if (!fs.existsSync(schemaFile)) {
    log(`skipped: no Agent Trace schema at ${schemaFile}`);
    return { skipped: true };
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
  const out = { ok: true, records: 0, files: 0, ranges: 0, errors: [] };
  const exampleFile = path.join(spec, 'example.json');
  if (fs.existsSync(exampleFile) && !validate(JSON.parse(fs.readFileSync(exampleFile, 'utf8')))) {
    out.ok = false;
    out.errors.push({ record: 'the specification example', errors: validate.errors });
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'at-validate-trace-'));
  try {
    const record = scratchRecord(tmp);
    out.records++;
    out.files = record.files.length;
    out.ranges = record.files.flatMap((f) => f.conversations.flatMap((c) => c.ranges)).length;
    if (!validate(record)) {
      out.ok = false;
      out.errors.push({ record: record.id, errors: validate.errors });
    }
    if (!record.files.length) {
      out.ok = false;
      out.errors.push({ record: record.id, errors: ['no file with agent lines in the export'] });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  log(
    `${out.ok ? 'valid' : 'INVALID'}: ${out.records} exported record (${out.files} files, ${out.ranges} ranges) against ${path.relative(root, schemaFile)}${out.errors.length ? `; ${JSON.stringify(out.errors).slice(0, 2000)}` : ''}`,
  );
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = await validateAgentTrace();
  process.exit(r.ok === false ? 1 : 0);
}
