/**
 * @module
 * How the evaluator holds an instant vector across all steps of a query: one
 * {@link StepSeries} per label set, with the step indexes at which it has a value and those
 * values in two typed arrays (no object per point). A series absent at most steps (a pod that
 * lived for minutes of a week-long graph) costs only its points, unlike a dense array per step.
 * Points are appended in step order.
 */

import type { Labels } from '../model/labels.js';
import { DUPLICATE_LABELSET, QueryExecutionError } from './errors.js';

/** Capacity a series starts with before it grows by doubling. */
const INITIAL_CAPACITY = 8;

/**
 * Capacity for a series produced over `numSteps` steps. Most series have a point at most steps,
 * so starting at the step count saves the doublings and copies that dominated range queries in
 * profiles; the cap bounds what a sparse series over a very long range takes up front (12 bytes
 * a step).
 */
export function capacityFor(numSteps: number): number {
  return Math.min(numSteps, 1024);
}

/** One label set's points on the step grid. */
export class StepSeries {
  /** Step indexes (0 = the evaluator's start), ascending; only `[0, length)` is valid. */
  steps: Int32Array;
  /** The value at `steps[i]`. */
  vals: Float64Array;
  length = 0;

  /**
   * @example
   * const s = new StepSeries(Labels.fromRecord({ job: 'api' }));
   * s.push(0, 1.5);
   */
  constructor(
    public labels: Labels,
    capacity = INITIAL_CAPACITY,
  ) {
    this.steps = new Int32Array(Math.max(1, capacity));
    this.vals = new Float64Array(Math.max(1, capacity));
  }

  /** Appends the value at `step`, which must be after the last one pushed. */
  push(step: number, v: number): void {
    if (this.length === this.steps.length) this.#grow();
    this.steps[this.length] = step;
    this.vals[this.length] = v;
    this.length++;
  }

  /**
   * The same points under other labels. The two series share their arrays, so neither may be
   * pushed to afterwards.
   *
   * @example
   * const renamed = s.withLabels(s.labels.with('dst', 'x'));
   */
  withLabels(labels: Labels): StepSeries {
    const o = new StepSeries(labels, 1);
    o.steps = this.steps;
    o.vals = this.vals;
    o.length = this.length;
    return o;
  }

  /** The step of the last point, or -1 when empty. */
  lastStep(): number {
    return this.length === 0 ? -1 : this.steps[this.length - 1]!;
  }

  #grow(): void {
    const steps = new Int32Array(this.steps.length * 2);
    steps.set(this.steps);
    const vals = new Float64Array(this.vals.length * 2);
    vals.set(this.vals);
    this.steps = steps;
    this.vals = vals;
  }
}

/**
 * Number of points in a list of series, as Prometheus counts samples held in memory.
 *
 * @example
 * totalPoints([a, b]); // a.length + b.length
 */
export function totalPoints(series: readonly StepSeries[]): number {
  let n = 0;
  for (const s of series) n += s.length;
  return n;
}

/**
 * Gathers, step by step, which series of a list have a point there: after `gather(step)`,
 * `idx[0..count)` are the indexes of those series and `vals` their values. Steps must be
 * gathered in increasing order.
 *
 * @example
 * const g = new StepGather(series);
 * for (let step = 0; step < numSteps; step++) g.gather(step);
 */
export class StepGather {
  readonly idx: Int32Array;
  readonly vals: Float64Array;
  count = 0;
  readonly #series: readonly StepSeries[];
  readonly #pos: Int32Array;

  /**
   * @example
   * const g = new StepGather(series);
   * g.gather(0);
   * for (let k = 0; k < g.count; k++) use(series[g.idx[k]!]!, g.vals[k]!);
   */
  constructor(series: readonly StepSeries[]) {
    this.#series = series;
    this.#pos = new Int32Array(series.length);
    this.idx = new Int32Array(series.length);
    this.vals = new Float64Array(series.length);
  }

  gather(step: number): void {
    let n = 0;
    const series = this.#series;
    for (let i = 0; i < series.length; i++) {
      const s = series[i]!;
      let p = this.#pos[i]!;
      while (p < s.length && s.steps[p]! < step) p++;
      if (p < s.length && s.steps[p] === step) {
        this.idx[n] = i;
        this.vals[n] = s.vals[p]!;
        n++;
        p++;
      }
      this.#pos[i] = p;
    }
    this.count = n;
  }
}

/**
 * Builds output series one point at a time, finding the series by label set, and fails like
 * Prometheus when two points with equal labels land on one step.
 *
 * @example
 * const out = new SeriesCollector();
 * out.add(out.series(labels), step, v);
 * out.result();
 */
export class SeriesCollector {
  readonly #byKey = new Map<string, StepSeries>();

  /**
   * The output series for `labels`, created on first use.
   *
   * @example
   * collector.add(collector.series(labels), step, v);
   */
  series(labels: Labels): StepSeries {
    let s = this.#byKey.get(labels.key);
    if (s === undefined) {
      s = new StepSeries(labels);
      this.#byKey.set(labels.key, s);
    }
    return s;
  }

  /**
   * Appends a point, failing when the series already has one at `step`.
   *
   * @throws {QueryExecutionError} vector cannot contain metrics with the same labelset.
   */
  add(s: StepSeries, step: number, v: number): void {
    if (s.lastStep() === step) throw new QueryExecutionError(DUPLICATE_LABELSET);
    s.push(step, v);
  }

  /** The series that received points, in the order they were created. */
  result(): StepSeries[] {
    const out: StepSeries[] = [];
    for (const s of this.#byKey.values()) if (s.length > 0) out.push(s);
    return out;
  }
}

/**
 * Merges series whose labels became equal (after dropping the metric name, relabelling) into
 * one, as Prometheus does for per-step results: allowed while their points fall on different
 * steps, an error when two share a step.
 *
 * @throws {QueryExecutionError} vector cannot contain metrics with the same labelset.
 * @example
 * mergeSameLabels(series.map((s) => relabel(s)));
 */
export function mergeSameLabels(series: StepSeries[]): StepSeries[] {
  const byKey = new Map<string, StepSeries[]>();
  let collision = false;
  for (const s of series) {
    if (s.length === 0) continue;
    const list = byKey.get(s.labels.key);
    if (list === undefined) byKey.set(s.labels.key, [s]);
    else {
      list.push(s);
      collision = true;
    }
  }
  if (!collision) return series.filter((s) => s.length > 0);
  const out: StepSeries[] = [];
  for (const list of byKey.values()) out.push(list.length === 1 ? list[0]! : mergeGroup(list));
  return out;
}

function mergeGroup(list: StepSeries[]): StepSeries {
  let n = 0;
  for (const s of list) n += s.length;
  const steps = new Int32Array(n);
  const vals = new Float64Array(n);
  let k = 0;
  for (const s of list) {
    steps.set(s.steps.subarray(0, s.length), k);
    vals.set(s.vals.subarray(0, s.length), k);
    k += s.length;
  }
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => steps[a]! - steps[b]!);
  const merged = new StepSeries(list[0]!.labels, n);
  for (const i of order) {
    if (merged.lastStep() === steps[i]) throw new QueryExecutionError(DUPLICATE_LABELSET);
    merged.push(steps[i]!, vals[i]!);
  }
  return merged;
}

/**
 * Fails when two series of a list have equal labels, whatever their steps: Prometheus' check on
 * the output of functions over range vectors.
 *
 * @throws {QueryExecutionError} vector cannot contain metrics with the same labelset.
 * @example
 * assertUniqueLabels(rateOutputs);
 */
export function assertUniqueLabels(series: readonly StepSeries[]): void {
  const seen = new Set<string>();
  for (const s of series) {
    if (seen.has(s.labels.key)) throw new QueryExecutionError(DUPLICATE_LABELSET);
    seen.add(s.labels.key);
  }
}
