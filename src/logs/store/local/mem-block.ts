/**
 * @module
 * Chunks of a memory part as search reads them. A chunk is {@link BLOCK_DOCS} consecutive
 * documents in arrival order, sorted by time within itself; once full it never changes, so its
 * sorted arrays and its columns (built on demand from the part's columns, `mem-columns.ts`) are
 * kept for every later search instead of being rebuilt each time. Only the last, partial chunk
 * is rebuilt per search. Paths past the field limit are hidden from the filter, as segments
 * hide them.
 */

import type { FieldValue } from '../../model/fields.js';
import type { Column } from '../../query/filter.js';
import { ChunkColumns } from './mem-columns.js';
import type { MemIndex } from './memory-part.js';
import type { OpenBlock } from './search.js';

/** Rows `[start, end)` of a memory index, sorted by (ms, ns, id). */
export class MemChunk {
  readonly length: number;
  readonly ms: Float64Array;
  readonly ns: Int32Array;
  /** Document `i` is the index's row `rows[i]`. */
  readonly rows: Uint32Array;
  readonly cols: ChunkColumns;

  /**
   * @example
   * const chunk = new MemChunk(mem, 0, Math.min(mem.length, BLOCK_DOCS));
   */
  constructor(mem: MemIndex, start: number, end: number) {
    const n = end - start;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = start + i;
    const { ms, ns } = mem;
    const byId = (a: number, b: number) => {
      const x = mem.id(a);
      const y = mem.id(b);
      return x < y ? -1 : x > y ? 1 : 0;
    };
    order.sort((a, b) => ms[a]! - ms[b]! || ns[a]! - ns[b]! || byId(a, b));
    this.length = n;
    this.rows = order;
    this.ms = new Float64Array(n);
    this.ns = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const r = order[i]!;
      this.ms[i] = ms[r]!;
      this.ns[i] = ns[r]!;
    }
    this.#mem = mem;
    this.cols = new ChunkColumns(mem, start, order);
  }

  readonly #mem: MemIndex;

  /** Document `i`'s id. */
  id(i: number): string {
    return this.#mem.id(this.rows[i]!);
  }
}

/** A chunk opened by one search, with that search's hidden paths. */
export class MemBlock implements OpenBlock {
  readonly length: number;
  readonly ms: Float64Array;
  readonly ns: Int32Array;
  readonly #chunk: MemChunk;
  readonly #hidden: ReadonlySet<string>;

  /** @example const blk = new MemBlock(chunk, hidden); */
  constructor(chunk: MemChunk, hidden: ReadonlySet<string>) {
    this.#chunk = chunk;
    this.#hidden = hidden;
    this.length = chunk.length;
    this.ms = chunk.ms;
    this.ns = chunk.ns;
  }

  paths(): readonly string[] {
    const all = this.#chunk.cols.paths();
    return this.#hidden.size === 0 ? all : all.filter((p) => !this.#hidden.has(p));
  }

  column(path: string): Column | undefined {
    return this.#hidden.has(path) ? undefined : this.#chunk.cols.column(path);
  }

  id(i: number): string {
    return this.#chunk.id(i);
  }

  values(i: number, path: string): readonly FieldValue[] {
    return this.#chunk.cols.column(path)?.values(i) ?? [];
  }

  source(i: number): Record<string, unknown> {
    return this.#chunk.cols.source(i) as Record<string, unknown>;
  }
}
