/**
 * @module
 * The entry of the log store's worker thread (started by `job-runner.ts`): it runs one job at
 * a time, synchronously (this thread serves nothing else), and replies with the segments written
 * or the error.
 */

import { parentPort } from 'node:worker_threads';
import { type Job, runJob } from './jobs.js';

const port = parentPort;
if (port === null) throw new Error('cannot start log store worker: not in a worker thread');
port.on('message', ({ id, job }: { id: number; job: Job }) => {
  try {
    port.postMessage({ id, ok: true, result: runJob(job) });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ id, ok: false, error: { message: e.message, stack: e.stack } });
  }
});
