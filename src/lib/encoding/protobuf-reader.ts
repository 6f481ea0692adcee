/**
 * @module
 * A minimal protobuf wire-format reader, enough for remote write's and Loki push's messages: field keys,
 * varints, two's-complement int64, little-endian doubles, length-delimited fields entered as
 * nested messages, and skipping of unknown fields of every wire type (groups included). Every
 * read is bounds-checked against the end of the message being read, and every error carries the
 * offset it happened at.
 */

import { isUtf8 } from 'node:buffer';

/** Bytes that are not a valid encoding of the message being read. */
export class ProtobufError extends Error {
  constructor(
    /** Byte offset into the message. */
    readonly offset: number,
    readonly reason: string,
    /** What was being decoded, e.g. `remote write request`. */
    readonly what: string,
  ) {
    super(`cannot decode ${what} at offset ${offset}: ${reason}`);
    this.name = 'ProtobufError';
  }
}

/** Protobuf wire types, as the low 3 bits of a field key. */
export const WireType = {
  Varint: 0,
  I64: 1,
  Len: 2,
  StartGroup: 3,
  EndGroup: 4,
  I32: 5,
} as const;

/** The most bytes a 64-bit varint takes. */
const MAX_VARINT_BYTES = 10;

/**
 * Reads one protobuf message and the messages nested in it. Reads advance {@link pos}; a read
 * that would pass {@link limit} (the end of the innermost message entered) throws.
 *
 * @example
 * const r = new ProtoReader(bytes);
 * let id = 0;
 * while (r.more()) {
 *   if (r.key() !== 1) {
 *     r.skip();
 *     continue;
 *   }
 *   r.expect(WireType.Varint, 'Msg.id');
 *   id = r.int64();
 * }
 */
export class ProtoReader {
  readonly buf: Uint8Array;
  pos = 0;
  /** End (exclusive) of the message being read. */
  limit: number;
  /** Wire type of the key {@link key} read last. */
  wireType = 0;
  #field = 0;
  /** Offset of the key read last, where a wrong wire type is reported. */
  #keyAt = 0;
  readonly #view: DataView;
  readonly #text: Buffer;

  /** @param what names the message in errors, e.g. `remote write request`. */
  constructor(
    buf: Uint8Array,
    readonly what = 'protobuf message',
  ) {
    this.buf = buf;
    this.limit = buf.length;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.#text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  #error(offset: number, reason: string): ProtobufError {
    return new ProtobufError(offset, reason, this.what);
  }

  /** Whether the current message has more fields. */
  more(): boolean {
    return this.pos < this.limit;
  }

  /** Reads a field key: returns the field number and sets {@link wireType}. */
  key(): number {
    this.#keyAt = this.pos;
    const key = this.uvarint();
    this.wireType = key % 8;
    this.#field = Math.floor(key / 8);
    if (this.#field === 0) throw this.#error(this.#keyAt, 'field number 0');
    if (this.wireType > WireType.I32) {
      throw this.#error(this.#keyAt, `invalid wire type ${this.wireType}`);
    }
    return this.#field;
  }

  /**
   * Checks that the field just keyed has wire type `type`.
   *
   * @throws {ProtobufError} naming `field` (e.g. `TimeSeries.labels`) when it has another.
   */
  expect(type: number, field: string): void {
    if (this.wireType !== type) {
      throw this.#error(this.#keyAt, `${field} has wire type ${this.wireType}, want ${type}`);
    }
  }

  /** Reads an unsigned varint; exact up to 2^53, which lengths and keys never approach. */
  uvarint(): number {
    const at = this.pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= this.limit) throw this.#error(at, 'varint runs past the end');
      const b = this.buf[this.pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (i === MAX_VARINT_BYTES - 1 && b > 1) throw this.#error(at, 'varint overflows 64 bits');
        return value;
      }
      scale *= 0x80;
    }
    throw this.#error(at, 'varint longer than 10 bytes');
  }

  /**
   * Reads an `int64` (a varint holding the two's-complement bits, so a negative value takes 10
   * bytes). Exact for |v| ≤ 2^53; millisecond timestamps are far inside that.
   */
  int64(): number {
    const at = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= this.limit) throw this.#error(at, 'varint runs past the end');
      const b = this.buf[this.pos++]!;
      const bits = b & 0x7f;
      // Bytes 0–3 fill bits 0–27, byte 4 straddles the halves (bits 28–34), bytes 5–9 fill the
      // high half from bit 3 on.
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi = bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) {
        if (i === MAX_VARINT_BYTES - 1 && b > 1) throw this.#error(at, 'varint overflows 64 bits');
        return (hi | 0) * 4294967296 + (lo >>> 0);
      }
    }
    throw this.#error(at, 'varint longer than 10 bytes');
  }

  /** Reads a little-endian float64, keeping NaN payloads (the staleness marker) intact. */
  double(): number {
    this.#need(8);
    const v = this.#view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /**
   * Reads a length-delimited field's bytes as UTF-8, or returns null when they are not valid
   * UTF-8. ASCII, what labels almost always are, takes a fast path.
   */
  string(): string | null {
    const len = this.#length();
    const start = this.pos;
    const end = start + len;
    this.pos = end;
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (this.buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return this.#text.toString('latin1', start, end);
    return isUtf8(this.buf.subarray(start, end)) ? this.#text.toString('utf8', start, end) : null;
  }

  /**
   * Enters the length-delimited field just keyed as a nested message: {@link limit} becomes
   * its end. Returns the outer limit, to hand to {@link leave} once {@link more} is false.
   */
  enter(): number {
    const len = this.#length();
    const outer = this.limit;
    this.limit = this.pos + len;
    return outer;
  }

  /** Leaves a nested message entered with {@link enter}. */
  leave(outer: number): void {
    this.limit = outer;
  }

  /** Skips the field just keyed, whatever its wire type; a group is skipped to its end. */
  skip(): void {
    if (this.wireType === WireType.EndGroup) {
      throw this.#error(this.#keyAt, `end-group for field ${this.#field} without a start`);
    }
    if (this.wireType !== WireType.StartGroup) {
      this.#skipScalar();
      return;
    }
    // Iterative, so a deeply nested group cannot overflow the stack.
    const open = [this.#field];
    while (open.length > 0) {
      const field = this.key();
      if (this.wireType === WireType.StartGroup) open.push(field);
      else if (this.wireType !== WireType.EndGroup) this.#skipScalar();
      else if (open.pop() !== field) {
        throw this.#error(this.#keyAt, `end-group for field ${field} closes another group`);
      }
    }
  }

  #skipScalar(): void {
    switch (this.wireType) {
      case WireType.Varint:
        this.uvarint();
        return;
      case WireType.I64:
        this.#need(8);
        this.pos += 8;
        return;
      case WireType.I32:
        this.#need(4);
        this.pos += 4;
        return;
      default: {
        // Not `this.pos += this.#length()`: that would read pos before the length advances it.
        const len = this.#length();
        this.pos += len;
      }
    }
  }

  /** Reads a length prefix and checks that many bytes remain in the current message. */
  #length(): number {
    const at = this.pos;
    const len = this.uvarint();
    if (len > this.limit - this.pos) {
      throw this.#error(at, `length ${len} runs past the end (${this.limit - this.pos} left)`);
    }
    return len;
  }

  #need(n: number): void {
    if (this.pos + n > this.limit) {
      throw this.#error(this.pos, `${n}-byte field runs past the end`);
    }
  }
}
