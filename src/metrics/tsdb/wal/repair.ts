/**
 * @module
 * Repair after a damaged record, as Prometheus does it: keep everything before the damage and
 * drop everything from it on. Records may depend on earlier ones (samples name series created
 * before them), so keeping records after a hole could replay samples of series never created;
 * a clean cut loses only the tail, which after a crash is the part never acknowledged.
 *
 * Prometheus rewrites the damaged segment's good records into a new file; truncating in place
 * is equivalent here because the reader reports the offset where the damaged record starts,
 * which is a record boundary. The cut segment may end mid-page; readers treat that as padding,
 * and the next `Wal.open()` starts a new segment after it rather than appending to it.
 */

import { ftruncateSync, fsyncSync, openSync, closeSync, unlinkSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WalCorruptionError, WalRepairError } from './errors.js';
import { fsyncPath } from '../../../lib/fs/fsync.js';
import { listSegments, segmentName } from './layout.js';

export interface RepairResult {
  /** The segment that was cut. */
  segment: number;
  /** Its new length: the offset where the damaged record started. */
  offset: number;
  /** Later segments, deleted. */
  deletedSegments: number[];
}

/**
 * Cuts the WAL in `dir` at the damage `err` reports: truncates segment `err.segment` at
 * `err.offset` and deletes every later segment, highest first, so that a crash in the middle
 * never leaves a gap in the numbering. Durable (fsynced) when it returns. Must not run while a
 * Wal is open on `dir`; the caller logs the result and counts the repair.
 *
 * @throws {WalRepairError} when `err` is not a {@link WalCorruptionError} of a segment in
 *   `dir`; a damaged checkpoint cannot be cut this way (the series it holds would be lost
 *   while later segments still refer to them).
 * @example
 * try {
 *   replayAll(WalReader.open(dir));
 * } catch (err) {
 *   const r = repair(dir, err);
 *   log.warn('WAL repaired', r);
 * }
 */
export function repair(dir: string, err: unknown): RepairResult {
  if (!(err instanceof WalCorruptionError)) {
    throw new WalRepairError(dir, 'not a WAL corruption error', { cause: err });
  }
  if (resolve(err.dir) !== resolve(dir)) {
    throw new WalRepairError(dir, `the damage is in ${err.dir}, not in a segment`, { cause: err });
  }
  const path = join(dir, segmentName(err.segment));
  if (!existsSync(path)) {
    throw new WalRepairError(dir, `segment ${segmentName(err.segment)} does not exist`, {
      cause: err,
    });
  }
  const deletedSegments = listSegments(dir)
    .filter((i) => i > err.segment)
    .reverse();
  for (const i of deletedSegments) unlinkSync(join(dir, segmentName(i)));
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, err.offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncPath(dir);
  return { segment: err.segment, offset: err.offset, deletedSegments: deletedSegments.reverse() };
}
