/**
 * @module
 * Label-set helpers the evaluator needs beyond {@link Labels}: Go-style printing for error
 * messages (Prometheus' `labels.String()`), and keeping or removing a list of names.
 */

import { Labels } from '../model/labels.js';
import { goQuote } from './parser/strconv.js';

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A label set as Prometheus prints it in messages: `{__name__="up", job="api"}`, values (and
 * names outside the legacy charset) quoted like Go's `strconv.Quote`.
 *
 * @example
 * labelsString(Labels.fromRecord({ job: 'a"b' })); // '{job="a\\"b"}'
 */
export function labelsString(labels: Labels): string {
  const parts: string[] = [];
  labels.forEach((n, v) => {
    parts.push(`${LEGACY_NAME.test(n) ? n : goQuote(n)}=${goQuote(v)}`);
  });
  return `{${parts.join(', ')}}`;
}

/**
 * Only the labels named in `names`.
 *
 * @example
 * keepLabels(Labels.fromRecord({ a: '1', b: '2' }), new Set(['a'])).toString(); // '{a="1"}'
 */
export function keepLabels(labels: Labels, names: ReadonlySet<string>): Labels {
  return Labels.fromSorted(labels.pairs().filter(([n]) => names.has(n)));
}

/**
 * The labels not named in `names`.
 *
 * @example
 * dropLabels(Labels.fromRecord({ a: '1', b: '2' }), new Set(['a'])).toString(); // '{b="2"}'
 */
export function dropLabels(labels: Labels, names: ReadonlySet<string>): Labels {
  return Labels.fromSorted(labels.pairs().filter(([n]) => !names.has(n)));
}
