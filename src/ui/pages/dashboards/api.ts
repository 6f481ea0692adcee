/**
 * @module
 * The dashboards API (`/api/v1/dashboards`) and the logs search/aggregate calls the logs panels
 * make. Reads go through the shared client; writes send JSON and unwrap the same envelope, with
 * the server's field name for validation errors.
 */
import { API_PREFIX, ApiError, apiGet, toLogin } from '../../api/client';
import { sessionHeaders } from '../../api/session-helpers';
import type { Dashboard, DashboardSummary, StoredDashboard } from './types';

/** A failed write; `field` is set when the server named the field at fault. */
export class SaveError extends ApiError {
  readonly field: string | undefined;
  constructor(path: string, errorType: string, detail: string, status: number, field?: string) {
    super(path, errorType, detail, { httpStatus: status });
    this.field = field;
  }
}

async function send<T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const url = API_PREFIX + path;
  const res = await fetch(url, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...sessionHeaders(method, document.cookie),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal:
      signal === undefined
        ? AbortSignal.timeout(10_000)
        : AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
  });
  const text = await res.text();
  if (res.status === 401) toLogin();
  let parsed: { status?: string; data?: T; error?: string; errorType?: string; field?: string };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new SaveError(
      url,
      'bad_response',
      `HTTP ${res.status}: ${text.slice(0, 200)}`,
      res.status,
    );
  }
  if (parsed.status !== 'success') {
    throw new SaveError(
      url,
      parsed.errorType ?? 'bad_response',
      parsed.error ?? `HTTP ${res.status}`,
      res.status,
      parsed.field,
    );
  }
  return parsed.data as T;
}

export function listDashboards(signal?: AbortSignal): Promise<DashboardSummary[]> {
  return apiGet<DashboardSummary[]>('/dashboards', signal);
}

export function getDashboard(uid: string, signal?: AbortSignal): Promise<StoredDashboard> {
  return apiGet<StoredDashboard>(`/dashboards/${encodeURIComponent(uid)}`, signal);
}

/** Creates a dashboard; without a uid the server picks one. */
export function createDashboard(d: Partial<Dashboard>): Promise<StoredDashboard> {
  return send('POST', '/dashboards', d);
}

/** Saves a new version; refused with 409 when someone saved since `d.version`. */
export function saveDashboard(d: Dashboard): Promise<StoredDashboard> {
  return send('PUT', `/dashboards/${encodeURIComponent(d.uid)}`, d);
}

export function deleteDashboard(uid: string): Promise<{ uid: string }> {
  return send('DELETE', `/dashboards/${encodeURIComponent(uid)}`);
}

/** One hit of `/api/v1/logs/search`. */
export interface LogHit {
  index: string;
  id: string;
  '@timestamp': string;
  source: Record<string, unknown>;
}

export function searchLogs(
  params: { q: string; index: string; start: number; end: number; limit: number },
  signal?: AbortSignal,
): Promise<{ hits: LogHit[]; total: { value: number; relation: string } }> {
  return send(
    'POST',
    '/logs/search',
    {
      ...params,
      start: String(params.start),
      end: String(params.end),
      track_total: 10_000,
    },
    signal,
  ).then((d) => d as { hits: LogHit[]; total: { value: number; relation: string } });
}

/** An Elasticsearch date histogram bucket, optionally split by a terms sub-aggregation. */
export interface HistogramBucket {
  key: number;
  doc_count: number;
  split?: { buckets: { key: string; doc_count: number }[] };
}

export function logHistogram(
  params: { q: string; index: string; start: number; end: number; splitBy?: string },
  signal?: AbortSignal,
): Promise<{ aggregations: { volume: { buckets: HistogramBucket[] } } }> {
  const histogram: Record<string, unknown> = {
    date_histogram: {
      interval: 'auto',
      buckets: 60,
      extended_bounds: { min: params.start, max: params.end },
    },
  };
  if (params.splitBy !== undefined && params.splitBy !== '') {
    histogram.aggs = { split: { terms: { field: params.splitBy, size: 10 } } };
  }
  return send(
    'POST',
    '/logs/aggregate',
    {
      q: params.q,
      index: params.index,
      start: String(params.start),
      end: String(params.end),
      aggs: { volume: histogram },
    },
    signal,
  );
}
