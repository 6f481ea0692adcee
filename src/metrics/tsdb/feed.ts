/**
 * @module
 * The TSDB's change feed ({@link SampleFeed}) read off its write-ahead log, the way Prometheus'
 * WAL watcher feeds remote write: a reader follows the WAL's segments as the head writes them,
 * learns series from Series records and hands out the samples of Samples records.
 *
 * Unlike Prometheus, the WAL is also the queue: each reader holds the segments it has not
 * released, and checkpointing leaves them alone (see {@link WalFeed.heldSegment}), so samples
 * that a remote could not take while it was down, or before a restart, are still there to send.
 * A position names a sample exactly: `segment:offset:index` is the `index`-th sample of the
 * Samples record at `offset` in `segment`.
 */

import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedReader, FeedSamples, FeedSeries, SampleFeed } from '../storage/feed.js';
import { SampleBatch } from './record/sample-batch.js';
import { decodeSamples } from './record/samples.js';
import { decodeSeries, type RefSeries } from './record/series.js';
import { recordType, RecordType } from './record/types.js';
import { listCheckpoints, listSegments, segmentName } from './wal/layout.js';
import { WalReader } from './wal/reader.js';

/** A place in the WAL; compared segment first, then offset, then sample index. */
interface Position {
  segment: number;
  offset: number;
  index: number;
}

/** Parses `segment:offset:index`; null for anything else. */
export function parsePosition(s: string): Position | null {
  const m = /^(\d+):(\d+):(\d+)$/.exec(s);
  if (m === null) return null;
  return { segment: Number(m[1]), offset: Number(m[2]), index: Number(m[3]) };
}

function formatPosition(segment: number, offset: number, index: number): string {
  return `${segment}:${offset}:${index}`;
}

/** Counts a feed keeps for `/metrics`. */
export interface FeedStats {
  /** Samples whose series had no Series record before them: dropped, as Prometheus does. */
  unknownSeriesSamples: number;
  /** Readers whose saved position was already checkpointed away, started at the oldest kept. */
  positionsLost: number;
}

export class WalFeed implements SampleFeed {
  readonly stats: FeedStats = { unknownSeriesSamples: 0, positionsLost: 0 };
  readonly #dir: string;
  readonly #readers = new Set<WalFeedReader>();
  #wakers: (() => void)[] = [];

  /** `dir` is the WAL directory; open it only while the TSDB writing it is open. */
  constructor(dir: string) {
    this.#dir = dir;
  }

  open(from: string | null): FeedReader {
    const segments = listSegments(this.#dir);
    const newest = segments.at(-1) ?? 0;
    const oldest = segments[0] ?? 0;
    let start: Position;
    const saved = from === null ? null : parsePosition(from);
    if (from !== null && saved === null) throw new RangeError(`invalid feed position "${from}"`);
    if (saved === null) {
      const end = segments.length === 0 ? 0 : statSync(join(this.#dir, segmentName(newest))).size;
      start = { segment: newest, offset: end, index: 0 };
    } else if (saved.segment < oldest) {
      this.stats.positionsLost++;
      start = { segment: oldest, offset: 0, index: 0 };
    } else {
      start = saved;
    }
    const reader = new WalFeedReader(this, this.#dir, start);
    this.#readers.add(reader);
    return reader;
  }

  /** The oldest segment some open reader has not released; Infinity when none is open. */
  heldSegment(): number {
    let held = Infinity;
    for (const r of this.#readers) held = Math.min(held, r.held);
    return held;
  }

  /** Called after every WAL write: wakes readers waiting in `changed()`. */
  notify(): void {
    if (this.#wakers.length === 0) return;
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }

  /** @internal */
  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakers.push(done);
    });
  }

  /** @internal */
  closed(reader: WalFeedReader): void {
    this.#readers.delete(reader);
  }
}

class WalFeedReader implements FeedReader {
  /** The oldest segment this reader still needs. */
  held: number;
  readonly #feed: WalFeed;
  readonly #dir: string;
  readonly #wal: WalReader;
  /** Samples before this position were sent before the reader was opened. */
  readonly #start: Position;
  readonly #series = new Map<number, FeedSeries & { segment: number }>();
  readonly #decoded: RefSeries[] = [];
  /** The Samples record being handed out, and the next sample of it to hand out. */
  readonly #batch = new SampleBatch();
  #batchIndex = 0;
  #batchSegment = 0;
  #batchOffset = 0;
  #batchEnd = 0;
  /** The newest checkpoint whose series this reader has swept by. */
  #checkpoint: number;
  #segment = -1;
  /** Just after the last sample handed out. */
  #position: string;
  #closed = false;

  constructor(feed: WalFeed, dir: string, start: Position) {
    this.#feed = feed;
    this.#dir = dir;
    this.#start = start;
    this.held = start.segment;
    this.#position = formatPosition(start.segment, start.offset, start.index);
    this.#checkpoint = listCheckpoints(dir).at(-1)?.index ?? -1;
    this.#wal = WalReader.open(dir, { follow: true });
    // Read up to the start now: the segments before it are not held and may be checkpointed
    // away at any time, and the series they define are needed for the samples after it.
    while (this.#batch.length === 0 && this.#nextRecord()) {
      /* the series are learnt by #nextRecord */
    }
  }

  read(out: FeedSamples, max: number): number {
    if (this.#closed) throw new Error('feed reader is closed');
    const room = Math.min(max, out.ts.length);
    let n = 0;
    for (;;) {
      const batch = this.#batch;
      if (this.#batchIndex < batch.length) {
        const take = Math.min(room - n, batch.length - this.#batchIndex);
        const outValues = new Uint8Array(out.vs.buffer, out.vs.byteOffset, out.vs.byteLength);
        for (let k = 0; k < take; k++) {
          const i = this.#batchIndex + k;
          const s = this.#series.get(batch.refs[i]!)!;
          out.series[n] = s;
          s.segment = this.#batchSegment;
          out.ts[n] = batch.ts[i]!;
          outValues.set(batch.valueBytes.subarray(i * 8, i * 8 + 8), n * 8);
          n++;
        }
        this.#batchIndex += take;
        this.#position =
          this.#batchIndex < batch.length
            ? formatPosition(this.#batchSegment, this.#batchOffset, this.#batchIndex)
            : formatPosition(this.#batchSegment, this.#batchEnd, 0);
        if (n === room) break;
      }
      if (!this.#nextRecord()) break;
    }
    out.length = n;
    out.position = this.#position;
    return n;
  }

  get position(): string {
    return this.#position;
  }

  changed(timeoutMs: number): Promise<void> {
    return this.#feed.wait(timeoutMs);
  }

  release(position: string): void {
    const p = parsePosition(position);
    if (p === null) throw new RangeError(`invalid feed position "${position}"`);
    this.held = Math.max(this.held, p.segment);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#wal.close();
    this.#feed.closed(this);
  }

  /**
   * Reads one record: learns the series of a Series record, or loads the samples of a Samples
   * record at or after the start into the batch (without the samples of unknown series).
   * False when the WAL has no complete record after the last one.
   */
  #nextRecord(): boolean {
    this.#batch.clear();
    this.#batchIndex = 0;
    const rec = this.#wal.next();
    if (rec === null) return false;
    const inCheckpoint = this.#wal.dir !== this.#dir;
    const segment = this.#wal.segment;
    if (!inCheckpoint && segment !== this.#segment) this.#enterSegment(segment);
    const type = recordType(rec);
    if (type === RecordType.Series) {
      for (const s of decodeSeries(rec, this.#decoded)) {
        this.#series.set(s.ref, {
          id: s.ref,
          labels: s.labels,
          segment: inCheckpoint ? -1 : segment,
        });
      }
      this.#decoded.length = 0;
      return true;
    }
    if (type !== RecordType.Samples || inCheckpoint) return true;
    const offset = this.#wal.offset;
    const start = this.#start;
    if (segment < start.segment || (segment === start.segment && offset < start.offset)) {
      return true;
    }
    decodeSamples(rec, this.#batch);
    const series = this.#series;
    const before = this.#batch.length;
    this.#batch.retain((ref) => series.has(ref));
    this.#feed.stats.unknownSeriesSamples += before - this.#batch.length;
    this.#batchSegment = segment;
    this.#batchOffset = offset;
    this.#batchEnd = this.#wal.end;
    if (segment === start.segment && offset === start.offset) {
      this.#batchIndex = Math.min(start.index, this.#batch.length);
    }
    return true;
  }

  /**
   * Moving to a new segment is when a new checkpoint may have appeared: series it dropped and
   * that no later record used are forgotten, so churn does not grow the map forever.
   */
  #enterSegment(segment: number): void {
    this.#segment = segment;
    const newest = listCheckpoints(this.#dir).at(-1);
    if (newest === undefined || newest.index <= this.#checkpoint) return;
    const kept = new Set<number>();
    let reader: WalReader | undefined;
    try {
      reader = WalReader.open(newest.path, { checkpoint: false });
      for (const rec of reader) {
        if (recordType(rec) !== RecordType.Series) continue;
        for (const s of decodeSeries(rec, this.#decoded)) kept.add(s.ref);
        this.#decoded.length = 0;
      }
    } catch {
      // A newer checkpoint replaced this one while it was read; sweep at the next segment.
      return;
    } finally {
      reader?.close();
    }
    this.#checkpoint = newest.index;
    for (const [ref, s] of this.#series) {
      if (s.segment <= newest.index && !kept.has(ref)) this.#series.delete(ref);
    }
  }
}
