/**
 * @module
 * Reads a segment written by `segment-writer.ts`. Opening reads the trailer, the footer and all
 * bloom filters (a few bytes per document) and keeps the file open; blocks are read on demand,
 * section by section, so a search reads only the columns its filter and its caller need.
 * Reads are synchronous `pread`s: sections are small and nearly always in the page cache, where
 * a synchronous read costs microseconds and an async one a thread-pool round trip.
 */

import { closeSync, fstatSync, openSync } from 'node:fs';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { getUvarint } from '../../../lib/encoding/varint.js';
import type { BlockPrefetch } from './block-prefetch.js';
import { bloomHas, bloomHasAt, hashKey } from './bloom.js';
import { decodeColumn } from './column.js';
import { IdSet } from './id-set.js';
import { SegmentBlock } from './segment-block.js';
import { POOLED_BYTES, pooledBuffer } from './section-pool.js';
import { decodeScratch, readScratch, readSection } from './section-read.js';
import {
  type ColumnMeta,
  type Page,
  pagesOf,
  SEGMENT_VERSION,
  ID_SET_VERSION,
  decompress,
  SEGMENT_END_MAGIC,
  SEGMENT_MAGIC,
  SEGMENT_TRAILER,
  type Section,
  type SegmentFooter,
} from './segment-format.js';

/** Counts bytes read, for the search statistics. */
export interface ReadCounter {
  bytesRead: number;
}

/** A block's column blooms, for planning ({@link SegmentReader}'s `#bloomRanges`). */
interface BloomRanges {
  /** `[offset in the bloom region, length]` pairs, end to end. */
  readonly pairs: Int32Array;
  /** Column `i` (of the block's `cols`) has the pairs `[colAt[i], colAt[i + 1])`. */
  readonly colAt: Int32Array;
}

export class SegmentReader {
  readonly path: string;
  readonly footer: SegmentFooter;
  /** File size in bytes. */
  readonly bytes: number;
  /** Column path → index into `footer.paths`. */
  readonly pathIndex: Map<string, number>;
  readonly #fd: number;
  readonly #blooms: Buffer;
  /** The id set, decoded on the first {@link hasId} (version 6 and later). */
  #idSet: IdSet | undefined;
  readonly #pages = new WeakMap<ColumnMeta, Page[]>();
  /** By block, {@link #bloomRanges}. */
  readonly #ranges: (BloomRanges | undefined)[] = [];
  #refs = 1;

  /**
   * Opens the segment at `path`.
   *
   * @throws {Error} when the file is not a whole segment (bad magic, trailer or footer CRC).
   * @example
   * const seg = SegmentReader.open(path);
   * seg.footer.count; // documents
   */
  static open(path: string): SegmentReader {
    const fd = openSync(path, 'r');
    try {
      return new SegmentReader(path, fd);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
    this.bytes = fstatSync(fd).size;
    const fail = (what: string, off: number) =>
      new Error(`cannot open segment: ${path}: ${what} at offset ${off}`);
    if (this.bytes < SEGMENT_MAGIC.length + SEGMENT_TRAILER) throw fail('file too short', 0);
    const head = this.#read([0, SEGMENT_MAGIC.length]);
    if (!head.equals(SEGMENT_MAGIC)) throw fail('bad magic', 0);
    const tOff = this.bytes - SEGMENT_TRAILER;
    const trailer = this.#read([tOff, SEGMENT_TRAILER]);
    if (!trailer.subarray(12).equals(SEGMENT_END_MAGIC)) throw fail('bad trailer magic', tOff + 12);
    const fOff = trailer.readUInt32LE(0);
    const fLen = trailer.readUInt32LE(4);
    if (fOff + fLen > tOff) throw fail(`footer [${fOff}, +${fLen}) past the trailer`, tOff);
    const packed = this.#read([fOff, fLen]);
    if (crc32c(packed) !== trailer.readUInt32LE(8)) throw fail('footer CRC mismatch', fOff);
    this.footer = JSON.parse(decompress('deflate', packed).toString('utf8')) as SegmentFooter;
    if (!(this.footer.version >= 1 && this.footer.version <= SEGMENT_VERSION)) {
      throw fail(
        `footer version ${this.footer.version}, this build reads 1 to ${SEGMENT_VERSION}`,
        fOff,
      );
    }
    this.#blooms = this.#read(this.footer.blooms);
    this.pathIndex = new Map(this.footer.paths.map((p, i) => [p, i]));
  }

  #read(s: Section, counter?: ReadCounter, into?: Buffer): Buffer {
    const buf = readSection(this.#fd, this.path, s, into);
    if (counter !== undefined) counter.bytesRead += s[1];
    return buf;
  }

  /** The bloom filter bits of a section inside the bloom region. */
  #bloom([off, len]: Section): Uint8Array {
    const start = off - this.footer.blooms[0];
    return this.#blooms.subarray(start, start + len);
  }

  /** The pages of a paged column of this segment ({@link pagesOf}), worked out once. */
  pages(c: ColumnMeta): Page[] | undefined {
    if (c.length !== 8) return undefined;
    let pages = this.#pages.get(c);
    if (pages === undefined) this.#pages.set(c, (pages = pagesOf(c)!));
    return pages;
  }

  /** The bloom filter bits at `[off, len]` of the column bloom region. */
  columnBloom(off: number, len: number): Uint8Array {
    return this.#blooms.subarray(off, off + len);
  }

  /**
   * Block `b`'s column blooms as `[offset, length]` pairs (a paged column's pages in turn, an
   * unindexed column none) and where each column's pairs start, worked out on first use.
   * Planning asks every block of the time range about every column: walking the footer's
   * entries, each with a page lookup, took ~7 µs a block, a tenth of a rare-term search.
   */
  #bloomRanges(b: number): BloomRanges {
    let r = this.#ranges[b];
    if (r !== undefined) return r;
    const cols = this.footer.blocks[b]!.cols;
    const colAt = new Int32Array(cols.length + 1);
    const pairs: number[] = [];
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i]!;
      colAt[i] = pairs.length;
      if (c[4] === 0) continue;
      const pages = this.pages(c);
      if (pages === undefined) pairs.push(c[3], c[4]);
      else for (const p of pages) if (p.bloom[1] !== 0) pairs.push(p.bloom[0], p.bloom[1]);
    }
    colAt[cols.length] = pairs.length;
    r = { pairs: Int32Array.from(pairs), colAt };
    this.#ranges[b] = r;
    return r;
  }

  /** True when one of the blooms `pairs[from, to)` may hold every token hashed into `hashes`. */
  #anyHasAll(pairs: Int32Array, from: number, to: number, hashes: readonly Uint32Array[]): boolean {
    const bits = this.#blooms;
    next: for (let k = from; k < to; k += 2) {
      for (const h of hashes) if (!bloomHasAt(bits, pairs[k]!, pairs[k + 1]!, h)) continue next;
      return true;
    }
    return false;
  }

  /**
   * False when some token hashed into `hashes` is certainly in none of block `b`'s indexed
   * columns.
   */
  blockMayHaveAll(b: number, hashes: readonly Uint32Array[]): boolean {
    const { pairs } = this.#bloomRanges(b);
    const bits = this.#blooms;
    next: for (const h of hashes) {
      for (let k = 0; k < pairs.length; k += 2) {
        if (bloomHasAt(bits, pairs[k]!, pairs[k + 1]!, h)) continue next;
      }
      return false;
    }
    return true;
  }

  /**
   * The paths of block `b` whose column certainly lacks, in each of its pages, one of the
   * tokens hashed into `hashes`. For a query that is one word or phrase on any field, those
   * columns cannot match.
   */
  pathsLackingAny(b: number, hashes: readonly Uint32Array[]): string[] {
    const { pairs, colAt } = this.#bloomRanges(b);
    const cols = this.footer.blocks[b]!.cols;
    const out: string[] = [];
    for (let i = 0; i < cols.length; i++) {
      if (!this.#anyHasAll(pairs, colAt[i]!, colAt[i + 1]!, hashes)) {
        out.push(this.footer.paths[cols[i]![0]]!);
      }
    }
    return out;
  }

  /** The set of the ids (version {@link ID_SET_VERSION} and later), decoded once. */
  idSet(): IdSet {
    if (this.footer.version < ID_SET_VERSION) {
      throw new Error(`${this.path}: a version ${this.footer.version} segment has no id set`);
    }
    try {
      this.#idSet ??= new IdSet(this.#bloom(this.footer.idBloom));
    } catch (err) {
      throw this.sectionError(this.footer.idBloom, err);
    }
    return this.#idSet;
  }

  /**
   * True when a document with `id` is in this segment: the id sections of the blocks that
   * {@link idBlocks} leaves, decoded until one has it.
   */
  hasId(id: string): boolean {
    for (const k of this.idBlocks(id)) {
      const b = this.footer.blocks[k]!;
      const col = decodeColumn(this.#section(b.ids), b.count);
      for (let i = 0; i < b.count; i++) if (col.values(i)[0] === id) return true;
    }
    return false;
  }

  /**
   * The blocks that may hold a document with `id`: none when the id set (before version 6, the
   * id bloom filter) rules it out, else those whose id bloom filter lets it pass, and every block
   * written without one.
   */
  idBlocks(id: string): number[] {
    const h = new Uint32Array(2);
    hashKey(id, h);
    if (this.footer.version >= ID_SET_VERSION) {
      const set = this.idSet();
      let found: boolean;
      try {
        // The id set keeps the first of the hash pair (`idHash`).
        found = set.has(h[0]!);
      } catch (err) {
        throw this.sectionError(this.footer.idBloom, err);
      }
      if (!found) return [];
    } else if (!bloomHas(this.#bloom(this.footer.idBloom), h)) return [];
    const bits = this.#blooms;
    const out: number[] = [];
    this.footer.blocks.forEach((b, k) => {
      if (b.idBloom === undefined || bloomHasAt(bits, b.idBloom[0], b.idBloom[1], h)) out.push(k);
    });
    return out;
  }

  /**
   * Decompresses section `s`. Its compressed bytes are read into a scratch buffer shared by
   * every reader (decompression copies them out, and nothing else runs meanwhile): one
   * allocation fewer per section, the size of a page, on every search.
   */
  #section(s: Section, counter?: ReadCounter, expected?: number): Buffer {
    const f = this.footer;
    const packed = this.#read(s, counter, readScratch(s[1]));
    try {
      return decodeScratch(f.version, f.codec, packed, expected);
    } catch (err) {
      throw this.sectionError(s, err);
    }
  }

  /**
   * Block `b` as {@link Columns}; sections load on first use. `hidden` paths (past the field
   * limit) are left out of `paths()`/`column()` but stay in the sources.
   */
  block(
    b: number,
    counter: ReadCounter,
    hidden?: ReadonlySet<string>,
    ahead?: BlockPrefetch,
  ): SegmentBlock {
    return new SegmentBlock(this, b, counter, hidden, ahead);
  }

  /** `err`, met decoding section `s`, with the segment's path and the section's offset. */
  sectionError(s: Section, err: unknown): Error {
    const reason = err instanceof Error ? err.message : String(err);
    return new Error(`cannot read segment: ${this.path}: section at offset ${s[0]}: ${reason}`, {
      cause: err,
    });
  }

  /**
   * @internal Decompresses a section for {@link SegmentBlock}; `expected`: about how many
   * bytes come out, when known ({@link decompress}).
   */
  loadSection(s: Section, counter: ReadCounter, expected?: number): Buffer {
    return this.#section(s, counter, expected);
  }

  /**
   * @internal Where block `b`'s time section starts, {@link TIME_HEAD} bytes long at most: what
   * {@link timeHead} reads.
   */
  timeHeadSection(b: number): Section {
    const [off, len] = this.footer.blocks[b]!.time;
    return [off, Math.min(len, TIME_HEAD)];
  }

  /**
   * @internal Block `b`'s time section, version 2: the compressed ms part (its bytes only) and
   * where the ns part is. The ms part is a few hundred bytes as a rule, so one read of
   * {@link TIME_HEAD} bytes holds it ({@link timeHeadSection}), unless `read` is those bytes,
   * read ahead. `packed` may lie in the shared read scratch: decompress it before anything else
   * reads.
   */
  timeHead(b: number, counter: ReadCounter, read?: Buffer): { packed: Buffer; nsAt: Section } {
    const [off, len] = this.footer.blocks[b]!.time;
    const headLen = Math.min(len, TIME_HEAD);
    let head = read ?? this.#read([off, headLen], counter, readScratch(headLen));
    const cur = { off: 0 };
    const packed = getUvarint(head, cur);
    const msEnd = cur.off + packed;
    if (msEnd > head.length) {
      const n = Math.min(len, msEnd);
      head = this.#read([off, n], counter, readScratch(n));
    }
    return { packed: head.subarray(cur.off, msEnd), nsAt: [off + msEnd, len - msEnd] };
  }

  /**
   * @internal Reads the sections `want`, those less than {@link READ_GAP} bytes apart (as a
   * segment written since 2026-12-01 lays out a block's time section and the small sections
   * filters read) with one `pread`: each section's bytes go into `into` by offset, and the
   * buffers read into onto `buffers`, pooled where they fit: give them back with
   * {@link giveBack} once nothing reads them.
   */
  readNear(want: Section[], counter: ReadCounter, into: Map<number, Buffer>, buffers: Buffer[]) {
    // By offset; in place, as there are a handful (`sort` allocated for every block).
    for (let i = 1; i < want.length; i++) {
      const s = want[i]!;
      let j = i - 1;
      for (; j >= 0 && want[j]![0] > s[0]; j--) want[j + 1] = want[j]!;
      want[j + 1] = s;
    }
    for (let i = 0; i < want.length;) {
      const start = want[i]![0];
      let end = start + want[i]![1];
      let j = i + 1;
      for (; j < want.length && want[j]![0] - end <= READ_GAP; j++) {
        end = Math.max(end, want[j]![0] + want[j]![1]);
      }
      const len = end - start;
      const buf =
        len > POOLED_BYTES
          ? this.#read([start, len], counter)
          : this.#read([start, len], counter, pooledBuffer());
      buffers.push(buf);
      for (; i < j; i++) {
        const [off, n] = want[i]!;
        into.set(off, buf.subarray(off - start, off - start + n));
      }
    }
  }

  /** @internal Reads a section stored uncompressed. */
  readSection(s: Section, counter: ReadCounter): Buffer {
    return this.#read(s, counter);
  }

  /**
   * @internal Reads a frequent-token section, into a pooled buffer when it fits one: give it
   * back with {@link giveBack} once nothing reads it.
   */
  readFrequent(s: Section, counter: ReadCounter): Buffer {
    if (s[1] > POOLED_BYTES) return this.#read(s, counter);
    return this.#read(s, counter, pooledBuffer());
  }

  /**
   * The open file, for a thread that reads this segment's sections itself (`page-scan.ts`):
   * it must hold a {@link retain} while it does, or the file may close under it.
   */
  get fd(): number {
    return this.#fd;
  }

  /**
   * Another user of this reader; each must {@link release}.
   *
   * @throws {Error} when the last user has released it: its descriptor is closed, and its number
   *   may already be another file's, which a later release would close.
   */
  retain(): void {
    if (this.#refs === 0) throw new Error(`cannot use segment ${this.path}: already closed`);
    this.#refs++;
  }

  /** Gives up one use; the file closes when the last is gone. */
  release(): void {
    if (--this.#refs === 0) closeSync(this.#fd);
  }
}

/** Bytes of a time section read up front: its ms part fits in them as a rule. */
const TIME_HEAD = 4096;

/**
 * Bytes between two sections that {@link SegmentReader.readNear} reads rather than make two
 * `pread`s: from the page cache a read costs ~1.5–2 µs a call and ~0.3 µs a KiB (measured on
 * the benchmark's segments, 2026-12-01).
 */
const READ_GAP = 4096;
