/**
 * @module
 * Counters: values that only go up, reset only when the process restarts. The name must end in
 * `_total`; in OpenMetrics the family is the name without it.
 */
import type { MetricFamily, Sample } from './family.js';
import { InvalidMetricError } from './errors.js';
import { Metric, type MetricOptions } from './metric.js';

/** Options for {@link Counter}. */
export type CounterOptions = MetricOptions;

/** One series of a counter. */
export class CounterChild {
  readonly #metric: string;
  #value = 0;

  constructor(metric: string) {
    this.#metric = metric;
  }

  /**
   * Adds `by` (default 1). Throws a RangeError for negative or NaN increments, which would break
   * the counter's contract with `rate()`.
   *
   * @example
   * child.inc(); child.inc(512);
   */
  inc(by = 1): void {
    if (!(by >= 0))
      throw new RangeError(`cannot increment counter ${this.#metric} by ${by}: must be >= 0`);
    this.#value += by;
  }

  /** Current value. */
  get value(): number {
    return this.#value;
  }
}

/** A monotonically increasing metric; see {@link Registry.counter}. */
export class Counter extends Metric<CounterChild> {
  readonly type = 'counter';

  constructor(opts: CounterOptions) {
    if (!opts.name.endsWith('_total')) {
      throw new InvalidMetricError(opts.name, opts.name, 'counter names must end in _total');
    }
    super(opts, opts.name.slice(0, -'_total'.length));
  }

  /**
   * Increments the series of a counter without labels.
   *
   * @example
   * registry.counter({ name: 'vigil_restarts_total', help: 'Restarts.' }).inc();
   */
  inc(by = 1): void {
    this.single.inc(by);
  }

  /** Current value of the series of a counter without labels. */
  get value(): number {
    return this.single.value;
  }

  protected override newChild(): CounterChild {
    return new CounterChild(this.name);
  }

  override collect(): MetricFamily {
    const samples: Sample[] = [];
    for (const { labels, child } of this.entries()) {
      samples.push({ suffix: '_total', labels, value: child.value });
    }
    return {
      name: this.familyName,
      help: this.help,
      type: 'counter',
      unit: this.unit,
      samples,
    };
  }
}
