/**
 * @module
 * A job as the messages that carry it to the worker thread. A merge is one message; a flush is
 * its job with every column left out, then one message per column, in order, so that the main
 * thread clones a column at a time and lets the event loop run in between (see
 * `job-runner.ts`). The worker puts the job back together before it runs it.
 */

import type { FieldValue } from '../../model/fields.js';
import type { Job } from './jobs.js';
import type { FlushPart } from './memory-part.js';

/** The job, with `columns` column messages to follow (0: it is whole). */
interface JobHead {
  readonly id: number;
  readonly job: Job;
  readonly columns: number;
}

/** The next column of part `part` of job `id`. */
interface ColumnPiece {
  readonly id: number;
  readonly part: number;
  readonly rows: Int32Array;
  readonly vals: FieldValue[];
}

export type JobMessage = JobHead | ColumnPiece;

/**
 * The messages of job `id`, in the order they must be posted.
 *
 * @example
 * for (const m of jobMessages(7, job)) worker.postMessage(m);
 */
export function* jobMessages(id: number, job: Job): Generator<JobMessage> {
  if (job.kind !== 'flush') {
    yield { id, job, columns: 0 };
    return;
  }
  const parts = job.parts.map((p): FlushPart => ({
    ...p,
    cols: { ...p.cols, rows: [], vals: [] },
  }));
  const columns = job.parts.reduce((n, p) => n + p.cols.paths.length, 0);
  yield { id, job: { ...job, parts }, columns };
  for (let k = 0; k < job.parts.length; k++) {
    const { rows, vals } = job.parts[k]!.cols;
    for (let c = 0; c < rows.length; c++) yield { id, part: k, rows: rows[c]!, vals: vals[c]! };
  }
}

/**
 * Puts jobs back together in the worker.
 *
 * @example
 * const job = assembler.add(message); // the whole job once its last message came
 */
export class JobAssembler {
  #job: Job | undefined;
  #id = 0;
  #missing = 0;

  /**
   * Takes the next message; returns the job when it is whole.
   *
   * @throws {Error} when a column comes for another job than the one being put together.
   */
  add(message: JobMessage): Job | undefined {
    if ('job' in message) {
      this.#id = message.id;
      this.#job = message.job;
      this.#missing = message.columns;
    } else {
      const job = this.#job;
      if (job?.kind !== 'flush' || message.id !== this.#id || this.#missing === 0) {
        throw new Error(`cannot put log store job ${message.id} together: no flush job is open`);
      }
      const cols = job.parts[message.part]!.cols;
      cols.rows.push(message.rows);
      cols.vals.push(message.vals);
      this.#missing--;
    }
    if (this.#missing > 0) return undefined;
    const job = this.#job;
    this.#job = undefined;
    return job;
  }
}
