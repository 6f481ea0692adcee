/**
 * @module
 * Iterates the samples of a series stored as a time-ordered list of XOR chunks, limited to
 * `[mint, maxt]`. Chunks entirely outside the range are skipped without decoding; a chunk in
 * range is decoded whole into typed arrays when the iterator reaches it, which costs far less
 * per sample than stepping a bit decoder through every `next()` call.
 */

import type { SampleIterator, SampleSink } from '../../storage/interface.js';
import { XorIterator, type XorChunk } from '../chunkenc/xor.js';

/**
 * A chunk reference with its time bounds. `load` reads it on first use; its bytes may be valid
 * only until the next `load` of any chunk of the same storage, so it is decoded at once.
 */
export interface ChunkRef {
  mint: number;
  maxt: number;
  load(): XorChunk;
}

/** Room for a chunk of the usual 120 samples, so the arrays rarely grow. */
const MIN_CAPACITY = 128;

const EMPTY = new Float64Array(0);
const EMPTY_BITS = new Uint32Array(0);

/** Decoding ends within `#open`, so every iterator can share one decoder. */
const DECODER = new XorIterator();

export class ChunksIterator implements SampleIterator {
  #chunks: readonly ChunkRef[];
  #mint: number;
  #maxt: number;
  /** Index of the open chunk. */
  #c = -1;
  // Allocated by the first chunk opened: many iterators never open one.
  #ts = EMPTY;
  #vs = EMPTY;
  #vbits = EMPTY_BITS;
  /** Samples of the open chunk, and the current one's index among them. */
  #n = 0;
  #i = -1;
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

  /**
   * Starts over on another series' chunks, keeping the decoding arrays: readers that go
   * through many series pass their last iterator to `Series.iterator(reuse)`.
   *
   * @example
   * it.reset(other.chunks, mint, maxt);
   */
  reset(chunks: readonly ChunkRef[], mint: number, maxt: number): void {
    this.#chunks = chunks;
    this.#mint = mint;
    this.#maxt = maxt;
    this.#c = -1;
    this.#n = 0;
    this.#i = -1;
    this.#err = null;
    this.#done = false;
  }

  next(): boolean {
    if (this.#done) return false;
    for (;;) {
      if (++this.#i < this.#n) {
        const t = this.#ts[this.#i]!;
        if (t > this.#maxt) return this.#finish();
        if (t >= this.#mint) return true;
        continue;
      }
      if (this.#err !== null || !this.#open(this.#c + 1)) return this.#finish();
    }
  }

  seek(t: number): boolean {
    if (this.#done) return false;
    if (this.#i >= 0 && this.#i < this.#n && this.atT() >= t && this.atT() >= this.#mint)
      return this.atT() <= this.#maxt;
    const target = Math.max(t, this.#mint);
    let c = Math.max(this.#c, 0);
    while (c < this.#chunks.length && this.#chunks[c]!.maxt < target) c++;
    if (c !== this.#c && !this.#open(c)) return this.#finish();
    while (this.next()) if (this.atT() >= target) return true;
    return false;
  }

  drain(maxt: number, sink: SampleSink): boolean {
    const last = Math.min(maxt, this.#maxt);
    for (;;) {
      const ts = this.#ts;
      const from = this.#i;
      let to = from;
      while (to < this.#n && ts[to]! <= last) to++;
      if (to > from) sink.append(ts, this.#vs, from, to);
      this.#i = to;
      if (to < this.#n) return ts[to]! <= this.#maxt || this.#finish();
      // Later chunks start after this one, so none of their samples is before the range.
      if (this.#err !== null || !this.#open(this.#c + 1)) return this.#finish();
      this.#i = 0;
    }
  }

  atT(): number {
    return this.#ts[this.#i]!;
  }

  atV(): number {
    return this.#vs[this.#i]!;
  }

  err(): Error | null {
    return this.#err;
  }

  /**
   * Decodes chunk `c` or the next one overlapping the range; false when none is left. A chunk
   * that fails to decode still yields the samples before the failure, then `err()` is set.
   */
  #open(c: number): boolean {
    while (c < this.#chunks.length && this.#chunks[c]!.maxt < this.#mint) c++;
    if (c >= this.#chunks.length || this.#chunks[c]!.mint > this.#maxt) return false;
    this.#c = c;
    this.#i = -1;
    this.#n = 0;
    try {
      const chunk = this.#chunks[c]!.load();
      const size = chunk.numSamples;
      if (size > this.#ts.length) {
        this.#ts = new Float64Array(Math.max(size, MIN_CAPACITY));
        this.#vs = new Float64Array(this.#ts.length);
        this.#vbits = new Uint32Array(this.#vs.buffer);
      }
      const dec = chunk.iterator(DECODER);
      this.#n = dec.readAll(this.#ts, this.#vbits);
      this.#err = dec.err();
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
