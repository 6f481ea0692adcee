/**
 * @module
 * Snappy block-format decompression (google/snappy `format_description.txt`), the format
 * Prometheus remote write and Prometheus' compressed WAL records use; the framed/streaming
 * format is not handled. The input is untrusted: every element is bounds-checked, and the
 * declared length is refused before anything is allocated when it exceeds the caller's limit or
 * what the input could possibly expand to.
 */

/** Thrown for a stream that is not valid Snappy; `offset` is where in the input it went wrong. */
export class SnappyError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`cannot decode snappy block at offset ${offset}: ${reason}`);
    this.name = 'SnappyError';
  }
}

/** Thrown when the declared uncompressed length exceeds the caller's limit. */
export class SnappyTooLargeError extends SnappyError {
  constructor(
    readonly length: number,
    readonly maxLength: number,
  ) {
    super(0, `uncompressed length ${length} exceeds the limit of ${maxLength} bytes`);
    this.name = 'SnappyTooLargeError';
  }
}

/** The format caps the uncompressed length at 2^32 − 1, which takes at most 5 varint bytes. */
const MAX_HEADER_BYTES = 5;
/** The most one input byte can expand to: a 3-byte copy element yields at most 64 bytes. */
const MAX_EXPANSION = 64 / 3;
/**
 * Literals up to this long are copied byte by byte: most literals in label-heavy payloads are a
 * few bytes, and a loop beats creating a subarray view for `set()` at that size.
 */
const SHORT_LITERAL = 16;

/**
 * Decompresses one Snappy block. `src` must hold exactly one block (nothing after it); the
 * result is a new array of the declared length.
 *
 * @throws {SnappyTooLargeError} when the declared length exceeds `maxLength` (checked first,
 *   before any allocation).
 * @throws {SnappyError} on any malformed input: a bad header, an element running past the end
 *   of the input or the output, a copy reaching before the start of the output, or an output
 *   shorter than declared.
 * @example
 * snappyDecode(Uint8Array.of(0x03, 0x08, 0x61, 0x62, 0x63), 1 << 20); // "abc"
 */
export function snappyDecode(src: Uint8Array, maxLength: number): Uint8Array {
  const { length, start } = readHeader(src);
  if (length > maxLength) throw new SnappyTooLargeError(length, maxLength);
  if (length > Math.ceil((src.length - start) * MAX_EXPANSION)) {
    throw new SnappyError(
      0,
      `uncompressed length ${length} is more than ${src.length} bytes can hold`,
    );
  }
  const dst = new Uint8Array(length);
  let s = start;
  let d = 0;
  while (s < src.length) {
    const at = s;
    const tag = src[s++]!;
    let len: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        len = tag >>> 2;
        if (len >= 60) {
          // 60..63: the length minus one follows in 1..4 little-endian bytes.
          const n = len - 59;
          if (s + n > src.length) throw new SnappyError(at, 'literal length runs past the input');
          len = 0;
          for (let k = n - 1; k >= 0; k--) len = len * 256 + src[s + k]!;
          s += n;
        }
        len += 1;
        if (s + len > src.length) {
          throw new SnappyError(at, `literal of ${len} bytes runs past the input`);
        }
        if (d + len > length) {
          throw new SnappyError(
            at,
            `literal of ${len} bytes overruns the output (${length} bytes)`,
          );
        }
        if (len <= SHORT_LITERAL) {
          for (const end = s + len; s < end; s++) dst[d++] = src[s]!;
        } else {
          dst.set(src.subarray(s, s + len), d);
          s += len;
          d += len;
        }
        continue;
      }
      case 1:
        if (s + 1 > src.length) throw new SnappyError(at, 'copy runs past the input');
        len = 4 + ((tag >>> 2) & 7);
        offset = ((tag >>> 5) << 8) | src[s]!;
        s += 1;
        break;
      case 2:
        if (s + 2 > src.length) throw new SnappyError(at, 'copy runs past the input');
        len = (tag >>> 2) + 1;
        offset = src[s]! | (src[s + 1]! << 8);
        s += 2;
        break;
      default:
        if (s + 4 > src.length) throw new SnappyError(at, 'copy runs past the input');
        len = (tag >>> 2) + 1;
        offset = (src[s]! | (src[s + 1]! << 8) | (src[s + 2]! << 16) | (src[s + 3]! << 24)) >>> 0;
        s += 4;
    }
    if (offset === 0 || offset > d) {
      throw new SnappyError(at, `copy offset ${offset} is outside the ${d} bytes decoded so far`);
    }
    if (d + len > length) {
      throw new SnappyError(at, `copy of ${len} bytes overruns the output (${length} bytes)`);
    }
    if (offset >= len) {
      dst.copyWithin(d, d - offset, d - offset + len);
      d += len;
    } else {
      // Overlapping copy (a run): each byte may be one this copy just wrote.
      for (const end = d + len; d < end; d++) dst[d] = dst[d - offset]!;
    }
  }
  if (d !== length) {
    throw new SnappyError(src.length, `input ended after ${d} of ${length} bytes`);
  }
  return dst;
}

/**
 * Reads the uncompressed length that starts every block.
 *
 * @throws {SnappyError} when the varint is truncated or exceeds 2^32 − 1.
 */
function readHeader(src: Uint8Array): { length: number; start: number } {
  let length = 0;
  let scale = 1;
  for (let i = 0; i < MAX_HEADER_BYTES; i++) {
    if (i >= src.length) throw new SnappyError(i, 'input ends inside the length header');
    const b = src[i]!;
    length += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (length > 0xffffffff) throw new SnappyError(0, 'length header exceeds 2^32 - 1');
      return { length, start: i + 1 };
    }
    scale *= 0x80;
  }
  throw new SnappyError(0, `length header is longer than ${MAX_HEADER_BYTES} bytes`);
}
