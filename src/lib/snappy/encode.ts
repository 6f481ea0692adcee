/**
 * @module
 * Snappy block-format compression: a greedy LZ77 over 64 KiB blocks that finds earlier 4-byte
 * matches through a hash table, the scheme Snappy's own compressor uses. It aims at valid,
 * reasonably small output for remote-write payloads (highly repetitive label text), not at
 * Snappy's speed or exact bytes: any conforming decoder reads it.
 */

/**
 * Matches are searched only within blocks of this size, so every copy offset fits the 2-byte
 * form and every literal length fits two bytes; it is also Snappy's own block size.
 */
const BLOCK_SIZE = 65536;
/** 2^14 slots: enough to find most matches in a 64 KiB block, small enough to clear per block. */
const HASH_BITS = 14;
/** The shortest match worth a copy element; also the width the hash reads. */
const MIN_MATCH = 4;
/** Format limit on the uncompressed length (a 32-bit header). */
const MAX_INPUT = 0xffffffff;

/**
 * Compresses `src` into one Snappy block. The result is a view into a buffer sized for the
 * worst case (32 + n + n/6 bytes).
 *
 * @throws {RangeError} when `src` is longer than the format allows (2^32 − 1 bytes).
 * @example
 * const block = snappyEncode(new TextEncoder().encode('abcabcabcabc'));
 * snappyDecode(block, 1 << 20); // the same 12 bytes
 */
export function snappyEncode(src: Uint8Array): Uint8Array {
  if (src.length > MAX_INPUT) {
    throw new RangeError(`cannot snappy-encode ${src.length} bytes: the format allows 2^32 - 1`);
  }
  const dst = new Uint8Array(32 + src.length + Math.floor(src.length / 6));
  let d = 0;
  let n = src.length;
  while (n >= 0x80) {
    dst[d++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 0x80);
  }
  dst[d++] = n;
  const table = new Int32Array(1 << HASH_BITS);
  for (let start = 0; start < src.length; start += BLOCK_SIZE) {
    d = encodeBlock(src, start, Math.min(start + BLOCK_SIZE, src.length), dst, d, table);
  }
  return dst.subarray(0, d);
}

function read32(src: Uint8Array, i: number): number {
  return src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24);
}

/** Encodes `src[start, end)` at `dst[d]`; returns the new end of `dst`. */
function encodeBlock(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  d: number,
  table: Int32Array,
): number {
  // Slots hold positions in this block only, so a hit is always a valid 2-byte offset back.
  table.fill(-1);
  let literalStart = start;
  let i = start;
  // Like Snappy, step further after each run of misses, so incompressible input costs less time.
  let misses = 32;
  while (i + MIN_MATCH <= end) {
    const v = read32(src, i);
    const h = Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
    const candidate = table[h]!;
    table[h] = i;
    if (candidate < 0 || read32(src, candidate) !== v) {
      i += misses >>> 5;
      misses++;
      continue;
    }
    let len = MIN_MATCH;
    // Four bytes at a time while they fit, then byte by byte.
    while (i + len + 4 <= end && read32(src, candidate + len) === read32(src, i + len)) len += 4;
    while (i + len < end && src[candidate + len] === src[i + len]) len++;
    d = emitLiteral(src, literalStart, i, dst, d);
    d = emitCopy(dst, d, i - candidate, len);
    i += len;
    literalStart = i;
    misses = 32;
  }
  return emitLiteral(src, literalStart, end, dst, d);
}

function emitLiteral(
  src: Uint8Array,
  from: number,
  to: number,
  dst: Uint8Array,
  d: number,
): number {
  const len = to - from;
  if (len === 0) return d;
  const n = len - 1;
  if (n < 60) {
    dst[d++] = n << 2;
  } else if (n < 0x100) {
    dst[d++] = 60 << 2;
    dst[d++] = n;
  } else {
    // Literals never exceed the block size, so two length bytes always suffice.
    dst[d++] = 61 << 2;
    dst[d++] = n & 0xff;
    dst[d++] = n >>> 8;
  }
  // Most literals in label text are a few bytes: a loop beats making a subarray for each.
  if (len <= 16) {
    for (let k = 0; k < len; k++) dst[d + k] = src[from + k]!;
  } else {
    dst.set(src.subarray(from, to), d);
  }
  return d + len;
}

/** Emits a copy of `len` (≥ 4) bytes from `offset` (< 65536) back, split into ≤ 64-byte elements. */
function emitCopy(dst: Uint8Array, d: number, offset: number, len: number): number {
  while (len >= 68) {
    d = emitCopy2(dst, d, offset, 64);
    len -= 64;
  }
  // For 65..67, leave 5..7 rather than 1..3: 4 or more can take the 2-byte element (1-byte offset).
  if (len > 64) {
    d = emitCopy2(dst, d, offset, 60);
    len -= 60;
  }
  if (len <= 11 && offset < 2048) {
    dst[d++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
    dst[d++] = offset & 0xff;
    return d;
  }
  return emitCopy2(dst, d, offset, len);
}

function emitCopy2(dst: Uint8Array, d: number, offset: number, len: number): number {
  dst[d++] = 2 | ((len - 1) << 2);
  dst[d++] = offset & 0xff;
  dst[d++] = offset >>> 8;
  return d;
}
