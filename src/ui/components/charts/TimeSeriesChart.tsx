/**
 * @module
 * A uPlot time-series chart for React: lines or stacked areas, a live legend with each series'
 * labels and value under the cursor (click an entry to hide or show it), resized with its
 * container and redrawn in the colours of the current theme.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatValue } from '../../lib/formatSeries';
import { type ChartData, stackValues } from './series-data';

/** Distinct on light and dark backgrounds; repeats after 12 series. */
const PALETTE = [
  '#3b82f6',
  '#f59e0b',
  '#10b981',
  '#ef4444',
  '#8b5cf6',
  '#06b6d4',
  '#ec4899',
  '#84cc16',
  '#f97316',
  '#6366f1',
  '#14b8a6',
  '#a855f7',
];

/** Colour of series `i`, shared with tables that show the same series. */
export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || 'currentColor';
}

/** Indices of samples with no sample on either side, which a line alone would not show. */
function isolatedPoints(values: readonly (number | null)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (
      values[i] !== null &&
      (values[i - 1] ?? null) === null &&
      (values[i + 1] ?? null) === null
    ) {
      out.push(i);
    }
  }
  return out;
}

function buildOptions(
  el: HTMLElement,
  data: ChartData,
  stacked: boolean,
  height: number,
  zoom: { current: ((fromMs: number, toMs: number) => void) | undefined },
): uPlot.Options {
  const text = cssVar(el, '--text-muted');
  const grid = cssVar(el, '--border');
  const axis: uPlot.Axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
  };
  return {
    width: Math.max(el.clientWidth, 200),
    height,
    legend: { show: true, live: true },
    // Dragging across the plot selects a time span; with a zoom handler the span becomes the
    // page's time range (so it goes into the URL and refetches at the finer step) instead of
    // uPlot magnifying the data it already has.
    cursor: {
      focus: { prox: 16 },
      drag: { x: true, y: false, setScale: zoom.current === undefined },
    },
    hooks: {
      setSelect: [
        (u) => {
          const onZoom = zoom.current;
          if (onZoom === undefined || u.select.width < 3) return;
          const a = u.posToVal(u.select.left, 'x') * 1000;
          const b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          onZoom(Math.floor(a), Math.ceil(b));
        },
      ],
    },
    focus: { alpha: 0.35 },
    scales: { x: { time: true } },
    // UTC, like every other time the UI shows and the end-time fields take.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    axes: [axis, { ...axis, size: 64, values: (_u, splits) => splits.map((v) => formatValue(v)) }],
    series: [
      { label: 'Time' },
      ...data.series.map((s, i) => ({
        label: s.label,
        stroke: seriesColor(i),
        width: 1.5,
        spanGaps: false,
        // Lines need two neighbouring samples; a sample between gaps is drawn as a dot.
        points: { show: true, size: 5, filter: () => isolatedPoints(s.values) },
        fill: stacked ? `${seriesColor(i)}40` : undefined,
        // Stacked lines draw running totals; the legend shows each series' own value.
        value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) =>
          idx === null ? '—' : formatValue(s.values[idx]),
      })),
    ],
    // Fill each stacked band down to the series below it instead of to the axis.
    bands: stacked
      ? data.series.slice(1).map((_, i) => ({ series: [i + 2, i + 1] as [number, number] }))
      : undefined,
  };
}

/**
 * @param props.data aligned columns from `alignMatrix`
 * @param props.stacked draw running totals with filled bands
 * @param props.theme the current theme; a change redraws the chart in its colours
 * @param props.onZoom receives the span dragged across the plot, in epoch ms
 * @example
 * <TimeSeriesChart data={alignMatrix(result, start, end, step)} stacked={false} theme={theme} />
 */
export function TimeSeriesChart({
  data,
  stacked,
  theme,
  height = 320,
  onZoom,
}: {
  data: ChartData;
  stacked: boolean;
  theme: string;
  height?: number;
  onZoom?: (fromMs: number, toMs: number) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // Read when a selection ends, so a new handler does not rebuild the chart.
  const zoom = useRef(onZoom);
  zoom.current = onZoom;

  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const ys = data.series.map((s) => s.values);
    const columns: uPlot.AlignedData = [data.xs, ...(stacked ? stackValues(ys) : ys)];
    const chart = new uPlot(buildOptions(el, data, stacked, height, zoom), columns, el);
    const observer = new ResizeObserver(() => {
      const width = Math.max(el.clientWidth, 200);
      if (width !== chart.width) chart.setSize({ width, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [data, stacked, height, theme]);

  return (
    <div
      ref={ref}
      className="ts-chart"
      data-testid="chart"
      data-series-count={data.series.length}
      role="img"
      aria-label={`Graph of ${data.series.length} series`}
    />
  );
}
