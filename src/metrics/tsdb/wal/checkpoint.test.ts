import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { SampleBatch } from '../record/sample-batch.js';
import { decodeSamples, encodeSamples, samplesRecordSize } from '../record/samples.js';
import { decodeSeries, encodeSeries, seriesRecordSize } from '../record/series.js';
import { decodeTombstones, encodeTombstones, tombstonesRecordSize } from '../record/tombstones.js';
import { recordType, RecordType } from '../record/types.js';
import { checkpoint, CheckpointError } from './checkpoint.js';
import { WalCorruptionError } from './errors.js';
import { PAGE_SIZE } from './layout.js';
import { WalReader } from './reader.js';
import { Wal } from './wal.js';

const STALE_NAN = 0x7ff0000000000002n;

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-wal-cp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function seriesRec(refs: number[]): Uint8Array {
  const series = refs.map((ref) => ({
    ref,
    labels: Labels.fromRecord({ __name__: 'm', ref: String(ref) }),
  }));
  const buf = new Uint8Array(seriesRecordSize(series));
  return buf.subarray(0, encodeSeries(buf, 0, series));
}

/** One sample per ref at `t`; ref 2's value is the staleness marker. */
function samplesRec(refs: number[], t: number): Uint8Array {
  const batch = new SampleBatch();
  for (const ref of refs) batch.push(ref, t, ref + t / 1000);
  const i = refs.indexOf(2);
  if (i >= 0) new BigUint64Array(batch.vs.buffer, i * 8, 1)[0] = STALE_NAN;
  const buf = new Uint8Array(samplesRecordSize(batch.length));
  return buf.subarray(0, encodeSamples(buf, 0, batch));
}

function stonesRec(stones: { ref: number; mint: number; maxt: number }[]): Uint8Array {
  const buf = new Uint8Array(tombstonesRecordSize(stones.length));
  return buf.subarray(0, encodeTombstones(buf, 0, stones));
}

/** Replays `dir` into a readable summary, in order. */
function replay(dir: string): string[] {
  const out: string[] = [];
  const reader = WalReader.open(dir);
  const batch = new SampleBatch();
  for (const rec of reader) {
    const from = reader.dir === dir ? `seg${reader.segment}` : 'cp';
    switch (recordType(rec)) {
      case RecordType.Series:
        out.push(`${from} series ${decodeSeries(rec).map((s) => s.ref)}`);
        break;
      case RecordType.Samples: {
        decodeSamples(rec, batch);
        const vals: string[] = [];
        for (let i = 0; i < batch.length; i++) {
          const bits = new BigUint64Array(batch.vs.buffer, i * 8, 1)[0]!;
          vals.push(
            `${batch.refs[i]}@${batch.ts[i]}=${bits === STALE_NAN ? 'stale' : batch.vs[i]}`,
          );
        }
        out.push(`${from} samples ${vals}`);
        break;
      }
      case RecordType.Tombstones:
        out.push(
          `${from} tombstones ${decodeTombstones(rec).map((s) => `${s.ref}:${s.mint}-${s.maxt}`)}`,
        );
        break;
      default:
        out.push(`${from} unknown`);
    }
  }
  reader.close();
  return out;
}

const live = (ref: number) => ref % 2 === 0;

test('a checkpoint keeps live series and recent samples, and replay reads it before later segments', async (t) => {
  const dir = tempDir(t);
  const wal = Wal.open(dir, { segmentSize: 2 * PAGE_SIZE });
  wal.log(seriesRec([1, 2, 3, 4]));
  wal.log(samplesRec([1, 2, 3, 4], 100), stonesRec([{ ref: 3, mint: 0, maxt: 900 }]));
  wal.log(Uint8Array.of(6, 1, 2)); // a kind we do not decode (Prometheus metadata)
  wal.nextSegment();
  wal.log(new Uint8Array(40_000).fill(RecordType.Unknown));
  wal.log(samplesRec([1, 2, 3, 4], 600), seriesRec([5, 6]));
  wal.log(
    stonesRec([
      { ref: 4, mint: 0, maxt: 400 },
      { ref: 4, mint: 0, maxt: 700 },
    ]),
  );
  const current = wal.nextSegment();
  assert.equal(current, 2);
  wal.log(samplesRec([5, 6], 1000));
  await wal.sync();
  mkdirSync(join(dir, 'checkpoint.00000000.tmp')); // left by a crashed checkpoint

  const stats = await checkpoint(dir, { toSegment: current - 1, keepSeries: live, minTime: 500 });
  assert.deepEqual(stats, {
    path: join(dir, 'checkpoint.00000001'),
    totalSeries: 6,
    droppedSeries: 3,
    totalSamples: 8,
    droppedSamples: 4,
    totalTombstones: 3,
    droppedTombstones: 2,
    droppedUnknown: 2,
    deletedSegments: [0, 1],
  });
  assert.deepEqual(readdirSync(dir).sort(), ['00000002', 'checkpoint.00000001']);
  assert.deepEqual(replay(dir), [
    'cp series 2,4',
    'cp samples 1@600=1.6,2@600=stale,3@600=3.6,4@600=4.6',
    'cp series 6',
    'cp tombstones 4:0-700',
    'seg2 samples 5@1000=6,6@1000=7',
  ]);

  // A second checkpoint folds the first one in and replaces it.
  wal.log(samplesRec([2, 6], 2000));
  const next = wal.nextSegment();
  wal.log(samplesRec([6], 3000));
  await wal.sync();
  const again = await checkpoint(dir, {
    toSegment: next - 1,
    keepSeries: (r) => r === 6,
    minTime: 1000,
  });
  assert.deepEqual(again.deletedSegments, [2]);
  assert.deepEqual(readdirSync(dir).sort(), ['00000003', 'checkpoint.00000002']);
  assert.deepEqual(replay(dir), [
    'cp series 6',
    'cp samples 5@1000=6,6@1000=7',
    'cp samples 2@2000=stale,6@2000=8',
    'seg3 samples 6@3000=9',
  ]);
  await wal.close();
});

test('segments a crash left at or below the checkpoint are skipped by replay', async (t) => {
  const dir = tempDir(t);
  const wal = Wal.open(dir);
  wal.log(seriesRec([2]));
  wal.nextSegment();
  wal.log(samplesRec([2], 700));
  await wal.close();
  copyFileSync(join(dir, '00000000'), join(dir, 'kept'));
  await checkpoint(dir, { toSegment: 0, keepSeries: live, minTime: 0 });
  // As if the crash came between the rename and the deletion of segment 0.
  copyFileSync(join(dir, 'kept'), join(dir, '00000000'));
  rmSync(join(dir, 'kept'));
  assert.deepEqual(replay(dir), ['cp series 2', 'seg1 samples 2@700=stale']);
});

test('a WAL checkpointed to its last segment reopens after the checkpoint', async (t) => {
  const dir = tempDir(t);
  const wal = Wal.open(dir);
  wal.log(seriesRec([2]));
  await wal.close();
  await checkpoint(dir, { toSegment: 0, keepSeries: live, minTime: 0 });
  assert.deepEqual(readdirSync(dir), ['checkpoint.00000000']);
  const reopened = Wal.open(dir);
  assert.equal(reopened.segment, 1);
  reopened.log(samplesRec([2], 5));
  await reopened.close();
  assert.deepEqual(replay(dir), ['cp series 2', 'seg1 samples 2@5=stale']);
});

test('checkpoint refuses bad ranges and leaves the WAL as it was on corruption', async (t) => {
  const dir = tempDir(t);
  const wal = Wal.open(dir);
  wal.log(seriesRec([2]));
  wal.nextSegment();
  wal.log(samplesRec([2], 10));
  wal.nextSegment();
  await wal.close();
  const opts = { keepSeries: live, minTime: 0 };
  await assert.rejects(
    checkpoint(dir, { ...opts, toSegment: 7 }),
    /segment 00000007 does not exist/,
  );
  await checkpoint(dir, { ...opts, toSegment: 0 });
  await assert.rejects(checkpoint(dir, { ...opts, toSegment: 0 }), CheckpointError);
  await assert.rejects(
    checkpoint(dir, { ...opts, fromSegment: 2, toSegment: 2 }),
    /segments 00000001\.\.00000001 would be lost/,
  );

  writeFileSync(join(dir, '00000001'), Uint8Array.of(1, 0, 1, 0, 0, 0, 0, 9));
  const before = readdirSync(dir).sort();
  await assert.rejects(checkpoint(dir, { ...opts, toSegment: 1 }), WalCorruptionError);
  assert.deepEqual(readdirSync(dir).sort(), before);
});
