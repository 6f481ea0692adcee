/**
 * @module
 * What all evaluators of one query share (the top-level one and those of its subqueries): the
 * querier, the series each selector matched (selected once, re-read by every evaluation), the
 * sample budget, the deadline, the annotations, and a scratch buffer for reading samples.
 *
 * Long queries must not freeze the process: evaluation loops ask {@link QueryState.shouldYield}
 * between series or steps and, every few milliseconds, {@link QueryState.pause} hands the event
 * loop back (`setImmediate`) and checks the deadline.
 */

import type { Querier, Series } from '../storage/interface.js';
import type { Annotations } from './annotations.js';
import { QueryExecutionError, QueryTimeoutError, QueryTooManySamplesError } from './errors.js';
import type { AtModifier, Expr, VectorSelector } from './parser/ast.js';
import type { TimeRange } from './preprocess.js';
import { SampleBuffer } from './sample-buffer.js';

/** How long evaluation runs before it lets other work (HTTP, ingestion) in, ms. */
const SLICE_MS = 10;

export interface QueryStateOptions {
  readonly querier: Querier;
  readonly annotations: Annotations;
  readonly lookback: number;
  readonly maxSamples: number;
  /** `performance.now()` value after which the query fails with a timeout. */
  readonly deadline: number;
  /** Step of subqueries written without one (`[1h:]`), ms. */
  readonly subqueryStep: number;
  readonly start: number;
  readonly end: number;
  readonly ranges: ReadonlyMap<VectorSelector, TimeRange>;
  readonly invariant: ReadonlySet<Expr>;
}

/**
 * Counts the samples a query holds in memory the way Prometheus does (points loaded by
 * selectors, points produced at each step) and fails the query past the limit.
 */
/**
 * @example
 * const budget = new SampleBudget(50_000_000);
 * budget.add(series.length); // throws past the limit
 */
export class SampleBudget {
  current = 0;

  constructor(readonly max: number) {}

  /**
   * Adds `n` held samples.
   *
   * @throws {QueryTooManySamplesError} when the total passes the limit.
   * @example
   * budget.add(series.length);
   */
  add(n: number): void {
    this.current += n;
    if (this.current > this.max) throw new QueryTooManySamplesError(this.max);
  }

  /**
   * Accounts for a result computed step by step, as Prometheus' `rangeEval` does: while it was
   * built, the inputs (held since `original`) and the `points` of the output were in memory;
   * afterwards only the output is.
   *
   * @throws {QueryTooManySamplesError} when inputs and output together pass the limit.
   * @example
   * const original = budget.current; …; budget.settle(original, totalPoints(out));
   */
  settle(original: number, points: number): void {
    this.add(points);
    this.current = original + points;
  }
}

/**
 * The shared state of one query's evaluation.
 *
 * @example
 * const state = new QueryState({ querier, annotations, lookback: 300_000, … });
 * const series = state.series(selector);
 */
export class QueryState {
  readonly querier: Querier;
  readonly notes: Annotations;
  readonly lookback: number;
  readonly subqueryStep: number;
  readonly budget: SampleBudget;
  readonly buffer = new SampleBuffer();
  readonly invariant: ReadonlySet<Expr>;
  readonly #ranges: ReadonlyMap<VectorSelector, TimeRange>;
  readonly #series = new Map<VectorSelector, Series[]>();
  readonly #deadline: number;
  readonly #start: number;
  readonly #end: number;
  #sliceEnd = performance.now() + SLICE_MS;

  constructor(o: QueryStateOptions) {
    this.querier = o.querier;
    this.notes = o.annotations;
    this.lookback = o.lookback;
    this.subqueryStep = o.subqueryStep;
    this.budget = new SampleBudget(o.maxSamples);
    this.invariant = o.invariant;
    this.#ranges = o.ranges;
    this.#deadline = o.deadline;
    this.#start = o.start;
    this.#end = o.end;
  }

  /**
   * The time an `@` modifier pins to, ms, or null without one.
   *
   * @example
   * state.atTime('end'); // the query's end
   */
  atTime(at: AtModifier): number | null {
    if (at === 'start') return this.#start;
    if (at === 'end') return this.#end;
    return at;
  }

  /**
   * The stored series a selector matches, sorted by labels; selected on first use.
   *
   * @throws {QueryExecutionError} when the storage fails.
   */
  series(vs: VectorSelector): Series[] {
    let list = this.#series.get(vs);
    if (list !== undefined) return list;
    const range = this.#ranges.get(vs);
    const set = this.querier.select(vs.matchers, range);
    list = [];
    while (set.next()) list.push(set.at());
    const err = set.err();
    if (err !== null) {
      throw new QueryExecutionError(`expanding series: ${err.message}`, { cause: err });
    }
    for (const w of set.warnings()) this.notes.warn(w, null);
    this.#series.set(vs, list);
    return list;
  }

  /** Whether the current time slice is used up; cheap enough to ask per series or step. */
  shouldYield(): boolean {
    return performance.now() >= this.#sliceEnd;
  }

  /**
   * Lets the event loop run, then starts a new slice.
   *
   * @throws {QueryTimeoutError} when the deadline has passed.
   * @example
   * if (state.shouldYield()) await state.pause();
   */
  async pause(): Promise<void> {
    this.checkDeadline();
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.checkDeadline();
    this.#sliceEnd = performance.now() + SLICE_MS;
  }

  /** @throws {QueryTimeoutError} when the deadline has passed. */
  checkDeadline(): void {
    if (performance.now() > this.#deadline) throw new QueryTimeoutError('expression evaluation');
  }
}
