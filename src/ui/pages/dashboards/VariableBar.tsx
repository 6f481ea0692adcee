/**
 * @module
 * The variable pickers above the panels: a select for single-value variables, a dropdown of
 * checkboxes (with "All") for multi-value ones. A change goes to the URL (`var-<name>`).
 */
import { useState } from 'react';
import type { ResolvedVariable } from './useVariables';
import { ALL } from './variables';

function MultiPicker({
  r,
  onChange,
}: {
  r: ResolvedVariable;
  onChange: (values: string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const all = r.selected.includes(ALL);
  const text = all ? 'All' : r.selected.length === 0 ? 'None' : r.selected.join(' + ');
  const toggle = (value: string) => {
    if (value === ALL) return onChange(all ? [] : [ALL]);
    const base = all ? [] : r.selected;
    onChange(base.includes(value) ? base.filter((x) => x !== value) : [...base, value]);
  };
  return (
    <div className="var-multi">
      <button
        type="button"
        className="control-input var-button"
        aria-expanded={open}
        aria-label={`Variable ${r.variable.name}`}
        data-testid={`var-${r.variable.name}`}
        onClick={() => setOpen(!open)}
      >
        {text} ▾
      </button>
      {open && (
        <div className="var-menu" role="group" aria-label={`Values of ${r.variable.name}`}>
          {r.variable.includeAll && (
            <label>
              <input type="checkbox" checked={all} onChange={() => toggle(ALL)} /> All
            </label>
          )}
          {r.options.map((o) => (
            <label key={o}>
              <input
                type="checkbox"
                checked={all || r.selected.includes(o)}
                onChange={() => toggle(o)}
              />{' '}
              {o}
            </label>
          ))}
          <button type="button" className="button small" onClick={() => setOpen(false)}>
            Done
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * @example
 * <VariableBar resolved={vars} onChange={(name, values) => …} />
 */
export function VariableBar({
  resolved,
  onChange,
}: {
  resolved: readonly ResolvedVariable[];
  onChange: (name: string, values: string[]) => void;
}) {
  if (resolved.length === 0) return null;
  return (
    <div className="var-bar" data-testid="variable-bar">
      {resolved.map((r) => (
        <div key={r.variable.name} className="var-item" title={r.error}>
          <span className="var-label">{r.variable.label || r.variable.name}</span>
          {r.variable.multi ? (
            <MultiPicker r={r} onChange={(values) => onChange(r.variable.name, values)} />
          ) : (
            <select
              className="control-input"
              aria-label={`Variable ${r.variable.name}`}
              data-testid={`var-${r.variable.name}`}
              value={r.selected[0] ?? ''}
              onChange={(e) => onChange(r.variable.name, [e.target.value])}
            >
              {r.variable.includeAll && <option value={ALL}>All</option>}
              {r.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          )}
          {r.error !== undefined && (
            <span className="var-error" role="alert">
              ⚠
            </span>
          )}
        </div>
      ))}
    </div>
  );
}
