/**
 * @module
 * Enforcement, in one place: an `onRoute` hook looks every route up in the route table as
 * fastify registers it, and one `onRequest` hook checks each request against what its route
 * needs — before any body is read, so an unauthenticated client cannot make the server parse a
 * 32 MiB upload. A route missing from the table is refused to everyone (fail closed) and
 * logged. Requests made with the session cookie that change state (any method but GET, HEAD
 * and OPTIONS, on a route that needs more than `read`) must carry the session's CSRF token; with or without auth, a browser request another site started (`Sec-Fetch-Site:
 * cross-site`) may not change state, which keeps a page on the web from writing to a Vigil on
 * loopback.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../../lib/log/logger.js';
import { allows, type Access, type Principal } from './access.js';
import type { Authenticator } from './authenticator.js';
import { CSRF_HEADER } from './cookies.js';
import type { IngestLimiter } from './ingest-limiter.js';
import { refuse } from './replies.js';
import { isPageLoad, NOT_FOUND_ACCESS, routeAccess, routeRule } from './route-table.js';
import { sameSecret } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request; null when auth is off or the route is public. */
    principal: Principal | null;
    /** The token whose ingest rate this request counts against; null when none. */
    ingestToken: string | null;
  }
}

const INGEST_ACCESS: readonly Access[] = ['logs:write', 'metrics:write'];

/** One registered route and the access the table gives it (undefined: not in the table). */
export interface RouteEntry {
  method: string;
  url: string;
  access: readonly Access[] | undefined;
  /** What a browser's page load of this route needs, when it differs (see RouteRule.page). */
  page: readonly Access[] | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every route of a server, as registered; filled by {@link installAuth}'s onRoute hook. */
export class RouteCatalog {
  readonly #byKey = new Map<string, RouteEntry>();

  add(method: string, url: string): void {
    const rule = routeRule(method, url);
    const e: RouteEntry = { method, url, access: rule?.access, page: rule?.page };
    this.#byKey.set(`${method} ${url}`, e);
  }

  get(method: string, url: string): RouteEntry | undefined {
    return this.#byKey.get(`${method} ${url}`);
  }

  entries(): RouteEntry[] {
    return [...this.#byKey.values()];
  }
}

/**
 * Installs the hooks; call before any route is registered.
 *
 * @param authenticator null when auth is off: every route is open (loopback only, see posture.ts).
 * @example
 * const routes = installAuth(app, authenticator, logger);
 */
export function installAuth(
  app: FastifyInstance,
  authenticator: Authenticator | null,
  logger: Logger,
  ingestLimiter: IngestLimiter | null = null,
): RouteCatalog {
  const catalog = new RouteCatalog();
  app.decorateRequest('principal', null);
  app.decorateRequest('ingestToken', null);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      catalog.add(m, route.url);
      if (authenticator !== null && routeAccess(m, route.url) === undefined) {
        logger.error('route has no entry in the route table; it is refused to everyone', {
          method: m,
          url: route.url,
        });
      }
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    const route = request.routeOptions.url;
    const unsafe = !SAFE_METHODS.has(request.method);
    if (unsafe && request.headers['sec-fetch-site'] === 'cross-site') {
      return refuse(reply, path, route, 403, 'cross-site requests may not change state');
    }
    if (authenticator === null) return;
    const entry = route === undefined ? undefined : catalog.get(request.method, route);
    const access: readonly Access[] | undefined =
      route === undefined
        ? NOT_FOUND_ACCESS
        : entry?.page !== undefined && isPageLoad(request.method, request.headers.accept)
          ? entry.page
          : entry?.access;
    if (access === undefined) {
      return refuse(reply, path, route, 403, `route ${request.method} ${route} is not classified`);
    }
    if (access.includes('public')) return;
    const a = await authenticator.authenticate(request);
    if (a.kind === 'limited') {
      reply.header('retry-after', String(Math.ceil(a.retryAfterMs / 1000)));
      return refuse(reply, path, route, 429, 'too many failed logins; try again later');
    }
    if (a.kind === 'none') return refuse(reply, path, route, 401, 'authentication required');
    if (a.kind === 'denied') return refuse(reply, path, route, 401, a.reason);
    if (!allows(a.principal, access)) {
      return refuse(
        reply,
        path,
        route,
        403,
        `${describe(a.principal)} may not ${request.method} ${path} (needs ${access.join(' or ')})`,
      );
    }
    // Reads sent as POST (PromQL and search forms) change nothing, so they need no token.
    const changesState = unsafe && !(access.length === 1 && access[0] === 'read');
    if (a.cookie && changesState && !csrfOk(request, a.csrf)) {
      return refuse(reply, path, route, 403, `missing or wrong ${CSRF_HEADER} header`);
    }
    request.principal = a.principal;
    if (
      ingestLimiter !== null &&
      a.principal.kind === 'token' &&
      access.some((x) => INGEST_ACCESS.includes(x))
    ) {
      const wait = ingestLimiter.retryAfterMs(a.principal.id);
      if (wait > 0) {
        reply.header('retry-after', String(Math.ceil(wait / 1000)));
        return refuse(reply, path, route, 429, `token ${a.principal.name} is over its ingest rate`);
      }
      request.ingestToken = a.principal.id;
    }
  });
  if (ingestLimiter !== null) {
    // Charged once the body is read, so chunked bodies count as much as sized ones.
    app.addHook('preHandler', async (request) => {
      if (request.ingestToken === null) return;
      const body = request.body;
      const bytes = Buffer.isBuffer(body)
        ? body.length
        : Number(request.headers['content-length'] ?? 0) || 0;
      ingestLimiter.charge(request.ingestToken, bytes);
    });
  }
  return catalog;
}

function csrfOk(request: FastifyRequest, expected: string | undefined): boolean {
  const got = request.headers[CSRF_HEADER];
  return typeof got === 'string' && expected !== undefined && sameSecret(got, expected);
}

function describe(p: Principal): string {
  if (p.kind === 'user') return `user ${p.name} (role ${p.role})`;
  return `token ${p.name} (scopes ${p.scopes.join(', ')})`;
}
