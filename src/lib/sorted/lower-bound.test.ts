import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lowerBound } from './lower-bound.js';

test('lowerBound finds the first element at or past a value, within the end given', () => {
  const a = Int32Array.of(1, 3, 3, 7, 9, 0, 0);
  assert.equal(lowerBound(a, 0, 5), 0);
  assert.equal(lowerBound(a, 1, 5), 0);
  assert.equal(lowerBound(a, 3, 5), 1);
  assert.equal(lowerBound(a, 4, 5), 3);
  assert.equal(lowerBound(a, 9, 5), 4);
  assert.equal(lowerBound(a, 10, 5), 5);
  assert.equal(lowerBound(new Int32Array(0), 1), 0);
  assert.equal(lowerBound([2, 4], 3), 1);
});
