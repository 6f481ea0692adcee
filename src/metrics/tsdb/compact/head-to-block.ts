/**
 * @module
 * Cuts a time range of the head into a block. Head chunks never cross a multiple of the block
 * range, so each chunk lies wholly inside or outside a range aligned to it and is copied as is,
 * without re-encoding.
 */

import { writeBlock, type BlockSeries } from '../block/write-block.js';
import { ENCODING_XOR } from '../chunkenc/xor.js';
import type { Head } from '../head/head.js';

/**
 * Writes the head's samples with `mint ≤ t < maxt` as a new level-1 block in `dir`; returns its
 * ULID, or null when the range holds no samples.
 *
 * @example
 * const ulid = persistHeadRange(head, '/data/metrics', 0, 7_200_000);
 */
export function persistHeadRange(
  head: Head,
  dir: string,
  mint: number,
  maxt: number,
): string | null {
  const series: BlockSeries[] = [];
  for (const s of head.allSeries()) {
    const chunks = s
      .chunks()
      .filter((c) => c.mint >= mint && c.maxt < maxt)
      .map((c) => ({ mint: c.mint, maxt: c.maxt, encoding: ENCODING_XOR, data: c.chunk.bytes() }));
    if (chunks.length > 0) series.push({ labels: s.labels, chunks });
  }
  if (series.length === 0) return null;
  series.sort((a, b) => a.labels.compare(b.labels));
  return writeBlock(dir, { minTime: mint, maxTime: maxt, series });
}
