import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type FieldValue, forEachField } from '../../model/fields.js';
import { rebuildSource } from './shape.js';
import { PathNode, shapeTrie, walkDocument } from './walk.js';

const docs: Record<string, unknown>[] = [
  { a: 1 },
  {
    a: { b: [1, 'x', null, { c: true }], 'd.e': 'f' },
    'a.b': 2,
    empty: {},
    arr: [],
    n: null,
    u: undefined,
  },
  { 'q"uote': 'v', '\n': 1.5, nested: [[1, 2], [3]], inf: Infinity, date: new Date(0) },
  {},
];

test('walk: leaves as forEachField, shapes as JSON with leaves zeroed, shared states per shape', () => {
  const root = new PathNode<number>('');
  const trie = shapeTrie();
  for (const doc of docs) {
    const got: [string, FieldValue][] = [];
    const st = walkDocument(doc, root, trie, (node, v) => got.push([node.path, v]));
    const json = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
    const want: [string, FieldValue][] = [];
    forEachField(json, (p, v) => want.push([p, v]));
    assert.deepEqual(got, want);
    const zeroed = JSON.stringify(json, (_, v: unknown) =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? 0 : v,
    );
    assert.equal(st!.text, zeroed);
    const queues = new Map<string, FieldValue[]>();
    for (const [p, v] of want) queues.set(p, [...(queues.get(p) ?? []), v]);
    assert.deepEqual(
      rebuildSource(st!.text, (p) => queues.get(p)!.shift()!),
      json,
    );
    assert.equal(
      walkDocument(doc, root, trie, () => {}),
      st,
      'a shape seen before is the same state',
    );
  }
});
