/**
 * @module
 * The main thread's handle on the compaction worker thread: it starts the thread on the first
 * job, runs jobs one at a time over the {@link JobRequest}/{@link JobReply} protocol, and stops
 * the thread once it has been idle for a while (an idle thread never keeps the process alive).
 * Every way a job can go wrong — an error reply, an uncaught exception in the thread, the thread
 * dying (out of memory, terminated) — becomes a rejected promise, after whatever the job left of
 * its block is removed. The process never goes down with the worker.
 *
 * The thread runs `worker.ts` beside this module (see `lib/worker/spawn.ts`).
 */

import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { spawnWorkerBeside } from '../../../lib/worker/spawn.js';
import type { BlockMeta } from '../block/meta.js';
import { TMP_FOR_CREATION_SUFFIX } from '../block/write-block.js';
import { CompactionError, WorkerExitError } from './errors.js';
import {
  type CompactionJob,
  deserializeError,
  type JobReply,
  type JobRequest,
} from './protocol.js';

interface Pending {
  id: number;
  /** The thread running it: a job fails only with its own thread. */
  worker: Worker;
  job: CompactionJob;
  resolve(meta: BlockMeta | null): void;
  reject(err: Error): void;
  /** An uncaught exception the thread reported before it exited. */
  crash?: Error;
}

/**
 * How long an idle worker thread is kept. Starting one costs tens of milliseconds (hundreds
 * under tsx); a TSDB cuts a block every block range and merges right after, so a few minutes
 * keeps one thread through a burst of jobs, and gives its memory back between bursts.
 */
export const DEFAULT_WORKER_IDLE_MS = 5 * 60_000;

export interface CompactionWorkerOptions {
  /** Stop the thread after this many ms without a job (default {@link DEFAULT_WORKER_IDLE_MS}). */
  idleMs?: number;
}

export class CompactionWorker {
  readonly #idleMs: number;
  #worker: Worker | null = null;
  #pending: Pending | null = null;
  #idleTimer: NodeJS.Timeout | undefined;
  #nextId = 1;

  /**
   * @example
   * const worker = new CompactionWorker({ idleMs: 60_000 });
   */
  constructor(options: CompactionWorkerOptions = {}) {
    this.#idleMs = options.idleMs ?? DEFAULT_WORKER_IDLE_MS;
  }

  /**
   * Runs `job` in the worker thread and resolves with the new block's meta (null when a merge
   * left no samples). A persist-head job's snapshot buffer is transferred: it is unusable in
   * the calling thread afterwards. One job at a time.
   *
   * @throws {CompactionError} when the job fails for any reason; its `cause` is the worker's
   *   error or a {@link WorkerExitError}. No `<ulid>` or `<ulid>.tmp-for-creation` directory is
   *   left behind then.
   * @example
   * const meta = await worker.run({ kind: 'merge-blocks', dir, ulid: newUlid(), parents });
   */
  run(job: CompactionJob): Promise<BlockMeta | null> {
    if (this.#pending !== null) {
      return Promise.reject(new Error('cannot run compaction job: another one is running'));
    }
    clearTimeout(this.#idleTimer);
    const worker = (this.#worker ??= this.#start());
    worker.ref();
    const id = this.#nextId++;
    return new Promise<BlockMeta | null>((resolve, reject) => {
      this.#pending = { id, worker, job, resolve, reject };
      const request: JobRequest = { id, job };
      worker.postMessage(request, job.kind === 'persist-head' ? [job.snapshot.buffer] : []);
    }).finally(() => this.#idle());
  }

  /** Stops the thread (a running job fails with a {@link WorkerExitError}); idempotent. */
  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    this.#worker = null;
    if (worker !== null) await worker.terminate();
  }

  #idle(): void {
    const worker = this.#worker;
    if (worker === null || this.#pending !== null) return;
    worker.unref();
    this.#idleTimer = setTimeout(() => void this.close(), this.#idleMs);
    this.#idleTimer.unref();
  }

  #start(): Worker {
    const worker = spawnWorkerBeside(import.meta.url, 'worker');
    worker.on('message', (reply: JobReply) => {
      const p = this.#pending;
      if (p === null || p.id !== reply.id) return;
      this.#pending = null;
      if (reply.ok) p.resolve(reply.meta);
      else this.#fail(p, reply.error.message, deserializeError(reply.error));
    });
    // An uncaught exception is followed by 'exit'; the job fails there, once the thread no
    // longer writes into the directory that cleaning up removes.
    worker.on('error', (err) => {
      if (this.#pending?.worker === worker) this.#pending.crash = err;
    });
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#worker = null;
      const p = this.#pending;
      if (p?.worker !== worker) return;
      this.#pending = null;
      const cause = p.crash ?? new WorkerExitError(code);
      this.#fail(p, cause.message, cause);
    });
    return worker;
  }

  #fail(p: Pending, reason: string, cause: Error): void {
    const { dir, ulid } = p.job;
    try {
      rmSync(join(dir, ulid + TMP_FOR_CREATION_SUFFIX), { recursive: true, force: true });
      rmSync(join(dir, ulid), { recursive: true, force: true });
    } catch (err) {
      reason += ` (and cannot remove its partial block: ${(err as Error).message})`;
    }
    p.reject(new CompactionError(ulid, describeSource(p.job), reason, { cause }));
  }
}

function describeSource(job: CompactionJob): string {
  if (job.kind === 'persist-head') {
    return `head range [${job.snapshot.minTime}, ${job.snapshot.maxTime})`;
  }
  return `blocks ${job.parents.map((p) => basename(p)).join(', ')}`;
}
