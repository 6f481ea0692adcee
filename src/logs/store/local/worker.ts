/**
 * @module
 * The entry of the log store's worker thread (started by `job-runner.ts`): it runs each job it
 * is sent synchronously (this thread serves nothing else, one job at a time), and replies with
 * the segments written or the error.
 */

import { parentPort } from 'node:worker_threads';
import type { JobMessage } from './job-runner.js';
import { runJob } from './jobs.js';

const port = parentPort;
if (port === null) throw new Error('cannot start log store worker: not in a worker thread');
port.on('message', ({ id, job }: JobMessage) => {
  try {
    port.postMessage({ id, ok: true, result: runJob(job) });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ id, ok: false, error: { message: e.message, stack: e.stack } });
  }
});
