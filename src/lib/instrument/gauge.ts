/**
 * @module
 * Gauges: values that go up and down. A gauge can refresh itself at exposition time through its
 * `collect` callback, which is how values owned by someone else (queue lengths, cache sizes) are
 * exported without updating them on every change.
 */
import type { MetricFamily, Sample } from './family.js';
import { Metric, type MetricOptions } from './metric.js';

/** Options for {@link Gauge}. */
export interface GaugeOptions extends MetricOptions {
  /**
   * Runs synchronously before every exposition to set current values. An exception fails the
   * exposition, so it must not throw for expected conditions.
   */
  readonly collect?: (gauge: Gauge) => void;
}

/** One series of a gauge. */
export class GaugeChild {
  #value = 0;

  /**
   * Sets the value.
   *
   * @example
   * queueLength.set(queue.length);
   */
  set(value: number): void {
    this.#value = value;
  }

  /**
   * Adds `by` (default 1).
   *
   * @example
   * inFlight.inc();
   */
  inc(by = 1): void {
    this.#value += by;
  }

  /**
   * Subtracts `by` (default 1).
   *
   * @example
   * inFlight.dec();
   */
  dec(by = 1): void {
    this.#value -= by;
  }

  /**
   * Sets the value to the current Unix time in seconds, for "last success" timestamps.
   *
   * @example
   * lastFlush.setToCurrentTime();
   */
  setToCurrentTime(): void {
    this.#value = Date.now() / 1000;
  }

  /** Current value. */
  get value(): number {
    return this.#value;
  }
}

/** A metric that can go up and down; see {@link Registry.gauge}. */
export class Gauge extends Metric<GaugeChild> {
  readonly type = 'gauge';
  readonly #refresh: ((gauge: Gauge) => void) | undefined;

  constructor(opts: GaugeOptions) {
    super(opts, opts.name);
    this.#refresh = opts.collect;
  }

  /** Sets the series of a gauge without labels; see {@link GaugeChild.set}. */
  set(value: number): void {
    this.single.set(value);
  }

  /** Increments the series of a gauge without labels; see {@link GaugeChild.inc}. */
  inc(by = 1): void {
    this.single.inc(by);
  }

  /** Decrements the series of a gauge without labels; see {@link GaugeChild.dec}. */
  dec(by = 1): void {
    this.single.dec(by);
  }

  /** Sets the series of a gauge without labels to now; see {@link GaugeChild.setToCurrentTime}. */
  setToCurrentTime(): void {
    this.single.setToCurrentTime();
  }

  /** Current value of the series of a gauge without labels. */
  get value(): number {
    return this.single.value;
  }

  protected override newChild(): GaugeChild {
    return new GaugeChild();
  }

  override collect(): MetricFamily {
    this.#refresh?.(this);
    const samples: Sample[] = [];
    for (const { labels, child } of this.entries())
      samples.push({ suffix: '', labels, value: child.value });
    return { name: this.familyName, help: this.help, type: 'gauge', unit: this.unit, samples };
  }
}
