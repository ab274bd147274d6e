/** Entry of `agent-track hook`: read stdin, record, exit 0 whatever happens. */
import { readStdin, runHook } from '../src/capture/hook.js';

/** `bin` is the agent-track script, used to start the background flush. */
export function main(bin: string): void {
  const flushCommand = process.env.AGENT_TRACK_NO_FLUSH
    ? undefined
    : [process.execPath, bin, 'flush', '--background'];
  // `hook --agent codex`: the payload is Codex CLI's (its hooks.json names the agent)
  const at = process.argv.indexOf('--agent');
  const agent = at > 0 ? process.argv[at + 1] : undefined;
  readStdin()
    .then((input) =>
      runHook({ input, cwd: process.cwd(), flushCommand, trackCommand: [process.execPath, bin], agent }),
    )
    // runHook records its own failures; nothing may escape to Claude Code
    .catch(() => {})
    .finally(() => {
      process.exitCode = 0;
    });
}
