/**
 * @module
 * Time ranges as a time picker holds them: two expressions, each either date math relative to
 * now (`now`, `now-15m`, `now-1d/d`) or an absolute time (RFC 3339 or epoch milliseconds), as
 * Kibana and Grafana write them in URLs. A range is resolved to milliseconds once per search so
 * that the hits, the histogram and the field sample all cover the same instant span. Pure: the
 * clock is a parameter, so this is tested under node:test beside the file.
 */

/** A range as the user chose it; `from`/`to` are expressions, resolved by {@link resolveRange}. */
export interface TimeRange {
  from: string;
  to: string;
}

/** Milliseconds per date-math unit. `M` and `y` are calendar units, rounded by the calendar. */
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const MATH = /^([+-])(\d+)(ms|s|m|h|d|w|M|y)|^\/(s|m|h|d|w|M|y)/;

/** A time expression that does not read. */
export class TimeExprError extends Error {
  override name = 'TimeExprError';
  constructor(
    readonly expr: string,
    reason: string,
  ) {
    super(`cannot read time ${JSON.stringify(expr)}: ${reason}`);
  }
}

/**
 * Resolves a time expression against `now`, in UTC (the UI shows UTC everywhere). `roundUp`
 * makes `/d` round to the end of the day instead of its start, as for the `to` bound of
 * "today" (`now/d` to `now/d`).
 *
 * @throws TimeExprError for text that is neither date math nor a date
 * @example
 * parseTimeExpr('now-15m', Date.parse('2024-05-06T12:00:00Z')); // 2024-05-06T11:45:00Z in ms
 * parseTimeExpr('2024-05-06T07:08:09Z', 0); // 1714979289000
 */
export function parseTimeExpr(expr: string, now: number, roundUp = false): number {
  const text = expr.trim();
  if (text === '') throw new TimeExprError(expr, 'it is empty');
  if (/^\d+$/.test(text)) return Number(text);
  if (!text.startsWith('now')) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms))
      throw new TimeExprError(expr, 'want now-15m, an ISO 8601 date or epoch ms');
    return ms;
  }
  let t = now;
  let rest = text.slice(3);
  while (rest !== '') {
    const m = MATH.exec(rest);
    if (m === null) throw new TimeExprError(expr, `unexpected ${JSON.stringify(rest)}`);
    if (m[4] !== undefined) t = roundTo(t, m[4], roundUp);
    else t = add(t, (m[1] === '-' ? -1 : 1) * Number(m[2]), m[3]!);
    rest = rest.slice(m[0].length);
  }
  return t;
}

function add(t: number, n: number, unit: string): number {
  if (unit === 'M' || unit === 'y') {
    const d = new Date(t);
    d.setUTCMonth(d.getUTCMonth() + (unit === 'y' ? 12 * n : n));
    return d.getTime();
  }
  return t + n * UNIT_MS[unit]!;
}

function roundTo(t: number, unit: string, up: boolean): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
      d.setUTCMonth(0, 1);
      d.setUTCHours(0, 0, 0, 0);
      break;
    case 'M':
      d.setUTCDate(1);
      d.setUTCHours(0, 0, 0, 0);
      break;
    case 'w':
      // ISO weeks start on Monday.
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      d.setUTCHours(0, 0, 0, 0);
      break;
    case 'd':
      d.setUTCHours(0, 0, 0, 0);
      break;
    case 'h':
      d.setUTCMinutes(0, 0, 0);
      break;
    case 'm':
      d.setUTCSeconds(0, 0);
      break;
    case 's':
      d.setUTCMilliseconds(0);
      break;
  }
  const start = d.getTime();
  return up ? add(start, 1, unit === 'w' ? 'w' : unit) - 1 : start;
}

/**
 * Both bounds in epoch ms; `to` rounds up, so `now/d`–`now/d` is all of today.
 *
 * @throws TimeExprError for a bound that does not read, or `to` before `from`
 * @example
 * resolveRange({ from: 'now-1h', to: 'now' }, now); // { from: now - 3_600_000, to: now }
 */
export function resolveRange(range: TimeRange, now: number): { from: number; to: number } {
  const from = parseTimeExpr(range.from, now);
  const to = parseTimeExpr(range.to, now, true);
  if (to < from) throw new TimeExprError(range.to, 'the end is before the start');
  return { from, to };
}

/** A quick range of the picker. */
export interface QuickRange extends TimeRange {
  label: string;
}

/** The picker's quick ranges, Kibana's commonly used set. */
export const QUICK_RANGES: readonly QuickRange[] = [
  { label: 'Last 15 minutes', from: 'now-15m', to: 'now' },
  { label: 'Last 30 minutes', from: 'now-30m', to: 'now' },
  { label: 'Last 1 hour', from: 'now-1h', to: 'now' },
  { label: 'Last 4 hours', from: 'now-4h', to: 'now' },
  { label: 'Last 12 hours', from: 'now-12h', to: 'now' },
  { label: 'Last 24 hours', from: 'now-24h', to: 'now' },
  { label: 'Last 7 days', from: 'now-7d', to: 'now' },
  { label: 'Last 30 days', from: 'now-30d', to: 'now' },
  { label: 'Last 90 days', from: 'now-90d', to: 'now' },
  { label: 'Last 1 year', from: 'now-1y', to: 'now' },
  { label: 'Today', from: 'now/d', to: 'now/d' },
  { label: 'This week', from: 'now/w', to: 'now/w' },
];

const UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  M: 'month',
  y: 'year',
};

/**
 * How the picker's button names a range: the quick range's label, "Last N units" for other
 * `now-N<unit>`–`now` ranges, otherwise both bounds (absolute ones in UTC).
 *
 * @example
 * describeRange({ from: 'now-2h', to: 'now' }); // 'Last 2 hours'
 */
export function describeRange(range: TimeRange): string {
  const quick = QUICK_RANGES.find((q) => q.from === range.from && q.to === range.to);
  if (quick !== undefined) return quick.label;
  const m = /^now-(\d+)([smhdwMy])$/.exec(range.from);
  if (m !== null && range.to === 'now') {
    const n = Number(m[1]);
    return `Last ${n} ${UNIT_WORDS[m[2]!]}${n === 1 ? '' : 's'}`;
  }
  return `${describeExpr(range.from)} → ${describeExpr(range.to)}`;
}

function describeExpr(expr: string): string {
  if (expr.startsWith('now')) return expr;
  const ms = /^\d+$/.test(expr) ? Number(expr) : Date.parse(expr);
  if (Number.isNaN(ms)) return expr;
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.000Z$|Z$/, '');
}

/** The fixed intervals a histogram may use, smallest first; all divide a day evenly or are days. */
const INTERVALS: readonly [text: string, ms: number][] = [
  ['1s', 1_000],
  ['5s', 5_000],
  ['10s', 10_000],
  ['30s', 30_000],
  ['1m', 60_000],
  ['5m', 300_000],
  ['10m', 600_000],
  ['30m', 1_800_000],
  ['1h', 3_600_000],
  ['3h', 10_800_000],
  ['12h', 43_200_000],
  ['1d', 86_400_000],
  ['7d', 604_800_000],
  ['30d', 2_592_000_000],
];

/**
 * The smallest readable interval that splits `[from, to]` into at most `maxBuckets` bars.
 *
 * @example
 * autoInterval(0, 15 * 60_000, 60); // { text: '30s', ms: 30_000 }
 */
export function autoInterval(
  from: number,
  to: number,
  maxBuckets = 60,
): { text: string; ms: number } {
  const span = Math.max(1, to - from);
  for (const [text, ms] of INTERVALS) if (span / ms <= maxBuckets) return { text, ms };
  const [text, ms] = INTERVALS[INTERVALS.length - 1]!;
  return { text, ms };
}

/** The picker's auto-refresh choices; `''` is off. */
export const REFRESH_INTERVALS: readonly string[] = [
  '',
  '5s',
  '10s',
  '30s',
  '1m',
  '5m',
  '15m',
  '1h',
];

/**
 * A refresh interval (`10s`, `1m`, `1h`) in ms; undefined for `''`, `off` and anything that does
 * not read, so a bad URL parameter leaves auto-refresh off rather than breaking the page.
 *
 * @example
 * parseInterval('30s'); // 30_000
 */
export function parseInterval(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (m === null) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms > 0 ? ms : undefined;
}
