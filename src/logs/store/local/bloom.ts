/**
 * @module
 * Bloom filters over strings: per block over its tokens (which blocks may hold a rare term) and
 * its document ids (which blocks may hold an id the segment's id set lets pass, `id-set.ts`;
 * before version 6, per segment over the ids). 16 bits per key and 6 probes give about 0.1 %
 * false positives. A block has a filter per column and a token may be in
 * any of them, so a block's false-positive rate is the sum over its large columns: at 10 bits
 * per key (1 %) a rare-term search read one block in three for nothing on the benchmark, and
 * at 12 (0.5 %) six blocks of 1 237 still passed on a trace id column's filter alone, each
 * costing that column's decompression and scan (16 bits: rare term on 10 M lines 48.8 → 39.7
 * ms, for 1.2 more bytes per line; bench/RESULTS.md). Filters are also at least
 * {@link BLOOM_MIN_BYTES}, which makes the many small (dictionary) columns' filters nearly exact
 * for a fifth of a byte per document. A reader needs only a filter's length and
 * {@link BLOOM_PROBES}: the bits per key are the writer's choice (a block's id filter takes 10).
 * Keys are hashed over their UTF-16 code units with two 32-bit FNV-1a-style hashes mixed by a
 * murmur3 finalizer; probes are `h1 + i·h2` (Kirsch–Mitzenmacher double hashing).
 */

/** Bits per key. */
export const BLOOM_BITS_PER_KEY = 16;
/**
 * Probes per key, part of the format. Fewer than ln 2 × bits per key (11 at 16): a filter
 * tested for a word it lacks stops at its first clear bit, and with 6 probes two bits in three
 * are clear, so a search's planning, which tests every column of every block, stays fast.
 */
export const BLOOM_PROBES = 6;
/** Smallest filter: 1 024 bits, so a column with a few dozen distinct tokens is nearly exact. */
export const BLOOM_MIN_BYTES = 128;

/**
 * The murmur3 finalizer both hashes end with; exported for callers that hash tokens inline
 * while they scan (`frequent-tokens.ts`), which must end the same way as {@link hashKey}.
 */
export function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Two independent 32-bit hashes of `s` in `out[0]`, `out[1]` (h2 odd, so probes differ).
 *
 * @example
 * const h = new Uint32Array(2);
 * hashKey('kraken', h);
 */
export function hashKey(s: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x2c1b3c6d;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  out[0] = mix(a);
  out[1] = mix(b ^ s.length) | 1;
}

/**
 * {@link hashKey} of the string whose UTF-8 bytes are `buf[start, end)`, hashed from the bytes
 * when they are ASCII (where bytes and UTF-16 code units agree), so that no string is made:
 * a merge hashes every id of its inputs.
 *
 * @example
 * hashKeyUtf8(Buffer.from('kraken'), 0, 6, h); // as hashKey('kraken', h)
 */
export function hashKeyUtf8(buf: Uint8Array, start: number, end: number, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x2c1b3c6d;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 0x80) {
      hashKey(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8'), out);
      return;
    }
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  out[0] = mix(a);
  out[1] = mix(b ^ (end - start)) | 1;
}

/**
 * {@link hashKey} of `s.slice(start, end)` lowercased, for ASCII text, without making the
 * substring (`token-bloom.ts`).
 *
 * @example
 * hashKeyAscii('GET /Kraken', 5, 11, h); // as hashKey('kraken', h)
 */
export function hashKeyAscii(s: string, start: number, end: number, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x2c1b3c6d;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c |= 0x20;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  out[0] = mix(a);
  out[1] = mix(b ^ (end - start)) | 1;
}

/**
 * Bytes of a filter for `keys` keys: whole 32-bit words, at least {@link BLOOM_MIN_BYTES}.
 *
 * @example
 * bloomSize(1000); // 1500
 */
export function bloomSize(keys: number, bitsPerKey = BLOOM_BITS_PER_KEY): number {
  return Math.max(BLOOM_MIN_BYTES / 4, Math.ceil((keys * bitsPerKey) / 32)) * 4;
}

/**
 * Sets the bits of the key hashed into `h` in the filter `bits` (`bits.length * 8` bits).
 *
 * @example
 * const bits = new Uint8Array(bloomSize(keys.length)); const h = new Uint32Array(2);
 * for (const k of keys) { hashKey(k, h); bloomAdd(bits, h); }
 */
export function bloomAdd(bits: Uint8Array, h: Uint32Array): void {
  const m = bits.length * 8;
  let x = h[0]!;
  const step = h[1]!;
  for (let i = 0; i < BLOOM_PROBES; i++) {
    const bit = x % m;
    bits[bit >>> 3] = bits[bit >>> 3]! | (1 << (bit & 7));
    x = (x + step) >>> 0;
  }
}

/**
 * False when the key hashed into `h` is certainly not in `bits`.
 *
 * @example
 * hashKey('kraken', h);
 * if (!bloomHas(bits, h)) skipBlock();
 */
export function bloomHas(bits: Uint8Array, h: Uint32Array): boolean {
  const m = bits.length * 8;
  let x = h[0]!;
  const step = h[1]!;
  for (let i = 0; i < BLOOM_PROBES; i++) {
    const bit = x % m;
    if ((bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    x = (x + step) >>> 0;
  }
  return true;
}

/**
 * {@link bloomHas} on the filter stored at `bits[off, off + len)`, without making a view of it:
 * planning a search asks this of every column (and page) of every block in its time range.
 *
 * @example
 * bloomHasAt(region, 4096, 128, h);
 */
export function bloomHasAt(bits: Uint8Array, off: number, len: number, h: Uint32Array): boolean {
  const m = len * 8;
  let x = h[0]!;
  const step = h[1]!;
  for (let i = 0; i < BLOOM_PROBES; i++) {
    const bit = x % m;
    if ((bits[off + (bit >>> 3)]! & (1 << (bit & 7))) === 0) return false;
    x = (x + step) >>> 0;
  }
  return true;
}

/**
 * The filter over `count` keys held as hash pairs in an open-addressing table (`h1, h2` per
 * slot; an empty slot has `h2` 0, which no key has, {@link hashKey} making it odd).
 *
 * @example
 * const bits = bloomOfTable(slots, count);
 */
export function bloomOfTable(slots: Uint32Array, count: number): Uint8Array {
  const bits = new Uint8Array(bloomSize(count));
  const h = new Uint32Array(2);
  for (let i = 0; i < slots.length; i += 2) {
    if (slots[i + 1] === 0) continue;
    h[0] = slots[i]!;
    h[1] = slots[i + 1]!;
    bloomAdd(bits, h);
  }
  return bits;
}
