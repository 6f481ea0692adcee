/**
 * @module
 * The in-memory part: documents acknowledged since the last freeze, searchable at once. Per
 * index, parallel arrays (times, sizes, JSON texts), the same documents as columns and their ids
 * for the flush and for searches (`core-columns.ts`, in the ingest core, which scans each
 * write's texts and ids) and a set of the ids for deduplication, which is bounded by the part's
 * size (the store freezes the part long before it gets large) and built only when first asked:
 * shippers that let the store assign ids never ask, and adding a document went from ~1.3 to
 * under 0.15 µs in the 1 M-line benchmark's profile without it. A frozen part is read-only and
 * searched until its segments replace it, and its core goes to a later part once no search reads
 * it ({@link MemoryPart.retire}). Search reads a part in chunks of arrival order
 * (`mem-block.ts`), their columns taken from the part's (`mem-columns.ts`).
 *
 * A document is kept as its JSON text, and parsed again only when a search returns it (or a
 * nested query reads it): the parsed objects `_bulk` hands the store then die young. Kept as
 * objects until their flush (~3–4 times the text's size on the heap), they were copied out of
 * the young generation and marked by every full collection: with each line parsed as `_bulk`
 * does, 85.6–86.2 k against 96.3 k docs per CPU-second at 1 M lines (bench/RESULTS.md,
 * 2026-12-02).
 */

import type { IndexMapping } from './mapping.js';
import { MemChunk } from './mem-block.js';
import { type ColumnsSnapshot, CoreColumns, type PartShapes, readColumns } from './core-columns.js';
import type { SharedPart } from './wasm-part.js';
import { BLOCK_DOCS } from './segment-format.js';
import type { WalDoc } from './wal.js';

/**
 * Documents' JSON texts and ids in UTF-8, in `buf` (a WAL record's): text `k` starts at
 * `at[k]`, id `k` at `idAt[k]` and is `idBytes[k]` long.
 */
export interface Utf8Texts {
  readonly buf: Uint8Array;
  readonly at: readonly number[];
  readonly idAt: readonly number[];
  readonly idBytes: readonly number[];
}

/** One index's documents of a frozen part as a flush job carries them to the worker. */
export interface FlushPart {
  readonly index: string;
  readonly ms: Float64Array;
  readonly ns: Int32Array;
  /** Bytes of each source as JSON. */
  readonly bytes: Int32Array;
  /** Shapes and time codes; the columns themselves are the core's, in {@link core}. */
  readonly cols: PartShapes;
  /**
   * The ingest core's part, with the documents' ids: read into `cols`' columns by
   * {@link withColumns} in the worker.
   */
  readonly core: SharedPart;
}

/** A {@link FlushPart} with its columns and ids read into JavaScript ({@link withColumns}). */
export interface ReadPart extends FlushPart {
  readonly cols: ColumnsSnapshot;
  readonly ids: readonly string[];
}

/** `part` with its columns and ids read from its core's part (a flush job in the worker thread). */
export function withColumns(part: FlushPart): ReadPart {
  const { ids, ...cols } = readColumns(part.core);
  return { ...part, cols: { ...part.cols, ...cols }, ids };
}

/** One index's documents in a part. */
export class MemIndex {
  length = 0;
  /** Bytes of the sources as JSON. */
  rawBytes = 0;
  minMs = Infinity;
  maxMs = -Infinity;
  ms = new Float64Array(1024);
  ns = new Int32Array(1024);
  bytes = new Int32Array(1024);
  /** The same documents as columns, for the flush. */
  readonly cols = new CoreColumns();
  /** Each document's source as JSON. */
  readonly texts: string[] = [];
  /** The sources a search parsed (see {@link source}). */
  readonly #parsed: (Readonly<Record<string, unknown>> | undefined)[] = [];
  /** The ids, once {@link has} was called. */
  #idSet: Set<string> | undefined;
  readonly #chunks: MemChunk[] = [];

  /**
   * @example
   * const m = new MemIndex();
   * m.add('id1', Date.now(), 0, { message: 'hi' }, '{"message":"hi"}', 16, mapping);
   *
   * `source` is walked here only when the core leaves `json` (`bytes` long in UTF-8), which is
   * kept; the core reads `@timestamp` itself.
   */
  add(
    id: string,
    ms: number,
    ns: number,
    source: Readonly<Record<string, unknown>>,
    json: string,
    bytes: number,
    mapping: IndexMapping,
  ): void {
    this.addBatch([{ id, ms, ns, json }], [source], [bytes], mapping);
  }

  /**
   * {@link add} for several documents of this index: `docs[k]` with its source parsed
   * `sources[k]`, `bytes[k]` long in UTF-8, and with `utf8`, those bytes at `utf8.at[k]` of
   * `utf8.buf`.
   */
  addBatch(
    docs: readonly Omit<WalDoc, 'index'>[],
    sources: readonly Readonly<Record<string, unknown>>[],
    bytes: readonly number[],
    mapping: IndexMapping,
    utf8?: Utf8Texts,
  ): void {
    const first = this.length;
    const n = docs.length;
    if (first + n > this.ms.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(Math.max(first + n, a.length * 2));
        b.set(a);
        return b;
      };
      this.ms = grow(this.ms);
      this.ns = grow(this.ns);
      this.bytes = grow(this.bytes);
    }
    const jsons: string[] = [];
    for (let k = 0; k < n; k++) {
      const d = docs[k]!;
      const i = first + k;
      this.ms[i] = d.ms;
      this.ns[i] = d.ns;
      this.bytes[i] = bytes[k]!;
      this.texts.push(d.json);
      this.#idSet?.add(d.id);
      this.rawBytes += bytes[k]!;
      if (d.ms < this.minMs) this.minMs = d.ms;
      if (d.ms > this.maxMs) this.maxMs = d.ms;
      jsons.push(d.json);
    }
    this.length = first + n;
    this.cols.addBatch(
      first,
      // With `utf8`, the core takes the ids' bytes from it.
      utf8 === undefined ? docs.map((d) => d.id) : [],
      jsons,
      sources,
      this.ms.subarray(first, first + n),
      this.ns.subarray(first, first + n),
      mapping,
      utf8 && {
        buf: utf8.buf,
        at: utf8.at,
        lengths: bytes,
        ids: { at: utf8.idAt, lengths: utf8.idBytes },
      },
    );
  }

  /** The documents as a flush job carries them (copies: the part stays searchable). */
  flushPart(index: string): FlushPart {
    const n = this.length;
    return {
      index,
      ms: this.ms.slice(0, n),
      ns: this.ns.slice(0, n),
      bytes: this.bytes.slice(0, n),
      cols: this.cols.snapshot(n),
      core: this.cols.shared(),
    };
  }

  /** The source of row `r`, parsed from its text on first use and kept for later reads. */
  source(r: number): Readonly<Record<string, unknown>> {
    let s = this.#parsed[r];
    if (s === undefined) {
      s = JSON.parse(this.texts[r]!) as Readonly<Record<string, unknown>>;
      this.#parsed[r] = s;
    }
    return s;
  }

  has(id: string): boolean {
    this.#idSet ??= new Set(Array.from({ length: this.length }, (_, r) => this.id(r)));
    return this.#idSet.has(id);
  }

  /** Row `r`'s id (kept in the core, read while the part is). */
  id(r: number): string {
    return this.cols.core.ids.get(r);
  }

  /**
   * Chunk `k` (rows `[k·BLOCK_DOCS, …)`) as of `length` documents. A full chunk is built once
   * and kept; the partial last one is built per call.
   */
  chunk(k: number, length: number): MemChunk {
    const start = k * BLOCK_DOCS;
    const end = Math.min(length, start + BLOCK_DOCS);
    if (end - start < BLOCK_DOCS) return new MemChunk(this, start, end);
    let c = this.#chunks[k];
    if (c === undefined) this.#chunks[k] = c = new MemChunk(this, start, end);
    return c;
  }
}

/** A set of per-index parts, written between two freezes. */
export class MemoryPart {
  readonly indices = new Map<string, MemIndex>();
  docs = 0;
  rawBytes = 0;
  /** When the first document arrived (the age flush counts from it). */
  firstAt: number;
  /** The WAL files holding this part's documents: `(fromSeq, toSeq]`, set when frozen. */
  fromSeq = 0;
  toSeq = 0;
  /** Searches reading the part ({@link retain}). */
  #readers = 0;
  #retired = false;

  /** @example const part = new MemoryPart(Date.now()); */
  constructor(now: number) {
    this.firstAt = now;
  }

  /**
   * Adds `doc`, whose source parsed is `source` (walked, not kept) and `bytes` long in UTF-8.
   */
  add(
    doc: WalDoc,
    source: Readonly<Record<string, unknown>>,
    bytes: number,
    mapping: IndexMapping,
  ): void {
    const { index } = doc;
    let m = this.indices.get(index);
    if (m === undefined) this.indices.set(index, (m = new MemIndex()));
    m.add(doc.id, doc.ms, doc.ns, source, doc.json, bytes, mapping);
    this.docs++;
    this.rawBytes += bytes;
  }

  /**
   * {@link add} for the documents of one write, in order: `mappingOf(index)` is the mapping of
   * each document's index; `utf8` as {@link MemIndex.addBatch} takes it.
   */
  addBatch(
    docs: readonly WalDoc[],
    sources: readonly Readonly<Record<string, unknown>>[],
    bytes: readonly number[],
    mappingOf: (index: string) => IndexMapping,
    utf8?: Utf8Texts,
  ): void {
    // Runs of one index, in order: a write is nearly always to one index.
    for (let start = 0; start < docs.length;) {
      const { index } = docs[start]!;
      let end = start + 1;
      while (end < docs.length && docs[end]!.index === index) end++;
      let m = this.indices.get(index);
      if (m === undefined) this.indices.set(index, (m = new MemIndex()));
      m.addBatch(
        docs.slice(start, end),
        sources.slice(start, end),
        bytes.slice(start, end),
        mappingOf(index),
        utf8 && {
          buf: utf8.buf,
          at: utf8.at.slice(start, end),
          idAt: utf8.idAt.slice(start, end),
          idBytes: utf8.idBytes.slice(start, end),
        },
      );
      for (let k = start; k < end; k++) this.rawBytes += bytes[k]!;
      this.docs += end - start;
      start = end;
    }
  }

  has(index: string, id: string): boolean {
    return this.indices.get(index)?.has(id) ?? false;
  }

  /** Keeps the part's columns readable until {@link release}, past a {@link retire}. */
  retain(): void {
    this.#readers++;
  }

  release(): void {
    this.#readers--;
    this.#free();
  }

  /** Ends the part: its segments replace it. Its cores go to later parts once no search reads it. */
  retire(): void {
    this.#retired = true;
    this.#free();
  }

  #free(): void {
    if (!this.#retired || this.#readers > 0) return;
    for (const m of this.indices.values()) m.cols.free();
    this.indices.clear();
  }
}
