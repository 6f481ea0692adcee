/**
 * @module
 * The frame a disk buffer stores each record in: `u32le length | u32le crc32c | payload`, the
 * payload being `u16le id length | id | document JSON` (UTF-8). The checksum finds the frame a
 * crash cut short at the end of a chunk file; everything before it is intact.
 */

import { crc32c } from '../../../lib/encoding/crc32c.js';
import type { BufferedRecord } from '../stage.js';

export const FRAME_HEADER_BYTES = 8;

/**
 * Encodes records into one buffer, written with one system call so a batch is as whole as the
 * file system makes a write.
 *
 * @example
 * const bytes = encodeFrames([{ id: 'a-0', json: '{"message":"x"}' }]);
 */
export function encodeFrames(records: readonly BufferedRecord[]): Buffer {
  let total = 0;
  for (const r of records)
    total += FRAME_HEADER_BYTES + 2 + Buffer.byteLength(r.id) + Buffer.byteLength(r.json);
  const out = Buffer.allocUnsafe(total);
  let off = 0;
  for (const r of records) {
    const start = off + FRAME_HEADER_BYTES;
    let p = start + 2;
    const idLen = out.write(r.id, p, 'utf8');
    out.writeUInt16LE(idLen, start);
    p += idLen;
    p += out.write(r.json, p, 'utf8');
    out.writeUInt32LE(p - start, off);
    out.writeUInt32LE(crc32c(out, start, p), off + 4);
    off = p;
  }
  return out;
}

/** What {@link decodeFrames} found. */
export interface DecodedFrames {
  records: BufferedRecord[];
  /** Bytes of `buf` consumed by whole, valid frames. */
  used: number;
  /** Length of the incomplete frame at `used` (header included), 0 when the data just ended there. */
  needed: number;
  /** A frame at `used` failed its checksum. */
  corrupt: boolean;
}

/**
 * Decodes whole frames from `buf[0, end)`, at most `maxRecords`.
 *
 * @example
 * decodeFrames(bytes, bytes.length, 1000).records[0]; // { id: 'a-0', json: '{"message":"x"}' }
 */
export function decodeFrames(buf: Buffer, end: number, maxRecords: number): DecodedFrames {
  const records: BufferedRecord[] = [];
  let off = 0;
  while (records.length < maxRecords && end - off >= FRAME_HEADER_BYTES) {
    const len = buf.readUInt32LE(off);
    const frameEnd = off + FRAME_HEADER_BYTES + len;
    if (frameEnd > end)
      return { records, used: off, needed: FRAME_HEADER_BYTES + len, corrupt: false };
    const start = off + FRAME_HEADER_BYTES;
    if (len < 2 || crc32c(buf, start, frameEnd) !== buf.readUInt32LE(off + 4)) {
      return { records, used: off, needed: 0, corrupt: true };
    }
    const idLen = buf.readUInt16LE(start);
    if (2 + idLen > len) return { records, used: off, needed: 0, corrupt: true };
    records.push({
      id: buf.toString('utf8', start + 2, start + 2 + idLen),
      json: buf.toString('utf8', start + 2 + idLen, frameEnd),
    });
    off = frameEnd;
  }
  const partialHeader = end - off > 0 && end - off < FRAME_HEADER_BYTES;
  return { records, used: off, needed: partialHeader ? FRAME_HEADER_BYTES : 0, corrupt: false };
}
