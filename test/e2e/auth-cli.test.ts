/**
 * `vigil user` and `vigil token` on a data directory: what they print, their exit codes, the
 * file they keep, and that a running server takes their changes at once.
 */

import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runVigil, startVigil, tempDir } from '../harness/vigil.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('vigil user add, list, passwd, role and delete', async (t) => {
  const dataDir = tempDir(t);
  const d = ['--data-dir', dataDir];
  const pw = join(tempDir(t), 'pw');
  writeFileSync(pw, 'first password\n');

  const added = await runVigil(['user', 'add', 'root', '--role', 'admin', ...d]);
  assert.equal(added.code, 0, added.stderr);
  const generated = /with the password: (\S+)/.exec(added.stdout)?.[1];
  assert.ok(generated !== undefined && generated.length >= 20, added.stdout);
  assert.equal(
    (await runVigil(['user', 'add', 'alice', '--role', 'editor', '--password-file', pw, ...d]))
      .stdout,
    'added user alice (role editor)\n',
  );
  const dup = await runVigil(['user', 'add', 'alice', '--password-file', pw, ...d]);
  assert.equal(dup.code, 1);
  assert.equal(dup.stderr, 'vigil: cannot add user alice: it exists\n');
  const badRole = await runVigil(['user', 'add', 'bob', '--role', 'owner', ...d]);
  assert.equal(badRole.code, 1);
  assert.match(badRole.stderr, /unknown role "owner"; roles: viewer, editor, admin/);

  const list = await runVigil(['user', 'list', ...d]);
  assert.match(list.stdout, /^NAME\s+ROLE\s+CREATED\nroot\s+admin\s+\S+\nalice\s+editor\s+\S+\n$/);

  const file = join(dataDir, 'auth', 'users.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(!readFileSync(file, 'utf8').includes('first password'));

  // A running server sees the next changes without a restart.
  const vigil = await startVigil(t, {
    dataDir,
    config: 'server:\n  auth:\n    enabled: true\n',
  });
  const whoami = (user: string, password: string) =>
    fetch(`${vigil.url}/api/v1/auth/whoami`, { headers: { authorization: basic(user, password) } });
  assert.equal((await whoami('alice', 'first password')).status, 200);
  writeFileSync(pw, 'second password\n');
  assert.equal((await runVigil(['user', 'passwd', 'alice', '--password-file', pw, ...d])).code, 0);
  assert.equal((await whoami('alice', 'first password')).status, 401);
  assert.equal((await whoami('alice', 'second password')).status, 200);
  assert.equal((await runVigil(['user', 'role', 'alice', 'viewer', ...d])).code, 0);
  const who = (await (await whoami('alice', 'second password')).json()) as {
    data: { role: string };
  };
  assert.equal(who.data.role, 'viewer');

  const last = await runVigil(['user', 'delete', 'root', ...d]);
  assert.equal(last.code, 1);
  assert.match(last.stderr, /it is the last admin/);
  assert.equal((await runVigil(['user', 'delete', 'alice', ...d])).stdout, 'deleted user alice\n');
  assert.equal((await whoami('alice', 'second password')).status, 401);
  assert.equal((await vigil.stop()).code, 0);

  const audit = readFileSync(join(dataDir, 'auth', 'audit.log'), 'utf8');
  for (const action of ['user.add', 'user.passwd', 'user.role', 'user.delete']) {
    assert.match(audit, new RegExp(`"action":"${action.replace('.', '\\.')}","actor":"cli:`));
  }
});

test('vigil token create, list and revoke', async (t) => {
  const d = ['--data-dir', tempDir(t)];
  const bad = await runVigil(['token', 'create', '--name', 'x', '--scopes', 'logs:read', ...d]);
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    /unknown scope "logs:read"; known scopes: read, logs:write, metrics:write, admin/,
  );
  const created = await runVigil([
    'token',
    'create',
    '--name',
    'agent-1',
    '--scopes',
    'logs:write,metrics:write',
    '--expires-in',
    '30d',
    ...d,
  ]);
  assert.equal(created.code, 0, created.stderr);
  const token = created.stdout.trim();
  const id = /^vgl_([0-9a-f]{12})_/.exec(token)![1]!;
  const list = await runVigil(['token', 'list', ...d]);
  assert.match(
    list.stdout,
    new RegExp(`^${id}\\s+agent-1\\s+cli\\s+logs:write,metrics:write\\s+\\S+\\s+\\d{4}-`, 'm'),
  );
  assert.ok(!list.stdout.includes(token.slice(17)), 'a listing shows a secret');
  assert.equal(
    (await runVigil(['token', 'revoke', id, ...d])).stdout,
    `revoked token ${id} (agent-1)\n`,
  );
  const again = await runVigil(['token', 'revoke', id, ...d]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /no such token/);
});
