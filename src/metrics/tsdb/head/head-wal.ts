/**
 * @module
 * The head's write-ahead log: how a commit becomes WAL records (a Series record for series the
 * WAL has not seen, then one Samples record), and how a restart rebuilds the head from the
 * newest checkpoint and the segments after it. A damaged tail is cut at the last good record
 * and replay goes on with what was read, as Prometheus does.
 */

import { recordType, RecordType } from '../record/types.js';
import { decodeSamples, encodeSamples, samplesRecordSize } from '../record/samples.js';
import { decodeSeries, encodeSeries, seriesRecordSize, type RefSeries } from '../record/series.js';
import { SampleBatch } from '../record/sample-batch.js';
import { ensureCapacity } from '../record/buffer.js';
import { WalCorruptionError } from '../wal/errors.js';
import { WalReader } from '../wal/reader.js';
import { repair, type RepairResult } from '../wal/repair.js';
import type { Wal } from '../wal/wal.js';
import type { WalStats } from '../wal/stats.js';
import type { Head, HeadLog } from './head.js';
import { AppendResult, type MemSeries } from './mem-series.js';

/** How durable a commit is when it resolves; see docs/format/wal.md. */
export type WalSyncPolicy = 'write' | 'fsync';

export class WalHeadLog implements HeadLog {
  readonly #wal: Wal;
  readonly #policy: WalSyncPolicy;
  #buf: Uint8Array = new Uint8Array(64 * 1024);

  /**
   * @example
   * const head = new Head({ log: new WalHeadLog(Wal.open(dir), 'write') });
   */
  constructor(wal: Wal, policy: WalSyncPolicy) {
    this.#wal = wal;
    this.#policy = policy;
  }

  log(newSeries: readonly MemSeries[], samples: SampleBatch): void {
    let off = 0;
    let seriesEnd = 0;
    if (newSeries.length > 0) {
      const refs: RefSeries[] = newSeries.map((s) => ({ ref: s.ref, labels: s.labels }));
      this.#buf = ensureCapacity(this.#buf, 0, seriesRecordSize(refs));
      off = seriesEnd = encodeSeries(this.#buf, 0, refs);
    }
    this.#buf = ensureCapacity(this.#buf, off, samplesRecordSize(samples.length));
    off = encodeSamples(this.#buf, off, samples);
    if (seriesEnd > 0)
      this.#wal.log(this.#buf.subarray(0, seriesEnd), this.#buf.subarray(seriesEnd, off));
    else this.#wal.log(this.#buf.subarray(0, off));
  }

  sync(): Promise<void> {
    return this.#policy === 'fsync' ? this.#wal.sync() : Promise.resolve();
  }
}

/** What a replay found. */
export interface ReplayResult {
  records: number;
  series: number;
  samples: number;
  /** Samples not applied: out of order, duplicate, before the head's valid range, or of unknown series. */
  skippedSamples: number;
  /** The repair made when the WAL had a damaged tail, or null. */
  repaired: RepairResult | null;
}

/**
 * Rebuilds `head` from the WAL in `dir` (which no Wal may have open). Refs from the WAL are kept,
 * and several refs naming the same labels (series re-created across restarts) map to one series.
 *
 * @example
 * const result = replayWal(join(dir, 'wal'), head, stats);
 * if (result.repaired) log.warn('WAL was damaged; cut at the last good record', result.repaired);
 */
export function replayWal(dir: string, head: Head, stats: WalStats): ReplayResult {
  const result: ReplayResult = {
    records: 0,
    series: 0,
    samples: 0,
    skippedSamples: 0,
    repaired: null,
  };
  const byWalRef = new Map<number, MemSeries>();
  const series: RefSeries[] = [];
  const batch = new SampleBatch(1024);
  const reader = WalReader.open(dir, { stats });
  try {
    for (let rec = reader.next(); rec !== null; rec = reader.next()) {
      result.records++;
      const type = recordType(rec);
      if (type === RecordType.Series) {
        series.length = 0;
        for (const s of decodeSeries(rec, series)) {
          const m = head.getOrCreate(s.labels, s.ref).series;
          m.logged = true;
          byWalRef.set(s.ref, m);
          result.series++;
        }
      } else if (type === RecordType.Samples) {
        decodeSamples(rec, batch);
        applySamples(head, byWalRef, batch, result);
      }
    }
  } catch (err) {
    if (!(err instanceof WalCorruptionError) || err.dir !== reader.dir) throw err;
    reader.close();
    result.repaired = repair(dir, err);
    return result;
  } finally {
    reader.close();
  }
  return result;
}

function applySamples(
  head: Head,
  byWalRef: Map<number, MemSeries>,
  batch: SampleBatch,
  result: ReplayResult,
) {
  const { refs, ts, vs } = batch;
  for (let i = 0; i < batch.length; i++) {
    const s = byWalRef.get(refs[i]!);
    const t = ts[i]!;
    if (s === undefined || t < head.minValidTime || s.append(t, vs[i]!) !== AppendResult.Appended) {
      result.skippedSamples++;
      continue;
    }
    head.noteSampleTime(t);
    result.samples++;
  }
}
