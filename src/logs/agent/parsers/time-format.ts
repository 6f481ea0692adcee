/**
 * @module
 * Reading the time a message carries in one of its fields, in the format the parser's
 * configuration names:
 *
 * - `rfc3339`: ISO 8601 / RFC 3339 (`2024-05-06T07:08:09.123456789Z`, with an offset, or a date),
 *   read as `@timestamp` is;
 * - `unix`, `unix_ms`, `unix_us`, `unix_ns`: a number since the epoch, fractions allowed;
 * - a strftime pattern: `%Y` `%m` `%d` `%e` `%H` `%M` `%S` `%f` (fraction, 1–9 digits) `%z`
 *   (`Z`, `+0200`, `+02:00`) `%b` (`Jan`) `%T` (`%H:%M:%S`) `%%`; other text matches itself.
 *   Without `%z` the time is UTC.
 *
 * Times come back as RFC 3339 in UTC with their precision kept, like the ones runtimes write.
 */

import { formatTime, parseTime, type LogTime } from '../../model/timestamp.js';

/** Reads a field's text as a time; undefined when it does not have the format. */
export type TimeReader = (text: string) => string | undefined;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** What each directive matches, and the part of the time it sets. */
const DIRECTIVES: Record<string, { re: string; part: string }> = {
  Y: { re: '(\\d{4})', part: 'Y' },
  m: { re: '(\\d{1,2})', part: 'm' },
  d: { re: '(\\d{1,2})', part: 'd' },
  e: { re: ' ?(\\d{1,2})', part: 'd' },
  H: { re: '(\\d{1,2})', part: 'H' },
  M: { re: '(\\d{2})', part: 'M' },
  S: { re: '(\\d{2})', part: 'S' },
  f: { re: '(\\d{1,9})', part: 'f' },
  z: { re: '(Z|z|[+-]\\d{2}:?\\d{2})', part: 'z' },
  b: { re: '([A-Za-z]{3})', part: 'b' },
};

/** Thrown for a format that cannot be used: an unknown directive, or no date in it. */
export class TimeFormatError extends Error {
  constructor(format: string, reason: string) {
    super(`cannot use time format "${format}": ${reason}`);
    this.name = 'TimeFormatError';
  }
}

/**
 * Compiles a time format.
 *
 * @throws {TimeFormatError} for an unknown `%` directive or a pattern without year, month or day.
 * @example
 * timeReader('%d/%b/%Y:%H:%M:%S %z')('06/May/2024:09:08:09 +0200'); // '2024-05-06T07:08:09Z'
 * timeReader('unix_ms')('1714979289123'); // '2024-05-06T07:08:09.123Z'
 */
export function timeReader(format: string): TimeReader {
  switch (format) {
    case 'rfc3339':
      return (text) => {
        // parseTime also reads epoch milliseconds; this format is dates only.
        const t = /^\d{4}-\d{2}-\d{2}/.test(text) ? parseTime(text) : undefined;
        return t === undefined ? undefined : formatTime(t);
      };
    case 'unix':
      return epoch(1e9);
    case 'unix_ms':
      return epoch(1e6);
    case 'unix_us':
      return epoch(1e3);
    case 'unix_ns':
      return epoch(1);
  }
  return strftime(format);
}

/** Numbers since the epoch in units of `nsPerUnit` nanoseconds; exact to the nanosecond. */
function epoch(nsPerUnit: number): TimeReader {
  return (text) => {
    const m = /^(\d{1,19})(?:\.(\d{1,9}))?$/.exec(text.trim());
    if (m === null) return undefined;
    const digits = String(Math.round(Math.log10(nsPerUnit)));
    // Whole nanoseconds as a bigint: a JS number loses them past 2^53.
    const scale = BigInt(nsPerUnit);
    const frac = (m[2] ?? '').slice(0, Number(digits)).padEnd(Number(digits), '0');
    const ns = BigInt(m[1]!) * scale + (frac === '' ? 0n : BigInt(frac));
    const ms = ns / 1_000_000n;
    if (ms > 253402300799999n) return undefined; // after year 9999
    return formatTime({ ms: Number(ms), ns: Number(ns % 1_000_000n) });
  };
}

function strftime(format: string): TimeReader {
  let re = '^';
  const parts: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const d = format[++i];
    if (d === '%') {
      re += '%';
    } else if (d === 'T') {
      re += `${DIRECTIVES.H!.re}:${DIRECTIVES.M!.re}:${DIRECTIVES.S!.re}`;
      parts.push('H', 'M', 'S');
    } else if (d !== undefined && DIRECTIVES[d] !== undefined) {
      re += DIRECTIVES[d].re;
      parts.push(DIRECTIVES[d].part);
    } else {
      throw new TimeFormatError(
        format,
        `unknown directive "%${d ?? ''}"; known: rfc3339, unix, unix_ms, unix_us, unix_ns, or %Y %m %d %e %H %M %S %f %z %b %T %%`,
      );
    }
  }
  if (!parts.includes('Y') || !(parts.includes('m') || parts.includes('b'))) {
    throw new TimeFormatError(format, 'it needs a year (%Y) and a month (%m or %b)');
  }
  if (!parts.includes('d')) throw new TimeFormatError(format, 'it needs a day (%d or %e)');
  const compiled = new RegExp(`${re}$`);
  return (text) => {
    const m = compiled.exec(text);
    if (m === null) return undefined;
    const v: Record<string, string> = {};
    parts.forEach((p, i) => (v[p] = m[i + 1]!));
    const month = v.b !== undefined ? MONTHS.indexOf(v.b.toLowerCase()) + 1 : Number(v.m);
    const day = Number(v.d);
    const [h, mi, s] = [Number(v.H ?? 0), Number(v.M ?? 0), Number(v.S ?? 0)];
    if (month < 1 || month > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) {
      return undefined;
    }
    let ms = Date.UTC(Number(v.Y), month - 1, day, h, mi, s);
    if (new Date(ms).getUTCDate() !== day) return undefined;
    const zone = v.z;
    if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    const nanos = Number((v.f ?? '').padEnd(9, '0'));
    const t: LogTime = { ms: ms + Math.floor(nanos / 1e6), ns: nanos % 1e6 };
    return formatTime(t);
  };
}
