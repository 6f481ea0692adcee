/**
 * @module
 * What a query returns, and its JSON text in the shape of Prometheus' HTTP API `data` field:
 * `{"resultType":"vector","result":[{"metric":{…},"value":[1700000000.123,"1.5"]}]}`.
 * Timestamps are milliseconds in memory and seconds with up to three decimals in JSON (written
 * as Prometheus writes them: `1.5 s` is `1.500`); values travel as strings formatted like Go's
 * `strconv.FormatFloat(v, 'f', -1, 64)`, so NaN and ±Inf survive JSON as `"NaN"`, `"+Inf"`,
 * `"-Inf"`.
 */

import type { Labels } from '../model/labels.js';
import { formatFloat } from './parser/strconv.js';

export interface Scalar {
  /** Evaluation time, ms. */
  readonly t: number;
  readonly v: number;
}

export interface StringValue {
  readonly t: number;
  readonly v: string;
}

/** One element of an instant vector. */
export interface Sample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

/** Points of one series, time-ordered, in two parallel arrays. */
export interface MatrixSeries {
  readonly labels: Labels;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
}

export type QueryValue =
  | { readonly resultType: 'scalar'; readonly result: Scalar }
  | { readonly resultType: 'string'; readonly result: StringValue }
  | { readonly resultType: 'vector'; readonly result: readonly Sample[] }
  | { readonly resultType: 'matrix'; readonly result: readonly MatrixSeries[] };

/** A successful query: the value plus the annotations Prometheus returns beside it. */
export type QueryResult = QueryValue & {
  readonly warnings: readonly string[];
  readonly infos: readonly string[];
};

/**
 * A timestamp in ms as Prometheus' API writes it: seconds, and a three-digit fraction when
 * there is one.
 *
 * @example
 * formatTimestamp(1_700_000_000_500); // '1700000000.500'
 * formatTimestamp(-1500); // '-1.500'
 */
export function formatTimestamp(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const secs = Math.floor(abs / 1000);
  const frac = abs - secs * 1000;
  return frac === 0 ? `${sign}${secs}` : `${sign}${secs}.${String(frac).padStart(3, '0')}`;
}

/**
 * A sample value as the API writes it (a JSON string).
 *
 * @example
 * formatValue(0.1); // '"0.1"'
 * formatValue(NaN); // '"NaN"'
 */
export function formatValue(v: number): string {
  return `"${formatFloat(v)}"`;
}

const HEX = '0123456789abcdef';

/**
 * A JSON string as Go's encoder writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped besides the
 * characters JSON requires, so label values come out byte-for-byte as Prometheus sends them.
 *
 * @example
 * jsonString('a<b'); // '"a\\u003cb"'
 */
export function jsonString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // ASCII fast path: plain characters are copied in runs.
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26) {
      if (c < 0x2028 || c > 0x2029) continue;
    }
    out += s.slice(from, i);
    from = i + 1;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else out += '\\u' + (c >= 0x1000 ? c.toString(16) : `00${HEX[c >> 4]}${HEX[c & 15]}`);
  }
  return out + s.slice(from) + '"';
}

/**
 * A label set as a JSON object, names in label order.
 *
 * @example
 * labelsJson(Labels.fromRecord({ job: 'api' })); // '{"job":"api"}'
 */
export function labelsJson(labels: Labels): string {
  const parts: string[] = [];
  labels.forEach((n, v) => {
    parts.push(`${jsonString(n)}:${jsonString(v)}`);
  });
  return `{${parts.join(',')}}`;
}

const point = (t: number, v: number): string => `[${formatTimestamp(t)},${formatValue(v)}]`;

/**
 * The API's `data` object for a result, as JSON text.
 *
 * @example
 * formatQueryData({ resultType: 'scalar', result: { t: 1000, v: 2 } });
 * // '{"resultType":"scalar","result":[1,"2"]}'
 */
export function formatQueryData(value: QueryValue): string {
  return `{"resultType":"${value.resultType}","result":${formatResult(value)}}`;
}

function formatResult(value: QueryValue): string {
  switch (value.resultType) {
    case 'scalar':
      return point(value.result.t, value.result.v);
    case 'string':
      return `[${formatTimestamp(value.result.t)},${jsonString(value.result.v)}]`;
    case 'vector':
      return `[${value.result
        .map((s) => `{"metric":${labelsJson(s.labels)},"value":${point(s.t, s.v)}}`)
        .join(',')}]`;
    case 'matrix':
      return `[${value.result.map(formatSeries).join(',')}]`;
  }
}

function formatSeries(s: MatrixSeries): string {
  const points: string[] = new Array<string>(s.ts.length);
  for (let i = 0; i < s.ts.length; i++) points[i] = point(s.ts[i]!, s.vs[i]!);
  return `{"metric":${labelsJson(s.labels)},"values":[${points.join(',')}]}`;
}
