/**
 * @module
 * Appends float samples to an XOR chunk, producing exactly the bits of Prometheus'
 * `tsdb/chunkenc/xor.go` (Gorilla compression adapted to millisecond timestamps):
 *
 * - a 2-byte big-endian sample count, patched after every append;
 * - sample 0: timestamp as a signed varint, value as its 64 raw bits;
 * - sample 1: timestamp delta as a uvarint of the delta's uint64 bits, value XOR-encoded;
 * - sample n ≥ 2: the delta of the timestamp deltas ("dod") in a bucket — `0` for 0, `10` + 14
 *   bits for -8191..8192, `110` + 17 bits for -65535..65536, `1110` + 20 bits for
 *   -524287..524288, else `1111` + 64 bits — then the value XOR-encoded.
 *
 * A value is XORed with the previous one: `0` if equal; else `1`, then either `0` and the XOR's
 * bits inside the previous window of leading/trailing zeros (when they fit), or `1`, 5 bits of
 * leading zeros (capped at 31), 6 bits of significant bits (64 written as 0) and those bits.
 */

import type { BitWriter } from './bstream.js';
import { F64, HI, LO, U32 } from './float-bits.js';
import { Int64, writeUvarint64 } from './int64.js';

/** Prometheus' marker for "no XOR window yet", so the first changed value opens one. */
const NO_WINDOW = 0xff;

/** The header counts samples in a uint16. */
const MAX_SAMPLES = 0xffff;

// Scratch for the first two samples and the rare timestamps whose deltas leave the safe-integer
// range; module-level so that no append allocates.
const wideT = new Int64();
const wideDelta = new Int64();
const wideDod = new Int64();

/**
 * What an appender needs to continue a chunk: the decoder state after its last sample, as
 * `XorIterator.resumeState()` reports it.
 */
export interface XorResumeState {
  /** Samples in the chunk. */
  readonly numSamples: number;
  /** Bits the samples occupy, the 2-byte header included. */
  readonly bitLength: number;
  /** Last timestamp (ms). */
  readonly t: number;
  /** Last timestamp delta, or NaN when it is not a safe integer (then see `tDeltaWide`). */
  readonly tDelta: number;
  /** Last timestamp delta, exactly. */
  readonly tDeltaWide: Int64;
  /** High and low halves of the last value's bits. */
  readonly valueHi: number;
  readonly valueLo: number;
  /** The current XOR window. */
  readonly leading: number;
  readonly trailing: number;
}

/**
 * Appends samples to one XOR chunk. Get it from `XorChunk.appender()`; only one appender may
 * write a chunk at a time, and timestamps should increase (the chunk encodes any order, but
 * readers' `seek` assumes it).
 */
export class XorAppender {
  #w: BitWriter;
  #num = 0;
  #t = 0;
  // Exact while a safe integer; NaN means "see #tDeltaWide", so the fast path's safe-integer
  // check also routes wide deltas to the slow path.
  #tDelta = 0;
  #tDeltaWide = new Int64();
  #hi = 0;
  #lo = 0;
  #leading = NO_WINDOW;
  #trailing = 0;

  /**
   * @param w the chunk's bit stream, positioned after its last sample.
   * @param resume the state after the chunk's existing samples; omit for an empty chunk.
   * @example
   * const app = new XorAppender(writer); // what XorChunk.appender() does for a new chunk
   */
  constructor(w: BitWriter, resume?: XorResumeState) {
    this.#w = w;
    if (resume === undefined || resume.numSamples === 0) return;
    this.#num = resume.numSamples;
    this.#t = resume.t;
    this.#tDelta = resume.tDelta;
    this.#tDeltaWide.copy(resume.tDeltaWide);
    this.#hi = resume.valueHi;
    this.#lo = resume.valueLo;
    // As Prometheus does, the window comes from the decoder, which starts at 0/0 rather than
    // NO_WINDOW: a resumed chunk whose values never changed reuses a 64-bit window where a fresh
    // appender would open a tighter one. Copying that keeps our bytes identical to Prometheus'.
    this.#leading = resume.leading;
    this.#trailing = resume.trailing;
  }

  /**
   * Appends one sample. `t` is in ms and must be a safe integer; `v` is stored bit-exact (NaN
   * payloads such as the staleness marker included). The chunk's `bytes()` views taken before
   * this call may be stale afterwards.
   *
   * @throws {RangeError} if `t` is not a safe integer or the chunk already holds 65535 samples.
   * @example
   * const app = chunk.appender();
   * app.append(1_700_000_000_000, 1);
   * app.append(1_700_000_015_000, 2);
   */
  append(t: number, v: number): void {
    if (!Number.isSafeInteger(t)) {
      throw new RangeError(
        `cannot append sample to XOR chunk: timestamp ${t} is not a safe integer`,
      );
    }
    const num = this.#num;
    if (num === MAX_SAMPLES) {
      throw new RangeError(`cannot append sample to XOR chunk: it holds ${num} samples already`);
    }
    F64[0] = v;
    const hi = U32[HI]! | 0;
    const lo = U32[LO]! | 0;
    const w = this.#w;
    if (num >= 2) {
      const delta = t - this.#t;
      const dod = delta - this.#tDelta;
      // Both safe means both exact: a rounded result would be at least 2^53.
      if (Number.isSafeInteger(dod) && Number.isSafeInteger(delta)) {
        this.#writeDod(dod);
        this.#tDelta = delta;
      } else {
        this.#writeWideDod(t);
      }
      this.#writeValue(hi, lo);
    } else if (num === 1) {
      // Go writes uint64(t - prev): a negative delta becomes a 10-byte uvarint.
      wideDelta.setNumber(t).sub(wideT.setNumber(this.#t));
      writeUvarint64(w, wideDelta);
      this.#setDelta(wideDelta);
      this.#writeValue(hi, lo);
    } else {
      writeUvarint64(w, wideT.setNumber(t).zigzag());
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
    }
    this.#t = t;
    this.#hi = hi;
    this.#lo = lo;
    this.#num = num + 1;
    w.setUint16(0, num + 1);
  }

  #writeDod(dod: number): void {
    const w = this.#w;
    if (dod === 0) {
      w.writeBit(0);
    } else if (dod >= -8191 && dod <= 8192) {
      w.writeBits((0b10 << 14) | (dod & 0x3fff), 16);
    } else if (dod >= -65535 && dod <= 65536) {
      w.writeBits((0b110 << 17) | (dod & 0x1ffff), 20);
    } else if (dod >= -524287 && dod <= 524288) {
      w.writeBits((0b1110 << 20) | (dod & 0xfffff), 24);
    } else {
      wideDod.setNumber(dod);
      w.writeBits(0b1111, 4);
      w.writeBits64(wideDod.hi, wideDod.lo, 64);
    }
  }

  #writeWideDod(t: number): void {
    wideDelta.setNumber(t).sub(wideT.setNumber(this.#t));
    const prev = Number.isNaN(this.#tDelta) ? this.#tDeltaWide : wideT.setNumber(this.#tDelta);
    wideDod.copy(wideDelta).sub(prev);
    if (wideDod.isInt32()) {
      this.#writeDod(wideDod.lo | 0);
    } else {
      this.#w.writeBits(0b1111, 4);
      this.#w.writeBits64(wideDod.hi, wideDod.lo, 64);
    }
    this.#setDelta(wideDelta);
  }

  #setDelta(delta: Int64): void {
    this.#tDelta = delta.toNumber();
    this.#tDeltaWide.copy(delta);
  }

  #writeValue(hi: number, lo: number): void {
    const w = this.#w;
    const xh = hi ^ this.#hi;
    const xl = lo ^ this.#lo;
    if (xh === 0 && xl === 0) {
      w.writeBit(0);
      return;
    }
    let leading = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    // x & -x isolates the lowest set bit, whose clz gives the trailing zero count.
    const trailing = xl !== 0 ? 31 - Math.clz32(xl & -xl) : 63 - Math.clz32(xh & -xh);
    // Only 5 bits carry the leading count.
    if (leading > 31) leading = 31;
    const pl = this.#leading;
    const pt = this.#trailing;
    if (pl !== NO_WINDOW && leading >= pl && trailing >= pt) {
      writeWindow(w, 0b10, 2, xh, xl, pt, 64 - pl - pt);
      return;
    }
    this.#leading = leading;
    this.#trailing = trailing;
    const sig = 64 - leading - trailing;
    // `& 63` turns 64 significant bits into the 0 that stands for them.
    writeWindow(w, (0b11 << 11) | (leading << 6) | (sig & 63), 13, xh, xl, trailing, sig);
  }
}

/**
 * Writes the `control` code of `c` bits, then the `n` bits of the 64-bit XOR (xh:xl) above its
 * `shift` trailing zeros (0 ≤ shift < 64), in one write when all fit 32 bits.
 */
function writeWindow(
  w: BitWriter,
  control: number,
  c: number,
  xh: number,
  xl: number,
  shift: number,
  n: number,
): void {
  let hi: number;
  let lo: number;
  if (shift === 0) {
    hi = xh;
    lo = xl;
  } else if (shift < 32) {
    hi = xh >>> shift;
    lo = (xl >>> shift) | (xh << (32 - shift));
  } else {
    hi = 0;
    lo = xh >>> (shift - 32);
  }
  // The window holds every set bit, so the shifted XOR has no bits above n, and the control
  // code can share a write with its top bits.
  if (c + n <= 32) {
    w.writeBits((control << n) | lo, c + n);
  } else if (n <= 32) {
    w.writeBits(control, c);
    w.writeBits(lo, n);
  } else if (c + n <= 64) {
    w.writeBits((control << (n - 32)) | hi, c + n - 32);
    w.writeBits(lo, 32);
  } else {
    w.writeBits(control, c);
    w.writeBits64(hi, lo, n);
  }
}
