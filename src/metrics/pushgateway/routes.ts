/**
 * @module
 * The Pushgateway's HTTP API as a fastify plugin, mounted at the root by `vigil pushgateway` and
 * under a prefix by `vigil server`: `PUT`/`POST`/`DELETE /metrics/job/<job>{/<label>/<value>}`,
 * `GET /metrics`, `GET /api/v1/metrics`, `PUT /api/v1/admin/wipe` (when enabled), `/-/healthy`
 * and `/-/ready`. Bodies are read raw in this plugin's own scope, whatever their Content-Type,
 * so the parsers of the server it is mounted in neither see nor alter them.
 */

import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { TEXT_CONTENT_TYPE } from '../../lib/instrument/index.js';
import type { Logger } from '../../lib/log/logger.js';
import { GroupingKeyError, PushError, PushParseError, UnsupportedFormatError } from './errors.js';
import type { GroupingLabels } from './family.js';
import { parseGroupingPath } from './grouping-key.js';
import { metricsResponse } from './json-api.js';
import { parsePushBody } from './parse.js';
import { renderText } from './render.js';
import type { PushStore } from './store.js';

const gunzipAsync = promisify(gunzip);
const PLAIN = 'text/plain; charset=utf-8';

export interface PushgatewayRoutesOptions {
  store: PushStore;
  logger?: Logger;
  /** Serve `PUT /api/v1/admin/wipe` (the Pushgateway's `--web.enable-admin-api`). */
  adminApi?: boolean;
}

/**
 * Registers the routes; pass `prefix` to `register` to mount them under a path.
 *
 * @example
 * await app.register(pushgatewayRoutes, { prefix: '/pushgateway', store, adminApi: false });
 */
export const pushgatewayRoutes: FastifyPluginAsync<PushgatewayRoutesOptions> = async (
  scope: FastifyInstance,
  options: PushgatewayRoutesOptions,
) => {
  const { store, logger } = options;
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  scope.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    const status =
      err instanceof PushError
        ? err.status
        : err.statusCode !== undefined && err.statusCode >= 400
          ? err.statusCode
          : 500;
    if (status >= 500) {
      logger?.error('pushgateway request failed', {
        method: request.method,
        url: request.url,
        err,
      });
    } else {
      logger?.debug('push refused', { method: request.method, url: request.url, err: err.message });
    }
    return reply.code(status).type(PLAIN).send(`${err.message}\n`);
  });

  /** The grouping labels of the request's path, or a 404 sent. */
  const grouping = (request: FastifyRequest, reply: FastifyReply): GroupingLabels | undefined => {
    const q = request.url.indexOf('?');
    const raw = (q === -1 ? request.url : request.url.slice(0, q)).slice(scope.prefix.length);
    let path: string;
    try {
      path = decodeURIComponent(raw);
    } catch {
      throw new GroupingKeyError(`invalid percent-encoding in path ${JSON.stringify(raw)}`);
    }
    const labels = parseGroupingPath(path);
    if (labels === undefined) void reply.code(404).type(PLAIN).send('404 page not found\n');
    return labels;
  };

  const push = (replace: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const labels = grouping(request, reply);
    if (labels === undefined) return reply;
    const contentType = request.headers['content-type'] ?? '';
    if (/^\s*application\/vnd\.google\.protobuf\s*(;|$)/i.test(contentType)) {
      throw new UnsupportedFormatError(contentType);
    }
    const body = await readBody(request);
    await store.push(labels, parsePushBody(body), { replace });
    return reply.code(200).send();
  };

  scope.put('/metrics/*', push(true));
  scope.post('/metrics/*', push(false));
  scope.delete('/metrics/*', async (request, reply) => {
    const labels = grouping(request, reply);
    if (labels === undefined) return reply;
    await store.delete(labels);
    return reply.code(202).send();
  });

  scope.get('/metrics', (_request, reply) => {
    const { families, problems } = store.gather();
    if (problems.length > 0) {
      return reply
        .code(500)
        .type(PLAIN)
        .send(`An error has occurred while serving metrics:\n\n${problems.join('\n')}\n`);
    }
    return reply.type(TEXT_CONTENT_TYPE).send(renderText(families));
  });
  scope.get('/api/v1/metrics', (_request, reply) =>
    reply.type('application/json').send(JSON.stringify(metricsResponse(store.groups()))),
  );
  if (options.adminApi === true) {
    scope.put('/api/v1/admin/wipe', async (_request, reply) => {
      await store.wipe();
      return reply.code(202).send();
    });
  }
  scope.get('/-/healthy', (_request, reply) => reply.type(PLAIN).send('OK'));
  scope.get('/-/ready', (_request, reply) => reply.type(PLAIN).send('OK'));
};

async function readBody(request: FastifyRequest): Promise<Buffer> {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const encoding = String(request.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (encoding !== 'gzip') return raw;
  try {
    return await gunzipAsync(raw);
  } catch (err) {
    throw new PushParseError(`cannot gunzip body: ${(err as Error).message}`, { cause: err });
  }
}
