import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { Matcher } from '../model/matcher.js';
import type { Querier } from '../storage/interface.js';
import type { Tsdb } from './db.js';
import { tempTsdbs } from './testdata/temp-tsdb.js';

const HOUR = 3600_000;

const { tempDir, open } = tempTsdbs('vigil-tsdb-', { blockDuration: 2 * HOUR });

/** Every sample of every series matching `name`, as `labels → [t, v][]`. */
function dump(q: Querier, name: string): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  const set = q.select([new Matcher('=~', '__name__', name)]);
  while (set.next()) {
    const it = set.at().iterator();
    const samples: [number, number][] = [];
    while (it.next()) samples.push([it.atT(), it.atV()]);
    assert.equal(it.err(), null);
    out[set.at().labels.toString()] = samples;
  }
  assert.equal(set.err(), null);
  q.close();
  return out;
}

/** Writes `series` series with one sample per `step` ms over [from, to). */
async function fill(db: Tsdb, series: number, from: number, to: number, step: number) {
  const refs = new Array<number>(series).fill(0);
  for (let t = from; t < to; t += step) {
    const app = db.appender();
    for (let i = 0; i < series; i++) {
      refs[i] = app.append(
        refs[i]!,
        Labels.fromRecord({ __name__: 'm', i: String(i) }),
        t,
        t / step + i,
      );
    }
    await app.commit();
  }
}

function expected(series: number, from: number, to: number, step: number) {
  const out: Record<string, [number, number][]> = {};
  for (let i = 0; i < series; i++) {
    const samples: [number, number][] = [];
    for (let t = from; t < to; t += step) samples.push([t, t / step + i]);
    out[Labels.fromRecord({ __name__: 'm', i: String(i) }).toString()] = samples;
  }
  return out;
}

test('samples survive a restart through the WAL', async (t) => {
  const dir = tempDir(t);
  const db = open(dir);
  await fill(db, 3, 0, 60_000, 15_000);
  await db.close();
  const again = open(dir);
  assert.equal(again.stats.replay?.samples, 12);
  assert.deepEqual(dump(again.querier(0, HOUR), 'm'), expected(3, 0, 60_000, 15_000));
  // Appends go on after the replayed data.
  await fill(again, 3, 60_000, 75_000, 15_000);
  assert.deepEqual(dump(again.querier(0, HOUR), 'm'), expected(3, 0, 75_000, 15_000));
});

test('compaction cuts the head into aligned blocks, checkpoints the WAL, and queries span both', async (t) => {
  const dir = tempDir(t);
  const db = open(dir);
  await fill(db, 4, 0, 5 * HOUR, 60_000);
  await db.compact();
  // The head keeps up to 1.5 block ranges for late samples: of 5 h, only [0, 2h) is cut.
  assert.deepEqual(
    db.blocks.map((b) => [b.meta.minTime, b.meta.maxTime]),
    [[0, 2 * HOUR]],
  );
  assert.equal(db.head.minTime, 2 * HOUR);
  assert.equal(db.blocks[0]!.meta.stats.numSamples, 4 * 120);
  assert.ok(readdirSync(join(dir, 'wal')).some((f) => f.startsWith('checkpoint.')));
  assert.deepEqual(dump(db.querier(0, 5 * HOUR), 'm'), expected(4, 0, 5 * HOUR, 60_000));
  assert.deepEqual(dump(db.querier(HOUR, 3 * HOUR - 1), 'm'), expected(4, HOUR, 3 * HOUR, 60_000));
  await db.close();

  const again = open(dir);
  assert.equal(again.blocks.length, 1);
  assert.equal(again.head.minValidTime, 2 * HOUR);
  assert.deepEqual(dump(again.querier(0, 5 * HOUR), 'm'), expected(4, 0, 5 * HOUR, 60_000));
});

test('retention deletes whole blocks by age and by size', async (t) => {
  const dir = tempDir(t);
  const db = open(dir, { retention: 3 * HOUR });
  await fill(db, 2, 0, 9 * HOUR, 5 * 60_000);
  await db.compact();
  // Blocks [0,2h) [2h,4h) [4h,6h) were cut; time retention keeps blocks ending less than 3 h
  // before the newest block's end (6 h).
  assert.deepEqual(
    db.blocks.map((b) => b.meta.minTime / HOUR),
    [2, 4],
  );
  assert.equal(db.stats.blocksDeleted, 1);
  const sized = open(tempDir(t), { retentionSize: 1 });
  await fill(sized, 2, 0, 5 * HOUR, 5 * 60_000);
  await sized.compact();
  assert.equal(sized.blocks.length, 0);
});

test('a corrupt block is skipped with an error; the rest is served', async (t) => {
  const dir = tempDir(t);
  const db = open(dir);
  await fill(db, 1, 0, 5 * HOUR, 60_000);
  await db.compact();
  const broken = db.blocks[0]!.dir;
  await db.close();
  writeFileSync(join(broken, 'meta.json'), '{ not json');
  const again = open(dir);
  assert.equal(again.corruptBlocks.length, 1);
  assert.equal(again.corruptBlocks[0]!.dir, broken);
  assert.equal(again.blocks.length, 0);
  const set = again.querier(0, 5 * HOUR).select([new Matcher('=', '__name__', 'm')]);
  assert.ok(set.next());
  let n = 0;
  for (const it = set.at().iterator(); it.next();) n++;
  assert.equal(n, 3 * 60); // [2h, 5h)
  assert.match(set.warnings()[0]!, /block .* skipped: /);
});
