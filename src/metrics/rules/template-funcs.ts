/**
 * @module
 * The functions Prometheus gives alert templates (`humanize`, `query`, `label`, …), with its
 * output formats, so a rule's annotations render the same text in Vigil as in Prometheus.
 * Query results are lists of `{ Labels, Value }`, the shape templates index into.
 */

import { formatG } from '../../lib/template/gofmt.js';
import type { TemplateFunction } from '../../lib/template/exec.js';
import { parseDuration } from '../../lib/units/duration.js';

/** One element of a template query's result. */
export interface TemplateSample {
  readonly Labels: Readonly<Record<string, string>>;
  readonly Value: number;
}

/** Evaluates PromQL for a template at the rule's evaluation time. */
export type TemplateQuery = (expr: string) => Promise<TemplateSample[]>;

/** Every name {@link templateFunctions} defines, for checking templates when they are loaded. */
export const TEMPLATE_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  'query',
  'first',
  'label',
  'value',
  'strvalue',
  'args',
  'reReplaceAll',
  'safeHtml',
  'match',
  'title',
  'toUpper',
  'toLower',
  'graphLink',
  'tableLink',
  'sortByLabel',
  'humanize',
  'humanize1024',
  'humanizeDuration',
  'humanizePercentage',
  'humanizeTimestamp',
  'toTime',
  'pathPrefix',
  'externalURL',
  'parseDuration',
]);

/** Go's `strconv.ParseFloat` for the strings templates pass (label values, `printf` output). */
function toFloat(v: unknown): number {
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
  return goTime(v);
}

/** Go's `time.Time.String()` in UTC, at Prometheus' millisecond precision. */
function goTime(seconds: number): string {
  const ms = Math.trunc(seconds * 1000);
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac === '' ? '' : `.${frac}`} +0000 UTC`;
}

function sampleList(v: unknown): TemplateSample[] {
  if (!Array.isArray(v)) throw new Error('expected a query result');
  return v as TemplateSample[];
}

/**
 * The functions for one expansion: `query` evaluates at the rule's evaluation time.
 *
 * @example
 * const fns = templateFunctions({ query, externalURL: 'http://vigil:9700' });
 */
export function templateFunctions(opts: {
  query: TemplateQuery;
  externalURL: string;
}): ReadonlyMap<string, TemplateFunction> {
  return new Map<string, TemplateFunction>([
    ['query', (q) => opts.query(String(q))],
    [
      'first',
      (v) => {
        const list = sampleList(v);
        if (list.length === 0) throw new Error('first() called on vector with no elements');
        return list[0];
      },
    ],
    ['label', (name, s) => (s as TemplateSample | null)?.Labels[String(name)] ?? ''],
    ['value', (s) => (s as TemplateSample).Value],
    ['strvalue', (s) => (s as TemplateSample).Labels['__value__'] ?? ''],
    ['args', (...a) => Object.fromEntries(a.map((v, i) => [`arg${i}`, v]))],
    [
      'reReplaceAll',
      (pattern, repl, text) =>
        String(text).replace(new RegExp(String(pattern), 'gu'), goReplacement(String(repl))),
    ],
    ['safeHtml', (s) => String(s)],
    ['match', (pattern, s) => new RegExp(String(pattern), 'u').test(String(s))],
    [
      'title',
      (s) =>
        String(s).replace(
          /(^|[^\p{L}\p{N}_'])(\p{L})/gu,
          (_m, a: string, b: string) => a + b.toUpperCase(),
        ),
    ],
    ['toUpper', (s) => String(s).toUpperCase()],
    ['toLower', (s) => String(s).toLowerCase()],
    ['graphLink', (expr) => `/graph?g0.expr=${encodeURIComponent(String(expr))}&g0.tab=0`],
    ['tableLink', (expr) => `/graph?g0.expr=${encodeURIComponent(String(expr))}&g0.tab=1`],
    [
      'sortByLabel',
      (name, v) =>
        [...sampleList(v)].sort((a, b) =>
          (a.Labels[String(name)] ?? '') < (b.Labels[String(name)] ?? '')
            ? -1
            : (a.Labels[String(name)] ?? '') > (b.Labels[String(name)] ?? '')
              ? 1
              : 0,
        ),
    ],
    ['humanize', humanize],
    ['humanize1024', humanize1024],
    ['humanizeDuration', humanizeDuration],
    ['humanizePercentage', humanizePercentage],
    ['humanizeTimestamp', humanizeTimestamp],
    ['toTime', (v) => new Date(toFloat(v) * 1000)],
    ['pathPrefix', () => new URL(opts.externalURL).pathname.replace(/\/$/, '')],
    ['externalURL', () => opts.externalURL],
    [
      'parseDuration',
      (s) => {
        const ms = parseDuration(String(s));
        if (ms === undefined) throw new Error(`not a valid duration string: ${JSON.stringify(s)}`);
        return ms / 1000;
      },
    ],
  ]);
}

/** Go's `$1`/`${name}` replacement syntax in JavaScript's (`$$` stays a literal `$`). */
function goReplacement(repl: string): string {
  return repl.replace(
    /\$(\{(\w+)\}|(\w+)|\$)/g,
    (m, _b, braced: string | undefined, bare: string | undefined) => {
      if (m === '$$') return '$$';
      const name = braced ?? bare!;
      return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
    },
  );
}
