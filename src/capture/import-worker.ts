/** A worker thread of `agent-track import`: reads the sessions it is given and returns their events. */
import { parentPort } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './import.js';
import { importSessionEvents, prepareNewSession } from './import-events.js';

parentPort?.on('message', (req: WorkerRequest) => {
  let res: WorkerResponse;
  try {
    res = {
      id: req.id,
      results: req.sessions.map((s, k) =>
        req.known[k] ? importSessionEvents(s, true, req.config) : prepareNewSession(s, req.config),
      ),
    };
  } catch (e) {
    res = { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(res);
});
