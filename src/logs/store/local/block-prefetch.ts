/**
 * @module
 * Reading a segment block ahead of the filter. While a search filters one block, the sections
 * the next few candidates will need are read and decompressed off the main thread, so with a
 * second core the main thread finds them ready instead of spending most of a block's time in
 * the decompressor. Pages searched for words go to the page-scan worker (`page-scan.ts`), which
 * also finds the words in them, so the filter takes its marks instead of searching the page;
 * other sections, and pages when that worker already has a search's worth queued, go to libuv's
 * thread pool (zlib's async API).
 *
 * What is read ahead: of the columns the search will look in, the pages (or the whole column)
 * whose blooms may hold every token, unless the column's frequent-token section holds one of
 * them (the filter then answers from that section, which is read here too). It is a guess at
 * what the filter reads: a section not read ahead is read when asked for, as without this, and
 * one read ahead for nothing costs another thread's time only.
 */

import type { FieldValue } from '../../model/fields.js';
import { PHRASE_MAYBE, PHRASE_NO, PHRASE_YES } from '../../query/filter.js';
import { bloomHas } from './bloom.js';
import { FrequentTokens } from './frequent-tokens.js';
import {
  type BlockMeta,
  type ColumnMeta,
  decodeSectionAsync,
  frequentSection,
  type Section,
} from './segment-format.js';
import { type MarkedDocs, type ScanPage, scanPages, scansInFlight } from './page-scan.js';
import { READ_AHEAD } from './search.js';
import { PAGE_OUT_BYTES } from './segment-block.js';
import type { ReadCounter, SegmentReader } from './segment-reader.js';
import { phraseInBytes } from './token-scan.js';

/**
 * Compressed bytes from which a section is decompressed ahead: a message page (~20 KiB) is, the
 * time section's ms part and dictionary columns (a few hundred bytes to a few KiB) are not.
 */
const ASYNC_MIN_BYTES = 8 * 1024;

/**
 * Scans in flight past which a block's pages go to libuv's pool instead (decompressed only, the
 * filter then searches them): one search's read-ahead keeps the scan worker and the waiting
 * main thread busy, and concurrent searches queued behind it would wait where the pool has
 * threads free.
 */
const SCAN_QUEUE = READ_AHEAD + 1;

/** Sections of one block read ahead, for {@link SegmentReader.block}. */
export class BlockPrefetch {
  /** By file offset: sections decompressed on the thread pool. */
  readonly sections = new Map<number, Buffer>();
  /**
   * By file offset: the bytes, as stored, of small sections read together
   * ({@link SegmentReader.readNear}): the head of the time section, frequent-token sections,
   * small whole columns.
   */
  readonly raw = new Map<number, Buffer>();
  /** The buffers {@link raw} lies in, given back to the pool by the block that takes them. */
  readonly buffers: Buffer[] = [];
  /** By file offset, frequent-token sections of {@link raw} as read (version 2 and later). */
  readonly frequent = new Map<number, FrequentTokens>();
  /** The words pages were scanned for ({@link scans}). */
  tokens: readonly string[] = [];
  /**
   * By file offset of a page, per word of {@link tokens}: its documents whose bytes may hold it
   * (`page-scan.ts`).
   */
  readonly scans = new Map<number, readonly Uint8Array[]>();
  /** By file offset of a scanned page, its marked documents (`page-scan.ts`). */
  readonly marked = new Map<number, MarkedDocs>();
  /** By file offset of a scanned page, its marked documents located ({@link #entry}). */
  readonly #located = new Map<number, MarkedIndex>();

  /** Where document `doc` lies in the marked documents of the page at `offset`. */
  #entry(offset: number, doc: number): { m: MarkedDocs; k: number; n: number } | undefined {
    const m = this.marked.get(offset);
    if (m === undefined) return undefined;
    let located = this.#located.get(offset);
    if (located === undefined) {
      located = { byDoc: new Map(), at: [] };
      const r = m.ranges;
      for (let k = 0; k < r.length; k += 2 + 2 * r[k + 1]!) {
        located.byDoc.set(r[k]!, located.at.length);
        located.at.push(k);
      }
      this.#located.set(offset, located);
    }
    const n = located.byDoc.get(doc);
    return n === undefined ? undefined : { m, k: located.at[n]!, n };
  }

  /**
   * Whether document `doc` of the page at `offset` holds `phrase` (`Column.phraseIn`), read
   * from its string values' bytes as the scan sent them: confirming a word's few documents
   * then decodes nothing. Undefined when the scan did not mark the document.
   */
  phraseIn(offset: number, doc: number, phrase: readonly Uint8Array[]): number | undefined {
    const e = this.#entry(offset, doc);
    if (e === undefined) return undefined;
    const r = e.m.ranges;
    let verdict = PHRASE_NO;
    for (let j = e.k + 2; j < e.k + 2 + 2 * r[e.k + 1]!; j += 2) {
      const v = phraseInBytes(e.m.bytes, r[j]!, r[j + 1]!, phrase);
      if (v === PHRASE_YES) return v;
      if (v === PHRASE_MAYBE) verdict = v;
    }
    return verdict;
  }

  /**
   * Document `doc`'s values in the page at `offset`, as the scan sent them; undefined when it
   * did not mark the document (the page is then read).
   */
  values(offset: number, doc: number): readonly FieldValue[] | undefined {
    const e = this.#entry(offset, doc);
    return e === undefined ? undefined : e.m.values[e.n];
  }

  /**
   * The documents of the page at `offset` that may hold one of `tokens`, or undefined when the
   * page was not scanned for all of them.
   */
  marks(offset: number, tokens: readonly string[]): Uint8Array | undefined {
    const per = this.scans.get(offset);
    if (per === undefined) return undefined;
    let out: Uint8Array | undefined;
    for (const t of tokens) {
      const k = this.tokens.indexOf(t);
      if (k < 0) return undefined;
      if (out === undefined) out = per[k]!;
      else {
        const or = new Uint8Array(out);
        const add = per[k]!;
        for (let i = 0; i < or.length; i++) or[i]! |= add[i]!;
        out = or;
      }
    }
    return out;
  }
}

/** A page's marked documents: by document, its number among them; by that, its `ranges` entry. */
interface MarkedIndex {
  readonly byDoc: Map<number, number>;
  readonly at: number[];
}

/** What a search looks for in a block: the columns, and the words every match holds. */
export interface PrefetchPlan {
  /** The block's columns (entries of its `cols`) the filter will read. */
  readonly cols: readonly ColumnMeta[];
  readonly tokens: readonly string[];
  /** {@link tokens} hashed (`bloom.ts` `hashKey`). */
  readonly hashes: readonly Uint32Array[];
  /**
   * The caller reads the ids and sources of the block's matches (`SearchRequest.sources`): the
   * block's small sections are read with the others, and the larger ones, when its pages go to
   * the page-scan worker, go with them to be decompressed there.
   */
  readonly sources?: boolean;
}

/**
 * Reads block `b`'s sections for `plan` (synchronously: they are nearly always in the page
 * cache) and decompresses them off the main thread, scanning pages for `plan.tokens`.
 *
 * @example
 * const ahead = await prefetchBlock(reader, 7, { cols, tokens: ['kraken'], hashes }, stats);
 * const block = reader.block(7, stats, hidden, ahead);
 */
export async function prefetchBlock(
  seg: SegmentReader,
  b: number,
  plan: PrefetchPlan,
  counter: ReadCounter,
): Promise<BlockPrefetch> {
  const out = new BlockPrefetch();
  // Version 1 segments keep the time section whole and compress frequent-token sections: they
  // are read when opened.
  if (seg.footer.version === 1) return out;
  const jobs: Promise<void>[] = [];
  const toScan: ScanPage[] = [];
  // What the block reads when opened and its filter reads first, in as few reads as the layout
  // allows: the ms, the frequent-token sections and the small whole columns (dictionaries).
  const near: Section[] = [seg.timeHeadSection(b)];
  const meta = seg.footer.blocks[b]!;
  const rest = plan.sources === true ? sourceSections(meta, plan.cols) : [];
  for (const s of rest) if (s[1] < ASYNC_MIN_BYTES) near.push(s);
  for (const c of plan.cols) {
    const freq = frequentSection(c);
    if (freq !== undefined) near.push(freq);
    if (c.length !== 8 && c[2] < ASYNC_MIN_BYTES) near.push([c[1], c[2]]);
  }
  seg.readNear(near, counter, out.raw, out.buffers);
  for (const c of plan.cols) {
    const freq = frequentSection(c);
    if (freq !== undefined) {
      const bytes = out.raw.get(freq[0])!;
      const frequent = new FrequentTokens(bytes, meta.count, 2);
      out.frequent.set(freq[0], frequent);
      if (anyFrequent(frequent, plan.tokens)) continue;
    }
    const pages = seg.pages(c);
    if (pages === undefined) {
      decompressAhead(seg, [c[1], c[2]], counter, out, jobs);
      continue;
    }
    for (const p of pages) {
      const bits = p.bloom[1] === 0 ? undefined : seg.columnBloom(p.bloom[0], p.bloom[1]);
      if (bits === undefined || hasAll(bits, plan.hashes)) {
        if (plan.tokens.length === 0 || scansInFlight() >= SCAN_QUEUE) {
          decompressAhead(seg, p.section, counter, out, jobs, PAGE_OUT_BYTES);
        } else {
          toScan.push({ section: p.section, docs: p.docs });
          counter.bytesRead += p.section[1];
        }
      }
    }
  }
  if (toScan.length > 0) {
    // One message for the block: the worker decompresses these while this thread works on
    // the blocks before, where the pool's asynchronous path cost ~100 µs of this thread a call.
    for (const s of rest) {
      if (s[1] >= ASYNC_MIN_BYTES) {
        toScan.push({ section: s, docs: 0, whole: true });
        counter.bytesRead += s[1];
      }
    }
    out.tokens = plan.tokens;
    jobs.push(
      scanPages(seg, toScan, plan.tokens, PAGE_OUT_BYTES).then((scanned) => {
        scanned.forEach(({ raw, hits, marked }, k) => {
          const offset = toScan[k]!.section[0];
          if (raw !== undefined) out.sections.set(offset, raw);
          if (hits !== undefined) out.scans.set(offset, hits);
          if (marked !== undefined) out.marked.set(offset, marked);
        });
      }),
    );
  }
  await Promise.all(jobs);
  return out;
}

// Helpers of prefetchBlock, not closures in it: it runs for every block a search reads.

/**
 * The sections of block `meta` that the ids and sources of its matches need and `cols` does
 * not read: its ids, its shapes, and its whole columns (pages aside: which one a match is in is
 * known only after the filter).
 */
function sourceSections(meta: BlockMeta, cols: readonly ColumnMeta[]): Section[] {
  const out: Section[] = [meta.ids, meta.shapes];
  for (const c of meta.cols) if (c.length !== 8 && !cols.includes(c)) out.push([c[1], c[2]]);
  return out;
}

/**
 * Reads section `s` and decompresses it on libuv's thread pool into `out.sections`, unless it
 * is small: that is left for the block to decompress when opened, as zlib's async path costs
 * the main thread ~100 µs a call (a stream, its events, a pool round trip), more than a small
 * section takes to decompress there.
 */
function decompressAhead(
  seg: SegmentReader,
  s: Section,
  counter: ReadCounter,
  out: BlockPrefetch,
  jobs: Promise<void>[],
  expected?: number,
): void {
  if (s[1] < ASYNC_MIN_BYTES) return;
  const packed = seg.readSection(s, counter);
  const { version, codec } = seg.footer;
  jobs.push(
    decodeSectionAsync(version, codec, packed, expected).then(
      (raw) => {
        out.sections.set(s[0], raw);
      },
      (err: unknown) => {
        throw seg.sectionError(s, err);
      },
    ),
  );
}

/** True when one of `tokens` is frequent in `frequent`. */
function anyFrequent(frequent: FrequentTokens, tokens: readonly string[]): boolean {
  for (const t of tokens) if (frequent.hasAll([t])) return true;
  return false;
}

/** True when the bloom `bits` may hold every token hashed into `hashes`. */
function hasAll(bits: Uint8Array, hashes: readonly Uint32Array[]): boolean {
  for (const h of hashes) if (!bloomHas(bits, h)) return false;
  return true;
}
