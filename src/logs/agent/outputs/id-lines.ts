/**
 * @module
 * A batch as JSON lines, each document with its `_id` as the first key
 * (`{"_id":"…","@timestamp":…}\n`): the body of Vigil's native ingest API. Records the disk
 * buffer read as bytes are copied into the body as they are, without being decoded to text and
 * encoded again; other records are encoded from their text.
 */

import { EncodedRecord } from '../encoded-record.js';
import type { AgentRecord } from '../stage.js';

/** `{"_id":"`, `",` and the other bytes a line adds to an encoded record. */
const LINE_OVERHEAD_BYTES = 12;

/**
 * @example
 * idLines([{ id: 'a-1', json: '{"message":"hi"}' }]).toString(); // '{"_id":"a-1","message":"hi"}\n'
 */
export function idLines(records: readonly AgentRecord[]): Buffer {
  let size = 0;
  for (const r of records) {
    size +=
      r instanceof EncodedRecord
        ? r.end - r.at + LINE_OVERHEAD_BYTES
        : 6 * r.id.length + 3 * r.json.length + LINE_OVERHEAD_BYTES;
  }
  const out = Buffer.allocUnsafe(size);
  let p = 0;
  for (const r of records) {
    p = r instanceof EncodedRecord ? encodedLine(r, out, p) : textLine(r, out, p);
  }
  return out.subarray(0, p);
}

function textLine(r: AgentRecord, out: Buffer, p: number): number {
  const rest = r.json.length > 2 ? `,${r.json.slice(1)}` : '}';
  return p + out.write(`{"_id":${JSON.stringify(r.id)}${rest}\n`, p, 'utf8');
}

function encodedLine(r: EncodedRecord, out: Buffer, p: number): number {
  const buf = r.buf;
  const idStart = r.at + 2;
  const idEnd = r.idEnd;
  // Ids are base64url and digits; anything JSON would escape goes the text way.
  for (let i = idStart; i < idEnd; i++) {
    const b = buf[i]!;
    if (b < 0x20 || b > 0x7e || b === 0x22 || b === 0x5c) return textLine(r, out, p);
  }
  out[p++] = 0x7b; // {
  out[p++] = 0x22; // "
  out[p++] = 0x5f; // _
  out[p++] = 0x69; // i
  out[p++] = 0x64; // d
  out[p++] = 0x22; // "
  out[p++] = 0x3a; // :
  out[p++] = 0x22; // "
  for (let i = idStart; i < idEnd; i++) out[p++] = buf[i]!;
  out[p++] = 0x22; // "
  const jsonStart = idEnd + 4;
  const jsonEnd = jsonStart + buf.readUInt32LE(idEnd);
  if (jsonEnd - jsonStart > 2) {
    out[p++] = 0x2c; // ,
    p += buf.copy(out, p, jsonStart + 1, jsonEnd);
  } else {
    out[p++] = 0x7d; // }
  }
  out[p++] = 0x0a;
  return p;
}
