import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndexMapping } from './mapping.js';
import { MemoryPart } from './memory-part.js';

const T = Date.UTC(2026, 11, 3, 12, 0, 0);

function fill(part: MemoryPart, word: string, n: number): void {
  const mapping = new IndexMapping();
  for (let i = 0; i < n; i++) {
    const source = { message: `${word} ${i}`, level: i % 2 === 0 ? word : 'info' };
    const json = JSON.stringify(source);
    part.add(
      { index: 'app', id: `${word}${i}`, ms: T + i, ns: 0, json },
      source,
      json.length,
      mapping,
    );
  }
}

function levels(part: MemoryPart): unknown[] {
  const v = part.indices.get('app')!.cols.valuesOf('level')!;
  return Array.from(v.rows.subarray(0, v.length), (_, k) =>
    v.codes === undefined ? v.vals[k] : v.vals[v.codes[k]!],
  );
}

test('a retired part read by a search keeps its core until the search releases it', () => {
  const a = new MemoryPart(T);
  fill(a, 'alpha', 50);
  const core = a.indices.get('app')!.cols.core;
  a.retain();
  a.retire();
  const b = new MemoryPart(T);
  fill(b, 'beta', 30);
  assert.notEqual(b.indices.get('app')!.cols.core, core, 'a core still read went to a new part');
  assert.deepEqual(levels(a).slice(0, 4), ['alpha', 'info', 'alpha', 'info']);
  assert.equal(levels(a).length, 50);

  a.release();
  assert.equal(a.indices.size, 0);
  const c = new MemoryPart(T);
  fill(c, 'gamma', 20);
  assert.equal(c.indices.get('app')!.cols.core, core, 'the freed core was not reused');
  assert.deepEqual(levels(c).slice(0, 2), ['gamma', 'info']);
  assert.equal(levels(c).length, 20, 'the reused core kept rows of its last part');
  assert.equal(levels(b).length, 30);
});

test('a retired part no search reads gives its core back at once', () => {
  const a = new MemoryPart(T);
  fill(a, 'delta', 10);
  const core = a.indices.get('app')!.cols.core;
  a.retire();
  const b = new MemoryPart(T);
  fill(b, 'eps', 5);
  assert.equal(b.indices.get('app')!.cols.core, core);
  assert.deepEqual(levels(b), ['eps', 'info', 'eps', 'info', 'eps']);
});
