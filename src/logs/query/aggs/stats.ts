/**
 * @module
 * The single-pass metric aggregations, which share one accumulator: `min`, `max`, `avg`, `sum`,
 * `value_count`, `stats` and `extended_stats`, with Elasticsearch's results (`null` where no
 * value was seen; `value_as_string` for the time field).
 */

import { formatTime } from '../../model/timestamp.js';
import type { ResultBlock } from '../../store/interface.js';
import {
  AggregationError,
  forEachNumber,
  numberParam,
  stringParam,
  TIME_FIELD,
  type AggregationKind,
  type Aggregator,
  type ParseContext,
} from './aggregator.js';

class Accumulator {
  count = 0;
  sum = 0;
  sumSquares = 0;
  min = Infinity;
  max = -Infinity;
  readonly add = (v: number) => {
    this.count++;
    this.sum += v;
    this.sumSquares += v * v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  };
}

type Render = (a: Accumulator, field: string, sigma: number) => Record<string, unknown>;

const orNull = (a: Accumulator, v: number) => (a.count === 0 ? null : v);

function withString(field: string, out: Record<string, unknown>): Record<string, unknown> {
  if (field !== TIME_FIELD || typeof out.value !== 'number') return out;
  const ms = Math.floor(out.value);
  return { ...out, value_as_string: formatTime({ ms, ns: 0 }) };
}

function basic(a: Accumulator) {
  return {
    count: a.count,
    min: orNull(a, a.min),
    max: orNull(a, a.max),
    avg: orNull(a, a.sum / a.count),
    sum: a.sum,
  };
}

const RENDER: Readonly<Record<string, Render>> = {
  min: (a, f) => withString(f, { value: orNull(a, a.min) }),
  max: (a, f) => withString(f, { value: orNull(a, a.max) }),
  avg: (a, f) => withString(f, { value: orNull(a, a.sum / a.count) }),
  sum: (a) => ({ value: a.sum }),
  stats: (a) => basic(a),
  extended_stats: (a, _f, sigma) => {
    const avg = a.sum / a.count;
    // Population variance, as Elasticsearch reports; clamp the rounding of sumSq/n - avg².
    const variance = Math.max(0, a.sumSquares / a.count - avg * avg);
    const sd = Math.sqrt(variance);
    return {
      ...basic(a),
      sum_of_squares: orNull(a, a.sumSquares),
      variance: orNull(a, variance),
      variance_population: orNull(a, variance),
      std_deviation: orNull(a, sd),
      std_deviation_population: orNull(a, sd),
      std_deviation_bounds: {
        upper: orNull(a, avg + sigma * sd),
        lower: orNull(a, avg - sigma * sd),
        upper_population: orNull(a, avg + sigma * sd),
        lower_population: orNull(a, avg - sigma * sd),
      },
    };
  },
};

function statsKind(name: string): AggregationKind {
  const render = RENDER[name]!;
  return {
    name,
    buckets: false,
    parse(body: Record<string, unknown>, ctx: ParseContext) {
      const field = stringParam(body, 'field', ctx, true);
      const sigma = name === 'extended_stats' ? numberParam(body, 'sigma', ctx, 2) : 2;
      if (sigma < 0) throw new AggregationError(ctx.path, '[sigma] must be non-negative');
      return {
        fields: [field],
        create(): Aggregator {
          const acc = new Accumulator();
          return {
            collect: (block: ResultBlock, i: number) => forEachNumber(block, i, field, acc.add),
            result: () => render(acc, field, sigma),
          };
        },
      };
    },
  };
}

/** `value_count`: how many values the field has, of any type. */
const valueCount: AggregationKind = {
  name: 'value_count',
  buckets: false,
  parse(body, ctx) {
    const field = stringParam(body, 'field', ctx, true);
    return {
      fields: [field],
      create(): Aggregator {
        let count = 0;
        return {
          collect(block, i) {
            count += field === TIME_FIELD ? 1 : block.values(i, field).length;
          },
          result: () => ({ value: count }),
        };
      },
    };
  },
};

/** The kinds this file implements. */
export const STATS_KINDS: readonly AggregationKind[] = [
  ...Object.keys(RENDER).map(statsKind),
  valueCount,
];
