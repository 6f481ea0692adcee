/**
 * @module
 * Runs a panel's query against `/api/v1/query_range` (graph) or `/api/v1/query` (table) whenever
 * what it asks changes or the user runs it again, cancelling a request that is still in flight.
 */
import { useEffect, useState } from 'react';
import { ApiError, apiGet } from '../../api/client';
import type { QueryData } from '../../api/responseTypes/query';
import { effectiveStepMs, MAX_POINTS, type ExplorePanel } from './explore-url';

/** The outcome of a panel's latest run. */
export type QueryOutcome =
  | { status: 'idle' }
  | { status: 'loading' }
  | {
      status: 'done';
      data: QueryData;
      /** The window actually queried, unix seconds (end = evaluation time for a table). */
      start: number;
      end: number;
      step: number;
      tookMs: number;
      /** A newer run is in flight; this result stays shown until it lands. */
      refreshing?: boolean;
    }
  | { status: 'error'; message: string; errorType: string };

/** The server's message without the client's `(bad_data, HTTP 400)` suffix. */
function serverMessage(err: ApiError): string {
  return err.detail.replace(/ \([a-z_]+, HTTP \d+\)$/, '');
}

/**
 * @param panel the query and its window
 * @param runId bump to run again with the same inputs (e.g. the Execute button, a new "now")
 * @example
 * const outcome = useQueryResult(panel, runId);
 */
export function useQueryResult(panel: ExplorePanel, runId: number): QueryOutcome {
  const [outcome, setOutcome] = useState<QueryOutcome>({ status: 'idle' });
  const { expr, tab, rangeMs, endMs } = panel;
  const stepMs = effectiveStepMs(panel);

  useEffect(() => {
    if (expr.trim() === '') {
      setOutcome({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    const endSec = (endMs ?? Date.now()) / 1000;
    const params = new URLSearchParams({ query: expr });
    let path: string;
    let start = endSec;
    let step = 0;
    if (tab === 'graph') {
      step = stepMs / 1000;
      // Whole steps back from the end, so a refresh keeps the points on the same grid spacing.
      const points = Math.min(Math.floor(rangeMs / stepMs), MAX_POINTS - 1);
      start = endSec - points * step;
      params.set('start', String(start));
      params.set('end', String(endSec));
      params.set('step', String(step));
      path = `/query_range?${params}`;
    } else {
      params.set('time', String(endSec));
      path = `/query?${params}`;
    }
    // Keep the last result on screen while a re-run (or auto-refresh) is in flight: blanking the
    // chart every few seconds would make it unreadable.
    setOutcome((prev) =>
      prev.status === 'done' ? { ...prev, refreshing: true } : { status: 'loading' },
    );
    const began = performance.now();
    apiGet<QueryData>(path, controller.signal).then(
      (data) =>
        setOutcome({
          status: 'done',
          data,
          start,
          end: endSec,
          step,
          tookMs: Math.round(performance.now() - began),
        }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError) {
          setOutcome({ status: 'error', message: serverMessage(err), errorType: err.errorType });
        } else {
          setOutcome({ status: 'error', message: String(err), errorType: 'client' });
        }
      },
    );
    return () => controller.abort();
  }, [expr, tab, rangeMs, endMs, stepMs, runId]);

  return outcome;
}
