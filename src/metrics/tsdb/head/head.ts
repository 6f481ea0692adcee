/**
 * @module
 * The head: the in-memory part of the TSDB holding the newest samples (up to about 1.5 block
 * ranges) before they are cut into a block. Series are found by label set through a Map keyed
 * by the label set's canonical string, and by ref through an array; an inverted index answers
 * matchers. Appends go through {@link HeadAppender} (head-append.ts), reads through
 * {@link HeadQuerier} (head-read.ts), persistence through a {@link HeadLog} (the WAL).
 */

import type { Labels } from '../../model/labels.js';
import type { Appendable, Queryable } from '../../storage/interface.js';
import { MemPostings } from '../postings/mem-postings.js';
import { SampleBatch } from '../record/sample-batch.js';
import { HeadAppender } from './head-append.js';
import { HeadQuerier } from './head-read.js';
import { MemSeries } from './mem-series.js';

/**
 * Where the head makes a transaction durable. `log` writes before anything is applied in
 * memory and must have handed the bytes to the OS when it returns; `sync` resolves when they
 * are as durable as the configured policy asks.
 */
export interface HeadLog {
  log(newSeries: readonly MemSeries[], samples: SampleBatch): void;
  sync(): Promise<void>;
}

/** Counts the head keeps for `/metrics` and the TSDB status page. */
export interface HeadStats {
  samplesAppended: number;
  outOfOrder: number;
  duplicates: number;
  outOfBounds: number;
  seriesCreated: number;
  seriesRemoved: number;
}

export interface HeadOptions {
  /** Block range in ms (default 2 h); chunks never cross a multiple of it. */
  chunkRange?: number;
  /**
   * How far behind the newest sample an append may be, ms (default half the chunk range, as
   * Prometheus). Older samples are out of bounds: they could land in a range that is about to
   * be cut into a block. Backfill, which writes one range at a time, sets Infinity.
   */
  appendWindow?: number;
  log?: HeadLog | null;
}

export const DEFAULT_BLOCK_RANGE = 2 * 3600 * 1000;

export class Head implements Appendable, Queryable {
  readonly chunkRange: number;
  readonly index = new MemPostings();
  readonly stats: HeadStats = {
    samplesAppended: 0,
    outOfOrder: 0,
    duplicates: 0,
    outOfBounds: 0,
    seriesCreated: 0,
    seriesRemoved: 0,
  };
  /** Appends older than this are rejected: their range is in a block or being cut into one. */
  minValidTime = -Infinity;
  /**
   * Commits drop samples older than this: their range has been snapshotted for a block. It
   * trails {@link minValidTime} while compaction waits for transactions that appended into the
   * range before it closed, so those still land in the snapshot.
   */
  sealedTime = -Infinity;
  /** Where commits are logged; set after WAL replay, which must not log what it replays. */
  log: HeadLog | null;
  readonly #byKey = new Map<string, MemSeries>();
  // Refs are dense small integers, so an array finds a series by ref several times faster than
  // a Map; removed series leave holes (undefined).
  #byRef: (MemSeries | undefined)[] = [];
  #numSeries = 0;
  readonly #appendWindow: number;
  #lastRef = 0;
  /** Sample batches of finished transactions, reused so steady-state commits allocate nothing. */
  readonly #batchPool: SampleBatch[] = [];
  /** Transactions holding uncommitted samples, with a promise each that settles when they end. */
  readonly #pending = new Map<object, Promise<void>>();
  /** Open queriers with their ranges, and a promise each that settles when they close. */
  readonly #readers = new Map<object, { mint: number; maxt: number; done: Promise<void> }>();
  #minTime = Infinity;
  #maxTime = -Infinity;

  /**
   * @example
   * const head = new Head({ chunkRange: 2 * 3600_000, log: wal });
   */
  constructor(options: HeadOptions = {}) {
    this.chunkRange = options.chunkRange ?? DEFAULT_BLOCK_RANGE;
    this.#appendWindow = options.appendWindow ?? this.chunkRange / 2;
    this.log = options.log ?? null;
  }

  get numSeries(): number {
    return this.#numSeries;
  }

  /** The oldest timestamp an append may have now: see {@link HeadOptions.appendWindow}. */
  get appendableMinTime(): number {
    return Math.max(this.minValidTime, this.#maxTime - this.#appendWindow);
  }

  /** Oldest sample time in the head, +Infinity when empty. */
  get minTime(): number {
    return this.#minTime;
  }

  /** Newest sample time in the head, -Infinity when empty. */
  get maxTime(): number {
    return this.#maxTime;
  }

  /** Widens the head's time bounds to cover `t`. */
  noteSampleTime(t: number): void {
    if (t < this.#minTime) this.#minTime = t;
    if (t > this.#maxTime) this.#maxTime = t;
  }

  series(ref: number): MemSeries | undefined {
    return this.#byRef[ref];
  }

  seriesByLabels(labels: Labels): MemSeries | undefined {
    return this.#byKey.get(labels.key);
  }

  /** The series with these labels, created (with the next ref, or `ref` on WAL replay) if new. */
  getOrCreate(labels: Labels, ref = 0): { series: MemSeries; created: boolean } {
    const existing = this.#byKey.get(labels.key);
    if (existing !== undefined) return { series: existing, created: false };
    const id = ref > 0 ? ref : ++this.#lastRef;
    if (id > this.#lastRef) this.#lastRef = id;
    const series = new MemSeries(id, labels, this.chunkRange);
    this.#byKey.set(labels.key, series);
    this.#byRef[id] = series;
    this.#numSeries++;
    this.index.add(id, labels);
    this.stats.seriesCreated++;
    return { series, created: true };
  }

  /** Every series, in creation order. */
  *allSeries(): IterableIterator<MemSeries> {
    for (const s of this.#byRef) if (s !== undefined) yield s;
  }

  /** Records that `txn` holds uncommitted samples until `done` settles. */
  trackPending(txn: object, done: Promise<void>): void {
    this.#pending.set(txn, done);
    void done.finally(() => this.#pending.delete(txn));
  }

  /**
   * Resolves when every transaction holding samples now has committed or rolled back, or after
   * `timeoutMs` (an abandoned appender must not stall compaction forever); true when all ended.
   * Compaction raises {@link minValidTime} first, so no later transaction can add to the range,
   * then waits here so that none committed before the snapshot is lost at truncation.
   */
  waitForPending(timeoutMs: number): Promise<boolean> {
    return settledWithin([...this.#pending.values()], timeoutMs);
  }

  /**
   * Resolves when every querier open now whose range overlaps `[mint, maxt)` has closed, or
   * after `timeoutMs`; true when all closed. Truncation waits here so that a query reading the
   * head does not lose the range that has just moved into a block it cannot see.
   */
  waitForReaders(mint: number, maxt: number, timeoutMs: number): Promise<boolean> {
    const overlapping: Promise<void>[] = [];
    for (const r of this.#readers.values())
      if (r.mint < maxt && r.maxt >= mint) overlapping.push(r.done);
    return settledWithin(overlapping, timeoutMs);
  }

  /** A cleared batch for a transaction; give it back with {@link releaseBatch}. */
  takeBatch(): SampleBatch {
    return this.#batchPool.pop() ?? new SampleBatch(256);
  }

  releaseBatch(batch: SampleBatch): void {
    batch.clear();
    // A handful covers the transactions in flight at once; more would only pin memory.
    if (this.#batchPool.length < 16) this.#batchPool.push(batch);
  }

  appender(): HeadAppender {
    return new HeadAppender(this);
  }

  querier(mint: number, maxt: number): HeadQuerier {
    let closed!: () => void;
    const done = new Promise<void>((r) => (closed = r));
    const q = new HeadQuerier(this, mint, maxt, () => {
      this.#readers.delete(q);
      closed();
    });
    this.#readers.set(q, { mint, maxt, done });
    return q;
  }

  /**
   * Drops samples before `mint` (they are in a block now) and series left without samples;
   * later appends before `mint` are out of bounds. Returns the refs of removed series.
   */
  truncate(mint: number): Set<number> {
    this.minValidTime = Math.max(this.minValidTime, mint);
    this.sealedTime = Math.max(this.sealedTime, mint);
    const removed = new Set<number>();
    let newMin = Infinity;
    for (const s of this.allSeries()) {
      // A series with an uncommitted sample stays: its transaction will need it.
      if (s.truncateBefore(mint) && s.pendingT === -Infinity) removed.add(s.ref);
      else newMin = Math.min(newMin, s.minTime);
    }
    if (removed.size > 0) {
      this.index.delete(removed, (ref) => this.#byRef[ref]!.labels);
      for (const ref of removed) {
        this.#byKey.delete(this.#byRef[ref]!.labels.key);
        this.#byRef[ref] = undefined;
      }
      this.#numSeries -= removed.size;
      this.stats.seriesRemoved += removed.size;
    }
    this.#minTime = newMin;
    if (this.#numSeries === 0) this.#maxTime = -Infinity;
    return removed;
  }
}

/** Whether all `promises` settle within `timeoutMs`. */
async function settledWithin(promises: Promise<void>[], timeoutMs: number): Promise<boolean> {
  if (promises.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
  const all = Promise.allSettled(promises).then(() => true);
  const ended = await Promise.race([all, timeout]);
  clearTimeout(timer);
  return ended;
}
