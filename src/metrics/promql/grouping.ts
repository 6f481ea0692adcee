/**
 * @module
 * What aggregations share: assigning input series to the groups of `by (…)`/`without (…)`
 * (`by` keeps the listed labels, `without` removes them and the metric name), and evaluating
 * the numeric parameter of `topk`, `quantile`, … with Prometheus' summary of its values.
 */

import type { Evaluator } from './evaluator.js';
import { dropLabels, keepLabels } from './labels-util.js';
import type { Labels } from '../model/labels.js';
import type { Expr } from './parser/ast.js';
import type { StepSeries } from './step-series.js';

/** The grouping of input series: the group of each, and each group's output labels. */
export interface Grouping {
  readonly groupOf: Int32Array;
  readonly labels: Labels[];
}

/**
 * Assigns series to the groups of `by (…)` / `without (…)`.
 *
 * @example
 * group(series, ['job'], false).labels.length; // number of distinct jobs
 */
export function group(
  series: readonly StepSeries[],
  names: readonly string[],
  without: boolean,
): Grouping {
  const set = new Set(names);
  if (without) set.add('__name__');
  const groupOf = new Int32Array(series.length);
  const labels: Labels[] = [];
  const byKey = new Map<string, number>();
  series.forEach((s, i) => {
    const l = without ? dropLabels(s.labels, set) : keepLabels(s.labels, set);
    let g = byKey.get(l.key);
    if (g === undefined) {
      g = labels.length;
      byKey.set(l.key, g);
      labels.push(l);
    }
    groupOf[i] = g;
  });
  return { groupOf, labels };
}

/** A numeric aggregation parameter per step, with Prometheus' summary of its values. */
export interface Param {
  readonly vals: Float64Array;
  readonly min: number;
  readonly max: number;
  readonly hasNaN: boolean;
}

/**
 * Evaluates the parameter of `topk`, `quantile`, … Like Prometheus, a literal's NaN counts in
 * `min`/`max`; evaluated values skip NaN there.
 *
 * @example
 * const k = await evalParam(ev, expr.param!); // topk's k at every step, with min and max
 */
export async function evalParam(ev: Evaluator, e: Expr): Promise<Param> {
  while (e.type === 'ParenExpr') e = e.expr;
  const vals = await ev.evalScalar(e);
  if (e.type === 'NumberLiteral') {
    return { vals, min: e.value, max: e.value, hasNaN: Number.isNaN(e.value) };
  }
  let min = Number.MAX_VALUE;
  let max = -Number.MAX_VALUE;
  let hasNaN = false;
  for (const v of vals) {
    if (Number.isNaN(v)) hasNaN = true;
    else {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  return { vals, min, max, hasNaN };
}
