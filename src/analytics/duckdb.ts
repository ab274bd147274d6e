/**
 * SQL over the store with DuckDB (`@duckdb/node-api`; the design's `duckdb-async` wraps the deprecated
 * `duckdb` package, whose native build does not install here). The branch's JSONL mirror (export.ts)
 * is read in place by `read_json` views: DuckDB scans the files when a query runs, nothing is copied
 * into a table. Every event column is declared (nested values as JSON), so sessions of any age and
 * shape read alike. The views and their columns are documented in the README.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RepoPaths } from '../store/paths.js';
import type { TrackingBranch } from '../store/reader.js';
import { loadDuckDB } from './duckdb-module.js';
import { exportBranch } from './export.js';

/** The columns of `events`: every field an event type carries; absent ones are NULL. */
const EVENT_COLUMNS: Record<string, string> = {
  id: 'VARCHAR',
  ts: 'VARCHAR',
  session: 'VARCHAR',
  agent: 'VARCHAR',
  agentType: 'VARCHAR',
  agentTool: 'VARCHAR',
  type: 'VARCHAR',
  source: 'VARCHAR',
  tool: 'VARCHAR',
  toolUseId: 'VARCHAR',
  success: 'BOOLEAN',
  outcome: 'VARCHAR',
  durationMs: 'DOUBLE',
  input: 'JSON',
  output: 'JSON',
  error: 'JSON',
  message: 'JSON',
  text: 'JSON',
  path: 'VARCHAR',
  operation: 'VARCHAR',
  diff: 'VARCHAR',
  model: 'VARCHAR',
  messageId: 'VARCHAR',
  requestId: 'VARCHAR',
  tokens:
    'STRUCT(input BIGINT, output BIGINT, cacheRead BIGINT, cacheWrite BIGINT, cacheWrite5m BIGINT, cacheWrite1h BIGINT)',
  costUsd: 'DOUBLE',
  what: 'VARCHAR',
  rationale: 'VARCHAR',
  alternatives: 'JSON',
  launch: 'JSON',
  launchedAgent: 'VARCHAR',
  agentId: 'VARCHAR',
  lastMessage: 'JSON',
  reason: 'VARCHAR',
  branch: 'VARCHAR',
  head: 'VARCHAR',
  cwd: 'VARCHAR',
  snapshot: 'VARCHAR',
  trigger: 'VARCHAR',
};

/** A SQL string literal. */
export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** A SQL number as JavaScript's (NULL: 0); DuckDB's BIGINT comes back as a bigint. */
export const sqlNumber = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const columns = (c: Record<string, string>) =>
  `{${Object.entries(c)
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(', ')}}`;

/** The statements that define the views over a mirror folder. */
export function viewStatements(dir: string, empty: { events: boolean; sessions: boolean }): string[] {
  // read_json fails on a glob that matches nothing: an empty store reads empty files instead
  const events = empty.events
    ? path.join(dir, 'empty.jsonl')
    : path.join(dir, 'phases', '*', 'sessions', '*', 'events', '*.jsonl');
  const sessions = empty.sessions
    ? path.join(dir, 'empty.jsonl')
    : path.join(dir, 'phases', '*', 'sessions', '*', 'session.json');
  const src = `read_json(${sqlString(events)}, format = 'newline_delimited', columns = ${columns(EVENT_COLUMNS)}, filename = true)`;
  return [
    // each event once (a fact two paths reported has one id); canonical fields (export.ts)
    `CREATE OR REPLACE VIEW events AS
       SELECT * EXCLUDE (ts, filename), TRY_CAST(ts AS TIMESTAMPTZ) AS ts,
              regexp_extract(filename, 'phases/([^/]+)/sessions/', 1) AS phase
       FROM ${src}
       -- the same fact recorded twice in one segment (the hook's and the transcript's): the fuller
       -- record, and always the same one, so an unchanged phase exports the same bytes (lake.ts)
       QUALIFY row_number() OVER (PARTITION BY id ORDER BY filename, durationMs IS NULL, durationMs,
                                  outcome NULLS LAST, ts NULLS LAST) = 1`,
    `CREATE OR REPLACE VIEW sessions AS
       SELECT session, phase, started::TIMESTAMPTZ AS started, lastActivity::TIMESTAMPTZ AS last_activity,
              ended::TIMESTAMPTZ AS ended, endReason AS end_reason, branch, head, models,
              author.name AS author_name, author.email AS author_email, firstPrompt AS first_prompt,
              prompts, agents, toolCalls AS tool_calls, toolFailures AS tool_failures,
              toolRejected AS tool_rejected, toolInterrupted AS tool_interrupted, toolDenied AS tool_denied, toolCascaded AS tool_cascaded, errors,
              fileChanges AS file_changes, tokens.input AS input_tokens, tokens.output AS output_tokens,
              tokens.cacheRead AS cache_read_tokens, tokens.cacheWrite AS cache_write_tokens, costUsd AS cost_usd,
              unpricedTokens AS unpriced_tokens, coalesce(agentTool, 'claude-code') AS agent_tool
       FROM read_json(${sqlString(sessions)}, format = ${empty.sessions ? "'newline_delimited'" : "'auto'"},
              columns = {session: 'VARCHAR', phase: 'VARCHAR', started: 'VARCHAR', lastActivity: 'VARCHAR',
                ended: 'VARCHAR', endReason: 'VARCHAR', branch: 'VARCHAR', head: 'VARCHAR', models: 'VARCHAR[]',
                author: 'STRUCT(name VARCHAR, email VARCHAR)', firstPrompt: 'VARCHAR', prompts: 'BIGINT',
                agents: 'BIGINT', toolCalls: 'BIGINT', toolFailures: 'BIGINT', toolRejected: 'BIGINT',
                toolInterrupted: 'BIGINT', toolDenied: 'BIGINT', toolCascaded: 'BIGINT', errors: 'BIGINT',
                fileChanges: 'BIGINT', tokens: 'STRUCT(input BIGINT, output BIGINT, cacheRead BIGINT, cacheWrite BIGINT)',
                costUsd: 'DOUBLE', unpricedTokens: 'BIGINT', agentTool: 'VARCHAR'})`,
    // one row per call: the hook's and the transcript's record of a failure are one call
    `CREATE OR REPLACE VIEW tool_calls AS
       SELECT id, ts, phase, session, agent, agentType AS agent_type,
              coalesce(agentTool, 'claude-code') AS agent_tool, tool, toolUseId AS tool_use_id,
              outcome = 'success' AS success, outcome, durationMs AS duration_ms, input, output, error
       FROM events WHERE type = 'tool_call'
       QUALIFY row_number() OVER (PARTITION BY session, coalesce(toolUseId, id)
                                  ORDER BY outcome = 'success', durationMs IS NULL, ts, id) = 1`,
    `CREATE OR REPLACE VIEW agents AS
       SELECT s.phase, s.session, s.agent, coalesce(s.agentType, e.agentType) AS agent_type,
              s.ts AS started, e.ts AS ended, date_diff('millisecond', s.ts, e.ts) AS duration_ms,
              e.lastMessage ->> '$' AS outcome
       FROM (SELECT * FROM events WHERE type = 'agent_start') s
       LEFT JOIN (SELECT * FROM events WHERE type = 'agent_end') e USING (session, agent)`,
    `CREATE OR REPLACE VIEW usage AS
       SELECT id, ts, phase, session, agent, coalesce(agentType, 'unknown') AS agent_type,
              coalesce(agentTool, 'claude-code') AS agent_tool, source, model,
              messageId AS message_id, requestId AS request_id,
              tokens.input AS input_tokens, tokens.output AS output_tokens, tokens.cacheRead AS cache_read_tokens,
              tokens.cacheWrite AS cache_write_tokens, tokens.cacheWrite5m AS cache_write_5m_tokens,
              tokens.cacheWrite1h AS cache_write_1h_tokens, costUsd AS cost_usd,
              -- the same cost in integer units of 1e-10 USD (pricing.ts): sums of it are exact
              CAST(round(costUsd * 1e10) AS BIGINT) AS cost_units
       FROM events WHERE type = 'usage'`,
    // one row per failure (refusals and interruptions are outcomes of tool_calls, not errors)
    `CREATE OR REPLACE VIEW errors AS
       SELECT id, ts, phase, session, agent, agentType AS agent_type, source, tool, toolUseId AS tool_use_id,
              coalesce(message ->> '$', error ->> '$') AS message
       FROM events WHERE type = 'error'
       QUALIFY row_number() OVER (PARTITION BY session, coalesce(toolUseId, id) ORDER BY ts, id) = 1`,
    `CREATE OR REPLACE VIEW file_changes AS
       SELECT id, ts, phase, session, agent, toolUseId AS tool_use_id, path, operation, diff
       FROM events WHERE type = 'file_change'`,
    `CREATE OR REPLACE VIEW decisions AS
       SELECT id, ts, phase, session, agent, toolUseId AS tool_use_id, what, rationale, alternatives
       FROM events WHERE type = 'decision'`,
  ];
}

export type Row = Record<string, unknown>;

export interface Analytics {
  query(sql: string): Promise<{ columns: string[]; rows: Row[] }>;
  close(): void;
}

/** Opens DuckDB in memory over the store's views (the mirror is brought up to date first). */
export async function openAnalytics(paths: RepoPaths, branch?: TrackingBranch): Promise<Analytics> {
  const { dir, segments, sessions } = await exportBranch(paths, branch);
  fs.writeFileSync(path.join(dir, 'empty.jsonl'), '');
  return openDuckDB(viewStatements(dir, { events: segments === 0, sessions: sessions === 0 }));
}

/** An in-memory DuckDB with the given statements run (the views), behind the `Analytics` interface. */
export async function openDuckDB(setup: string[]): Promise<Analytics> {
  const { DuckDBInstance } = await loadDuckDB();
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  for (const sql of setup) await conn.run(sql);
  return {
    async query(sql: string) {
      const reader = await conn.runAndReadAll(sql);
      const columns = reader.columnNames();
      // JSON rows carry 64-bit integers as strings; counts and sums read better as numbers where exact
      const ints = reader.columnTypes().map((t) => /INT/.test(t.toString()));
      const rows = (reader.getRowObjectsJson() as Row[]).map((r) => {
        columns.forEach((c, k) => {
          const v = r[c];
          if (ints[k] && typeof v === 'string' && Number.isSafeInteger(Number(v))) r[c] = Number(v);
        });
        return r;
      });
      return { columns, rows };
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
