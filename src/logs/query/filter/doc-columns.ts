/**
 * @module
 * {@link Columns} over documents held in memory as objects: the store's unflushed part, the
 * objects of a nested field, and tests. Nothing is flattened until a filter asks for a column;
 * then every document is flattened once (`model/fields.ts`) and each path's column is built on
 * first use. A single-valued column with few distinct values gets a dictionary, so a filter on a
 * namespace tests each namespace once instead of once per document.
 */

import { forEachField, type FieldValue } from '../../model/fields.js';
import type { Column, Columns } from '../filter.js';

/**
 * When columns get a {@link Column.dict}: `auto` when it pays (see {@link DocColumns}),
 * `always` for every single-valued column, `off` never. Tests use the last two to run every
 * filter through both paths.
 */
export type DictionaryMode = 'auto' | 'always' | 'off';

const EMPTY: readonly FieldValue[] = [];

/**
 * A dictionary pays when documents repeat values: each distinct value is tested once, each
 * document costs an array lookup. Past a few thousand distinct values the Map built here costs
 * more than the tests it saves, so the store's blocks of ~8k documents keep those plain.
 */
const MAX_DICT_VALUES = 4096;

/**
 * Columns over an array of documents. The documents must not change while the instance is in
 * use; the columns it returns stay valid as long as it does.
 *
 * @example
 * const cols = new DocColumns([{ a: 'x' }, { a: ['y', 'z'], b: 1 }]);
 * cols.paths(); // ['a', 'b']
 * cols.column('a')?.values(1); // ['y', 'z']
 */
export class DocColumns implements Columns {
  readonly length: number;
  readonly #docs: readonly Readonly<Record<string, unknown>>[];
  readonly #mode: DictionaryMode;
  #byPath: Map<string, FieldValue[][]> | undefined;
  readonly #columns = new Map<string, Column>();
  #paths: string[] | undefined;
  #doc = 0;

  constructor(
    docs: readonly Readonly<Record<string, unknown>>[],
    opts: { dictionary?: DictionaryMode } = {},
  ) {
    this.#docs = docs;
    this.length = docs.length;
    this.#mode = opts.dictionary ?? 'auto';
  }

  paths(): readonly string[] {
    this.#paths ??= [...this.#flatten().keys()];
    return this.#paths;
  }

  column(path: string): Column | undefined {
    let col = this.#columns.get(path);
    if (col !== undefined) return col;
    const perDoc = this.#flatten().get(path);
    if (perDoc === undefined) return undefined;
    col = columnOf(perDoc, this.length, this.#mode);
    this.#columns.set(path, col);
    return col;
  }

  source(i: number): Readonly<Record<string, unknown>> {
    return this.#docs[i]!;
  }

  /** Per path, per document, its values (sparse: a hole is no value). */
  #flatten(): Map<string, FieldValue[][]> {
    if (this.#byPath !== undefined) return this.#byPath;
    const byPath = new Map<string, FieldValue[][]>();
    this.#byPath = byPath;
    // One callback for every document: the current document travels in #doc.
    const onValue = (path: string, value: FieldValue) => {
      let perDoc = byPath.get(path);
      if (perDoc === undefined) {
        perDoc = new Array<FieldValue[]>(this.length);
        byPath.set(path, perDoc);
      }
      const vs = perDoc[this.#doc];
      if (vs === undefined) perDoc[this.#doc] = [value];
      else vs.push(value);
    };
    for (let i = 0; i < this.length; i++) {
      this.#doc = i;
      forEachField(this.#docs[i]!, onValue);
    }
    return byPath;
  }
}

/**
 * The column of `length` documents whose values are `perDoc` (sparse: a hole is no value), with
 * a dictionary as `mode` says: what {@link DocColumns} builds per path, for other sources of
 * per-document values (the store's memory part builds them from its columns).
 *
 * @example
 * columnOf([['a'], undefined, ['a']], 3, 'auto').values(2); // ['a']
 */
export function columnOf(
  perDoc: (FieldValue[] | undefined)[],
  length: number,
  mode: DictionaryMode,
): Column {
  const values = (i: number): readonly FieldValue[] => perDoc[i] ?? EMPTY;
  const dict = mode === 'off' ? undefined : dictionary(perDoc, length, mode);
  return dict === undefined ? { values } : { values, dict };
}

function dictionary(
  perDoc: (FieldValue[] | undefined)[],
  length: number,
  mode: DictionaryMode,
): Column['dict'] {
  const codes = new Int32Array(length).fill(-1);
  const index = new Map<FieldValue, number>();
  const distinct: FieldValue[] = [];
  let present = 0;
  for (let i = 0; i < length; i++) {
    const vs = perDoc[i];
    if (vs === undefined) continue;
    if (vs.length !== 1) return undefined;
    const v = vs[0]!;
    let code = index.get(v);
    if (code === undefined) {
      code = distinct.length;
      if (code >= MAX_DICT_VALUES) return undefined;
      distinct.push(v);
      index.set(v, code);
    }
    codes[i] = code;
    present++;
  }
  if (mode === 'auto' && distinct.length * 2 > present) return undefined;
  return { values: distinct, codes };
}
