/**
 * @module
 * The entry of the page-scan worker thread (started by `page-scan.ts`): per request, the scan of
 * `page-scan-work.ts`, replied with the pages of no byte search and the sections sent only to
 * decompress handed over, not copied (the rest is small).
 */

import { parentPort, type TransferListItem } from 'node:worker_threads';
import type { ScanReply, ScanRequest } from './page-scan.js';
import { scanError, scanInput } from './page-scan-work.js';

const port = parentPort;
if (port === null) throw new Error('cannot start page-scan worker: not in a worker thread');
port.on('message', (req: ScanRequest) => {
  try {
    const pages = scanInput(req);
    const transfer: TransferListItem[] = [];
    for (const { raw } of pages) {
      // A decompressed buffer is a view of zlib's output chunk, which goes along whole; a
      // small one may lie in Node's shared pool, which stays here (it is copied).
      const chunk = raw?.buffer as ArrayBuffer | undefined;
      if (chunk !== undefined && chunk.byteLength > Buffer.poolSize && !transfer.includes(chunk)) {
        transfer.push(chunk);
      }
    }
    const reply: ScanReply = { id: req.id, ok: true, pages };
    port.postMessage(reply, transfer);
  } catch (err) {
    port.postMessage({ id: req.id, ok: false, error: scanError(err) } satisfies ScanReply);
  }
});
