// What the tests of segments written by older writers share: the documents testdata/version1.seg,
// version2.seg and version3-order1.seg were written from, the checks that a block gives them and
// their tokens back, and the check that a merge rewrites such a segment rather than concatenating
// it with one of the current version.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { hashKey } from '../bloom.js';
import type { SegmentBlock } from '../segment-block.js';
import { concatOrder } from '../segment-concat.js';
import { SEGMENT_VERSION } from '../segment-format.js';
import { SegmentReader } from '../segment-reader.js';
import { writeSegment } from '../segment-writer.js';

export const T = Date.UTC(2024, 4, 6);

/** Document `i` of the old segments (ids `v1-<i>`, `v2-<i>`). */
export const source = (i: number) => ({
  '@timestamp': new Date(T + i * 1000)
    .toISOString()
    .replace('Z', `${String(i % 1000).padStart(3, '0')}Z`),
  message: `request ${i % 3 === 0 ? 'failed' : 'served'} in ${i % 977} ms${i === 4321 ? ' kraken' : ''}`,
  level: i % 3 === 0 ? 'error' : 'info',
  http: { status: i % 3 === 0 ? 500 : 200 },
  tags: ['a', i % 2 === 0 ? 'even' : 'odd'],
});

/** Asserts that each document of `block` has the time and source {@link source} gives it. */
export function assertDocuments(block: SegmentBlock): void {
  for (let i = 0; i < block.length; i++) {
    const k = Number(block.id(i).slice(3));
    assert.equal(block.ms[i], T + k * 1000);
    assert.equal(block.ns[i], (k % 1000) * 1000);
    assert.deepEqual(block.source(i), source(k));
  }
}

/**
 * Asserts that block `b` of `seg` finds the frequent token `failed` (in a third of the messages,
 * answered from the frequent-token section) and the rare `kraken` (document 4321, ids
 * `<prefix>-<i>`) where they are, and that its bloom admits `kraken`.
 */
export function assertTokens(seg: SegmentReader, b: number, block: SegmentBlock, prefix: string) {
  const rows = new Uint8Array(block.length);
  assert.equal(block.column('message')!.findTokens!(['failed'], rows), true);
  for (let i = 0; i < block.length; i++) {
    assert.equal(rows[i], Number(block.id(i).slice(3)) % 3 === 0 ? 1 : 0);
  }
  const rare = new Uint8Array(block.length);
  block.column('message')!.findTokens!(['kraken'], rare);
  const found = [...rare.keys()].filter((i) => rare[i] === 1).map((i) => block.id(i));
  assert.deepEqual(found, b === 0 ? [`${prefix}-4321`] : []);
  const h = new Uint32Array(2);
  hashKey('kraken', h);
  if (b === 0) assert.ok(seg.blockMayHaveAll(b, [h]));
}

/**
 * Asserts that the old segment at `path` (before version 5) is not concatenated, with a current
 * one, which it writes in `dir`, or alone.
 */
export function assertMergeRewrites(
  t: TestContext,
  path: string,
  index: string,
  dir: string,
): void {
  const old = SegmentReader.open(path);
  t.after(() => old.release());
  const laterPath = join(dir, 'later.seg');
  writeSegment(laterPath, {
    index,
    length: 1,
    ids: ['later'],
    ms: [T + 10_000_000],
    ns: [0],
    source: () => ({ message: 'later' }),
    rawBytes: 1,
  });
  const later = SegmentReader.open(laterPath);
  t.after(() => later.release());
  assert.equal(later.footer.version, SEGMENT_VERSION);
  assert.equal(concatOrder([old, later], 'brotli'), undefined);
  // A concatenation writes the current version, whose blocks an old segment's are not.
  assert.equal(concatOrder([old], 'brotli'), undefined);
}
