/**
 * @module
 * `sort`, `sort_desc` (by value, NaN last) and the experimental `sort_by_label`,
 * `sort_by_label_desc` (natural order of label values, then the whole label set). Order only
 * exists in an instant query's result; over a range the result is a matrix sorted by labels,
 * so these functions return their input unchanged there.
 */

import type { Evaluator } from '../evaluator.js';
import type { Call, Expr } from '../parser/ast.js';
import { totalPoints, type StepSeries } from '../step-series.js';
import type { CustomFunction } from './registry.js';

/** Go sorts this many elements or fewer by (stable) insertion sort. */
const INSERTION_SORT_MAX = 12;

/** Sorts like Go's `sort.Sort` with the given `less`: insertion sort for short lists. */
function goSort<T>(items: T[], less: (a: T, b: T) => boolean): void {
  if (items.length <= INSERTION_SORT_MAX) {
    for (let i = 1; i < items.length; i++) {
      for (let j = i; j > 0 && less(items[j]!, items[j - 1]!); j--) {
        [items[j], items[j - 1]] = [items[j - 1]!, items[j]!];
      }
    }
    return;
  }
  items.sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
}

/** Splits into runs of digits and non-digits, as facette/natsort does. */
function chunks(s: string): string[] {
  return s.match(/\d+|\D+/g) ?? [];
}

/**
 * facette/natsort's `Compare(a, b)`: whether `a` sorts before `b`, digit runs compared as
 * numbers.
 *
 * @example
 * naturalLess('a2', 'a10'); // true
 */
export function naturalLess(a: string, b: string): boolean {
  const ca = chunks(a);
  const cb = chunks(b);
  for (let i = 0; i < ca.length; i++) {
    if (i >= cb.length) return false;
    const x = ca[i]!;
    const y = cb[i]!;
    const bothNumbers = /^\d+$/.test(x) && /^\d+$/.test(y);
    const equal = bothNumbers ? Number(x) === Number(y) : x === y;
    if (equal) {
      if (i === ca.length - 1) return true;
      if (i === cb.length - 1) return false;
      continue;
    }
    return bothNumbers ? Number(x) < Number(y) : x < y;
  }
  return false;
}

function stringArgs(args: Expr[]): string[] {
  return args.map((e) => {
    while (e.type === 'ParenExpr') e = e.expr;
    if (e.type !== 'StringLiteral') throw new TypeError('expected a string literal');
    return e.value;
  });
}

function sorter(
  name: string,
  order: (ev: Evaluator, call: Call, series: StepSeries[]) => void,
): CustomFunction {
  return {
    kind: 'custom',
    name,
    eval: async (ev, call) => {
      const original = ev.state.budget.current;
      const series = (await ev.evalVector(call.args[0]!)).slice();
      if (ev.numSteps === 1) order(ev, call, series);
      ev.state.budget.settle(original, totalPoints(series));
      return { type: 'vector', series };
    },
  };
}

const value = (s: StepSeries): number => s.vals[0]!;

function byLabels(desc: boolean): (ev: Evaluator, call: Call, series: StepSeries[]) => void {
  return (_ev, call, series) => {
    const names = stringArgs(call.args.slice(1));
    series.sort((a, b) => {
      for (const n of names) {
        const x = a.labels.get(n);
        const y = b.labels.get(n);
        if (x === y) continue;
        return naturalLess(x, y) !== desc ? -1 : 1;
      }
      const c = a.labels.compare(b.labels);
      return desc ? -c : c;
    });
  };
}

export const SORT_FUNCTIONS: readonly CustomFunction[] = [
  // NaN sorts last in both directions.
  sorter('sort', (_ev, _call, series) =>
    goSort(series, (a, b) => Number.isNaN(value(b)) || value(b) > value(a)),
  ),
  sorter('sort_desc', (_ev, _call, series) =>
    goSort(series, (a, b) => Number.isNaN(value(b)) || value(b) < value(a)),
  ),
  sorter('sort_by_label', byLabels(false)),
  sorter('sort_by_label_desc', byLabels(true)),
];
