/**
 * @module
 * Bounds on values. Number bounds compare numbers and strings that read as numbers (`"404"`);
 * with `date` they are ms since the epoch and compare values read as dates (strings by
 * `model/timestamp.ts`, numbers as epoch ms). A value's time is compared as ms and ns, never
 * rounded into a float; a bound, being a float, is exact to the microsecond. String bounds compare strings
 * by UTF-16 code units, as Elasticsearch's `range` on a keyword. A value must satisfy every bound.
 */

import type { FieldValue } from '../../model/fields.js';
import { parseTime } from '../../model/timestamp.js';
import type { Columns, Filter } from '../filter.js';
import type { FieldSel, RangeQuery } from '../query.js';
import { applyValueTest, type ValueTest } from './field.js';
import { readNumber } from './read.js';

/** One side of a range: `at` and whether it is included; `at` undefined is open. */
interface Side<T extends number | string> {
  at: T | undefined;
  inclusive: boolean;
}

/** Tightens `side` by a bound; of two equal bounds the exclusive one is tighter. */
function tighten<T extends number | string>(
  side: Side<T>,
  at: T,
  inclusive: boolean,
  lower: boolean,
): void {
  const cur = side.at;
  const tighter = cur === undefined || (lower ? at > cur : at < cur) || (at === cur && !inclusive);
  if (tighter) {
    side.at = at;
    side.inclusive = inclusive;
  }
}

/**
 * A bound in ms as whole ms and ns. A float near today's epoch ms carries a fraction to about
 * 0.24 µs, so the fraction is rounded to whole microseconds, which it then holds exactly.
 */
function split(b: number): [number, number] {
  const ms = Math.floor(b);
  const us = Math.round((b - ms) * 1000);
  return us === 1000 ? [ms + 1, 0] : [ms, us * 1000];
}

/** Evaluates a {@link RangeQuery}. */
export class RangeFilter implements Filter, ValueTest {
  readonly #field: FieldSel;
  readonly #date: boolean;
  readonly #numLo: Side<number> = { at: undefined, inclusive: true };
  readonly #numHi: Side<number> = { at: undefined, inclusive: true };
  readonly #strLo: Side<string> = { at: undefined, inclusive: true };
  readonly #strHi: Side<string> = { at: undefined, inclusive: true };
  readonly #loMs: number;
  readonly #loNs: number;
  readonly #hiMs: number;
  readonly #hiNs: number;

  constructor(q: RangeQuery) {
    this.#field = q.field;
    this.#date = q.date === true;
    const bound = (b: number | string | undefined, inclusive: boolean, lower: boolean) => {
      if (typeof b === 'number') tighten(lower ? this.#numLo : this.#numHi, b, inclusive, lower);
      else if (typeof b === 'string') {
        tighten(lower ? this.#strLo : this.#strHi, b, inclusive, lower);
      }
    };
    bound(q.gt, false, true);
    bound(q.gte, true, true);
    bound(q.lt, false, false);
    bound(q.lte, true, false);
    [this.#loMs, this.#loNs] = split(this.#numLo.at ?? 0);
    [this.#hiMs, this.#hiNs] = split(this.#numHi.at ?? 0);
  }

  apply(cols: Columns, bits: Uint8Array): void {
    applyValueTest(this.#field, this, cols, bits);
  }

  test(v: FieldValue): boolean {
    if (this.#numLo.at !== undefined || this.#numHi.at !== undefined) {
      if (!(this.#date ? this.#testDate(v) : this.#testNumber(v))) return false;
    }
    if (this.#strLo.at !== undefined || this.#strHi.at !== undefined) {
      if (typeof v !== 'string') return false;
      const lo = this.#strLo;
      const hi = this.#strHi;
      if (lo.at !== undefined && (lo.inclusive ? v < lo.at : v <= lo.at)) return false;
      if (hi.at !== undefined && (hi.inclusive ? v > hi.at : v >= hi.at)) return false;
    }
    return true;
  }

  #testNumber(v: FieldValue): boolean {
    const x = typeof v === 'number' ? v : typeof v === 'string' ? readNumber(v) : undefined;
    if (x === undefined) return false;
    const lo = this.#numLo;
    const hi = this.#numHi;
    if (lo.at !== undefined && (lo.inclusive ? x < lo.at : x <= lo.at)) return false;
    return hi.at === undefined || (hi.inclusive ? x <= hi.at : x < hi.at);
  }

  #testDate(v: FieldValue): boolean {
    let ms: number;
    let ns: number;
    if (typeof v === 'number') {
      ms = Math.floor(v);
      ns = Math.round((v - ms) * 1e6);
    } else if (typeof v === 'string') {
      const t = parseTime(v);
      if (t === undefined) return false;
      ms = t.ms;
      ns = t.ns;
    } else return false;
    const lo = this.#numLo;
    if (lo.at !== undefined) {
      const c = ms - this.#loMs || ns - this.#loNs;
      if (lo.inclusive ? c < 0 : c <= 0) return false;
    }
    const hi = this.#numHi;
    if (hi.at === undefined) return true;
    const c = ms - this.#hiMs || ns - this.#hiNs;
    return hi.inclusive ? c <= 0 : c < 0;
  }
}
