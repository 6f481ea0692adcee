/**
 * @module
 * Dashboard settings: title, description, tags, default time range and refresh, the variables
 * (name, type, definition, multi-select, "All", regex), and the JSON model, editable as a whole
 * like Grafana's.
 */
import { useState } from 'react';
import type { Dashboard, Variable } from './types';

const NEW_VARIABLE: Variable = {
  name: 'var',
  type: 'query',
  query: 'label_values(up, job)',
  multi: false,
  includeAll: false,
  current: [],
};

function VariableRow({
  v,
  onChange,
  onRemove,
}: {
  v: Variable;
  onChange: (v: Variable) => void;
  onRemove: () => void;
}) {
  return (
    <div className="variable-row" data-testid="variable-row">
      <input
        className="control-input"
        aria-label="Variable name"
        data-testid="variable-name"
        value={v.name}
        onChange={(e) => onChange({ ...v, name: e.target.value })}
      />
      <select
        className="control-select"
        aria-label="Variable type"
        data-testid="variable-type"
        value={v.type}
        onChange={(e) => onChange({ ...v, type: e.target.value as Variable['type'] })}
      >
        <option value="query">Query</option>
        <option value="custom">Custom</option>
        <option value="interval">Interval</option>
      </select>
      <input
        className="control-input wide"
        aria-label="Variable definition"
        data-testid="variable-query"
        placeholder={v.type === 'query' ? 'label_values(metric, label)' : 'a, b, c'}
        value={v.query}
        onChange={(e) => onChange({ ...v, query: e.target.value })}
      />
      <input
        className="control-input"
        aria-label="Variable regex"
        placeholder="regex"
        value={v.regex ?? ''}
        onChange={(e) => onChange({ ...v, regex: e.target.value || undefined })}
      />
      <label className="inline">
        <input
          type="checkbox"
          data-testid="variable-multi"
          checked={v.multi}
          onChange={(e) => onChange({ ...v, multi: e.target.checked })}
        />
        Multi
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={v.includeAll}
          onChange={(e) => onChange({ ...v, includeAll: e.target.checked })}
        />
        All
      </label>
      <button
        type="button"
        className="control-button"
        aria-label={`Remove variable ${v.name}`}
        onClick={onRemove}
      >
        ✕
      </button>
    </div>
  );
}

export function DashboardSettings({
  dashboard,
  onApply,
  onCancel,
}: {
  dashboard: Dashboard;
  onApply: (d: Dashboard) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(dashboard);
  const [json, setJson] = useState<string | null>(null);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const set = (p: Partial<Dashboard>) => setDraft({ ...draft, ...p });
  const apply = () => {
    if (json === null) return onApply(draft);
    try {
      onApply({
        ...(JSON.parse(json) as Dashboard),
        uid: dashboard.uid,
        version: dashboard.version,
      });
    } catch (err) {
      setJsonError(`cannot parse JSON: ${(err as Error).message}`);
    }
  };
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div
        className="modal settings"
        role="dialog"
        aria-label="Dashboard settings"
        data-testid="dashboard-settings"
      >
        <h2>Settings</h2>
        {json === null ? (
          <>
            <label className="field">
              Title
              <input
                className="control-input"
                data-testid="settings-title"
                value={draft.title}
                onChange={(e) => set({ title: e.target.value })}
              />
            </label>
            <label className="field">
              Description
              <input
                className="control-input"
                value={draft.description ?? ''}
                onChange={(e) => set({ description: e.target.value || undefined })}
              />
            </label>
            <label className="field">
              Tags (comma-separated)
              <input
                className="control-input"
                value={draft.tags.join(', ')}
                onChange={(e) =>
                  set({
                    tags: e.target.value
                      .split(',')
                      .map((t) => t.trim())
                      .filter((t) => t !== ''),
                  })
                }
              />
            </label>
            <div className="field-row">
              <label className="field">
                Default from
                <input
                  className="control-input"
                  value={draft.time.from}
                  onChange={(e) => set({ time: { ...draft.time, from: e.target.value } })}
                />
              </label>
              <label className="field">
                Default to
                <input
                  className="control-input"
                  value={draft.time.to}
                  onChange={(e) => set({ time: { ...draft.time, to: e.target.value } })}
                />
              </label>
              <label className="field">
                Default refresh
                <input
                  className="control-input"
                  value={draft.refresh}
                  placeholder="off"
                  onChange={(e) => set({ refresh: e.target.value })}
                />
              </label>
            </div>
            <fieldset>
              <legend>Variables</legend>
              {draft.variables.map((v, i) => (
                <VariableRow
                  key={i}
                  v={v}
                  onChange={(nv) =>
                    set({ variables: draft.variables.map((x, k) => (k === i ? nv : x)) })
                  }
                  onRemove={() => set({ variables: draft.variables.filter((_, k) => k !== i) })}
                />
              ))}
              <button
                type="button"
                className="control-button"
                data-testid="add-variable"
                onClick={() =>
                  set({
                    variables: [
                      ...draft.variables,
                      { ...NEW_VARIABLE, name: `var${draft.variables.length + 1}` },
                    ],
                  })
                }
              >
                + Variable
              </button>
            </fieldset>
          </>
        ) : (
          <label className="field">
            JSON model
            <textarea
              className="control-textarea json-model"
              data-testid="json-model"
              rows={24}
              value={json}
              onChange={(e) => {
                setJson(e.target.value);
                setJsonError(null);
              }}
            />
          </label>
        )}
        {jsonError !== null && (
          <p className="panel-error" role="alert">
            {jsonError}
          </p>
        )}
        <div className="modal-actions">
          <button
            type="button"
            className="control-button"
            onClick={() => setJson(json === null ? JSON.stringify(draft, null, 2) : null)}
          >
            {json === null ? 'JSON model' : 'Form'}
          </button>
          <span className="spacer" />
          <button type="button" className="control-button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="control-button primary"
            data-testid="settings-apply"
            onClick={apply}
          >
            Apply
          </button>
        </div>
      </div>
    </div>
  );
}
