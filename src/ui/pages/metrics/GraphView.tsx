/**
 * @module
 * A range query result as a chart, or a clear note when there is nothing to draw.
 */
import { useMemo } from 'react';
import type { QueryData } from '../../api/responseTypes/query';
import { TimeSeriesChart } from '../../components/charts/TimeSeriesChart';
import { alignMatrix } from '../../components/charts/series-data';

import type { DisplayMode } from './explore-url';

/** Series drawn at most: beyond this a chart is unreadable and uPlot slow. */
const MAX_SERIES = 500;

/**
 * @param props.data the result of a `query_range`
 * @param props.start / end / step the grid the query used, unix seconds
 * @example
 * <GraphView data={d} start={s} end={e} step={15} mode="lines" theme="dark" />
 */
export function GraphView({
  data,
  start,
  end,
  step,
  mode,
  theme,
  onZoom,
}: {
  data: QueryData;
  start: number;
  end: number;
  step: number;
  mode: DisplayMode;
  theme: 'light' | 'dark';
  onZoom?: (fromMs: number, toMs: number) => void;
}) {
  const chartData = useMemo(
    () =>
      data.resultType === 'matrix'
        ? alignMatrix(data.result.slice(0, MAX_SERIES), start, end, step)
        : undefined,
    [data, start, end, step],
  );
  if (chartData === undefined) {
    return (
      <div className="empty-state">
        <strong>Nothing to graph</strong>A {data.resultType} result has no time series; use the
        Table tab.
      </div>
    );
  }
  if (chartData.series.length === 0) {
    return (
      <div className="empty-state" data-testid="empty-result">
        <strong>Empty query result</strong>
        No series matched in this time range.
      </div>
    );
  }
  return (
    <>
      <TimeSeriesChart
        data={chartData}
        stacked={mode === 'stacked'}
        theme={theme}
        onZoom={onZoom}
      />
      {data.resultType === 'matrix' && data.result.length > MAX_SERIES && (
        <p className="muted">
          Showing {MAX_SERIES} of {data.result.length} series; narrow the query to see the rest.
        </p>
      )}
    </>
  );
}
