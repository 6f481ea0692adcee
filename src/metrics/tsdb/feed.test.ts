import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { feedSamples, type FeedReader } from '../storage/feed.js';
import type { Tsdb } from './db.js';
import { tempTsdbs } from './testdata/temp-tsdb.js';

const HOUR = 3600_000;
const STALE_BITS = 0x7ff0000000000002n;

const { tempDir, open } = tempTsdbs('vigil-feed-', { blockDuration: HOUR });

/** Commits one sample per series at each step of [from, to). */
async function fill(db: Tsdb, series: number, from: number, to: number, step: number) {
  for (let t = from; t < to; t += step) {
    const app = db.appender();
    for (let i = 0; i < series; i++) {
      app.append(0, Labels.fromRecord({ __name__: 'm', i: String(i) }), t, t / step + i);
    }
    await app.commit();
  }
}

/** Reads everything the reader has, `max` at a time, as `labels@t=v` strings. */
function drain(reader: FeedReader, max = 1000): { samples: string[]; position: string } {
  const out = feedSamples(max);
  const samples: string[] = [];
  while (reader.read(out, max) > 0) {
    for (let i = 0; i < out.length; i++) {
      samples.push(`${out.series[i]!.labels.toString()}@${out.ts[i]}=${out.vs[i]}`);
    }
  }
  return { samples, position: out.position };
}

function expected(series: number, from: number, to: number, step: number): string[] {
  const out: string[] = [];
  for (let t = from; t < to; t += step) {
    for (let i = 0; i < series; i++) {
      out.push(
        `${Labels.fromRecord({ __name__: 'm', i: String(i) }).toString()}@${t}=${t / step + i}`,
      );
    }
  }
  return out;
}

test('a new reader sees the samples committed after it opened, in commit order', async (t) => {
  const db = open(tempDir(t));
  await fill(db, 3, 0, 30_000, 10_000);
  const reader = db.feed.open(null);
  t.after(() => reader.close());
  assert.deepEqual(drain(reader).samples, []);
  await fill(db, 3, 30_000, 60_000, 10_000);
  assert.deepEqual(drain(reader).samples, expected(3, 30_000, 60_000, 10_000));
});

test('values travel bit-exact, the staleness marker included', async (t) => {
  const db = open(tempDir(t));
  const reader = db.feed.open(null);
  t.after(() => reader.close());
  const stale = new Float64Array(new BigUint64Array([STALE_BITS]).buffer)[0]!;
  const app = db.appender();
  const labels = Labels.fromRecord({ __name__: 'up' });
  app.append(0, labels, 1000, 1);
  app.append(0, labels, 2000, stale);
  await app.commit();
  const out = feedSamples(10);
  assert.equal(reader.read(out, 10), 2);
  assert.equal(new BigUint64Array(out.vs.buffer, 8, 1)[0], STALE_BITS);
});

test('changed() resolves when a commit arrives, before its timeout', async (t) => {
  const db = open(tempDir(t));
  const reader = db.feed.open(null);
  t.after(() => reader.close());
  const started = performance.now();
  const waiting = reader.changed(10_000);
  await fill(db, 1, 0, 1, 1);
  await waiting;
  assert.ok(performance.now() - started < 5000);
  assert.equal(drain(reader).samples.length, 1);
});

test('a reader reopened at a saved position goes on exactly where it stopped', async (t) => {
  const db = open(tempDir(t));
  const first = db.feed.open(null);
  await fill(db, 7, 0, 50_000, 10_000);
  // 7 samples per commit read 3 at a time: positions fall inside records.
  const out = feedSamples(3);
  const seen: string[] = [];
  for (let k = 0; k < 4; k++) {
    first.read(out, 3);
    for (let i = 0; i < out.length; i++) {
      seen.push(`${out.series[i]!.labels.toString()}@${out.ts[i]}=${out.vs[i]}`);
    }
  }
  first.close();
  const again = db.feed.open(out.position);
  t.after(() => again.close());
  seen.push(...drain(again, 5).samples);
  assert.deepEqual(seen, expected(7, 0, 50_000, 10_000));
});

test('a saved position survives a restart of the TSDB', async (t) => {
  const dir = tempDir(t);
  const db = open(dir);
  const reader = db.feed.open(null);
  await fill(db, 2, 0, 20_000, 10_000);
  const { position } = drain(reader);
  await fill(db, 2, 20_000, 50_000, 10_000);
  reader.close();
  await db.close();

  const again = open(dir);
  const resumed = again.feed.open(position);
  t.after(() => resumed.close());
  assert.deepEqual(drain(resumed).samples, expected(2, 20_000, 50_000, 10_000));
});

test('checkpoints leave the segments a reader holds, and take them once released', async (t) => {
  const dir = tempDir(t);
  const db = open(dir, { walSegmentSize: 64 * 1024 });
  const reader = db.feed.open(null);
  t.after(() => reader.close());
  // Enough to span several segments and more than 1.5 block ranges, so compaction cuts.
  await fill(db, 200, 0, 3 * HOUR, 60_000);
  const walDir = join(dir, 'wal');
  const segmentsBefore = readdirSync(walDir).filter((n) => /^\d+$/.test(n));
  assert.ok(segmentsBefore.length > 3, `${segmentsBefore.length} segments`);
  await db.compact();
  assert.ok(db.stats.compactions > 0);
  const held = readdirSync(walDir).filter((n) => /^\d+$/.test(n));
  assert.equal(held[0], segmentsBefore[0], 'held segments were checkpointed away');

  const { samples, position } = drain(reader);
  assert.deepEqual(samples, expected(200, 0, 3 * HOUR, 60_000));
  reader.release(position);
  await fill(db, 50, 3 * HOUR, 4 * HOUR, 60_000);
  await db.compact();
  const after = readdirSync(walDir).filter((n) => /^\d+$/.test(n));
  assert.ok(Number(after[0]) > Number(held[0]), `still ${after[0]} after release`);
  assert.deepEqual(drain(reader).samples, expected(50, 3 * HOUR, 4 * HOUR, 60_000));
});

test('a reader holding segments restarts into series the head has dropped', async (t) => {
  const dir = tempDir(t);
  const db = open(dir, { walSegmentSize: 64 * 1024 });
  const gone = Labels.fromRecord({ __name__: 'gone' });
  let app = db.appender();
  app.append(0, gone, 0, 1);
  await app.commit();
  await fill(db, 200, 0, HOUR, 60_000);
  const hold = db.feed.open(null);
  const { position } = drain(hold);
  // "gone" gets one more sample, in a held segment; its Series record is in an older one, and
  // the head drops the series when compaction cuts the first hour.
  app = db.appender();
  app.append(0, gone, 45 * 60_000, 2);
  await app.commit();
  await fill(db, 200, HOUR, 3 * HOUR, 60_000);
  await db.compact();
  assert.ok(db.stats.checkpoints > 0);
  assert.equal(db.head.numSeries, 200);
  hold.close();
  await db.close();

  const again = open(dir, { walSegmentSize: 64 * 1024 });
  const resumed = again.feed.open(position);
  t.after(() => resumed.close());
  const { samples } = drain(resumed);
  assert.equal(samples[0], '{__name__="gone"}@2700000=2');
  assert.equal(samples.length, 1 + 200 * 120);
  assert.equal(again.feed.stats.unknownSeriesSamples, 0);
});
