/**
 * @module
 * The browser side of a login session: logging in and out through `/api/v1/auth`. Requests
 * that change state must repeat the session's CSRF token ({@link csrfToken}) in `X-CSRF-Token`.
 */

import { API_PREFIX, type ApiResponse } from '../../api/client';
import { csrfToken } from '../../api/session-helpers';

export { csrfToken, readCookie, safeNext } from '../../api/session-helpers';

/** The header the server checks on state-changing requests made with the session cookie. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** What a successful login returns. */
export interface LoginResult {
  user: string;
  role: 'viewer' | 'editor' | 'admin';
  csrf_token: string;
}

/** A refused login: `retryAfterS` is set when the server asks to wait (too many failures). */
export class LoginError extends Error {
  override name = 'LoginError';
  readonly httpStatus: number;
  readonly retryAfterS: number | undefined;

  constructor(message: string, httpStatus: number, retryAfterS?: number) {
    super(message);
    this.httpStatus = httpStatus;
    this.retryAfterS = retryAfterS;
  }
}

/**
 * Logs in; the server sets the session cookies.
 *
 * @throws LoginError with the server's reason (wrong password, too many attempts, auth off)
 * @example
 * const { user } = await login('alice', 'secret password');
 */
export async function login(username: string, password: string): Promise<LoginResult> {
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch (err) {
    throw new LoginError(
      `server unreachable (${err instanceof Error ? err.message : String(err)})`,
      0,
    );
  }
  let body: ApiResponse<LoginResult> | undefined;
  try {
    body = (await response.json()) as ApiResponse<LoginResult>;
  } catch {
    body = undefined;
  }
  if (response.ok && body?.status === 'success') return body.data;
  const retry = Number(response.headers.get('Retry-After'));
  const reason =
    body?.status === 'error' ? body.error : `HTTP ${response.status} without an explanation`;
  throw new LoginError(
    reason,
    response.status,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

/**
 * Ends the session and clears its cookies.
 *
 * @example
 * await logout();
 */
export async function logout(): Promise<void> {
  await fetch(`${API_PREFIX}/auth/logout`, {
    method: 'POST',
    headers: { [CSRF_HEADER]: csrfToken(document.cookie) ?? '' },
  });
}
