/**
 * How long the event loop stalls while the TSDB compacts, with the work in the worker thread
 * and, for comparison, the same job run inline. The figures go to the test output as
 * diagnostics; the assertions only have generous bounds, as timing on a shared machine varies.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Labels } from '../model/labels.js';
import { newUlid } from './block/ulid.js';
import { CompactionWorker } from './compact/compaction-worker.js';
import { snapshotHeadRange } from './compact/head-to-block.js';
import type { MergeBlocksJob, PersistHeadJob } from './compact/protocol.js';
import { runJob } from './compact/run-job.js';
import { syntheticSnapshot } from './compact/testdata/synthetic.js';
import { Tsdb } from './db.js';

const H = 3600_000;

/** A temporary directory and a TSDB opening there, both gone after the test. */
function setup(t: TestContext) {
  const dirs: string[] = [];
  const dbs: Tsdb[] = [];
  t.after(async () => {
    for (const db of dbs) await db.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    dirs.push(mkdtempSync(join(tmpdir(), 'vigil-responsive-')));
    return dirs.at(-1)!;
  };
  const open = (dir: string) => {
    dbs.push(Tsdb.open(dir, { blockDuration: 2 * H, retention: 0 }));
    return dbs.at(-1)!;
  };
  return { tempDir, open };
}

/** The longest gap between 1 ms interval ticks while `fn` runs, ms. */
async function maxGap(fn: () => unknown): Promise<number> {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  try {
    await sleep(10);
    max = 0;
    last = performance.now();
    await fn();
    await sleep(5);
  } finally {
    clearInterval(timer);
  }
  return max;
}

test('merging blocks of 210k chunks leaves the event loop responsive', async (t) => {
  const SERIES = 7000;
  const CHUNKS = 10;
  const { tempDir, open } = setup(t);
  const dir = tempDir();
  const writer = new CompactionWorker();
  const parents: string[] = [];
  for (let b = 0; b < 4; b++) {
    const ulid = newUlid();
    const snapshot = syntheticSnapshot(b * 2 * H, SERIES, CHUNKS);
    await writer.run({ kind: 'persist-head', dir, ulid, snapshot });
    parents.push(join(dir, ulid));
  }
  await writer.close();

  // The same merge the TSDB is about to plan ([0, 6h); the newest block waits), inline.
  const elsewhere = tempDir();
  let started = performance.now();
  const job: MergeBlocksJob = {
    kind: 'merge-blocks',
    dir: elsewhere,
    ulid: newUlid(),
    parents: parents.slice(0, 3),
  };
  const inline = await maxGap(() => runJob(job));
  const inlineMs = performance.now() - started;

  const db = open(dir);
  started = performance.now();
  const worker = await maxGap(() => db.compact());
  const workerMs = performance.now() - started;
  assert.equal(db.stats.merges, 1);
  assert.equal(db.blocks[0]!.meta.stats.numChunks, 3 * SERIES * CHUNKS);

  t.diagnostic(
    `merge of ${3 * SERIES * CHUNKS} chunks: max event-loop gap ${worker.toFixed(0)} ms with the ` +
      `worker (compact() took ${workerMs.toFixed(0)} ms), ${inline.toFixed(0)} ms inline ` +
      `(${inlineMs.toFixed(0)} ms)`,
  );
  assert.ok(worker < 500, `max gap ${worker} ms with the worker`);
  assert.ok(inline > 2 * worker, `inline ${inline} ms vs worker ${worker} ms`);
});

test('cutting a head of 20k series into a block leaves the event loop responsive', async (t) => {
  const SERIES = 20_000;
  const { tempDir, open } = setup(t);
  const db = open(tempDir());
  const refs = new Array<number>(SERIES).fill(0);
  const labels = Array.from({ length: SERIES }, (_, i) =>
    Labels.fromRecord({ __name__: 'h', i: String(i) }),
  );
  // Five samples per series in [0, 2h), then one past 3 h so that the head is due a cut.
  for (const ts of [0, 60_000, 120_000, 180_000, 240_000, 3.5 * H]) {
    const app = db.appender();
    for (let i = 0; i < SERIES; i++) refs[i] = app.append(refs[i]!, labels[i]!, ts, i);
    await app.commit();
  }
  // The block write alone, inline, for comparison (the snapshot is taken in slices either way).
  const snapshot = await snapshotHeadRange(db.head, 0, 2 * H);
  const job: PersistHeadJob = { kind: 'persist-head', dir: tempDir(), ulid: newUlid(), snapshot };
  const inline = await maxGap(() => runJob(job));

  const started = performance.now();
  const gap = await maxGap(() => db.compact());
  assert.equal(db.stats.compactions, 1);
  assert.equal(db.blocks[0]!.meta.stats.numSeries, SERIES);
  t.diagnostic(
    `head cut of ${SERIES} series: max event-loop gap ${gap.toFixed(0)} ms with the worker ` +
      `(compact() took ${(performance.now() - started).toFixed(0)} ms, WAL checkpoint ` +
      `included), ${inline.toFixed(0)} ms for the block write alone inline`,
  );
  assert.ok(gap < 1500, `max gap ${gap} ms`);
});
