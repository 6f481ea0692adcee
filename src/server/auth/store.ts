/**
 * @module
 * Users and API tokens, kept in `<data-dir>/auth/users.json` (mode 0600, directory 0700) and
 * replaced atomically on every change. Passwords are stored as scrypt hashes, tokens as the
 * SHA-256 of their secret part: a token is 256 random bits, so a fast hash cannot be guessed
 * back, and checking one per request must be cheap.
 *
 * The server and the `vigil user`/`vigil token` commands share the file: each reads it again
 * when it has changed on disk (a stat per lookup; the atomic rename gives a new inode), and
 * each mutation re-reads it first, so a token created by the CLI works at once on a running
 * server and a deleted user is locked out at once.
 */

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../lib/fs/fsync.js';
import { ROLES, SCOPES, type Role, type Scope } from './access.js';
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from './password.js';

export interface UserRecord {
  name: string;
  role: Role;
  password_hash: string;
  /** ms since the epoch */
  created: number;
  /** When the password last changed (ms); sessions from before it are void. */
  password_changed: number;
}

export interface TokenRecord {
  /** Public identifier, the part after `vgl_` and before the secret. */
  id: string;
  name: string;
  /** The user who created it; deleting the user revokes it. `cli` for tokens made offline. */
  owner: string;
  scopes: Scope[];
  /** Hex SHA-256 of the secret part. */
  hash: string;
  created: number;
  /** ms since the epoch, or 0 for never. */
  expires: number;
}

interface FileShape {
  version: 1;
  users: UserRecord[];
  tokens: TokenRecord[];
}

/** A refused change, with the reason in the message ("cannot add user alice: it exists"). */
export class AuthStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthStoreError';
  }
}

const FILE = 'users.json';
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** `vgl_` + 12 hex id + `_` + 43 base64url characters of secret. */
const TOKEN_RE = /^vgl_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Whether a string has the shape of a Vigil API token (so basic auth can tell it from a password). */
export function looksLikeToken(s: string): boolean {
  return s.startsWith('vgl_');
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** A hash to verify against when a user does not exist, so a miss costs as much as a hit. */
let dummyHash: Promise<string> | undefined;

export class AuthStore {
  readonly dir: string;
  readonly #path: string;
  #data: FileShape = { version: 1, users: [], tokens: [] };
  #stamp = '';
  readonly #changeListeners: (() => void)[] = [];

  private constructor(dir: string) {
    this.dir = dir;
    this.#path = join(dir, FILE);
  }

  /**
   * Opens (creating if needed) the store under `<dataDir>/auth`.
   *
   * @example
   * const store = AuthStore.open('/var/lib/vigil');
   */
  static open(dataDir: string): AuthStore {
    const dir = join(dataDir, 'auth');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const store = new AuthStore(dir);
    store.#refresh();
    return store;
  }

  /** Calls `fn` whenever the file's content changed (here or by another process). */
  onChange(fn: () => void): void {
    this.#changeListeners.push(fn);
  }

  #refresh(): void {
    let stamp: string;
    try {
      const st = statSync(this.#path);
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      stamp = 'none';
    }
    if (stamp === this.#stamp) return;
    if (stamp === 'none') {
      this.#data = { version: 1, users: [], tokens: [] };
    } else {
      let parsed: FileShape;
      try {
        parsed = JSON.parse(readFileSync(this.#path, 'utf8')) as FileShape;
      } catch (err) {
        throw new AuthStoreError(`cannot read ${this.#path}: ${(err as Error).message}`);
      }
      if (parsed.version !== 1 || !Array.isArray(parsed.users) || !Array.isArray(parsed.tokens)) {
        throw new AuthStoreError(`cannot read ${this.#path}: not a Vigil users file (version 1)`);
      }
      this.#data = parsed;
    }
    const changed = this.#stamp !== '';
    this.#stamp = stamp;
    if (changed) for (const fn of this.#changeListeners) fn();
  }

  #write(next: FileShape): void {
    writeFileAtomic(this.dir, FILE, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    this.#data = next;
    const st = statSync(this.#path);
    this.#stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    for (const fn of this.#changeListeners) fn();
  }

  users(): readonly UserRecord[] {
    this.#refresh();
    return this.#data.users;
  }

  user(name: string): UserRecord | undefined {
    return this.users().find((u) => u.name === name);
  }

  tokens(): readonly TokenRecord[] {
    this.#refresh();
    return this.#data.tokens;
  }

  /**
   * @throws {AuthStoreError} for a bad name, role or short password, or an existing user.
   * @example
   * await store.addUser('alice', 'editor', 'long enough');
   */
  async addUser(name: string, role: Role, password: string): Promise<UserRecord> {
    if (!USER_NAME.test(name)) {
      throw new AuthStoreError(
        `cannot add user ${JSON.stringify(name)}: a name is 1–64 letters, digits or ._@- and starts with a letter or digit`,
      );
    }
    checkRole(role, `cannot add user ${name}`);
    checkPassword(password, `cannot add user ${name}`);
    const hash = await hashPassword(password);
    this.#refresh();
    if (this.#data.users.some((u) => u.name === name)) {
      throw new AuthStoreError(`cannot add user ${name}: it exists`);
    }
    const now = Date.now();
    const user: UserRecord = {
      name,
      role,
      password_hash: hash,
      created: now,
      password_changed: now,
    };
    this.#write({ ...this.#data, users: [...this.#data.users, user] });
    return user;
  }

  /** @throws {AuthStoreError} for an unknown user or a short password. */
  async setPassword(name: string, password: string): Promise<void> {
    checkPassword(password, `cannot change the password of ${name}`);
    const hash = await hashPassword(password);
    this.#refresh();
    this.#existing(name, 'cannot change the password of');
    const now = Date.now();
    this.#write({
      ...this.#data,
      users: this.#data.users.map((u) =>
        u.name === name ? { ...u, password_hash: hash, password_changed: now } : u,
      ),
    });
  }

  /** @throws {AuthStoreError} for an unknown user, or when it would leave no admin. */
  setRole(name: string, role: Role): void {
    checkRole(role, `cannot change the role of ${name}`);
    this.#refresh();
    const user = this.#existing(name, 'cannot change the role of');
    if (user.role === 'admin' && role !== 'admin') this.#keepAnAdmin(name, 'change the role of');
    this.#write({
      ...this.#data,
      users: this.#data.users.map((u) => (u.name === name ? { ...u, role } : u)),
    });
  }

  /** Deletes a user and revokes the tokens it created. @returns the revoked tokens' ids. */
  deleteUser(name: string): string[] {
    this.#refresh();
    const user = this.#existing(name, 'cannot delete user');
    if (user.role === 'admin') this.#keepAnAdmin(name, 'delete user');
    const revoked = this.#data.tokens.filter((t) => t.owner === name).map((t) => t.id);
    this.#write({
      ...this.#data,
      users: this.#data.users.filter((u) => u.name !== name),
      tokens: this.#data.tokens.filter((t) => t.owner !== name),
    });
    return revoked;
  }

  #existing(name: string, what: string): UserRecord {
    const user = this.#data.users.find((u) => u.name === name);
    if (user === undefined) throw new AuthStoreError(`${what} ${name}: no such user`);
    return user;
  }

  #keepAnAdmin(name: string, what: string): void {
    if (!this.#data.users.some((u) => u.role === 'admin' && u.name !== name)) {
      throw new AuthStoreError(`cannot ${what} ${name}: it is the last admin`);
    }
  }

  /**
   * Checks a user's password; null for an unknown user or a wrong password. Takes as long
   * either way, so that timing does not tell which users exist.
   */
  async verifyUser(name: string, password: string): Promise<UserRecord | null> {
    const user = this.user(name);
    if (user === undefined) {
      await verifyPassword(password, await (dummyHash ??= hashPassword('not a password')));
      return null;
    }
    return (await verifyPassword(password, user.password_hash)) ? user : null;
  }

  /**
   * Creates a token; the returned secret is shown once and never stored.
   *
   * @example
   * const { token } = store.createToken({ name: 'agent', owner: 'admin', scopes: ['logs:write'] });
   */
  createToken(opts: { name: string; owner: string; scopes: readonly Scope[]; expires?: number }): {
    record: TokenRecord;
    token: string;
  } {
    if (opts.name.trim() === '' || opts.name.length > 128) {
      throw new AuthStoreError('cannot create token: its name must be 1–128 characters');
    }
    if (opts.scopes.length === 0 || opts.scopes.some((s) => !SCOPES.includes(s))) {
      throw new AuthStoreError(
        `cannot create token ${opts.name}: scopes must be some of ${SCOPES.join(', ')}`,
      );
    }
    this.#refresh();
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const record: TokenRecord = {
      id,
      name: opts.name,
      owner: opts.owner,
      scopes: [...opts.scopes],
      hash: sha256(secret).toString('hex'),
      created: Date.now(),
      expires: opts.expires ?? 0,
    };
    this.#write({ ...this.#data, tokens: [...this.#data.tokens, record] });
    return { record, token: `vgl_${id}_${secret}` };
  }

  /** @throws {AuthStoreError} for an unknown id. */
  revokeToken(id: string): TokenRecord {
    this.#refresh();
    const t = this.#data.tokens.find((x) => x.id === id);
    if (t === undefined) throw new AuthStoreError(`cannot revoke token ${id}: no such token`);
    this.#write({ ...this.#data, tokens: this.#data.tokens.filter((x) => x.id !== id) });
    return t;
  }

  /** The token record a presented token string belongs to; null if unknown, wrong or expired. */
  verifyToken(presented: string, now = Date.now()): TokenRecord | null {
    const m = TOKEN_RE.exec(presented);
    if (m === null) return null;
    const t = this.tokens().find((x) => x.id === m[1]);
    if (t === undefined) return null;
    const ok = timingSafeEqual(sha256(m[2]!), Buffer.from(t.hash, 'hex'));
    if (!ok || (t.expires !== 0 && t.expires <= now)) return null;
    return t;
  }
}

function checkRole(role: string, what: string): void {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new AuthStoreError(
      `${what}: unknown role ${JSON.stringify(role)}; roles: ${ROLES.join(', ')}`,
    );
  }
}

function checkPassword(password: string, what: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AuthStoreError(
      `${what}: a password needs at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  }
}
