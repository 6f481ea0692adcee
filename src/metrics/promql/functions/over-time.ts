/**
 * @module
 * The `<aggregation>_over_time` functions and `changes`/`resets`: each folds the samples of one
 * window. `last_over_time` and `first_over_time` keep the metric name (they act like a
 * selector); the rest drop it. `min`/`max` let any number replace NaN; `sum`, `avg` and the
 * variance family use compensated summation as Prometheus does.
 */

import { formatG } from '../annotations.js';
import type { RangeFunction, RangeWindow } from './registry.js';
import { KahanSum, RunningMean, quantile } from './stats.js';

// Reused across windows: one object per call would be one per series per step.
const SUM = new KahanSum();
const MEAN = new RunningMean();
const MEAN2 = new KahanSum();
const AUX = new KahanSum();

function sumOverTime(w: RangeWindow): number {
  const k = SUM.reset();
  for (let i = w.lo; i < w.hi; i++) k.add(w.vs[i]!);
  return k.sum === Infinity || k.sum === -Infinity ? k.sum : k.value();
}

function avgOverTime(w: RangeWindow): number {
  const m = MEAN.reset();
  for (let i = w.lo; i < w.hi; i++) m.add(w.vs[i]!);
  return m.value();
}

/** The variance of a window by Welford's method with compensated sums. */
function variance(w: RangeWindow): number {
  const mean = MEAN2.reset();
  const aux = AUX.reset();
  let count = 0;
  for (let i = w.lo; i < w.hi; i++) {
    const f = w.vs[i]!;
    count++;
    const delta = f - (mean.sum + mean.c);
    mean.add(delta / count);
    aux.add(delta * (f - (mean.sum + mean.c)));
  }
  return (aux.sum + aux.c) / count;
}

/** The value (or with `returnTime` its timestamp in seconds) picked by `better`. */
function pick(
  w: RangeWindow,
  better: (cur: number, best: number) => boolean,
  returnTime: boolean,
): number {
  let best = w.vs[w.lo]!;
  let bestT = w.ts[w.lo]!;
  for (let i = w.lo; i < w.hi; i++) {
    const f = w.vs[i]!;
    if (better(f, best) || Number.isNaN(best)) {
      best = f;
      bestT = w.ts[i]!;
    }
  }
  return returnTime ? bestT / 1000 : best;
}

/** The window's values in a scratch array reused by every call (quantiles sort it). */
const SCRATCH: number[] = [];

function windowValues(w: RangeWindow): number[] {
  SCRATCH.length = 0;
  for (let i = w.lo; i < w.hi; i++) SCRATCH.push(w.vs[i]!);
  return SCRATCH;
}

function quantileOverTime(w: RangeWindow): number {
  const q = w.args[0]!;
  if (Number.isNaN(q) || q < 0 || q > 1) {
    w.notes.warn(
      `quantile value should be between 0 and 1, got ${formatG(q)}`,
      w.call.args[0]!.pos,
    );
  }
  return quantile(q, windowValues(w));
}

function madOverTime(w: RangeWindow): number {
  const values = windowValues(w);
  const median = quantile(0.5, values.slice());
  for (let i = 0; i < values.length; i++) values[i] = Math.abs(values[i]! - median);
  return quantile(0.5, values);
}

function changes(w: RangeWindow): number {
  let n = 0;
  for (let i = w.lo + 1; i < w.hi; i++) {
    const cur = w.vs[i]!;
    const prev = w.vs[i - 1]!;
    if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) n++;
  }
  return n;
}

function resets(w: RangeWindow): number {
  let n = 0;
  for (let i = w.lo + 1; i < w.hi; i++) if (w.vs[i]! < w.vs[i - 1]!) n++;
  return n;
}

export const OVER_TIME_FUNCTIONS: readonly RangeFunction[] = [
  { kind: 'range', name: 'sum_over_time', fn: sumOverTime },
  { kind: 'range', name: 'avg_over_time', fn: avgOverTime },
  { kind: 'range', name: 'count_over_time', fn: (w) => w.hi - w.lo },
  { kind: 'range', name: 'min_over_time', fn: (w) => pick(w, (cur, best) => cur < best, false) },
  { kind: 'range', name: 'max_over_time', fn: (w) => pick(w, (cur, best) => cur > best, false) },
  {
    kind: 'range',
    name: 'ts_of_min_over_time',
    fn: (w) => pick(w, (cur, best) => cur <= best, true),
  },
  {
    kind: 'range',
    name: 'ts_of_max_over_time',
    fn: (w) => pick(w, (cur, best) => cur >= best, true),
  },
  { kind: 'range', name: 'last_over_time', keepName: true, fn: (w) => w.vs[w.hi - 1]! },
  { kind: 'range', name: 'first_over_time', keepName: true, fn: (w) => w.vs[w.lo]! },
  { kind: 'range', name: 'ts_of_last_over_time', fn: (w) => w.ts[w.hi - 1]! / 1000 },
  { kind: 'range', name: 'ts_of_first_over_time', fn: (w) => w.ts[w.lo]! / 1000 },
  { kind: 'range', name: 'present_over_time', fn: () => 1 },
  { kind: 'range', name: 'stdvar_over_time', fn: variance },
  { kind: 'range', name: 'stddev_over_time', fn: (w) => Math.sqrt(variance(w)) },
  { kind: 'range', name: 'quantile_over_time', fn: quantileOverTime },
  { kind: 'range', name: 'mad_over_time', fn: madOverTime },
  { kind: 'range', name: 'changes', fn: changes },
  { kind: 'range', name: 'resets', fn: resets },
];
