// What the tests of segments written by older writers share: the documents testdata/version1.seg
// and testdata/version2.seg were written from, and the check that a merge rewrites such a segment
// rather than concatenating it with one of the current version.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
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

/**
 * Asserts that the old segment at `path` is not concatenated with a current one, which it writes
 * in `dir`.
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
  assert.deepEqual(concatOrder([old], 'brotli'), [old]);
}
