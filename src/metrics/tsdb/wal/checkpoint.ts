/**
 * @module
 * Checkpoints: compacting the start of the WAL once the head has persisted its older samples
 * in a block. A checkpoint rewrites the previous checkpoint plus segments `from..to` into
 * `checkpoint.<to>`, keeping only what replay still needs — Series records of live series,
 * samples at or after the head's new minimum time, tombstones of live series that reach that
 * time — and then deletes those segments and older checkpoints. Replay reads the newest
 * checkpoint and the segments after it (see `WalReader.open`).
 *
 * The checkpoint is written as a WAL in `checkpoint.<to>.tmp`, fsynced, and renamed into place,
 * so a crash leaves either the old state or the new one; a leftover `.tmp` is deleted by the
 * next checkpoint. One deviation from Prometheus: it keeps tombstones of deleted series; we drop
 * them with their series, as nothing can refer to them any more.
 */

import { mkdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCapacity } from '../record/buffer.js';
import { SampleBatch } from '../record/sample-batch.js';
import { decodeSamples, encodeSamples, samplesRecordSize } from '../record/samples.js';
import { decodeSeries, encodeSeries, seriesRecordSize, type RefSeries } from '../record/series.js';
import {
  decodeTombstones,
  encodeTombstones,
  tombstonesRecordSize,
  type Tombstone,
} from '../record/tombstones.js';
import { recordType, RecordType } from '../record/types.js';
import { fsyncPath } from '../../../lib/fs/fsync.js';
import {
  checkpointName,
  listCheckpoints,
  listSegments,
  listTempCheckpoints,
  segmentName,
} from './layout.js';
import { WalReader } from './reader.js';
import { Wal } from './wal.js';

/**
 * Records are logged to the checkpoint 1 MiB at a time (as Prometheus does), and the event loop
 * gets a turn between batches so that commits are not held up by a long checkpoint.
 */
const FLUSH_BYTES = 1024 * 1024;

export interface CheckpointOptions {
  /** First segment to read when there is no checkpoint yet; default the first one present. */
  fromSegment?: number;
  /** Last segment to fold in; it must be complete (not the one a Wal is writing). */
  toSegment: number;
  /** Whether the head still has series `ref`; Series records of others are dropped. */
  keepSeries: (ref: number) => boolean;
  /** Samples before this time (ms) are dropped, and tombstones ending before it. */
  minTime: number;
}

export interface CheckpointStats {
  /** The directory written: `<dir>/checkpoint.<toSegment>`. */
  path: string;
  totalSeries: number;
  droppedSeries: number;
  totalSamples: number;
  droppedSamples: number;
  totalTombstones: number;
  droppedTombstones: number;
  /** Records of kinds we do not decode (exemplars, metadata, histograms): not carried over. */
  droppedUnknown: number;
  /** Segments folded in and deleted. */
  deletedSegments: number[];
}

/** Thrown when a checkpoint cannot start; nothing was changed. */
export class CheckpointError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`cannot checkpoint WAL ${dir}: ${reason}`);
    this.name = 'CheckpointError';
  }
}

/**
 * Folds the newest checkpoint and segments up to `toSegment` into `checkpoint.<toSegment>`,
 * then deletes those segments and older checkpoints. Reads synchronously in 1 MiB steps,
 * yielding to the event loop between them; writes are fsynced before the rename.
 *
 * @throws {CheckpointError} when `toSegment` is missing, already checkpointed, or leaves a gap
 *   after the last checkpoint.
 * @throws {WalCorruptionError} when a record is damaged: the WAL must be repaired first, and
 *   the temporary checkpoint is removed.
 * @example
 * const current = wal.nextSegment();
 * const stats = await checkpoint(wal.dir, {
 *   toSegment: current - 1,
 *   keepSeries: (ref) => head.hasSeries(ref),
 *   minTime: head.minTime,
 * });
 */
export async function checkpoint(
  dir: string,
  options: CheckpointOptions,
): Promise<CheckpointStats> {
  const to = options.toSegment;
  const segments = listSegments(dir);
  if (!segments.includes(to))
    throw new CheckpointError(dir, `segment ${segmentName(to)} does not exist`);
  let from = options.fromSegment ?? segments[0]!;
  const newest = listCheckpoints(dir).at(-1);
  if (newest) {
    if (to <= newest.index) {
      throw new CheckpointError(dir, `segment ${segmentName(to)} is already in ${newest.path}`);
    }
    if (from > newest.index + 1) {
      throw new CheckpointError(
        dir,
        `segments ${segmentName(newest.index + 1)}..${segmentName(from - 1)} would be lost between ${newest.path} and segment ${segmentName(from)}`,
      );
    }
    from = newest.index + 1;
  }
  for (const name of listTempCheckpoints(dir))
    rmSync(join(dir, name), { recursive: true, force: true });

  const path = join(dir, checkpointName(to));
  const tmp = `${path}.tmp`;
  mkdirSync(tmp);
  const stats: CheckpointStats = {
    path,
    totalSeries: 0,
    droppedSeries: 0,
    totalSamples: 0,
    droppedSamples: 0,
    totalTombstones: 0,
    droppedTombstones: 0,
    droppedUnknown: 0,
    deletedSegments: [],
  };
  const reader = WalReader.open(dir, { fromSegment: from, toSegment: to });
  const out = Wal.open(tmp);
  try {
    await copyRecords(reader, out, options, stats);
    await out.close();
  } catch (err) {
    reader.close();
    await out.close().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  reader.close();
  fsyncPath(tmp);
  renameSync(tmp, path);
  fsyncPath(dir);

  // Lowest first, so that a crash part-way leaves the remaining segments without a gap.
  for (const i of segments) {
    if (i > to) break;
    unlinkSync(join(dir, segmentName(i)));
    stats.deletedSegments.push(i);
  }
  for (const cp of listCheckpoints(dir)) {
    if (cp.index < to) rmSync(cp.path, { recursive: true, force: true });
  }
  fsyncPath(dir);
  return stats;
}

async function copyRecords(
  reader: WalReader,
  out: Wal,
  options: CheckpointOptions,
  stats: CheckpointStats,
): Promise<void> {
  const { keepSeries, minTime } = options;
  const series: RefSeries[] = [];
  const stones: Tombstone[] = [];
  const batch = new SampleBatch();
  let buf: Uint8Array = new Uint8Array(2 * FLUSH_BYTES);
  let off = 0;
  let pending: Uint8Array[] = [];

  for (let rec = reader.next(); rec !== null; rec = reader.next()) {
    const start = off;
    switch (recordType(rec)) {
      case RecordType.Series: {
        series.length = 0;
        decodeSeries(rec, series);
        const kept = series.filter((s) => keepSeries(s.ref));
        stats.totalSeries += series.length;
        stats.droppedSeries += series.length - kept.length;
        if (kept.length > 0) {
          buf = ensureCapacity(buf, off, seriesRecordSize(kept));
          off = encodeSeries(buf, off, kept);
        }
        break;
      }
      case RecordType.Samples: {
        decodeSamples(rec, batch);
        const total = batch.length;
        batch.retain((_ref, t) => t >= minTime);
        stats.totalSamples += total;
        stats.droppedSamples += total - batch.length;
        if (batch.length > 0) {
          buf = ensureCapacity(buf, off, samplesRecordSize(batch.length));
          off = encodeSamples(buf, off, batch);
        }
        break;
      }
      case RecordType.Tombstones: {
        stones.length = 0;
        decodeTombstones(rec, stones);
        const kept = stones.filter((s) => s.maxt >= minTime && keepSeries(s.ref));
        stats.totalTombstones += stones.length;
        stats.droppedTombstones += stones.length - kept.length;
        if (kept.length > 0) {
          buf = ensureCapacity(buf, off, tombstonesRecordSize(kept.length));
          off = encodeTombstones(buf, off, kept);
        }
        break;
      }
      default:
        stats.droppedUnknown++;
    }
    if (off > start) pending.push(buf.subarray(start, off));
    if (off >= FLUSH_BYTES) {
      logAll(out, pending);
      pending = [];
      off = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  logAll(out, pending);
}

/** Logs in slices: spreading tens of thousands of small records at once would overflow the stack. */
function logAll(out: Wal, records: Uint8Array[]): void {
  for (let i = 0; i < records.length; i += 1024) out.log(...records.slice(i, i + 1024));
}
