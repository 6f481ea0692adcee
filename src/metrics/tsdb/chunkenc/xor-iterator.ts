/**
 * @module
 * Decodes an XOR chunk sample by sample (the format is described in `xor-appender.ts`). The
 * iterator keeps the current sample in fields and exposes it through `atT()`/`atV()`, so a scan
 * allocates nothing per sample, and one iterator can be reset onto chunk after chunk.
 */

import { BitReader, peek32 } from './bstream.js';
import { ChunkDecodeError } from './chunk.js';
import { F64, HI, LO, U32 } from './float-bits.js';
import { Int64, readUvarint64 } from './int64.js';
import type { XorResumeState } from './xor-appender.js';

const HEADER_BITS = 16;

// Scratch for the first two samples and for deltas past the safe-integer range; module-level so
// that no sample allocates.
const wideT = new Int64();
const wideDelta = new Int64();
const wideDod = new Int64();

/**
 * Iterates the samples of one XOR chunk in order. It sees the samples the header counted at
 * `reset`; appending to the chunk meanwhile is safe, since appends only write after those
 * samples. A truncated or corrupt chunk ends the iteration early and `err()` tells where.
 */
export class XorIterator {
  // The hot path keeps the bit position in a local and peeks at the bytes directly; the reader
  // serves the byte-aligned varints of the first two samples.
  #buf: Uint8Array = new Uint8Array(0);
  #pos = 0;
  #end = 0;
  #r = new BitReader();
  #total = 0;
  #read = 0;
  #t = 0;
  // Exact while a safe integer; NaN means "see #tDeltaWide" (see XorAppender).
  #tDelta = 0;
  #tDeltaWide = new Int64();
  #hi = 0;
  #lo = 0;
  #leading = 0;
  #trailing = 0;
  #err: ChunkDecodeError | null = null;

  /**
   * @param bytes an encoded chunk (header included); without it the iterator is empty until
   *   {@link XorIterator.reset}.
   * @example
   * const it = new XorIterator(bytes);
   * while (it.next()) use(it.atT(), it.atV());
   * if (it.err()) throw it.err();
   */
  constructor(bytes?: Uint8Array) {
    if (bytes !== undefined) this.reset(bytes);
  }

  /**
   * Starts over on `bytes`, an encoded chunk (header included), which it reads without copying.
   *
   * @example
   * it.reset(otherChunk.bytes());
   */
  reset(bytes: Uint8Array): void {
    this.#buf = bytes;
    this.#pos = HEADER_BITS;
    this.#end = bytes.length * 8;
    this.#read = 0;
    this.#t = 0;
    this.#tDelta = 0;
    this.#hi = 0;
    this.#lo = 0;
    this.#leading = 0;
    this.#trailing = 0;
    if (bytes.length < 2) {
      this.#total = 0;
      this.#err = new ChunkDecodeError('XOR', 0, 0, `header needs 2 bytes, got ${bytes.length}`);
    } else {
      this.#total = (bytes[0]! << 8) | bytes[1]!;
      this.#err = null;
    }
  }

  /**
   * Moves to the next sample; false at the end of the chunk or on a decoding error.
   *
   * @example
   * while (it.next()) sum += it.atV();
   */
  next(): boolean {
    const read = this.#read;
    if (read >= this.#total || this.#err !== null) return false;
    if (read < 2) return this.#nextHead(read);
    const buf = this.#buf;
    const start = this.#pos;
    let pos = start;
    // One peek holds the bucket code and, but for the 64-bit bucket, the dod itself.
    const w = peek32(buf, pos);
    let dod: number;
    if (w >= 0) {
      dod = 0;
      pos += 1;
    } else if ((w & 0x40000000) === 0) {
      dod = (w >>> 16) & 0x3fff;
      // Prometheus' buckets hold -(half - 1)..half, so only values above half are negative.
      if (dod > 0x2000) dod -= 0x4000;
      pos += 16;
    } else if ((w & 0x20000000) === 0) {
      dod = (w >>> 12) & 0x1ffff;
      if (dod > 0x10000) dod -= 0x20000;
      pos += 20;
    } else if ((w & 0x10000000) === 0) {
      dod = (w >>> 8) & 0xfffff;
      if (dod > 0x80000) dod -= 0x100000;
      pos += 24;
    } else {
      dod = wideDod.setBits(peek32(buf, pos + 4), peek32(buf, pos + 36)).toNumber();
      pos += 68;
    }
    const delta = this.#tDelta + dod;
    const t = this.#t + delta;
    // Both safe means both exact: a rounded result would be at least 2^53.
    if (Number.isSafeInteger(t) && Number.isSafeInteger(delta)) {
      this.#tDelta = delta;
      this.#t = t;
    } else {
      if (!Number.isNaN(dod)) wideDod.setNumber(dod);
      const prev = Number.isNaN(this.#tDelta)
        ? this.#tDeltaWide
        : wideDelta.setNumber(this.#tDelta);
      if (!this.#advance(wideDelta.copy(prev).add(wideDod), start, pos)) return false;
    }
    return this.#finish(this.#readValue(buf, pos, start), start);
  }

  /**
   * Decodes the samples not read yet into `ts` and `vbits` (the `Uint32Array` view of a
   * `Float64Array` of values, so NaN payloads survive) from index 0, and returns how many; the
   * same as calling `next()` until it returns false, so `err()` tells whether it stopped early.
   * Precondition: both arrays hold at least the header's sample count.
   *
   * @example
   * const ts = new Float64Array(chunk.numSamples);
   * const vs = new Float64Array(chunk.numSamples);
   * const n = it.readAll(ts, new Uint32Array(vs.buffer));
   */
  readAll(ts: Float64Array, vbits: Uint32Array): number {
    let n = 0;
    for (;;) {
      if (this.#read >= 2) n = this.#readCommon(ts, vbits, n);
      if (!this.next()) return n;
      ts[n] = this.#t;
      vbits[2 * n + HI] = this.#hi;
      vbits[2 * n + LO] = this.#lo;
      n++;
    }
  }

  /**
   * `readAll`'s loop for the common samples, with the decoder state in locals: it is
   * `next()`'s decoding without the 64-bit timestamp bucket, timestamps past 2^53 and errors,
   * and stops before the first such sample, leaving it to `next()`. Stores samples from index
   * `n` on and returns the index after the last.
   */
  #readCommon(ts: Float64Array, vbits: Uint32Array, n: number): number {
    const buf = this.#buf;
    const end = this.#end;
    const total = this.#total;
    let read = this.#read;
    let pos = this.#pos;
    let t = this.#t;
    let tDelta = this.#tDelta;
    let hi = this.#hi;
    let lo = this.#lo;
    let leading = this.#leading;
    let trailing = this.#trailing;
    while (read < total) {
      let p = pos;
      const w = peek32(buf, p);
      let dod: number;
      if (w >= 0) {
        dod = 0;
        p += 1;
      } else if ((w & 0x40000000) === 0) {
        dod = (w >>> 16) & 0x3fff;
        if (dod > 0x2000) dod -= 0x4000;
        p += 16;
      } else if ((w & 0x20000000) === 0) {
        dod = (w >>> 12) & 0x1ffff;
        if (dod > 0x10000) dod -= 0x20000;
        p += 20;
      } else if ((w & 0x10000000) === 0) {
        dod = (w >>> 8) & 0xfffff;
        if (dod > 0x80000) dod -= 0x100000;
        p += 24;
      } else break;
      const delta = tDelta + dod;
      const nt = t + delta;
      if (!Number.isSafeInteger(nt) || !Number.isSafeInteger(delta)) break;
      const v = peek32(buf, p);
      let nHi = hi;
      let nLo = lo;
      let nLeading = leading;
      let nTrailing = trailing;
      if (v >= 0) p += 1;
      else {
        let bits: number;
        let control: number;
        if ((v & 0x40000000) === 0) {
          bits = 64 - leading - trailing;
          control = 2;
        } else {
          nLeading = (v >>> 25) & 31;
          bits = (v >>> 19) & 63 || 64;
          nTrailing = 64 - nLeading - bits;
          control = 13;
          if (nTrailing < 0) break;
        }
        let h = 0;
        let l: number;
        if (control + bits <= 32) l = (v << control) >>> (32 - bits);
        else if (bits > 32) {
          const hn = bits - 32;
          h =
            control + hn <= 32
              ? (v << control) >>> (32 - hn)
              : peek32(buf, p + control) >>> (32 - hn);
          l = peek32(buf, p + control + hn);
        } else l = peek32(buf, p + control) >>> (32 - bits);
        if (nTrailing === 0) {
          nHi ^= h;
          nLo ^= l;
        } else if (nTrailing < 32) {
          nHi ^= (h << nTrailing) | (l >>> (32 - nTrailing));
          nLo ^= l << nTrailing;
        } else nHi ^= l << (nTrailing - 32);
        p += control + bits;
      }
      if (p > end) break;
      pos = p;
      t = nt;
      tDelta = delta;
      hi = nHi;
      lo = nLo;
      leading = nLeading;
      trailing = nTrailing;
      read++;
      ts[n] = t;
      vbits[2 * n + HI] = hi;
      vbits[2 * n + LO] = lo;
      n++;
    }
    this.#read = read;
    this.#pos = pos;
    this.#t = t;
    this.#tDelta = tDelta;
    this.#hi = hi;
    this.#lo = lo;
    this.#leading = leading;
    this.#trailing = trailing;
    return n;
  }

  /**
   * Advances to the first sample with timestamp ≥ `t` (staying put if the current one is);
   * false if there is none or decoding failed.
   *
   * @example
   * if (it.seek(mint)) do use(it.atT(), it.atV()); while (it.next() && it.atT() <= maxt);
   */
  seek(t: number): boolean {
    if (this.#err !== null) return false;
    while (this.#read === 0 || this.#t < t) {
      if (!this.next()) return false;
    }
    return true;
  }

  /**
   * The current sample's timestamp (ms). Valid after `next()` or `seek()` returned true.
   *
   * @example
   * it.next() && it.atT();
   */
  atT(): number {
    return this.#t;
  }

  /**
   * The current sample's value, bit-exact (NaN payloads included). Valid after `next()` or
   * `seek()` returned true.
   *
   * @example
   * it.next() && it.atV();
   */
  atV(): number {
    U32[HI] = this.#hi;
    U32[LO] = this.#lo;
    return F64[0]!;
  }

  /**
   * Why iteration stopped early, or null if it did not (yet).
   *
   * @example
   * while (it.next()) {}
   * if (it.err()) throw it.err();
   */
  err(): ChunkDecodeError | null {
    return this.#err;
  }

  /**
   * The state an appender needs to continue after the samples read so far; meaningful once
   * `next()` has returned false without error.
   *
   * @example
   * while (it.next()) {}
   * const state = it.resumeState();
   * new XorAppender(BitWriter.resume(bytes, state.bitLength), state);
   */
  resumeState(): XorResumeState {
    return {
      numSamples: this.#read,
      bitLength: this.#pos,
      t: this.#t,
      tDelta: this.#tDelta,
      tDeltaWide: new Int64().copy(this.#tDeltaWide),
      valueHi: this.#hi,
      valueLo: this.#lo,
      leading: this.#leading,
      trailing: this.#trailing,
    };
  }

  /** Samples 0 and 1, whose timestamps are byte-aligned varints. */
  #nextHead(read: number): boolean {
    const r = this.#r;
    const start = this.#pos;
    r.reset(this.#buf, start, this.#end);
    if (read === 0) {
      if (!readUvarint64(r, wideT)) return this.#fail(start, r.pos, 'timestamp overflows 64 bits');
      const t = wideT.unzigzag().toNumber();
      if (Number.isNaN(t)) return this.#fail(start, r.pos, 'timestamp is not a safe integer');
      this.#t = t;
      this.#hi = r.readBits(32) | 0;
      this.#lo = r.readBits(32) | 0;
      return this.#finish(r.pos, start);
    }
    if (!readUvarint64(r, wideDelta)) {
      return this.#fail(start, r.pos, 'timestamp delta overflows 64 bits');
    }
    if (!this.#advance(wideDelta, start, r.pos)) return false;
    return this.#finish(this.#readValue(this.#buf, r.pos, start), start);
  }

  /**
   * Decodes an XOR-encoded value at bit `pos`; returns the position after it, or -1 once
   * failed.
   */
  #readValue(buf: Uint8Array, pos: number, start: number): number {
    const w = peek32(buf, pos);
    if (w >= 0) return pos + 1;
    let trailing = this.#trailing;
    let n: number;
    let control: number;
    if ((w & 0x40000000) === 0) {
      n = 64 - this.#leading - trailing;
      control = 2;
    } else {
      const leading = (w >>> 25) & 31;
      n = (w >>> 19) & 63 || 64;
      trailing = 64 - leading - n;
      control = 13;
      if (trailing < 0) {
        this.#fail(
          start,
          pos + control,
          `XOR window of ${leading} leading + ${n} significant bits`,
        );
        return -1;
      }
      this.#leading = leading;
      this.#trailing = trailing;
    }
    let h = 0;
    let l: number;
    if (control + n <= 32) {
      // The bits are still in the peeked word.
      l = (w << control) >>> (32 - n);
    } else if (n > 32) {
      const hn = n - 32;
      h =
        control + hn <= 32
          ? (w << control) >>> (32 - hn)
          : peek32(buf, pos + control) >>> (32 - hn);
      l = peek32(buf, pos + control + hn);
    } else {
      l = peek32(buf, pos + control) >>> (32 - n);
    }
    if (trailing === 0) {
      this.#hi ^= h;
      this.#lo ^= l;
    } else if (trailing < 32) {
      this.#hi ^= (h << trailing) | (l >>> (32 - trailing));
      this.#lo ^= l << trailing;
    } else {
      this.#hi ^= l << (trailing - 32);
    }
    return pos + control + n;
  }

  /** Adds `delta` (exact) to the timestamp and makes it the current delta. */
  #advance(delta: Int64, start: number, pos: number): boolean {
    const t = wideT.setNumber(this.#t).add(delta).toNumber();
    if (Number.isNaN(t)) return this.#fail(start, pos, 'timestamp is not a safe integer');
    this.#t = t;
    this.#tDelta = delta.toNumber();
    this.#tDeltaWide.copy(delta);
    return true;
  }

  /** Commits a sample that ends at bit `pos` (-1: already failed), unless it ran past the data. */
  #finish(pos: number, start: number): boolean {
    if (pos < 0) return false;
    if (pos > this.#end) return this.#fail(start, pos, '');
    this.#pos = pos;
    this.#read++;
    return true;
  }

  /**
   * Ends the iteration at the sample starting at bit `start`; running out of data (the sample
   * needs bits up to `pos`) explains any other symptom, so it wins.
   */
  #fail(start: number, pos: number, reason: string): false {
    const why = pos > this.#end ? 'unexpected end of data' : reason;
    this.#err = new ChunkDecodeError('XOR', start >>> 3, this.#read, why);
    return false;
  }
}
