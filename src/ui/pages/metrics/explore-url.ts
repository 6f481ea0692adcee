/**
 * @module
 * The Explore page's state in the URL, with Prometheus' parameter names so links from
 * Prometheus and from alert `generatorURL`s (`/graph?g0.expr=…&g0.tab=1`) open here unchanged:
 * `g<N>.expr`, `g<N>.tab`, `g<N>.range_input`, `g<N>.end_input`, `g<N>.step_input`,
 * `g<N>.display_mode`, plus Vigil's `g<N>.resolution`. Pure, tested beside this file.
 */
import { formatPromDuration, parsePromDuration } from '../../lib/promDuration';

/** How a panel shows its result. */
export type PanelTab = 'graph' | 'table';
/** How graph lines are drawn. */
export type DisplayMode = 'lines' | 'stacked';
/** Auto-step density: how many points a series gets across the range. */
export type Resolution = 'low' | 'auto' | 'high';

/** One query panel of the Explore page. */
export interface ExplorePanel {
  expr: string;
  tab: PanelTab;
  /** Length of the graph's time range, ms. */
  rangeMs: number;
  /** End of the range (and the table's evaluation time) in epoch ms; null means "now". */
  endMs: number | null;
  /** Explicit query_range step in ms; null lets {@link autoStepMs} choose. */
  stepMs: number | null;
  mode: DisplayMode;
  resolution: Resolution;
}

/** Range of a new panel, as in Prometheus. */
export const DEFAULT_RANGE_MS = 3_600_000;

/** Points per series for each resolution; "auto" matches Prometheus' graph (range / 250). */
export const RESOLUTION_POINTS: Readonly<Record<Resolution, number>> = {
  low: 60,
  auto: 250,
  high: 1000,
};

/** The server refuses more points per series than this (Prometheus' limit too). */
export const MAX_POINTS = 11_000;

/**
 * A fresh, empty panel.
 *
 * @example
 * const panels = [...current, newPanel()];
 */
export function newPanel(expr = ''): ExplorePanel {
  return {
    expr,
    tab: 'graph',
    rangeMs: DEFAULT_RANGE_MS,
    endMs: null,
    stepMs: null,
    mode: 'lines',
    resolution: 'auto',
  };
}

/**
 * The step a range query uses when the user set none: whole seconds, at least 1 s.
 *
 * @example
 * autoStepMs(3_600_000, 'auto'); // 15_000 (1h / 250 → 14.4 s, rounded up)
 */
export function autoStepMs(rangeMs: number, resolution: Resolution): number {
  const raw = rangeMs / RESOLUTION_POINTS[resolution];
  return Math.max(1000, Math.ceil(raw / 1000) * 1000);
}

/**
 * The step a panel's range query uses.
 *
 * @example
 * effectiveStepMs({ ...newPanel('up'), stepMs: 5000 }); // 5000
 */
export function effectiveStepMs(panel: ExplorePanel): number {
  return panel.stepMs ?? autoStepMs(panel.rangeMs, panel.resolution);
}

/**
 * Parses an end time as Prometheus writes it (`2025-11-30 06:41:02`, UTC), as RFC 3339, or as
 * epoch seconds.
 *
 * @example
 * parseEndInput('2025-11-30 06:41:02'); // 1764484862000
 */
export function parseEndInput(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const prom = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/.exec(s);
  const ms = Date.parse(prom ? `${prom[1]}T${prom[2]}Z` : s);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Formats an end time the way Prometheus' URLs carry it: `YYYY-MM-DD HH:MM:SS` in UTC.
 *
 * @example
 * formatEndInput(1764484862000); // "2025-11-30 06:41:02"
 */
export function formatEndInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function parseTab(value: string | null): PanelTab {
  // Prometheus 2 used 0 (graph) and 1 (console, i.e. table).
  return value === '1' || value === 'table' ? 'table' : 'graph';
}

/**
 * Reads the panels from a URL query string; a URL without any gives one empty panel.
 *
 * Panels are numbered densely from 0 upward; reading stops at the first missing `g<N>.expr`, as
 * in Prometheus. Values that do not parse fall back to defaults rather than failing the page.
 *
 * @example
 * parseExploreSearch('?g0.expr=up&g0.tab=1')[0]; // { expr: 'up', tab: 'table', … }
 */
export function parseExploreSearch(search: string): ExplorePanel[] {
  const params = new URLSearchParams(search);
  const panels: ExplorePanel[] = [];
  for (let i = 0; ; i++) {
    const get = (key: string) => params.get(`g${i}.${key}`);
    const expr = get('expr');
    if (expr === null) break;
    const panel = newPanel(expr);
    panel.tab = parseTab(get('tab'));
    panel.rangeMs = parsePromDuration(get('range_input') ?? '') ?? DEFAULT_RANGE_MS;
    panel.endMs = parseEndInput(get('end_input') ?? get('moment_input') ?? '') ?? null;
    panel.stepMs = parsePromDuration(get('step_input') ?? '') ?? null;
    const stacked = get('display_mode') === 'stacked' || get('stacked') === '1';
    panel.mode = stacked ? 'stacked' : 'lines';
    const resolution = get('resolution');
    if (resolution === 'low' || resolution === 'high') panel.resolution = resolution;
    panels.push(panel);
  }
  return panels.length > 0 ? panels : [newPanel()];
}

/**
 * Writes panels as a URL query string (with the leading `?`), leaving defaults out.
 *
 * @example
 * formatExploreSearch([newPanel('up')]); // "?g0.expr=up&g0.tab=graph&g0.range_input=1h"
 */
export function formatExploreSearch(panels: readonly ExplorePanel[]): string {
  const params = new URLSearchParams();
  panels.forEach((panel, i) => {
    const set = (key: string, value: string) => params.set(`g${i}.${key}`, value);
    set('expr', panel.expr);
    set('tab', panel.tab);
    set('range_input', formatPromDuration(panel.rangeMs));
    if (panel.endMs !== null) set('end_input', formatEndInput(panel.endMs));
    if (panel.stepMs !== null) set('step_input', String(panel.stepMs / 1000));
    if (panel.mode !== 'lines') set('display_mode', panel.mode);
    if (panel.resolution !== 'auto') set('resolution', panel.resolution);
  });
  return `?${params.toString()}`;
}
