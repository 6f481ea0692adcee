/**
 * @module
 * The two cookies of a login: `vigil_session` (HttpOnly: scripts never see it) and `vigil_csrf`
 * (readable by the web app, which repeats it in the `X-CSRF-Token` header). Both are
 * SameSite=Strict, so a browser never attaches them to a request started by another site, and
 * Secure when the server speaks TLS.
 */

export const SESSION_COOKIE = 'vigil_session';
export const CSRF_COOKIE = 'vigil_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Reads one cookie from a `Cookie` header.
 *
 * @example
 * readCookie('a=1; vigil_session=xyz', 'vigil_session'); // 'xyz'
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `Set-Cookie` values that start a session; `maxAgeS` 0 makes them expire at once. */
export function sessionCookies(
  id: string,
  csrf: string,
  maxAgeS: number,
  secure: boolean,
): string[] {
  const attrs = `Path=/; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=${id}; HttpOnly; ${attrs}`, `${CSRF_COOKIE}=${csrf}; ${attrs}`];
}
