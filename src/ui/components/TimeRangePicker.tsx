/**
 * @module
 * The time picker: a button naming the range that opens a panel with quick ranges, absolute
 * (or date-math) start and end, and the auto-refresh interval, next to a refresh button. It
 * holds only the draft of the bounds being typed; the range itself belongs to the caller (the
 * URL, on the pages that use it).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  describeRange,
  parseTimeExpr,
  QUICK_RANGES,
  REFRESH_INTERVALS,
  TimeExprError,
  type TimeRange,
} from '../lib/timeRange';
import './TimeRangePicker.css';

export interface TimeRangePickerProps {
  range: TimeRange;
  onRangeChange: (range: TimeRange) => void;
  /** The auto-refresh interval (`10s`), `''` for off. */
  refresh: string;
  onRefreshChange: (refresh: string) => void;
  /** Runs the search again now. */
  onRefresh: () => void;
}

/**
 * @example
 * <TimeRangePicker range={{ from: 'now-15m', to: 'now' }} onRangeChange={set} refresh="" onRefreshChange={setRefresh} onRefresh={reload} />
 */
export function TimeRangePicker(props: TimeRangePickerProps) {
  const { range, onRangeChange, refresh, onRefreshChange, onRefresh } = props;
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [error, setError] = useState<string | undefined>();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setFrom(range.from);
    setTo(range.to);
    setError(undefined);
  }, [range.from, range.to]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    try {
      const now = Date.now();
      if (parseTimeExpr(to, now, true) < parseTimeExpr(from, now)) {
        throw new TimeExprError(to, 'the end is before the start');
      }
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    setOpen(false);
    onRangeChange({ from: from.trim(), to: to.trim() });
  };

  return (
    <div className="time-picker" ref={root}>
      <button
        type="button"
        className="time-picker-button"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen(!open)}
        data-testid="time-picker"
      >
        {describeRange(range)}
        {refresh !== '' && <span className="time-picker-refresh"> · every {refresh}</span>}
      </button>
      <button type="button" className="button" onClick={onRefresh} data-testid="refresh">
        Refresh
      </button>
      {open && (
        <div className="time-picker-panel" role="dialog" aria-label="Time range">
          <section>
            <h3>Commonly used</h3>
            <ul className="time-picker-quick">
              {QUICK_RANGES.map((q) => (
                <li key={q.label}>
                  <button
                    type="button"
                    className="link-button"
                    aria-pressed={q.from === range.from && q.to === range.to}
                    onClick={() => {
                      setOpen(false);
                      onRangeChange({ from: q.from, to: q.to });
                    }}
                  >
                    {q.label}
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <form onSubmit={apply}>
            <h3>Range</h3>
            <label>
              Start
              <input
                value={from}
                onChange={(e) => setFrom(e.target.value)}
                placeholder="now-15m or 2024-05-06T07:00:00Z"
                data-testid="time-from"
                spellCheck={false}
              />
            </label>
            <label>
              End
              <input
                value={to}
                onChange={(e) => setTo(e.target.value)}
                placeholder="now"
                data-testid="time-to"
                spellCheck={false}
              />
            </label>
            {error && (
              <p className="error-text" role="alert">
                {error}
              </p>
            )}
            <p className="muted time-picker-hint">
              Date math (<code>now-1h</code>, <code>now/d</code>) or an absolute UTC time.
            </p>
            <button type="submit" className="button button-primary" data-testid="time-apply">
              Apply
            </button>
          </form>
          <section>
            <h3>Refresh every</h3>
            <select
              value={refresh}
              onChange={(e) => onRefreshChange(e.target.value)}
              aria-label="Auto-refresh interval"
              data-testid="refresh-interval"
            >
              {REFRESH_INTERVALS.map((r) => (
                <option key={r} value={r}>
                  {r === '' ? 'Off' : r}
                </option>
              ))}
            </select>
          </section>
        </div>
      )}
    </div>
  );
}
