/**
 * @module
 * One field's values in one block of a segment, as bytes (format: docs/format/log-segment.md,
 * "Columns"). A column is dictionary-encoded when every document has at most one value and
 * there are at most {@link MAX_DICT} distinct values: the distinct values once, then one byte per
 * document; or, with more distinct values that still repeat ({@link WIDE_DICT_DOCS}), two bytes
 * per document. Filters then test each distinct value once (see `query/filter.ts`), and the bytes
 * compress to almost nothing (namespaces, levels, pods, status codes). Otherwise the column is
 * plain: a value count per document, a type tag per value, then the numbers and the strings each
 * in their own run, so that similar bytes sit together for the compressor.
 */

import {
  bitWidth,
  isBitWidth,
  packBits,
  packedBytes,
  unpackBytes,
} from '../../../lib/encoding/bit-pack.js';
import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import { getUvarint, type Cursor } from '../../../lib/encoding/varint.js';
import { encodeValues, smallUvarint, ValueReader } from './column-values.js';
import type { FieldValue } from '../../model/fields.js';
import {
  type Column,
  type PackedCodes,
  PHRASE_MAYBE,
  PHRASE_NO,
  PHRASE_YES,
} from '../../query/filter.js';
import { asciiLowerInto } from '../../../lib/encoding/ascii-lower.js';
import { lowerFor, phraseInBytes, scanToken, type StringRuns } from './token-scan.js';

/**
 * Most distinct values of a dictionary column with one-byte codes (0 means "no value"), as
 * VictoriaLogs' dictionaries have; more make a wide dictionary ({@link WIDE_DICT_DOCS}) or none.
 */
export const MAX_DICT = 255;

/**
 * Past {@link MAX_DICT} distinct values, a column is still a dictionary (with 16-bit codes) when
 * it has at most one distinct value per this many documents. The benchmark's 500 pods made
 * ~330 distinct values a block: written plain, their strings filled two pages a block that cost
 * 0.57 s of deflate per million lines and 4.6 bytes a line on disk, where a dictionary of them
 * and their codes compress to a third of that. Columns of ids, trace ids or timings (nearly a
 * distinct value a document) stay plain, and their dictionary attempt stops at this share.
 */
export const WIDE_DICT_DOCS = 8;

/** Most distinct values of a wide dictionary: its codes are 16-bit and 0 means "no value". */
export const MAX_WIDE_DICT = 65_535;

const KIND_PLAIN = 0;
const KIND_DICT = 1;
/** A dictionary column with its codes bit-packed (`packDictColumn`); kind 2 is `time-column.ts`'s. */
const KIND_PACKED_DICT = 3;
/** A dictionary column of more than {@link MAX_DICT} values, its codes u16 (since version 5). */
const KIND_WIDE_DICT = 4;

const NONE: readonly FieldValue[] = Object.freeze([]);

/** Collects one path's values for the documents of a block, in document order. */
export class ColumnBuilder {
  readonly values: FieldValue[] = [];
  /** Values per document. */
  readonly counts: Uint16Array;
  /** UTF-16 code units of the string values: how large the column is, before it is encoded. */
  stringLength = 0;
  #multi = false;

  /**
   * @example
   * const b = new ColumnBuilder(blockLength);
   * b.add(0, 'kube-system');
   */
  constructor(readonly length: number) {
    this.counts = new Uint16Array(length);
  }

  /** Adds a value of document `doc`; documents come in order. */
  add(doc: number, v: FieldValue): void {
    this.values.push(v);
    if (typeof v === 'string') this.stringLength += v.length;
    if (++this.counts[doc]! > 1) this.#multi = true;
  }

  /** True when some document has more than one value. */
  get multi(): boolean {
    return this.#multi;
  }

  /**
   * Documents `[from, to)` as a builder of their own, for a column written as pages.
   *
   * @example
   * const page = builder.slice(0, 1024);
   */
  slice(from: number, to: number): ColumnBuilder {
    const out = new ColumnBuilder(to - from);
    let k = 0;
    for (let i = 0; i < from; i++) k += this.counts[i]!;
    for (let i = from; i < to; i++) {
      for (let c = this.counts[i]!; c > 0; c--) out.add(i - from, this.values[k++]!);
    }
    return out;
  }
}

/**
 * Appends the column `b` to `w`. Returns the distinct values when it chose a dictionary (the
 * segment writer tokenizes those once instead of once per document).
 *
 * @example
 * const w = new ByteWriter();
 * encodeColumn(w, builder);
 */
export function encodeColumn(w: ByteWriter, b: ColumnBuilder): FieldValue[] | undefined {
  if (!b.multi) {
    const most = Math.min(MAX_WIDE_DICT, Math.floor(b.length / WIDE_DICT_DOCS));
    const dict = tryDict(b.values, Math.max(MAX_DICT, most));
    if (dict !== undefined) {
      const wide = dict.values.length > MAX_DICT;
      w.u8(wide ? KIND_WIDE_DICT : KIND_DICT);
      w.uvarint(dict.values.length);
      encodeValues(w, dict.values);
      let k = 0;
      w.reserve(wide ? 2 * b.length : b.length);
      for (let i = 0; i < b.length; i++) {
        const code = b.counts[i] === 0 ? 0 : dict.codes[k++]! + 1;
        if (wide) {
          w.u8(code & 0xff);
          w.u8(code >>> 8);
        } else w.u8(code);
      }
      return dict.values;
    }
  }
  w.u8(KIND_PLAIN);
  w.uvarint(b.values.length);
  for (let i = 0; i < b.length; i++) w.uvarint(b.counts[i]!);
  encodeValues(w, b.values);
  return undefined;
}

/**
 * The distinct values of a column `encodeColumn` wrote as a dictionary (what it returned then);
 * undefined for a plain column.
 *
 * @example
 * const dict = dictionaryOf(core.encodeColumn(id, 0, 8192));
 */
export function dictionaryOf(buf: Buffer): FieldValue[] | undefined {
  if (buf[0] !== KIND_DICT && buf[0] !== KIND_WIDE_DICT) return undefined;
  const cur: Cursor = { off: 1 };
  const n = getUvarint(buf, cur);
  const reader = new ValueReader(buf, cur.off, n);
  const values = new Array<FieldValue>(n);
  for (let k = 0; k < n; k++) values[k] = reader.value(k);
  return values;
}

/**
 * A dictionary column's bytes (`encodeColumn`'s, kind 1) with the codes bit-packed (kind 3):
 * the same values, then `u8 base`, `u8 width` and the codes minus `base` at `width` bits each
 * (`bit-pack.ts`). Stored uncompressed, a level or method column is then smaller than brotli
 * makes the byte codes, and a search reads it without a decompressor call.
 *
 * @example
 * const dict = encodeColumn(w, builder);
 * if (dict !== undefined) packed = packDictColumn(w.bytes(), builder.length);
 */
export function packDictColumn(kind1: Uint8Array, n: number): Buffer {
  if (kind1[0] !== KIND_DICT) throw new Error(`cannot pack column: kind ${kind1[0]}, not 1`);
  const codes = kind1.subarray(kind1.length - n);
  let min = 255;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c < min) min = c;
    if (c > max) max = c;
  }
  if (n === 0) min = max = 0;
  // Codes are bytes: the difference always fits 8 bits.
  const width = bitWidth(max - min)!;
  const w = new ByteWriter(kind1.length);
  w.u8(KIND_PACKED_DICT);
  w.raw(kind1.subarray(1, kind1.length - n));
  w.u8(min);
  w.u8(width);
  packBits(w, codes, n, min, width);
  return Buffer.from(w.bytes());
}

/**
 * Values a dictionary attempt looks at before it judges whether a wide one can come of it, and
 * the distinct values among them past which it cannot: a column whose first values are nearly
 * all distinct (ids, trace ids, timings) gives up at {@link MAX_DICT} as before wide
 * dictionaries, instead of building a map of ~1 000 values per block for nothing (0.46 s per
 * million benchmark lines).
 */
const DICT_SAMPLE = 256;
const DICT_SAMPLE_MOST = 240;

function tryDict(
  values: readonly FieldValue[],
  most: number,
): { values: FieldValue[]; codes: Uint16Array } | undefined {
  // Strings and other values in separate maps, so the string "404" and the number 404 stay
  // distinct values.
  const strings = new Map<string, number>();
  const others = new Map<number | boolean, number>();
  const dict: FieldValue[] = [];
  const codes = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (i === DICT_SAMPLE && dict.length > DICT_SAMPLE_MOST) most = Math.min(most, MAX_DICT);
    const v = values[i]!;
    let code = typeof v === 'string' ? strings.get(v) : others.get(v);
    if (code === undefined) {
      if (dict.length >= most) return undefined;
      code = dict.length;
      dict.push(v);
      if (typeof v === 'string') strings.set(v, code);
      else others.set(v, code);
    }
    codes[i] = code;
  }
  return { values: dict, codes };
}

/** Where a dictionary column's unpacked codes go ({@link decodeColumn}). */
export interface CodeArrays {
  /** `n` bytes, which the caller may fill and keep. */
  codeArray(n: number): Uint8Array;
}

/**
 * Decodes a column of `length` documents from `buf` (the whole, decompressed column). A
 * dictionary column with bit-packed codes unpacks them into `codeArrays.codeArray(length)`
 * when given (arrays a segment block reuses), or else into a new array.
 *
 * @example
 * const col = decodeColumn(bytes, block.count);
 * col.values(0); // ['kube-system']
 */
export function decodeColumn(buf: Buffer, length: number, codeArrays?: CodeArrays): Column {
  const cur: Cursor = { off: 1 };
  if (buf[0] === KIND_WIDE_DICT) {
    const n = getUvarint(buf, cur);
    const reader = new ValueReader(buf, cur.off, n);
    const values = new Array<FieldValue>(n);
    for (let k = 0; k < n; k++) values[k] = reader.value(k);
    const at = reader.end;
    if (at + 2 * length > buf.length) {
      throw new Error(
        `cannot decode column: ${buf.length - at} bytes of 16-bit codes at offset ${at}, ${2 * length} needed for ${length} documents`,
      );
    }
    return new DictColumn(
      new DictCodes(values, length, undefined, undefined, undefined, { buf, at }),
    );
  }
  if (buf[0] === KIND_DICT || buf[0] === KIND_PACKED_DICT) {
    const n = getUvarint(buf, cur);
    const reader = new ValueReader(buf, cur.off, n);
    const values = new Array<FieldValue>(n);
    for (let k = 0; k < n; k++) values[k] = reader.value(k);
    // The stored bytes are the codes plus one: filters read them as they are, and the Int32
    // codes (32 KiB a block) are made only for a reader that asks.
    if (buf[0] === KIND_DICT) {
      const codeBytes = buf.subarray(reader.end, reader.end + length);
      if (codeBytes.length < length) {
        throw new Error(
          `cannot decode column: ${codeBytes.length} codes at offset ${reader.end}, ${length} documents`,
        );
      }
      return new DictColumn(new DictCodes(values, length, codeBytes));
    }
    const width = buf[reader.end + 1]!;
    if (reader.end + 2 > buf.length || !isBitWidth(width) || width > 8) {
      throw new Error(`cannot decode column: code width ${width} at offset ${reader.end + 1}`);
    }
    const off = reader.end + 2;
    const need = packedBytes(length, width);
    if (off + need > buf.length) {
      throw new Error(
        `cannot decode column: ${buf.length - off} bytes of ${width}-bit codes at offset ${off}, ${need} needed for ${length} documents`,
      );
    }
    const base = buf[reader.end]!;
    if (width >= 1 && width <= 4) {
      // Unpacked only for a reader that asks: a filter reads them packed.
      const packed = { bytes: buf, off, width: width as 1 | 2 | 3 | 4, base };
      return new DictColumn(new DictCodes(values, length, undefined, packed, codeArrays));
    }
    const codeBytes = codeArrays?.codeArray(length) ?? new Uint8Array(length);
    unpackBytes(buf, off, width, base, codeBytes);
    return new DictColumn(new DictCodes(values, length, codeBytes));
  }
  if (buf[0] !== KIND_PLAIN)
    throw new Error(`cannot decode column: unknown kind ${buf[0]} at offset 0`);
  return new PlainColumn(buf, cur, length);
}

/**
 * A dictionary column's values and codes ({@link Column.dict}): the codes as stored (a byte a
 * document, or bit-packed and unpacked on first use) and, made when asked, as Int32 indexes.
 */
class DictCodes {
  readonly values: readonly FieldValue[];
  readonly packed: PackedCodes | undefined;
  readonly #length: number;
  readonly #arrays: CodeArrays | undefined;
  #bytes: Uint8Array | undefined;
  #codes: Int32Array | undefined;
  /** For 16-bit codes (kind 4): the column's bytes and where the codes start in them. */
  readonly #wide: { readonly buf: Uint8Array; readonly at: number } | undefined;

  constructor(
    values: readonly FieldValue[],
    length: number,
    bytes: Uint8Array | undefined,
    packed?: PackedCodes,
    arrays?: CodeArrays,
    wide?: { readonly buf: Uint8Array; readonly at: number },
  ) {
    this.values = values;
    this.#length = length;
    this.#bytes = bytes;
    this.packed = packed;
    this.#arrays = arrays;
    this.#wide = wide;
  }

  /** The codes plus one in a byte each; undefined for 16-bit codes, which do not fit one. */
  get codeBytes(): Uint8Array | undefined {
    if (this.#wide !== undefined) return undefined;
    if (this.#bytes === undefined) {
      const p = this.packed!;
      const n = this.#length;
      this.#bytes = this.#arrays?.codeArray(n) ?? new Uint8Array(n);
      unpackBytes(p.bytes, p.off, p.width, p.base, this.#bytes);
    }
    return this.#bytes;
  }

  get codes(): Int32Array {
    if (this.#codes === undefined) {
      const codes = new Int32Array(this.#length);
      const bytes = this.codeBytes;
      if (bytes === undefined) for (let i = 0; i < codes.length; i++) codes[i] = this.codeOf(i) - 1;
      else for (let i = 0; i < codes.length; i++) codes[i] = bytes[i]! - 1;
      this.#codes = codes;
    }
    return this.#codes;
  }

  /** Document `i`'s code plus one (0: no value). */
  codeOf(i: number): number {
    const wide = this.#wide;
    if (wide === undefined) return this.codeBytes![i]!;
    const at = wide.at + 2 * i;
    return wide.buf[at]! | (wide.buf[at + 1]! << 8);
  }
}

/** A column of at most one value a document, from a dictionary ({@link DictCodes}). */
class DictColumn implements Column {
  readonly dict: DictCodes;
  /** Per distinct value, the one-value array {@link values} returns. */
  readonly #single: (readonly FieldValue[])[];

  constructor(dict: DictCodes) {
    this.dict = dict;
    this.#single = [];
    for (const v of dict.values) this.#single.push(Object.freeze([v]));
  }

  values(i: number): readonly FieldValue[] {
    const c = this.dict.codeOf(i);
    return c === 0 ? NONE : this.#single[c - 1]!;
  }
}

/**
 * A column of any values, several per document allowed. Values are decoded when asked for, and
 * {@link findTokens} searches the string bytes: a word search then decodes the few hundred
 * strings of a block that hold the word, not all eight thousand.
 */
class PlainColumn implements Column {
  /** Document `i` has values `[starts[i], starts[i + 1])`. */
  readonly #starts: Int32Array;
  readonly #reader: ValueReader;

  constructor(buf: Buffer, cur: Cursor, length: number) {
    const m = getUvarint(buf, cur);
    const starts = new Int32Array(length + 1);
    for (let i = 0; i < length; i++) starts[i + 1] = starts[i]! + smallUvarint(buf, cur);
    if (starts[length] !== m) {
      throw new Error(`cannot decode column: counts sum to ${starts[length]}, header says ${m}`);
    }
    this.#starts = starts;
    this.#reader = new ValueReader(buf, cur.off, m);
  }

  values(i: number): readonly FieldValue[] {
    const a = this.#starts[i]!;
    const b = this.#starts[i + 1]!;
    if (a === b) return NONE;
    const out = new Array<FieldValue>(b - a);
    for (let k = a; k < b; k++) out[k - a] = this.#reader.value(k);
    return out;
  }

  /** See {@link eachStringBytes}. */
  eachStringBytes(each: (buf: Buffer, start: number, end: number) => void): boolean {
    const reader = this.#reader;
    const { start, end } = reader.strings;
    if (start.length !== this.#starts[this.#starts.length - 1]) return false;
    for (let s = 0; s < start.length; s++) each(reader.buf, start[s]!, end[s]!);
    return true;
  }

  /** See {@link stringRangesOf}. */
  stringRanges(i: number, out: number[]): void {
    const reader = this.#reader;
    const { start, end } = reader.strings;
    for (let k = this.#starts[i]!; k < this.#starts[i + 1]!; k++) {
      const s = reader.stringIndex(k);
      if (s >= 0) out.push(start[s]!, end[s]!);
    }
  }

  phraseIn(i: number, phrase: readonly Uint8Array[]): number {
    const reader = this.#reader;
    const { start, end } = reader.strings;
    let verdict = PHRASE_NO;
    for (let k = this.#starts[i]!; k < this.#starts[i + 1]!; k++) {
      const s = reader.stringIndex(k);
      if (s < 0) continue;
      const v = phraseInBytes(reader.buf, start[s]!, end[s]!, phrase);
      if (v === PHRASE_YES) return v;
      if (v === PHRASE_MAYBE) verdict = v;
    }
    return verdict;
  }

  findTokens(tokens: readonly string[], rows: Uint8Array): boolean {
    const reader = this.#reader;
    const n = reader.stringCount;
    if (n === 0) return true;
    // Strings lie end to end, each after its length, from `stringsAt` to the end of the values;
    // a hit in a length is skipped by the scan, so it needs no string located to start.
    const from = reader.stringsAt;
    const to = reader.buf.length;
    let lowered: Buffer | undefined;
    if (lowerFor(tokens)) {
      // The lowered copy lives only for this call, in a buffer shared by every column: a page
      // of messages is ~128 KiB, and a copy per page was a fifth of a rare-term search's garbage.
      if (lowerScratch.length < to - from) {
        lowerScratch = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(to - from)));
      }
      asciiLowerInto(reader.buf, from, to, lowerScratch);
      lowered = lowerScratch.subarray(0, to - from);
    }
    const strings = reader.stringsLocated;
    const runs: StringRuns = {
      ...strings,
      count: n,
      locate: (s) => reader.locateString(s),
      bytes: reader.buf,
      from,
      to,
      lowered,
    };
    const hit = new Uint8Array(n);
    for (const t of tokens) scanToken(runs, t, hit);
    const starts = this.#starts;
    let doc = 0;
    for (let s = 0; s < n; s++) {
      if (hit[s] === 0) continue;
      const k = strings.value[s]!;
      while (starts[doc + 1]! <= k) doc++;
      rows[doc] = 1;
    }
    return false;
  }
}

/**
 * Calls `each` with the UTF-8 bytes of every value of `col`, in order, when all its values are
 * strings and it is plain (not a dictionary): what hashing ids needs, without a string made
 * per value. False, and nothing called, otherwise.
 *
 * @example
 * eachStringBytes(ids, (buf, start, end) => hashKeyUtf8(buf, start, end, h));
 */
export function eachStringBytes(
  col: Column,
  each: (buf: Buffer, start: number, end: number) => void,
): boolean {
  if (!(col instanceof PlainColumn)) return false;
  return col.eachStringBytes(each);
}

/**
 * Where document `i`'s string values lie in the column's bytes, as `[start, end)` pairs appended
 * to `out`; false (nothing appended) for a column that is not plain (a dictionary).
 *
 * @example
 * const r: number[] = [];
 * if (stringRangesOf(col, 7, r)) phraseInBytes(bytes, r[0], r[1], phrase);
 */
export function stringRangesOf(col: Column, i: number, out: number[]): boolean {
  if (!(col instanceof PlainColumn)) return false;
  col.stringRanges(i, out);
  return true;
}

/** Scratch for {@link PlainColumn.findTokens}'s lowered bytes; grows to the largest column. */
let lowerScratch = Buffer.allocUnsafe(0);
