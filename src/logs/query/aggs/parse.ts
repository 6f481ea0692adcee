/**
 * @module
 * Builds the aggregator tree of a request's `aggs` (or `aggregations`) object: each entry is
 * `{ "<name>": { "<kind>": {…}, "aggs": {…} } }`. Kinds come from one registry, which refuses
 * an unknown kind with the list of known ones.
 */

import {
  AggregationError,
  type AggregationKind,
  type Aggregator,
  type AggregatorFactory,
  type ParseContext,
} from './aggregator.js';
import { CARDINALITY } from './cardinality.js';
import { DATE_HISTOGRAM } from './date-histogram.js';
import { FILTERS } from './filters.js';
import { HISTOGRAM } from './histogram.js';
import { PERCENTILES } from './percentiles.js';
import { STATS_KINDS } from './stats.js';
import { TERMS } from './terms.js';

const KINDS = new Map<string, AggregationKind>();
for (const k of [
  DATE_HISTOGRAM,
  HISTOGRAM,
  TERMS,
  FILTERS,
  PERCENTILES,
  CARDINALITY,
  ...STATS_KINDS,
]) {
  if (KINDS.has(k.name)) throw new Error(`aggregation kind ${k.name} registered twice`);
  KINDS.set(k.name, k);
}

/** What parsing needs besides the request: "now", the search's time range, a field resolver. */
export type AggregationOptions = Pick<ParseContext, 'now' | 'from' | 'to' | 'resolve'>;

/** The aggregations of one request, ready to collect. */
export interface Aggregations {
  /** Every path any aggregation reads. */
  readonly fields: readonly string[];
  /** Fresh aggregators, by name, for one search. */
  create(): Map<string, Aggregator>;
}

/**
 * Parses an `aggs` object.
 *
 * @throws {AggregationError} naming the path of the offending part and what was wrong.
 * @example
 * const aggs = parseAggregations({ per_ns: { terms: { field: 'kubernetes.namespace' } } }, { now: Date.now() });
 * const running = aggs.create();
 * // for each matching document: for (const a of running.values()) a.collect(block, i);
 */
export function parseAggregations(
  aggs: unknown,
  opts: AggregationOptions,
  path = 'aggs',
): Aggregations {
  const factories = parseLevel(aggs, opts, path);
  return {
    fields: [...new Set([...factories.values()].flatMap((f) => f.fields))],
    create() {
      const out = new Map<string, Aggregator>();
      for (const [name, f] of factories) out.set(name, f.create());
      return out;
    },
  };
}

function parseLevel(
  aggs: unknown,
  opts: AggregationOptions,
  path: string,
): Map<string, AggregatorFactory> {
  if (typeof aggs !== 'object' || aggs === null || Array.isArray(aggs)) {
    throw new AggregationError(path, 'must be an object of named aggregations');
  }
  const out = new Map<string, AggregatorFactory>();
  for (const [name, def] of Object.entries(aggs)) {
    const at = `${path}.${name}`;
    if (typeof def !== 'object' || def === null || Array.isArray(def)) {
      throw new AggregationError(at, 'must be an object with one aggregation kind');
    }
    let kindName: string | undefined;
    let subs = new Map<string, AggregatorFactory>();
    for (const [key, value] of Object.entries(def)) {
      if (key === 'aggs' || key === 'aggregations') subs = parseLevel(value, opts, `${at}.${key}`);
      else if (key === 'meta') continue;
      else if (kindName !== undefined) {
        throw new AggregationError(at, `found two aggregation kinds: [${kindName}] and [${key}]`);
      } else kindName = key;
    }
    if (kindName === undefined) throw new AggregationError(at, 'missing the aggregation kind');
    const kind = KINDS.get(kindName);
    if (kind === undefined) {
      throw new AggregationError(
        at,
        `unknown aggregation kind [${kindName}]; known: ${[...KINDS.keys()].sort().join(', ')}`,
      );
    }
    if (subs.size > 0 && !kind.buckets) {
      throw new AggregationError(at, `[${kindName}] cannot have sub-aggregations`);
    }
    const body = (def as Record<string, unknown>)[kindName];
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AggregationError(`${at}.${kindName}`, 'must be an object');
    }
    const ctx: ParseContext = { ...opts, path: `${at}.${kindName}`, subs };
    out.set(name, kind.parse(body as Record<string, unknown>, ctx));
  }
  return out;
}
