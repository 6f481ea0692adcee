/**
 * @module
 * Grouping and filtering of scrape targets for the Targets page: by pool, by health, by a free
 * text that matches labels, URL or error. Pure, tested beside this file.
 */
import type { ActiveTarget, DroppedTarget } from '../../api/responseTypes/targets';

/** Health values a filter can select. */
export const HEALTHS = ['up', 'down', 'unknown'] as const;
export type Health = (typeof HEALTHS)[number];

/** A pool's targets after filtering, with counts over all of its targets. */
export interface PoolView {
  pool: string;
  targets: ActiveTarget[];
  up: number;
  total: number;
}

/**
 * Parses the `health` URL parameter (`down` or `up,unknown`); empty or unknown means all.
 *
 * @example
 * parseHealthFilter('down,bogus'); // Set { 'down' }
 */
export function parseHealthFilter(text: string | null): Set<Health> {
  const wanted = new Set<Health>();
  for (const part of (text ?? '').split(',')) {
    if ((HEALTHS as readonly string[]).includes(part)) wanted.add(part as Health);
  }
  return wanted;
}

function matchesText(t: ActiveTarget, needle: string): boolean {
  if (needle === '') return true;
  const hay = [
    t.scrapeUrl,
    t.lastError,
    ...Object.entries(t.labels).map(([k, v]) => `${k}="${v}"`),
  ];
  return hay.some((s) => s.toLowerCase().includes(needle));
}

/**
 * Groups targets by scrape pool, keeping pools in first-seen (config) order, and drops the
 * targets outside `health` (empty = all) or not matching `search` (case-insensitive, in labels
 * as `name="value"`, scrape URL and last error). Pools with no target left are omitted.
 *
 * @example
 * groupTargets(data.activeTargets, new Set(['down']), '');
 */
export function groupTargets(
  targets: readonly ActiveTarget[],
  health: ReadonlySet<Health>,
  search: string,
): PoolView[] {
  const pools = new Map<string, PoolView>();
  const needle = search.trim().toLowerCase();
  for (const t of targets) {
    let view = pools.get(t.scrapePool);
    if (view === undefined) {
      view = { pool: t.scrapePool, targets: [], up: 0, total: 0 };
      pools.set(t.scrapePool, view);
    }
    view.total++;
    if (t.health === 'up') view.up++;
    if ((health.size === 0 || health.has(t.health)) && matchesText(t, needle)) {
      view.targets.push(t);
    }
  }
  return [...pools.values()].filter((v) => v.targets.length > 0);
}

/** One pool of the service discovery view. */
export interface DiscoveryPool {
  pool: string;
  /** Each discovered target, with its labels after relabeling or null where it was dropped. */
  entries: { discovered: Record<string, string>; labels: Record<string, string> | null }[];
  active: number;
  dropped: number;
}

/**
 * Pairs what service discovery found with what relabeling made of it, per pool. Dropped targets
 * carry no pool, so they are placed by their discovered `job` label (which Prometheus-style
 * discovery sets to the pool's name).
 *
 * @example
 * discoveryPools(data.activeTargets, data.droppedTargets);
 */
export function discoveryPools(
  active: readonly ActiveTarget[],
  dropped: readonly DroppedTarget[],
): DiscoveryPool[] {
  const pools = new Map<string, DiscoveryPool>();
  const pool = (name: string) => {
    let p = pools.get(name);
    if (p === undefined) {
      p = { pool: name, entries: [], active: 0, dropped: 0 };
      pools.set(name, p);
    }
    return p;
  };
  for (const t of active) {
    const p = pool(t.scrapePool);
    p.entries.push({ discovered: t.discoveredLabels, labels: t.labels });
    p.active++;
  }
  for (const t of dropped) {
    const p = pool(t.discoveredLabels.job ?? '(unknown pool)');
    p.entries.push({ discovered: t.discoveredLabels, labels: null });
    p.dropped++;
  }
  return [...pools.values()];
}
