/**
 * @module
 * A memory part's documents as columns, filled by the one walk each document gets on ingest
 * (`mapping.ts` records the mapping and appends the leaves here in the same pass), so that a
 * flush encodes segments from these columns and never reads, parses or walks the documents
 * again. Per path: the rows that have values there (ascending; a row repeats for an array)
 * and the values, in the walk's order, which is the order `shape.ts` rebuilds a document in.
 * Per row: its shape, as a number into the part's shape table.
 *
 * {@link PartColumns.snapshot} copies the columns out as plain arrays and typed arrays for the
 * flush job: what `postMessage` clones to the worker thread (the part itself stays searchable
 * until its segments replace it).
 */

import type { FieldValue } from '../../model/fields.js';
import { type ShapeState, shapeTrie } from './walk.js';

/** Makes every part's columns distinct from every other's, for the path nodes' caches. */
let nextStamp = 0;

function grown(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** One path's values in a part. */
export class PathValues {
  rows = new Int32Array(64);
  readonly vals: FieldValue[] = [];

  constructor(readonly path: string) {}

  add(row: number, v: FieldValue): void {
    const k = this.vals.length;
    if (k === this.rows.length) this.rows = grown(this.rows, k + 1);
    this.rows[k] = row;
    this.vals.push(v);
  }
}

/** A part's columns as one flush job carries them (structured-cloneable). */
export interface ColumnsSnapshot {
  readonly paths: string[];
  /** Per path, its rows (ascending) and values. */
  readonly rows: Int32Array[];
  readonly vals: FieldValue[][];
  /** Per row, an index into `shapes`. */
  readonly shapeIds: Int32Array;
  readonly shapes: string[];
}

/**
 * The columns of one index in one memory part.
 *
 * @example
 * const cols = new PartColumns();
 * cols.column('level').add(0, 'info');
 */
export class PartColumns {
  readonly stamp = nextStamp++;
  /** The shape trie of this part's walks (per part, so its size stays bounded by the part's). */
  readonly trie = shapeTrie();
  readonly #byPath = new Map<string, PathValues>();
  #shapeIds = new Int32Array(1024);
  readonly #shapes: string[] = [];
  readonly #shapeNo = new Map<ShapeState, number>();

  /** The column of `path`, created on first use. */
  column(path: string): PathValues {
    let c = this.#byPath.get(path);
    if (c === undefined) this.#byPath.set(path, (c = new PathValues(path)));
    return c;
  }

  /** Records the shape of row `row` (rows come in order). */
  setShape(row: number, shape: ShapeState): void {
    let no = this.#shapeNo.get(shape);
    if (no === undefined) {
      no = this.#shapes.length;
      this.#shapes.push(shape.text);
      this.#shapeNo.set(shape, no);
    }
    this.#shapeIds = grown(this.#shapeIds, row + 1);
    this.#shapeIds[row] = no;
  }

  /** The first `length` rows' columns, copied. */
  snapshot(length: number): ColumnsSnapshot {
    const paths: string[] = [];
    const rows: Int32Array[] = [];
    const vals: FieldValue[][] = [];
    for (const c of this.#byPath.values()) {
      paths.push(c.path);
      rows.push(c.rows.slice(0, c.vals.length));
      vals.push(c.vals);
    }
    return {
      paths,
      rows,
      vals,
      shapeIds: this.#shapeIds.slice(0, length),
      shapes: this.#shapes,
    };
  }
}
