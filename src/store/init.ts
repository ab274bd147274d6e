/** Creating the orphan agent-tracking branch with its first commit (the README index). */
import { redactForStore } from '../model/redact.js';
import { gitIdentity, ObjectStore } from './git.js';
import { renderIndex } from './layout.js';
import { updateRefCAS } from './lock.js';
import { adoptOwnership } from './owner.js';
import { assertWritableFormat, type RepoPaths, readRef, TRACKING_REF } from './paths.js';

/** Creates the branch if it does not exist; returns its tip and whether it was created. */
export async function ensureBranch(paths: RepoPaths): Promise<{ tip: string; created: boolean }> {
  assertWritableFormat(paths.commonDir);
  adoptOwnership(paths.commonDir, paths.workTree);
  const existing = readRef(paths.commonDir, TRACKING_REF);
  if (existing) return { tip: existing, created: false };
  const store = new ObjectStore(paths.commonDir);
  const readme = await store.writeBlob(redactForStore(renderIndex([])));
  const tree = await store.writeTree([{ mode: '100644', path: 'README.md', oid: readme, type: 'blob' }]);
  const commit = await store.writeCommit(
    tree,
    [],
    'agent-track: start the agent-tracking branch',
    gitIdentity(paths.workTree),
  );
  if (await updateRefCAS(paths.commonDir, TRACKING_REF, commit, null)) return { tip: commit, created: true };
  return { tip: readRef(paths.commonDir, TRACKING_REF)!, created: false };
}
