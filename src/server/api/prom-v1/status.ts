/**
 * @module
 * `/api/v1/status/*`: build, runtime, flags and configuration in Prometheus' shapes, plus
 * Vigil's `/api/v1/status/components` (component readiness).
 */

import type { FastifyInstance } from 'fastify';
import type { StatusSource } from '../../status.js';
import { sendData, sendError } from './envelope.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function registerStatusRoutes(app: FastifyInstance, status: StatusSource): void {
  app.get('/api/v1/status/buildinfo', (_req, reply) => sendData(reply, status.buildInfo));

  app.get('/api/v1/status/runtimeinfo', (_req, reply) => {
    const info = status.runtimeInfo();
    return sendData(reply, {
      ...info,
      startTime: iso(info.startTime),
      lastConfigTime: iso(info.lastConfigTime),
      // Lets clients compute uptime without trusting their own clock.
      serverTime: iso(Date.now()),
    });
  });

  app.get('/api/v1/status/flags', (_req, reply) => sendData(reply, status.flags()));

  app.get('/api/v1/status/config', (_req, reply) => sendData(reply, { yaml: status.configYaml() }));

  app.get('/api/v1/status/tsdb', (request, reply) => {
    const raw = (request.query as Record<string, string | undefined>).limit;
    const limit = raw === undefined ? 10 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1) {
      return sendError(
        reply,
        'bad_data',
        `limit must be a positive integer, got ${JSON.stringify(raw)}`,
      );
    }
    const data = status.tsdb(limit);
    return data === null
      ? sendError(reply, 'unavailable', 'the TSDB is not open yet')
      : sendData(reply, data);
  });

  app.get('/api/v1/status/components', (_req, reply) =>
    sendData(reply, {
      ready: status.ready(),
      components: status.components().map((c) => ({ ...c, since: iso(c.since) })),
    }),
  );
}
