/**
 * @module
 * Records held as UTF-8 bytes rather than JavaScript strings. The tail input writes its records
 * straight into bytes and the disk buffer hands out what it read from its chunks as bytes, so a
 * line goes from the file to the request body without a per-line string: no decoding, no
 * re-encoding, far less garbage. Stages that want text (filters, most outputs) read
 * {@link EncodedRecord.id} and {@link EncodedRecord.json}, which decode on each call.
 *
 * An entry has the layout of a record in a buffer frame (`buffer/chunk-format.ts`):
 * `u16le id length | id | u32le JSON length | JSON`, so records written one after another into
 * one buffer go into a frame with one copy.
 */

import type { AgentRecord } from './stage.js';

/** Bytes before an entry's id and between its id and its JSON. */
export const ENTRY_ID_HEADER_BYTES = 2;
export const ENTRY_JSON_HEADER_BYTES = 4;

/**
 * One record whose entry starts at `buf[at]`. The bytes must not change while the record lives:
 * producers give each batch a buffer of its own.
 */
export class EncodedRecord implements AgentRecord {
  readonly buf: Buffer;
  /** Offset of the entry (its id length). */
  readonly at: number;
  /** Offset just past the id. */
  readonly idEnd: number;
  /** Offset just past the entry (and its JSON text). */
  readonly end: number;

  /** The entry at `buf[at]`, which must be whole. */
  constructor(buf: Buffer, at: number) {
    this.buf = buf;
    this.at = at;
    this.idEnd = at + ENTRY_ID_HEADER_BYTES + (buf[at]! | (buf[at + 1]! << 8));
    const j = this.idEnd;
    // u32le, read inline: this runs for every record read.
    const jsonLen = (buf[j]! | (buf[j + 1]! << 8) | (buf[j + 2]! << 16)) + buf[j + 3]! * 0x1000000;
    this.end = j + ENTRY_JSON_HEADER_BYTES + jsonLen;
  }

  /** Offset of the JSON text's first byte. */
  get jsonStart(): number {
    return this.idEnd + ENTRY_JSON_HEADER_BYTES;
  }

  get id(): string {
    return this.buf.toString('utf8', this.at + ENTRY_ID_HEADER_BYTES, this.idEnd);
  }

  get json(): string {
    return this.buf.toString('utf8', this.jsonStart, this.end);
  }
}

/**
 * Appends to `out` a record for each entry in `buf[start, end)`, which must be whole, valid
 * entries.
 *
 * @example
 * const records: EncodedRecord[] = [];
 * entriesOf(frame, 8, frame.length, records); // the records of one frame, past its header
 */
export function entriesOf(buf: Buffer, start: number, end: number, out: EncodedRecord[]): void {
  let p = start;
  while (p < end) {
    const r = new EncodedRecord(buf, p);
    out.push(r);
    p = r.end;
  }
}
