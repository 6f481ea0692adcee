/**
 * @module
 * Every PromQL function of Prometheus 3, with its argument types and return type, as the parser
 * type-checks calls against them. `variadic` is 0 for a fixed argument list, n > 0 when the last
 * argument may be left out or repeated up to n times in total, and -1 when it repeats without
 * limit. `experimental` functions are rejected unless the parser is given
 * `experimentalFunctions: true` (Prometheus' `--enable-feature=promql-experimental-functions`).
 * Prometheus 3 renamed `holt_winters` to `double_exponential_smoothing`; the old name is unknown.
 */

import type { ValueType } from './ast.js';

export interface FunctionDef {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  readonly variadic: number;
  readonly returnType: ValueType;
  readonly experimental: boolean;
}

type Signature = readonly [args: readonly ValueType[], variadic?: number, experimental?: boolean];

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

const OVER_TIME: Signature = [[M]];
const MATH: Signature = [[V]];
const DATE: Signature = [[V], 1];
const EXPERIMENTAL_OVER_TIME: Signature = [[M], 0, true];

/** name → signature; every function returns an instant vector unless listed in SCALAR_RESULT. */
const SIGNATURES: Readonly<Record<string, Signature>> = {
  abs: MATH,
  absent: MATH,
  absent_over_time: OVER_TIME,
  acos: MATH,
  acosh: MATH,
  asin: MATH,
  asinh: MATH,
  atan: MATH,
  atanh: MATH,
  avg_over_time: OVER_TIME,
  ceil: MATH,
  changes: OVER_TIME,
  clamp: [[V, S, S]],
  clamp_max: [[V, S]],
  clamp_min: [[V, S]],
  cos: MATH,
  cosh: MATH,
  count_over_time: OVER_TIME,
  day_of_month: DATE,
  day_of_week: DATE,
  day_of_year: DATE,
  days_in_month: DATE,
  deg: MATH,
  delta: OVER_TIME,
  deriv: OVER_TIME,
  double_exponential_smoothing: [[M, S, S], 0, true],
  exp: MATH,
  first_over_time: EXPERIMENTAL_OVER_TIME,
  floor: MATH,
  histogram_avg: MATH,
  histogram_count: MATH,
  histogram_fraction: [[S, S, V]],
  histogram_quantile: [[S, V]],
  histogram_stddev: MATH,
  histogram_stdvar: MATH,
  histogram_sum: MATH,
  hour: DATE,
  idelta: OVER_TIME,
  increase: OVER_TIME,
  info: [[V, V], 1, true],
  irate: OVER_TIME,
  label_join: [[V, STR, STR, STR], -1],
  label_replace: [[V, STR, STR, STR, STR]],
  last_over_time: OVER_TIME,
  ln: MATH,
  log10: MATH,
  log2: MATH,
  mad_over_time: EXPERIMENTAL_OVER_TIME,
  max_over_time: OVER_TIME,
  min_over_time: OVER_TIME,
  minute: DATE,
  month: DATE,
  pi: [[]],
  predict_linear: [[M, S]],
  present_over_time: OVER_TIME,
  quantile_over_time: [[S, M]],
  rad: MATH,
  rate: OVER_TIME,
  resets: OVER_TIME,
  round: [[V, S], 1],
  scalar: MATH,
  sgn: MATH,
  sin: MATH,
  sinh: MATH,
  sort: MATH,
  sort_by_label: [[V, STR], -1, true],
  sort_by_label_desc: [[V, STR], -1, true],
  sort_desc: MATH,
  sqrt: MATH,
  stddev_over_time: OVER_TIME,
  stdvar_over_time: OVER_TIME,
  sum_over_time: OVER_TIME,
  tan: MATH,
  tanh: MATH,
  time: [[]],
  timestamp: MATH,
  ts_of_first_over_time: EXPERIMENTAL_OVER_TIME,
  ts_of_last_over_time: EXPERIMENTAL_OVER_TIME,
  ts_of_max_over_time: EXPERIMENTAL_OVER_TIME,
  ts_of_min_over_time: EXPERIMENTAL_OVER_TIME,
  vector: [[S]],
  year: DATE,
};

const SCALAR_RESULT: ReadonlySet<string> = new Set(['pi', 'scalar', 'time']);

/** All functions by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(
  Object.entries(SIGNATURES).map(([name, [argTypes, variadic = 0, experimental = false]]) => [
    name,
    Object.freeze({
      name,
      argTypes,
      variadic,
      returnType: SCALAR_RESULT.has(name) ? S : V,
      experimental,
    }),
  ]),
);

/**
 * The function called `name`, or undefined.
 *
 * @example
 * getFunction('rate')?.argTypes; // ['matrix']
 */
export function getFunction(name: string): FunctionDef | undefined {
  return FUNCTIONS.get(name);
}
