import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { WalCorruptionError, WalRepairError, WalUnsupportedError } from './errors.js';
import { COMPRESSION_MASK, PAGE_SIZE, segmentName } from './layout.js';
import { WalReader } from './reader.js';
import { repair } from './repair.js';
import { WalStats } from './stats.js';
import { Wal } from './wal.js';
import { rng } from '../../../../test/harness/temp.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-wal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Record `seq`: its number in the first 4 bytes, then noise. */
function record(rand: () => number, seq: number, size: number): Uint8Array {
  const rec = new Uint8Array(Math.max(size, 4));
  for (let i = 4; i < rec.length; i++) rec[i] = (rand() * 256) | 0;
  new DataView(rec.buffer).setUint32(0, seq);
  return rec;
}

interface Span {
  segment: number;
  offset: number;
  end: number;
  rec: Uint8Array;
}

/** Every record with where it lies. */
function spans(dir: string): Span[] {
  const reader = WalReader.open(dir);
  const out: Span[] = [];
  for (const rec of reader) {
    out.push({ segment: reader.segment, offset: reader.offset, end: reader.end, rec: rec.slice() });
  }
  reader.close();
  return out;
}

/** Reads until the end or the first error; returns the records and the error. */
function readUntilError(dir: string, stats?: WalStats): { recs: Uint8Array[]; err: unknown } {
  const reader = WalReader.open(dir, { stats });
  const recs: Uint8Array[] = [];
  try {
    for (const rec of reader) recs.push(rec.slice());
    return { recs, err: null };
  } catch (err) {
    return { recs, err };
  } finally {
    reader.close();
  }
}

/** 256 KiB: small enough for several segments, large enough for several records in the last. */
const SEGMENT_SIZE = 8 * PAGE_SIZE;

/** 200 records of 4 B – 60 KB, ending with one of `lastSize` bytes. */
async function writeWal(dir: string, rand: () => number, lastSize: number): Promise<void> {
  const wal = Wal.open(dir, { segmentSize: SEGMENT_SIZE });
  for (let seq = 0; seq < 199; seq++) {
    const r = rand();
    const size =
      r < 0.8 ? 4 + rand() * 2000 : r < 0.95 ? 2000 + rand() * 18_000 : 33_000 + rand() * 27_000;
    wal.log(record(rand, seq, size | 0));
  }
  wal.log(record(rand, 199, lastSize));
  // Simulate a crash: the bytes are in the files, the last page is not padded.
  await wal.sync();
  await wal.close().catch(() => {});
}

/** After repair, a reopened WAL appends and everything reads back cleanly. */
async function appendAfterRepair(dir: string, rand: () => number, before: Uint8Array[]) {
  const wal = Wal.open(dir, { segmentSize: SEGMENT_SIZE });
  const added = [record(rand, 1000, 50), record(rand, 1001, 40_000)];
  wal.log(...added);
  await wal.close();
  const { recs, err } = readUntilError(dir);
  assert.equal(err, null);
  assert.deepEqual(recs, [...before, ...added]);
}

test('a torn tail at 25 random positions: intact records, the exact damage, a clean repair', async (t) => {
  const base = tempDir(t);
  const rand = rng(11);
  await writeWal(base, rand, 45_000);
  // Close pads the page; cut the padding off again so the tail looks like a crash's.
  const all = spans(base);
  const last = all.at(-1)!.segment;
  const lastPath = join(base, segmentName(last));
  truncateSync(lastPath, all.at(-1)!.end);
  const size = statSync(lastPath).size;
  assert.ok(all.filter((s) => s.segment === last).length >= 3, 'last segment holds a few records');

  const cuts = Array.from({ length: 25 }, () => Math.floor(rand() * size));
  let torn = 0;
  for (const cut of cuts) {
    const dir = join(tempDir(t), 'wal');
    cpSync(base, dir, { recursive: true });
    truncateSync(join(dir, segmentName(last)), cut);
    const intact = all.filter((s) => s.segment < last || s.end <= cut).map((s) => s.rec);
    const damaged = all.find((s) => s.segment === last && s.offset < cut && cut < s.end);

    const stats = new WalStats();
    const { recs, err } = readUntilError(dir, stats);
    assert.deepEqual(recs, intact, `cut at ${cut}`);
    if (!damaged) {
      assert.equal(err, null, `cut at ${cut} is on a record boundary or in padding`);
    } else {
      assert.ok(err instanceof WalCorruptionError, `cut at ${cut}: ${String(err)}`);
      torn++;
      assert.equal(err.segment, last);
      assert.equal(err.offset, damaged.offset, `cut at ${cut}: ${err.message}`);
      assert.equal(err.dir, dir);
      assert.equal(stats.corruptions, 1);
      assert.deepEqual(repair(dir, err), {
        segment: last,
        offset: damaged.offset,
        deletedSegments: [],
      });
    }
    await appendAfterRepair(dir, rand, intact);
  }
  // Most cuts land inside a record (the rest on a boundary or in padding).
  assert.ok(torn >= 20, `only ${torn} cuts tore a record`);
});

test('random bytes flipped in the last record, small or multi-page, are found and repaired', async (t) => {
  for (const lastSize of [300, 45_000]) {
    const base = tempDir(t);
    const rand = rng(lastSize);
    await writeWal(base, rand, lastSize);
    const all = spans(base);
    const lastRec = all.at(-1)!;
    const intact = all.slice(0, -1).map((s) => s.rec);
    const path = (dir: string) => join(dir, segmentName(lastRec.segment));

    let repaired = 0;
    for (let k = 0; k < 12; k++) {
      const dir = join(tempDir(t), 'wal');
      cpSync(base, dir, { recursive: true });
      const at = lastRec.offset + Math.floor(rand() * (lastRec.end - lastRec.offset));
      const bytes = readFileSync(path(dir));
      const flipped = bytes[at]! ^ (1 + Math.floor(rand() * 255));
      const fd = openSync(path(dir), 'r+');
      writeSync(fd, Uint8Array.of(flipped), 0, 1, at);
      closeSync(fd);

      const { recs, err } = readUntilError(dir);
      assert.deepEqual(recs, intact, `flip at ${at}`);
      const isTypeByte = at === lastRec.offset || at % PAGE_SIZE === 0;
      if (err instanceof WalUnsupportedError) {
        // A type byte that gained a compression bit reads as an intact compressed fragment.
        assert.ok(
          isTypeByte && (flipped & COMPRESSION_MASK) !== 0,
          `flip at ${at}: ${err.message}`,
        );
        continue;
      }
      assert.ok(err instanceof WalCorruptionError, `flip at ${at} to ${flipped}: ${String(err)}`);
      assert.equal(err.segment, lastRec.segment);
      assert.equal(err.offset, lastRec.offset, `flip at ${at}: ${err.message}`);
      repair(dir, err);
      await appendAfterRepair(dir, rand, intact);
      repaired++;
    }
    assert.ok(repaired >= 10, `only ${repaired} of 12 flips read as corruption`);
  }
});

test('damage in a middle segment drops it from there and every later segment', async (t) => {
  const dir = tempDir(t);
  const rand = rng(5);
  await writeWal(dir, rand, 10);
  const all = spans(dir);
  const victim = all.find((s) => s.segment === 2 && s.offset > 0)!;
  const fd = openSync(join(dir, segmentName(2)), 'r+');
  writeSync(fd, Uint8Array.of(0xff), 0, 1, victim.end - 1);
  closeSync(fd);

  const { recs, err } = readUntilError(dir);
  const intact = all.slice(0, all.indexOf(victim)).map((s) => s.rec);
  assert.deepEqual(recs, intact);
  assert.ok(err instanceof WalCorruptionError);
  assert.match(
    err.message,
    /^cannot read WAL record: checksum mismatch: .* in segment .*00000002 at offset \d+$/,
  );
  const last = all.at(-1)!.segment;
  const result = repair(dir, err);
  assert.deepEqual(
    result.deletedSegments,
    Array.from({ length: last - 2 }, (_, i) => i + 3),
  );
  assert.equal(statSync(join(dir, segmentName(2))).size, victim.offset);
  await appendAfterRepair(dir, rand, intact);
});

/** A fragment header plus data, with a correct CRC unless `crc` is given. */
function frag(type: number, data: number[], crc?: number): number[] {
  const h = Buffer.alloc(7);
  h[0] = type;
  h.writeUInt16BE(data.length, 1);
  h.writeUInt32BE(crc ?? crc32c(Uint8Array.from(data)), 3);
  return [...h, ...data];
}

test('hand-made segments: garbage, zero-length fragments and bad sequences', (t) => {
  const dir = tempDir(t);
  const f = (bytes: number[], records: number, error?: [number, RegExp]) => {
    writeFileSync(join(dir, '00000000'), Uint8Array.from(bytes));
    const { recs, err } = readUntilError(dir);
    assert.equal(recs.length, records, String(err));
    if (!error) return assert.equal(err, null);
    assert.ok(err instanceof WalCorruptionError, String(err));
    assert.equal(err.offset, error[0], err.message);
    assert.match(err.reason, error[1]);
  };
  const ok = frag(1, [1, 2, 3]);
  const fillPage = (at: number) => frag(2, new Array<number>(PAGE_SIZE - at - 7).fill(9));
  f([...ok, ...new Array<number>(90).fill(0)], 1);
  f([...ok, ...frag(1, [])], 2); // an empty record is legal
  f([...ok, ...new Array<number>(2 * PAGE_SIZE).fill(0)], 1); // zero pages: padding
  f([...ok, ...frag(4, [])], 1, [10, /never started/]);
  f([...ok, ...frag(2, [])], 1, [10, /ends before its page/]);
  f([...ok, 0, 0, 0, 0, 0, ...ok], 1, [10, /non-zero byte at 15 in page padding/]);
  f(frag(1, [1, 2, 3], 12345), 0, [0, /checksum mismatch/]);
  f(ok.slice(0, 8), 0, [0, /truncated fragment: 3 bytes, 1 left/]);
  f(ok.slice(0, 5), 0, [0, /truncated fragment header/]);
  f([...ok, 1, 0x80, 0, 0, 0, 0, 0], 1, [10, /overruns its page/]);
  f([...ok, ...frag(0x21, [1])], 1, [10, /invalid fragment type byte 0x21/]);
  f([...ok, ...frag(0x08, [1])], 1, [10, /invalid fragment type byte 0x8/]);
  f(fillPage(0), 0, [0, /torn at the end of the segment/]);
  f([...fillPage(0), ...new Array<number>(100).fill(0)], 0, [0, /padding inside a record/]);
  f([...fillPage(0), ...frag(4, [])], 0, [0, /empty middle or last/]);
  f([...fillPage(0), ...ok], 0, [0, /restarts before its last fragment/]);
  f(new Array<number>(10).fill(0xff), 0, [0, /truncated fragment header|overruns/]);

  writeFileSync(join(dir, '00000000'), Uint8Array.from([...ok, ...frag(0x09, [7])]));
  const { recs, err } = readUntilError(dir);
  assert.equal(recs.length, 1);
  assert.ok(err instanceof WalUnsupportedError, String(err));
  assert.equal(err.offset, 10);
  assert.throws(() => repair(dir, err), WalRepairError);
});

test('repair refuses what it cannot cut', (t) => {
  const dir = tempDir(t);
  const cp = join(dir, 'checkpoint.00000003');
  mkdirSync(cp);
  writeFileSync(join(cp, '00000000'), Uint8Array.from(frag(1, [1], 7)));
  writeFileSync(join(dir, '00000004'), Uint8Array.from(frag(1, [1])));
  const { recs, err } = readUntilError(dir);
  assert.equal(recs.length, 0);
  assert.ok(err instanceof WalCorruptionError);
  assert.equal(err.dir, cp);
  assert.throws(
    () => repair(dir, err),
    /cannot repair WAL .*: the damage is in .*checkpoint\.00000003/,
  );
  assert.throws(() => repair(dir, new Error('disk on fire')), WalRepairError);
  assert.throws(
    () => repair(dir, new WalCorruptionError(dir, 9, 0, 'x')),
    /segment 00000009 does not exist/,
  );
});
