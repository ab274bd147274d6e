/** `init --agent <clis>`: init for the chosen agent CLIs (Claude Code's part is install.ts's, unchanged). */
import { type InitAgent, initAgents, uninstallAgents } from '../src/capture/agents-init.js';
import { initRepository, uninstallHooks } from '../src/capture/install.js';
import type { RepoPaths } from '../src/store/paths.js';

function out(v: unknown): void {
  process.stdout.write(`${typeof v === 'string' ? v : JSON.stringify(v, null, 2)}\n`);
}

export async function initWithAgents(
  paths: RepoPaths,
  bin: string,
  agents: InitAgent[],
  opts: { uninstall?: boolean; json?: boolean },
): Promise<void> {
  if (opts.uninstall) {
    const claude = agents.includes('claude') ? uninstallHooks(paths, bin) : null;
    const { codex, gemini } = uninstallAgents(paths, agents);
    if (opts.json) return out({ agents, claude, codex, gemini });
    return out(
      [
        claude
          ? `removed ${claude.removed} Claude Code hook entries and ${claude.commandsRemoved} slash commands`
          : '',
        codex ? `removed ${codex.removed} Codex CLI hook entries from ${codex.hooksFile}` : '',
        gemini ? `removed ${gemini.removed} Gemini CLI hook entries from ${gemini.settingsFile}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  // the branch, the config and the workflow are every agent's; Claude Code's hooks only when asked
  // (`plugin: true` is init's way of writing no Claude Code hooks or commands)
  const r = await initRepository(paths, bin, { plugin: !agents.includes('claude') });
  const a = await initAgents(paths, bin, agents);
  if (opts.json)
    return out({ ...r, claudeHooks: agents.includes('claude'), agents, codex: a.codex, gemini: a.gemini });
  out(
    [
      r.branchCreated
        ? `created branch agent-tracking (${r.tip.slice(0, 7)})`
        : `branch agent-tracking exists (${r.tip.slice(0, 7)})`,
      agents.includes('claude')
        ? r.settingsChanged
          ? `Claude Code hooks written to ${r.settingsFile}`
          : `Claude Code hooks already in ${r.settingsFile}`
        : '',
      ...a.lines,
      `Sessions of ${agents.map((x) => ({ claude: 'Claude Code', codex: 'Codex CLI', gemini: 'Gemini CLI' })[x]).join(' and ')} in this repository are recorded on one branch. Read them with \`agent-track sessions\`.`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
