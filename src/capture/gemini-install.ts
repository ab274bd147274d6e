/**
 * `init --agent gemini`: Gemini CLI's hooks for this repository, in `<repo>/.gemini/settings.json`
 * (Gemini CLI 0.61 reads a project's settings beside the user's; its hooks take Claude Code's shape:
 * event -> [{ hooks: [{ type: 'command', command }] }]). Other settings and a person's own hooks stay.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Gemini CLI's hook events we record: the start (where the chat is), each turn's end, the end. */
export const GEMINI_HOOK_EVENTS = ['SessionStart', 'AfterAgent', 'SessionEnd'] as const;
export const GEMINI_HOOK_MARKER = ' hook --agent gemini';

type Json = Record<string, any>;

const isOurs = (command: unknown): boolean =>
  typeof command === 'string' &&
  /(agent-track|subagent-tracking|bin\.cjs)/.test(command) &&
  command.endsWith(GEMINI_HOOK_MARKER);

export const geminiHookCommand = (binPath: string): string =>
  `node ${JSON.stringify(binPath)}${GEMINI_HOOK_MARKER}`;

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

export function installGeminiHooks(
  workTree: string,
  binPath: string,
): { settingsFile: string; changed: boolean; command: string } {
  const settingsFile = path.join(workTree, '.gemini', 'settings.json');
  const command = geminiHookCommand(binPath);
  const before = readDoc(settingsFile);
  const { doc } = withoutOurs(before);
  for (const event of GEMINI_HOOK_EVENTS) {
    const groups = Array.isArray(doc.hooks[event]) ? doc.hooks[event] : [];
    doc.hooks[event] = [...groups, { hooks: [{ type: 'command', command }] }];
  }
  const changed = JSON.stringify(doc) !== JSON.stringify(before);
  if (changed) writeDoc(settingsFile, doc);
  return { settingsFile, changed, command };
}

export function uninstallGeminiHooks(workTree: string): { settingsFile: string; removed: number } {
  const settingsFile = path.join(workTree, '.gemini', 'settings.json');
  if (!fs.existsSync(settingsFile)) return { settingsFile, removed: 0 };
  const { doc, removed } = withoutOurs(readDoc(settingsFile));
  if (removed) writeDoc(settingsFile, doc);
  return { settingsFile, removed };
}
