import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
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
