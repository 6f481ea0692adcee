/**
 * @module
 * Shape of `/api/v1/targets`, as on the wire (Prometheus' shape).
 */

/** One target that scraping knows, with its labels before and after relabeling. */
export interface ActiveTarget {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  lastError: string;
  /** RFC 3339; Go's zero time (`0001-01-01T00:00:00Z`) before the first scrape. */
  lastScrape: string;
  /** Seconds. */
  lastScrapeDuration: number;
  health: 'up' | 'down' | 'unknown';
  scrapeInterval: string;
  scrapeTimeout: string;
}

/** A discovered target that relabeling dropped: only its discovered labels remain. */
export interface DroppedTarget {
  discoveredLabels: Record<string, string>;
}

export interface TargetsData {
  activeTargets: ActiveTarget[];
  droppedTargets: DroppedTarget[];
  /** Per pool, every dropped target, also those not listed. */
  droppedTargetCounts?: Record<string, number>;
}
