/**
 * `agent-track backup` and `agent-track auth drive`, driven through the real binary against a local
 * stand-in of the Drive v3 API and Google's token endpoint (test/lib/fake-drive.ts).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import {
  BIN,
  cleanupTmp,
  flushNow,
  git,
  makeRepo,
  type Run,
  recordSprint,
  tmpDir,
  track,
  trackAsync,
} from '../lib/cli.js';
import { FakeDrive, FOLDER } from '../lib/fake-drive.js';

const OTHER_SESSION = 'aaaaaaaa-1111-4222-8333-444444444444';

let drive: FakeDrive;
let repo: string;

const baseEnv = (): NodeJS.ProcessEnv => ({
  AGENT_TRACK_DRIVE_ROOT_URL: `${drive.url}/`,
  AGENT_TRACK_GOOGLE_TOKEN_URL: `${drive.url}/token`,
  AGENT_TRACK_DRIVE_CLIENT_ID: 'test-client',
  AGENT_TRACK_DRIVE_CLIENT_SECRET: 'test-secret',
  AGENT_TRACK_DRIVE_REFRESH_TOKEN: 'good-refresh-token',
  AGENT_TRACK_DRIVE_RETRY_MS: '20',
  GOOGLE_APPLICATION_CREDENTIALS: '',
});

/** A hook payload of a second, small session. */
function otherPayload(event: Record<string, unknown>): string {
  return JSON.stringify({
    session_id: OTHER_SESSION,
    transcript_path: path.join(path.dirname(repo), 'home', 'none.jsonl'),
    cwd: repo,
    ...event,
  });
}

function hook(payload: string): void {
  expect(track(repo, ['hook'], payload, { AGENT_TRACK_NO_FLUSH: '1' }).status).toBe(0);
}

async function backup(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Run & { json: any }> {
  const r = await trackAsync(repo, ['backup', '--json', ...args], undefined, { ...baseEnv(), ...env });
  let json: any = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = null;
  }
  if (r.status !== 0) throw new Error(`backup failed (${r.status}): ${r.stderr}${r.stdout}`);
  return { ...r, json };
}

/** Every file under phases/<p>/ of the branch, for the given phases, as Drive should hold it. */
function branchFiles(phases: string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const p of phases) {
    const list = git(repo, ['ls-tree', '-r', '--name-only', 'agent-tracking', '--', `phases/${p}/`])
      .split('\n')
      .filter(Boolean);
    for (const f of list)
      out.set(
        `${p}/${f.slice(`phases/${p}/`.length)}`,
        git(repo, ['show', `agent-tracking:${f}`], {
          encoding: 'buffer',
          maxBuffer: 64 * 1024 * 1024,
        }) as unknown as Buffer,
      );
  }
  return out;
}

function repoFolderOnDrive() {
  const f = drive.folderAt('agent-tracking/acme-proj');
  if (!f) throw new Error('no agent-tracking/acme-proj folder on the stand-in');
  return f;
}

function expectDriveMirrors(phases: string[]): void {
  const onDrive = drive.tree(repoFolderOnDrive().id);
  const expected = branchFiles(phases);
  expect([...onDrive.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [p, content] of expected) expect(onDrive.get(p)?.equals(content)).toBe(true);
}

function phaseNames(): { previous: string; current: string } {
  const list = JSON.parse(track(repo, ['phase', 'list', '--json']).stdout) as Array<{
    name: string;
    current: boolean;
  }>;
  const i = list.findIndex((p) => p.current);
  return { previous: list[i - 1].name, current: list[i].name };
}

/** A file onto the branch tip with git plumbing (as another tool, or the archive command, would). */
function commitFile(file: string, content: string | Buffer): void {
  const blob = git(repo, ['hash-object', '-w', '--stdin'], { input: content }).trim();
  const env = { ...process.env, GIT_INDEX_FILE: path.join(tmpDir('at-index-'), 'index') };
  git(repo, ['read-tree', 'agent-tracking'], { env });
  git(repo, ['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`], { env });
  const tree = git(repo, ['write-tree'], { env }).trim();
  const parent = git(repo, ['rev-parse', 'agent-tracking']).trim();
  const commit = git(repo, ['commit-tree', tree, '-p', parent, '-m', `add ${file}`]).trim();
  git(repo, ['update-ref', 'refs/heads/agent-tracking', commit, parent]);
}

/** ARCHIVED.json as the archive command leaves it once every object is verified in S3. */
function writeArchived(phase: string): void {
  const record = { phase, manifestKey: `agent-tracking/phase=${phase}/manifest.json`, bucket: 'test-bucket' };
  commitFile(`phases/${phase}/ARCHIVED.json`, JSON.stringify(record));
}

beforeAll(async () => {
  drive = await new FakeDrive().start();
  repo = makeRepo();
  git(repo, ['remote', 'add', 'origin', 'git@github.com:acme/proj.git']);
  expect(track(repo, ['init', '--yes']).status).toBe(0);
  recordSprint(repo);
  const ended = track(repo, ['phase', 'end', '--no-review', '--json']);
  expect(ended.status).toBe(0);
  hook(otherPayload({ hook_event_name: 'SessionStart', source: 'startup' }));
  hook(otherPayload({ hook_event_name: 'UserPromptSubmit', prompt: 'second phase: tidy the docs' }));
  expect(flushNow(repo).status).toBe(0);
});

afterAll(async () => {
  await drive?.stop();
  await cleanupTmp();
});

describe('agent-track backup', () => {
  test('uploads both phases byte for byte: small files multipart, large ones resumable in chunks', async () => {
    const { previous, current } = phaseNames();
    const expected = branchFiles([previous, current]);
    expect(expected.size).toBeGreaterThan(5);
    const big = [...expected.values()].filter((b) => b.length > 2000).length;
    expect(big).toBeGreaterThan(0);

    const r = await backup(['--resumable-over', '2000'], { AGENT_TRACK_DRIVE_CHUNK_BYTES: '1024' });
    expect(r.json).toMatchObject({
      uploaded: expected.size,
      updated: 0,
      unchanged: 0,
      removedPhases: [],
      keptUnarchived: [],
    });
    expect(r.json.bytes).toBe([...expected.values()].reduce((a, b) => a + b.length, 0));
    expectDriveMirrors([previous, current]);

    const resumableStarts = drive.requests.filter(
      (q) => q.query.get('uploadType') === 'resumable' && q.method === 'POST',
    );
    expect(resumableStarts).toHaveLength(big);
    expect(drive.requests.filter((q) => q.query.get('uploadType') === 'multipart')).toHaveLength(
      expected.size - big,
    );
    // chunks of 1024 bytes with Content-Range, never more
    const chunks = drive.requests.filter((q) => q.method === 'PUT' && q.query.has('upload_id'));
    expect(chunks.length).toBeGreaterThan(big);
    for (const c of chunks) {
      expect(c.headers['content-range']).toMatch(/^bytes \d+-\d+\/\d+$/);
      expect(c.body.length).toBeLessThanOrEqual(1024);
    }
    // the root folder is a folder in My Drive's root; lists stay in the user's own corpus
    expect(drive.folderAt('agent-tracking')?.mimeType).toBe(FOLDER);
    for (const l of drive.requests.filter((q) => q.method === 'GET'))
      expect(l.query.get('corpora')).toBe('user');
  });

  test('a second run uploads nothing', async () => {
    const before = drive.requests.length;
    const r = await backup();
    expect(r.json).toMatchObject({ uploaded: 0, updated: 0, bytes: 0 });
    expect(r.json.unchanged).toBe(branchFiles(Object.values(phaseNames())).size);
    // the stand-in pages by 4: the walk followed nextPageToken
    expect(drive.requests.slice(before).some((q) => q.query.get('pageToken'))).toBe(true);
    expect(drive.requests.slice(before).filter((q) => q.method !== 'GET' && q.path !== '/token')).toEqual([]);
  });

  test('a changed file is updated in place, a new one created, nothing else sent', async () => {
    const { previous, current } = phaseNames();
    const tipBefore = git(repo, ['rev-parse', 'agent-tracking']).trim();
    hook(otherPayload({ hook_event_name: 'UserPromptSubmit', prompt: 'and now the changelog' }));
    hook(otherPayload({ hook_event_name: 'Stop' }));
    expect(flushNow(repo).status).toBe(0);
    const changes = git(repo, ['diff', '--name-status', tipBefore, 'agent-tracking', '--', 'phases/'])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t'));
    const added = changes.filter(([s]) => s === 'A').map(([, f]) => f);
    const modified = changes.filter(([s]) => s === 'M').map(([, f]) => f);
    expect(added.length).toBeGreaterThan(0);
    expect(modified.length).toBeGreaterThan(0);

    const idsBefore = new Map([...drive.files.values()].map((f) => [f.id, f.name]));
    const before = drive.requests.length;
    const r = await backup();
    expect(r.json).toMatchObject({ uploaded: added.length, updated: modified.length });
    const writes = drive.requests.slice(before).filter((q) => q.method !== 'GET' && q.path !== '/token');
    const updates = writes.filter((q) => q.method === 'PATCH');
    expect(updates).toHaveLength(modified.length);
    // updated in place: the same file ids as before
    for (const u of updates) expect(idsBefore.has(u.fileId!)).toBe(true);
    expect(updates.map((u) => idsBefore.get(u.fileId!)).sort()).toEqual(
      modified.map((f) => path.basename(f)).sort(),
    );
    const uploads = writes.filter((q) => q.query.get('uploadType') === 'multipart' && q.method === 'POST');
    expect(uploads).toHaveLength(added.length);
    expectDriveMirrors([previous, current]);
  });

  test('a connection dropped in the middle of an upload is retried, multipart and resumable', async () => {
    const names = phaseNames();
    hook(otherPayload({ hook_event_name: 'UserPromptSubmit', prompt: 'one more thing' }));
    expect(flushNow(repo).status).toBe(0);
    drive.dropNext = 'multipart';
    const dropped = drive.dropped;
    const r = await backup();
    expect(drive.dropped).toBe(dropped + 1);
    expect(r.json.uploaded + r.json.updated).toBeGreaterThan(0);
    expectDriveMirrors(Object.values(names));

    hook(otherPayload({ hook_event_name: 'UserPromptSubmit', prompt: 'x'.repeat(3000) }));
    expect(flushNow(repo).status).toBe(0);
    drive.dropNext = 'chunk';
    const r2 = await backup(['--resumable-over', '100'], { AGENT_TRACK_DRIVE_CHUNK_BYTES: '1000' });
    expect(drive.dropped).toBe(dropped + 2);
    expect(r2.json.uploaded + r2.json.updated).toBeGreaterThan(0);
    // after the drop the client asked the session how far it got, and went on from there (not from 0)
    const resumed = drive.requests.filter(
      (q) => q.method === 'PUT' && /^bytes \d+-/.test(String(q.headers['content-range'])),
    );
    expect(
      resumed.some((q) => Number(/^bytes (\d+)-/.exec(String(q.headers['content-range']))![1]) % 1000 !== 0),
    ).toBe(true);
    expect(
      drive.requests.some(
        (q) => q.method === 'PUT' && /^bytes \*\/\d+$/.test(String(q.headers['content-range'])),
      ),
    ).toBe(true);
    expectDriveMirrors(Object.values(names));
  });

  test('--dry-run lists what would be uploaded and changes nothing', async () => {
    hook(otherPayload({ hook_event_name: 'UserPromptSubmit', prompt: 'dry run please' }));
    expect(flushNow(repo).status).toBe(0);
    const before = drive.requests.length;
    const r = await backup(['--dry-run']);
    expect(r.json.dryRun).toBe(true);
    expect(r.json.wouldUpload.length).toBe(r.json.uploaded + r.json.updated);
    expect(r.json.wouldUpload.length).toBeGreaterThan(0);
    expect(r.json.wouldUpload.every((p: string) => p.startsWith(`${phaseNames().current}/`))).toBe(true);
    expect(drive.requests.slice(before).filter((q) => q.method !== 'GET' && q.path !== '/token')).toEqual([]);
    await backup(); // bring Drive up to date for what follows
  });

  test('a file over 5 MB goes as a resumable upload by default, in chunks, byte for byte', async () => {
    const names = phaseNames();
    const big = randomBytes(6 * 1024 * 1024 + 123);
    commitFile(`phases/${names.current}/big.bin`, big);
    const before = drive.requests.length;
    const r = await backup([], { AGENT_TRACK_DRIVE_CHUNK_BYTES: String(1024 * 1024) });
    expect(r.json).toMatchObject({ uploaded: 1, updated: 0, bytes: big.length });
    const sent = drive.requests.slice(before);
    expect(sent.filter((q) => q.method === 'POST' && q.query.get('uploadType') === 'resumable')).toHaveLength(
      1,
    );
    expect(sent.filter((q) => q.query.get('uploadType') === 'multipart')).toEqual([]);
    expect(sent.filter((q) => q.method === 'PUT' && q.query.has('upload_id'))).toHaveLength(7);
    expectDriveMirrors(Object.values(names));
  });

  test('retention: an older phase stays until ARCHIVED.json is on the branch, then leaves Drive', async () => {
    const { previous, current } = phaseNames();
    const r = await backup(['--keep', '0']);
    expect(r.json.keptUnarchived).toEqual([previous]);
    expect(r.json.removedPhases).toEqual([]);
    expectDriveMirrors([previous, current]);

    writeArchived(previous);
    const before = drive.requests.length;
    const phaseFolder = drive.folderAt(`agent-tracking/acme-proj/${previous}`)!;
    const r2 = await backup(['--keep', '0']);
    expect(r2.json.removedPhases).toEqual([previous]);
    expect(r2.json.keptUnarchived).toEqual([]);
    const deletes = drive.requests.slice(before).filter((q) => q.method === 'DELETE');
    expect(deletes.map((d) => d.fileId)).toEqual([phaseFolder.id]);
    expectDriveMirrors([current]);
  });

  test('a Shared Drive: the root folder in it, its corpus for lists, supportsAllDrives on every call', async () => {
    const before = drive.requests.length;
    const r = await backup(['--shared-drive', 'shared-drive-1']);
    const { previous, current } = phaseNames();
    expect(r.json.uploaded).toBe(branchFiles([previous, current]).size);
    const folder = drive.folderAt('agent-tracking/acme-proj', 'shared-drive-1')!;
    expect(new Set(drive.tree(folder.id).keys())).toEqual(new Set(branchFiles([previous, current]).keys()));
    const sent = drive.requests.slice(before).filter((q) => q.path !== '/token');
    for (const q of sent.filter((x) => x.method === 'GET'))
      expect(Object.fromEntries(q.query)).toMatchObject({
        corpora: 'drive',
        driveId: 'shared-drive-1',
        includeItemsFromAllDrives: 'true',
        supportsAllDrives: 'true',
      });
    for (const q of sent.filter((x) => x.method !== 'GET' && !x.query.has('upload_id')))
      expect(q.query.get('supportsAllDrives')).toBe('true');
  });

  test('missing credentials: one line naming the variables, exit 1, no request', async () => {
    const before = drive.requests.length;
    const r = await trackAsync(repo, ['backup'], undefined, {
      ...baseEnv(),
      AGENT_TRACK_DRIVE_CLIENT_ID: '',
      AGENT_TRACK_DRIVE_CLIENT_SECRET: '',
      AGENT_TRACK_DRIVE_REFRESH_TOKEN: '',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /AGENT_TRACK_DRIVE_CLIENT_ID.*AGENT_TRACK_DRIVE_CLIENT_SECRET.*AGENT_TRACK_DRIVE_REFRESH_TOKEN/,
    );
    expect(drive.requests.length).toBe(before);
  });

  test('a service account without a Shared Drive: the quota message, no request', async () => {
    const before = drive.requests.length;
    const r = await trackAsync(repo, ['backup'], undefined, {
      ...baseEnv(),
      AGENT_TRACK_DRIVE_CLIENT_ID: '',
      AGENT_TRACK_DRIVE_CLIENT_SECRET: '',
      AGENT_TRACK_DRIVE_REFRESH_TOKEN: '',
      GOOGLE_APPLICATION_CREDENTIALS: path.join(tmpDir(), 'sa.json'),
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/service account has no Drive storage quota/);
    expect(r.stderr).toMatch(/backup\.sharedDriveId/);
    expect(r.stderr).toMatch(/--shared-drive/);
    expect(drive.requests.length).toBe(before);
  });

  test('refused credentials: one line, exit 1', async () => {
    const r = await trackAsync(repo, ['backup'], undefined, {
      ...baseEnv(),
      AGENT_TRACK_DRIVE_REFRESH_TOKEN: 'revoked-token',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/refused the Drive credentials/);
  });
});

describe('agent-track auth drive', () => {
  test('the loopback flow: consent URL with PKCE and state, redirect, code exchange, token printed', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'auth', 'drive', '--no-open', '--client-id', 'desk-client', '--client-secret', 'desk-secret'],
      {
        cwd: repo,
        env: { ...process.env, AGENT_TRACK_GOOGLE_TOKEN_URL: `${drive.url}/token` },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    const consent = await new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stderr}`)), 30_000);
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = /https:\/\/\S+/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(new URL(m[0]));
        }
      });
    });
    const closed = new Promise<number | null>((r) => child.on('close', r));
    const q = consent.searchParams;
    expect(q.get('client_id')).toBe('desk-client');
    expect(q.get('scope')).toBe('https://www.googleapis.com/auth/drive.file');
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('prompt')).toBe('consent');
    expect(q.get('response_type')).toBe('code');
    expect(q.get('code_challenge_method')).toBe('S256');
    const redirect = q.get('redirect_uri')!;
    expect(redirect).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const state = q.get('state')!;
    expect(state.length).toBeGreaterThan(16);

    // a request with another state is refused, and the flow keeps waiting
    const wrong = await fetch(`${redirect}?code=evil&state=not-ours`);
    expect(wrong.status).toBe(400);
    const ok = await fetch(`${redirect}?code=the-auth-code&state=${encodeURIComponent(state)}`);
    expect(ok.status).toBe(200);
    expect(await closed).toBe(0);

    const exchange = drive.tokenRequests.filter((t) => t.grant_type === 'authorization_code');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]).toMatchObject({
      code: 'the-auth-code',
      client_id: 'desk-client',
      client_secret: 'desk-secret',
      redirect_uri: redirect,
    });
    const verifier = exchange[0].code_verifier;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(q.get('code_challenge'));
    expect(stdout).toContain(`export AGENT_TRACK_DRIVE_REFRESH_TOKEN='${drive.issuedRefreshToken}'`);
    expect(stderr).not.toContain(drive.issuedRefreshToken);
  });

  test('without a client id: one line naming what to set, exit 1', async () => {
    const r = await trackAsync(repo, ['auth', 'drive', '--no-open'], undefined, {
      AGENT_TRACK_DRIVE_CLIENT_ID: '',
      AGENT_TRACK_DRIVE_CLIENT_SECRET: '',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--client-id.*AGENT_TRACK_DRIVE_CLIENT_ID/);
  });
});
