/**
 * @module
 * The open document, in a panel beside the list: as a table of its fields (each with
 * filter-for, filter-out and column buttons) or as its JSON, with a link to the lines around it
 * in its stream.
 */
import { useEffect, useState } from 'react';
import type { FieldValue, LogHit } from '../../api/responseTypes/logs';
import { FieldText } from './FieldText';
import { displayTime, fieldText, flattenDoc } from './fieldValues';

export interface DocFlyoutProps {
  hit: LogHit;
  columns: readonly string[];
  onClose: () => void;
  onFilter: (field: string, value: FieldValue, negate: boolean) => void;
  onToggleColumn: (field: string) => void;
  onSurrounding: () => void;
}

/** A value the filter buttons can filter on: a scalar (arrays filter on their first value). */
function filterable(value: unknown): FieldValue | undefined {
  if (Array.isArray(value)) return filterable(value[0]);
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return value as FieldValue;
  }
  return undefined;
}

/**
 * @example
 * <DocFlyout hit={hit} columns={cols} onClose={close} onFilter={filter} onToggleColumn={toggle} onSurrounding={ctx} />
 */
export function DocFlyout(props: DocFlyoutProps) {
  const { hit, columns, onClose, onFilter, onToggleColumn, onSurrounding } = props;
  const [view, setView] = useState<'table' | 'json'>('table');
  useEffect(() => {
    // Escape closes the document wherever the focus is, except where Escape means something
    // else first (closing the editor's completion list, which handles it and prevents default).
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  const leaves = flattenDoc(hit.source);
  return (
    <aside className="doc-flyout" aria-label="Document" data-testid="doc-flyout">
      <header className="doc-flyout-head">
        <div>
          <h2>{displayTime(hit['@timestamp'])}</h2>
          <p className="muted doc-meta">
            {hit.index} · <span title="Document id">{hit.id}</span>
          </p>
        </div>
        <button type="button" className="icon-button" aria-label="Close document" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="doc-flyout-actions">
        <div role="tablist" aria-label="Document view" className="segmented">
          <button
            type="button"
            role="tab"
            aria-selected={view === 'table'}
            onClick={() => setView('table')}
          >
            Table
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={view === 'json'}
            onClick={() => setView('json')}
          >
            JSON
          </button>
        </div>
        <button
          type="button"
          className="button"
          onClick={onSurrounding}
          data-testid="view-surrounding"
        >
          View surrounding lines
        </button>
      </div>
      {view === 'json' ? (
        <pre className="code-block doc-json" data-testid="doc-json">
          {JSON.stringify(hit.source, null, 2)}
        </pre>
      ) : (
        <table className="table doc-table" data-testid="doc-table">
          <tbody>
            {leaves.map(([path, value], i) => {
              const v = filterable(value);
              return (
                <tr key={`${path}#${i}`}>
                  <th scope="row">{path}</th>
                  <td className="doc-value">
                    {Array.isArray(value) || typeof value === 'object' ? (
                      fieldText(value)
                    ) : (
                      <FieldText hit={hit} field={path} />
                    )}
                  </td>
                  <td className="doc-actions">
                    {v !== undefined && (
                      <>
                        <button
                          type="button"
                          className="icon-button"
                          title="Filter for value"
                          aria-label={`Filter for ${path}`}
                          onClick={() => onFilter(path, v, false)}
                        >
                          ⊕
                        </button>
                        <button
                          type="button"
                          className="icon-button"
                          title="Filter out value"
                          aria-label={`Filter out ${path}`}
                          onClick={() => onFilter(path, v, true)}
                        >
                          ⊖
                        </button>
                      </>
                    )}
                    <button
                      type="button"
                      className="icon-button"
                      title={columns.includes(path) ? 'Remove column' : 'Add column'}
                      aria-label={`${columns.includes(path) ? 'Remove' : 'Add'} column ${path}`}
                      onClick={() => onToggleColumn(path)}
                    >
                      ▥
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </aside>
  );
}
