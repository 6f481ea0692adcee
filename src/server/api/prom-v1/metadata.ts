/**
 * @module
 * `/api/v1/metadata`: the metric metadata that producers reported, keyed by metric family name,
 * with Prometheus' parameters and their edge cases: `limit` counts families and 0 returns none,
 * a negative one or none means all; `limit_per_metric` counts entries per family and 0 or
 * less means all; `metric` picks one family by exact name. Which families a `limit` keeps is
 * the first ones in name order here; Prometheus keeps whichever its map yields first.
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MetadataQuery, MetadataStore } from '../../../metrics/storage/metadata.js';
import { collectParams, formValue, ParamError, type Params } from './params.js';
import { sendJsonData, sendQueryError } from './respond.js';

export interface MetadataRouteOptions {
  metadata: MetadataStore;
}

/**
 * Registers `GET` and `POST /api/v1/metadata`.
 *
 * @example
 * registerMetadataRoute(app, { metadata: new MemoryMetadataStore() });
 */
export function registerMetadataRoute(app: FastifyInstance, options: MetadataRouteOptions): void {
  const handler = (request: FastifyRequest, reply: FastifyReply) => {
    let query: MetadataQuery;
    try {
      query = metadataQuery(collectParams(request.url, request.body));
    } catch (err) {
      return sendQueryError(reply, err);
    }
    const parts = options.metadata
      .list(query, Date.now())
      .map(([family, entries]) => `${JSON.stringify(family)}:${JSON.stringify(entries)}`);
    // Built as text: an object would move integer-like family names ahead of the others.
    return sendJsonData(reply, `{${parts.join(',')}}`);
  };
  app.get('/api/v1/metadata', handler);
  app.post('/api/v1/metadata', handler);
}

/**
 * The store query for a request's parameters.
 *
 * @throws {ParamError} `limit must be a number` / `limit_per_metric must be a number`, Prometheus'
 *   texts, without the `invalid parameter` prefix its other routes use.
 */
function metadataQuery(params: Params): MetadataQuery {
  const query: MetadataQuery = {};
  const metric = formValue(params, 'metric');
  if (metric !== '') query.metric = metric;
  const limit = intParam(params, 'limit');
  if (limit !== null && limit >= 0) query.limit = limit;
  const perMetric = intParam(params, 'limit_per_metric');
  if (perMetric !== null && perMetric > 0) query.limitPerMetric = perMetric;
  return query;
}

const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.Atoi on a 64-bit platform: an optional sign, decimal digits, int64 range. */
function intParam(params: Params, name: string): number | null {
  const v = formValue(params, name);
  if (v === '') return null;
  if (!/^[+-]?\d+$/.test(v)) throw new ParamError(`${name} must be a number`, null);
  const n = BigInt(v);
  if (n > INT64_MAX || n < -INT64_MAX - 1n) throw new ParamError(`${name} must be a number`, null);
  return Number(n);
}
