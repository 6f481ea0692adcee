/**
 * @module
 * Bit streams for the chunk encodings: a writer that appends bits MSB-first into a growable
 * Uint8Array and a reader over any byte range, both as Go's `tsdb/chunkenc/bstream.go` lays bits
 * out, so a chunk's bytes are Prometheus' bytes. JS bitwise operators work on 32 bits, so 64-bit
 * fields travel as two uint32 halves (hi, lo); fields up to 53 bits may also travel as one number.
 * Nothing here uses BigInt: it is an order of magnitude slower than 32-bit operations.
 */

import { allocZeroed } from './slab.js';

const TWO_32 = 2 ** 32;

/**
 * Appends bits to a buffer it owns and doubles as needed. Bits past the write position are
 * always zero, which lets a write OR into a partly filled last byte.
 */
export class BitWriter {
  #buf: Uint8Array;
  #pos = 0;

  /**
   * @example
   * const w = new BitWriter();
   * w.writeBits(0b101, 3);
   * w.bytes(); // Uint8Array [0b1010_0000]
   */
  constructor(initialBytes = 128) {
    this.#buf = allocZeroed(Math.max(initialBytes, 16));
  }

  /**
   * A writer that continues after the first `bitLength` bits of `bytes`, which it copies (the
   * source may be read-only, e.g. a block's mmapped file). Bits of `bytes` past `bitLength` are
   * dropped. Precondition: `bytes` holds at least `ceil(bitLength / 8)` bytes.
   *
   * @example
   * const w = BitWriter.resume(chunkBytes, endBitOfLastSample);
   */
  static resume(bytes: Uint8Array, bitLength: number): BitWriter {
    const used = (bitLength + 7) >>> 3;
    const w = new BitWriter(used * 2);
    w.#buf.set(bytes.subarray(0, used));
    if ((bitLength & 7) !== 0) w.#buf[used - 1]! &= 0xff00 >>> (bitLength & 7);
    w.#pos = bitLength;
    return w;
  }

  /** Number of bits written. */
  get bitLength(): number {
    return this.#pos;
  }

  /**
   * The bytes written, the last one zero-padded; a view that the next write may invalidate.
   *
   * @example
   * fs.writeSync(fd, w.bytes());
   */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, (this.#pos + 7) >>> 3);
  }

  /**
   * Appends one bit: 1 if `bit` is non-zero.
   *
   * @example
   * w.writeBit(1);
   */
  writeBit(bit: number): void {
    const pos = this.#pos;
    const i = pos >>> 3;
    if (i >= this.#buf.length) this.#grow();
    if (bit !== 0) this.#buf[i]! |= 0x80 >>> (pos & 7);
    this.#pos = pos + 1;
  }

  /**
   * Appends the low `n` bits of `bits` (0 ≤ n ≤ 32), most significant first. `bits` may be any
   * int32 or uint32; bits above `n` are ignored.
   *
   * @example
   * w.writeBits(-3, 14); // the 14-bit two's complement of -3
   */
  writeBits(bits: number, n: number): void {
    if (n === 0) return;
    const pos = this.#pos;
    const i = pos >>> 3;
    if (i + 5 > this.#buf.length) this.#grow();
    const buf = this.#buf;
    const skew = pos & 7;
    // Left-align the n bits in a word, then shift them to the write position; the low bits
    // that shift drops (when skew + n > 32) go to a fifth byte.
    const v = (bits << (32 - n)) >>> skew;
    buf[i]! |= v >>> 24;
    // These bytes hold no written bits yet, so they are overwritten, not ORed (a Uint8Array
    // store keeps the low 8 bits, so no masks either).
    buf[i + 1] = v >>> 16;
    buf[i + 2] = v >>> 8;
    buf[i + 3] = v;
    const over = skew + n - 32;
    if (over > 0) buf[i + 4] = bits << (8 - over);
    this.#pos = pos + n;
  }

  /**
   * Appends the low `n` bits (0 ≤ n ≤ 64) of the 64-bit value `hi * 2^32 + lo`, where `hi` and
   * `lo` are its uint32 (or int32) halves.
   *
   * @example
   * w.writeBits64(0x7ff00000, 0x00000002, 64); // the staleness marker's bits
   */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
  }

  /**
   * Appends `v`, an integer with 0 ≤ v < 2^n, as `n` bits (0 ≤ n ≤ 53).
   *
   * @example
   * w.writeUint(2 ** 40 + 5, 41);
   */
  writeUint(v: number, n: number): void {
    const hi = Math.floor(v / TWO_32);
    this.writeBits64(hi, v - hi * TWO_32, n);
  }

  /**
   * Overwrites two bytes at byte offset `off` (already written) with `v` big-endian; chunk
   * headers are patched this way after each sample.
   *
   * @example
   * w.setUint16(0, numSamples);
   */
  setUint16(off: number, v: number): void {
    this.#buf[off] = v >>> 8;
    this.#buf[off + 1] = v;
  }

  /**
   * Reads the big-endian uint16 at byte offset `off`, without the view `bytes()` would allocate.
   *
   * @example
   * const numSamples = w.getUint16(0);
   */
  getUint16(off: number): number {
    return (this.#buf[off]! << 8) | this.#buf[off + 1]!;
  }

  /** Doubles the buffer; callers grow before they store up to 5 bytes from the last byte. */
  #grow(): void {
    const next = allocZeroed(this.#buf.length * 2);
    next.set(this.#buf.subarray(0, (this.#pos + 7) >>> 3));
    this.#buf = next;
  }
}

/**
 * Reads bits MSB-first from `buf` between two bit positions, without writing to it. Reads do not
 * check bounds one by one: past the end they return unspecified bits (zeros past the buffer) and
 * {@link BitReader.overrun} turns true, so a decoder checks once per record. Hot decoders use
 * {@link peek32} with a local position instead.
 */
export class BitReader {
  #buf: Uint8Array;
  #pos: number;
  #end: number;

  /**
   * @example
   * const r = new BitReader(chunkBytes, 16); // skip the 2-byte header
   * const bit = r.readBit();
   */
  constructor(buf: Uint8Array = new Uint8Array(0), startBit = 0, endBit = buf.length * 8) {
    this.#buf = buf;
    this.#pos = startBit;
    this.#end = endBit;
  }

  /**
   * Points the reader at new bytes, so one reader serves many chunks. Precondition:
   * `0 ≤ startBit ≤ endBit ≤ buf.length * 8`.
   *
   * @example
   * r.reset(nextChunk, 16);
   */
  reset(buf: Uint8Array, startBit = 0, endBit = buf.length * 8): void {
    this.#buf = buf;
    this.#pos = startBit;
    this.#end = endBit;
  }

  /** The position of the next bit to read, from the start of `buf`. */
  get pos(): number {
    return this.#pos;
  }

  /** True once the reads so far went past the end; what they returned is then meaningless. */
  get overrun(): boolean {
    return this.#pos > this.#end;
  }

  /**
   * Reads one bit (0 or 1).
   *
   * @example
   * if (r.readBit() === 0) sameAsBefore();
   */
  readBit(): number {
    const pos = this.#pos;
    this.#pos = pos + 1;
    const i = pos >>> 3;
    return i < this.#buf.length ? (this.#buf[i]! >>> (7 - (pos & 7))) & 1 : 0;
  }

  /**
   * Reads `n` bits (0 ≤ n ≤ 32) as a uint32.
   *
   * @example
   * const leading = r.readBits(5);
   */
  readBits(n: number): number {
    if (n === 0) return 0;
    const v = peek32(this.#buf, this.#pos) >>> (32 - n);
    this.#pos += n;
    return v;
  }

  /**
   * Reads `n` bits (0 ≤ n ≤ 53) as a non-negative integer.
   *
   * @example
   * const v = r.readUint(41);
   */
  readUint(n: number): number {
    if (n <= 32) return this.readBits(n);
    const hi = this.readBits(n - 32);
    return hi * TWO_32 + this.readBits(32);
  }
}

/**
 * The 32 bits of `buf` from bit `pos` on, as an int32 whose sign bit is the first of them; bits
 * past the buffer read as 0. For decoders that keep the position in a local variable.
 *
 * @example
 * const w = peek32(buf, pos);
 * const leading = (w >>> 27) & 31; // the first 5 bits
 */
export function peek32(buf: Uint8Array, pos: number): number {
  const i = pos >>> 3;
  const s = pos & 7;
  if (i + 5 > buf.length) return peekTail(buf, i, s);
  const w = (buf[i]! << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | buf[i + 3]!;
  return s === 0 ? w : (w << s) | (buf[i + 4]! >>> (8 - s));
}

/** peek32 within 5 bytes of the buffer's end. */
function peekTail(buf: Uint8Array, i: number, s: number): number {
  let w = 0;
  for (let k = 0; k < 4; k++) w = (w << 8) | (i + k < buf.length ? buf[i + k]! : 0);
  if (s === 0) return w;
  return (w << s) | (i + 4 < buf.length ? buf[i + 4]! >>> (8 - s) : 0);
}
