/**
 * Entry of `agent-track statusline` (dist/statusline.cjs): stdin JSON -> one line. Loaded by bin.cjs
 * for `agent-track statusline`, or started directly (the statusLine command init writes), which
 * skips loading the hook's bundle.
 */
import { statuslineMain } from '../src/capture/statusline.js';

function readStdin(): Promise<string> {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) return resolve('');
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export function main(): void {
  readStdin()
    .then((input) => statuslineMain(input, process.cwd()))
    .then((line) => {
      if (line) process.stdout.write(`${line}\n`);
    })
    // a status line that fails shows nothing; it never breaks the session
    .catch(() => {})
    .finally(() => {
      process.exitCode = 0;
    });
}

if (require.main === module) main();
