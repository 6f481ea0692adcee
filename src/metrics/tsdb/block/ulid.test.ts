import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUlid, newUlid, ulidTime } from './ulid.js';

test('ULIDs are 26 Crockford characters carrying their millisecond timestamp', () => {
  const id = newUlid(Date.now() + 10_000);
  assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.ok(isUlid(id));
  assert.equal(ulidTime(id), ulidTime(newUlid(0)));
  assert.ok(isUlid(id.toLowerCase()));
  for (const bad of [
    '',
    id.slice(1),
    `${id}0`,
    `8${id.slice(1)}`,
    id.replace(/.$/, 'U'),
    id.replace(/.$/, 'I'),
  ]) {
    assert.equal(isUlid(bad), false, bad);
  }
  // The largest timestamp is 7ZZZZZZZZZ.
  assert.equal(ulidTime('7ZZZZZZZZZ0000000000000000'), 2 ** 48 - 1);
  assert.throws(() => newUlid(2 ** 48), RangeError);
});

test('ULIDs made by one process strictly increase, even within one millisecond', () => {
  const t = Date.now() + 60_000;
  const ids = Array.from({ length: 1000 }, () => newUlid(t));
  assert.equal(ulidTime(ids[0]!), t);
  assert.equal(ulidTime(ids[999]!), t);
  for (let i = 1; i < ids.length; i++)
    assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
  // A clock that steps back does not break the order.
  assert.ok(newUlid(t - 5000) > ids[999]!);
  assert.ok(ulidTime(newUlid(t + 1)) === t + 1);
});
