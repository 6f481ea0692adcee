import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoginLimiter } from './login-limiter.js';

const limits = { maxFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000 };

test('after maxFailures for a user, each further failure doubles the wait up to the maximum', () => {
  const l = new LoginLimiter(limits);
  let now = 0;
  const waits: number[] = [];
  for (let i = 0; i < 7; i++) {
    // A different address each time: the per-user count alone must slow the guesser.
    l.failed('alice', `10.0.0.${i}`, now);
    waits.push(l.check('alice', '10.9.9.9', now));
    now += waits.at(-1)!;
  }
  assert.deepEqual(waits, [0, 0, 1000, 2000, 4000, 8000, 8000]);
});

test('the per-address count slows one client spraying many user names', () => {
  const l = new LoginLimiter(limits);
  for (let i = 0; i < 4; i++) l.failed(`user${i}`, '192.0.2.1', 0);
  assert.equal(l.check('someone-else', '192.0.2.1', 0), 2000);
  assert.equal(l.check('someone-else', '192.0.2.2', 0), 0);
});

test('a success clears the counts; an old count is forgotten', () => {
  const l = new LoginLimiter(limits);
  for (let i = 0; i < 3; i++) l.failed('bob', 'a', 0);
  assert.equal(l.check('bob', 'a', 0), 1000);
  l.succeeded('bob', 'a');
  assert.equal(l.check('bob', 'a', 0), 0);
  for (let i = 0; i < 3; i++) l.failed('bob', 'a', 0);
  // Long after the longest wait, one more failure starts from one again.
  l.failed('bob', 'a', 100_000);
  assert.equal(l.check('bob', 'a', 100_000), 0);
});
