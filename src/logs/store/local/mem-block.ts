/**
 * @module
 * A chunk of a memory part opened for search: up to {@link BLOCK_DOCS} documents of one index
 * in time order, their columns built on demand from the source objects (`DocColumns`). Paths
 * past the field limit are hidden from the filter, as segments hide them.
 */

import type { FieldValue } from '../../model/fields.js';
import type { Column } from '../../query/filter.js';
import { DocColumns } from '../../query/filter/doc-columns.js';
import type { MemIndex } from './memory-part.js';
import type { OpenBlock } from './search.js';

export class MemBlock implements OpenBlock {
  readonly length: number;
  readonly ms: Float64Array;
  readonly ns: Int32Array;
  readonly #ids: string[];
  readonly #sources: Readonly<Record<string, unknown>>[];
  readonly #cols: DocColumns;
  readonly #hidden: ReadonlySet<string>;

  /**
   * The rows `order[start, end)` of `mem`.
   *
   * @example
   * const blk = new MemBlock(mem, mem.sorted(n), 0, Math.min(n, BLOCK_DOCS), hidden);
   */
  constructor(
    mem: MemIndex,
    order: Uint32Array,
    start: number,
    end: number,
    hidden: ReadonlySet<string>,
  ) {
    const n = end - start;
    this.length = n;
    this.ms = new Float64Array(n);
    this.ns = new Int32Array(n);
    this.#ids = new Array<string>(n);
    this.#sources = new Array<Readonly<Record<string, unknown>>>(n);
    for (let i = 0; i < n; i++) {
      const r = order[start + i]!;
      this.ms[i] = mem.ms[r]!;
      this.ns[i] = mem.ns[r]!;
      this.#ids[i] = mem.ids[r]!;
      this.#sources[i] = mem.sources[r]!;
    }
    this.#cols = new DocColumns(this.#sources);
    this.#hidden = hidden;
  }

  paths(): readonly string[] {
    const all = this.#cols.paths();
    return this.#hidden.size === 0 ? all : all.filter((p) => !this.#hidden.has(p));
  }

  column(path: string): Column | undefined {
    return this.#hidden.has(path) ? undefined : this.#cols.column(path);
  }

  id(i: number): string {
    return this.#ids[i]!;
  }

  values(i: number, path: string): readonly FieldValue[] {
    return this.#cols.column(path)?.values(i) ?? [];
  }

  source(i: number): Record<string, unknown> {
    return this.#sources[i]! as Record<string, unknown>;
  }
}
