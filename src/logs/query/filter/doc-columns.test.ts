import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocColumns } from './doc-columns.js';

const docs = [
  { ns: 'a', n: 1, tags: ['x', 'y'] },
  { ns: 'b', n: 2 },
  { ns: 'a', tags: [] },
  { ns: 'a', n: null, labels: { app: 'web' } },
];

test('paths are every flattened path, in first-seen order', () => {
  assert.deepEqual(new DocColumns(docs).paths(), ['ns', 'n', 'tags', 'labels.app']);
});

test('values per document; absent paths and missing values are empty', () => {
  const cols = new DocColumns(docs);
  assert.equal(cols.length, 4);
  assert.deepEqual(cols.column('tags')?.values(0), ['x', 'y']);
  assert.deepEqual(cols.column('tags')?.values(2), []);
  assert.deepEqual(cols.column('n')?.values(3), []);
  assert.equal(cols.column('nope'), undefined);
  assert.equal(cols.source(3), docs[3]);
  assert.equal(cols.column('ns'), cols.column('ns'), 'columns are built once');
});

test('auto dictionaries: single-valued columns that repeat values', () => {
  const cols = new DocColumns(docs);
  const ns = cols.column('ns')!.dict;
  assert.ok(ns);
  assert.deepEqual(ns.values, ['a', 'b']);
  assert.deepEqual([...ns.codes], [0, 1, 0, 0]);
  assert.equal(cols.column('n')!.dict, undefined, 'every value distinct');
  assert.equal(cols.column('tags')!.dict, undefined, 'several values in one document');
});

test('always and off', () => {
  const always = new DocColumns(docs, { dictionary: 'always' });
  assert.deepEqual([...always.column('n')!.dict!.codes], [0, 1, -1, -1]);
  assert.equal(always.column('tags')!.dict, undefined);
  assert.equal(new DocColumns(docs, { dictionary: 'off' }).column('ns')!.dict, undefined);
});

test('numbers and strings with the same text are different dictionary values', () => {
  const cols = new DocColumns([{ s: 404 }, { s: '404' }, { s: 404 }, { s: '404' }]);
  assert.deepEqual(cols.column('s')!.dict!.values, [404, '404']);
});

test('an empty block', () => {
  const cols = new DocColumns([]);
  assert.deepEqual(cols.paths(), []);
  assert.equal(cols.column('a'), undefined);
});
