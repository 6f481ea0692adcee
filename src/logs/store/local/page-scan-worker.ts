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
import { decompress } from './segment-format.js';

const port = parentPort;
if (port === null) throw new Error('cannot start page-scan worker: not in a worker thread');
port.on('message', (req: ScanRequest) => {
  try {
    const transfer: TransferListItem[] = [];
    const pages = req.pages.map(({ packed, docs }) => {
      const raw = decompress(req.codec, packed, req.expected);
      const col = decodeColumn(raw, docs);
      if (col.findTokens === undefined || col.dict !== undefined) {
        // No byte search (a dictionary page): the page itself goes back. It is a view of
        // zlib's output chunk, which goes along whole; a small one may lie in Node's shared
        // pool, which stays here (it is copied).
        const chunk = raw.buffer as ArrayBuffer;
        if (chunk.byteLength > Buffer.poolSize && !transfer.includes(chunk)) transfer.push(chunk);
        return { raw, hits: undefined, ranges: undefined, bytes: undefined };
      }
      const hits = new Uint8Array(docs * req.tokens.length);
      req.tokens.forEach((t, k) => col.findTokens!([t], hits.subarray(k * docs, (k + 1) * docs)));
      // The string values of each marked document, copied out, for the filter to confirm it
      // from them: the page stays here (a reader of values decompresses it again), so the main
      // thread gets a few hundred bytes per page instead of ~160 KiB that its GC would count.
      const flat: number[] = [];
      const one: number[] = [];
      let size = 0;
      for (let i = 0; i < docs; i++) {
        let marked = false;
        for (let k = 0; k < req.tokens.length && !marked; k++) marked = hits[k * docs + i] === 1;
        if (!marked) continue;
        one.length = 0;
        stringRangesOf(col, i, one);
        flat.push(i, one.length / 2, ...one);
        for (let j = 0; j < one.length; j += 2) size += one[j + 1]! - one[j]!;
      }
      const ranges = Int32Array.from(flat);
      const bytes = new Uint8Array(size);
      let at = 0;
      for (let k = 0; k < ranges.length; k += 2 + 2 * ranges[k + 1]!) {
        for (let j = k + 2; j < k + 2 + 2 * ranges[k + 1]!; j += 2) {
          const [from, to] = [ranges[j]!, ranges[j + 1]!];
          bytes.set(raw.subarray(from, to), at);
          ranges[j] = at;
          ranges[j + 1] = at += to - from;
        }
      }
      transfer.push(hits.buffer as ArrayBuffer, ranges.buffer, bytes.buffer as ArrayBuffer);
      return { raw: undefined, hits, ranges, bytes };
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
