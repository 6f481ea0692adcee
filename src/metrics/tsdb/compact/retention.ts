/**
 * @module
 * Which blocks retention deletes. By time, as Prometheus: a block goes once the newest block's
 * end is `retention` or more past its own end, so data is kept at least `retention` back from
 * the newest persisted sample. By size: the oldest blocks go while all blocks together exceed
 * the limit. Whole blocks only: nothing is rewritten.
 */

import type { Block } from '../block/read-block.js';

/**
 * @param blocks oldest first
 * @param retention ms; 0 disables time retention
 * @param retentionSize bytes; 0 disables size retention
 * @returns the blocks to delete
 * @example
 * for (const b of applyRetention(blocks, 15 * 86_400_000, 0)) deleteBlock(b);
 */
export function applyRetention(
  blocks: readonly Block[],
  retention: number,
  retentionSize: number,
): Block[] {
  const doomed = new Set<Block>();
  const newestEnd = blocks.at(-1)?.meta.maxTime;
  if (retention > 0 && newestEnd !== undefined) {
    for (const b of blocks) if (newestEnd - b.meta.maxTime >= retention) doomed.add(b);
  }
  if (retentionSize > 0) {
    let total = 0;
    for (const b of blocks) if (!doomed.has(b)) total += blockSize(b);
    for (const b of blocks) {
      if (total <= retentionSize) break;
      if (doomed.has(b)) continue;
      doomed.add(b);
      total -= blockSize(b);
    }
  }
  return blocks.filter((b) => doomed.has(b));
}

/** Bytes a block takes on disk (index and chunk segments; meta and tombstones are tiny). */
export function blockSize(b: Block): number {
  return b.index.size + b.chunks.size;
}
