/**
 * @module
 * The access every route needs, as data: one row per route pattern (exactly as it is registered
 * with fastify, prefix included) and method. The auth hook looks a route up here when fastify
 * registers it; a route with no row is refused to everyone when auth is on (fail closed), and a
 * test enumerates the server's routes to check that each has a row. Adding a route therefore
 * means adding a row here — the test says which.
 *
 * `GET` rows cover `HEAD` too, as fastify serves HEAD from the GET handler. A row may name more
 * than one level: any of them suffices (Elasticsearch's cluster-info endpoints answer both
 * readers and log shippers, which ask them before sending `_bulk`).
 */

import type { Access } from './access.js';

export interface RouteRule {
  /** Upper-case methods; `GET` includes `HEAD`. */
  methods: readonly string[];
  /** The route pattern as fastify registered it: `/api/v1/label/:name/values`, `/pushgateway/metrics/*`. */
  url: string;
  /** Any one of these suffices. */
  access: readonly Access[];
  /**
   * What a browser's page load needs (GET or HEAD with `Accept: text/html`), when the route then
   * serves the web app rather than its API answer: `GET /:index` is an Elasticsearch index for
   * clients and `/status`, `/login` for browsers.
   */
  page?: readonly Access[];
}

function rule(methods: string, url: string, ...access: Access[]): RouteRule {
  return { methods: methods.split(' '), url, access };
}

/** Whether a request is a browser's page load, as the routes that serve the app decide it. */
export function isPageLoad(method: string, accept: string | undefined): boolean {
  return (method === 'GET' || method === 'HEAD') && String(accept ?? '').includes('text/html');
}

/** Log shippers' start-up probes and reads; both suffice. */
const ES_INFO: Access[] = ['read', 'logs:write'];

export const ROUTE_TABLE: readonly RouteRule[] = [
  // Health, login and the web app itself: the login page must load before anyone is logged in.
  rule('GET', '/-/healthy', 'public'),
  rule('GET', '/-/ready', 'public'),
  rule('GET', '/pushgateway/-/healthy', 'public'),
  rule('GET', '/pushgateway/-/ready', 'public'),
  // `/` is the web app for browsers and the cluster info (name, version) for ES clients.
  rule('GET', '/', 'public'),
  // @fastify/static's catch-all for built files; it serves nothing outside dist/ui.
  rule('GET', '/*', 'public'),
  rule('POST', '/api/v1/auth/login', 'public'),
  rule('POST', '/api/v1/auth/logout', 'public'),

  rule('GET', '/api/v1/auth/whoami', 'session'),
  rule('GET POST', '/api/v1/auth/users', 'admin'),
  rule('DELETE', '/api/v1/auth/users/:name', 'admin'),
  rule('PUT', '/api/v1/auth/users/:name/password', 'admin'),
  rule('PUT', '/api/v1/auth/users/:name/role', 'admin'),
  rule('GET POST', '/api/v1/auth/tokens', 'admin'),
  rule('DELETE', '/api/v1/auth/tokens/:id', 'admin'),
  rule('GET', '/api/v1/auth/routes', 'admin'),

  // Self-monitoring and status.
  rule('GET', '/metrics', 'read'),
  rule('GET', '/exporter/metrics', 'read'),
  rule('GET', '/api/v1/status/buildinfo', 'read'),
  rule('GET', '/api/v1/status/runtimeinfo', 'read'),
  rule('GET', '/api/v1/status/flags', 'read'),
  rule('GET', '/api/v1/status/config', 'read'),
  rule('GET', '/api/v1/status/components', 'read'),
  rule('GET', '/api/v1/status/tsdb', 'read'),
  rule('GET', '/api/v1/status/agents', 'read'),

  // Prometheus' query API: POST is a form-encoded read, as Grafana sends it.
  rule('GET POST', '/api/v1/query', 'read'),
  rule('GET POST', '/api/v1/query_range', 'read'),
  rule('GET POST', '/api/v1/format_query', 'read'),
  rule('GET POST', '/api/v1/series', 'read'),
  rule('GET POST', '/api/v1/labels', 'read'),
  rule('GET', '/api/v1/label/:name/values', 'read'),
  rule('GET POST', '/api/v1/metadata', 'read'),
  rule('GET', '/api/v1/targets', 'read'),
  rule('GET', '/api/v1/targets/metadata', 'read'),
  rule('GET', '/api/v1/rules', 'read'),
  rule('GET', '/api/v1/alerts', 'read'),
  rule('GET', '/federate', 'read'),
  rule('POST', '/api/v1/write', 'metrics:write'),

  // The Pushgateway: pushes and deletes are writes, the listing a read.
  rule('GET', '/pushgateway/metrics', 'read'),
  rule('GET', '/pushgateway/api/v1/metrics', 'read'),
  rule('PUT POST DELETE', '/pushgateway/metrics/*', 'metrics:write'),

  // Dashboards: viewers look, editors change.
  rule('GET', '/api/v1/dashboards', 'read'),
  rule('POST', '/api/v1/dashboards', 'write'),
  rule('GET', '/api/v1/dashboards/:uid', 'read'),
  rule('PUT DELETE', '/api/v1/dashboards/:uid', 'write'),
  // Discover's saved searches, shared by everyone: viewers open them, editors save.
  rule('GET', '/api/v1/saved-searches', 'read'),
  rule('POST', '/api/v1/saved-searches', 'write'),
  rule('GET', '/api/v1/saved-searches/:id', 'read'),
  rule('PUT DELETE', '/api/v1/saved-searches/:id', 'write'),

  // The built-in Alertmanager's API v2: Prometheus-style senders post alerts (the server's own
  // notifier with its internal token), people read, silence and expire.
  rule('GET', '/alertmanager/-/healthy', 'public'),
  rule('GET', '/alertmanager/-/ready', 'public'),
  rule('POST', '/alertmanager/api/v2/alerts', 'metrics:write'),
  rule('GET', '/alertmanager/api/v2/alerts', 'read'),
  rule('GET', '/alertmanager/api/v2/alerts/groups', 'read'),
  rule('GET', '/alertmanager/api/v2/status', 'read'),
  rule('GET', '/alertmanager/api/v2/receivers', 'read'),
  rule('GET', '/alertmanager/api/v2/silences', 'read'),
  rule('POST', '/alertmanager/api/v2/silences', 'write'),
  rule('GET', '/alertmanager/api/v2/silence/:id', 'read'),
  rule('DELETE', '/alertmanager/api/v2/silence/:id', 'write'),

  // The native logs API.
  rule('POST', '/api/v1/logs/ingest', 'logs:write'),
  rule('GET', '/api/v1/logs/indices', 'read'),
  rule('DELETE', '/api/v1/logs/indices/:names', 'admin'),
  rule('GET POST', '/api/v1/logs/search', 'read'),
  rule('POST', '/api/v1/logs/aggregate', 'read'),
  rule('GET', '/api/v1/logs/fields', 'read'),
  rule('GET', '/api/v1/logs/context', 'read'),
  rule('GET', '/api/v1/logs/tail', 'read'),
  rule('POST', '/loki/api/v1/push', 'logs:write'),

  // Elasticsearch's API: shippers write with `_bulk` and set up templates, pipelines and ILM
  // policies before their first bulk; everything else reads.
  rule('POST PUT', '/_bulk', 'logs:write'),
  rule('POST PUT', '/:index/_bulk', 'logs:write'),
  rule('PUT POST', '/_component_template/:name', 'logs:write'),
  rule('PUT POST', '/_index_template/:name', 'logs:write'),
  rule('PUT POST', '/_ingest/pipeline/:name', 'logs:write'),
  rule('PUT POST', '/_ilm/policy/:name', 'logs:write'),
  rule('PUT POST', '/_template/:name', 'logs:write'),
  rule('GET', '/_component_template/:name', ...ES_INFO),
  rule('GET', '/_index_template/:name', ...ES_INFO),
  rule('GET', '/_ingest/pipeline/:name', ...ES_INFO),
  rule('GET', '/_ilm/policy/:name', ...ES_INFO),
  rule('GET', '/_template/:name', ...ES_INFO),
  rule('GET', '/_license', ...ES_INFO),
  rule('GET', '/_xpack', ...ES_INFO),
  rule('GET', '/_nodes', ...ES_INFO),
  rule('GET', '/_nodes/*', ...ES_INFO),
  rule('GET', '/_cluster/health', ...ES_INFO),
  rule('GET', '/_cluster/health/:index', ...ES_INFO),
  rule('GET', '/_cat/health', 'read'),
  rule('GET', '/_cat/indices', 'read'),
  rule('GET', '/_cat/indices/:index', 'read'),
  rule('GET POST', '/_count', 'read'),
  rule('GET POST', '/_search', 'read'),
  rule('GET POST', '/_msearch', 'read'),
  rule('GET', '/_mapping', 'read'),
  rule('GET POST', '/_field_caps', 'read'),
  rule('GET', '/_resolve/index/:index', 'read'),
  // A browser's GET of `/status` or `/login` matches this route and is handed to the web app
  // (indices.ts), which must load before anyone has logged in.
  { ...rule('GET', '/:index', 'read'), page: ['public'] },
  rule('DELETE', '/:index', 'admin'),
  rule('GET POST', '/:index/_search', 'read'),
  rule('GET POST', '/:index/_count', 'read'),
  rule('GET POST', '/:index/_msearch', 'read'),
  rule('GET', '/:index/_mapping', 'read'),
  rule('GET POST', '/:index/_field_caps', 'read'),
];

/** What requests that match no route (fastify's not-found handler) need: a caller, so that
 * an anonymous client cannot tell which paths exist. */
export const NOT_FOUND_ACCESS: readonly Access[] = ['session'];

/**
 * Looks up the access a route needs; undefined when the table has no row for it.
 *
 * @example
 * routeAccess('HEAD', '/api/v1/query'); // ['read']
 */
export function routeAccess(
  method: string,
  url: string,
  table: readonly RouteRule[] = ROUTE_TABLE,
): readonly Access[] | undefined {
  return routeRule(method, url, table)?.access;
}

/** The table's row for a route; undefined when it has none. */
export function routeRule(
  method: string,
  url: string,
  table: readonly RouteRule[] = ROUTE_TABLE,
): RouteRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return table.find((r) => r.url === url && r.methods.includes(m));
}
