/**
 * @module
 * A reusable buffer holding one stored series' samples over a time range, read once through the
 * storage iterator and then walked step by step by the selector code. Values stay in a
 * `Float64Array` whose bits are also visible as `Uint32Array`, so the staleness marker (a NaN
 * with payload 2) is recognised by its bits, never by a NaN comparison that would lose it.
 */

import type { SampleIterator, SampleSink, Series } from '../storage/interface.js';
import { QueryExecutionError } from './errors.js';

/** Starting capacity; the buffer doubles as needed and keeps its size for the next series. */
const INITIAL_CAPACITY = 1024;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;
const STALE_HI = 0x7ff00000;
const STALE_LO = 0x00000002;

const scratch = new Float64Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/**
 * Whether `v` is Prometheus' staleness marker (NaN with bits 0x7ff0000000000002).
 *
 * @example
 * isStaleMarker(NaN); // false: an ordinary NaN is a value
 */
export function isStaleMarker(v: number): boolean {
  scratch[0] = v;
  return scratchBits[HI] === STALE_HI && scratchBits[LO] === STALE_LO;
}

/**
 * The staleness marker as a number, for writing test data.
 *
 * @example
 * appender.append(0, labels, t, staleMarker());
 */
export function staleMarker(): number {
  scratchBits[HI] = STALE_HI;
  scratchBits[LO] = STALE_LO;
  return scratch[0]!;
}

/**
 * Holds one series' samples at a time; loading the next series replaces them.
 *
 * @example
 * const buf = new SampleBuffer();
 * const n = buf.load(series, mint, maxt, true);
 * for (let i = 0; i < n; i++) use(buf.ts[i], buf.vs[i]);
 */
export class SampleBuffer implements SampleSink {
  /** Timestamps of the loaded samples, `[0, length)`. */
  ts = new Float64Array(INITIAL_CAPACITY);
  /** Values of the loaded samples. */
  vs = new Float64Array(INITIAL_CAPACITY);
  length = 0;
  #bits = new Uint32Array(this.vs.buffer);
  /** The last series' iterator, handed to the next series to reuse. */
  #it: SampleIterator | undefined = undefined;

  /**
   * Replaces the content with `series`' samples with `mint ≤ t ≤ maxt`; with `dropStale`,
   * staleness markers are left out (range selectors ignore them).
   *
   * @returns the number of samples loaded.
   * @throws {QueryExecutionError} when the storage iterator fails.
   * @example
   * const n = buf.load(series, t - 300_000 + 1, t, false);
   */
  load(series: Series, mint: number, maxt: number, dropStale: boolean): number {
    const it = series.iterator(this.#it);
    this.#it = it;
    this.length = 0;
    if (mint <= maxt && it.seek(mint)) {
      if (it.drain !== undefined) it.drain(maxt, this);
      else {
        do {
          const t = it.atT();
          if (t > maxt) break;
          if (this.length === this.ts.length) this.#grow();
          this.ts[this.length] = t;
          this.vs[this.length] = it.atV();
          this.length++;
        } while (it.next());
      }
    }
    const err = it.err();
    if (err !== null) {
      throw new QueryExecutionError(`expanding series: ${err.message}`, { cause: err });
    }
    if (dropStale) this.#dropStale();
    return this.length;
  }

  /**
   * Appends samples handed over by a storage iterator ({@link SampleSink}).
   *
   * @example
   * buf.append(chunkTs, chunkVs, 0, 120);
   */
  append(ts: Float64Array, vs: Float64Array, from: number, to: number): void {
    const n = this.length;
    while (n + to - from > this.ts.length) this.#grow();
    this.ts.set(ts.subarray(from, to), n);
    // A same-type copy moves bytes, so NaN payloads (the staleness marker) survive.
    this.vs.set(vs.subarray(from, to), n);
    this.length = n + to - from;
  }

  /** Whether the value at `i` is the staleness marker. */
  isStale(i: number): boolean {
    return this.#bits[2 * i + HI] === STALE_HI && this.#bits[2 * i + LO] === STALE_LO;
  }

  #dropStale(): void {
    const ts = this.ts;
    const bits = this.#bits;
    let n = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.isStale(i)) continue;
      ts[n] = ts[i]!;
      bits[2 * n] = bits[2 * i]!;
      bits[2 * n + 1] = bits[2 * i + 1]!;
      n++;
    }
    this.length = n;
  }

  #grow(): void {
    const ts = new Float64Array(this.ts.length * 2);
    ts.set(this.ts);
    const vs = new Float64Array(this.vs.length * 2);
    vs.set(this.vs);
    this.ts = ts;
    this.vs = vs;
    this.#bits = new Uint32Array(vs.buffer);
  }
}
