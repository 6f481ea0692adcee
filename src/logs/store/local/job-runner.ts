/**
 * @module
 * Runs flush and merge jobs one at a time, in a `worker_threads` worker so that segment encoding
 * and compression (most of the CPU cost of ingest) never block ingest and search on the main
 * thread, or inline for tests and tools that prefer one thread. The worker is started on the
 * first job and unref'd, so an idle one never keeps the process alive. If the worker dies, the
 * job in flight fails and the next job starts a new worker.
 *
 * The thread runs `worker.ts` beside this module (see `lib/worker/spawn.ts`). A job goes as one
 * message: a flush job's documents stay in their ingest cores' shared memories, which the
 * message shares, and the rest is a few typed arrays a part (times, sizes, shapes).
 */

import type { Worker } from 'node:worker_threads';
import { spawnWorkerBeside } from '../../../lib/worker/spawn.js';
import { type Job, type JobResult, runJob } from './jobs.js';

interface Pending {
  readonly id: number;
  readonly job: Job;
  resolve(r: JobResult): void;
  reject(err: Error): void;
}

/** What the worker is sent (`worker.ts`). */
export interface JobMessage {
  readonly id: number;
  readonly job: Job;
}

type Reply =
  | { id: number; ok: true; result: JobResult }
  | { id: number; ok: false; error: { message: string; stack?: string } };

export class JobRunner {
  readonly #inline: boolean;
  readonly #queue: Pending[] = [];
  #worker: Worker | undefined;
  #current: Pending | undefined;
  #nextId = 1;

  /**
   * @example
   * const runner = new JobRunner({ inline: false });
   * const written = await runner.run({ kind: 'merge', dir, inputs, output, unindexed: [], codec: 'brotli' });
   */
  constructor(options: { inline?: boolean } = {}) {
    this.#inline = options.inline ?? false;
  }

  /** Queues `job`; resolves with what it wrote. */
  run(job: Job): Promise<JobResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, job, resolve, reject });
      this.#next();
    });
  }

  #next(): void {
    if (this.#current !== undefined) return;
    const p = this.#queue.shift();
    if (p === undefined) {
      this.#worker?.unref();
      return;
    }
    this.#current = p;
    if (this.#inline) {
      setImmediate(() => {
        try {
          this.#done({ id: p.id, ok: true, result: runJob(p.job) });
        } catch (err) {
          this.#fail(err as Error);
        }
      });
      return;
    }
    const w = this.#ensureWorker();
    w.ref();
    const message: JobMessage = { id: p.id, job: p.job };
    w.postMessage(message);
  }

  #ensureWorker(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const w = spawnWorkerBeside(import.meta.url, 'worker');
    w.on('message', (r: Reply) => this.#done(r));
    w.on('error', (err) => this.#fail(err));
    w.on('exit', (code) => {
      if (this.#worker === w) this.#worker = undefined;
      this.#fail(new Error(`cannot run log store job: worker exited with code ${code}`));
    });
    this.#worker = w;
    return w;
  }

  #done(r: Reply): void {
    const p = this.#current;
    if (p === undefined || p.id !== r.id) return;
    this.#current = undefined;
    if (r.ok) p.resolve(r.result);
    else {
      const err = new Error(r.error.message);
      if (r.error.stack !== undefined) err.stack = r.error.stack;
      p.reject(err);
    }
    this.#next();
  }

  #fail(err: Error): void {
    const p = this.#current;
    if (p === undefined) return;
    this.#current = undefined;
    p.reject(err);
    this.#next();
  }

  /** Stops the worker; queued jobs fail. */
  async close(): Promise<void> {
    for (const p of this.#queue.splice(0))
      p.reject(new Error('cannot run log store job: store closed'));
    const w = this.#worker;
    this.#worker = undefined;
    if (w !== undefined) await w.terminate();
  }
}
