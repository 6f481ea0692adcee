/**
 * @module
 * Parsing of the Prometheus HTTP API's query parameters (times, durations, limits, `match[]`),
 * with Prometheus' own error texts so that clients matching on them (Grafana shows them as is)
 * see the same thing. Every parser throws {@link ParamError}; routes answer it as `bad_data`.
 */

import type { Matcher } from '../../../metrics/model/matcher.js';
import { parseDuration as parsePromDuration } from '../../../metrics/promql/parser/duration.js';
import { parseMetricSelector } from '../../../metrics/promql/parser/parse.js';

/**
 * A parameter that does not parse; `message` is the full text for the `error` field.
 *
 * @example
 * new ParamError('end timestamp must not be before start time', 'end').message;
 * // 'invalid parameter "end": end timestamp must not be before start time'
 */
export class ParamError extends Error {
  /** `param` null sends `reason` without the `invalid parameter "…": ` prefix. */
  constructor(reason: string, param: string | null) {
    super(param === null ? reason : `invalid parameter ${JSON.stringify(param)}: ${reason}`);
    this.name = 'ParamError';
  }
}

/**
 * The request's parameters, form body and URL query merged (body values first, as in Go's
 * `r.Form`, so a body value wins), each name keeping all its values so `match[]` can repeat.
 */
export type Params = ReadonlyMap<string, readonly string[]>;

/**
 * Merges a form body (a `URLSearchParams`, as the server's form parser yields) and the URL
 * query string.
 *
 * @example
 * collectParams('/api/v1/series?match[]=up', new URLSearchParams('match[]=go_info')).get('match[]');
 * // ['go_info', 'up']
 */
export function collectParams(url: string, body: unknown): Params {
  const out = new Map<string, string[]>();
  const add = (search: URLSearchParams) => {
    for (const [k, v] of search) {
      const list = out.get(k);
      if (list === undefined) out.set(k, [v]);
      else list.push(v);
    }
  };
  if (body instanceof URLSearchParams) add(body);
  const q = url.indexOf('?');
  if (q >= 0) add(new URLSearchParams(url.slice(q + 1)));
  return out;
}

/**
 * Go's `r.FormValue`: the first value, or '' when absent.
 *
 * @example
 * formValue(collectParams('/api/v1/query?query=up', undefined), 'query'); // 'up'
 */
export const formValue = (params: Params, name: string): string => params.get(name)?.[0] ?? '';

/**
 * The earliest and latest times an optional range defaults to. Prometheus uses ±292 million
 * years; storage timestamps are JS numbers, exact only to 2^53 ms, so we stop there.
 */
export const MIN_TIME = Number.MIN_SAFE_INTEGER;
export const MAX_TIME = Number.MAX_SAFE_INTEGER;

/** What Prometheus prints for its own MinTime/MaxTime, which clients echo back to it. */
const MIN_TIME_TEXT = '-292273086-05-16T16:47:06Z';
const MAX_TIME_TEXT = '292277025-08-18T07:12:54.999999999Z';

/** Go's time.Duration limit, int64 nanoseconds, in ms. */
const MAX_DURATION_MS = 2 ** 63 / 1e6;

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Go's math.Round: halves away from zero. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/**
 * Parses a timestamp given as Unix seconds (decimals allowed, rounded to ms) or RFC 3339, to
 * ms. Like Prometheus, the fraction of an RFC 3339 time is truncated to ms.
 *
 * @throws {Error} `cannot parse "x" to a valid timestamp`.
 * @example
 * parseTime('1700000000.1234'); // 1700000000123
 * parseTime('2023-11-14T22:13:20.5Z'); // 1700000000500
 */
export function parseTime(s: string): number {
  if (FLOAT.test(s)) {
    const t = Number(s);
    const sec = Math.trunc(t);
    const ms = sec * 1000 + roundHalfAway((t - sec) * 1000);
    if (Number.isSafeInteger(ms)) return ms;
  }
  const rfc = parseRfc3339(s);
  if (rfc !== null) return rfc;
  if (s === MIN_TIME_TEXT) return MIN_TIME;
  if (s === MAX_TIME_TEXT) return MAX_TIME;
  throw new Error(`cannot parse ${JSON.stringify(s)} to a valid timestamp`);
}

function parseRfc3339(s: string): number | null {
  const m = RFC3339.exec(s);
  if (m === null) return null;
  const [year, month, day, hour, min, sec] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days || hour > 23 || min > 59 || sec > 59) {
    return null;
  }
  const zoneMin =
    m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  if (m[8] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, min, sec, Number((m[7] ?? '').padEnd(3, '0').slice(0, 3)));
  return date.getTime() - zoneMin * 60_000;
}

/**
 * Parses an optional time parameter, `fallback` when it is absent or empty.
 *
 * @throws {ParamError} `invalid parameter "time": invalid time value for 'time': cannot parse …`.
 * @example
 * timeParam(new Map([['time', ['10']]]), 'time', 0); // 10000
 */
export function timeParam(params: Params, name: string, fallback: number): number {
  const v = formValue(params, name);
  if (v === '') return fallback;
  try {
    return parseTime(v);
  } catch (err) {
    throw new ParamError(`invalid time value for '${name}': ${(err as Error).message}`, name);
  }
}

/**
 * Parses a required time parameter, as `query_range` does (an absent one is `""`).
 *
 * @throws {ParamError} `invalid parameter "start": cannot parse "" to a valid timestamp`.
 * @example
 * requiredTimeParam(new Map([['start', ['1.5']]]), 'start'); // 1500
 */
export function requiredTimeParam(params: Params, name: string): number {
  try {
    return parseTime(formValue(params, name));
  } catch (err) {
    throw new ParamError((err as Error).message, name);
  }
}

/**
 * Parses a duration given as float seconds or a Prometheus duration (`1m30s`), to ms
 * (truncated, as Prometheus turns a duration into milliseconds).
 *
 * @throws {Error} `cannot parse "x" to a valid duration`.
 * @example
 * parseDurationMs('15'); // 15000
 * parseDurationMs('1m'); // 60000
 */
export function parseDurationMs(s: string): number {
  if (FLOAT.test(s)) {
    const ms = Number(s) * 1000;
    // Prometheus holds durations as int64 nanoseconds.
    if (Math.abs(ms) > MAX_DURATION_MS) {
      throw new Error(`cannot parse ${JSON.stringify(s)} to a valid duration. It overflows int64`);
    }
    return Math.trunc(ms);
  }
  try {
    return parsePromDuration(s);
  } catch {
    throw new Error(`cannot parse ${JSON.stringify(s)} to a valid duration`);
  }
}

/**
 * Parses an optional duration parameter; null when absent.
 *
 * @throws {ParamError} `invalid parameter "timeout": cannot parse "x" to a valid duration`.
 * @example
 * durationParam(new Map([['timeout', ['30s']]]), 'timeout'); // 30000
 */
export function durationParam(params: Params, name: string): number | null {
  const v = formValue(params, name);
  if (v === '') return null;
  try {
    return parseDurationMs(v);
  } catch (err) {
    throw new ParamError((err as Error).message, name);
  }
}

/**
 * Parses `limit`: 0 (no limit) when absent.
 *
 * @throws {ParamError} for a non-integer or negative limit.
 * @example
 * limitParam(new Map([['limit', ['5']]])); // 5
 */
export function limitParam(params: Params): number {
  const v = formValue(params, 'limit');
  if (v === '') return 0;
  // Go's strconv.Atoi: an optional sign and decimal digits, nothing else.
  if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    const why = /^[+-]?\d+$/.test(v) ? 'value out of range' : 'invalid syntax';
    throw new ParamError(`strconv.Atoi: parsing ${JSON.stringify(v)}: ${why}`, 'limit');
  }
  const limit = Number(v);
  if (limit < 0) throw new ParamError('limit must be non-negative', 'limit');
  return limit;
}

/**
 * Parses every `match[]` value into a matcher set; each set must have a matcher that does not
 * match the empty string, or it would select every series.
 *
 * @throws {ParamError} the parser's error (`1:3: parse error: …`) or
 *   `match[] must contain at least one non-empty matcher`, prefixed with
 *   `invalid parameter "match[]": ` when `prefixed`, as `/series` does.
 * @example
 * matchParam(new Map([['match[]', ['up', '{job="a"}']]]), false).length; // 2
 */
export function matchParam(params: Params, prefixed: boolean): Matcher[][] {
  const param = prefixed ? 'match[]' : null;
  const sets: Matcher[][] = [];
  for (const text of params.get('match[]') ?? []) {
    try {
      sets.push(parseMetricSelector(text));
    } catch (err) {
      throw new ParamError((err as Error).message, param);
    }
  }
  for (const set of sets) {
    if (!set.some((m) => !m.matches(''))) {
      throw new ParamError('match[] must contain at least one non-empty matcher', param);
    }
  }
  return sets;
}
