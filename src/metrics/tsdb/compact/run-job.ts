/**
 * @module
 * Runs one compaction job synchronously in the calling thread: the compaction worker calls it
 * for each request it gets; tests call it directly to compare with the worker.
 */

import type { BlockMeta } from '../block/meta.js';
import { type Block, openBlock } from '../block/read-block.js';
import { writeHeadSnapshot } from './head-to-block.js';
import { mergeBlocks } from './merge-blocks.js';
import type { CompactionJob } from './protocol.js';

/**
 * Writes the job's block and returns its meta (null when a merge left no samples). The parents
 * of a merge are opened here and closed before returning.
 *
 * @example
 * const meta = runJob({ kind: 'merge-blocks', dir, ulid: newUlid(), parents: [a, b, c] });
 */
export function runJob(job: CompactionJob): BlockMeta | null {
  if (job.kind === 'persist-head') return writeHeadSnapshot(job.dir, job.snapshot, job.ulid);
  const parents: Block[] = [];
  try {
    for (const dir of job.parents) parents.push(openBlock(dir));
    return mergeBlocks(job.dir, parents, job.ulid);
  } finally {
    for (const b of parents) b.close();
  }
}
