/**
 * @module
 * `GET /api/v1/metrics` in the Pushgateway's JSON shape: `{status: "success", data: [group…]}`,
 * where each group object holds `labels` (its grouping key), `last_push_successful`, and one
 * entry per family name with `time_stamp` (RFC 3339), `type` (upper case), `help` (left out
 * when empty) and `metrics`. Numbers travel as strings in Go's `%g`, so NaN and ±Inf survive.
 * Groups come in grouping-key order (the Pushgateway's order is Go's map order).
 */

import { formatGoFloat } from '../../lib/instrument/numbers.js';
import type { Group, PushedFamily, PushedMetric } from './family.js';
import { PUSH_FAILURE_TIME, PUSH_TIME } from './store.js';

type JsonMetric = Record<string, unknown>;

/**
 * @example
 * JSON.stringify(metricsResponse(store.groups()));
 */
export function metricsResponse(groups: readonly Group[]): { status: 'success'; data: unknown[] } {
  const data = groups.map((g) => {
    const entry: Record<string, unknown> = {
      labels: g.labels,
      last_push_successful: lastPushSuccessful(g),
    };
    for (const [name, stored] of g.families) {
      const f = stored.family;
      entry[name] = {
        time_stamp: new Date(stored.pushedAt).toISOString(),
        type: f.type.toUpperCase(),
        ...(f.help !== null && f.help !== '' ? { help: f.help } : {}),
        metrics: f.metrics.map((m) => jsonMetric(f, m)),
      };
    }
    return entry;
  });
  return { status: 'success', data };
}

function jsonMetric(f: PushedFamily, m: PushedMetric): JsonMetric {
  const labels = Object.fromEntries(m.labels);
  if (f.type === 'summary') {
    return {
      labels,
      quantiles: Object.fromEntries(m.points.map(([q, v]) => [formatGoFloat(q), formatGoFloat(v)])),
      count: String(m.count),
      sum: formatGoFloat(m.sum),
    };
  }
  if (f.type === 'histogram') {
    return {
      labels,
      buckets: Object.fromEntries(m.points.map(([le, c]) => [formatGoFloat(le), String(c)])),
      count: String(m.count),
      sum: formatGoFloat(m.sum),
    };
  }
  return { labels, value: formatGoFloat(m.value) };
}

/** Whether the last push time is not older than the last failure time. */
function lastPushSuccessful(g: Group): boolean {
  const pushed = g.families.get(PUSH_TIME)?.family.metrics[0]?.value ?? 0;
  const failed = g.families.get(PUSH_FAILURE_TIME)?.family.metrics[0]?.value ?? 0;
  return pushed >= failed;
}
