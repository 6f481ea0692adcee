import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { hashKey } from './bloom.js';
import { concatOrder, concatSegments } from './segment-concat.js';
import { BLOCK_DOCS } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';

/** A segment of `n` documents with ids `<tag>-<i>`, one a ms from `ms0`. */
function segment(dir: string, tag: string, n: number, ms0: number): SegmentReader {
  const path = join(dir, `${tag}.seg`);
  writeSegment(path, {
    index: 'logs',
    length: n,
    ids: Array.from({ length: n }, (_, i) => `${tag}-${i}`),
    ms: Array.from({ length: n }, (_, i) => ms0 + i),
    ns: Array.from({ length: n }, () => 0),
    source: (i) => ({ message: `line ${i}` }),
    rawBytes: n * 10,
  });
  return SegmentReader.open(path);
}

/** An id of none of `ids` whose id-set hash (the first of the pair) is one of theirs. */
function collider(ids: readonly string[]): string {
  const h = new Uint32Array(2);
  const hashes = new Set<number>();
  for (const id of ids) {
    hashKey(id, h);
    hashes.add(h[0]!);
  }
  for (let i = 0; ; i++) {
    const id = `other-${i}`;
    hashKey(id, h);
    if (hashes.has(h[0]!)) return id;
  }
}

test('a lookup decodes only the blocks whose id filter lets the id pass', (t) => {
  const dir = tempDir(t);
  const T = 1_700_000_000_000;
  const n = 3 * BLOCK_DOCS + 500;
  const seg = segment(dir, 'a', n, T);
  assert.equal(seg.footer.blocks.length, 4);
  assert.ok(seg.footer.blocks.every((b) => b.idBloom !== undefined));
  for (let i = 0; i < n; i += 37) {
    const id = `a-${i}`;
    assert.ok(seg.idBlocks(id).includes(Math.floor(i / BLOCK_DOCS)), id);
    assert.ok(seg.hasId(id), id);
  }
  // An absent id that passes the id set: before the blocks' filters, every block was decoded.
  const ids = Array.from({ length: n }, (_, i) => `a-${i}`);
  const other = collider(ids);
  assert.ok(seg.idSet().has(((h) => (hashKey(other, h), h[0]!))(new Uint32Array(2))));
  assert.ok(seg.idBlocks(other).length <= 1, `${seg.idBlocks(other)}`);
  assert.equal(seg.hasId(other), false);
  assert.deepEqual(seg.idBlocks('a-absent'), []);

  // A concatenation moves each block's filter with it.
  const b = segment(dir, 'b', BLOCK_DOCS + 10, T + n);
  const path = join(dir, 'ab.seg');
  concatSegments(path, concatOrder([b, seg], 'brotli')!, 'logs', new Set());
  const ab = SegmentReader.open(path);
  assert.equal(ab.footer.blocks.length, 6);
  for (let i = 0; i < BLOCK_DOCS + 10; i += 29) {
    assert.ok(ab.idBlocks(`b-${i}`).includes(4 + Math.floor(i / BLOCK_DOCS)), `b-${i}`);
    assert.ok(ab.hasId(`b-${i}`), `b-${i}`);
  }
  for (let i = 0; i < n; i += 101) assert.ok(ab.hasId(`a-${i}`), `a-${i}`);
  assert.equal(ab.hasId(other), false);
});
