/**
 * @module
 * What every exporter collector implements, and the paths they read. Paths are options so that a
 * containerised exporter can read the host's `/proc` and `/sys` mounted elsewhere (node_exporter's
 * `--path.procfs`/`--path.sysfs`) and tests can point them at fixture trees.
 */
import type { MetricFamily } from '../../lib/instrument/index.js';

/** Roots of the kernel's pseudo file systems. */
export interface KernelPaths {
  /** procfs root, `/proc` by default. */
  readonly proc: string;
  /** sysfs root, `/sys` by default. */
  readonly sys: string;
}

/**
 * One named collector. `collect` runs synchronously on every scrape and throws when the data it
 * needs cannot be read; the exporter then reports it as failed for that scrape and carries on.
 */
export interface ExporterCollector {
  /** node_exporter's collector name where there is one (`cpu`, `meminfo`, …). */
  readonly name: string;
  collect(): MetricFamily[];
}
