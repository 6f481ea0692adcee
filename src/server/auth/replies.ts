/**
 * @module
 * Refusals in the shape the caller's API uses: Prometheus' envelope under `/api/`,
 * Elasticsearch's `security_exception` for its paths (what its clients and shippers expect from
 * a secured cluster), plain text elsewhere (Pushgateway, Loki push, /metrics).
 */

import type { FastifyReply } from 'fastify';
import { sendEsError } from '../api/es/envelope.js';

/** Elasticsearch's routes: a path segment that starts with `_`, or a bare `/:index`. */
function isEsRoute(route: string | undefined): boolean {
  return route !== undefined && (/(^|\/)_[a-z]/.test(route) || route.startsWith('/:index'));
}

/**
 * Sends a 401, 403 or 429 for a request to `path` (served by route pattern `route`).
 *
 * @example
 * refuse(reply, '/api/v1/query', '/api/v1/query', 401, 'authentication required');
 */
export function refuse(
  reply: FastifyReply,
  path: string,
  route: string | undefined,
  status: 401 | 403 | 429,
  message: string,
): FastifyReply {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="vigil"');
  if (path.startsWith('/api/')) {
    const errorType =
      status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'too_many_requests';
    return reply.code(status).send({ status: 'error', errorType, error: message });
  }
  if (isEsRoute(route)) {
    return sendEsError(
      reply,
      status,
      status === 429 ? 'too_many_requests' : 'security_exception',
      message,
    );
  }
  return reply.code(status).type('text/plain; charset=utf-8').send(`${message}\n`);
}
