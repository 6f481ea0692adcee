/**
 * @module
 * `terms`: the most frequent values of a field, with Elasticsearch's parameters (`size`,
 * `min_doc_count`, `order` by `_count` or `_key`, `missing`, `include`/`exclude` as a regular
 * expression or a list) and response (`sum_other_doc_count`, buckets with `key` and
 * `doc_count`, sub-aggregations per bucket). One node holds every value, so counts are exact and
 * `doc_count_error_upper_bound` is 0. A document counts once per distinct value it has.
 */

import type { FieldValue } from '../../model/fields.js';
import { formatTime } from '../../model/timestamp.js';
import type { ResultBlock } from '../../store/interface.js';
import {
  AggregationError,
  collectSubs,
  createSubs,
  numberParam,
  stringParam,
  subFields,
  subResults,
  TIME_FIELD,
  type AggregationKind,
  type Aggregator,
  type ParseContext,
} from './aggregator.js';

interface Bucket {
  key: FieldValue;
  count: number;
  subs: Map<string, Aggregator>;
  /** The last document counted, so a document with a repeated value counts once. */
  lastBlock: ResultBlock | null;
  lastDoc: number;
}

/**
 * An order: by count, by key, or by a single-value sub-aggregation (`"1"`, `"stats.avg"`,
 * `"p[99.0]"`), which is how Grafana orders a terms group-by by a metric.
 */
type Order = { by: '_count' | '_key' | SubMetric; dir: 1 | -1 };

interface SubMetric {
  readonly agg: string;
  /** The property of the sub-aggregation's result; `value` when absent. */
  readonly prop?: string;
}

function parseOrder(v: unknown, ctx: ParseContext): Order[] {
  const list = v === undefined ? [{ _count: 'desc' }] : Array.isArray(v) ? v : [v];
  const out = list.map((o): Order => {
    const entries = typeof o === 'object' && o !== null ? Object.entries(o) : [];
    const [key, dir] = entries[0] ?? [];
    const m = key === undefined ? null : /^([^.[\]]+)(?:\.(.+)|\[(.+)\])?$/.exec(key);
    const sub = m !== null && ctx.subs.has(m[1]!);
    if (
      entries.length !== 1 ||
      (key !== '_count' && key !== '_key' && !sub) ||
      (dir !== 'asc' && dir !== 'desc')
    ) {
      throw new AggregationError(
        ctx.path,
        `[order] must be {"_count"|"_key"|"<sub-aggregation>": "asc"|"desc"} or a list of them, got ${JSON.stringify(o)}`,
      );
    }
    const prop = m?.[2] ?? m?.[3];
    const by: Order['by'] =
      key === '_count' || key === '_key'
        ? key
        : { agg: m![1]!, ...(prop === undefined ? {} : { prop }) };
    return { by, dir: dir === 'asc' ? 1 : -1 };
  });
  // Ties in count are broken by key ascending, as Elasticsearch does.
  if (!out.some((o) => o.by === '_key')) out.push({ by: '_key', dir: 1 });
  return out;
}

/** Keys of a field with several types sort by type first (boolean, number, string). */
function compareKeys(a: FieldValue, b: FieldValue): number {
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function parseFilter(
  v: unknown,
  what: string,
  ctx: ParseContext,
): ((s: string) => boolean) | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${v})$`, 'u');
    } catch (err) {
      throw new AggregationError(
        ctx.path,
        `[${what}] is not a valid regular expression: ${(err as Error).message}`,
      );
    }
    return (s) => re.test(s);
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
    const set = new Set(v.map(String));
    return (s) => set.has(s);
  }
  throw new AggregationError(
    ctx.path,
    `[${what}] must be a regular expression or a list of values`,
  );
}

export const TERMS: AggregationKind = {
  name: 'terms',
  buckets: true,
  parse(body, ctx) {
    const field = stringParam(body, 'field', ctx, true);
    const size = numberParam(body, 'size', ctx, 10);
    const minDocCount = numberParam(body, 'min_doc_count', ctx, 1);
    if (size < 1 || !Number.isInteger(size))
      throw new AggregationError(ctx.path, '[size] must be a positive integer');
    const order = parseOrder(body.order, ctx);
    const include = parseFilter(body.include, 'include', ctx);
    const exclude = parseFilter(body.exclude, 'exclude', ctx);
    const missing = body.missing as FieldValue | undefined;
    if (missing !== undefined && !['string', 'number', 'boolean'].includes(typeof missing)) {
      throw new AggregationError(ctx.path, '[missing] must be a string, number or boolean');
    }
    const subs = ctx.subs;
    return {
      fields: [field, ...subFields(subs)],
      create(): Aggregator {
        const buckets = new Map<string, Bucket>();
        let total = 0;
        /** The bucket of `v`, made on first sight; undefined when include/exclude leave it out. */
        const bucketOf = (v: FieldValue): Bucket | undefined => {
          const s = String(v);
          if (include !== undefined && !include(s)) return undefined;
          if (exclude !== undefined && exclude(s)) return undefined;
          const k = typeof v === 'string' ? s : `${typeof v}\u0000${s}`;
          let b = buckets.get(k);
          if (b === undefined) {
            b = { key: v, count: 0, subs: createSubs(subs), lastBlock: null, lastDoc: -1 };
            buckets.set(k, b);
          }
          return b;
        };
        const count = (block: ResultBlock, i: number, v: FieldValue) => {
          const b = bucketOf(v);
          if (b === undefined) return;
          if (b.lastBlock === block && b.lastDoc === i) return;
          b.lastBlock = block;
          b.lastDoc = i;
          b.count++;
          total++;
          collectSubs(b.subs, block, i);
        };
        const collect = (block: ResultBlock, i: number) => {
          if (field === TIME_FIELD) {
            count(block, i, block.ms[i]!);
            return;
          }
          const values = block.values(i, field);
          if (values.length === 0) {
            if (missing !== undefined) count(block, i, missing);
            return;
          }
          for (const v of values) count(block, i, v);
        };
        return {
          collect,
          collectAll(block) {
            // A dictionary column without sub-aggregations: count each code, then each distinct
            // value once (namespaces over 10 M documents: a lookup per document went away).
            const coded =
              subs.size === 0 && field !== TIME_FIELD ? block.codes?.(field) : undefined;
            if (coded === undefined) {
              for (let i = 0; i < block.length; i++) collect(block, i);
              return;
            }
            const { values, codes } = coded;
            // Slot 0 counts documents without a value. The order buckets are made in does not
            // show: ties in the result are broken by key.
            const per = new Int32Array(values.length + 1);
            for (let i = 0; i < codes.length; i++) per[codes[i]! + 1]!++;
            for (let c = 0; c < per.length; c++) {
              if (per[c] === 0) continue;
              const v = c === 0 ? missing : values[c - 1];
              const b = v === undefined ? undefined : bucketOf(v);
              if (b === undefined) continue;
              b.count += per[c]!;
              total += per[c]!;
            }
          },
          result() {
            const all = [...buckets.values()].filter((b) => b.count >= minDocCount);
            const metrics = new Map<Bucket, number[]>();
            for (const b of all) {
              metrics.set(
                b,
                order.map((o) => (typeof o.by === 'object' ? metricOf(b.subs, o.by) : 0)),
              );
            }
            all.sort((a, b) => {
              for (let k = 0; k < order.length; k++) {
                const o = order[k]!;
                const c =
                  o.by === '_count'
                    ? a.count - b.count
                    : o.by === '_key'
                      ? compareKeys(a.key, b.key)
                      : compareMetrics(metrics.get(a)![k]!, metrics.get(b)![k]!);
                if (c !== 0) return c * o.dir;
              }
              return 0;
            });
            const top = all.slice(0, size);
            const shown = top.reduce((n, b) => n + b.count, 0);
            return {
              doc_count_error_upper_bound: 0,
              sum_other_doc_count: total - shown,
              buckets: top.map((b) => ({
                ...keyOf(b.key, field),
                doc_count: b.count,
                ...subResults(b.subs),
              })),
            };
          },
        };
      },
    };
  },
};

/** Numbers in order, -Infinity (no value) equal to itself, which subtraction would make NaN. */
function compareMetrics(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** A sub-aggregation's value for ordering; buckets without one sort as -Infinity. */
function metricOf(subs: Map<string, Aggregator>, m: SubMetric): number {
  const r = subs.get(m.agg)!.result();
  const values = r.values as Record<string, unknown> | undefined;
  const v = m.prop === undefined ? r.value : (r[m.prop] ?? values?.[m.prop]);
  return typeof v === 'number' && !Number.isNaN(v) ? v : -Infinity;
}

function keyOf(key: FieldValue, field: string): Record<string, unknown> {
  if (typeof key === 'boolean') return { key: key ? 1 : 0, key_as_string: String(key) };
  if (field === TIME_FIELD && typeof key === 'number') {
    return { key, key_as_string: formatTime({ ms: key, ns: 0 }) };
  }
  return { key };
}
