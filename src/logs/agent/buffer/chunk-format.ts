/**
 * @module
 * The frames a disk buffer stores appended records in: `u32le length | u32le crc32 | records`,
 * each record `u16le id length | id | u32le JSON length | document JSON` (UTF-8). One checksum
 * per frame rather than per record: a batch's frames are written with one system call, so a crash
 * cuts at most the last frame of a chunk short, and the checksum (zlib's native CRC-32) finds it.
 */

import { crc32 } from 'node:zlib';
import {
  ENTRY_ID_HEADER_BYTES,
  ENTRY_JSON_HEADER_BYTES,
  EncodedRecord,
  entriesOf,
} from '../encoded-record.js';
import type { AgentRecord } from '../stage.js';

export const FRAME_HEADER_BYTES = 8;

/**
 * Encodes a batch as one frame: the pieces to write one after another, header first. Encoded
 * records that lie one after another in one buffer (as an input wrote them) are one piece, a
 * view of that buffer: a frame is written with `writev` and never copied whole.
 *
 * @example
 * writevSync(fd, encodeFrame(records));
 */
export function encodeFrame(records: readonly AgentRecord[]): Buffer[] {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  const pieces: Buffer[] = [header];
  let runBuf: Buffer | null = null;
  let runStart = 0;
  let runEnd = 0;
  const endRun = () => {
    if (runBuf !== null) pieces.push(runBuf.subarray(runStart, runEnd));
    runBuf = null;
  };
  for (const r of records) {
    if (r instanceof EncodedRecord) {
      if (r.buf === runBuf && r.at === runEnd) {
        runEnd = r.end;
        continue;
      }
      endRun();
      runBuf = r.buf;
      runStart = r.at;
      runEnd = r.end;
      continue;
    }
    endRun();
    pieces.push(encodeText(r));
  }
  endRun();
  let length = 0;
  let crc = 0;
  for (let i = 1; i < pieces.length; i++) {
    length += pieces[i]!.length;
    crc = crc32(pieces[i]!, crc);
  }
  header.writeUInt32LE(length, 0);
  header.writeUInt32LE(crc, 4);
  return pieces;
}

/** One record's entry from its text; a UTF-16 code unit takes at most 3 UTF-8 bytes. */
function encodeText(r: AgentRecord): Buffer {
  const out = Buffer.allocUnsafe(
    ENTRY_ID_HEADER_BYTES + ENTRY_JSON_HEADER_BYTES + 3 * (r.id.length + r.json.length),
  );
  const idLen = out.write(r.id, ENTRY_ID_HEADER_BYTES, 'utf8');
  out.writeUInt16LE(idLen, 0);
  let p = ENTRY_ID_HEADER_BYTES + idLen;
  const jsonLen = out.write(r.json, p + ENTRY_JSON_HEADER_BYTES, 'utf8');
  out.writeUInt32LE(jsonLen, p);
  p += ENTRY_JSON_HEADER_BYTES + jsonLen;
  return out.subarray(0, p);
}

/** Where the whole, valid frames at the start of a buffer end ({@link scanFrames}). */
export interface FrameSpan {
  /** Bytes of `buf` consumed by whole, valid frames. */
  used: number;
  /** Records in them. */
  count: number;
  /** Length of the incomplete frame at `used` (header included), 0 when the data just ended there. */
  needed: number;
  /** A frame at `used` failed its checksum or does not parse. */
  corrupt: boolean;
}

/** What {@link decodeFrames} found. */
export interface DecodedFrames extends Omit<FrameSpan, 'count'> {
  records: EncodedRecord[];
}

/**
 * Checks whole frames from `buf[0, end)` until at least `maxRecords` records are in them;
 * allocates nothing. {@link recordsOf} then gives their records.
 *
 * @example
 * const span = scanFrames(buf, bytesRead, 2000);
 */
export function scanFrames(buf: Buffer, end: number, maxRecords: number): FrameSpan {
  let off = 0;
  let count = 0;
  while (count < maxRecords && end - off >= FRAME_HEADER_BYTES) {
    const len = buf.readUInt32LE(off);
    const start = off + FRAME_HEADER_BYTES;
    const frameEnd = start + len;
    if (frameEnd > end)
      return { used: off, count, needed: FRAME_HEADER_BYTES + len, corrupt: false };
    if (crc32(buf.subarray(start, frameEnd)) !== buf.readUInt32LE(off + 4)) {
      return { used: off, count, needed: 0, corrupt: true };
    }
    let n = 0;
    let p = start;
    while (p < frameEnd) {
      if (p + ENTRY_ID_HEADER_BYTES > frameEnd) break;
      const idLen = buf.readUInt16LE(p);
      const jsonAt = p + ENTRY_ID_HEADER_BYTES + idLen + ENTRY_JSON_HEADER_BYTES;
      if (jsonAt > frameEnd) break;
      const jsonLen = buf.readUInt32LE(jsonAt - ENTRY_JSON_HEADER_BYTES);
      if (jsonAt + jsonLen > frameEnd) break;
      n++;
      p = jsonAt + jsonLen;
    }
    if (p !== frameEnd) return { used: off, count, needed: 0, corrupt: true };
    count += n;
    off = frameEnd;
  }
  const partialHeader = end - off > 0 && end - off < FRAME_HEADER_BYTES;
  return { used: off, count, needed: partialHeader ? FRAME_HEADER_BYTES : 0, corrupt: false };
}

/**
 * The records of the frames in `buf[0, used)`, which {@link scanFrames} found whole and valid;
 * they refer to `buf`, which must not change while they live.
 *
 * @example
 * const records = recordsOf(own, span.used);
 */
export function recordsOf(buf: Buffer, used: number): EncodedRecord[] {
  const records: EncodedRecord[] = [];
  let off = 0;
  while (off < used) {
    const frameEnd = off + FRAME_HEADER_BYTES + buf.readUInt32LE(off);
    entriesOf(buf, off + FRAME_HEADER_BYTES, frameEnd, records);
    off = frameEnd;
  }
  return records;
}

/**
 * Decodes whole frames from `buf[0, end)` until at least `maxRecords` records are out; the
 * records refer to `buf`.
 *
 * @example
 * decodeFrames(frame, frame.length, 1000).records[0].id; // 'a-0'
 */
export function decodeFrames(buf: Buffer, end: number, maxRecords: number): DecodedFrames {
  const span = scanFrames(buf, end, maxRecords);
  return {
    records: recordsOf(buf, span.used),
    used: span.used,
    needed: span.needed,
    corrupt: span.corrupt,
  };
}
