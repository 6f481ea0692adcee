/**
 * @module
 * The silences tab: active, pending and expired silences with their matchers, time window,
 * creator, comment and how many current alerts each silences; Edit and Expire on the live ones.
 */
import { useState } from 'react';
import { AlertmanagerError, amDelete } from '../../api/alertmanager';
import type { GettableAlert, GettableSilence } from '../../api/responseTypes/alertmanager';
import { StateBadge, type Tone } from '../../components/StateBadge';
import { Timestamp } from '../../components/Timestamp';
import { formatMatcher, matchesAll } from './silence-matchers';

const ORDER: readonly GettableSilence['status']['state'][] = ['active', 'pending', 'expired'];
const TONE: Record<GettableSilence['status']['state'], Tone> = {
  active: 'ok',
  pending: 'warn',
  expired: 'neutral',
};

/**
 * @param props.silences the Alertmanager's silences
 * @param props.alerts its alerts, to count what each silence matches
 * @param props.onEdit opens the form for a silence
 * @param props.onChanged after an expiry, to refresh
 * @example
 * <SilenceList silences={s} alerts={a} onEdit={edit} onChanged={refresh} />
 */
export function SilenceList({
  silences,
  alerts,
  onEdit,
  onChanged,
}: {
  silences: readonly GettableSilence[];
  alerts: readonly GettableAlert[];
  onEdit: (silence: GettableSilence) => void;
  onChanged: () => void;
}) {
  const [error, setError] = useState<string | undefined>();
  const expire = async (s: GettableSilence) => {
    if (!window.confirm(`Expire silence ${s.id}? Its alerts notify again.`)) return;
    try {
      await amDelete(`/silence/${encodeURIComponent(s.id)}`);
      setError(undefined);
    } catch (err) {
      setError(err instanceof AlertmanagerError ? err.message : String(err));
    }
    onChanged();
  };
  if (silences.length === 0) {
    return (
      <div className="empty-state" data-testid="no-silences">
        <strong>No silences</strong>
        Create one with “New silence”, or from a firing alert on the Alerts tab.
      </div>
    );
  }
  return (
    <>
      {error !== undefined && (
        <p className="form-problems" role="alert">
          {error}
        </p>
      )}
      {ORDER.map((state) => {
        const list = silences.filter((s) => s.status.state === state);
        if (list.length === 0) return null;
        return (
          <section key={state} className="panel pool" data-testid={`silences-${state}`}>
            <h2 className="pool-head">
              <span>{state[0]!.toUpperCase() + state.slice(1)}</span>
              <StateBadge tone={TONE[state]}>{list.length}</StateBadge>
            </h2>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>Matchers</th>
                    <th>Window</th>
                    <th>Created by · comment</th>
                    <th>Alerts</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.id} data-testid="silence-row" data-silence-id={s.id}>
                      <td>
                        <ul className="label-list">
                          {s.matchers.map((m, i) => (
                            <li key={i} className="label-chip">
                              {formatMatcher(m)}
                            </li>
                          ))}
                        </ul>
                        <div className="muted small">{s.id}</div>
                      </td>
                      <td className="small">
                        <Timestamp value={s.startsAt} />
                        <br />→ <Timestamp value={s.endsAt} />
                      </td>
                      <td>
                        <strong>{s.createdBy}</strong>
                        <div>{s.comment}</div>
                      </td>
                      <td className="num">
                        {state === 'expired'
                          ? '—'
                          : alerts.filter((a) => matchesAll(s.matchers, a.labels)).length}
                      </td>
                      <td>
                        <span className="control-group">
                          <button
                            type="button"
                            className="control-button"
                            onClick={() => onEdit(s)}
                          >
                            {state === 'expired' ? 'Recreate' : 'Edit'}
                          </button>
                          {state !== 'expired' && (
                            <button
                              type="button"
                              className="control-button danger"
                              data-testid="expire-silence"
                              onClick={() => void expire(s)}
                            >
                              Expire
                            </button>
                          )}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </>
  );
}
