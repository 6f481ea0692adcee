/**
 * @module
 * The alerts tab: every pending and firing alert of the alerting rules, with labels, annotations,
 * since when it is active and its value. Where the Alertmanager holds the same alert, its
 * silenced or inhibited state shows too, and "Silence" opens the silence form with the alert's
 * labels as matchers.
 */
import type { GettableAlert } from '../../api/responseTypes/alertmanager';
import { LabelChips } from '../../components/LabelChips';
import { StateBadge } from '../../components/StateBadge';
import { Timestamp } from '../../components/Timestamp';
import { formatValue, parseSampleValue } from '../../lib/formatSeries';
import { findHeldAlert, type RuleAlertRow } from './alert-rows';

/**
 * @param props.rows the alerts to list
 * @param props.amAlerts the Alertmanager's alerts, undefined when there is no Alertmanager
 * @param props.onSilence opens the silence form for an alert's labels
 * @example
 * <ActiveAlerts rows={rows} amAlerts={am.data} onSilence={openForm} />
 */
export function ActiveAlerts({
  rows,
  amAlerts,
  onSilence,
}: {
  rows: readonly RuleAlertRow[];
  amAlerts: readonly GettableAlert[] | undefined;
  onSilence: ((labels: Record<string, string>) => void) | undefined;
}) {
  if (rows.length === 0) {
    return (
      <div className="empty-state" data-testid="no-alerts">
        <strong>Nothing is firing</strong>
        No alerting rule has a pending or firing alert.
      </div>
    );
  }
  return (
    <ul className="alert-list">
      {rows.map(({ rule, group, alert }) => {
        const held = amAlerts === undefined ? undefined : findHeldAlert(amAlerts, alert.labels);
        const silenced = held !== undefined && held.status.silencedBy.length > 0;
        const inhibited = held !== undefined && held.status.inhibitedBy.length > 0;
        return (
          <li
            key={`${group}/${rule}/${JSON.stringify(alert.labels)}`}
            className="panel alert-item"
            data-testid="alert-item"
            data-state={alert.state}
          >
            <div className="alert-head">
              <StateBadge
                tone={alert.state === 'firing' ? 'bad' : 'warn'}
                data-testid="alert-state"
              >
                {alert.state}
              </StateBadge>
              {silenced && (
                <StateBadge tone="neutral" data-testid="alert-silenced">
                  silenced
                </StateBadge>
              )}
              {inhibited && <StateBadge tone="neutral">inhibited</StateBadge>}
              <strong>{alert.labels.alertname ?? rule}</strong>
              <span className="muted small">
                {group} · value {formatValue(parseSampleValue(alert.value))}
                {alert.activeAt && (
                  <>
                    {' · active since '}
                    <Timestamp value={alert.activeAt} />
                  </>
                )}
              </span>
              <span className="toolbar-spacer" />
              {onSilence && !silenced && (
                <button
                  type="button"
                  className="control-button"
                  data-testid="silence-alert"
                  onClick={() => onSilence(held?.labels ?? alert.labels)}
                >
                  Silence…
                </button>
              )}
            </div>
            <LabelChips labels={alert.labels} testId="alert-labels" />
            {Object.keys(alert.annotations).length > 0 && (
              <dl className="annotations">
                {Object.entries(alert.annotations).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
            )}
          </li>
        );
      })}
    </ul>
  );
}
