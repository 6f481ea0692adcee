/**
 * @module
 * `/metrics`: the server's own metrics, in OpenMetrics when the scraper's Accept header asks for
 * it and in the Prometheus text format 0.0.4 otherwise. Other registries (the host exporter's)
 * are served the same way on paths of their own.
 */

import type { FastifyInstance } from 'fastify';
import { CONTENT_TYPE, negotiateFormat, type Registry } from '../../lib/instrument/index.js';

export function registerMetricsRoute(
  app: FastifyInstance,
  registry: Registry,
  path = '/metrics',
): void {
  app.get(path, (request, reply) => {
    const format = negotiateFormat(request.headers.accept);
    return reply.type(CONTENT_TYPE[format]).send(registry.expose(format));
  });
}
