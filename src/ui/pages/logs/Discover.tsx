/**
 * @module
 * Logs (Discover): search the log store with KQL over a time range, see the matches over time,
 * read them in a list that scrolls through millions of lines, open a document, filter on its
 * values, see the lines around it, tail new ones, export the result and save the view under a
 * name. Everything the view shows is in the URL (see urlState.ts), so a link reproduces it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FieldValue, LogHit } from '../../api/responseTypes/logs';
import { TimeRangePicker } from '../../components/TimeRangePicker';
import { addFilter } from '../../editor/kql/edit';
import { KqlEditor, type KqlCompleter } from '../../editor/kql/KqlEditor';
import { describeRange, parseInterval } from '../../lib/timeRange';
import { DocFlyout } from './DocFlyout';
import { ExportButton } from './ExportButton';
import { FieldSidebar } from './FieldSidebar';
import { Histogram } from './Histogram';
import { fieldValues, surrounding } from './requests';
import { ResultList } from './ResultList';
import { SavedSearches } from './SavedSearches';
import { SurroundingLines } from './SurroundingLines';
import { useLogSearch } from './useLogSearch';
import { useLogsState } from './useLogsState';
import { sameDoc, type DocRef } from './urlState';
import './logs.css';

/**
 * The open document: from the loaded hits when it is there, else fetched by its ref (a shared
 * link to a document further down than the first page).
 */
function useOpenDoc(ref: DocRef | undefined, hits: readonly LogHit[]): LogHit | undefined {
  const inList = ref === undefined ? undefined : hits.find((h) => sameDoc(h, ref));
  const [fetched, setFetched] = useState<LogHit | undefined>();
  useEffect(() => {
    setFetched(undefined);
    if (ref === undefined || inList !== undefined) return;
    const controller = new AbortController();
    surrounding(ref, 1, controller.signal)
      .then((c) => setFetched(c.anchor))
      .catch(() => undefined); // a stale link: no flyout
    return () => controller.abort();
  }, [ref, inList]);
  return inList ?? fetched;
}

/** The page itself; {@link LogsPage} loads it on demand. */
export function Discover() {
  const [state, update] = useLogsState();
  const [tick, setTick] = useState(0);
  const [tail, setTail] = useState(false);
  const search = useLogSearch(state, tick, tail);
  const openHit = useOpenDoc(state.doc, search.hits);
  const openIndex =
    state.doc === undefined ? -1 : search.hits.findIndex((h) => sameDoc(h, state.doc));

  useEffect(() => {
    const ms = parseInterval(state.refresh);
    if (ms === undefined) return;
    const timer = window.setInterval(() => setTick((t) => t + 1), ms);
    return () => window.clearInterval(timer);
  }, [state.refresh]);

  // The editor's completion reads the latest search through a ref, so it keeps one identity.
  const latest = useRef(search);
  latest.current = search;
  const completer = useMemo<KqlCompleter>(
    () => ({
      fields: async () => (latest.current.fields?.fields ?? []).map((f) => f.path),
      values: async (field, prefix) => {
        const s = latest.current.scope;
        return s === undefined ? [] : fieldValues(s, field, prefix);
      },
    }),
    [],
  );

  const onFilter = useCallback(
    (field: string, value: FieldValue, negate: boolean) =>
      update({ q: addFilter(state.q, field, value, negate), doc: undefined }),
    [state.q, update],
  );
  const toggleColumn = useCallback(
    (field: string) =>
      update(
        {
          columns: state.columns.includes(field)
            ? state.columns.filter((c) => c !== field)
            : [...state.columns, field],
        },
        { replace: true },
      ),
    [state.columns, update],
  );
  const onZoom = useCallback(
    (from: number, to: number) =>
      update({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }),
    [update],
  );
  const openDoc = useCallback(
    (i: number) => {
      const h = latest.current.hits[i];
      if (h !== undefined) update({ doc: { index: h.index, sort: h.sort } }, { replace: true });
    },
    [update],
  );
  const closeDoc = useCallback(() => update({ doc: undefined }, { replace: true }), [update]);

  const { histogram, scope } = search;
  const emptyStore = search.fields !== undefined && search.fields.fields.length === 0;

  return (
    <div className="logs-page">
      <h1 className="visually-hidden">Logs</h1>
      <div className="logs-toolbar" role="search">
        <KqlEditor
          value={state.q}
          onSubmit={(q) => (q === state.q ? setTick((t) => t + 1) : update({ q, doc: undefined }))}
          completer={completer}
          error={search.queryError}
          placeholder="Search with KQL, e.g. level:error and not kubernetes.namespace:kube-system"
        />
        <input
          className="logs-index"
          aria-label="Indices"
          title="Indices to search: names or patterns, comma-separated; empty searches all"
          placeholder="all indices"
          defaultValue={state.index}
          key={state.index}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              update({ index: e.currentTarget.value.trim() });
            }
          }}
          onBlur={(e) => {
            if (e.currentTarget.value.trim() !== state.index)
              update({ index: e.currentTarget.value.trim() });
          }}
          data-testid="index-input"
        />
        <TimeRangePicker
          range={{ from: state.from, to: state.to }}
          onRangeChange={(r) => update(r)}
          refresh={state.refresh}
          onRefreshChange={(refresh) => update({ refresh }, { replace: true })}
          onRefresh={() => setTick((t) => t + 1)}
        />
        <SavedSearches state={state} onOpen={update} />
      </div>
      {search.queryError && (
        <p className="kql-error" role="alert" data-testid="kql-error">
          <strong>Query error</strong>
          {search.queryError.offset !== undefined &&
            ` at column ${search.queryError.offset + 1}`}: {search.queryError.message}
        </p>
      )}
      <div className="logs-body">
        <FieldSidebar
          fields={search.fields}
          columns={state.columns}
          onToggleColumn={toggleColumn}
          onFilter={onFilter}
        />
        <div className="logs-main">
          {state.context !== undefined ? (
            <SurroundingLines
              docRef={state.context}
              columns={state.columns}
              onBack={() => update({ context: undefined })}
            />
          ) : (
            <>
              {histogram !== undefined && scope !== undefined ? (
                <Histogram data={histogram} from={scope.from} to={scope.to} onZoom={onZoom} />
              ) : (
                <div className="logs-histogram logs-histogram-empty" aria-hidden="true" />
              )}
              <div className="logs-result-bar">
                <span className="muted" data-testid="loaded-count">
                  {search.loading
                    ? 'Searching…'
                    : `${search.hits.length.toLocaleString('en-US')}${search.hasMore ? '+' : ''} ${search.hits.length === 1 && !search.hasMore ? 'line' : 'lines'} loaded`}
                  {tail && ` · live: ${search.tailed} new`}
                </span>
                <button
                  type="button"
                  className="button"
                  aria-pressed={tail}
                  onClick={() => {
                    if (!tail && state.sort !== 'desc') update({ sort: 'desc' });
                    setTail(!tail);
                  }}
                  title="Show new matching lines as they arrive"
                  data-testid="live-tail"
                >
                  {tail ? '■ Stop tail' : '▶ Live tail'}
                </button>
                <ExportButton scope={scope} sort={state.sort} columns={state.columns} />
              </div>
              {search.queryError !== undefined ? (
                <div className="logs-empty" data-testid="query-error-state">
                  <h2>The query does not parse</h2>
                  <p>Correct it where the query bar underlines it, then press Enter.</p>
                </div>
              ) : search.error !== undefined ? (
                <div className="error-banner" role="alert" data-testid="search-error">
                  <strong>The search failed.</strong> {search.error.message}
                </div>
              ) : !search.loading && search.hits.length === 0 ? (
                <div className="logs-empty" data-testid="empty-state">
                  {emptyStore && state.q === '' ? (
                    <>
                      <h2>No logs yet</h2>
                      <p>
                        Send lines to <code>POST /api/v1/logs/ingest</code>, Elasticsearch&apos;s{' '}
                        <code>_bulk</code> or Loki&apos;s push API, or run the Vigil agent.
                      </p>
                    </>
                  ) : (
                    <>
                      <h2>No lines match</h2>
                      <p>
                        Nothing matches {state.q === '' ? 'in' : <code>{state.q}</code>}{' '}
                        {state.q === '' ? '' : 'in '}
                        {describeRange(state).toLowerCase()}.
                      </p>
                      <p>
                        <button
                          type="button"
                          className="button"
                          onClick={() => update({ from: 'now-7d', to: 'now' })}
                        >
                          Search the last 7 days
                        </button>
                      </p>
                    </>
                  )}
                </div>
              ) : (
                <ResultList
                  hits={search.hits}
                  columns={state.columns}
                  sort={state.sort}
                  hasMore={search.hasMore}
                  loadingMore={search.loadingMore}
                  onLoadMore={search.loadMore}
                  openIndex={openIndex}
                  onOpen={openDoc}
                  onClose={closeDoc}
                  onToggleSort={() => update({ sort: state.sort === 'desc' ? 'asc' : 'desc' })}
                  onRemoveColumn={toggleColumn}
                />
              )}
            </>
          )}
        </div>
        {openHit !== undefined && state.context === undefined && (
          <DocFlyout
            hit={openHit}
            columns={state.columns}
            onClose={closeDoc}
            onFilter={onFilter}
            onToggleColumn={toggleColumn}
            onSurrounding={() =>
              update({ context: { index: openHit.index, sort: openHit.sort }, doc: undefined })
            }
          />
        )}
      </div>
    </div>
  );
}
