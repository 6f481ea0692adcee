import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { getUvarint, putUvarint } from '../../../lib/encoding/varint.js';
import {
  BLOCK_DOCS,
  type ColumnMeta,
  decodeSection,
  decodeSectionAsync,
  encodeSection,
  SectionCodec,
  SEGMENT_VERSION,
  TIME_PACKED,
  TIME_VARINT,
} from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';
import { compileFilter } from '../../query/filter/compile.js';

/** A well-mixed 32-bit hash of `i` (murmur3's finalizer). */
function hash(i: number): number {
  let h = Math.imul(i ^ (i >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Writes a segment of documents `source(i)` at times `ms`, ids `id-<i>`. */
function writeDocs(path: string, ms: number[], source: (i: number) => Record<string, unknown>) {
  writeSegment(path, {
    index: 'logs',
    length: ms.length,
    ids: ms.map((_, i) => `id-${i}`),
    ms,
    ns: ms.map(() => 0),
    source,
    rawBytes: 1,
  });
}

/**
 * Writes one block of `ms` with a `level` column of `levels(i)`; returns the reader and the
 * file's bytes.
 */
function write(
  t: { after(fn: () => void): void },
  ms: number[],
  level: (i: number) => string,
): { seg: SegmentReader; file: Buffer } {
  const path = join(tempDir(t as never), 's.seg');
  writeDocs(path, ms, (r) => ({ level: level(r), message: `request ${r} done` }));
  const seg = SegmentReader.open(path);
  t.after(() => seg.release());
  return { seg, file: readFileSync(path) };
}

/** The codec byte and, decoded, the form byte of block 0's ms part. */
function msPart(seg: SegmentReader, file: Buffer): { codec: number; length: number } {
  const [off] = seg.footer.blocks[0]!.time;
  const cur = { off };
  const length = getUvarint(file, cur);
  return { codec: file[cur.off]!, length };
}

/** The footer entry of column `path` in the first block. */
function entry(seg: SegmentReader, path: string): ColumnMeta {
  return seg.footer.blocks[0]!.cols.find(([pi]) => seg.footer.paths[pi] === path)!;
}

/** The codec byte and the first body byte (the column kind, when stored) of column `path`. */
function column(seg: SegmentReader, file: Buffer, path: string): [number, number] {
  const c = entry(seg, path);
  return [file[c[1]]!, file[c[1] + 1]!];
}

test('regular times and a few levels are stored bit-packed, and read back', (t) => {
  const T = 1_795_910_400_000;
  // Lines every 8 or 9 ms: one bit a delta, 1 KiB, where brotli makes ~150 bytes of them.
  const ms = Array.from({ length: BLOCK_DOCS }, (_, i) => T + Math.floor(i * 8.64));
  const levels = ['info', 'warn', 'error', 'debug'];
  // Spread at random: brotli needs about two bits a document for them too.
  const picks = Array.from({ length: BLOCK_DOCS }, (_, i) => levels[hash(i) % 4]!);
  const level = (i: number) => picks[i]!;
  const { seg, file } = write(t, ms, level);
  assert.equal(seg.footer.version, SEGMENT_VERSION);
  const part = msPart(seg, file);
  assert.equal(part.codec, SectionCodec.Stored);
  assert.equal(file[seg.footer.blocks[0]!.time[0] + 3], TIME_PACKED);
  assert.ok(part.length < 1100, `ms part of ${part.length} bytes`);
  // Four values, two bits a document: 2 KiB stored, smaller than brotli's byte codes.
  assert.deepEqual(column(seg, file, 'level'), [SectionCodec.Stored, 3]);
  // The rest is compressed: with the segment's codec over 64 KiB (the ids), with deflate under
  // (`sectionCodecFor`).
  assert.equal(file[seg.footer.blocks[0]!.ids[0]], SectionCodec.Brotli);
  assert.equal(file[seg.footer.blocks[0]!.shapes[0]], SectionCodec.Deflate);
  // But pages (PAGE_CODEC): the messages are over a page's worth.
  assert.ok(seg.pages(entry(seg, 'message')));
  assert.equal(column(seg, file, 'message')[0], SectionCodec.Deflate);
  const block = seg.block(0, { bytesRead: 0 });
  assert.deepEqual([...block.ms], ms);
  const dict = block.column('level')!.dict!;
  for (let i = 0; i < BLOCK_DOCS; i++) {
    assert.equal(dict.values[dict.codeBytes![i]! - 1], level(i));
    assert.deepEqual(block.values(i, 'level'), [level(i)]);
    assert.deepEqual(block.source(i), { level: level(i), message: `request ${i} done` });
  }
});

test('times and codes that compress far better than they pack stay compressed', (t) => {
  const T = 1_795_910_400_000;
  // Mostly 1 ms apart, every 1000th line an hour later: 16 bits a delta packed (16 KiB),
  // a few hundred bytes compressed.
  const ms: number[] = [];
  for (let i = 0, at = T; i < BLOCK_DOCS; i++) ms.push((at += i % 1000 === 999 ? 3_600_000 : 1));
  // 200 distinct values, nearly all one: 8 bits a document packed, almost nothing compressed.
  const level = (i: number) => (i % 41 === 0 ? `rare-${i % 200}` : 'info');
  const { seg, file } = write(t, ms, level);
  const part = msPart(seg, file);
  // Compressed; small sections with deflate (`sectionCodecFor`).
  assert.equal(part.codec, SectionCodec.Deflate);
  assert.ok(part.length < 1000, `ms part of ${part.length} bytes`);
  assert.equal(column(seg, file, 'level')[0], SectionCodec.Deflate);
  const block = seg.block(0, { bytesRead: 0 });
  assert.deepEqual([...block.ms], ms);
  for (let i = 0; i < BLOCK_DOCS; i++) assert.deepEqual(block.values(i, 'level'), [level(i)]);
});

test('a column packed in a block is packed unexamined for seven more, then compared again', (t) => {
  const T = 1_795_910_400_000;
  const blocks = 12;
  const ms = Array.from({ length: blocks * BLOCK_DOCS }, (_, i) => T + i);
  // 7 values: 3 bits a code, under half a byte a document with the dictionary. Drawn at random in
  // the first three blocks (packed is as small as deflate makes them), then in a cycle that
  // deflate makes almost nothing of.
  const level = (i: number) => `level-${(i < 3 * BLOCK_DOCS ? hash(i) : Math.floor(i / 64)) % 7}`;
  const path = join(tempDir(t), 's.seg');
  writeDocs(path, ms, (i) => ({ level: level(i) }));
  const seg = SegmentReader.open(path);
  t.after(() => seg.release());
  const file = readFileSync(path);
  const codecs = seg.footer.blocks.map((b) => {
    const c = b.cols.find(([pi]) => seg.footer.paths[pi] === 'level')!;
    return file[c[1]];
  });
  const S = SectionCodec.Stored;
  const D = SectionCodec.Deflate;
  // Compared in blocks 0 and 8: packed won the first; blocks 1–7 were not compared.
  assert.deepEqual(codecs, [S, S, S, S, S, S, S, S, D, D, D, D]);
  for (const b of [0, 5, 8, 11]) {
    const block = seg.block(b, { bytesRead: 0 });
    for (let i = 0; i < BLOCK_DOCS; i += 97) {
      assert.deepEqual(block.values(i, 'level'), [level(b * BLOCK_DOCS + i)]);
    }
  }
});

test('times too far apart to pack (over 16 bits a delta) are compressed varints', (t) => {
  const T = 1_795_910_400_000;
  // Deltas of 100 and 200 s: they differ by more than 16 bits hold.
  const ms = Array.from({ length: 100 }, (_, i) => T + i * 150_000 + (i % 2) * 50_000);
  const { seg, file } = write(t, ms, () => 'info');
  const part = msPart(seg, file);
  assert.equal(part.codec, SectionCodec.Deflate);
  assert.deepEqual([...seg.block(0, { bytesRead: 0 }).ms], ms);
  assert.equal(TIME_VARINT, 0);
});

test('frequent-token sections in pooled buffers: each open block reads its own', (t) => {
  const T = 1_795_910_400_000;
  const n = 3 * BLOCK_DOCS;
  // `failed` in a different third of each block's documents.
  const failed = (i: number) => i % 3 === Math.floor(i / BLOCK_DOCS);
  const path = join(tempDir(t), 'f.seg');
  writeDocs(
    path,
    Array.from({ length: n }, (_, i) => T + i),
    (r) => ({ message: `request ${r} ${failed(r) ? 'failed' : 'served'}` }),
  );
  const seg = SegmentReader.open(path);
  t.after(() => seg.release());
  const rowsOf = (block: ReturnType<SegmentReader['block']>) => {
    const rows = new Uint8Array(block.length);
    assert.equal(block.column('message')!.findTokens!(['failed'], rows), true);
    return rows;
  };
  const check = (b: number, rows: Uint8Array) => {
    for (let i = 0; i < BLOCK_DOCS; i++) assert.equal(rows[i], failed(b * BLOCK_DOCS + i) ? 1 : 0);
  };
  const counter = { bytesRead: 0 };
  // Blocks 0 and 1 open together, then 0 released and 2 opened: it may get 0's buffer.
  const b0 = seg.block(0, counter);
  const b1 = seg.block(1, counter);
  check(0, rowsOf(b0));
  check(1, rowsOf(b1));
  check(0, rowsOf(b0)); // its section again, after block 1's read
  b0.release();
  const b2 = seg.block(2, counter);
  check(2, rowsOf(b2));
  check(1, rowsOf(b1));
  b1.release();
  b2.release();
  for (let b = 0; b < 3; b++) {
    const block = seg.block(b, counter);
    check(b, rowsOf(block));
    block.release();
  }
});

test('a filter on a bit-packed dictionary column reads its codes packed, at 1 to 4 bits', (t) => {
  const T = 1_795_910_400_000;
  // Not a multiple of eight documents: the last codes are read one by one.
  const n = 1003;
  for (const k of [1, 3, 6, 14]) {
    const levels = Array.from({ length: k }, (_, v) => `level${String.fromCharCode(97 + v)}`);
    // Some documents without one: code 0.
    const level = (i: number) => (hash(i) % 9 === 0 ? undefined : levels[hash(i * 7) % k]!);
    const path = join(tempDir(t), `k${k}.seg`);
    writeDocs(
      path,
      Array.from({ length: n }, (_, i) => T + i),
      (r) => (level(r) === undefined ? { message: 'x' } : { level: level(r), message: 'x' }),
    );
    const seg = SegmentReader.open(path);
    t.after(() => seg.release());
    const block = seg.block(0, { bytesRead: 0 });
    const dict = block.column('level')!.dict!;
    assert.ok(dict.packed !== undefined, `${k} levels: stored packed`);
    assert.equal(dict.packed.width, [1, 2, 3, 4][[1, 3, 6, 14].indexOf(k)]);
    const want = levels[k - 1]!;
    const bits = new Uint8Array(n).fill(1);
    bits[5] = 0; // a document ruled out before the filter stays out
    compileFilter({
      kind: 'match',
      field: { kind: 'path', path: 'level' },
      text: want,
      phrases: [[want]],
    }).apply(block, bits);
    for (let i = 0; i < n; i++) {
      assert.equal(bits[i], i !== 5 && level(i) === want ? 1 : 0, `${k} levels, document ${i}`);
      assert.deepEqual(block.values(i, 'level'), level(i) === undefined ? [] : [level(i)]);
      const code = dict.codes[i]!;
      assert.equal(code === -1 ? undefined : dict.values[code], level(i));
    }
  }
});

test('a compressed section gives its length, and one that decompresses to another is an error', async () => {
  const raw = Buffer.from(
    Array.from({ length: 3000 }, (_, i) => `GET /api/v1/items/${hash(i) % 977} 200\n`).join(''),
  );
  for (const [codec, byte] of [
    ['brotli', SectionCodec.Brotli],
    ['deflate', SectionCodec.Deflate],
  ] as const) {
    const packed = encodeSection(codec, raw);
    assert.equal(packed[0], byte);
    const cur = { off: 1 };
    assert.equal(getUvarint(packed, cur), raw.length);
    assert.ok(packed.length < raw.length / 4, `${codec}: ${packed.length} bytes`);
    assert.deepEqual(decodeSection(SEGMENT_VERSION, 'brotli', packed), raw);
    assert.deepEqual(await decodeSectionAsync(SEGMENT_VERSION, 'brotli', packed), raw);
    // The same body with a length one short: a damaged header is not trusted.
    const head = Buffer.alloc(8);
    head[0] = byte;
    const damaged = Buffer.concat([
      head.subarray(0, putUvarint(head, 1, raw.length - 1)),
      packed.subarray(cur.off),
    ]);
    const said = new RegExp(`${raw.length} bytes decompressed, its header says ${raw.length - 1}`);
    assert.throws(() => decodeSection(SEGMENT_VERSION, 'brotli', damaged), said);
    await assert.rejects(decodeSectionAsync(SEGMENT_VERSION, 'brotli', damaged), said);
  }
  // A stored section has no length: its body is the rest.
  assert.deepEqual([...encodeSection(undefined, Buffer.from([7, 8]))], [SectionCodec.Stored, 7, 8]);
});

test('a damaged section names its segment and offset', (t) => {
  const T = 1_795_910_400_000;
  const ms = Array.from({ length: 1000 }, (_, i) => T + i);
  const { seg, file } = write(t, ms, () => 'info');
  const [off] = seg.footer.blocks[0]!.ids;
  assert.equal(file[off], SectionCodec.Deflate);
  // One more in the length's first byte: the same varint size, a length one or 128^k off.
  file[off + 1] = (file[off + 1]! & 0x80) | ((file[off + 1]! + 1) & 0x7f);
  writeFileSync(seg.path, file);
  const damaged = SegmentReader.open(seg.path);
  t.after(() => damaged.release());
  assert.throws(
    () => damaged.block(0, { bytesRead: 0 }).id(0),
    new RegExp(
      `^Error: cannot read segment: ${seg.path}: section at offset ${off}: \\d+ bytes decompressed, its header says \\d+$`,
    ),
  );
});
