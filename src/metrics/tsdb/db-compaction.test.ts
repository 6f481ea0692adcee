/**
 * The TSDB's block compaction end to end: head cuts and leveled merges through the worker
 * thread, querier safety across a swap, vertical merges of overlapping blocks, failures, and
 * promtool reading the merged blocks.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '../../lib/log/logger.js';
import { Labels } from '../model/labels.js';
import { Matcher } from '../model/matcher.js';
import type { Querier, SeriesSet } from '../storage/interface.js';
import { newUlid } from './block/ulid.js';
import { writeBlock } from './block/write-block.js';
import { ENCODING_XOR, XorChunk } from './chunkenc/xor.js';
import { runJob } from './compact/run-job.js';
import { Tsdb, type TsdbOptions } from './db.js';

const H = 3600_000;
const PROMTOOL = '/usr/bin/promtool';

function setup(t: TestContext, options: TsdbOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-compaction-'));
  const dbs: Tsdb[] = [];
  const open = (more: TsdbOptions = {}) => {
    const db = Tsdb.open(dir, { blockDuration: 2 * H, retention: 0, ...options, ...more });
    dbs.push(db);
    return db;
  };
  t.after(async () => {
    for (const db of dbs) await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, open };
}

const value = (i: number, ts: number) => i * 1e6 + ts / 1000;

/** Appends `series` series, one sample per `step` over [from, to), in batches per timestamp. */
async function fill(db: Tsdb, series: number, from: number, to: number, step: number, v = value) {
  const refs = new Array<number>(series).fill(0);
  for (let ts = from; ts < to; ts += step) {
    const app = db.appender();
    for (let i = 0; i < series; i++) {
      refs[i] = app.append(
        refs[i]!,
        Labels.fromRecord({ __name__: 'm', i: String(i) }),
        ts,
        v(i, ts),
      );
    }
    await app.commit();
  }
}

/** The samples of the set's series from the current one on, as `i → [t, v][]`. */
function drain(set: SeriesSet, started = false): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  while (started || set.next()) {
    started = false;
    const samples: [number, number][] = [];
    const it = set.at().iterator();
    while (it.next()) samples.push([it.atT(), it.atV()]);
    assert.equal(it.err(), null);
    out.set(set.at().labels.get('i'), samples);
  }
  assert.equal(set.err(), null);
  return out;
}

/** Every sample of the series named `m`; closes the querier. */
function dump(q: Querier): Map<string, [number, number][]> {
  const out = drain(q.select([new Matcher('=', '__name__', 'm')]));
  q.close();
  return out;
}

function expected(series: number, from: number, to: number, step: number) {
  const out = new Map<string, [number, number][]>();
  for (let i = 0; i < series; i++) {
    const samples: [number, number][] = [];
    for (let ts = from; ts < to; ts += step) samples.push([ts, value(i, ts)]);
    out.set(String(i), samples);
  }
  return out;
}

/** Block ranges in hours. */
const ranges = (db: Tsdb) => db.blocks.map((b) => [b.meta.minTime / H, b.meta.maxTime / H]);

/** A block of `series` series `m{i}` with one sample per minute over [from, to) hours. */
function block(dir: string, from: number, to: number, series: number, v = value): string {
  return writeBlock(dir, {
    minTime: from * H,
    maxTime: to * H,
    series: Array.from({ length: series }, (_, i) => {
      const chunks = [];
      for (let c0 = from * H; c0 < to * H; c0 += 120 * 60_000) {
        const c = new XorChunk();
        const app = c.appender();
        const end = Math.min(c0 + 120 * 60_000, to * H);
        for (let ts = c0; ts < end; ts += 60_000) app.append(ts, v(i, ts));
        chunks.push({
          mint: c0,
          maxt: end - 60_000,
          encoding: ENCODING_XOR,
          data: c.bytes().slice(),
        });
      }
      return { labels: Labels.fromRecord({ __name__: 'm', i: String(i) }), chunks };
    }).sort((a, b) => a.labels.compare(b.labels)),
  });
}

test('24 h of appends end up in 18 h, 2 h and 2 h blocks, and every sample reads back', async (t) => {
  const { dir, open } = setup(t);
  const db = open();
  const SERIES = 20;
  const STEP = 60_000;
  for (let h = 0; h < 24; h += 2) {
    await fill(db, SERIES, h * H, (h + 2) * H, STEP);
    await db.compact();
  }
  // The head keeps the newest 1.5 ranges; of the blocks cut, the newest is never merged.
  // 0-6, 6-12 and 12-18 became 6 h blocks, then together the 18 h block; 18-20 waits for
  // 20-22, which waits to be the newest no more.
  assert.deepEqual(ranges(db), [
    [0, 18],
    [18, 20],
    [20, 22],
  ]);
  const [big] = db.blocks;
  assert.equal(big!.meta.compaction.level, 3);
  assert.equal(big!.meta.compaction.sources.length, 9);
  assert.equal(big!.meta.compaction.parents?.length, 3);
  assert.equal(big!.meta.stats.numSamples, SERIES * 18 * 60);
  assert.equal(db.stats.compactions, 11);
  assert.equal(db.stats.merges, 4);
  assert.equal(db.stats.compactionFailures, 0);
  const want = expected(SERIES, 0, 24 * H, STEP);
  assert.deepEqual(dump(db.querier(0, 24 * H)), want);
  // Only blocks and the WAL: parents and temporary directories are gone.
  const ulids = db.blocks.map((b) => b.meta.ulid);
  assert.deepEqual(readdirSync(dir).sort(), [...ulids, 'wal'].sort());
  await db.close();

  const again = open();
  assert.deepEqual(ranges(again), [
    [0, 18],
    [18, 20],
    [20, 22],
  ]);
  assert.deepEqual(dump(again.querier(0, 24 * H)), want);
});

test('a querier taken before a merge reads the parents to the end; they go when it closes', async (t) => {
  const { dir, open } = setup(t);
  const parents = [block(dir, 0, 2, 3), block(dir, 2, 4, 3), block(dir, 4, 6, 3)];
  block(dir, 6, 8, 3);
  const db = open();
  const want = expected(3, 0, 8 * H, 60_000);

  const before = db.querier(0, 8 * H);
  const set = before.select([new Matcher('=', '__name__', 'm')]);
  assert.ok(set.next());
  await db.compact();
  assert.deepEqual(ranges(db), [
    [0, 6],
    [6, 8],
  ]);
  // Retired but still leased: on disk, and the old querier reads them to the end.
  for (const p of parents) assert.ok(existsSync(join(dir, p)));
  assert.deepEqual(drain(set, true), want);
  assert.deepEqual(dump(db.querier(0, 8 * H)), want, 'a new querier reads the merged block');
  before.close();
  for (const p of parents) assert.ok(!existsSync(join(dir, p)), `${p} deleted`);
});

test('on open, leftovers of a crash mid-merge are removed: parents of a served block, temporaries', async (t) => {
  const { dir, open } = setup(t);
  const parents = [block(dir, 0, 2, 2), block(dir, 2, 4, 2), block(dir, 4, 6, 2)];
  // The merge finished, then the process died before deleting the parents; another block was
  // half written, one half deleted.
  const merged = newUlid();
  runJob({ kind: 'merge-blocks', dir, ulid: merged, parents: parents.map((p) => join(dir, p)) });
  mkdirSync(join(dir, newUlid() + '.tmp-for-creation'));
  mkdirSync(join(dir, parents[0] + '.tmp-for-deletion'));
  const db = open();
  assert.deepEqual(
    db.blocks.map((b) => b.meta.ulid),
    [merged],
  );
  assert.deepEqual(readdirSync(dir).sort(), [merged, 'wal']);
  assert.deepEqual(dump(db.querier(0, 6 * H)), expected(2, 0, 6 * H, 60_000));
});

test('overlapping blocks are merged first; duplicates are kept once', async (t) => {
  const { dir, open } = setup(t);
  block(dir, 0, 2, 2);
  block(dir, 2, 4, 2);
  // A backfill over the same hours with other values for the same timestamps, and more series.
  block(dir, 0, 6, 4, (i, ts) => -value(i, ts));
  const db = open();
  await db.compact();
  assert.deepEqual(ranges(db), [[0, 6]]);
  assert.equal(db.blocks[0]!.meta.compaction.level, 2);
  const got = dump(db.querier(0, 6 * H));
  // Of duplicates, the sample of the block that sorts first (by minTime, then by age) is kept,
  // as a query over the unmerged blocks answered: [0, 2h) from the first block, the rest from
  // the backfill.
  const want = expected(4, 0, 6 * H, 60_000);
  for (const [i, samples] of want) {
    want.set(
      i,
      samples.map(([ts, v]) => [ts, Number(i) < 2 && ts < 2 * H ? v : -v]),
    );
  }
  assert.deepEqual(got, want);
});

test('a failed merge is counted and logged, leaves no partial block, and is not retried', async (t) => {
  const { dir, open } = setup(t);
  const names = [
    block(dir, 0, 2, 2),
    block(dir, 2, 4, 2),
    block(dir, 4, 6, 2),
    block(dir, 6, 8, 2),
  ];
  // Flip a byte of a chunk of the second block: its CRC no longer matches.
  const segment = join(dir, names[1]!, 'chunks', '000001');
  const bytes = readFileSync(segment);
  bytes[20] = bytes[20]! ^ 0xff;
  writeFileSync(segment, bytes);
  const lines: string[] = [];
  const db = open({ logger: new Logger({ level: 'error', write: (l) => void lines.push(l) }) });
  await db.compact();
  assert.equal(db.stats.compactionFailures, 1);
  assert.equal(db.stats.merges, 0);
  assert.match(lines.join(''), /cannot merge blocks/);
  assert.match(lines.join(''), /checksum mismatch/);
  assert.deepEqual(readdirSync(dir).sort(), [...names, 'wal'].sort());
  await db.compact();
  assert.equal(db.stats.compactionFailures, 1, 'not retried in this process');
  assert.equal(db.blocks.length, 4);
});

test(
  'promtool lists and dumps merged blocks exactly as written',
  { skip: !existsSync(PROMTOOL) && !process.env.CI ? `${PROMTOOL} not installed` : false },
  async (t) => {
    const { dir, open } = setup(t);
    const db = open();
    // Aligned to 18 h from 1970 like everything here, but in 2023, as promtool expects.
    const T0 = 1_699_999_200_000 - (1_699_999_200_000 % (18 * H));
    const STEP = 5 * 60_000;
    // Small values, which promtool prints as plain integers.
    const v = (i: number, ts: number) => i * 1000 + (ts - T0) / STEP;
    for (let h = 0; h < 12; h += 2) {
      await fill(db, 3, T0 + h * H, T0 + (h + 2) * H, STEP, v);
      await db.compact();
    }
    assert.deepEqual(
      db.blocks.map((b) => [b.meta.compaction.level, (b.meta.maxTime - b.meta.minTime) / H]),
      [
        [2, 6],
        [1, 2],
        [1, 2],
      ],
    );
    await db.close();
    const list = spawnSync(PROMTOOL, ['tsdb', 'list', dir], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`\\s${T0}\\s+${T0 + 6 * H}\\s+6h0m0s\\s+${3 * 72}\\s+`));
    // The dump covers the blocks and the head (promtool replays the WAL).
    const dump = spawnSync(PROMTOOL, ['tsdb', 'dump', dir], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    assert.equal(dump.status, 0, dump.stderr);
    const want: string[] = [];
    for (let i = 0; i < 3; i++) {
      for (let ts = T0; ts < T0 + 12 * H; ts += STEP) {
        want.push(`{__name__="m", i="${i}"} ${v(i, ts)} ${ts}`);
      }
    }
    const got = dump.stdout.trim().split('\n').sort();
    assert.deepEqual(got, want.sort());
  },
);
