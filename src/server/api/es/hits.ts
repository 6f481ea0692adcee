/**
 * @module
 * Hits in Elasticsearch's shape: `_index`, `_id`, `_score` (null when sorted by time, 1 when
 * sorted by score, since nothing is scored), `_source` filtered by `_source` includes and
 * excludes, `sort` values that `search_after` reads back, `fields` for the paths `fields` and
 * `docvalue_fields` ask for (always arrays, `@timestamp` as an ISO string with nanoseconds), and
 * `highlight` narrowed to the fields `highlight.fields` names.
 */

import { forEachField, type FieldValue } from '../../../logs/model/fields.js';
import { formatTime } from '../../../logs/model/timestamp.js';
import { matchParts } from '../../../logs/query/filter/field.js';
import type { Hit } from '../../../logs/query/search.js';
import { type SearchPlan, type SourceFilter, sortValues } from './search-body.js';

const TIME_FIELD = '@timestamp';

/** A predicate for names matching any of `patterns` (`*` wildcards). */
function matcher(patterns: readonly string[]): (name: string) => boolean {
  const split = patterns.map((p) => p.split('*'));
  return (name) => split.some((parts) => matchParts(parts, name));
}

/** Whether `path` or one of its ancestors matches. */
function coveredBy(m: (name: string) => boolean, path: string): boolean {
  if (m(path)) return true;
  for (let i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) {
    if (m(path.slice(0, i))) return true;
  }
  return false;
}

/**
 * A document with only the paths `filter` keeps: a value is kept when its path (or an
 * ancestor's) matches an include, or there are none, and no exclude matches it or an ancestor.
 * Objects left empty are dropped.
 *
 * @example
 * filterSource({ a: { b: 1, c: 2 }, d: 3 }, { includes: ['a.*'], excludes: ['a.c'] }); // { a: { b: 1 } }
 */
export function filterSource(
  source: Readonly<Record<string, unknown>>,
  filter: Exclude<SourceFilter, boolean>,
): Record<string, unknown> {
  const inc = filter.includes.length === 0 ? undefined : matcher(filter.includes);
  const exc = matcher(filter.excludes);
  const walk = (
    obj: Readonly<Record<string, unknown>>,
    prefix: string,
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix === '' ? k : `${prefix}.${k}`;
      if (coveredBy(exc, path)) continue;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const inner = walk(v as Record<string, unknown>, path);
        if (Object.keys(inner).length > 0) out[k] = inner;
      } else if (inc === undefined || coveredBy(inc, path)) out[k] = v;
    }
    return out;
  };
  return walk(source, '');
}

/** The `fields` of a hit: per path that matches, its values. */
function fieldsOf(h: Hit, patterns: readonly string[]): Record<string, FieldValue[]> {
  const m = matcher(patterns);
  const out: Record<string, FieldValue[]> = {};
  forEachField(h.source, (path, v) => {
    if (path === TIME_FIELD || !m(path)) return;
    (out[path] ??= []).push(v);
  });
  if (m(TIME_FIELD)) out[TIME_FIELD] = [formatTime(h.time)];
  return out;
}

/**
 * One hit as Elasticsearch renders it.
 *
 * @example
 * renderHit(hit, plan); // { _index: 'logs', _id: 'x', _score: null, _source: {…}, sort: [1714979289123, '…'] }
 */
export function renderHit(h: Hit, plan: SearchPlan): Record<string, unknown> {
  const out: Record<string, unknown> = {
    _index: h.index,
    _id: h.id,
    _score: plan.scored ? 1 : null,
  };
  if (plan.source === true) out._source = h.source;
  else if (plan.source !== false) out._source = filterSource(h.source, plan.source);
  if (plan.fields.length > 0) out.fields = fieldsOf(h, plan.fields);
  out.sort = sortValues(h.sort);
  if (h.highlight !== undefined && plan.highlightFields !== undefined) {
    const m = matcher(plan.highlightFields);
    const hl = Object.fromEntries(Object.entries(h.highlight).filter(([p]) => m(p)));
    if (Object.keys(hl).length > 0) out.highlight = hl;
  }
  return out;
}
