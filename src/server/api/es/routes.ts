/**
 * @module
 * The Elasticsearch-compatible API at the server root, as one fastify plugin. Inside it every
 * body is read as bytes, whatever its content type, because shippers label NDJSON in several
 * ways and compressed bodies must be inflated before parsing; every response carries the
 * `X-Elastic-Product` header.
 */

import type { FastifyInstance } from 'fastify';
import type { LogWriter } from '../../../logs/store/interface.js';
import { registerBulkRoutes } from './bulk.js';
import { productHeader } from './envelope.js';
import { registerInfoRoutes } from './info.js';

export interface EsApiOptions {
  writer: () => LogWriter | null;
  bodyLimit: number;
}

/**
 * The plugin; register it without a prefix.
 *
 * @example
 * await app.register(esApi, { writer: () => store, bodyLimit: 32 << 20 });
 */
export async function esApi(app: FastifyInstance, options: EsApiOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    (_r, b, done) => done(null, b),
  );
  app.addHook('onSend', async (_request, reply) => {
    productHeader(reply);
  });
  registerInfoRoutes(app);
  registerBulkRoutes(app, options);
}
