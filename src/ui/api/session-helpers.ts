/**
 * @module
 * The pure helpers of a login session, free of the DOM so that they are tested in Node: reading
 * the CSRF token from the cookies, and choosing where to go after login without becoming an open
 * redirect.
 */

/**
 * The value of cookie `name` in a `document.cookie` string.
 *
 * @example
 * readCookie('a=1; vigil_csrf=xyz', 'vigil_csrf'); // 'xyz'
 */
export function readCookie(cookies: string, name: string): string | undefined {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The CSRF token of the current session, for the `X-CSRF-Token` header; undefined without one.
 *
 * @example
 * fetch(url, { method: 'POST', headers: { ['X-CSRF-Token']: csrfToken(document.cookie) ?? '' } });
 */
export function csrfToken(cookies: string): string | undefined {
  return readCookie(cookies, 'vigil_csrf');
}

/**
 * Where to go after login: `next` when it is a path on this origin, else `/`. A value like
 * `//evil.example` or `/\evil.example` is a link to another site in browsers' eyes.
 *
 * @example
 * safeNext('/status?x=1'); // '/status?x=1'
 * safeNext('https://evil.example/'); // '/'
 */
export function safeNext(next: string | null | undefined): string {
  if (next === null || next === undefined || !next.startsWith('/')) return '/';
  if (next.startsWith('//') || next.startsWith('/\\')) return '/';
  // Control characters (tabs, newlines) are stripped by URL parsers and can turn `/\t/x` into `//x`.
  for (let i = 0; i < next.length; i++) if (next.charCodeAt(i) < 0x20) return '/';
  if (next === '/login' || next.startsWith('/login?')) return '/';
  return next;
}

/**
 * The headers a request with the session cookie needs: the CSRF token on anything but a read.
 *
 * @example
 * fetch(url, { method: 'POST', headers: { ...sessionHeaders('POST', document.cookie) } });
 */
export function sessionHeaders(method: string, cookies: string): Record<string, string> {
  if (method === 'GET' || method === 'HEAD') return {};
  const token = csrfToken(cookies);
  return token === undefined ? {} : { 'X-CSRF-Token': token };
}

/**
 * Where a request refused for want of a login sends the browser: the login page, which comes
 * back to `path` afterwards; null on the login page itself.
 *
 * @example
 * loginRedirect('/logs?q=error'); // '/login?next=%2Flogs%3Fq%3Derror'
 */
export function loginRedirect(path: string): string | null {
  if (path === '/login' || path.startsWith('/login?')) return null;
  return `/login?next=${encodeURIComponent(path)}`;
}
