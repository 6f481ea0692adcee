import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../model/labels.js';
import { Matcher } from '../../model/matcher.js';
import { DuplicateSampleError, OutOfBoundsError, OutOfOrderError } from '../../storage/errors.js';
import type { Querier } from '../../storage/interface.js';
import { Head, type HeadLog } from './head.js';
import type { MemSeries } from './mem-series.js';

const L = (r: Record<string, string>) => Labels.fromRecord(r);
const eq = (name: string, value: string) => new Matcher('=', name, value);

function read(q: Querier, ...matchers: Matcher[]): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  const set = q.select(matchers);
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next()) samples.push([it.atT(), it.atV()]);
    assert.equal(it.err(), null);
    out[s.labels.toString()] = samples;
  }
  assert.equal(set.err(), null);
  return out;
}

test('committed samples are readable by labels and by time range', async () => {
  const head = new Head();
  const app = head.appender();
  const ref = app.append(0, L({ __name__: 'up', job: 'a' }), 1000, 1);
  assert.ok(ref > 0);
  assert.equal(app.append(ref, L({ __name__: 'up', job: 'a' }), 2000, 0), ref);
  app.append(0, L({ __name__: 'up', job: 'b' }), 1000, 1);
  // Not visible before commit.
  assert.deepEqual(read(head.querier(0, 5000), eq('__name__', 'up')), {});
  await app.commit();
  assert.deepEqual(read(head.querier(0, 5000), eq('__name__', 'up')), {
    '{__name__="up", job="a"}': [
      [1000, 1],
      [2000, 0],
    ],
    '{__name__="up", job="b"}': [[1000, 1]],
  });
  assert.deepEqual(read(head.querier(1500, 5000), eq('job', 'a')), {
    '{__name__="up", job="a"}': [[2000, 0]],
  });
  assert.deepEqual(read(head.querier(3000, 5000), eq('job', 'a')), {});
  assert.equal(head.minTime, 1000);
  assert.equal(head.maxTime, 2000);
  assert.equal(head.numSeries, 2);
  assert.equal(head.stats.samplesAppended, 3);
});

test('out-of-order, duplicate and out-of-bounds samples are rejected with their data', async () => {
  const head = new Head();
  const l = L({ __name__: 'x' });
  const app = head.appender();
  const ref = app.append(0, l, 1000, 1);
  assert.throws(
    () => app.append(ref, l, 999, 1),
    (e: unknown) => e instanceof OutOfOrderError && e.t === 999 && e.lastT === 1000,
  );
  await app.commit();
  const app2 = head.appender();
  app2.append(ref, l, 1000, 1); // same value: silently ignored
  assert.throws(
    () => app2.append(ref, l, 1000, 2),
    (e: unknown) => e instanceof DuplicateSampleError && e.existing === 1 && e.value === 2,
  );
  assert.throws(() => app2.append(ref, l, 500, 2), OutOfOrderError);
  head.minValidTime = 5000;
  assert.throws(
    () => app2.append(ref, l, 4000, 2),
    (e: unknown) => e instanceof OutOfBoundsError && e.minValidTime === 5000,
  );
  await app2.commit();
  assert.equal(head.stats.outOfOrder, 2);
  assert.equal(head.stats.duplicates, 1);
  assert.equal(head.stats.outOfBounds, 1);
  assert.deepEqual(Object.values(read(head.querier(0, 10_000), eq('__name__', 'x'))), [
    [[1000, 1]],
  ]);
});

test('a sample made out of order by a concurrent transaction is dropped at commit', async () => {
  const head = new Head();
  const l = L({ __name__: 'x' });
  const a = head.appender();
  const b = head.appender();
  a.append(0, l, 2000, 1);
  a.rollback();
  b.append(0, l, 1000, 1);
  const c = head.appender();
  c.append(0, l, 3000, 3);
  await c.commit();
  await b.commit();
  assert.equal(head.stats.outOfOrder, 1);
  assert.deepEqual(Object.values(read(head.querier(0, 10_000), eq('__name__', 'x'))), [
    [[3000, 3]],
  ]);
});

test('the staleness marker and NaN payloads survive bit-exact', async () => {
  const head = new Head();
  const bits = new Float64Array(3);
  const words = new Uint32Array(bits.buffer);
  words[0] = 2;
  words[1] = 0x7ff00000; // staleness marker 0x7ff0000000000002
  words[2] = 1;
  words[3] = 0x7ff80000; // a quiet NaN with payload
  const app = head.appender();
  const ref = app.append(0, L({ __name__: 's' }), 1, bits[0]!);
  app.append(ref, L({ __name__: 's' }), 2, bits[1]!);
  await app.commit();
  const it = head.querier(0, 10).select([eq('__name__', 's')]);
  assert.ok(it.next());
  const samples = it.at().iterator();
  for (const want of [
    [2, 0x7ff00000],
    [1, 0x7ff80000],
  ]) {
    assert.ok(samples.next());
    bits[2] = samples.atV();
    assert.deepEqual([words[4], words[5]], want);
  }
});

test('chunks are cut at 120 samples and at block range boundaries', async () => {
  const head = new Head({ chunkRange: 10_000 });
  const l = L({ __name__: 'c' });
  const app = head.appender();
  let ref = 0;
  for (let t = 0; t < 200; t++) ref = app.append(ref, l, t * 10, t);
  app.append(ref, l, 10_000, 1);
  await app.commit();
  const s = head.series(ref)!;
  assert.deepEqual(
    s.chunks().map((c) => [c.mint, c.maxt, c.chunk.numSamples]),
    [
      [0, 1190, 120],
      [1200, 1990, 80],
      [10_000, 10_000, 1],
    ],
  );
  const got = read(head.querier(1185, 1205), eq('__name__', 'c'));
  assert.deepEqual(Object.values(got)[0], [
    [1190, 119],
    [1200, 120],
  ]);
});

test('truncation drops old chunks and empty series, and later appends there are out of bounds', async () => {
  const head = new Head({ chunkRange: 1000 });
  const app = head.appender();
  app.append(0, L({ __name__: 'old' }), 100, 1);
  const ref = app.append(0, L({ __name__: 'both' }), 100, 1);
  app.append(ref, L({ __name__: 'both' }), 1500, 2);
  await app.commit();
  const removed = head.truncate(1000);
  assert.equal(removed.size, 1);
  assert.equal(head.numSeries, 1);
  assert.equal(head.minTime, 1500);
  assert.deepEqual(head.querier(0, 5000).labelValues('__name__'), ['both']);
  assert.throws(
    () => head.appender().append(ref, L({ __name__: 'both' }), 900, 1),
    OutOfBoundsError,
  );
});

test('label names and values, optionally restricted by matchers', async () => {
  const head = new Head();
  const app = head.appender();
  app.append(0, L({ __name__: 'a', job: 'x', env: 'prod' }), 1, 1);
  app.append(0, L({ __name__: 'b', job: 'y' }), 1, 1);
  await app.commit();
  const q = head.querier(0, 10);
  assert.deepEqual(q.labelNames(), ['__name__', 'env', 'job']);
  assert.deepEqual(q.labelNames([eq('job', 'y')]), ['__name__', 'job']);
  assert.deepEqual(q.labelValues('job'), ['x', 'y']);
  assert.deepEqual(q.labelValues('job', [eq('env', 'prod')]), ['x']);
});

test('every series reaches the log once, even one created by a rolled-back transaction', async () => {
  const logged: string[] = [];
  let samples = 0;
  const log: HeadLog = {
    log(newSeries: readonly MemSeries[], batch) {
      for (const s of newSeries) logged.push(s.labels.toString());
      samples += batch.length;
    },
    sync: async () => {},
  };
  const head = new Head({ log });
  const a = head.appender();
  a.append(0, L({ __name__: 'r' }), 1, 1);
  a.rollback();
  const b = head.appender();
  b.append(0, L({ __name__: 'r' }), 2, 1);
  b.append(0, L({ __name__: 'q' }), 2, 1);
  await b.commit();
  const c = head.appender();
  c.append(0, L({ __name__: 'r' }), 3, 1);
  await c.commit();
  assert.deepEqual(logged, ['{__name__="r"}', '{__name__="q"}']);
  assert.equal(samples, 3);
});

test('cardinality figures rank metric names, label names and pairs', async () => {
  const { headCardinality } = await import('./head-stats.js');
  const head = new Head();
  const app = head.appender();
  for (let i = 0; i < 5; i++) app.append(0, L({ __name__: 'big', pod: `p${i}`, job: 'j' }), 1, 1);
  app.append(0, L({ __name__: 'small', job: 'j' }), 2, 1);
  await app.commit();
  const c = headCardinality(head, 2);
  assert.deepEqual(c.headStats, { numSeries: 6, chunkCount: 6, minTime: 1, maxTime: 2 });
  assert.deepEqual(c.seriesCountByMetricName, [
    { name: 'big', value: 5 },
    { name: 'small', value: 1 },
  ]);
  assert.deepEqual(c.labelValueCountByLabelName, [
    { name: 'pod', value: 5 },
    { name: '__name__', value: 2 },
  ]);
  assert.deepEqual(c.seriesCountByLabelValuePair[0], { name: 'job=j', value: 6 });
  assert.deepEqual(c.memoryInBytesByLabelName[0], { name: '__name__', value: 5 * 3 + 5 });
});

test('compaction can wait for open transactions; samples committed after the seal are dropped', async () => {
  const head = new Head();
  const l = L({ __name__: 'w' });
  const app = head.appender();
  app.append(0, l, 1000, 1);
  // The range [.., 2000) closes to new appends while the transaction is open; the wait ends
  // when it commits, and its sample is in the head for the snapshot.
  head.minValidTime = 2000;
  assert.throws(() => head.appender().append(0, l, 1500, 1), OutOfBoundsError);
  const waited = head.waitForPending(5000);
  await app.commit();
  assert.equal(await waited, true);
  assert.deepEqual(Object.values(read(head.querier(0, 5000), eq('__name__', 'w'))), [[[1000, 1]]]);
  // A transaction that outlives the wait commits after the seal: its sample is dropped and counted.
  const late = head.appender();
  late.append(0, l, 3000, 1);
  head.minValidTime = 4000;
  assert.equal(await head.waitForPending(20), false);
  head.sealedTime = 4000;
  await late.commit();
  assert.equal(head.stats.outOfBounds, 2);
  assert.deepEqual(Object.values(read(head.querier(0, 5000), eq('__name__', 'w'))), [[[1000, 1]]]);
});

test('truncation can wait for queriers over the range to close', async () => {
  const head = new Head();
  const app = head.appender();
  app.append(0, L({ __name__: 'r' }), 1000, 1);
  await app.commit();
  const q = head.querier(0, 1500);
  const other = head.querier(5000, 6000);
  const waited = head.waitForReaders(0, 2000, 5000);
  // The querier still reads its data while truncation waits.
  assert.deepEqual(Object.values(read(q, eq('__name__', 'r'))), [[[1000, 1]]]);
  q.close();
  assert.equal(await waited, true);
  assert.equal(await head.waitForReaders(0, 2000, 10), true, 'a querier elsewhere does not count');
  other.close();
});

test('appends more than half a chunk range behind the newest sample are out of bounds', async () => {
  const head = new Head({ chunkRange: 10_000 });
  const app = head.appender();
  app.append(0, L({ __name__: 'a' }), 20_000, 1);
  await app.commit();
  const late = head.appender();
  assert.throws(
    () => late.append(0, L({ __name__: 'b' }), 14_999, 1),
    (e: unknown) => e instanceof OutOfBoundsError && e.minValidTime === 15_000,
  );
  late.append(0, L({ __name__: 'b' }), 15_000, 1);
  await late.commit();
  const backfill = new Head({ chunkRange: 10_000, appendWindow: Infinity });
  const b = backfill.appender();
  b.append(0, L({ __name__: 'a' }), 20_000, 1);
  b.append(0, L({ __name__: 'b' }), 0, 1);
  await b.commit();
});
