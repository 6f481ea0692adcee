/**
 * @module
 * Trend functions over a window: `deriv` (least-squares slope, per second), `predict_linear`
 * (the least-squares line evaluated `t` seconds after the step's time), and the experimental
 * `double_exponential_smoothing` (Prometheus 2's `holt_winters`). Sums are compensated and
 * times taken relative to a nearby instant, as Prometheus does to keep precision.
 */

import { QueryExecutionError } from '../errors.js';
import { formatFixed6 } from '../parser/strconv.js';
import type { RangeFunction, RangeWindow } from './registry.js';
import { KahanSum } from './stats.js';

const X = new KahanSum();
const Y = new KahanSum();
const XY = new KahanSum();
const X2 = new KahanSum();

/** Result of {@link regress}, kept outside to avoid an object per call. */
let slope = 0;
let intercept = 0;

/** Least-squares fit of the window with times in seconds relative to `interceptTime` (ms). */
function regress(w: RangeWindow, interceptTime: number): void {
  X.reset();
  Y.reset();
  XY.reset();
  X2.reset();
  const initY = w.vs[w.lo]!;
  let constY = true;
  let n = 0;
  for (let i = w.lo; i < w.hi; i++) {
    const v = w.vs[i]!;
    if (constY && i > w.lo && v !== initY) constY = false;
    n++;
    const x = (w.ts[i]! - interceptTime) / 1e3;
    X.add(x);
    Y.add(v);
    XY.add(x * v);
    X2.add(x * x);
  }
  if (constY) {
    // A constant series has slope 0 exactly, which the sums below would blur.
    const inf = initY === Infinity || initY === -Infinity;
    slope = inf ? NaN : 0;
    intercept = inf ? NaN : initY;
    return;
  }
  const sumX = X.value();
  const sumY = Y.value();
  const sumXY = XY.value();
  const sumX2 = X2.value();
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  slope = covXY / varX;
  intercept = sumY / n - (slope * sumX) / n;
}

function deriv(w: RangeWindow): number | undefined {
  if (w.hi - w.lo < 2) return undefined;
  regress(w, w.ts[w.lo]!);
  return slope;
}

function predictLinear(w: RangeWindow): number | undefined {
  if (w.hi - w.lo < 2) return undefined;
  regress(w, w.t);
  return slope * w.args[0]! + intercept;
}

function doubleExponentialSmoothing(w: RangeWindow): number | undefined {
  const sf = w.args[0]!;
  const tf = w.args[1]!;
  if (sf <= 0 || sf >= 1) {
    throw new QueryExecutionError(
      `invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatFixed6(sf)}`,
    );
  }
  if (tf <= 0 || tf >= 1) {
    throw new QueryExecutionError(
      `invalid trend factor. Expected: 0 < tf < 1, got: ${formatFixed6(tf)}`,
    );
  }
  const { vs, lo, hi } = w;
  if (hi - lo < 2) return undefined;
  let s0 = 0;
  let s1 = vs[lo]!;
  let b = vs[lo + 1]! - vs[lo]!;
  for (let i = 1; i < hi - lo; i++) {
    const x = sf * vs[lo + i]!;
    // The trend at the first step is the initial slope itself.
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

export const PREDICT_FUNCTIONS: readonly RangeFunction[] = [
  { kind: 'range', name: 'deriv', fn: deriv },
  { kind: 'range', name: 'predict_linear', fn: predictLinear },
  { kind: 'range', name: 'double_exponential_smoothing', fn: doubleExponentialSmoothing },
];
