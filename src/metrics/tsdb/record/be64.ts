/**
 * @module
 * Big-endian 64-bit fields of WAL records (series refs, base timestamps) as JS numbers, read and
 * written as two 32-bit halves so that no BigInt is allocated per field. Exact for |v| ≤ 2^53,
 * which covers millisecond timestamps and series refs; decoders reject anything wider rather
 * than round it.
 */

const TWO_32 = 2 ** 32;
/** A high half at or above this (or, signed, below its negation) makes the value inexact. */
const HIGH_LIMIT = 2 ** 21;

function putU32(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v >>> 24;
  buf[off + 1] = v >>> 16;
  buf[off + 2] = v >>> 8;
  buf[off + 3] = v;
}

function getU32(buf: Uint8Array, off: number): number {
  return ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0;
}

/**
 * Writes `v` (an integer, |v| ≤ 2^53) as a big-endian two's-complement 64-bit value at `off`;
 * `buf` must have 8 bytes free there. Serves both unsigned refs and signed timestamps.
 *
 * @example
 * const end = putBE64(buf, 0, 1_700_000_000_000); // end = 8
 */
export function putBE64(buf: Uint8Array, off: number, v: number): number {
  const hi = Math.floor(v / TWO_32);
  putU32(buf, off, hi >>> 0);
  putU32(buf, off + 4, (v - hi * TWO_32) >>> 0);
  return off + 8;
}

/**
 * Reads a big-endian unsigned 64-bit value at `off` (`buf` must have 8 bytes there), or returns
 * -1 when it exceeds 2^53 and so has no exact number.
 *
 * @example
 * getBE64Unsigned(Buffer.from([0, 0, 0, 0, 0, 0, 1, 0]), 0); // 256
 */
export function getBE64Unsigned(buf: Uint8Array, off: number): number {
  const hi = getU32(buf, off);
  return hi >= HIGH_LIMIT ? -1 : hi * TWO_32 + getU32(buf, off + 4);
}

/**
 * Reads a big-endian signed 64-bit value at `off` (`buf` must have 8 bytes there), or returns
 * NaN when |v| exceeds 2^53.
 *
 * @example
 * getBE64Signed(Buffer.alloc(8, 0xff), 0); // -1
 */
export function getBE64Signed(buf: Uint8Array, off: number): number {
  const hi = getU32(buf, off) | 0;
  return hi >= HIGH_LIMIT || hi < -HIGH_LIMIT ? NaN : hi * TWO_32 + getU32(buf, off + 4);
}
