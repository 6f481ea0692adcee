/**
 * @module
 * Aggregation operators. Input series are assigned to groups once (`by` keeps the listed
 * labels, `without` removes them and the metric name); then each step folds the samples present
 * there into per-group accumulators held in typed arrays. Float semantics follow Prometheus:
 * Kahan-compensated `sum`, `avg` that sums until overflow then averages incrementally, NaN
 * replaced by any number in `min`/`max`, `stddev`/`stdvar` by Welford's method. `topk`,
 * `bottomk` and `limitk` live in eval-aggregate-k.ts, `count_values` in
 * eval-count-values.ts.
 */

import { formatG } from './annotations.js';
import { evalCountValues } from './eval-count-values.js';
import { evalAggregateK } from './eval-aggregate-k.js';
import { evalParam, group, type Param } from './grouping.js';
import type { Evaluator, Value } from './evaluator.js';
import { QueryExecutionError } from './errors.js';
import { KahanSum, RunningMean, quantile } from './functions/stats.js';
import type { AggregateExpr } from './parser/ast.js';
import { StepGather, StepSeries, capacityFor, totalPoints } from './step-series.js';

/**
 * Evaluates an aggregation over all steps.
 *
 * @example
 * await evalAggregate(ev, parseExpr('sum by (job) (x)') as AggregateExpr);
 */
export async function evalAggregate(ev: Evaluator, e: AggregateExpr): Promise<Value> {
  if (e.op === 'count_values') return evalCountValues(ev, e);
  if (e.op === 'limit_ratio') {
    throw new QueryExecutionError('limit_ratio() is not supported by this engine');
  }
  const budget = ev.state.budget;
  const original = budget.current;
  const param = e.param === null ? null : await evalParam(ev, e.param);
  const input = await ev.evalVector(e.expr);
  let out: StepSeries[];
  if (e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk') {
    out = await evalAggregateK(ev, e, param!, input);
  } else {
    if (e.op === 'quantile') checkQuantileParam(ev, e, param!);
    out = await aggregate(ev, e, param, input);
  }
  budget.current = original + totalPoints(out);
  return { type: 'vector', series: out };
}

function checkQuantileParam(ev: Evaluator, e: AggregateExpr, p: Param): void {
  const warn = (q: number): void =>
    ev.state.notes.warn(
      `quantile value should be between 0 and 1, got ${formatG(q)}`,
      e.param!.pos,
    );
  if (p.hasNaN) warn(NaN);
  if (p.max > 1) warn(p.max);
  if (p.min < 0) warn(p.min);
}

async function aggregate(
  ev: Evaluator,
  e: AggregateExpr,
  param: Param | null,
  input: StepSeries[],
): Promise<StepSeries[]> {
  const { groupOf, labels } = group(input, e.grouping, e.without);
  const n = labels.length;
  const out = labels.map((l) => new StepSeries(l, capacityFor(ev.numSteps)));
  const seenAt = new Int32Array(n).fill(-1);
  const value = new Float64Array(n);
  const mean = new Float64Array(n);
  const count = new Float64Array(n);
  const sums: KahanSum[] = [];
  const means: RunningMean[] = [];
  const lists: number[][] = [];
  const touched: number[] = [];
  const g = new StepGather(input);
  const op = e.op;
  for (let step = 0; step < ev.numSteps; step++) {
    if (ev.state.shouldYield()) await ev.state.pause();
    g.gather(step);
    touched.length = 0;
    for (let k = 0; k < g.count; k++) {
      const gi = groupOf[g.idx[k]!]!;
      const f = g.vals[k]!;
      if (seenAt[gi] !== step) {
        seenAt[gi] = step;
        touched.push(gi);
        count[gi] = 1;
        value[gi] = f;
        mean[gi] = f;
        switch (op) {
          case 'sum': {
            const k = (sums[gi] ??= new KahanSum());
            k.sum = f;
            k.c = 0;
            break;
          }
          case 'avg':
            (means[gi] ??= new RunningMean()).reset().add(f);
            break;
          case 'stddev':
          case 'stdvar':
            value[gi] = Number.isFinite(f) ? 0 : NaN;
            break;
          case 'quantile':
            (lists[gi] ??= []).length = 0;
            lists[gi].push(f);
            break;
          case 'group':
            value[gi] = 1;
            break;
        }
        continue;
      }
      count[gi]!++;
      switch (op) {
        case 'sum':
          sums[gi]!.add(f);
          break;
        case 'avg':
          means[gi]!.add(f);
          break;
        case 'max':
          if (value[gi]! < f || Number.isNaN(value[gi]!)) value[gi] = f;
          break;
        case 'min':
          if (value[gi]! > f || Number.isNaN(value[gi]!)) value[gi] = f;
          break;
        case 'stddev':
        case 'stdvar': {
          const delta = f - mean[gi]!;
          mean[gi]! += delta / count[gi]!;
          value[gi]! += delta * (f - mean[gi]!);
          break;
        }
        case 'quantile':
          lists[gi]!.push(f);
          break;
      }
    }
    for (const gi of touched) out[gi]!.push(step, result(gi, step));
  }
  return out.filter((s) => s.length > 0);

  function result(gi: number, step: number): number {
    switch (op) {
      case 'sum':
        return sums[gi]!.value();
      case 'avg':
        return means[gi]!.value();
      case 'count':
        return count[gi]!;
      case 'stdvar':
        return value[gi]! / count[gi]!;
      case 'stddev':
        return Math.sqrt(value[gi]! / count[gi]!);
      case 'quantile':
        return quantile(param!.vals[step]!, lists[gi]!);
      default:
        return value[gi]!;
    }
  }
}
