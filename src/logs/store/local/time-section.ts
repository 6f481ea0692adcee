/**
 * @module
 * Reading a block's time section (`docs/format/log-segment.md`, Blocks): the ms of each document
 * and, when present, its ns. Every search that reaches a block's filter reads these.
 */

import { isBitWidth, unpackDeltas } from '../../../lib/encoding/bit-pack.js';
import { getUvarint, getVarint } from '../../../lib/encoding/varint.js';
import { TIME_PACKED, TIME_VARINT } from './segment-format.js';

/**
 * Reads the ms of a version 3 time section's ms part (decoded): zig-zag varint deltas or
 * bit-packed ones (`segment-format.ts` {@link TIME_PACKED}).
 */
export function decodeMs(buf: Buffer, ms: Float64Array, path: string): void {
  if (buf[0] === TIME_VARINT) {
    decodeTimes(buf, 1, ms, undefined, path);
    return;
  }
  if (buf[0] !== TIME_PACKED) {
    throw new Error(`cannot read segment: ${path}: time section of unknown form ${buf[0]}`);
  }
  const cur = { off: 1 };
  try {
    const first = getVarint(buf, cur);
    const base = getUvarint(buf, cur);
    const width = buf[cur.off]!;
    if (!isBitWidth(width)) throw new Error(`delta width ${width}`);
    unpackDeltas(buf, cur.off + 1, width, first, base, ms);
  } catch (err) {
    throw new Error(`cannot read segment: ${path}: time section: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * Reads times from `buf` at `off`: into `ms`, zig-zag varint deltas; then into `ns`, uvarints.
 * Every block of every search that reaches the filter starts here, so the varints are read
 * inline, not through a cursor per value: that took this from about 25 ns to a few ns per value.
 */
export function decodeTimes(
  buf: Buffer,
  off: number,
  ms: Float64Array | undefined,
  ns: Int32Array | undefined,
  path: string,
): void {
  if (ms !== undefined) {
    let prev = 0;
    for (let i = 0; i < ms.length; i++) {
      // Deltas within a block are small: one or two bytes, read with integer operations; a
      // longer one (the first, the ms since the epoch) with arithmetic, as it may pass 2^31.
      const b0 = buf[off]!;
      if (b0 < 0x80) {
        prev += (b0 >>> 1) ^ -(b0 & 1);
        off += 1;
      } else if (buf[off + 1]! < 0x80) {
        const u = (b0 & 0x7f) | (buf[off + 1]! << 7);
        prev += (u >>> 1) ^ -(u & 1);
        off += 2;
      } else {
        let u = 0;
        let scale = 1;
        let b: number;
        do {
          b = buf[off++]!;
          u += (b & 0x7f) * scale;
          scale *= 0x80;
        } while (b >= 0x80);
        prev += u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      }
      ms[i] = prev;
    }
  }
  if (ns !== undefined) {
    for (let i = 0; i < ns.length; i++) {
      let u = 0;
      let shift = 0;
      let b: number;
      do {
        b = buf[off++]!;
        u |= (b & 0x7f) << shift;
        shift += 7;
      } while (b >= 0x80);
      ns[i] = u;
    }
  }
  // A byte read past the end is undefined and ends its varint: a short section shows here.
  if (off > buf.length) {
    throw new Error(`cannot read segment: ${path}: time section of ${buf.length} bytes cut short`);
  }
}
