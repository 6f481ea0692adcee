import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AggregationError } from './aggregator.js';
import { parseAggregations } from './parse.js';
import { blockOf } from './testdata/block.js';

const DOCS = [
  { '@timestamp': '2024-05-06T10:00:05Z', ns: 'web', status: 200, bytes: 100, tags: ['a', 'b'] },
  { '@timestamp': '2024-05-06T10:00:35Z', ns: 'web', status: 500, bytes: 300, tags: ['a', 'a'] },
  { '@timestamp': '2024-05-06T10:02:10Z', ns: 'db', status: '200', bytes: 50, ok: true },
  { '@timestamp': '2024-05-06T10:02:59Z', ns: 'kube-system', bytes: 'n/a', ok: false },
  { '@timestamp': '2024-05-06T10:03:00Z', ns: 'web', status: 404, bytes: 550 },
];

function run(aggs: unknown, opts: { from?: number; to?: number } = {}) {
  const parsed = parseAggregations(aggs, { now: Date.UTC(2024, 4, 6, 12), ...opts });
  const running = parsed.create();
  const block = blockOf(DOCS);
  for (let i = 0; i < block.length; i++) for (const a of running.values()) a.collect(block, i);
  return Object.fromEntries([...running].map(([k, a]) => [k, a.result()]));
}

test('metric aggregations read numbers, numeric strings and skip the rest', () => {
  const r = run({
    mn: { min: { field: 'bytes' } },
    mx: { max: { field: 'bytes' } },
    av: { avg: { field: 'bytes' } },
    sm: { sum: { field: 'bytes' } },
    vc: { value_count: { field: 'bytes' } },
    st: { stats: { field: 'status' } },
    none: { max: { field: 'missing' } },
    first: { min: { field: '@timestamp' } },
  });
  assert.deepEqual(r.mn, { value: 50 });
  assert.deepEqual(r.mx, { value: 550 });
  assert.deepEqual(r.av, { value: 250 });
  assert.deepEqual(r.sm, { value: 1000 });
  assert.deepEqual(r.vc, { value: 5 });
  assert.deepEqual(r.st, { count: 4, min: 200, max: 500, avg: 326, sum: 1304 });
  assert.deepEqual(r.none, { value: null });
  assert.deepEqual(r.first, {
    value: Date.UTC(2024, 4, 6, 10, 0, 5),
    value_as_string: '2024-05-06T10:00:05Z',
  });
});

test('extended_stats gives population variance and sigma bounds', () => {
  const r = run({ e: { extended_stats: { field: 'bytes', sigma: 1 } } }).e as Record<
    string,
    unknown
  >;
  assert.equal(r.count, 4);
  assert.equal(r.variance, (100 ** 2 + 300 ** 2 + 50 ** 2 + 550 ** 2) / 4 - 250 ** 2);
  const sd = Math.sqrt(r.variance as number);
  assert.deepEqual(r.std_deviation_bounds, {
    upper: 250 + sd,
    lower: 250 - sd,
    upper_population: 250 + sd,
    lower_population: 250 - sd,
  });
});

test('terms counts a document once per distinct value, orders by count then key, and reports the rest', () => {
  const r = run({
    ns: { terms: { field: 'ns', size: 2 } },
    tags: { terms: { field: 'tags' } },
    byKey: { terms: { field: 'ns', order: { _key: 'asc' } } },
    ok: { terms: { field: 'ok' } },
    miss: { terms: { field: 'status', missing: 'none' } },
  });
  assert.deepEqual(r.ns, {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: 1,
    buckets: [
      { key: 'web', doc_count: 3 },
      { key: 'db', doc_count: 1 },
    ],
  });
  assert.deepEqual((r.tags as { buckets: unknown }).buckets, [
    { key: 'a', doc_count: 2 },
    { key: 'b', doc_count: 1 },
  ]);
  assert.deepEqual(
    (r.byKey as { buckets: { key: string }[] }).buckets.map((b) => b.key),
    ['db', 'kube-system', 'web'],
  );
  assert.deepEqual((r.ok as { buckets: unknown }).buckets, [
    { key: 0, key_as_string: 'false', doc_count: 1 },
    { key: 1, key_as_string: 'true', doc_count: 1 },
  ]);
  // The number 200 and the string "200" are different values of a field with two types.
  assert.deepEqual(
    (r.miss as { buckets: { key: unknown; doc_count: number }[] }).buckets.map((b) => [
      b.key,
      b.doc_count,
    ]),
    [
      [200, 1],
      [404, 1],
      [500, 1],
      ['200', 1],
      ['none', 1],
    ],
  );
});

test('date_histogram fills empty buckets and nests sub-aggregations', () => {
  const r = run({
    h: {
      date_histogram: { field: '@timestamp', fixed_interval: '1m' },
      aggs: { b: { sum: { field: 'bytes' } } },
    },
  });
  const t0 = Date.UTC(2024, 4, 6, 10);
  assert.deepEqual(r.h, {
    buckets: [
      { key_as_string: '2024-05-06T10:00:00Z', key: t0, doc_count: 2, b: { value: 400 } },
      { key_as_string: '2024-05-06T10:01:00Z', key: t0 + 60_000, doc_count: 0, b: { value: 0 } },
      { key_as_string: '2024-05-06T10:02:00Z', key: t0 + 120_000, doc_count: 2, b: { value: 50 } },
      { key_as_string: '2024-05-06T10:03:00Z', key: t0 + 180_000, doc_count: 1, b: { value: 550 } },
    ],
  });
});

test('date_histogram extended bounds, min_doc_count, calendar intervals, offsets and time zones', () => {
  const t0 = Date.UTC(2024, 4, 6, 10);
  const keys = (aggs: unknown) =>
    (run({ h: aggs }).h as { buckets: { key: number; doc_count: number }[] }).buckets.map((b) => [
      (b.key - t0) / 60_000,
      b.doc_count,
    ]);
  assert.deepEqual(
    keys({
      date_histogram: {
        fixed_interval: '2m',
        extended_bounds: { min: t0 - 240_000, max: '2024-05-06T10:05:00Z' },
      },
    }),
    [
      [-4, 0],
      [-2, 0],
      [0, 2],
      [2, 3],
      [4, 0],
    ],
  );
  assert.deepEqual(keys({ date_histogram: { fixed_interval: '1m', min_doc_count: 1 } }), [
    [0, 2],
    [2, 2],
    [3, 1],
  ]);
  assert.deepEqual(keys({ date_histogram: { calendar_interval: 'hour', offset: '+30m' } }), [
    [-30, 5],
  ]);
  assert.deepEqual(keys({ date_histogram: { calendar_interval: 'day', time_zone: '+02:00' } }), [
    [-12 * 60, 5],
  ]);
  assert.deepEqual(
    keys({ date_histogram: { calendar_interval: 'day', time_zone: 'America/New_York' } }),
    [[-6 * 60, 5]],
  );
  const month = run({ m: { date_histogram: { calendar_interval: '1M' } } }).m as {
    buckets: { key: number }[];
  };
  assert.deepEqual(
    month.buckets.map((b) => b.key),
    [Date.UTC(2024, 4, 1)],
  );
});

test('date_histogram interval auto picks a readable interval for the search range', () => {
  const t0 = Date.UTC(2024, 4, 6, 10);
  const r = run(
    { h: { date_histogram: { interval: 'auto', buckets: 10, min_doc_count: 1 } } },
    { from: t0, to: t0 + 3_600_000 },
  );
  assert.deepEqual(
    (r.h as { buckets: { key: number }[] }).buckets.map((b) => b.key),
    [t0],
  );
});

test('histogram buckets numbers and counts a document once per bucket', () => {
  const r = run({ h: { histogram: { field: 'bytes', interval: 200 } } });
  assert.deepEqual(r.h, {
    buckets: [
      { key: 0, doc_count: 2 },
      { key: 200, doc_count: 1 },
      { key: 400, doc_count: 1 },
    ],
  });
});

test('percentiles and cardinality', () => {
  const r = run({
    p: { percentiles: { field: 'bytes', percents: [50, 99.9] } },
    pl: { percentiles: { field: 'bytes', percents: [0], keyed: false } },
    c: { cardinality: { field: 'ns' } },
  });
  const p = (r.p as { values: Record<string, number> }).values;
  assert.deepEqual(Object.keys(p), ['50.0', '99.9']);
  assert.ok(Math.abs(p['50.0']! - 100) <= 1, String(p['50.0']));
  assert.deepEqual(r.pl, { values: [{ key: 0, value: 50 }] });
  assert.deepEqual(r.c, { value: 3 });
});

test('bad requests name the path and what is wrong', () => {
  const f = (aggs: unknown, re: RegExp) =>
    assert.throws(
      () => parseAggregations(aggs, { now: 0 }),
      (e) => e instanceof AggregationError && re.test(e.message),
      JSON.stringify(aggs),
    );
  f(
    { x: { nope: {} } },
    /^cannot parse aggregation \[aggs\.x\]: unknown aggregation kind \[nope\]; known: avg, cardinality, date_histogram/,
  );
  f({ x: { terms: {} } }, /\[aggs\.x\.terms\]: \[field\] is required/);
  f({ x: { terms: { field: 'a', size: 0 } } }, /\[size\] must be a positive integer/);
  f(
    { x: { avg: { field: 'a' }, aggs: { y: { max: { field: 'b' } } } } },
    /\[avg\] cannot have sub-aggregations/,
  );
  f({ x: { terms: { field: 'a' }, max: { field: 'b' } } }, /two aggregation kinds/);
  f({ x: { date_histogram: { field: '@timestamp' } } }, /exactly one of \[fixed_interval\]/);
  f({ x: { date_histogram: { fixed_interval: '1M' } } }, /cannot read interval "1M"/);
  f({ x: { date_histogram: { calendar_interval: '2d' } } }, /not a calendar unit/);
  f(
    { x: { date_histogram: { fixed_interval: '1m', time_zone: 'Mars/Olympus' } } },
    /unknown \[time_zone\]/,
  );
  f(
    {
      x: { terms: { field: 'a' }, aggs: { y: { terms: { field: 'b', order: { _count: 'up' } } } } },
    },
    /\[aggs\.x\.aggs\.y\.terms\]: \[order\]/,
  );
  assert.throws(
    () =>
      run({
        x: { date_histogram: { fixed_interval: '1ms', extended_bounds: { min: 0, max: 1e9 } } },
      }),
    /more than 65536 buckets/,
  );
});
