/**
 * @module
 * The data model every metric and collector reduces to at exposition time, and the only shape the
 * text and OpenMetrics writers read. It follows the OpenMetrics model: a family has a base name,
 * and each sample's metric name is that base name plus a type-specific suffix. A counter
 * registered as `vigil_http_requests_total` is the family `vigil_http_requests` whose samples carry
 * the `_total` suffix; the text writer puts `_total` back into its `# TYPE`/`# HELP` lines.
 */

/** Family types. Strings equal the Prometheus text format's words; OpenMetrics says `unknown` for `untyped`. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'untyped';

/**
 * What a sample appends to its family name: `_total` for counters, `''` for gauges and untyped,
 * `_bucket`, `_sum` or `_count` for histograms.
 */
export type SampleSuffix = '' | '_total' | '_bucket' | '_sum' | '_count';

/** One label as `[name, value]`. */
export type Label = readonly [name: string, value: string];

/** A series' labels in exposition order. Histograms' `le` is not among them: see {@link Sample.le}. */
export type LabelPairs = readonly Label[];

/** One line of exposition. */
export interface Sample {
  readonly suffix: SampleSuffix;
  readonly labels: LabelPairs;
  /**
   * Upper bound of a `_bucket` sample (`Infinity` for the last). It travels as a number because
   * the two formats spell it differently (`1` versus `1.0`); writers append it as the `le` label.
   */
  readonly le?: number;
  readonly value: number;
}

/**
 * A metric family: metadata plus every sample of every series, series not interleaved (all samples
 * of one label set are adjacent, histogram buckets in increasing `le`, then `_sum`, `_count`).
 */
export interface MetricFamily {
  /** Base name; for counters without `_total`. Must match `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
  readonly name: string;
  /** Free text; an empty help omits the `# HELP` line. */
  readonly help: string;
  readonly type: MetricType;
  /** OpenMetrics unit (`seconds`, `bytes`); when set, `name` must end in `_` + unit. */
  readonly unit?: string;
  readonly samples: readonly Sample[];
}

/**
 * Anything that can report families on demand. `collect` runs synchronously on every exposition,
 * so it must be cheap and must not block on I/O beyond small local reads.
 */
export interface Collector {
  collect(): MetricFamily[];
}

/** The sample suffixes each type produces, used to detect names that would collide on the wire. */
const SUFFIXES: Readonly<Record<MetricType, readonly SampleSuffix[]>> = {
  counter: ['_total'],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
};

/**
 * Every name a family occupies in either format: its base name and its samples' names.
 *
 * @example
 * occupiedNames('req_seconds', 'histogram'); // ['req_seconds', 'req_seconds_bucket', 'req_seconds_sum', 'req_seconds_count']
 */
export function occupiedNames(name: string, type: MetricType): string[] {
  const names = [name];
  for (const suffix of SUFFIXES[type]) if (suffix !== '') names.push(name + suffix);
  return names;
}

/**
 * The name a family goes by in the Prometheus text format and in error messages: the name the
 * caller registered, so counters get their `_total` back.
 *
 * @example
 * displayName({ name: 'vigil_http_requests', type: 'counter' }); // 'vigil_http_requests_total'
 */
export function displayName(family: Pick<MetricFamily, 'name' | 'type'>): string {
  return family.type === 'counter' ? family.name + '_total' : family.name;
}
