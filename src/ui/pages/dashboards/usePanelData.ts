/**
 * @module
 * Runs a panel's PromQL targets whenever the query, the time range, the variables or the refresh
 * tick change, cancelling requests that are still in flight. A re-run keeps the previous result
 * shown until the new one lands, so auto-refresh does not blank the dashboard.
 */
import { useEffect, useState } from 'react';
import { ApiError, apiGet } from '../../api/client';
import type { QueryData } from '../../api/responseTypes/query';
import { isInstant, toSeries, type PanelSeries } from './panel-data';
import type { Panel } from './types';

export type PanelData =
  | { status: 'loading'; series?: PanelSeries[] }
  | { status: 'done'; series: PanelSeries[]; stepSec: number }
  | { status: 'error'; message: string };

export interface QueryWindow {
  startMs: number;
  endMs: number;
  stepMs: number;
}

/**
 * @param exprs the targets' expressions with variables already substituted
 * @param tick bump to run again (auto-refresh)
 */
export function usePanelData(
  panel: Panel,
  exprs: readonly string[],
  window: QueryWindow,
  tick: number,
): PanelData {
  const [data, setData] = useState<PanelData>({ status: 'loading' });
  const key = JSON.stringify([panel.type, panel.targets, exprs, window]);
  useEffect(() => {
    const controller = new AbortController();
    setData((d) => ({ status: 'loading', series: d.status === 'done' ? d.series : undefined }));
    const start = window.startMs / 1000;
    const end = window.endMs / 1000;
    const step = Math.max(1, Math.round(window.stepMs / 1000));
    const runs = panel.targets.map(async (target, i) => {
      const expr = exprs[i] ?? target.expr;
      if (expr.trim() === '') return [];
      const instant = isInstant(panel, target.instant);
      const path = instant
        ? `/query?query=${encodeURIComponent(expr)}&time=${end}`
        : `/query_range?query=${encodeURIComponent(expr)}&start=${start}&end=${end}&step=${step}`;
      const res = await apiGet<QueryData>(path, controller.signal);
      switch (res.resultType) {
        case 'matrix':
          return res.result.map((s) => toSeries(s.metric, s.values, target.legendFormat));
        case 'vector':
          return res.result.map((s) => toSeries(s.metric, [s.value], target.legendFormat));
        default:
          return [toSeries({}, [res.result], target.legendFormat || expr)];
      }
    });
    Promise.all(runs).then(
      (all) => {
        // A run replaced by a newer one must not overwrite the newer one's result.
        if (!controller.signal.aborted)
          setData({ status: 'done', series: all.flat(), stepSec: step });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        const message =
          err instanceof ApiError ? err.detail.replace(/ \([a-z_]+, HTTP \d+\)$/, '') : String(err);
        setData({ status: 'error', message });
      },
    );
    return () => controller.abort();
    // `key` stands for everything the request depends on.
  }, [key, tick]);
  return data;
}
