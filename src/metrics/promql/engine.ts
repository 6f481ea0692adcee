/**
 * @module
 * The PromQL engine: parses a query, opens one querier over the time range the query reads,
 * evaluates it step by step (an instant query is a range of one step) and returns the result
 * as Prometheus' HTTP API shapes it. The engine reads storage only through
 * {@link Queryable}; it holds no state between queries, so one engine serves any number of
 * concurrent queries.
 *
 * Limits: a query fails with {@link QueryTooManySamplesError} when it would hold more than
 * `maxSamples` samples at once (counted as Prometheus counts them), and with
 * {@link QueryTimeoutError} after `timeout` ms. Evaluation yields to the event loop every few
 * milliseconds, so a long query does not stall the process.
 */

import { Labels } from '../model/labels.js';
import type { Queryable } from '../storage/interface.js';
import { Annotations } from './annotations.js';
import { Evaluator, type Value } from './evaluator.js';
import { QueryParseError } from './errors.js';
import { children, documentedType, valueType, type Expr } from './parser/ast.js';
import { ParseError } from './parser/errors.js';
import { parseExpr } from './parser/parse.js';
import { selectorRanges, stepInvariantNodes, type AtResolver } from './preprocess.js';
import { QueryState } from './query-state.js';
import type { StepSeries } from './step-series.js';
import type { MatrixSeries, QueryResult, QueryValue, Sample } from './value.js';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample, ms (default 5 minutes). */
  readonly lookbackDelta?: number;
  /** Most samples a query may hold in memory at once (default 50 million). */
  readonly maxSamples?: number;
  /** Longest a query may run, ms (default 2 minutes). */
  readonly timeout?: number;
  /** Allow the `@` modifier (default true, as in Prometheus 3). */
  readonly enableAtModifier?: boolean;
  /** Accept experimental functions and aggregations (`limitk`, `sort_by_label`, …). */
  readonly experimentalFunctions?: boolean;
  /** Step of subqueries written without one, ms (Prometheus: the evaluation interval, 1m). */
  readonly noStepSubqueryInterval?: number;
}

/** Options of one query. */
export interface QueryOptions {
  /** Overrides the engine's lookback delta for this query, ms (Prometheus' `lookback_delta`). */
  readonly lookbackDelta?: number;
}

const DEFAULTS = {
  lookbackDelta: 5 * 60_000,
  maxSamples: 50_000_000,
  timeout: 2 * 60_000,
  noStepSubqueryInterval: 60_000,
};

/** Top-level operations whose output order is part of an instant query's answer. */
const ORDERING_FUNCTIONS: ReadonlySet<string> = new Set([
  'sort',
  'sort_desc',
  'sort_by_label',
  'sort_by_label_desc',
]);

/**
 * Runs PromQL queries against any {@link Queryable}.
 *
 * @example
 * const engine = new Engine({ lookbackDelta: 5 * 60_000 });
 * const result = await engine.rangeQuery(db, 'up', start, end, 15_000);
 */
export class Engine {
  readonly #lookback: number;
  readonly #maxSamples: number;
  readonly #timeout: number;
  readonly #enableAt: boolean;
  readonly #experimental: boolean;
  readonly #subqueryStep: number;

  /**
   * @example
   * const engine = new Engine({ timeout: 30_000 });
   */
  constructor(opts: EngineOptions = {}) {
    this.#lookback = opts.lookbackDelta ?? DEFAULTS.lookbackDelta;
    this.#maxSamples = opts.maxSamples ?? DEFAULTS.maxSamples;
    this.#timeout = opts.timeout ?? DEFAULTS.timeout;
    this.#enableAt = opts.enableAtModifier ?? true;
    this.#experimental = opts.experimentalFunctions ?? false;
    this.#subqueryStep = opts.noStepSubqueryInterval ?? DEFAULTS.noStepSubqueryInterval;
  }

  /**
   * Evaluates `query` at `time` (ms).
   *
   * @throws {QueryParseError} / {QueryExecutionError} / {QueryTooManySamplesError} /
   *   {QueryTimeoutError}.
   * @example
   * const r = await engine.instantQuery(db, 'sum by (job) (up)', Date.now());
   * if (r.resultType === 'vector') for (const s of r.result) console.log(s.labels.toString(), s.v);
   */
  instantQuery(
    q: Queryable,
    query: string,
    time: number,
    opts: QueryOptions = {},
  ): Promise<QueryResult> {
    return this.#exec(q, query, time, time, 0, opts);
  }

  /**
   * Evaluates `query` at `start`, `start + step`, … up to `end` (ms), returning a matrix.
   *
   * @throws {QueryParseError} when the query is not a scalar or instant vector, and the
   *   errors of {@link Engine.instantQuery}.
   * @example
   * const r = await engine.rangeQuery(db, 'rate(http_requests_total[5m])', t - 3_600_000, t, 60_000);
   */
  rangeQuery(
    q: Queryable,
    query: string,
    start: number,
    end: number,
    step: number,
    opts: QueryOptions = {},
  ): Promise<QueryResult> {
    if (!(step > 0))
      throw new RangeError(`cannot run range query: step must be positive, got ${step}`);
    return this.#exec(q, query, start, end, step, opts);
  }

  async #exec(
    q: Queryable,
    text: string,
    start: number,
    end: number,
    step: number,
    opts: QueryOptions,
  ): Promise<QueryResult> {
    const deadline = performance.now() + this.#timeout;
    const expr = this.#parse(text, step > 0);
    const lookback = opts.lookbackDelta || this.#lookback;
    const at: AtResolver = (a) => (a === 'start' ? start : a === 'end' ? end : a);
    const ranges = selectorRanges(expr, start, end, lookback, at);
    const notes = new Annotations(text);
    const querier = q.querier(ranges.overall.start, ranges.overall.end);
    try {
      const state = new QueryState({
        querier,
        annotations: notes,
        lookback,
        maxSamples: this.#maxSamples,
        deadline,
        subqueryStep: this.#subqueryStep,
        start,
        end,
        ranges: ranges.bySelector,
        invariant: stepInvariantNodes(expr),
      });
      const ev = new Evaluator(state, start, end, step > 0 ? step : 1);
      const value = await ev.eval(expr);
      const result = step > 0 ? toMatrix(ev, value) : toInstant(ev, value, expr);
      return { ...result, warnings: notes.warnings, infos: notes.infos };
    } finally {
      querier.close();
    }
  }

  #parse(text: string, range: boolean): Expr {
    let expr: Expr;
    try {
      expr = parseExpr(text, { experimentalFunctions: this.#experimental });
    } catch (err) {
      if (err instanceof ParseError) throw new QueryParseError(err.message, { cause: err });
      throw err;
    }
    const t = valueType(expr);
    if (range && t !== 'vector' && t !== 'scalar') {
      throw new QueryParseError(
        `invalid expression type "${documentedType(t)}" for range query, must be Scalar or instant Vector`,
      );
    }
    if (!this.#enableAt && usesAt(expr)) throw new QueryParseError('@ modifier is disabled');
    return expr;
  }
}

function usesAt(e: Expr): boolean {
  if ((e.type === 'VectorSelector' || e.type === 'SubqueryExpr') && e.at !== null) return true;
  return children(e).some(usesAt);
}

function sortMatrix<T extends { readonly labels: Labels }>(series: T[]): T[] {
  return series.sort((a, b) => a.labels.compare(b.labels));
}

function toMatrixSeries(ev: Evaluator, s: StepSeries): MatrixSeries {
  const ts = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) ts[i] = ev.time(s.steps[i]!);
  return { labels: s.labels, ts, vs: s.vals.slice(0, s.length) };
}

function toMatrix(ev: Evaluator, v: Value): QueryValue {
  if (v.type === 'scalar') {
    const ts = new Float64Array(v.vals.length);
    for (let i = 0; i < ts.length; i++) ts[i] = ev.time(i);
    return {
      resultType: 'matrix',
      result: ts.length === 0 ? [] : [{ labels: Labels.EMPTY, ts, vs: v.vals }],
    };
  }
  if (v.type !== 'vector') throw new TypeError(`range query of ${v.type}`);
  return { resultType: 'matrix', result: sortMatrix(v.series.map((s) => toMatrixSeries(ev, s))) };
}

function toInstant(ev: Evaluator, v: Value, expr: Expr): QueryValue {
  const t = ev.start;
  switch (v.type) {
    case 'scalar':
      return { resultType: 'scalar', result: { t, v: v.vals[0]! } };
    case 'string':
      return { resultType: 'string', result: { t, v: v.value } };
    case 'matrix':
      return { resultType: 'matrix', result: sortMatrix(v.series.slice()) };
    case 'vector': {
      const samples: Sample[] = v.series.map((s) => ({ labels: s.labels, t, v: s.vals[0]! }));
      return { resultType: 'vector', result: isOrdered(expr) ? samples : sortMatrix(samples) };
    }
  }
}

function isOrdered(e: Expr): boolean {
  while (e.type === 'ParenExpr') e = e.expr;
  if (e.type === 'Call') return ORDERING_FUNCTIONS.has(e.func.name);
  return e.type === 'AggregateExpr' && (e.op === 'topk' || e.op === 'bottomk');
}
