/**
 * @module
 * The dashboard list: search by title, tag or description; create a new dashboard; import one
 * from a JSON file or pasted text; open, duplicate or delete each (provisioned ones are marked
 * and cannot be deleted).
 */
import { useEffect, useState } from 'react';
import { Problem } from './Problem';
import { Link } from '../../components/Link';
import { navigate } from '../../state/location';
import { createDashboard, deleteDashboard, getDashboard, listDashboards, SaveError } from './api';
import { exportable, parseImport } from './export';
import type { Dashboard, DashboardSummary } from './types';

function open(uid: string, edit = false) {
  navigate(`/dashboards?uid=${encodeURIComponent(uid)}${edit ? '&edit=1' : ''}`);
}

function describe(err: unknown): string {
  return err instanceof SaveError && err.field !== undefined
    ? `${err.field}: ${err.detail}`
    : (err as Error).message;
}

function ImportDialog({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      const created = await createDashboard(parseImport(text));
      open(created.dashboard.uid);
    } catch (err) {
      setError(describe(err));
    }
  };
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div
        className="modal"
        role="dialog"
        aria-label="Import dashboard"
        data-testid="import-dialog"
      >
        <h2>Import dashboard</h2>
        <label className="field">
          JSON file
          <input
            type="file"
            accept="application/json,.json"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file !== undefined) void file.text().then(setText);
            }}
          />
        </label>
        <label className="field">
          or paste the JSON
          <textarea
            className="control-textarea json-model"
            data-testid="import-json"
            rows={14}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        {error !== null && (
          <p className="panel-error" role="alert" data-testid="import-error">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <span className="spacer" />
          <button type="button" className="control-button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="control-button primary"
            data-testid="import-submit"
            disabled={text.trim() === ''}
            onClick={() => void submit()}
          >
            Import
          </button>
        </div>
      </div>
    </div>
  );
}

export function DashboardList() {
  const [items, setItems] = useState<DashboardSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [importing, setImporting] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listDashboards(controller.signal).then(setItems, (err: unknown) => {
      if (!controller.signal.aborted) setError((err as Error).message);
    });
    return () => controller.abort();
  }, [reload]);

  const create = async () => {
    const title = window.prompt('Title of the new dashboard', 'New dashboard');
    if (title === null) return;
    try {
      const created = await createDashboard({ title });
      open(created.dashboard.uid, true);
    } catch (err) {
      setError(describe(err));
    }
  };
  const duplicate = async (uid: string) => {
    try {
      const { dashboard } = await getDashboard(uid);
      const copy: Partial<Dashboard> = {
        ...exportable(dashboard),
        uid: undefined,
        title: `${dashboard.title} (copy)`,
        tags: dashboard.tags.filter((t) => t !== 'builtin'),
      };
      await createDashboard(copy);
      setReload((r) => r + 1);
    } catch (err) {
      setError(describe(err));
    }
  };
  const remove = async (d: DashboardSummary) => {
    if (!window.confirm(`Delete dashboard "${d.title}"?`)) return;
    try {
      await deleteDashboard(d.uid);
      setReload((r) => r + 1);
    } catch (err) {
      setError(describe(err));
    }
  };

  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const shown = (items ?? []).filter((d) => {
    const hay = `${d.title} ${d.tags.join(' ')} ${d.description}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  return (
    <div className="dashboard-list">
      <div className="dash-toolbar">
        <h1>Dashboards</h1>
        <span className="spacer" />
        <input
          type="search"
          className="control-input"
          placeholder="Search by title or tag"
          aria-label="Search dashboards"
          data-testid="dashboard-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button
          type="button"
          className="control-button"
          data-testid="import-dashboard"
          onClick={() => setImporting(true)}
        >
          Import
        </button>
        <button
          type="button"
          className="control-button primary"
          data-testid="new-dashboard"
          onClick={() => void create()}
        >
          New dashboard
        </button>
      </div>
      {error !== null && <Problem title="Dashboards" message={error} />}
      {items === null && error === null && <p className="muted">Loading…</p>}
      {items !== null && shown.length === 0 && (
        <p className="muted empty-state">
          {items.length === 0 ? 'No dashboards yet.' : `No dashboard matches "${query}".`}
        </p>
      )}
      {shown.length > 0 && (
        <table className="dash-table" data-testid="dashboard-table">
          <thead>
            <tr>
              <th>Title</th>
              <th>Tags</th>
              <th>Panels</th>
              <th>Updated</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <tr key={d.uid} data-testid="dashboard-row" data-uid={d.uid}>
                <td>
                  <Link to={`/dashboards?uid=${encodeURIComponent(d.uid)}`}>{d.title}</Link>
                  {d.description !== '' && <div className="muted small">{d.description}</div>}
                </td>
                <td>
                  {d.tags.map((t) => (
                    <button key={t} type="button" className="tag" onClick={() => setQuery(t)}>
                      {t}
                    </button>
                  ))}
                  {d.provisioned !== null && (
                    <span className="badge" title={`Provisioned from ${d.provisioned}`}>
                      provisioned
                    </span>
                  )}
                </td>
                <td className="num">{d.panels}</td>
                <td className="muted">{d.updated.slice(0, 19).replace('T', ' ')}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="control-button"
                    aria-label={`Duplicate ${d.title}`}
                    onClick={() => void duplicate(d.uid)}
                  >
                    Duplicate
                  </button>
                  {d.provisioned === null && (
                    <button
                      type="button"
                      className="control-button danger"
                      aria-label={`Delete ${d.title}`}
                      onClick={() => void remove(d)}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </div>
  );
}
