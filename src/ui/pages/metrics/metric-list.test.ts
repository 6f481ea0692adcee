/**
 * @module
 * Unit tests for the metrics explorer's list.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterMetrics, metricEntries } from './metric-list';

const ENTRIES = metricEntries(['vigil_http_requests_total', 'up', 'process_cpu_seconds_total'], {
  up: [{ type: 'gauge', help: 'Whether the target is up', unit: '' }],
  // OpenMetrics: the counter family is named without `_total`.
  process_cpu_seconds: [
    { type: 'counter', help: 'Total user and system CPU time spent in seconds.', unit: '' },
  ],
});

test('entries are sorted and carry metadata where known', () => {
  assert.deepEqual(
    ENTRIES.map((e) => [e.name, e.type]),
    [
      ['process_cpu_seconds_total', 'counter'],
      ['up', 'gauge'],
      ['vigil_http_requests_total', ''],
    ],
  );
});

test('histogram series take the family metadata, unrelated suffixes do not', () => {
  const got = metricEntries(['req_seconds_bucket', 'req_seconds_count', 'up_total'], {
    req_seconds: [{ type: 'histogram', help: 'Latency', unit: 'seconds' }],
  });
  assert.deepEqual(
    got.map((e) => e.type),
    ['histogram', 'histogram', ''],
  );
});

test('every word must match; name matches come first', () => {
  const names = (q: string) => filterMetrics(ENTRIES, q).map((e) => e.name);
  assert.deepEqual(names('total'), ['process_cpu_seconds_total', 'vigil_http_requests_total']);
  assert.deepEqual(names('HTTP total'), ['vigil_http_requests_total']);
  assert.deepEqual(names('target'), ['up']);
  assert.deepEqual(names('cpu time'), ['process_cpu_seconds_total']);
  assert.deepEqual(
    names('  '),
    ENTRIES.map((e) => e.name),
  );
  assert.deepEqual(names('nothing'), []);
});
