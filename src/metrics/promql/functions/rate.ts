/**
 * @module
 * `rate`, `increase`, `delta` (extrapolated over the whole window) and `irate`, `idelta` (from
 * the last two samples). Extrapolation follows Prometheus: the result covers the sampled
 * interval, stretched to a window edge when the first or last sample lies within 110% of the
 * average sample spacing from it, otherwise by half that spacing; a counter is never
 * extrapolated below zero. Counter functions add back the value before each decrease (a
 * reset).
 */

import type { RangeFunction, RangeWindow } from './registry.js';

/**
 * Go's `time.Duration.Seconds()` for a duration in ms: whole seconds plus the remainder in
 * nanoseconds over 1e9, rounding as Go does.
 *
 * @example
 * durationSeconds(300_000); // 300
 */
export function durationSeconds(ms: number): number {
  const whole = Math.trunc(ms / 1000);
  return whole + ((ms - whole * 1000) * 1e6) / 1e9;
}

function extrapolatedRate(w: RangeWindow, isCounter: boolean, isRate: boolean): number | undefined {
  const { ts, vs, lo, hi } = w;
  const samples = hi - lo;
  if (samples < 2) return undefined;
  const firstT = ts[lo]!;
  const lastT = ts[hi - 1]!;
  let result = vs[hi - 1]! - vs[lo]!;
  if (isCounter) {
    for (let i = lo + 1; i < hi; i++) if (vs[i]! < vs[i - 1]!) result += vs[i - 1]!;
  }
  let toStart = (firstT - w.rangeStart) / 1000;
  let toEnd = (w.rangeEnd - lastT) / 1000;
  const sampled = (lastT - firstT) / 1000;
  const average = sampled / (samples - 1);
  const threshold = average * 1.1;
  if (toStart >= threshold) toStart = average / 2;
  if (isCounter && result > 0 && vs[lo]! >= 0) {
    // A counter starts at zero: do not extrapolate back past the point where it would be 0.
    const toZero = sampled * (vs[lo]! / result);
    if (toZero < toStart) toStart = toZero;
  }
  if (toEnd >= threshold) toEnd = average / 2;
  let factor = (sampled + toStart + toEnd) / sampled;
  if (isRate) factor /= durationSeconds(w.range);
  return result * factor;
}

function instantValue(w: RangeWindow, isRate: boolean): number | undefined {
  const { ts, vs, lo, hi } = w;
  if (hi - lo < 2) return undefined;
  const last = vs[hi - 1]!;
  const prev = vs[hi - 2]!;
  const interval = ts[hi - 1]! - ts[hi - 2]!;
  if (interval === 0) return undefined;
  // After a counter reset the last value is the increase since the reset.
  let result = last;
  if (!isRate || !(last < prev)) result = last - prev;
  return isRate ? result / (interval / 1000) : result;
}

export const RATE_FUNCTIONS: readonly RangeFunction[] = [
  { kind: 'range', name: 'rate', fn: (w) => extrapolatedRate(w, true, true) },
  { kind: 'range', name: 'increase', fn: (w) => extrapolatedRate(w, true, false) },
  { kind: 'range', name: 'delta', fn: (w) => extrapolatedRate(w, false, false) },
  { kind: 'range', name: 'irate', fn: (w) => instantValue(w, true) },
  { kind: 'range', name: 'idelta', fn: (w) => instantValue(w, false) },
];
