/** The GitHub Action's entry (dist/action.js). */
import { run } from './run.js';

await run();
