/**
 * @module
 * Who the browser is, asked once per page load (`/api/v1/auth/whoami`) and shared by every
 * component that asks: the nav bar shows admin sections only to those who may use them. A login
 * or logout loads the page afresh, so the answer cannot go stale within a page's life.
 */
import { useEffect, useState } from 'react';
import { apiGet } from '../api/client';
import type { Whoami } from '../api/responseTypes/auth';

let pending: Promise<Whoami | null> | undefined;

function load(): Promise<Whoami | null> {
  // Null when the server cannot say (not logged in, unreachable): show nothing privileged.
  pending ??= apiGet<Whoami>('/auth/whoami').catch(() => null);
  return pending;
}

/**
 * Whether `who` may manage users and tokens: an admin, or anyone while auth is off (the server
 * then listens on loopback only and every route is open).
 *
 * @example
 * isAdmin({ auth_enabled: true, kind: 'user', user: 'a', role: 'admin' }); // true
 */
export function isAdmin(who: Whoami | null | undefined): boolean {
  if (who === null || who === undefined) return false;
  if (!who.auth_enabled) return true;
  if (who.kind === 'user') return who.role === 'admin';
  return (who.kind === 'token' || who.kind === 'internal') && who.scopes.includes('admin');
}

/**
 * Whether `who` may make configuration-like changes (dashboards, silences, saved searches): an
 * editor or admin, an admin token, or anyone while auth is off.
 *
 * @example
 * mayWrite({ auth_enabled: true, kind: 'user', user: 'v', role: 'viewer' }); // false
 */
export function mayWrite(who: Whoami | null | undefined): boolean {
  if (isAdmin(who)) return true;
  return who?.kind === 'user' && who.role === 'editor';
}

/**
 * @returns undefined while asking, null when the server did not say
 * @example
 * const who = useWhoami();
 */
export function useWhoami(): Whoami | null | undefined {
  const [who, setWho] = useState<Whoami | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void load().then((w) => {
      if (live) setWho(w);
    });
    return () => {
      live = false;
    };
  }, []);
  return who;
}
