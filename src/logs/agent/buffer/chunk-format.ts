/**
 * @module
 * The frame a disk buffer stores each appended batch in: `u32le length | u32le crc32 | records`,
 * each record `u16le id length | id | u32le JSON length | document JSON` (UTF-8). One checksum
 * per batch rather than per record: a batch is written with one system call, so a crash cuts
 * at most the last frame of a chunk short, and the checksum (zlib's native CRC-32) finds it.
 */

import { crc32 } from 'node:zlib';
import type { AgentRecord } from '../stage.js';

export const FRAME_HEADER_BYTES = 8;

/**
 * The most bytes {@link encodeFrame} needs for `records`: a UTF-16 code unit takes at most 3
 * UTF-8 bytes.
 */
export function maxFrameBytes(records: readonly AgentRecord[]): number {
  let total = FRAME_HEADER_BYTES;
  for (const r of records) total += 6 + 3 * (r.id.length + r.json.length);
  return total;
}

/**
 * Encodes a batch into one frame at the start of `out`, which must hold
 * {@link maxFrameBytes}; returns the frame (a view of `out`).
 *
 * @example
 * const frame = encodeFrame(records, Buffer.allocUnsafe(maxFrameBytes(records)));
 */
export function encodeFrame(records: readonly AgentRecord[], out: Buffer): Buffer {
  let p = FRAME_HEADER_BYTES;
  for (const r of records) {
    const idLen = out.write(r.id, p + 2, 'utf8');
    out.writeUInt16LE(idLen, p);
    p += 2 + idLen;
    const jsonLen = out.write(r.json, p + 4, 'utf8');
    out.writeUInt32LE(jsonLen, p);
    p += 4 + jsonLen;
  }
  out.writeUInt32LE(p - FRAME_HEADER_BYTES, 0);
  out.writeUInt32LE(crc32(out.subarray(FRAME_HEADER_BYTES, p)), 4);
  return out.subarray(0, p);
}

/** What {@link decodeFrames} found. */
export interface DecodedFrames {
  records: AgentRecord[];
  /** Bytes of `buf` consumed by whole, valid frames. */
  used: number;
  /** Length of the incomplete frame at `used` (header included), 0 when the data just ended there. */
  needed: number;
  /** A frame at `used` failed its checksum or does not parse. */
  corrupt: boolean;
}

/**
 * Decodes whole frames from `buf[0, end)` until at least `maxRecords` records are out.
 *
 * @example
 * decodeFrames(frame, frame.length, 1000).records[0]; // { id: 'a-0', json: '{"message":"x"}' }
 */
export function decodeFrames(buf: Buffer, end: number, maxRecords: number): DecodedFrames {
  const records: AgentRecord[] = [];
  let off = 0;
  while (records.length < maxRecords && end - off >= FRAME_HEADER_BYTES) {
    const len = buf.readUInt32LE(off);
    const start = off + FRAME_HEADER_BYTES;
    const frameEnd = start + len;
    if (frameEnd > end)
      return { records, used: off, needed: FRAME_HEADER_BYTES + len, corrupt: false };
    if (crc32(buf.subarray(start, frameEnd)) !== buf.readUInt32LE(off + 4)) {
      return { records, used: off, needed: 0, corrupt: true };
    }
    const before = records.length;
    let p = start;
    while (p < frameEnd) {
      if (p + 2 > frameEnd) break;
      const idLen = buf.readUInt16LE(p);
      const jsonAt = p + 2 + idLen + 4;
      if (jsonAt > frameEnd) break;
      const jsonLen = buf.readUInt32LE(jsonAt - 4);
      if (jsonAt + jsonLen > frameEnd) break;
      records.push({
        id: buf.toString('utf8', p + 2, p + 2 + idLen),
        json: buf.toString('utf8', jsonAt, jsonAt + jsonLen),
      });
      p = jsonAt + jsonLen;
    }
    if (p !== frameEnd) {
      records.length = before;
      return { records, used: off, needed: 0, corrupt: true };
    }
    off = frameEnd;
  }
  const partialHeader = end - off > 0 && end - off < FRAME_HEADER_BYTES;
  return { records, used: off, needed: partialHeader ? FRAME_HEADER_BYTES : 0, corrupt: false };
}
