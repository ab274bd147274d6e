/**
 * The `agent-track` binary (built as CommonJS: Node starts a CommonJS script a few milliseconds
 * faster than an ES module, and the hook runs on every Claude Code event). It only dispatches:
 * `hook` runs the small capture bundle inlined here; `statusline` its own small bundle; everything
 * else loads the full CLI (an ES module with commander, isomorphic-git and yaml).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { main as hookMain } from './hook-main.js';

const self = fs.realpathSync(process.argv[1]);
const args = process.argv.slice(2);
const quick = !args.includes('--help') && !args.includes('-h');
if (args[0] === 'hook' && quick) hookMain(self);
// the status line runs every few hundred milliseconds: its own small bundle, with the price table
else if (args[0] === 'statusline' && quick) require(path.join(path.dirname(self), 'statusline.cjs')).main();
else import(pathToFileURL(path.join(path.dirname(self), 'cli.js')).href);
