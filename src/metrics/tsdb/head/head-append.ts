/**
 * @module
 * A head write transaction. Samples are checked at `append()` (against committed data and the
 * transaction's own earlier samples) and buffered in typed arrays; `commit()` writes them to the
 * WAL first, then into the series' chunks, then waits for the WAL's durability policy. Samples
 * that another transaction made out of order in the meantime are dropped at commit and counted,
 * as Prometheus does.
 */

import type { Labels } from '../../model/labels.js';
import {
  DuplicateSampleError,
  InvalidLabelsError,
  OutOfBoundsError,
  OutOfOrderError,
} from '../../storage/errors.js';
import type { Appender, SeriesRef } from '../../storage/interface.js';
import type { SampleBatch } from '../record/sample-batch.js';
import type { Head } from './head.js';
import { AppendResult, type MemSeries } from './mem-series.js';

export class HeadAppender implements Appender {
  readonly #head: Head;
  /** The series of each buffered sample, in batch order. */
  #series: MemSeries[] = [];
  #batch: SampleBatch | null = null;
  #done = false;
  /** Settles the head's record of this transaction as pending; set at the first sample. */
  #settle: (() => void) | null = null;

  constructor(head: Head) {
    this.#head = head;
  }

  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    if (this.#done) throw new Error('cannot append: transaction already committed or rolled back');
    const head = this.#head;
    let series = ref > 0 ? head.series(ref) : undefined;
    if (series === undefined) {
      if (labels.isEmpty()) throw new InvalidLabelsError(labels, 'empty label set');
      series = head.getOrCreate(labels).series;
    }
    const minTime = head.appendableMinTime;
    if (t < minTime) {
      head.stats.outOfBounds++;
      throw new OutOfBoundsError(series.labels, t, minTime);
    }
    switch (series.check(t, v)) {
      case AppendResult.Duplicate:
        return series.ref;
      case AppendResult.Conflict:
        head.stats.duplicates++;
        throw new DuplicateSampleError(series.labels, t, series.lastV, v);
      case AppendResult.OutOfOrder:
        head.stats.outOfOrder++;
        throw new OutOfOrderError(series.labels, t, Math.max(series.lastT, series.pendingT));
    }
    if (this.#batch === null) {
      this.#batch = head.takeBatch();
      head.trackPending(this, new Promise<void>((resolve) => (this.#settle = resolve)));
    }
    this.#series.push(series);
    this.#batch.push(series.ref, t, v);
    series.pendingT = t;
    return series.ref;
  }

  async commit(): Promise<void> {
    if (this.#done) throw new Error('cannot commit: transaction already committed or rolled back');
    this.#done = true;
    const head = this.#head;
    const batch = this.#batch;
    if (batch === null) return;
    try {
      this.#dropOutOfBounds(batch);
      const unlogged: MemSeries[] = [];
      for (const s of this.#series) {
        if (!s.logged) {
          s.logged = true;
          unlogged.push(s);
        }
      }
      head.log?.log(unlogged, batch);
      this.#apply(batch);
    } finally {
      this.#finish();
    }
    if (head.log !== null) await head.log.sync();
  }

  /**
   * Drops samples whose range compaction has snapshotted since they were appended. Compaction
   * waits for open transactions before it snapshots, so this only happens to a transaction
   * that outlived that wait; the samples are counted as out of bounds.
   */
  #dropOutOfBounds(batch: SampleBatch): void {
    const min = this.#head.sealedTime;
    const ts = batch.ts;
    let late = 0;
    for (let i = 0; i < batch.length; i++) if (ts[i]! < min) late++;
    if (late === 0) return;
    this.#head.stats.outOfBounds += late;
    for (let i = 0; i < batch.length; i++) if (ts[i]! < min) this.#series[i]!.pendingT = -Infinity;
    this.#series = this.#series.filter((_, i) => ts[i]! >= min);
    batch.retain((_ref, t) => t >= min);
  }

  #apply(batch: SampleBatch): void {
    const head = this.#head;
    const ts = batch.ts;
    const vs = batch.vs;
    let appended = 0;
    for (let i = 0; i < batch.length; i++) {
      const s = this.#series[i]!;
      s.pendingT = -Infinity;
      const t = ts[i]!;
      const r = s.append(t, vs[i]!);
      if (r === AppendResult.Appended) {
        appended++;
        head.noteSampleTime(t);
      } else if (r === AppendResult.OutOfOrder) {
        head.stats.outOfOrder++;
      } else if (r === AppendResult.Conflict) {
        head.stats.duplicates++;
      }
    }
    head.stats.samplesAppended += appended;
  }

  #finish(): void {
    for (const s of this.#series) s.pendingT = -Infinity;
    this.#series = [];
    if (this.#batch !== null) this.#head.releaseBatch(this.#batch);
    this.#batch = null;
    this.#settle?.();
    this.#settle = null;
  }

  rollback(): void {
    if (this.#done) return;
    this.#done = true;
    this.#finish();
  }
}
