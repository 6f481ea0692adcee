/**
 * @module
 * Variable-length integers as Go's encoding/binary writes them (the TSDB index, WAL records and
 * chunks use them): unsigned LEB128 ("uvarint") and zig-zag signed ("varint"). Values are JS
 * numbers, exact up to 2^53; TSDB timestamps (ms) and references fit. Encoders append into a
 * caller-owned buffer and return the new offset; decoders return the value and set `pos.off`.
 */

/** Largest encoded size of a 64-bit varint. */
export const MAX_VARINT_LEN = 10;

/**
 * Writes `v` (0 ≤ v ≤ 2^53) at `off`; `buf` must have {@link MAX_VARINT_LEN} bytes free there.
 *
 * @example
 * const end = putUvarint(buf, 0, 300); // buf[0..2) = 0xac 0x02, end = 2
 */
export function putUvarint(buf: Uint8Array, off: number, v: number): number {
  while (v >= 0x80) {
    buf[off++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[off++] = v;
  return off;
}

/** Writes a signed value (|v| ≤ 2^52) zig-zag encoded, as Go's binary.PutVarint. */
export function putVarint(buf: Uint8Array, off: number, v: number): number {
  return putUvarint(buf, off, v >= 0 ? v * 2 : -v * 2 - 1);
}

/** Encoded length of `v` as a uvarint. */
export function uvarintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/** A read position shared by decoders, so a sequence of reads needs no tuple per value. */
export interface Cursor {
  off: number;
}

/** Thrown when a varint runs past the end of its buffer or past 64 bits. */
export class VarintError extends Error {
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(`cannot decode varint at offset ${offset}: ${reason}`);
    this.name = 'VarintError';
  }
}

/**
 * Reads a uvarint at `cur.off` (advancing it); `buf[cur.off, end)` must hold it.
 *
 * @throws {VarintError} on truncated or over-long input.
 * @example
 * const cur = { off: 0 };
 * getUvarint(Buffer.from([0xac, 0x02]), cur); // 300, cur.off = 2
 */
export function getUvarint(buf: Uint8Array, cur: Cursor, end = buf.length): number {
  const start = cur.off;
  let off = start;
  let result = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_LEN; i++) {
    if (off >= end) throw new VarintError(start, 'unexpected end of data');
    const b = buf[off++]!;
    result += (b & 0x7f) * scale;
    if (b < 0x80) {
      cur.off = off;
      return result;
    }
    scale *= 0x80;
  }
  throw new VarintError(start, 'longer than 64 bits');
}

/** Reads a zig-zag signed varint at `cur.off` (advancing it). */
export function getVarint(buf: Uint8Array, cur: Cursor, end = buf.length): number {
  const u = getUvarint(buf, cur, end);
  // u % 2 instead of u & 1: u may exceed 2^32.
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}
