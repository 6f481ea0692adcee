/**
 * @module
 * The field list beside the results: the selected columns first, then every field of the
 * indices searched, with a search box. Opening a field shows its top values among the newest
 * matching documents (the server samples them, as Kibana does), each with filter-for and
 * filter-out buttons that edit the query.
 */
import { useState } from 'react';
import type { FieldInfo, FieldsResult, FieldValue } from '../../api/responseTypes/logs';

export interface FieldSidebarProps {
  fields: FieldsResult | undefined;
  columns: readonly string[];
  onToggleColumn: (field: string) => void;
  onFilter: (field: string, value: FieldValue, negate: boolean) => void;
}

const TYPE_BADGE: Readonly<Record<string, string>> = {
  keyword: 't',
  long: '#',
  double: '#',
  boolean: 'b',
  date: '◷',
  ip: 'ip',
};

/**
 * @example
 * <FieldSidebar fields={fields} columns={cols} onToggleColumn={toggle} onFilter={filter} />
 */
export function FieldSidebar({ fields, columns, onToggleColumn, onFilter }: FieldSidebarProps) {
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<string | undefined>();
  if (fields === undefined) {
    return (
      <aside className="logs-sidebar" aria-label="Fields">
        <p className="muted">Loading fields…</p>
      </aside>
    );
  }
  const needle = search.trim().toLowerCase();
  const matching = fields.fields.filter((f) => f.path.toLowerCase().includes(needle));
  const selected = columns
    .map((c) => matching.find((f) => f.path === c) ?? placeholderField(c))
    .filter((f) => f.path.toLowerCase().includes(needle));
  const available = matching.filter((f) => !columns.includes(f.path));
  const item = (f: FieldInfo) => (
    <FieldItem
      key={f.path}
      field={f}
      sample={fields.sample}
      selected={columns.includes(f.path)}
      open={open === f.path}
      onOpen={() => setOpen(open === f.path ? undefined : f.path)}
      onToggleColumn={() => onToggleColumn(f.path)}
      onFilter={(v, negate) => onFilter(f.path, v, negate)}
    />
  );
  return (
    <aside className="logs-sidebar" aria-label="Fields" data-testid="field-sidebar">
      <input
        type="search"
        className="logs-sidebar-search"
        placeholder="Search field names"
        aria-label="Search field names"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {selected.length > 0 && (
        <>
          <h3>Selected fields</h3>
          <ul className="field-list">{selected.map(item)}</ul>
        </>
      )}
      <h3>Available fields</h3>
      {available.length === 0 ? (
        <p className="muted">
          {needle === '' ? 'No fields in these indices.' : 'No field matches.'}
        </p>
      ) : (
        <ul className="field-list">{available.map(item)}</ul>
      )}
    </aside>
  );
}

function placeholderField(path: string): FieldInfo {
  return { path, types: [], conflict: false, indexed: true, sampled: 0, top: [] };
}

function FieldItem(props: {
  field: FieldInfo;
  sample: number;
  selected: boolean;
  open: boolean;
  onOpen: () => void;
  onToggleColumn: () => void;
  onFilter: (value: FieldValue, negate: boolean) => void;
}) {
  const { field, sample, selected, open, onOpen, onToggleColumn, onFilter } = props;
  const type = field.conflict ? 'conflict' : (field.types[0] ?? 'unknown');
  return (
    <li className="field-item" data-field={field.path}>
      <div className="field-row">
        <span className={`field-type field-type-${type}`} title={field.types.join(', ') || type}>
          {field.conflict ? '!' : (TYPE_BADGE[type] ?? '?')}
        </span>
        <button
          type="button"
          className="field-name"
          aria-expanded={open}
          onClick={onOpen}
          title={field.indexed ? field.path : `${field.path} (not indexed: beyond the field limit)`}
        >
          {field.path}
        </button>
        <button
          type="button"
          className="field-toggle"
          onClick={onToggleColumn}
          aria-label={selected ? `Remove column ${field.path}` : `Add column ${field.path}`}
          title={selected ? 'Remove column' : 'Add column'}
        >
          {selected ? '−' : '+'}
        </button>
      </div>
      {open && (
        <div className="field-details" data-testid="field-details">
          {field.top.length === 0 ? (
            <p className="muted">No values in the {sample} newest matching documents.</p>
          ) : (
            <>
              <p className="muted">
                Top values in {field.sampled} of {sample} sampled documents
              </p>
              <ul className="field-values">
                {field.top.map((t) => {
                  const pct = sample === 0 ? 0 : Math.round((t.count / sample) * 100);
                  const text = t.value === null ? '(null)' : String(t.value);
                  return (
                    <li key={`${typeof t.value}:${text}`} className="field-value">
                      <span className="field-value-text" title={text}>
                        {text}
                      </span>
                      <span className="field-value-pct">{pct}%</span>
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Filter for ${field.path}: ${text}`}
                        title="Filter for value"
                        onClick={() => onFilter(t.value, false)}
                      >
                        ⊕
                      </button>
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Filter out ${field.path}: ${text}`}
                        title="Filter out value"
                        onClick={() => onFilter(t.value, true)}
                      >
                        ⊖
                      </button>
                      <span className="field-value-bar" style={{ width: `${pct}%` }} />
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          <button type="button" className="link-button" onClick={onToggleColumn}>
            {selected ? 'Remove column' : 'Add as column'}
          </button>
        </div>
      )}
    </li>
  );
}
