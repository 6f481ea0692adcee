/**
 * @module
 * Exact 64-bit integer arithmetic on two 32-bit halves, and its varint forms on bit streams. Chunk
 * timestamps are Go int64s; JS numbers hold them exactly only below 2^53, and a delta or
 * delta-of-delta of two such timestamps can reach 2^55. Encoders compute in plain numbers and fall
 * back to this (never BigInt, which is slow) only when a result leaves the safe-integer range.
 */

import type { BitReader, BitWriter } from './bstream.js';

const TWO_32 = 2 ** 32;
// 2^53 / 2^32: a high half in [-2^21, 2^21) keeps the value within ±2^53.
const SAFE_HI = 2 ** 21;

/** A mutable two's-complement int64; operations wrap modulo 2^64 like Go's. */
export class Int64 {
  /** High 32 bits as a signed int32 (it carries the sign). */
  hi = 0;
  /** Low 32 bits as a uint32. */
  lo = 0;

  /**
   * Sets the value to `v`, an integer with |v| < 2^63 (exact for every safe integer).
   *
   * @example
   * new Int64().setNumber(-1); // hi = -1, lo = 0xffffffff
   */
  setNumber(v: number): this {
    const hi = Math.floor(v / TWO_32);
    this.hi = hi | 0;
    this.lo = (v - hi * TWO_32) >>> 0;
    return this;
  }

  /**
   * Sets the value from its halves (either may be given as int32 or uint32).
   *
   * @example
   * d.setBits(r.readBits(32), r.readBits(32));
   */
  setBits(hi: number, lo: number): this {
    this.hi = hi | 0;
    this.lo = lo >>> 0;
    return this;
  }

  /**
   * Copies `o` into this.
   *
   * @example
   * saved.copy(delta);
   */
  copy(o: Int64): this {
    this.hi = o.hi;
    this.lo = o.lo;
    return this;
  }

  /**
   * this += o.
   *
   * @example
   * t.add(delta);
   */
  add(o: Int64): this {
    const lo = this.lo + o.lo;
    this.hi = (this.hi + o.hi + (lo >= TWO_32 ? 1 : 0)) | 0;
    this.lo = lo >>> 0;
    return this;
  }

  /**
   * this -= o.
   *
   * @example
   * delta.setNumber(t).sub(prev);
   */
  sub(o: Int64): this {
    const lo = this.lo - o.lo;
    this.hi = (this.hi - o.hi - (lo < 0 ? 1 : 0)) | 0;
    this.lo = lo >>> 0;
    return this;
  }

  /**
   * Maps signed to unsigned as Go's varint does: 0, -1, 1, -2 … → 0, 1, 2, 3 ….
   *
   * @example
   * writeUvarint64(w, x.setNumber(t).zigzag());
   */
  zigzag(): this {
    const sign = this.hi >> 31;
    this.hi = ((this.hi << 1) | (this.lo >>> 31)) ^ sign;
    this.lo = ((this.lo << 1) ^ sign) >>> 0;
    return this;
  }

  /**
   * The inverse of {@link Int64.zigzag}.
   *
   * @example
   * readUvarint64(r, x) && x.unzigzag().toNumber();
   */
  unzigzag(): this {
    const mask = -(this.lo & 1);
    this.lo = (((this.lo >>> 1) | (this.hi << 31)) ^ mask) >>> 0;
    this.hi = ((this.hi >>> 1) ^ mask) | 0;
    return this;
  }

  /**
   * Whether the value fits an int32, in which case it is `lo | 0`.
   *
   * @example
   * if (dod.isInt32()) writeSmall(dod.lo | 0);
   */
  isInt32(): boolean {
    return this.hi === (this.lo | 0) >> 31;
  }

  /**
   * The value as a number if it is a safe integer (|v| < 2^53), else NaN.
   *
   * @example
   * new Int64().setBits(0, 5).toNumber(); // 5
   */
  toNumber(): number {
    if (this.hi < -SAFE_HI || this.hi >= SAFE_HI) return NaN;
    const v = this.hi * TWO_32 + this.lo;
    return Number.isSafeInteger(v) ? v : NaN;
  }
}

/**
 * Appends `x`, read as a uint64, as a Go uvarint (1 to 10 bytes of 8 bits each).
 *
 * @example
 * writeUvarint64(w, new Int64().setNumber(15000)); // 0x98 0x75
 */
export function writeUvarint64(w: BitWriter, x: Int64): void {
  let hi = x.hi >>> 0;
  let lo = x.lo;
  while (hi !== 0 || lo >= 0x80) {
    w.writeBits((lo & 0x7f) | 0x80, 8);
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  w.writeBits(lo, 8);
}

/**
 * Reads a Go uvarint into `out`. Returns false, leaving `out` unspecified, if the data ends first
 * (then `r.overrun` is set) or the varint overflows 64 bits.
 *
 * @example
 * if (!readUvarint64(r, delta)) fail(r.overrun ? 'unexpected end of data' : 'varint overflow');
 */
export function readUvarint64(r: BitReader, out: Int64): boolean {
  let hi = 0;
  let lo = 0;
  // The 10th byte (shift 63) may only carry the top bit, so every path below ends by then.
  for (let shift = 0; ; shift += 7) {
    const b = r.readBits(8);
    if (r.overrun || (shift === 63 && b > 1)) return false;
    const low = b & 0x7f;
    if (shift < 32) {
      lo |= low << shift;
      if (shift > 25) hi |= low >>> (32 - shift);
    } else {
      hi |= low << (shift - 32);
    }
    if (b < 0x80) {
      out.setBits(hi, lo);
      return true;
    }
  }
}
