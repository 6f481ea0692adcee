import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../../model/labels.js';
import { ensureCapacity } from './buffer.js';
import { SampleBatch } from './sample-batch.js';
import { decodeSamples, encodeSamples, samplesRecordSize } from './samples.js';
import { decodeSeries, encodeSeries, seriesRecordSize, type RefSeries } from './series.js';
import {
  decodeTombstones,
  encodeTombstones,
  tombstonesRecordSize,
  type Tombstone,
} from './tombstones.js';
import { RecordDecodeError, recordType, RecordType } from './types.js';

const STALE_NAN = 0x7ff0000000000002n;

function encode(size: number, fn: (buf: Uint8Array, off: number) => number): Uint8Array {
  // Start at a non-zero offset in a dirty buffer: encoders must append, not assume a fresh one.
  const buf = new Uint8Array(size + 3).fill(0xee);
  const end = fn(buf, 3);
  assert.ok(end <= size + 3, `encoded ${end - 3} bytes, bound was ${size}`);
  return buf.slice(3, end);
}

function be64(v: bigint): number[] {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, v));
  return [...b];
}

function bits(batch: SampleBatch, i: number): bigint {
  return new BigUint64Array(batch.vs.buffer, i * 8, 1)[0]!;
}

function setBits(batch: SampleBatch, i: number, v: bigint): void {
  new BigUint64Array(batch.vs.buffer, i * 8, 1)[0] = v;
}

test('Series records have the exact bytes Prometheus writes', () => {
  const rec = encode(64, (buf, off) =>
    encodeSeries(buf, off, [{ ref: 1, labels: Labels.fromRecord({ job: 'a', __name__: 'up' }) }]),
  );
  const ascii = (s: string) => [...Buffer.from(s)];
  assert.deepEqual(
    [...rec],
    [1, ...be64(1n), 2, 8, ...ascii('__name__'), 2, ...ascii('up'), 3, ...ascii('job'), 1, 97],
  );
});

test('Series records round-trip, including non-ASCII and values longer than a WAL page', () => {
  const f = (series: RefSeries[]) => {
    const rec = encode(seriesRecordSize(series), (buf, off) => encodeSeries(buf, off, series));
    assert.equal(recordType(rec), RecordType.Series);
    const got = decodeSeries(rec);
    assert.deepEqual(
      got.map((s) => [s.ref, s.labels.key]),
      series.map((s) => [s.ref, s.labels.key]),
    );
  };
  f([]);
  f([{ ref: 0, labels: Labels.EMPTY }]);
  f([
    { ref: 1, labels: Labels.fromRecord({ __name__: 'up', job: 'node' }) },
    { ref: 2 ** 53 - 1, labels: Labels.fromRecord({ __name__: 'température', lieu: 'Zürich 🌡' }) },
    { ref: 77, labels: Labels.fromRecord({ __name__: 'big', blob: 'x'.repeat(40_000) + 'é' }) },
  ]);
});

test('Samples records have the exact bytes Prometheus writes, NaN payloads included', () => {
  const batch = new SampleBatch(1);
  batch.push(5, 1000, 1.5);
  batch.push(4, 990, 0);
  setBits(batch, 1, STALE_NAN);
  const rec = encode(samplesRecordSize(2), (buf, off) => encodeSamples(buf, off, batch));
  assert.deepEqual(
    [...rec],
    [
      2,
      ...be64(5n),
      ...be64(1000n),
      0,
      0,
      ...be64(0x3ff8000000000000n),
      1, // zig-zag -1
      19, // zig-zag -10
      ...be64(STALE_NAN),
    ],
  );
});

test('Samples round-trip every value bit pattern and wide refs and timestamps', () => {
  const patterns = [
    STALE_NAN,
    0x7ff8000000000000n, // the NaN V8 produces
    0xfff8000000000001n,
    0x7ff0000000000000n, // +Inf
    0x8000000000000000n, // -0
    0x0000000000000001n, // smallest subnormal
    0x3fb999999999999an, // 0.1
  ];
  const batch = new SampleBatch(2);
  // Deltas to the first sample reach ±2^51: zig-zag varints are exact up to |delta| ≤ 2^52.
  const times = [1_700_000_000_000, -5, 2 ** 51, -(2 ** 51), 0, 1, 1_700_000_000_001];
  for (let i = 0; i < patterns.length; i++) {
    batch.push(i === 2 ? 2 ** 40 : 100 - i, times[i]!, 0);
    setBits(batch, i, patterns[i]!);
  }
  const rec = encode(samplesRecordSize(batch.length), (buf, off) => encodeSamples(buf, off, batch));
  const out = decodeSamples(rec, new SampleBatch(1));
  assert.equal(out.length, patterns.length);
  for (let i = 0; i < patterns.length; i++) {
    assert.equal(bits(out, i), patterns[i], `value ${i}`);
    assert.equal(out.refs[i], batch.refs[i]);
    assert.equal(out.ts[i], times[i]);
  }

  out.retain((ref) => ref !== 99);
  assert.equal(out.length, patterns.length - 1);
  assert.equal(bits(out, 0), STALE_NAN);
  assert.equal(bits(out, 1), patterns[2]);

  const empty = encode(samplesRecordSize(0), (buf, off) =>
    encodeSamples(buf, off, new SampleBatch()),
  );
  assert.deepEqual([...empty], [RecordType.Samples]);
  assert.equal(decodeSamples(empty, out).length, 0);
});

test('a large Samples batch encodes into a buffer grown by ensureCapacity', () => {
  const batch = new SampleBatch(4);
  for (let i = 0; i < 5000; i++) batch.push(i % 300, 1_700_000_000_000 + (i >> 4), i / 7);
  let buf: Uint8Array = new Uint8Array(16);
  buf = ensureCapacity(buf, 0, samplesRecordSize(batch.length));
  const rec = buf.subarray(0, encodeSamples(buf, 0, batch));
  const out = decodeSamples(rec, new SampleBatch());
  assert.deepEqual(out.vs.subarray(0, out.length), batch.vs.subarray(0, batch.length));
  assert.deepEqual(out.refs.subarray(0, out.length), batch.refs.subarray(0, batch.length));
});

test('Tombstones round-trip', () => {
  const stones: Tombstone[] = [
    { ref: 7, mint: -(2 ** 50), maxt: 2 ** 50 },
    { ref: 7, mint: 10, maxt: 20 },
    { ref: 2 ** 33, mint: 0, maxt: 0 },
  ];
  const rec = encode(tombstonesRecordSize(stones.length), (buf, off) =>
    encodeTombstones(buf, off, stones),
  );
  assert.equal(recordType(rec), RecordType.Tombstones);
  assert.deepEqual(decodeTombstones(rec), stones);
});

test('decoders reject damaged records with the offset of the bad field', () => {
  const f = (run: () => unknown, offset: number, reason: RegExp) =>
    assert.throws(run, (err: unknown) => {
      assert.ok(err instanceof RecordDecodeError, String(err));
      assert.equal(err.offset, offset, err.message);
      assert.match(err.reason, reason);
      assert.match(err.message, /^cannot decode \w+ record: /);
      return true;
    });
  const batch = new SampleBatch();
  batch.push(1, 1000, 1);
  batch.push(2, 1001, 2);
  const samples = encode(samplesRecordSize(2), (buf, off) => encodeSamples(buf, off, batch));
  f(() => decodeSamples(samples.subarray(0, samples.length - 1), batch), 29, /truncated value/);
  f(() => decodeSamples(samples.subarray(0, 10), batch), 1, /truncated header/);
  const badVarint = Uint8Array.from([...samples.subarray(0, 17), 0x80]);
  f(() => decodeSamples(badVarint, batch), 17, /varint/);
  f(() => decodeSamples(Uint8Array.of(1), batch), 0, /type byte is 1, want 2/);
  f(() => decodeSamples(new Uint8Array(0), batch), 0, /empty/);
  const huge = Uint8Array.from([2, 0xff, ...new Array<number>(15).fill(0)]);
  f(() => decodeSamples(huge, batch), 1, /exceeds 2\^53/);

  const series = encode(64, (buf, off) =>
    encodeSeries(buf, off, [{ ref: 3, labels: Labels.fromRecord({ a: 'bcd' }) }]),
  );
  f(() => decodeSeries(series.subarray(0, series.length - 1)), 13, /truncated string/);
  f(() => decodeSeries(series.subarray(0, 5)), 1, /truncated series ref/);
  const duplicate = Uint8Array.from([1, ...be64(3n), 2, 1, 97, 1, 98, 1, 97, 1, 99]);
  f(() => decodeSeries(duplicate), 1, /bad label set of ref 3/);

  const stones = encode(32, (buf, off) =>
    encodeTombstones(buf, off, [{ ref: 1, mint: 300, maxt: 400 }]),
  );
  f(() => decodeTombstones(stones.subarray(0, stones.length - 1)), 11, /varint/);
});

test('unsorted label sets from other writers are sorted on decode', () => {
  const rec = Uint8Array.from([1, ...be64(9n), 2, 1, 122, 1, 49, 1, 97, 1, 50]);
  const [s] = decodeSeries(rec);
  assert.equal(s!.labels.toString(), '{a="2", z="1"}');
});

test('recordType names unknown kinds Unknown', () => {
  assert.equal(recordType(Uint8Array.of(5, 0)), RecordType.Unknown);
  assert.equal(recordType(new Uint8Array(0)), RecordType.Unknown);
});
