/**
 * @module
 * A batch of samples as three parallel typed arrays (series ref, timestamp in ms, value), the
 * unit that the head appends and the Samples record carries. No object per sample: appending,
 * encoding and decoding touch only the arrays, and a batch is cleared and reused.
 *
 * Values stay in a `Float64Array` because their exact bits matter: Prometheus marks a series
 * stale with one particular NaN (0x7ff0000000000002), and V8 canonicalises NaNs stored in plain
 * JS arrays. The codec copies value bytes through {@link SampleBatch.valueBytes} and never loads
 * a value into a JS number.
 */

/** Where a batch starts when no capacity is given: a typical scrape appends a few hundred. */
const DEFAULT_CAPACITY = 256;

export class SampleBatch {
  #refs: Float64Array;
  #ts: Float64Array;
  #vs: Float64Array;
  #valueBytes: Uint8Array;
  /** Number of samples held; entries at and after it are unspecified. */
  length = 0;

  /**
   * @example
   * const batch = new SampleBatch();
   * batch.push(1, 1_700_000_000_000, 0.5);
   * batch.push(2, 1_700_000_000_000, 42);
   */
  constructor(capacity = DEFAULT_CAPACITY) {
    this.#refs = new Float64Array(capacity);
    this.#ts = new Float64Array(capacity);
    this.#vs = new Float64Array(capacity);
    this.#valueBytes = new Uint8Array(this.#vs.buffer);
  }

  /** Series refs; a view replaced when the batch grows, so re-read it after {@link push}. */
  get refs(): Float64Array {
    return this.#refs;
  }

  /** Timestamps in ms; replaced when the batch grows. */
  get ts(): Float64Array {
    return this.#ts;
  }

  /** Values; replaced when the batch grows. */
  get vs(): Float64Array {
    return this.#vs;
  }

  /** The bytes of {@link vs} in host order, 8 per sample: how the codec moves values bit-exactly. */
  get valueBytes(): Uint8Array {
    return this.#valueBytes;
  }

  get capacity(): number {
    return this.#refs.length;
  }

  /** Makes room for `n` samples in total, keeping the first {@link length}. */
  reserve(n: number): void {
    if (n <= this.#refs.length) return;
    let cap = Math.max(this.#refs.length * 2, 16);
    while (cap < n) cap *= 2;
    this.#refs = grow(this.#refs, cap, this.length);
    this.#ts = grow(this.#ts, cap, this.length);
    this.#vs = grow(this.#vs, cap, this.length);
    this.#valueBytes = new Uint8Array(this.#vs.buffer);
  }

  /**
   * Appends one sample, growing the arrays when full (amortised: no allocation in the steady
   * state). A value given as a number keeps its bits on V8's usual paths; callers holding exact
   * bits elsewhere write them through {@link valueBytes} instead.
   */
  push(ref: number, t: number, v: number): void {
    const i = this.length;
    if (i === this.#refs.length) this.reserve(i + 1);
    this.#refs[i] = ref;
    this.#ts[i] = t;
    this.#vs[i] = v;
    this.length = i + 1;
  }

  /**
   * Keeps the samples for which `keep(ref, t)` is true, in order, moving value bytes so that
   * NaN payloads survive.
   *
   * @example
   * batch.retain((_ref, t) => t >= minTime); // what a checkpoint does
   */
  retain(keep: (ref: number, t: number) => boolean): void {
    const refs = this.#refs;
    const ts = this.#ts;
    const vb = this.#valueBytes;
    let j = 0;
    for (let i = 0; i < this.length; i++) {
      if (!keep(refs[i]!, ts[i]!)) continue;
      if (j !== i) {
        refs[j] = refs[i]!;
        ts[j] = ts[i]!;
        vb.copyWithin(j * 8, i * 8, i * 8 + 8);
      }
      j++;
    }
    this.length = j;
  }

  /** Empties the batch, keeping its capacity. */
  clear(): void {
    this.length = 0;
  }
}

function grow(a: Float64Array, cap: number, used: number): Float64Array {
  const next = new Float64Array(cap);
  next.set(a.subarray(0, used));
  return next;
}
