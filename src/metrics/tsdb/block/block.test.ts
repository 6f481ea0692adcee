import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { ChunkCorruptError } from '../chunks/errors.js';
import { ENCODING_XOR, XorChunk } from '../chunkenc/xor.js';
import { IndexCorruptError } from '../index/errors.js';
import { BlockCorruptError, BlockWriteError } from './errors.js';
import { readMeta } from './meta.js';
import { openBlock } from './read-block.js';
import { type BlockSeries, writeBlock } from './write-block.js';
import { tempDir } from '../../../../test/harness/temp.js';

/** An XOR chunk of `n` samples every 15 s from `t0`. */
function xor(t0: number, n: number, v0: number) {
  const c = new XorChunk();
  const app = c.appender();
  for (let i = 0; i < n; i++) app.append(t0 + i * 15_000, v0 + i);
  return { mint: t0, maxt: t0 + (n - 1) * 15_000, encoding: ENCODING_XOR, data: c.bytes().slice() };
}

function sampleSeries(): BlockSeries[] {
  return [
    {
      labels: Labels.fromRecord({ __name__: 'a', job: 'x' }),
      chunks: [xor(0, 120, 1), xor(1_800_000, 30, 5)],
    },
    { labels: Labels.fromRecord({ __name__: 'a', job: 'y' }), chunks: [] },
    {
      labels: Labels.fromRecord({ __name__: 'b', path: '/ü/\u{1F600}' }),
      chunks: [xor(60_000, 1, 42)],
    },
  ];
}

test('writeBlock writes a complete block that openBlock reads back', (t) => {
  const parent = tempDir(t, 'vigil-block-');
  const input = sampleSeries();
  const ulid = writeBlock(parent, { minTime: 0, maxTime: 7_200_000, series: input });
  assert.deepEqual(readdirSync(parent), [ulid]);
  const dir = join(parent, ulid);
  assert.deepEqual(readdirSync(dir).sort(), ['chunks', 'index', 'meta.json', 'tombstones']);
  assert.deepEqual(readdirSync(join(dir, 'chunks')), ['000001']);

  const b = openBlock(dir);
  t.after(() => b.close());
  assert.equal(b.dir, dir);
  assert.deepEqual(b.meta, {
    ulid,
    minTime: 0,
    maxTime: 7_200_000,
    stats: { numSamples: 151, numSeries: 2, numChunks: 3 },
    compaction: { level: 1, sources: [ulid] },
    version: 1,
  });
  assert.equal(b.tombstones.total, 0);
  const refs = [...b.index.allPostings()];
  assert.equal(refs.length, 2);
  const kept = input.filter((s) => s.chunks.length > 0);
  refs.forEach((ref, i) => {
    const s = b.index.series(ref);
    assert.equal(s.labels.key, kept[i]!.labels.key);
    assert.deepEqual(
      s.chunks.map((c) => ({ mint: c.mint, maxt: c.maxt, ...b.chunks.chunk(c.ref) })),
      kept[i]!.chunks,
    );
  });
  const it = new XorChunk(b.chunks.chunk(b.index.series(refs[0]!).chunks[1]!.ref).data).iterator();
  const values: number[] = [];
  while (it.next()) values.push(it.atV());
  assert.equal(values.length, 30);
  assert.equal(values[29], 34);
  assert.deepEqual([...b.index.postings('path', '/ü/\u{1F600}')], [refs[1]]);
});

test('writeBlock takes an explicit ULID and compaction history', (t) => {
  const parent = tempDir(t, 'vigil-block-');
  const ulid = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
  const parents = [{ ulid: '01ARZ3NDEKTSV4RRFFQ69G5FAA', minTime: 0, maxTime: 10 }];
  const got = writeBlock(
    parent,
    { minTime: 0, maxTime: 7_200_000, series: sampleSeries() },
    { ulid, compaction: { level: 3, sources: ['01ARZ3NDEKTSV4RRFFQ69G5FAA'], parents } },
  );
  assert.equal(got, ulid);
  assert.deepEqual(readMeta(join(parent, ulid)).compaction, {
    level: 3,
    sources: ['01ARZ3NDEKTSV4RRFFQ69G5FAA'],
    parents,
  });
});

test('writeBlock refuses bad input and leaves nothing behind', (t) => {
  const parent = tempDir(t, 'vigil-block-');
  const f = (input: Parameters<typeof writeBlock>[1], reason: RegExp, ulid?: string) => {
    assert.throws(
      () => writeBlock(parent, input, { ulid }),
      (err) =>
        err instanceof BlockWriteError && reason.test(err.reason) && err.dir.startsWith(parent),
    );
    assert.deepEqual(readdirSync(parent), []);
  };
  const [s0, , s2] = sampleSeries();
  f({ minTime: 0, maxTime: 7_200_000, series: [s2!, s0!] }, /is not after/);
  f({ minTime: 0, maxTime: 1_000_000, series: [s0!] }, /outside \[0, 1000000\)/);
  f({ minTime: 100, maxTime: 7_200_000, series: [s0!] }, /outside \[100, 7200000\)/);
  f({ minTime: 10, maxTime: 5, series: [] }, /bad time range/);
  f({ minTime: 0, maxTime: 5, series: [] }, /is not a ULID/, 'not-a-ulid');
});

test('openBlock reports every unreadable part as BlockCorruptError naming the block', (t) => {
  const parent = tempDir(t, 'vigil-block-');
  const ulid = writeBlock(parent, { minTime: 0, maxTime: 7_200_000, series: sampleSeries() });
  const pristine = join(parent, ulid);
  const files = new Map(
    ['meta.json', 'index', 'tombstones', 'chunks/000001'].map((f) => [
      f,
      readFileSync(join(pristine, f)),
    ]),
  );
  const restore = () => {
    mkdirSync(join(pristine, 'chunks'), { recursive: true });
    for (const [f, b] of files) writeFileSync(join(pristine, f), b);
  };
  const f = (
    name: string,
    damage: (dir: string) => void,
    reason: RegExp,
    cause?: new (...a: never[]) => Error,
  ) => {
    restore();
    damage(pristine);
    assert.throws(
      () => openBlock(pristine),
      (err) => {
        assert.ok(err instanceof BlockCorruptError, `${name}: ${String(err)}`);
        assert.equal(err.dir, pristine, name);
        assert.match(err.reason, reason, name);
        assert.match(err.message, /^cannot open block /);
        if (cause) assert.ok(err.cause instanceof cause, `${name}: cause ${String(err.cause)}`);
        return true;
      },
    );
  };
  const write = (file: string, data: string | Buffer) => (dir: string) =>
    writeFileSync(join(dir, file), data);
  const flip = (file: string, at: (n: number) => number) => (dir: string) => {
    const b = Buffer.from(files.get(file)!);
    b[at(b.length)]! ^= 0x10;
    writeFileSync(join(dir, file), b);
  };
  f('meta not json', write('meta.json', '{"ulid":'), /cannot read meta.json/);
  f(
    'meta version',
    write(
      'meta.json',
      JSON.stringify({ ...JSON.parse(files.get('meta.json')!.toString()), version: 2 }),
    ),
    /unsupported version 2/,
  );
  f(
    'meta ulid',
    write('meta.json', files.get('meta.json')!.toString().replace(ulid, 'x')),
    /ulid is not a ULID/,
  );
  f('meta missing', (d) => rmSync(join(d, 'meta.json')), /ENOENT/);
  f(
    'index toc',
    flip('index', (n) => n - 30),
    /TOC checksum mismatch/,
    IndexCorruptError,
  );
  f(
    'index symbols',
    flip('index', () => 12),
    /symbol table checksum mismatch/,
    IndexCorruptError,
  );
  f(
    'index truncated',
    (d) => truncateSync(join(d, 'index'), 100),
    /index .* at offset 48: TOC checksum/,
    IndexCorruptError,
  );
  f('index missing', (d) => rmSync(join(d, 'index')), /ENOENT/);
  f(
    'segment header',
    flip('chunks/000001', () => 2),
    /bad magic/,
    ChunkCorruptError,
  );
  f('chunks missing', (d) => rmSync(join(d, 'chunks'), { recursive: true }), /ENOENT/);
  f(
    'tombstones',
    flip('tombstones', () => 6),
    /tombstones: checksum mismatch/,
  );
  assert.ok(existsSync(pristine));
});

test('a flipped byte in chunk data is caught on read with the segment path', (t) => {
  const parent = tempDir(t, 'vigil-block-');
  const ulid = writeBlock(parent, { minTime: 0, maxTime: 7_200_000, series: sampleSeries() });
  const seg = join(parent, ulid, 'chunks', '000001');
  const b = readFileSync(seg);
  b[30]! ^= 0xff;
  writeFileSync(seg, b);
  const block = openBlock(join(parent, ulid));
  t.after(() => block.close());
  const ref = block.index.series(block.index.allPostings()[0]!).chunks[0]!.ref;
  assert.throws(
    () => block.chunks.chunk(ref),
    (err) =>
      err instanceof ChunkCorruptError && err.file === seg && /checksum mismatch/.test(err.reason),
  );
});
