/**
 * @module
 * Histograms with fixed buckets. Each series keeps one count per bucket (not cumulative) in a
 * Float64Array plus a running sum, so `observe` is a short scan and two additions with no
 * allocation; exposition makes the counts cumulative and adds the `+Inf` bucket.
 */
import type { MetricFamily, Sample } from './family.js';
import { InvalidMetricError } from './errors.js';
import { Metric, type MetricOptions } from './metric.js';

/** Prometheus' default buckets (Go client `DefBuckets`), sized for request latencies in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** Options for {@link Histogram}. */
export interface HistogramOptions extends MetricOptions {
  /**
   * Finite upper bounds, strictly increasing; `+Inf` is always added and may be given last.
   * Defaults to {@link DEFAULT_BUCKETS}.
   */
  readonly buckets?: readonly number[];
}

/** One series of a histogram. */
export class HistogramChild {
  readonly #bounds: Float64Array;
  /** counts[i] observations fell in (bounds[i-1], bounds[i]]; the last slot is the +Inf bucket. */
  readonly #counts: Float64Array;
  #sum = 0;

  constructor(bounds: Float64Array) {
    this.#bounds = bounds;
    this.#counts = new Float64Array(bounds.length + 1);
  }

  /**
   * Records one observation. A linear scan beats binary search for the usual dozen buckets; NaN
   * compares false everywhere and so lands in +Inf, and makes the sum NaN.
   *
   * @example
   * const start = performance.now();
   * handle(req);
   * latency.observe((performance.now() - start) / 1000);
   */
  observe(value: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && !(value <= bounds[i]!)) i++;
    this.#counts[i]!++;
    this.#sum += value;
  }

  /** Number of observations. */
  get count(): number {
    let n = 0;
    for (const c of this.#counts) n += c;
    return n;
  }

  /** Sum of observations. */
  get sum(): number {
    return this.#sum;
  }

  /** Appends this series' `_bucket`, `_sum` and `_count` samples. */
  appendSamples(samples: Sample[], labels: Sample['labels']): void {
    const bounds = this.#bounds;
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += this.#counts[i]!;
      samples.push({ suffix: '_bucket', labels, le: bounds[i]!, value: cumulative });
    }
    cumulative += this.#counts[bounds.length]!;
    samples.push({ suffix: '_bucket', labels, le: Infinity, value: cumulative });
    samples.push({ suffix: '_sum', labels, value: this.#sum });
    samples.push({ suffix: '_count', labels, value: cumulative });
  }
}

/** A distribution over fixed buckets; see {@link Registry.histogram}. */
export class Histogram extends Metric<HistogramChild> {
  readonly type = 'histogram';
  /** Finite upper bounds shared by all children. */
  readonly #bounds: Float64Array;

  constructor(opts: HistogramOptions) {
    super(opts, opts.name);
    this.#bounds = checkBuckets(opts.name, opts.buckets ?? DEFAULT_BUCKETS);
  }

  /** The finite bucket upper bounds, in increasing order. */
  get buckets(): readonly number[] {
    return [...this.#bounds];
  }

  /** Records one observation on the series of a histogram without labels; see {@link HistogramChild.observe}. */
  observe(value: number): void {
    this.single.observe(value);
  }

  protected override newChild(): HistogramChild {
    return new HistogramChild(this.#bounds);
  }

  override collect(): MetricFamily {
    const samples: Sample[] = [];
    for (const { labels, child } of this.entries()) child.appendSamples(samples, labels);
    return { name: this.familyName, help: this.help, type: 'histogram', unit: this.unit, samples };
  }
}

function checkBuckets(metric: string, buckets: readonly number[]): Float64Array {
  const finite = buckets.at(-1) === Infinity ? buckets.slice(0, -1) : buckets;
  for (let i = 0; i < finite.length; i++) {
    const b = finite[i]!;
    if (!Number.isFinite(b) || (i > 0 && !(b > finite[i - 1]!))) {
      throw new InvalidMetricError(
        metric,
        String(buckets),
        'buckets must be finite and strictly increasing, with only +Inf allowed last',
      );
    }
  }
  return Float64Array.from(finite);
}
