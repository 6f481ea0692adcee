/**
 * @module
 * Recording rules that write the same series: the same name and labels in one file. `promtool`
 * warns of them (the second overwrites the first's samples) without failing the check; so does
 * Vigil. Alerting rules may share a name: their series differ by `alertname` and state.
 */

import type { RuleGroupConfig } from './file.js';

/**
 * One description per duplicated rule, `"name" {labels}`.
 *
 * @example
 * duplicateRules(groups); // ['"job:up:sum" {}']
 */
export function duplicateRules(groups: readonly RuleGroupConfig[]): string[] {
  const seen = new Map<string, number>();
  for (const g of groups) {
    for (const r of g.rules) {
      if (r.record === undefined) continue;
      const labels = Object.entries(r.labels)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ');
      const key = `${JSON.stringify(r.record)} {${labels}}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}
