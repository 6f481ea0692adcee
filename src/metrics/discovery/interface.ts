/**
 * @module
 * THE service discovery boundary: what every mechanism (static, file, kubernetes) produces and
 * what the scrape manager consumes. A mechanism finds targets and reports them in groups, as
 * Prometheus' `targetgroup.Group`: labels per target (`__address__` and `__meta_*` labels) plus
 * labels shared by the group, keyed by a source string that is stable for the same group, so a
 * later report of the same source replaces the earlier one and an empty one removes it.
 */

/** Targets that share labels, from one source of one discoverer. */
export interface TargetGroup {
  /** Identifies the group within its discoverer (a file and index, a pod's namespace/name…). */
  readonly source: string;
  /** Each target's own labels; `__address__` is what gets scraped. Empty: the group is gone. */
  readonly targets: readonly Readonly<Record<string, string>>[];
  /** Labels every target of the group has unless it sets them itself. */
  readonly labels: Readonly<Record<string, string>>;
}

/** One configured discovery mechanism instance (one entry of a `*_sd_configs` list). */
export interface Discoverer {
  /**
   * Runs until `signal` aborts. Calls `update` with the groups that changed; the first call
   * carries every group known at start (possibly none). Errors are the discoverer's to log and
   * retry; `run` resolves only when aborted.
   */
  run(update: (groups: TargetGroup[]) => void, signal: AbortSignal): Promise<void>;
}
