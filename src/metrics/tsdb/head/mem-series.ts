/**
 * @module
 * One series in the head: its labels, its closed chunks, and the open chunk samples go into.
 * A chunk is closed after {@link MAX_SAMPLES_PER_CHUNK} samples or when a sample crosses the
 * end of the block range it started in, so that no chunk spans two future blocks.
 */

import type { Labels } from '../../model/labels.js';
import { MAX_SAMPLES_PER_CHUNK } from '../chunkenc/chunk.js';
import { XorChunk, type XorAppender } from '../chunkenc/xor.js';

/** A chunk with its time bounds (inclusive, ms). */
export interface HeadChunk {
  chunk: XorChunk;
  mint: number;
  maxt: number;
}

// Duplicate detection compares value bits, as Prometheus does, so that NaN == NaN of the same
// payload and a staleness marker differs from an ordinary NaN.
const F64 = new Float64Array(2);
const U32 = new Uint32Array(F64.buffer);

function sameBits(a: number, b: number): boolean {
  F64[0] = a;
  F64[1] = b;
  return U32[0] === U32[2] && U32[1] === U32[3];
}

/**
 * What appending one sample did. `Duplicate`: same timestamp and value bits as the newest
 * sample, ignored as Prometheus does; `Conflict`: same timestamp, other value.
 */
export const AppendResult = { Appended: 0, Duplicate: 1, Conflict: 2, OutOfOrder: 3 } as const;
export type AppendResult = (typeof AppendResult)[keyof typeof AppendResult];

export class MemSeries {
  /** Closed chunks, oldest first. */
  readonly closed: HeadChunk[] = [];
  #open: HeadChunk | null = null;
  #app: XorAppender | null = null;
  #nextAt = -Infinity;
  /** Newest committed sample; -Infinity when there is none. */
  lastT = -Infinity;
  lastV = 0;
  /** Newest timestamp appended by an uncommitted transaction, for in-batch order checks. */
  pendingT = -Infinity;
  /**
   * Whether the WAL has this series' Series record. A series created by a transaction that was
   * rolled back exists in memory only; the next commit that uses it logs it.
   */
  logged = false;

  constructor(
    readonly ref: number,
    readonly labels: Labels,
    readonly chunkRange: number,
  ) {}

  /** Checks a sample against what is committed and pending, without changing anything. */
  check(t: number, v: number): AppendResult {
    const newest = Math.max(this.lastT, this.pendingT);
    if (t > newest) return AppendResult.Appended;
    if (t === this.lastT && this.pendingT <= t) {
      return sameBits(v, this.lastV) ? AppendResult.Duplicate : AppendResult.Conflict;
    }
    return AppendResult.OutOfOrder;
  }

  /** Appends a committed sample; out-of-order and duplicate samples are refused. */
  append(t: number, v: number): AppendResult {
    if (t <= this.lastT) {
      if (t < this.lastT) return AppendResult.OutOfOrder;
      return sameBits(v, this.lastV) ? AppendResult.Duplicate : AppendResult.Conflict;
    }
    if (
      this.#open === null ||
      this.#open.chunk.numSamples >= MAX_SAMPLES_PER_CHUNK ||
      t >= this.#nextAt
    ) {
      this.#cut(t);
    }
    this.#app!.append(t, v);
    this.#open!.maxt = t;
    this.lastT = t;
    this.lastV = v;
    return AppendResult.Appended;
  }

  #cut(t: number): void {
    if (this.#open !== null) this.closed.push(this.#open);
    const chunk = new XorChunk();
    this.#open = { chunk, mint: t, maxt: t };
    this.#app = chunk.appender();
    // The end of the block range t falls in: chunks never cross a block boundary.
    this.#nextAt = (Math.floor(t / this.chunkRange) + 1) * this.chunkRange;
  }

  /** Every chunk, oldest first, the open one last. */
  chunks(): HeadChunk[] {
    return this.#open === null ? this.closed : [...this.closed, this.#open];
  }

  /** Oldest sample time, or +Infinity when empty. */
  get minTime(): number {
    return this.closed[0]?.mint ?? this.#open?.mint ?? Infinity;
  }

  /**
   * Drops chunks that end before `mint`; returns whether the series is now empty. The open
   * chunk is dropped too when it is entirely older.
   */
  truncateBefore(mint: number): boolean {
    let drop = 0;
    while (drop < this.closed.length && this.closed[drop]!.maxt < mint) drop++;
    if (drop > 0) this.closed.splice(0, drop);
    if (this.closed.length === 0 && this.#open !== null && this.#open.maxt < mint) {
      this.#open = null;
      this.#app = null;
    }
    return this.closed.length === 0 && this.#open === null;
  }
}
