/**
 * @module
 * Counters of one WAL, kept as plain fields that the owner reads when it renders its metrics.
 * The WAL does not depend on a metrics registry: the head maps these onto whatever it exposes
 * (Prometheus names them `prometheus_tsdb_wal_fsync_duration_seconds`,
 * `…_page_flushes_total`, `…_completed_pages_total`, `…_writes_failed_total`,
 * `…_corruptions_total`).
 */

/**
 * @example
 * const stats = new WalStats();
 * const wal = Wal.open(dir, { stats });
 * fsyncSecondsSum.set(stats.fsyncSeconds);
 */
export class WalStats {
  /** fdatasync calls finished, failed ones included. */
  fsyncs = 0;
  /** Total seconds spent in fdatasync, for a rate of fsync latency (sum / count). */
  fsyncSeconds = 0;
  /** Slowest single fdatasync seen, seconds. */
  fsyncMaxSeconds = 0;
  fsyncFailures = 0;
  /** write(2) calls that handed page bytes to the kernel. */
  pageFlushes = 0;
  /** Pages written to their end (filled or zero-padded). */
  pagesCompleted = 0;
  writeFailures = 0;
  recordsLogged = 0;
  /** Bytes handed to write(2), headers and padding included. */
  bytesWritten = 0;
  segmentsCreated = 0;
  /** Damaged records found by readers given this object. */
  corruptions = 0;

  /** Adds one fdatasync of `seconds`; failed ones count too, as their latency is real. */
  observeFsync(seconds: number, failed: boolean): void {
    this.fsyncs++;
    this.fsyncSeconds += seconds;
    if (seconds > this.fsyncMaxSeconds) this.fsyncMaxSeconds = seconds;
    if (failed) this.fsyncFailures++;
  }
}
