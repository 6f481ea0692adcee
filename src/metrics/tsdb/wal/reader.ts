/**
 * @module
 * Reads records back from a WAL: the newest checkpoint first, then the segments after it, in
 * order, reassembling fragments. Synchronous, for replay at startup and for checkpointing,
 * which need every record in order anyway; a segment is read 512 KiB at a time.
 *
 * The reader is stricter than the format requires, so that damage is found where it is rather
 * than replayed as data: every fragment's CRC is checked; a record must be Full, or
 * First (Middle)* Last within one segment; First and Middle fragments fill their page to the
 * end (the writer always splits that way); a page's padding is all zeros; zero-length
 * fragments are allowed only where the writer makes them. The first violation raises
 * {@link WalCorruptionError} with the segment and the offset where the damaged record starts.
 * A segment that ends mid-page is read as if zero-padded (that is how a crash or `kill -9`
 * leaves the last segment).
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { WalCorruptionError, WalUnsupportedError } from './errors.js';
import {
  COMPRESSION_MASK,
  FRAGMENT_TYPE_MASK,
  FragmentType,
  HEADER_SIZE,
  listCheckpoints,
  listSegments,
  PAGE_SIZE,
  segmentName,
} from './layout.js';
import type { WalStats } from './stats.js';

/** Pages read per read(2): 512 KiB, few calls per 128 MiB segment at a modest buffer. */
const READ_PAGES = 16;

/** One segment file: the directory (the WAL or a checkpoint) and its index. */
export interface SegmentRef {
  dir: string;
  index: number;
}

export interface WalReaderOptions {
  /** Skip segments below this index (default: all after the checkpoint). */
  fromSegment?: number;
  /** Stop after this segment (default: the last). */
  toSegment?: number;
  /** Read the newest checkpoint first; default true. */
  checkpoint?: boolean;
  /** Counts corruptions found in `stats.corruptions`. */
  stats?: WalStats;
  /**
   * Tail a WAL that is being written: at the end of the last segment, `next()` returns null
   * without closing, and a later call goes on with what was written since, in that segment or
   * in segments created after it. A record not yet wholly written is read again later, not
   * taken for damage.
   */
  follow?: boolean;
}

export class WalReader {
  readonly #segments: SegmentRef[];
  readonly #stats: WalStats | undefined;
  readonly #follow: boolean;
  /** The WAL directory, where a followed WAL's new segments appear. */
  readonly #dir: string;
  /** Index into #segments of the open segment, -1 before the first. */
  #current = -1;
  #fd = -1;
  #size = 0;
  /** Offset in the open segment of the next byte to parse. */
  #pos = 0;
  readonly #buf = Buffer.alloc(READ_PAGES * PAGE_SIZE);
  /** Segment offset of `#buf[0]`, and how many bytes of `#buf` are valid. */
  #bufStart = 0;
  #bufLen = 0;
  /** Reassembles records of several fragments. */
  #rec = Buffer.alloc(PAGE_SIZE * 2);
  #recDir = '';
  #recSegment = -1;
  #recOffset = 0;
  #error: Error | null = null;

  private constructor(dir: string, segments: SegmentRef[], options: WalReaderOptions) {
    this.#dir = dir;
    this.#segments = segments;
    this.#stats = options.stats;
    this.#follow = options.follow ?? false;
  }

  /**
   * A reader over the WAL in `dir` in replay order: the newest `checkpoint.N` (all its
   * segments), then the segments numbered above N. Segments at or below N are skipped: they
   * are only left over when a crash interrupted a checkpoint's cleanup.
   *
   * @throws {WalLayoutError} when segment numbers have a gap.
   * @example
   * const reader = WalReader.open('/data/wal');
   * try {
   *   for (let rec = reader.next(); rec !== null; rec = reader.next()) replay(rec);
   * } finally {
   *   reader.close();
   * }
   */
  static open(dir: string, options: WalReaderOptions = {}): WalReader {
    const segments: SegmentRef[] = [];
    let from = options.fromSegment ?? 0;
    const to = options.toSegment ?? Infinity;
    if (options.checkpoint !== false) {
      const newest = listCheckpoints(dir).at(-1);
      if (newest) {
        for (const index of listSegments(newest.path)) segments.push({ dir: newest.path, index });
        from = Math.max(from, newest.index + 1);
      }
    }
    for (const index of listSegments(dir)) {
      if (index >= from && index <= to) segments.push({ dir, index });
    }
    return new WalReader(dir, segments, options);
  }

  /** The directory of the segment holding the record last returned. */
  get dir(): string {
    return this.#recDir;
  }

  /** The segment holding the record last returned, -1 before the first. */
  get segment(): number {
    return this.#recSegment;
  }

  /** The offset in {@link segment} where the record last returned starts. */
  get offset(): number {
    return this.#recOffset;
  }

  /** The offset in the current segment just after the record last returned. */
  get end(): number {
    return this.#pos;
  }

  /**
   * The next record, or null after the last. The returned bytes are a view into the reader's
   * buffers, valid until the next call: copy them to keep them. After a throw, every further
   * call throws the same error.
   *
   * @throws {WalCorruptionError} at the first damaged record.
   * @throws {WalUnsupportedError} at a compressed record.
   * @example
   * for (let rec = reader.next(); rec !== null; rec = reader.next()) replay(rec);
   */
  next(): Uint8Array | null {
    if (this.#error) throw this.#error;
    try {
      return this.#next();
    } catch (err) {
      this.#error = err as Error;
      if (err instanceof WalCorruptionError && this.#stats) this.#stats.corruptions++;
      throw err;
    }
  }

  /** Yields every remaining record; each view is valid only until the next is yielded. */
  *[Symbol.iterator](): Generator<Uint8Array> {
    for (let rec = this.next(); rec !== null; rec = this.next()) yield rec;
  }

  /** Closes the open segment file; the reader is done. */
  close(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
    this.#current = this.#segments.length;
  }

  #next(): Uint8Array | null {
    let start = -1;
    let recLen = 0;
    for (;;) {
      if (this.#fd < 0 || this.#pos >= this.#size) {
        if (this.#follow && this.#atLastSegment()) {
          if (this.#grew()) continue;
          if (start >= 0) {
            // The writer is between the fragments of this record; read it whole next time.
            this.#pos = start;
            return null;
          }
          if (!this.#newSegments()) return null;
          // What was written to this segment before the next one began is read first.
          if (this.#grew()) continue;
        }
        if (start >= 0) throw this.#corrupt(start, 'record torn at the end of the segment');
        if (!this.#openNext()) return null;
        continue;
      }
      const pos = this.#pos;
      const inPage = pos % PAGE_SIZE;
      this.#load(pos, Math.min(pos - inPage + PAGE_SIZE, this.#size));
      if (pos >= this.#size) continue;
      const pageEnd = Math.min(pos - inPage + PAGE_SIZE, this.#size);
      const b = this.#buf;
      const i = pos - this.#bufStart;
      const type = b[i]!;

      if (type === FragmentType.PageTerm || PAGE_SIZE - inPage < HEADER_SIZE) {
        if (start >= 0) throw this.#corrupt(start, 'page padding inside a record');
        for (let k = i; k < pageEnd - this.#bufStart; k++) {
          if (b[k] !== 0) {
            throw this.#corrupt(pos, `non-zero byte at ${this.#bufStart + k} in page padding`);
          }
        }
        this.#pos = pos - inPage + PAGE_SIZE;
        continue;
      }

      const at = start >= 0 ? start : pos;
      if (this.#follow && this.#atLastSegment() && this.#pastEnd(pos, i)) {
        if (this.#grew()) continue;
        this.#pos = at;
        return null;
      }
      if (pos + HEADER_SIZE > this.#size) throw this.#corrupt(at, 'truncated fragment header');
      const len = b.readUInt16BE(i + 1);
      const dataEnd = pos + HEADER_SIZE + len;
      if (inPage + HEADER_SIZE + len > PAGE_SIZE) {
        throw this.#corrupt(at, `fragment of ${len} bytes overruns its page`);
      }
      if (dataEnd > this.#size) {
        const left = this.#size - pos - HEADER_SIZE;
        throw this.#corrupt(at, `truncated fragment: ${len} bytes, ${left} left`);
      }
      const data = i + HEADER_SIZE;
      const crc = crc32c(b, data, data + len);
      const want = b.readUInt32BE(i + 3);
      if (crc !== want) {
        throw this.#corrupt(
          at,
          `checksum mismatch: 0x${crc.toString(16)}, want 0x${want.toString(16)}`,
        );
      }
      const kind = this.#fragmentKind(type, len, dataEnd, start >= 0, at);
      this.#pos = dataEnd;

      if (kind === FragmentType.Full) {
        this.#returned(pos);
        return plainView(b, data, len);
      }
      if (kind === FragmentType.First) start = pos;
      if (recLen + len > this.#rec.length) {
        const bigger = Buffer.allocUnsafe(Math.max(this.#rec.length * 2, recLen + len));
        this.#rec.copy(bigger, 0, 0, recLen);
        this.#rec = bigger;
      }
      b.copy(this.#rec, recLen, data, data + len);
      recLen += len;
      if (kind === FragmentType.Last) {
        this.#returned(start);
        return plainView(this.#rec, 0, recLen);
      }
    }
  }

  /**
   * The fragment type of an intact fragment (its CRC matched), after checking that it may stand
   * where it does; `inRecord` tells whether a record is being reassembled.
   */
  #fragmentKind(type: number, len: number, dataEnd: number, inRecord: boolean, at: number): number {
    const kind = type & FRAGMENT_TYPE_MASK;
    const flagsOk = (type & ~(FRAGMENT_TYPE_MASK | COMPRESSION_MASK)) === 0;
    if (!flagsOk || kind === FragmentType.PageTerm || kind > FragmentType.Last) {
      throw this.#corrupt(at, `invalid fragment type byte 0x${type.toString(16)}`);
    }
    const starts = kind === FragmentType.Full || kind === FragmentType.First;
    if (starts && inRecord) throw this.#corrupt(at, 'record restarts before its last fragment');
    if (!starts && !inRecord)
      throw this.#corrupt(at, 'fragment continues a record that never started');
    const continues = kind === FragmentType.First || kind === FragmentType.Middle;
    if (continues && dataEnd % PAGE_SIZE !== 0) {
      throw this.#corrupt(at, 'first or middle fragment ends before its page does');
    }
    if (!starts && len === 0) throw this.#corrupt(at, 'empty middle or last fragment');
    // Checked last: only a fragment that is sound in every other way is taken for compressed.
    if ((type & COMPRESSION_MASK) !== 0) {
      const ref = this.#segments[this.#current]!;
      throw new WalUnsupportedError(ref.dir, ref.index, at, 'compressed records are not supported');
    }
    return kind;
  }

  #returned(offset: number): void {
    const ref = this.#segments[this.#current]!;
    this.#recDir = ref.dir;
    this.#recSegment = ref.index;
    this.#recOffset = offset;
  }

  #corrupt(offset: number, reason: string): WalCorruptionError {
    const ref = this.#segments[this.#current]!;
    return new WalCorruptionError(ref.dir, ref.index, offset, reason);
  }

  /** Whether the open segment (or none yet) is the last one known. */
  #atLastSegment(): boolean {
    return this.#current >= this.#segments.length - 1;
  }

  /** Re-reads the open segment's size; true when it grew. */
  #grew(): boolean {
    if (this.#fd < 0) return false;
    const size = fstatSync(this.#fd).size;
    if (size <= this.#size) return false;
    this.#size = size;
    return true;
  }

  /** Whether the fragment at segment offset `pos` (buffer index `i`) ends past the file. */
  #pastEnd(pos: number, i: number): boolean {
    return (
      pos + HEADER_SIZE > this.#size ||
      pos + HEADER_SIZE + this.#buf.readUInt16BE(i + 1) > this.#size
    );
  }

  /** Adds segments created after the last known one; true when there were any. */
  #newSegments(): boolean {
    const last = this.#segments.at(-1)?.index ?? -1;
    const added = listSegments(this.#dir).filter((index) => index > last);
    for (const index of added) this.#segments.push({ dir: this.#dir, index });
    return added.length > 0;
  }

  /** Opens the next segment; false when there is none. */
  #openNext(): boolean {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
    if (++this.#current >= this.#segments.length) return false;
    const ref = this.#segments[this.#current]!;
    this.#fd = openSync(join(ref.dir, segmentName(ref.index)), 'r');
    this.#size = fstatSync(this.#fd).size;
    this.#pos = 0;
    this.#bufStart = 0;
    this.#bufLen = 0;
    return true;
  }

  /** Makes `#buf` hold the segment bytes [from, to), which lie within one page. */
  #load(from: number, to: number): void {
    if (from >= this.#bufStart && to <= this.#bufStart + this.#bufLen) return;
    const start = from - (from % PAGE_SIZE);
    const len = Math.min(this.#buf.length, this.#size - start);
    let n = 0;
    while (n < len) {
      const got = readSync(this.#fd, this.#buf, n, len - n, start + n);
      if (got === 0) break;
      n += got;
    }
    this.#bufStart = start;
    this.#bufLen = n;
    // The file shrank under us (another process truncating it): read what is there as its end.
    if (start + n < to) this.#size = start + n;
  }
}

/**
 * A plain Uint8Array over `buf[off, off + len)`, not a Buffer: on a Buffer `slice()` returns a
 * view, and a caller copying a record with `slice()` would keep a view that the next read
 * overwrites.
 */
function plainView(buf: Buffer, off: number, len: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + off, len);
}
