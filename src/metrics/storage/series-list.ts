/**
 * @module
 * Series held as plain sample arrays, and sets over series already in order: for results computed in memory (federation, remote read,
 * rule evaluation) and for tests of code that takes a SeriesSet.
 */

import type { Labels } from '../model/labels.js';
import type { SampleIterator, Series, SeriesSet } from './interface.js';

class ArrayIterator implements SampleIterator {
  #i = -1;
  constructor(
    readonly ts: Float64Array,
    readonly vs: Float64Array,
  ) {}

  next(): boolean {
    return ++this.#i < this.ts.length;
  }

  seek(t: number): boolean {
    if (this.#i < 0) this.#i = 0;
    while (this.#i < this.ts.length && this.ts[this.#i]! < t) this.#i++;
    return this.#i < this.ts.length;
  }

  atT(): number {
    return this.ts[this.#i]!;
  }

  atV(): number {
    return this.vs[this.#i]!;
  }

  err(): Error | null {
    return null;
  }
}

/** A series over time-ordered samples (typed arrays keep NaN payloads intact). */
export class ArraySeries implements Series {
  /**
   * @example
   * new ArraySeries(Labels.fromRecord({ __name__: 'up' }), Float64Array.of(1000), Float64Array.of(1));
   */
  constructor(
    readonly labels: Labels,
    readonly ts: Float64Array,
    readonly vs: Float64Array,
  ) {}

  iterator(): SampleIterator {
    return new ArrayIterator(this.ts, this.vs);
  }
}

/** A SeriesSet over an array of series already sorted by labels. */
export class ListSeriesSet implements SeriesSet {
  readonly #series: readonly Series[];
  readonly #warnings: readonly string[];
  #i = -1;

  constructor(series: readonly Series[], warnings: readonly string[] = []) {
    this.#series = series;
    this.#warnings = warnings;
  }

  next(): boolean {
    return ++this.#i < this.#series.length;
  }

  at(): Series {
    return this.#series[this.#i]!;
  }

  err(): Error | null {
    return null;
  }

  warnings(): readonly string[] {
    return this.#warnings;
  }
}
