import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sameSecret, SessionStore } from './sessions.js';

test('a session ends after its idle timeout or its maximum age, whichever comes first', () => {
  const s = new SessionStore(1000, 5000);
  const { id, session } = s.create('alice', 0);
  assert.equal(s.get(id, 900)?.user, 'alice');
  // Used at 900, so idle until 1900; kept alive by use until the maximum age.
  for (let t = 1800; t < 5000; t += 800) assert.ok(s.get(id, t) !== undefined, `at ${t}`);
  assert.equal(s.get(id, 5001), undefined);
  assert.equal(session.csrf.length, 32);

  const idle = s.create('bob', 0);
  assert.equal(s.get(idle.id, 1001), undefined);
});

test('ids and CSRF tokens are random, and an unknown id finds nothing', () => {
  const s = new SessionStore(60_000, 60_000);
  const a = s.create('alice');
  const b = s.create('alice');
  assert.notEqual(a.id, b.id);
  assert.notEqual(a.session.csrf, b.session.csrf);
  assert.match(a.id, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(s.get(`${a.id.slice(0, -1)}x`), undefined);
});

test("ending a user's sessions leaves other users' and later ones", () => {
  const s = new SessionStore(60_000, 60_000);
  const old = s.create('alice', 100);
  const other = s.create('bob', 100);
  s.endUserSessions('alice', 200);
  const later = s.create('alice', 300);
  assert.equal(s.get(old.id, 300), undefined);
  assert.ok(s.get(other.id, 300) !== undefined);
  assert.ok(s.get(later.id, 300) !== undefined);
  s.delete(later.id);
  assert.equal(s.get(later.id, 300), undefined);
});

test('sameSecret compares whole strings', () => {
  assert.equal(sameSecret('abc', 'abc'), true);
  assert.equal(sameSecret('abc', 'abd'), false);
  assert.equal(sameSecret('abc', 'abcd'), false);
  assert.equal(sameSecret('', ''), true);
});
