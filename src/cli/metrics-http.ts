/**
 * @module
 * The one route of the small per-node processes (`vigil exporter`, `vigil agent`): `GET /metrics`
 * in the format the scraper asks for, and a link to it on `/`. Served with `node:http`, not
 * fastify: one read-only route needs no routing, schemas or plugins, and a per-node process
 * should not pay their startup time and memory.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPE, negotiateFormat, type Registry } from '../lib/instrument/index.js';
import type { Logger } from '../lib/log/logger.js';

/**
 * Answers one request; `title` names the process on `/`.
 *
 * @example
 * createServer((req, res) => serveMetrics(registry, log, 'Vigil agent', req, res));
 */
export function serveMetrics(
  registry: Registry,
  log: Logger,
  title: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (path === '/metrics') {
    let body: string;
    const format = negotiateFormat(req.headers.accept);
    try {
      body = registry.expose(format);
    } catch (err) {
      log.error('cannot expose metrics', { err });
      res
        .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        .end('cannot expose metrics\n');
      return;
    }
    res
      .writeHead(200, { 'content-type': CONTENT_TYPE[format] })
      .end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  if (path === '/') {
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<html><head><title>${title}</title></head><body><a href="/metrics">Metrics</a></body></html>\n`,
      );
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
}
