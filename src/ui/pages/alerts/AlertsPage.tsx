/**
 * @module
 * The Alerts page (`/alerts`): firing and pending alerts of the alerting rules; the rules with
 * their state, health and last evaluation; and, from the Alertmanager the server embeds at
 * {@link ALERTMANAGER_BASE} (API v2), silences and receivers. URL parameters: `tab`
 * (`alerts` | `rules` | `silences` | `receivers`), `state` (`firing` | `pending`), `search`.
 */
import { useMemo, useState } from 'react';
import { ALERTMANAGER_BASE, AlertmanagerUnavailable, amGet } from '../../api/alertmanager';
import type {
  GettableAlert,
  GettableSilence,
  Receiver,
} from '../../api/responseTypes/alertmanager';
import type { RulesData } from '../../api/responseTypes/rules';
import { apiGet } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { setSearchParams, useSearch } from '../../state/url-state';
import { usePoll } from '../../state/usePoll';
import { ActiveAlerts } from './ActiveAlerts';
import { activeAlerts, alertsFromElsewhere } from './alert-rows';
import { OtherAlerts } from './OtherAlerts';
import { RulesList } from './RulesList';
import { SilenceForm, rememberedAuthor, type SilenceFormInit } from './SilenceForm';
import { SilenceList } from './SilenceList';
import { matchersFromLabels } from './silence-matchers';
import '../../components/controls.css';
import '../targets/targets.css';
import './alerts.css';

const REFRESH_MS = 5000;
const TABS = ['alerts', 'rules', 'silences', 'receivers'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, string> = {
  alerts: 'Alerts',
  rules: 'Rules',
  silences: 'Silences',
  receivers: 'Receivers',
};

/** A new silence lasts this long unless changed: long enough for a typical intervention. */
const DEFAULT_SILENCE_MS = 2 * 3_600_000;

const loadRules = (signal: AbortSignal) => apiGet<RulesData>('/rules', signal);
const loadReceivers = (signal: AbortSignal) => amGet<Receiver[]>('/receivers', signal);

/** Whether any `name="value"` of `labels` contains `needle` (lower case). */
function matchesSearch(labels: Readonly<Record<string, string>>, needle: string): boolean {
  return Object.entries(labels).some(([k, v]) => `${k}="${v}"`.toLowerCase().includes(needle));
}

function NoAlertmanager() {
  return (
    <div className="empty-state" data-testid="no-alertmanager">
      <strong>No Alertmanager</strong>
      This server serves no Alertmanager API at <code>{ALERTMANAGER_BASE}/api/v2</code>, so there
      are no silences or receivers to show.
    </div>
  );
}

/**
 * @example
 * <AlertsPage />
 */
export function AlertsPage() {
  const params = new URLSearchParams(useSearch());
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'alerts';
  const stateFilter = params.get('state');
  const search = (params.get('search') ?? '').toLowerCase();
  const [form, setForm] = useState<{ init: SilenceFormInit; key: number } | undefined>();
  // Bumped after a change: new loader identities restart the polls, so the lists show it at once.
  const [refresh, setRefresh] = useState(0);
  const loadAmAlerts = useMemo(
    () => (signal: AbortSignal) => amGet<GettableAlert[]>('/alerts', signal),
    [refresh],
  );
  const loadSilences = useMemo(
    () => (signal: AbortSignal) => amGet<GettableSilence[]>('/silences', signal),
    [refresh],
  );
  const rules = usePoll(loadRules, REFRESH_MS);
  const amAlerts = usePoll(loadAmAlerts, REFRESH_MS);
  const silences = usePoll(loadSilences, REFRESH_MS);
  const receivers = usePoll(loadReceivers, REFRESH_MS);

  const noAm = amAlerts.error instanceof AlertmanagerUnavailable;
  const amErrors = noAm ? [] : [amAlerts.error, silences.error, receivers.error];
  const rows = activeAlerts(rules.data?.groups ?? []).filter(
    (r) =>
      (stateFilter !== 'firing' && stateFilter !== 'pending'
        ? true
        : r.alert.state === stateFilter) &&
      (search === '' || matchesSearch(r.alert.labels, search)),
  );
  const openForm = (init: SilenceFormInit) => {
    setForm({ init, key: Date.now() });
    setSearchParams({ tab: 'silences' }, { push: true });
  };
  const newSilence = (labels: Record<string, string> = {}) => {
    const now = Date.now();
    openForm({
      matchers: matchersFromLabels(labels),
      startsAtMs: now,
      endsAtMs: now + DEFAULT_SILENCE_MS,
      createdBy: rememberedAuthor(),
      comment: '',
    });
  };

  return (
    <>
      <div className="page-head">
        <h1>Alerts</h1>
        <p className="muted">Refreshes every {REFRESH_MS / 1000} s</p>
      </div>
      <ErrorBanner errors={[rules.error, ...amErrors]} />
      <div className="toolbar">
        <div className="control-joined" role="tablist" aria-label="Alerts sections">
          {TABS.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              className="control-button"
              aria-selected={tab === t}
              data-testid={`tab-${t}`}
              onClick={() =>
                setSearchParams({ tab: t === 'alerts' ? undefined : t }, { push: true })
              }
            >
              {TAB_LABEL[t]}
              {t === 'alerts' && rules.data && ` (${activeAlerts(rules.data.groups).length})`}
            </button>
          ))}
        </div>
        {tab === 'alerts' && (
          <>
            <select
              className="control-select"
              aria-label="State"
              value={stateFilter ?? ''}
              onChange={(e) => setSearchParams({ state: e.target.value })}
            >
              <option value="">Firing and pending</option>
              <option value="firing">Firing</option>
              <option value="pending">Pending</option>
            </select>
            <input
              className="control-input"
              type="search"
              aria-label="Filter by label"
              placeholder='Filter by label, e.g. severity="page"'
              defaultValue={params.get('search') ?? ''}
              onChange={(e) => setSearchParams({ search: e.target.value })}
            />
          </>
        )}
        <span className="toolbar-spacer" />
        {tab === 'silences' && !noAm && form === undefined && (
          <button
            type="button"
            className="control-button primary"
            data-testid="new-silence"
            onClick={() => newSilence()}
          >
            New silence
          </button>
        )}
      </div>

      {tab === 'alerts' &&
        (rules.data === undefined ? (
          <p className="muted">
            {rules.error ? 'Not available: see the error above.' : 'Loading…'}
          </p>
        ) : (
          <>
            <ActiveAlerts
              rows={rows}
              amAlerts={noAm ? undefined : amAlerts.data}
              onSilence={noAm ? undefined : (labels) => newSilence(labels)}
            />
            {!noAm && amAlerts.data !== undefined && (
              <OtherAlerts
                alerts={
                  stateFilter === 'pending'
                    ? []
                    : alertsFromElsewhere(amAlerts.data, activeAlerts(rules.data.groups)).filter(
                        (a) => search === '' || matchesSearch(a.labels, search),
                      )
                }
                onSilence={(labels) => newSilence(labels)}
              />
            )}
          </>
        ))}

      {tab === 'rules' &&
        (rules.data === undefined ? (
          <p className="muted">
            {rules.error ? 'Not available: see the error above.' : 'Loading…'}
          </p>
        ) : (
          <RulesList groups={rules.data.groups} />
        ))}

      {tab === 'silences' &&
        (noAm ? (
          <NoAlertmanager />
        ) : (
          <>
            {form !== undefined && (
              <SilenceForm
                key={form.key}
                init={form.init}
                alerts={amAlerts.data ?? []}
                onCancel={() => setForm(undefined)}
                onDone={() => {
                  setForm(undefined);
                  setRefresh((n) => n + 1);
                }}
              />
            )}
            {silences.data === undefined ? (
              <p className="muted">Loading…</p>
            ) : (
              <SilenceList
                silences={silences.data}
                alerts={amAlerts.data ?? []}
                onEdit={(s) =>
                  openForm({
                    id: s.status.state === 'expired' ? undefined : s.id,
                    matchers: s.matchers,
                    startsAtMs: s.status.state === 'expired' ? Date.now() : Date.parse(s.startsAt),
                    endsAtMs:
                      s.status.state === 'expired'
                        ? Date.now() + DEFAULT_SILENCE_MS
                        : Date.parse(s.endsAt),
                    createdBy: s.createdBy,
                    comment: s.comment,
                  })
                }
                onChanged={() => setRefresh((n) => n + 1)}
              />
            )}
          </>
        ))}

      {tab === 'receivers' &&
        (noAm ? (
          <NoAlertmanager />
        ) : receivers.data === undefined ? (
          <p className="muted">Loading…</p>
        ) : receivers.data.length === 0 ? (
          <div className="empty-state">
            <strong>No receivers</strong>The Alertmanager configuration defines none.
          </div>
        ) : (
          <section className="panel">
            <ul className="receiver-list" data-testid="receivers">
              {receivers.data.map((r) => (
                <li key={r.name}>
                  <code>{r.name}</code>
                </li>
              ))}
            </ul>
          </section>
        ))}
    </>
  );
}
