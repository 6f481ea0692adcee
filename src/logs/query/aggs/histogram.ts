/**
 * @module
 * `histogram`: documents per numeric bucket of a fixed `interval`, as Elasticsearch's request
 * (`field`, `interval`, `offset`, `min_doc_count` default 0, `extended_bounds`, `keyed`) and
 * response. Empty buckets between the first and last are filled in when `min_doc_count` is 0.
 */

import {
  AggregationError,
  createSubs,
  forEachNumber,
  numberParam,
  stringParam,
  subFields,
  subResults,
  NumericBuckets,
  type AggregationKind,
  type Aggregator,
} from './aggregator.js';

export const HISTOGRAM: AggregationKind = {
  name: 'histogram',
  buckets: true,
  parse(body, ctx) {
    const field = stringParam(body, 'field', ctx, true);
    const interval = numberParam(body, 'interval', ctx, NaN);
    if (!(interval > 0)) throw new AggregationError(ctx.path, '[interval] must be a number > 0');
    const offset = numberParam(body, 'offset', ctx, 0);
    const minDocCount = numberParam(body, 'min_doc_count', ctx, 0);
    const ext = (body.extended_bounds ?? {}) as Record<string, unknown>;
    const extMin = typeof ext.min === 'number' ? ext.min : undefined;
    const extMax = typeof ext.max === 'number' ? ext.max : undefined;
    const keyed = body.keyed === true;
    const subs = ctx.subs;
    const floor = (v: number) => Math.floor((v - offset) / interval) * interval + offset;
    return {
      fields: [field, ...subFields(subs)],
      create(): Aggregator {
        const buckets = new NumericBuckets(ctx, 'use a larger interval');
        return {
          collect(block, i) {
            let last = NaN;
            // A document with several values in one bucket counts once there.
            forEachNumber(block, i, field, (v) => {
              const k = floor(v);
              if (k === last) return;
              last = k;
              buckets.add(k, block, i);
            });
          },
          result() {
            let keys = [...buckets.map.keys()].sort((a, b) => a - b);
            if (
              minDocCount === 0 &&
              (keys.length > 0 || (extMin !== undefined && extMax !== undefined))
            ) {
              const lo = Math.min(
                keys[0] ?? Infinity,
                extMin === undefined ? Infinity : floor(extMin),
              );
              const hi = Math.max(
                keys[keys.length - 1] ?? -Infinity,
                extMax === undefined ? -Infinity : floor(extMax),
              );
              buckets.check(Math.floor((hi - lo) / interval) + 1);
              keys = [];
              for (let n = 0; lo + n * interval <= hi; n++) keys.push(lo + n * interval);
            }
            const list = keys
              .map((key) => ({ key, b: buckets.map.get(key) }))
              .filter(({ b }) => (b?.count ?? 0) >= minDocCount)
              .map(({ key, b }) => ({
                key,
                doc_count: b?.count ?? 0,
                ...subResults(b?.subs ?? createSubs(subs)),
              }));
            if (!keyed) return { buckets: list };
            return { buckets: Object.fromEntries(list.map((b) => [String(b.key), b])) };
          },
        };
      },
    };
  },
};
