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

/** Sizes of pooled bodies are rounded up to this, so a spare one fits the next batch. */
const BODY_ROUNDING = 256 << 10;
/** Spare bodies kept: one per batch in flight is what is needed. */
const MAX_SPARE_BODIES = 4;

/**
 * Bodies for {@link idLines}, handed back once compressed: an output sending megabyte bodies
 * would otherwise leave one garbage buffer per batch, which V8 frees only at its next
 * collection.
 */
export class BodyPool {
  readonly #spare: Buffer[] = [];

  /** A buffer of at least `bytes`: a spare one or a new one. */
  get(bytes: number): Buffer {
    const i = this.#spare.findIndex((b) => b.length >= bytes);
    if (i !== -1) return this.#spare.splice(i, 1)[0]!;
    return Buffer.allocUnsafeSlow(Math.ceil(bytes / BODY_ROUNDING) * BODY_ROUNDING);
  }

  /** Hands back a body (or a view of one) that {@link get} gave; it must not be used after. */
  put(body: Buffer): void {
    if (this.#spare.length >= MAX_SPARE_BODIES) return;
    this.#spare.push(Buffer.from(body.buffer, 0, body.buffer.byteLength));
  }
}

/**
 * The body for `records`; from `pool` when given (hand it back with {@link BodyPool.put}).
 *
 * @example
 * idLines([{ id: 'a-1', json: '{"message":"hi"}' }]).toString(); // '{"_id":"a-1","message":"hi"}\n'
 */
export function idLines(records: readonly AgentRecord[], pool?: BodyPool): Buffer {
  let size = 0;
  for (const r of records) {
    size +=
      r instanceof EncodedRecord
        ? r.end - r.at + LINE_OVERHEAD_BYTES
        : 6 * r.id.length + 3 * r.json.length + LINE_OVERHEAD_BYTES;
  }
  const out = pool === undefined ? Buffer.allocUnsafe(size) : pool.get(size);
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
  const jsonEnd = r.end;
  if (jsonEnd - jsonStart > 2) {
    out[p++] = 0x2c; // ,
    p += buf.copy(out, p, jsonStart + 1, jsonEnd);
  } else {
    out[p++] = 0x7d; // }
  }
  out[p++] = 0x0a;
  return p;
}
