/**
 * @module
 * The authentication API under `/api/v1/auth`: login, logout and whoami for the web app, and
 * user and token management for admins (the `vigil user` and `vigil token` commands do the same
 * on the data directory). Answers use Prometheus' envelope like the rest of `/api/v1`. Every
 * change is written to the audit log with who made it and from where.
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendData, sendError } from '../api/prom-v1/envelope.js';
import { parseDuration } from '../../lib/units/duration.js';
import { principalName, ROLES, SCOPES, type Role, type Scope } from './access.js';
import type { AuditLog } from './audit.js';
import type { Authenticator } from './authenticator.js';
import { readCookie, SESSION_COOKIE, sessionCookies } from './cookies.js';
import type { RouteCatalog } from './hook.js';
import { refuse } from './replies.js';
import type { IngestLimiter } from './ingest-limiter.js';
import { AuthStoreError, type AuthStore, type TokenRecord, type UserRecord } from './store.js';

export interface AuthApiOptions {
  /** Null when auth is off: login is refused, management still works (on loopback). */
  authenticator: Authenticator | null;
  store: AuthStore;
  audit: AuditLog;
  catalog: RouteCatalog;
  /** Mark cookies Secure (the server speaks TLS). */
  secureCookies: boolean;
  /** Cookie lifetime: the session's maximum age. */
  sessionMaxAgeMs: number;
  /** Bytes per second each token may send to ingest routes; absent: no limit. */
  ingestLimiter?: IngestLimiter;
}

/** A field of a JSON or form-encoded body, as a string; undefined when absent. */
function field(body: unknown, name: string): string | undefined {
  if (body instanceof URLSearchParams) return body.get(name) ?? undefined;
  if (typeof body === 'object' && body !== null) {
    const v = (body as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

function actorOf(request: FastifyRequest): string {
  return request.principal === null ? 'anonymous' : principalName(request.principal);
}

function userView(u: UserRecord) {
  return { name: u.name, role: u.role, created: new Date(u.created).toISOString() };
}

/** What listings show of a token: never its hash. */
export function tokenView(t: TokenRecord) {
  return {
    id: t.id,
    name: t.name,
    owner: t.owner,
    scopes: t.scopes,
    created: new Date(t.created).toISOString(),
    expires: t.expires === 0 ? null : new Date(t.expires).toISOString(),
  };
}

/**
 * Registers the routes.
 *
 * @example
 * registerAuthApi(app, { authenticator, store, audit, catalog, secureCookies: false, sessionMaxAgeMs });
 */
export function registerAuthApi(app: FastifyInstance, o: AuthApiOptions): void {
  const { store, audit } = o;
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    target: string,
    fn: () => unknown,
  ) => {
    try {
      const result = await fn();
      audit.record({ action, actor: actorOf(request), target, address: request.ip });
      return sendData(reply, result ?? null);
    } catch (err) {
      if (!(err instanceof AuthStoreError)) throw err;
      audit.record({
        action,
        actor: actorOf(request),
        target,
        address: request.ip,
        result: err.message,
      });
      return sendError(reply, 'bad_data', err.message);
    }
  };

  app.post('/api/v1/auth/login', async (request, reply) => {
    const auth = o.authenticator;
    if (auth === null) {
      return sendError(reply, 'bad_data', 'authentication is off (server.auth.enabled: false)');
    }
    const username = field(request.body, 'username') ?? '';
    const password = field(request.body, 'password') ?? '';
    if (username === '' || password === '') {
      return sendError(reply, 'bad_data', 'username and password are required');
    }
    const wait = auth.limiter.begin(username, request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return refuse(reply, request.url, undefined, 429, 'too many failed logins; try again later');
    }
    const user = await store.verifyUser(username, password);
    if (user === null) {
      auth.limiter.rejected(username, request.ip);
      audit.record({
        action: 'login',
        actor: username,
        address: request.ip,
        result: 'wrong user name or password',
      });
      return refuse(reply, request.url, undefined, 401, 'wrong user name or password');
    }
    auth.limiter.succeeded(username, request.ip);
    const { id, session } = auth.sessions.create(user.name);
    reply.header(
      'set-cookie',
      sessionCookies(id, session.csrf, Math.floor(o.sessionMaxAgeMs / 1000), o.secureCookies),
    );
    audit.record({ action: 'login', actor: user.name, address: request.ip });
    return sendData(reply, { user: user.name, role: user.role, csrf_token: session.csrf });
  });

  // Public, so that a browser holding an expired session can still clear its cookies; it only
  // ever ends the session named by the caller's own cookie.
  app.post('/api/v1/auth/logout', async (request, reply) => {
    const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = sid === undefined ? undefined : o.authenticator?.sessions.get(sid);
    if (sid !== undefined) o.authenticator?.sessions.delete(sid);
    reply.header('set-cookie', sessionCookies('', '', 0, o.secureCookies));
    if (session !== undefined) {
      audit.record({ action: 'logout', actor: session.user, address: request.ip });
    }
    return sendData(reply, null);
  });

  app.get('/api/v1/auth/whoami', async (request, reply) => {
    const p = request.principal;
    const base = { auth_enabled: o.authenticator !== null };
    if (p === null) return sendData(reply, { ...base, kind: 'anonymous' });
    if (p.kind === 'user') {
      const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
      const session = sid === undefined ? undefined : o.authenticator?.sessions.get(sid);
      return sendData(reply, {
        ...base,
        kind: 'user',
        user: p.name,
        role: p.role,
        ...(p.via === 'session' && session !== undefined ? { csrf_token: session.csrf } : {}),
      });
    }
    return sendData(reply, { ...base, kind: p.kind, name: p.name, scopes: p.scopes });
  });

  app.get('/api/v1/auth/users', async (_request, reply) =>
    sendData(reply, store.users().map(userView)),
  );
  app.post('/api/v1/auth/users', async (request, reply) => {
    const name = field(request.body, 'name') ?? '';
    const role = (field(request.body, 'role') ?? 'viewer') as Role;
    const password = field(request.body, 'password') ?? '';
    return change(request, reply, 'user.add', name, async () =>
      userView(await store.addUser(name, role, password)),
    );
  });
  app.delete<{ Params: { name: string } }>('/api/v1/auth/users/:name', async (request, reply) => {
    const { name } = request.params;
    return change(request, reply, 'user.delete', name, () => {
      const revoked = store.deleteUser(name);
      o.authenticator?.sessions.endUserSessions(name);
      return { revoked_tokens: revoked };
    });
  });
  app.put<{ Params: { name: string } }>(
    '/api/v1/auth/users/:name/password',
    async (request, reply) => {
      const { name } = request.params;
      const password = field(request.body, 'password') ?? '';
      return change(request, reply, 'user.passwd', name, async () => {
        await store.setPassword(name, password);
        o.authenticator?.sessions.endUserSessions(name);
      });
    },
  );
  app.put<{ Params: { name: string } }>('/api/v1/auth/users/:name/role', async (request, reply) => {
    const { name } = request.params;
    const role = field(request.body, 'role') ?? '';
    if (!(ROLES as readonly string[]).includes(role)) {
      return sendError(
        reply,
        'bad_data',
        `unknown role ${JSON.stringify(role)}; roles: ${ROLES.join(', ')}`,
      );
    }
    return change(request, reply, 'user.role', name, () => store.setRole(name, role as Role));
  });

  app.get('/api/v1/auth/tokens', async (_request, reply) =>
    sendData(reply, store.tokens().map(tokenView)),
  );
  app.post('/api/v1/auth/tokens', async (request, reply) => {
    const body = request.body as Record<string, unknown> | null;
    const name = field(body, 'name') ?? '';
    const rawScopes = body?.scopes;
    const scopes = Array.isArray(rawScopes)
      ? rawScopes.map(String)
      : String(rawScopes ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
    const unknown = scopes.find((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown !== undefined || scopes.length === 0) {
      return sendError(
        reply,
        'bad_data',
        `scopes must be one or more of ${SCOPES.join(', ')}${unknown === undefined ? '' : `; got ${JSON.stringify(unknown)}`}`,
      );
    }
    const expiresIn = field(body, 'expires_in');
    let expires = 0;
    if (expiresIn !== undefined && expiresIn !== '') {
      const ms = parseDuration(expiresIn);
      if (ms === undefined || ms <= 0) {
        return sendError(reply, 'bad_data', `invalid expires_in ${JSON.stringify(expiresIn)}`);
      }
      expires = Date.now() + ms;
    }
    const owner = request.principal?.kind === 'user' ? request.principal.name : actorOf(request);
    return change(request, reply, 'token.create', name, () => {
      const { record, token } = store.createToken({
        name,
        owner,
        scopes: scopes as Scope[],
        expires,
      });
      return { ...tokenView(record), token };
    });
  });
  app.delete<{ Params: { id: string } }>('/api/v1/auth/tokens/:id', async (request, reply) => {
    const { id } = request.params;
    return change(request, reply, 'token.revoke', id, () => tokenView(store.revokeToken(id)));
  });

  app.get('/api/v1/auth/routes', async (_request, reply) =>
    sendData(
      reply,
      o.catalog.entries().map((e) => ({
        method: e.method,
        route: e.url,
        access: e.access ?? null,
        ...(e.page === undefined ? {} : { page_load: e.page }),
      })),
    ),
  );
}
