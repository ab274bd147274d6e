// Builds dist/ with esbuild. Deterministic output, so the committed dist/ can be checked against a
// fresh build (.ci/run and the check-dist job do).
//   bin.cjs    the agent-track binary: dispatcher + the hook's hot path, CommonJS, node builtins only
//   statusline.cjs  `agent-track statusline`, loaded by bin.cjs: CommonJS, no npm package
//   cli.js     every other command (ESM); npm packages stay external: they are our dependencies
//   import-worker.js  a worker thread of `import` (reads and redacts transcripts)
//   redact.js  the redactor alone (the corpus validation and the benchmark load it)
//   action.js  the GitHub Action, with its dependencies bundled (a workflow runs it without npm install)
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
};
await build({
  ...common,
  format: 'cjs',
  packages: 'external',
  entryPoints: ['cli/bin.ts'],
  outfile: 'dist/bin.cjs',
  banner: { js: '#!/usr/bin/env node' },
});
// the status line: node builtins, our model and the price table (no npm package)
await build({
  ...common,
  format: 'cjs',
  packages: 'external',
  entryPoints: ['cli/statusline-main.ts'],
  outfile: 'dist/statusline.cjs',
});
await build({
  ...common,
  format: 'esm',
  packages: 'external',
  entryPoints: ['cli/index.ts'],
  outfile: 'dist/cli.js',
});
await build({
  ...common,
  format: 'esm',
  packages: 'external',
  entryPoints: ['src/capture/import-worker.ts'],
  outfile: 'dist/import-worker.js',
});
// the redactor alone, for scripts/validate-redaction.mjs and the benchmark
await build({
  ...common,
  format: 'esm',
  packages: 'external',
  entryPoints: ['src/capture/redact.ts'],
  outfile: 'dist/redact.js',
});
// ESM: @actions/core 3 and @actions/github 9 are ESM-only. DuckDB stays out (a 70 MB native
// library): the Action installs it at run time. The banner gives bundled CommonJS code a `require`.
await build({
  ...common,
  format: 'esm',
  target: 'node24',
  entryPoints: ['src/action/main.ts'],
  outfile: 'dist/action.js',
  external: ['@duckdb/node-api'],
  // the dashboard's charts: the Action has no node_modules to read ECharts from at run time
  define: {
    __ECHARTS_SOURCE__: JSON.stringify(readFileSync('node_modules/echarts/dist/echarts.min.js', 'utf8')),
  },
  banner: {
    js: "import { createRequire as __atCreateRequire } from 'node:module'; const require = __atCreateRequire(import.meta.url);",
  },
});

import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

chmodSync('dist/bin.cjs', 0o755);

// The Claude Code plugin (plugin/) and this repository's marketplace entry, from the same definitions
// init writes into settings files (src/capture/claude-files.ts). The launcher is node builtins only:
// a plugin is copied into Claude Code's cache without node_modules.
await build({
  ...common,
  format: 'cjs',
  entryPoints: ['cli/plugin-launcher.ts'],
  outfile: 'plugin/scripts/agent-track.cjs',
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync('plugin/scripts/agent-track.cjs', 0o755);
const defsFile = '.build/claude-files.mjs';
await build({ ...common, format: 'esm', entryPoints: ['src/capture/claude-files.ts'], outfile: defsFile });
const defs = await import(new URL(`../${defsFile}`, import.meta.url).href);
rmSync('.build', { recursive: true, force: true });
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const json = (file, value) => {
  mkdirSync(file.slice(0, file.lastIndexOf('/')), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};
json('plugin/.claude-plugin/plugin.json', defs.pluginManifest(version));
json('plugin/hooks/hooks.json', defs.pluginHooks());
rmSync('plugin/commands', { recursive: true, force: true });
mkdirSync('plugin/commands', { recursive: true });
for (const [name, text] of Object.entries(defs.pluginCommands()))
  writeFileSync(`plugin/commands/${name}`, text);
json('.claude-plugin/marketplace.json', defs.marketplace(version));
