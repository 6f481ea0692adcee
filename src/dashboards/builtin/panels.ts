/**
 * @module
 * Small builders for the built-in dashboards, so each reads as a list of panels rather than
 * nested JSON. They produce plain documents, validated by `parseDashboard` like any other.
 */

type Grid = [x: number, y: number, w: number, h: number];

interface Target {
  expr: string;
  legendFormat?: string;
  instant?: boolean;
}

/** A dashboard document before validation. */
export interface DashboardDoc {
  uid: string;
  title: string;
  description?: string;
  tags: string[];
  time: { from: string; to: string };
  refresh: string;
  variables: Record<string, unknown>[];
  panels: Record<string, unknown>[];
}

const gridPos = ([x, y, w, h]: Grid) => ({ x, y, w, h });

/** A PromQL panel of `type` with one target per query. */
export function promPanel(
  id: number,
  type: 'timeseries' | 'stat' | 'gauge' | 'bargauge' | 'table',
  title: string,
  grid: Grid,
  targets: Target[],
  options: Record<string, unknown> = {},
): Record<string, unknown> {
  return { id, type, title, gridPos: gridPos(grid), targets, options };
}

/** A logs or log volume panel. */
export function logsPanel(
  id: number,
  type: 'logs' | 'logvolume',
  title: string,
  grid: Grid,
  logs: { query: string; index?: string; splitBy?: string; limit?: number },
): Record<string, unknown> {
  return { id, type, title, gridPos: gridPos(grid), logs: { index: '', ...logs } };
}

/** A `label_values` variable with multi-select and "All". */
export function labelVariable(name: string, query: string, label = name): Record<string, unknown> {
  return { name, label, type: 'query', query, multi: true, includeAll: true, current: ['$__all'] };
}
