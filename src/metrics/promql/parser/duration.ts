/**
 * @module
 * Prometheus durations (`1h30m`, `5m`, `250ms`, `2w`, `1y`), parsed and printed exactly as
 * `prometheus/common/model` does: units go from largest to smallest, each at most once; `0`
 * alone is allowed; a year is 365 days. Durations are carried as integer milliseconds, the
 * resolution Prometheus prints them at.
 */

import { goQuote } from './strconv.js';

const NS_PER_MS = 1_000_000n;
const MAX_NS = (1n << 63n) - 1n;

/** Unit → [order (must strictly increase), length in ns]. */
const UNITS: Readonly<Record<string, readonly [number, bigint]>> = {
  y: [1, 365n * 24n * 3600n * 1_000_000_000n],
  w: [2, 7n * 24n * 3600n * 1_000_000_000n],
  d: [3, 24n * 3600n * 1_000_000_000n],
  h: [4, 3600n * 1_000_000_000n],
  m: [5, 60n * 1_000_000_000n],
  s: [6, 1_000_000_000n],
  ms: [7, NS_PER_MS],
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Parses a duration string into milliseconds. Throws an Error whose message is the one Prometheus
 * gives (`not a valid duration string: "5m1h"`, `unknown unit "hs" in duration "5y1hs"`,
 * `duration out of range`, `empty duration string`).
 *
 * @example
 * parseDuration('1h30m'); // 5400000
 * parseDuration('0'); // 0
 */
export function parseDuration(s: string): number {
  if (s === '0') return 0;
  if (s === '') throw new Error('empty duration string');
  const invalid = () => new Error(`not a valid duration string: ${goQuote(s)}`);
  let total = 0n;
  let lastOrder = 0;
  let i = 0;
  while (i < s.length) {
    if (!isDigit(s[i])) throw invalid();
    const digitsStart = i;
    while (isDigit(s[i])) i++;
    const value = BigInt(s.slice(digitsStart, i));
    if (value > 0xffff_ffff_ffff_ffffn) throw invalid();
    const unitStart = i;
    while (i < s.length && !isDigit(s[i])) i++;
    if (i === unitStart) throw invalid();
    const unitName = s.slice(unitStart, i);
    const unit = Object.hasOwn(UNITS, unitName) ? UNITS[unitName]! : undefined;
    if (unit === undefined) {
      throw new Error(`unknown unit ${goQuote(unitName)} in duration ${goQuote(s)}`);
    }
    const [order, ns] = unit;
    if (order <= lastOrder) throw invalid();
    lastOrder = order;
    if (value > (1n << 63n) / ns) throw new Error('duration out of range');
    total += value * ns;
    if (total > MAX_NS) throw new Error('duration out of range');
  }
  return Number(total / NS_PER_MS);
}

const MS_UNITS: ReadonlyArray<readonly [string, number, boolean]> = [
  // Years and weeks only when they divide evenly: 90d reads better than 12w6d.
  ['y', 365 * 24 * 3600 * 1000, true],
  ['w', 7 * 24 * 3600 * 1000, true],
  ['d', 24 * 3600 * 1000, false],
  ['h', 3600 * 1000, false],
  ['m', 60 * 1000, false],
  ['s', 1000, false],
  ['ms', 1, false],
];

/**
 * Prints a non-negative duration of `ms` milliseconds the way Prometheus does.
 *
 * @example
 * formatDuration(5400000); // '1h30m'
 * formatDuration(0); // '0s'
 */
export function formatDuration(ms: number): string {
  let rest = Math.trunc(ms);
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size, exact] of MS_UNITS) {
    if (exact && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
