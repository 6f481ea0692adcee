/**
 * @module
 * Unit tests for chart data alignment and stacking.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignMatrix, stackValues } from './series-data';

test('series are aligned on the step grid with gaps as null', () => {
  const got = alignMatrix(
    [
      {
        metric: { __name__: 'up', job: 'a' },
        values: [
          [10, '1'],
          [20, '0'],
        ],
      },
      {
        metric: { job: 'b' },
        values: [
          [0, '+Inf'],
          [10.0004, '5'],
        ],
      },
    ],
    0,
    20,
    10,
  );
  assert.deepEqual(got, {
    xs: [0, 10, 20],
    series: [
      { label: 'up{job="a"}', values: [null, 1, 0] },
      { label: '{job="b"}', values: [null, 5, null] },
    ],
  });
});

test('samples outside the range are ignored', () => {
  const got = alignMatrix(
    [
      {
        metric: {},
        values: [
          [-10, '1'],
          [30, '2'],
        ],
      },
    ],
    0,
    20,
    10,
  );
  assert.deepEqual(got.series[0]!.values, [null, null, null]);
});

test('stacking sums series bottom-up and keeps gaps', () => {
  assert.deepEqual(
    stackValues([
      [1, null, 2],
      [2, 3, null],
      [1, 1, 1],
    ]),
    [
      [1, null, 2],
      [3, 3, null],
      [4, 4, 3],
    ],
  );
});
