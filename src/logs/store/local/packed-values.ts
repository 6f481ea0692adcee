/**
 * @module
 * A column's values as a flush job carries them to the worker thread: all strings as one text
 * and where each ends, all numbers as a `Float64Array`, anything else as the array it is. A
 * structured clone of an array copies each string and each non-integer number as an object of
 * its own, which the worker then holds for the whole flush (V8 promotes them and a full GC
 * collects them); one text and one typed array are two objects, and the worker slices a
 * block's values out of the text as it fills the block, so they die young.
 */

import type { FieldValue } from '../../model/fields.js';

/** Strings: string `k` is `text.slice(k === 0 ? 0 : ends[k - 1], ends[k])`. */
export interface PackedStrings {
  readonly text: string;
  readonly ends: Int32Array;
}

export type PackedValues = readonly FieldValue[] | PackedStrings | Float64Array;

/**
 * `vals[a..b)` packed: as one text when all are strings, as a `Float64Array` when all are
 * numbers, else as an array.
 *
 * @example
 * packValues(['a', 'bc'], 0, 2); // { text: 'abc', ends: Int32Array [1, 3] }
 */
export function packValues(vals: readonly FieldValue[], a: number, b: number): PackedValues {
  let strings = true;
  let numbers = true;
  for (let k = a; k < b && (strings || numbers); k++) {
    const t = typeof vals[k];
    if (t !== 'string') strings = false;
    if (t !== 'number') numbers = false;
  }
  if (b === a || !(strings || numbers)) return vals.slice(a, b);
  if (numbers) return Float64Array.from(vals.slice(a, b) as number[]);
  const ends = new Int32Array(b - a);
  let end = 0;
  for (let k = a; k < b; k++) ends[k - a] = end += (vals[k] as string).length;
  const part = a === 0 && b === vals.length ? vals : vals.slice(a, b);
  return { text: part.join(''), ends };
}

/** How many values `v` holds. */
export function packedLength(v: PackedValues): number {
  return 'text' in v ? v.ends.length : v.length;
}

/** Value `k` of `v`. */
export function packedAt(v: PackedValues, k: number): FieldValue {
  if (!('text' in v)) return v[k]!;
  const { text, ends } = v;
  return text.slice(k === 0 ? 0 : ends[k - 1], ends[k]);
}

/**
 * The pieces of one column (from {@link packValues} of consecutive ranges) as one.
 *
 * @example
 * concatPacked([packValues(vals, 0, 10), packValues(vals, 10, 20)]);
 */
export function concatPacked(pieces: readonly PackedValues[]): PackedValues {
  if (pieces.length === 1) return pieces[0]!;
  if (pieces.every((p) => p instanceof Float64Array)) {
    const out = new Float64Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pieces) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
  if (pieces.every((p) => 'text' in p)) {
    const ends = new Int32Array(pieces.reduce((n, p) => n + p.ends.length, 0));
    let at = 0;
    let base = 0;
    for (const p of pieces) {
      for (let k = 0; k < p.ends.length; k++) ends[at + k] = base + p.ends[k]!;
      at += p.ends.length;
      base += p.text.length;
    }
    return { text: pieces.map((p) => p.text).join(''), ends };
  }
  const out: FieldValue[] = [];
  for (const p of pieces) {
    const n = packedLength(p);
    for (let k = 0; k < n; k++) out.push(packedAt(p, k));
  }
  return out;
}
