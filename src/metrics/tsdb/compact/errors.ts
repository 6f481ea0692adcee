/**
 * @module
 * Errors of compaction. A failed job surfaces as one {@link CompactionError} naming what was
 * being written and from what, with the worker's own error (rebuilt with its name, message and
 * stack) or a {@link WorkerExitError} as its `cause`. Nothing here is fatal: the TSDB counts
 * and logs the failure and serves the data it had.
 */

/** A compaction job (head range → block, or blocks → block) that did not produce its block. */
export class CompactionError extends Error {
  /**
   * @param ulid the block that was being written
   * @param source what it was written from: `head [mint, maxt)` or the parents' ULIDs
   * @example
   * new CompactionError('01HQ3K8Z9R6W0V3T2N5M4B7C1D', 'blocks 01HQ…, 01HR…', 'worker exited with code 1');
   */
  constructor(
    readonly ulid: string,
    readonly source: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot write block ${ulid} from ${source}: ${reason}`, options);
    this.name = 'CompactionError';
  }
}

/** The compaction worker thread ended while a job was running (a crash, or terminate()). */
export class WorkerExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`compaction worker exited with code ${exitCode}`);
    this.name = 'WorkerExitError';
  }
}

/** A chunk that a merge had to decode (to drop deleted or duplicate samples) and could not. */
export class ChunkMergeError extends Error {
  /**
   * @param block the parent block's directory
   * @param mint the chunk's first timestamp, ms
   * @param maxt the chunk's last timestamp, ms
   * @example
   * new ChunkMergeError('/data/01HQ3K8Z9R6W0V3T2N5M4B7C1D', 0, 59_000, 'unsupported encoding 2');
   */
  constructor(
    readonly block: string,
    readonly mint: number,
    readonly maxt: number,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot re-encode chunk [${mint}, ${maxt}] of block ${block}: ${reason}`, options);
    this.name = 'ChunkMergeError';
  }
}
