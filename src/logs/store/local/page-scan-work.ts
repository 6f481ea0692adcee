/**
 * @module
 * What a page scan does (`page-scan.ts`), on whichever thread runs it: the page-scan worker, or
 * the main thread when it takes a queued scan instead of waiting. Per page: decompress it, mark
 * for each word the documents whose bytes may hold it, as the filter would (`column.ts`
 * `findTokens`), and keep of the page only the marked documents' values and string bytes.
 */

import type { FieldValue } from '../../model/fields.js';
import type { Column } from '../../query/filter.js';
import { decodeColumn, stringRangesOf } from './column.js';
import type { Codec, Section } from './segment-format.js';
import { decodeScratch, readScratch, readSection } from './section-read.js';

/** A scan's input: pages of one column of a segment, and the words to look for. */
export interface ScanInput {
  /**
   * The segment's file, open (a descriptor is the process's, so any thread reads it), and its
   * path for errors: the pages are read here, not on the thread that plans the scan.
   */
  readonly fd: number;
  readonly path: string;
  /** The segment's format version and codec: how its sections are stored (`decodeSection`). */
  readonly version: number;
  readonly codec: Codec;
  /** Decompression output size to start with (`decompress`'s `expected`). */
  readonly expected: number;
  /** Lowercase ASCII words. */
  readonly tokens: readonly string[];
  /** Pages, and with `whole` other sections of the block only to decompress. */
  readonly pages: readonly {
    readonly section: Section;
    readonly docs: number;
    readonly whole?: boolean;
  }[];
}

/** One page's result, in the shape that crosses threads (typed arrays, plain values). */
export interface ScanOutput {
  /**
   * The decompressed section, only when it has no byte search: a dictionary page (every
   * document is a candidate, so the filter reads the page) or a `whole` section.
   */
  readonly raw: Uint8Array | undefined;
  /** Per word in order, `docs` bytes: 1 for a document whose bytes may hold it. */
  readonly hits: Uint8Array | undefined;
  /**
   * For each marked document, in order: its number in the page, how many string values it has,
   * then each one's `[start, end)` in {@link bytes}.
   */
  readonly ranges: Int32Array | undefined;
  /** The marked documents' string values, UTF-8, end to end. */
  readonly bytes: Uint8Array | undefined;
  /** Each marked document's values, in the order of {@link ranges}. */
  readonly values: FieldValue[][] | undefined;
}

/**
 * Scans `input`'s pages. A dictionary page's `raw` is the decompressor's output as it came: a
 * caller that sends it to another thread hands over its `buffer`.
 *
 * @example
 * const [page] = scanInput({ fd, path, version: 5, codec: 'brotli', expected, tokens, pages });
 */
export function scanInput(input: ScanInput): ScanOutput[] {
  const { tokens } = input;
  return input.pages.map(({ section, docs, whole }) => {
    const packed = readSection(input.fd, input.path, section, readScratch(section[1]));
    const raw = decodeScratch(input.version, input.codec, packed, input.expected);
    const col = whole === true ? undefined : decodeColumn(raw, docs);
    if (col?.findTokens === undefined || col.dict !== undefined) {
      return { raw, hits: undefined, ranges: undefined, bytes: undefined, values: undefined };
    }
    const hits = new Uint8Array(docs * tokens.length);
    tokens.forEach((t, k) => col.findTokens!([t], hits.subarray(k * docs, (k + 1) * docs)));
    return { raw: undefined, hits, ...marked(col, raw, docs, hits, tokens.length) };
  });
}

/**
 * The documents `hits` marks for some word: their string values' ranges, rebased into one
 * buffer of their bytes, and their values.
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

/** The message a failed scan reports, on either thread. */
export function scanError(err: unknown): string {
  return `cannot scan pages: ${err instanceof Error ? err.message : String(err)}`;
}
