/**
 * @module
 * A job as the messages that carry it to the worker thread. A merge is one message; a flush is
 * its job with the ids and columns left out, then those in pieces of at most {@link PIECE_VALUES}
 * values, in order, so that the main thread clones a piece at a time and lets the event loop run
 * in between (see `job-runner.ts`). A column with codes (`core-columns.ts`) goes in one piece:
 * its distinct values are at most {@link PIECE_VALUES} and its codes a typed array. The worker
 * puts the job back together before it runs it.
 */

import type { FieldValue } from '../../model/fields.js';
import type { Job } from './jobs.js';
import type { FlushPart } from './memory-part.js';

/**
 * Values per piece: each piece holds the main thread ~10–25 ms (a 200 000-line part; the whole
 * part in one message held it ~160 ms and the worker took longer to rebuild it). 16 384 made
 * pauses of ~2–6 ms but cost the worker more in one run of the benchmark.
 */
export const PIECE_VALUES = 65_536;

/** The job, with `pieces` messages to follow (0: it is whole). */
interface JobHead {
  readonly id: number;
  readonly job: Job;
  readonly pieces: number;
}

/** More ids of part `part` of job `id`. */
interface IdsPiece {
  readonly id: number;
  readonly part: number;
  readonly ids: string[];
}

/**
 * More of the next column of part `part` of job `id`; `end` when the column is complete. With
 * `codes`, the whole column: `vals` are its distinct values.
 */
interface ColumnPiece {
  readonly id: number;
  readonly part: number;
  readonly rows: Int32Array;
  readonly vals: FieldValue[];
  readonly codes?: Int32Array;
  readonly end: boolean;
}

export type JobMessage = JobHead | IdsPiece | ColumnPiece;

/** `[0, n)` in ranges of at most {@link PIECE_VALUES}; one empty range for n = 0. */
function ranges(n: number): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  do {
    out.push([at, Math.min(n, at + PIECE_VALUES)]);
    at += PIECE_VALUES;
  } while (at < n);
  return out;
}

/**
 * The messages of job `id`, in the order they must be posted.
 *
 * @example
 * for (const m of jobMessages(7, job)) worker.postMessage(m);
 */
export function* jobMessages(id: number, job: Job): Generator<JobMessage> {
  if (job.kind !== 'flush') {
    yield { id, job, pieces: 0 };
    return;
  }
  const parts = job.parts.map((p): FlushPart => ({
    ...p,
    ids: [],
    cols: { ...p.cols, rows: [], vals: [], codes: [] },
  }));
  let pieces = 0;
  for (const p of job.parts) {
    pieces += ranges(p.ids.length).length;
    const { vals, codes } = p.cols;
    for (let c = 0; c < vals.length; c++)
      pieces += codes[c] === undefined ? ranges(vals[c]!.length).length : 1;
  }
  yield { id, job: { ...job, parts }, pieces };
  for (let k = 0; k < job.parts.length; k++) {
    const { ids, cols } = job.parts[k]!;
    for (const [a, b] of ranges(ids.length)) yield { id, part: k, ids: ids.slice(a, b) };
    for (let c = 0; c < cols.rows.length; c++) {
      const rows = cols.rows[c]!;
      const vals = cols.vals[c]!;
      const codes = cols.codes[c];
      if (codes !== undefined) {
        yield { id, part: k, rows, vals, codes, end: true };
        continue;
      }
      for (const [a, b] of ranges(vals.length)) {
        const end = b === vals.length;
        // A column that fits in one piece goes as it is (no copy to clone from).
        const whole = a === 0 && b === vals.length;
        yield {
          id,
          part: k,
          rows: whole ? rows : rows.slice(a, b),
          vals: whole ? vals : vals.slice(a, b),
          end,
        };
      }
    }
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
  /** The pieces of the column being put together. */
  readonly #rows: Int32Array[] = [];
  readonly #vals: FieldValue[][] = [];
  /** Per part, the pieces of its ids, joined once the job is whole. */
  #ids: string[][][] = [];

  /**
   * Takes the next message; returns the job when it is whole.
   *
   * @throws {Error} when a piece comes for another job than the one being put together.
   */
  add(message: JobMessage): Job | undefined {
    if ('job' in message) {
      this.#id = message.id;
      this.#job = message.job;
      this.#missing = message.pieces;
      this.#rows.length = 0;
      this.#vals.length = 0;
      this.#ids = [];
    } else {
      const job = this.#job;
      if (job?.kind !== 'flush' || message.id !== this.#id || this.#missing === 0) {
        throw new Error(`cannot put log store job ${message.id} together: no flush job is open`);
      }
      const part = job.parts[message.part]!;
      if ('ids' in message) {
        (this.#ids[message.part] ??= []).push(message.ids);
      } else if (message.codes !== undefined) {
        part.cols.rows.push(message.rows);
        part.cols.vals.push(message.vals);
        part.cols.codes.push(message.codes);
      } else {
        this.#rows.push(message.rows);
        this.#vals.push(message.vals);
        if (message.end) {
          part.cols.rows.push(concatRows(this.#rows));
          part.cols.vals.push(concatVals(this.#vals));
          part.cols.codes.push(undefined);
          this.#rows.length = 0;
          this.#vals.length = 0;
        }
      }
      this.#missing--;
    }
    if (this.#missing > 0) return undefined;
    const job = this.#job;
    this.#job = undefined;
    if (job?.kind !== 'flush' || this.#ids.length === 0) return job;
    const ids = this.#ids;
    this.#ids = [];
    return {
      ...job,
      parts: job.parts.map((p, k) => (ids[k] === undefined ? p : { ...p, ids: concatIds(ids[k]) })),
    };
  }
}

function concatRows(pieces: readonly Int32Array[]): Int32Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Int32Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Pushed one by one, the ids of 1 M lines took the worker ~0.45 s (profiler on). */
function concatIds(pieces: readonly string[][]): string[] {
  return pieces.length === 1 ? pieces[0]! : pieces[0]!.concat(...pieces.slice(1));
}

function concatVals(pieces: readonly FieldValue[][]): FieldValue[] {
  if (pieces.length === 1) return pieces[0]!;
  // Native concat: pushing the pieces onto the first grew and copied it again and again, and an
  // array made by `new Array(n)` for n over ~100 000 is a slow dictionary in V8.
  return pieces[0]!.concat(...pieces.slice(1));
}
