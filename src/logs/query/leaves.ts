/**
 * @module
 * Leaf queries as every query language here builds them (KQL, Lucene's `query_string`,
 * Elasticsearch's query DSL), so `status:404` or `@timestamp >= now-1d` means the same in each:
 *
 * - a match: unquoted text is one phrase per whitespace-separated word, each word tokenized
 *   (`ns:kube-system` needs `kube` and `system` in a row), quoted text is one phrase;
 * - a range bound that reads as a number stays a number; a date or date math (`now-1d/d`,
 *   `2024-01-01||+1M`) becomes ms with `date: true`, the date naming its whole period, so
 *   `gt 2024-05-06` starts the next day and `lte now/d` ends with today; other text compares as
 *   a string.
 */

import { tokenize } from '../model/tokenize.js';
import { parseDateMath } from './date-math.js';
import { readNumber } from './filter/read.js';
import type { FieldSel, MatchQuery, Query, RangeQuery } from './query.js';

/** Comparison operators, named as in Elasticsearch's `range` query. */
export type RangeOp = 'lt' | 'lte' | 'gt' | 'gte';

/**
 * A match of `text` on `field`.
 *
 * @example
 * matchLeaf({ kind: 'any' }, 'hello kube-system', false);
 * // { kind: 'match', field: { kind: 'any' }, text: 'hello kube-system', phrases: [['hello'], ['kube', 'system']] }
 */
export function matchLeaf(field: FieldSel, text: string, quoted: boolean): MatchQuery {
  const phrases = quoted ? [tokenize(text)] : text.split(/\s+/).map(tokenize);
  return { kind: 'match', field, text, phrases: phrases.filter((p) => p.length > 0) };
}

/** Text that must read as a date: date math, or the start of an ISO 8601 date. */
const DATE_LIKE = /^(?:now(?:$|[-+/])|\d{4}-\d{2}(?:$|-))|\|\|/;

/** One bound of a range: the operator and the value as written. */
export interface RangeBound {
  readonly op: RangeOp;
  readonly value: string | number;
  /** Read numbers as dates in ms since the epoch (a date field, `format: epoch_millis`). */
  readonly epochMillis?: boolean;
}

/**
 * A range on `field` with each bound read by what it looks like; a bound that is a date makes
 * the whole range a date range, whose number bounds are then ms since the epoch.
 *
 * @param now "now" for date math, ms since the epoch
 * @throws {DateMathError} (date-math.ts) for a bound that looks like a date but does not read.
 * @example
 * rangeLeaf({ kind: 'path', path: 'bytes' }, [{ op: 'gte', value: '1000' }], now);
 * // { kind: 'range', field: …, gte: 1000 }
 * rangeLeaf({ kind: 'path', path: '@timestamp' }, [{ op: 'lte', value: '2024-05-06' }], now);
 * // { kind: 'range', field: …, date: true, lt: Date.UTC(2024, 4, 7) }
 */
export function rangeLeaf(field: FieldSel, bounds: readonly RangeBound[], now: number): RangeQuery {
  const out: { -readonly [K in keyof RangeQuery]: RangeQuery[K] } = { kind: 'range', field };
  for (const b of bounds) {
    const text = String(b.value);
    const n = typeof b.value === 'number' ? b.value : readNumber(text);
    if (n !== undefined) {
      if (b.epochMillis === true) out.date = true;
      tighten(out, b.op, n);
      continue;
    }
    if (!DATE_LIKE.test(text)) {
      tighten(out, b.op, text);
      continue;
    }
    const d = parseDateMath(text, now);
    out.date = true;
    const instant = d.end === d.start;
    switch (b.op) {
      case 'gte':
        tighten(out, 'gte', d.start);
        break;
      case 'gt':
        if (instant) tighten(out, 'gt', d.start);
        else tighten(out, 'gte', d.end);
        break;
      case 'lt':
        tighten(out, 'lt', d.start);
        break;
      case 'lte':
        if (instant) tighten(out, 'lte', d.start);
        else tighten(out, 'lt', d.end);
        break;
    }
  }
  return out;
}

/**
 * Sets a bound; when one of that operator is there already (`gte 2024-05-06` read as `gte`,
 * `gt 2024-05-05` also becoming `gte`), the tighter stays, so no bound is lost.
 */
function tighten(
  q: { -readonly [K in keyof RangeQuery]: RangeQuery[K] },
  op: RangeOp,
  v: number | string,
): void {
  const cur = q[op];
  if (cur === undefined || typeof cur !== typeof v) {
    q[op] = v;
    return;
  }
  const lower = op === 'gt' || op === 'gte';
  if (lower ? v > cur : v < cur) q[op] = v;
}

/**
 * A field as a query names it, resolved: the paths it selects and whether its values are
 * compared whole and case-sensitively, as on an Elasticsearch `keyword` (`exact`), rather than
 * as text.
 */
export interface ResolvedField {
  readonly sel: FieldSel;
  readonly exact: boolean;
  /** The field holds dates, so a number bound of a range is ms since the epoch. */
  readonly date?: boolean;
}

/** Resolves a field name of a query (see {@link ResolvedField}). */
export type FieldResolver = (name: string) => ResolvedField;

/**
 * Names as written: `*` is every field, a name with `*` a pattern, others a path; nothing is
 * exact.
 *
 * @example
 * plainField('labels.*'); // { sel: { kind: 'pattern', parts: ['labels.', ''] }, exact: false }
 */
export const plainField: FieldResolver = (name) => {
  if (!name.includes('*')) return { sel: { kind: 'path', path: name }, exact: false };
  const parts = name.split('*');
  if (parts.every((p) => p === '')) return { sel: { kind: 'any' }, exact: false };
  return { sel: { kind: 'pattern', parts }, exact: false };
};

/**
 * Splits a wildcard pattern as written (`\` escapes) at its unescaped `*` and `?`.
 *
 * @example
 * splitWildcards('web-?\\*x*'); // { parts: ['web-', '*x', ''], wild: ['?', '*'] }
 */
export function splitWildcards(raw: string): { parts: string[]; wild: ('*' | '?')[] } {
  const parts: string[] = [];
  const wild: ('*' | '?')[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    if (ch === '\\' && i + 1 < raw.length) cur += raw.charAt(++i);
    else if (ch === '*' || ch === '?') {
      parts.push(cur);
      wild.push(ch);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return { parts, wild };
}

/** A regex that matches `text` literally (letters, digits and `_` need no escape). */
function regexLiteral(text: string): string {
  return text.replace(/[^\p{L}\p{N}_]/gu, '\\$&');
}

/**
 * A wildcard pattern (`*` any characters, `?` one, `\` escapes) on a field. With only `*` it is
 * a `wildcard` query, unless the field is exact: a wildcard also matches lowercase tokens, a
 * case-sensitive regex (with uppercase in it) only whole values. A `?` makes a `regex`, which the query tree has for it; as a wildcard
 * matches the whole value as written or one token lowercased, so the regex does, or-ed with
 * its lowercase form when that differs (tokens are lowercase); an exact field needs only the
 * first.
 *
 * @example
 * wildcardLeaf(plainField('host'), 'web-*'); // { kind: 'wildcard', field: …, parts: ['web-', ''] }
 * wildcardLeaf(plainField('host'), 'web-?'); // { kind: 'regex', field: …, pattern: 'web\\-.' }
 */
export function wildcardLeaf(f: ResolvedField, raw: string): Query {
  const { parts, wild } = splitWildcards(raw);
  if (!f.exact && wild.every((w) => w === '*')) return { kind: 'wildcard', field: f.sel, parts };
  let pattern = regexLiteral(parts[0]!);
  for (let k = 0; k < wild.length; k++) {
    pattern += (wild[k] === '*' ? '.*' : '.') + regexLiteral(parts[k + 1]!);
  }
  const exact: Query = { kind: 'regex', field: f.sel, pattern };
  const lower = pattern.toLowerCase();
  if (f.exact || lower === pattern) return exact;
  return { kind: 'or', children: [exact, { kind: 'regex', field: f.sel, pattern: lower }] };
}
