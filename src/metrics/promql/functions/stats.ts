/**
 * @module
 * Numeric helpers shared by aggregations and functions, written to give Prometheus' results to
 * the last bit: Kahan–Neumaier summation (`kahansum.Inc`), the quantile of a list of values,
 * and the mean that sums directly until the sum would overflow.
 */

/**
 * A running Kahan–Neumaier sum. `c` is the compensation; the result is `sum + c` unless the
 * sum went infinite, where the compensation is dropped.
 *
 * @example
 * const k = new KahanSum();
 * for (const v of values) k.add(v);
 * k.value();
 */
export class KahanSum {
  sum = 0;
  c = 0;

  /**
   * Adds `x` (Prometheus' `kahansum.Inc`).
   *
   * @example
   * const k = new KahanSum(); k.add(1e100); k.add(1); k.add(-1e100); k.value(); // 1
   */
  add(x: number): void {
    const t = this.sum + x;
    if (t === Infinity || t === -Infinity) this.c = 0;
    else if (Math.abs(this.sum) >= Math.abs(x)) this.c += this.sum - t + x;
    else this.c += x - t + this.sum;
    this.sum = t;
  }

  value(): number {
    return this.sum + this.c;
  }

  /** Starts over at zero, so hot loops can reuse one instance. */
  reset(): this {
    this.sum = 0;
    this.c = 0;
    return this;
  }
}

/**
 * The mean of values fed one by one, as Prometheus' `avg` and `avg_over_time` compute it:
 * a compensated sum divided at the end, switching to an incremental mean once the sum would
 * overflow.
 *
 * @example
 * const m = new RunningMean();
 * m.add(1e308); m.add(1e308); m.value(); // 1e308, not Infinity
 */
export class RunningMean {
  #k = new KahanSum();
  #count = 0;
  #incremental = false;
  #mean = 0;

  /** Starts over with no values, so hot loops can reuse one instance. */
  reset(): this {
    this.#k.reset();
    this.#count = 0;
    this.#incremental = false;
    this.#mean = 0;
    return this;
  }

  /**
   * @example
   * const m = new RunningMean(); m.add(1); m.add(2); m.value(); // 1.5
   */
  add(x: number): void {
    this.#count++;
    const k = this.#k;
    if (this.#count === 1) {
      k.sum = x;
      k.c = 0;
      return;
    }
    if (!this.#incremental) {
      const sum = k.sum;
      const c = k.c;
      k.add(x);
      if (k.sum !== Infinity && k.sum !== -Infinity) return;
      // The sum would overflow: from here on, update the mean itself.
      this.#incremental = true;
      this.#mean = sum / (this.#count - 1);
      k.c = c / (this.#count - 1);
    }
    const q = (this.#count - 1) / this.#count;
    k.sum = q * this.#mean;
    k.c = q * k.c;
    k.add(x / this.#count);
    this.#mean = k.sum;
  }

  value(): number {
    const k = this.#k;
    if (this.#incremental) return this.#mean + k.c;
    return k.sum / this.#count + k.c / this.#count;
  }
}

/**
 * Orders numbers as Prometheus' `vectorByValueHeap` does: NaN first, then ascending.
 *
 * @example
 * [3, NaN, 1].sort(nanFirstAscending); // [NaN, 1, 3]
 */
export function nanFirstAscending(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b;
}

/**
 * The φ-quantile of `values` with linear interpolation between neighbours (sorts `values`).
 * NaN for no values or φ NaN; -Inf for φ < 0; +Inf for φ > 1.
 *
 * @example
 * quantile(0.5, [1, 2, 3, 4]); // 2.5
 */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort(nanFirstAscending);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower]! * (1 - weight) + values[upper]! * weight;
}
