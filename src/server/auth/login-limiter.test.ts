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

test('begin counts an attempt before its password is checked, so parallel guesses are limited too', () => {
  const l = new LoginLimiter(limits);
  // Ten attempts arrive before any password check has finished.
  const waits = Array.from({ length: 10 }, () => l.begin('carol', '198.51.100.1', 0));
  assert.deepEqual(
    waits.map((w) => w === 0),
    [true, true, true, false, false, false, false, false, false, false],
  );
  // The three that went ahead: one had the right password.
  l.succeeded('carol', '198.51.100.1');
  assert.equal(l.begin('carol', '198.51.100.1', 0), 0);
});

test('a wait runs from when the failed check ended, however long the check took', () => {
  const l = new LoginLimiter(limits);
  for (let i = 0; i < 3; i++) assert.equal(l.begin('dave', 'x', 0), 0);
  // The third check took 1.5 s (a busy machine): the client hears of it at 1 500 ms.
  l.rejected('dave', 'x', 1500);
  assert.equal(l.check('dave', 'x', 1500), 1000);
  // Below the limit a rejection starts no wait.
  l.rejected('erin', 'y', 0);
  l.begin('erin', 'y', 0);
  l.rejected('erin', 'y', 10);
  assert.equal(l.check('erin', 'y', 10), 0);
});
