/**
 * @module
 * One search as the APIs answer it: the page of hits in time order, the total, and the
 * aggregations, from a {@link LogSearcher}. Hits come from a pass in `desc`/`asc` order that
 * stops as soon as the page is full; the total and the aggregations need every match and come
 * from a second pass in the store's cheapest order (`none`), loading only the fields the
 * aggregations read. A search without aggregations and with `trackTotalHits` at most the page
 * size needs only the first pass.
 */

import type { LogTime } from '../model/timestamp.js';
import type { LogSearcher, Position, SearchStats } from '../store/interface.js';
import type { Aggregations } from './aggs/parse.js';
import { highlighter, type HighlightOptions } from './highlight.js';
import type { Query } from './query.js';

export interface SearchOptions {
  readonly indices: readonly string[];
  readonly query: Query;
  /** Time range `[from, to)`, ms. */
  readonly from?: number;
  readonly to?: number;
  readonly sort: 'desc' | 'asc';
  /** Hits per page; 0 for aggregations only. */
  readonly size: number;
  /** Matches to skip before the page (Elasticsearch's `from`); default 0. */
  readonly offset?: number;
  /** The `sort` of the last hit of the previous page. */
  readonly after?: Position;
  readonly aggs?: Aggregations;
  /** Count matches exactly up to this many (true: all; false: none), as Elasticsearch. */
  readonly trackTotalHits: boolean | number;
  readonly highlight?: HighlightOptions;
  readonly signal?: AbortSignal;
}

export interface Hit {
  readonly index: string;
  readonly id: string;
  readonly time: LogTime;
  readonly source: Record<string, unknown>;
  /** Pass as `after` to get the next page. */
  readonly sort: Position;
  readonly highlight?: Record<string, string[]>;
}

export interface SearchOutcome {
  readonly hits: Hit[];
  /** Absent when `trackTotalHits` is false. */
  readonly total?: { readonly value: number; readonly relation: 'eq' | 'gte' };
  readonly aggregations?: Record<string, unknown>;
  /** Both passes together. */
  readonly stats: SearchStats;
}

/**
 * Runs a search.
 *
 * @throws whatever the searcher throws (QueryLimitError, the signal's reason) and
 *   AggregationError from an aggregation that grows too large.
 * @example
 * const out = await search(store, { indices: ['logs-*'], query, sort: 'desc', size: 100, trackTotalHits: 10_000 });
 */
export async function search(searcher: LogSearcher, o: SearchOptions): Promise<SearchOutcome> {
  const base = {
    indices: o.indices,
    query: o.query,
    ...(o.from === undefined ? {} : { from: o.from }),
    ...(o.to === undefined ? {} : { to: o.to }),
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  };
  const hits: Hit[] = [];
  let stats: SearchStats = { docsScanned: 0, docsMatched: 0, bytesRead: 0, blocksSkipped: 0 };
  const hl = o.highlight === undefined ? undefined : highlighter(o.query, o.highlight);
  const limit =
    o.trackTotalHits === true ? Infinity : o.trackTotalHits === false ? 0 : o.trackTotalHits;
  const offset = o.offset ?? 0;
  // Skipped matches are collected too (without highlighting): positions are only known by
  // reading in order.
  const want = o.size + offset;
  if (o.size > 0) {
    stats = add(
      stats,
      await searcher.search(
        {
          ...base,
          order: o.sort,
          ...(o.after === undefined ? {} : { after: o.after }),
          fields: [],
          sources: true,
        },
        (block) => {
          for (let i = 0; i < block.length && hits.length < want; i++) {
            const source = block.source(i);
            hits.push({
              index: block.index,
              id: block.id(i),
              time: { ms: block.ms[i]!, ns: block.ns[i]! },
              source,
              sort: block.position(i),
              ...(hl === undefined || hits.length < offset ? {} : { highlight: hl(source) }),
            });
          }
          return hits.length < want;
        },
      ),
    );
  }
  const needCount = limit > hits.length && !(hits.length < want && o.after === undefined);
  const page = offset === 0 ? hits : hits.slice(offset);
  if (o.aggs === undefined && !needCount) {
    return {
      hits: page,
      ...(limit === 0
        ? {}
        : { total: { value: Math.min(hits.length, limit), relation: 'eq' as const } }),
      stats,
    };
  }
  const running = o.aggs?.create();
  let matched = 0;
  stats = add(
    stats,
    await searcher.search({ ...base, order: 'none', fields: o.aggs?.fields ?? [] }, (block) => {
      matched += block.length;
      if (running !== undefined) {
        for (const a of running.values()) {
          if (a.collectAll !== undefined) a.collectAll(block);
          else for (let i = 0; i < block.length; i++) a.collect(block, i);
        }
      } else if (matched > limit) return false;
      return undefined;
    }),
  );
  return {
    hits: page,
    ...(limit === 0
      ? {}
      : {
          total:
            matched > limit
              ? { value: limit, relation: 'gte' as const }
              : { value: matched, relation: 'eq' as const },
        }),
    ...(running === undefined
      ? {}
      : { aggregations: Object.fromEntries([...running].map(([k, a]) => [k, a.result()])) }),
    stats,
  };
}

function add(a: SearchStats, b: SearchStats): SearchStats {
  return {
    docsScanned: a.docsScanned + b.docsScanned,
    docsMatched: a.docsMatched + b.docsMatched,
    bytesRead: a.bytesRead + b.bytesRead,
    blocksSkipped: a.blocksSkipped + b.blocksSkipped,
  };
}
