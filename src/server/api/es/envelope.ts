/**
 * @module
 * Elasticsearch's wire conventions for the compatible API: the product header official clients
 * (7.14 and later) refuse to work without, the version Vigil presents itself as, and the error
 * envelope (`{"error":{"root_cause":[…],"type":…,"reason":…},"status":…}`) clients parse.
 */

import type { FastifyReply } from 'fastify';

/** The Elasticsearch version Vigil answers as: 8.x clients and shippers accept it. */
export const ES_VERSION = '8.11.0';
/** The Lucene version that Elasticsearch version ships. */
export const ES_LUCENE_VERSION = '9.8.0';

/** Sets the header that official Elasticsearch clients check on every response. */
export function productHeader(reply: FastifyReply): FastifyReply {
  return reply.header('x-elastic-product', 'Elasticsearch');
}

/**
 * Sends an error in Elasticsearch's envelope.
 *
 * @example
 * sendEsError(reply, 400, 'parse_exception', 'request body is required');
 */
export function sendEsError(
  reply: FastifyReply,
  status: number,
  type: string,
  reason: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return productHeader(reply)
    .code(status)
    .type('application/json')
    .send(esError(status, type, reason, extra));
}

/**
 * The body of an error in Elasticsearch's envelope; `extra` (e.g. `index`, `caused_by`) joins
 * the error object.
 *
 * @example
 * esError(404, 'index_not_found_exception', 'no such index [x]', { index: 'x' });
 */
export function esError(
  status: number,
  type: string,
  reason: string,
  extra: Record<string, unknown> = {},
): { error: Record<string, unknown>; status: number } {
  const { caused_by: causedBy, ...rest } = extra;
  const cause = { type, reason, ...rest };
  return {
    error: {
      root_cause: [cause],
      ...cause,
      ...(causedBy === undefined ? {} : { caused_by: causedBy }),
    },
    status,
  };
}

/** Answers a request that arrives while the log store is still opening (clients retry 503). */
export function sendStoreNotOpen(reply: FastifyReply): FastifyReply {
  return sendEsError(reply, 503, 'unavailable_shards_exception', 'the log store is not open yet');
}
