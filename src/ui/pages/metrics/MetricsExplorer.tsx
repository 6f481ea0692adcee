/**
 * @module
 * The metrics explorer: a dialog listing every metric name the server has (with type and help
 * from `/api/v1/metadata`), filtered as the user types; choosing one inserts it into the
 * expression. Arrow keys move through the list, Enter chooses, Escape closes.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, apiGet } from '../../api/client';
import type { MetricMetadataMap } from '../../api/responseTypes/query';
import { filterMetrics, metricEntries, type MetricEntry } from './metric-list';

/** Rows rendered at most; typing narrows the list further. */
const MAX_ROWS = 300;

/**
 * @param props.onChoose called with the chosen metric name; the dialog closes itself
 * @param props.onClose the dialog was dismissed
 * @example
 * {open && <MetricsExplorer onChoose={insert} onClose={() => setOpen(false)} />}
 */
export function MetricsExplorer({
  onChoose,
  onClose,
}: {
  onChoose: (name: string) => void;
  onClose: () => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [entries, setEntries] = useState<MetricEntry[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  useEffect(() => {
    dialogRef.current?.showModal();
    const controller = new AbortController();
    Promise.all([
      apiGet<string[]>('/label/__name__/values', controller.signal),
      apiGet<MetricMetadataMap>('/metadata', controller.signal),
    ]).then(
      ([names, metadata]) => setEntries(metricEntries(names, metadata)),
      (err: unknown) => {
        if (!controller.signal.aborted) {
          setError(err instanceof ApiError ? err.detail : String(err));
        }
      },
    );
    return () => controller.abort();
  }, []);

  const shown = entries === undefined ? [] : filterMetrics(entries, query);
  const choose = (name: string) => {
    onChoose(name);
    onClose();
  };
  const move = (delta: number) => {
    const next = Math.max(0, Math.min(Math.min(shown.length, MAX_ROWS) - 1, active + delta));
    setActive(next);
    dialogRef.current
      ?.querySelector(`[data-index="${next}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  };

  return (
    <dialog
      ref={dialogRef}
      className="metrics-explorer"
      aria-label="Metrics explorer"
      data-testid="metrics-explorer"
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (e.target === dialogRef.current) dialogRef.current.close();
      }}
    >
      <div className="metrics-explorer-body">
        <div className="metrics-explorer-head">
          <h2>Metrics</h2>
          <button
            type="button"
            className="control-button"
            aria-label="Close"
            onClick={() => dialogRef.current?.close()}
          >
            ✕
          </button>
        </div>
        <input
          className="control-input"
          type="search"
          autoFocus
          aria-label="Filter metrics by name or help"
          placeholder="Filter by name or help text"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              move(e.key === 'ArrowDown' ? 1 : -1);
            } else if (e.key === 'Enter' && shown[active] !== undefined) {
              e.preventDefault();
              choose(shown[active].name);
            }
          }}
        />
        {error !== undefined && (
          <p className="error-text" role="alert">
            Cannot list metrics: {error}
          </p>
        )}
        {entries === undefined && error === undefined && <p className="muted">Loading…</p>}
        {entries !== undefined && (
          <>
            <p className="muted small">
              {shown.length} of {entries.length} metrics
              {shown.length > MAX_ROWS && ` (first ${MAX_ROWS} shown)`}
            </p>
            <ul className="metric-list" role="listbox" aria-label="Metrics">
              {shown.slice(0, MAX_ROWS).map((e, i) => (
                <li
                  key={e.name}
                  role="option"
                  aria-selected={i === active}
                  data-index={i}
                  data-testid="metric-option"
                  onMouseEnter={() => setActive(i)}
                  onClick={() => choose(e.name)}
                >
                  <code>{e.name}</code>
                  {e.type !== '' && <span className="badge badge-neutral">{e.type}</span>}
                  {e.help !== '' && <div className="muted small">{e.help}</div>}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </dialog>
  );
}
