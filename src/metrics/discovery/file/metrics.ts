/**
 * @module
 * The file discoverers' own metrics, named as Prometheus' `prometheus_sd_file_*` with our
 * prefix. Every file discoverer of a server shares one set, since a name registers only once.
 */

import { Counter, Histogram, type Registry } from '../../../lib/instrument/index.js';

/** Counters and histograms all file discoverers update. */
export interface FileSDMetrics {
  /** Files that could not be read or parsed, one per failed read. */
  readonly readErrors: Counter;
  /** How long one scan (listing and reading every file of a discoverer) took. */
  readonly scanDuration: Histogram;
}

const READ_ERRORS = {
  name: 'vigil_sd_file_read_errors_total',
  help: 'Number of file service discovery files that could not be read or parsed.',
};
const SCAN_DURATION = {
  name: 'vigil_sd_file_scan_duration_seconds',
  help: 'Duration of one scan of the files of a file service discovery configuration.',
  unit: 'seconds',
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
};

/**
 * Registers the metrics in `registry`, or makes unregistered ones (for tests and callers that
 * do not expose metrics) when it is omitted. Call once per registry.
 *
 * @example
 * const metrics = fileSDMetrics(registry);
 * metrics.readErrors.labels().value; // 0
 */
export function fileSDMetrics(registry?: Registry): FileSDMetrics {
  if (registry === undefined) {
    return { readErrors: new Counter(READ_ERRORS), scanDuration: new Histogram(SCAN_DURATION) };
  }
  return {
    readErrors: registry.counter(READ_ERRORS),
    scanDuration: registry.histogram(SCAN_DURATION),
  };
}
