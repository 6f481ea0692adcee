/**
 * @module
 * Selectors. An instant vector selector takes, at each step's reference time `t - offset` (or
 * the `@` time), the newest sample in the left-open lookback window `(t - lookback, t]`; none
 * when the newest one is a staleness marker, which ends a series at once. A range selector
 * (evaluated on its own only in instant queries) returns the samples of `(t - range, t]`,
 * staleness markers left out. Output points carry the step time, not the sample's.
 */

import type { MatrixSelector, VectorSelector } from './parser/ast.js';
import type { Evaluator } from './evaluator.js';
import { StepSeries, capacityFor } from './step-series.js';
import type { MatrixSeries } from './value.js';

/**
 * The instant vector a selector yields at each step; with `sampleTimes`, each point holds the
 * selected sample's timestamp in seconds instead of its value (for `timestamp()`).
 *
 * @example
 * const series = await evalVectorSelector(ev, parseExpr('up') as VectorSelector);
 */
export async function evalVectorSelector(
  ev: Evaluator,
  vs: VectorSelector,
  sampleTimes = false,
): Promise<StepSeries[]> {
  const state = ev.state;
  const at = state.atTime(vs.at);
  const lookback = state.lookback;
  const firstRef = (at ?? ev.start) - vs.offset;
  const lastRef = (at ?? ev.end) - vs.offset;
  const buf = state.buffer;
  const out: StepSeries[] = [];
  for (const series of state.series(vs)) {
    if (state.shouldYield()) await state.pause();
    const n = buf.load(series, firstRef - lookback + 1, lastRef, false);
    if (n === 0) continue;
    const ts = buf.ts;
    let s: StepSeries | null = null;
    let p = 0;
    for (let i = 0; i < ev.numSteps; i++) {
      const ref = at === null ? ev.start + i * ev.interval - vs.offset : firstRef;
      while (p < n && ts[p]! <= ref) p++;
      const j = p - 1;
      if (j < 0 || ts[j]! <= ref - lookback || buf.isStale(j)) continue;
      s ??= new StepSeries(series.labels, capacityFor(ev.numSteps));
      s.push(i, sampleTimes ? ts[j]! / 1000 : buf.vs[j]!);
      state.budget.add(1);
    }
    if (s !== null) out.push(s);
  }
  return out;
}

/**
 * The raw samples a range selector yields at the evaluator's (single) step.
 *
 * @example
 * evalMatrixSelector(ev, parseExpr('up[5m]') as MatrixSelector);
 */
export function evalMatrixSelector(ev: Evaluator, ms: MatrixSelector): MatrixSeries[] {
  const state = ev.state;
  const vs = ms.vectorSelector;
  const maxt = (state.atTime(vs.at) ?? ev.start) - vs.offset;
  const buf = state.buffer;
  const out: MatrixSeries[] = [];
  for (const series of state.series(vs)) {
    const n = buf.load(series, maxt - ms.range + 1, maxt, true);
    if (n === 0) continue;
    state.budget.add(n);
    out.push({ labels: series.labels, ts: buf.ts.slice(0, n), vs: buf.vs.slice(0, n) });
  }
  return out;
}
