/**
 * @module
 * THE metrics storage boundary. Producers (scrape, remote-write receive, pushgateway, rule
 * recording) get an {@link Appendable}; consumers (PromQL, federation, the HTTP API) get a
 * {@link Queryable}. Neither knows which engine is behind it: the local TSDB, a fan-out, or a
 * remote source.
 *
 * Units: timestamps are int64 milliseconds since the epoch held in JS numbers (exact to 2^53);
 * time ranges are inclusive at both ends. Values are float64 and travel bit-exact, so the
 * staleness marker NaN (bits 0x7ff0000000000002) stays distinguishable from other NaNs.
 */

import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';

/**
 * A handle to a series inside one storage, returned by {@link Appender.append} so that the next
 * append for the same series skips the label lookup. 0 means "unknown". Refs are valid for the
 * lifetime of the storage instance that issued them and mean nothing to another one.
 */
export type SeriesRef = number;

/** Something that takes appends. */
export interface Appendable {
  /** A new transaction. Appenders are not safe to share between concurrent producers. */
  appender(): Appender;
}

/**
 * One write transaction: `append()*` then exactly one of `commit()` or `rollback()`. An
 * appender must not be used after either.
 */
export interface Appender {
  /**
   * Adds a sample to the transaction. `ref` may be 0 or a ref an earlier append of this storage
   * returned for the same labels; `labels` are used when the ref is unknown.
   *
   * @returns the series' ref, to pass next time.
   * @throws {OutOfOrderError} / {DuplicateSampleError} / {OutOfBoundsError} (see errors.ts):
   *   the sample is rejected, the rest of the transaction is unaffected.
   */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef;
  /**
   * Makes the transaction's samples durable and visible. When the promise resolves the samples
   * are in the write-ahead log (surviving a crash of this process) and readable by queries.
   */
  commit(): Promise<void>;
  /** Discards the transaction. */
  rollback(): void;
}

/** Something that answers queries over a time range. */
export interface Queryable {
  /** A querier over samples with `mint ≤ t ≤ maxt`. Close it when done. */
  querier(mint: number, maxt: number): Querier;
}

/** Optional hints a select may use to do less work. */
export interface SelectHints {
  /** Narrower range than the querier's, e.g. a PromQL selector's lookback window. */
  start?: number;
  end?: number;
}

export interface Querier {
  /**
   * Series that match all `matchers`, sorted by labels, each holding only its samples within
   * the querier's range. At least one matcher should not match the empty string, as in PromQL.
   */
  select(matchers: readonly Matcher[], hints?: SelectHints): SeriesSet;
  /** Sorted label names of the series that match `matchers` (all series when empty). */
  labelNames(matchers?: readonly Matcher[]): string[];
  /** Sorted values of `name` on the series that match `matchers`. */
  labelValues(name: string, matchers?: readonly Matcher[]): string[];
  /** Releases what the querier holds; sets and iterators it returned become invalid. */
  close(): void;
}

/** A forward-only set of series. `at()` is valid after `next()` returned true. */
export interface SeriesSet {
  next(): boolean;
  at(): Series;
  /** The error that ended iteration early, if any. */
  err(): Error | null;
  /** Non-fatal problems met while selecting (e.g. a corrupt block that was skipped). */
  warnings(): readonly string[];
}

export interface Series {
  readonly labels: Labels;
  /** An iterator over the series' samples in time order; pass a previous one to reuse it. */
  iterator(reuse?: SampleIterator): SampleIterator;
}

/**
 * Iterates samples without an object per sample: read `atT()`/`atV()` after `next()` or
 * `seek()` returned true.
 */
export interface SampleIterator {
  next(): boolean;
  /** Advances to the first sample with timestamp ≥ t; false when there is none. */
  seek(t: number): boolean;
  atT(): number;
  atV(): number;
  err(): Error | null;
  /**
   * Optional fast path for readers that want every sample of a stretch: hands the current
   * sample and those after it with timestamp ≤ `maxt` to `sink`, in order and in as few calls
   * as the storage allows, then stops on the first sample past `maxt`. Call it only when
   * `next()` or `seek()` last returned true.
   *
   * @returns whether the iterator is on a sample (past `maxt`); false when it ran out, which
   *   `err()` explains if it stopped early.
   */
  drain?(maxt: number, sink: SampleSink): boolean;
}

/** Receives samples in bulk from {@link SampleIterator.drain}. */
export interface SampleSink {
  /**
   * Takes the samples `[from, to)` of `ts` (ms) and `vs`; the arrays are only valid during
   * the call.
   */
  append(ts: Float64Array, vs: Float64Array, from: number, to: number): void;
}
