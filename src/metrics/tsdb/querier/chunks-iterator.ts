/**
 * @module
 * Iterates the samples of a series stored as a time-ordered list of XOR chunks, limited to
 * `[mint, maxt]`. Chunks entirely outside the range are skipped without decoding.
 */

import type { SampleIterator } from '../../storage/interface.js';
import type { XorChunk } from '../chunkenc/xor.js';
import { type XorIterator } from '../chunkenc/xor.js';

/** A chunk reference with its time bounds; `load` decodes it on first use. */
export interface ChunkRef {
  mint: number;
  maxt: number;
  load(): XorChunk;
}

export class ChunksIterator implements SampleIterator {
  readonly #chunks: readonly ChunkRef[];
  readonly #mint: number;
  readonly #maxt: number;
  #i = -1;
  #it: XorIterator | null = null;
  #err: Error | null = null;
  #done = false;

  /**
   * @param chunks in time order, not overlapping
   * @example
   * const it = new ChunksIterator(series.chunks(), 0, Date.now());
   * while (it.next()) use(it.atT(), it.atV());
   */
  constructor(chunks: readonly ChunkRef[], mint: number, maxt: number) {
    this.#chunks = chunks;
    this.#mint = mint;
    this.#maxt = maxt;
  }

  next(): boolean {
    if (this.#done) return false;
    for (;;) {
      if (this.#it !== null && this.#it.next()) {
        const t = this.#it.atT();
        if (t > this.#maxt) return this.#finish();
        if (t >= this.#mint) return true;
        continue;
      }
      if (this.#it?.err()) {
        this.#err = this.#it.err();
        return this.#finish();
      }
      if (!this.#open(this.#i + 1)) return this.#finish();
    }
  }

  seek(t: number): boolean {
    if (this.#done) return false;
    if (this.#it !== null && this.#it.atT() >= t && this.#it.atT() >= this.#mint)
      return this.#it.atT() <= this.#maxt;
    const target = Math.max(t, this.#mint);
    // Skip whole chunks that end before the target.
    let i = Math.max(this.#i, 0);
    while (i < this.#chunks.length && this.#chunks[i]!.maxt < target) i++;
    if (i !== this.#i && !this.#open(i)) return this.#finish();
    while (this.next()) if (this.atT() >= target) return true;
    return false;
  }

  atT(): number {
    return this.#it!.atT();
  }

  atV(): number {
    return this.#it!.atV();
  }

  err(): Error | null {
    return this.#err;
  }

  /** Opens chunk `i` or the next one overlapping the range; false when none is left. */
  #open(i: number): boolean {
    while (i < this.#chunks.length && this.#chunks[i]!.maxt < this.#mint) i++;
    if (i >= this.#chunks.length || this.#chunks[i]!.mint > this.#maxt) return false;
    this.#i = i;
    try {
      this.#it = this.#chunks[i]!.load().iterator(this.#it ?? undefined);
    } catch (err) {
      this.#err = err as Error;
      return false;
    }
    return true;
  }

  #finish(): false {
    this.#done = true;
    return false;
  }
}
