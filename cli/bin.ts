/**
 * The `agent-track` binary (built as CommonJS: Node starts a CommonJS script a few milliseconds
 * faster than an ES module, and the hook runs on every Claude Code event). It only dispatches:
 * `hook` runs the small capture bundle inlined here; everything else loads the full CLI (an ES
 * module with commander, isomorphic-git and yaml).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { main as hookMain } from './hook-main.js';

const self = fs.realpathSync(process.argv[1]);
const args = process.argv.slice(2);
if (args[0] === 'hook' && !args.includes('--help') && !args.includes('-h')) hookMain(self);
else import(pathToFileURL(path.join(path.dirname(self), 'cli.js')).href);
