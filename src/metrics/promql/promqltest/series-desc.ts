/**
 * @module
 * Series descriptions of the PromQL test language: `metric{label="value"} <values>`, where
 * values use promtool's expanding notation: `1 2 3`, `_` (no sample), `_x3` (three missing),
 * `stale` (a staleness marker), `5x3` (5 four times), `1+2x3` (1 3 5 7, each step added to the
 * previous value, so float rounding accumulates as in Prometheus), `10-1x2`, and `Inf`/`NaN`.
 */

import { Labels } from '../../model/labels.js';
import { parseMetricSelector } from '../parser/parse.js';

/** One position of a value sequence: a number, a staleness marker, or nothing. */
export type SequenceValue = number | 'stale' | null;

export interface SeriesDesc {
  readonly labels: Labels;
  readonly values: SequenceValue[];
}

const NUMBER = String.raw`[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[Ii]nf|NaN|nan)`;
const EXPAND = new RegExp(`^(${NUMBER})(?:([+-])(${NUMBER}))?x(\\d+)$`);
const SINGLE = new RegExp(`^${NUMBER}$`);

/**
 * Reads a number as the test language writes it (`Inf`, `-Inf`, `NaN` included); null when it
 * is not one.
 *
 * @example
 * parseTestNumber('-Inf'); // -Infinity
 */
export function parseTestNumber(s: string): number | null {
  if (!SINGLE.test(s)) return null;
  const body = s.replace(/^[+-]/, '');
  if (/^inf$/i.test(body)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(body)) return NaN;
  return Number(s);
}

/**
 * Expands a value sequence.
 *
 * @throws {Error} for an item that is not in the notation.
 * @example
 * expandValues('1+1x2 _ stale'); // [1, 2, 3, null, 'stale']
 */
export function expandValues(text: string): SequenceValue[] {
  const out: SequenceValue[] = [];
  for (const item of text.split(/\s+/).filter((s) => s !== '')) {
    if (item === '_') out.push(null);
    else if (item === 'stale') out.push('stale');
    else if (/^_x\d+$/.test(item)) for (let i = Number(item.slice(2)); i > 0; i--) out.push(null);
    else {
      const single = parseTestNumber(item);
      if (single !== null) {
        out.push(single);
        continue;
      }
      const m = EXPAND.exec(item);
      if (m === null) throw new Error(`cannot parse series value ${JSON.stringify(item)}`);
      let v = parseTestNumber(m[1]!)!;
      const step = m[2] === undefined ? 0 : parseTestNumber(m[3]!)! * (m[2] === '-' ? -1 : 1);
      const times = Number(m[4]);
      out.push(v);
      for (let i = 1; i <= times; i++) {
        v += step;
        out.push(v);
      }
    }
  }
  return out;
}

/** Index just past the series' label part: the metric name and the braces, if any. */
function endOfLabels(line: string): number {
  let i = 0;
  while (i < line.length && line[i] !== '{' && !/\s/.test(line[i]!)) i++;
  if (line[i] !== '{') return i;
  let quote: string | null = null;
  for (i++; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '}') return i + 1;
  }
  throw new Error(`cannot parse series ${JSON.stringify(line)}: unclosed braces`);
}

/**
 * Parses `metric{labels} values`.
 *
 * @throws {Error} when the labels or values are malformed.
 * @example
 * parseSeriesDesc('up{job="a"} 1 0').values; // [1, 0]
 */
export function parseSeriesDesc(line: string): SeriesDesc {
  const end = endOfLabels(line);
  const matchers = parseMetricSelector(line.slice(0, end));
  const pairs: [string, string][] = [];
  for (const m of matchers) {
    if (m.type !== '=')
      throw new Error(`cannot parse series ${JSON.stringify(line)}: only = matchers allowed`);
    pairs.push([m.name, m.value]);
  }
  return { labels: Labels.from(pairs), values: expandValues(line.slice(end)) };
}
