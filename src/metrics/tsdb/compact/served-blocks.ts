/**
 * @module
 * The blocks a TSDB serves, and the retired ones still being read. Compaction swaps parents for
 * their merged block and retention drops old blocks while queriers may be reading them, so a
 * querier leases the blocks it reads: a retired block stops being handed out at once, but is
 * closed and deleted only when its last lease is released. A querier taken before a swap thus
 * keeps reading the parents to the end, one taken after reads the new block, and neither sees
 * data twice or not at all. A swap is one synchronous step, so no querier can observe a
 * half-done one.
 *
 * Deleting renames the directory to `<ulid>.tmp-for-deletion` first (as Prometheus does), so a
 * crash in the middle never leaves a half-deleted directory that looks like a block; the TSDB
 * removes such leftovers when it opens. A crash while a retired block waits for its readers
 * leaves it whole on disk: a merge's parents are recognised and removed on the next open (they
 * are listed in the merged block's meta), a retention victim is retired again.
 */

import { renameSync, rmSync } from 'node:fs';
import type { Block } from '../block/read-block.js';

/** Suffix of a block directory being deleted; leftovers are removed when the TSDB opens. */
export const TMP_FOR_DELETION_SUFFIX = '.tmp-for-deletion';

/** Blocks held for one reader, who must call {@link BlockLease.release} once done with them. */
export interface BlockLease {
  /** Sorted by minTime. */
  readonly blocks: readonly Block[];
  /** Gives the blocks back; later calls do nothing. */
  release(): void;
}

export class ServedBlocks {
  #served: Block[];
  readonly #leases = new Map<Block, number>();
  readonly #retired = new Set<Block>();
  readonly #onDeleteError: (block: Block, err: Error) => void;

  /**
   * @param blocks the blocks to serve, in any order
   * @param onDeleteError told when a retired block's directory cannot be deleted (it may run
   *   inside a querier's close(), which must not throw for it)
   * @example
   * const served = new ServedBlocks(blocks, (b, err) => log.error('cannot delete block', { dir: b.dir, err }));
   * const lease = served.lease((b) => b.meta.maxTime > mint);
   */
  constructor(blocks: readonly Block[], onDeleteError: (block: Block, err: Error) => void) {
    this.#served = sortByMinTime(blocks);
    this.#onDeleteError = onDeleteError;
  }

  /** The served blocks, sorted by minTime. Hold a {@link lease} to read them across awaits. */
  get blocks(): readonly Block[] {
    return this.#served;
  }

  /**
   * Leases the served blocks `pick` accepts; they stay open until the lease is released.
   *
   * @example
   * const lease = served.lease((b) => b.meta.minTime <= maxt && b.meta.maxTime > mint);
   * try { read(lease.blocks); } finally { lease.release(); }
   */
  lease(pick: (b: Block) => boolean): BlockLease {
    const blocks = this.#served.filter(pick);
    for (const b of blocks) this.#leases.set(b, (this.#leases.get(b) ?? 0) + 1);
    let released = false;
    return {
      blocks,
      release: () => {
        if (released) return;
        released = true;
        for (const b of blocks) {
          const n = (this.#leases.get(b) ?? 0) - 1;
          if (n > 0) {
            this.#leases.set(b, n);
            continue;
          }
          this.#leases.delete(b);
          if (this.#retired.delete(b)) this.#delete(b);
        }
      },
    };
  }

  /**
   * Serves `added` instead of `retired` in one step. Retired blocks that no lease holds are
   * closed and deleted now, the others when their last lease is released.
   *
   * @example
   * served.swap([merged], parents);
   */
  swap(added: readonly Block[], retired: readonly Block[]): void {
    const gone = new Set(retired);
    this.#served = sortByMinTime([...this.#served.filter((b) => !gone.has(b)), ...added]);
    for (const b of gone) {
      if (this.#leases.has(b)) this.#retired.add(b);
      else this.#delete(b);
    }
  }

  /**
   * Closes every block, served or retired, and deletes the retired ones; for the TSDB's
   * close(), after which neither the blocks nor open leases may be used.
   */
  closeAll(): void {
    for (const b of this.#served) b.close();
    for (const b of this.#retired) this.#delete(b);
    this.#retired.clear();
    this.#leases.clear();
  }

  #delete(b: Block): void {
    b.close();
    const doomed = b.dir + TMP_FOR_DELETION_SUFFIX;
    try {
      renameSync(b.dir, doomed);
      rmSync(doomed, { recursive: true, force: true });
    } catch (err) {
      this.#onDeleteError(b, err as Error);
    }
  }
}

function sortByMinTime(blocks: readonly Block[]): Block[] {
  return [...blocks].sort((a, b) => a.meta.minTime - b.meta.minTime);
}
