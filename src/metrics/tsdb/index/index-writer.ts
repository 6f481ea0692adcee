/**
 * @module
 * Writes an index file (format v2) in one pass: the symbol table, then series in label-set
 * order, then — on close — the postings lists, an empty label offset table, the postings offset
 * table and the table of contents. Series are encoded straight to the file; what stays in memory
 * is the symbol lookup and, per label pair, the 32-bit refs of its series (the postings), which
 * can only be written once every series is known.
 *
 * Label indices are not written: Prometheus stopped reading them in 2.x and newer versions stop
 * writing them. The label offset table is still written, empty, because Thanos' index-header
 * builder takes its TOC offset as the end of the postings section.
 */

import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import type { Labels } from '../../model/labels.js';
import type { ChunkMeta } from '../chunks/format.js';
import { PostingsBuilder } from '../postings/postings-list.js';
import { IndexWriteError } from './errors.js';
import {
  INDEX_MAGIC,
  INDEX_VERSION_2,
  MAX_SERIES_REF,
  POSTINGS_ALIGNMENT,
  SERIES_ALIGNMENT,
  type Toc,
} from './format.js';
import { SectionFileWriter } from './file-writer.js';
import { compareUtf8 } from '../../../lib/strings/utf8-order.js';

export class IndexWriter {
  readonly #path: string;
  readonly #out: SectionFileWriter;
  readonly #toc: Toc = {
    symbols: 0,
    series: 0,
    labelIndices: 0,
    labelIndicesTable: 0,
    postings: 0,
    postingsTable: 0,
  };
  #stage: 'symbols' | 'series' | 'closed' = 'symbols';
  #symbolList: readonly string[] = [];
  readonly #symbolIds = new Map<string, number>();
  /** Label name symbol → label value symbol → refs of the series having that pair. */
  readonly #postings = new Map<number, Map<number, PostingsBuilder>>();
  readonly #all = new PostingsBuilder();
  #last: Labels | null = null;
  readonly #body = new ByteWriter(256);
  /** Name and value symbol ids of the series being added, reused across calls. */
  readonly #pairIds: number[] = [];

  /**
   * Creates (or truncates) the index file at `path` and writes its header. Call
   * {@link addSymbols} once, {@link addSeries} per series in order, then {@link close}; or
   * {@link abort} to delete the partial file.
   *
   * @example
   * const w = new IndexWriter(join(dir, 'index'));
   * w.addSymbols(['__name__', 'up']);
   * w.addSeries(Labels.fromRecord({ __name__: 'up' }), [{ mint: 0, maxt: 9, ref: 8 }]);
   * w.close();
   */
  constructor(path: string) {
    this.#path = path;
    this.#out = new SectionFileWriter(path);
    this.#out.buf.u32(INDEX_MAGIC);
    this.#out.buf.u8(INDEX_VERSION_2);
  }

  /**
   * Writes the symbol table: every label name and value the series will use, sorted in UTF-8
   * byte order without duplicates. Later calls to addSeries may only use these strings.
   */
  addSymbols(symbols: readonly string[]): void {
    if (this.#stage !== 'symbols') this.#fail('symbols must be added once, before any series');
    const out = this.#out;
    this.#toc.symbols = out.pos;
    out.beginSection();
    out.buf.u32(symbols.length);
    symbols.forEach((s, i) => {
      if (i > 0 && compareUtf8(symbols[i - 1]!, s) >= 0) {
        this.#fail(`symbol ${JSON.stringify(s)} is not after ${JSON.stringify(symbols[i - 1])}`);
      }
      this.#symbolIds.set(s, i);
      out.buf.string(s);
      out.maybeFlush();
    });
    out.endSection();
    this.#symbolList = [...symbols];
    this.#stage = 'series';
    this.#toc.series = out.pos;
  }

  /**
   * Writes one series and returns its reference (file offset / 16). Label sets must come in
   * strictly increasing `Labels.compare` order; chunks in time order, each with
   * mint ≤ maxt and starting after the previous one's maxt (ms, inclusive).
   */
  addSeries(labels: Labels, chunks: readonly ChunkMeta[]): number {
    if (this.#stage === 'symbols') this.addSymbols([]);
    if (this.#stage !== 'series') this.#fail('writer is closed');
    if (labels.isEmpty()) this.#fail('series has no labels');
    if (this.#last !== null && this.#last.compare(labels) >= 0) {
      this.#fail(`series ${labels.toString()} is not after ${this.#last.toString()}`);
    }
    this.#checkChunks(labels, chunks);

    const out = this.#out;
    out.pad(SERIES_ALIGNMENT);
    const ref = out.pos / SERIES_ALIGNMENT;
    if (ref > MAX_SERIES_REF) this.#fail('series section exceeds 64 GiB');

    // Symbols are resolved before any state changes, so a refused series leaves none behind.
    const ids = this.#pairIds;
    ids.length = 0;
    labels.forEach((name, value) => void ids.push(this.#symbol(name), this.#symbol(value)));
    const body = this.#body;
    body.reset();
    body.uvarint(ids.length / 2);
    for (const id of ids) body.uvarint(id);
    body.uvarint(chunks.length);
    let prev: ChunkMeta | undefined;
    for (const c of chunks) {
      if (prev === undefined) {
        body.varint(c.mint);
        body.uvarint(c.maxt - c.mint);
        body.uvarint(c.ref);
      } else {
        body.uvarint(c.mint - prev.maxt);
        body.uvarint(c.maxt - c.mint);
        body.varint(c.ref - prev.ref);
      }
      prev = c;
    }
    const bytes = body.bytes();
    out.buf.uvarint(bytes.length);
    out.buf.raw(bytes);
    out.buf.u32(crc32c(bytes));
    out.maybeFlush();

    for (let i = 0; i < ids.length; i += 2) {
      let values = this.#postings.get(ids[i]!);
      if (values === undefined) this.#postings.set(ids[i]!, (values = new Map()));
      let list = values.get(ids[i + 1]!);
      if (list === undefined) values.set(ids[i + 1]!, (list = new PostingsBuilder()));
      list.add(ref);
    }
    this.#all.add(ref);
    this.#last = labels;
    return ref;
  }

  /** Writes postings, offset tables and TOC, then fsyncs and closes the file. */
  close(): void {
    if (this.#stage === 'symbols') this.addSymbols([]);
    if (this.#stage !== 'series') this.#fail('writer is closed');
    this.#stage = 'closed';
    const out = this.#out;
    const toc = this.#toc;
    // Where label indices would start; none follow, so it is also the end of the series.
    toc.labelIndices = out.pos;
    toc.postings = this.#alignedPos();

    const names: string[] = [''];
    const values: string[] = [''];
    const offsets: number[] = [this.#writePostings(this.#all)];
    for (const n of [...this.#postings.keys()].sort((a, b) => a - b)) {
      const byValue = this.#postings.get(n)!;
      for (const v of [...byValue.keys()].sort((a, b) => a - b)) {
        names.push(this.#symbolList[n]!);
        values.push(this.#symbolList[v]!);
        offsets.push(this.#writePostings(byValue.get(v)!));
      }
    }

    toc.labelIndicesTable = out.pos;
    out.beginSection();
    out.buf.u32(0);
    out.endSection();

    toc.postingsTable = out.pos;
    out.beginSection();
    out.buf.u32(offsets.length);
    for (let i = 0; i < offsets.length; i++) {
      out.buf.uvarint(2);
      out.buf.string(names[i]!);
      out.buf.string(values[i]!);
      out.buf.uvarint(offsets[i]!);
      out.maybeFlush();
    }
    out.endSection();

    const tocBytes = new ByteWriter(64);
    for (const off of [
      toc.symbols,
      toc.series,
      toc.labelIndices,
      toc.labelIndicesTable,
      toc.postings,
      toc.postingsTable,
    ]) {
      tocBytes.u64(off);
    }
    out.buf.raw(tocBytes.bytes());
    out.buf.u32(crc32c(tocBytes.bytes()));
    out.close();
  }

  /** Closes and deletes the partial file; the writer is unusable after. */
  abort(): void {
    if (this.#stage === 'closed') return;
    this.#stage = 'closed';
    this.#out.abort();
  }

  #alignedPos(): number {
    this.#out.pad(POSTINGS_ALIGNMENT);
    return this.#out.pos;
  }

  /** Writes one aligned postings list and returns its offset. */
  #writePostings(list: PostingsBuilder): number {
    const out = this.#out;
    const off = this.#alignedPos();
    const refs = list.view();
    out.beginSection();
    out.buf.u32(refs.length);
    for (let i = 0; i < refs.length; i++) out.buf.u32(refs[i]!);
    out.endSection();
    out.maybeFlush();
    return off;
  }

  #symbol(s: string): number {
    const id = this.#symbolIds.get(s);
    if (id === undefined) this.#fail(`${JSON.stringify(s)} is not in the symbol table`);
    return id;
  }

  #checkChunks(labels: Labels, chunks: readonly ChunkMeta[]): void {
    let prevMaxt = -Infinity;
    for (const c of chunks) {
      const where = `chunk [${c.mint}, ${c.maxt}] of ${labels.toString()}`;
      if (![c.mint, c.maxt, c.ref].every(Number.isSafeInteger) || c.ref < 0) {
        this.#fail(`${where} has a non-integer time or ref ${c.ref}`);
      }
      if (c.maxt < c.mint) this.#fail(`${where} ends before it starts`);
      if (c.mint <= prevMaxt) this.#fail(`${where} starts at or before the previous maxt`);
      prevMaxt = c.maxt;
    }
  }

  #fail(reason: string): never {
    throw new IndexWriteError(this.#path, reason);
  }
}
