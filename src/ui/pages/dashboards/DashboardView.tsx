/**
 * @module
 * One dashboard: its time range, refresh and variables (all in the URL), the panel grid, and in
 * edit mode adding, editing, duplicating, moving, resizing and removing panels, the settings, and
 * saving a new version. Provisioned dashboards can be edited and saved as a copy only.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Problem } from './Problem';
import { Link } from '../../components/Link';
import { navigate } from '../../state/location';
import { setSearch } from '../../state/url-state';
import { parsePromDuration } from '../../lib/promDuration';
import { createDashboard, getDashboard, saveDashboard, SaveError } from './api';
import { DashboardGrid } from './DashboardGrid';
import { DashboardSettings } from './DashboardSettings';
import { formatDashboardSearch, type DashboardUrlState } from './dashboard-url';
import { downloadJson, exportable } from './export';
import { compact, freeSpot } from './grid';
import { PanelBody, type PanelContext } from './PanelBody';
import { PanelEditor } from './PanelEditor';
import { parseTime, stepFor } from './time';
import { TimePicker } from './TimePicker';
import type { Dashboard, Panel, StoredDashboard } from './types';
import { useVariables, variableValues } from './useVariables';
import { VariableBar } from './VariableBar';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'done'; stored: StoredDashboard };

function newPanel(d: Dashboard): Panel {
  const id = Math.max(0, ...d.panels.map((p) => p.id)) + 1;
  return {
    id,
    type: 'timeseries',
    title: 'New panel',
    gridPos: freeSpot(d.panels, 12, 8),
    targets: [{ expr: '' }],
    options: {},
  };
}

export function DashboardView({ url }: { url: DashboardUrlState }) {
  const uid = url.uid!;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [draft, setDraft] = useState<Dashboard | null>(null);
  const [editing, setEditing] = useState(false);
  const [editPanel, setEditPanel] = useState<Panel | null>(null);
  const [settings, setSettings] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [tick, setTick] = useState(0);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ status: 'loading' });
    getDashboard(uid, controller.signal).then(
      (stored) => {
        setLoad({ status: 'done', stored });
        setDraft(stored.dashboard);
        // `edit=1` (from "New dashboard") opens the editor once; the URL then drops it.
        const params = new URLSearchParams(window.location.search);
        setEditing(params.get('edit') === '1');
        if (params.has('edit')) {
          params.delete('edit');
          setSearch(params.toString());
        }
      },
      (err: unknown) => {
        if (!controller.signal.aborted)
          setLoad({ status: 'error', message: (err as Error).message });
      },
    );
    return () => controller.abort();
  }, [uid]);

  const dashboard = draft;
  const from = url.from ?? dashboard?.time.from ?? 'now-1h';
  const to = url.to ?? dashboard?.time.to ?? 'now';
  const refresh = url.refresh ?? dashboard?.refresh ?? '';
  const startMs = parseTime(from, now) ?? now - 3_600_000;
  const endMs = Math.max(startMs + 1000, parseTime(to, now) ?? now);
  const rangeMs = endMs - startMs;
  const stepMs = stepFor(rangeMs, 800);
  const builtins = useMemo(() => ({ intervalMs: stepMs, rangeMs }), [stepMs, rangeMs]);
  const queryWindow = useMemo(() => ({ startMs, endMs, stepMs }), [startMs, endMs, stepMs]);

  // Auto-refresh: a new "now" and a new tick for every panel.
  useEffect(() => {
    const ms = refresh === '' ? undefined : parsePromDuration(refresh);
    if (ms === undefined || ms < 1000) return;
    const timer = setInterval(() => {
      setNow(Date.now());
      setTick((t) => t + 1);
    }, ms);
    return () => clearInterval(timer);
  }, [refresh]);

  const resolved = useVariables(dashboard?.variables ?? [], url.vars, queryWindow, builtins, tick);
  const zoom = useCallback(
    (fromMs: number, toMs: number) =>
      setSearch(formatDashboardSearch({ ...url, from: String(fromMs), to: String(toMs) }), {
        push: true,
      }),
    [url],
  );
  const ctx: PanelContext | null = useMemo(
    () =>
      resolved === null
        ? null
        : { window: queryWindow, variables: variableValues(resolved), builtins, tick, zoom },
    [resolved, queryWindow, builtins, tick, zoom],
  );

  if (load.status === 'loading') return <p className="muted">Loading dashboard…</p>;
  if (load.status === 'error') {
    return (
      <>
        <Problem title={`Cannot open dashboard "${uid}"`} message={load.message} />
        <Link to="/dashboards">All dashboards</Link>
      </>
    );
  }
  if (dashboard === null) return null;
  const stored = load.stored;
  const readOnly = stored.meta.provisioned !== null;
  const dirty = JSON.stringify(dashboard) !== JSON.stringify(stored.dashboard);

  const go = (changes: Partial<DashboardUrlState>, push = true) =>
    setSearch(formatDashboardSearch({ ...url, ...changes }), { push });
  const setPanels = (panels: Panel[]) => setDraft({ ...dashboard, panels });

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      // The current variable choices become the saved defaults, as Grafana offers.
      const current =
        resolved === null
          ? dashboard
          : {
              ...dashboard,
              variables: dashboard.variables.map((v) => ({
                ...v,
                current: resolved.find((r) => r.variable.name === v.name)?.selected ?? v.current,
              })),
            };
      const saved = await saveDashboard(current);
      setLoad({ status: 'done', stored: saved });
      setDraft(saved.dashboard);
      setEditing(false);
    } catch (err) {
      setSaveError(
        err instanceof SaveError && err.field
          ? `${err.field}: ${err.detail}`
          : (err as Error).message,
      );
    } finally {
      setSaving(false);
    }
  };
  const saveCopy = async () => {
    const title = window.prompt('Title of the copy', `${dashboard.title} (copy)`);
    if (title === null) return;
    try {
      const copy = await createDashboard({
        ...exportable(dashboard),
        uid: undefined,
        title,
        tags: dashboard.tags.filter((t) => t !== 'builtin'),
      });
      navigate(`/dashboards${formatDashboardSearch({ uid: copy.dashboard.uid, vars: new Map() })}`);
    } catch (err) {
      setSaveError((err as Error).message);
    }
  };

  return (
    <div className="dashboard" data-testid="dashboard" data-uid={uid}>
      <div className="dash-toolbar">
        <h1 className="dash-title">
          <Link to="/dashboards" className="muted">
            Dashboards
          </Link>{' '}
          / <span data-testid="dashboard-title">{dashboard.title}</span>
          {readOnly && (
            <span className="badge" title={`Provisioned from ${stored.meta.provisioned}`}>
              read-only
            </span>
          )}
        </h1>
        <span className="spacer" />
        <TimePicker
          from={from}
          to={to}
          refresh={refresh}
          onRange={(f, t) => {
            setNow(Date.now());
            go({ from: f, to: t });
          }}
          onRefreshInterval={(r) => go({ refresh: r }, false)}
          onRefresh={() => {
            setNow(Date.now());
            setTick((t) => t + 1);
          }}
        />
        {editing ? (
          <>
            <button
              type="button"
              className="control-button"
              data-testid="add-panel"
              onClick={() => setEditPanel(newPanel(dashboard))}
            >
              Add panel
            </button>
            <button
              type="button"
              className="control-button"
              data-testid="open-settings"
              onClick={() => setSettings(true)}
            >
              Settings
            </button>
            <button
              type="button"
              className="control-button"
              onClick={() => {
                setDraft(stored.dashboard);
                setEditing(false);
                setSaveError(null);
              }}
            >
              Discard
            </button>
            {readOnly ? (
              <button
                type="button"
                className="control-button primary"
                onClick={() => void saveCopy()}
              >
                Save as copy
              </button>
            ) : (
              <button
                type="button"
                className="control-button primary"
                data-testid="save-dashboard"
                disabled={!dirty || saving}
                onClick={() => void save()}
              >
                {saving ? 'Saving…' : 'Save'}
              </button>
            )}
          </>
        ) : (
          <>
            <button
              type="button"
              className="control-button"
              data-testid="edit-dashboard"
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
            <button
              type="button"
              className="control-button"
              data-testid="save-copy"
              onClick={() => void saveCopy()}
            >
              Save as copy
            </button>
            <button
              type="button"
              className="control-button"
              data-testid="export-dashboard"
              onClick={() => downloadJson(dashboard)}
            >
              Export
            </button>
          </>
        )}
      </div>
      {saveError !== null && <Problem title="Cannot save the dashboard" message={saveError} />}
      {resolved !== null && (
        <VariableBar
          resolved={resolved}
          onChange={(name, values) => go({ vars: new Map(url.vars).set(name, values) })}
        />
      )}
      {dashboard.panels.length === 0 && (
        <div className="empty-state">
          <p>This dashboard has no panels yet.</p>
          {!editing && (
            <button
              type="button"
              className="control-button primary"
              onClick={() => setEditing(true)}
            >
              Edit to add panels
            </button>
          )}
        </div>
      )}
      {ctx !== null && (
        <DashboardGrid
          panels={dashboard.panels}
          editing={editing}
          onLayout={setPanels}
          renderPanel={(p, height, { dragHandle, resizeHandle }) => (
            <section
              className="dash-panel"
              data-testid="panel"
              data-panel-type={p.type}
              aria-label={p.title}
            >
              <div className="dash-panel-header" {...dragHandle}>
                <span className="dash-panel-title" title={p.description}>
                  {p.title}
                </span>
                {editing && (
                  <span className="dash-panel-actions">
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Edit ${p.title}`}
                      data-testid="edit-panel"
                      onClick={() => setEditPanel(p)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Duplicate ${p.title}`}
                      onClick={() => {
                        const copy = {
                          ...newPanel(dashboard),
                          ...structuredClone(p),
                          id: newPanel(dashboard).id,
                        };
                        copy.gridPos = freeSpot(dashboard.panels, p.gridPos.w, p.gridPos.h);
                        setPanels([...dashboard.panels, copy]);
                      }}
                    >
                      Duplicate
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Remove ${p.title}`}
                      onClick={() =>
                        setPanels(compact(dashboard.panels.filter((x) => x.id !== p.id)))
                      }
                    >
                      Remove
                    </button>
                  </span>
                )}
              </div>
              <div className="dash-panel-body" style={{ height: height - 30 }}>
                <PanelBody panel={p} ctx={ctx} height={height - 30} />
              </div>
              {resizeHandle}
            </section>
          )}
        />
      )}
      {editPanel !== null && ctx !== null && (
        <PanelEditor
          panel={editPanel}
          ctx={ctx}
          onCancel={() => setEditPanel(null)}
          onApply={(p) => {
            const exists = dashboard.panels.some((x) => x.id === p.id);
            setPanels(
              exists
                ? dashboard.panels.map((x) => (x.id === p.id ? p : x))
                : [...dashboard.panels, p],
            );
            setEditPanel(null);
          }}
        />
      )}
      {settings && (
        <DashboardSettings
          dashboard={dashboard}
          onCancel={() => setSettings(false)}
          onApply={(d) => {
            setDraft(d);
            setSettings(false);
          }}
        />
      )}
    </div>
  );
}
