import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../model/labels.js';
import type { SampleIterator, SeriesSet } from './interface.js';
import { MergeIterator, mergeSeriesSets } from './merge.js';
import { ArraySeries, ListSeriesSet } from './series-list.js';

function series(name: string, samples: [number, number][]) {
  return new ArraySeries(
    Labels.fromRecord({ __name__: name }),
    Float64Array.from(samples.map((s) => s[0])),
    Float64Array.from(samples.map((s) => s[1])),
  );
}

function drain(it: SampleIterator): [number, number][] {
  const out: [number, number][] = [];
  while (it.next()) out.push([it.atT(), it.atV()]);
  return out;
}

function all(set: SeriesSet): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  while (set.next()) out[set.at().labels.metricName] = drain(set.at().iterator());
  return out;
}

test('sets merge by labels; equal series merge by time with the first source winning', () => {
  const a = new ListSeriesSet([
    series('a', [
      [1, 1],
      [3, 3],
    ]),
    series('c', [[1, 1]]),
  ]);
  const b = new ListSeriesSet(
    [
      series('a', [
        [2, 2],
        [3, 99],
        [4, 4],
      ]),
      series('b', [[5, 5]]),
    ],
    ['warn b'],
  );
  const merged = mergeSeriesSets([a, b]);
  assert.deepEqual(all(merged), {
    a: [
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ],
    b: [[5, 5]],
    c: [[1, 1]],
  });
  assert.deepEqual(merged.warnings(), ['warn b']);
});

test('merge iterator seeks across sources', () => {
  const it = new MergeIterator([
    series('a', [
      [1, 1],
      [5, 5],
      [9, 9],
    ]).iterator(),
    series('a', [
      [2, 2],
      [6, 6],
    ]).iterator(),
  ]);
  assert.ok(it.seek(4));
  assert.equal(it.atT(), 5);
  assert.ok(it.next());
  assert.equal(it.atT(), 6);
  assert.ok(it.seek(6));
  assert.equal(it.atT(), 6);
  assert.deepEqual(drain(it), [[9, 9]]);
  assert.equal(it.seek(100), false);
});
