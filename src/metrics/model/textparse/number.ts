/**
 * @module
 * Numbers as Prometheus reads and writes them in expositions. Values and OpenMetrics timestamps
 * are read as Go's `strconv.ParseFloat` reads them, minus the forms Prometheus refuses (`p`, `P`
 * and `_`, which rules out hex floats and digit separators): an optional sign, decimal digits with
 * at most one point, an optional exponent, `inf`/`infinity` with an optional sign and `nan`
 * without one (both any case). A finite text too large for a float64 is out of range (Go's
 * ErrRange), not infinity. Every text is correctly rounded, as in Go: the common short decimals
 * take Clinger's fast path (an exact integer times or divided by an exact power of ten is one
 * rounding) and touch no string; longer ones go through `Number()` after the syntax check.
 */

import { Buffer, isAscii } from 'node:buffer';

/** Go's `math.NaN()` bits, which Prometheus stores for every NaN a target exposes. */
export const NORMAL_NAN = new Float64Array(new BigUint64Array([0x7ff8000000000001n]).buffer)[0]!;

export const FLOAT_OK = 0;
export const FLOAT_SYNTAX = 1;
export const FLOAT_RANGE = 2;
export type FloatStatus = typeof FLOAT_OK | typeof FLOAT_SYNTAX | typeof FLOAT_RANGE;

/** Powers of ten a float64 holds exactly: 10^22 is the last one. */
const EXACT_POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Above this a mantissa might not take another digit and stay below 2^53. */
const MANTISSA_LIMIT = 900719925474099;

/** Length of the case-insensitive common prefix of `b[i, end)` and the lowercase `word`. */
function prefixIgnoringCase(b: Uint8Array, i: number, end: number, word: string): number {
  let n = 0;
  while (n < word.length && i + n < end && (b[i + n]! | 0x20) === word.charCodeAt(n)) n++;
  return n;
}

/** `inf`, `infinity` (signed) and `nan` (unsigned), any case, as Go's `special`. */
function parseSpecial(
  b: Uint8Array,
  start: number,
  i: number,
  end: number,
  out: Float64Array,
  slot: number,
): FloatStatus {
  const c = b[i]! | 0x20;
  if (c === 0x69 /* i */) {
    const n = prefixIgnoringCase(b, i, end, 'infinity');
    if ((n === 3 || n === 8) && i + n === end) {
      out[slot] = b[start] === 0x2d ? -Infinity : Infinity;
      return FLOAT_OK;
    }
  } else if (c === 0x6e /* n */ && i === start && end - start === 3) {
    if (prefixIgnoringCase(b, i, end, 'nan') === 3) {
      out[slot] = NORMAL_NAN;
      return FLOAT_OK;
    }
  }
  return FLOAT_SYNTAX;
}

/**
 * Reads the bytes `b[start, end)` into `out[slot]` and returns FLOAT_OK, or FLOAT_SYNTAX / FLOAT_RANGE
 * leaving `out` alone. The status-and-slot shape keeps the hot path free of boxed numbers.
 *
 * @example
 * const out = new Float64Array(1);
 * parseFloatInto(Buffer.from('x 12.5e1'), 2, 8, out); // FLOAT_OK, out[0] === 125
 * parseFloatInto(Buffer.from('0x1p3'), 0, 5, out); // FLOAT_SYNTAX
 */
export function parseFloatInto(
  b: Uint8Array,
  start: number,
  end: number,
  out: Float64Array,
  slot = 0,
): FloatStatus {
  let i = start;
  if (i >= end) return FLOAT_SYNTAX;
  let c = b[i]!;
  const negative = c === 0x2d;
  if (negative || c === 0x2b) {
    if (++i >= end) return FLOAT_SYNTAX;
    c = b[i]!;
  }
  if (c > 0x39) return parseSpecial(b, start, i, end, out, slot);

  let mantissa = 0;
  let exp10 = 0;
  let digits = false;
  let point = false;
  let exact = true;
  for (; i < end; i++) {
    c = b[i]!;
    if (c >= 0x30 && c <= 0x39) {
      digits = true;
      if (mantissa < MANTISSA_LIMIT) {
        mantissa = mantissa * 10 + (c - 0x30);
        if (point) exp10--;
      } else {
        exact = false;
      }
    } else if (c === 0x2e && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!digits) return FLOAT_SYNTAX;
  if (i < end) {
    if ((c | 0x20) !== 0x65 /* e */) return FLOAT_SYNTAX;
    i++;
    let sign = 1;
    if (i < end) {
      c = b[i]!;
      if (c === 0x2b || c === 0x2d) {
        if (c === 0x2d) sign = -1;
        i++;
      }
    }
    if (i >= end) return FLOAT_SYNTAX;
    let e = 0;
    for (; i < end; i++) {
      c = b[i]!;
      if (c < 0x30 || c > 0x39) return FLOAT_SYNTAX;
      // Capped like Go: any exponent this large is zero or out of range anyway.
      if (e < 100_000) e = e * 10 + (c - 0x30);
    }
    exp10 += sign * e;
  }

  let v: number;
  if (exact && mantissa === 0) {
    v = 0;
  } else if (exact && exp10 >= 0 && exp10 <= 22) {
    v = mantissa * EXACT_POW10[exp10]!;
  } else if (exact && exp10 < 0 && exp10 >= -22) {
    v = mantissa / EXACT_POW10[-exp10]!;
  } else {
    v = Math.abs(Number(ascii(b, start, end)));
  }
  if (v === Infinity) return FLOAT_RANGE;
  out[slot] = negative ? -v : v;
  return FLOAT_OK;
}

/** The checked syntax is ASCII, so bytes map to characters one to one. */
function ascii(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');
}

const scratch = new Float64Array(1);

/**
 * `parseFloatInto` for a whole string, or undefined when it is not a number Prometheus reads.
 *
 * @example
 * parseGoFloat('+Inf'); // Infinity
 * parseGoFloat('1e400'); // undefined (out of range)
 */
export function parseGoFloat(s: string): number | undefined {
  const b = Buffer.from(s, 'utf8');
  // Beyond ASCII there are no numbers; checking keeps bytes and characters one to one.
  if (!isAscii(b)) return undefined;
  return parseFloatInto(b, 0, b.length, scratch) === FLOAT_OK ? scratch[0] : undefined;
}

const INT64_MAX_DIGITS = '9223372036854775807';

/**
 * Reads the decimal digits `b[start, end)` (the caller has checked they are digits) as an
 * int64, or returns NaN above 2^63 - 1. Beyond 2^53 the number is the nearest float64.
 *
 * @example
 * parseDigits(Buffer.from('ts 1700000000000'), 3, 16); // 1700000000000
 */
export function parseDigits(b: Uint8Array, start: number, end: number): number {
  while (end - start > 1 && b[start] === 0x30) start++;
  if (end - start <= 15) {
    let v = 0;
    for (let i = start; i < end; i++) v = v * 10 + (b[i]! - 0x30);
    return v;
  }
  const digits = ascii(b, start, end);
  if (digits.length > 19 || (digits.length === 19 && digits > INT64_MAX_DIGITS)) return NaN;
  return Number(digits);
}

/**
 * Formats a float as Go's `strconv.FormatFloat(f, 'g', -1, 64)` with `.0` appended when that
 * has neither a point nor an exponent: Prometheus' `FormatOpenMetricsFloat`, which it applies to
 * `le` and `quantile` label values so `1` and `1.0` name the same bucket.
 *
 * @example
 * formatOpenMetricsFloat(1); // '1.0'
 * formatOpenMetricsFloat(1e6); // '1e+06'
 * formatOpenMetricsFloat(0.00001); // '1e-05'
 */
export function formatOpenMetricsFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return '0.0';
  // toExponential() gives the shortest round-trip digits, as Go's shortest formatting does.
  const [mant, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const sign = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  let s: string;
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exp);
    s = `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  } else if (exp < 0) {
    s = `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length > exp + 1) {
    s = `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    s = `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  }
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}
