/**
 * @module
 * The first admin. When authentication is on and no user exists yet, the server creates user
 * `admin` with the password from `--admin-password-file`, else from `VIGIL_ADMIN_PASSWORD`,
 * else a generated one printed once on stderr (and never stored in clear anywhere). Once any
 * user exists, these sources are ignored: changing them does not reset a password.
 */

import { readFileSync } from 'node:fs';
import type { AuditLog } from './audit.js';
import { generatePassword } from './password.js';
import type { AuthStore } from './store.js';

export const ADMIN_PASSWORD_ENV = 'VIGIL_ADMIN_PASSWORD';
export const FIRST_ADMIN = 'admin';

/**
 * Creates the first admin if there is no user; returns where its password came from, or null
 * when users existed.
 *
 * @throws {Error} when the password file cannot be read, or the password is too short.
 * @example
 * await ensureFirstAdmin(store, audit, { passwordFile: flags.adminPasswordFile, env: process.env, print });
 */
export async function ensureFirstAdmin(
  store: AuthStore,
  audit: AuditLog,
  opts: {
    passwordFile: string | undefined;
    env: NodeJS.ProcessEnv;
    /** Shows the generated password to the operator. */
    print: (text: string) => void;
  },
): Promise<'file' | 'env' | 'generated' | null> {
  if (store.users().length > 0) return null;
  let password: string;
  let source: 'file' | 'env' | 'generated';
  if (opts.passwordFile !== undefined) {
    try {
      // Editors and `echo` add a final newline that is not part of the password.
      password = readFileSync(opts.passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new Error(
        `cannot read --admin-password-file ${opts.passwordFile}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    source = 'file';
  } else if ((opts.env[ADMIN_PASSWORD_ENV] ?? '') !== '') {
    password = opts.env[ADMIN_PASSWORD_ENV]!;
    source = 'env';
  } else {
    password = generatePassword();
    source = 'generated';
  }
  await store.addUser(FIRST_ADMIN, 'admin', password);
  audit.record({ action: 'user.add', actor: 'server', target: FIRST_ADMIN, source });
  if (source === 'generated') {
    opts.print(
      [
        '',
        '=================================================================',
        ` Authentication is on and no user existed: created user "${FIRST_ADMIN}"`,
        ` with the password:  ${password}`,
        ' It is shown only this once. Change it with:',
        `   vigil user passwd ${FIRST_ADMIN} --data-dir <dir>`,
        '=================================================================',
        '',
      ].join('\n'),
    );
  }
  return source;
}
