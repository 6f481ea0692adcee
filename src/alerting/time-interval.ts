/**
 * @module
 * Alertmanager's `time_intervals`: named sets of periods (`times`, `weekdays`, `days_of_month`,
 * `months`, `years`, `location`) that mute a route (`mute_time_intervals`) or are the only times
 * it notifies (`active_time_intervals`). A period contains an instant when every field it sets
 * contains it, read in its location (UTC by default); an interval contains an instant when any
 * of its periods does. Parsing yields closed integer ranges; `end_time` is exclusive.
 */

import { z } from 'zod';

interface Range {
  begin: number;
  end: number;
}

export interface TimePeriod {
  /** Minutes since midnight, `end` exclusive. */
  times: { start: number; end: number }[];
  /** 0 = Sunday, as JavaScript and Go number them. */
  weekdays: Range[];
  /** 1..31, or negative to count from the month's end (-1 = last day). */
  daysOfMonth: Range[];
  /** 1..12. */
  months: Range[];
  years: Range[];
  /** An IANA zone name; undefined means UTC. */
  location: string | undefined;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

type Ctx = z.core.$RefinementCtx<unknown>;

/** Reads `a` or `a:b`, each side through `one`, and checks begin ≤ end. */
function rangeList(what: string, one: (s: string) => number | string) {
  return z.array(z.union([z.string(), z.number()])).transform((items, ctx: Ctx) => {
    const out: Range[] = [];
    items.forEach((item, i) => {
      const parts = String(item).split(':');
      if (parts.length > 2) {
        ctx.addIssue({ code: 'custom', path: [i], message: `invalid ${what} range: ${item}` });
        return;
      }
      const ends = parts.map((p) => one(p.trim().toLowerCase()));
      const bad = ends.find((e) => typeof e === 'string');
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', path: [i], message: bad as string });
        return;
      }
      const [begin, end = begin] = ends as number[];
      if (begin! > end!) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `start ${what} cannot be after end ${what}: ${item}`,
        });
        return;
      }
      out.push({ begin: begin!, end: end! });
    });
    return out;
  });
}

const named = (names: string[], what: string, min: number, max: number) => (s: string) => {
  const byName = names.indexOf(s);
  if (byName >= 0) return byName + (what === 'month' ? 1 : 0);
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  return n >= min && n <= max ? n : `invalid ${what}: ${s}`;
};

const dayOfMonth = (s: string) => {
  const n = /^-?\d+$/.test(s) ? Number(s) : NaN;
  return n !== 0 && n >= -31 && n <= 31 ? n : `invalid day of month: ${s}`;
};

const year = (s: string) => (/^\d{4}$/.test(s) ? Number(s) : `invalid year: ${s}`);

const CLOCK = /^(\d{2}):(\d{2})$/;

function minuteOfDay(s: string): number | undefined {
  const m = CLOCK.exec(s);
  if (m === null) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min !== 0)) return undefined;
  return h * 60 + min;
}

const timeRange = z
  .strictObject({ start_time: z.string(), end_time: z.string() })
  .transform((t, ctx: Ctx) => {
    const start = minuteOfDay(t.start_time);
    const end = minuteOfDay(t.end_time);
    if (start === undefined || end === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [start === undefined ? 'start_time' : 'end_time'],
        message: `invalid time of day ${JSON.stringify(start === undefined ? t.start_time : t.end_time)}: want HH:MM`,
      });
      return z.NEVER;
    }
    if (start >= end) {
      ctx.addIssue({ code: 'custom', message: 'start_time must be before end_time' });
      return z.NEVER;
    }
    return { start, end };
  });

function validZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** One period of a `time_intervals` entry, as written in alertmanager.yml. */
export const timePeriodSchema = z
  .strictObject({
    times: z.array(timeRange).default([]),
    weekdays: rangeList('weekday', named(WEEKDAYS, 'weekday', -1, -1)).default([]),
    days_of_month: rangeList('day of month', dayOfMonth).default([]),
    months: rangeList('month', named(MONTHS, 'month', 1, 12)).default([]),
    years: rangeList('year', year).default([]),
    location: z
      .string()
      .refine((l) => l === 'Local' || validZone(l), 'unknown time zone')
      .optional(),
  })
  .transform((p): TimePeriod => ({
    times: p.times,
    weekdays: p.weekdays,
    daysOfMonth: p.days_of_month,
    months: p.months,
    years: p.years,
    location:
      p.location === 'Local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : p.location,
  }));

interface CivilTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function civil(ms: number, zone: string | undefined): CivilTime {
  if (zone === undefined || zone === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: d.getUTCDay(),
      minute: d.getUTCHours() * 60 + d.getUTCMinutes(),
    };
  }
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'long',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday!.toLowerCase()),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const inRanges = (ranges: readonly Range[], v: number) =>
  ranges.length === 0 || ranges.some((r) => v >= r.begin && v <= r.end);

function periodContains(p: TimePeriod, ms: number): boolean {
  const t = civil(ms, p.location);
  if (p.times.length > 0 && !p.times.some((r) => t.minute >= r.start && t.minute < r.end)) {
    return false;
  }
  if (!inRanges(p.weekdays, t.weekday) || !inRanges(p.months, t.month)) return false;
  if (!inRanges(p.years, t.year)) return false;
  if (p.daysOfMonth.length > 0) {
    const daysInMonth = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
    const abs = (d: number) => (d < 0 ? daysInMonth + d + 1 : d);
    const hit = p.daysOfMonth.some(
      (r) => t.day >= abs(r.begin) && t.day <= Math.min(abs(r.end), daysInMonth),
    );
    if (!hit) return false;
  }
  return true;
}

/**
 * Whether any period of an interval contains the instant `ms`.
 *
 * @example
 * intervalContains([businessHours], Date.parse('2024-01-03T10:00:00Z')); // true on a Wednesday 09–17
 */
export function intervalContains(periods: readonly TimePeriod[], ms: number): boolean {
  return periods.some((p) => periodContains(p, ms));
}
