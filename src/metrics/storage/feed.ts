/**
 * @module
 * The storage's change feed: every sample a storage has committed, in commit order, readable
 * from a position that a consumer saved earlier. Remote write reads it, so that what was
 * acknowledged to a producer reaches the remote even when the remote or Vigil was down in
 * between. The local TSDB implements it on its write-ahead log.
 *
 * Delivery is at least once: a consumer that restarts from a saved position may see samples it
 * had already passed on, never miss one that the storage kept for it.
 */

import type { Labels } from '../model/labels.js';

/** A storage whose committed samples can be read back in order. */
export interface SampleFeed {
  /**
   * Opens a reader that starts after `from`, a {@link FeedSamples.position} the same consumer
   * saved earlier, or at the samples committed from now on when `from` is null. A position the
   * storage no longer holds starts the reader at the oldest samples it does hold. Until the
   * reader is closed, the storage keeps every sample after the reader's last
   * {@link FeedReader.release}d position.
   */
  open(from: string | null): FeedReader;
}

/** One series in a feed: its labels and a number that stays the same while the reader lives. */
export interface FeedSeries {
  readonly id: number;
  readonly labels: Labels;
}

/**
 * Samples read from a feed, as parallel arrays. Values stay in a Float64Array so their bits
 * travel exactly (the staleness marker is one particular NaN).
 */
export interface FeedSamples {
  length: number;
  readonly series: FeedSeries[];
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  /** The position just after the last sample read, to save and to pass to `release`. */
  position: string;
}

export interface FeedReader {
  /**
   * Replaces `out`'s samples with the next ones, at most `max` and at most what `out` holds;
   * returns how many. 0 means the reader has caught up: wait with {@link changed}.
   */
  read(out: FeedSamples, max: number): number;
  /** Just after the last sample read; before the first read, where the reader starts. */
  readonly position: string;
  /** Resolves once more samples may be readable, or after `timeoutMs`. */
  changed(timeoutMs: number): Promise<void>;
  /** Tells the storage that the samples up to `position` need not be kept for this reader. */
  release(position: string): void;
  close(): void;
}

/** An empty {@link FeedSamples} with room for `capacity` samples. */
export function feedSamples(capacity: number): FeedSamples {
  return {
    length: 0,
    series: new Array<FeedSeries>(capacity),
    ts: new Float64Array(capacity),
    vs: new Float64Array(capacity),
    position: '',
  };
}
