/**
 * @module
 * Alerts the Alertmanager holds that did not come from this server's rules (another
 * Prometheus, a script posting to API v2): labels, annotations, state, receivers, and a
 * "Silence…" button like the rules' alerts have.
 */
import type { GettableAlert } from '../../api/responseTypes/alertmanager';
import { LabelChips } from '../../components/LabelChips';
import { StateBadge } from '../../components/StateBadge';
import { Timestamp } from '../../components/Timestamp';

/**
 * @param props.alerts the Alertmanager's alerts from elsewhere
 * @param props.onSilence opens the silence form for an alert's labels
 * @example
 * <OtherAlerts alerts={alertsFromElsewhere(am, rows)} onSilence={open} />
 */
export function OtherAlerts({
  alerts,
  onSilence,
}: {
  alerts: readonly GettableAlert[];
  onSilence: (labels: Record<string, string>) => void;
}) {
  if (alerts.length === 0) return null;
  return (
    <section aria-labelledby="other-alerts-heading" className="other-alerts">
      <h2 id="other-alerts-heading">Other alerts in the Alertmanager ({alerts.length})</h2>
      <p className="muted small">Sent by something other than this server's rules.</p>
      <ul className="alert-list">
        {alerts.map((a) => {
          const silenced = a.status.silencedBy.length > 0;
          return (
            <li
              key={a.fingerprint}
              className="panel alert-item"
              data-state="firing"
              data-testid="other-alert"
            >
              <div className="alert-head">
                <StateBadge tone={a.status.state === 'suppressed' ? 'neutral' : 'bad'}>
                  {a.status.state}
                </StateBadge>
                {silenced && <StateBadge tone="neutral">silenced</StateBadge>}
                {a.status.inhibitedBy.length > 0 && (
                  <StateBadge tone="neutral">inhibited</StateBadge>
                )}
                <strong>{a.labels.alertname ?? '(no alertname)'}</strong>
                <span className="muted small">
                  since <Timestamp value={a.startsAt} /> · to{' '}
                  {a.receivers.map((r) => r.name).join(', ') || 'no receiver'}
                </span>
                <span className="toolbar-spacer" />
                {!silenced && (
                  <button
                    type="button"
                    className="control-button"
                    onClick={() => onSilence(a.labels)}
                  >
                    Silence…
                  </button>
                )}
              </div>
              <LabelChips labels={a.labels} />
              {Object.keys(a.annotations).length > 0 && (
                <dl className="annotations">
                  {Object.entries(a.annotations).map(([k, v]) => (
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
    </section>
  );
}
