import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intersect, PostingsBuilder, subtract, union } from './postings-list.js';

const p = (...refs: number[]) => Uint32Array.from(refs);
const arr = (x: Uint32Array) => [...x];

test('intersect, union and subtract merge sorted lists', () => {
  assert.deepEqual(arr(intersect([p(1, 3, 5, 7), p(3, 4, 5), p(0, 3, 5, 9)])), [3, 5]);
  assert.deepEqual(arr(intersect([p(1, 2), p()])), []);
  assert.deepEqual(arr(intersect([])), []);
  assert.deepEqual(arr(union([p(1, 4), p(2, 4, 6), p()])), [1, 2, 4, 6]);
  assert.deepEqual(arr(union([p(5, 6)])), [5, 6]);
  assert.deepEqual(arr(subtract(p(1, 2, 3, 4), p(2, 4, 9))), [1, 3]);
  assert.deepEqual(arr(subtract(p(1, 2), p())), [1, 2]);
});

test('intersect agrees with a naive set intersection on random lists', () => {
  for (let round = 0; round < 50; round++) {
    const lists = Array.from({ length: 1 + (round % 4) }, () => {
      const s = new Set<number>();
      for (let i = 0; i < 40; i++) s.add(Math.floor(Math.random() * 100));
      return Uint32Array.from([...s].sort((a, b) => a - b));
    });
    const want = [...lists[0]!].filter((v) => lists.every((l) => l.includes(v)));
    assert.deepEqual(arr(intersect(lists)), want);
  }
});

test('builder grows and removes', () => {
  const b = new PostingsBuilder();
  for (let i = 1; i <= 100; i++) b.add(i);
  assert.equal(b.length, 100);
  assert.equal(
    b.removeIf((r) => r % 10 !== 0),
    10,
  );
  assert.deepEqual(arr(b.view()), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
});
