import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockMeta } from '../block/meta.js';
import { blockRanges, MAX_BLOCK_RANGE, planCompaction, splitByRange } from './plan.js';

const H = 3600_000;
const DAY = 24 * H;
const RANGES = [2 * H, 6 * H, 18 * H, 54 * H];

/** A block over [min h, max h), named by its range, e.g. `0-2`. */
function b(min: number, max: number, extra: Partial<BlockMeta> = {}): BlockMeta {
  return {
    ulid: `${min}-${max}`,
    minTime: min * H,
    maxTime: max * H,
    stats: { numSamples: 1, numSeries: 10, numChunks: 1 },
    compaction: { level: 1, sources: [] },
    version: 1,
    ...extra,
  };
}

/** Plans over `blocks` (given in minTime order) and expects the named blocks. */
function f(blocks: BlockMeta[], expected: string[], excluded: string[] = []) {
  const got = planCompaction(blocks, RANGES, new Set(excluded)).map((m) => m.ulid);
  assert.deepEqual(got, expected);
}

test('blockRanges: ×3 per level, capped at a tenth of the retention and at 31 days', () => {
  const g = (duration: number, retention: number, expected: number[]) =>
    assert.deepEqual(blockRanges(duration, retention), expected);
  g(2 * H, 15 * DAY, [2 * H, 6 * H, 18 * H]); // cap 36 h
  g(2 * H, 0, [2 * H, 6 * H, 18 * H, 54 * H, 162 * H, 486 * H]); // cap 31 d = 744 h
  g(2 * H, 100 * 365 * DAY, [2 * H, 6 * H, 18 * H, 54 * H, 162 * H, 486 * H]);
  g(2 * H, 10 * H, [2 * H]); // cap 1 h is below one block: the first range stays
  g(H, 60 * H, [H, 3 * H]);
  assert.ok(blockRanges(2 * H, 0).every((r) => r <= MAX_BLOCK_RANGE));
});

test('splitByRange groups blocks by aligned window and skips blocks crossing one', () => {
  const groups = (blocks: BlockMeta[], range: number) =>
    splitByRange(blocks, range * H).map((g) => g.map((m) => m.ulid));
  assert.deepEqual(groups([b(0, 2), b(2, 4), b(6, 8), b(10, 12)], 6), [
    ['0-2', '2-4'],
    ['6-8', '10-12'],
  ]);
  // 4-8 crosses the 6 h boundary; a block as long as the window is a group of its own.
  assert.deepEqual(groups([b(0, 2), b(4, 8), b(8, 10)], 6), [['0-2'], ['8-10']]);
  assert.deepEqual(groups([b(0, 6), b(6, 12)], 6), [['0-6'], ['6-12']]);
  // Times before 1970 align down too.
  assert.deepEqual(groups([b(-6, -4), b(-4, -2), b(-2, 0)], 6), [['-6--4', '-4--2', '-2-0']]);
});

test('planCompaction: levels, alignment and the newest block', () => {
  f([], []);
  f([b(0, 2)], []);
  // Three 2 h blocks fill [0, 6h), but the newest is never taken.
  f([b(0, 2), b(2, 4), b(4, 6)], []);
  f([b(0, 2), b(2, 4), b(4, 6), b(6, 8)], ['0-2', '2-4', '4-6']);
  // [6h, 12h) is not full, but ends before the last settled block starts: nothing will fill
  // it any more.
  f([b(0, 6), b(6, 8), b(8, 10), b(12, 14), b(14, 16)], ['6-8', '8-10']);
  // Not full, and still open: the block that may fill it can come next.
  f([b(0, 6), b(6, 8), b(8, 10), b(12, 14)], []);
  f([b(0, 6), b(6, 12), b(12, 14), b(14, 16), b(16, 18)], []);
  // A single block per window is not merged; the next level up is tried.
  f([b(0, 6), b(6, 12), b(12, 18), b(18, 20)], ['0-6', '6-12', '12-18']);
  // Lower levels first, oldest window first.
  f([b(0, 6), b(6, 12), b(12, 14), b(14, 16), b(16, 18), b(18, 20)], ['12-14', '14-16', '16-18']);
  // A block crossing a 6 h boundary joins no 6 h group; its neighbours stay alone there.
  f([b(1, 3), b(5, 7), b(7, 9), b(12, 14)], []);
  // Gaps are fine: the group spans its window or ends before the newest block.
  f([b(0, 2), b(4, 6), b(24, 26)], ['0-2', '4-6']);
});

test('planCompaction: overlapping blocks come first, whatever their age', () => {
  f([b(0, 2), b(2, 4), b(4, 6), b(6, 8), b(7, 9)], ['6-8', '7-9']);
  // A run: 1-3 overlaps 0-2, 2-6 overlaps 1-3; 6-8 touches but does not overlap.
  f([b(0, 2), b(1, 3), b(2, 6), b(6, 8)], ['0-2', '1-3', '2-6']);
  // A backfilled long block under several short ones.
  f([b(0, 18), b(2, 4), b(4, 6), b(20, 22)], ['0-18', '2-4', '4-6']);
  // Even the newest block is merged when it overlaps.
  f([b(0, 2), b(0, 2, { ulid: 'again' })], ['0-2', 'again']);
});

test('planCompaction: excluded and failed blocks are never planned', () => {
  const blocks = [b(0, 2), b(2, 4), b(4, 6), b(6, 8), b(8, 10), b(10, 12), b(12, 14)];
  f(blocks, ['0-2', '2-4', '4-6']);
  f(blocks, ['6-8', '8-10', '10-12'], ['2-4']);
  const failed = b(2, 4, { compaction: { level: 1, sources: [], failed: true } });
  f([b(0, 2), failed, b(4, 6), b(6, 8), b(8, 10), b(10, 12), b(12, 14)], ['6-8', '8-10', '10-12']);
  f([b(0, 2), b(1, 3)], [], ['1-3']);
});

test('planCompaction: tombstone rewrites of big or wholly deleted blocks', () => {
  const stones = (min: number, max: number, numTombstones: number, numSeries = 10) =>
    b(min, max, { stats: { numSamples: 1, numSeries, numChunks: 1, numTombstones } });
  // 18 h is the middle range of RANGES: shorter blocks need every series deleted.
  f([stones(0, 18, 1), b(18, 20)], ['0-18']);
  f([stones(0, 18, 0), b(18, 20)], []);
  f([stones(0, 2, 5), b(2, 4)], []);
  f([stones(0, 2, 10), b(2, 4)], ['0-2']);
  // The newest block is never rewritten, even if wholly deleted.
  f([b(0, 2), stones(4, 6, 10)], []);
});
