/**
 * @module
 * Shapes of the `data` field of the `/api/v1/auth/*` responses, mirroring the server
 * (src/server/auth/api.ts). Times are RFC 3339 strings as sent.
 */

export type Role = 'viewer' | 'editor' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];

export type Scope = 'read' | 'logs:write' | 'metrics:write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'logs:write', 'metrics:write', 'admin'];

/** `GET /api/v1/auth/whoami`: who the browser is, and whether auth is on at all. */
export type Whoami = { auth_enabled: boolean } & (
  | { kind: 'anonymous' }
  | { kind: 'user'; user: string; role: Role; csrf_token?: string }
  | { kind: 'token' | 'internal'; name: string; scopes: Scope[] }
);

/** One entry of `GET /api/v1/auth/users`. */
export interface User {
  name: string;
  role: Role;
  created: string;
}

/** One entry of `GET /api/v1/auth/tokens`: never the secret. */
export interface Token {
  id: string;
  name: string;
  owner: string;
  scopes: Scope[];
  created: string;
  /** Null: never expires. */
  expires: string | null;
}

/** `POST /api/v1/auth/tokens`: the new token, with its secret shown this once. */
export interface CreatedToken extends Token {
  token: string;
}
