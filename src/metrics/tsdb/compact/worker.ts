/**
 * @module
 * The compaction worker's entry point, loaded only as a `worker_threads` Worker by
 * {@link CompactionWorker}: it takes one job at a time, does the CPU- and I/O-heavy part
 * (sorting, merging, index and chunk writing) synchronously — fine here, this thread serves
 * nothing else — and replies. An error goes back as a failed reply; the thread lives on for
 * the next job.
 */

import { parentPort } from 'node:worker_threads';
import type { JobReply, JobRequest } from './protocol.js';
import { serializeError } from './protocol.js';
import { runJob } from './run-job.js';

const port = parentPort;
if (port === null) throw new Error('cannot start compaction worker: not in a worker thread');
port.on('message', ({ id, job }: JobRequest) => {
  let reply: JobReply;
  try {
    reply = { id, ok: true, meta: runJob(job) };
  } catch (err) {
    reply = { id, ok: false, error: serializeError(err) };
  }
  port.postMessage(reply);
});
