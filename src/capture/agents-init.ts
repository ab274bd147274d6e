/**
 * `init --agent <clis>`: which agent CLIs' hooks init installs (claude, codex, gemini; comma-separated). Kept
 * apart from install.ts (Claude Code's hooks, the branch, the config): this only adds or removes the
 * other agents' hooks around it, so one branch records every agent of the repository.
 */
import type { RepoPaths } from '../store/paths.js';
import { findCodex, installCodexHooks, uninstallCodexHooks } from './codex-install.js';
import { installGeminiHooks, uninstallGeminiHooks } from './gemini-install.js';

export const INIT_AGENTS = ['claude', 'codex', 'gemini'] as const;
export type InitAgent = (typeof INIT_AGENTS)[number];

/** `--agent` parsed: a comma-separated list of INIT_AGENTS (`claude-code` is `claude`); default Claude Code. */
export function parseAgents(value: string | undefined): InitAgent[] {
  if (value === undefined) return ['claude'];
  const out: InitAgent[] = [];
  for (const raw of value.split(',')) {
    const a = raw.trim().toLowerCase() === 'claude-code' ? 'claude' : raw.trim().toLowerCase();
    if (!(INIT_AGENTS as readonly string[]).includes(a))
      throw new Error(`--agent takes ${INIT_AGENTS.join(', ')} (comma-separated), not '${raw.trim()}'`);
    if (!out.includes(a as InitAgent)) out.push(a as InitAgent);
  }
  if (!out.length) throw new Error(`--agent takes ${INIT_AGENTS.join(', ')} (comma-separated)`);
  return out;
}

export interface AgentsInitResult {
  agents: InitAgent[];
  codex: Awaited<ReturnType<typeof installCodexHooks>> | null;
  gemini: ReturnType<typeof installGeminiHooks> | null;
  /** Lines for a person. */
  lines: string[];
}

/** Installs the hooks of the agents other than Claude Code (Claude Code's are install.ts's). */
export async function initAgents(
  paths: RepoPaths,
  binPath: string,
  agents: InitAgent[],
): Promise<AgentsInitResult> {
  const lines: string[] = [];
  let codex: AgentsInitResult['codex'] = null;
  let gemini: AgentsInitResult['gemini'] = null;
  if (agents.includes('gemini')) {
    gemini = installGeminiHooks(paths.workTree, binPath);
    lines.push(
      gemini.changed
        ? `Gemini CLI hooks written to ${gemini.settingsFile}`
        : `Gemini CLI hooks already in ${gemini.settingsFile}`,
    );
  }
  if (agents.includes('codex')) {
    codex = await installCodexHooks(paths.workTree, binPath);
    lines.push(
      codex.changed
        ? `Codex CLI hooks written to ${codex.hooksFile}`
        : `Codex CLI hooks already in ${codex.hooksFile}`,
    );
    if (codex.projectTrusted)
      lines.push(
        `marked ${paths.workTree} as a trusted project in Codex (it loads a project's hooks only then)`,
      );
    if (codex.trustWarning) lines.push(`warning: ${codex.trustWarning}`);
    else lines.push(`Codex trusts them (${codex.trusted} hook${codex.trusted === 1 ? '' : 's'})`);
  } else if (findCodex(paths.workTree)) {
    lines.push('Codex CLI is installed: `agent-track init --agent claude,codex` records its sessions too');
  }
  return { agents, codex, gemini, lines };
}

/** `init --uninstall --agent codex`: removes our Codex hooks. */
export const uninstallAgents = (paths: RepoPaths, agents: InitAgent[]) => ({
  codex: agents.includes('codex') ? uninstallCodexHooks(paths.workTree) : null,
  gemini: agents.includes('gemini') ? uninstallGeminiHooks(paths.workTree) : null,
});
