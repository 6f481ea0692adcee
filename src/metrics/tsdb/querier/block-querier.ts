/**
 * @module
 * Reads one persisted block: matchers → the block index's postings → series whose chunks
 * overlap the range, in the index's order (which is label order). Chunks are read and decoded
 * only when an iterator reaches them; samples deleted by tombstones are skipped.
 */

import type { Matcher } from '../../model/matcher.js';
import type { Querier, SampleIterator, Series, SeriesSet } from '../../storage/interface.js';
import { ListSeriesSet } from '../../storage/series-list.js';
import type { Block } from '../block/read-block.js';
import type { Interval } from '../block/tombstones.js';
import { ENCODING_XOR, XorChunk } from '../chunkenc/xor.js';
import type { ChunkMeta } from '../chunks/format.js';
import { postingsForMatchers } from '../postings/select.js';
import { ChunksIterator, type ChunkRef } from './chunks-iterator.js';
import type { Labels } from '../../model/labels.js';

/** Thrown when a block holds a chunk encoding this version cannot read (e.g. native histograms). */
export class UnsupportedChunkError extends Error {
  constructor(
    readonly block: string,
    readonly encoding: number,
  ) {
    super(`cannot read chunk in block ${block}: unsupported encoding ${encoding}`);
    this.name = 'UnsupportedChunkError';
  }
}

/** Skips samples inside deleted intervals. */
class TombstoneIterator implements SampleIterator {
  constructor(
    readonly inner: SampleIterator,
    readonly deleted: readonly Interval[],
  ) {}

  #deleted(t: number): boolean {
    for (const iv of this.deleted) if (t >= iv.mint && t <= iv.maxt) return true;
    return false;
  }

  next(): boolean {
    while (this.inner.next()) if (!this.#deleted(this.inner.atT())) return true;
    return false;
  }

  seek(t: number): boolean {
    if (!this.inner.seek(t)) return false;
    return !this.#deleted(this.inner.atT()) || this.next();
  }

  atT(): number {
    return this.inner.atT();
  }

  atV(): number {
    return this.inner.atV();
  }

  err(): Error | null {
    return this.inner.err();
  }
}

class BlockSeries implements Series {
  constructor(
    readonly labels: Labels,
    readonly chunks: readonly ChunkRef[],
    readonly mint: number,
    readonly maxt: number,
    readonly deleted: readonly Interval[],
  ) {}

  iterator(reuse?: SampleIterator): SampleIterator {
    if (this.deleted.length > 0) {
      return new TombstoneIterator(
        new ChunksIterator(this.chunks, this.mint, this.maxt),
        this.deleted,
      );
    }
    if (!(reuse instanceof ChunksIterator))
      return new ChunksIterator(this.chunks, this.mint, this.maxt);
    reuse.reset(this.chunks, this.mint, this.maxt);
    return reuse;
  }
}

export class BlockQuerier implements Querier {
  readonly #block: Block;
  readonly #mint: number;
  readonly #maxt: number;

  /**
   * @example
   * const q = new BlockQuerier(openBlock(dir), 0, Date.now());
   */
  constructor(block: Block, mint: number, maxt: number) {
    this.#block = block;
    this.#mint = mint;
    this.#maxt = maxt;
  }

  #chunkRefs(metas: readonly ChunkMeta[]): ChunkRef[] {
    const reader = this.#block.chunks;
    const dir = this.#block.dir;
    return metas
      .filter((m) => m.maxt >= this.#mint && m.mint <= this.#maxt)
      .map((m) => ({
        mint: m.mint,
        maxt: m.maxt,
        load: () => {
          const c = reader.chunkView(m.ref);
          if (c.encoding !== ENCODING_XOR) throw new UnsupportedChunkError(dir, c.encoding);
          return new XorChunk(c.data);
        },
      }));
  }

  select(matchers: readonly Matcher[]): SeriesSet {
    const index = this.#block.index;
    const out: Series[] = [];
    for (const ref of postingsForMatchers(index, matchers)) {
      const s = index.series(ref);
      const chunks = this.#chunkRefs(s.chunks);
      if (chunks.length === 0) continue;
      out.push(
        new BlockSeries(s.labels, chunks, this.#mint, this.#maxt, this.#block.tombstones.get(ref)),
      );
    }
    return new ListSeriesSet(out);
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    if (matchers.length === 0) return this.#block.index.labelNames();
    const names = new Set<string>();
    for (const ref of postingsForMatchers(this.#block.index, matchers)) {
      this.#block.index.series(ref).labels.forEach((n) => void names.add(n));
    }
    return [...names].sort();
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    if (matchers.length === 0) return this.#block.index.labelValues(name);
    const values = new Set<string>();
    for (const ref of postingsForMatchers(this.#block.index, matchers)) {
      const v = this.#block.index.series(ref).labels.get(name);
      if (v !== '') values.add(v);
    }
    return [...values].sort();
  }

  close(): void {}
}
