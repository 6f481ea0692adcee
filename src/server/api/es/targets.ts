/**
 * @module
 * Index expressions as Elasticsearch reads them in a path (`/logs-*,audit/_search`) or an
 * `_msearch` header: comma lists of names and `*` patterns, `_all` and `*` for every index, and
 * `-pattern` to leave out what an earlier pattern took in. They are resolved against the
 * store's indices here, so a search is always given concrete names: a missing concrete name is
 * Elasticsearch's `index_not_found_exception` (404) unless `ignore_unavailable`, and a pattern
 * that matches nothing is no index (an empty result), as `allow_no_indices` defaults.
 */

import { matchParts } from '../../../logs/query/filter/field.js';
import type { IndexInfo } from '../../../logs/store/interface.js';

/**
 * An error to answer in Elasticsearch's envelope; `extra` joins `type` and `reason`.
 *
 * @example
 * throw new EsApiError(400, 'illegal_argument_exception', 'cannot sort by [x]');
 */
export class EsApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(reason);
    this.name = 'EsApiError';
  }
}

/**
 * Elasticsearch's "no such index" error.
 *
 * @example
 * throw indexNotFound('logs-x');
 */
export function indexNotFound(name: string): EsApiError {
  return new EsApiError(404, 'index_not_found_exception', `no such index [${name}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': name,
    index_uuid: '_na_',
    index: name,
  });
}

/**
 * A target list from a path parameter or a header: a string with commas, or a list.
 *
 * @example
 * splitTargets('logs-*,audit'); // ['logs-*', 'audit']
 */
export function splitTargets(expr: unknown): string[] {
  const list = Array.isArray(expr) ? expr.map(String) : typeof expr === 'string' ? [expr] : [];
  return list
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function matches(pattern: string, name: string): boolean {
  return pattern.includes('*') ? matchParts(pattern.split('*'), name) : pattern === name;
}

/**
 * The indices an expression names, in name order.
 *
 * @throws {EsApiError} 404 for a concrete name that does not exist, unless `ignoreUnavailable`.
 * @example
 * resolveTargets(['logs-*', '-logs-old'], await searcher.indices(), false); // [{ name: 'logs-app', … }]
 */
export function resolveTargets(
  targets: readonly string[],
  all: readonly IndexInfo[],
  ignoreUnavailable: boolean,
): IndexInfo[] {
  const byName = new Map(all.map((i) => [i.name, i]));
  const chosen = new Set<string>();
  const list = targets.length === 0 ? ['*'] : targets;
  list.forEach((t, k) => {
    if (t.startsWith('-') && k > 0) {
      const p = t.slice(1);
      for (const n of [...chosen]) if (matches(p, n)) chosen.delete(n);
      return;
    }
    const p = t === '_all' ? '*' : t;
    if (!p.includes('*')) {
      if (byName.has(p)) chosen.add(p);
      else if (!ignoreUnavailable) throw indexNotFound(p);
      return;
    }
    for (const n of byName.keys()) if (matches(p, n)) chosen.add(n);
  });
  return [...chosen].sort().map((n) => byName.get(n)!);
}

/**
 * Sizes as `_cat` prints them by default: `512b`, `4.2kb`, `1.1gb`.
 *
 * @example
 * humanBytes(4300); // '4.1kb'
 */
export function humanBytes(n: number): string {
  const units = ['b', 'kb', 'mb', 'gb', 'tb', 'pb'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n}b` : `${Number(v.toFixed(1))}${units[u]}`;
}

/**
 * Bytes in the unit of `_cat`'s `bytes` parameter (`b`, `kb`, `mb`, `gb`), whole.
 *
 * @example
 * bytesIn(5000, 'kb'); // '4'
 */
export function bytesIn(n: number, unit: string): string {
  const scale: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  const s = scale[unit];
  if (s === undefined) {
    throw new EsApiError(
      400,
      'illegal_argument_exception',
      `cannot read bytes [${unit}]: want b, kb, mb or gb`,
    );
  }
  return String(Math.floor(n / s));
}
