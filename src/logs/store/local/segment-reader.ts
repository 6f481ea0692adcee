/**
 * @module
 * Reads a segment written by `segment-writer.ts`. Opening reads the trailer, the footer and all
 * bloom filters (a few bytes per document) and keeps the file open; blocks are read on demand,
 * section by section, so a search reads only the columns its filter and its caller need.
 * Reads are synchronous `pread`s: sections are small and nearly always in the page cache, where
 * a synchronous read costs microseconds and an async one a thread-pool round trip.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { getUvarint } from '../../../lib/encoding/varint.js';
import type { FieldValue } from '../../model/fields.js';
import type { Column, Columns } from '../../query/filter.js';
import { FrequentTokenColumn, PagedColumn } from './block-columns.js';
import type { BlockPrefetch } from './block-prefetch.js';
import { bloomHas, bloomHasAt, hashKey } from './bloom.js';
import { decodeColumn } from './column.js';
import { FrequentTokens } from './frequent-tokens.js';
import {
  type ColumnMeta,
  frequentSection,
  BLOCK_DOCS,
  type Page,
  PAGE_BYTES,
  pagesOf,
  SEGMENT_VERSION,
  decodeSection,
  decompress,
  SEGMENT_END_MAGIC,
  SEGMENT_MAGIC,
  SEGMENT_TRAILER,
  type Section,
  type SegmentFooter,
} from './segment-format.js';
import { rebuildSource } from './shape.js';
import { decodeTimeColumn, KIND_TIME } from './time-column.js';
import { decodeMs, decodeTimes } from './time-section.js';

/** Counts bytes read, for the search statistics. */
export interface ReadCounter {
  bytesRead: number;
}

/** Compressed bytes of the section being decompressed ({@link SegmentReader}'s `#section`). */
let readScratch = Buffer.allocUnsafe(0);

/** {@link readScratch}, at least `len` bytes. */
function scratch(len: number): Buffer {
  if (readScratch.length < len) readScratch = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(len)));
  return readScratch;
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

  #read([off, len]: Section, counter?: ReadCounter, into?: Buffer): Buffer {
    const buf = into === undefined ? Buffer.allocUnsafe(len) : into.subarray(0, len);
    let done = 0;
    while (done < len) {
      const n = readSync(this.#fd, buf, done, len - done, off + done);
      if (n === 0)
        throw new Error(
          `cannot read segment: ${this.path}: unexpected end at offset ${off + done}`,
        );
      done += n;
    }
    if (counter !== undefined) counter.bytesRead += len;
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
    const one: Uint32Array[] = [new Uint32Array(0)];
    for (const h of hashes) {
      one[0] = h;
      if (!this.#anyHasAll(pairs, 0, pairs.length, one)) return false;
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

  /**
   * True when a document with `id` is in this segment: the id bloom filter first, then, on a
   * hit, the id sections of the blocks.
   */
  hasId(id: string): boolean {
    const h = new Uint32Array(2);
    hashKey(id, h);
    if (!bloomHas(this.#bloom(this.footer.idBloom), h)) return false;
    for (const b of this.footer.blocks) {
      const col = decodeColumn(this.#section(b.ids), b.count);
      for (let i = 0; i < b.count; i++) if (col.values(i)[0] === id) return true;
    }
    return false;
  }

  /**
   * Decompresses section `s`. Its compressed bytes are read into a scratch buffer shared by
   * every reader (decompression copies them out, and nothing else runs meanwhile): one
   * allocation fewer per section, the size of a page, on every search.
   */
  #section(s: Section, counter?: ReadCounter, expected?: number): Buffer {
    const f = this.footer;
    const packed = this.#read(s, counter, scratch(s[1]));
    const out = decodeSection(f.version, f.codec, packed, expected);
    // A stored section's bytes are still in the scratch: they must outlive the next read.
    return out.buffer === packed.buffer ? Buffer.from(out) : out;
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
    let head = read ?? this.#read([off, headLen], counter, scratch(headLen));
    const cur = { off: 0 };
    const packed = getUvarint(head, cur);
    const msEnd = cur.off + packed;
    if (msEnd > head.length) {
      const n = Math.min(len, msEnd);
      head = this.#read([off, n], counter, scratch(n));
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

  /** Another user of this reader; each must {@link release}. */
  retain(): void {
    this.#refs++;
  }

  /** Gives up one use; the file closes when the last is gone. */
  release(): void {
    if (--this.#refs === 0) closeSync(this.#fd);
  }
}

/**
 * One block of a segment, loaded lazily. Valid while its reader is retained.
 *
 * @example
 * const block = seg.block(0, { bytesRead: 0 });
 * block.column('kubernetes.namespace')?.values(0);
 */
export class SegmentBlock implements Columns {
  readonly length: number;
  readonly ms: Float64Array;
  #ns: Int32Array | undefined;
  /** Where the time section's ns part is, for {@link ns}. */
  #nsAt: Section | undefined;
  readonly #seg: SegmentReader;
  readonly #b: number;
  readonly #counter: ReadCounter;
  readonly #hidden: ReadonlySet<string> | undefined;
  /** Sections read and decompressed ahead ({@link BlockPrefetch}), used instead of reading. */
  readonly #ahead: BlockPrefetch | undefined;
  readonly #cols = new Map<number, Column>();
  /** Frequent-token sections in pooled buffers, given back on {@link release}. */
  readonly #pooled: Buffer[] = [];
  /** Dictionary codes in arrays of {@link codesPool}, given back on {@link release}. */
  readonly #codes: Uint8Array[] = [];
  #released = false;
  #ids: Column | undefined;
  #shapes: Column | undefined;
  #paths: string[] | undefined;

  constructor(
    seg: SegmentReader,
    b: number,
    counter: ReadCounter,
    hidden?: ReadonlySet<string>,
    ahead?: BlockPrefetch,
  ) {
    this.#seg = seg;
    this.#b = b;
    this.#counter = counter;
    this.#hidden = hidden;
    this.#ahead = ahead;
    if (ahead !== undefined) {
      // Its buffers now live as long as this block: the sections read ahead lie in them.
      this.#pooled.push(...ahead.buffers);
      ahead.buffers.length = 0;
    }
    const meta = seg.footer.blocks[b]!;
    this.length = meta.count;
    this.ms =
      meta.count === BLOCK_DOCS
        ? (msPool.pop() ?? new Float64Array(BLOCK_DOCS))
        : new Float64Array(meta.count);
    const f = seg.footer;
    if (f.version === 1) {
      this.#ns = new Int32Array(meta.count);
      decodeTimes(seg.loadSection(meta.time, counter), 0, this.ms, this.#ns, seg.path);
    } else {
      // The ms part only; the ns part is read when asked for.
      const { packed, nsAt } = seg.timeHead(b, counter, ahead?.raw.get(meta.time[0]));
      if (f.version === 2)
        decodeTimes(decompress(f.codec, packed), 0, this.ms, undefined, seg.path);
      else decodeMs(decodeSection(f.version, f.codec, packed), this.ms, seg.path);
      this.#nsAt = nsAt;
    }
  }

  /**
   * The ns of each document, decoded on first use: aggregations and histograms, which read
   * every block of their range, need only the ms.
   */
  get ns(): Int32Array {
    if (this.#ns === undefined) {
      this.#ns = new Int32Array(this.length);
      const at = this.#nsAt!;
      if (at[1] > 0) {
        const bytes = this.#seg.readSection(at, this.#counter);
        decodeTimes(bytes, 0, undefined, this.#ns, this.#seg.path);
      }
    }
    return this.#ns;
  }

  /**
   * Gives {@link ms} back for the next block to decode its times into: a search over a day's
   * blocks otherwise allocates (and zeroes, and collects) 64 KiB per block. The block must not
   * be used after.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.ms.length === BLOCK_DOCS && msPool.length < MS_POOL) msPool.push(this.ms);
    for (const b of this.#pooled) giveBack(b);
    this.#pooled.length = 0;
    for (const c of this.#codes) if (codesPool.length < CODES_POOL) codesPool.push(c);
    this.#codes.length = 0;
  }

  paths(): readonly string[] {
    if (this.#paths === undefined) {
      const all = this.#seg.footer.paths;
      this.#paths = this.#seg.footer.blocks[this.#b]!.cols.map(([pi]) => all[pi]!);
      if (this.#hidden !== undefined && this.#hidden.size > 0) {
        this.#paths = this.#paths.filter((p) => !this.#hidden!.has(p));
      }
    }
    return this.#paths;
  }

  column(path: string): Column | undefined {
    if (this.#hidden?.has(path)) return undefined;
    return this.#column(path);
  }

  #column(path: string): Column | undefined {
    const pi = this.#seg.pathIndex.get(path);
    if (pi === undefined) return undefined;
    let col = this.#cols.get(pi);
    if (col !== undefined) return col;
    const entry = this.#seg.footer.blocks[this.#b]!.cols.find(([p]) => p === pi);
    if (entry === undefined) return undefined;
    const seg = this.#seg;
    const load = (s: Section, docs: number, expected?: number) => {
      const bytes = this.#ahead?.sections.get(s[0]) ?? this.#decode(s, expected);
      return bytes[0] === KIND_TIME
        ? decodeTimeColumn(bytes, this.ms, this.ns)
        : decodeColumn(bytes, docs, this.#codeArray);
    };
    const freq = frequentSection(entry);
    const v1 = seg.footer.version === 1;
    const frequent =
      freq &&
      (() =>
        v1
          ? new FrequentTokens(seg.loadSection(freq, this.#counter), this.length, 1)
          : (this.#ahead?.frequent.get(freq[0]) ??
            new FrequentTokens(this.#frequentBytes(freq), this.length, 2)));
    const pages = seg.pages(entry);
    if (pages !== undefined) {
      col = new PagedColumn(
        {
          pages,
          bits: (k) => {
            const [off, len] = pages[k]!.bloom;
            return len === 0 ? undefined : seg.columnBloom(off, len);
          },
          load: (k) => load(pages[k]!.section, pages[k]!.docs, PAGE_OUT_BYTES),
          marks: (k, tokens) => this.#ahead?.marks(pages[k]!.section[0], tokens),
          phraseIn: (k, i, phrase) => this.#ahead?.phraseIn(pages[k]!.section[0], i, phrase),
        },
        frequent,
      );
    } else {
      const whole = () => load([entry[1], entry[2]], this.length);
      col = frequent ? new FrequentTokenColumn(whole, frequent) : whole();
    }
    this.#cols.set(pi, col);
    return col;
  }

  /**
   * `n` bytes for a dictionary column's codes (`decodeColumn`), from {@link codesPool} for a
   * whole block, given back on {@link release}: a histogram decodes a dictionary column in every
   * block, and 8 KiB arrays each, allocated and collected, cost it more than unpacking them.
   */
  readonly #codeArray = (n: number): Uint8Array => {
    if (n !== BLOCK_DOCS) return new Uint8Array(n);
    const codes = codesPool.pop() ?? new Uint8Array(BLOCK_DOCS);
    this.#codes.push(codes);
    return codes;
  };

  /** Section `s` decompressed, from its bytes read ahead when they were. */
  #decode(s: Section, expected?: number): Buffer {
    const read = this.#ahead?.raw.get(s[0]);
    if (read === undefined) return this.#seg.loadSection(s, this.#counter, expected);
    const f = this.#seg.footer;
    // A stored section stays in the read-ahead buffer, which lives as long as this block.
    return decodeSection(f.version, f.codec, read, expected);
  }

  /** A frequent-token section's bytes, read ahead or now; given back to the pool on release. */
  #frequentBytes(s: Section): Buffer {
    const ahead = this.#ahead?.raw.get(s[0]);
    if (ahead !== undefined) return ahead;
    const bytes = this.#seg.readFrequent(s, this.#counter);
    this.#pooled.push(bytes);
    return bytes;
  }

  id(i: number): string {
    this.#ids ??= decodeColumn(
      this.#seg.loadSection(this.#seg.footer.blocks[this.#b]!.ids, this.#counter),
      this.length,
    );
    return this.#ids.values(i)[0] as string;
  }

  values(i: number, path: string): readonly FieldValue[] {
    return this.#column(path)?.values(i) ?? [];
  }

  source(i: number): Record<string, unknown> {
    this.#shapes ??= decodeColumn(
      this.#seg.loadSection(this.#seg.footer.blocks[this.#b]!.shapes, this.#counter),
      this.length,
    );
    const taken = new Map<string, number>();
    return rebuildSource(this.#shapes.values(i)[0] as string, (p) => {
      const k = taken.get(p) ?? 0;
      taken.set(p, k + 1);
      return this.#column(p)!.values(i)[k]!;
    });
  }
}

/**
 * Output buffer for a page's decompression: pages are cut by document count at about
 * {@link PAGE_BYTES} of strings, so most fit; a larger one gets a second chunk.
 */
export const PAGE_OUT_BYTES = PAGE_BYTES + PAGE_BYTES / 4;

/**
 * Times arrays of released blocks ({@link SegmentBlock.release}). A search holds a few blocks
 * at once (its open cursors, its read-ahead), and concurrent searches a few more.
 */
const msPool: Float64Array[] = [];
const MS_POOL = 16;

/** Code arrays of released blocks' dictionary columns ({@link SegmentBlock.release}). */
const codesPool: Uint8Array[] = [];
const CODES_POOL = 64;

/**
 * Buffers for frequent-token sections ({@link SegmentReader.readFrequent}): every block of a
 * common word's search reads one (~20 KiB of the benchmark's messages), and allocating each
 * cost twice the read itself (13.5 against 4.3 µs), and made garbage. Only buffers made here
 * are taken back.
 */
const sectionPool: ArrayBuffer[] = [];
const pooled = new WeakSet<ArrayBuffer>();
const POOLED_BYTES = 64 * 1024;
const SECTION_POOL = 16;

/** A buffer of {@link POOLED_BYTES} from the pool, or a new one the pool will take back. */
function pooledBuffer(): Buffer {
  let ab = sectionPool.pop();
  if (ab === undefined) {
    ab = new ArrayBuffer(POOLED_BYTES);
    pooled.add(ab);
  }
  return Buffer.from(ab, 0, POOLED_BYTES);
}

/**
 * Gives a buffer of {@link SegmentReader.readFrequent} or {@link SegmentReader.readNear} back:
 * nothing may read it after.
 */
export function giveBack(b: Buffer): void {
  const ab = b.buffer as ArrayBuffer;
  if (pooled.has(ab) && sectionPool.length < SECTION_POOL && !sectionPool.includes(ab)) {
    sectionPool.push(ab);
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
