import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matcher } from '../model/matcher.js';
import { DuplicateSampleError, OutOfBoundsError, OutOfOrderError } from '../storage/errors.js';
import type { Appendable, Appender } from '../storage/interface.js';
import { MemoryMetadataStore } from '../storage/metadata.js';
import { Tsdb } from '../tsdb/db.js';
import { FutureSampleError, InvalidSeriesError } from './errors.js';
import { ingestWriteRequest, storeMetadata, type IngestResult } from './ingest.js';
import { encodeWriteRequest, type SeriesSpec } from './testdata/write-request.js';
import { decodeWriteRequest } from './write-request.js';

const NOW = 1_700_000_000_000;
const STALE_NAN = 0x7ff0000000000002n;
// Not `new Float64Array([v])`: V8 quiets a signalling NaN stored in a plain number array.
const scratch = new DataView(new ArrayBuffer(8));
function bitsOf(v: number): bigint {
  scratch.setFloat64(0, v);
  return scratch.getBigUint64(0);
}

function openDb(t: TestContext): Tsdb {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-remote-'));
  const db = Tsdb.open(dir);
  t.after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

const ingest = (db: Appendable, series: SeriesSpec[]) =>
  ingestWriteRequest(decodeWriteRequest(encodeWriteRequest(series)), db, { now: NOW });

/** Stored samples of series named `name`, as `labels → [t, value bits]`. */
function stored(db: Tsdb, name: string): Record<string, [number, bigint][]> {
  const q = db.querier(-Infinity, Infinity);
  const out: Record<string, [number, bigint][]> = {};
  const set = q.select([new Matcher('=', '__name__', name)]);
  while (set.next()) {
    const it = set.at().iterator();
    const samples: [number, bigint][] = [];
    while (it.next()) samples.push([it.atT(), bitsOf(it.atV())]);
    out[set.at().labels.toString()] = samples;
  }
  q.close();
  return out;
}

const counts = (r: IngestResult) =>
  Object.fromEntries(Object.entries(r.rejected).filter(([, n]) => n > 0));

test('stores every sample of a clean request in one commit, bit-exact', async (t) => {
  const db = openDb(t);
  const result = await ingest(db, [
    {
      labels: [
        ['job', 'a'],
        ['__name__', 'm'],
      ],
      samples: [
        [NOW - 2000, 1.5],
        [NOW - 1000, STALE_NAN],
      ],
    },
    { labels: [['__name__', 'm']], samples: [[NOW, -0]] },
  ]);
  assert.deepEqual(result, {
    samples: 3,
    appended: 3,
    rejected: {
      out_of_order: 0,
      duplicate: 0,
      out_of_bounds: 0,
      too_far_in_future: 0,
      invalid_labels: 0,
    },
    first: null,
  });
  assert.deepEqual(stored(db, 'm'), {
    '{__name__="m"}': [[NOW, bitsOf(-0)]],
    '{__name__="m", job="a"}': [
      [NOW - 2000, bitsOf(1.5)],
      [NOW - 1000, 0x7ff0000000000002n],
    ],
  });
});

test('refused samples are counted by reason while the rest is committed', async (t) => {
  const db = openDb(t);
  await ingest(db, [{ labels: [['__name__', 'm']], samples: [[NOW - 1000, 1]] }]);
  const result = await ingest(db, [
    {
      labels: [['__name__', 'm']],
      samples: [
        [NOW - 5000, 9], // older than the stored sample
        [NOW - 1000, 2], // same time, other value
        [NOW - 1000, 1], // same time, same value: accepted and ignored, as Prometheus does
        [NOW + 11 * 60_000, 3], // past the 10 minutes ahead
        [NOW, 4],
        [NOW - 500, 5], // older than a sample earlier in this request
      ],
    },
    {
      labels: [
        ['__name__', 'x'],
        ['job', 'a'],
        ['job', 'b'],
      ],
      samples: [
        [NOW, 1],
        [NOW + 1, 1],
      ],
    },
    { labels: [['job', 'no-name']], histograms: 2 },
    { labels: [['__name__', 'n']], samples: [[NOW, 7]] },
  ]);
  assert.deepEqual(
    [result.samples, result.appended, counts(result)],
    [9, 3, { out_of_order: 2, duplicate: 1, too_far_in_future: 1, invalid_labels: 2 }],
  );
  assert.equal(result.first?.reason, 'out_of_order');
  assert.ok(result.first.error instanceof OutOfOrderError);
  assert.equal(result.first.error.t, NOW - 5000);
  assert.deepEqual(stored(db, 'm'), {
    '{__name__="m"}': [
      [NOW - 1000, bitsOf(1)],
      [NOW, bitsOf(4)],
    ],
  });
  assert.deepEqual(stored(db, 'n'), { '{__name__="n"}': [[NOW, bitsOf(7)]] });
});

test('the first refusal carries its class and data', async (t) => {
  const db = openDb(t);
  await ingest(db, [{ labels: [['__name__', 'm']], samples: [[NOW, 1]] }]);
  const first = async (series: SeriesSpec[]) => (await ingest(db, series)).first?.error;
  const dup = await first([{ labels: [['__name__', 'm']], samples: [[NOW, 2]] }]);
  assert.ok(dup instanceof DuplicateSampleError && dup.existing === 1 && dup.value === 2);
  const future = await first([{ labels: [['__name__', 'f']], samples: [[NOW + 600_001, 1]] }]);
  assert.ok(future instanceof FutureSampleError && future.maxTime === NOW + 600_000);
  const bad = await first([{ labels: [['a', '1']], samples: [[NOW, 1]] }]);
  assert.ok(bad instanceof InvalidSeriesError);
  assert.equal(bad.message, 'cannot append series {a="1"}: no metric name (__name__ label)');
  db.head.minValidTime = NOW;
  const old = await first([{ labels: [['__name__', 'o']], samples: [[NOW - 1, 1]] }]);
  assert.ok(old instanceof OutOfBoundsError && old.minValidTime === NOW);
});

test('any other append error rolls the whole request back', async (t) => {
  const db = openDb(t);
  let appends = 0;
  const failing: Appendable = {
    appender(): Appender {
      const inner = db.appender();
      return {
        append: (ref, labels, ts, v) => {
          if (++appends === 2) throw new Error('disk on fire');
          return inner.append(ref, labels, ts, v);
        },
        commit: () => inner.commit(),
        rollback: () => inner.rollback(),
      };
    },
  };
  const req = decodeWriteRequest(
    encodeWriteRequest([
      { labels: [['__name__', 'a']], samples: [[NOW, 1]] },
      { labels: [['__name__', 'b']], samples: [[NOW, 1]] },
    ]),
  );
  await assert.rejects(ingestWriteRequest(req, failing, { now: NOW }), /disk on fire/);
  assert.deepEqual(stored(db, 'a'), {});
  // The rolled-back transaction left nothing pending: a new one stores the same samples.
  assert.equal((await ingestWriteRequest(req, db, { now: NOW })).appended, 2);
  assert.deepEqual(Object.keys(stored(db, 'a')), ['{__name__="a"}']);
});

test('storeMetadata records each entry at the given time and counts the refused', () => {
  const store = new MemoryMetadataStore({ maxMetrics: 2 });
  const req = decodeWriteRequest(
    encodeWriteRequest(
      [],
      [
        { type: 1, family: 'a_total', help: 'A.' },
        { type: 2, family: '', help: 'Nameless.' },
        { type: 2, family: 'b', help: 'B.', unit: 'bytes' },
        { type: 2, family: 'c', help: 'Over the bound.' },
      ],
    ),
  );
  assert.equal(storeMetadata(req, store, NOW), 2);
  assert.deepEqual(store.list({}, NOW), [
    ['a_total', [{ type: 'counter', help: 'A.', unit: '' }]],
    ['b', [{ type: 'gauge', help: 'B.', unit: 'bytes' }]],
  ]);
});
