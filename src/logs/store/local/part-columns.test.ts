import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldValue } from '../../model/fields.js';
import { type ColumnsSnapshot, MAX_CODED, PartColumns } from './part-columns.js';

/** Path `p`'s values as a flush reads them from `snap`, after a clone like `postMessage`'s. */
function valuesOf(snap: ColumnsSnapshot, path: string): FieldValue[] {
  const cloned = structuredClone(snap);
  const p = cloned.paths.indexOf(path);
  const codes = cloned.codes[p];
  const vals = cloned.vals[p]!;
  return Array.from(cloned.rows[p]!, (_, k) => vals[codes === undefined ? k : codes[k]!]!);
}

/** Adds `values` to a fresh column `c`, `perRow` to a row; returns the snapshot. */
function filled(values: readonly FieldValue[], perRow = 1): ColumnsSnapshot {
  const cols = new PartColumns();
  const c = cols.column('c');
  values.forEach((v, k) => c.add(Math.floor(k / perRow), v));
  return cols.snapshot(Math.ceil(values.length / perRow));
}

function f(name: string, values: readonly FieldValue[], coded: boolean, perRow = 1): void {
  test(`a part's column gives back its values: ${name}`, () => {
    const snap = filled(values, perRow);
    assert.equal(snap.codes[0] !== undefined, coded, coded ? 'coded' : 'not coded');
    assert.deepEqual(valuesOf(snap, 'c'), values);
    assert.deepEqual(
      Array.from(snap.rows[0]!),
      values.map((_, k) => Math.floor(k / perRow)),
    );
  });
}

const repeat = <T>(n: number, g: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => g(i));

f(
  'repeating strings',
  repeat(5000, (i) => ['info', 'warn', 'error'][i % 3]!),
  true,
);
f(
  'empty strings and non-ASCII',
  repeat(300, (i) => ['', 'naïve', '日本語', '😀', ''][i % 5]!),
  true,
);
f(
  'mixed types, "404" and 404 kept apart, -0 kept',
  repeat(400, (i) => ['404', 404, true, false, null, 0, -0, 2.5, ''][i % 9]!),
  true,
);
f(
  'arrays: a row with several values',
  repeat(600, (i) => ['a', 'b', i % 7][i % 3]!),
  true,
  3,
);
f(
  'every value distinct',
  repeat(5000, (i) => `trace-${i}`),
  false,
);
f(
  'repeating values that stop repeating',
  repeat(6000, (i) => (i < 3000 ? `pod-${i % 500}` : `id-${i}`)),
  false,
);
f(
  'more distinct values than a coded column holds',
  repeat(2 * MAX_CODED + 10, (i) => (i < 2 * MAX_CODED ? `v${i >> 1}` : `v${i}`)),
  false,
);

test('-0 keeps its sign through a coded column', () => {
  const back = valuesOf(filled(repeat(100, (i) => (i % 2 === 0 ? 0 : -0))), 'c');
  assert.ok(back.every((v, i) => Object.is(v, i % 2 === 0 ? 0 : -0)));
});
