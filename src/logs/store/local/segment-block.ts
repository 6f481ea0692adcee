/**
 * @module
 * One block of a segment as a search reads it (`segment-reader.ts` opens the segment): the ms of
 * its documents when opened, every other section on first use, from what was read ahead
 * (`block-prefetch.ts`) when it was. Arrays and buffers it holds go back to pools on release.
 */

import type { FieldValue } from '../../model/fields.js';
import type { Column, Columns } from '../../query/filter.js';
import { FrequentTokenColumn, PagedColumn, type PageSource } from './block-columns.js';
import type { BlockPrefetch } from './block-prefetch.js';
import { type CodeArrays, decodeColumn } from './column.js';
import { FrequentTokens } from './frequent-tokens.js';
import { giveBack } from './section-pool.js';
import {
  BLOCK_DOCS,
  decodeSection,
  decompress,
  frequentSection,
  type Page,
  PAGE_BYTES,
  type Section,
} from './segment-format.js';
import type { ReadCounter, SegmentReader } from './segment-reader.js';
import { rebuildSource } from './shape.js';
import { decodeTimeColumn, KIND_TIME } from './time-column.js';
import { decodeMs, decodeTimes } from './time-section.js';

/**
 * One block of a segment, loaded lazily. Valid while its reader is retained.
 *
 * @example
 * const block = seg.block(0, { bytesRead: 0 });
 * block.column('kubernetes.namespace')?.values(0);
 */
export class SegmentBlock implements Columns, CodeArrays {
  readonly length: number;
  readonly ms: Float64Array;
  #ns: Int32Array | undefined;
  /** Where the time section's ns part is, for {@link ns}. */
  #nsAt: Section | undefined;
  readonly #seg: SegmentReader;
  readonly #b: number;
  readonly #counter: ReadCounter;
  readonly #hidden: ReadonlySet<string> | undefined;
  /** Sections read and decompressed ahead ({@link BlockPrefetch}), used instead of reading. */
  readonly #ahead: BlockPrefetch | undefined;
  readonly #cols = new Map<number, Column>();
  /** Frequent-token sections in pooled buffers, given back on {@link release}. */
  readonly #pooled: Buffer[] = [];
  /** Dictionary codes in arrays of {@link codesPool}, given back on {@link release}. */
  readonly #codes: Uint8Array[] = [];
  #released = false;
  #ids: Column | undefined;
  #shapes: Column | undefined;
  #paths: string[] | undefined;

  constructor(
    seg: SegmentReader,
    b: number,
    counter: ReadCounter,
    hidden?: ReadonlySet<string>,
    ahead?: BlockPrefetch,
  ) {
    this.#seg = seg;
    this.#b = b;
    this.#counter = counter;
    this.#hidden = hidden;
    this.#ahead = ahead;
    if (ahead !== undefined) {
      // Its buffers now live as long as this block: the sections read ahead lie in them.
      this.#pooled.push(...ahead.buffers);
      ahead.buffers.length = 0;
    }
    const meta = seg.footer.blocks[b]!;
    this.length = meta.count;
    this.ms =
      meta.count === BLOCK_DOCS
        ? (msPool.pop() ?? new Float64Array(BLOCK_DOCS))
        : new Float64Array(meta.count);
    const f = seg.footer;
    if (f.version === 1) {
      this.#ns = new Int32Array(meta.count);
      decodeTimes(seg.loadSection(meta.time, counter), 0, this.ms, this.#ns, seg.path);
    } else {
      // The ms part only; the ns part is read when asked for.
      const { packed, nsAt } = seg.timeHead(b, counter, ahead?.raw.get(meta.time[0]));
      if (f.version === 2)
        decodeTimes(decompress(f.codec, packed), 0, this.ms, undefined, seg.path);
      else decodeMs(decodeSection(f.version, f.codec, packed), this.ms, seg.path);
      this.#nsAt = nsAt;
    }
  }

  /**
   * The ns of each document, decoded on first use: aggregations and histograms, which read
   * every block of their range, need only the ms.
   */
  get ns(): Int32Array {
    if (this.#ns === undefined) {
      this.#ns = new Int32Array(this.length);
      const at = this.#nsAt!;
      if (at[1] > 0) {
        const bytes = this.#seg.readSection(at, this.#counter);
        decodeTimes(bytes, 0, undefined, this.#ns, this.#seg.path);
      }
    }
    return this.#ns;
  }

  /**
   * Gives {@link ms} back for the next block to decode its times into: a search over a day's
   * blocks otherwise allocates (and zeroes, and collects) 64 KiB per block. The block must not
   * be used after.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.ms.length === BLOCK_DOCS && msPool.length < MS_POOL) msPool.push(this.ms);
    for (const b of this.#pooled) giveBack(b);
    this.#pooled.length = 0;
    for (const c of this.#codes) if (codesPool.length < CODES_POOL) codesPool.push(c);
    this.#codes.length = 0;
  }

  paths(): readonly string[] {
    if (this.#paths === undefined) {
      const all = this.#seg.footer.paths;
      this.#paths = this.#seg.footer.blocks[this.#b]!.cols.map(([pi]) => all[pi]!);
      if (this.#hidden !== undefined && this.#hidden.size > 0) {
        this.#paths = this.#paths.filter((p) => !this.#hidden!.has(p));
      }
    }
    return this.#paths;
  }

  column(path: string): Column | undefined {
    if (this.#hidden?.has(path)) return undefined;
    return this.#column(path);
  }

  #column(path: string): Column | undefined {
    const pi = this.#seg.pathIndex.get(path);
    if (pi === undefined) return undefined;
    let col = this.#cols.get(pi);
    if (col !== undefined) return col;
    const entry = this.#seg.footer.blocks[this.#b]!.cols.find(([p]) => p === pi);
    if (entry === undefined) return undefined;
    const seg = this.#seg;
    const freq = frequentSection(entry);
    const v1 = seg.footer.version === 1;
    const frequent =
      freq &&
      (() =>
        v1
          ? new FrequentTokens(seg.loadSection(freq, this.#counter), this.length, 1)
          : (this.#ahead?.frequent.get(freq[0]) ??
            new FrequentTokens(this.#frequentBytes(freq), this.length, 2)));
    const pages = seg.pages(entry);
    if (pages !== undefined) {
      col = new PagedColumn(new BlockPages(pages, seg, this, this.#ahead), frequent);
    } else if (frequent) {
      col = new FrequentTokenColumn(
        () => this.loadColumn([entry[1], entry[2]], this.length),
        frequent,
      );
    } else col = this.loadColumn([entry[1], entry[2]], this.length);
    this.#cols.set(pi, col);
    return col;
  }

  /**
   * @internal Decodes the column (or page) of `docs` documents at `s`, decompressed ahead or
   * now; `expected`: about how many bytes it decompresses to.
   */
  loadColumn(s: Section, docs: number, expected?: number): Column {
    const bytes = this.#decode(s, expected);
    return bytes[0] === KIND_TIME
      ? decodeTimeColumn(bytes, this.ms, this.ns)
      : decodeColumn(bytes, docs, this);
  }

  /**
   * @internal `n` bytes for a dictionary column's codes (`decodeColumn`), from {@link codesPool} for a
   * whole block, given back on {@link release}: a histogram decodes a dictionary column in every
   * block, and 8 KiB arrays each, allocated and collected, cost it more than unpacking them.
   */
  codeArray(n: number): Uint8Array {
    if (n !== BLOCK_DOCS) return new Uint8Array(n);
    const codes = codesPool.pop() ?? new Uint8Array(BLOCK_DOCS);
    this.#codes.push(codes);
    return codes;
  }

  /** Section `s` decompressed: ahead, from its bytes read ahead, or now. */
  #decode(s: Section, expected?: number): Buffer {
    const done = this.#ahead?.sections.get(s[0]);
    if (done !== undefined) return done;
    const read = this.#ahead?.raw.get(s[0]);
    if (read === undefined) return this.#seg.loadSection(s, this.#counter, expected);
    const f = this.#seg.footer;
    // A stored section stays in the read-ahead buffer, which lives as long as this block.
    return decodeSection(f.version, f.codec, read, expected);
  }

  /** A frequent-token section's bytes, read ahead or now; given back to the pool on release. */
  #frequentBytes(s: Section): Buffer {
    const ahead = this.#ahead?.raw.get(s[0]);
    if (ahead !== undefined) return ahead;
    const bytes = this.#seg.readFrequent(s, this.#counter);
    this.#pooled.push(bytes);
    return bytes;
  }

  id(i: number): string {
    return this.ids().values(i)[0] as string;
  }

  /** The ids' column: one string per document. */
  ids(): Column {
    return (this.#ids ??= decodeColumn(
      this.#decode(this.#seg.footer.blocks[this.#b]!.ids),
      this.length,
    ));
  }

  values(i: number, path: string): readonly FieldValue[] {
    return this.#column(path)?.values(i) ?? [];
  }

  source(i: number): Record<string, unknown> {
    this.#shapes ??= decodeColumn(
      this.#decode(this.#seg.footer.blocks[this.#b]!.shapes),
      this.length,
    );
    const taken = new Map<string, number>();
    return rebuildSource(this.#shapes.values(i)[0] as string, (p) => {
      const k = taken.get(p) ?? 0;
      taken.set(p, k + 1);
      return this.#column(p)!.values(i)[k]!;
    });
  }
}

/**
 * The pages of one block's paged column, for its {@link PagedColumn}: blooms from the segment,
 * pages and the page scan's marks from what was read ahead, or read now. A class rather than
 * closures: a search over a day's blocks makes one per block.
 */
class BlockPages implements PageSource {
  readonly pages: readonly Page[];
  readonly #seg: SegmentReader;
  readonly #block: SegmentBlock;
  readonly #ahead: BlockPrefetch | undefined;

  constructor(
    pages: readonly Page[],
    seg: SegmentReader,
    block: SegmentBlock,
    ahead: BlockPrefetch | undefined,
  ) {
    this.pages = pages;
    this.#seg = seg;
    this.#block = block;
    this.#ahead = ahead;
  }

  bits(k: number): Uint8Array | undefined {
    const [off, len] = this.pages[k]!.bloom;
    return len === 0 ? undefined : this.#seg.columnBloom(off, len);
  }

  load(k: number): Column {
    const p = this.pages[k]!;
    return this.#block.loadColumn(p.section, p.docs, PAGE_OUT_BYTES);
  }

  marks(k: number, tokens: readonly string[]): Uint8Array | undefined {
    return this.#ahead?.marks(this.pages[k]!.section[0], tokens);
  }

  phraseIn(k: number, i: number, phrase: readonly Uint8Array[]): number | undefined {
    return this.#ahead?.phraseIn(this.pages[k]!.section[0], i, phrase);
  }

  values(k: number, i: number): readonly FieldValue[] | undefined {
    return this.#ahead?.values(this.pages[k]!.section[0], i);
  }
}

/**
 * Output buffer for the decompression of a page of a segment before version 4, whose sections
 * do not give their length: pages are cut by document count at about {@link PAGE_BYTES} of
 * strings, so most fit; a larger one gets a second chunk.
 */
export const PAGE_OUT_BYTES = PAGE_BYTES + PAGE_BYTES / 4;

/**
 * Times arrays of released blocks ({@link SegmentBlock.release}). A search holds a few blocks
 * at once (its open cursors, its read-ahead), and concurrent searches a few more.
 */
const msPool: Float64Array[] = [];
const MS_POOL = 16;

/** Code arrays of released blocks' dictionary columns ({@link SegmentBlock.release}). */
const codesPool: Uint8Array[] = [];
const CODES_POOL = 64;
