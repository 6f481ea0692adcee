/**
 * @module
 * `histogram_quantile(φ, buckets)` over classic histograms: per step, the `_bucket` series that
 * differ only in `le` form one histogram; the quantile is interpolated linearly inside the
 * bucket holding rank φ·count, with Prometheus' rules: the highest bucket must be `+Inf` (else
 * NaN), a quantile in it returns the second-highest bound, the lowest bucket starts at 0 when
 * its bound is positive, buckets with equal bounds merge, tiny relative differences (below
 * 1e-12) are treated as equal and decreasing counts are raised to keep the counts monotonic
 * (reported as an info). φ outside [0, 1] gives ∓Inf (with a warning), NaN gives NaN.
 */

import { formatG } from '../annotations.js';
import type { Evaluator, Value } from '../evaluator.js';
import { dropLabels } from '../labels-util.js';
import type { Labels } from '../../model/labels.js';
import type { Call } from '../parser/ast.js';
import { goQuote } from '../parser/strconv.js';
import { SeriesCollector, StepGather, totalPoints, type StepSeries } from '../step-series.js';
import type { CustomFunction } from './registry.js';

/** Relative difference between bucket counts treated as floating point noise. */
const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;

/**
 * Go's `strconv.ParseFloat(s, 64)` for decimal text, or null where Go fails (including values
 * out of float64 range).
 *
 * @example
 * parseGoFloat('+Inf'); // Infinity
 * parseGoFloat('1e400'); // null
 */
export function parseGoFloat(s: string): number | null {
  if (INFINITY.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (!DECIMAL.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** Prometheus' `almost.Equal`. */
function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** Result flag of {@link bucketQuantile}: whether counts had to be made monotonic. */
let forcedMonotonic = false;

/**
 * Prometheus' `BucketQuantile` over parallel arrays of upper bounds and cumulative counts
 * (reordered in place).
 *
 * @example
 * bucketQuantile(0.5, [1, 2, Infinity], [10, 20, 20]); // 1
 */
export function bucketQuantile(q: number, upper: number[], count: number[]): number {
  forcedMonotonic = false;
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const order = upper.map((_, i) => i).sort((a, b) => upper[a]! - upper[b]!);
  const ub: number[] = [];
  const c: number[] = [];
  for (const i of order) {
    // Buckets with the same bound are one bucket.
    if (ub.length > 0 && ub[ub.length - 1] === upper[i]) c[c.length - 1]! += count[i]!;
    else {
      ub.push(upper[i]!);
      c.push(count[i]!);
    }
  }
  if (ub[ub.length - 1] !== Infinity) return NaN;
  let prev = c[0]!;
  for (let i = 1; i < c.length; i++) {
    const cur = c[i]!;
    if (cur === prev) continue;
    if (almostEqual(prev, cur, SMALL_DELTA_TOLERANCE)) c[i] = prev;
    else if (cur < prev) {
      c[i] = prev;
      forcedMonotonic = true;
    } else prev = cur;
  }
  if (ub.length < 2) return NaN;
  const observations = c[c.length - 1]!;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < c.length - 1 && !(c[b]! >= rank)) b++;
  if (b === c.length - 1) return ub[ub.length - 2]!;
  if (b === 0 && ub[0]! <= 0) return ub[0]!;
  let start = 0;
  const end = ub[b]!;
  let n = c[b]!;
  if (b > 0) {
    start = ub[b - 1]!;
    n -= c[b - 1]!;
    rank -= c[b - 1]!;
  }
  return start + (end - start) * (rank / n);
}

/** One classic histogram at one step: bucket bounds and counts. */
interface Histogram {
  readonly labels: Labels;
  upper: number[];
  count: number[];
  out: StepSeries | undefined;
}

async function histogramQuantile(ev: Evaluator, call: Call): Promise<Value> {
  const original = ev.state.budget.current;
  const notes = ev.state.notes;
  const qs = await ev.evalScalar(call.args[0]!);
  const input = await ev.evalVector(call.args[1]!);
  // Per input series: its histogram, and its bucket bound (null when `le` does not parse).
  const byKey = new Map<string, Histogram>();
  const le = new Set(['le']);
  const histOf = input.map((s) => {
    const key = dropLabels(s.labels, le).key;
    let h = byKey.get(key);
    if (h === undefined) {
      h = {
        labels: dropLabels(s.labels, new Set(['le', '__name__'])),
        upper: [],
        count: [],
        out: undefined,
      };
      byKey.set(key, h);
    }
    return h;
  });
  const bounds = input.map((s) => parseGoFloat(s.labels.get('le')));
  const histograms = [...byKey.values()];
  const collector = new SeriesCollector();
  const g = new StepGather(input);
  for (let step = 0; step < ev.numSteps; step++) {
    if (ev.state.shouldYield()) await ev.state.pause();
    g.gather(step);
    const q = qs[step]!;
    if (Number.isNaN(q) || q < 0 || q > 1) {
      notes.warn(`quantile value should be between 0 and 1, got ${formatG(q)}`, call.args[0]!.pos);
    }
    for (const h of histograms) {
      h.upper.length = 0;
      h.count.length = 0;
    }
    for (let k = 0; k < g.count; k++) {
      const i = g.idx[k]!;
      const bound = bounds[i]!;
      if (bound === null) {
        const text = `bucket label "le" is missing or has a malformed value of ${goQuote(input[i]!.labels.get('le'))}`;
        notes.warn(text, call.args[1]!.pos);
        continue;
      }
      histOf[i]!.upper.push(bound);
      histOf[i]!.count.push(g.vals[k]!);
    }
    for (const h of histograms) {
      if (h.upper.length === 0) continue;
      const v = bucketQuantile(q, h.upper, h.count);
      if (forcedMonotonic) {
        notes.info(
          'input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)',
          call.args[1]!.pos,
        );
      }
      h.out ??= collector.series(h.labels);
      collector.add(h.out, step, v);
    }
  }
  const out = collector.result();
  ev.state.budget.settle(original, totalPoints(out));
  return { type: 'vector', series: out };
}

export const HISTOGRAM_FUNCTIONS: readonly CustomFunction[] = [
  { kind: 'custom', name: 'histogram_quantile', eval: histogramQuantile },
];
