/**
 * @module
 * The panel editor: title, type, the PromQL queries (with legend format and instant toggle) or
 * the KQL query of logs panels, and display options, with a live preview of the draft.
 */
import { useEffect, useRef, useState } from 'react';
import { PromQLEditor } from '../../editor/promql/PromQLEditor';
import { PanelBody, type PanelContext } from './PanelBody';
import { PANEL_TYPE_NAMES, type Panel, type PanelType } from './types';

const UNITS = [
  ['', 'None'],
  ['percent', 'Percent (0-100)'],
  ['percentunit', 'Percent (0.0-1.0)'],
  ['bytes', 'Bytes'],
  ['Bps', 'Bytes/s'],
  ['s', 'Seconds'],
] as const;

function numberOrUndefined(text: string): number | undefined {
  return text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text);
}

export function PanelEditor({
  panel,
  ctx,
  onApply,
  onCancel,
}: {
  panel: Panel;
  ctx: PanelContext;
  onApply: (panel: Panel) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Panel>(panel);
  // The preview runs what was last run (the Run button, or Enter in a query), not every keystroke.
  const [previewed, setPreviewed] = useState<Panel>(panel);
  // The editor's Enter handler is bound once; it reads the latest draft through this ref.
  const draftRef = useRef(draft);
  useEffect(() => {
    draftRef.current = draft;
  });
  const isLogs = draft.type === 'logs' || draft.type === 'logvolume';
  const set = (p: Partial<Panel>) => setDraft({ ...draft, ...p });
  const setOpt = (o: Partial<Panel['options']>) => set({ options: { ...draft.options, ...o } });
  const logs = draft.logs ?? { query: '', index: '' };
  return (
    <div
      className="modal-backdrop"
      onKeyDown={(e) => {
        // Escape in a query editor closes its completion list, not the dialog.
        const inEditor = (e.target as HTMLElement).closest('.cm-editor') !== null;
        if (e.key === 'Escape' && !inEditor) onCancel();
      }}
    >
      <div
        className="modal panel-editor"
        role="dialog"
        aria-label="Edit panel"
        data-testid="panel-editor"
      >
        <div className="panel-editor-preview">
          <div className="dash-panel">
            <div className="dash-panel-header">
              <span className="dash-panel-title">{previewed.title}</span>
            </div>
            <div className="dash-panel-body" style={{ height: 260 }}>
              <PanelBody panel={previewed} ctx={ctx} height={260} />
            </div>
          </div>
        </div>
        <div className="panel-editor-form">
          <label className="field">
            Title
            <input
              className="control-input"
              data-testid="panel-title"
              value={draft.title}
              onChange={(e) => set({ title: e.target.value })}
            />
          </label>
          <label className="field">
            Visualization
            <select
              className="control-select"
              data-testid="panel-type"
              value={draft.type}
              onChange={(e) => set({ type: e.target.value as PanelType })}
            >
              {Object.entries(PANEL_TYPE_NAMES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          {isLogs ? (
            <>
              <label className="field">
                KQL query
                <input
                  className="control-input"
                  data-testid="logs-query"
                  value={logs.query}
                  placeholder="level:error and kubernetes.namespace:$namespace"
                  onChange={(e) => set({ logs: { ...logs, query: e.target.value } })}
                />
              </label>
              <label className="field">
                Index pattern
                <input
                  className="control-input"
                  value={logs.index}
                  placeholder="all indices"
                  onChange={(e) => set({ logs: { ...logs, index: e.target.value } })}
                />
              </label>
              {draft.type === 'logvolume' ? (
                <label className="field">
                  Split by field
                  <input
                    className="control-input"
                    value={logs.splitBy ?? ''}
                    placeholder="kubernetes.namespace"
                    onChange={(e) =>
                      set({ logs: { ...logs, splitBy: e.target.value || undefined } })
                    }
                  />
                </label>
              ) : (
                <label className="field">
                  Lines
                  <input
                    className="control-input"
                    type="number"
                    value={logs.limit ?? 100}
                    onChange={(e) =>
                      set({ logs: { ...logs, limit: numberOrUndefined(e.target.value) } })
                    }
                  />
                </label>
              )}
            </>
          ) : (
            <fieldset className="targets">
              <legend>Queries (PromQL)</legend>
              {draft.targets.map((t, i) => (
                <div key={i} className="target-row" data-testid="target-row">
                  <div className="target-expr" data-testid="target-expr">
                    <PromQLEditor
                      label={`Query ${String.fromCharCode(65 + i)}`}
                      value={t.expr}
                      lint={false}
                      onChange={(expr) =>
                        set({
                          targets: draft.targets.map((x, k) => (k === i ? { ...x, expr } : x)),
                        })
                      }
                      onSubmit={() => setPreviewed(draftRef.current)}
                    />
                  </div>
                  <input
                    className="control-input"
                    placeholder="Legend, e.g. {{job}}"
                    aria-label={`Legend ${String.fromCharCode(65 + i)}`}
                    value={t.legendFormat ?? ''}
                    onChange={(e) =>
                      set({
                        targets: draft.targets.map((x, k) =>
                          k === i ? { ...x, legendFormat: e.target.value || undefined } : x,
                        ),
                      })
                    }
                  />
                  <label className="inline">
                    <input
                      type="checkbox"
                      checked={t.instant === true}
                      onChange={(e) =>
                        set({
                          targets: draft.targets.map((x, k) =>
                            k === i ? { ...x, instant: e.target.checked } : x,
                          ),
                        })
                      }
                    />
                    Instant
                  </label>
                  <button
                    type="button"
                    className="control-button"
                    aria-label={`Remove query ${String.fromCharCode(65 + i)}`}
                    onClick={() => set({ targets: draft.targets.filter((_, k) => k !== i) })}
                  >
                    ✕
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="control-button"
                data-testid="add-target"
                onClick={() => set({ targets: [...draft.targets, { expr: '' }] })}
              >
                + Query
              </button>
            </fieldset>
          )}
          {!isLogs && (
            <fieldset className="options">
              <legend>Display</legend>
              <label className="field">
                Unit
                <select
                  className="control-select"
                  value={draft.options.unit ?? ''}
                  onChange={(e) => setOpt({ unit: e.target.value || undefined })}
                >
                  {UNITS.map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                Min
                <input
                  className="control-input"
                  value={draft.options.min ?? ''}
                  onChange={(e) => setOpt({ min: numberOrUndefined(e.target.value) })}
                />
              </label>
              <label className="field">
                Max
                <input
                  className="control-input"
                  value={draft.options.max ?? ''}
                  onChange={(e) => setOpt({ max: numberOrUndefined(e.target.value) })}
                />
              </label>
              <label className="field">
                Decimals
                <input
                  className="control-input"
                  value={draft.options.decimals ?? ''}
                  onChange={(e) => setOpt({ decimals: numberOrUndefined(e.target.value) })}
                />
              </label>
              {draft.type === 'timeseries' ? (
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={draft.options.stacked === true}
                    onChange={(e) => setOpt({ stacked: e.target.checked })}
                  />
                  Stacked
                </label>
              ) : (
                <label className="field">
                  Reduce
                  <select
                    className="control-select"
                    value={draft.options.reduce ?? 'last'}
                    onChange={(e) =>
                      setOpt({ reduce: e.target.value as Panel['options']['reduce'] })
                    }
                  >
                    {['last', 'mean', 'max', 'min', 'sum'].map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </label>
              )}
            </fieldset>
          )}
          <div className="modal-actions">
            <button
              type="button"
              className="control-button"
              data-testid="panel-run"
              onClick={() => setPreviewed(draft)}
            >
              Run
            </button>
            <span className="spacer" />
            <button type="button" className="control-button" onClick={onCancel}>
              Cancel
            </button>
            <button
              type="button"
              className="control-button primary"
              data-testid="panel-apply"
              onClick={() => onApply(draft)}
            >
              Apply
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
