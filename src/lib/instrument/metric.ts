/**
 * @module
 * What Counter, Gauge and Histogram share: registration-time checks and the per-label-values child
 * cache. A child is created on first use of a label-value tuple and lives as long as its metric;
 * callers on hot paths should keep the child rather than call `labels()` per event.
 */
import type { LabelPairs, MetricFamily, MetricType } from './family.js';
import { checkLabelNames, checkMetricName, checkUnit } from './names.js';

/** Options every metric kind accepts. */
export interface MetricOptions {
  /** Full metric name; counters include `_total`. */
  readonly name: string;
  /** One-line description for `# HELP`. */
  readonly help: string;
  /** Names of the labels `labels()` takes values for, in that order. */
  readonly labelNames?: readonly string[];
  /** OpenMetrics unit, e.g. `seconds`; must be a suffix of the name (before `_total`). */
  readonly unit?: string;
}

/**
 * Joins label values into a cache key. U+FFFF is a Unicode noncharacter, reserved for uses like
 * this one. Children are only created for values without it, so a known child's key holds exactly
 * `n - 1` of them and no other `n`-tuple can produce the same key: a tuple containing U+FFFF has
 * more and misses the cache, then fails creation.
 */
const SEPARATOR = '\uffff';

interface Entry<C> {
  readonly labels: LabelPairs;
  readonly child: C;
}

/** Base class of the metric kinds; `C` is the per-series child type. */
export abstract class Metric<C> {
  /** The name as registered. */
  readonly name: string;
  /** The OpenMetrics family name: {@link name} without a counter's `_total`. */
  readonly familyName: string;
  abstract readonly type: MetricType;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly unit: string | undefined;
  #children = new Map<string, Entry<C>>();
  #single: C | undefined;

  protected constructor(opts: MetricOptions, familyName: string) {
    checkMetricName(opts.name, opts.name);
    checkMetricName(opts.name, familyName);
    checkUnit(opts.name, familyName, opts.unit);
    this.labelNames = [...(opts.labelNames ?? [])];
    checkLabelNames(opts.name, this.labelNames);
    this.name = opts.name;
    this.familyName = familyName;
    this.help = opts.help;
    this.unit = opts.unit;
  }

  /**
   * The child for these label values, in `labelNames` order, created on first use.
   *
   * @example
   * requests.labels('GET', '/metrics', '200').inc();
   */
  labels(...values: string[]): C {
    if (values.length !== this.labelNames.length) {
      throw new RangeError(
        `cannot select series of ${this.name}: want ${this.labelNames.length} label values ` +
          `(${this.labelNames.join(', ')}), got ${values.length}`,
      );
    }
    const key = values.length === 1 ? values[0]! : values.join(SEPARATOR);
    const entry = this.#children.get(key);
    if (entry !== undefined) return entry.child;
    return this.#add(key, values);
  }

  /** The only child of a metric without labels, kept so `inc()` skips the lookup. */
  protected get single(): C {
    if (this.#single !== undefined) return this.#single;
    if (this.labelNames.length > 0) {
      throw new TypeError(
        `cannot use ${this.name} without labels: it has labels ${this.labelNames.join(', ')}; call labels() first`,
      );
    }
    this.#single = this.labels();
    return this.#single;
  }

  /**
   * Children with their labels, in creation order. A metric without labels always has its one
   * series, so it is exposed as 0 before first use, as the Go client does.
   */
  protected entries(): IterableIterator<Entry<C>> {
    if (this.labelNames.length === 0 && this.#single === undefined) this.#single = this.labels();
    return this.#children.values();
  }

  /** Makes the child for a new series. */
  protected abstract newChild(): C;

  /** The metric's current state as one family. */
  abstract collect(): MetricFamily;

  #add(key: string, values: string[]): C {
    for (const value of values) {
      if (value.includes(SEPARATOR)) {
        throw new RangeError(
          `cannot select series of ${this.name}: label values must not contain U+FFFF`,
        );
      }
    }
    const labels = values.map((value, i): readonly [string, string] => [
      this.labelNames[i]!,
      value,
    ]);
    const child = this.newChild();
    this.#children.set(key, { labels, child });
    return child;
  }
}
