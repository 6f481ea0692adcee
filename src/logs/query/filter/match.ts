/**
 * @module
 * The analyzed match (`message:hello world`, `"connection refused"`). Each value is read by its
 * type: a keyword string matches when one of the phrases occurs in its tokens, in order and
 * adjacent; a number, boolean, date string or IP string matches when the query text, read as
 * that type, equals it (a date text names a period, `2024-05-06` the whole day; an IP text may be
 * a CIDR block). The text is read as a whole or, failing that, word by word (see `read.ts`).
 */

import { typeOf, type FieldValue } from '../../model/fields.js';
import { parseTime } from '../../model/timestamp.js';
import { parseDate, type DateRange } from '../date-math.js';
import type { Columns, Filter } from '../filter.js';
import type { FieldSel, MatchQuery } from '../query.js';
import { applyValueTest, type ValueTest } from './field.js';
import { inCidr, parseCidr, parseIp, type Cidr } from './ip.js';
import { readAll, readNumber } from './read.js';
import { StringMemo, TokenBuffer } from './text.js';
import { asciiToken } from '../../model/tokenize.js';

const readBool = (s: string): boolean | undefined =>
  s === 'true' ? true : s === 'false' ? false : undefined;

/** Evaluates a {@link MatchQuery}. */
export class MatchFilter implements Filter, ValueTest {
  readonly #field: FieldSel;
  readonly #phrases: readonly (readonly string[])[];
  readonly #numbers: number[];
  readonly #bools: boolean[];
  readonly #dates: DateRange[];
  readonly #ips: Cidr[];
  readonly #memo = new StringMemo();
  readonly #buf = new TokenBuffer();
  readonly #addr = new Uint8Array(16);
  readonly tokens?: readonly string[];
  readonly tokensSuffice: boolean;
  readonly phrase?: readonly Uint8Array[];

  constructor(q: MatchQuery) {
    this.#field = q.field;
    this.#phrases = q.phrases.filter((p) => p.length > 0);
    this.#numbers = readAll(q.text, readNumber);
    this.#bools = readAll(q.text, readBool);
    this.#dates = readAll(q.text, parseDate);
    this.#ips = readAll(q.text, parseCidr);
    // Text that reads as no number, boolean, date or address matches strings only, by their
    // tokens: one token of each phrase (the longest, the rarest as a rule) must be there.
    const typed = this.#numbers.length + this.#bools.length + this.#dates.length + this.#ips.length;
    if (typed === 0 && this.#phrases.length > 0) {
      const longest = this.#phrases.map((p) => p.reduce((a, b) => (b.length > a.length ? b : a)));
      if (longest.every(asciiToken)) this.tokens = longest;
    }
    this.tokensSuffice = this.tokens !== undefined && this.#phrases.every((p) => p.length === 1);
    // One phrase (or word) of ASCII words: columns can read it from their bytes. A word search
    // then confirms the byte search's candidates without decoding and tokenizing each string.
    const only = this.#phrases.length === 1 ? this.#phrases[0]! : [];
    if (this.tokens !== undefined && only.length > 0 && only.every(asciiToken)) {
      this.phrase = only.map((w) => Buffer.from(w, 'latin1'));
    }
  }

  apply(cols: Columns, bits: Uint8Array): void {
    applyValueTest(this.#field, this, cols, bits);
  }

  test(v: FieldValue): boolean {
    if (typeof v === 'number') return this.#numbers.includes(v);
    if (typeof v === 'boolean') return this.#bools.includes(v);
    return this.#memo.get(v) ?? this.#memo.set(v, this.#testString(v));
  }

  #testString(s: string): boolean {
    // Typing a string costs a date parse; when the text is no date and no address, only a
    // keyword can match, and only a string whose phrases match needs typing at all.
    if (this.#dates.length === 0 && this.#ips.length === 0) {
      return this.#testPhrases(s) && typeOf(s) === 'keyword';
    }
    switch (typeOf(s)) {
      case 'date': {
        const t = parseTime(s)!;
        const x = t.ms + t.ns / 1e6;
        for (const d of this.#dates) {
          if (d.end === d.start ? x === d.start : x >= d.start && x < d.end) return true;
        }
        return false;
      }
      case 'ip':
        if (!parseIp(s, this.#addr)) return false;
        for (const c of this.#ips) if (inCidr(c, this.#addr)) return true;
        return false;
      default:
        return this.#testPhrases(s);
    }
  }

  #testPhrases(s: string): boolean {
    const buf = this.#buf;
    buf.fill(s);
    const tokens = buf.tokens;
    for (const p of this.#phrases) {
      const last = buf.length - p.length;
      for (let at = 0; at <= last; at++) {
        let k = 0;
        while (k < p.length && tokens[at + k] === p[k]) k++;
        if (k === p.length) return true;
      }
    }
    return false;
  }
}
