import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BUCKETS } from './histogram.js';
import { Registry } from './registry.js';

test('histogram buckets are cumulative and end in +Inf, text format', () => {
  const registry = new Registry();
  const h = registry.histogram({
    name: 'vigil_query_seconds',
    help: 'Query latency.',
    labelNames: ['kind'],
    buckets: [0.1, 1, 10],
  });
  const child = h.labels('range');
  for (const v of [0.05, 0.1, 0.5, 3, 20, 20]) child.observe(v);
  assert.equal(child.count, 6);
  assert.equal(child.sum, 43.65);
  assert.equal(
    registry.expose('text'),
    '# HELP vigil_query_seconds Query latency.\n' +
      '# TYPE vigil_query_seconds histogram\n' +
      'vigil_query_seconds_bucket{kind="range",le="0.1"} 2\n' +
      'vigil_query_seconds_bucket{kind="range",le="1"} 3\n' +
      'vigil_query_seconds_bucket{kind="range",le="10"} 4\n' +
      'vigil_query_seconds_bucket{kind="range",le="+Inf"} 6\n' +
      'vigil_query_seconds_sum{kind="range"} 43.65\n' +
      'vigil_query_seconds_count{kind="range"} 6\n',
  );
});

test('histogram in OpenMetrics uses canonical le values', () => {
  const registry = new Registry();
  const h = registry.histogram({
    name: 'vigil_chunk_bytes',
    help: 'Chunk sizes.',
    unit: 'bytes',
    buckets: [0.5, 1, 1e6, Infinity],
  });
  h.observe(2);
  assert.equal(
    registry.expose('openmetrics'),
    '# TYPE vigil_chunk_bytes histogram\n' +
      '# UNIT vigil_chunk_bytes bytes\n' +
      '# HELP vigil_chunk_bytes Chunk sizes.\n' +
      'vigil_chunk_bytes_bucket{le="0.5"} 0\n' +
      'vigil_chunk_bytes_bucket{le="1.0"} 0\n' +
      'vigil_chunk_bytes_bucket{le="1e+06"} 1\n' +
      'vigil_chunk_bytes_bucket{le="+Inf"} 1\n' +
      'vigil_chunk_bytes_sum 2\n' +
      'vigil_chunk_bytes_count 1\n' +
      '# EOF\n',
  );
});

test('histogram defaults to the Go client DefBuckets', () => {
  const h = new Registry().histogram({ name: 'vigil_x_seconds', help: 'x' });
  assert.deepEqual(h.buckets, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  assert.deepEqual(h.buckets, DEFAULT_BUCKETS);
});

test('observations on a bound count in that bucket; NaN only in +Inf', () => {
  const registry = new Registry();
  const h = registry.histogram({ name: 'vigil_v', help: '', buckets: [1, 2] });
  h.observe(1);
  h.observe(2);
  h.observe(NaN);
  assert.equal(
    registry.expose('text'),
    '# TYPE vigil_v histogram\n' +
      'vigil_v_bucket{le="1"} 1\n' +
      'vigil_v_bucket{le="2"} 2\n' +
      'vigil_v_bucket{le="+Inf"} 3\n' +
      'vigil_v_sum NaN\n' +
      'vigil_v_count 3\n',
  );
});

test('bucket layouts must be finite and strictly increasing', () => {
  const f = (buckets: number[]) =>
    assert.throws(
      () => new Registry().histogram({ name: 'vigil_h', help: 'x', buckets }),
      { name: 'InvalidMetricError', message: /strictly increasing/ },
      String(buckets),
    );
  f([1, 1]);
  f([2, 1]);
  f([NaN]);
  f([-Infinity, 1]);
  f([Infinity, 1]);
  assert.deepEqual(
    new Registry().histogram({ name: 'vigil_h', help: 'x', buckets: [] }).buckets,
    [],
  );
});
