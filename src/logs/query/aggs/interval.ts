/**
 * @module
 * Time intervals of date histograms: Elasticsearch's fixed intervals (`30s`, `5m`, `12h`,
 * `7d`), calendar intervals (`minute`/`1m` … `year`/`1y`, whose months and years vary in
 * length), the `auto` choice that gives a readable number of buckets for a time range, and
 * time zones (UTC, fixed offsets, IANA names) in which calendar buckets start.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const CALENDAR: Readonly<Record<string, CalendarUnit>> = {
  minute: 'minute',
  '1m': 'minute',
  hour: 'hour',
  '1h': 'hour',
  day: 'day',
  '1d': 'day',
  week: 'week',
  '1w': 'week',
  month: 'month',
  '1M': 'month',
  quarter: 'quarter',
  '1q': 'quarter',
  year: 'year',
  '1y': 'year',
};

type CalendarUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/** How to round a time down to its bucket, and step to the next bucket. */
export interface Interval {
  /** The interval as Elasticsearch would print it (`1h`, `month`). */
  readonly name: string;
  /** The start of the bucket holding `t` (ms, UTC instant). */
  floor(t: number): number;
  /** The start of the bucket after the one starting at `start`. */
  next(start: number): number;
}

/**
 * Reads a fixed interval: a whole number and a unit of `ms s m h d`.
 *
 * @returns the length in ms, or undefined when `text` is not one.
 * @example
 * fixedMs('30s'); // 30000
 * fixedMs('1M'); // undefined (months are calendar intervals)
 */
export function fixedMs(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (m === null) return undefined;
  const n = Number(m[1]) * UNIT_MS[m[2]!]!;
  return n > 0 ? n : undefined;
}

/** Whether `text` names a calendar interval. */
export function isCalendar(text: string): boolean {
  return text in CALENDAR;
}

/**
 * A time zone's offset from UTC at an instant, in ms.
 *
 * @throws {RangeError} for a zone that is neither an offset nor an IANA name Node knows.
 * @example
 * zoneOffset('+05:30')(0); // 19800000
 * zoneOffset('Europe/Berlin')(Date.UTC(2024, 6, 1)); // 7200000
 */
export function zoneOffset(zone: string | undefined): (t: number) => number {
  if (zone === undefined || /^(utc|z|gmt)$/i.test(zone)) return () => 0;
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (fixed !== null) {
    const off = (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) * 60_000;
    return () => off;
  }
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  // Offsets change at most at whole quarter hours; cache by quarter hour.
  const cache = new Map<number, number>();
  return (t) => {
    const q = Math.floor(t / 900_000);
    let off = cache.get(q);
    if (off === undefined) {
      const p = Object.fromEntries(fmt.formatToParts(q * 900_000).map((x) => [x.type, x.value]));
      const local = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
      off = local - q * 900_000;
      if (cache.size > 10_000) cache.clear();
      cache.set(q, off);
    }
    return off;
  };
}

/**
 * A fixed interval, with buckets aligned in local time of the zone and shifted by `offset` ms.
 *
 * @example
 * fixedInterval(3_600_000, () => 0, 0).floor(Date.UTC(2024, 0, 1, 5, 30)); // 05:00
 */
export function fixedInterval(
  ms: number,
  off: (t: number) => number,
  offset: number,
  name = `${ms}ms`,
): Interval {
  return {
    name,
    floor(t) {
      const local = t + off(t) - offset;
      const start = Math.floor(local / ms) * ms + offset;
      return start - off(start - off(t));
    },
    next(start) {
      return this.floor(start + ms + (ms >= 86_400_000 ? 3 * 3_600_000 : 0));
    },
  };
}

/**
 * A calendar interval in the zone: months and years of their real lengths, weeks from Monday.
 *
 * @example
 * calendarInterval('month', () => 0, 0).floor(Date.UTC(2024, 1, 15)); // 2024-02-01
 */
export function calendarInterval(
  text: string,
  off: (t: number) => number,
  offset: number,
): Interval {
  const unit = CALENDAR[text]!;
  const floorLocal = (local: number): number => {
    const d = new Date(local);
    switch (unit) {
      case 'minute':
        return Math.floor(local / 60_000) * 60_000;
      case 'hour':
        return Math.floor(local / 3_600_000) * 3_600_000;
      case 'day':
        return Math.floor(local / 86_400_000) * 86_400_000;
      case 'week': {
        const day = Math.floor(local / 86_400_000) * 86_400_000;
        return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
      }
      case 'month':
        return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      case 'quarter':
        return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
      case 'year':
        return Date.UTC(d.getUTCFullYear(), 0, 1);
    }
  };
  const step: Readonly<Record<CalendarUnit, number>> = {
    minute: 60_000,
    hour: 3_600_000,
    day: 86_400_000 + 3 * 3_600_000,
    week: 7 * 86_400_000 + 3 * 3_600_000,
    month: 32 * 86_400_000,
    quarter: 93 * 86_400_000,
    year: 367 * 86_400_000,
  };
  const floor = (t: number) => {
    const startLocal = floorLocal(t + off(t) - offset) + offset;
    return startLocal - off(startLocal - off(t));
  };
  return { name: unit, floor, next: (start) => floor(start + step[unit]) };
}

/** Readable intervals `auto` chooses from, shortest first. */
const LADDER = [
  '1s',
  '5s',
  '10s',
  '30s',
  '1m',
  '5m',
  '10m',
  '30m',
  '1h',
  '3h',
  '12h',
  '1d',
  '7d',
  '30d',
  '365d',
];

/**
 * The shortest readable interval that splits `[from, to)` into at most `buckets` buckets.
 *
 * @example
 * autoInterval(0, 86_400_000, 50); // '30m' (48 buckets)
 */
export function autoInterval(from: number, to: number, buckets: number): string {
  const span = Math.max(1, to - from);
  for (const name of LADDER) if (span / fixedMs(name)! <= buckets) return name;
  return LADDER[LADDER.length - 1]!;
}
