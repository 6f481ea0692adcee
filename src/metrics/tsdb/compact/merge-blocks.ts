/**
 * @module
 * Merges blocks into one new block, streaming: each parent's index lists its series in label
 * order (refs ascend in the order series were written, which is label order), so a k-way merge
 * over the parents' postings visits every distinct series once, in the order the block writer
 * needs, holding one series per parent at a time. Each series' chunks are merged by
 * {@link mergeSeriesChunks}: copied as they are where nothing overlaps, re-encoded where blocks
 * overlap or tombstones delete samples. The new block carries Prometheus' compaction history —
 * level one above the highest parent, the union of the parents' sources, the parents — so
 * promtool and Prometheus see the same lineage they would have written.
 */

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from '../../model/labels.js';
import { type BlockMeta, readMeta } from '../block/meta.js';
import type { Block } from '../block/read-block.js';
import { newUlid } from '../block/ulid.js';
import { type BlockSeries, writeBlock } from '../block/write-block.js';
import type { IndexSeries } from '../index/index-reader.js';
import { mergeSeriesChunks, type SourceChunk } from './merge-chunks.js';

/** Where one parent's series walk stands. */
interface Cursor {
  parent: number;
  block: Block;
  postings: Uint32Array;
  next: number;
  ref: number;
  series: IndexSeries | null;
}

/**
 * Writes the merge of `parents` as a new block in `dir` and returns its meta, or null when
 * tombstones deleted every sample (no block is written then, as Prometheus does; the parents
 * are still to be retired). The new block spans from the earliest parent start to the latest
 * parent end. Synchronous and CPU-bound: the TSDB runs it in the compaction worker.
 *
 * @param parents sorted by minTime; on equal timestamps the earlier parent's sample is kept
 * @throws {BlockWriteError} or a reader error (ChunkCorruptError, IndexCorruptError,
 *   ChunkMergeError) when a parent cannot be read; the partial block is removed.
 * @example
 * const meta = mergeBlocks('/data/metrics', [openBlock(a), openBlock(b), openBlock(c)]);
 */
export function mergeBlocks(
  dir: string,
  parents: readonly Block[],
  ulid = newUlid(),
): BlockMeta | null {
  if (parents.length === 0) throw new RangeError('cannot merge blocks: no parents');
  const metas = parents.map((b) => b.meta);
  const sources = new Set(metas.flatMap((m) => m.compaction.sources));
  writeBlock(
    dir,
    {
      minTime: Math.min(...metas.map((m) => m.minTime)),
      maxTime: Math.max(...metas.map((m) => m.maxTime)),
      series: mergedSeries(parents),
    },
    {
      ulid,
      compaction: {
        level: Math.max(...metas.map((m) => m.compaction.level)) + 1,
        sources: [...sources].sort(),
        parents: metas.map((m) => ({ ulid: m.ulid, minTime: m.minTime, maxTime: m.maxTime })),
      },
    },
  );
  const blockDir = join(dir, ulid);
  const meta = readMeta(blockDir);
  if (meta.stats.numSamples > 0) return meta;
  rmSync(blockDir, { recursive: true, force: true });
  return null;
}

/** Every distinct series of the parents in label order, with its merged chunks. */
function* mergedSeries(parents: readonly Block[]): Generator<BlockSeries> {
  const cursors = parents.map((block, parent): Cursor => {
    const c = { parent, block, postings: block.index.allPostings(), next: 0, ref: 0, series: null };
    advance(c);
    return c;
  });
  const at: Cursor[] = [];
  for (;;) {
    // Few parents per merge: a linear scan for the smallest labels beats a heap.
    let min: Labels | null = null;
    at.length = 0;
    for (const c of cursors) {
      if (c.series === null) continue;
      const order = min === null ? -1 : c.series.labels.compare(min);
      if (order < 0) {
        min = c.series.labels;
        at.length = 0;
      }
      if (order <= 0) at.push(c);
    }
    if (min === null) return;
    const chunks: SourceChunk[] = [];
    for (const c of at) {
      const { block, parent, ref } = c;
      const deleted = block.tombstones.get(ref);
      for (const m of c.series!.chunks) {
        chunks.push({
          mint: m.mint,
          maxt: m.maxt,
          parent,
          block: block.dir,
          deleted,
          read: () => block.chunks.chunk(m.ref),
        });
      }
      advance(c);
    }
    yield { labels: min, chunks: mergeSeriesChunks(chunks) };
  }
}

function advance(c: Cursor): void {
  if (c.next >= c.postings.length) {
    c.series = null;
    return;
  }
  c.ref = c.postings[c.next++]!;
  c.series = c.block.index.series(c.ref);
}
