import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldValue } from '../../model/fields.js';
import {
  concatPacked,
  type PackedValues,
  packedAt,
  packedLength,
  packValues,
} from './packed-values.js';

const values = (p: PackedValues) =>
  Array.from({ length: packedLength(p) }, (_, k) => packedAt(p, k));

test('packed values give back the values of their range', () => {
  const strings = [
    '',
    'a',
    'é',
    '\ud800',
    'long string of more than thirteen characters',
    '😀',
    '',
  ];
  const numbers = [0, -0, 1.5, -7, 2 ** 53, 1e-300];
  const mixed: FieldValue[] = ['a', 1, true, 'b'];
  for (const vals of [strings, numbers, mixed]) {
    for (const [a, b] of [
      [0, vals.length],
      [1, 3],
      [2, 2],
    ] as const) {
      // Through a clone, as a flush job's pieces go to the worker.
      const p = structuredClone(packValues(vals, a, b));
      assert.equal(packedLength(p), b - a);
      assert.deepEqual(values(p), vals.slice(a, b));
      assert.ok(Object.is(values(p)[0], vals[a]) || a === b);
    }
  }
  assert.ok('text' in packValues(strings, 0, strings.length));
  assert.ok(packValues(numbers, 0, numbers.length) instanceof Float64Array);
  assert.ok(Array.isArray(packValues(mixed, 0, mixed.length)));
});

test('pieces of a column put together give back the column, whatever each piece became', () => {
  const vals: FieldValue[] = ['x', 'yy', 'zzz', 1, 2.5, 'w', 'v', 'u'];
  for (const cuts of [
    [0, 3, 8],
    [0, 3, 5, 8],
    [0, 1, 2, 3],
    [3, 5],
    [5, 8],
  ]) {
    const pieces = cuts.slice(1).map((b, k) => packValues(vals, cuts[k]!, b));
    assert.deepEqual(values(concatPacked(pieces)), vals.slice(cuts[0], cuts.at(-1)), `${cuts}`);
  }
});
