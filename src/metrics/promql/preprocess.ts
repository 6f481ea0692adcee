/**
 * @module
 * What the engine works out from the syntax tree before evaluating it, as Prometheus' engine
 * does: the time range each vector selector reads (its lookback or range, its offset, `@`, and
 * the ranges and offsets of the subqueries around it), the overall range the querier must
 * cover, and which subtrees are step-invariant (they involve `@` and no time-dependent
 * function), so they are evaluated once and copied to every step.
 */

import type { AtModifier, Expr, SubqueryExpr, VectorSelector } from './parser/ast.js';

/** Functions whose result depends on the evaluation time even over fixed inputs. */
export const TIME_DEPENDENT_FUNCTIONS: ReadonlySet<string> = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'time',
  'timestamp',
]);

/** Resolves an `@` modifier to ms, `start()`/`end()` to the query's range. */
export type AtResolver = (at: AtModifier) => number | null;

/** The inclusive time range a selector reads, ms. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

export interface SelectorRanges {
  readonly bySelector: ReadonlyMap<VectorSelector, TimeRange>;
  /** Union of all selector ranges; `{0, 0}` when the query selects nothing. */
  readonly overall: TimeRange;
}

/**
 * The range each selector of `expr` reads when evaluated over `[start, end]`.
 *
 * @example
 * selectorRanges(parseExpr('rate(x[5m])'), 600_000, 600_000, 300_000, resolve).overall;
 * // { start: 300_001, end: 600_000 }
 */
export function selectorRanges(
  expr: Expr,
  start: number,
  end: number,
  lookback: number,
  resolveAt: AtResolver,
): SelectorRanges {
  const bySelector = new Map<VectorSelector, TimeRange>();
  let min = Infinity;
  let max = -Infinity;
  const visit = (e: Expr, path: SubqueryExpr[], range: number): void => {
    switch (e.type) {
      case 'VectorSelector': {
        const r = rangeFor(e, path, range);
        bySelector.set(e, r);
        min = Math.min(min, r.start);
        max = Math.max(max, r.end);
        return;
      }
      case 'MatrixSelector':
        return visit(e.vectorSelector, path, e.range);
      case 'SubqueryExpr':
        return visit(e.expr, [...path, e], 0);
      case 'NumberLiteral':
      case 'StringLiteral':
        return;
      case 'Call':
        for (const a of e.args) visit(a, path, 0);
        return;
      case 'AggregateExpr':
        if (e.param !== null) visit(e.param, path, 0);
        return visit(e.expr, path, 0);
      case 'BinaryExpr':
        visit(e.lhs, path, 0);
        return visit(e.rhs, path, 0);
      case 'UnaryExpr':
      case 'ParenExpr':
        return visit(e.expr, path, 0);
    }
  };
  const rangeFor = (vs: VectorSelector, path: SubqueryExpr[], range: number): TimeRange => {
    let s = start;
    let t = end;
    let subOffset = 0;
    let subRange = 0;
    for (const sq of path) {
      subOffset += sq.offset;
      subRange += sq.range;
      const at = resolveAt(sq.at);
      if (at !== null) {
        // An `@` on a subquery pins everything inside it; outer offsets no longer apply.
        subOffset = sq.offset;
        subRange = sq.range;
        s = at;
        t = at;
      }
    }
    const at = resolveAt(vs.at);
    if (at !== null) {
      s = at;
      t = at;
    } else {
      s -= subOffset + subRange;
      t -= subOffset;
    }
    // Both windows are left-open: a sample exactly `lookback` or `range` old is out.
    s -= (range === 0 ? lookback : range) - 1;
    return { start: s - vs.offset, end: t - vs.offset };
  };
  visit(expr, [], 0);
  return {
    bySelector,
    overall: max === -Infinity ? { start: 0, end: 0 } : { start: min, end: max },
  };
}

/**
 * The subtrees of `expr` that give the same result at every step and are worth evaluating once
 * (Prometheus wraps them in a `StepInvariantExpr`).
 *
 * @example
 * stepInvariantNodes(parseExpr('x @ 100 + y')).size; // 1 (the `x @ 100` selector)
 */
export function stepInvariantNodes(expr: Expr): Set<Expr> {
  const wrapped = new Set<Expr>();
  // Returns [isInvariant, worthWrapping].
  const visit = (e: Expr): [boolean, boolean] => {
    switch (e.type) {
      case 'VectorSelector':
        return [e.at !== null, e.at !== null];
      case 'MatrixSelector':
        // Range functions evaluate matrix selectors themselves; only their parent is wrapped.
        return [visit(e.vectorSelector)[0], false];
      case 'SubqueryExpr': {
        if (visit(e.expr)[0]) wrapped.add(e.expr);
        return [e.at !== null, e.at !== null];
      }
      case 'NumberLiteral':
      case 'StringLiteral':
        return [true, false];
      case 'ParenExpr':
      case 'UnaryExpr':
        return visit(e.expr);
      case 'AggregateExpr':
        // Like Prometheus, only the aggregated expression decides; the parameter follows it.
        return visit(e.expr);
      case 'BinaryExpr': {
        const [li, lw] = visit(e.lhs);
        const [ri, rw] = visit(e.rhs);
        if (li && ri) return [true, true];
        if (lw) wrapped.add(e.lhs);
        if (rw) wrapped.add(e.rhs);
        return [false, false];
      }
      case 'Call': {
        let invariant = !TIME_DEPENDENT_FUNCTIONS.has(e.func.name);
        const wrap = e.args.map((a) => {
          const [ai, aw] = visit(a);
          invariant &&= ai;
          return aw;
        });
        if (invariant) return [true, true];
        e.args.forEach((a, i) => {
          if (wrap[i]) wrapped.add(a);
        });
        return [false, false];
      }
    }
  };
  if (visit(expr)[1]) wrapped.add(expr);
  return wrapped;
}
