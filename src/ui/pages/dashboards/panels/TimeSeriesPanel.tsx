/**
 * @module
 * A time series panel: every target's series on one uPlot chart (the Explore page's chart),
 * aligned on the query's step grid, named by the legend format.
 */
import { useMemo } from 'react';
import type { ChartData } from '../../../components/charts/series-data';
import { TimeSeriesChart } from '../../../components/charts/TimeSeriesChart';
import type { PanelSeries } from '../panel-data';

/** Aligns series with their own timestamps on the `start..end` grid of `step` seconds. */
export function alignSeries(
  series: readonly PanelSeries[],
  start: number,
  end: number,
  step: number,
): ChartData {
  const xs: number[] = [];
  for (let t = start; t <= end + 1e-9; t += step) xs.push(t);
  return {
    xs,
    series: series.map((s) => {
      const values = new Array<number | null>(xs.length).fill(null);
      s.ts.forEach((t, i) => {
        const k = Math.round((t - start) / step);
        const v = s.values[i] ?? null;
        if (k >= 0 && k < xs.length) values[k] = v !== null && Number.isFinite(v) ? v : null;
      });
      return { label: s.label, values };
    }),
  };
}

export function TimeSeriesPanel({
  series,
  start,
  end,
  step,
  stacked,
  height,
  theme,
  onZoom,
}: {
  series: readonly PanelSeries[];
  start: number;
  end: number;
  step: number;
  stacked: boolean;
  height: number;
  theme: string;
  onZoom?: (fromMs: number, toMs: number) => void;
}) {
  const data = useMemo(() => alignSeries(series, start, end, step), [series, start, end, step]);
  return (
    <TimeSeriesChart data={data} stacked={stacked} theme={theme} height={height} onZoom={onZoom} />
  );
}
