import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../test/harness/temp.js';
import { AuthStore, AuthStoreError } from './store.js';

test('users are stored with scrypt hashes in a 0600 file in a 0700 directory', async (t) => {
  const dir = tempDir(t);
  const store = AuthStore.open(dir);
  await store.addUser('alice', 'editor', 'alice password');
  const file = join(dir, 'auth', 'users.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'auth')).mode & 0o777, 0o700);
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes('alice password'));
  assert.match(text, /"password_hash": "scrypt\$/);
  assert.equal((await store.verifyUser('alice', 'alice password'))?.role, 'editor');
  assert.equal(await store.verifyUser('alice', 'wrong password'), null);
  assert.equal(await store.verifyUser('nobody', 'alice password'), null);
});

test('bad names, roles, short passwords and duplicates are refused with the reason', async (t) => {
  const store = AuthStore.open(tempDir(t));
  const f = (p: Promise<unknown>, re: RegExp) =>
    assert.rejects(p, (e: Error) => e instanceof AuthStoreError && re.test(e.message));
  await f(store.addUser('../x', 'viewer', 'long enough'), /a name is/);
  await f(store.addUser('bob', 'root' as never, 'long enough'), /unknown role "root"/);
  await f(store.addUser('bob', 'viewer', 'short'), /at least 8 characters/);
  await store.addUser('bob', 'viewer', 'long enough');
  await f(store.addUser('bob', 'viewer', 'long enough'), /it exists/);
});

test('the last admin cannot be deleted or demoted', async (t) => {
  const store = AuthStore.open(tempDir(t));
  await store.addUser('root', 'admin', 'admin password');
  assert.throws(() => store.deleteUser('root'), /last admin/);
  assert.throws(() => store.setRole('root', 'viewer'), /last admin/);
  await store.addUser('second', 'admin', 'admin password');
  store.deleteUser('root');
  assert.deepEqual(
    store.users().map((u) => u.name),
    ['second'],
  );
});

test('tokens are stored as hashes and verify until revoked or expired', async (t) => {
  const dir = tempDir(t);
  const store = AuthStore.open(dir);
  const { record, token } = store.createToken({
    name: 'agent',
    owner: 'cli',
    scopes: ['logs:write'],
  });
  assert.match(token, /^vgl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  const text = readFileSync(join(dir, 'auth', 'users.json'), 'utf8');
  assert.ok(!text.includes(token.slice(17)), 'the secret is stored');
  assert.equal(store.verifyToken(token)?.id, record.id);
  // One character off, another id, or garbage: all unknown.
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  assert.equal(store.verifyToken(token.slice(0, -1) + last), null);
  assert.equal(store.verifyToken(`vgl_000000000000_${token.slice(17)}`), null);
  assert.equal(store.verifyToken('Bearer nonsense'), null);
  store.revokeToken(record.id);
  assert.equal(store.verifyToken(token), null);
  assert.throws(() => store.revokeToken(record.id), /no such token/);

  const soon = store.createToken({
    name: 'short',
    owner: 'cli',
    scopes: ['read'],
    expires: Date.now() + 1000,
  });
  assert.ok(store.verifyToken(soon.token) !== null);
  assert.equal(store.verifyToken(soon.token, Date.now() + 2000), null);
});

test('deleting a user revokes the tokens it owns', async (t) => {
  const store = AuthStore.open(tempDir(t));
  await store.addUser('admin', 'admin', 'admin password');
  await store.addUser('carol', 'editor', 'carol password');
  const mine = store.createToken({ name: 'c', owner: 'carol', scopes: ['read'] });
  const other = store.createToken({ name: 'a', owner: 'admin', scopes: ['read'] });
  assert.deepEqual(store.deleteUser('carol'), [mine.record.id]);
  assert.equal(store.verifyToken(mine.token), null);
  assert.ok(store.verifyToken(other.token) !== null);
});

test('a change made by another process (the CLI) is seen at the next lookup', async (t) => {
  const dir = tempDir(t);
  const server = AuthStore.open(dir);
  const cli = AuthStore.open(dir);
  let changes = 0;
  server.onChange(() => changes++);
  const { token, record } = cli.createToken({ name: 'x', owner: 'cli', scopes: ['read'] });
  assert.equal(server.verifyToken(token)?.id, record.id);
  assert.equal(changes, 1);
  await cli.addUser('dave', 'viewer', 'dave password');
  assert.equal(server.user('dave')?.role, 'viewer');
  // And the server's own change does not lose the CLI's.
  server.createToken({ name: 'y', owner: 'cli', scopes: ['read'] });
  assert.deepEqual(
    cli.tokens().map((x) => x.name),
    ['x', 'y'],
  );
});
