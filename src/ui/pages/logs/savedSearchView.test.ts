/**
 * @module
 * Unit tests for the saved search ↔ URL state mapping.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromSavedSearch, showsSaved, toSavedSearch } from './savedSearchView';
import { decodeState } from './urlState';

test('a saved search stores the view and opens it again', () => {
  const state = decodeState(
    '?q=level%3Aerror&index=logs-*&from=now-24h&to=now&col=host&col=message&sort=asc&doc=a%2Fb',
  );
  const body = toSavedSearch('  Errors ', state);
  assert.deepEqual(body, {
    name: 'Errors',
    query: 'level:error',
    indices: 'logs-*',
    from: 'now-24h',
    to: 'now',
    columns: ['host', 'message'],
    sort: 'asc',
  });
  const opened = { ...decodeState(''), ...fromSavedSearch(body) };
  assert.equal(opened.doc, undefined, 'the open document is not part of a saved search');
  assert.ok(showsSaved(opened, body));
  assert.ok(showsSaved(state, body), 'an open document does not change the view');
  assert.ok(!showsSaved({ ...opened, columns: ['host'] }, body));
  assert.ok(!showsSaved({ ...opened, q: 'level:warn' }, body));
});
