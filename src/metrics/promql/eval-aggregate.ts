/**
 * @module
 * Aggregation operators. Input series are assigned to groups once (`by` keeps the listed
 * labels, `without` removes them and the metric name); then the samples of each step are folded,
 * in input order, into per-group accumulators held in typed arrays. Float semantics follow Prometheus:
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
import { StepSeries, capacityFor, totalPoints } from './step-series.js';

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

/**
 * Accumulators (one per group and step) held at once. Steps are taken in blocks of
 * `BLOCK_CELLS / groups`, and within a block the input is read series by series, in memory
 * order, rather than every series at every step, which profiles showed stalling on cache
 * misses. Each accumulator still sees its samples in input order, as at Prometheus' steps.
 * The bound keeps the accumulators in cache and small whatever the number of groups.
 */
const BLOCK_CELLS = 1 << 14;

/** Series between checks whether to yield, minus one (a power of two minus one, for masking). */
const YIELD_SERIES = 255;

async function aggregate(
  ev: Evaluator,
  e: AggregateExpr,
  param: Param | null,
  input: StepSeries[],
): Promise<StepSeries[]> {
  const { groupOf, labels } = group(input, e.grouping, e.without);
  const n = labels.length;
  const out = labels.map((l) => new StepSeries(l, capacityFor(ev.numSteps)));
  const width = Math.max(1, Math.min(ev.numSteps, Math.floor(BLOCK_CELLS / n)));
  const cells = n * width;
  // The first step of the block in which each accumulator got its first sample.
  const seenIn = new Int32Array(cells).fill(-1);
  const value = new Float64Array(cells);
  const mean = new Float64Array(cells);
  const count = new Float64Array(cells);
  const sums: KahanSum[] = [];
  const means: RunningMean[] = [];
  const lists: number[][] = [];
  const pos = new Int32Array(input.length);
  const op = e.op;
  for (let first = 0; first < ev.numSteps; first += width) {
    const last = Math.min(first + width, ev.numSteps);
    for (let i = 0; i < input.length; i++) {
      if ((i & YIELD_SERIES) === 0 && ev.state.shouldYield()) await ev.state.pause();
      const { steps, vals, length } = input[i]!;
      const base = groupOf[i]! * width - first;
      let p = pos[i]!;
      for (; p < length && steps[p]! < last; p++) {
        const c = base + steps[p]!;
        const f = vals[p]!;
        if (seenIn[c] !== first) {
          seenIn[c] = first;
          count[c] = 1;
          value[c] = f;
          mean[c] = f;
          switch (op) {
            case 'sum': {
              const k = (sums[c] ??= new KahanSum());
              k.sum = f;
              k.c = 0;
              break;
            }
            case 'avg':
              (means[c] ??= new RunningMean()).reset().add(f);
              break;
            case 'stddev':
            case 'stdvar':
              value[c] = Number.isFinite(f) ? 0 : NaN;
              break;
            case 'quantile':
              (lists[c] ??= []).length = 0;
              lists[c].push(f);
              break;
            case 'group':
              value[c] = 1;
              break;
          }
          continue;
        }
        count[c]!++;
        switch (op) {
          case 'sum':
            sums[c]!.add(f);
            break;
          case 'avg':
            means[c]!.add(f);
            break;
          case 'max':
            if (value[c]! < f || Number.isNaN(value[c]!)) value[c] = f;
            break;
          case 'min':
            if (value[c]! > f || Number.isNaN(value[c]!)) value[c] = f;
            break;
          case 'stddev':
          case 'stdvar': {
            const delta = f - mean[c]!;
            mean[c]! += delta / count[c]!;
            value[c]! += delta * (f - mean[c]!);
            break;
          }
          case 'quantile':
            lists[c]!.push(f);
            break;
        }
      }
      pos[i] = p;
    }
    for (let gi = 0; gi < n; gi++) {
      for (let step = first; step < last; step++) {
        const c = gi * width + step - first;
        if (seenIn[c] === first) out[gi]!.push(step, result(c, step));
      }
    }
  }
  return out.filter((s) => s.length > 0);

  function result(c: number, step: number): number {
    switch (op) {
      case 'sum':
        return sums[c]!.value();
      case 'avg':
        return means[c]!.value();
      case 'count':
        return count[c]!;
      case 'stdvar':
        return value[c]! / count[c]!;
      case 'stddev':
        return Math.sqrt(value[c]! / count[c]!);
      case 'quantile':
        return quantile(param!.vals[step]!, lists[c]!);
      default:
        return value[c]!;
    }
  }
}
