/**
 * @module
 * `/-/healthy` (the process serves HTTP) and `/-/ready` (every component has started), the
 * probes Kubernetes and load balancers use, answering GET and HEAD like Prometheus' own.
 */

import type { FastifyInstance } from 'fastify';
import type { StatusSource } from '../status.js';

export function registerLifecycleRoutes(app: FastifyInstance, status: StatusSource): void {
  app.get('/-/healthy', (_req, reply) =>
    reply.type('text/plain; charset=utf-8').send('Vigil is Healthy.\n'),
  );
  app.get('/-/ready', (_req, reply) => {
    reply.type('text/plain; charset=utf-8');
    return status.ready()
      ? reply.send('Vigil is Ready.\n')
      : reply.code(503).send('Service Unavailable\n');
  });
}
