/**
 * @module
 * `percentiles`: Elasticsearch's request (`field`, `percents`, `keyed`) and response
 * (`{"values":{"50.0":…}}` or a list when `keyed: false`), computed with a sketch of 1 %
 * relative accuracy (`lib/sketch/quantile-sketch.ts`) in place of Elasticsearch's t-digest.
 */

import { QuantileSketch } from '../../../lib/sketch/quantile-sketch.js';
import {
  AggregationError,
  forEachNumber,
  stringParam,
  type AggregationKind,
  type Aggregator,
} from './aggregator.js';

const DEFAULT_PERCENTS = [1, 5, 25, 50, 75, 95, 99];

/** Elasticsearch's key for a percent: always with a fraction, `50.0`, `99.9`. */
function keyOf(p: number): string {
  return Number.isInteger(p) ? p.toFixed(1) : String(p);
}

export const PERCENTILES: AggregationKind = {
  name: 'percentiles',
  buckets: false,
  parse(body, ctx) {
    const field = stringParam(body, 'field', ctx, true);
    // Numbers or numeric strings, as Elasticsearch reads doubles (Grafana sends strings).
    const given: unknown = body.percents ?? DEFAULT_PERCENTS;
    const percents = Array.isArray(given)
      ? given.map((p) => (typeof p === 'string' && p.trim() !== '' ? Number(p) : p))
      : given;
    if (
      !Array.isArray(percents) ||
      !percents.every((p) => typeof p === 'number' && p >= 0 && p <= 100)
    ) {
      throw new AggregationError(ctx.path, '[percents] must be a list of numbers from 0 to 100');
    }
    const keyed = body.keyed !== false;
    return {
      fields: [field],
      create(): Aggregator {
        const sketch = new QuantileSketch();
        const add = (v: number) => sketch.add(v);
        return {
          collect: (block, i) => forEachNumber(block, i, field, add),
          result() {
            const values = (percents as number[]).map((p) => {
              const v = sketch.quantile(p / 100);
              return { key: p, value: Number.isNaN(v) ? null : v };
            });
            if (!keyed) return { values };
            return { values: Object.fromEntries(values.map((v) => [keyOf(v.key), v.value])) };
          },
        };
      },
    };
  },
};
