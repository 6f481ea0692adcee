/**
 * @module
 * The evaluator: evaluates a syntax tree over the steps `start, start + interval, …, end` (one
 * step for an instant query), as Prometheus' engine does. Every node yields its value at all
 * steps at once: an instant vector as {@link StepSeries} (points at the steps where each series
 * has a value), a scalar as one number per step. Selectors therefore read each stored series
 * once per query, and functions over range vectors walk one series across all steps.
 *
 * Node kinds are evaluated in `eval-*.ts`; this file dispatches, handles literals, parentheses,
 * unary minus, and step-invariant subtrees (evaluated once, copied to every step).
 */

import type { Expr } from './parser/ast.js';
import type { QueryState } from './query-state.js';
import { StepSeries, mergeSameLabels } from './step-series.js';
import type { MatrixSeries } from './value.js';
import { evalAggregate } from './eval-aggregate.js';
import { evalBinary } from './eval-binary.js';
import { evalCall } from './eval-call.js';
import { evalMatrixSelector, evalVectorSelector } from './eval-selector.js';
import { evalSubquery } from './eval-subquery.js';

/** A node's value over all steps of its evaluator. */
export type Value =
  | { readonly type: 'scalar'; readonly vals: Float64Array }
  | { readonly type: 'vector'; readonly series: StepSeries[] }
  | { readonly type: 'matrix'; readonly series: MatrixSeries[] }
  | { readonly type: 'string'; readonly value: string };

/**
 * Evaluates expressions over one grid of steps; subqueries get child evaluators on theirs.
 *
 * @example
 * const v = await new Evaluator(state, start, end, step).eval(parseExpr('sum(up)'));
 */
export class Evaluator {
  readonly numSteps: number;

  /**
   * @example
   * const ev = new Evaluator(state, t, t, 1); // an instant query at t
   */
  constructor(
    readonly state: QueryState,
    readonly start: number,
    readonly end: number,
    readonly interval: number,
  ) {
    this.numSteps = end < start ? 0 : Math.floor((end - start) / interval) + 1;
  }

  /** The evaluation time of a step, ms. */
  time(step: number): number {
    return this.start + step * this.interval;
  }

  /** An evaluator over other steps sharing this one's query state (for subqueries). */
  child(start: number, end: number, interval: number): Evaluator {
    return new Evaluator(this.state, start, end, interval);
  }

  /** Evaluates `e` over all steps. */
  async eval(e: Expr): Promise<Value> {
    if (this.numSteps > 1 && this.state.invariant.has(e)) {
      const once = await this.child(this.start, this.start, this.interval).#evalNode(e);
      return this.#broadcast(once);
    }
    return this.#evalNode(e);
  }

  /** Evaluates an expression of scalar type. */
  async evalScalar(e: Expr): Promise<Float64Array> {
    const v = await this.eval(e);
    if (v.type !== 'scalar') throw new TypeError(`expected scalar, got ${v.type}`);
    return v.vals;
  }

  /** Evaluates an expression of instant vector type. */
  async evalVector(e: Expr): Promise<StepSeries[]> {
    const v = await this.eval(e);
    if (v.type !== 'vector') throw new TypeError(`expected vector, got ${v.type}`);
    return v.series;
  }

  /**
   * A scalar value with one number per step, counted in the sample budget like Prometheus'
   * one-sample vectors.
   */
  scalar(vals: Float64Array): Value {
    this.state.budget.add(vals.length);
    return { type: 'scalar', vals };
  }

  async #evalNode(e: Expr): Promise<Value> {
    this.state.checkDeadline();
    switch (e.type) {
      case 'NumberLiteral':
        return this.scalar(new Float64Array(this.numSteps).fill(e.value));
      case 'StringLiteral':
        return { type: 'string', value: e.value };
      case 'ParenExpr':
        return this.eval(e.expr);
      case 'UnaryExpr':
        return e.op === '-' ? this.#negate(await this.eval(e.expr)) : this.eval(e.expr);
      case 'VectorSelector':
        return { type: 'vector', series: await evalVectorSelector(this, e) };
      case 'MatrixSelector':
        return { type: 'matrix', series: evalMatrixSelector(this, e) };
      case 'SubqueryExpr':
        return { type: 'matrix', series: await evalSubquery(this, e) };
      case 'Call':
        return evalCall(this, e);
      case 'AggregateExpr':
        return evalAggregate(this, e);
      case 'BinaryExpr':
        return evalBinary(this, e);
    }
  }

  #negate(v: Value): Value {
    if (v.type === 'scalar') return { type: 'scalar', vals: v.vals.map((x) => -x) };
    if (v.type !== 'vector') throw new TypeError(`cannot negate ${v.type}`);
    const out = v.series.map((s) => {
      const n = new StepSeries(s.labels.without('__name__'), s.length);
      for (let i = 0; i < s.length; i++) n.push(s.steps[i]!, -s.vals[i]!);
      return n;
    });
    return { type: 'vector', series: mergeSameLabels(out) };
  }

  /** Copies a value evaluated at the first step only to every step. */
  #broadcast(v: Value): Value {
    const budget = this.state.budget;
    if (v.type === 'scalar') {
      budget.add(this.numSteps - 1);
      return { type: 'scalar', vals: new Float64Array(this.numSteps).fill(v.vals[0]!) };
    }
    if (v.type !== 'vector') return v;
    const out = v.series.map((s) => {
      const full = new StepSeries(s.labels, this.numSteps);
      const x = s.vals[0]!;
      for (let i = 0; i < this.numSteps; i++) full.push(i, x);
      budget.add(this.numSteps - 1);
      return full;
    });
    return { type: 'vector', series: out };
  }
}
