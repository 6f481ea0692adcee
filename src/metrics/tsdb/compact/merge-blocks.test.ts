import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { type Block, openBlock } from '../block/read-block.js';
import { Tombstones, writeTombstones } from '../block/tombstones.js';
import { type BlockChunk, type BlockSeries, writeBlock } from '../block/write-block.js';
import { ENCODING_XOR, XorChunk, XorIterator } from '../chunkenc/xor.js';
import { ChunkMergeError } from './errors.js';
import { mergeBlocks } from './merge-blocks.js';
import { tempDir } from '../../../../test/harness/temp.js';

const H = 3600_000;
const STEP = 15_000;
// The staleness marker is a signalling NaN; V8 quiets such NaNs when storing them into a
// plain array of doubles, so this test keeps it out of arrays: the stale sample is appended
// from this constant and checked straight from the iterator.
const STALE_BITS = new Uint32Array([2, 0x7ff00000]);
const STALE = new Float64Array(STALE_BITS.buffer)[0]!;

const L = (name: string, i = '0') => Labels.fromRecord({ __name__: name, i });

/** An XOR chunk with the given samples; the one at `staleAt`, if any, is a stale marker. */
function chunk(samples: readonly [number, number][], staleAt = NaN): BlockChunk {
  const c = new XorChunk();
  const app = c.appender();
  for (const [t, v] of samples) app.append(t, t === staleAt ? STALE : v);
  return {
    mint: samples[0]![0],
    maxt: samples.at(-1)![0],
    encoding: ENCODING_XOR,
    data: c.bytes().slice(),
  };
}

/** `n` samples every STEP from `t0`, values `v(t)`. */
function run(t0: number, n: number, v = (t: number) => t / STEP): [number, number][] {
  return Array.from({ length: n }, (_, k) => [t0 + k * STEP, v(t0 + k * STEP)]);
}

function block(
  t: TestContext,
  dir: string,
  minTime: number,
  maxTime: number,
  series: BlockSeries[],
  level = 1,
): Block {
  const ulid = writeBlock(dir, { minTime, maxTime, series }, { compaction: { level } });
  const b = openBlock(join(dir, ulid));
  t.after(() => b.close());
  return b;
}

/** Every series of a block: labels → chunks (with data) and samples. */
function read(b: Block) {
  const out = new Map<string, { chunks: BlockChunk[]; samples: [number, number][] }>();
  for (const ref of b.index.allPostings()) {
    const s = b.index.series(ref);
    const chunks: BlockChunk[] = [];
    const samples: [number, number][] = [];
    for (const m of s.chunks) {
      const c = b.chunks.chunk(m.ref);
      chunks.push({ mint: m.mint, maxt: m.maxt, ...c });
      const it = new XorIterator(c.data);
      while (it.next()) samples.push([it.atT(), it.atV()]);
      assert.equal(it.err(), null);
      assert.equal(samples.at(-1)![0], m.maxt);
    }
    out.set(s.labels.toString(), { chunks, samples });
  }
  return out;
}

function merged(t: TestContext, dir: string, parents: Block[]): Block {
  const meta = mergeBlocks(dir, parents);
  assert.ok(meta !== null);
  const b = openBlock(join(dir, meta.ulid));
  t.after(() => b.close());
  return b;
}

test('adjacent blocks: chunks are concatenated byte for byte, series in label order', (t) => {
  const dir = tempDir(t, 'vigil-merge-');
  const a0 = chunk(run(0, 120));
  const a1 = chunk(run(120 * STEP, 60));
  const b0 = chunk(run(2 * H, 120, () => 7));
  const c0 = chunk(run(4 * H, 3));
  const parents = [
    block(t, dir, 0, 2 * H, [
      { labels: L('a'), chunks: [a0, a1] },
      { labels: L('c'), chunks: [chunk(run(0, 1))] },
    ]),
    block(t, dir, 2 * H, 4 * H, [{ labels: L('a'), chunks: [b0] }], 2),
    block(t, dir, 4 * H, 6 * H, [
      { labels: L('a'), chunks: [c0] },
      { labels: L('b'), chunks: [c0] },
    ]),
  ];
  const out = merged(t, dir, parents);
  const series = read(out);
  assert.deepEqual([...series.keys()], [L('a'), L('b'), L('c')].map(String));
  assert.deepEqual(series.get(String(L('a')))!.chunks, [a0, a1, b0, c0]);
  assert.deepEqual(series.get(String(L('b')))!.chunks, [c0]);

  const m = out.meta;
  assert.equal(m.minTime, 0);
  assert.equal(m.maxTime, 6 * H);
  assert.deepEqual(m.stats, { numSamples: 120 + 60 + 120 + 3 + 3 + 1, numSeries: 3, numChunks: 6 });
  assert.equal(m.compaction.level, 3, 'one above the highest parent level');
  const sources = parents.flatMap((p) => p.meta.compaction.sources);
  assert.deepEqual(m.compaction.sources, [...sources].sort());
  assert.deepEqual(
    m.compaction.parents,
    parents.map((p) => ({ ulid: p.meta.ulid, minTime: p.meta.minTime, maxTime: p.meta.maxTime })),
  );
  assert.equal(out.tombstones.total, 0);
  // Sources are a union: merging a merged block with another keeps every level-1 ULID once.
  const next = block(t, dir, 6 * H, 8 * H, [{ labels: L('a'), chunks: [chunk(run(6 * H, 1))] }]);
  const again = merged(t, dir, [out, next]);
  assert.deepEqual(again.meta.compaction.sources, [...sources, next.meta.ulid].sort());
  assert.equal(again.meta.compaction.level, 4);
});

test('overlapping blocks: samples merged and re-encoded, duplicates taken from the first parent', (t) => {
  const dir = tempDir(t, 'vigil-merge-');
  // x: A has t = 0..299 steps, B has 200..399 steps (overlap 200..299 with other values) and
  // a stale marker at 310, in the overlap; y only in B and untouched; z in both without overlap.
  const xa = run(0, 300);
  const xb = run(200 * STEP, 200, (t) => (t === 310 * STEP ? NaN : -t));
  const y = chunk(run(0, 10));
  const a = block(t, dir, 0, 2 * H, [
    {
      labels: L('x'),
      chunks: [chunk(xa.slice(0, 120)), chunk(xa.slice(120, 240)), chunk(xa.slice(240))],
    },
    { labels: L('z'), chunks: [chunk(run(0, 10))] },
  ]);
  const b = block(t, dir, 0, 2 * H, [
    { labels: L('x'), chunks: [chunk(xb.slice(0, 120), 310 * STEP), chunk(xb.slice(120))] },
    { labels: L('y'), chunks: [y] },
    { labels: L('z'), chunks: [chunk(run(H, 10))] },
  ]);
  const out = merged(t, dir, [a, b]);
  const series = read(out);

  const x = series.get(String(L('x')))!;
  const want = [...xa, ...xb.slice(100)];
  assert.equal(x.samples.length, 400);
  x.samples.forEach(([ts, v], k) => {
    assert.equal(ts, want[k]![0]);
    assert.ok(Object.is(v, want[k]![1]) || (Number.isNaN(v) && Number.isNaN(want[k]![1])));
  });
  const bits = new Float64Array(1);
  const metas = out.index.series(out.index.postings('__name__', 'x')[0]!).chunks;
  const reencoded = metas.find((m) => m.mint <= 310 * STEP && m.maxt >= 310 * STEP)!;
  for (const it = new XorIterator(out.chunks.chunk(reencoded.ref).data); it.next();) {
    if (it.atT() === 310 * STEP) bits[0] = it.atV();
  }
  assert.deepEqual(new Uint32Array(bits.buffer), STALE_BITS, 're-encoding keeps the stale bits');
  // A's chunks 120-239 and 240-299 overlap B's 200-319: those three were re-encoded into
  // chunks of at most 120 samples; A's 0-119 and B's 320-399 overlap nothing and were copied.
  assert.deepEqual(
    x.chunks.map((c) => [c.mint / STEP, c.maxt / STEP]),
    [
      [0, 119],
      [120, 239],
      [240, 319],
      [320, 399],
    ],
  );
  assert.deepEqual(series.get(String(L('y')))!.chunks, [y]);
  assert.equal(series.get(String(L('z')))!.samples.length, 20);
});

test('tombstones: deleted samples dropped, cut chunks re-encoded, others copied', (t) => {
  const dir = tempDir(t, 'vigil-merge-');
  const keep = chunk(run(0, 120));
  const cut = chunk(run(120 * STEP, 120));
  const gone = chunk(run(240 * STEP, 120));
  const a = block(t, dir, 0, 2 * H, [
    { labels: L('a'), chunks: [keep, cut, gone] },
    { labels: L('b'), chunks: [chunk(run(0, 5))] },
    { labels: L('c'), chunks: [chunk(run(0, 5))] },
  ]);
  const [refA, refB] = a.index.allPostings();
  const stones = new Tombstones();
  stones.add(refA!, { mint: 130 * STEP, maxt: 139 * STEP });
  stones.add(refA!, { mint: 240 * STEP, maxt: 400 * STEP });
  stones.add(refB!, { mint: 0, maxt: H });
  writeTombstones(a.dir, stones);
  a.close();
  const reopened = openBlock(a.dir);
  t.after(() => reopened.close());

  const series = read(merged(t, dir, [reopened]));
  assert.deepEqual([...series.keys()], [String(L('a')), String(L('c'))], 'b wholly deleted');
  const s = series.get(String(L('a')))!;
  assert.deepEqual(s.chunks[0], keep);
  assert.equal(s.chunks.length, 2);
  assert.deepEqual(
    s.samples.map(([ts]) => ts / STEP),
    [...Array(130).keys(), ...Array.from({ length: 100 }, (_, k) => 140 + k)],
  );
});

test('a merge whose samples are all deleted writes no block', (t) => {
  const dir = tempDir(t, 'vigil-merge-');
  const a = block(t, dir, 0, 2 * H, [{ labels: L('a'), chunks: [chunk(run(0, 5))] }]);
  const stones = new Tombstones();
  stones.add(a.index.allPostings()[0]!, { mint: 0, maxt: 2 * H });
  writeTombstones(a.dir, stones);
  a.close();
  const reopened = openBlock(a.dir);
  t.after(() => reopened.close());
  assert.equal(mergeBlocks(dir, [reopened]), null);
  assert.deepEqual(readdirSync(dir), [reopened.meta.ulid]);
});

test('a chunk that cannot be decoded fails the merge and leaves no partial block', (t) => {
  const dir = tempDir(t, 'vigil-merge-');
  const bad = { ...chunk(run(0, 10)), encoding: 2 };
  const a = block(t, dir, 0, 2 * H, [{ labels: L('a'), chunks: [bad] }]);
  const b = block(t, dir, 0, 2 * H, [{ labels: L('a'), chunks: [chunk(run(0, 10))] }]);
  assert.throws(
    () => mergeBlocks(dir, [a, b]),
    (err: unknown) =>
      err instanceof ChunkMergeError &&
      err.block === a.dir &&
      /unsupported encoding 2/.test(err.message),
  );
  assert.deepEqual(readdirSync(dir).sort(), [a.meta.ulid, b.meta.ulid].sort());
});
