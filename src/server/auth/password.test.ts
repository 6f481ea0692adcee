import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PasswordHashFormatError,
  SCRYPT_PARAMS,
  generatePassword,
  hashPassword,
  verifyPassword,
} from './password.js';

/** Cheap parameters keep the tests fast; the default cost is checked once below. */
const FAST = { N: 1024, r: 8, p: 1 };

test('a hash verifies its own password and no other', async () => {
  const h = await hashPassword('correct horse battery', FAST);
  assert.equal(await verifyPassword('correct horse battery', h), true);
  assert.equal(await verifyPassword('correct horse batterY', h), false);
  assert.equal(await verifyPassword('', h), false);
});

test('each hash has its own salt, so equal passwords hash differently', async () => {
  const a = await hashPassword('same password', FAST);
  const b = await hashPassword('same password', FAST);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('same password', a), true);
  assert.equal(await verifyPassword('same password', b), true);
});

test('the parameters travel in the hash, so a cost change keeps old hashes valid', async () => {
  const h = await hashPassword('pw with cost', FAST);
  assert.match(h, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.equal(await verifyPassword('pw with cost', h), true);
});

test('the default cost is scrypt N=2^15, r=8 and takes tens of milliseconds', async () => {
  const started = performance.now();
  const h = await hashPassword('default cost');
  const ms = performance.now() - started;
  assert.ok(h.startsWith(`scrypt$${SCRYPT_PARAMS.N}$8$1$`));
  assert.ok(ms > 10, `hashing took only ${ms.toFixed(1)} ms`);
  assert.equal(await verifyPassword('default cost', h), true);
});

test('a hash in an unknown format is an error, not a mismatch', async () => {
  await assert.rejects(verifyPassword('x', 'md5$abc'), PasswordHashFormatError);
  await assert.rejects(verifyPassword('x', 'scrypt$0$8$1$aa$bb'), PasswordHashFormatError);
});

test('generated passwords are long and distinct', () => {
  const a = generatePassword();
  assert.equal(a.length, 24);
  assert.notEqual(a, generatePassword());
});
