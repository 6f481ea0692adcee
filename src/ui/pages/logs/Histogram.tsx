/**
 * @module
 * Matches over time as bars, one per histogram bucket, with the count and the interval above.
 * Dragging across the chart selects a span, which becomes the page's time range (zoom in).
 */
import { useMemo } from 'react';
import uPlot from 'uplot';
import { cssVar, UPlotChart } from '../../components/charts/UPlotChart';
import { useColorScheme } from '../../state/useColorScheme';
import type { Histogram as HistogramData } from './requests';

const HEIGHT = 140;

function intervalLabel(ms: number): string {
  for (const [unit, size] of [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1_000],
  ] as const) {
    if (ms % size === 0) {
      const n = ms / size;
      return n === 1 ? unit : `${n} ${unit}s`;
    }
  }
  return `${ms} ms`;
}

/** UTC tick labels: the time of day, with the date when the range spans days. */
function axisLabels(splits: number[], spanMs: number): string[] {
  return splits.map((s) => {
    const iso = new Date(s * 1000).toISOString();
    const time = spanMs < 5 * 60_000 ? iso.slice(11, 19) : iso.slice(11, 16);
    return spanMs > 2 * 86_400_000 ? `${iso.slice(5, 10)} ${time}` : time;
  });
}

/**
 * @param props.onZoom receives the selected span in epoch ms
 * @example
 * <Histogram data={hist} from={from} to={to} onZoom={(a, b) => setRange(a, b)} />
 */
export function Histogram({
  data,
  from,
  to,
  onZoom,
}: {
  data: HistogramData;
  from: number;
  to: number;
  onZoom: (from: number, to: number) => void;
}) {
  const scheme = useColorScheme();
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const text = cssVar('--text-muted');
    const grid = cssVar('--border');
    const bar = cssVar('--accent');
    return {
      // uPlot's time axis takes seconds; labels are UTC, the page's one time zone.
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: true, range: () => [from / 1000, to / 1000] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
      },
      axes: [
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          values: (_u, splits) => axisLabels(splits, to - from),
        },
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { show: false }, size: 48 },
      ],
      series: [
        {},
        {
          label: 'matches',
          stroke: bar,
          fill: `${bar}cc`,
          width: 0,
          paths: uPlot.paths.bars!({ size: [0.8, Infinity], align: 1, gap: 1 }),
          points: { show: false },
        },
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const a = u.posToVal(u.select.left, 'x') * 1000;
            const b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onZoom(Math.floor(a), Math.ceil(b));
          },
        ],
      },
    };
    // `scheme` is a dependency only to recreate the chart in the new theme's colours.
  }, [from, to, onZoom, scheme]);

  const aligned = useMemo<uPlot.AlignedData>(
    () => [data.buckets.map((b) => b.key / 1000), data.buckets.map((b) => b.doc_count)],
    [data.buckets],
  );

  return (
    <section className="logs-histogram" aria-label="Matches over time">
      <div className="logs-histogram-head">
        <strong data-testid="hit-count">{data.total.toLocaleString('en-US')}</strong>{' '}
        {data.total === 1 ? 'hit' : 'hits'}
        <span className="muted"> · per {intervalLabel(data.intervalMs)} · drag to zoom</span>
      </div>
      <UPlotChart
        options={options}
        data={aligned}
        height={HEIGHT}
        label={`Histogram of ${data.total} matching lines`}
        testId="histogram"
      />
    </section>
  );
}
