/**
 * @module
 * `date_histogram`: documents per time bucket, as Elasticsearch's request (`field`,
 * `fixed_interval`, `calendar_interval`, the older `interval`, `time_zone`, `offset`,
 * `min_doc_count`, `extended_bounds`, `hard_bounds`, `keyed`) and response (`key` in ms,
 * `key_as_string`, `doc_count`, sub-aggregations). Beyond Elasticsearch, `interval: "auto"`
 * (optionally with `buckets`, default 50) picks a readable interval for the search's time range,
 * which is what a log histogram wants.
 *
 * With `min_doc_count: 0` (the default, as in Elasticsearch) empty buckets between the first
 * and last (or the extended bounds) are filled in, up to `MAX_BUCKETS`.
 */

import { formatTime } from '../../model/timestamp.js';
import type { ResultBlock } from '../../store/interface.js';
import { parseDateMath } from '../date-math.js';
import {
  AggregationError,
  createSubs,
  forEachNumber,
  numberParam,
  stringParam,
  subFields,
  subResults,
  NumericBuckets,
  TIME_FIELD,
  type AggregationKind,
  type Aggregator,
  type ParseContext,
} from './aggregator.js';
import {
  autoInterval,
  calendarInterval,
  fixedInterval,
  fixedMs,
  isCalendar,
  zoneOffset,
  type Interval,
} from './interval.js';

function parseInterval(body: Record<string, unknown>, ctx: ParseContext): Interval {
  const fixed = stringParam(body, 'fixed_interval', ctx);
  const calendar = stringParam(body, 'calendar_interval', ctx);
  const legacy = stringParam(body, 'interval', ctx);
  const given = [fixed, calendar, legacy].filter((x) => x !== undefined);
  if (given.length !== 1) {
    throw new AggregationError(
      ctx.path,
      'exactly one of [fixed_interval], [calendar_interval] or [interval] is required',
    );
  }
  let zone: (t: number) => number;
  try {
    zone = zoneOffset(stringParam(body, 'time_zone', ctx));
  } catch {
    throw new AggregationError(ctx.path, `unknown [time_zone] ${JSON.stringify(body.time_zone)}`);
  }
  const offset = parseOffset(body.offset, ctx);
  if (calendar !== undefined) {
    if (!isCalendar(calendar)) {
      throw new AggregationError(
        ctx.path,
        `[calendar_interval] ${calendar} is not a calendar unit`,
      );
    }
    return calendarInterval(calendar, zone, offset);
  }
  let text = fixed ?? legacy!;
  if (text === 'auto') {
    if (fixed !== undefined)
      throw new AggregationError(ctx.path, '[fixed_interval] cannot be auto');
    const buckets = numberParam(body, 'buckets', ctx, 50);
    text =
      ctx.from !== undefined && ctx.to !== undefined
        ? autoInterval(ctx.from, ctx.to, buckets)
        : '1h';
  }
  if (legacy !== undefined && isCalendar(legacy)) return calendarInterval(legacy, zone, offset);
  const ms = fixedMs(text);
  if (ms === undefined) {
    throw new AggregationError(
      ctx.path,
      `cannot read interval ${JSON.stringify(text)}: want e.g. 30s, 5m, 1h, 1d`,
    );
  }
  return fixedInterval(ms, zone, offset, text);
}

function parseOffset(v: unknown, ctx: ParseContext): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = typeof v === 'string' ? /^([+-]?)(\d+(?:ms|s|m|h|d))$/.exec(v) : null;
  if (m === null) throw new AggregationError(ctx.path, `cannot read [offset] ${JSON.stringify(v)}`);
  return (m[1] === '-' ? -1 : 1) * fixedMs(m[2]!)!;
}

function parseBound(v: unknown, ctx: ParseContext, key: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    try {
      return parseDateMath(v, ctx.now).start;
    } catch (err) {
      throw new AggregationError(ctx.path, `cannot read [${key}]: ${(err as Error).message}`);
    }
  }
  throw new AggregationError(ctx.path, `[${key}] must be a date or ms since the epoch`);
}

function bounds(v: unknown, ctx: ParseContext, key: string): { min?: number; max?: number } {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null) {
    throw new AggregationError(ctx.path, `[${key}] must be an object with min and max`);
  }
  const o = v as Record<string, unknown>;
  const min = parseBound(o.min, ctx, `${key}.min`);
  const max = parseBound(o.max, ctx, `${key}.max`);
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

export const DATE_HISTOGRAM: AggregationKind = {
  name: 'date_histogram',
  buckets: true,
  parse(body, ctx) {
    const field = stringParam(body, 'field', ctx) ?? TIME_FIELD;
    const interval = parseInterval(body, ctx);
    const minDocCount = numberParam(body, 'min_doc_count', ctx, 0);
    const extended = bounds(body.extended_bounds, ctx, 'extended_bounds');
    const hard = bounds(body.hard_bounds, ctx, 'hard_bounds');
    const keyed = body.keyed === true;
    const subs = ctx.subs;
    return {
      fields: [field, ...subFields(subs)],
      create(): Aggregator {
        const buckets = new NumericBuckets(ctx, 'use a longer interval');
        const add = (block: ResultBlock, i: number, t: number) => {
          if (hard.min !== undefined && t < hard.min) return;
          if (hard.max !== undefined && t > hard.max) return;
          buckets.add(interval.floor(t), block, i);
        };
        return {
          collect(block, i) {
            if (field === TIME_FIELD) add(block, i, block.ms[i]!);
            else forEachNumber(block, i, field, (t) => add(block, i, Math.floor(t)));
          },
          result() {
            const keys = [...buckets.map.keys()].sort((a, b) => a - b);
            if (minDocCount === 0) fill(keys);
            const list = keys
              .map((key) => ({ key, b: buckets.map.get(key) }))
              .filter(({ b }) => (b?.count ?? 0) >= minDocCount)
              .map(({ key, b }) => ({
                key_as_string: formatTime({ ms: key, ns: 0 }),
                key,
                doc_count: b?.count ?? 0,
                ...subResults(b?.subs ?? createSubs(subs)),
              }));
            if (!keyed) return { buckets: list };
            return { buckets: Object.fromEntries(list.map((b) => [b.key_as_string, b])) };
          },
        };

        function fill(keys: number[]) {
          let lo = keys[0];
          let hi = keys[keys.length - 1];
          if (extended.min !== undefined)
            lo = Math.min(lo ?? Infinity, interval.floor(extended.min));
          if (extended.max !== undefined)
            hi = Math.max(hi ?? -Infinity, interval.floor(extended.max));
          if (hard.min !== undefined && lo !== undefined)
            lo = Math.max(lo, interval.floor(hard.min));
          if (hard.max !== undefined && hi !== undefined)
            hi = Math.min(hi, interval.floor(hard.max));
          if (lo === undefined || hi === undefined) return;
          const all: number[] = [];
          for (let k = lo; k <= hi; k = interval.next(k)) {
            all.push(k);
            buckets.check(all.length);
          }
          keys.splice(0, keys.length, ...all);
        }
      },
    };
  },
};
