/**
 * @module
 * A React wrapper around one uPlot chart. The chart is created when `options` change (their
 * identity: memoise them), fed new `data` with `setData` otherwise, and resized with its
 * container, whose width the chart always fills. uPlot draws on a canvas, so colours come from
 * the page's CSS variables through {@link cssVar} at creation; `themeKey` changes recreate the
 * chart when the theme does.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotChartProps {
  /** Everything but the size, which follows the container. */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
  className?: string;
  /** Accessible name of the chart's region. */
  label: string;
  testId?: string;
}

/**
 * The value of a CSS custom property on `<html>`, e.g. `cssVar('--accent')`.
 *
 * @example
 * stroke: cssVar('--text-muted')
 */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/**
 * @example
 * <UPlotChart options={opts} data={[xs, ys]} height={120} label="Matches over time" />
 */
export function UPlotChart({ options, data, height, className, label, testId }: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  latestData.current = data;

  useEffect(() => {
    const el = container.current;
    if (el === null) return;
    const plot = new uPlot(
      { ...options, width: Math.max(100, el.clientWidth), height },
      latestData.current,
      el,
    );
    chart.current = plot;
    const observer = new ResizeObserver(() => {
      const width = Math.max(100, el.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return (
    <div
      ref={container}
      className={className}
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ minHeight: height }}
    />
  );
}
