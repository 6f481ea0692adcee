/**
 * @module
 * "View surrounding lines": the lines written just before and after one document in the same
 * stream (file, container or unit; the server picks it, see docs/logs.md `/logs/context`),
 * whatever the query, because the lines around an error are what explains it.
 */
import { useEffect, useState } from 'react';
import type { ContextResult, LogHit } from '../../api/responseTypes/logs';
import { FieldText } from './FieldText';
import { displayTime } from './fieldValues';
import { HitSummary } from './HitSummary';
import { surrounding } from './requests';
import type { DocRef } from './urlState';

const SIZES = [5, 10, 25, 50, 100];

/**
 * @example
 * <SurroundingLines docRef={ref} columns={cols} onBack={close} />
 */
export function SurroundingLines({
  docRef,
  columns,
  onBack,
}: {
  docRef: DocRef;
  columns: readonly string[];
  onBack: () => void;
}) {
  const [size, setSize] = useState(10);
  const [data, setData] = useState<ContextResult | undefined>();
  const [error, setError] = useState<Error | undefined>();

  useEffect(() => {
    const controller = new AbortController();
    setError(undefined);
    surrounding(docRef, size, controller.signal)
      .then(setData)
      .catch((err: unknown) => {
        if (!controller.signal.aborted)
          setError(err instanceof Error ? err : new Error(String(err)));
      });
    return () => controller.abort();
  }, [docRef, size]);

  const row = (hit: LogHit, anchor: boolean) => (
    <tr
      key={`${hit.index}/${hit.sort}`}
      className={anchor ? 'context-anchor' : undefined}
      data-testid={anchor ? 'context-anchor' : 'context-row'}
    >
      <td className="result-time">{displayTime(hit['@timestamp'])}</td>
      {columns.length === 0 ? (
        <td className="result-summary">
          <HitSummary hit={hit} />
        </td>
      ) : (
        columns.map((c) => (
          <td key={c}>
            <FieldText hit={hit} field={c} />
          </td>
        ))
      )}
    </tr>
  );

  return (
    <section className="context-view" aria-label="Surrounding lines" data-testid="surrounding">
      <div className="context-head">
        <button type="button" className="button" onClick={onBack}>
          ← Back to results
        </button>
        <h2>Surrounding lines</h2>
        {data !== undefined && (
          <p className="muted" data-testid="context-stream">
            {Object.keys(data.stream).length === 0
              ? 'Stream: the whole index (the document names no source)'
              : `Stream: ${Object.entries(data.stream)
                  .map(([k, v]) => `${k} = ${String(v)}`)
                  .join(', ')}`}
          </p>
        )}
        <label className="context-size">
          Lines each side{' '}
          <select value={size} onChange={(e) => setSize(Number(e.target.value))}>
            {SIZES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error !== undefined ? (
        <div className="error-banner" role="alert">
          <strong>Could not load the surrounding lines.</strong> {error.message}
        </div>
      ) : data === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="table-scroll">
          <table className="table context-table">
            <tbody>
              {data.before.length === 0 && (
                <tr>
                  <td colSpan={columns.length + 1} className="muted">
                    No earlier lines in this stream.
                  </td>
                </tr>
              )}
              {data.before.map((h) => row(h, false))}
              {row(data.anchor, true)}
              {data.after.map((h) => row(h, false))}
              {data.after.length === 0 && (
                <tr>
                  <td colSpan={columns.length + 1} className="muted">
                    No later lines in this stream.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
