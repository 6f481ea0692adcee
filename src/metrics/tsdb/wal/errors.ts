/**
 * @module
 * Errors of the WAL, as classes that callers branch on. A {@link WalCorruptionError} is the
 * one to repair (see `repair.ts`); the others mean "stop": repairing an unsupported or
 * unwritable WAL would throw data away.
 */

import { join } from 'node:path';
import { segmentName } from './layout.js';

/** A record that cannot be read, located by directory, segment and offset. */
abstract class WalRecordError extends Error {
  constructor(
    /** The WAL or checkpoint directory holding the segment. */
    readonly dir: string,
    readonly segment: number,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `cannot read WAL record: ${reason} in segment ${join(dir, segmentName(segment))} at offset ${offset}`,
    );
  }
}

/**
 * A damaged record: torn by a crash mid-write, or changed on disk. Everything before `offset`
 * in `segment` (and in earlier segments) read cleanly; `offset` is where the damaged record
 * starts, so truncating there keeps every intact record.
 */
export class WalCorruptionError extends WalRecordError {
  override name = 'WalCorruptionError';
}

/**
 * An intact record in a form we cannot read: compressed (Prometheus writes Snappy-compressed
 * records when `--storage.tsdb.wal-compression` is on, the default since 2.20). Not repairable:
 * the data is fine.
 */
export class WalUnsupportedError extends WalRecordError {
  override name = 'WalUnsupportedError';
}

/**
 * A write, fsync or file operation on a segment failed. The WAL is then unusable: after a failed
 * fsync the kernel may have dropped the dirty pages, so a later fsync that succeeds proves
 * nothing. Every later call throws a new WalIOError with the first one as `cause`; recover by
 * closing, replaying (and repairing) and opening again.
 */
export class WalIOError extends Error {
  constructor(
    readonly op: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`cannot ${op} ${path}${detail}`, options);
    this.name = 'WalIOError';
  }
}

/** The WAL was used after `close()`. */
export class WalClosedError extends Error {
  constructor(
    readonly dir: string,
    op: string,
  ) {
    super(`cannot ${op}: WAL ${dir} is closed`);
    this.name = 'WalClosedError';
  }
}

/** `repair()` was given something it cannot repair; nothing was changed. */
export class WalRepairError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot repair WAL ${dir}: ${reason}`, options);
    this.name = 'WalRepairError';
  }
}
