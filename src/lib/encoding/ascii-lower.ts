/**
 * @module
 * ASCII lowercasing of raw bytes, four at a time. Case-insensitive search of stored text then
 * becomes `Buffer.indexOf` on the lowered copy, which runs at memory speed; a JavaScript loop
 * byte by byte is about three times slower, and a case-insensitive RegExp over the bytes as a
 * Latin-1 string is slower still. Bytes from 0x80 up (UTF-8 beyond ASCII) are left alone.
 */

/**
 * A copy of `src[start, end)` with `A`–`Z` turned into `a`–`z`.
 *
 * @example
 * asciiLower(Buffer.from('GET /Api'), 0, 8).toString(); // 'get /api'
 */
export function asciiLower(src: Uint8Array, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  asciiLowerInto(src, start, end, out);
  return out;
}

/**
 * Writes `src[start, end)` with `A`–`Z` turned into `a`–`z` to `out[0, end - start)`, for a
 * caller that reuses one scratch buffer instead of allocating a copy per call.
 *
 * @example
 * const scratch = Buffer.allocUnsafe(1 << 16);
 * asciiLowerInto(page, 0, page.length, scratch);
 */
export function asciiLowerInto(src: Uint8Array, start: number, end: number, out: Uint8Array): void {
  const n = end - start;
  if (out.length < n) throw new RangeError(`cannot lowercase ${n} bytes into ${out.length}`);
  out.set(src.subarray(start, end));
  // Word-wise over the aligned middle of `out`; a Buffer may be a pooled slice at any byte
  // offset, so the edges go byte by byte.
  const head = Math.min(n, (4 - (out.byteOffset & 3)) & 3);
  const words = (n - head) >> 2;
  for (let i = 0; i < head; i++) out[i] = lowerByte(out[i]!);
  const w32 = new Uint32Array(out.buffer, out.byteOffset + head, words);
  for (let i = 0; i < words; i++) {
    const w = w32[i]!;
    // For each byte b < 0x80: bit 7 of (b + 0x3f) is set when b ≥ 0x41 ('A'), bit 7 of
    // (b + 0x25) when b ≥ 0x5b (past 'Z'); the difference is the uppercase letters, and bit 7
    // shifted down to bit 5 is the 0x20 that lowercases them. Bytes ≥ 0x80 are masked out.
    const low = w & 0x7f7f7f7f;
    const upper = ((low + 0x3f3f3f3f) & ~(low + 0x25252525) & ~w & 0x80808080) >>> 2;
    w32[i] = w | upper;
  }
  for (let i = head + words * 4; i < n; i++) out[i] = lowerByte(out[i]!);
}

function lowerByte(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}
