/**
 * @module
 * Shapes of `/api/v1/query` and `/api/v1/query_range` results, as on the wire. Sample values
 * stay strings (`"1.5"`, `"NaN"`, `"+Inf"`) because JSON numbers cannot carry NaN and infinities.
 */

/** A label set: label name → value. */
export type Metric = Record<string, string>;

/** `[unix seconds, value string]`. */
export type SampleValue = [number, string];

/** One series of an instant vector. */
export interface InstantSample {
  metric: Metric;
  value: SampleValue;
}

/** One series of a range vector (matrix). */
export interface RangeSeries {
  metric: Metric;
  values: SampleValue[];
}

/** The `data` of a successful query. */
export type QueryData =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'scalar'; result: SampleValue }
  | { resultType: 'string'; result: SampleValue };

/** `/api/v1/metadata`: metric name → what each target said about it. */
export type MetricMetadataMap = Record<string, { type: string; help: string; unit: string }[]>;
