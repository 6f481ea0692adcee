/**
 * @module
 * Exact equality with a whole value, as Elasticsearch's `term` on a keyword: no tokenizing, no
 * lowercasing. The query value is compared with each value in that value's type.
 */

import type { FieldValue } from '../../model/fields.js';
import { asciiToken, tokenize } from '../../model/tokenize.js';
import type { Columns, Filter } from '../filter.js';
import type { FieldSel, TermQuery } from '../query.js';
import { applyValueTest, type ValueTest } from './field.js';
import { readNumber } from './read.js';

/** Evaluates a {@link TermQuery}. */
export class TermFilter implements Filter, ValueTest {
  readonly #field: FieldSel;
  readonly #string: string;
  readonly #number: number | undefined;
  readonly #bool: boolean | undefined;
  readonly tokens?: readonly string[];

  constructor(q: TermQuery) {
    const v = q.value;
    this.#field = q.field;
    this.#string = String(v);
    this.#number = typeof v === 'number' ? v : typeof v === 'string' ? readNumber(v) : undefined;
    this.#bool =
      v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;
    // Only strings can match; a string equal to the value has its tokens, the longest included.
    if (this.#number === undefined && this.#bool === undefined) {
      const longest = tokenize(this.#string).reduce((a, b) => (b.length > a.length ? b : a), '');
      if (asciiToken(longest)) this.tokens = [longest];
    }
  }

  apply(cols: Columns, bits: Uint8Array): void {
    applyValueTest(this.#field, this, cols, bits);
  }

  test(v: FieldValue): boolean {
    if (typeof v === 'string') return v === this.#string;
    if (typeof v === 'number') return v === this.#number;
    return v === this.#bool;
  }
}
