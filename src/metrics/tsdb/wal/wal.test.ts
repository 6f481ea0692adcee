import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { Labels } from '../../model/labels.js';
import { SampleBatch } from '../record/sample-batch.js';
import { decodeSamples, encodeSamples, samplesRecordSize } from '../record/samples.js';
import { decodeSeries, encodeSeries, seriesRecordSize, type RefSeries } from '../record/series.js';
import { decodeTombstones, encodeTombstones, tombstonesRecordSize } from '../record/tombstones.js';
import { recordType, RecordType } from '../record/types.js';
import { WalClosedError } from './errors.js';
import { PAGE_SIZE, segmentName } from './layout.js';
import { WalReader } from './reader.js';
import { Wal } from './wal.js';
import { rng } from '../../../../test/harness/temp.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-wal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function record(rand: () => number, size: number): Uint8Array {
  const rec = new Uint8Array(size);
  for (let i = 0; i < size; i++) rec[i] = (rand() * 256) | 0;
  return rec;
}

function readAll(dir: string): Uint8Array[] {
  const reader = WalReader.open(dir);
  try {
    const out: Uint8Array[] = [];
    for (const rec of reader) out.push(rec.slice());
    return out;
  } finally {
    reader.close();
  }
}

function segmentFile(dir: string, i: number): Buffer {
  return readFileSync(join(dir, segmentName(i)));
}

test('records of every type round-trip, a Series record larger than a page included', async (t) => {
  const dir = tempDir(t);
  const wal = Wal.open(dir);
  const series: RefSeries[] = [];
  for (let i = 0; i < 300; i++) {
    const labels = Labels.fromRecord({ __name__: 'm', i: String(i), pad: 'p'.repeat(100 + i) });
    series.push({ ref: i + 1, labels });
  }
  const seriesRec = new Uint8Array(seriesRecordSize(series));
  const seriesLen = encodeSeries(seriesRec, 0, series);
  assert.ok(seriesLen > 2 * PAGE_SIZE, `series record is ${seriesLen} bytes`);

  const batch = new SampleBatch();
  for (let i = 0; i < 1000; i++) batch.push((i % 300) + 1, 1_700_000_000_000 + i, i * 0.25);
  new BigUint64Array(batch.vs.buffer, 8 * 7, 1)[0] = 0x7ff0000000000002n;
  const samplesRec = new Uint8Array(samplesRecordSize(batch.length));
  const samplesLen = encodeSamples(samplesRec, 0, batch);
  const stonesRec = new Uint8Array(tombstonesRecordSize(1));
  const stonesLen = encodeTombstones(stonesRec, 0, [{ ref: 3, mint: 10, maxt: 20 }]);
  const unknown = Uint8Array.of(5, 1, 2, 3);

  wal.log(seriesRec.subarray(0, seriesLen), samplesRec.subarray(0, samplesLen));
  wal.log(stonesRec.subarray(0, stonesLen), unknown, new Uint8Array(0));
  // Readable before sync() or close(): log() has handed the bytes to the kernel.
  const recs = readAll(dir);
  await wal.close();

  assert.deepEqual(recs.map(recordType), [1, 2, 3, RecordType.Unknown, RecordType.Unknown]);
  assert.deepEqual(
    decodeSeries(recs[0]!).map((s) => [s.ref, s.labels.key]),
    series.map((s) => [s.ref, s.labels.key]),
  );
  const back = decodeSamples(recs[1]!, new SampleBatch());
  assert.deepEqual(back.ts.subarray(0, 1000), batch.ts.subarray(0, 1000));
  assert.equal(new BigUint64Array(back.vs.buffer, 8 * 7, 1)[0], 0x7ff0000000000002n);
  assert.deepEqual(decodeTombstones(recs[2]!), [{ ref: 3, mint: 10, maxt: 20 }]);
  assert.deepEqual([...recs[3]!], [...unknown]);
  assert.equal(recs[4]!.length, 0);
});

test('fragments are laid out byte for byte as Prometheus lays them out', async (t) => {
  const rand = rng(1);
  const f = async (sizes: number[], check: (seg: Buffer) => void) => {
    const dir = tempDir(t);
    const wal = Wal.open(dir, { segmentSize: 2 * PAGE_SIZE });
    const recs = sizes.map((n) => record(rand, n));
    for (const r of recs) wal.log(r);
    await wal.close();
    check(segmentFile(dir, 0));
    assert.deepEqual(readAll(dir), recs);
  };
  const header = (seg: Buffer, at: number, type: number, len: number, data?: Uint8Array) => {
    assert.equal(seg[at], type, `type at ${at}`);
    assert.equal(seg.readUInt16BE(at + 1), len, `length at ${at}`);
    if (data) assert.equal(seg.readUInt32BE(at + 3), crc32c(data), `crc at ${at}`);
  };
  // Two records that fill the first page exactly, then one in the second page.
  await f([PAGE_SIZE - 24, 10, 100], (seg) => {
    header(seg, 0, 1, PAGE_SIZE - 24);
    header(seg, PAGE_SIZE - 17, 1, 10);
    header(seg, PAGE_SIZE, 1, 100);
    assert.equal(seg.length, 2 * PAGE_SIZE, 'close() pads the last page');
  });
  // Exactly 7 bytes left: the next record starts there with an empty First fragment.
  await f([PAGE_SIZE - 14, 20], (seg) => {
    header(seg, PAGE_SIZE - 7, 2, 0, new Uint8Array(0));
    header(seg, PAGE_SIZE, 4, 20);
  });
  // 6 bytes left: too few for a header, so they are zero padding.
  await f([PAGE_SIZE - 13, 20], (seg) => {
    assert.deepEqual([...seg.subarray(PAGE_SIZE - 6, PAGE_SIZE)], [0, 0, 0, 0, 0, 0]);
    header(seg, PAGE_SIZE, 1, 20);
  });
  // A record over a page: First fills the rest of page 0, Last continues page 1.
  await f([100, 40_000], (seg) => {
    header(seg, 107, 2, PAGE_SIZE - 114);
    header(seg, PAGE_SIZE, 4, 40_000 - (PAGE_SIZE - 114));
  });
});

test('a record that does not fit the segment starts the next; one larger than a segment gets its own', async (t) => {
  const dir = tempDir(t);
  const rand = rng(2);
  const wal = Wal.open(dir, { segmentSize: 2 * PAGE_SIZE });
  const recs = [record(rand, 40_000), record(rand, 30_000), record(rand, 100_000), record(rand, 5)];
  for (const r of recs) wal.log(r);
  assert.equal(wal.segment, 3);
  await wal.close();
  assert.deepEqual(readdirSync(dir).sort(), ['00000000', '00000001', '00000002', '00000003']);
  assert.equal(statSync(join(dir, '00000000')).size, 2 * PAGE_SIZE);
  assert.equal(segmentFile(dir, 1)[0], 1, 'the 30 000-byte record starts segment 1 whole');
  assert.ok(statSync(join(dir, '00000002')).size > 2 * PAGE_SIZE);
  assert.equal(statSync(join(dir, '00000003')).size, PAGE_SIZE, 'segment 2 was over-full');
  assert.deepEqual(readAll(dir), recs);
});

test('many small records in batches cross pages and segments and read back in order', async (t) => {
  const dir = tempDir(t);
  const rand = rng(3);
  const segmentSize = 3 * PAGE_SIZE;
  const wal = Wal.open(dir, { segmentSize });
  const recs: Uint8Array[] = [];
  while (recs.length < 20_000) {
    const batch = Array.from({ length: 1 + ((rand() * 50) | 0) }, () =>
      record(rand, (rand() * 300) | 0),
    );
    wal.log(...batch);
    recs.push(...batch);
  }
  assert.deepEqual(wal.segmentRange(), { first: 0, last: wal.segment });
  assert.ok(wal.segment > 20, `only ${wal.segment + 1} segments`);
  await wal.close();
  for (const name of readdirSync(dir)) {
    assert.equal(statSync(join(dir, name)).size, segmentSize, `segment ${name}`);
  }
  assert.deepEqual(readAll(dir), recs);
  assert.equal(wal.stats.recordsLogged, recs.length);
});

test('open() starts a new segment after the last; a crashed, unpadded tail reads the same', async (t) => {
  const dir = tempDir(t);
  const rand = rng(4);
  const recs = [record(rand, 100), record(rand, 50_000)];
  const first = Wal.open(dir);
  first.log(recs[0]!);
  first.log(recs[1]!);
  // Abandoned without close(), as after kill -9: segment 0 ends mid-page.
  assert.notEqual(statSync(join(dir, '00000000')).size % PAGE_SIZE, 0);
  const second = Wal.open(dir);
  assert.equal(second.segment, 1);
  recs.push(record(rand, 10));
  second.log(recs[2]!);
  await second.close();
  const third = Wal.open(dir);
  assert.equal(third.segment, 2);
  await third.close();
  assert.deepEqual(third.segmentRange(), { first: 0, last: 2 });
  assert.deepEqual(readAll(dir), recs);
  await first.close();
});

test('sync() shares one fsync among concurrent callers and skips it when nothing is new', async (t) => {
  const dir = tempDir(t);
  const wal = Wal.open(dir);
  t.after(() => wal.close());
  wal.log(Uint8Array.of(1));
  const base = wal.stats.fsyncs;
  await Promise.all(Array.from({ length: 10 }, () => wal.sync()));
  assert.equal(wal.stats.fsyncs, base + 1);

  await wal.sync();
  assert.equal(wal.stats.fsyncs, base + 1, 'nothing logged since: no fsync');

  // Callers arriving while an fsync runs share the next one.
  wal.log(Uint8Array.of(2));
  const running = wal.sync();
  wal.log(Uint8Array.of(3));
  const waiting = Array.from({ length: 10 }, () => wal.sync());
  assert.equal(new Set(waiting).size, 1);
  await Promise.all([running, ...waiting]);
  assert.equal(wal.stats.fsyncs, base + 3);
  assert.equal(wal.stats.fsyncFailures, 0);
  assert.ok(wal.stats.fsyncSeconds > 0);
});

test('nextSegment() rotates; a closed WAL refuses work', async (t) => {
  const dir = tempDir(t);
  const wal = Wal.open(dir);
  wal.log(Uint8Array.of(1, 2, 3));
  assert.equal(wal.nextSegment(), 1);
  wal.log(Uint8Array.of(4));
  await wal.sync();
  await Promise.all([wal.close(), wal.close()]);
  assert.equal(statSync(join(dir, '00000000')).size, PAGE_SIZE);
  assert.throws(() => wal.log(Uint8Array.of(5)), WalClosedError);
  await assert.rejects(wal.sync(), WalClosedError);
  assert.deepEqual(
    readAll(dir).map((r) => [...r]),
    [[1, 2, 3], [4]],
  );
  assert.throws(() => Wal.open(dir, { segmentSize: 1000 }), /not a positive multiple of 32768/);
});
