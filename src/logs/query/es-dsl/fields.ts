/**
 * @module
 * Field names as Elasticsearch clients write them, resolved against the store's mapping. The
 * mapping API presents every string path as `text` with a `keyword` subfield, as Elasticsearch's
 * dynamic mapping does, so clients (Grafana, Kibana) query and aggregate `kubernetes.namespace.keyword`.
 * The store has no such path: `x.keyword` resolves to `x`, compared exactly (whole value,
 * case-sensitive), unless a real `x.keyword` path exists. A path whose values are all dates
 * (and `@timestamp`) reads number bounds of a range as ms since the epoch.
 */

import { TIME_FIELD } from '../aggs/aggregator.js';
import { type FieldResolver, plainField } from '../leaves.js';
import type { FieldMapping } from '../../store/interface.js';

/** The subfield name dynamic mapping gives the exact form of a string field. */
export const KEYWORD_SUFFIX = '.keyword';

/**
 * The resolver for the fields of `mapping`.
 *
 * @example
 * const resolve = mappingResolver(await store.mapping(['logs-*']));
 * resolve('kubernetes.namespace.keyword'); // { sel: { kind: 'path', path: 'kubernetes.namespace' }, exact: true }
 */
export function mappingResolver(mapping: ReadonlyMap<string, FieldMapping>): FieldResolver {
  return (name) => {
    if (
      name.endsWith(KEYWORD_SUFFIX) &&
      !name.includes('*') &&
      !mapping.has(name) &&
      name.length > KEYWORD_SUFFIX.length
    ) {
      const path = name.slice(0, -KEYWORD_SUFFIX.length);
      return { sel: { kind: 'path', path }, exact: true };
    }
    const f = plainField(name);
    const types = f.sel.kind === 'path' ? mapping.get(f.sel.path)?.types : undefined;
    const date = name === TIME_FIELD || (types !== undefined && types.every((t) => t === 'date'));
    return date ? { ...f, date } : f;
  };
}

/**
 * The store path a field name of an aggregation or a sort names: `x.keyword` is `x` unless the
 * mapping has `x.keyword`.
 *
 * @example
 * storePath('level.keyword', new Map()); // 'level'
 */
export function storePath(name: string, mapping: ReadonlyMap<string, FieldMapping>): string {
  if (name.endsWith(KEYWORD_SUFFIX) && !mapping.has(name)) {
    return name.slice(0, -KEYWORD_SUFFIX.length);
  }
  return name;
}
