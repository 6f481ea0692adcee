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
 * Bytes of lines handed over at a time: a batch's body is compressed as it is written and never
 * exists whole (2 000 records are ~1 MB of JSON; two batches in flight held two such bodies).
 */
const CHUNK_BYTES = 128 << 10;
/** Spare chunks kept: one per batch in flight is what is needed. */
const MAX_SPARE_CHUNKS = 4;

/**
 * Chunk buffers for {@link idLineChunks}: an output that took a fresh buffer per batch would
 * leave one garbage buffer per batch, which V8 frees only at its next collection.
 */
export class ChunkPool {
  readonly #spare: Buffer[] = [];

  get(): Buffer {
    return this.#spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
  }

  put(chunk: Buffer): void {
    if (chunk.length === CHUNK_BYTES && this.#spare.length < MAX_SPARE_CHUNKS) {
      this.#spare.push(chunk);
    }
  }
}

/**
 * The body for `records` in pieces of about {@link CHUNK_BYTES}; each piece is a view of a
 * buffer the next piece overwrites, so it must be used (compressed, copied) before asking for
 * the next. A line longer than a chunk comes alone, in a buffer of its own.
 *
 * @example
 * const pieces = Array.from(idLineChunks(records), (c) => Buffer.from(c)); // copied as they come
 */
export function* idLineChunks(
  records: readonly AgentRecord[],
  pool: ChunkPool = new ChunkPool(),
): Generator<Buffer> {
  const chunk = pool.get();
  try {
    let p = 0;
    for (const r of records) {
      // An id JSON must escape (6 bytes a byte at most) makes an encoded record go as text.
      const most =
        r instanceof EncodedRecord
          ? r.end - r.at + 5 * (r.idEnd - r.at) + LINE_OVERHEAD_BYTES
          : 6 * r.id.length + 3 * r.json.length + LINE_OVERHEAD_BYTES;
      if (p + most > chunk.length && p > 0) {
        yield chunk.subarray(0, p);
        p = 0;
      }
      if (most > chunk.length) {
        const own = Buffer.allocUnsafe(most);
        yield own.subarray(0, writeLine(r, own, 0));
        continue;
      }
      p = writeLine(r, chunk, p);
    }
    if (p > 0) yield chunk.subarray(0, p);
  } finally {
    pool.put(chunk);
  }
}

function writeLine(r: AgentRecord, out: Buffer, p: number): number {
  return r instanceof EncodedRecord ? encodedLine(r, out, p) : textLine(r, out, p);
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
