/**
 * @module
 * Columns of a segment block that load their bytes only when a search needs them: a column with
 * a frequent-token section answers a frequent word from that section alone, and a column written
 * as pages decompresses only the pages that hold what is asked for (format:
 * docs/format/log-segment.md, "Pages" and "Frequent tokens").
 */

import type { FieldValue } from '../../model/fields.js';
import { type Column, PHRASE_MAYBE } from '../../query/filter.js';
import { bloomHas, hashKey } from './bloom.js';
import type { FrequentTokens } from './frequent-tokens.js';

/**
 * A plain column with a frequent-token section: a word that is frequent in the block is answered
 * from that section, exactly, and the values are decompressed only when something reads them.
 */
export class FrequentTokenColumn implements Column {
  readonly #load: () => Column;
  readonly #loadFrequent: () => FrequentTokens;
  #col: Column | undefined;
  #frequent: FrequentTokens | undefined;

  constructor(load: () => Column, loadFrequent: () => FrequentTokens) {
    this.#load = load;
    this.#loadFrequent = loadFrequent;
  }

  values(i: number): readonly FieldValue[] {
    this.#col ??= this.#load();
    return this.#col.values(i);
  }

  findTokens(tokens: readonly string[], rows: Uint8Array): boolean {
    const f = (this.#frequent ??= this.#loadFrequent());
    if (f.hasAll(tokens)) {
      for (const t of tokens) f.mark(t, rows);
      return true;
    }
    this.#col ??= this.#load();
    return this.#col.findTokens?.(tokens, rows) ?? false;
  }

  phraseIn(i: number, phrase: readonly Uint8Array[]): number {
    this.#col ??= this.#load();
    return this.#col.phraseIn?.(i, phrase) ?? PHRASE_MAYBE;
  }
}

/** The pages of a {@link PagedColumn}, as the segment reader knows them. */
export interface PageSource {
  /** Per page, its first document in the block and how many it holds. */
  readonly pages: readonly { readonly start: number; readonly docs: number }[];
  /** Page `k`'s token bloom filter; undefined when the column is not indexed. */
  bits(k: number): Uint8Array | undefined;
  /** Decompresses and decodes page `k` (documents numbered from 0 within it). */
  load(k: number): Column;
  /**
   * Page `k`'s documents whose bytes may hold one of `tokens`, when they were found ahead
   * (`page-scan.ts`): what its column's `findTokens` would mark, without decoding the page.
   */
  marks?(k: number, tokens: readonly string[]): Uint8Array | undefined;
  /**
   * Document `i` of page `k` read for `phrase` (`Column.phraseIn`) from what was found ahead,
   * without decoding the page; undefined when nothing was.
   */
  phraseIn?(k: number, i: number, phrase: readonly Uint8Array[]): number | undefined;
  /** Document `i` of page `k`'s values from what was found ahead; undefined when none were. */
  values?(k: number, i: number): readonly FieldValue[] | undefined;
}

/**
 * A column written as pages. A word search skips each page whose bloom holds none of the words
 * and decodes the rest; reading a document's values decodes its page only.
 */
export class PagedColumn implements Column {
  readonly #source: PageSource;
  readonly #pages: readonly { readonly start: number; readonly docs: number }[];
  readonly #cols: (Column | undefined)[];
  readonly #loadFrequent: (() => FrequentTokens) | undefined;
  #frequent: FrequentTokens | undefined;

  constructor(source: PageSource, loadFrequent?: () => FrequentTokens) {
    this.#source = source;
    this.#pages = source.pages;
    this.#cols = new Array<Column | undefined>(source.pages.length);
    this.#loadFrequent = loadFrequent;
  }

  #page(k: number): Column {
    return (this.#cols[k] ??= this.#source.load(k));
  }

  values(i: number): readonly FieldValue[] {
    const k = this.#pageOf(i);
    const local = i - this.#pages[k]!.start;
    if (this.#cols[k] === undefined) {
      const ahead = this.#source.values?.(k, local);
      if (ahead !== undefined) return ahead;
    }
    return this.#page(k).values(local);
  }

  phraseIn(i: number, phrase: readonly Uint8Array[]): number {
    const k = this.#pageOf(i);
    const local = i - this.#pages[k]!.start;
    if (this.#cols[k] === undefined) {
      const ahead = this.#source.phraseIn?.(k, local, phrase);
      if (ahead !== undefined) return ahead;
    }
    return this.#page(k).phraseIn?.(local, phrase) ?? PHRASE_MAYBE;
  }

  /** The page holding document `i`. */
  #pageOf(i: number): number {
    const pages = this.#pages;
    let k = Math.min(pages.length - 1, Math.floor(i / pages[0]!.docs));
    while (k > 0 && pages[k]!.start > i) k--;
    while (pages[k]!.start + pages[k]!.docs <= i) k++;
    return k;
  }

  findTokens(tokens: readonly string[], rows: Uint8Array): boolean {
    if (this.#loadFrequent !== undefined) {
      const f = (this.#frequent ??= this.#loadFrequent());
      if (f.hasAll(tokens)) {
        for (const t of tokens) f.mark(t, rows);
        return true;
      }
    }
    const hashes = tokens.map((t) => {
      const h = new Uint32Array(2);
      hashKey(t, h);
      return h;
    });
    for (let k = 0; k < this.#pages.length; k++) {
      const p = this.#pages[k]!;
      const bits = this.#source.bits(k);
      if (bits !== undefined && !hashes.some((h) => bloomHas(bits, h))) continue;
      const sub = rows.subarray(p.start, p.start + p.docs);
      const marks = this.#source.marks?.(k, tokens);
      if (marks !== undefined && marks.length === p.docs) {
        for (let i = 0; i < marks.length; i++) sub[i]! |= marks[i]!;
        continue;
      }
      const col = this.#page(k);
      // A dictionary page has no byte search: all its documents are candidates.
      if (col.findTokens === undefined) sub.fill(1);
      else col.findTokens(tokens, sub);
    }
    return false;
  }
}
