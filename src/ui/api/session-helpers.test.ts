/**
 * @module
 * Unit tests for the pure helpers of the login session.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csrfToken, loginRedirect, readCookie, safeNext, sessionHeaders } from './session-helpers';

test('readCookie and csrfToken find one cookie among several', () => {
  assert.equal(readCookie('a=1; vigil_csrf=tok-en_1; b=2', 'vigil_csrf'), 'tok-en_1');
  assert.equal(readCookie('vigil_csrfx=no', 'vigil_csrf'), undefined);
  assert.equal(csrfToken(' vigil_csrf=abc'), 'abc');
  assert.equal(csrfToken(''), undefined);
});

test('safeNext keeps paths on this origin and refuses everything else', () => {
  const f = (next: string | null, expected: string) =>
    assert.equal(safeNext(next), expected, String(next));
  f('/status', '/status');
  f('/logs?q=level:error#x', '/logs?q=level:error#x');
  f(null, '/');
  f('', '/');
  f('status', '/');
  f('https://evil.example/', '/');
  f('//evil.example/', '/');
  f('/\\evil.example', '/');
  f('/\t/evil.example', '/');
  f('javascript:alert(1)', '/');
  f('/login?next=/status', '/');
});

test('sessionHeaders sends the CSRF token on writes only; loginRedirect comes back', () => {
  const cookies = 'vigil_csrf=t1';
  assert.deepEqual(sessionHeaders('GET', cookies), {});
  assert.deepEqual(sessionHeaders('POST', cookies), { 'X-CSRF-Token': 't1' });
  assert.deepEqual(sessionHeaders('DELETE', cookies), { 'X-CSRF-Token': 't1' });
  assert.deepEqual(sessionHeaders('POST', ''), {});
  assert.equal(loginRedirect('/logs?q=a b'), '/login?next=%2Flogs%3Fq%3Da%20b');
  assert.equal(loginRedirect('/login?next=%2F'), null);
});
