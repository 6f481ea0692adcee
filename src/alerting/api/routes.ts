/**
 * @module
 * Alertmanager's API v2 as a fastify plugin, mounted at `/api/v2` by `vigil alertmanager` (and
 * under a prefix when embedded). Errors answer as Alertmanager's do: a JSON string for a refused
 * operation, `{code, message}` for a request that does not fit the spec.
 */

import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Registry } from '../../lib/instrument/index.js';
import type { Logger } from '../../lib/log/logger.js';
import type { Alertmanager } from '../alertmanager.js';
import { registerAlertRoutes } from './alerts.js';
import { registerSilenceRoutes } from './silences.js';
import { registerStatusRoutes } from './status.js';
import { ApiError } from './wire.js';

export interface AlertmanagerApiOptions {
  alertmanager: Alertmanager;
  registry: Registry;
  logger: Logger;
}

/**
 * @example
 * await app.register(alertmanagerApi, { prefix: '/api/v2', alertmanager, registry, logger });
 */
export const alertmanagerApi: FastifyPluginAsync<AlertmanagerApiOptions> = async (
  scope: FastifyInstance,
  { alertmanager, registry, logger },
) => {
  const received = registry.counter({
    name: 'alertmanager_alerts_received_total',
    help: 'The total number of received alerts.',
    labelNames: ['status'],
  });
  received.labels('firing');
  received.labels('resolved');
  const invalid = registry.counter({
    name: 'alertmanager_alerts_invalid_total',
    help: 'The total number of received alerts that were invalid.',
  });
  scope.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    if (err instanceof ApiError) {
      const body = err.status === 422 ? { code: 602, message: err.message } : err.message;
      return reply.code(err.status).type('application/json').send(JSON.stringify(body));
    }
    if (err.statusCode !== undefined && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ code: err.statusCode, message: err.message });
    }
    logger.error('alertmanager API request failed', {
      method: request.method,
      url: request.url,
      err,
    });
    return reply.code(500).type('application/json').send(JSON.stringify(err.message));
  });
  registerStatusRoutes(scope, alertmanager);
  registerAlertRoutes(scope, alertmanager, received, invalid);
  registerSilenceRoutes(scope, alertmanager);
};
