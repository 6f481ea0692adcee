/**
 * @module
 * The Logs page's calls to the native logs API (docs/logs.md). Every search names its time
 * range in epoch milliseconds resolved once by the caller, so the hits, the histogram and the
 * field sample describe the same span even when the range is `now-15m`.
 */
import { apiGet, apiPost } from '../../api/client';
import type {
  ContextResult,
  DateHistogramBucket,
  FieldsResult,
  FieldValue,
  LogHit,
  SearchResult,
  TermsBucket,
} from '../../api/responseTypes/logs';
import type { DocRef } from './urlState';

/** What every request of one search shares. */
export interface SearchScope {
  q: string;
  index: string;
  from: number;
  to: number;
}

/** Hits per page of the result list; the list asks for the next page near its end. */
export const PAGE_SIZE = 200;

function scopeParams(s: SearchScope): Record<string, string> {
  return { q: s.q, index: s.index, start: String(s.from), end: String(s.to) };
}

/**
 * One page of hits, newest (or oldest) first; `after` is the last hit's `sort`. Hits are
 * highlighted unless `highlight` is false (export has no use for it).
 *
 * @example
 * const first = await searchPage(scope, 'desc', undefined, signal);
 */
export function searchPage(
  scope: SearchScope,
  order: 'asc' | 'desc',
  after: string | undefined,
  signal?: AbortSignal,
  limit = PAGE_SIZE,
  highlight = true,
): Promise<SearchResult> {
  return apiPost<SearchResult>(
    '/logs/search',
    {
      ...scopeParams(scope),
      order,
      limit,
      highlight,
      // The histogram counts every match; counting again here would double the work.
      track_total: 0,
      ...(after === undefined ? {} : { after }),
    },
    signal,
  );
}

/** Buckets of the histogram and the exact number of matches in the range. */
export interface Histogram {
  buckets: DateHistogramBucket[];
  intervalMs: number;
  total: number;
}

/**
 * Matches per `interval` over the whole range, empty buckets included, so the bars cover the
 * range from edge to edge.
 */
export async function histogram(
  scope: SearchScope,
  interval: { text: string; ms: number },
  signal?: AbortSignal,
): Promise<Histogram> {
  const out = await apiPost<SearchResult>(
    '/logs/aggregate',
    {
      ...scopeParams(scope),
      track_total: Number.MAX_SAFE_INTEGER,
      aggs: {
        over_time: {
          date_histogram: {
            field: '@timestamp',
            fixed_interval: interval.text,
            min_doc_count: 0,
            extended_bounds: { min: scope.from, max: scope.to },
          },
        },
      },
    },
    signal,
  );
  const agg = out.aggregations?.over_time as { buckets: DateHistogramBucket[] } | undefined;
  return { buckets: agg?.buckets ?? [], intervalMs: interval.ms, total: out.total?.value ?? 0 };
}

/** The fields of the indices searched and their top values among the newest matches. */
export function fields(scope: SearchScope, signal?: AbortSignal): Promise<FieldsResult> {
  const p = new URLSearchParams({ ...scopeParams(scope), sample: '500' });
  return apiGet<FieldsResult>(`/logs/fields?${p}`, signal);
}

/**
 * The most frequent values of `field` in the range that start with `prefix`, for the KQL
 * editor's value completion.
 */
export async function fieldValues(
  scope: Omit<SearchScope, 'q'>,
  field: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<FieldValue[]> {
  const escaped = prefix.replace(/[.?+*|{}[\]()"\\#@&<>~]/g, (c) => `\\${c}`);
  const out = await apiPost<SearchResult>(
    '/logs/aggregate',
    {
      ...scopeParams({ ...scope, q: '' }),
      track_total: 0,
      aggs: {
        values: {
          terms: { field, size: 20, ...(prefix === '' ? {} : { include: `${escaped}.*` }) },
        },
      },
    },
    signal,
  );
  const agg = out.aggregations?.values as { buckets: TermsBucket[] } | undefined;
  return (agg?.buckets ?? []).map((b) => b.key);
}

/** The document `ref` names and `size` lines before and after it in its stream. */
export function surrounding(
  ref: DocRef,
  size: number,
  signal?: AbortSignal,
): Promise<ContextResult> {
  const p = new URLSearchParams({ index: ref.index, sort: ref.sort, size: String(size) });
  return apiGet<ContextResult>(`/logs/context?${p}`, signal);
}

/**
 * Every match, page after page, up to `max`, reporting progress; for export.
 *
 * @example
 * const all = await allHits(scope, 'desc', 10_000, (n) => setProgress(n), signal);
 */
export async function allHits(
  scope: SearchScope,
  order: 'asc' | 'desc',
  max: number,
  onProgress: (count: number) => void,
  signal?: AbortSignal,
): Promise<LogHit[]> {
  const out: LogHit[] = [];
  let after: string | undefined;
  while (out.length < max) {
    const limit = Math.min(1000, max - out.length);
    const page = await searchPage(scope, order, after, signal, limit, false);
    out.push(...page.hits);
    onProgress(out.length);
    if (page.hits.length === 0) break;
    after = page.hits[page.hits.length - 1]!.sort;
  }
  return out;
}
