/**
 * @module
 * `*` patterns. A value matches when the whole of it matches the pattern as written
 * (case-sensitive, as on a keyword), or when one of its tokens matches the lowercased pattern (as
 * on an analyzed text field), which is how `message:erro*` finds `Error:`. Numbers and booleans
 * are matched through their JSON text, so `status:5*` finds 503.
 */

import type { FieldValue } from '../../model/fields.js';
import type { Columns, Filter } from '../filter.js';
import type { FieldSel, WildcardQuery } from '../query.js';
import { applyValueTest, matchParts, type ValueTest } from './field.js';
import { StringMemo, TokenBuffer } from './text.js';

/** Evaluates a {@link WildcardQuery}. */
export class WildcardFilter implements Filter, ValueTest {
  readonly #field: FieldSel;
  readonly #parts: readonly string[];
  readonly #lower: readonly string[];
  readonly #memo = new StringMemo();
  readonly #buf = new TokenBuffer();

  constructor(q: WildcardQuery) {
    this.#field = q.field;
    this.#parts = q.parts;
    this.#lower = q.parts.map((p) => p.toLowerCase());
  }

  apply(cols: Columns, bits: Uint8Array): void {
    applyValueTest(this.#field, this, cols, bits);
  }

  test(v: FieldValue): boolean {
    const s = typeof v === 'string' ? v : String(v);
    return this.#memo.get(s) ?? this.#memo.set(s, this.#testString(s));
  }

  #testString(s: string): boolean {
    if (matchParts(this.#parts, s)) return true;
    const buf = this.#buf;
    buf.fill(s);
    for (let k = 0; k < buf.length; k++) if (matchParts(this.#lower, buf.tokens[k]!)) return true;
    return false;
  }
}
