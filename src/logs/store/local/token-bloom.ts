/**
 * @module
 * Builds a column's token bloom filter (`bloom.ts`) from its values. The filter only needs each
 * distinct token's two hashes, so tokens are hashed straight from the value's characters
 * (`forEachTokenSpan`) and told apart by their 64-bit hash pair in an open-addressing table,
 * instead of being cut out as strings and collected in a `Set`: on the benchmark's lines the
 * substrings and the set took most of the segment writer's token time. The filter is the same,
 * bit for bit: same hashes, and (but for a 64-bit collision, which only shrinks the filter by a
 * key) the same number of distinct tokens.
 */

import { type FieldValue, typeOf } from '../../model/fields.js';
import { forEachTokenSpan, SPAN_ASCII, SPAN_LOWER_ASCII } from '../../model/tokenize.js';
import { bloomOfTable, hashKey, hashKeyAscii } from './bloom.js';

/** Starting slots of the table; it doubles at half full. */
const INITIAL_SLOTS = 1024;

export class TokenBloomBuilder {
  /** Pairs (h1, h2) per slot; h2 is odd, so 0 marks an empty slot. */
  #slots: Uint32Array = new Uint32Array(INITIAL_SLOTS * 2);
  #count = 0;
  readonly #h = new Uint32Array(2);
  /** The value being tokenized. */
  #s = '';
  readonly #onSpan = (start: number, end: number, kind: number): void => {
    const s = this.#s;
    if (kind === SPAN_LOWER_ASCII || kind === SPAN_ASCII) hashKeyAscii(s, start, end, this.#h);
    else hashKey(s.slice(start, end).toLowerCase(), this.#h);
    this.#insert(this.#h[0]!, this.#h[1]!);
  };

  /**
   * Adds the tokens of `v` when it is a keyword string: numbers, booleans and strings read as
   * dates or addresses are found by value, never by a word (`tokens.ts`).
   *
   * @example
   * const b = new TokenBloomBuilder();
   * b.add('GET /api/v1'); b.add(404);
   * const bits = b.build();
   */
  add(v: FieldValue): void {
    if (typeof v !== 'string' || typeOf(v) !== 'keyword') return;
    this.#s = v;
    forEachTokenSpan(v, this.#onSpan);
  }

  /** The filter over every token added since the last build; the builder starts empty again. */
  build(): Uint8Array {
    const slots = this.#slots;
    const bits = bloomOfTable(slots, this.#count);
    if (slots.length > INITIAL_SLOTS * 2) this.#slots = new Uint32Array(INITIAL_SLOTS * 2);
    else slots.fill(0);
    this.#count = 0;
    return bits;
  }

  #insert(h1: number, h2: number): void {
    let slots = this.#slots;
    const mask = slots.length / 2 - 1;
    for (let i = h1 & mask; ; i = (i + 1) & mask) {
      const at = slots[2 * i + 1]!;
      if (at === 0) break;
      if (at === h2 && slots[2 * i] === h1) return;
    }
    if (++this.#count * 2 > mask + 1) slots = this.#grow();
    const m = slots.length / 2 - 1;
    let i = h1 & m;
    while (slots[2 * i + 1] !== 0) i = (i + 1) & m;
    slots[2 * i] = h1;
    slots[2 * i + 1] = h2;
  }

  #grow(): Uint32Array {
    const old = this.#slots;
    const slots = new Uint32Array(old.length * 2);
    const mask = slots.length / 2 - 1;
    for (let k = 0; k < old.length; k += 2) {
      if (old[k + 1] === 0) continue;
      let i = old[k]! & mask;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = old[k]!;
      slots[2 * i + 1] = old[k + 1]!;
    }
    this.#slots = slots;
    return slots;
  }
}
