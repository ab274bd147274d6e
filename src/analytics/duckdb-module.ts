/**
 * Where `@duckdb/node-api` comes from. The CLI has it as a dependency. The GitHub Action cannot
 * carry it (its native library is about 70 MB; no committed file may pass 10 MB), so the Action
 * installs it at run time and sets the loader here before any query.
 */
type DuckDBModule = typeof import('@duckdb/node-api');

/** The version the CLI depends on and the Action installs (a test holds it equal to package.json's). */
export const DUCKDB_VERSION = '1.5.6-r.1';

let loader: () => Promise<DuckDBModule> = () => import('@duckdb/node-api');

export function setDuckDBLoader(load: () => Promise<DuckDBModule>): void {
  loader = load;
}

export const loadDuckDB = (): Promise<DuckDBModule> => loader();
