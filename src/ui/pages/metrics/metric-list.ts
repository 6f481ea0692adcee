/**
 * @module
 * The metrics explorer's list: metric names with their type and help from `/api/v1/metadata`,
 * filtered by words the user types. Pure, tested beside this file.
 */
import type { MetricMetadataMap } from '../../api/responseTypes/query';

/** One metric of the list. */
export interface MetricEntry {
  name: string;
  /** `counter`, `gauge`, `histogram`, …; empty when no target described the metric. */
  type: string;
  help: string;
}

/**
 * Series suffixes whose metadata is kept under the family's name: OpenMetrics names a counter
 * family without `_total`, and histograms and summaries describe `_bucket`, `_count`, `_sum`
 * under their base name.
 */
const FAMILY_SUFFIXES = ['_total', '_bucket', '_count', '_sum', '_created'];

/**
 * Joins names with their metadata (the first description targets gave), sorted by name. A name
 * without metadata of its own takes its family's (see {@link FAMILY_SUFFIXES}).
 *
 * @example
 * metricEntries(['up'], { up: [{ type: 'gauge', help: 'Target is up', unit: '' }] });
 */
export function metricEntries(
  names: readonly string[],
  metadata: MetricMetadataMap,
): MetricEntry[] {
  return [...names].sort().map((name) => {
    const family = FAMILY_SUFFIXES.find(
      (x) => name.endsWith(x) && metadata[name.slice(0, -x.length)],
    );
    const m = (metadata[name] ??
      (family ? metadata[name.slice(0, -family.length)] : undefined))?.[0];
    return { name, type: m?.type ?? '', help: m?.help ?? '' };
  });
}

/**
 * Keeps the entries whose name or help contains every whitespace-separated word of `query`
 * (case-insensitive); names that contain the words rank before help-only matches.
 *
 * @example
 * filterMetrics(entries, 'http total'); // vigil_http_requests_total, …
 */
export function filterMetrics(entries: readonly MetricEntry[], query: string): MetricEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  const byName: MetricEntry[] = [];
  const byHelp: MetricEntry[] = [];
  for (const e of entries) {
    const name = e.name.toLowerCase();
    const text = `${name} ${e.help.toLowerCase()}`;
    if (words.every((w) => name.includes(w))) byName.push(e);
    else if (words.every((w) => text.includes(w))) byHelp.push(e);
  }
  return [...byName, ...byHelp];
}
