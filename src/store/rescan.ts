/**
 * What `push` is about to send, searched again with the redactor's full pass: every blob and commit
 * reachable from the tip that the remote's known refs do not reach. A secret that got onto the branch
 * by any path (an older version, a hand-made commit, a merge from another clone) stops the push here:
 * git history is forever, and once pushed it is everyone's. Findings name the object, its path and
 * the kind, never the value.
 */
import { execFileSync } from 'node:child_process';
import { findSecrets } from '../model/redact.js';
import type { RepoPaths } from './paths.js';

export interface OutgoingFinding {
  /** The object's id. */
  object: string;
  type: 'blob' | 'commit';
  /** The blob's path on the branch (the first one it has), or null for a commit message. */
  path: string | null;
  line: number;
  kind: string;
}

const git = (paths: RepoPaths, args: string[], input?: string) =>
  execFileSync('git', args, {
    cwd: paths.workTree,
    input,
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'pipe'],
  });

/** The tips of the remote's branches this clone knows (its remote-tracking refs). */
function remoteTips(paths: RepoPaths, remote: string): string[] {
  if (!/^[\w.-]+$/.test(remote)) return []; // a URL: no remote-tracking refs, everything is new to it
  return git(paths, ['for-each-ref', '--format=%(objectname)', `refs/remotes/${remote}/`])
    .toString('utf8')
    .split('\n')
    .filter(Boolean);
}

/** Searches every object the push of `tip` to `remote` would send; returns what it found. */
export function rescanOutgoing(paths: RepoPaths, tip: string, remote: string): OutgoingFinding[] {
  const exclude = remoteTips(paths, remote).map((oid) => `^${oid}`);
  const listed = git(paths, ['rev-list', '--objects', tip, ...exclude])
    .toString('utf8')
    .split('\n')
    .filter(Boolean);
  const pathOf = new Map<string, string | null>();
  for (const line of listed) {
    const sp = line.indexOf(' ');
    const oid = sp < 0 ? line : line.slice(0, sp);
    if (!pathOf.has(oid)) pathOf.set(oid, sp < 0 ? null : line.slice(sp + 1));
  }
  if (!pathOf.size) return [];
  const out = git(paths, ['cat-file', '--batch'], `${[...pathOf.keys()].join('\n')}\n`);
  const findings: OutgoingFinding[] = [];
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(10, pos);
    const [oid, type, size] = out.subarray(pos, nl).toString('utf8').split(' ');
    const start = nl + 1;
    const end = start + Number(size);
    pos = end + 1;
    if (type !== 'blob' && type !== 'commit') continue;
    const body = out.subarray(start, end);
    // a commit's message only (its header holds ids and the author); binary blobs are read as Latin-1
    let text = body.toString('utf8');
    if (Buffer.byteLength(text) !== body.length) text = body.toString('latin1');
    if (type === 'commit') text = text.slice(text.indexOf('\n\n') + 2);
    for (const f of findSecrets(text, { pass: 'full' }))
      findings.push({
        object: oid,
        type,
        path: pathOf.get(oid) ?? null,
        line: text.slice(0, f.start).split('\n').length,
        kind: f.kind,
      });
  }
  return findings;
}

/** One line per finding, for the refusal: where and what kind, never the value. */
export function describeFindings(findings: OutgoingFinding[], max = 10): string {
  const lines = findings
    .slice(0, max)
    .map((f) =>
      f.type === 'commit'
        ? `  commit ${f.object.slice(0, 12)} message, line ${f.line}: ${f.kind}`
        : `  ${f.path ?? '(no path)'} (blob ${f.object.slice(0, 12)}), line ${f.line}: ${f.kind}`,
    );
  if (findings.length > max) lines.push(`  … and ${findings.length - max} more`);
  return lines.join('\n');
}
