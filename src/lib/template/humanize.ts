/**
 * @module
 * Text functions Prometheus' and Alertmanager's templates share: the `humanize` family with
 * Prometheus' output formats, Go's float parsing of template arguments, and Go's regexp
 * replacement syntax.
 */

import { formatG } from './gofmt.js';

/** Go's `strconv.ParseFloat` for the strings templates pass (label values, `printf` output). */
export function toFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(s)) return NaN;
    const n = Number(s);
    if (s === '' || Number.isNaN(n))
      throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    return n;
  }
  throw new Error(`can't convert ${typeof v} to float`);
}

function scaled(v: number, base: number, up: readonly string[], down: readonly string[]): string {
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of up) {
      if (Math.abs(v) < base) break;
      prefix = p;
      v /= base;
    }
  } else {
    for (const p of down) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= base;
    }
  }
  return `${formatG(v, 4)}${prefix}`;
}

const SI_UP = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SI_DOWN = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

/**
 * `humanize`: SI prefixes and four significant digits.
 *
 * @example
 * humanize(1234567); // '1.235M'
 */
export function humanize(x: unknown): string {
  const v = toFloat(x);
  if (v === 0 || !Number.isFinite(v)) return formatG(v, 4);
  return scaled(v, 1000, SI_UP, SI_DOWN);
}

/** `humanize1024`: binary prefixes (`ki`, `Mi`, …). */
export function humanize1024(x: unknown): string {
  const v = toFloat(x);
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return formatG(v, 4);
  return scaled(v, 1024, ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'], []);
}

/**
 * `humanizeDuration`: seconds as `1d 2h 3m 4s`, or with SI prefixes below a second.
 *
 * @example
 * humanizeDuration(3661); // '1h 1m 1s'
 */
export function humanizeDuration(x: unknown): string {
  let v = toFloat(x);
  if (!Number.isFinite(v)) return formatG(v, 4);
  if (v === 0) return `${formatG(v, 4)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    v = Math.abs(v);
    const d = Math.trunc(v);
    const seconds = d % 60;
    const minutes = Math.trunc(d / 60) % 60;
    const hours = Math.trunc(d / 3600) % 24;
    const days = Math.trunc(d / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatG(v, 4)}s`;
  }
  return `${scaled(v, 1000, [], SI_DOWN)}s`;
}

/** `humanizePercentage`: a ratio as a percentage with four significant digits. */
export function humanizePercentage(x: unknown): string {
  return `${formatG(toFloat(x) * 100, 4)}%`;
}

/** `humanizeTimestamp`: seconds since the epoch as Go prints a UTC `time.Time`. */
export function humanizeTimestamp(x: unknown): string {
  const v = toFloat(x);
  if (!Number.isFinite(v)) return formatG(v, 4);
  return goTimeString(v);
}

/** Go's `time.Time.String()` in UTC, at Prometheus' millisecond precision. */
export function goTimeString(seconds: number): string {
  const ms = Math.trunc(seconds * 1000);
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac === '' ? '' : `.${frac}`} +0000 UTC`;
}

/** Go's `$1`/`${name}` replacement syntax in JavaScript's (`$$` stays a literal `$`). */
export function goReplacement(repl: string): string {
  return repl.replace(
    /\$(\{(\w+)\}|(\w+)|\$)/g,
    (m, _b, braced: string | undefined, bare: string | undefined) => {
      if (m === '$$') return '$$';
      const name = braced ?? bare!;
      return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
    },
  );
}
