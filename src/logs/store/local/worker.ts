/**
 * @module
 * The entry of the log store's worker thread (started by `job-runner.ts`): it puts each job
 * together from its messages (`job-message.ts`), runs it synchronously (this thread serves
 * nothing else, one job at a time), and replies with the segments written or the error.
 */

import { parentPort } from 'node:worker_threads';
import { JobAssembler, type JobMessage } from './job-message.js';
import { runJob } from './jobs.js';

const port = parentPort;
if (port === null) throw new Error('cannot start log store worker: not in a worker thread');
const jobs = new JobAssembler();
port.on('message', (message: JobMessage) => {
  const { id } = message;
  try {
    const job = jobs.add(message);
    if (job === undefined) return;
    port.postMessage({ id, ok: true, result: runJob(job) });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ id, ok: false, error: { message: e.message, stack: e.stack } });
  }
});
