/**
 * @module
 * The shapes of PromQL function implementations, and the registry that maps names to them. A
 * function is one of three kinds:
 * - `range`: a function of one range vector window (`rate`, `*_over_time`, …), called per
 *   series per step with the window's samples as typed-array slices;
 * - `elementwise`: a function of one sample value (`abs`, `clamp`, `hour`, …), mapped over an
 *   instant vector, dropping the metric name;
 * - `custom`: anything that needs the whole vector or the argument expressions (`sort`,
 *   `label_replace`, `histogram_quantile`, `absent`, …).
 * The registry throws on a duplicate or unknown name and lists the names it knows.
 */

import type { Annotations } from '../annotations.js';
import type { Evaluator, Value } from '../evaluator.js';
import type { Call } from '../parser/ast.js';
import type { StepSeries } from '../step-series.js';

/**
 * One window of a range vector at one step: the samples `ts[lo..hi)`, `vs[lo..hi)` (at least
 * one) with timestamps in `(rangeStart, rangeEnd]`. The object and its arrays are reused across
 * calls; read them, do not keep them.
 */
export interface RangeWindow {
  ts: Float64Array;
  vs: Float64Array;
  lo: number;
  hi: number;
  /** The step's evaluation time, ms (differs from `rangeEnd` under `offset` or `@`). */
  t: number;
  rangeStart: number;
  rangeEnd: number;
  /** The selector's range, ms. */
  range: number;
  /** Scalar arguments at this step, in argument order, without the range vector. */
  args: Float64Array;
  readonly call: Call;
  readonly notes: Annotations;
}

export interface RangeFunction {
  readonly kind: 'range';
  readonly name: string;
  /** Keep the metric name in the output (`last_over_time` acts like a selector). */
  readonly keepName?: boolean;
  /** The value for one window, or undefined for no output at this step. */
  readonly fn: (w: RangeWindow) => number | undefined;
  /** Rewrites the per-series outputs once all are computed (`absent_over_time`). */
  readonly finish?: (ev: Evaluator, call: Call, out: StepSeries[]) => StepSeries[];
}

export interface ElementwiseFunction {
  readonly kind: 'elementwise';
  readonly name: string;
  /**
   * The output for one sample value given the scalar arguments at its step, or undefined to
   * drop the sample.
   */
  readonly fn: (v: number, args: Float64Array) => number | undefined;
  /** Called without arguments, apply to `vector(time())` (the date functions). */
  readonly defaultsToTime?: boolean;
}

export interface CustomFunction {
  readonly kind: 'custom';
  readonly name: string;
  readonly eval: (ev: Evaluator, call: Call) => Promise<Value>;
}

export type FunctionImpl = RangeFunction | ElementwiseFunction | CustomFunction;

/**
 * Thrown for a name the registry does not know or already has.
 *
 * @example
 * try { registry.get('nope'); } catch (e) { e instanceof FunctionRegistryError; }
 */
export class FunctionRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionRegistryError';
  }
}

/** Function implementations by name. */
export class FunctionRegistry {
  readonly #byName = new Map<string, FunctionImpl>();

  /**
   * @throws {FunctionRegistryError} when two implementations share a name.
   * @example
   * const registry = new FunctionRegistry([...MATH_FUNCTIONS, ...RATE_FUNCTIONS]);
   */
  constructor(impls: Iterable<FunctionImpl>) {
    for (const f of impls) {
      if (this.#byName.has(f.name)) {
        throw new FunctionRegistryError(
          `cannot register function ${JSON.stringify(f.name)}: already registered (known: ${this.names().join(', ')})`,
        );
      }
      this.#byName.set(f.name, f);
    }
  }

  /**
   * @throws {FunctionRegistryError} for an unknown name, listing the known ones.
   * @example
   * registry.get('rate').kind; // 'range'
   */
  get(name: string): FunctionImpl {
    const f = this.#byName.get(name);
    if (f === undefined) {
      throw new FunctionRegistryError(
        `cannot find function ${JSON.stringify(name)} (known: ${this.names().join(', ')})`,
      );
    }
    return f;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.#byName.keys()].sort();
  }
}
