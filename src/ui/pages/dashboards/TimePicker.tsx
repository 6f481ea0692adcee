/**
 * @module
 * A dashboard's time range and auto-refresh: quick ranges, absolute or relative from/to fields
 * (`now-6h`, `2024-05-06 07:00`, UTC), a refresh button and the auto-refresh interval.
 */
import { useState } from 'react';
import { describeRange, parseTime, QUICK_RANGES, REFRESH_CHOICES } from './time';

export function TimePicker({
  from,
  to,
  refresh,
  onRange,
  onRefreshInterval,
  onRefresh,
}: {
  from: string;
  to: string;
  refresh: string;
  onRange: (from: string, to: string) => void;
  onRefreshInterval: (refresh: string) => void;
  onRefresh: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState({ from, to });
  const now = Date.now();
  const valid = (t: string) => parseTime(t, now) !== undefined;
  const ok =
    valid(draft.from) && valid(draft.to) && parseTime(draft.from, now)! < parseTime(draft.to, now)!;
  return (
    <div className="time-picker">
      <button
        type="button"
        className="control-input"
        data-testid="time-picker"
        aria-expanded={open}
        onClick={() => {
          setDraft({ from, to });
          setOpen(!open);
        }}
      >
        {describeRange(from, to)}
      </button>
      {open && (
        <div className="time-menu" role="dialog" aria-label="Time range">
          <div className="time-absolute">
            <label>
              From
              <input
                className="control-input"
                aria-invalid={!valid(draft.from)}
                data-testid="time-from"
                value={draft.from}
                onChange={(e) => setDraft({ ...draft, from: e.target.value })}
              />
            </label>
            <label>
              To
              <input
                className="control-input"
                aria-invalid={!valid(draft.to)}
                data-testid="time-to"
                value={draft.to}
                onChange={(e) => setDraft({ ...draft, to: e.target.value })}
              />
            </label>
            <button
              type="button"
              className="button primary"
              disabled={!ok}
              onClick={() => {
                onRange(draft.from.trim(), draft.to.trim());
                setOpen(false);
              }}
            >
              Apply
            </button>
          </div>
          <ul className="time-quick">
            {QUICK_RANGES.map((r) => (
              <li key={r.from}>
                <button
                  type="button"
                  className="link-button"
                  aria-current={r.from === from && to === 'now' ? 'true' : undefined}
                  onClick={() => {
                    onRange(r.from, 'now');
                    setOpen(false);
                  }}
                >
                  {r.label}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <button
        type="button"
        className="button"
        onClick={onRefresh}
        title="Refresh"
        data-testid="refresh"
      >
        ⟳
      </button>
      <select
        className="control-input"
        aria-label="Auto-refresh"
        data-testid="auto-refresh"
        value={refresh}
        onChange={(e) => onRefreshInterval(e.target.value)}
      >
        {REFRESH_CHOICES.map((r) => (
          <option key={r} value={r}>
            {r === '' ? 'Off' : r}
          </option>
        ))}
      </select>
    </div>
  );
}
