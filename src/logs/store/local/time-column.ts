/**
 * @module
 * The `@timestamp` column kept as what it adds to the block's time section. Nearly every
 * document's `@timestamp` is its own time written as RFC 3339 in UTC with 0, 3, 6 or 9 fraction
 * digits, and the time section already holds that time to the nanosecond. Stored as strings it
 * was the largest column of the benchmark's segments (6.6 bytes per line after compression, one
 * distinct value per document); stored as one code per document it is almost nothing. A value
 * written any other way (an offset, epoch millis, an array) keeps its bytes in an ordinary
 * column beside the codes (format: docs/format/log-segment.md, "Columns").
 */

import type { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import type { FieldValue } from '../../model/fields.js';
import type { Column } from '../../query/filter.js';
import { ColumnBuilder, decodeColumn, encodeColumn } from './column.js';

/** The column kind byte (0 and 1 are `column.ts`'s). */
export const KIND_TIME = 2;

/** The path whose column is written this way. */
export const TIME_PATH = '@timestamp';

/** Fraction digits of codes 1–4. */
const DIGITS: readonly number[] = [0, 3, 6, 9];

/** Code per string length (`YYYY-MM-DDTHH:MM:SS` and `Z`, then `.` and the fraction digits). */
const CODE_BY_LENGTH = new Map(DIGITS.map((d, k) => [d === 0 ? 20 : 21 + d, k + 1]));

/** Formats times as RFC 3339 UTC strings, remembering the last second's `YYYY-MM-DDTHH:MM:SS`. */
class TimeFormatter {
  #second = NaN;
  #base = '';
  #day = NaN;
  /** `YYYY-MM-DDT` of {@link #day}, or '' for a year outside 0000–9999. */
  #dayPrefix = '';

  /**
   * True when `s` starts with {@link secondOf}`(ms)`. Documents an hour apart or less share a
   * day, and the hours, minutes and seconds are compared as digits: formatting each document's
   * second (they are nearly all different) was most of the time column's cost.
   */
  startsWithSecond(s: string, ms: number): boolean {
    const day = Math.floor(ms / 86_400_000);
    if (day !== this.#day) {
      this.#day = day;
      const iso = new Date(day * 86_400_000).toISOString();
      this.#dayPrefix = iso.length === 24 ? iso.slice(0, 11) : '';
    }
    if (this.#dayPrefix === '') return s.startsWith(this.secondOf(ms));
    if (!s.startsWith(this.#dayPrefix)) return false;
    const sec = Math.floor(ms / 1000) - day * 86_400;
    return (
      twoDigits(s, 11, Math.floor(sec / 3600)) &&
      s.charCodeAt(13) === 58 &&
      twoDigits(s, 14, Math.floor(sec / 60) % 60) &&
      s.charCodeAt(16) === 58 &&
      twoDigits(s, 17, sec % 60)
    );
  }

  /** `YYYY-MM-DDTHH:MM:SS` of the second holding `ms`. */
  secondOf(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#base = new Date(second * 1000).toISOString().slice(0, 19);
    }
    return this.#base;
  }

  /** `ms`/`ns` with `digits` fraction digits (further digits cut, not rounded). */
  format(ms: number, ns: number, digits: number): string {
    this.secondOf(ms);
    const second = this.#second;
    if (digits === 0) return `${this.#base}Z`;
    const frac = String((ms - second * 1000) * 1e6 + ns).padStart(9, '0');
    return `${this.#base}.${frac.slice(0, digits)}Z`;
  }
}

/** True when `s` has `n` (0–99) as two digits at `at`. */
function twoDigits(s: string, at: number, n: number): boolean {
  return s.charCodeAt(at) === 48 + Math.floor(n / 10) && s.charCodeAt(at + 1) === 48 + (n % 10);
}

/** 10^k for k = 0…9. */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * The code of `s` for a document at `ms`/`ns`: 1–4 when the time rebuilds it exactly, else 0.
 * Tested without building the string: the second's `YYYY-MM-DDTHH:MM:SS` as a prefix (the day
 * formatted once per day), then the fraction digits read as a number (a µs per document less than
 * formatting each time, on the benchmark's lines).
 */
function codeOf(f: TimeFormatter, s: string, ms: number, ns: number): number {
  const code = CODE_BY_LENGTH.get(s.length);
  if (code === undefined) return 0;
  const digits = DIGITS[code - 1]!;
  if (s.charCodeAt(s.length - 1) !== 90 /* Z */ || !f.startsWithSecond(s, ms)) return 0;
  if (digits === 0) return code;
  if (s.charCodeAt(19) !== 46 /* . */) return 0;
  let frac = 0;
  for (let i = 20; i < 20 + digits; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return 0;
    frac = frac * 10 + d;
  }
  const nanos = (ms - Math.floor(ms / 1000) * 1000) * 1e6 + ns;
  return frac === Math.floor(nanos / POW10[9 - digits]!) ? code : 0;
}

/**
 * Gives a `@timestamp` string its code by the rule a time column's writer follows: the rule the
 * ingest core (`wasm/times.ts`) follows too when it takes a document's `@timestamp` as a code,
 * and its tests check it against this.
 *
 * @example
 * const coder = new TimeCoder();
 * coder.code('2026-11-29T20:00:00.123Z', Date.UTC(2026, 10, 29, 20, 0, 0, 123), 0); // 2
 */
export class TimeCoder {
  readonly #f = new TimeFormatter();

  /** The code of `s` for a document at `ms`/`ns`: 1–4 when the time rebuilds it exactly, else 0. */
  code(s: string, ms: number, ns: number): number {
    return codeOf(this.#f, s, ms, ns);
  }
}

/**
 * The `@timestamp` strings that {@link TimeCoder} codes stand for.
 *
 * @example
 * new TimeDecoder().text(2, Date.UTC(2026, 10, 29, 20, 0, 0, 123), 0); // '2026-11-29T20:00:00.123Z'
 */
export class TimeDecoder {
  readonly #f = new TimeFormatter();

  /** The string of code `code` (1–4) for a document at `ms`/`ns`. */
  text(code: number, ms: number, ns: number): string {
    const digits = DIGITS[code - 1];
    if (digits === undefined) throw new Error(`no time code ${code}`);
    return this.#f.format(ms, ns, digits);
  }
}

/**
 * Appends `b` (a block's `@timestamp` values) to `w` as a time column when some document's value
 * is its own time; `ms`/`ns` are the block's times in document order. `coded`, when given, has
 * the codes of the documents whose single value was coded already ({@link TimeCoder}) and left
 * out of `b`; 0 for the others. Returns the values kept as they are (the others are RFC 3339
 * dates, which have no tokens to index), or undefined, writing nothing, when no value is a
 * document's own time (the caller writes an ordinary column).
 *
 * @example
 * if (encodeTimeColumn(w, builder, blockMs, blockNs) === undefined) encodeColumn(w, builder);
 */
export function encodeTimeColumn(
  w: ByteWriter,
  b: ColumnBuilder,
  ms: ArrayLike<number>,
  ns: ArrayLike<number>,
  coded?: Uint8Array,
): ColumnBuilder | undefined {
  const n = b.length;
  const codes = new Uint8Array(n);
  const f = new TimeFormatter();
  let derived = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = b.counts[i]!;
    const v = b.values[k];
    if (coded !== undefined && coded[i] !== 0) {
      codes[i] = coded[i]!;
      derived++;
    } else if (c === 1 && typeof v === 'string') {
      codes[i] = codeOf(f, v, ms[i]!, ns[i]!);
      if (codes[i] !== 0) derived++;
    }
    k += c;
  }
  if (derived === 0) return undefined;
  const rest = new ColumnBuilder(n);
  k = 0;
  for (let i = 0; i < n; i++) {
    const c = b.counts[i]!;
    if (codes[i] === 0) for (let j = 0; j < c; j++) rest.add(i, b.values[k + j]!);
    k += c;
  }
  w.u8(KIND_TIME);
  w.raw(codes);
  encodeColumn(w, rest);
  return rest;
}

/**
 * Reads a time column of `ms.length` documents from `buf` (the whole, decompressed column),
 * given the block's times.
 *
 * @example
 * const col = decodeTimeColumn(bytes, block.ms, block.ns);
 * col.values(0); // ['2024-05-06T07:08:09.123456789Z']
 */
export function decodeTimeColumn(buf: Buffer, ms: Float64Array, ns: Int32Array): Column {
  const n = ms.length;
  if (buf.length < 1 + n) {
    throw new Error(`cannot decode time column: ${buf.length} bytes for ${n} documents`);
  }
  const codes = buf.subarray(1, 1 + n);
  const rest = decodeColumn(buf.subarray(1 + n), n);
  const times = new TimeDecoder();
  return {
    values(i: number): readonly FieldValue[] {
      const code = codes[i]!;
      if (code === 0) return rest.values(i);
      if (code > DIGITS.length) throw new Error(`cannot decode time column: code ${code} at ${i}`);
      return [times.text(code, ms[i]!, ns[i]!)];
    },
  };
}
