/**
 * @module
 * The Elasticsearch-compatible API at the server root, as one fastify plugin: info and health,
 * `_bulk`, `_search`/`_count`, `_msearch`, and the index endpoints (`_mapping`, `_field_caps`,
 * `_cat/indices`, `HEAD|GET|DELETE /<index>`, `_resolve/index`); see docs/elasticsearch-api.md. Inside it every
 * body is read as bytes, whatever its content type, because shippers label NDJSON in several
 * ways and compressed bodies must be inflated before parsing; every response carries the
 * `X-Elastic-Product` header, and every successful one sent as an object is cut down to its
 * `filter_path` (`filter-path.ts`). Error answers stay whole: a client filtering for the fields
 * it reads on success still gets the reason of a failure.
 */

import { rawBodies } from '../raw-body.js';
import type { FastifyInstance } from 'fastify';
import type { LogSearcher, LogWriter } from '../../../logs/store/interface.js';
import { registerBulkRoutes } from './bulk.js';
import { registerDeleteIndexRoute } from './delete-index.js';
import { productHeader } from './envelope.js';
import { applyFilterPath, parseFilterPath } from './filter-path.js';
import { registerIndexRoutes } from './indices.js';
import { registerInfoRoutes } from './info.js';
import { registerMsearchRoutes } from './msearch.js';
import { registerSearchRoutes } from './search.js';

export interface EsApiOptions {
  /** Where `_bulk` writes, or null while the log store is not open. */
  writer: () => LogWriter | null;
  /** What the search and index routes read, or null while the log store is not open. */
  searcher: () => LogSearcher | null;
  bodyLimit: number;
}

/**
 * The plugin; register it without a prefix.
 *
 * @example
 * await app.register(esApi, { writer: () => store, searcher: () => store, bodyLimit: 32 << 20 });
 */
export async function esApi(app: FastifyInstance, options: EsApiOptions): Promise<void> {
  rawBodies(app, options.bodyLimit);
  app.addHook('onSend', async (_request, reply) => {
    productHeader(reply);
  });
  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    if (reply.statusCode >= 400) return payload;
    const filter = parseFilterPath((request.query as Record<string, unknown>).filter_path);
    return filter === undefined ? payload : applyFilterPath(payload, filter);
  });
  registerInfoRoutes(app);
  registerBulkRoutes(app, options);
  const readOptions = { searcher: options.searcher, bodyLimit: options.bodyLimit };
  registerSearchRoutes(app, readOptions);
  registerMsearchRoutes(app, readOptions);
  registerIndexRoutes(app, readOptions);
  registerDeleteIndexRoute(app, options);
}
