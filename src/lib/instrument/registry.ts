/**
 * @module
 * The registry: one namespace of metrics, exposed together. Components register their metrics at
 * startup and keep the returned objects; the `/metrics` handler calls `expose()`. Registration
 * checks names once, so exposition never validates; exposition runs every collector and gauge
 * callback synchronously and returns families sorted by name.
 */
import { Counter, type CounterOptions } from './counter.js';
import { DuplicateMetricError } from './errors.js';
import { writeFamilies, type ExpositionFormat } from './exposition.js';
import {
  displayName,
  occupiedNames,
  type Collector,
  type MetricFamily,
  type MetricType,
} from './family.js';
import { Gauge, type GaugeOptions } from './gauge.js';
import { Histogram, type HistogramOptions } from './histogram.js';
import type { Metric } from './metric.js';
import { checkFamily } from './names.js';

/**
 * A set of metrics and collectors exposed together. Every method is synchronous: `collect()` and
 * `expose()` never yield, so an exposition is a consistent snapshot of all updates made before
 * it. Gauge callbacks and collectors must not register metrics while being collected.
 */
export class Registry {
  readonly #metrics: Metric<unknown>[] = [];
  readonly #collectors: Collector[] = [];
  /** Every family and sample name in use, mapped to the name of the metric that uses it. */
  readonly #taken = new Map<string, string>();

  /**
   * Registers a counter. The name must end in `_total`.
   *
   * @example
   * const requests = registry.counter({
   *   name: 'vigil_http_requests_total',
   *   help: 'HTTP requests served.',
   *   labelNames: ['method', 'route', 'code'],
   * });
   * requests.labels('GET', '/metrics', '200').inc();
   */
  counter(opts: CounterOptions): Counter {
    return this.#add(new Counter(opts));
  }

  /**
   * Registers a gauge; `collect`, if given, refreshes it before each exposition.
   *
   * @example
   * registry.gauge({
   *   name: 'vigil_wal_segments',
   *   help: 'WAL segments on disk.',
   *   collect: (g) => g.set(wal.segmentCount()),
   * });
   */
  gauge(opts: GaugeOptions): Gauge {
    return this.#add(new Gauge(opts));
  }

  /**
   * Registers a histogram; buckets default to {@link DEFAULT_BUCKETS}.
   *
   * @example
   * const latency = registry.histogram({
   *   name: 'vigil_query_duration_seconds',
   *   help: 'PromQL query latency.',
   *   unit: 'seconds',
   * });
   * latency.observe(0.042);
   */
  histogram(opts: HistogramOptions): Histogram {
    return this.#add(new Histogram(opts));
  }

  /**
   * Adds a custom collector. It is collected once now to check its families' names against the
   * registry; families it starts reporting later are checked for duplicates at every exposition.
   *
   * @example
   * registry.collector({ collect: () => [{ name: 'vigil_up', help: 'Up.', type: 'gauge', samples: [{ suffix: '', labels: [], value: 1 }] }] });
   */
  collector(collector: Collector): void {
    const families = collector.collect();
    for (const family of families) checkFamily(family);
    this.#claim(families.map((f) => ({ owner: displayName(f), name: f.name, type: f.type })));
    this.#collectors.push(collector);
  }

  /**
   * Current state of every metric and collector, sorted by family name. Throws a
   * DuplicateMetricError if two collectors report the same family.
   *
   * @example
   * for (const family of registry.collect()) console.log(family.name, family.samples.length);
   */
  collect(): MetricFamily[] {
    const families: MetricFamily[] = [];
    for (const metric of this.#metrics) families.push(metric.collect());
    for (const collector of this.#collectors) families.push(...collector.collect());
    families.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 1; i < families.length; i++) {
      if (families[i]!.name === families[i - 1]!.name) {
        throw new DuplicateMetricError(displayName(families[i]!), displayName(families[i - 1]!));
      }
    }
    return families;
  }

  /**
   * Renders {@link collect}'s result in the given format; pair with `negotiateFormat` and
   * `CONTENT_TYPE`.
   *
   * @example
   * const format = negotiateFormat(req.headers.accept);
   * reply.type(CONTENT_TYPE[format]).send(registry.expose(format));
   */
  expose(format: ExpositionFormat): string {
    return writeFamilies(this.collect(), format);
  }

  #add<M extends Metric<unknown>>(metric: M): M {
    this.#claim([{ owner: metric.name, name: metric.familyName, type: metric.type }]);
    this.#metrics.push(metric);
    return metric;
  }

  /** Reserves the families' names, or throws without reserving any if one is taken. */
  #claim(families: readonly { owner: string; name: string; type: MetricType }[]): void {
    const claims: [string, string][] = [];
    for (const { owner, name: familyName, type } of families) {
      for (const name of occupiedNames(familyName, type)) {
        const existing = this.#taken.get(name) ?? claims.find(([n]) => n === name)?.[1];
        if (existing !== undefined) throw new DuplicateMetricError(owner, existing);
        claims.push([name, owner]);
      }
    }
    for (const [name, owner] of claims) this.#taken.set(name, owner);
  }
}
