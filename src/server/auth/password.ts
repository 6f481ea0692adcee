/**
 * @module
 * Password hashing with scrypt (node:crypto). A stored hash is self-describing —
 * `scrypt$N$r$p$salt$key`, salt and key in base64url — so the cost can be raised later without
 * invalidating existing passwords: verification reads the parameters from the hash.
 */

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Cost parameters. N=2^15, r=8 takes ~50–100 ms and 32 MiB per hash on one core here: slow
 * enough that an offline guesser gets ~10–20 tries per second per core, fast enough for a login.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Thrown when a stored hash cannot be read; carries the (non-secret) prefix it saw. */
export class PasswordHashFormatError extends Error {
  constructor(readonly prefix: string) {
    super(`cannot read password hash: unknown format ${JSON.stringify(prefix)}`);
    this.name = 'PasswordHashFormatError';
  }
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    // maxmem must cover 128·N·r bytes; leave headroom for stored hashes with higher costs.
    scrypt(password, salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/**
 * Hashes a password with a fresh salt.
 *
 * @example
 * const stored = await hashPassword('correct horse'); // 'scrypt$32768$8$1$…$…'
 */
export async function hashPassword(
  password: string,
  params: { N: number; r: number; p: number } = SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params.N, params.r, params.p);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * Checks a password against a stored hash in constant time.
 *
 * @throws {PasswordHashFormatError} when `stored` is not a hash this module wrote.
 * @example
 * await verifyPassword('correct horse', stored); // true
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  const [kind, n, r, p, salt, key] = parts;
  if (parts.length !== 6 || kind !== 'scrypt') {
    throw new PasswordHashFormatError(parts[0] ?? '');
  }
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (![N, R, P].every((x) => Number.isSafeInteger(x) && x > 0)) {
    throw new PasswordHashFormatError(stored.slice(0, 20));
  }
  const expected = Buffer.from(key!, 'base64url');
  const actual = await derive(password, Buffer.from(salt!, 'base64url'), N, R, P);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Shortest password accepted for a user; long enough that online guessing is hopeless. */
export const MIN_PASSWORD_LENGTH = 8;

/**
 * A random password for the first admin: 24 base64url characters (144 bits).
 *
 * @example
 * generatePassword(); // 'h3K…'
 */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
