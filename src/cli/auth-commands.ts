/**
 * @module
 * `vigil user add|list|delete|passwd|role` and `vigil token create|list|revoke`: manage the
 * users file in a data directory, offline or beside a running server (which sees each change at
 * its next request). Every change goes to the audit log as done by `cli:<os user>`.
 */

import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseScopes, ROLES, type Role } from '../server/auth/access.js';
import { tokenView } from '../server/auth/api.js';
import { AuditLog } from '../server/auth/audit.js';
import { generatePassword } from '../server/auth/password.js';
import { AuthStore, AuthStoreError } from '../server/auth/store.js';
import { parseDuration } from '../lib/units/duration.js';

interface PasswordOpts {
  passwordFile?: string;
  passwordStdin?: boolean;
}

function actor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return `cli:uid${process.getuid?.() ?? '?'}`;
  }
}

/** The password a command was given, or a generated one (shown once). */
function passwordFrom(opts: PasswordOpts): { password: string; generated: boolean } {
  if (opts.passwordFile !== undefined) {
    return {
      password: readFileSync(opts.passwordFile, 'utf8').replace(/\r?\n$/, ''),
      generated: false,
    };
  }
  if (opts.passwordStdin === true) {
    return { password: readFileSync(0, 'utf8').replace(/\r?\n$/, ''), generated: false };
  }
  return { password: generatePassword(), generated: true };
}

/** Runs one command against the store; AuthStoreError and file errors become exit code 1. */
async function run(
  dataDir: string,
  action: string,
  target: string,
  fn: (store: AuthStore) => Promise<void> | void,
): Promise<void> {
  try {
    const store = AuthStore.open(resolve(dataDir));
    await fn(store);
    if (action !== '') new AuditLog(store.dir).record({ action, actor: actor(), target });
  } catch (err) {
    if (!(err instanceof AuthStoreError) && !(err as NodeJS.ErrnoException).code) throw err;
    process.stderr.write(`vigil: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** Adds `vigil user …` and `vigil token …` to the program. */
export function addAuthCommands(program: Command): void {
  const dataDirOpt = ['--data-dir <dir>', 'data directory of the server', './data'] as const;
  const user = program.command('user').description('manage the users who can log in');
  user
    .command('add')
    .description('add a user; without a password option, one is generated and printed')
    .argument('<name>')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'viewer')
    .option('--password-file <file>', 'read the password from a file')
    .option('--password-stdin', 'read the password from standard input')
    .option(...dataDirOpt)
    .action((name: string, opts: PasswordOpts & { role: string; dataDir: string }) =>
      run(opts.dataDir, 'user.add', name, async (store) => {
        const { password, generated } = passwordFrom(opts);
        await store.addUser(name, opts.role as Role, password);
        process.stdout.write(
          generated
            ? `added user ${name} (role ${opts.role}) with the password: ${password}\n`
            : `added user ${name} (role ${opts.role})\n`,
        );
      }),
    );
  user
    .command('list')
    .description('list users and their roles')
    .option(...dataDirOpt)
    .action((opts: { dataDir: string }) =>
      run(opts.dataDir, '', '', (store) => {
        const rows = store.users().map((u) => [u.name, u.role, new Date(u.created).toISOString()]);
        process.stdout.write(table([['NAME', 'ROLE', 'CREATED'], ...rows]));
      }),
    );
  user
    .command('delete')
    .description('delete a user and revoke the tokens it created')
    .argument('<name>')
    .option(...dataDirOpt)
    .action((name: string, opts: { dataDir: string }) =>
      run(opts.dataDir, 'user.delete', name, (store) => {
        const revoked = store.deleteUser(name);
        process.stdout.write(
          `deleted user ${name}${revoked.length > 0 ? `; revoked tokens ${revoked.join(', ')}` : ''}\n`,
        );
      }),
    );
  user
    .command('passwd')
    .description("set a user's password (ends its sessions); without an option, one is generated")
    .argument('<name>')
    .option('--password-file <file>', 'read the password from a file')
    .option('--password-stdin', 'read the password from standard input')
    .option(...dataDirOpt)
    .action((name: string, opts: PasswordOpts & { dataDir: string }) =>
      run(opts.dataDir, 'user.passwd', name, async (store) => {
        const { password, generated } = passwordFrom(opts);
        await store.setPassword(name, password);
        process.stdout.write(
          generated
            ? `changed the password of ${name} to: ${password}\n`
            : `changed the password of ${name}\n`,
        );
      }),
    );
  user
    .command('role')
    .description("change a user's role")
    .argument('<name>')
    .argument('<role>', ROLES.join(', '))
    .option(...dataDirOpt)
    .action((name: string, role: string, opts: { dataDir: string }) =>
      run(opts.dataDir, 'user.role', name, (store) => {
        store.setRole(name, role as Role);
        process.stdout.write(`user ${name} now has role ${role}\n`);
      }),
    );

  const token = program.command('token').description('manage API tokens for agents and clients');
  token
    .command('create')
    .description('create a token and print it (shown only this once)')
    .requiredOption('--name <name>', 'what the token is for, e.g. agent-node-1')
    .requiredOption('--scopes <list>', 'comma-separated: read, logs:write, metrics:write, admin')
    .option('--expires-in <duration>', 'lifetime, e.g. 90d (default: never expires)')
    .option('--owner <user>', 'user the token belongs to (deleting the user revokes it)', 'cli')
    .option(...dataDirOpt)
    .action(
      (opts: {
        name: string;
        scopes: string;
        expiresIn?: string;
        owner: string;
        dataDir: string;
      }) => {
        const scopes = parseScopes(opts.scopes);
        if (typeof scopes === 'string') {
          process.stderr.write(`vigil: --scopes: ${scopes}\n`);
          process.exitCode = 1;
          return;
        }
        let expires = 0;
        if (opts.expiresIn !== undefined) {
          const ms = parseDuration(opts.expiresIn);
          if (ms === undefined || ms <= 0) {
            process.stderr.write(
              `vigil: --expires-in: invalid duration ${JSON.stringify(opts.expiresIn)}\n`,
            );
            process.exitCode = 1;
            return;
          }
          expires = Date.now() + ms;
        }
        return run(opts.dataDir, 'token.create', opts.name, (store) => {
          const { record, token: secret } = store.createToken({
            name: opts.name,
            owner: opts.owner,
            scopes,
            expires,
          });
          process.stderr.write(`created token ${record.id} (${record.scopes.join(', ')}):\n`);
          process.stdout.write(`${secret}\n`);
        });
      },
    );
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option(...dataDirOpt)
    .action((opts: { dataDir: string }) =>
      run(opts.dataDir, '', '', (store) => {
        const rows = store.tokens().map((t) => {
          const v = tokenView(t);
          return [v.id, v.name, v.owner, v.scopes.join(','), v.created, v.expires ?? 'never'];
        });
        process.stdout.write(
          table([['ID', 'NAME', 'OWNER', 'SCOPES', 'CREATED', 'EXPIRES'], ...rows]),
        );
      }),
    );
  token
    .command('revoke')
    .description('revoke a token by its id')
    .argument('<id>')
    .option(...dataDirOpt)
    .action((id: string, opts: { dataDir: string }) =>
      run(opts.dataDir, 'token.revoke', id, (store) => {
        const t = store.revokeToken(id);
        process.stdout.write(`revoked token ${t.id} (${t.name})\n`);
      }),
    );
}
