/**
 * @module
 * `GET|POST /api/v1/logs/search` and `POST /api/v1/logs/aggregate`: KQL search over a time
 * range, newest (or oldest) first, with page tokens, highlighting and aggregations in
 * Elasticsearch's `aggs` language. Parameters come from the query string or a JSON body:
 * `q`, `index`, `start`, `end`, `limit` (hits, default 100, at most 10 000), `order`, `after`,
 * `highlight` (`true`), `track_total` (count matches up to this many, default 10 000), `aggs`
 * (JSON, body only).
 */

import type { FastifyInstance, FastifyReply } from 'fastify';
import { AggregationError } from '../../../logs/query/aggs/aggregator.js';
import { parseAggregations } from '../../../logs/query/aggs/parse.js';
import { search, type Hit } from '../../../logs/query/search.js';
import { QueryLimitError } from '../../../logs/store/errors.js';
import type { LogSearcher } from '../../../logs/store/interface.js';
import { formatTime } from '../../../logs/model/timestamp.js';
import { sendData, sendError } from '../prom-v1/envelope.js';
import { ParamError } from '../prom-v1/params.js';
import {
  indicesParam,
  intParam,
  logParams,
  orderParam,
  positionOf,
  queryParam,
  timeParam,
  tokenOf,
} from './params.js';

export interface LogSearchOptions {
  /** The store, or null while it is not open. */
  searcher: () => LogSearcher | null;
}

/** The wire form of a hit. */
export function hitJson(h: Hit) {
  return {
    index: h.index,
    id: h.id,
    '@timestamp': formatTime(h.time),
    source: h.source,
    sort: tokenOf(h.sort),
    ...(h.highlight === undefined ? {} : { highlight: h.highlight }),
  };
}

/**
 * Answers errors of the log routes: parameters and aggregations are `bad_data`, a search over
 * its limits is `execution` (422, as Prometheus answers a query over its sample limit).
 */
export function sendLogError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof ParamError || err instanceof AggregationError) {
    return sendError(reply, 'bad_data', err.message);
  }
  if (err instanceof QueryLimitError) return sendError(reply, 'execution', err.message);
  throw err;
}

export function registerSearchRoutes(app: FastifyInstance, options: LogSearchOptions): void {
  const handler =
    (aggregateOnly: boolean) =>
    async (request: { query: unknown; body: unknown }, reply: FastifyReply) => {
      const searcher = options.searcher();
      if (searcher === null)
        return sendError(reply, 'unavailable', 'the log store is not open yet');
      const started = performance.now();
      try {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const p = logParams(request.query, body);
        const now = Date.now();
        const from = timeParam(p, 'start', now);
        const to = timeParam(p, 'end', now, true);
        if (from !== undefined && to !== undefined && to < from) {
          throw new ParamError('end must not be before start', 'end');
        }
        const aggs =
          body.aggs === undefined
            ? undefined
            : parseAggregations(body.aggs, {
                now,
                ...(from === undefined ? {} : { from }),
                ...(to === undefined ? {} : { to }),
              });
        if (aggregateOnly && aggs === undefined)
          throw new ParamError('an aggs object is required', 'aggs');
        const after = p.get('after');
        const out = await search(searcher, {
          indices: indicesParam(p),
          query: queryParam(p, now),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          sort: orderParam(p),
          size: aggregateOnly ? 0 : intParam(p, 'limit', 100, 0, 10_000),
          ...(after === undefined ? {} : { after: positionOf(after) }),
          ...(aggs === undefined ? {} : { aggs }),
          trackTotalHits: intParam(p, 'track_total', 10_000, 0, Number.MAX_SAFE_INTEGER),
          ...(p.get('highlight') === 'true' ? { highlight: { numberOfFragments: 0 } } : {}),
        });
        return sendData(reply, {
          hits: out.hits.map(hitJson),
          ...(out.total === undefined ? {} : { total: out.total }),
          ...(out.aggregations === undefined ? {} : { aggregations: out.aggregations }),
          stats: { ...out.stats, took_ms: Math.round(performance.now() - started) },
        });
      } catch (err) {
        return sendLogError(reply, err);
      }
    };
  app.get('/api/v1/logs/search', handler(false));
  app.post('/api/v1/logs/search', handler(false));
  app.post('/api/v1/logs/aggregate', handler(true));
}
