/**
 * @module
 * Number spellings for exposition. Sample values may use any float syntax both parsers accept;
 * `le` label values are strings to the storage, so they must be spelled the same way by every
 * client or a series splits in two. Both formats therefore copy the Go client: `le` is Go's
 * shortest `%g`, and OpenMetrics appends `.0` when that has neither `.` nor `e`, which is the
 * spec's "Canonical Numbers" rendering (`0.005`, `1.0`, `100000.0`, `1e+06`).
 */

/**
 * A sample value: `NaN`, `+Inf`, `-Inf`, or JavaScript's shortest round-trip form. Integers below
 * 1e21 print without exponent; larger ones as `1e+21`, which both parsers read.
 *
 * @example
 * formatValue(42); // '42'
 * formatValue(0.1); // '0.1'
 * formatValue(-Infinity); // '-Inf'
 */
export function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Go's `strconv.FormatFloat(v, 'g', -1, 64)`: shortest round-trip digits, in exponent form when
 * the decimal exponent is below -4 or at least 6, with an at-least-two-digit exponent.
 *
 * @example
 * formatGoFloat(1e6); // '1e+06'
 * formatGoFloat(0.0001); // '0.0001'
 * formatGoFloat(0.00001); // '1e-05'
 */
export function formatGoFloat(value: number): string {
  const abs = Math.abs(value);
  // Where Go prints fixed notation, so does String(), and the digits agree. Tested on doubles,
  // not strings: a shortest decimal can't cross 1e-4 or 1e6 without parsing to a different double.
  if ((abs >= 1e-4 && abs < 1e6) || value === 0) return String(value);
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  // toExponential() without an argument yields the same shortest digits as Go's 'g', -1.
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const exp = Number(exponent);
  const digits = String(Math.abs(exp)).padStart(2, '0');
  return `${mantissa}e${exp < 0 ? '-' : '+'}${digits}`;
}

/**
 * A histogram bound as the text format's `le` label value.
 *
 * @example
 * formatLeText(1); // '1'
 * formatLeText(Infinity); // '+Inf'
 */
export function formatLeText(bound: number): string {
  return cached(textLe, bound, formatGoFloat);
}

/**
 * A histogram bound as OpenMetrics' canonical `le` label value.
 *
 * @example
 * formatLeOpenMetrics(1); // '1.0'
 * formatLeOpenMetrics(0.005); // '0.005'
 * formatLeOpenMetrics(1e6); // '1e+06'
 */
export function formatLeOpenMetrics(bound: number): string {
  return cached(openMetricsLe, bound, canonical);
}

function canonical(bound: number): string {
  const s = formatGoFloat(bound);
  // Exactly the integers formatGoFloat prints without '.' or 'e'.
  return Number.isInteger(bound) && Math.abs(bound) < 1e6 ? s + '.0' : s;
}

/**
 * Every series of a histogram repeats the same bounds on every scrape, so their spellings are
 * kept. The limit bounds memory if a custom collector sends arbitrary bounds; 4096 is far more
 * than the distinct bounds of any sane set of bucket layouts.
 */
const LE_CACHE_LIMIT = 4096;
const textLe = new Map<number, string>();
const openMetricsLe = new Map<number, string>();

function cached(cache: Map<number, string>, bound: number, format: (v: number) => string): string {
  let s = cache.get(bound);
  if (s === undefined) {
    s = format(bound);
    if (cache.size < LE_CACHE_LIMIT) cache.set(bound, s);
  }
  return s;
}
