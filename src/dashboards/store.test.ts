import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test/harness/temp.js';
import { DashboardValidationError, parseDashboard } from './model.js';
import { DashboardStore, DashboardStoreError } from './store.js';

const doc = (uid: string, title = uid) => parseDashboard({ uid, title });

function storeError(fn: () => unknown, kind: DashboardStoreError['kind']) {
  assert.throws(fn, (err: unknown) => err instanceof DashboardStoreError && err.kind === kind);
}

test('store: create, update with versions, delete, reopen', (t) => {
  const dir = tempDir(t);
  let clock = 1000;
  const store = DashboardStore.open(dir, { clock: () => clock });
  assert.equal(store.create(doc('a')).dashboard.version, 1);
  storeError(() => store.create(doc('a')), 'exists');
  clock = 2000;
  const v2 = store.update('a', { ...doc('a', 'A2'), version: 1 });
  assert.equal(v2.dashboard.version, 2);
  assert.deepEqual([v2.meta.created, v2.meta.updated], [1000, 2000]);
  storeError(() => store.update('a', { ...doc('a'), version: 1 }), 'version_mismatch');
  // Version 0 means "whatever is stored": a forced save.
  assert.equal(store.update('a', doc('a', 'A3')).dashboard.version, 3);
  storeError(() => store.update('nope', doc('nope')), 'not_found');
  store.create(doc('b'));
  store.delete('b');
  storeError(() => store.delete('b'), 'not_found');

  const reopened = DashboardStore.open(dir);
  assert.deepEqual(
    reopened.list().map((s) => [s.dashboard.uid, s.dashboard.title, s.dashboard.version]),
    [['a', 'A3', 3]],
  );
});

test('store: provisioned dashboards are read-only and hide a saved one', (t) => {
  const store = DashboardStore.open(tempDir(t));
  store.create(doc('x', 'saved'));
  store.provision(doc('x', 'provisioned'), '/etc/x.json');
  assert.equal(store.get('x')!.dashboard.title, 'provisioned');
  storeError(() => store.update('x', doc('x')), 'read_only');
  storeError(() => store.delete('x'), 'read_only');
  assert.equal(store.list().length, 1);
});

test('store: a damaged file is reported and skipped', (t) => {
  const dir = tempDir(t);
  DashboardStore.open(dir).create(doc('good'));
  writeFileSync(join(dir, 'bad.json'), '{"dashboard": ');
  const bad: string[] = [];
  const store = DashboardStore.open(dir, { onBadFile: (file) => bad.push(file) });
  assert.deepEqual(bad, [join(dir, 'bad.json')]);
  assert.equal(store.list().length, 1);
});

test('parseDashboard names the field at fault', () => {
  const f = (input: unknown, field: string) =>
    assert.throws(
      () => parseDashboard(input),
      (err: unknown) => err instanceof DashboardValidationError && err.field === field,
    );
  f({ uid: 'a/b', title: 'x' }, 'uid');
  f({ uid: 'a', title: ' ' }, 'title');
  f(
    {
      uid: 'a',
      title: 'x',
      panels: [{ id: 1, type: 'stat', gridPos: { x: 0, y: 0, w: 0, h: 1 } }],
    },
    'panels[0].gridPos.w',
  );
  f(
    {
      uid: 'a',
      title: 'x',
      panels: [1, 1].map((id) => ({ id, type: 'stat', gridPos: { x: 0, y: 0, w: 1, h: 1 } })),
    },
    'panels[1].id',
  );
  f(
    { uid: 'a', title: 'x', variables: [{ name: '1x', type: 'custom', query: '' }] },
    'variables[0].name',
  );
});
