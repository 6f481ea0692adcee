import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test/harness/temp.js';
import { parseSavedSearch, SavedSearchValidationError } from './model.js';
import { SavedSearchStore, SavedSearchStoreError } from './store.js';

const input = (name: string, query = 'level:error') => parseSavedSearch({ name, query });

function storeError(fn: () => unknown, kind: SavedSearchStoreError['kind']) {
  assert.throws(fn, (err: unknown) => err instanceof SavedSearchStoreError && err.kind === kind);
}

test('saved searches: create, update, delete, names unique without case, reopen', (t) => {
  const dir = tempDir(t);
  let clock = 1000;
  const store = SavedSearchStore.open(dir, { clock: () => clock });
  const a = store.create(input('Errors'), 'alice');
  assert.deepEqual(
    [a.created, a.updated, a.owner, a.from, a.to, a.sort],
    [1000, 1000, 'alice', 'now-15m', 'now', 'desc'],
  );
  storeError(() => store.create(input(' errors '), null), 'exists');
  const b = store.create(input('Auth failures', 'event:login and not ok'), null);
  storeError(() => store.update(b.id, input('ERRORS'), null), 'exists');
  clock = 2000;
  const b2 = store.update(
    b.id,
    { ...input('Auth failures', 'event:login'), columns: ['user'] },
    'bob',
  );
  assert.deepEqual(
    [b2.created, b2.updated, b2.owner, b2.query],
    [1000, 2000, 'bob', 'event:login'],
  );
  storeError(() => store.update('nope', input('x'), null), 'not_found');
  store.delete(a.id);
  storeError(() => store.delete(a.id), 'not_found');

  const reopened = SavedSearchStore.open(dir);
  assert.deepEqual(
    reopened.list().map((s) => [s.id, s.name, s.query, s.columns]),
    [[b.id, 'Auth failures', 'event:login', ['user']]],
  );
});

test('saved searches: a damaged file stops the open rather than being overwritten', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'saved-searches.json'), '{"version":1,"searches":[');
  assert.throws(() => SavedSearchStore.open(dir), /cannot read .*saved-searches\.json/);
});

test('saved searches: bodies are checked field by field', () => {
  const bad = (body: unknown, field: string) =>
    assert.throws(
      () => parseSavedSearch(body),
      (err: unknown) => err instanceof SavedSearchValidationError && err.field === field,
    );
  bad([], '(body)');
  bad({ name: '  ' }, 'name');
  bad({ name: 'x', query: 3 }, 'query');
  bad({ name: 'x', columns: ['a', ''] }, 'columns');
  bad({ name: 'x', sort: 'up' }, 'sort');
  bad({ name: 'x'.repeat(201) }, 'name');
  assert.deepEqual(parseSavedSearch({ name: ' x ', from: '', indices: ' logs-* ' }), {
    name: 'x',
    query: '',
    indices: 'logs-*',
    from: 'now-15m',
    to: 'now',
    columns: [],
    sort: 'desc',
  });
});
