/**
 * @module
 * Who may do what. Every route needs one of a few access levels; a user's role or a token's
 * scopes grant levels. The mapping is the whole policy, in one place, so that it can be read
 * and tested as data.
 *
 * | level          | what                                              | roles          | token scopes        |
 * | -------------- | ------------------------------------------------- | -------------- | ------------------- |
 * | public         | health, login, logout, the web app's files        | anyone         | anyone              |
 * | session        | whoami: any authenticated caller                  | all            | all                 |
 * | read           | queries, searches, status, /metrics               | all            | read, admin         |
 * | logs:write     | log ingest (native, `_bulk`, Loki push)           | editor, admin  | logs:write, admin   |
 * | metrics:write  | remote write, Pushgateway pushes                  | editor, admin  | metrics:write, admin|
 * | write          | configuration-like writes (silences, dashboards)  | editor, admin  | admin               |
 * | admin          | users, tokens, deleting indices                   | admin          | admin               |
 */

export const ACCESS_LEVELS = [
  'public',
  'session',
  'read',
  'logs:write',
  'metrics:write',
  'write',
  'admin',
] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['read', 'logs:write', 'metrics:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const ROLE_GRANTS: Readonly<Record<Role, readonly Access[]>> = {
  viewer: ['public', 'session', 'read'],
  editor: ['public', 'session', 'read', 'logs:write', 'metrics:write', 'write'],
  admin: ACCESS_LEVELS,
};

const SCOPE_GRANTS: Readonly<Record<Scope, readonly Access[]>> = {
  read: ['read'],
  'logs:write': ['logs:write'],
  'metrics:write': ['metrics:write'],
  admin: ACCESS_LEVELS,
};

/** The authenticated caller of one request. */
export type Principal =
  | { kind: 'user'; name: string; role: Role; via: 'session' | 'basic' }
  | { kind: 'token'; id: string; name: string; scopes: readonly Scope[]; owner: string }
  /** The server itself (its built-in scrape jobs); never stored, never leaves the process. */
  | { kind: 'internal'; name: string; scopes: readonly Scope[] };

/** The name audit records and logs give a principal: `alice`, `token:ci-agent`. */
export function principalName(p: Principal): string {
  return p.kind === 'user' ? p.name : `${p.kind}:${p.name}`;
}

/**
 * Whether `p` may use a route that needs any of `needed`.
 *
 * @example
 * allows({ kind: 'user', name: 'v', role: 'viewer', via: 'session' }, ['read']); // true
 */
export function allows(p: Principal, needed: readonly Access[]): boolean {
  const granted =
    p.kind === 'user'
      ? ROLE_GRANTS[p.role]
      : [...p.scopes.flatMap((s) => SCOPE_GRANTS[s]), 'public', 'session'];
  return needed.some((a) => granted.includes(a));
}

/** Parses a comma-separated scope list; returns the first unknown scope as an error string. */
export function parseScopes(text: string): Scope[] | string {
  const out: Scope[] = [];
  for (const raw of text.split(',')) {
    const s = raw.trim();
    if (s === '') continue;
    if (!(SCOPES as readonly string[]).includes(s)) {
      return `unknown scope ${JSON.stringify(s)}; known scopes: ${SCOPES.join(', ')}`;
    }
    if (!out.includes(s as Scope)) out.push(s as Scope);
  }
  return out.length === 0 ? `no scope given; known scopes: ${SCOPES.join(', ')}` : out;
}
