import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MatcherError, parseMatchers } from './matchers.js';

function f(input: string, expected: string[] | RegExp): void {
  if (expected instanceof RegExp) {
    assert.throws(
      () => parseMatchers(input),
      (e: Error) => e instanceof MatcherError && expected.test(e.message),
      input,
    );
    return;
  }
  assert.deepEqual(parseMatchers(input).map(String), expected, input);
}

test('matcher strings parse as Alertmanager parses them', () => {
  f('foo=bar', ['foo="bar"']);
  f('{foo="bar", baz!~"a|b"}', ['foo="bar"', 'baz!~"a|b"']);
  f('  foo  =~  "x,y"  ', ['foo=~"x,y"']);
  f('a="with \\"quote\\"",b=plain', ['a="with \\"quote\\""', 'b="plain"']);
  f('a="line\\nbreak"', ['a="line\\nbreak"']);
  f('a="back\\\\slash"', ['a="back\\\\slash"']);
  f('a=\\d', ['a="\\\\d"']);
  f('a=""', ['a=""']);
  f('job:rate=x', ['job:rate="x"']);
  f('a="unterminated', /unescaped double quote/);
  f('a=b"c', /unescaped double quote/);
  f('1a=b', /bad matcher format/);
  f('a=~"("', /cannot compile/);
});

test('regex matchers are anchored and their dot does not match a newline', () => {
  const [m] = parseMatchers('a=~"b.*"');
  assert.equal(m!.matches({ a: 'bcd' }), true);
  assert.equal(m!.matches({ a: 'xbcd' }), false);
  assert.equal(m!.matches({ a: 'b\nc' }), false);
  const [neg] = parseMatchers('a!~"x|y"');
  assert.equal(neg!.matches({}), true);
  assert.equal(neg!.matches({ a: 'x' }), false);
});
