/**
 * @module
 * The log store's traffic on `/metrics`, counted where the APIs meet the store: each API gets
 * its writer and searcher wrapped so documents are counted by API and outcome (and refusals by
 * Elasticsearch's error type), and searches by API with what they read and the limits they hit.
 * Whole requests refused before reaching the store (too large, malformed) show in
 * `vigil_http_requests_total` by status code.
 */

import type { Registry } from '../lib/instrument/index.js';
import { QueryLimitError, StoreBusyError } from '../logs/store/errors.js';
import type { LogSearcher, LogWriter } from '../logs/store/interface.js';

/** The APIs that reach the store. */
export type LogApi = 'native' | 'elasticsearch' | 'loki';

export interface LogMetrics {
  writer(api: LogApi, w: LogWriter): LogWriter;
  searcher(api: LogApi, s: LogSearcher): LogSearcher;
}

/**
 * Registers the metrics and returns the wrappers.
 *
 * @example
 * const m = instrumentLogs(registry);
 * const writer = m.writer('loki', store);
 */
export function instrumentLogs(registry: Registry): LogMetrics {
  const documents = registry.counter({
    name: 'vigil_logs_documents_total',
    help: 'Documents sent to the log store, by API and result (created, exists, rejected).',
    labelNames: ['api', 'result'],
  });
  const rejected = registry.counter({
    name: 'vigil_logs_documents_rejected_total',
    help: 'Documents the log store refused, by API and reason (Elasticsearch error type).',
    labelNames: ['api', 'reason'],
  });
  const busy = registry.counter({
    name: 'vigil_logs_write_busy_total',
    help: 'Write batches refused because the log store was busy (answered 429).',
    labelNames: ['api'],
  });
  const searches = registry.counter({
    name: 'vigil_logs_searches_total',
    help: 'Searches (passes over the store) run, by API.',
    labelNames: ['api'],
  });
  const scanned = registry.counter({
    name: 'vigil_logs_search_documents_scanned_total',
    help: 'Documents read by searches to decide whether they match.',
    labelNames: ['api'],
  });
  const bytesRead = registry.counter({
    name: 'vigil_logs_search_bytes_read_total',
    help: 'Compressed segment bytes read by searches.',
    labelNames: ['api'],
  });
  const limits = registry.counter({
    name: 'vigil_logs_search_limit_exceeded_total',
    help: 'Searches stopped by a limit (max_docs_scanned, query_timeout), by API and limit.',
    labelNames: ['api', 'limit'],
  });
  const writers = new WeakMap<LogWriter, Map<LogApi, LogWriter>>();
  const searchers = new WeakMap<LogSearcher, Map<LogApi, LogSearcher>>();
  const memo = <T extends object>(
    cache: WeakMap<T, Map<LogApi, T>>,
    inner: T,
    api: LogApi,
    make: () => T,
  ): T => {
    let byApi = cache.get(inner);
    if (byApi === undefined) cache.set(inner, (byApi = new Map()));
    let out = byApi.get(api);
    if (out === undefined) byApi.set(api, (out = make()));
    return out;
  };
  return {
    writer: (api, w) =>
      memo(writers, w, api, () => ({
        async write(batch) {
          let results;
          try {
            results = await w.write(batch);
          } catch (err) {
            if (err instanceof StoreBusyError) busy.labels(api).inc();
            throw err;
          }
          for (const r of results) {
            documents.labels(api, r.status).inc();
            if (r.status === 'rejected') rejected.labels(api, r.type).inc();
          }
          return results;
        },
        deleteIndices: (names) => w.deleteIndices(names),
      })),
    searcher: (api, s) =>
      memo(searchers, s, api, () => ({
        async search(req, onBlock) {
          searches.labels(api).inc();
          try {
            const stats = await s.search(req, onBlock);
            scanned.labels(api).inc(stats.docsScanned);
            bytesRead.labels(api).inc(stats.bytesRead);
            return stats;
          } catch (err) {
            if (err instanceof QueryLimitError) limits.labels(api, err.limit).inc();
            throw err;
          }
        },
        mapping: (indices) => s.mapping(indices),
        indices: () => s.indices(),
      })),
  };
}
