/**
 * @module
 * The functions Prometheus gives alert templates (`humanize`, `query`, `label`, …), with its
 * output formats, so a rule's annotations render the same text in Vigil as in Prometheus.
 * Query results are lists of `{ Labels, Value }`, the shape templates index into.
 */

import {
  goReplacement,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
  toFloat,
} from '../../lib/template/humanize.js';
import type { TemplateFunction } from '../../lib/template/exec.js';
import { parseDuration } from '../../lib/units/duration.js';

export { humanize, humanize1024, humanizeDuration, humanizePercentage, humanizeTimestamp };

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
