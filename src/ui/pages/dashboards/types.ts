/**
 * @module
 * The dashboard document as the server stores it (src/dashboards/model.ts) and the API's
 * envelopes around it.
 */

export type PanelType =
  'timeseries' | 'stat' | 'gauge' | 'bargauge' | 'table' | 'logs' | 'logvolume';

export const PANEL_TYPE_NAMES: Record<PanelType, string> = {
  timeseries: 'Time series',
  stat: 'Stat',
  gauge: 'Gauge',
  bargauge: 'Bar gauge',
  table: 'Table',
  logs: 'Logs',
  logvolume: 'Log volume',
};

export interface Target {
  expr: string;
  legendFormat?: string;
  instant?: boolean;
}

export interface Threshold {
  value: number | null;
  color: string;
}

export interface PanelOptions {
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  stacked?: boolean;
  reduce?: 'last' | 'mean' | 'max' | 'min' | 'sum';
  textMode?: 'value' | 'name';
  thresholds?: Threshold[];
}

export interface Panel {
  id: number;
  type: PanelType;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Target[];
  logs?: { query: string; index: string; splitBy?: string; limit?: number };
  options: PanelOptions;
}

export interface Variable {
  name: string;
  label?: string;
  type: 'query' | 'custom' | 'interval';
  query: string;
  regex?: string;
  multi: boolean;
  includeAll: boolean;
  current: string[];
}

export interface Dashboard {
  uid: string;
  title: string;
  description?: string;
  tags: string[];
  time: { from: string; to: string };
  refresh: string;
  variables: Variable[];
  panels: Panel[];
  version: number;
}

export interface StoredDashboard {
  dashboard: Dashboard;
  meta: { provisioned: string | null; created: string; updated: string };
}

export interface DashboardSummary {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  panels: number;
  version: number;
  provisioned: string | null;
  updated: string;
}
