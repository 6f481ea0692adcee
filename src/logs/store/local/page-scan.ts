/**
 * @module
 * Decompressing and word-scanning a block's pages on a second core. A rare word's search reads
 * one page of messages per candidate block, and most of the work per block was that page's:
 * brotli (~0.35 ms for 128 KiB), then lowercasing it and searching it for the word
 * (`column.ts` `findTokens`). libuv's thread pool took the decompression only, at ~0.15 ms of
 * main-thread time per call (a zlib stream, its events and buffers per section); a worker thread
 * takes the page's compressed bytes in one message per block and returns, per page and word, the
 * documents whose bytes may hold it, with those documents' values and their strings' bytes: the
 * filter confirms them and a caller reads them without the page (`block-columns.ts`
 * {@link PagedColumn}). The page itself stays in the worker: sent back (transferred), each one
 * was ~160 KiB of external memory on the main thread, ~17 MB a rare-word search, and the
 * collections that pressure forced cost the main thread more than the search's own work.
 *
 * The thread runs `page-scan-worker.ts` (see `lib/worker/spawn.ts`), started on first use and
 * unref'd while idle, so an idle one never keeps the process alive. If it dies, the scans in
 * flight fail (the search then reads those pages itself) and the next scan starts a new one.
 */

import type { Worker } from 'node:worker_threads';
import type { FieldValue } from '../../model/fields.js';
import { spawnWorkerBeside } from '../../../lib/worker/spawn.js';
import type { Codec } from './segment-format.js';

/** One page to scan: its compressed bytes and how many documents it holds. */
export interface ScanPage {
  readonly packed: Buffer;
  readonly docs: number;
}

/**
 * The documents of a page that the scan marked for some word: what confirming them and reading
 * their values needs, without the page.
 */
export interface MarkedDocs {
  /**
   * For each marked document, in order: its number in the page, how many string values it has,
   * then each one's `[start, end)` in {@link bytes} (`column.ts` `stringRangesOf`).
   */
  readonly ranges: Int32Array;
  /** The marked documents' string values, UTF-8, end to end. */
  readonly bytes: Buffer;
  /** Each marked document's values, in the order of {@link ranges}. */
  readonly values: readonly (readonly FieldValue[])[];
}

/** A page, scanned. */
export interface ScannedPage {
  /**
   * The decompressed page, only when it has no byte search (a dictionary page: every document
   * is a candidate, so the filter reads the page).
   */
  readonly raw: Buffer | undefined;
  /**
   * Per word of the request, in its order, `docs` bytes: 1 for a document whose bytes may hold
   * the word (as `Column.findTokens` marks them); undefined for a page with no byte search.
   */
  readonly hits: readonly Uint8Array[] | undefined;
  /** The documents marked for some word; undefined for a page with no byte search. */
  readonly marked: MarkedDocs | undefined;
}

/** A request as the worker gets it. */
export interface ScanRequest {
  readonly id: number;
  /** The segment's format version and codec: how its sections are stored (`decodeSection`). */
  readonly version: number;
  readonly codec: Codec;
  /** Decompression output size to start with (`decompress`'s `expected`). */
  readonly expected: number;
  readonly tokens: readonly string[];
  readonly pages: readonly { packed: Uint8Array; docs: number }[];
}

/** The worker's answer. */
export type ScanReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly pages: readonly {
        raw: Uint8Array | undefined;
        hits: Uint8Array | undefined;
        ranges: Int32Array | undefined;
        bytes: Uint8Array | undefined;
        values: FieldValue[][] | undefined;
      }[];
    }
  | { readonly id: number; readonly ok: false; readonly error: string };

interface Pending {
  resolve(pages: ScannedPage[]): void;
  reject(err: Error): void;
  readonly tokens: number;
  readonly docs: readonly number[];
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function ensureWorker(): Worker {
  if (worker !== undefined) return worker;
  const w = spawnWorkerBeside(import.meta.url, 'page-scan-worker');
  w.on('message', (r: ScanReply) => settle(r));
  const fail = (err: Error) => {
    if (worker === w) worker = undefined;
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(err);
    }
  };
  w.on('error', (err) => fail(new Error(`cannot scan pages: ${err.message}`, { cause: err })));
  w.on('exit', (code) => fail(new Error(`cannot scan pages: worker exited with code ${code}`)));
  worker = w;
  return w;
}

function settle(r: ScanReply): void {
  const p = pending.get(r.id);
  if (p === undefined) return;
  pending.delete(r.id);
  if (pending.size === 0) worker?.unref();
  if (!r.ok) {
    p.reject(new Error(r.error));
    return;
  }
  p.resolve(
    r.pages.map((page, k) => {
      const docs = p.docs[k]!;
      const all = page.hits;
      return {
        raw: page.raw === undefined ? undefined : asBuffer(page.raw),
        hits:
          all === undefined
            ? undefined
            : Array.from({ length: p.tokens }, (_, t) => all.subarray(t * docs, (t + 1) * docs)),
        marked:
          page.ranges === undefined || page.bytes === undefined || page.values === undefined
            ? undefined
            : { ranges: page.ranges, bytes: asBuffer(page.bytes), values: page.values },
      };
    }),
  );
}

function asBuffer(a: Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Scans posted and not answered yet: what a new one would queue behind. */
export function scansInFlight(): number {
  return pending.size;
}

/**
 * Decompresses `pages` (sections of one column of a segment of `version` and `codec`) and finds in each the documents that
 * may hold each of `tokens` (lowercase ASCII words), on the worker thread. The compressed
 * buffers are handed over to the worker: the caller must not use them after.
 *
 * @example
 * const [page] = await scanPages(3, 'brotli', [{ packed, docs: 512 }], ['kraken'], 160 * 1024);
 * page.hits?.[0]; // documents of the page that may hold `kraken`
 */
export function scanPages(
  version: number,
  codec: Codec,
  pages: readonly ScanPage[],
  tokens: readonly string[],
  expected: number,
): Promise<ScannedPage[]> {
  return new Promise((resolve, reject) => {
    const w = ensureWorker();
    const id = nextId++;
    pending.set(id, { resolve, reject, tokens: tokens.length, docs: pages.map((p) => p.docs) });
    w.ref();
    const req: ScanRequest = {
      id,
      version,
      codec,
      expected,
      tokens,
      pages: pages.map((p) => ({ packed: p.packed, docs: p.docs })),
    };
    // A buffer of its own (not a slice of a pooled one) is handed over without a copy.
    const transfer = pages
      .filter(
        (p) => p.packed.byteOffset === 0 && p.packed.byteLength === p.packed.buffer.byteLength,
      )
      .map((p) => p.packed.buffer as ArrayBuffer);
    w.postMessage(req, transfer);
  });
}
