/**
 * @module
 * The TSDB's own metrics on `/metrics`, read from its counters at scrape time (nothing on the
 * append path updates a metric object). Names follow Prometheus' `prometheus_tsdb_*` under
 * `vigil_tsdb_`, so dashboards built for one carry over with a rename.
 */

import type { MetricFamily, Registry } from '../../lib/instrument/index.js';
import { blockSize } from './compact/retention.js';
import type { Tsdb } from './db.js';

function counter(name: string, help: string, value: number): MetricFamily {
  return { name, help, type: 'counter', samples: [{ suffix: '_total', labels: [], value }] };
}

function gauge(name: string, help: string, value: number): MetricFamily {
  return { name, help, type: 'gauge', samples: [{ suffix: '', labels: [], value }] };
}

/**
 * Registers the TSDB's metrics; `db()` returns the open TSDB or null before it opens.
 *
 * @example
 * registerTsdbMetrics(registry, () => tsdb);
 */
export function registerTsdbMetrics(registry: Registry, db: () => Tsdb | null): void {
  registry.collector({
    collect(): MetricFamily[] {
      const d = db();
      if (d === null) return [];
      const h = d.head.stats;
      const w = d.walStats;
      const finite = (v: number) => (Number.isFinite(v) ? v / 1000 : NaN);
      return [
        gauge('vigil_tsdb_head_series', 'Series in the head.', d.head.numSeries),
        counter('vigil_tsdb_head_series_created', 'Series created in the head.', h.seriesCreated),
        counter(
          'vigil_tsdb_head_series_removed',
          'Series removed from the head by truncation.',
          h.seriesRemoved,
        ),
        counter(
          'vigil_tsdb_head_samples_appended',
          'Samples appended to the head.',
          h.samplesAppended,
        ),
        counter(
          'vigil_tsdb_out_of_order_samples',
          'Samples rejected as out of order.',
          h.outOfOrder,
        ),
        counter(
          'vigil_tsdb_duplicate_samples',
          'Samples rejected for a timestamp that has another value.',
          h.duplicates,
        ),
        counter(
          'vigil_tsdb_out_of_bounds_samples',
          'Samples rejected as older than the head accepts.',
          h.outOfBounds,
        ),
        gauge(
          'vigil_tsdb_head_min_time_seconds',
          'Oldest sample time in the head.',
          finite(d.head.minTime),
        ),
        gauge(
          'vigil_tsdb_head_max_time_seconds',
          'Newest sample time in the head.',
          finite(d.head.maxTime),
        ),
        gauge('vigil_tsdb_blocks_loaded', 'Blocks being served.', d.blocks.length),
        gauge(
          'vigil_tsdb_corrupt_blocks',
          'Block directories skipped because they could not be opened.',
          d.corruptBlocks.length,
        ),
        gauge(
          'vigil_tsdb_storage_blocks_bytes',
          'Bytes taken by the blocks being served.',
          d.blocks.reduce((n, b) => n + blockSize(b), 0),
        ),
        counter('vigil_tsdb_compactions', 'Blocks cut from the head.', d.stats.compactions),
        counter(
          'vigil_tsdb_merges',
          'Blocks merged into larger ones by leveled compaction.',
          d.stats.merges,
        ),
        counter(
          'vigil_tsdb_compactions_failed',
          'Failed head cuts and block merges.',
          d.stats.compactionFailures,
        ),
        counter(
          'vigil_tsdb_retention_deleted_blocks',
          'Blocks deleted by retention.',
          d.stats.blocksDeleted,
        ),
        counter('vigil_tsdb_checkpoints', 'WAL checkpoints written.', d.stats.checkpoints),
        counter('vigil_tsdb_wal_corruptions', 'Damaged WAL records found.', w.corruptions),
        counter(
          'vigil_tsdb_wal_repairs',
          'WAL repairs: cuts at the last good record.',
          d.stats.walRepairs,
        ),
        counter('vigil_tsdb_wal_records_written', 'Records written to the WAL.', w.recordsLogged),
        counter('vigil_tsdb_wal_written_bytes', 'Bytes written to the WAL.', w.bytesWritten),
        counter('vigil_tsdb_wal_fsyncs', 'WAL fdatasync calls.', w.fsyncs),
        counter(
          'vigil_tsdb_wal_fsync_failures',
          'WAL fdatasync calls that failed.',
          w.fsyncFailures,
        ),
        counter(
          'vigil_tsdb_wal_fsync_duration_seconds',
          'Seconds spent in WAL fdatasync.',
          w.fsyncSeconds,
        ),
      ];
    },
  });
}
