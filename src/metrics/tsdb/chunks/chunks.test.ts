import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkReader } from './chunk-reader.js';
import { ChunkWriter } from './chunk-writer.js';
import { ChunkCorruptError, ChunkWriteError } from './errors.js';
import { FileWindow } from './file-window.js';
import { chunkRef, refOffset, refSegment, segmentFileName } from './format.js';
import { openSync, closeSync, fstatSync } from 'node:fs';
import { tempDir } from '../../../../test/harness/temp.js';

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}

/** Writes `sizes.length` chunks and returns their refs. */
function writeChunks(dir: string, sizes: number[], segmentSize?: number): number[] {
  const w = new ChunkWriter(dir, { segmentSize });
  const refs = sizes.map((n, i) => w.write(1 + (i % 3), bytes(n, i)));
  w.close();
  return refs;
}

test('chunk refs pack segment index and offset', () => {
  const f = (seg: number, off: number) => {
    const ref = chunkRef(seg, off);
    assert.equal(refSegment(ref), seg);
    assert.equal(refOffset(ref), off);
  };
  f(0, 8);
  f(1, 8);
  f(3, 2 ** 32 - 1);
  f(2 ** 20, 12345);
  assert.equal(chunkRef(1, 8), 2 ** 32 + 8);
  assert.equal(segmentFileName(0), '000001');
  assert.equal(segmentFileName(41), '000042');
});

test('chunks round-trip through one segment with the Prometheus framing', (t) => {
  const dir = tempDir(t, 'vigil-chunks-');
  const refs = writeChunks(dir, [0, 1, 127, 128, 300]);
  assert.deepEqual(readdirSync(dir), ['000001']);
  // Header, then uvarint length, encoding byte, data, CRC.
  assert.deepEqual(refs, [8, 8 + 6, 14 + 7, 21 + 133, 154 + 135]);
  const file = readFileSync(join(dir, '000001'));
  assert.deepEqual([...file.subarray(0, 8)], [0x85, 0xbd, 0x40, 0xdd, 1, 0, 0, 0]);
  const r = ChunkReader.open(dir);
  t.after(() => r.close());
  assert.equal(r.segmentCount, 1);
  assert.equal(r.size, file.length);
  [0, 1, 127, 128, 300].forEach((n, i) => {
    const c = r.chunk(refs[i]!);
    assert.equal(c.encoding, 1 + (i % 3));
    assert.deepEqual(c.data, bytes(n, i));
  });
});

test('the writer cuts a new segment before one would exceed the segment size', (t) => {
  const dir = tempDir(t, 'vigil-chunks-');
  // 100-byte chunks take 106 bytes framed; 3 fit a 330-byte segment after its 8-byte header.
  const sizes = [100, 100, 100, 100, 100, 100, 100, 1000, 100];
  const refs = writeChunks(dir, sizes, 330);
  assert.deepEqual(
    refs.map((r) => [refSegment(r), refOffset(r)]),
    [
      [0, 8],
      [0, 114],
      [0, 220],
      [1, 8],
      [1, 114],
      [1, 220],
      [2, 8],
      [3, 8],
      [4, 8],
    ],
  );
  assert.deepEqual(readdirSync(dir), ['000001', '000002', '000003', '000004', '000005']);
  // A chunk larger than a segment gets one of its own.
  assert.equal(readFileSync(join(dir, '000004')).length, 8 + 2 + 1 + 1000 + 4);
  const r = ChunkReader.open(dir);
  t.after(() => r.close());
  sizes.forEach((n, i) => assert.deepEqual(r.chunk(refs[i]!).data, bytes(n, i)));
});

test('a writer with no chunks leaves an empty directory that reads as no segments', (t) => {
  const dir = join(tempDir(t, 'vigil-chunks-'), 'chunks');
  new ChunkWriter(dir).close();
  assert.deepEqual(readdirSync(dir), []);
  const r = ChunkReader.open(dir);
  assert.equal(r.segmentCount, 0);
  r.close();
});

test('the writer refuses bad segment sizes and writes after close', (t) => {
  const dir = tempDir(t, 'vigil-chunks-');
  assert.throws(() => new ChunkWriter(dir, { segmentSize: 8 }), ChunkWriteError);
  assert.throws(() => new ChunkWriter(dir, { segmentSize: 2 ** 32 + 1 }), ChunkWriteError);
  const w = new ChunkWriter(dir);
  w.close();
  assert.throws(() => w.write(1, bytes(3, 0)), /cannot write chunk to .*: writer is closed/);
});

test('corrupt segments raise ChunkCorruptError with file and offset', (t) => {
  const f = (
    name: string,
    damage: (dir: string) => void,
    expected: { file?: string; offset?: number; reason: RegExp },
    readRef?: number,
  ) => {
    const dir = join(tempDir(t, 'vigil-chunks-'), name);
    const refs = writeChunks(dir, [40, 40, 40], 60);
    damage(dir);
    const check = (err: unknown) => {
      assert.ok(err instanceof ChunkCorruptError, String(err));
      assert.equal(err.file, join(dir, expected.file ?? '000001'), name);
      if (expected.offset !== undefined) assert.equal(err.offset, expected.offset, name);
      assert.match(err.reason, expected.reason, name);
      return true;
    };
    if (readRef === undefined) {
      assert.throws(() => ChunkReader.open(dir), check);
      return;
    }
    const r = ChunkReader.open(dir);
    try {
      assert.throws(() => r.chunk(refs[readRef] ?? readRef), check);
    } finally {
      r.close();
    }
  };
  const flip = (file: string, at: number) => (dir: string) => {
    const p = join(dir, file);
    const b = readFileSync(p);
    b[at]! ^= 0x40;
    writeFileSync(p, b);
  };
  f('magic', flip('000002', 1), { file: '000002', offset: 0, reason: /bad magic 0x85fd40dd/ });
  f('version', flip('000001', 4), { offset: 4, reason: /unsupported format version 65/ });
  f('short', (d) => truncateSync(join(d, '000003'), 5), { file: '000003', reason: /5 bytes/ });
  f('gap', (d) => unlinkSync(join(d, '000002')), {
    file: '000002',
    reason: /segment file missing/,
  });
  f('crc', flip('000001', 8 + 2 + 10), { offset: 8, reason: /checksum mismatch/ }, 0);
  f('crc of encoding', flip('000002', 8 + 1), { file: '000002', reason: /checksum/ }, 1);
  f(
    'truncated',
    (d) => truncateSync(join(d, '000003'), 30),
    { file: '000003', reason: /past the end/ },
    2,
  );
  f('no segment', () => {}, { file: '000009', reason: /names segment 9 of 3/ }, chunkRef(8, 8));
  f('bad offset', () => {}, { offset: 3, reason: /outside \[8, 54\)/ }, chunkRef(0, 3));
});

test('FileWindow serves reads from its window, reads past it directly, and stops at EOF', (t) => {
  const dir = tempDir(t, 'vigil-chunks-');
  const p = join(dir, 'f');
  const data = bytes(1000, 5);
  writeFileSync(p, data);
  const fd = openSync(p, 'r');
  t.after(() => closeSync(fd));
  const w = new FileWindow(fd, fstatSync(fd).size, 64);
  assert.deepEqual(new Uint8Array(w.read(10, 20)), data.subarray(10, 30));
  assert.deepEqual(new Uint8Array(w.read(40, 30)), data.subarray(40, 70));
  assert.deepEqual(new Uint8Array(w.read(100, 500)), data.subarray(100, 600));
  assert.deepEqual(new Uint8Array(w.read(990, 64)), data.subarray(990, 1000));
  assert.equal(w.read(1000, 8).length, 0);
});
