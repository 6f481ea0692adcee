/**
 * @module
 * Provisioning: at start, every `*.json` file in the configured folder becomes a read-only
 * dashboard, after Vigil's built-in ones (so a file can replace a built-in dashboard by using its
 * uid). A file holds a dashboard document, or Grafana's export wrapper `{"dashboard": {…}}`. A
 * file that cannot be read or is not a valid dashboard is reported and skipped: one bad file
 * must not keep the server from starting.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_DASHBOARDS } from './builtin/index.js';
import { parseDashboard } from './model.js';
import type { DashboardStore } from './store.js';

export interface ProvisionResult {
  /** uids provisioned from the folder. */
  loaded: string[];
  /** Files skipped, with why. */
  failed: { file: string; error: string }[];
}

/**
 * Adds the built-in dashboards (when `builtin`) and those in `dir` (when not empty).
 *
 * @example
 * const { failed } = provisionDashboards(store, { dir: '/etc/vigil/dashboards', builtin: true });
 */
export function provisionDashboards(
  store: DashboardStore,
  options: { dir: string; builtin: boolean },
): ProvisionResult {
  if (options.builtin) {
    for (const d of BUILTIN_DASHBOARDS) store.provision(parseDashboard(d), 'builtin');
  }
  const result: ProvisionResult = { loaded: [], failed: [] };
  if (options.dir === '') return result;
  let names: string[];
  try {
    names = readdirSync(options.dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (err) {
    result.failed.push({
      file: options.dir,
      error: `cannot read folder: ${(err as Error).message}`,
    });
    return result;
  }
  for (const name of names) {
    const file = join(options.dir, name);
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      const doc =
        typeof raw === 'object' && raw !== null && 'dashboard' in raw && !('panels' in raw)
          ? raw.dashboard
          : raw;
      const dashboard = parseDashboard(doc);
      store.provision(dashboard, file);
      result.loaded.push(dashboard.uid);
    } catch (err) {
      result.failed.push({ file, error: (err as Error).message });
    }
  }
  return result;
}
