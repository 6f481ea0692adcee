/**
 * @module
 * A segment's set of document ids (since version 6): the sorted 32-bit hashes of its ids,
 * Rice-coded, with an index of every {@link BUCKET}th hash. Whether an explicit id may already
 * exist is a binary search in the index and the decoding of one bucket; a hit is then checked
 * against the ids themselves, so a hash collision costs a read, never a wrong answer.
 *
 * It replaced a bloom filter over the ids because a merge can build it from its inputs' sets
 * without touching their ids: a bloom filter sized for the merged count needed every id read,
 * decompressed and hashed again, and on the 10 M-line benchmark that was 10.9 s of the worker's
 * 56 s, each line being merged three to five times on its way to a 4 M-document segment. Merging
 * sorted hashes is linear and reads only the sets. At the same false-positive rate it is also
 * smaller for large segments: about `log2(2^32 / n) + 2` bits per id (16 for a flush of 184 000
 * ids, 12 for a 4 M-document segment, where the bloom filter took 16), and the chance that an
 * absent id passes is `n / 2^32` (0.004 % and 0.1 %).
 *
 * Layout, little-endian: `u8 1` (the kind), `u8 r` (the Rice parameter), `u32 n`, `u32 B`
 * (buckets: `ceil(n / BUCKET)`), `B × u32` the first hash of each bucket, `B × u32` the bit offset
 * in the stream where each bucket's other hashes start, then the stream: per bucket, each hash
 * after its first as its difference `d` from the one before, with the quotient `d >>> r` in unary
 * (that many 1 bits, then a 0) and the low `r` bits after it, least significant bit first; a
 * quotient of {@link ESCAPE} or more is written as {@link ESCAPE} 1 bits and `d` in 32 bits. Bits
 * fill each byte from its least significant bit; the stream ends with 4 zero bytes, so a reader
 * may always load 4 bytes.
 */

import { hashKey } from './bloom.js';

/** Hashes per bucket: the most a lookup decodes, and 0.5 bits per id of index. */
export const BUCKET = 128;
/** Unary quotients stop here; the difference follows whole. */
const ESCAPE = 32;
const KIND = 1;
const HEADER = 10;

/**
 * The 32-bit hash an id set keeps of `id` (`bloom.ts` {@link hashKey}'s first hash).
 *
 * @example
 * idHash('0AbCdEf'); // a number in [0, 2^32)
 */
export function idHash(id: string, scratch = new Uint32Array(2)): number {
  hashKey(id, scratch);
  return scratch[0]!;
}

/** The Rice parameter for `n` hashes spread over `span`: near log2 of the median gap. */
function riceParameter(n: number, span: number): number {
  if (n < 2) return 0;
  const mean = span / (n - 1);
  return mean < 2 ? 0 : Math.min(31, Math.round(Math.log2(mean * Math.LN2)));
}

/**
 * The id set of `hashes`, which must be sorted ascending (duplicates allowed). Two passes: the
 * stream's length, then the bits into a zeroed array (so a 0 bit is a step forward).
 *
 * @example
 * const bytes = encodeIdSet(Uint32Array.from(ids, (id) => idHash(id)).sort());
 */
export function encodeIdSet(hashes: Uint32Array): Uint8Array {
  const n = hashes.length;
  const buckets = Math.ceil(n / BUCKET);
  const r = riceParameter(n, n === 0 ? 0 : hashes[n - 1]! - hashes[0]!);
  // Differences are below 2^32, so `>>>` and `&` take them whole.
  const mask = r === 0 ? 0 : 0xffffffff >>> (32 - r);
  let bits = 0;
  for (let i = 1; i < n; i++) {
    if (i % BUCKET === 0) continue;
    const d = hashes[i]! - hashes[i - 1]!;
    if (d < 0) throw new Error(`cannot encode id set: hash ${i} is below hash ${i - 1}`);
    const q = d >>> r;
    bits += q >= ESCAPE ? ESCAPE + 32 : q + 1 + r;
  }
  const at = HEADER + 8 * buckets;
  const out = new Uint8Array(at + Math.ceil(bits / 8) + 4);
  const view = new DataView(out.buffer);
  out[0] = KIND;
  out[1] = r;
  view.setUint32(2, n, true);
  view.setUint32(6, buckets, true);
  let p = 0;
  for (let i = 0; i < n; i++) {
    if (i % BUCKET === 0) {
      const b = i / BUCKET;
      view.setUint32(HEADER + 4 * b, hashes[i]!, true);
      view.setUint32(HEADER + 4 * (buckets + b), p, true);
      continue;
    }
    const d = hashes[i]! - hashes[i - 1]!;
    const q = d >>> r;
    if (q >= ESCAPE) {
      p = putBits(out, at, p, 0xffff, 16);
      p = putBits(out, at, p, 0xffff, 16);
      p = putBits(out, at, p, d & 0xffff, 16);
      p = putBits(out, at, p, d >>> 16, 16);
      continue;
    }
    let ones = q;
    for (; ones > 16; ones -= 16) p = putBits(out, at, p, 0xffff, 16);
    // The ones, then the 0 after them, already there.
    p = putBits(out, at, p, (1 << ones) - 1, ones) + 1;
    const low = d & mask;
    if (r > 16) {
      p = putBits(out, at, p, low & 0xffff, 16);
      p = putBits(out, at, p, low >>> 16, r - 16);
    } else p = putBits(out, at, p, low, r);
  }
  return out;
}

/** ORs `v` (< 2^w, w ≤ 16) in at bit `p` of the stream at `out[at…]`; returns `p + w`. */
function putBits(out: Uint8Array, at: number, p: number, v: number, w: number): number {
  const o = at + (p >>> 3);
  const x = v << (p & 7);
  out[o] = out[o]! | (x & 0xff);
  out[o + 1] = out[o + 1]! | ((x >>> 8) & 0xff);
  out[o + 2] = out[o + 2]! | (x >>> 16);
  return p + w;
}

/**
 * A decoded view of an id set's bytes (`encodeIdSet`'s output, as stored).
 *
 * @example
 * const set = new IdSet(bytes);
 * if (set.has(idHash('abc'))) checkIds();
 */
export class IdSet {
  readonly size: number;
  readonly #r: number;
  readonly #buckets: number;
  readonly #view: DataView;
  readonly #buf: Uint8Array;
  /** Where the stream starts in `buf`. */
  readonly #stream: number;
  /** A bucket's hashes, as a lookup decodes them. */
  readonly #scratch = new Uint32Array(BUCKET);

  constructor(buf: Uint8Array) {
    if (buf.length < HEADER || buf[0] !== KIND) {
      throw new Error(`not an id set: ${buf.length} bytes, kind ${buf[0]} (expected ${KIND})`);
    }
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    this.#r = buf[1]!;
    this.size = this.#view.getUint32(2, true);
    this.#buckets = this.#view.getUint32(6, true);
    this.#stream = HEADER + 8 * this.#buckets;
    if (
      this.#r > 31 ||
      this.#buckets !== Math.ceil(this.size / BUCKET) ||
      this.#stream + 4 > buf.length
    ) {
      throw new Error(
        `id set is damaged: ${this.size} hashes in ${this.#buckets} buckets, Rice parameter ${this.#r}, ${buf.length} bytes`,
      );
    }
  }

  /** True when some id hashed to `hash` is in the set. */
  has(hash: number): boolean {
    const view = this.#view;
    // The last bucket whose first hash is at most `hash`.
    let lo = 0;
    let hi = this.#buckets - 1;
    if (hi < 0 || view.getUint32(HEADER, true) > hash) return false;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (view.getUint32(HEADER + 4 * mid, true) <= hash) lo = mid;
      else hi = mid - 1;
    }
    const bucket = this.#scratch;
    const count = this.#decodeBucket(lo, bucket, 0, hash);
    return bucket[count - 1] === hash;
  }

  /** Every hash, ascending. */
  values(): Uint32Array {
    const out = new Uint32Array(this.size);
    let k = 0;
    for (let b = 0; b < this.#buckets; b++) k += this.#decodeBucket(b, out, k, Infinity);
    return out;
  }

  /**
   * Decodes bucket `b` into `out` from `k`, up to its first hash at or past `until`; returns
   * how many it wrote.
   */
  #decodeBucket(b: number, out: Uint32Array, k: number, until: number): number {
    const view = this.#view;
    const count = Math.min(BUCKET, this.size - b * BUCKET);
    const first = view.getUint32(HEADER + 4 * b, true);
    const p = view.getUint32(HEADER + 4 * (this.#buckets + b), true);
    const end = (this.#buf.length - this.#stream - 4) * 8;
    const n = decodeDeltas(this.#buf, this.#stream, end, this.#r, p, first, count, out, k, until);
    if (n < 0) throw new Error(`id set is damaged: bucket ${b} runs past the end of its stream`);
    return n;
  }
}

/**
 * Writes `first` and the `count - 1` hashes after it, decoded from bit `p` of the stream at
 * `buf[at…]` (`end` bits long) with Rice parameter `r`, to `out` from `k`, stopping after the
 * first at or past `until`; returns how many it wrote, or -1 when the stream ends too soon.
 */
function decodeDeltas(
  buf: Uint8Array,
  at: number,
  end: number,
  r: number,
  p: number,
  first: number,
  count: number,
  out: Uint32Array,
  k: number,
  until: number,
): number {
  // All in int32 arithmetic, which the array stores as the same 32 bits and in which a sum wraps
  // as the hashes do: a double anywhere in the loop made it six times slower.
  let v = first | 0;
  out[k] = v;
  if (first >= until) return 1;
  for (let i = 1; i < count; i++) {
    let q = 0;
    for (;;) {
      const w = getBits(buf, at, p, 16);
      if (w !== 0xffff) {
        // The trailing ones of `w`, then its 0.
        const ones = 31 - Math.clz32(~w & (w + 1));
        q += ones;
        p += ones + 1;
        break;
      }
      q += 16;
      p += 16;
      if (q === ESCAPE) break;
    }
    let d: number;
    if (q === ESCAPE) {
      d = getBits(buf, at, p, 16) | (getBits(buf, at, p + 16, 16) << 16);
      p += 32;
    } else {
      const low =
        r > 16
          ? getBits(buf, at, p, 16) | (getBits(buf, at, p + 16, r - 16) << 16)
          : getBits(buf, at, p, r);
      d = (q << r) | low;
      p += r;
    }
    if (p > end) return -1;
    v = (v + d) | 0;
    out[k + i] = v;
    if (v >>> 0 >= until) return i + 1;
  }
  return count;
}

/** `w` ≤ 16 bits from bit `p` of the stream at `buf[at…]` (4 bytes after its end are readable). */
function getBits(buf: Uint8Array, at: number, p: number, w: number): number {
  const o = at + (p >>> 3);
  const word = buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16);
  return (word >>> (p & 7)) & ((1 << w) - 1);
}

/**
 * The sorted union (duplicates kept) of sorted hash arrays: a merge's id set from its inputs'.
 *
 * @example
 * mergeSorted([new IdSet(a).values(), new IdSet(b).values()]);
 */
export function mergeSorted(lists: readonly Uint32Array[]): Uint32Array {
  let round = [...lists];
  if (round.length === 0) return new Uint32Array(0);
  while (round.length > 1) {
    const next: Uint32Array[] = [];
    for (let i = 0; i < round.length; i += 2) {
      const a = round[i]!;
      const b = round[i + 1];
      next.push(b === undefined ? a : mergeTwo(a, b));
    }
    round = next;
  }
  return round[0]!;
}

function mergeTwo(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
