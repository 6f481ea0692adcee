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
    if (t < head.minValidTime) {
      head.stats.outOfBounds++;
      throw new OutOfBoundsError(series.labels, t, head.minValidTime);
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
    this.#series.push(series);
    (this.#batch ??= head.takeBatch()).push(series.ref, t, v);
    series.pendingT = t;
    return series.ref;
  }

  async commit(): Promise<void> {
    if (this.#done) throw new Error('cannot commit: transaction already committed or rolled back');
    this.#done = true;
    const head = this.#head;
    const batch = this.#batch;
    if (batch === null) return;
    const n = batch.length;
    const unlogged: MemSeries[] = [];
    for (let i = 0; i < n; i++) {
      const s = this.#series[i]!;
      if (!s.logged) {
        s.logged = true;
        unlogged.push(s);
      }
    }
    head.log?.log(unlogged, batch);
    const ts = batch.ts;
    const vs = batch.vs;
    let appended = 0;
    for (let i = 0; i < n; i++) {
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
    this.#series = [];
    head.releaseBatch(batch);
    this.#batch = null;
    if (head.log !== null) await head.log.sync();
  }

  rollback(): void {
    if (this.#done) return;
    this.#done = true;
    for (const s of this.#series) s.pendingT = -Infinity;
    this.#series = [];
    if (this.#batch !== null) this.#head.releaseBatch(this.#batch);
    this.#batch = null;
  }
}
