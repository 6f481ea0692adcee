/**
 * @module
 * Which blocks to merge next, by the rules of Prometheus' leveled compactor, so that a directory
 * compacted by either program converges to the same layout. Block ranges grow by a factor of 3
 * (2 h, 6 h, 18 h, 54 h, … for a 2 h block duration), up to a tenth of the retention and at most
 * 31 days, so retention can still drop data in steps of about a tenth of its span. One plan is
 * one new block; the caller merges it and plans again until the plan is empty. In priority
 * order:
 *
 * 1. Overlapping blocks (a backfill, or blocks copied in from another server) are merged first:
 *    queries over them deduplicate samples at read time, which is far more costly than reading
 *    one merged block.
 * 2. Consecutive blocks that together fill a range of the next level, aligned to a multiple of
 *    it (blocks [0,2h) [2h,4h) [4h,6h) become [0,6h)). A range is also merged when it is not
 *    full but lies wholly before the newest block, since nothing will fill it any more. The
 *    newest block is never taken: it was just cut from the head, and leaving it alone for one
 *    block range lets users back it up piecewise without seeing it vanish into a bigger one.
 * 3. A block whose tombstones cover a notable share of its series (over 5 %, or every series
 *    for a small block) is rewritten alone, which frees the deleted data's space.
 */

import type { BlockMeta } from '../block/meta.js';

const DAY = 24 * 3600 * 1000;
/** Prometheus' cap on a block's range: blocks of a month keep retention reasonably granular. */
export const MAX_BLOCK_RANGE = 31 * DAY;
/** How many levels Prometheus considers (2 h × 3^9 ≈ 4.5 years: the cap always bites first). */
const LEVELS = 10;
/** Each level's range is this many times the previous one. */
const LEVEL_FACTOR = 3;
/** A big block is rewritten when more than this share of its series has tombstones. */
const TOMBSTONE_SHARE = 0.05;

/**
 * The range of each level, ms, shortest first: `blockDuration × 3^k`, capped at a tenth of
 * `retention` (when set) and at 31 days, but always including `blockDuration` itself.
 *
 * @param blockDuration range of the blocks cut from the head, ms
 * @param retention time retention, ms; 0 when data is kept forever
 * @example
 * blockRanges(2 * 3600_000, 15 * 86_400_000); // [2h, 6h, 18h] in ms: 54 h exceeds 1.5 d
 */
export function blockRanges(blockDuration: number, retention: number): number[] {
  let max = MAX_BLOCK_RANGE;
  if (retention > 0 && retention / 10 < max) max = retention / 10;
  max = Math.max(max, blockDuration);
  const ranges: number[] = [];
  for (let r = blockDuration, i = 0; i < LEVELS && r <= max; i++, r *= LEVEL_FACTOR) {
    ranges.push(r);
  }
  return ranges;
}

/**
 * The metas of the blocks to merge into one next, in `metas` order; empty when there is
 * nothing to do. A single block is returned only for a tombstone rewrite.
 *
 * @param metas every served block, sorted by minTime
 * @param ranges level ranges from {@link blockRanges}
 * @param excluded ULIDs of blocks not to touch (parents of a merge that failed). A plan never
 *   includes them, nor blocks whose meta says a compaction failed (Prometheus marks those); an
 *   aligned range holding one is left as it is rather than merged around the gap
 * @example
 * const parents = planCompaction(blocks.map((b) => b.meta), blockRanges(2 * HOUR, 0));
 * if (parents.length > 0) merge(parents);
 */
export function planCompaction(
  metas: readonly BlockMeta[],
  ranges: readonly number[],
  excluded: ReadonlySet<string> = new Set(),
): BlockMeta[] {
  if (metas.length === 0) return [];
  const usable = (m: BlockMeta) => !excluded.has(m.ulid) && m.compaction.failed !== true;
  const overlapping = selectOverlapping(metas);
  if (overlapping.length > 0 && overlapping.every(usable)) return overlapping;
  const settled = metas.slice(0, -1);
  const aligned = selectAligned(settled, ranges, usable);
  if (aligned.length > 0) return aligned;
  return selectTombstoned(settled, ranges).filter(usable);
}

/** The first run of blocks whose ranges overlap one another (maxTime is exclusive). */
function selectOverlapping(metas: readonly BlockMeta[]): BlockMeta[] {
  const run: BlockMeta[] = [];
  let reach = metas[0]!.maxTime;
  for (let i = 1; i < metas.length; i++) {
    const m = metas[i]!;
    if (m.minTime < reach) {
      if (run.length === 0) run.push(metas[i - 1]!);
      run.push(m);
    } else if (run.length > 0) {
      break;
    }
    reach = Math.max(reach, m.maxTime);
  }
  return run;
}

/**
 * The first group of two or more blocks inside one aligned range of a level above the first,
 * lower levels first, that fills its range or ends before the last block's start.
 */
function selectAligned(
  metas: readonly BlockMeta[],
  ranges: readonly number[],
  usable: (m: BlockMeta) => boolean,
): BlockMeta[] {
  if (metas.length === 0) return [];
  const highTime = metas[metas.length - 1]!.minTime;
  for (const range of ranges.slice(1)) {
    for (const group of splitByRange(metas, range)) {
      if (!group.every(usable)) continue;
      const mint = group[0]!.minTime;
      const maxt = group[group.length - 1]!.maxTime;
      if (group.length > 1 && (maxt - mint === range || maxt <= highTime)) return group;
    }
  }
  return [];
}

/**
 * Groups consecutive blocks by the aligned `range`-wide window they fall in; a block that
 * crosses a window's end (misaligned, or already as long as the window) belongs to none.
 */
export function splitByRange(metas: readonly BlockMeta[], range: number): BlockMeta[][] {
  const groups: BlockMeta[][] = [];
  let i = 0;
  while (i < metas.length) {
    // Math.floor aligns negative times down as well, as Prometheus' explicit branch does.
    const end = Math.floor(metas[i]!.minTime / range) * range + range;
    if (metas[i]!.maxTime > end) {
      i++;
      continue;
    }
    const group: BlockMeta[] = [];
    while (i < metas.length && metas[i]!.maxTime <= end) group.push(metas[i++]!);
    groups.push(group);
  }
  return groups;
}

/**
 * The newest block worth rewriting for its tombstones. Blocks shorter than the middle level
 * range qualify only when every series has a tombstone: rewriting small blocks for a few
 * deletions would cost more than the space it frees, and they get merged soon anyway.
 */
function selectTombstoned(metas: readonly BlockMeta[], ranges: readonly number[]): BlockMeta[] {
  const big = ranges[Math.floor(ranges.length / 2)]!;
  for (let i = metas.length - 1; i >= 0; i--) {
    const m = metas[i]!;
    const stones = m.stats.numTombstones ?? 0;
    if (m.maxTime - m.minTime < big) {
      return stones > 0 && stones >= m.stats.numSeries ? [m] : [];
    }
    if (stones / (m.stats.numSeries + 1) > TOMBSTONE_SHARE) return [m];
  }
  return [];
}
