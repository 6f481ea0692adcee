/**
 * @module
 * The columns of a memory chunk, taken from its part's columns (`core-columns.ts`) instead of
 * from the documents: a search of unflushed documents parses
 * none of them (the part keeps them as JSON texts) and builds only the columns its filter asks
 * for, where `DocColumns` flattened every document's object for every path. On 150 000
 * unflushed lines (`bench/logmem.bench.ts`) a free-text search's first run went from 705 ms to
 * 582 (most of what is left is matching the strings) and a field filter's from 6 to 2 ms.
 */

import { lowerBound } from '../../../lib/sorted/lower-bound.js';
import type { FieldValue } from '../../model/fields.js';
import type { Column, Columns } from '../../query/filter.js';
import { columnOf } from '../../query/filter/doc-columns.js';
import type { MemIndex } from './memory-part.js';

/** One path's values in a part (`core-columns.ts`'s `CoreValues`). */
interface PathValues {
  readonly path: string;
  readonly rows: Int32Array;
  readonly codes: Int32Array | undefined;
  readonly vals: readonly FieldValue[];
  readonly length: number;
}
import { TIME_PATH, TimeDecoder } from './time-column.js';

/**
 * Rows `[start, start + order.length)` of a memory index as columns, document `i` being row
 * `order[i]`. The rows must not change while the instance is in use: a part only appends rows
 * after them (and may turn a path's codes into values, which read the same).
 *
 * @example
 * const cols = new ChunkColumns(mem, 0, order);
 * cols.column('kubernetes.namespace')?.values(0);
 */
export class ChunkColumns implements Columns {
  readonly length: number;
  readonly #mem: MemIndex;
  readonly #start: number;
  readonly #order: Uint32Array;
  /** Row `start + r` is document `#docOf[r]`. */
  #docOf: Int32Array | undefined;
  readonly #columns = new Map<string, Column | undefined>();
  #paths: string[] | undefined;

  constructor(mem: MemIndex, start: number, order: Uint32Array) {
    this.#mem = mem;
    this.#start = start;
    this.#order = order;
    this.length = order.length;
  }

  paths(): readonly string[] {
    if (this.#paths !== undefined) return this.#paths;
    const out: string[] = [];
    for (const c of this.#mem.cols.paths()) {
      const [from, to] = this.#range(c);
      if (from < to || (c.path === TIME_PATH && this.#timeCoded())) out.push(c.path);
    }
    this.#paths = out;
    return out;
  }

  column(path: string): Column | undefined {
    if (this.#columns.has(path)) return this.#columns.get(path);
    const c = this.#mem.cols.valuesOf(path);
    const perDoc = c === undefined ? undefined : this.#perDoc(c);
    const col = perDoc === undefined ? undefined : columnOf(perDoc, this.length, 'auto');
    this.#columns.set(path, col);
    return col;
  }

  source(i: number): Readonly<Record<string, unknown>> {
    return this.#mem.source(this.#order[i]!);
  }

  /** Per document, its values at `c`'s path; undefined when none has any. */
  #perDoc(c: PathValues): (FieldValue[] | undefined)[] | undefined {
    const docOf = (this.#docOf ??= this.#inverse());
    const perDoc = new Array<FieldValue[] | undefined>(this.length);
    let any = false;
    const [from, to] = this.#range(c);
    const { rows, codes, vals } = c;
    for (let k = from; k < to; k++) {
      const i = docOf[rows[k]! - this.#start]!;
      const v = vals[codes === undefined ? k : codes[k]!]!;
      const vs = perDoc[i];
      if (vs === undefined) perDoc[i] = [v];
      else vs.push(v);
      any = true;
    }
    if (c.path === TIME_PATH) {
      // A `@timestamp` that went as a time code is its row's one value there.
      const { ms, ns } = this.#mem;
      const cols = this.#mem.cols;
      const decoder = new TimeDecoder();
      for (let i = 0; i < this.length; i++) {
        const row = this.#order[i]!;
        const code = cols.timeCode(row);
        if (code === 0) continue;
        perDoc[i] = [decoder.text(code, ms[row]!, ns[row]!)];
        any = true;
      }
    }
    return any ? perDoc : undefined;
  }

  /** Whether some row of the chunk has its `@timestamp` as a time code. */
  #timeCoded(): boolean {
    const cols = this.#mem.cols;
    for (let i = 0; i < this.length; i++) if (cols.timeCode(this.#order[i]!) !== 0) return true;
    return false;
  }

  /** The entries `[from, to)` of `c` that belong to the chunk's rows. */
  #range(c: PathValues): [number, number] {
    const end = this.#start + this.length;
    return [lowerBound(c.rows, this.#start, c.length), lowerBound(c.rows, end, c.length)];
  }

  #inverse(): Int32Array {
    const docOf = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) docOf[this.#order[i]! - this.#start] = i;
    return docOf;
  }
}
