/**
 * @module
 * The time range a query requires, for pruning: a date range on `@timestamp` that every
 * match must satisfy (the root, or a child of a root `and`, as a top-level `bool` filter
 * compiles) narrows the search's `[from, to)` in whole ms, so the store skips partitions and
 * blocks outside it. The range stays in the query, which decides to the nanosecond.
 */

import { TIME_FIELD } from './aggs/aggregator.js';
import type { Query } from './query.js';

/**
 * The `[from, to)` ms that contain every document `q` can match, as far as top-level
 * `@timestamp` ranges tell; open sides are absent.
 *
 * @example
 * timeBounds({ kind: 'range', field: { kind: 'path', path: '@timestamp' }, date: true, gte: 1000, lte: 2000 });
 * // { from: 1000, to: 2001 }
 */
export function timeBounds(q: Query): { from?: number; to?: number } {
  let from = -Infinity;
  let to = Infinity;
  const visit = (n: Query) => {
    if (n.kind === 'and') {
      for (const c of n.children) visit(c);
      return;
    }
    if (n.kind !== 'range' || n.date !== true) return;
    if (n.field.kind !== 'path' || n.field.path !== TIME_FIELD) return;
    for (const b of [n.gt, n.gte]) if (typeof b === 'number') from = Math.max(from, Math.floor(b));
    if (typeof n.lt === 'number') to = Math.min(to, Math.ceil(n.lt));
    if (typeof n.lte === 'number') to = Math.min(to, Math.floor(n.lte) + 1);
  };
  visit(q);
  return {
    ...(from === -Infinity ? {} : { from }),
    ...(to === Infinity ? {} : { to }),
  };
}
