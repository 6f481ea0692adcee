/**
 * @module
 * A quantile sketch with relative accuracy (the DDSketch construction): values fall into
 * logarithmic buckets whose width is a fixed fraction of their value, so any quantile is
 * reported within ±1 % of the true value whatever the distribution, in memory that grows with
 * the logarithm of the value range rather than the number of values. Log latencies span six
 * orders of magnitude; a rank-accurate sketch (t-digest) would blur exactly the tail people
 * look at.
 */

/** Relative accuracy: a reported quantile is within this fraction of the true value. */
const ALPHA = 0.01;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LOG_GAMMA = Math.log(GAMMA);
/** Values below this count as zero: they would need absurd bucket indexes. */
const MIN_POSITIVE = 1e-9;

/**
 * @example
 * const s = new QuantileSketch();
 * for (let i = 1; i <= 100; i++) s.add(i);
 * s.quantile(0.5); // ≈ 50 (within 1 %)
 */
export class QuantileSketch {
  #pos = new Map<number, number>();
  #neg = new Map<number, number>();
  #zero = 0;
  #count = 0;
  #min = Infinity;
  #max = -Infinity;

  get count(): number {
    return this.#count;
  }

  add(v: number): void {
    if (Number.isNaN(v)) return;
    this.#count++;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
    if (Math.abs(v) < MIN_POSITIVE) this.#zero++;
    else {
      const store = v > 0 ? this.#pos : this.#neg;
      const k = Math.ceil(Math.log(Math.abs(v)) / LOG_GAMMA);
      store.set(k, (store.get(k) ?? 0) + 1);
    }
  }

  /**
   * The value at quantile `q` (0–1), or NaN when empty. The exact minimum and maximum are
   * returned for 0 and 1.
   */
  quantile(q: number): number {
    if (this.#count === 0) return NaN;
    if (q <= 0) return this.#min;
    if (q >= 1) return this.#max;
    const rank = q * (this.#count - 1);
    let seen = 0;
    const negKeys = [...this.#neg.keys()].sort((a, b) => b - a);
    for (const k of negKeys) {
      seen += this.#neg.get(k)!;
      if (seen > rank) return this.#clamp(-valueOf(k));
    }
    seen += this.#zero;
    if (seen > rank) return 0;
    const posKeys = [...this.#pos.keys()].sort((a, b) => a - b);
    for (const k of posKeys) {
      seen += this.#pos.get(k)!;
      if (seen > rank) return this.#clamp(valueOf(k));
    }
    return this.#max;
  }

  #clamp(v: number): number {
    return Math.min(this.#max, Math.max(this.#min, v));
  }
}

/** The representative of bucket `k`: the point of least relative error in (γ^(k-1), γ^k]. */
function valueOf(k: number): number {
  return (2 * Math.pow(GAMMA, k)) / (GAMMA + 1);
}
