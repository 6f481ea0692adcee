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

/**
 * The hashes of `ids`, sorted: what {@link encodeIdSet} takes.
 *
 * @example
 * const set = encodeIdSet(sortedIdHashes(['a', 'b']));
 */
export function sortedIdHashes(ids: readonly string[]): Uint32Array {
  const out = new Uint32Array(ids.length);
  const h = new Uint32Array(2);
  for (let i = 0; i < ids.length; i++) out[i] = idHash(ids[i]!, h);
  return out.sort();
}

/** The Rice parameter for `n` hashes spread over `span`: near log2 of the median gap. */
function riceParameter(n: number, span: number): number {
  if (n < 2) return 0;
  const mean = span / (n - 1);
  return mean < 2 ? 0 : Math.min(31, Math.round(Math.log2(mean * Math.LN2)));
}

class BitWriter {
  #buf: Uint8Array;
  #bytes = 0;
  #acc = 0;
  #nbits = 0;

  constructor(expectedBits: number) {
    this.#buf = new Uint8Array(Math.ceil(expectedBits / 8) + 16);
  }

  get bitLength(): number {
    return this.#bytes * 8 + this.#nbits;
  }

  /** Writes the low `w` bits of `v`, `w` ≤ 16. */
  put(v: number, w: number): void {
    this.#acc |= (v & ((1 << w) - 1)) << this.#nbits;
    this.#nbits += w;
    while (this.#nbits >= 8) {
      if (this.#bytes === this.#buf.length) {
        const b = new Uint8Array(this.#buf.length * 2);
        b.set(this.#buf);
        this.#buf = b;
      }
      this.#buf[this.#bytes++] = this.#acc & 0xff;
      this.#acc >>>= 8;
      this.#nbits -= 8;
    }
  }

  /** Writes the low `w` bits of `v`, `w` ≤ 32. */
  putWide(v: number, w: number): void {
    if (w > 16) {
      this.put(v & 0xffff, 16);
      this.put(v >>> 16, w - 16);
    } else this.put(v, w);
  }

  /** The bits written, the last byte padded with 0 bits, and 4 zero bytes. */
  finish(): Uint8Array {
    if (this.#nbits > 0) this.put(0, 8 - this.#nbits);
    const out = new Uint8Array(this.#bytes + 4);
    out.set(this.#buf.subarray(0, this.#bytes));
    return out;
  }
}

/**
 * The id set of `hashes`, which must be sorted ascending (duplicates allowed).
 *
 * @example
 * const bytes = encodeIdSet(sortedIdHashes(ids));
 */
export function encodeIdSet(hashes: Uint32Array): Uint8Array {
  const n = hashes.length;
  const buckets = Math.ceil(n / BUCKET);
  const r = riceParameter(n, n === 0 ? 0 : hashes[n - 1]! - hashes[0]!);
  const w = new BitWriter(n * (r + 2));
  const firsts = new Uint32Array(buckets);
  const offsets = new Uint32Array(buckets);
  for (let b = 0; b < buckets; b++) {
    const start = b * BUCKET;
    const end = Math.min(n, start + BUCKET);
    firsts[b] = hashes[start]!;
    offsets[b] = w.bitLength;
    for (let i = start + 1; i < end; i++) {
      const d = hashes[i]! - hashes[i - 1]!;
      if (d < 0) throw new Error(`cannot encode id set: hash ${i} is below hash ${i - 1}`);
      const q = Math.floor(d / 2 ** r);
      if (q >= ESCAPE) {
        w.putWide(0xffffffff, ESCAPE);
        w.putWide(d, 32);
        continue;
      }
      // q ones and a zero: q < 32, so at most 32 bits.
      w.putWide(2 ** q - 1, q + 1);
      w.putWide(d, r);
    }
  }
  const stream = w.finish();
  const out = new Uint8Array(HEADER + 8 * buckets + stream.length);
  const view = new DataView(out.buffer);
  out[0] = KIND;
  out[1] = r;
  view.setUint32(2, n, true);
  view.setUint32(6, buckets, true);
  for (let b = 0; b < buckets; b++) {
    view.setUint32(HEADER + 4 * b, firsts[b]!, true);
    view.setUint32(HEADER + 4 * (buckets + b), offsets[b]!, true);
  }
  out.set(stream, HEADER + 8 * buckets);
  return out;
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
    let found = false;
    this.#decodeBucket(lo, (v) => {
      if (v >= hash) {
        found = v === hash;
        return false;
      }
      return true;
    });
    return found;
  }

  /** Every hash, ascending. */
  values(): Uint32Array {
    const out = new Uint32Array(this.size);
    let k = 0;
    for (let b = 0; b < this.#buckets; b++) {
      this.#decodeBucket(b, (v) => {
        out[k++] = v;
        return true;
      });
    }
    return out;
  }

  /** Calls `each` with bucket `b`'s hashes in order until it returns false. */
  #decodeBucket(b: number, each: (v: number) => boolean): void {
    const view = this.#view;
    const buf = this.#buf;
    const r = this.#r;
    const count = Math.min(BUCKET, this.size - b * BUCKET);
    let v = view.getUint32(HEADER + 4 * b, true);
    let p = view.getUint32(HEADER + 4 * (this.#buckets + b), true);
    const end = (buf.length - this.#stream - 4) * 8;
    if (!each(v)) return;
    for (let i = 1; i < count; i++) {
      let q = 0;
      while (q < ESCAPE && bit(buf, this.#stream, p) === 1) {
        q++;
        p++;
      }
      let d: number;
      if (q === ESCAPE) {
        d = bits(buf, this.#stream, p, 16) + bits(buf, this.#stream, p + 16, 16) * 0x10000;
        p += 32;
      } else {
        p++;
        d =
          q * 2 ** r +
          (r > 16
            ? bits(buf, this.#stream, p, 16) + bits(buf, this.#stream, p + 16, r - 16) * 0x10000
            : bits(buf, this.#stream, p, r));
        p += r;
      }
      if (p > end)
        throw new Error(`id set is damaged: bucket ${b} runs past the end of its stream`);
      v += d;
      if (!each(v)) return;
    }
  }
}

function bit(buf: Uint8Array, at: number, p: number): number {
  return (buf[at + (p >>> 3)]! >>> (p & 7)) & 1;
}

/** `w` ≤ 16 bits from bit `p` of the stream at `buf[at…]` (4 bytes after its end are readable). */
function bits(buf: Uint8Array, at: number, p: number, w: number): number {
  if (w === 0) return 0;
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
