/**
 * @module
 * Aggregations: the buckets and figures computed over every document a search matches, in
 * Elasticsearch's request and response shapes (`aggs` in a search body, Grafana's and Kibana's
 * language), which the native API speaks too. Each kind is one file implementing
 * {@link AggregationKind}; `parse.ts` builds the tree of a request and bucket kinds create
 * their sub-aggregations per bucket.
 *
 * Aggregators see matching documents one at a time through the {@link ResultBlock} the store
 * streams, so they hold only their state (counts, sketches), never documents.
 */

import type { FieldValue } from '../../model/fields.js';
import { parseTime } from '../../model/timestamp.js';
import type { ResultBlock } from '../../store/interface.js';
import type { FieldResolver } from '../leaves.js';

/** Collects documents and renders its result in Elasticsearch's response shape. */
export interface Aggregator {
  /** Adds document `i` of `block`. */
  collect(block: ResultBlock, i: number): void;
  /** Adds every document of `block`: what {@link collect} of each does, when it can do it faster. */
  collectAll?(block: ResultBlock): void;
  /** The result, e.g. `{ value: 3 }` or `{ buckets: [...] }`. */
  result(): Record<string, unknown>;
}

/** Makes fresh aggregators of one parsed request node (one per bucket of a parent). */
export interface AggregatorFactory {
  create(): Aggregator;
  /** Paths the aggregation reads, so the search loads those columns. */
  readonly fields: readonly string[];
}

/** What a kind's parser gets besides its body. */
export interface ParseContext {
  /** Where this aggregation sits in the request, e.g. `aggs.per_hour.date_histogram`. */
  readonly path: string;
  /** "now" for date math, ms since the epoch. */
  readonly now: number;
  /** The search's time range, for `auto` intervals and default bounds. */
  readonly from?: number;
  readonly to?: number;
  /** Sub-aggregations of this node, to create per bucket (bucket kinds only). */
  readonly subs: ReadonlyMap<string, AggregatorFactory>;
  /** How field names in queries resolve (`filters`); as written when absent. */
  readonly resolve?: FieldResolver;
}

/** One kind of aggregation, e.g. `terms`. */
export interface AggregationKind {
  readonly name: string;
  /** Whether it makes buckets that may hold sub-aggregations. */
  readonly buckets: boolean;
  parse(body: Record<string, unknown>, ctx: ParseContext): AggregatorFactory;
}

/** A request that cannot be aggregated, with where in the request (`aggs.x.terms.size`). */
export class AggregationError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot parse aggregation [${path}]: ${reason}`);
    this.name = 'AggregationError';
  }
}

/** The time field every document has, read from the block without touching its source. */
export const TIME_FIELD = '@timestamp';

/**
 * Calls `onNumber` with each numeric reading of `path` in document `i`: numbers as they are,
 * strings that read as numbers, booleans as 0/1 (as Elasticsearch's metric aggregations do),
 * and, for `@timestamp`, the document's time in ms.
 *
 * @example
 * forEachNumber(block, 0, 'bytes', (v) => (sum += v));
 */
export function forEachNumber(
  block: ResultBlock,
  i: number,
  path: string,
  onNumber: (v: number) => void,
): void {
  if (path === TIME_FIELD) {
    onNumber(block.ms[i]! + block.ns[i]! / 1e6);
    return;
  }
  for (const v of block.values(i, path)) {
    const n = toNumber(v);
    if (n !== undefined) onNumber(n);
  }
}

/**
 * A value as a number: dates as ms since the epoch.
 *
 * @example
 * toNumber('42'); // 42
 * toNumber('2024-01-01T00:00:00Z'); // 1704067200000
 * toNumber('abc'); // undefined
 */
export function toNumber(v: FieldValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = v.trim();
  if (s === '') return undefined;
  const n = Number(s);
  if (Number.isFinite(n)) return n;
  const t = parseTime(s);
  return t === undefined ? undefined : t.ms + t.ns / 1e6;
}

/** Reads a required string field of an aggregation body. */
export function stringParam(
  body: Record<string, unknown>,
  key: string,
  ctx: ParseContext,
  required: true,
): string;
export function stringParam(
  body: Record<string, unknown>,
  key: string,
  ctx: ParseContext,
  required?: false,
): string | undefined;
export function stringParam(
  body: Record<string, unknown>,
  key: string,
  ctx: ParseContext,
  required = false,
): string | undefined {
  const v = body[key];
  if (v === undefined) {
    if (required) throw new AggregationError(ctx.path, `[${key}] is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new AggregationError(ctx.path, `[${key}] must be a string`);
  return v;
}

/** Reads an optional numeric field of an aggregation body. */
export function numberParam(
  body: Record<string, unknown>,
  key: string,
  ctx: ParseContext,
  dflt: number,
): number {
  const v = body[key];
  if (v === undefined) return dflt;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new AggregationError(ctx.path, `[${key}] must be a number, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** Creates one aggregator per sub-aggregation, for a new bucket. */
export function createSubs(subs: ReadonlyMap<string, AggregatorFactory>): Map<string, Aggregator> {
  const out = new Map<string, Aggregator>();
  for (const [name, f] of subs) out.set(name, f.create());
  return out;
}

/** Feeds a document to a bucket's sub-aggregators. */
export function collectSubs(subs: Map<string, Aggregator>, block: ResultBlock, i: number): void {
  for (const a of subs.values()) a.collect(block, i);
}

/** Renders a bucket's sub-aggregations into the bucket object, as Elasticsearch nests them. */
export function subResults(subs: Map<string, Aggregator>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, a] of subs) out[name] = a.result();
  return out;
}

/** The paths a set of sub-aggregations reads. */
export function subFields(subs: ReadonlyMap<string, AggregatorFactory>): string[] {
  return [...subs.values()].flatMap((f) => f.fields);
}

/** Elasticsearch's `search.max_buckets`: beyond it a response would be too large to use. */
export const MAX_BUCKETS = 65_536;

/** A bucket of a histogram: its document count and its sub-aggregations. */
export interface NumericBucket {
  count: number;
  readonly subs: Map<string, Aggregator>;
}

/**
 * The buckets of a histogram by numeric key, refusing to grow past {@link MAX_BUCKETS}.
 *
 * @example
 * const buckets = new NumericBuckets(ctx, 'use a longer interval');
 * buckets.add(key, block, i);
 */
export class NumericBuckets {
  readonly map = new Map<number, NumericBucket>();

  constructor(
    readonly ctx: ParseContext,
    /** What to tell the user to do about too many buckets. */
    readonly advice: string,
  ) {}

  /** Counts document `i` of `block` in the bucket `key` and feeds its sub-aggregations. */
  add(key: number, block: ResultBlock, i: number): void {
    let b = this.map.get(key);
    if (b === undefined) {
      this.check(this.map.size + 1);
      b = { count: 0, subs: createSubs(this.ctx.subs) };
      this.map.set(key, b);
    }
    b.count++;
    collectSubs(b.subs, block, i);
  }

  /** Throws when `n` buckets would be too many. */
  check(n: number): void {
    if (n > MAX_BUCKETS) {
      throw new AggregationError(this.ctx.path, `more than ${MAX_BUCKETS} buckets: ${this.advice}`);
    }
  }
}
