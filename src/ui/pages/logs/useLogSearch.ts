/**
 * @module
 * The Logs page's data: one search (query, indices, time range, order) resolved to an absolute
 * time span, then the first page of hits, the histogram and the field sample fetched side by
 * side; later pages with `after` as the list scrolls; and live-tailed lines prepended while the
 * tail is on. A refresh (`tick`) re-resolves `now` and fetches again, keeping the old results
 * on screen until the new ones arrive.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, API_PREFIX } from '../../api/client';
import type { FieldsResult, LogHit } from '../../api/responseTypes/logs';
import { kqlErrorInfo, type KqlErrorInfo } from '../../editor/kql/serverError';
import { autoInterval, resolveRange } from '../../lib/timeRange';
import {
  fields as fetchFields,
  histogram as fetchHistogram,
  PAGE_SIZE,
  searchPage,
  type Histogram,
  type SearchScope,
} from './requests';

export interface LogSearch {
  /** The span searched, resolved at the last (re)fetch; undefined while the range is invalid. */
  scope: SearchScope | undefined;
  hits: readonly LogHit[];
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  histogram: Histogram | undefined;
  fields: FieldsResult | undefined;
  /** A query that does not parse, with the server's position. */
  queryError: KqlErrorInfo | undefined;
  /** Any other failure: time range, server, network. */
  error: Error | undefined;
  /** Lines the live tail added since it was turned on. */
  tailed: number;
}

/** The bars the histogram aims for across its width. */
const HISTOGRAM_BARS = 60;

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * @example
 * const s = useLogSearch({ q, index, from, to, sort }, tick, liveTail);
 */
export function useLogSearch(
  params: { q: string; index: string; from: string; to: string; sort: 'asc' | 'desc' },
  tick: number,
  tail: boolean,
): LogSearch {
  const { q, index, from, to, sort } = params;
  const [scope, setScope] = useState<SearchScope | undefined>();
  const [hits, setHits] = useState<readonly LogHit[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [histogram, setHistogram] = useState<Histogram | undefined>();
  const [fields, setFields] = useState<FieldsResult | undefined>();
  const [queryError, setQueryError] = useState<KqlErrorInfo | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [tailed, setTailed] = useState(0);
  const generation = useRef(0);

  const fail = useCallback((err: unknown) => {
    const e = asError(err);
    if (e instanceof ApiError && e.serverError?.startsWith('invalid parameter "q"')) {
      setQueryError(kqlErrorInfo(e.serverError));
    } else setError(e);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    const gen = ++generation.current;
    let resolved: { from: number; to: number };
    try {
      resolved = resolveRange({ from, to }, Date.now());
    } catch (err) {
      setError(asError(err));
      setLoading(false);
      return;
    }
    const s: SearchScope = { q, index, ...resolved };
    setScope(s);
    setLoading(true);
    setError(undefined);
    setQueryError(undefined);
    const current = () => gen === generation.current && !controller.signal.aborted;
    // One hit more than a page tells whether another page exists, without a count.
    searchPage(s, sort, undefined, controller.signal, PAGE_SIZE + 1)
      .then((page) => {
        if (!current()) return;
        setHits(page.hits.slice(0, PAGE_SIZE));
        setHasMore(page.hits.length > PAGE_SIZE);
        setTailed(0);
      })
      .catch((err: unknown) => {
        if (!current()) return;
        setHits([]);
        setHasMore(false);
        fail(err);
      })
      .finally(() => {
        if (current()) setLoading(false);
      });
    fetchHistogram(s, autoInterval(s.from, s.to, HISTOGRAM_BARS), controller.signal)
      .then((h) => current() && setHistogram(h))
      // No chart then; the hits request reports the same failure once, in the page's banner.
      .catch(() => current() && setHistogram(undefined));
    fetchFields(s, controller.signal)
      .then((f) => current() && setFields(f))
      .catch(() => {
        // The sidebar keeps the last field list: fields change rarely and the hits error says why.
      });
    return () => controller.abort();
  }, [q, index, from, to, sort, tick, fail]);

  const loadMore = useCallback(() => {
    if (scope === undefined || loadingMore || !hasMore || hits.length === 0) return;
    const gen = generation.current;
    setLoadingMore(true);
    searchPage(scope, sort, hits[hits.length - 1]!.sort, undefined, PAGE_SIZE + 1)
      .then((page) => {
        if (gen !== generation.current) return;
        setHits((prev) => [...prev, ...page.hits.slice(0, PAGE_SIZE)]);
        setHasMore(page.hits.length > PAGE_SIZE);
      })
      .catch((err: unknown) => {
        if (gen === generation.current) setError(asError(err));
      })
      .finally(() => setLoadingMore(false));
  }, [scope, loadingMore, hasMore, hits, sort]);

  // Live tail: the server's Server-Sent Events stream of newly arrived matches, oldest first.
  useEffect(() => {
    if (!tail) return;
    const p = new URLSearchParams({ q, index });
    const source = new EventSource(`${API_PREFIX}/logs/tail?${p}`);
    source.addEventListener('hits', (e) => {
      const fresh = JSON.parse((e as MessageEvent<string>).data) as LogHit[];
      setTailed((n) => n + fresh.length);
      setHits((prev) => (sort === 'desc' ? [...fresh.reverse(), ...prev] : [...prev, ...fresh]));
    });
    return () => source.close();
  }, [tail, q, index, sort]);

  return {
    scope,
    hits,
    hasMore,
    loading,
    loadingMore,
    loadMore,
    histogram,
    fields,
    queryError,
    error,
    tailed,
  };
}
