/**
 * @module
 * Small non-negative integers packed at a fixed bit width, least significant bits first (value
 * `i` starts at bit `i·width` of the little-endian bit stream): for arrays that a reader decodes
 * on every read and that a general compressor handles with more setup than work (a block's time
 * deltas, a dictionary column's codes). Widths are 0 to 4, 8 or 16: up to 4 bits, eight values
 * are `width` whole bytes, read as one integer and taken apart with constant shifts; 8 and 16
 * are whole bytes. Over 8 192 values that is a few µs, where a brotli call on the same few KiB
 * takes 20–45 µs, most of it setup.
 */

import type { ByteWriter } from './byte-writer.js';

/** The widths a packing may have. */
export type BitWidth = 0 | 1 | 2 | 3 | 4 | 8 | 16;

/** True when `w` is a {@link BitWidth}. */
export function isBitWidth(w: number): w is BitWidth {
  return w <= 4 ? w >= 0 && Number.isInteger(w) : w === 8 || w === 16;
}

/** The smallest {@link BitWidth} holding `max`, or undefined when `max` needs more than 16 bits. */
export function bitWidth(max: number): BitWidth | undefined {
  if (max === 0) return 0;
  if (max < 2) return 1;
  if (max < 4) return 2;
  if (max < 8) return 3;
  if (max < 16) return 4;
  if (max < 256) return 8;
  if (max < 65536) return 16;
  return undefined;
}

/** Bytes that `n` values take at `width`. */
export function packedBytes(n: number, width: BitWidth): number {
  return Math.ceil((n * width) / 8);
}

/**
 * Appends `values[i] - base` for i in `[0, n)` at `width` bits each (every one must fit).
 *
 * @example
 * packBits(w, codes, codes.length, 1, 2); // codes 1..4, two bits each
 */
export function packBits(
  w: ByteWriter,
  values: ArrayLike<number>,
  n: number,
  base: number,
  width: BitWidth,
): void {
  w.reserve(packedBytes(n, width));
  // Bits not yet written, least significant first: fewer than 8 before a value is added, so at
  // most 23 with a 16-bit value.
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    acc |= (values[i]! - base) << bits;
    for (bits += width; bits >= 8; bits -= 8) {
      w.u8(acc & 0xff);
      acc >>>= 8;
    }
  }
  if (bits > 0) w.u8(acc);
}

/** Throws unless `buf[off, …)` holds `n` values at `width`. */
function checkLength(buf: Uint8Array, off: number, n: number, width: BitWidth): void {
  const need = packedBytes(n, width);
  if (off + need > buf.length) {
    throw new Error(
      `cannot unpack ${n} values of ${width} bits at offset ${off}: ${buf.length - off} bytes, ${need} needed`,
    );
  }
}

/**
 * Reads `out.length` values packed at `width` (at most 8) from `buf` at `off`, adding `base`.
 *
 * @example
 * unpackBytes(buf, off, 2, 1, codes); // two-bit codes, plus one
 */
export function unpackBytes(
  buf: Uint8Array,
  off: number,
  width: BitWidth,
  base: number,
  out: Uint8Array,
): void {
  const n = out.length;
  if (width > 8) throw new Error(`cannot unpack ${width}-bit values into bytes`);
  checkLength(buf, off, n, width);
  if (width === 0) {
    out.fill(base);
    return;
  }
  if (width === 8) {
    for (let i = 0; i < n; i++) out[i] = base + buf[off + i]!;
    return;
  }
  const mask = (1 << width) - 1;
  const w = width;
  let i = 0;
  let p = off;
  // Eight values are `w` bytes; the bytes read past them (at most three, and past the end of
  // `buf` only as undefined, read as 0) are never shifted down into a value.
  for (const whole = n - 7; i < whole; i += 8, p += w) {
    const v = buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
    out[i] = base + (v & mask);
    out[i + 1] = base + ((v >>> w) & mask);
    out[i + 2] = base + ((v >>> (2 * w)) & mask);
    out[i + 3] = base + ((v >>> (3 * w)) & mask);
    out[i + 4] = base + ((v >>> (4 * w)) & mask);
    out[i + 5] = base + ((v >>> (5 * w)) & mask);
    out[i + 6] = base + ((v >>> (6 * w)) & mask);
    out[i + 7] = base + ((v >>> (7 * w)) & mask);
  }
  if (i < n) {
    const v = buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
    for (let s = 0; i < n; i++, s += w) out[i] = base + ((v >>> s) & mask);
  }
}

/**
 * Reads `out.length - 1` deltas packed at `width` from `buf` at `off` and writes their running
 * sum into `out`: `out[0] = first`, `out[i] = out[i - 1] + base + delta[i - 1]`.
 *
 * @example
 * unpackDeltas(buf, off, 1, firstMs, minDelta, ms);
 */
export function unpackDeltas(
  buf: Uint8Array,
  off: number,
  width: BitWidth,
  first: number,
  base: number,
  out: Float64Array,
): void {
  const n = out.length;
  if (n === 0) return;
  checkLength(buf, off, n - 1, width);
  out[0] = first;
  const most = width === 0 ? 0 : 2 ** width - 1;
  // The sum since `first` in 32-bit integer arithmetic when it cannot pass 2^31 (a block of
  // lines minutes apart), which is a third faster than adding doubles; else doubles.
  if ((base + most) * (n - 1) >= 2 ** 31) {
    let prev = first;
    for (let i = 1; i < n; i++) {
      prev += base + readBits(buf, off, width, i - 1);
      out[i] = prev;
    }
    return;
  }
  let acc = 0;
  if (width === 0 || width === 8 || width === 16) {
    for (let i = 1; i < n; i++) {
      acc = (acc + base + readBits(buf, off, width, i - 1)) | 0;
      out[i] = first + acc;
    }
    return;
  }
  const w = width;
  const mask = (1 << w) - 1;
  let i = 1;
  let p = off;
  // As in unpackBytes: eight deltas are `w` bytes, read as one integer.
  for (const whole = n - 8; i <= whole; i += 8, p += w) {
    const v = buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
    acc = (acc + base + (v & mask)) | 0;
    out[i] = first + acc;
    acc = (acc + base + ((v >>> w) & mask)) | 0;
    out[i + 1] = first + acc;
    acc = (acc + base + ((v >>> (2 * w)) & mask)) | 0;
    out[i + 2] = first + acc;
    acc = (acc + base + ((v >>> (3 * w)) & mask)) | 0;
    out[i + 3] = first + acc;
    acc = (acc + base + ((v >>> (4 * w)) & mask)) | 0;
    out[i + 4] = first + acc;
    acc = (acc + base + ((v >>> (5 * w)) & mask)) | 0;
    out[i + 5] = first + acc;
    acc = (acc + base + ((v >>> (6 * w)) & mask)) | 0;
    out[i + 6] = first + acc;
    acc = (acc + base + ((v >>> (7 * w)) & mask)) | 0;
    out[i + 7] = first + acc;
  }
  for (; i < n; i++) {
    acc = (acc + base + readBits(buf, off, width, i - 1)) | 0;
    out[i] = first + acc;
  }
}

/** Value `i` packed at `width` from `off`: one at a time, for the rare and short paths. */
function readBits(buf: Uint8Array, off: number, width: BitWidth, i: number): number {
  if (width === 0) return 0;
  if (width === 16) return buf[off + 2 * i]! | (buf[off + 2 * i + 1]! << 8);
  if (width === 8) return buf[off + i]!;
  const pos = i * width;
  const at = off + (pos >> 3);
  const v = buf[at]! | (buf[at + 1]! << 8);
  return (v >> (pos & 7)) & ((1 << width) - 1);
}
