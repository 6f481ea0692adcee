/**
 * @module
 * `count_values("label", v)`: per step, counts the samples of each distinct value, the value
 * (formatted like Go's `FormatFloat(v, 'f', -1, 64)`) becoming a label of the output series,
 * which is part of the `by` grouping.
 */

import type { Evaluator, Value } from './evaluator.js';
import { QueryExecutionError } from './errors.js';
import { dropLabels, keepLabels } from './labels-util.js';
import type { Labels } from '../model/labels.js';
import type { AggregateExpr } from './parser/ast.js';
import { formatFloat, goQuote } from './parser/strconv.js';
import { SeriesCollector, StepGather, totalPoints } from './step-series.js';

/**
 * Evaluates a `count_values` aggregation over all steps.
 *
 * @example
 * await evalCountValues(ev, parseExpr('count_values("v", x)') as AggregateExpr);
 */
export async function evalCountValues(ev: Evaluator, e: AggregateExpr): Promise<Value> {
  const original = ev.state.budget.current;
  let param = e.param!;
  while (param.type === 'ParenExpr') param = param.expr;
  if (param.type !== 'StringLiteral') throw new TypeError('count_values needs a string parameter');
  const valueLabel = param.value;
  if (valueLabel === '') throw new QueryExecutionError(`invalid label name ${goQuote(valueLabel)}`);
  const input = await ev.evalVector(e.expr);
  // The output labels of a series before its value label is set.
  const names = new Set(e.grouping);
  if (e.without) names.add('__name__');
  else names.delete(valueLabel);
  const addsValue = !e.without || !names.has(valueLabel);
  const bases: Labels[] = input.map((s) =>
    e.without ? dropLabels(s.labels, names) : keepLabels(s.labels, names),
  );
  const g = new StepGather(input);
  const collector = new SeriesCollector();
  const counts = new Map<string, { labels: Labels; n: number }>();
  for (let step = 0; step < ev.numSteps; step++) {
    if (ev.state.shouldYield()) await ev.state.pause();
    g.gather(step);
    counts.clear();
    for (let k = 0; k < g.count; k++) {
      const base = bases[g.idx[k]!]!;
      const labels = addsValue ? base.with(valueLabel, formatFloat(g.vals[k]!)) : base;
      const c = counts.get(labels.key);
      if (c === undefined) counts.set(labels.key, { labels, n: 1 });
      else c.n++;
    }
    for (const { labels, n } of counts.values()) collector.add(collector.series(labels), step, n);
  }
  const out = collector.result();
  ev.state.budget.settle(original, totalPoints(out));
  return { type: 'vector', series: out };
}
