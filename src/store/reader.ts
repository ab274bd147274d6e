/** Reading the agent-tracking branch back: sessions and their events. */
import type { TrackingConfig } from '../model/config.js';
import type { BaseEvent } from '../model/events.js';
import { type PriceTable, withOverrides } from '../model/pricing.js';
import {
  emptySummary,
  foldSummary,
  isCurrentSummary,
  type SessionSummary,
  withFigures,
} from '../model/session.js';
import { loadConfig } from './config.js';
import { readState } from './flush.js';
import { ObjectStore, type TreeEntry } from './git.js';
import { SEGMENT_RE } from './layout.js';
import { type RepoPaths, readRef, TRACKING_REF } from './paths.js';
import { TreeEditor } from './tree.js';

export class NoBranchError extends Error {
  constructor() {
    super(
      "nothing recorded yet: this clone has no 'agent-tracking' branch (run `agent-track init` to record, or `agent-track pull` to read the team's)",
    );
  }
}

export class TrackingBranch {
  private constructor(
    readonly tip: string,
    private tree: TreeEditor,
    private paths: RepoPaths,
    /** The prices every figure read through this branch is derived at (built-in + the config's). */
    readonly prices: PriceTable,
    readonly config: TrackingConfig,
  ) {}

  private list: SessionSummary[] | null = null;

  static async open(paths: RepoPaths): Promise<TrackingBranch> {
    const tip = readRef(paths.commonDir, TRACKING_REF);
    if (!tip) throw new NoBranchError();
    const store = new ObjectStore(paths.commonDir);
    const state = readState(paths);
    const tree = state?.tip === tip && state.tipTree ? state.tipTree : (await store.readCommit(tip)).tree;
    const config = await loadConfig(paths);
    return new TrackingBranch(
      tip,
      new TreeEditor(store, tree, state?.tip === tip ? state.trees : {}),
      paths,
      withOverrides(config.pricing),
      config,
    );
  }

  /**
   * Every session on the branch, oldest first, its figures derived at this branch's prices. A summary
   * an earlier release wrote is folded again from its events (migrated on read; the branch is not
   * rewritten: the next flush of the session, or `agent-track migrate`, writes it anew).
   */
  async sessions(): Promise<SessionSummary[]> {
    if (this.list) return this.list;
    const raw = await this.rawSessions();
    const out: SessionSummary[] = [];
    for (const s of raw) {
      const current = isCurrentSummary(s)
        ? s
        : foldSummary(
            { ...emptySummary(s.session, s.phase, s.dir), author: s.author ?? null },
            await this.events(s),
          );
      out.push(withFigures(current, this.prices));
    }
    this.list = out;
    return out;
  }

  /** The summaries as stored (session.json), without migration. */
  async rawSessions(): Promise<SessionSummary[]> {
    const state = readState(this.paths);
    let list: SessionSummary[];
    if (state?.tip === this.tip) list = Object.values(state.index);
    else {
      list = [];
      for (const phase of (await this.tree.list('phases')) ?? []) {
        if (phase.type !== 'tree') continue;
        for (const s of (await this.tree.list(`phases/${phase.path}/sessions`)) ?? []) {
          const text = await this.tree.readFile(`phases/${phase.path}/sessions/${s.path}/session.json`);
          if (!text) continue;
          try {
            list.push(JSON.parse(text));
          } catch {
            // skip a damaged session.json
          }
        }
      }
    }
    return list.sort((a, b) => (a.started ?? '').localeCompare(b.started ?? ''));
  }

  /** Finds a session by its id or a unique prefix of it. */
  async findSession(idOrPrefix: string): Promise<SessionSummary> {
    const all = await this.sessions();
    const exact = all.find((s) => s.session === idOrPrefix);
    if (exact) return exact;
    const matches = all.filter((s) => s.session.startsWith(idOrPrefix));
    if (matches.length === 1) return matches[0];
    if (matches.length === 0)
      throw new Error(
        `no session '${idOrPrefix}' on the agent-tracking branch (see \`agent-track sessions\`)`,
      );
    throw new Error(`'${idOrPrefix}' matches ${matches.length} sessions; give more of the id`);
  }

  /** A session's events in the order they were recorded. */
  async events(summary: SessionSummary): Promise<BaseEvent[]> {
    const out: BaseEvent[] = [];
    for (const seg of await this.segments(summary))
      out.push(...(await this.segmentEvents(summary, seg.name)));
    return out;
  }

  /**
   * A session's event segments in order, with their blob ids: segments are immutable, so a reader
   * that keeps something per segment (the search index, the attribution index) reads only the
   * segments it has not seen. `name` and `path` are the same: the segment's file name.
   */
  async segments(summary: SessionSummary): Promise<Array<TreeEntry & { name: string }>> {
    return ((await this.tree.list(`${summary.dir}/events`)) ?? [])
      .filter((e) => SEGMENT_RE.test(e.path))
      .map((e) => ({ ...e, name: e.path }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The events of one segment of a session. */
  async segmentEvents(summary: SessionSummary, name: string): Promise<BaseEvent[]> {
    const text = (await this.tree.readFile(`${summary.dir}/events/${name}`)) ?? '';
    const out: BaseEvent[] = [];
    for (const line of text.split('\n')) if (line) out.push(JSON.parse(line));
    return out;
  }

  readFile(file: string): Promise<string | null> {
    return this.tree.readFile(file);
  }

  /** The entries of a folder of the branch (null: no such folder). */
  listDir(dir: string): Promise<Array<{ path: string; type: string }> | null> {
    return this.tree.list(dir);
  }
}
