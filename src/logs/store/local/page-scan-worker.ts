/**
 * @module
 * The entry of the page-scan worker thread (started by `page-scan.ts`): per request, it
 * decompresses each page, and for each word marks the documents whose bytes may hold it, as the
 * filter on the main thread would (`column.ts` `findTokens`); it replies with the pages and the
 * marks, handing the buffers over instead of copying them.
 */

import { parentPort, type TransferListItem } from 'node:worker_threads';
import { decodeColumn, stringRangesOf } from './column.js';
import type { ScanReply, ScanRequest } from './page-scan.js';
import { decodeSection } from './segment-format.js';

const port = parentPort;
if (port === null) throw new Error('cannot start page-scan worker: not in a worker thread');
port.on('message', (req: ScanRequest) => {
  try {
    const transfer: TransferListItem[] = [];
    const pages = req.pages.map(({ packed, docs }) => {
      const raw = decodeSection(req.version, req.codec, packed, req.expected);
      // A decompressed buffer is a view of zlib's output chunk, which goes along whole; a small
      // one may lie in Node's shared pool, which stays here (it is copied).
      const chunk = raw.buffer as ArrayBuffer;
      if (chunk.byteLength > Buffer.poolSize && !transfer.includes(chunk)) transfer.push(chunk);
      const col = decodeColumn(raw, docs);
      if (col.findTokens === undefined || col.dict !== undefined) {
        return { raw, hits: undefined, ranges: undefined };
      }
      const hits = new Uint8Array(docs * req.tokens.length);
      req.tokens.forEach((t, k) => col.findTokens!([t], hits.subarray(k * docs, (k + 1) * docs)));
      transfer.push(hits.buffer as ArrayBuffer);
      // The string values of each marked document, for the filter to confirm it from the bytes.
      const flat: number[] = [];
      const one: number[] = [];
      for (let i = 0; i < docs; i++) {
        let marked = false;
        for (let k = 0; k < req.tokens.length && !marked; k++) marked = hits[k * docs + i] === 1;
        if (!marked) continue;
        one.length = 0;
        stringRangesOf(col, i, one);
        flat.push(i, one.length / 2, ...one);
      }
      const ranges = Int32Array.from(flat);
      transfer.push(ranges.buffer);
      return { raw, hits, ranges };
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
