/**
 * @module
 * What a PromQL panel shows, fetched and shaped: each target's query with variables substituted,
 * as a range query (time series, and stat/gauge values reduced over the range) or an instant
 * query at the range's end (targets marked `instant`, tables), and each series named by the
 * target's legend format. Pure helpers here; the hook is in usePanelData.ts.
 */
import type { Metric } from '../../api/responseTypes/query';
import { formatSeriesName, parseSampleValue } from '../../lib/formatSeries';
import type { Panel, PanelOptions } from './types';

/** One series of a panel, on its own timestamps (unix seconds). */
export interface PanelSeries {
  label: string;
  metric: Metric;
  ts: number[];
  values: (number | null)[];
}

/**
 * A series' name from a legend template: `{{job}} on {{instance}}`; the selector when empty.
 *
 * @example
 * legendName({ job: 'a' }, '{{job}}!'); // "a!"
 */
export function legendName(metric: Metric, template: string | undefined): string {
  if (template === undefined || template === '') return formatSeriesName(metric);
  return template.replace(
    /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g,
    (_m, l: string) => metric[l] ?? '',
  );
}

/** Whether a panel of this type asks for instant values only. */
export function isInstant(panel: Panel, targetInstant: boolean | undefined): boolean {
  return panel.type === 'table' || (panel.type !== 'timeseries' && targetInstant === true);
}

/** A series reduced to one number as `options.reduce` says (default: last). */
export function reduceSeries(
  values: readonly (number | null)[],
  how: PanelOptions['reduce'],
): number | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length === 0) return null;
  switch (how) {
    case 'mean':
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    case 'max':
      return Math.max(...xs);
    case 'min':
      return Math.min(...xs);
    case 'sum':
      return xs.reduce((a, b) => a + b, 0);
    default:
      return xs[xs.length - 1]!;
  }
}

/** Parses sample strings; non-finite values stay (NaN shows as NaN). */
export function toSeries(
  metric: Metric,
  samples: readonly [number, string][],
  legend: string | undefined,
): PanelSeries {
  return {
    label: legendName(metric, legend),
    metric,
    ts: samples.map((s) => s[0]),
    values: samples.map((s) => parseSampleValue(s[1])),
  };
}
