/**
 * @module
 * The native logs API under `/api/v1/logs/`, as one fastify plugin: ingest, search,
 * aggregations, fields, indices, context and live tail. Bodies are read here: NDJSON for
 * ingest, JSON for search and aggregations.
 */

import { rawBodies } from '../raw-body.js';
import type { FastifyInstance } from 'fastify';
import type { LogSearcher, LogWriter } from '../../../logs/store/interface.js';
import type { AgentRegistry } from '../../agents.js';
import type { IndexRetention } from './indices.js';
import { registerContextRoute } from './context.js';
import { registerIndexRoutes } from './indices.js';
import { registerIngestRoute } from './ingest.js';
import { registerSearchRoutes } from './search.js';
import { registerTailRoute } from './tail.js';

export interface LogsApiOptions {
  writer: () => LogWriter | null;
  searcher: () => LogSearcher | null;
  bodyLimit: number;
  /** Where requests from `vigil agent` are recorded; none when absent. */
  agents?: AgentRegistry;
  /** The retention rule of an index, listed with it; none listed when absent. */
  retentionOf?: (index: string) => IndexRetention | undefined;
}

/**
 * The plugin; register it without a prefix.
 *
 * @example
 * await app.register(logsApi, { writer: () => store, searcher: () => store, bodyLimit: 32 << 20 });
 */
export async function logsApi(app: FastifyInstance, options: LogsApiOptions): Promise<void> {
  rawBodies(app, options.bodyLimit);
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    (_r, b, done) => {
      try {
        done(
          null,
          (b as Buffer).length === 0 ? undefined : JSON.parse((b as Buffer).toString('utf8')),
        );
      } catch (err) {
        done(
          Object.assign(new Error(`cannot parse JSON body: ${(err as Error).message}`), {
            statusCode: 400,
          }),
          undefined,
        );
      }
    },
  );
  registerIngestRoute(app, options);
  registerSearchRoutes(app, options);
  registerIndexRoutes(app, options);
  registerContextRoute(app, options);
  registerTailRoute(app, options);
}
