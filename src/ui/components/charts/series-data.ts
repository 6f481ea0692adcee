/**
 * @module
 * Turns a range query's matrix into the column arrays uPlot draws: one shared x axis (the query's
 * step grid) and one y array per series with `null` where a series has no sample, so gaps stay
 * gaps instead of lines drawn across them. Pure, tested beside this file.
 */
import type { RangeSeries } from '../../api/responseTypes/query';
import { formatSeriesName, parseSampleValue } from '../../lib/formatSeries';

/** Aligned columns for a chart. */
export interface ChartData {
  /** Unix seconds, ascending. */
  xs: number[];
  series: { label: string; values: (number | null)[] }[];
}

/**
 * Aligns every series on the `start, start+step, …, end` grid (seconds).
 *
 * Samples off the grid (a server that aligns differently) land on the nearest grid point.
 * Non-finite values become gaps: uPlot cannot place NaN or ±Inf on an axis.
 *
 * @example
 * alignMatrix([{ metric: { job: 'a' }, values: [[10, '1']] }], 0, 20, 10);
 * // { xs: [0, 10, 20], series: [{ label: '{job="a"}', values: [null, 1, null] }] }
 */
export function alignMatrix(
  matrix: readonly RangeSeries[],
  start: number,
  end: number,
  step: number,
): ChartData {
  const xs: number[] = [];
  const count = Math.floor((end - start) / step + 1e-9) + 1;
  for (let i = 0; i < count; i++) xs.push(start + i * step);
  const series = matrix.map((s) => {
    const values: (number | null)[] = new Array<number | null>(count).fill(null);
    for (const [t, v] of s.values) {
      const i = Math.round((t - start) / step);
      if (i < 0 || i >= count) continue;
      const n = parseSampleValue(v);
      values[i] = Number.isFinite(n) ? n : null;
    }
    return { label: formatSeriesName(s.metric), values };
  });
  return { xs, series };
}

/**
 * Running totals across series, for a stacked graph: series k becomes the sum of series 0..k.
 * A gap in series k stays a gap in its own line but adds nothing to the ones above it.
 *
 * @example
 * stackValues([[1, null], [2, 3]]); // [[1, null], [3, 3]]
 */
export function stackValues(columns: readonly (readonly (number | null)[])[]): (number | null)[][] {
  const out: (number | null)[][] = [];
  const sums: number[] = [];
  for (const column of columns) {
    out.push(
      column.map((v, i) => {
        if (v === null) return null;
        sums[i] = (sums[i] ?? 0) + v;
        return sums[i]!;
      }),
    );
  }
  return out;
}
