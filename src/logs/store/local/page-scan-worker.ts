/**
 * @module
 * The entry of the page-scan worker thread (started by `page-scan.ts`): per request, it
 * decompresses each page, and for each word marks the documents whose bytes may hold it, as the
 * filter on the main thread would (`column.ts` `findTokens`); it replies with the marks and the
 * marked documents' values and string bytes, not the pages (see `page-scan.ts`).
 */

import { parentPort, type TransferListItem } from 'node:worker_threads';
import type { FieldValue } from '../../model/fields.js';
import type { Column } from '../../query/filter.js';
import { decodeColumn, stringRangesOf } from './column.js';
import type { ScanReply, ScanRequest } from './page-scan.js';
import { decodeSection } from './segment-format.js';

type ReplyPage = Extract<ScanReply, { ok: true }>['pages'][number];

const port = parentPort;
if (port === null) throw new Error('cannot start page-scan worker: not in a worker thread');
port.on('message', (req: ScanRequest) => {
  try {
    const transfer: TransferListItem[] = [];
    const pages = req.pages.map(({ packed, docs }): ReplyPage => {
      const raw = decodeSection(req.version, req.codec, packed, req.expected);
      const col = decodeColumn(raw, docs);
      if (col.findTokens === undefined || col.dict !== undefined) {
        // A decompressed buffer is a view of zlib's output chunk, which goes along whole; a
        // small one may lie in Node's shared pool, which stays here (it is copied).
        const chunk = raw.buffer as ArrayBuffer;
        if (chunk.byteLength > Buffer.poolSize && !transfer.includes(chunk)) transfer.push(chunk);
        return { raw, hits: undefined, ranges: undefined, bytes: undefined, values: undefined };
      }
      const hits = new Uint8Array(docs * req.tokens.length);
      req.tokens.forEach((t, k) => col.findTokens!([t], hits.subarray(k * docs, (k + 1) * docs)));
      return { raw: undefined, hits, ...marked(col, raw, docs, hits, req.tokens.length) };
    });
    const reply: ScanReply = { id: req.id, ok: true, pages };
    port.postMessage(reply, transfer);
  } catch (err) {
    const reply: ScanReply = {
      id: req.id,
      ok: false,
      error: `cannot scan pages: ${err instanceof Error ? err.message : String(err)}`,
    };
    port.postMessage(reply);
  }
});

/**
 * The documents `hits` marks for some word: their string values' ranges, rebased into one
 * buffer of their bytes, and their values. Small: copied with the reply, not transferred.
 */
function marked(
  col: Column,
  raw: Buffer,
  docs: number,
  hits: Uint8Array,
  words: number,
): { ranges: Int32Array; bytes: Uint8Array; values: FieldValue[][] } {
  const flat: number[] = [];
  const one: number[] = [];
  const values: FieldValue[][] = [];
  let size = 0;
  for (let i = 0; i < docs; i++) {
    let hit = false;
    for (let k = 0; k < words && !hit; k++) hit = hits[k * docs + i] === 1;
    if (!hit) continue;
    one.length = 0;
    stringRangesOf(col, i, one);
    flat.push(i, one.length / 2, ...one);
    for (let j = 0; j < one.length; j += 2) size += one[j + 1]! - one[j]!;
    values.push([...col.values(i)]);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (let k = 0; k < flat.length; k += 2 + 2 * flat[k + 1]!) {
    for (let j = k + 2; j < k + 2 + 2 * flat[k + 1]!; j += 2) {
      const start = flat[j]!;
      const end = flat[j + 1]!;
      bytes.set(raw.subarray(start, end), at);
      flat[j] = at;
      at += end - start;
      flat[j + 1] = at;
    }
  }
  return { ranges: Int32Array.from(flat), bytes, values };
}
