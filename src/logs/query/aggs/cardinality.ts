/**
 * @module
 * `cardinality`: the number of distinct values of a field, exact up to `precision_threshold`
 * (default 3 000, at most 40 000, as in Elasticsearch) and estimated with HyperLogLog beyond.
 * Values of different types stay distinct (`1` and `"1"`), as in a field with a type conflict.
 */

import { CardinalitySketch } from '../../../lib/sketch/cardinality-sketch.js';
import type { ResultBlock } from '../../store/interface.js';
import {
  AggregationError,
  numberParam,
  stringParam,
  TIME_FIELD,
  type AggregationKind,
  type Aggregator,
} from './aggregator.js';

export const CARDINALITY: AggregationKind = {
  name: 'cardinality',
  buckets: false,
  parse(body, ctx) {
    const field = stringParam(body, 'field', ctx, true);
    const threshold = numberParam(body, 'precision_threshold', ctx, 3000);
    if (threshold < 0) throw new AggregationError(ctx.path, '[precision_threshold] must be ≥ 0');
    return {
      fields: [field],
      create(): Aggregator {
        const sketch = new CardinalitySketch(Math.min(40_000, threshold));
        const collect = (block: ResultBlock, i: number) => {
          if (field === TIME_FIELD) {
            sketch.add(`${block.ms[i]}.${block.ns[i]}`);
            return;
          }
          for (const v of block.values(i, field)) sketch.add(`${typeof v}:${String(v)}`);
        };
        return {
          collect,
          collectAll(block) {
            // A dictionary column: each distinct value its documents have, added once.
            const coded = field === TIME_FIELD ? undefined : block.codes?.(field);
            if (coded === undefined) {
              for (let i = 0; i < block.length; i++) collect(block, i);
              return;
            }
            const { values, codes } = coded;
            const seen = new Uint8Array(values.length);
            for (let i = 0; i < codes.length; i++) {
              const c = codes[i]!;
              if (c < 0 || seen[c] === 1) continue;
              seen[c] = 1;
              const v = values[c]!;
              sketch.add(`${typeof v}:${String(v)}`);
            }
          },
          result: () => ({ value: sketch.estimate() }),
        };
      },
    };
  },
};
