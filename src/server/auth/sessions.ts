/**
 * @module
 * Login sessions, held in memory: a restart logs everyone out, which is the safe failure. The
 * cookie carries a random 256-bit id; the map is keyed by its SHA-256, so a heap dump does not
 * hand out live cookies. Each session has its own CSRF token (the synchronizer pattern): a
 * state-changing request made with the cookie must repeat it in the `X-CSRF-Token` header, which
 * a cross-site page cannot read and so cannot send.
 */

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Session {
  user: string;
  csrf: string;
  /** ms since the epoch */
  created: number;
  lastSeen: number;
}

function key(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

/** Whether two secrets are equal, in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #idleMs: number;
  readonly #maxAgeMs: number;

  /** @param idleMs a session ends this long after its last use; @param maxAgeMs and this long after login. */
  constructor(idleMs: number, maxAgeMs: number) {
    this.#idleMs = idleMs;
    this.#maxAgeMs = maxAgeMs;
  }

  /**
   * Starts a session; returns the cookie value and the session.
   *
   * @example
   * const { id, session } = sessions.create('alice');
   */
  create(user: string, now = Date.now()): { id: string; session: Session } {
    this.#sweep(now);
    const id = randomBytes(32).toString('base64url');
    const session: Session = {
      user,
      csrf: randomBytes(24).toString('base64url'),
      created: now,
      lastSeen: now,
    };
    this.#sessions.set(key(id), session);
    return { id, session };
  }

  /** The live session for a cookie value, its last use moved to `now`; undefined if none. */
  get(id: string, now = Date.now()): Session | undefined {
    const k = key(id);
    const s = this.#sessions.get(k);
    if (s === undefined) return undefined;
    if (now - s.lastSeen > this.#idleMs || now - s.created > this.#maxAgeMs) {
      this.#sessions.delete(k);
      return undefined;
    }
    s.lastSeen = now;
    return s;
  }

  delete(id: string): void {
    this.#sessions.delete(key(id));
  }

  /** Ends every session of `user` (deleted, or password changed) started before `before`. */
  endUserSessions(user: string, before = Infinity): void {
    for (const [k, s] of this.#sessions) {
      if (s.user === user && s.created < before) this.#sessions.delete(k);
    }
  }

  get size(): number {
    return this.#sessions.size;
  }

  #sweep(now: number): void {
    for (const [k, s] of this.#sessions) {
      if (now - s.lastSeen > this.#idleMs || now - s.created > this.#maxAgeMs) {
        this.#sessions.delete(k);
      }
    }
  }
}
