/**
 * @module
 * Reads an index file (format v2, as Prometheus and {@link IndexWriter} write it). Opening reads
 * and checks the header, the TOC, the symbol table and the postings offset table — those stay in
 * memory; series entries and postings lists are read on demand with positional reads through a
 * small window (Node cannot memory-map), each checked against its CRC. Every structural problem
 * is an {@link IndexCorruptError} naming the file and the offset; file system errors (a missing
 * file) are thrown as they are.
 *
 * Reads are synchronous, like the memory-mapped reads they stand in for; a reader is not safe to
 * use after close().
 */

import { closeSync, fstatSync, openSync } from 'node:fs';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { getUvarint, getVarint, VarintError } from '../../../lib/encoding/varint.js';
import { Labels } from '../../model/labels.js';
import type { ChunkMeta } from '../chunks/format.js';
import { FileWindow } from '../chunks/file-window.js';
import type { Postings } from '../postings/postings-list.js';
import type { PostingsIndex } from '../postings/select.js';
import { IndexCorruptError } from './errors.js';
import {
  INDEX_HEADER_SIZE,
  INDEX_MAGIC,
  INDEX_VERSION_2,
  SERIES_ALIGNMENT,
  TOC_SIZE,
  type Toc,
} from './format.js';
import { PostingsTable } from './postings-table.js';
import { SymbolTable } from './symbols.js';
import { compareUtf8 } from '../../../lib/strings/utf8-order.js';

/** A series entry: its labels and its chunks in time order. */
export interface IndexSeries {
  labels: Labels;
  chunks: ChunkMeta[];
}

export class IndexReader implements PostingsIndex {
  readonly #path: string;
  readonly #fd: number;
  readonly #window: FileWindow;
  readonly #toc: Toc;
  readonly #symbols: SymbolTable;
  readonly #table: PostingsTable;
  readonly #seriesEnd: number;
  /** Label names recur in every series; caching their strings saves most symbol decodes. */
  readonly #names = new Map<number, string>();
  #closed = false;

  private constructor(path: string, fd: number, window: FileWindow) {
    this.#path = path;
    this.#fd = fd;
    this.#window = window;
    this.#toc = this.#readToc();
    this.#symbols = SymbolTable.parse(
      this.#section(this.#toc.symbols, 'symbol table', true),
      path,
      this.#toc.symbols,
    );
    this.#table = PostingsTable.parse(
      this.#section(this.#toc.postingsTable, 'postings offset table', true),
      path,
      this.#toc.postingsTable,
      this.#toc.postingsTable,
    );
    // The series section ends where the next section starts; writers put label indices (or,
    // lacking those, postings) right after it.
    const t = this.#toc;
    this.#seriesEnd = [t.labelIndices, t.postings, t.postingsTable].find((o) => o >= t.series)!;
  }

  /**
   * Opens and validates the index file at `path`.
   *
   * @throws {IndexCorruptError} when the header, TOC, symbol table or postings offset table is
   * malformed or fails its checksum.
   * @example
   * const ix = IndexReader.open(join(blockDir, 'index'));
   * for (const ref of ix.postings('job', 'node')) console.log(ix.series(ref).labels.toString());
   * ix.close();
   */
  static open(path: string): IndexReader {
    const fd = openSync(path, 'r');
    try {
      return new IndexReader(path, fd, new FileWindow(fd, fstatSync(fd).size));
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  get path(): string {
    return this.#path;
  }

  /** File size in bytes. */
  get size(): number {
    return this.#window.size;
  }

  /** A copy of the section offsets. */
  get toc(): Toc {
    return { ...this.#toc };
  }

  get symbolCount(): number {
    return this.#symbols.count;
  }

  /** The symbol with reference `i` (its position in the symbol table). */
  symbol(i: number): string {
    const s = this.#symbols.lookup(i);
    if (s === undefined) {
      throw new RangeError(`cannot look up symbol: ${i} outside [0, ${this.symbolCount})`);
    }
    return s;
  }

  /** Every symbol in UTF-8 byte order. */
  symbols(): IterableIterator<string> {
    return this.#symbols[Symbol.iterator]();
  }

  /** The label names present, in byte order. */
  labelNames(): string[] {
    return this.#table.names().filter((n) => n !== '');
  }

  /** The values of label `name`, in byte order; empty for an unknown name. */
  labelValues(name: string): string[] {
    return this.#table.values(name);
  }

  /** Refs of the series with label `name` = `value`, ascending; a new array the caller owns. */
  postings(name: string, value: string): Postings {
    const off = this.#table.offset(name, value);
    if (off === undefined) return new Uint32Array(0);
    const body = this.#section(off, `postings of ${name}=${JSON.stringify(value)}`, false);
    const n = body.length >= 4 ? body.readUInt32BE(0) : 0;
    if (body.length < 4 || body.length !== 4 + 4 * n) {
      throw this.#corrupt(off, `postings list of ${body.length} bytes does not hold ${n} refs`);
    }
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = body.readUInt32BE(4 + 4 * i);
      if (i > 0 && out[i]! <= out[i - 1]!) throw this.#corrupt(off, 'postings list not sorted');
    }
    return out;
  }

  /** Refs of every series, ascending (the postings list of the empty label pair). */
  allPostings(): Postings {
    return this.postings('', '');
  }

  /**
   * The labels and chunk metas of the series with reference `ref`.
   *
   * @throws {IndexCorruptError} when `ref` is outside the series section or the entry is
   * malformed.
   */
  series(ref: number): IndexSeries {
    const off = ref * SERIES_ALIGNMENT;
    if (!Number.isInteger(ref) || off < this.#toc.series || off >= this.#seriesEnd) {
      throw this.#corrupt(off, `series ref ${ref} outside the series section`);
    }
    const cur = { off: 0 };
    let len: number;
    try {
      len = getUvarint(this.#window.read(off, 10), cur);
    } catch (err) {
      if (!(err instanceof VarintError)) throw err;
      throw this.#corrupt(off, 'unreadable series length', err);
    }
    const start = cur.off;
    const end = start + len;
    if (off + end + 4 > this.#seriesEnd) {
      throw this.#corrupt(off, `series entry of ${len} bytes runs past the series section`);
    }
    const entry = this.#window.read(off, end + 4);
    if (crc32c(entry, start, end) !== entry.readUInt32BE(end)) {
      throw this.#corrupt(off, 'series entry checksum mismatch');
    }
    try {
      return this.#decodeSeries(entry, start, end, off);
    } catch (err) {
      if (!(err instanceof VarintError)) throw err;
      throw this.#corrupt(off, 'truncated series entry', err);
    }
  }

  /** Closes the file; idempotent. The reader must not be used after. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }

  #decodeSeries(b: Buffer, start: number, end: number, off: number): IndexSeries {
    const cur = { off: start };
    const nLabels = getUvarint(b, cur, end);
    // Bounds on the counts keep a corrupt entry from driving a huge loop: a label pair takes at
    // least 2 bytes, a chunk meta at least 3.
    if (nLabels > (end - cur.off) / 2) throw this.#corrupt(off, `${nLabels} labels cannot fit`);
    const pairs: [string, string][] = [];
    for (let i = 0; i < nLabels; i++) {
      const nameRef = getUvarint(b, cur, end);
      const name = this.#names.get(nameRef) ?? this.#nameSymbol(nameRef, off);
      const value = this.#seriesSymbol(getUvarint(b, cur, end), off);
      if (name === '' || value === '') throw this.#corrupt(off, 'empty label name or value');
      if (i > 0 && compareUtf8(pairs[i - 1]![0], name) >= 0) {
        throw this.#corrupt(off, `label ${name} out of order`);
      }
      pairs.push([name, value]);
    }
    const nChunks = getUvarint(b, cur, end);
    if (nChunks > (end - cur.off) / 3) throw this.#corrupt(off, `${nChunks} chunks cannot fit`);
    const chunks: ChunkMeta[] = [];
    let maxt = 0;
    let ref = 0;
    for (let i = 0; i < nChunks; i++) {
      // The first chunk stores its mint; later ones the gap since the previous maxt.
      const mint = i === 0 ? getVarint(b, cur, end) : maxt + getUvarint(b, cur, end);
      maxt = mint + getUvarint(b, cur, end);
      ref = i === 0 ? getUvarint(b, cur, end) : ref + getVarint(b, cur, end);
      chunks.push({ mint, maxt, ref });
    }
    if (cur.off !== end) throw this.#corrupt(off, `${end - cur.off} bytes after the chunks`);
    return { labels: Labels.fromSorted(pairs), chunks };
  }

  #nameSymbol(i: number, off: number): string {
    const s = this.#seriesSymbol(i, off);
    this.#names.set(i, s);
    return s;
  }

  #seriesSymbol(i: number, off: number): string {
    const s = this.#symbols.lookup(i);
    if (s === undefined) throw this.#corrupt(off, `symbol ref ${i} out of range`);
    return s;
  }

  #readToc(): Toc {
    const size = this.#window.size;
    if (size < INDEX_HEADER_SIZE + TOC_SIZE) {
      throw this.#corrupt(0, `file of ${size} bytes is too short for header and TOC`);
    }
    const head = this.#window.read(0, INDEX_HEADER_SIZE);
    const magic = head.readUInt32BE(0);
    if (magic !== INDEX_MAGIC) throw this.#corrupt(0, `bad magic 0x${magic.toString(16)}`);
    if (head[4] !== INDEX_VERSION_2) throw this.#corrupt(4, `unsupported version ${head[4]}`);
    const at = size - TOC_SIZE;
    const b = this.#window.read(at, TOC_SIZE);
    if (crc32c(b, 0, TOC_SIZE - 4) !== b.readUInt32BE(TOC_SIZE - 4)) {
      throw this.#corrupt(at, 'TOC checksum mismatch');
    }
    const u64 = (i: number) => b.readUInt32BE(i * 8) * 2 ** 32 + b.readUInt32BE(i * 8 + 4);
    const toc: Toc = {
      symbols: u64(0),
      series: u64(1),
      labelIndices: u64(2),
      labelIndicesTable: u64(3),
      postings: u64(4),
      postingsTable: u64(5),
    };
    for (const [key, off] of Object.entries(toc)) {
      const required = key === 'symbols' || key === 'series' || key === 'postingsTable';
      if ((required || off !== 0) && (off < INDEX_HEADER_SIZE || off > at)) {
        throw this.#corrupt(at, `TOC entry ${key} = ${off} outside [5, ${at}]`);
      }
    }
    if (toc.series < toc.symbols || toc.postingsTable < toc.series) {
      throw this.#corrupt(at, 'TOC sections out of order');
    }
    return toc;
  }

  /**
   * The body of the length-prefixed, CRC-checked section at `off`. With `keep` the bytes are a
   * copy; otherwise a view valid until the next read.
   */
  #section(off: number, what: string, keep: boolean): Buffer {
    const size = this.#window.size;
    if (off + 4 > size) throw this.#corrupt(off, `${what}: length past the end of the file`);
    const len = this.#window.read(off, 4).readUInt32BE(0);
    if (off + 8 + len > size) {
      throw this.#corrupt(off, `${what} of ${len} bytes runs past the end of the file (${size})`);
    }
    const view = this.#window.read(off + 4, len + 4);
    if (crc32c(view, 0, len) !== view.readUInt32BE(len)) {
      throw this.#corrupt(off, `${what} checksum mismatch`);
    }
    const body = view.subarray(0, len);
    return keep ? Buffer.from(body) : body;
  }

  #corrupt(offset: number, reason: string, cause?: unknown): IndexCorruptError {
    return new IndexCorruptError(this.#path, offset, reason, { cause });
  }
}
