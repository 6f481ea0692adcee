/**
 * @module
 * Merges the results of several queriers (blocks and head, or several storages) into one: sets
 * are merged by labels, and series with the same labels become one series whose samples are
 * merged by time, a timestamp present in several sources taken once (from the first source).
 */

import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import type {
  Querier,
  SampleIterator,
  SampleSink,
  SelectHints,
  Series,
  SeriesSet,
} from './interface.js';

class MergedSeries implements Series {
  constructor(
    readonly labels: Labels,
    readonly parts: readonly Series[],
  ) {}

  iterator(reuse?: SampleIterator): SampleIterator {
    if (!(reuse instanceof MergeIterator)) {
      return new MergeIterator(this.parts.map((p) => p.iterator()));
    }
    reuse.reset(this.parts);
    return reuse;
  }
}

/** One sample for a sink, from an iterator without a bulk path. */
const ONE_T = new Float64Array(1);
const ONE_V = new Float64Array(1);

/** Merges iterators by timestamp; on equal timestamps the earliest iterator in the list wins. */
export class MergeIterator implements SampleIterator {
  readonly #its: SampleIterator[];
  /** Whether each iterator has a current sample. */
  readonly #live: boolean[];
  #cur = -1;
  #started = false;
  #err: Error | null = null;

  constructor(its: readonly SampleIterator[]) {
    // A copy: reset() swaps iterators in place.
    this.#its = [...its];
    this.#live = its.map(() => false);
  }

  /**
   * Starts over on the iterators of `parts`, reusing the ones it holds as far as they go.
   *
   * @example
   * merged.reset(otherSeries.parts);
   */
  reset(parts: readonly Series[]): void {
    const its = this.#its;
    for (let i = 0; i < parts.length; i++) its[i] = parts[i]!.iterator(its[i]);
    its.length = parts.length;
    this.#live.length = parts.length;
    this.#live.fill(false);
    this.#cur = -1;
    this.#started = false;
    this.#err = null;
  }

  next(): boolean {
    if (!this.#started) {
      this.#started = true;
      for (let i = 0; i < this.#its.length; i++) this.#live[i] = this.#its[i]!.next();
    } else if (this.#cur >= 0) {
      const t = this.#its[this.#cur]!.atT();
      // Advance every iterator sitting on the timestamp just returned (duplicates).
      for (let i = 0; i < this.#its.length; i++) {
        if (this.#live[i] && this.#its[i]!.atT() === t) this.#live[i] = this.#its[i]!.next();
      }
    }
    return this.#pick();
  }

  seek(t: number): boolean {
    this.#started = true;
    for (let i = 0; i < this.#its.length; i++) {
      const it = this.#its[i]!;
      if (this.#live[i] && it.atT() >= t) continue;
      this.#live[i] = it.seek(t);
    }
    return this.#pick();
  }

  /**
   * Drains the current iterator in bulk up to the next sample of any other one, so a series
   * split across blocks (which rarely overlap in time) is copied chunk by chunk; where the
   * iterators interleave or share a timestamp, samples go one at a time through `next()`.
   */
  drain(maxt: number, sink: SampleSink): boolean {
    while (this.#cur >= 0) {
      const it = this.#its[this.#cur]!;
      const t = it.atT();
      if (t > maxt) return true;
      let bound = maxt;
      for (let i = 0; i < this.#its.length; i++) {
        if (i !== this.#cur && this.#live[i]) bound = Math.min(bound, this.#its[i]!.atT() - 1);
      }
      if (it.drain !== undefined && t <= bound) {
        this.#live[this.#cur] = it.drain(bound, sink);
        this.#pick();
      } else {
        ONE_T[0] = t;
        ONE_V[0] = it.atV();
        sink.append(ONE_T, ONE_V, 0, 1);
        this.next();
      }
    }
    return false;
  }

  #pick(): boolean {
    this.#cur = -1;
    let best = Infinity;
    for (let i = 0; i < this.#its.length; i++) {
      const it = this.#its[i]!;
      if (!this.#live[i]) {
        this.#err ??= it.err();
        continue;
      }
      if (it.atT() < best) {
        best = it.atT();
        this.#cur = i;
      }
    }
    return this.#cur >= 0;
  }

  atT(): number {
    return this.#its[this.#cur]!.atT();
  }

  atV(): number {
    return this.#its[this.#cur]!.atV();
  }

  err(): Error | null {
    return this.#err;
  }
}

class MergedSeriesSet implements SeriesSet {
  readonly #sets: readonly SeriesSet[];
  readonly #live: boolean[];
  #current: Series | null = null;
  #started = false;

  constructor(sets: readonly SeriesSet[]) {
    this.#sets = sets;
    this.#live = sets.map(() => false);
  }

  next(): boolean {
    if (!this.#started) {
      this.#started = true;
      for (let i = 0; i < this.#sets.length; i++) this.#live[i] = this.#sets[i]!.next();
    }
    let min: Labels | null = null;
    for (let i = 0; i < this.#sets.length; i++) {
      if (!this.#live[i]) continue;
      const l = this.#sets[i]!.at().labels;
      if (min === null || l.compare(min) < 0) min = l;
    }
    if (min === null) return false;
    const parts: Series[] = [];
    for (let i = 0; i < this.#sets.length; i++) {
      if (!this.#live[i] || !this.#sets[i]!.at().labels.equals(min)) continue;
      parts.push(this.#sets[i]!.at());
      this.#live[i] = this.#sets[i]!.next();
    }
    this.#current = parts.length === 1 ? parts[0]! : new MergedSeries(min, parts);
    return true;
  }

  at(): Series {
    return this.#current!;
  }

  err(): Error | null {
    for (const s of this.#sets) if (s.err() !== null) return s.err();
    return null;
  }

  warnings(): readonly string[] {
    return this.#sets.flatMap((s) => s.warnings());
  }
}

/**
 * Merges sets sorted by labels into one sorted set.
 *
 * @example
 * mergeSeriesSets([blockQuerier.select(ms), headQuerier.select(ms)]);
 */
export function mergeSeriesSets(sets: readonly SeriesSet[]): SeriesSet {
  return new MergedSeriesSet(sets);
}

/** A querier over several queriers, oldest data first so older sources win on duplicates. */
export class MergeQuerier implements Querier {
  readonly #queriers: readonly Querier[];
  readonly #warnings: readonly string[];

  constructor(queriers: readonly Querier[], warnings: readonly string[] = []) {
    this.#queriers = queriers;
    this.#warnings = warnings;
  }

  select(matchers: readonly Matcher[], hints?: SelectHints): SeriesSet {
    const sets = this.#queriers.map((q) => q.select(matchers, hints));
    if (this.#warnings.length > 0) sets.push(new WarningsOnly(this.#warnings));
    return sets.length === 1 ? sets[0]! : mergeSeriesSets(sets);
  }

  labelNames(matchers?: readonly Matcher[]): string[] {
    return sortedUnion(this.#queriers.map((q) => q.labelNames(matchers)));
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    return sortedUnion(this.#queriers.map((q) => q.labelValues(name, matchers)));
  }

  close(): void {
    for (const q of this.#queriers) q.close();
  }
}

class WarningsOnly implements SeriesSet {
  constructor(readonly list: readonly string[]) {}
  next(): boolean {
    return false;
  }
  at(): Series {
    throw new Error('cannot read series: the set is empty');
  }
  err(): Error | null {
    return null;
  }
  warnings(): readonly string[] {
    return this.list;
  }
}

function sortedUnion(lists: readonly string[][]): string[] {
  const all = new Set<string>();
  for (const l of lists) for (const v of l) all.add(v);
  return [...all].sort();
}
