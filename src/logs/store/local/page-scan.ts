/**
 * @module
 * Decompressing and word-scanning a block's pages on a second core. A rare word's search reads
 * one page of messages per candidate block, and most of the work per block was that page's:
 * brotli (~0.35 ms for 128 KiB), then lowercasing it and searching it for the word
 * (`column.ts` `findTokens`). libuv's thread pool took the decompression only, at ~0.15 ms of
 * main-thread time per call (a zlib stream, its events and buffers per section); a worker thread
 * is told where a block's pages lie in one message per block, reads and decompresses them, and
 * returns, per page and word, the documents whose bytes may hold it, with those documents'
 * values and their strings' bytes: the filter confirms them and a caller reads them without the
 * page (`block-columns.ts` {@link PagedColumn}). For a search that returns its hits' sources,
 * the block's other large sections go along, only to be decompressed and handed back
 * ({@link ScanPage.whole}). The page itself stays in the worker: sent back (transferred), each
 * one was ~160 KiB of external memory on the main thread, ~17 MB a rare-word search, and the
 * collections that pressure forced cost the main thread more than the search's own work.
 *
 * Scans wait in a queue on the main thread, and the worker is given {@link POSTED} at a time. A
 * search waiting for its read-ahead takes the first queued scan and runs it itself
 * ({@link scanHere}) rather than sit idle: a rare word's pages were ~75 % of the search's CPU, all
 * on the worker, while the main thread waited for it most of the time.
 *
 * The thread runs `page-scan-worker.ts` (see `lib/worker/spawn.ts`), started on first use and
 * unref'd while idle, so an idle one never keeps the process alive. If it dies, the scans posted
 * to it fail (the search then reads those pages itself) and the next scan starts a new one.
 */

import type { Worker } from 'node:worker_threads';
import { spawnWorkerBeside } from '../../../lib/worker/spawn.js';
import type { FieldValue } from '../../model/fields.js';
import { type ScanInput, type ScanOutput, scanError, scanInput } from './page-scan-work.js';
import type { Codec, Section } from './segment-format.js';

/**
 * One page to scan: where it lies in the segment and how many documents it holds; or with
 * `whole`, another section of the block, only to decompress (returned as
 * {@link ScannedPage.raw}).
 */
export interface ScanPage {
  readonly section: Section;
  readonly docs: number;
  readonly whole?: boolean;
}

/**
 * The segment a scan reads its pages from (a `SegmentReader`): held ({@link retain}) from the
 * scan's start to its end, so that its file stays open while another thread reads it.
 */
export interface ScanFile {
  readonly path: string;
  readonly fd: number;
  readonly footer: { readonly version: number; readonly codec: Codec };
  retain(): void;
  release(): void;
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
   * The decompressed section, only when it has no byte search: a dictionary page (every
   * document is a candidate, so the filter reads the page) or a `whole` section.
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
export interface ScanRequest extends ScanInput {
  readonly id: number;
}

/** The worker's answer. */
export type ScanReply =
  | { readonly id: number; readonly ok: true; readonly pages: readonly ScanOutput[] }
  | { readonly id: number; readonly ok: false; readonly error: string };

/**
 * Scans the worker holds at once: the one it works on and the next, so that it never waits for
 * the main thread between two; the rest stay queued here, where a waiting search can take them.
 */
const POSTED = 2;

/** A scan not finished: queued, or posted to the worker. */
class Scan {
  constructor(
    readonly req: ScanRequest,
    readonly resolve: (pages: ScannedPage[]) => void,
    readonly reject: (err: Error) => void,
  ) {}

  settle(pages: readonly ScanOutput[]): void {
    const tokens = this.req.tokens.length;
    this.resolve(
      pages.map((page, k) => {
        const docs = this.req.pages[k]!.docs;
        const all = page.hits;
        return {
          raw: page.raw === undefined ? undefined : asBuffer(page.raw),
          hits:
            all === undefined
              ? undefined
              : Array.from({ length: tokens }, (_, t) => all.subarray(t * docs, (t + 1) * docs)),
          marked:
            page.ranges === undefined || page.bytes === undefined || page.values === undefined
              ? undefined
              : { ranges: page.ranges, bytes: asBuffer(page.bytes), values: page.values },
        };
      }),
    );
  }
}

let worker: Worker | undefined;
/** Scans not posted yet, oldest first. */
const queued: Scan[] = [];
/** Scans posted to the worker, by request id. */
const posted = new Map<number, Scan>();
let nextId = 1;

function ensureWorker(): Worker {
  if (worker !== undefined) return worker;
  const w = spawnWorkerBeside(import.meta.url, 'page-scan-worker');
  w.on('message', (r: ScanReply) => settle(r));
  const fail = (err: Error) => {
    if (worker === w) worker = undefined;
    for (const [id, scan] of posted) {
      posted.delete(id);
      scan.reject(err);
    }
    post();
  };
  w.on('error', (err) => fail(new Error(`cannot scan pages: ${err.message}`, { cause: err })));
  w.on('exit', (code) => fail(new Error(`cannot scan pages: worker exited with code ${code}`)));
  worker = w;
  return w;
}

/** Hands queued scans to the worker while it holds fewer than {@link POSTED}. */
function post(): void {
  while (posted.size < POSTED && queued.length > 0) {
    const scan = queued.shift()!;
    const w = ensureWorker();
    posted.set(scan.req.id, scan);
    w.ref();
    w.postMessage(scan.req);
  }
  if (posted.size === 0) worker?.unref();
}

function settle(r: ScanReply): void {
  const scan = posted.get(r.id);
  if (scan === undefined) return;
  posted.delete(r.id);
  post();
  if (r.ok) scan.settle(r.pages);
  else scan.reject(new Error(r.error));
}

function asBuffer(a: Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Scans queued or posted and not answered yet: what a new one would wait behind. */
export function scansInFlight(): number {
  return queued.length + posted.size;
}

/**
 * Runs the oldest queued scan on this thread, now; false when none is queued. For a search
 * waiting for its read-ahead: the work is the same wherever it runs, and this thread is idle.
 *
 * @example
 * while (!ready && scanHere()) await new Promise((r) => setImmediate(r));
 */
export function scanHere(): boolean {
  const scan = queued.shift();
  if (scan === undefined) return false;
  let pages: ScanOutput[];
  try {
    pages = scanInput(scan.req);
  } catch (err) {
    scan.reject(new Error(scanError(err), { cause: err }));
    return true;
  }
  scan.settle(pages);
  return true;
}

/**
 * Reads and decompresses `pages` (sections of one column of segment `file`) and finds in each
 * the documents that may hold each of `tokens` (lowercase ASCII words), on the worker thread,
 * or on this one if it gets to it first ({@link scanHere}). The worker reads the pages from
 * the file itself: sent from here, each page was a read, a buffer and a transfer on this
 * thread, the one a search waits on.
 *
 * @example
 * const [page] = await scanPages(seg, [{ section, docs: 512 }], ['kraken'], 160 * 1024);
 * page.hits?.[0]; // documents of the page that may hold `kraken`
 */
export function scanPages(
  file: ScanFile,
  pages: readonly ScanPage[],
  tokens: readonly string[],
  expected: number,
): Promise<ScannedPage[]> {
  file.retain();
  const scan = new Promise<ScannedPage[]>((resolve, reject) => {
    const req: ScanRequest = {
      id: nextId++,
      fd: file.fd,
      path: file.path,
      version: file.footer.version,
      codec: file.footer.codec,
      expected,
      tokens,
      pages: pages.map((p) => ({ section: p.section, docs: p.docs, whole: p.whole === true })),
    };
    queued.push(new Scan(req, resolve, reject));
    post();
  });
  return scan.finally(() => file.release());
}
