/**
 * Phases (a milestone, a sprint): `phases/<name>/phase.json` on the branch, so every clone agrees on
 * the current one. `phase end` writes the review into the phase's folder and opens the next phase.
 */
import { flushWithTranscripts } from '../capture/collect.js';
import { totals } from '../model/figures.js';
import type { PriceTable } from '../model/pricing.js';
import { redactForStore } from '../model/redact.js';
import type { SessionSummary } from '../model/session.js';
import { loadConfig } from '../store/config.js';
import { commitWith, currentPhase } from '../store/flush.js';
import { ObjectStore } from '../store/git.js';
import type { RepoPaths } from '../store/paths.js';
import { readRef, TRACKING_REF } from '../store/paths.js';
import { TrackingBranch } from '../store/reader.js';
import { TreeEditor } from '../store/tree.js';
import { openAnalytics } from './duckdb.js';
import { renderReview } from './render.js';
import { buildReview, type Review } from './review.js';

export interface PhaseInfo {
  name: string;
  started: string | null;
  ended: string | null;
  current: boolean;
  sessions: number;
  costUsd: number | null;
  unpricedTokens: number;
  reviewed: boolean;
  /** Moved to S3 by `archive` (its sessions left the branch tip; `archive restore` lays them back). */
  archived: boolean;
}

const NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

/** The name after `name`: its trailing number plus one (phase-1 -> phase-2), else `<name>-2`. */
export function nextPhaseName(name: string): string {
  const m = /^(.*?)(\d+)$/.exec(name);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${name}-2`;
}

async function branchTree(paths: RepoPaths): Promise<TreeEditor | null> {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) return null;
  const store = new ObjectStore(paths.commonDir);
  return new TreeEditor(store, (await store.readCommit(tip)).tree);
}

/** A phase's money, from the one derivation. */
const phaseMoney = (list: SessionSummary[], prices: PriceTable) => {
  const t = totals(list, prices);
  return { costUsd: t.costUsd, unpricedTokens: t.unpricedTokens };
};

export async function listPhases(paths: RepoPaths): Promise<PhaseInfo[]> {
  const branch = await TrackingBranch.open(paths);
  const tree = await branchTree(paths);
  const config = await loadConfig(paths);
  const current = (tree && (await currentPhase(tree))) ?? config.phase;
  const sessions = await branch.sessions();
  const out: PhaseInfo[] = [];
  const names = new Set<string>([current]);
  for (const e of (tree && (await tree.list('phases'))) ?? []) if (e.type === 'tree') names.add(e.path);
  for (const name of names) {
    let meta: { started?: string | null; ended?: string | null } = {};
    try {
      meta = JSON.parse((await branch.readFile(`phases/${name}/phase.json`)) ?? '{}');
    } catch {
      meta = {};
    }
    const mine = sessions.filter((s) => s.phase === name);
    out.push({
      name,
      started: meta.started ?? mine[0]?.started ?? null,
      ended: meta.ended ?? null,
      current: name === current,
      sessions: mine.length,
      ...phaseMoney(mine, branch.prices),
      reviewed: Boolean(tree && (await tree.list(`phases/${name}`))?.some((x) => x.path === 'review.json')),
      archived: Boolean(tree && (await tree.list(`phases/${name}`))?.some((x) => x.path === 'ARCHIVED.json')),
    });
  }
  return out.sort(
    (a, b) => (a.started ?? '9').localeCompare(b.started ?? '9') || a.name.localeCompare(b.name),
  );
}

async function commitBranchFiles(
  paths: RepoPaths,
  files: Array<{ path: string; content: string }>,
  message: string,
): Promise<void> {
  // the review and phase.json are built from the store, which holds redacted data only
  await commitWith(paths, {
    events: [],
    verify: [],
    message,
    branchFiles: files.map((f) => ({ path: f.path, content: redactForStore(f.content) })),
  });
}

const phaseJson = (name: string, started: string, ended: string | null) =>
  `${JSON.stringify({ name, started, ended }, null, 2)}\n`;

export async function startPhase(paths: RepoPaths, name: string): Promise<PhaseInfo> {
  if (!NAME.test(name)) throw new Error(`'${name}' is not a phase name (letters, digits, '.', '_', '-')`);
  await flushWithTranscripts(paths, { waitMs: 60_000 });
  const phases = await listPhases(paths);
  if (phases.some((p) => p.name === name))
    throw new Error(`phase '${name}' exists already (see \`agent-track phase list\`)`);
  const open = phases.find((p) => p.current && !p.reviewed && p.sessions > 0);
  if (open)
    throw new Error(
      `phase '${open.name}' is open with ${open.sessions} session${open.sessions === 1 ? '' : 's'}; end it first: agent-track phase end --next ${name}`,
    );
  // an open phase without sessions is replaced: it is closed with an empty review
  const files = [
    { path: `phases/${name}/phase.json`, content: phaseJson(name, new Date().toISOString(), null) },
  ];
  const current = phases.find((p) => p.current && !p.reviewed);
  if (current && current.started) {
    files.push({
      path: `phases/${current.name}/phase.json`,
      content: phaseJson(current.name, current.started, new Date().toISOString()),
    });
    files.push({ path: `phases/${current.name}/review.json`, content: '{"sessions":0}\n' });
  }
  await commitBranchFiles(
    paths,
    files,
    current?.started
      ? `agent-track: phase ${current.name} closed, phase ${name} started`
      : `agent-track: phase ${name} started`,
  );
  return (await listPhases(paths)).find((p) => p.name === name)!;
}

/** The review of a phase (default: the current one), without ending it. */
export async function reviewPhase(paths: RepoPaths, name?: string): Promise<Review> {
  await flushWithTranscripts(paths, { waitMs: 60_000 });
  const phases = await listPhases(paths);
  const target = name ?? phases.find((p) => p.current)?.name;
  const i = phases.findIndex((p) => p.name === target);
  if (i < 0) throw new Error(`no phase '${name}' (see \`agent-track phase list\`)`);
  const branch = await TrackingBranch.open(paths);
  const db = await openAnalytics(paths, branch);
  try {
    return await buildReview(db, phases[i].name, i > 0 ? phases[i - 1].name : null, branch);
  } finally {
    db.close();
  }
}

/** Each session's cost in time order: review.md's line chart. */
export async function sessionCosts(
  paths: RepoPaths,
  phase: string,
): Promise<Array<{ started: string; costUsd: number }>> {
  const branch = await TrackingBranch.open(paths);
  return (await branch.sessions())
    .filter((s) => s.phase === phase && s.started)
    .map((s) => ({ started: s.started as string, costUsd: s.costUsd ?? 0 }));
}

const reviewFiles = async (paths: RepoPaths, review: Review) => [
  { path: `phases/${review.phase}/review.json`, content: `${JSON.stringify(review, null, 2)}\n` },
  {
    path: `phases/${review.phase}/review.md`,
    content: renderReview(review, await sessionCosts(paths, review.phase)),
  },
];

/**
 * Ends the current phase and opens the next. With `review: false` the review is left to the Action
 * (`phases/<name>/ended.json` marks the phase ended: the open phase is told from tree entries alone).
 */
export async function endPhase(
  paths: RepoPaths,
  opts: { next?: string; review?: boolean } = {},
): Promise<{ ended: string; next: string; review: Review | null }> {
  const review = opts.review === false ? null : await reviewPhase(paths);
  if (!review) await flushWithTranscripts(paths, { waitMs: 60_000 });
  const phases = await listPhases(paths);
  const cur = phases.find((p) => p.current)!;
  const next = opts.next ?? nextPhaseName(cur.name);
  if (!NAME.test(next)) throw new Error(`'${next}' is not a phase name (letters, digits, '.', '_', '-')`);
  if (phases.some((p) => p.name === next))
    throw new Error(`phase '${next}' exists already; name the next one with --next`);
  const now = new Date().toISOString();
  await commitBranchFiles(
    paths,
    [
      ...(review
        ? await reviewFiles(paths, review)
        : [
            {
              path: `phases/${cur.name}/ended.json`,
              content: `${JSON.stringify({ ended: now }, null, 2)}\n`,
            },
          ]),
      { path: `phases/${cur.name}/phase.json`, content: phaseJson(cur.name, cur.started ?? now, now) },
      { path: `phases/${next}/phase.json`, content: phaseJson(next, now, null) },
    ],
    review
      ? `agent-track: phase ${cur.name} ended and reviewed (${review.sessions} session${review.sessions === 1 ? '' : 's'}), phase ${next} started`
      : `agent-track: phase ${cur.name} ended (review left to the Action), phase ${next} started`,
  );
  return { ended: cur.name, next, review };
}

/** When a phase policy ends the open phase: `weekly` at the start of an ISO week, `monthly` of a month (UTC). */
export function policyEnds(policy: string, started: string | null, now: Date): boolean {
  if (!['manual', 'weekly', 'monthly'].includes(policy))
    throw new Error(`phase-policy is manual, weekly or monthly, not '${policy}'`);
  if (!started || policy === 'manual') return false;
  const start = new Date(started);
  if (policy === 'monthly')
    return start.getUTCFullYear() * 12 + start.getUTCMonth() < now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (policy === 'weekly') {
    const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    return start < monday;
  }
  return false;
}

/**
 * What the Action does with phases: ends the open one when the policy says its time is over (and it
 * has sessions), then reviews every ended phase that has no review yet, committing each review.
 */
export async function reviewEndedPhases(
  paths: RepoPaths,
  policy: string,
  now = new Date(),
): Promise<{ endedNow: string | null; reviews: Review[] }> {
  let endedNow: string | null = null;
  const open = (await listPhases(paths)).find((p) => p.current && !p.reviewed);
  if (open && open.sessions > 0 && policyEnds(policy, open.started, now)) {
    await endPhase(paths, { review: false });
    endedNow = open.name;
  }
  const reviews: Review[] = [];
  for (const p of await listPhases(paths)) {
    if (p.reviewed || !p.ended || p.archived) continue;
    const review = await reviewPhase(paths, p.name);
    await commitBranchFiles(
      paths,
      await reviewFiles(paths, review),
      `agent-track: review of phase ${p.name} (${review.sessions} session${review.sessions === 1 ? '' : 's'})`,
    );
    reviews.push(review);
  }
  return { endedNow, reviews };
}
