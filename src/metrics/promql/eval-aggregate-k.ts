/**
 * @module
 * `topk`, `bottomk` and `limitk`: per step and group, keep `k` input samples with their full
 * labels. Selection uses the same binary heap as Go's `container/heap` with Prometheus' orderings
 * (NaN below every number), so ties pick the same series Prometheus picks; an instant query
 * lists each group's picks highest first (`topk`) or lowest first (`bottomk`).
 */

import { formatG } from './annotations.js';
import { group, type Param } from './grouping.js';
import type { Evaluator } from './evaluator.js';
import { QueryExecutionError } from './errors.js';
import type { AggregateExpr } from './parser/ast.js';
import { StepGather, StepSeries } from './step-series.js';

/** Largest float64 that converts to int64 without overflow, as in Prometheus. */
const MAX_INT64 = 9223372036854774784;
const MIN_INT64 = -9223372036854775808;

/** Go's insertion sort handles slices up to this length; larger ones use pdqsort. */
const INSERTION_SORT_MAX = 12;

type Less = (a: number, b: number) => boolean;

/** Go's `container/heap` over an array of gather positions. */
class GoHeap {
  readonly items: number[] = [];
  constructor(readonly less: Less) {}

  push(x: number): void {
    this.items.push(x);
    this.#up(this.items.length - 1);
  }

  /** Re-establishes the heap after `items[0]` changed (`heap.Fix(h, 0)`). */
  fixTop(): void {
    if (!this.#down(0, this.items.length)) this.#up(0);
  }

  #up(j: number): void {
    const h = this.items;
    for (;;) {
      const i = Math.trunc((j - 1) / 2);
      if (i === j || !this.less(h[j]!, h[i]!)) break;
      [h[i], h[j]] = [h[j]!, h[i]!];
      j = i;
    }
  }

  #down(i0: number, n: number): boolean {
    const h = this.items;
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && this.less(h[j2]!, h[j1]!)) j = j2;
      if (!this.less(h[j]!, h[i]!)) break;
      [h[i], h[j]] = [h[j]!, h[i]!];
      i = j;
    }
    return i > i0;
  }
}

/** `sort.Sort(sort.Reverse(h))` for the slice sizes Go sorts by insertion, stably beyond. */
function sortReverse(items: number[], less: Less): void {
  if (items.length <= INSERTION_SORT_MAX) {
    for (let i = 1; i < items.length; i++) {
      for (let j = i; j > 0 && less(items[j - 1]!, items[j]!); j--) {
        [items[j], items[j - 1]] = [items[j - 1]!, items[j]!];
      }
    }
    return;
  }
  items.sort((a, b) => (less(b, a) ? -1 : less(a, b) ? 1 : 0));
}

function checkK(p: Param): boolean {
  if (p.max < 1) return false;
  if (p.hasNaN) throw new QueryExecutionError('Parameter value is NaN');
  if (p.min <= MIN_INT64)
    throw new QueryExecutionError(`Scalar value ${formatG(p.min)} underflows int64`);
  if (p.max >= MAX_INT64)
    throw new QueryExecutionError(`Scalar value ${formatG(p.max)} overflows int64`);
  return true;
}

/**
 * Evaluates `topk`/`bottomk`/`limitk` over all steps.
 *
 * @example
 * await evalAggregateK(ev, expr, await evalParam(ev, expr.param!), series);
 */
export async function evalAggregateK(
  ev: Evaluator,
  e: AggregateExpr,
  param: Param,
  input: StepSeries[],
): Promise<StepSeries[]> {
  if (!checkK(param)) return [];
  const { groupOf, labels } = group(input, e.grouping, e.without);
  const g = new StepGather(input);
  const vals = g.vals;
  const ascending: Less = (a, b) => Number.isNaN(vals[a]!) || vals[a]! < vals[b]!;
  const descending: Less = (a, b) => Number.isNaN(vals[a]!) || vals[a]! > vals[b]!;
  const less = e.op === 'bottomk' ? descending : ascending;
  const heaps = labels.map(() => new GoHeap(less));
  const seenAt = new Int32Array(labels.length).fill(-1);
  const bySeries: (StepSeries | undefined)[] = new Array(input.length);
  const out: StepSeries[] = [];
  const touched: number[] = [];
  for (let step = 0; step < ev.numSteps; step++) {
    if (ev.state.shouldYield()) await ev.state.pause();
    g.gather(step);
    const k = Math.min(Math.trunc(param.vals[step]!), input.length);
    // NaN (Go converts it to the smallest int64) and k < 1 select nothing.
    if (!(k >= 1)) continue;
    touched.length = 0;
    for (let pos = 0; pos < g.count; pos++) {
      const gi = groupOf[g.idx[pos]!]!;
      const heap = heaps[gi]!;
      if (seenAt[gi] !== step) {
        seenAt[gi] = step;
        touched.push(gi);
        heap.items.length = 0;
        if (e.op === 'limitk') heap.items.push(pos);
        else heap.push(pos);
        continue;
      }
      const h = heap.items;
      if (h.length < k) {
        heap.push(pos);
        continue;
      }
      if (e.op === 'limitk') continue;
      const top = vals[h[0]!]!;
      const v = vals[pos]!;
      const better = e.op === 'topk' ? top < v : top > v;
      if (better || (Number.isNaN(top) && !Number.isNaN(v))) {
        h[0] = pos;
        if (k > 1) heap.fixTop();
      }
    }
    touched.sort((a, b) => a - b);
    for (const gi of touched) {
      const items = heaps[gi]!.items;
      if (e.op !== 'limitk' && items.length > 1) sortReverse(items, less);
      for (const pos of items) {
        const si = g.idx[pos]!;
        let s = bySeries[si];
        if (s === undefined) {
          s = bySeries[si] = new StepSeries(input[si]!.labels);
          out.push(s);
        }
        s.push(step, vals[pos]!);
      }
    }
  }
  return out;
}
