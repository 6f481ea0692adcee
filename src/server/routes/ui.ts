/**
 * @module
 * Serves the web app built into `dist/ui`. Paths that are not files fall back to `index.html`
 * so the app's own routes (`/status`, `/logs?q=…`) load from a bookmark; API paths never do, and
 * answer in their API's error shape instead.
 *
 * `/` is shared with the Elasticsearch-compatible API, whose clients ask it for the cluster's
 * version: a request that does not accept HTML (clients send `Accept: application/json` or
 * nothing) gets that answer, a browser gets the app.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { sendError } from '../api/prom-v1/envelope.js';
import { sendEsError } from '../api/es/envelope.js';

function isApiPath(url: string): boolean {
  return (
    url.startsWith('/api/') ||
    url.startsWith('/-/') ||
    url === '/metrics' ||
    // The built-in Alertmanager's API: a 404 when it is disabled, not the web app.
    url.startsWith('/alertmanager/api/') ||
    url.startsWith('/alertmanager/-/')
  );
}

/** Elasticsearch's endpoints have a path segment starting with `_` (`/_bulk`, `/logs/_search`). */
function isEsPath(url: string): boolean {
  return /(^|\/)_[a-z]/.test(url);
}

function wantsHtml(request: FastifyRequest): boolean {
  return String(request.headers.accept ?? '').includes('text/html');
}

/**
 * @param esRoot answers `/` for Elasticsearch clients; without it `/` is only the app.
 */
export async function registerUiRoutes(
  app: FastifyInstance,
  uiDir: string | null,
  esRoot?: (reply: FastifyReply) => FastifyReply,
): Promise<void> {
  const indexHtml = uiDir === null ? null : readFileSync(join(uiDir, 'index.html'));
  const sendIndex = (reply: FastifyReply, html: Buffer) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  if (indexHtml !== null || esRoot !== undefined) {
    // The static plugin answers a directory (and so `/`) with 403 when index files are off.
    app.get('/', (request, reply) => {
      if (indexHtml !== null && (esRoot === undefined || wantsHtml(request))) {
        return sendIndex(reply, indexHtml);
      }
      if (esRoot !== undefined) return esRoot(reply);
      return reply.code(404).type('text/plain; charset=utf-8').send('404 page not found\n');
    });
  }
  if (uiDir !== null && indexHtml !== null) {
    await app.register(fastifyStatic, {
      root: uiDir,
      index: false,
      // Built asset names carry a content hash, so they can be cached forever.
      setHeaders(res, path) {
        res.setHeader(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0]!;
    if (path.startsWith('/api/')) {
      return sendError(reply, 'not_found', `no such endpoint: ${request.method} ${path}`);
    }
    if (esRoot !== undefined && isEsPath(path)) {
      return sendEsError(
        reply,
        404,
        'resource_not_found_exception',
        `no handler found for uri [${path}] and method [${request.method}]`,
      );
    }
    const wantsPage = request.method === 'GET' || request.method === 'HEAD';
    if (indexHtml !== null && wantsPage && !isApiPath(path) && !path.startsWith('/assets/')) {
      return sendIndex(reply, indexHtml);
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('404 page not found\n');
  });
}
