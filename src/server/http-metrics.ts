/**
 * @module
 * Request counts and latencies by route pattern, method and status code. Labels use the route
 * pattern (`/api/v1/status/:kind`), never the raw URL, so a scanner probing random paths cannot
 * grow the number of series.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from '../lib/instrument/index.js';

const started = new WeakMap<FastifyRequest, bigint>();

export function instrumentHttp(app: FastifyInstance, registry: Registry): void {
  const requests = registry.counter({
    name: 'vigil_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code.',
    labelNames: ['handler', 'method', 'code'],
  });
  const duration = registry.histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to sending the last byte of its response.',
    labelNames: ['handler', 'method'],
  });
  app.addHook('onRequest', async (request) => {
    started.set(request, process.hrtime.bigint());
  });
  app.addHook('onResponse', async (request, reply) => {
    const t0 = started.get(request);
    const handler = request.routeOptions.url ?? 'unmatched';
    requests.labels(handler, request.method, String(reply.statusCode)).inc();
    if (t0 !== undefined) {
      duration.labels(handler, request.method).observe(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  });
}
