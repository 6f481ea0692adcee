/**
 * @module
 * Reads from the head: matchers → postings → series with samples in the querier's range,
 * sorted by labels. Chunks are read in place; an iterator sees the samples committed before
 * it reached them.
 */

import type { Matcher } from '../../model/matcher.js';
import type { Querier, SampleIterator, Series, SeriesSet } from '../../storage/interface.js';
import { postingsForMatchers } from '../postings/select.js';
import { ChunksIterator, type ChunkRef } from '../querier/chunks-iterator.js';
import { ListSeriesSet } from '../../storage/series-list.js';
import type { Head } from './head.js';
import type { HeadChunk, MemSeries } from './mem-series.js';

function chunkRefs(chunks: readonly HeadChunk[]): ChunkRef[] {
  return chunks.map((c) => ({ mint: c.mint, maxt: c.maxt, load: () => c.chunk }));
}

class HeadSeries implements Series {
  constructor(
    readonly series: MemSeries,
    readonly mint: number,
    readonly maxt: number,
  ) {}

  get labels() {
    return this.series.labels;
  }

  iterator(reuse?: SampleIterator): SampleIterator {
    const chunks = chunkRefs(this.series.chunks());
    if (!(reuse instanceof ChunksIterator)) return new ChunksIterator(chunks, this.mint, this.maxt);
    reuse.reset(chunks, this.mint, this.maxt);
    return reuse;
  }
}

export class HeadQuerier implements Querier {
  readonly #head: Head;
  readonly #mint: number;
  readonly #maxt: number;
  #onClose: (() => void) | null;

  /** `onClose` tells the head the querier is done (truncation may wait for that). */
  constructor(head: Head, mint: number, maxt: number, onClose: () => void) {
    this.#head = head;
    this.#mint = mint;
    this.#maxt = maxt;
    this.#onClose = onClose;
  }

  #matching(matchers: readonly Matcher[]): MemSeries[] {
    const refs = postingsForMatchers(this.#head.index, matchers);
    const out: MemSeries[] = [];
    for (const ref of refs) {
      const s = this.#head.series(ref);
      if (s === undefined) continue;
      const chunks = s.chunks();
      if (chunks.length === 0) continue;
      if (chunks[0]!.mint > this.#maxt || chunks[chunks.length - 1]!.maxt < this.#mint) continue;
      out.push(s);
    }
    return out;
  }

  select(matchers: readonly Matcher[]): SeriesSet {
    const found = this.#matching(matchers);
    found.sort((a, b) => a.labels.compare(b.labels));
    return new ListSeriesSet(found.map((s) => new HeadSeries(s, this.#mint, this.#maxt)));
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    if (matchers.length === 0) return this.#head.index.labelNames().sort();
    const names = new Set<string>();
    for (const s of this.#matching(matchers)) s.labels.forEach((n) => void names.add(n));
    return [...names].sort();
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    if (matchers.length === 0) return this.#head.index.labelValues(name).sort();
    const values = new Set<string>();
    for (const s of this.#matching(matchers)) {
      const v = s.labels.get(name);
      if (v !== '') values.add(v);
    }
    return [...values].sort();
  }

  close(): void {
    this.#onClose?.();
    this.#onClose = null;
  }
}
