import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Labels } from '../../model/labels.js';
import { openBlock } from '../block/read-block.js';
import { newUlid } from '../block/ulid.js';
import { TMP_FOR_CREATION_SUFFIX, writeBlock } from '../block/write-block.js';
import { ENCODING_XOR, XorChunk, XorIterator } from '../chunkenc/xor.js';
import { Head } from '../head/head.js';
import { CompactionWorker } from './compaction-worker.js';
import { CompactionError, WorkerExitError } from './errors.js';
import { snapshotHeadRange } from './head-to-block.js';
import { syntheticSnapshot } from './testdata/synthetic.js';

const H = 3600_000;

function setup(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-worker-'));
  const worker = new CompactionWorker();
  t.after(async () => {
    await worker.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, worker };
}

function xor(t0: number, n: number) {
  const c = new XorChunk();
  const app = c.appender();
  for (let i = 0; i < n; i++) app.append(t0 + i * 1000, i);
  return { mint: t0, maxt: t0 + (n - 1) * 1000, encoding: ENCODING_XOR, data: c.bytes().slice() };
}

test('the worker writes a head snapshot as a block and merges blocks', async (t) => {
  const { dir, worker } = setup(t);
  const head = new Head();
  const app = head.appender();
  // Labels out of order in the head: the worker sorts them for the index.
  for (const name of ['b', 'a', 'c']) {
    for (let k = 0; k < 3; k++) app.append(0, Labels.fromRecord({ __name__: name }), k * 1000, k);
  }
  await app.commit();
  const snapshot = await snapshotHeadRange(head, 0, 2 * H);
  const ulid = newUlid();
  const meta = await worker.run({ kind: 'persist-head', dir, ulid, snapshot });
  assert.equal(snapshot.buffer.byteLength, 0, 'the buffer was transferred, not copied');
  assert.equal(meta?.ulid, ulid);
  assert.deepEqual(meta?.stats, { numSamples: 9, numSeries: 3, numChunks: 3 });
  assert.deepEqual(meta?.compaction, { level: 1, sources: [ulid] });
  const block = openBlock(join(dir, ulid));
  t.after(() => block.close());
  const names = [...block.index.allPostings()].map((r) =>
    block.index.series(r).labels.get('__name__'),
  );
  assert.deepEqual(names, ['a', 'b', 'c']);
  const first = block.index.series(block.index.allPostings()[0]!).chunks[0]!;
  const values: number[] = [];
  for (const it = new XorIterator(block.chunks.chunk(first.ref).data); it.next();) {
    values.push(it.atV());
  }
  assert.deepEqual(values, [0, 1, 2]);

  const other = writeBlock(dir, {
    minTime: 2 * H,
    maxTime: 4 * H,
    series: [{ labels: Labels.fromRecord({ __name__: 'a' }), chunks: [xor(2 * H, 5)] }],
  });
  const mergedUlid = newUlid();
  const merged = await worker.run({
    kind: 'merge-blocks',
    dir,
    ulid: mergedUlid,
    parents: [join(dir, ulid), join(dir, other)],
  });
  assert.equal(merged?.ulid, mergedUlid);
  assert.deepEqual([merged?.minTime, merged?.maxTime], [0, 4 * H]);
  assert.deepEqual(merged?.compaction.sources, [ulid, other].sort());
  assert.equal(merged?.stats.numSamples, 14);
});

test('a job that throws fails with its error; the worker goes on with the next job', async (t) => {
  const { dir, worker } = setup(t);
  const ulid = newUlid();
  const missing = join(dir, newUlid());
  const err = await worker.run({ kind: 'merge-blocks', dir, ulid, parents: [missing] }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof CompactionError, String(err));
  assert.equal(err.ulid, ulid);
  assert.match(
    err.message,
    new RegExp(`cannot write block ${ulid} from blocks ${missing.slice(-26)}: `),
  );
  assert.equal((err.cause as Error).name, 'BlockCorruptError', 'the worker error keeps its name');
  assert.deepEqual(readdirSync(dir), []);
  const ok = await worker.run({
    kind: 'persist-head',
    dir,
    ulid: newUlid(),
    snapshot: syntheticSnapshot(0, 3, 1),
  });
  assert.equal(ok?.stats.numSeries, 3);
});

test('a worker that dies mid-job fails the job, not the process, and leaves no partial block', async (t) => {
  const { dir, worker } = setup(t);
  const ulid = newUlid();
  const job = worker.run({
    kind: 'persist-head',
    dir,
    ulid,
    snapshot: syntheticSnapshot(0, 100_000, 1),
  });
  const failed = job.then(
    () => null,
    (e: unknown) => e,
  );
  // Kill the thread once it is writing: its temporary block directory exists.
  const tmp = join(dir, ulid + TMP_FOR_CREATION_SUFFIX);
  while (!existsSync(tmp)) {
    assert.ok(!existsSync(join(dir, ulid)), 'the job finished before it could be interrupted');
    await sleep(2);
  }
  await worker.close();
  const err = await failed;
  assert.ok(err instanceof CompactionError, String(err));
  assert.ok(err.cause instanceof WorkerExitError);
  assert.deepEqual(readdirSync(dir), [], 'neither the temporary nor the final directory is left');
  // The next job starts a new thread.
  const meta = await worker.run({
    kind: 'persist-head',
    dir,
    ulid: newUlid(),
    snapshot: syntheticSnapshot(0, 2, 1),
  });
  assert.equal(meta?.stats.numSeries, 2);
});

test('compaction works in a process started with per-process Node flags', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-flags-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = fileURLToPath(new URL('testdata/compact-with-flags.ts', import.meta.url));
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=512', '--expose-gc', '--import', 'tsx', script, dir],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '1 0');
});
