/**
 * Loads `.agent-tracking.yml`. The hook must not pay for a YAML parser on every call, so the parsed
 * config is cached as JSON beside the spool, keyed by the file's size and mtime.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG, normalizeConfig, type TrackingConfig } from '../model/config.js';
import { configureRedaction } from '../model/redact.js';
import { writeFileDurable } from './fsutil.js';
import { adoptOwnership } from './owner.js';
import type { RepoPaths } from './paths.js';

export async function loadConfig(paths: RepoPaths): Promise<TrackingConfig> {
  const file = path.join(paths.workTree, CONFIG_FILE);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    configureRedaction(DEFAULT_CONFIG.redaction);
    return DEFAULT_CONFIG;
  }
  const key = `${st.size}:${st.mtimeMs}`;
  const cacheFile = path.join(paths.trackingDir, 'config-cache.json');
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    if (cached.key === key && cached.file === file) {
      // normalized again: a cache written by an older version may lack newer keys (redaction.allow)
      const config = normalizeConfig(cached.config);
      configureRedaction(config.redaction);
      return config;
    }
  } catch {
    // no cache yet
  }
  const { parse } = await import('yaml');
  let config: TrackingConfig;
  try {
    config = normalizeConfig(parse(fs.readFileSync(file, 'utf8')));
  } catch {
    config = DEFAULT_CONFIG;
  }
  try {
    // not in a repository we may not write (another user's, unless safe.directory says so)
    adoptOwnership(paths.commonDir, paths.workTree);
    writeFileDurable(cacheFile, JSON.stringify({ key, file, config }), { fsync: false });
  } catch {
    // read-only .git: parse again next time
  }
  configureRedaction(config.redaction);
  return config;
}

/**
 * After `phase start` / `phase end`: `.agent-tracking.yml`'s `phase:` names the new phase, so new
 * sessions are recorded under it. Only that line changes (the rest of the file byte for byte); a
 * file without a `phase:` line gets none (the branch's current phase is then the default).
 */
export function setConfigPhase(paths: RepoPaths, phase: string): boolean {
  const file = path.join(paths.workTree, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const re = /^phase:[ \t]*([^\s#]*)([ \t]*(#.*)?)$/m;
  const m = re.exec(text);
  if (!m || m[1] === phase) return false;
  fs.writeFileSync(file, text.replace(re, `phase: ${phase}$2`));
  return true;
}
