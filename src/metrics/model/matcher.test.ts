import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRegexError, Matcher, type MatchType } from './matcher.js';

test('matchers compare as Prometheus does', () => {
  const f = (type: MatchType, pattern: string, value: string, want: boolean) =>
    assert.equal(
      new Matcher(type, 'l', pattern).matches(value),
      want,
      `l${type}"${pattern}" on "${value}"`,
    );
  f('=', 'a', 'a', true);
  f('=', 'a', 'ab', false);
  f('=', '', '', true);
  f('!=', 'a', 'b', true);
  f('!=', 'a', 'a', false);
  f('=~', 'a.*', 'abc', true);
  f('=~', 'b', 'abc', false); // fully anchored
  f('=~', 'a|b', 'b', true);
  f('=~', 'a|b', 'ab', false);
  f('=~', '.*', '', true);
  f('=~', '.+', '', false);
  f('=~', 'a.c', 'a\nc', true); // `.` matches newline
  f('=~', '(?i)abc', 'ABC', true);
  f('=~', 'x(a|b)y', 'xby', true);
  f('!~', 'a.*', 'abc', false);
  f('!~', 'a.*', 'b', true);
  f('!~', '', 'x', true);
  f('=~', '', '', true);
});

test('literal alternations expose their set; others do not', () => {
  assert.deepEqual(new Matcher('=~', 'l', 'a|b|c').setMatches(), ['a', 'b', 'c']);
  assert.deepEqual(new Matcher('=', 'l', 'x').setMatches(), ['x']);
  assert.equal(new Matcher('=~', 'l', 'a.*').setMatches(), null);
  assert.equal(new Matcher('!=', 'l', 'a').setMatches(), null);
});

test('a bad regex is an error naming the pattern', () => {
  assert.throws(
    () => new Matcher('=~', 'l', 'a('),
    (e: unknown) =>
      e instanceof InvalidRegexError &&
      e.pattern === 'a(' &&
      /cannot compile regular expression "a\("/.test(e.message),
  );
});
