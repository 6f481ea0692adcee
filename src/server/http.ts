/**
 * @module
 * The HTTP server: one fastify instance that maps wire formats onto the components behind it.
 * It owns limits (body and header size, request and idle timeouts), TLS, security headers and
 * authentication (src/server/auth/); no storage code knows HTTP.
 */

import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import type { Registry } from '../lib/instrument/index.js';
import type { Logger } from '../lib/log/logger.js';
import type { Appendable, Queryable } from '../metrics/storage/interface.js';
import type { MetadataStore } from '../metrics/storage/metadata.js';
import { errorTypeOf, sendError } from './api/prom-v1/envelope.js';
import { registerFederateRoute } from './api/federate/federate.js';
import { registerMetadataRoute } from './api/prom-v1/metadata.js';
import { QUERY_DEFAULTS, registerQueryRoutes } from './api/prom-v1/query.js';
import { registerSeriesRoutes } from './api/prom-v1/series.js';
import { registerStatusRoutes } from './api/prom-v1/status.js';
import { registerTargetsRoutes, type TargetPool } from './api/prom-v1/targets.js';
import { registerRulesRoutes } from './api/prom-v1/rules.js';
import type { Group } from '../metrics/rules/group.js';
import { pushgatewayRoutes } from '../metrics/pushgateway/routes.js';
import type { PushStore } from '../metrics/pushgateway/store.js';
import { registerWriteRoute } from './api/prom-v1/write.js';
import { instrumentHttp } from './http-metrics.js';
import { registerLifecycleRoutes } from './routes/lifecycle.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerUiRoutes } from './routes/ui.js';
import type { StatusSource } from './status.js';
import type { LogSearcher, LogWriter } from '../logs/store/interface.js';
import { esApi } from './api/es/routes.js';
import { sendRootInfo } from './api/es/info.js';
import { lokiPush } from './api/loki/push.js';
import { logsApi } from './api/logs/routes.js';
import { instrumentLogs, type LogApi } from './log-metrics.js';
import { registerAuthApi, type AuthApiOptions } from './auth/api.js';
import { installAuth, type RouteCatalog } from './auth/hook.js';
import { addSecurityHeaders } from './auth/headers.js';
import type { TlsPair } from './auth/tls.js';
import { registerDashboardRoutes } from './api/dashboards/routes.js';
import type { DashboardStore } from '../dashboards/store.js';
import { AgentRegistry, registerAgentsRoute } from './agents.js';
import { registerSavedSearchRoutes } from './api/saved-searches/routes.js';
import type { SavedSearchStore } from '../saved-searches/store.js';
import type { IndexRetention } from './api/logs/indices.js';

/** Where the built-in Pushgateway's API lives: push to `<server>/pushgateway/metrics/job/…`. */
export const PUSHGATEWAY_PREFIX = '/pushgateway';
/** Where the built-in host and container exporter is scraped. */
export const EXPORTER_PATH = '/exporter/metrics';

export interface HttpServerOptions {
  config: Config['server'];
  logger: Logger;
  registry: Registry;
  status: StatusSource;
  /** Where remote write (`POST /api/v1/write`) appends; null while the storage is not open. */
  appendable: () => Appendable | null;
  /** What the query and metadata APIs read; null while the storage is not open. */
  queryable: () => Queryable | null;
  /** Metric metadata: remote write records it, `/api/v1/metadata` reads it. */
  metadata: MetadataStore;
  /** Scrape pools for `/api/v1/targets`; none when absent. */
  targets?: () => readonly TargetPool[];
  /** Rule groups for `/api/v1/rules` and `/api/v1/alerts`; none when absent. */
  ruleGroups?: () => readonly Group[];
  /** Host and container metrics, served on {@link EXPORTER_PATH}; not served when absent. */
  exporter?: Registry;
  /** The Pushgateway's groups, served under `/pushgateway`; not served when absent. */
  pushgateway?: PushStore;
  /** The log store, for the native logs API, Elasticsearch's and Loki's; none when absent. */
  logs?: {
    /** Null while the store is not open. */
    store: () => (LogWriter & LogSearcher) | null;
    /** The index Loki push writes to. */
    lokiIndex: string;
    /** The retention rule of an index, for the index list; none listed when absent. */
    retentionOf?: (index: string) => IndexRetention | undefined;
  };
  /** Saved and provisioned dashboards for `/api/v1/dashboards`; not served when absent. */
  dashboards?: () => DashboardStore | null;
  /** The agents shipping to this server, for `/api/v1/status/agents`; a new one when absent. */
  agents?: AgentRegistry;
  /** Discover's saved searches for `/api/v1/saved-searches`; not served when absent. */
  savedSearches?: () => SavedSearchStore | null;
  /** Query limits; Prometheus' defaults when absent. */
  query?: Config['query'];
  /** The built web app, or null to serve the APIs only. */
  uiDir: string | null;
  /** Users, tokens and sessions; `authenticator` null means auth is off. */
  auth: Omit<AuthApiOptions, 'catalog'>;
  /** Serve HTTPS with this certificate (replaceable later with setSecureContext). */
  tls?: TlsPair;
}

const catalogs = new WeakMap<FastifyInstance, RouteCatalog>();

/** Every route of a server built by {@link createHttpServer}, with the access each needs. */
export function routeCatalogOf(app: FastifyInstance): RouteCatalog {
  const c = catalogs.get(app);
  if (c === undefined) throw new Error('cannot list routes: not a server from createHttpServer');
  return c;
}

/**
 * Builds the server with every route registered; the caller listens and closes.
 *
 * @example
 * const app = await createHttpServer({
 *   config: config.server, logger, registry, status, appendable: () => db, queryable: () => db,
 *   metadata: new MemoryMetadataStore(), uiDir,
 * });
 * await app.listen({ host: '127.0.0.1', port: 9700 });
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { config, logger } = options;
  const app = Fastify({
    ...(options.tls === undefined ? {} : { https: { ...options.tls } }),
    logger: false,
    // request.ip is then the client named by X-Forwarded-For, but only behind these proxies.
    trustProxy: config.trusted_proxies.length > 0 ? config.trusted_proxies : false,
    bodyLimit: config.max_request_body_size,
    requestTimeout: config.request_timeout,
    keepAliveTimeout: config.idle_timeout,
    http: {
      maxHeaderSize: config.max_header_size,
      // Node enforces request_timeout only when it sweeps connections (every 30 s by default),
      // which would let a slow client hold a connection for up to 30 s past its deadline.
      connectionsCheckingInterval: 1000,
    },
    // Close idle keep-alive connections at shutdown so it does not wait for clients.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  // First, so that every route registered below passes through the route table.
  const catalog = installAuth(
    app,
    options.auth.authenticator,
    logger,
    options.auth.ingestLimiter ?? null,
  );
  catalogs.set(app, catalog);
  addSecurityHeaders(app, { tls: options.tls !== undefined });
  instrumentHttp(app, options.registry);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const statusCode = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
    if (statusCode >= 500) {
      logger.error('request failed', { method: request.method, url: request.url, err });
    }
    if (request.url.startsWith('/api/')) {
      return sendError(reply, errorTypeOf(statusCode), err.message, statusCode);
    }
    return reply.code(statusCode).type('text/plain; charset=utf-8').send(`${err.message}\n`);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (logger.enabled('debug')) {
      logger.debug('request', {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      });
    }
  });
  registerLifecycleRoutes(app, options.status);
  registerAuthApi(app, { ...options.auth, catalog });
  registerMetricsRoute(app, options.registry);
  if (options.exporter !== undefined) registerMetricsRoute(app, options.exporter, EXPORTER_PATH);
  registerStatusRoutes(app, options.status);
  const agents = options.agents ?? new AgentRegistry();
  registerAgentsRoute(app, agents);
  // Prometheus clients POST queries as forms; repeated keys (`match[]`) must keep every value.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => done(null, new URLSearchParams(body as string)),
  );
  const q = options.query;
  registerQueryRoutes(app, {
    queryable: options.queryable,
    engine:
      q === undefined
        ? undefined
        : { lookbackDelta: q.lookback_delta, maxSamples: q.max_samples, timeout: q.timeout },
    maxConcurrency: q?.max_concurrency,
  });
  registerSeriesRoutes(app, { queryable: options.queryable });
  registerMetadataRoute(app, { metadata: options.metadata });
  registerTargetsRoutes(app, { pools: options.targets ?? (() => []) });
  registerRulesRoutes(app, { groups: options.ruleGroups ?? (() => []) });
  if (options.dashboards !== undefined) {
    registerDashboardRoutes(app, { store: options.dashboards });
  }
  if (options.savedSearches !== undefined) {
    registerSavedSearchRoutes(app, { store: options.savedSearches });
  }
  registerFederateRoute(app, {
    queryable: options.queryable,
    lookbackDelta: q?.lookback_delta ?? QUERY_DEFAULTS.lookbackDelta,
  });
  await registerWriteRoute(app, {
    appendable: options.appendable,
    metadata: options.metadata,
    registry: options.registry,
    logger,
    bodyLimit: config.max_request_body_size,
  });
  if (options.pushgateway !== undefined) {
    await app.register(pushgatewayRoutes, {
      prefix: PUSHGATEWAY_PREFIX,
      store: options.pushgateway,
      logger: logger.child({ component: 'pushgateway' }),
    });
  }
  const logs = options.logs;
  if (logs !== undefined) {
    const bodyLimit = config.max_request_body_size;
    const m = instrumentLogs(options.registry);
    const writer = (api: LogApi) => () => {
      const s = logs.store();
      return s === null ? null : m.writer(api, s);
    };
    const searcher = (api: LogApi) => () => {
      const s = logs.store();
      return s === null ? null : m.searcher(api, s);
    };
    await app.register(logsApi, {
      writer: writer('native'),
      searcher: searcher('native'),
      bodyLimit,
      agents,
      ...(logs.retentionOf === undefined ? {} : { retentionOf: logs.retentionOf }),
    });
    await app.register(lokiPush, { writer: writer('loki'), index: logs.lokiIndex, bodyLimit });
    await app.register(esApi, {
      writer: writer('elasticsearch'),
      searcher: searcher('elasticsearch'),
      bodyLimit,
    });
  }
  await registerUiRoutes(app, options.uiDir, logs === undefined ? undefined : sendRootInfo);
  return app;
}
