import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { getUvarint } from '../../../lib/encoding/varint.js';
import { hashKey } from './bloom.js';
import { BLOCK_DOCS } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';

function docs(n: number) {
  const sources: Record<string, unknown>[] = [];
  const ids: string[] = [];
  const ms: number[] = [];
  const ns: number[] = [];
  for (let i = 0; i < n; i++) {
    // Reverse time order, so the writer has to sort.
    ms.push(1_700_000_000_000 + (n - i) * 10);
    ns.push(i % 7);
    ids.push(`id-${i}`);
    sources.push(
      i % 3 === 0
        ? {
            '@timestamp': 'x',
            kubernetes: { namespace: `ns-${i % 20}`, 'app.kubernetes.io/name': 'web' },
            status: 200 + (i % 5),
            tags: ['a', i],
            empty: [],
            nil: null,
          }
        : {
            message: `GET /api/v${i} took ${i / 3} ms`,
            ok: i % 2 === 0,
            'dotted.key': { 'x"y': `v${i}` },
            deep: [{ a: i }, { a: 'b' }],
          },
    );
  }
  return {
    index: 'logs',
    length: n,
    ids,
    ms,
    ns,
    sources,
    source: (r: number) => sources[r]!,
    rawBytes: 1,
  };
}

test('segment round trip: sources, times, ids, columns, blooms', (t) => {
  const dir = tempDir(t);
  const n = BLOCK_DOCS + 1000;
  const input = docs(n);
  const path = join(dir, 'a.seg');
  for (const codec of ['deflate', 'brotli'] as const) {
    writeSegment(path, input, { codec, unindexed: new Set(['ok']) });
    const seg = SegmentReader.open(path);
    assert.equal(seg.footer.count, n);
    assert.equal(seg.footer.blocks.length, 2);
    const counter = { bytesRead: 0 };
    let seen = 0;
    let prev = -Infinity;
    for (let b = 0; b < seg.footer.blocks.length; b++) {
      const block = seg.block(b, counter, new Set(['ok']));
      assert.equal(block.column('ok'), undefined);
      for (let i = 0; i < block.length; i++) {
        const k = Number(block.id(i).slice(3));
        assert.ok(block.ms[i]! >= prev);
        prev = block.ms[i]!;
        assert.equal(block.ms[i], input.ms[k]);
        assert.equal(block.ns[i], input.ns[k]);
        assert.deepEqual(block.source(i), JSON.parse(JSON.stringify(input.sources[k])));
        seen++;
      }
      const ns = block.column('kubernetes.namespace');
      assert.ok(ns?.dict !== undefined);
    }
    assert.equal(seen, n);
    assert.ok(counter.bytesRead > 0);
    assert.ok(seg.hasId('id-5'));
    assert.ok(!seg.hasId('id-x'));
    const h = new Uint32Array(2);
    hashKey('took', h);
    assert.ok(seg.blockMayHaveAll(0, [h]));
    hashKey('zzzunseen', h);
    assert.ok(!seg.blockMayHaveAll(0, [h]) || !seg.blockMayHaveAll(1, [h]));
    seg.release();
  }
});

test('segment times: an ms part past the first read and nanoseconds read on demand', (t) => {
  const dir = tempDir(t);
  const n = BLOCK_DOCS;
  // Random gaps up to a minute compress poorly: the ms part is far beyond the first 4 KiB read.
  let x = 12345;
  const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const ms: number[] = [];
  for (let i = 0, at = 1_700_000_000_000; i < n; i++) ms.push((at += Math.floor(rand() * 60_000)));
  const ns = ms.map(() => Math.floor(rand() * 1e6));
  const path = join(dir, 't.seg');
  writeSegment(path, {
    index: 'logs',
    length: n,
    ids: ms.map((_, i) => `id-${i}`),
    ms,
    ns,
    source: (r) => ({ m: r }),
    rawBytes: 1,
  });
  const seg = SegmentReader.open(path);
  t.after(() => seg.release());
  const [off] = seg.footer.blocks[0]!.time;
  const msPart = getUvarint(seg.readSection([off, 8], { bytesRead: 0 }), { off: 0 });
  assert.ok(msPart > 4096, `ms part of ${msPart} bytes`);
  const block = seg.block(0, { bytesRead: 0 });
  assert.deepEqual([...block.ms], ms);
  assert.deepEqual([...block.ns], ns);
});

test('a damaged id set fails an id lookup with the segment and the offset', (t) => {
  const dir = tempDir(t);
  const write = (name: string) => {
    const path = join(dir, name);
    writeSegment(path, docs(600));
    return { path, at: SegmentReader.open(path) };
  };
  const damage = (name: string, change: (set: Buffer) => void) => {
    const { path, at } = write(name);
    const [off, len] = at.footer.idBloom;
    at.release();
    const file = readFileSync(path);
    change(file.subarray(off, off + len));
    writeFileSync(path, file);
    const seg = SegmentReader.open(path);
    t.after(() => seg.release());
    return { seg, off };
  };
  // A hash count that does not fit its buckets: found when the set is first read.
  const counted = damage('count.seg', (set) => set.writeUInt32LE(60_000, 2));
  assert.throws(
    () => counted.seg.hasId('id-5'),
    new RegExp(
      `cannot read segment: .*count\\.seg: section at offset ${counted.off}: id set is damaged: 60000 hashes`,
    ),
  );
  // Every bucket's stream starting near its end: found when a bucket is decoded.
  const cut = damage('cut.seg', (set) => {
    const buckets = set.readUInt32LE(6);
    const streamBits = (set.length - 10 - 8 * buckets - 4) * 8;
    for (let b = 0; b < buckets; b++) set.writeUInt32LE(streamBits - 1, 10 + 4 * (buckets + b));
  });
  assert.throws(
    () => cut.seg.hasId('id-x'),
    new RegExp(
      `cannot read segment: .*cut\\.seg: section at offset ${cut.off}: id set is damaged: bucket \\d+ runs past the end`,
    ),
  );
});
