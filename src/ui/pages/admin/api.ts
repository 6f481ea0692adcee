/**
 * @module
 * The user and token calls of the admin page (`/api/v1/auth/users`, `/api/v1/auth/tokens`),
 * each a thin wrapper naming the route; every one needs the admin role.
 */
import { apiDelete, apiGet, apiPost, apiPut, ApiError } from '../../api/client';
import type { CreatedToken, Role, Scope, Token, User } from '../../api/responseTypes/auth';

const user = (name: string) => `/auth/users/${encodeURIComponent(name)}`;

export const loadUsers = (signal: AbortSignal) => apiGet<User[]>('/auth/users', signal);
export const loadTokens = (signal: AbortSignal) => apiGet<Token[]>('/auth/tokens', signal);

export const addUser = (name: string, role: Role, password: string) =>
  apiPost<User>('/auth/users', { name, role, password });
export const deleteUser = (name: string) => apiDelete<{ revoked_tokens: number }>(user(name));
export const setRole = (name: string, role: Role) => apiPut<null>(`${user(name)}/role`, { role });
export const setPassword = (name: string, password: string) =>
  apiPut<null>(`${user(name)}/password`, { password });

/** @param expiresIn a duration (`90d`), or empty for a token that never expires */
export const createToken = (name: string, scopes: Scope[], expiresIn: string) =>
  apiPost<CreatedToken>('/auth/tokens', {
    name,
    scopes,
    ...(expiresIn === '' ? {} : { expires_in: expiresIn }),
  });
export const revokeToken = (id: string) =>
  apiDelete<Token>(`/auth/tokens/${encodeURIComponent(id)}`);

/** What to tell the admin about a failed change: the server's own reason when it gave one. */
export function reasonOf(err: unknown): string {
  if (err instanceof ApiError) return err.serverError ?? err.detail;
  return err instanceof Error ? err.message : String(err);
}
