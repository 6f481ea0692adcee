/**
 * @module
 * The values of a column (format: docs/format/log-segment.md, "values(m)"): a tag per value,
 * the numbers in one run and the strings in another, so that like bytes sit together for the
 * compressor; and their reader, which locates values only as far as a read needs.
 */

import type { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import { getUvarint, getVarint, type Cursor } from '../../../lib/encoding/varint.js';
import type { FieldValue } from '../../model/fields.js';

const TAG_STRING = 0;
const TAG_INT = 1;
const TAG_FLOAT = 2;
const TAG_FALSE = 3;
const TAG_TRUE = 4;

/** The string values of a column in order: which value each is, and where its bytes are. */
export interface StringTable {
  readonly value: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/** Tags, then a u32-length-prefixed run of numbers, then string lengths and bytes. */
export function encodeValues(w: ByteWriter, values: readonly FieldValue[]): void {
  w.reserve(values.length);
  for (const v of values) {
    if (typeof v === 'string') w.u8(TAG_STRING);
    else if (typeof v === 'boolean') w.u8(v ? TAG_TRUE : TAG_FALSE);
    else w.u8(isVarintable(v) ? TAG_INT : TAG_FLOAT);
  }
  const lenAt = w.length;
  w.u32(0);
  for (const v of values) {
    if (typeof v !== 'number') continue;
    if (isVarintable(v)) w.varint(v);
    else w.f64(v);
  }
  w.putU32At(lenAt, w.length - lenAt - 4);
  for (const v of values) if (typeof v === 'string') w.string(v);
}

/** Integers a zig-zag varint holds exactly (its doubling must stay below 2^53); not -0. */
function isVarintable(v: number): boolean {
  return Number.isInteger(v) && Math.abs(v) <= 2 ** 51 && !Object.is(v, -0);
}

/**
 * {@link getUvarint} with the one-byte case first: value counts and string lengths, read once
 * per value of every column a search decodes, are nearly all below 128.
 */
export function smallUvarint(buf: Buffer, cur: Cursor): number {
  const b = buf[cur.off]!;
  if (b < 0x80) {
    cur.off++;
    return b;
  }
  return getUvarint(buf, cur);
}

/** Values {@link ValueReader.locateString} locates at a time. */
const LOCATE_STEP = 64;

/**
 * The values written by `encodeValues`, located in one pass over their tags and string lengths
 * and decoded one by one on first use.
 */
export class ValueReader {
  readonly buf: Buffer;
  readonly #tags: number;
  /** Per value: the offset of its number, or for a string its index in {@link strings}. */
  readonly #at: Int32Array;
  /**
   * Made when a second value is read: a page scan reads most pages' values not at all, and of
   * the others one or two documents' (the marked ones), where a cache as long as the page's
   * values was a fifth of what a rare word's search allocated.
   */
  #cache: (FieldValue | undefined)[] | undefined;
  /** The first value read, and its index, until there is a {@link #cache}. */
  #firstK = -1;
  #first: FieldValue = false;
  readonly #strings: StringTable;
  /**
   * Values located so far ({@link #locate}), and where the next one's number and string would
   * be: a search page reads one document of a block, and stops there.
   */
  #located = 0;
  /** Where the first string's bytes (its length first) are. */
  readonly stringsAt: number;
  #nums: number;
  #next: number;
  #s = 0;

  constructor(buf: Buffer, tagsAt: number, m: number) {
    this.buf = buf;
    this.#tags = tagsAt;
    this.#at = new Int32Array(m);
    let count = 0;
    for (let k = 0; k < m; k++) if (buf[tagsAt + k] === TAG_STRING) count++;
    this.#strings = {
      value: new Int32Array(count),
      start: new Int32Array(count),
      end: new Int32Array(count),
    };
    this.#nums = tagsAt + m + 4;
    this.#next = this.stringsAt = this.#nums + buf.readUInt32BE(tagsAt + m);
  }

  /** Offset just past the values. */
  get end(): number {
    this.#locate(this.#at.length);
    return this.#next;
  }

  /** The string values in order: which value each is, and where its bytes are. */
  get strings(): StringTable {
    this.#locate(this.#at.length);
    return this.#strings;
  }

  /** {@link strings}, holding only those located so far ({@link locateString}). */
  get stringsLocated(): StringTable {
    return this.#strings;
  }

  /** How many of the values are strings. */
  get stringCount(): number {
    return this.#strings.value.length;
  }

  /** Locates values until string `s` is, or every value is; returns the strings located. */
  locateString(s: number): number {
    const m = this.#at.length;
    while (this.#s <= s && this.#located < m) {
      this.#locate(Math.min(m, this.#located + LOCATE_STEP));
    }
    return this.#s;
  }

  /** Locates the values before `upTo`, from the first not located yet. */
  #locate(upTo: number): void {
    if (upTo <= this.#located) return;
    const { buf } = this;
    const tagsAt = this.#tags;
    const at = this.#at;
    const { value, start, end } = this.#strings;
    let nums = this.#nums;
    const cur: Cursor = { off: this.#next };
    let s = this.#s;
    for (let k = this.#located; k < upTo; k++) {
      switch (buf[tagsAt + k]) {
        case TAG_STRING: {
          const n = smallUvarint(buf, cur);
          value[s] = k;
          start[s] = cur.off;
          cur.off += n;
          if (cur.off > buf.length) {
            throw new Error(
              `cannot decode column: string of ${n} bytes past the end at offset ${start[s]}`,
            );
          }
          end[s] = cur.off;
          at[k] = s++;
          break;
        }
        case TAG_INT:
          at[k] = nums;
          while (buf[nums]! >= 0x80) nums++;
          nums++;
          break;
        case TAG_FLOAT:
          at[k] = nums;
          nums += 8;
          break;
        case TAG_FALSE:
        case TAG_TRUE:
          break;
        default:
          throw new Error(
            `cannot decode column values: unknown tag ${buf[tagsAt + k]} at offset ${tagsAt + k}`,
          );
      }
    }
    this.#located = upTo;
    this.#nums = nums;
    this.#next = cur.off;
    this.#s = s;
  }

  /** The index in {@link strings} of value `k`, or -1 when it is not a string. */
  stringIndex(k: number): number {
    if (this.buf[this.#tags + k] !== TAG_STRING) return -1;
    this.#locate(k + 1);
    return this.#at[k]!;
  }

  /** Value `k`. */
  value(k: number): FieldValue {
    const cache = this.#cache;
    if (cache !== undefined) {
      const v = cache[k];
      if (v !== undefined) return v;
    } else if (k === this.#firstK) return this.#first;
    const v = this.#decode(k);
    if (cache !== undefined) cache[k] = v;
    else if (this.#firstK < 0) {
      this.#firstK = k;
      this.#first = v;
    } else {
      const made = (this.#cache = new Array<FieldValue | undefined>(this.#at.length));
      made[this.#firstK] = this.#first;
      made[k] = v;
    }
    return v;
  }

  /** Value `k`, decoded. */
  #decode(k: number): FieldValue {
    this.#locate(k + 1);
    const at = this.#at[k]!;
    switch (this.buf[this.#tags + k]) {
      case TAG_STRING:
        return this.buf.toString('utf8', this.#strings.start[at], this.#strings.end[at]);
      case TAG_INT:
        return getVarint(this.buf, { off: at });
      case TAG_FLOAT:
        return this.buf.readDoubleBE(at);
      default:
        return this.buf[this.#tags + k] === TAG_TRUE;
    }
  }
}
