/**
 * @module
 * Subqueries: `expr[range:step] offset o @ t` evaluates `expr` on its own grid of steps, which
 * are multiples of `step` (absolute, not relative to the query start, so results do not jump as
 * a graph scrolls), from the first one after `start - o - range` to `end - o`. The points become
 * the raw samples of a range vector.
 */

import type { SubqueryExpr } from './parser/ast.js';
import type { Evaluator } from './evaluator.js';
import { Labels } from '../model/labels.js';
import type { MatrixSeries } from './value.js';

/**
 * The range vector of a subquery over all the evaluator's steps: every point the inner
 * evaluation produced, for windows to be cut from per step.
 *
 * @example
 * const series = await evalSubquery(ev, parseExpr('rate(x[5m])[30m:1m]') as SubqueryExpr);
 */
export async function evalSubquery(ev: Evaluator, sq: SubqueryExpr): Promise<MatrixSeries[]> {
  const step = sq.step > 0 ? sq.step : ev.state.subqueryStep;
  const at = ev.state.atTime(sq.at);
  const first = (at ?? ev.start) - sq.offset - sq.range;
  const last = (at ?? ev.end) - sq.offset;
  // Go's integer division truncates; the correction makes it the first multiple after `first`.
  let innerStart = step * Math.trunc(first / step);
  if (innerStart <= first) innerStart += step;
  const inner = ev.child(innerStart, last, step);
  const v = await inner.eval(sq.expr);
  if (v.type === 'scalar') {
    const ts = new Float64Array(v.vals.length);
    for (let i = 0; i < ts.length; i++) ts[i] = inner.time(i);
    return ts.length === 0 ? [] : [{ labels: Labels.EMPTY, ts, vs: v.vals }];
  }
  if (v.type !== 'vector') throw new TypeError(`subquery of ${v.type}`);
  return v.series.map((s) => {
    const ts = new Float64Array(s.length);
    for (let i = 0; i < s.length; i++) ts[i] = inner.time(s.steps[i]!);
    return { labels: s.labels, ts, vs: s.vals.slice(0, s.length) };
  });
}
