/**
 * The cause of a failed tool call, for grouping errors the way a person would: by the tool, the
 * command's program, and the first line that says what went wrong (the failing test, the assertion,
 * the exception, the compiler's or linter's code), not by a banner or a shell prelude. Written from
 * the output formats the tools document (pytest, jest/vitest, go test, cargo, tsc, eslint, ruff,
 * pyright, golangci-lint, npm, Python and Node tracebacks, POSIX shells); pure, no I/O.
 */

export type CauseKind = 'test' | 'compile' | 'lint' | 'exception' | 'shell' | 'tool' | 'other';

export interface Cause {
  /** What the failures of one cause share: tool, program and the masked cause line. */
  key: string;
  tool: string;
  /** The program a Bash command ran (`pytest`, `go test`, `npm run build`), else null. */
  program: string | null;
  kind: CauseKind;
  /** The cause line, masked (paths, ids and numbers as `{path}`, `{id}`, `{n}`: GitHub-safe). */
  line: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Paths, hex ids and numbers masked, whitespace folded: the shape of a line. */
export function maskLine(s: string): string {
  return (
    s
      .replace(/(?<=^|[\s'"`(=:,[])(~|\.{1,2})?(\/[^\s:'"`()[\]{},]+)+/g, '{path}')
      .replace(/\b[0-9a-f]{7,}\b/gi, (m) => (/\d/.test(m) ? '{id}' : m))
      // numbers, but not a code's digits (TS2322, E0308, F401, SC2086: they name the cause)
      .replace(/(?<![A-Za-z_\d.])\d+(\.\d+)*/g, '{n}')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200)
  );
}

const WRAPPERS = new Set(['sudo', 'time', 'env', 'exec', 'nohup', 'command', 'timeout', 'xargs']);
const RUNNERS: Record<string, number> = {
  // program -> how many words name the program (`npm run build`, `go test`, `cargo test`)
  npm: 2,
  pnpm: 2,
  yarn: 2,
  bun: 2,
  go: 2,
  cargo: 2,
  git: 2,
  gh: 3,
  docker: 2,
  make: 2,
  uv: 2,
  poetry: 2,
  task: 2,
  dotnet: 2,
  mvn: 2,
  gradle: 2,
  deno: 2,
  kubectl: 2,
  mise: 3,
  just: 2,
  rake: 2,
};
/** Wrappers whose next words are the real program. */
const PASS_THROUGH = new Set([
  'npx',
  'bunx',
  'pnpx',
  'uvx',
  'uv run',
  'poetry run',
  'pnpm exec',
  'pnpm dlx',
  'yarn exec',
  'yarn dlx',
  'bundle exec',
  'python -m',
  'python3 -m',
]);

/** The program a shell command ran: its first real command, past `cd x &&`, env and wrappers. */
export function programOf(command: string): string | null {
  const segments = command
    .replace(/\\\n/g, ' ')
    .split(/\n|&&|\|\||;|\|/)
    .map((x) => x.trim())
    .filter(Boolean);
  for (const seg of segments) {
    let words = seg
      .replace(/^[({]\s*/, '')
      .replace(/\s*[)}]+$/, '')
      .split(/\s+/)
      .filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    // `sudo -E`, `timeout 30`, `env -i`: the wrapper, its flags and numbers
    while (words.length && WRAPPERS.has(words[0])) {
      words = words.slice(1);
      while (words.length && /^(-|\d)/.test(words[0])) words = words.slice(1);
    }
    if (!words.length) continue;
    const first = words[0].replace(/^.*\//, '');
    if (first === 'cd' || first === 'export' || first === 'source' || first === '.' || first === 'set')
      continue;
    const two = `${first} ${words[1] ?? ''}`;
    const skip = PASS_THROUGH.has(two) ? 2 : PASS_THROUGH.has(first) ? 1 : 0;
    if (skip) {
      const rest = words.slice(skip);
      while (rest.length && rest[0].startsWith('-')) rest.shift();
      const inner = rest.length ? programOf(rest.join(' ')) : null;
      if (inner) return inner;
    }
    const n = RUNNERS[first] ?? 1;
    const named = [first, ...words.slice(1, n).filter((w) => !/^-/.test(w) && !/[/"'$=]/.test(w))];
    // `npm test`, `npm run build`: a script's name is part of the program
    if (
      (first === 'npm' || first === 'pnpm' || first === 'yarn' || first === 'bun') &&
      named[1] === 'run' &&
      words[2]
    )
      named.push(words[2]);
    return named.join(' ').slice(0, 60);
  }
  return null;
}

interface Rule {
  kind: CauseKind;
  /** The cause line of `lines` (null: this rule does not apply). */
  find(lines: string[], text: string): string | null;
}

const firstMatch = (lines: string[], re: RegExp, f: (m: RegExpMatchArray) => string): string | null => {
  for (const l of lines) {
    const m = l.match(re);
    if (m) return f(m);
  }
  return null;
};

const lastMatch = (lines: string[], re: RegExp, f: (m: RegExpMatchArray) => string): string | null => {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = lines[i].match(re);
    if (m) return f(m);
  }
  return null;
};

/** Rules in order; the first that applies names the cause. */
const RULES: Rule[] = [
  // pytest: `FAILED tests/test_x.py::test_y - AssertionError: assert 1 == 2` (short test summary)
  {
    kind: 'test',
    find: (lines) =>
      // the node id without its folder: the same test run from another directory is the same test
      firstMatch(
        lines,
        /^FAILED (\S+::\S+)(?: - (.*))?$/,
        (m) => `FAILED ${m[1].replace(/^[^:]*\//, '')}${m[2] ? ` - ${m[2]}` : ''}`,
      ) ?? firstMatch(lines, /^_{3,} (test\S*) _{3,}$/, (m) => `FAILED ${m[1]}`),
  },
  // jest / vitest: `● Suite › test name` / ` FAIL  src/x.test.ts > suite > test`
  {
    kind: 'test',
    find: (lines) =>
      firstMatch(lines, /^\s*● (.+ › .+)$/, (m) => `failed: ${m[1].trim()}`) ??
      firstMatch(
        lines,
        /^\s*(?:×|✗|FAIL)\s+(\S+\.(?:test|spec)\.[cm]?[jt]sx?\s+>\s+.+)$/,
        (m) => `failed: ${m[1].trim()}`,
      ),
  },
  // go test: `--- FAIL: TestName (0.00s)`
  { kind: 'test', find: (lines) => firstMatch(lines, /^\s*--- FAIL: (\S+)/, (m) => `--- FAIL: ${m[1]}`) },
  // cargo test: `test module::name ... FAILED`
  {
    kind: 'test',
    find: (lines) => firstMatch(lines, /^test (\S+) \.\.\. FAILED$/, (m) => `test ${m[1]} FAILED`),
  },
  // rustc: `error[E0308]: mismatched types`
  {
    kind: 'compile',
    find: (lines) => firstMatch(lines, /^error\[(E\d{4})\]: (.*)$/, (m) => `error[${m[1]}]: ${m[2]}`),
  },
  // tsc: `src/a.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.`
  {
    kind: 'compile',
    find: (lines) => firstMatch(lines, /\berror (TS\d+): (.*)$/, (m) => `${m[1]}: ${m[2]}`),
  },
  // eslint (stylish): `  12:5  error  'x' is not defined  no-undef`
  {
    kind: 'lint',
    find: (lines) =>
      firstMatch(lines, /^\s*\d+:\d+\s+error\s+(.+?)\s{2,}(@?[\w/-]+)$/, (m) => `eslint ${m[2]}: ${m[1]}`),
  },
  // pyright: `  /a.py:3:5 - error: Type of "x" is unknown (reportUnknownVariableType)`
  {
    kind: 'lint',
    find: (lines) => firstMatch(lines, /\s-\s+error: (.*?)\s*\((report\w+)\)\s*$/, (m) => `${m[2]}: ${m[1]}`),
  },
  // ruff / flake8: `a.py:3:5: F401 [*] 'os' imported but unused`
  {
    kind: 'lint',
    find: (lines) =>
      firstMatch(lines, /^\S+:\d+:\d+: ([A-Z]{1,4}\d{2,4}) (?:\[\*\] )?(.*)$/, (m) => `${m[1]}: ${m[2]}`),
  },
  // golangci-lint: `a.go:3:5: Error return value is not checked (errcheck)`
  {
    kind: 'lint',
    find: (lines) => firstMatch(lines, /^\S+\.go:\d+(?::\d+)?: (.*?) \((\w+)\)$/, (m) => `${m[2]}: ${m[1]}`),
  },
  // go build / vet: `./a.go:3:5: undefined: x`
  { kind: 'compile', find: (lines) => firstMatch(lines, /^\S+\.go:\d+(?::\d+)?: (.*)$/, (m) => m[1]) },
  // npm: `npm ERR! code E404` / `npm error Missing script: "x"`
  {
    kind: 'tool',
    find: (lines) =>
      firstMatch(lines, /^npm (?:ERR!|error) (Missing script: .*)$/i, (m) => `npm ${m[1]}`) ??
      firstMatch(lines, /^npm (?:ERR!|error) code (\S+)/, (m) => `npm code ${m[1]}`),
  },
  // Python: the exception line ends the traceback
  {
    kind: 'exception',
    find: (lines, text) =>
      /Traceback \(most recent call last\)/.test(text)
        ? lastMatch(lines, /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning))(?:: (.*))?$/, (m) =>
            m[2] ? `${m[1]}: ${m[2]}` : m[1],
          )
        : null,
  },
  // pytest's assertion line: `E   AssertionError: …`
  { kind: 'test', find: (lines) => firstMatch(lines, /^E\s{2,}(.+)$/, (m) => m[1]) },
  // Node and most runtimes: `TypeError: x is not a function`
  {
    kind: 'exception',
    find: (lines) =>
      firstMatch(lines, /^(?:Uncaught )?([A-Z]\w*(?:Error|Exception)): (.+)$/, (m) => `${m[1]}: ${m[2]}`),
  },
  // shells: `bash: line 1: pytest: command not found`, `sh: 1: x: not found`
  {
    kind: 'shell',
    find: (lines) =>
      firstMatch(lines, /(?:^|: )([\w.+-]+): (?:command )?not found$/, (m) => `command not found: ${m[1]}`),
  },
];

/** Lines that never say what went wrong: banners, the exit code, echoes of the command, blank lines. */
const NOISE = [
  /^\s*$/,
  /^Exit code \d+$/,
  /^[=\-_*~#]{3,}.*[=\-_*~#]{3,}$/, // ===== test session starts =====
  /^[=\-_*~#]{3,}$/,
  /^\[[\w:-]+\] \$ /, // task runners echoing a command: `[lint] $ golangci-lint run ./...`
  /^\$ /,
  /^(platform|rootdir|configfile|plugins|cachedir|collected|collecting)\b/,
  /^WARN(ING)?\b/,
  /^\s*at /, // stack frames
];

const SIGNAL =
  /error|fail|exception|fatal|cannot|can't|could not|not found|no such|denied|invalid|unknown|refused|timed? ?out|panic|conflict|missing|not allowed|unexpected|undefined/i;

/** The cause line of a tool's error text (not yet masked). */
export function causeLine(text: string): { kind: CauseKind; line: string } {
  const clean = text
    .replace(ANSI, '')
    .replace(/<\/?tool_use_error>/g, '')
    .replace(/\r/g, '');
  const lines = clean.split('\n').map((l) => l.replace(/\s+$/, ''));
  for (const r of RULES) {
    const line = r.find(lines, clean);
    if (line) return { kind: r.kind, line: line.trim() };
  }
  const meaningful = lines.filter((l) => !NOISE.some((re) => re.test(l)));
  const signal = meaningful.find((l) => SIGNAL.test(l));
  return { kind: 'other', line: (signal ?? meaningful[0] ?? lines.find((l) => l.trim()) ?? '').trim() };
}

/** The input's command, when the tool runs one (Bash and its kin). */
function commandOf(input: unknown): string | null {
  if (typeof input === 'string') return input;
  if (input && typeof input === 'object') {
    const c = (input as { command?: unknown }).command;
    if (typeof c === 'string') return c;
  }
  return null;
}

/** The cause of one failed call. */
export function causeOf(tool: string, input: unknown, message: string): Cause {
  const command = commandOf(input);
  const program = command !== null ? programOf(command) : null;
  const { kind, line } = causeLine(message);
  const masked = maskLine(line);
  const k: CauseKind = kind === 'other' && !program ? 'tool' : kind;
  return {
    key: `${tool}\u0000${program ?? ''}\u0000${masked}`,
    tool,
    program,
    kind: k,
    line: masked,
  };
}

/** Whether two calls are of the same kind (a retry of the other): the same tool and program. */
export const sameKind = (
  a: { tool: string; program: string | null },
  b: { tool: string; program: string | null },
) => a.tool === b.tool && a.program === b.program;
