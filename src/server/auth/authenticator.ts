/**
 * @module
 * Turns a request's credentials into a {@link Principal}: `Authorization: Bearer <token>`,
 * `Authorization: Basic` with a token as the password (what Grafana, remote_write senders and
 * Elasticsearch clients can be configured with) or a user's password, or the session cookie.
 * An Authorization header wins over a cookie. Password checks through basic auth count against
 * the same login limits as the login endpoint, and a verified password is remembered (by its
 * hash) for a minute so that a dashboard's many requests do not each pay for scrypt.
 */

import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Principal, Scope } from './access.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import type { LoginLimiter } from './login-limiter.js';
import { sameSecret, type SessionStore } from './sessions.js';
import { looksLikeToken, type AuthStore } from './store.js';

/** What authenticating a request found. */
export type Authentication =
  | { kind: 'none' }
  | { kind: 'ok'; principal: Principal; cookie: boolean; csrf?: string }
  | { kind: 'denied'; reason: string }
  | { kind: 'limited'; retryAfterMs: number };

const BASIC_CACHE_MS = 60_000;
/** Remembered passwords at most; past it the cache starts over (a cost, never a risk). */
const BASIC_CACHE_MAX = 10_000;

export class Authenticator {
  readonly store: AuthStore;
  readonly sessions: SessionStore;
  readonly limiter: LoginLimiter;
  readonly #internal: { token: string; scopes: readonly Scope[] } | undefined;
  /** sha256(user \0 password) → expiry, for passwords verified through basic auth. */
  readonly #basicOk = new Map<string, number>();
  /** Password checks in progress, by the same key, so that concurrent requests share one. */
  readonly #checking = new Map<string, Promise<boolean>>();

  constructor(opts: {
    store: AuthStore;
    sessions: SessionStore;
    limiter: LoginLimiter;
    /** A token for the server's own clients (its built-in scrape jobs); kept in memory only. */
    internal?: { token: string; scopes: readonly Scope[] };
  }) {
    this.store = opts.store;
    this.sessions = opts.sessions;
    this.limiter = opts.limiter;
    this.#internal = opts.internal;
    // Any change to users (a new password, a deleted user) voids remembered passwords.
    this.store.onChange(() => this.#basicOk.clear());
  }

  /**
   * Authenticates one request.
   *
   * @example
   * const a = await authenticator.authenticate(request);
   * if (a.kind === 'ok') request.principal = a.principal;
   */
  async authenticate(request: FastifyRequest): Promise<Authentication> {
    const header = request.headers.authorization;
    if (header !== undefined && header !== '') return this.#fromHeader(header, request.ip);
    const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (sid === undefined || sid === '') return { kind: 'none' };
    const session = this.sessions.get(sid);
    if (session === undefined) return { kind: 'denied', reason: 'session expired; log in again' };
    const user = this.store.user(session.user);
    if (user === undefined || user.password_changed > session.created) {
      this.sessions.delete(sid);
      return { kind: 'denied', reason: 'session expired; log in again' };
    }
    return {
      kind: 'ok',
      principal: { kind: 'user', name: user.name, role: user.role, via: 'session' },
      cookie: true,
      csrf: session.csrf,
    };
  }

  async #fromHeader(header: string, address: string): Promise<Authentication> {
    const sp = header.indexOf(' ');
    const scheme = (sp < 0 ? header : header.slice(0, sp)).toLowerCase();
    const value = sp < 0 ? '' : header.slice(sp + 1).trim();
    if (scheme === 'bearer') return this.#token(value);
    if (scheme !== 'basic') {
      return {
        kind: 'denied',
        reason: `unsupported authorization scheme ${JSON.stringify(scheme)}`,
      };
    }
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { kind: 'denied', reason: 'malformed basic authorization' };
    const name = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    if (looksLikeToken(password) || this.#isInternal(password)) return this.#token(password);
    return this.#password(name, password, address);
  }

  #isInternal(token: string): boolean {
    return this.#internal !== undefined && sameSecret(token, this.#internal.token);
  }

  #token(token: string): Authentication {
    if (this.#isInternal(token)) {
      return {
        kind: 'ok',
        principal: { kind: 'internal', name: 'vigil', scopes: this.#internal!.scopes },
        cookie: false,
      };
    }
    const t = this.store.verifyToken(token);
    if (t === null) return { kind: 'denied', reason: 'invalid, revoked or expired token' };
    return {
      kind: 'ok',
      principal: { kind: 'token', id: t.id, name: t.name, scopes: t.scopes, owner: t.owner },
      cookie: false,
    };
  }

  async #check(k: string, name: string, password: string, address: string): Promise<boolean> {
    try {
      const user = await this.store.verifyUser(name, password);
      if (user === null) {
        this.limiter.rejected(name, address);
        return false;
      }
      this.limiter.succeeded(name, address);
      if (this.#basicOk.size >= BASIC_CACHE_MAX) this.#basicOk.clear();
      this.#basicOk.set(k, Date.now() + BASIC_CACHE_MS);
      return true;
    } finally {
      this.#checking.delete(k);
    }
  }

  async #password(name: string, password: string, address: string): Promise<Authentication> {
    // Looking the user up first re-reads a changed users file, which empties the cache: a new
    // password made by the CLI must void the old one at once.
    this.store.users();
    const k = createHash('sha256').update(name).update('\0').update(password).digest('base64');
    const now = Date.now();
    const cached = this.#basicOk.get(k);
    if (cached === undefined || cached <= now) {
      // A dashboard sends many requests at once with the same credentials: they share one
      // check, which counts as one attempt — else the login limit would refuse the right
      // password to its own parallel requests.
      let check = this.#checking.get(k);
      if (check === undefined) {
        const wait = this.limiter.begin(name, address, now);
        if (wait > 0) return { kind: 'limited', retryAfterMs: wait };
        check = this.#check(k, name, password, address);
        this.#checking.set(k, check);
      }
      if (!(await check)) return { kind: 'denied', reason: 'wrong user name or password' };
    }
    const user = this.store.user(name);
    if (user === undefined) return { kind: 'denied', reason: 'wrong user name or password' };
    return {
      kind: 'ok',
      principal: { kind: 'user', name: user.name, role: user.role, via: 'basic' },
      cookie: false,
    };
  }
}
