/**
 * @module
 * The WAL writer. `log()` splits records into page fragments and hands the bytes to the kernel
 * with write(2) before it returns, so a logged record survives the death of the process
 * (`kill -9`, an OOM kill, a crash). `sync()` makes it survive the machine: it fdatasyncs, and
 * concurrent callers share one fsync (group commit). The head calls `log()` in `commit()` and
 * awaits `sync()` per its fsync policy before acknowledging.
 *
 * Like Prometheus, a Wal never appends to a segment that existed before it opened: `open()`
 * starts a fresh segment after the last one. The previous segment may end in a partly written
 * page (after a crash) or a zero-padded one (after `close()`); readers treat a short last page
 * as padded, so both read the same, and a torn tail stays where replay and repair can see it
 * instead of being written over. `close()` and segment rotation pad the current page with zeros
 * to its end, as Prometheus does.
 *
 * The bytes written are those Prometheus' `wlog.WL.Log` writes for the same records
 * (uncompressed), so Prometheus can replay a WAL written here. Two choices differ without
 * changing the format: a record larger than a whole segment does not leave an empty segment
 * before its own, and `open()` numbers the new segment after the newest checkpoint too.
 */

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { WalClosedError, WalIOError } from './errors.js';
import { fdatasyncFd, fsyncPathAsync } from '../../../lib/fs/fsync.js';
import {
  DEFAULT_SEGMENT_SIZE,
  FragmentType,
  HEADER_SIZE,
  listCheckpoints,
  listSegments,
  PAGE_SIZE,
  segmentName,
} from './layout.js';
import { WalStats } from './stats.js';

/**
 * Pages buffered before a write(2): a large commit goes out 512 KiB per call instead of one
 * call per 32 KiB page, while a small commit still costs one write of only its own bytes.
 */
const BUFFER_PAGES = 16;

export interface WalOptions {
  /** Bytes per segment, a multiple of {@link PAGE_SIZE}; default {@link DEFAULT_SEGMENT_SIZE}. */
  segmentSize?: number;
  /** Counters to update; a new {@link WalStats} when absent. */
  stats?: WalStats;
}

interface OpenSegment {
  index: number;
  fd: number;
}

export class Wal {
  /** The WAL directory. */
  readonly dir: string;
  readonly stats: WalStats;
  readonly #segmentSize: number;
  /** Pending pages; `#buf[0]` is at segment offset `#bufStart`, which is page-aligned. */
  readonly #buf = Buffer.alloc(BUFFER_PAGES * PAGE_SIZE);
  #bufStart = 0;
  /** Bytes of `#buf` filled. */
  #alloc = 0;
  /** Bytes of `#buf` already handed to write(2). */
  #flushed = 0;
  #segment: OpenSegment;
  /** Rotated-out segments whose last writes no fsync has covered yet; closed once one has. */
  #retired: OpenSegment[] = [];
  /** A segment was created since the last directory fsync. */
  #dirDirty = false;
  /** Bumped by every write; an fsync that started at sequence s covers all writes up to s. */
  #writeSeq = 0;
  #syncedSeq = 0;
  #inflight: Promise<void> | null = null;
  #inflightSeq = 0;
  /** The one fsync that callers arriving during `#inflight` share. */
  #queued: Promise<void> | null = null;
  #failure: WalIOError | null = null;
  #closed = false;
  #closing: Promise<void> | null = null;

  private constructor(dir: string, segmentSize: number, stats: WalStats, first: number) {
    this.dir = dir;
    this.#segmentSize = segmentSize;
    this.stats = stats;
    this.#segment = this.#createSegment(first);
  }

  /**
   * Opens the WAL in `dir` (created if missing) for appending, in a new segment after the last
   * segment and the last checkpoint. Replay (and repair) must happen before: a Wal must not be open while `repair()` runs.
   * One Wal per directory; the data-directory lock enforces that.
   *
   * @throws {WalLayoutError} when segment numbers have a gap.
   * @example
   * const wal = Wal.open('/data/wal');
   * wal.log(seriesRecord, samplesRecord);
   * await wal.sync();
   */
  static open(dir: string, options: WalOptions = {}): Wal {
    const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    if (segmentSize < PAGE_SIZE || segmentSize % PAGE_SIZE !== 0) {
      throw new RangeError(
        `cannot open WAL ${dir}: segment size ${segmentSize} is not a positive multiple of ${PAGE_SIZE}`,
      );
    }
    mkdirSync(dir, { recursive: true });
    // After a checkpoint of every segment, the new one must still come after the checkpoint,
    // or replay would skip it.
    const last = Math.max(listSegments(dir).at(-1) ?? -1, listCheckpoints(dir).at(-1)?.index ?? -1);
    return new Wal(dir, segmentSize, options.stats ?? new WalStats(), last + 1);
  }

  /** The index of the segment being written. */
  get segment(): number {
    return this.#segment.index;
  }

  /**
   * The first and last segment in the directory, -1 for both when there are none (only after
   * an outside deletion; an open Wal always has its current segment).
   *
   * @example
   * const { first, last } = wal.segmentRange();
   */
  segmentRange(): { first: number; last: number } {
    const segments = listSegments(this.dir);
    if (segments.length === 0) return { first: -1, last: -1 };
    return { first: segments[0]!, last: segments[segments.length - 1]! };
  }

  /**
   * Appends `records` (each an opaque byte string, such as an encoded Series or Samples record)
   * and hands their bytes to the kernel before returning: once it returns they survive the
   * process dying, and after a later `sync()` resolves they survive the machine failing.
   * Records go to disk in the order given, never split across segments; a record that does not
   * fit in the current segment starts the next one. Synchronous: it blocks only for write(2)
   * into the page cache. The records may be reused as soon as it returns.
   *
   * @throws {WalIOError} when a write fails; the Wal is unusable after that.
   * @throws {WalClosedError} after `close()`.
   * @example
   * const end = encodeSamples(buf, 0, batch);
   * wal.log(buf.subarray(0, end));
   */
  log(...records: Uint8Array[]): void {
    this.#check('log');
    if (records.length === 0) return;
    for (const rec of records) this.#append(rec);
    this.#flush();
    this.#writeSeq++;
    this.stats.recordsLogged += records.length;
  }

  /**
   * Resolves when everything logged before the call is on stable storage (fdatasync of the
   * segments written, fsync of the directory after a segment was created). Callers arriving
   * while an fsync runs share the next one, so N concurrent commits cost at most two fsyncs.
   * Resolves at once when everything logged is already synced.
   *
   * @throws {WalIOError} when the fsync fails; the Wal is unusable after that.
   * @throws {WalClosedError} after `close()`.
   * @example
   * wal.log(rec);
   * await wal.sync(); // now acknowledge the commit
   */
  sync(): Promise<void> {
    try {
      this.#check('sync');
    } catch (err) {
      return Promise.reject(err);
    }
    const want = this.#writeSeq;
    if (want <= this.#syncedSeq) return Promise.resolve();
    if (this.#inflight && this.#inflightSeq >= want) return this.#inflight;
    if (this.#queued) return this.#queued;
    if (!this.#inflight) return this.#startSync();
    const queued = this.#inflight.then(
      () => this.#runQueued(),
      () => this.#runQueued(),
    );
    this.#queued = queued;
    return queued;
  }

  /**
   * Ends the current segment (zero-padding its last page) and starts the next one; returns the
   * new segment's index. The head calls it before a checkpoint so that every segment up to
   * the previous one is complete.
   *
   * @example
   * const current = wal.nextSegment();
   * await checkpoint(wal.dir, { toSegment: current - 1, keepSeries, minTime });
   */
  nextSegment(): number {
    this.#check('start a new segment');
    this.#rotate();
    return this.#segment.index;
  }

  /**
   * Pads the current page, fsyncs and closes every segment, after the fsyncs under way. Once
   * called, `log()`, `sync()` and `nextSegment()` throw {@link WalClosedError}; calling it again
   * returns the same promise.
   *
   * @throws {WalIOError} when the final write or fsync fails.
   * @example
   * await wal.close();
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    let error: unknown = null;
    if (!this.#failure) {
      try {
        this.#padPage();
        this.#flush();
        this.#writeSeq++;
      } catch (err) {
        error = err;
      }
    }
    await Promise.allSettled([this.#inflight, this.#queued]);
    if (!this.#failure) {
      try {
        await this.#startSync();
      } catch (err) {
        error = err;
      }
    }
    for (const s of [...this.#retired, this.#segment]) closeSync(s.fd);
    this.#retired = [];
    if (error) throw error;
  }

  #check(op: string): void {
    if (this.#closed) throw new WalClosedError(this.dir, op);
    if (this.#failure) throw new WalIOError(`${op} to`, this.dir, { cause: this.#failure });
  }

  #segmentPath(index: number): string {
    return join(this.dir, segmentName(index));
  }

  #createSegment(index: number): OpenSegment {
    const path = this.#segmentPath(index);
    try {
      // 'wx': O_EXCL, so that a segment someone else created is never written over.
      const fd = openSync(path, 'wx');
      this.#dirDirty = true;
      this.#writeSeq++;
      this.stats.segmentsCreated++;
      return { index, fd };
    } catch (err) {
      throw this.#fail('create', path, err);
    }
  }

  #fail(op: string, path: string, cause: unknown): WalIOError {
    this.#failure ??= new WalIOError(op, path, { cause });
    return this.#failure;
  }

  /** Fragments `rec` into the page buffer, rotating first when it does not fit the segment. */
  #append(rec: Uint8Array): void {
    const pos = this.#bufStart + this.#alloc;
    const pageLeft = PAGE_SIZE - (pos % PAGE_SIZE) - HEADER_SIZE;
    const pagesLeft = this.#segmentSize / PAGE_SIZE - Math.floor(pos / PAGE_SIZE) - 1;
    if (pos > 0 && rec.length > pageLeft + pagesLeft * (PAGE_SIZE - HEADER_SIZE)) this.#rotate();

    const buf = this.#buf;
    let off = 0;
    let first = true;
    do {
      if (this.#alloc === buf.length) this.#drain();
      const at = this.#alloc;
      const n = Math.min(rec.length - off, PAGE_SIZE - (at % PAGE_SIZE) - HEADER_SIZE);
      const end = off + n;
      const last = end === rec.length;
      buf[at] = first
        ? last
          ? FragmentType.Full
          : FragmentType.First
        : last
          ? FragmentType.Last
          : FragmentType.Middle;
      buf.writeUInt16BE(n, at + 1);
      buf.writeUInt32BE(crc32c(rec, off, end), at + 3);
      buf.set(rec.subarray(off, end), at + HEADER_SIZE);
      this.#alloc = at + HEADER_SIZE + n;
      off = end;
      first = false;
      // No fragment may start in the page's last HEADER_SIZE - 1 bytes: pad them now.
      const used = this.#alloc % PAGE_SIZE;
      if (used === 0) {
        this.stats.pagesCompleted++;
      } else if (PAGE_SIZE - used < HEADER_SIZE) {
        this.#padPage();
      }
    } while (off < rec.length);
  }

  /** Zero-fills the current page to its end, if it has been started. */
  #padPage(): void {
    const used = this.#alloc % PAGE_SIZE;
    if (used === 0) return;
    const end = this.#alloc + PAGE_SIZE - used;
    this.#buf.fill(0, this.#alloc, end);
    this.#alloc = end;
    this.stats.pagesCompleted++;
  }

  /** Hands `#buf[#flushed, #alloc)` to the kernel. */
  #flush(): void {
    const from = this.#flushed;
    const to = this.#alloc;
    if (from === to) return;
    const path = this.#segmentPath(this.#segment.index);
    let off = from;
    try {
      while (off < to) {
        off += writeSync(this.#segment.fd, this.#buf, off, to - off, this.#bufStart + off);
        this.stats.pageFlushes++;
      }
    } catch (err) {
      this.stats.writeFailures++;
      throw this.#fail('write', path, err);
    } finally {
      this.stats.bytesWritten += off - from;
    }
    this.#flushed = to;
  }

  /** Writes out a full buffer and starts over at its beginning. */
  #drain(): void {
    this.#flush();
    this.#bufStart += this.#alloc;
    this.#alloc = 0;
    this.#flushed = 0;
  }

  #rotate(): void {
    this.#padPage();
    this.#flush();
    this.#retired.push(this.#segment);
    this.#segment = this.#createSegment(this.#segment.index + 1);
    this.#bufStart = 0;
    this.#alloc = 0;
    this.#flushed = 0;
  }

  /** Starts the shared fsync; it runs even while closing, as `close()` waits for it. */
  #runQueued(): Promise<void> {
    this.#queued = null;
    if (this.#failure) {
      return Promise.reject(new WalIOError('sync to', this.dir, { cause: this.#failure }));
    }
    return this.#startSync();
  }

  #startSync(): Promise<void> {
    const seq = this.#writeSeq;
    const retired = this.#retired.slice();
    const current = this.#segment;
    const syncDir = this.#dirDirty;
    this.#dirDirty = false;
    // eslint-disable-next-line prefer-const -- assigned once run() has started; read when it ends
    let p: Promise<void>;
    const run = async (): Promise<void> => {
      let path = this.dir;
      const start = performance.now();
      try {
        for (const s of [...retired, current]) {
          path = this.#segmentPath(s.index);
          await fdatasyncFd(s.fd);
        }
        path = this.dir;
        if (syncDir) await fsyncPathAsync(this.dir);
      } catch (err) {
        this.stats.observeFsync((performance.now() - start) / 1000, true);
        throw this.#fail('fsync', path, err);
      } finally {
        if (this.#inflight === p) this.#inflight = null;
      }
      this.stats.observeFsync((performance.now() - start) / 1000, false);
      if (seq > this.#syncedSeq) this.#syncedSeq = seq;
      if (retired.length > 0) {
        this.#retired = this.#retired.filter((s) => !retired.includes(s));
        for (const s of retired) closeSync(s.fd);
      }
    };
    p = run();
    this.#inflight = p;
    this.#inflightSeq = seq;
    return p;
  }
}
