/**
 * @module
 * Unit tests for {@link locateError}.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locateError } from './error-position';

test('finds line and column in a parse error', () => {
  const got = locateError(
    'sum(up',
    'invalid parameter "query": 1:7: parse error: unclosed left parenthesis',
  );
  assert.deepEqual(got, {
    offset: 6,
    line: 1,
    column: 7,
    message: 'parse error: unclosed left parenthesis',
  });
});

test('counts earlier lines into the offset', () => {
  const expr = 'foo +\n bar{';
  const got = locateError(expr, '2:6: parse error: unexpected end of input inside braces');
  assert.equal(got?.offset, 11);
  assert.equal(expr.slice(0, got?.offset), 'foo +\n bar{');
});

test('clamps a column past the end of its line', () => {
  assert.equal(locateError('up', '1:9: parse error: x')?.offset, 2);
});

test('no position, no location', () => {
  assert.equal(locateError('up', 'query timed out in expression evaluation'), undefined);
  assert.equal(locateError('up', '7:1: parse error: line beyond the text'), undefined);
});
