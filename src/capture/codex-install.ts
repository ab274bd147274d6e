/**
 * `init --agent codex`: Codex CLI's hooks for this repository. Codex (0.169) reads `<repo>/.codex/hooks.json`
 * (hooks are on by default) but runs a hook only once the person trusted it: trust is keyed to the
 * hook's content and kept in `$CODEX_HOME/config.toml` (`[hooks.state."<key>"] trusted_hash`). We
 * never compute that hash: Codex's own app-server (`codex app-server`, JSON-RPC over stdio) lists the
 * hooks with their `currentHash` (`hooks/list`), and we hand it back through `config/batchWrite`, the
 * path Codex's own review screen takes. Only our own entries are trusted, only when Codex is found.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Codex's hook events we record: the start (HEAD, process, where the rollout is) and each turn's end. */
export const CODEX_HOOK_EVENTS = ['SessionStart', 'Stop'] as const;
export const CODEX_HOOK_MARKER = ' hook --agent codex';

type Json = Record<string, any>;

const isOurs = (command: unknown): boolean =>
  typeof command === 'string' &&
  /(agent-track|subagent-tracking|bin\.cjs)/.test(command) &&
  command.endsWith(CODEX_HOOK_MARKER);

/** The command Codex runs: node on the installed binary (absolute: Codex runs hooks from the session's cwd). */
export const codexHookCommand = (binPath: string): string =>
  `node ${JSON.stringify(binPath)}${CODEX_HOOK_MARKER}`;

/** hooks.json without our entries (a person's own hooks are kept as they are). */
function withoutOurs(doc: Json): { doc: Json; removed: number } {
  let removed = 0;
  const hooks: Json = { ...(doc.hooks ?? {}) };
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    const kept = groups
      .map((g: Json) => {
        if (!Array.isArray(g?.hooks)) return g;
        const h = g.hooks.filter((x: Json) => !isOurs(x?.command));
        removed += g.hooks.length - h.length;
        return { ...g, hooks: h };
      })
      .filter((g: Json) => !Array.isArray(g?.hooks) || g.hooks.length > 0);
    if (kept.length) hooks[event] = kept;
    else delete hooks[event];
  }
  return { doc: { ...doc, hooks }, removed };
}

function readDoc(file: string): Json {
  if (!fs.existsSync(file)) return {};
  const text = fs.readFileSync(file, 'utf8');
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {}
  throw new Error(`${file} is not a JSON object; fix or remove it, then run init again`);
}

function writeDoc(file: string, doc: Json): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

export interface CodexInstallResult {
  hooksFile: string;
  changed: boolean;
  command: string;
  /** Our hooks Codex now trusts (after this run). */
  trusted: number;
  /** The project was marked trusted in Codex's config (project hooks load only in trusted projects). */
  projectTrusted?: boolean;
  /** Why they could not be trusted here (Codex not found, its app-server failed): what to do instead. */
  trustWarning: string | null;
}

/** The Codex binary: $AGENT_TRACK_CODEX, the project's node_modules/.bin/codex, else `codex` on PATH. */
export function findCodex(workTree: string, env = process.env): string | null {
  if (env.AGENT_TRACK_CODEX) return env.AGENT_TRACK_CODEX;
  const local = path.join(workTree, 'node_modules', '.bin', 'codex');
  if (fs.existsSync(local)) return local;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'codex');
    if (dir && fs.existsSync(p)) return p;
  }
  return null;
}

/** Writes our entries into `<repo>/.codex/hooks.json` and has Codex trust them. */
export async function installCodexHooks(workTree: string, binPath: string): Promise<CodexInstallResult> {
  const hooksFile = path.join(workTree, '.codex', 'hooks.json');
  const command = codexHookCommand(binPath);
  const before = readDoc(hooksFile);
  const { doc } = withoutOurs(before);
  for (const event of CODEX_HOOK_EVENTS) {
    const groups = Array.isArray(doc.hooks[event]) ? doc.hooks[event] : [];
    doc.hooks[event] = [...groups, { hooks: [{ type: 'command', command, timeout: 30 }] }];
  }
  const changed = JSON.stringify(doc) !== JSON.stringify(before);
  if (changed) writeDoc(hooksFile, doc);
  const codex = findCodex(workTree);
  if (!codex)
    return {
      hooksFile,
      changed,
      command,
      trusted: 0,
      trustWarning:
        'Codex CLI not found (set AGENT_TRACK_CODEX to its binary): trust the hooks in Codex (/hooks) or run init --agent codex again',
    };
  try {
    const { trusted, projectTrusted } = await trustOurHooks(codex, workTree);
    return {
      hooksFile,
      changed,
      command,
      trusted,
      projectTrusted,
      trustWarning: trusted
        ? null
        : 'Codex lists none of our hooks for this project: trust them in Codex (/hooks)',
    };
  } catch (e) {
    return {
      hooksFile,
      changed,
      command,
      trusted: 0,
      trustWarning: `Codex could not trust the hooks (${(e as Error).message}): trust them in Codex (/hooks)`,
    };
  }
}

/** Removes our entries from `<repo>/.codex/hooks.json` (Codex's trust record of them stays, unused). */
export function uninstallCodexHooks(workTree: string): { hooksFile: string; removed: number } {
  const hooksFile = path.join(workTree, '.codex', 'hooks.json');
  if (!fs.existsSync(hooksFile)) return { hooksFile, removed: 0 };
  const { doc, removed } = withoutOurs(readDoc(hooksFile));
  if (removed) writeDoc(hooksFile, doc);
  return { hooksFile, removed };
}

/**
 * Through `codex app-server`: lists the hooks Codex sees for the work tree and records the trust of
 * ours that are not trusted yet. Returns how many of ours are trusted afterwards.
 */
export async function trustOurHooks(
  codex: string,
  workTree: string,
  timeoutMs = 30_000,
): Promise<{ trusted: number; projectTrusted: boolean }> {
  let projectTrusted = false;
  const child = spawn(codex, ['app-server'], { cwd: workTree, stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map<number, (m: Json) => void>();
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const m = JSON.parse(line);
        if (typeof m?.id === 'number' && waiting.has(m.id)) {
          waiting.get(m.id)!(m);
          waiting.delete(m.id);
        }
      } catch {}
    }
  });
  // the process failing to start, or exiting before it answered: every pending call fails with it
  const fail = new Promise<never>((_, reject) => {
    child.on('error', (e) => reject(e));
    child.on('exit', (code) => reject(new Error(`codex app-server exited (${code})`)));
  });
  fail.catch(() => {});
  let next = 0;
  const call = (method: string, params: Json): Promise<Json> => {
    const id = ++next;
    const answer = new Promise<Json>((resolve) => waiting.set(id, resolve));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return Promise.race([answer, fail]).then((m) => {
      if (m.error) throw new Error(`${method}: ${m.error.message ?? JSON.stringify(m.error)}`);
      return m.result;
    });
  };
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    await call('initialize', { clientInfo: { name: 'agent-track', version: '0.1.0' } });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'initialized' })}\n`);
    const ours = async () =>
      ((await call('hooks/list', { cwds: [workTree] }))?.data ?? [])
        .flatMap((d: Json) => (Array.isArray(d?.hooks) ? d.hooks : []))
        .filter((h: Json) => isOurs(h?.command));
    let list = await ours();
    if (!list.length && fs.existsSync(path.join(workTree, '.codex', 'hooks.json'))) {
      // Codex loads a project's .codex/ only when the project is trusted: running init here says it is
      await call('config/batchWrite', {
        edits: [
          {
            keyPath: `projects.${JSON.stringify(workTree)}.trust_level`,
            value: 'trusted',
            mergeStrategy: 'upsert',
          },
        ],
      });
      projectTrusted = true;
      list = await ours();
    }
    const edits = list
      .filter((h: Json) => h.trustStatus !== 'trusted' && typeof h.currentHash === 'string')
      .map((h: Json) => ({
        keyPath: `hooks.state.${JSON.stringify(h.key)}.trusted_hash`,
        value: h.currentHash,
        mergeStrategy: 'upsert',
      }));
    if (edits.length) await call('config/batchWrite', { edits });
    return {
      trusted: (await ours()).filter((h: Json) => h.trustStatus === 'trusted').length,
      projectTrusted,
    };
  } finally {
    clearTimeout(timer);
    child.kill();
  }
}
