import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDashboardSearch, parseDashboardSearch } from './dashboard-url';

test('dashboard URL state round-trips', () => {
  const s = parseDashboardSearch('?uid=abc&from=now-6h&to=now&refresh=30s&var-job=a&var-job=b%7Cc');
  assert.equal(s.uid, 'abc');
  assert.equal(s.from, 'now-6h');
  assert.equal(s.refresh, '30s');
  assert.deepEqual(s.vars.get('job'), ['a', 'b|c']);
  assert.deepEqual(parseDashboardSearch(formatDashboardSearch(s)), s);
  assert.equal(formatDashboardSearch({ uid: null, vars: new Map() }), '');
});
