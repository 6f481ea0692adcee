/**
 * @module
 * Merging groups into one exposition and checking it, the way the Pushgateway's scrape does and
 * its push check repeats: families of one name merge across groups (the first group's help and
 * type stand), every metric must be of its family's type, names must be valid, and no series may
 * appear twice. A push is accepted only if the store with it still passes.
 *
 * Where the Pushgateway lets Go's map order pick the winning help string of a family pushed with
 * different help texts by different groups, Vigil takes the group whose grouping key sorts first,
 * so the exposition does not change from scrape to scrape.
 */

import {
  compareMetrics,
  isValidLabelName,
  isValidMetricName,
  type Group,
  type PushedFamily,
} from './family.js';

/** The merged exposition, families sorted by name and metrics in client_golang's order. */
export interface Gathered {
  families: PushedFamily[];
  /** Empty when the exposition is consistent. */
  problems: string[];
}

/**
 * Merges `groups` (iterated in grouping-key order) and lists every inconsistency.
 *
 * @example
 * const { families, problems } = gather(store.sortedGroups());
 */
export function gather(groups: Iterable<Group>): Gathered {
  const merged = new Map<string, PushedFamily>();
  const problems: string[] = [];
  for (const g of groups) {
    for (const f of g.families.values()) {
      const m = merged.get(f.name);
      if (m === undefined) {
        merged.set(f.name, { ...f.family, metrics: f.family.metrics.slice() });
        continue;
      }
      if (m.type !== f.family.type) {
        for (const metric of f.family.metrics) {
          problems.push(
            `collected ${f.family.type} metric ${describe(f.name, metric.labels)} is not a ${m.type}`,
          );
        }
      }
      m.metrics.push(...f.family.metrics);
    }
  }
  const families = [...merged.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const f of families) {
    if (!isValidMetricName(f.name)) problems.push(`invalid metric name ${JSON.stringify(f.name)}`);
    const seen = new Set<string>();
    for (const m of f.metrics) {
      for (const [n] of m.labels) {
        if (!isValidLabelName(n)) {
          problems.push(
            `collected metric ${describe(f.name, m.labels)} has a label with an invalid name: ${n}`,
          );
        }
      }
      const key = m.labels.map(([n, v]) => `${n}\xff${v}`).join('\xff');
      if (seen.has(key)) {
        problems.push(
          `collected metric ${describe(f.name, m.labels)} was collected before with the same name and label values`,
        );
      }
      seen.add(key);
    }
    f.metrics.sort(compareMetrics);
  }
  return { families, problems };
}

function describe(name: string, labels: readonly (readonly [string, string])[]): string {
  return `${name}{${labels.map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(',')}}`;
}
