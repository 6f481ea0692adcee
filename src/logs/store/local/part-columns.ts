/**
 * @module
 * A memory part's documents as columns, filled by the one walk each document gets on ingest
 * (`mapping.ts` records the mapping and appends the leaves here in the same pass), so that a
 * flush encodes segments from these columns and never reads, parses or walks the documents
 * again. Per path: the rows that have values there (ascending; a row repeats for an array)
 * and the values, in the walk's order, which is the order `shape.ts` rebuilds a document in;
 * while a path's values repeat, as codes into its distinct values. Per row: its shape, as a
 * number into the part's shape table.
 *
 * {@link PartColumns.snapshot} copies the columns out as plain arrays and typed arrays for the
 * flush job: what `postMessage` clones to the worker thread (the part itself stays searchable
 * until its segments replace it). Cloned one string per value, the columns cost the main thread
 * ~3 s per million lines (the clone and the pieces), the worker as much to rebuild and collect
 * them, and V8's GC threads more; codes make most of them one typed array.
 */

import type { FieldValue } from '../../model/fields.js';
import { TimeCoder } from './time-column.js';
import { type ShapeState, shapeTrie } from './walk.js';

/** Makes every part's columns distinct from every other's, for the path nodes' caches. */
let nextStamp = 0;

function grown(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Most distinct values a column keeps codes for; past it (or past half its values, see
 * {@link PathValues.add}) it keeps its values as they are. Equal to `job-message.ts`'s piece size,
 * so that a coded column's distinct values always go in one piece.
 */
export const MAX_CODED = 65_536;

/**
 * Distinct values a column may have before its share of distinct values is looked at: 500 pods
 * drawn at random reach ~350 distinct in their first 600 values, so a smaller floor would give
 * up on columns that end up repeating nearly every value.
 */
const CODED_FLOOR = 1024;

/**
 * One path's values in a part: while they repeat, as codes into the distinct values (`codes`
 * and `vals` the distinct values), so that a flush job clones each distinct string once instead
 * of once per document (namespaces, pods, levels: most of a log line's values); once they stop
 * repeating, as they are (`codes` undefined, `vals` every value).
 */
export class PathValues {
  rows: Int32Array<ArrayBuffer>;
  codes: Int32Array<ArrayBuffer> | undefined;
  vals: FieldValue[] = [];
  length = 0;
  /** Code of each distinct value but -0 (a `Map` takes -0 for 0): every -0 gets its own code. */
  #code: Map<FieldValue, number> | undefined = new Map();

  /** `capacity`: the values expected, so that a part's columns do not grow by doubling from 64. */
  constructor(
    readonly path: string,
    capacity: number,
  ) {
    this.rows = new Int32Array(Math.max(64, capacity));
    this.codes = new Int32Array(this.rows.length);
  }

  add(row: number, v: FieldValue): void {
    const k = this.length++;
    if (k === this.rows.length) this.rows = grown(this.rows, k + 1);
    this.rows[k] = row;
    const byValue = this.#code;
    if (byValue === undefined) {
      this.vals.push(v);
      return;
    }
    const negZero = v === 0 && 1 / v < 0;
    let code = negZero ? undefined : byValue.get(v);
    if (code === undefined) {
      code = this.vals.length;
      if (code === MAX_CODED || (code >= CODED_FLOOR && 2 * code > k)) {
        this.#uncode(k);
        this.vals.push(v);
        return;
      }
      this.vals.push(v);
      if (!negZero) byValue.set(v, code);
    }
    if (k === this.codes!.length) this.codes = grown(this.codes!, k + 1);
    this.codes![k] = code;
  }

  /** Turns the first `k` values from codes into values. */
  #uncode(k: number): void {
    const codes = this.codes!;
    const distinct = this.vals;
    const vals: FieldValue[] = [];
    for (let i = 0; i < k; i++) vals.push(distinct[codes[i]!]!);
    this.vals = vals;
    this.codes = undefined;
    this.#code = undefined;
  }
}

/** A part's columns as one flush job carries them (structured-cloneable). */
export interface ColumnsSnapshot {
  readonly paths: string[];
  /** Per path, its rows (ascending) and values. */
  readonly rows: Int32Array[];
  /**
   * Per path, its values; for a path with codes, its distinct values, and value `k` is
   * `vals[p][codes[p][k]]`.
   */
  readonly vals: FieldValue[][];
  readonly codes: (Int32Array | undefined)[];
  /** Per row, an index into `shapes`. */
  readonly shapeIds: Int32Array;
  readonly shapes: string[];
  /**
   * Per row, the code of its `@timestamp` when {@link PartColumns.addTime} took it (and left it
   * out of the `@timestamp` column), else 0; undefined when no row's was taken.
   */
  readonly timeCodes: Uint8Array | undefined;
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
  #timeCodes: Uint8Array | undefined;
  readonly #timeCoder = new TimeCoder();

  /**
   * The column of `path`, created on first use with room for `expected` values (what the
   * previous part had there, say).
   */
  column(path: string, expected = 0): PathValues {
    let c = this.#byPath.get(path);
    if (c === undefined) this.#byPath.set(path, (c = new PathValues(path, expected)));
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
    if (row >= this.#shapeIds.length) this.#shapeIds = grown(this.#shapeIds, row + 1);
    this.#shapeIds[row] = no;
  }

  /**
   * Takes `s`, the `@timestamp` of row `row` (its only value there) and the string its time
   * `ms`/`ns` was parsed from, as a code instead of a value when the time rebuilds it exactly
   * (`time-column.ts`); false when it does not, and the caller adds it as a value.
   */
  addTime(row: number, s: string, ms: number, ns: number): boolean {
    const code = this.#timeCoder.code(s, ms, ns);
    if (code === 0) return false;
    let t = this.#timeCodes;
    if (t === undefined || row >= t.length) {
      const grownT = new Uint8Array(Math.max(row + 1, this.#shapeIds.length, 2 * (t?.length ?? 0)));
      if (t !== undefined) grownT.set(t);
      this.#timeCodes = t = grownT;
    }
    t[row] = code;
    return true;
  }

  /** Every path's values. */
  paths(): IterableIterator<PathValues> {
    return this.#byPath.values();
  }

  /** The values of `path`, if any row has one. */
  valuesOf(path: string): PathValues | undefined {
    return this.#byPath.get(path);
  }

  /** The code row `row`'s `@timestamp` went as ({@link addTime}), or 0. */
  timeCode(row: number): number {
    return this.#timeCodes?.[row] ?? 0;
  }

  /** The first `length` rows' columns, copied. */
  snapshot(length: number): ColumnsSnapshot {
    const paths: string[] = [];
    const rows: Int32Array[] = [];
    const vals: FieldValue[][] = [];
    const codes: (Int32Array | undefined)[] = [];
    for (const c of this.#byPath.values()) {
      paths.push(c.path);
      rows.push(c.rows.slice(0, c.length));
      vals.push(c.vals);
      codes.push(c.codes?.slice(0, c.length));
    }
    return {
      paths,
      rows,
      vals,
      codes,
      shapeIds: this.#shapeIds.slice(0, length),
      shapes: this.#shapes,
      timeCodes: this.#timeCodes?.slice(0, length),
    };
  }
}
