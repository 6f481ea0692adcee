/**
 * @module
 * What the server reports about itself: the data behind `/api/v1/status/*`, `/-/ready` and the
 * Status page. The HTTP layer reads it through this interface; `cli/` assembles it from the
 * running parts.
 */

import type { BuildInfo } from '../lib/buildinfo.js';
import type { ComponentStatus } from '../lib/lifecycle/components.js';

/** Prometheus' `/api/v1/status/runtimeinfo` fields that apply to Vigil, plus Vigil's own. */
export interface RuntimeInfo {
  /** ms since the epoch */
  startTime: number;
  CWD: string;
  hostname: string;
  pid: number;
  dataDir: string;
  /** null when running on built-in defaults */
  configFile: string | null;
  reloadConfigSuccess: boolean;
  /** ms since the epoch of the last successful (re)load */
  lastConfigTime: number;
}

/** Prometheus' `/api/v1/status/tsdb` data: head figures and the top cardinality contributors. */
export interface TsdbStatus {
  headStats: { numSeries: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName: { name: string; value: number }[];
  labelValueCountByLabelName: { name: string; value: number }[];
  memoryInBytesByLabelName: { name: string; value: number }[];
  seriesCountByLabelValuePair: { name: string; value: number }[];
}

export interface StatusSource {
  readonly buildInfo: BuildInfo;
  runtimeInfo(): RuntimeInfo;
  /** True once every component has started, false again when shutting down. */
  ready(): boolean;
  components(): ComponentStatus[];
  /** Command-line flags as given or defaulted, by flag name without dashes. */
  flags(): Record<string, string>;
  /** The configuration in force, defaults filled in, as YAML. */
  configYaml(): string;
  /** TSDB figures with the `limit` top entries each, or null while the TSDB is not open. */
  tsdb(limit: number): TsdbStatus | null;
}
