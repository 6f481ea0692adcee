/**
 * @module
 * Dates as queries write them: absolute dates of any precision (`2024`, `2024-05`,
 * `2024-05-06T07:08`, up to nine fraction digits), epoch milliseconds, and Elasticsearch's date
 * math (`now-1d/d`, `2024-01-01||+1M/d`). Each resolves to a {@link DateRange}: the span of time
 * the text names, so `2024-05-06` is that whole day and `now/d` today. Range and match filters
 * then need no rounding rules of their own: `> 2024-05-06` is `>= end`, `<= now/d` is `< end`.
 *
 * Elasticsearch rounds the same way for `/unit`, but for a date with missing parts it fills
 * the time with 23:59:59.999 and the month and day with 01 (`lte 2024-05` ends on May 1st);
 * here a date names its whole period (`lte 2024-05` ends with May). Calendar arithmetic is in
 * UTC; adding months keeps the day, clamped to the month's last (Jan 31 + 1M = Feb 29 in 2024).
 */

import { parseTime } from '../model/timestamp.js';

/**
 * The time a date names, in ms since the epoch (a fraction for sub-millisecond digits): from
 * `start` (inclusive) to `end` (exclusive), or the instant `start` when `end === start`.
 */
export interface DateRange {
  readonly start: number;
  readonly end: number;
}

/** A date or date math expression that does not read; `offset` is where, in UTF-16 units. */
export class DateMathError extends Error {
  constructor(
    readonly text: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`cannot parse date math ${JSON.stringify(text)}: ${reason} at offset ${offset}`);
    this.name = 'DateMathError';
  }
}

const DAY = 86_400_000;
const FIXED: Record<string, number> = {
  w: 7 * DAY,
  d: DAY,
  h: 3_600_000,
  H: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

const DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
const EPOCH_MILLIS = /^-?\d{1,16}(?:\.\d{1,6})?$/;

/**
 * Reads an absolute date: ISO 8601 from a year down to nanoseconds, with an optional offset
 * (UTC without one), or epoch milliseconds (any digits but exactly four, which are a year, as
 * in Elasticsearch's `strict_date_optional_time||epoch_millis`).
 *
 * @returns the period the date names, or undefined when `text` is not a date.
 * @example
 * parseDate('2024-05'); // { start: Date.UTC(2024, 4), end: Date.UTC(2024, 5) }
 * parseDate('2024-05-06T07:08:09.123456789Z'); // an instant: start === end
 * parseDate('1714979289123'); // the instant 1714979289123
 */
export function parseDate(text: string): DateRange | undefined {
  const m = DATE.exec(text);
  if (m === null) {
    if (!EPOCH_MILLIS.test(text)) return undefined;
    const t = Number(text);
    return { start: t, end: t };
  }
  const [, y, mo, d, h, mi, s, frac, zone = 'Z'] = m;
  const full = `${y}-${mo ?? '01'}-${d ?? '01'}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}.${frac ?? '0'}${zone}`;
  const t = parseTime(full);
  if (t === undefined) return undefined;
  const start = t.ms + t.ns / 1e6;
  if (mo === undefined) return { start, end: addMonths(start, 12) };
  if (d === undefined) return { start, end: addMonths(start, 1) };
  const step =
    h === undefined
      ? DAY
      : mi === undefined
        ? FIXED.h!
        : s === undefined
          ? FIXED.m!
          : frac === undefined
            ? 1000
            : frac.length === 9
              ? 0
              : 10 ** (3 - frac.length);
  return { start, end: start + step };
}

/**
 * Resolves a date or date math expression: `now` or `<date>||`, then any number of `+<n><unit>`,
 * `-<n><unit>` (`n` defaults to 1) and `/<unit>` (round down to the unit's start; the result
 * names that whole unit). Units: `y` `M` `w` `d` `h` `H` `m` `s` `ms`; weeks start on Monday.
 * A plain date with no math is read by {@link parseDate}.
 *
 * @param now the current time, ms since the epoch
 * @throws {DateMathError} when the text is neither, with the offset of the first problem.
 * @example
 * const now = Date.UTC(2024, 4, 6, 7, 8, 9);
 * parseDateMath('now-1d/d', now); // { start: Date.UTC(2024, 4, 5), end: Date.UTC(2024, 4, 6) }
 * parseDateMath('now-15m', now); // the instant now - 900 000
 * parseDateMath('2024-01-31||+1M', now); // the day 2024-02-29
 */
export function parseDateMath(text: string, now: number): DateRange {
  let start: number;
  let end: number;
  let i: number;
  if (text.startsWith('now')) {
    start = end = now;
    i = 3;
  } else {
    const bars = text.indexOf('||');
    const anchor = bars < 0 ? text : text.slice(0, bars);
    const date = parseDate(anchor);
    if (date === undefined) {
      throw new DateMathError(text, 0, `${JSON.stringify(anchor)} is not a date`);
    }
    if (bars < 0) return date;
    ({ start, end } = date);
    i = bars + 2;
  }
  while (i < text.length) {
    const op = text.charAt(i);
    if (op !== '+' && op !== '-' && op !== '/') {
      throw new DateMathError(text, i, `expected "+", "-" or "/" but found ${JSON.stringify(op)}`);
    }
    i++;
    let n = 1;
    if (op !== '/') {
      const digits = /^\d+/.exec(text.slice(i));
      if (digits !== null) {
        n = Number(digits[0]);
        i += digits[0].length;
      }
      if (op === '-') n = -n;
    }
    const unit = text.startsWith('ms', i) ? 'ms' : text.charAt(i);
    if (unit !== 'y' && unit !== 'M' && FIXED[unit] === undefined) {
      const found = unit === '' ? 'the end' : JSON.stringify(unit);
      throw new DateMathError(text, i, `expected a unit (y M w d h H m s ms) but found ${found}`);
    }
    i += unit.length;
    if (op === '/') {
      start = roundDown(start, unit);
      end = add(start, 1, unit);
    } else {
      const instant = end === start;
      start = add(start, n, unit);
      end = instant ? start : add(end, n, unit);
    }
  }
  return { start, end };
}

function add(t: number, n: number, unit: string): number {
  if (unit === 'y') return addMonths(t, 12 * n);
  if (unit === 'M') return addMonths(t, n);
  return t + n * FIXED[unit]!;
}

function addMonths(t: number, n: number): number {
  const whole = Math.floor(t);
  const d = new Date(whole);
  const month = d.getUTCMonth() + n;
  const year = d.getUTCFullYear() + Math.floor(month / 12);
  const m = ((month % 12) + 12) % 12;
  d.setUTCFullYear(year, m, Math.min(d.getUTCDate(), daysIn(year, m)));
  return d.getTime() + (t - whole);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 1 && leap ? 29 : MONTH_DAYS[month]!;
}

function roundDown(t: number, unit: string): number {
  const d = new Date(Math.floor(t));
  switch (unit) {
    case 'y':
      d.setUTCMonth(0, 1);
      d.setUTCHours(0, 0, 0, 0);
      return d.getTime();
    case 'M':
      d.setUTCDate(1);
      d.setUTCHours(0, 0, 0, 0);
      return d.getTime();
    case 'w': {
      const day = Math.floor(d.getTime() / DAY) * DAY;
      // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7.
      const weekday = (((day / DAY + 3) % 7) + 7) % 7;
      return day - weekday * DAY;
    }
    default: {
      const size = FIXED[unit]!;
      return Math.floor(t / size) * size;
    }
  }
}
