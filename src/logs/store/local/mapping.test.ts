import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndexMapping } from './mapping.js';

test('mapping: a path seen with two types keeps both, the field limit stops indexing', () => {
  const m = new IndexMapping(2);
  m.observeTypes('a', ['long']);
  m.observeTypes('b.c', ['keyword']);
  const before = m.version;
  m.observeTypes('a', ['long']);
  assert.equal(m.version, before, 'a type seen before changes nothing');
  m.observeTypes('a', ['keyword']);
  m.observeTypes('b.c', ['long']);
  m.observeTypes('d', ['boolean']);
  assert.ok(m.version > before);
  assert.deepEqual(m.list(), [
    { path: 'a', types: ['keyword', 'long'], indexed: true },
    { path: 'b.c', types: ['keyword', 'long'], indexed: true },
    { path: 'd', types: ['boolean'], indexed: false },
  ]);
  assert.deepEqual([...m.unindexed()], ['d']);
  const back = new IndexMapping(2, m.toJSON());
  assert.deepEqual(back.list(), m.list());
});
