/**
 * @module
 * Calls of functions over a range vector (`rate(x[5m])`, `max_over_time(y[1h:1m])`). Each
 * input series is read once and walked across all steps with two cursors marking the window
 * `(t - offset - range, t - offset]`; the function sees the window as slices of typed arrays.
 * Like Prometheus, the window's samples count against the sample budget while it is held, the
 * output drops the metric name (except for `last_over_time`/`first_over_time`), and two output
 * series with equal labels fail the query.
 */

import type { Evaluator, Value } from './evaluator.js';
import type { Call, Expr, MatrixSelector, SubqueryExpr } from './parser/ast.js';
import { evalSubquery } from './eval-subquery.js';
import { goQuote } from './parser/strconv.js';
import type { RangeFunction, RangeWindow } from './functions/registry.js';
import { StepSeries, assertUniqueLabels, capacityFor } from './step-series.js';
import type { Labels } from '../model/labels.js';

/** Steps between checks whether to yield, minus one (a power of two minus one, for masking). */
const YIELD_STEPS = 1023;

/** Metric name suffixes of counters, for the "might not be a counter" info on rate/increase. */
const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

/** Where the window of each step lies, and the series to cut it from. */
interface Source {
  readonly at: number | null;
  readonly offset: number;
  readonly range: number;
  /** Points held in memory for the whole call (a subquery's result). */
  readonly points: number;
  /** Calls `visit` with each series' samples; the arrays are valid until it resolves. */
  forEach(
    visit: (labels: Labels, ts: Float64Array, vs: Float64Array, n: number) => Promise<void>,
  ): Promise<void>;
}

/**
 * The range vector argument with parentheses removed, or null for other expressions.
 *
 * @example
 * rangeArg(parseExpr('(x[5m])')); // the MatrixSelector
 */
export function rangeArg(e: Expr): MatrixSelector | SubqueryExpr | null {
  while (e.type === 'ParenExpr') e = e.expr;
  return e.type === 'MatrixSelector' || e.type === 'SubqueryExpr' ? e : null;
}

/**
 * Evaluates a call of a range-vector function over all steps.
 *
 * @example
 * await evalRangeCall(ev, call, registry.get('rate') as RangeFunction);
 */
export async function evalRangeCall(
  ev: Evaluator,
  call: Call,
  impl: RangeFunction,
): Promise<Value> {
  const state = ev.state;
  const argIndex = call.args.findIndex((a) => rangeArg(a) !== null);
  const scalars: Float64Array[] = [];
  for (let i = 0; i < call.args.length; i++) {
    if (i !== argIndex) scalars.push(await ev.evalScalar(call.args[i]!));
  }
  const arg = rangeArg(call.args[argIndex]!)!;
  const source =
    arg.type === 'MatrixSelector' ? storageSource(ev, arg) : await subquerySource(ev, arg);

  const w: RangeWindow = {
    ts: new Float64Array(0),
    vs: new Float64Array(0),
    lo: 0,
    hi: 0,
    t: 0,
    rangeStart: 0,
    rangeEnd: 0,
    range: source.range,
    args: new Float64Array(scalars.length),
    call,
    notes: state.notes,
  };
  const dropName = impl.keepName !== true;
  const out: StepSeries[] = [];
  await source.forEach(async (labels, ts, vs, n) => {
    w.ts = ts;
    w.vs = vs;
    let lo = 0;
    let hi = 0;
    let held = 0;
    let s: StepSeries | null = null;
    for (let i = 0; i < ev.numSteps; i++) {
      // One series can span many thousand steps: let other work in now and then.
      if ((i & YIELD_STEPS) === YIELD_STEPS && state.shouldYield()) await state.pause();
      const t = ev.time(i);
      const end = (source.at ?? t) - source.offset;
      const start = end - source.range;
      while (lo < n && ts[lo]! <= start) lo++;
      if (hi < lo) hi = lo;
      while (hi < n && ts[hi]! <= end) hi++;
      const size = hi - lo;
      if (size === 0) continue;
      if (size > held) state.budget.add(size - held);
      else state.budget.current -= held - size;
      held = size;
      w.lo = lo;
      w.hi = hi;
      w.t = t;
      w.rangeStart = start;
      w.rangeEnd = end;
      for (let j = 0; j < scalars.length; j++) w.args[j] = scalars[j]![i]!;
      const r = impl.fn(w);
      if (r === undefined) continue;
      s ??= new StepSeries(
        dropName ? labels.without('__name__') : labels,
        capacityFor(ev.numSteps),
      );
      s.push(i, r);
    }
    state.budget.current -= held;
    if (s === null) return;
    state.budget.add(s.length);
    out.push(s);
    noteNonCounter(ev, call, labels);
  });
  // The subquery's points were held until the last window was cut from them.
  state.budget.current -= source.points;
  if (impl.finish !== undefined) return { type: 'vector', series: impl.finish(ev, call, out) };
  assertUniqueLabels(out);
  return { type: 'vector', series: out };
}

function noteNonCounter(ev: Evaluator, call: Call, labels: Labels): void {
  const name = call.func.name;
  if (name !== 'rate' && name !== 'increase') return;
  const metric = labels.metricName;
  if (metric === '' || COUNTER_SUFFIXES.some((suffix) => metric.endsWith(suffix))) return;
  ev.state.notes.info(
    `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metric)}`,
    call.args[0]!.pos,
  );
}

function storageSource(ev: Evaluator, ms: MatrixSelector): Source {
  const state = ev.state;
  const vs = ms.vectorSelector;
  const at = state.atTime(vs.at);
  const first = (at ?? ev.start) - vs.offset - ms.range + 1;
  const last = (at ?? ev.end) - vs.offset;
  return {
    at,
    offset: vs.offset,
    range: ms.range,
    points: 0,
    forEach: async (visit) => {
      const buf = state.buffer;
      for (const series of state.series(vs)) {
        if (state.shouldYield()) await state.pause();
        const n = buf.load(series, first, last, true);
        if (n > 0) await visit(series.labels, buf.ts, buf.vs, n);
      }
    },
  };
}

async function subquerySource(ev: Evaluator, sq: SubqueryExpr): Promise<Source> {
  const series = await evalSubquery(ev, sq);
  return {
    at: ev.state.atTime(sq.at),
    offset: sq.offset,
    range: sq.range,
    points: series.reduce((n, s) => n + s.ts.length, 0),
    forEach: async (visit) => {
      for (const s of series) {
        if (ev.state.shouldYield()) await ev.state.pause();
        await visit(s.labels, s.ts, s.vs, s.ts.length);
      }
    },
  };
}
