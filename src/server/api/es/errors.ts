/**
 * @module
 * How the search-side routes answer what goes wrong, in Elasticsearch's error envelope: the
 * query compilers' {@link EsQueryError} keeps its type (`parsing_exception`,
 * `query_shard_exception`, …); a request error of the routes is an {@link EsApiError}; a bad
 * `aggs` object is a `parsing_exception` and too many buckets Elasticsearch's
 * `too_many_buckets_exception`; a search over the store's limits is a
 * `search_phase_execution_exception`. Anything else is a bug and propagates to fastify's handler.
 */

import type { FastifyReply } from 'fastify';
import { AggregationError } from '../../../logs/query/aggs/aggregator.js';
import { EsQueryError } from '../../../logs/query/es-dsl/errors.js';
import { QueryLimitError } from '../../../logs/store/errors.js';
import { esError, productHeader } from './envelope.js';
import { EsApiError } from './targets.js';

/**
 * The envelope and status for a known error, or undefined for any other.
 *
 * @example
 * esErrorOf(new EsQueryError('parsing_exception', 'unknown query [x]'))?.status; // 400
 */
export function esErrorOf(
  err: unknown,
  phase: 'parse' | 'run' = 'parse',
): ReturnType<typeof esError> | undefined {
  if (err instanceof EsApiError) return esError(err.status, err.type, err.message, err.extra);
  if (err instanceof EsQueryError) {
    const extra = err.causedBy === undefined ? {} : { caused_by: err.causedBy };
    return esError(400, err.type, err.message, extra);
  }
  if (err instanceof AggregationError) {
    const type = phase === 'parse' ? 'parsing_exception' : 'too_many_buckets_exception';
    return esError(400, type, err.message);
  }
  if (err instanceof QueryLimitError) {
    return esError(400, 'search_phase_execution_exception', err.message, {
      phase: 'query',
      caused_by: { type: 'query_limit_exception', reason: err.message },
    });
  }
  return undefined;
}

/**
 * Sends a known error in Elasticsearch's envelope; rethrows any other.
 *
 * @example
 * try { … } catch (err) { return sendEsException(reply, err); }
 */
export function sendEsException(
  reply: FastifyReply,
  err: unknown,
  phase?: 'parse' | 'run',
): FastifyReply {
  const body = esErrorOf(err, phase);
  if (body === undefined) throw err;
  return productHeader(reply).code(body.status).type('application/json').send(body);
}
